//! GraphQL over HTTP rules shared by both endpoints.

use clientele_tests::{Backend, TestApp, db_test, error_ext, error_message};
use serde_json::json;

db_test!(health_and_readiness_answer, |app| {
    let health = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let ready = app
        .http
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200);
});

db_test!(mutations_over_get_are_refused_on_both_endpoints, |app| {
    for path in ["/graphql", "/admin/graphql"] {
        let response = app
            .get(
                path,
                &[(
                    "query",
                    "mutation { generateStaffToken(email: \"a@b.co\", password: \"x\") { token } }",
                )],
                &[],
            )
            .await;
        assert_eq!(response.status(), 405, "{path}");
        assert_eq!(response.headers()["allow"], "POST");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(
            error_message(&body),
            "Mutation requests allowed only for POST requests"
        );
    }
    let (_, body) = app.storefront("{ storeConfig { store_code } }").await;
    assert_eq!(body["data"]["storeConfig"]["store_code"], "default");
});

#[tokio::test]
async fn only_json_bodies_are_accepted() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let response = app
            .http
            .post(format!("{}/admin/graphql", app.base))
            .header("content-type", content_type)
            .body(r#"{"query":"mutation { generateStaffToken(email: \"a@b.co\", password: \"x\") { token } }"}"#)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 415, "{content_type}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(
            error_message(&body),
            "Request content type must be application/json"
        );
        assert_eq!(error_ext(&body, "code"), "BAD_REQUEST");
    }
    let no_type = app
        .http
        .post(format!("{}/graphql", app.base))
        .body(r#"{"query":"{__typename}"}"#)
        .send()
        .await
        .expect("post");
    assert_eq!(no_type.status(), 415);
    app.finish().await;
}

#[tokio::test]
async fn batches_bad_json_syntax_errors_and_oversized_bodies_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let batch: Vec<_> = (0..10)
        .map(|_| json!({"query": "{ __typename }"}))
        .collect();
    let (status, body) = app.post("/graphql", json!(batch), &[]).await;
    assert_eq!(status, 400);
    assert!(body.is_object(), "one error object, not a batch of results");
    let bad = app
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .expect("post");
    assert_eq!(bad.status(), 400);
    let bad: serde_json::Value = bad.json().await.expect("json");
    assert_eq!(error_message(&bad), "Unable to parse the request.");
    let (status, body) = app.storefront("{ storeConfig { ").await;
    assert_eq!(status, 400);
    assert_eq!(error_ext(&body, "category"), "graphql");
    let huge = format!(
        r#"{{"query":"{{ __typename }}","variables":{{"x":"{}"}}}}"#,
        "a".repeat(5 * 1024 * 1024)
    );
    let response = app
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(error_message(&body), "Request body is too large.");
    let put = app
        .http
        .put(format!("{}/graphql", app.base))
        .send()
        .await
        .expect("put");
    assert_eq!(put.status(), 405);
    app.finish().await;
}

#[tokio::test]
async fn responses_carry_safety_headers_and_a_request_id() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    for query in ["{ storeConfig { store_code } }", "{ nope }"] {
        let response = app
            .http
            .post(format!("{}/graphql", app.base))
            .json(&json!({ "query": query }))
            .send()
            .await
            .expect("post");
        let headers = response.headers();
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(
            headers["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("application/json")
        );
        assert!(!headers["x-request-id"].is_empty());
    }
    app.finish().await;
}

#[tokio::test]
async fn depth_complexity_alias_and_directive_limits_hold() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.storefront_max_depth = 3;
        s.storefront_max_complexity = 20;
        s.max_aliases = 5;
    })
    .await
    .expect("app");
    let (_, deep) = app
        .storefront("{ __schema { types { fields { type { name } } } } }")
        .await;
    assert!(error_message(&deep).contains("nested"), "depth: {deep}");
    let many: String = (0..25).map(|i| format!(" f{i}: __typename")).collect();
    let (_, costly) = app.storefront(&format!("{{ {many} }}")).await;
    assert!(
        error_message(&costly).contains("aliases") || error_message(&costly).contains("complex"),
        "{costly}"
    );
    let fields: String = (0..25).map(|_| " storeConfig { store_code }").collect();
    let (_, complex) = app.storefront(&format!("{{ {fields} }}")).await;
    assert!(
        error_message(&complex).to_lowercase().contains("complex"),
        "{complex}"
    );
    let few: String = (0..5).map(|i| format!(" f{i}: __typename")).collect();
    let (_, ok) = app.storefront(&format!("{{ {few} }}")).await;
    assert_eq!(ok["data"]["f4"], "Query");
    let directives: String = (0..50).map(|_| "@skip(if: false)").collect();
    let (_, body) = app
        .storefront(&format!("{{ __typename {directives} }}"))
        .await;
    assert!(body["errors"].is_array(), "{body}");
    let (_, cycle) = app
        .storefront("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
        .await;
    assert!(cycle["errors"].is_array());
    let health = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    app.finish().await;
}

#[tokio::test]
async fn introspection_can_be_switched_off_per_endpoint() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.storefront_introspection = Some(false)
    })
    .await
    .expect("app");
    let (_, body) = app.storefront("{ __schema { types { name } } }").await;
    assert_eq!(
        error_message(&body),
        "GraphQL introspection is not allowed.",
        "{body}"
    );
    let (_, typo) = app.storefront("{ storeConfi { store_code } }").await;
    assert!(!error_message(&typo).contains("Did you mean"), "{typo}");
    let (_, admin) = app
        .admin(None, "{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(admin["data"]["__schema"]["queryType"]["name"], "Query");
    app.finish().await;
}

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.cors_origins = "https://shop.example".into()
    })
    .await
    .expect("app");
    let preflight = |origin: &'static str| {
        app.http
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,store,content-type",
            )
            .send()
    };
    let ok = preflight("https://shop.example").await.expect("preflight");
    assert!(ok.status().is_success());
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let allowed = ok.headers()["access-control-allow-headers"]
        .to_str()
        .expect("headers")
        .to_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("store"));
    let evil = preflight("https://evil.example").await.expect("preflight");
    assert!(evil.headers().get("access-control-allow-origin").is_none());
    app.finish().await;
}

db_test!(
    metrics_count_requests_by_operation_on_their_own_listener,
    |app| {
        app.storefront("{ storeConfig { store_code } }").await;
        // Invented root fields are one `unknown` series, never a series each.
        for n in 0..5 {
            app.storefront(&format!("{{ made_up_field_{n} }}")).await;
        }
        app.storefront("{ __typename }").await;
        let public = app
            .http
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .expect("public");
        assert_eq!(
            public.status(),
            404,
            "metrics are not on the public listener"
        );
        let metrics_base = app.metrics_base.as_deref().expect("metrics listener");
        let text = app
            .http
            .get(format!("{metrics_base}/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text");
        assert!(text.contains("graphql_requests_total{endpoint=\"storefront\",operation=\"storeConfig\",outcome=\"ok\"}"), "{text}");
        assert!(text.contains("operation=\"unknown\""), "{text}");
        assert!(text.contains("operation=\"introspection\""), "{text}");
        assert!(!text.contains("made_up_field"), "{text}");
        assert!(text.contains("graphql_request_duration_seconds_bucket"));
        assert!(text.contains("db_pool_connections"));
    }
);

db_test!(
    the_graphql_response_media_type_is_negotiated_with_its_statuses,
    |app| {
        let send = |path: &'static str, accept: &'static str, body: serde_json::Value| {
            let request = app
                .http
                .post(format!("{}{path}", app.base))
                .header("Accept", accept)
                .json(&body);
            async move {
                let response = request.send().await.expect("request");
                let status = response.status().as_u16();
                let media = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                (status, media)
            }
        };
        const MEDIA: &str = "application/graphql-response+json";
        let ok = json!({"query": "{ __typename }"});
        let unparsable = json!({"query": "{"});
        let invalid = json!({"query": "{ nope }"});
        let uncoerced = json!({"query": "query($n: Int!) { __typename }", "variables": {"n": "x"}});
        for path in ["/graphql", "/admin/graphql"] {
            let (status, media) = send(path, MEDIA, ok.clone()).await;
            assert_eq!(status, 200, "{path}");
            assert!(media.starts_with(MEDIA), "{path}: {media}");
            // Preferred over application/json only when its quality is at least as high.
            let (_, media) = send(
                path,
                "application/json, application/graphql-response+json;q=0.5",
                ok.clone(),
            )
            .await;
            assert!(media.starts_with("application/json"), "{path}: {media}");
            for body in [&unparsable, &invalid, &uncoerced] {
                let (status, media) = send(path, MEDIA, body.clone()).await;
                assert_eq!(status, 400, "{path} {body}");
                assert!(media.starts_with(MEDIA), "{path}: {media}");
            }
            let (status, _) = send(path, "application/json", invalid.clone()).await;
            assert_eq!(status, 200, "{path}: a validation error in classic JSON");
            for extensions in [json!("x"), json!(1), json!([1])] {
                let (status, body) = app
                    .post(
                        path,
                        json!({"query": "{ __typename }", "extensions": extensions}),
                        &[],
                    )
                    .await;
                assert_eq!(
                    (status.as_u16(), error_message(&body)),
                    (400, "Unable to parse the extensions."),
                    "{path}"
                );
            }
            let (status, _) = app
                .post(
                    path,
                    json!({"query": "{ __typename }", "extensions": {"k": 1}}),
                    &[],
                )
                .await;
            assert_eq!(status.as_u16(), 200);
        }
        // A document that cannot be parsed: 200 in classic JSON on the admin API, Adobe
        // Commerce's 400 on the storefront.
        assert_eq!(
            send("/admin/graphql", "application/json", unparsable.clone())
                .await
                .0,
            200
        );
        assert_eq!(
            send("/graphql", "application/json", unparsable).await.0,
            400
        );
    }
);

#[tokio::test]
async fn the_directive_limit_counts_the_directives_of_a_field() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.max_directives = 1)
        .await
        .expect("app");
    // Two valid directives on one field: refused by the limit alone.
    let (_, body) = app
        .storefront("{ __typename @skip(if: false) @include(if: true) }")
        .await;
    assert!(
        error_message(&body).contains("number of directives on the field"),
        "{body}"
    );
    let (_, body) = app.storefront("{ __typename @include(if: true) }").await;
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
    // Fifty unknown directives are refused quickly, and the server keeps serving.
    let many: String = (0..50).map(|_| "@aa").collect();
    let started = std::time::Instant::now();
    let (_, body) = app.storefront(&format!("{{ __typename {many} }}")).await;
    assert!(body["errors"].is_array(), "{body}");
    assert!(started.elapsed() < std::time::Duration::from_millis(500));
    app.finish().await;
}

#[tokio::test]
async fn deeply_nested_list_values_are_refused_without_harm() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let open = "[".repeat(10_000);
    let close = "]".repeat(10_000);
    let (status, body) = app
        .storefront(&format!(
            "{{ isEmailAvailable(email: {open}\"a@example.com\"{close}) {{ is_email_available }} }}"
        ))
        .await;
    assert!(status.as_u16() < 500, "{status}: {body}");
    assert!(body["errors"].is_array(), "{body}");
    let (status, body) = app.storefront("{ __typename }").await;
    assert_eq!(
        (status.as_u16(), &body["data"]["__typename"]),
        (200, &json!("Query"))
    );
    app.finish().await;
}

db_test!(
    a_request_past_its_time_is_abandoned_and_frees_what_it_held,
    settings | s | {
        s.request_timeout_secs = 1;
        s.hash_concurrency = 1;
        s.sign_in_failures_per_client = 0;
        s.db_max_connections = 2;
    },
    |app| {
        // Eighty sign-ins at once, each a password hash on a pool of one: the last ones wait
        // far longer than a second.
        let waiting: Vec<_> = (0..80)
            .map(|i| {
                let started = std::time::Instant::now();
                let task = app.post_in_background(
                    "/graphql",
                    "mutation($e: String!) { generateCustomerToken(email: $e, password: \"Wrong-Pass-1\") { token } }",
                    json!({ "e": format!("slow{i}@example.com") }),
                    &[],
                );
                (started, task)
            })
            .collect();
        let mut timed_out = 0;
        for (started, task) in waiting {
            let (status, _) = task.await.expect("join");
            if status.as_u16() == 504 {
                timed_out += 1;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_millis(2_500),
                "answered within the timeout and a second"
            );
        }
        assert!(timed_out > 0, "some requests outlived the timeout");
        // Nothing was left holding a connection or a hashing slot.
        for _ in 0..20 {
            let (status, body) = app.storefront("{ storeConfig { store_code } }").await;
            assert_eq!(status.as_u16(), 200, "{body}");
        }
        let (status, _) = app
            .storefront("mutation { generateCustomerToken(email: \"after@example.com\", password: \"Wrong-Pass-1\") { token } }")
            .await;
        assert_eq!(status.as_u16(), 401);
    }
);
