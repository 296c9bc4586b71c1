//! The GraphQL IDE (GraphiQL) a browser gets when it opens `/graphql` or `/admin/graphql`.
//!
//! Every file it needs is built from the npm packages in `crates/gateway/ide` at development time
//! and embedded here, so the page loads nothing from other hosts; its Content Security Policy
//! allows this server's own scripts, styles and API and nothing else. The `graphql_ide` setting
//! turns it off.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::transport::{Endpoint, accept_quality};

/// Where the IDE's files are served.
pub(crate) const ASSETS_PATH: &str = "/_ide/{file}";

const SCRIPT: &[u8] = include_bytes!("../../assets/ide/ide.js");
const STYLE: &[u8] = include_bytes!("../../assets/ide/ide.css");
const LICENCES: &[u8] = include_bytes!("../../assets/ide/licenses.txt");

/// Own scripts, styles and API only. GraphiQL's stylesheet carries its fonts and icons as `data:`
/// URLs, and React sets element styles through the DOM, which the policy does not restrict.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Whether a GET is a browser opening the endpoint: it prefers `text/html` to JSON and sends none
/// of the GraphQL request parameters, so no GraphQL client can mean it as a request.
pub(crate) fn wants_page(headers: &HeaderMap, raw_query: Option<&str>) -> bool {
    let Some(html) = accept_quality(headers, "text/html").filter(|q| *q > 0.0) else {
        return false;
    };
    let json = ["application/json", "application/graphql-response+json"]
        .iter()
        .filter_map(|media| accept_quality(headers, media))
        .fold(0.0_f32, f32::max);
    let has_query = serde_urlencoded::from_str::<Vec<(String, String)>>(raw_query.unwrap_or(""))
        .map_or(true, |pairs| {
            pairs.iter().any(|(name, _)| {
                ["query", "variables", "operationName", "extensions"].contains(&name.as_str())
            })
        });
    html > json && !has_query
}

/// The IDE page of `endpoint`.
pub(crate) fn page(endpoint: Endpoint) -> Response {
    let (kind, title, default_query) = match endpoint {
        Endpoint::Storefront => (
            "storefront",
            "Clientele storefront GraphQL",
            STOREFRONT_QUERY,
        ),
        Endpoint::Admin => ("admin", "Clientele admin GraphQL", ADMIN_QUERY),
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n\
         <link rel=\"stylesheet\" href=\"/_ide/ide.css\">\n</head>\n\
         <body>\n<div id=\"ide\" data-kind=\"{kind}\" data-default-query=\"{query}\"></div>\n\
         <noscript>The GraphQL IDE needs JavaScript. GraphQL clients POST to this address.</noscript>\n\
         <script src=\"/_ide/ide.js\"></script>\n</body>\n</html>\n",
        query = clientele_kernel::text::escape_html(default_query),
    );
    with_page_headers(
        (StatusCode::OK, html).into_response(),
        "text/html; charset=utf-8",
        "no-store",
    )
}

/// `GET /_ide/{file}`: the IDE's script, stylesheet and the licences of what they bundle.
pub(crate) async fn asset(Path(file): Path<String>) -> Response {
    let (body, content_type) = match file.as_str() {
        "ide.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        "ide.css" => (STYLE, "text/css; charset=utf-8"),
        "licenses.txt" => (LICENCES, "text/plain; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    // The files change only with the binary; an hour keeps reloads cheap and upgrades quick.
    with_page_headers(
        (StatusCode::OK, body).into_response(),
        content_type,
        "public, max-age=3600",
    )
}

fn with_page_headers(
    mut response: Response,
    content_type: &'static str,
    cache: &'static str,
) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

const STOREFRONT_QUERY: &str =
    "# Clientele storefront GraphQL: the customer part of Adobe Commerce's storefront API.
# Set the store view code above; paste a customer token to query `customer`.

{
  storeConfig {
    store_code
  }
}
";

const ADMIN_QUERY: &str = "# Clientele admin GraphQL. Paste a staff or integration token above.

{
  customers(pageSize: 5) {
    items {
      id
      email
    }
  }
}
";

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    #[test]
    fn a_browser_navigation_wants_the_page_and_clients_do_not() {
        let chromium = accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        );
        assert!(wants_page(&chromium, None));
        assert!(wants_page(&chromium, Some("")));
        assert!(!wants_page(&chromium, Some("query=%7B__typename%7D")));
        assert!(!wants_page(&chromium, Some("operationName=Q")));
        assert!(!wants_page(&accept("application/json"), None));
        assert!(!wants_page(&accept("*/*"), None));
        assert!(!wants_page(
            &accept("application/graphql-response+json, text/html;q=0.5"),
            None
        ));
        assert!(!wants_page(&HeaderMap::new(), None));
    }

    #[test]
    fn the_embedded_assets_are_the_built_bundle() {
        assert!(SCRIPT.len() > 100_000, "the GraphiQL bundle");
        assert!(String::from_utf8_lossy(STYLE).contains(".graphiql-container"));
        assert!(String::from_utf8_lossy(LICENCES).contains("graphiql 3.8.3"));
    }
}
