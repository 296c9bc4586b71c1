//! The production profile and the signing keys at rest: keys sealed with the operator's
//! key-encryption key (a database backup alone mints nothing), its rotation, and a profile that
//! refuses to start without what production needs and closes introspection, suggestions and
//! the IDE unless they are opened explicitly.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clientele_gateway::config::Profile;
use clientele_tests::{Backend, TestApp, db_test, error_message};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

fn kek(byte: u8) -> String {
    // Distinct bytes, so no key is a placeholder.
    STANDARD.encode(
        (0..32u8)
            .map(|i| i.wrapping_mul(7).wrapping_add(byte))
            .collect::<Vec<_>>(),
    )
}

async fn stored_private_keys(app: &TestApp) -> Vec<String> {
    let db = &app.services.db;
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT private_key FROM signing_keys ORDER BY kid",
    ))
    .await
    .expect("keys")
    .iter()
    .map(|row| row.try_get::<String>("", "private_key").expect("column"))
    .collect()
}

db_test!(
    signing_keys_are_sealed_at_rest_and_survive_a_kek_rotation,
    settings | s | {
        s.key_encryption_key = Some(kek(1).into());
    },
    |app| {
        let token = app.root_token().await;
        let stored = stored_private_keys(app).await;
        assert!(!stored.is_empty());
        for value in &stored {
            assert!(value.starts_with("kek1:"), "sealed: {value}");
            assert!(
                STANDARD.decode(value).is_err(),
                "not the plain PKCS#8 of before"
            );
        }

        // A node with another KEK cannot open the keys and refuses to start.
        let err = app
            .another_node_with(|s| s.key_encryption_key = Some(kek(2).into()))
            .await
            .err()
            .expect("refused");
        assert!(format!("{err:#}").contains("not configured"), "{err:#}");

        // Rotating: the new KEK with the old one as previous seals everything again.
        let rotated = app
            .another_node_with(|s| {
                s.key_encryption_key = Some(kek(2).into());
                s.previous_key_encryption_keys = kek(1).into();
            })
            .await
            .expect("rotating node");
        let resealed = stored_private_keys(app).await;
        assert_eq!(resealed.len(), stored.len());
        assert!(resealed.iter().all(|v| v.starts_with("kek1:")));
        assert!(resealed.iter().zip(&stored).all(|(new, old)| new != old));
        // Tokens signed before the rotation still work, and the new node signs new ones.
        let (_, body) = rotated
            .admin(Some(&token), "{ staffUsers { total_count } }", json!({}))
            .await;
        assert!(body["errors"].is_null(), "{body}");
        rotated.sign_in("root@example.com").await;
        // The old KEK alone no longer opens them.
        let err = app
            .another_node_with(|s| s.key_encryption_key = Some(kek(1).into()))
            .await
            .err()
            .expect("refused");
        assert!(format!("{err:#}").contains("not configured"), "{err:#}");
        rotated.finish().await;
    }
);

#[tokio::test]
async fn the_production_profile_refuses_to_start_without_a_key_encryption_key() {
    let err = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.profile = Profile::Production;
        s.key_encryption_key = None;
        s.allow_insecure_database = true;
    })
    .await
    .err()
    .expect("refused");
    assert!(format!("{err:#}").contains("key-encryption key"), "{err:#}");
    let err = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.profile = Profile::Production;
        s.key_encryption_key = Some(STANDARD.encode([0u8; 32]).into());
        s.allow_insecure_database = true;
    })
    .await
    .err()
    .expect("refused");
    assert!(format!("{err:#}").contains("placeholder"), "{err:#}");
    let err = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.profile = Profile::Production;
        s.key_encryption_key = Some(kek(3).into());
    })
    .await
    .err()
    .expect("refused");
    assert!(format!("{err:#}").contains("needs PostgreSQL"), "{err:#}");
}

#[tokio::test]
async fn the_production_profile_closes_introspection_suggestions_and_the_ide() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.profile = Profile::Production;
        s.key_encryption_key = Some(kek(4).into());
        s.allow_insecure_database = true;
    })
    .await
    .expect("app");
    let (_, body) = app.storefront("{ __schema { queryType { name } } }").await;
    assert_eq!(
        error_message(&body),
        "GraphQL introspection is not allowed."
    );
    let token = app.root_token().await;
    let (_, body) = app
        .admin(
            Some(&token),
            "{ __type(name: \"Customer\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(
        error_message(&body),
        "GraphQL introspection is not allowed."
    );
    let (_, body) = app.storefront("{ storeConfg { store_code } }").await;
    assert!(!error_message(&body).contains("Did you mean"), "{body}");
    let page = app.get("/graphql", &[], &[("Accept", "text/html")]).await;
    let html = page.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/html");
    assert!(!html, "no IDE in production");
    app.finish().await;
}
