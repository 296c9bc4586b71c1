//! The storefront dialect: storeConfig, the Store header, customerGroup, token handling.

use clientele_tests::{TestApp, db_test, error_ext, error_message};
use serde_json::json;

db_test!(
    store_config_serves_documented_defaults_with_adobe_commerce_types,
    |app| {
        let (status, body) = app
        .storefront(
            "{ storeConfig { store_code store_name store_group_code website_code locale \
               minimum_password_length required_character_classes_number customer_access_token_lifetime \
               create_account_confirmation graphql_share_customer_group newsletter_enabled \
               autocomplete_on_storefront customer_address_street_lines customer_address_telephone_show \
               share_customer_accounts_scope customer_startup_redirect_dashboard default_country } }",
        )
        .await;
        assert_eq!(status, 200);
        let c = &body["data"]["storeConfig"];
        assert_eq!(c["store_code"], "default");
        assert_eq!(c["store_name"], "Default Store View");
        assert_eq!(c["store_group_code"], "main_website_store");
        assert_eq!(c["website_code"], "base");
        assert_eq!(c["minimum_password_length"], "8");
        assert_eq!(c["required_character_classes_number"], "3");
        assert_eq!(c["customer_access_token_lifetime"], 1.0);
        assert_eq!(c["create_account_confirmation"], false);
        assert_eq!(c["graphql_share_customer_group"], true);
        assert_eq!(c["newsletter_enabled"], true);
        assert_eq!(c["autocomplete_on_storefront"], false);
        assert_eq!(c["customer_address_street_lines"], 2);
        assert_eq!(c["customer_address_telephone_show"], "req");
        assert_eq!(c["share_customer_accounts_scope"], 1);
        assert_eq!(c["customer_startup_redirect_dashboard"], true);
        assert_eq!(c["default_country"], "US");
    }
);

db_test!(queries_work_over_get_with_json_variables, |app| {
    let response = app
        .get(
            "/graphql",
            &[
                (
                    "query",
                    "query Q($x: Boolean!) { storeConfig @include(if: $x) { store_code } }",
                ),
                ("variables", "{\"x\":true}"),
                ("operationName", "Q"),
            ],
            &[("authorization", "")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["data"]["storeConfig"]["store_code"], "default");
});

db_test!(the_store_header_picks_the_store_view, |app| {
    let token = app.root_token().await;
    let (_, created) = app
        .admin(Some(&token), "mutation { createStoreView(input: {group_id: 1, code: \"french\", name: \"French\"}) { id } }", json!({}))
        .await;
    assert!(
        created["data"]["createStoreView"]["id"].is_number(),
        "{created}"
    );
    app.admin(
        Some(&token),
        "mutation { setConfiguration(input: {scope: {type: STORE_VIEW, code: \"french\"}, values: [{path: \"general/locale/code\", value: \"fr_FR\"}]}) { value } }",
        json!({}),
    )
    .await;
    let (_, fr) = app
        .storefront_with(
            "{ storeConfig { store_code locale } }",
            &[("Store", "french")],
        )
        .await;
    assert_eq!(fr["data"]["storeConfig"]["store_code"], "french");
    assert_eq!(fr["data"]["storeConfig"]["locale"], "fr_FR");
    let (_, lower) = app
        .storefront_with("{ storeConfig { locale } }", &[("store", "default")])
        .await;
    assert_eq!(lower["data"]["storeConfig"]["locale"], "en_US");
    let (status, unknown) = app
        .storefront_with("{ storeConfig { store_code } }", &[("Store", "nope")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(error_message(&unknown), "Requested store is not found");
    assert_eq!(error_ext(&unknown, "category"), "graphql-input");
});

db_test!(guests_are_in_group_zero_unless_sharing_is_off, |app| {
    let (_, body) = app
        .storefront("query CustomerGroup { customerGroup { uid } }")
        .await;
    assert_eq!(body["data"]["customerGroup"]["uid"], "MA==");
    let token = app.root_token().await;
    app.admin(
        Some(&token),
        "mutation { setConfiguration(input: {scope: {type: DEFAULT}, values: [{path: \"customer/account_information/graphql_share_customer_group\", value: \"0\"}]}) { value } }",
        json!({}),
    )
    .await;
    let (status, off) = app.storefront("{ customerGroup { uid } }").await;
    assert_eq!(status, 200);
    assert_eq!(
        error_message(&off),
        "Sharing customer group information is disabled or not configured."
    );
    let (_, config) = app
        .storefront("{ storeConfig { graphql_share_customer_group } }")
        .await;
    assert_eq!(
        config["data"]["storeConfig"]["graphql_share_customer_group"],
        false
    );
});

db_test!(a_bad_bearer_token_is_401_even_on_public_queries, |app| {
    let (status, body) = app
        .storefront_with(
            "{ storeConfig { store_code } }",
            &[("Authorization", "Bearer invalid_token")],
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(error_message(&body), "Failed to read JWT token");
    assert_eq!(error_ext(&body, "category"), "graphql-authentication");
    let response = app
        .get(
            "/graphql",
            &[("query", "{ customerGroup { uid } }")],
            &[("Authorization", "Bearer invalid_token")],
        )
        .await;
    assert_eq!(response.status(), 401);
    // Adobe Commerce takes admin tokens on the storefront (for generateCustomerTokenAsAdmin), but
    // they are not a shopper's.
    let staff = app.root_token().await;
    let bearer = format!("Bearer {staff}");
    let (status, body) = app
        .storefront_with("{ customer { email } }", &[("Authorization", &bearer)])
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        error_message(&body),
        "The current customer isn't authorized."
    );
    let (status, body) = app
        .storefront_with("{ customerGroup { uid } }", &[("Authorization", &bearer)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .storefront_with("{ customerGroup { uid } }", &[("Authorization", "")])
        .await;
    assert_eq!(status, 200, "an empty header is a guest");
});

#[tokio::test]
async fn unknown_fields_get_the_graphql_category() {
    let app = TestApp::spawn(clientele_tests::Backend::Sqlite)
        .await
        .expect("app");
    let (status, body) = app.storefront("{ storeConfig { no_such_field } }").await;
    assert_eq!(status, 200);
    assert_eq!(error_ext(&body, "category"), "graphql");
    app.finish().await;
}
