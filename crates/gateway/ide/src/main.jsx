// The GraphQL IDE of one Clientele endpoint: GraphiQL, with the `Store` header and a bearer token
// the user pastes in a bar above it. The page names which endpoint it serves; requests go to the
// page's own path. Everything the IDE keeps (tabs, queries, variables, headers, history) stays in
// the browser tab, apart for each endpoint: a token typed anywhere never outlives the tab.
import React, { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/graphiql.css';
import './ide.css';

const STORAGE = 'clientele-ide:';

/** GraphiQL's storage for one endpoint's IDE: the tab's sessionStorage, under its own prefix. */
function tabStorage(kind) {
  const prefix = `${STORAGE}${kind}:graphiql:`;
  const keys = () =>
    Object.keys(sessionStorage).filter((key) => key.startsWith(prefix));
  return {
    getItem: (key) => sessionStorage.getItem(prefix + key),
    setItem: (key, value) => sessionStorage.setItem(prefix + key, value),
    removeItem: (key) => sessionStorage.removeItem(prefix + key),
    clear: () => keys().forEach((key) => sessionStorage.removeItem(key)),
    get length() {
      return keys().length;
    },
  };
}

/** A value kept for this browser tab only: tokens are not meant to outlive it. */
function useTabState(key, initial) {
  const [value, setValue] = useState(() => sessionStorage.getItem(STORAGE + key) ?? initial);
  const update = (next) => {
    sessionStorage.setItem(STORAGE + key, next);
    setValue(next);
  };
  return [value, update];
}

function Ide({ kind, endpoint, defaultQuery }) {
  const storefront = kind === 'storefront';
  const [store, setStore] = useTabState(`${kind}:store`, 'default');
  const [token, setToken] = useTabState(`${kind}:token`, '');
  const storage = useMemo(() => tabStorage(kind), [kind]);
  // A new fetcher makes GraphiQL read the schema again, with the new token and store.
  const fetcher = useMemo(() => {
    const headers = {};
    if (storefront && store.trim()) headers.Store = store.trim();
    // A token pasted with its scheme works as well as the bare token.
    const bare = token.trim().replace(/^bearer\s+/i, '');
    if (bare) headers.Authorization = `Bearer ${bare}`;
    return createGraphiQLFetcher({ url: endpoint, headers });
  }, [storefront, store, token, endpoint]);
  return (
    <div className="clientele-ide">
      <form className="clientele-ide-bar" onSubmit={(e) => e.preventDefault()}>
        <strong>{storefront ? 'Clientele storefront' : 'Clientele admin'} GraphQL</strong>
        {storefront && (
          <label>
            Store
            <input
              name="store"
              value={store}
              spellCheck="false"
              onChange={(e) => setStore(e.target.value)}
            />
          </label>
        )}
        <label className="clientele-ide-token">
          Bearer token
          <input
            name="token"
            type="password"
            autoComplete="off"
            placeholder={storefront ? 'a customer token (optional)' : 'a staff or integration token'}
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
        <a href="/_ide/licenses.txt" target="_blank" rel="noreferrer">
          Licences
        </a>
      </form>
      <div className="clientele-ide-main">
        <GraphiQL
          fetcher={fetcher}
          defaultQuery={defaultQuery}
          storage={storage}
          isHeadersEditorEnabled
        />
      </div>
    </div>
  );
}

const root = document.getElementById('ide');
const kind = root.dataset.kind === 'admin' ? 'admin' : 'storefront';
createRoot(root).render(
  <Ide kind={kind} endpoint={window.location.pathname} defaultQuery={root.dataset.defaultQuery} />,
);
