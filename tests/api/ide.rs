//! The GraphQL IDE: a browser opening either endpoint gets GraphiQL, served with its own files
//! under a policy that allows nothing from other hosts; GraphQL clients never see it.

use clientele_tests::db_test;

const BROWSER_ACCEPT: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

db_test!(a_browser_opening_an_endpoint_gets_the_ide, |app| {
    for (path, kind) in [("/graphql", "storefront"), ("/admin/graphql", "admin")] {
        let page = app.get(path, &[], &[("Accept", BROWSER_ACCEPT)]).await;
        assert_eq!(page.status(), 200, "{path}");
        let header = |name: &str| {
            page.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("content-type"), "text/html; charset=utf-8");
        let policy = header("content-security-policy");
        assert!(policy.contains("default-src 'none'"), "{policy}");
        assert!(policy.contains("script-src 'self';"), "{policy}");
        assert!(policy.contains("connect-src 'self';"), "{policy}");
        assert!(!policy.contains("http"), "no other host: {policy}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("x-frame-options"), "DENY");
        let html = page.text().await.expect("html");
        assert!(html.contains(&format!("data-kind=\"{kind}\"")), "{html}");
        assert!(html.contains("<script src=\"/_ide/ide.js\"></script>"));
        assert!(
            !html.contains("//"),
            "every asset is this server's own: {html}"
        );
    }
    for (file, content_type, needle) in [
        ("ide.js", "text/javascript; charset=utf-8", "graphiql"),
        ("ide.css", "text/css; charset=utf-8", ".graphiql-container"),
        (
            "licenses.txt",
            "text/plain; charset=utf-8",
            "graphiql 3.8.3 (MIT)",
        ),
    ] {
        let asset = app.get(&format!("/_ide/{file}"), &[], &[]).await;
        assert_eq!(asset.status(), 200, "{file}");
        assert_eq!(
            asset.headers()["content-type"].to_str().expect("type"),
            content_type
        );
        assert!(asset.text().await.expect("text").contains(needle), "{file}");
    }
    assert_eq!(app.get("/_ide/secret.txt", &[], &[]).await.status(), 404);
});

db_test!(graphql_clients_never_get_the_ide, |app| {
    // A GET with a query is a GraphQL request, whatever the browser accepts.
    let answer = app
        .get(
            "/graphql",
            &[("query", "{ storeConfig { store_code } }")],
            &[("Accept", BROWSER_ACCEPT)],
        )
        .await;
    assert_eq!(answer.status(), 200);
    let body: serde_json::Value = answer.json().await.expect("json");
    assert_eq!(body["data"]["storeConfig"]["store_code"], "default");
    for accept in [
        "application/json",
        "*/*",
        "application/graphql-response+json",
    ] {
        let response = app.get("/graphql", &[], &[("Accept", accept)]).await;
        let content_type = response.headers()["content-type"]
            .to_str()
            .expect("type")
            .to_owned();
        assert!(
            !content_type.starts_with("text/html"),
            "{accept}: {content_type}"
        );
    }
});

db_test!(
    the_ide_can_be_turned_off,
    settings | s | {
        s.graphql_ide = Some(false);
    },
    |app| {
        let page = app
            .get("/graphql", &[], &[("Accept", BROWSER_ACCEPT)])
            .await;
        let content_type = page.headers()["content-type"]
            .to_str()
            .expect("type")
            .to_owned();
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert_eq!(app.get("/_ide/ide.js", &[], &[]).await.status(), 404);
    }
);
