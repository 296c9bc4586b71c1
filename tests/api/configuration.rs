//! Scoped configuration through the admin API, and its effect on the storefront.

use clientele_tests::{db_test, error_ext, error_message};
use serde_json::json;

db_test!(values_resolve_by_scope_and_reset_to_inherit, |app| {
    let token = app.root_token().await;
    let set = "mutation($scope: ConfigScopeInput!, $values: [ConfigurationValueInput!]!) { setConfiguration(input: {scope: $scope, values: $values}) { path value origin } }";
    let (_, site) = app
        .admin(Some(&token), set, json!({ "scope": {"type": "WEBSITE", "code": "base"}, "values": [{"path": "customer/address/street_lines", "value": "3"}] }))
        .await;
    assert_eq!(
        site["data"]["setConfiguration"][0]["origin"], "WEBSITE",
        "{site}"
    );
    let (_, read) = app
        .admin(Some(&token), "{ configuration(scope: {type: STORE_VIEW, code: \"default\"}, paths: [\"customer/address/street_lines\", \"customer/password/minimum_password_length\"]) { path value origin } }", json!({}))
        .await;
    let values = read["data"]["configuration"].as_array().expect("values");
    assert!(
        values
            .iter()
            .any(|v| v["path"] == "customer/address/street_lines"
                && v["value"] == "3"
                && v["origin"] == "WEBSITE")
    );
    assert!(
        values
            .iter()
            .any(|v| v["path"] == "customer/password/minimum_password_length"
                && v["value"] == "8"
                && v["origin"] == "SYSTEM")
    );
    let (_, storefront) = app
        .storefront("{ storeConfig { customer_address_street_lines } }")
        .await;
    assert_eq!(
        storefront["data"]["storeConfig"]["customer_address_street_lines"],
        3
    );
    let (_, reset) = app
        .admin(Some(&token), "mutation { resetConfiguration(input: {scope: {type: WEBSITE, code: \"base\"}, paths: [\"customer/address/street_lines\"]}) { value origin } }", json!({}))
        .await;
    assert_eq!(reset["data"]["resetConfiguration"][0]["value"], "2");
    assert_eq!(reset["data"]["resetConfiguration"][0]["origin"], "SYSTEM");
});

db_test!(invalid_values_are_refused_and_change_nothing, |app| {
    let token = app.root_token().await;
    let (_, body) = app
        .admin(
            Some(&token),
            "mutation { setConfiguration(input: {scope: {type: DEFAULT}, values: [{path: \"customer/password/lockout_failures\", value: \"3\"}, {path: \"customer/password/reset_link_expiration_period\", value: \"0\"}]}) { value } }",
            json!({}),
        )
        .await;
    assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT");
    assert_eq!(
        error_message(&body),
        "\"Recovery Link Expiration Period (hours)\" must be a whole number, 1 or greater."
    );
    let (_, read) = app.admin(Some(&token), "{ configuration(scope: {type: DEFAULT}, paths: [\"customer/password/lockout_failures\"]) { value } }", json!({})).await;
    assert_eq!(
        read["data"]["configuration"][0]["value"], "10",
        "the valid value of the batch was not written either"
    );
    let (_, scope) = app
        .admin(Some(&token), "mutation { setConfiguration(input: {scope: {type: WEBSITE, code: \"base\"}, values: [{path: \"customer/account_share/scope\", value: \"0\"}]}) { value } }", json!({}))
        .await;
    assert_eq!(error_ext(&scope, "field"), "scope");
    let (_, group) = app
        .admin(Some(&token), "mutation { setConfiguration(input: {scope: {type: DEFAULT}, values: [{path: \"customer/create_account/default_group\", value: \"77\"}]}) { value } }", json!({}))
        .await;
    assert_eq!(error_ext(&group, "code"), "BAD_USER_INPUT");
    let (_, unknown) = app
        .admin(
            Some(&token),
            "{ configuration(scope: {type: WEBSITE, code: \"nope\"}) { value } }",
            json!({}),
        )
        .await;
    assert_eq!(error_ext(&unknown, "code"), "NOT_FOUND");
    let (_, nul) = app
        .admin(Some(&token), "mutation { setConfiguration(input: {scope: {type: DEFAULT}, values: [{path: \"customer/create_account/email_domain\", value: \"a\\u0000b\"}]}) { value } }", json!({}))
        .await;
    assert_eq!(error_ext(&nul, "code"), "BAD_USER_INPUT", "{nul}");
});

db_test!(the_option_catalogue_lists_every_reference_option, |app| {
    let token = app.root_token().await;
    let (_, body) = app
        .admin(Some(&token), "{ configurationOptions(group: \"Password Options\") { path label scope type default_value min max choices { value label } } }", json!({}))
        .await;
    let options = body["data"]["configurationOptions"]
        .as_array()
        .expect("options");
    // Adobe Commerce's thirteen, and Clientele's minimum password strength.
    assert_eq!(options.len(), 14, "{body}");
    let min_length = options
        .iter()
        .find(|o| o["path"] == "customer/password/minimum_password_length")
        .expect("min length");
    assert_eq!(min_length["label"], "Minimum Password Length");
    assert_eq!(min_length["scope"], "GLOBAL");
    assert_eq!(min_length["default_value"], "8");
    assert_eq!(min_length["min"], "1");
    let protection = options
        .iter()
        .find(|o| o["path"] == "customer/password/password_reset_protection_type")
        .expect("protection");
    assert_eq!(protection["choices"].as_array().expect("choices").len(), 4);
});
