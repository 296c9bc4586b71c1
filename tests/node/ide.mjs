// The GraphQL IDE in a real headless Chromium: the storefront page loads with nothing from other
// hosts and no Content Security Policy violation, shows the schema's docs, runs
// `{ storeConfig { store_code } }` with the Store header the user set, and shows the answer.
//
//   node tests/node/ide.mjs http://127.0.0.1:8080
//   IDE_STAFF='admin@example.com:<password>' node tests/node/ide.mjs http://127.0.0.1:8080
//
// Chromium comes from Debian's package (/usr/bin/chromium) or $CHROMIUM.
import { chromium } from 'playwright-core';

const base = process.argv[2];
if (!base) {
  console.error('usage: node ide.mjs <server base URL>');
  process.exit(2);
}
const origin = new URL(base).origin;
// A staff user's `email:password` ($IDE_STAFF) also checks the admin IDE.
const staff = process.env.IDE_STAFF;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // Containers run CI as root, where Chromium's sandbox cannot start.
  args: ['--no-sandbox'],
});
const problems = [];
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  watch(page, 'ide');
  const response = await page.goto(`${base}/graphql`);
  expect(response.status() === 200, `the page answers ${response.status()}`);
  expect(
    (response.headers()['content-security-policy'] ?? '').includes("script-src 'self'"),
    'the page carries its Content Security Policy',
  );
  await page.waitForSelector('.graphiql-container');
  step('GraphiQL started');

  // The docs come from the endpoint's schema (introspection through the page's own fetcher).
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer >> text=storeConfig');
  step('the docs show the storefront schema');

  const editor = '.graphiql-query-editor .CodeMirror';
  const query = await page.$eval(editor, (el) => el.CodeMirror.getValue());
  expect(query.includes('storeConfig'), `the default query: ${query}`);
  await page.click('.graphiql-execute-button');
  const answer = await response_text(page, '"store_code"');
  expect(JSON.parse(answer).data.storeConfig.store_code === 'default', `the answer: ${answer}`);
  step(`ran the query: ${answer.replace(/\s+/g, ' ')}`);

  // The Store field is sent as the Store header.
  await page.fill('input[name="store"]', 'no_such_store');
  await page.click('.graphiql-execute-button');
  const refused = await response_text(page, 'Requested store is not found');
  step(`with Store: no_such_store: ${JSON.parse(refused).errors[0].message}`);

  if (staff) {
    // The admin IDE with the bearer token a staff user pastes.
    const token = await staffToken(staff);
    // The same browser tab, so the storefront IDE's saved state is there to leak, if it could.
    const admin = page;
    await admin.goto(`${base}/admin/graphql`);
    await admin.waitForSelector('.graphiql-container');
    await admin.fill('input[name="token"]', token);
    await admin.click('button[aria-label="Show Documentation Explorer"]');
    await admin.waitForSelector('.graphiql-doc-explorer >> text=customers');
    step('the admin docs show the admin schema once the token is pasted');
    await admin.click('.graphiql-execute-button');
    const grid = await response_text(admin, '"customers"');
    expect(Array.isArray(JSON.parse(grid).data.customers.items), `the admin answer: ${grid}`);
    step('ran the admin default query with the token');
    const kept = await admin.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(!kept.includes(token) && !kept.includes('storeConfig'), `nothing kept beyond the tab: ${kept}`);
    step('nothing the IDE keeps outlives the tab');
  }
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('ok: the IDE works offline in Chromium');

/** Records what should never happen on `page`: errors, failed requests, other hosts. */
function watch(page, name) {
  page.on('console', (m) => m.type() === 'error' && problems.push(`${name} console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`${name} page error: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${name} ${r.status()}: ${r.url()}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('data:') && new URL(url).origin !== origin) {
      problems.push(`${name} request to another host: ${url}`);
    }
  });
}

/** A staff token for `email:password`, as an integrator would get one. */
async function staffToken(credentials) {
  const at = credentials.indexOf(':');
  const [email, password] = [credentials.slice(0, at), credentials.slice(at + 1)];
  const reply = await fetch(`${base}/admin/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($e: String!, $p: String!) { generateStaffToken(email: $e, password: $p) { token } }',
      variables: { e: email, p: password },
    }),
  });
  const body = await reply.json();
  expect(body.data?.generateStaffToken?.token, `a staff token: ${JSON.stringify(body)}`);
  return body.data.generateStaffToken.token;
}

/** The response pane's text, once it contains `needle`. */
async function response_text(page, needle) {
  const pane = '.graphiql-response .CodeMirror';
  await page.waitForFunction(
    ([selector, text]) => document.querySelector(selector)?.CodeMirror.getValue().includes(text),
    [pane, needle],
  );
  return page.$eval(pane, (el) => el.CodeMirror.getValue());
}

function expect(ok, what) {
  if (!ok) {
    throw new Error(`failed: ${what}`);
  }
}

function step(what) {
  console.log(`- ${what}`);
}
