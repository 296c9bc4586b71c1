//! Login as Customer: the three gates (enabled, permitted, consented), the token storefronts read
//! the "logged in as" banner from, what such a session may not do, one-time codes, and the log.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clientele_tests::{TestApp, db_test, error_ext, error_message};
use serde_json::{Value, json};

const PASSWORD: &str = "Sunny-Day-42";
const DISABLED: &str = "Login as Customer is disabled..";
const NOT_AUTHORIZED: &str = "The current customer isn't authorized.";
const NOT_ALLOWED: &str = "This operation is not allowed while logged in as the customer.";
const SIGN_IN_FAILED: &str = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.";
const AS_ADMIN: &str = "mutation($e: String!) { generateCustomerTokenAsAdmin(input: {customer_email: $e}) { customer_token } }";

/// Registers a shopper through the storefront and returns their id.
async fn register(app: &TestApp, email: &str, consent: bool) -> i64 {
    let (_, body) = app
        .shopper(
            None,
            "mutation($e: String!, $p: String!, $c: Boolean) { createCustomerV2(input: {firstname: \"Ann\", lastname: \"Lee\", email: $e, password: $p, allow_remote_shopping_assistance: $c}) { customer { email allow_remote_shopping_assistance } } }",
            json!({"e": email, "p": PASSWORD, "c": consent}),
        )
        .await;
    assert_eq!(
        body["data"]["createCustomerV2"]["customer"]["allow_remote_shopping_assistance"], consent,
        "{body}"
    );
    let admin = app.root_token().await;
    app.customer_id(&admin, email).await
}

async fn own_token(app: &TestApp, email: &str) -> String {
    let (_, body) = app
        .shopper(
            None,
            "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }",
            json!({"e": email, "p": PASSWORD}),
        )
        .await;
    body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// The storefront call with a staff bearer token.
async fn as_admin(app: &TestApp, bearer: &str, email: &str) -> (u16, Value) {
    app.shopper(Some(bearer), AS_ADMIN, json!({"e": email}))
        .await
}

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("json")
}

async fn log_lines(app: &TestApp, token: &str, filter: Value) -> (Value, Value) {
    let (_, body) = app
        .admin(
            Some(token),
            "query($f: LoginAsCustomerLogFilterInput) { loginAsCustomerLog(filter: $f, pageSize: 50) { total_count items { action result staff_user_id staff_user_email customer_id session_id ip reason details created_at } } }",
            json!({"f": filter}),
        )
        .await;
    (body["data"]["loginAsCustomerLog"]["items"].clone(), body)
}

db_test!(refused_unless_enabled_permitted_and_consented, |app| {
    register(app, "ann@example.com", true).await;
    register(app, "bob@example.com", false).await;
    let admin = app.root_token().await;

    let (status, body) = as_admin(app, &admin, "ann@example.com").await;
    assert_eq!((status, error_message(&body)), (403, DISABLED), "{body}");
    assert_eq!(error_ext(&body, "category"), "graphql-authorization");

    app.set_config("login_as_customer/general/enabled", "1")
        .await;
    let shopper = own_token(app, "ann@example.com").await;
    let (status, body) = as_admin(app, &shopper, "ann@example.com").await;
    assert_eq!(
        (status, error_message(&body)),
        (403, NOT_AUTHORIZED),
        "{body}"
    );
    let (status, body) = app
        .shopper(None, AS_ADMIN, json!({"e": "ann@example.com"}))
        .await;
    assert_eq!(
        (status, error_message(&body)),
        (403, NOT_AUTHORIZED),
        "{body}"
    );

    let clerk = app
        .staff_with_role("clerk@example.com", &["Magento_Customer::manage"], None)
        .await;
    let (status, body) = as_admin(app, &clerk, "ann@example.com").await;
    assert_eq!((status, error_message(&body)), (403, DISABLED), "{body}");

    let (status, body) = as_admin(app, &admin, "bob@example.com").await;
    assert_eq!(status, 403, "{body}");
    assert!(
        error_message(&body).contains("Allow remote shopping assistance"),
        "{body}"
    );
    let (_, body) = as_admin(app, &admin, "nobody@example.com").await;
    assert_eq!(
        error_message(&body),
        "Customer email provided does not exist"
    );
    let (_, body) = as_admin(app, &admin, "  ").await;
    assert_eq!(
        error_message(&body),
        "Specify the \"customer email\" value."
    );

    let (status, body) = as_admin(app, &admin, "ann@example.com").await;
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["generateCustomerTokenAsAdmin"]["customer_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    let payload = claims(&token);
    let admin_id = app.staff_id(&admin).await;
    assert_eq!(payload["admin_id"], admin_id, "{payload}");
    assert_eq!(payload["act"]["sub"], format!("staff:{admin_id}"));
    assert_eq!(payload["typ"], "assisted");
    assert_eq!(payload["utypid"], 3);
    let lifetime = payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap();
    assert_eq!(
        lifetime, 3600,
        "the session lifetime, 60 minutes by default"
    );
    let (status, me) = app
        .shopper(Some(&token), "{ customer { firstname email } }", json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(me["data"]["customer"]["email"], "ann@example.com", "{me}");

    // An assisted token is a customer token: the admin API does not take it.
    let (status, _) = app
        .admin(Some(&token), "{ currentStaffUser { id } }", json!({}))
        .await;
    assert_eq!(status.as_u16(), 401);
});

db_test!(
    an_assisted_session_cannot_touch_credentials_or_consent_and_is_logged,
    |app| {
        let ann = register(app, "ann@example.com", true).await;
        app.set_config("login_as_customer/general/enabled", "1")
            .await;
        let admin = app.root_token().await;
        let own = own_token(app, "ann@example.com").await;
        let (_, body) = as_admin(app, &admin, "ann@example.com").await;
        let token = body["data"]["generateCustomerTokenAsAdmin"]["customer_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned();

        for (query, variables) in [
            (
                "mutation { changeCustomerPassword(currentPassword: \"Sunny-Day-42\", newPassword: \"Other-Pass-77\") { email } }",
                json!({}),
            ),
            (
                "mutation { updateCustomerEmail(email: \"new@example.com\", password: \"Sunny-Day-42\") { customer { email } } }",
                json!({}),
            ),
            ("mutation { deleteCustomer }", json!({})),
            (
                "mutation { requestPasswordResetEmail(email: \"ann@example.com\") }",
                json!({}),
            ),
            (
                "mutation { updateCustomerV2(input: {allow_remote_shopping_assistance: false}) { customer { email } } }",
                json!({}),
            ),
            (
                "mutation { updateCustomerV2(input: {is_subscribed: true}) { customer { email } } }",
                json!({}),
            ),
            (
                "mutation { subscribeEmailToNewsletter(email: \"ann@example.com\") { status } }",
                json!({}),
            ),
        ] {
            let (status, body) = app.shopper(Some(&token), query, variables).await;
            assert_eq!(
                (status, error_message(&body)),
                (403, NOT_ALLOWED),
                "{query}: {body}"
            );
        }
        let (status, body) = app
            .shopper(
                Some(&token),
                "mutation { updateCustomerV2(input: {firstname: \"Anna\", allow_remote_shopping_assistance: true}) { customer { firstname } } }",
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["data"]["updateCustomerV2"]["customer"]["firstname"],
            "Anna"
        );
        // Each root field of a request gets its own outcome: the refused one does not hide the
        // change that happened.
        let (status, body) = app
            .shopper(
                Some(&token),
                "mutation { renamed: updateCustomerV2(input: {lastname: \"Leigh\"}) { customer { lastname } } changeCustomerPassword(currentPassword: \"Sunny-Day-42\", newPassword: \"Other-Pass-77\") { email } }",
                json!({}),
            )
            .await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(
            body["data"]["renamed"]["customer"]["lastname"], "Leigh",
            "{body}"
        );

        let (lines, body) = log_lines(app, &admin, json!({"customer_id": ann})).await;
        let actions: Vec<(&str, &str)> = lines
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|l| (l["action"].as_str().unwrap(), l["result"].as_str().unwrap()))
            .collect();
        let mut expected = vec![
            ("storefront:changeCustomerPassword", "FAILURE"),
            ("storefront:updateCustomerV2", "SUCCESS"),
            ("storefront:changeCustomerPassword", "ATTEMPT"),
            ("storefront:updateCustomerV2", "ATTEMPT"),
            ("storefront:updateCustomerV2", "SUCCESS"),
            ("storefront:updateCustomerV2", "ATTEMPT"),
        ];
        for name in [
            "storefront:subscribeEmailToNewsletter",
            "storefront:updateCustomerV2",
            "storefront:updateCustomerV2",
            "storefront:requestPasswordResetEmail",
            "storefront:deleteCustomer",
            "storefront:updateCustomerEmail",
            "storefront:changeCustomerPassword",
        ] {
            expected.push((name, "FAILURE"));
            expected.push((name, "ATTEMPT"));
        }
        expected.push(("login", "SUCCESS"));
        assert_eq!(actions, expected, "{body}");
        let admin_id = app.staff_id(&admin).await;
        for line in lines.as_array().unwrap() {
            assert_eq!(line["staff_user_id"], admin_id);
            assert_eq!(line["staff_user_email"], "root@example.com");
            assert_eq!(line["ip"], "127.0.0.1");
        }

        // Signing out of the assisted session ends it, and only it.
        let (_, out) = app
            .shopper(
                Some(&token),
                "mutation { revokeCustomerToken { result } }",
                json!({}),
            )
            .await;
        assert_eq!(out["data"]["revokeCustomerToken"]["result"], true, "{out}");
        let (status, _) = app
            .shopper(Some(&token), "{ customer { email } }", json!({}))
            .await;
        assert_eq!(status, 401);
        let (status, _) = app
            .shopper(Some(&own), "{ customer { email } }", json!({}))
            .await;
        assert_eq!(status, 200, "the customer's own sign-in stays");
        let (lines, _) = log_lines(app, &admin, json!({"action": "logout"})).await;
        assert_eq!(lines.as_array().map(Vec::len), Some(1));

        // Withdrawn consent ends an open session at once.
        let (_, body) = as_admin(app, &admin, "ann@example.com").await;
        let second = body["data"]["generateCustomerTokenAsAdmin"]["customer_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned();
        let (_, changed) = app
        .shopper(
            Some(&own),
            "mutation { updateCustomerV2(input: {allow_remote_shopping_assistance: false}) { customer { allow_remote_shopping_assistance } } }",
            json!({}),
        )
        .await;
        assert_eq!(
            changed["data"]["updateCustomerV2"]["customer"]["allow_remote_shopping_assistance"],
            false,
            "{changed}"
        );
        let (status, body) = app
            .shopper(Some(&second), "{ customer { email } }", json!({}))
            .await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(error_ext(&body, "category"), "graphql-authentication");
    }
);

db_test!(a_staff_sign_out_ends_the_sessions_it_opened, |app| {
    register(app, "ann@example.com", true).await;
    app.set_config("login_as_customer/general/enabled", "1")
        .await;
    let helper = app
        .staff_with_role(
            "helper@example.com",
            &["Magento_LoginAsCustomer::login"],
            None,
        )
        .await;
    let (_, body) = as_admin(app, &helper, "ann@example.com").await;
    let token = body["data"]["generateCustomerTokenAsAdmin"]["customer_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    let (status, _) = app
        .shopper(Some(&token), "{ customer { email } }", json!({}))
        .await;
    assert_eq!(status, 200);
    let (_, out) = app
        .admin(
            Some(&helper),
            "mutation { revokeStaffToken { result } }",
            json!({}),
        )
        .await;
    assert_eq!(out["data"]["revokeStaffToken"]["result"], true, "{out}");
    let (status, _) = app
        .shopper(Some(&token), "{ customer { email } }", json!({}))
        .await;
    assert_eq!(status, 401);

    // Reading the log needs its own permission.
    let fresh = app.sign_in("helper@example.com").await;
    let (_, body) = log_lines(app, &fresh, json!({})).await;
    assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "{body}");
});

db_test!(staff_open_sessions_and_codes_from_the_admin_api, |app| {
    let ann = register(app, "ann@example.com", true).await;
    let admin = app.root_token().await;
    let login = "mutation($i: LoginAsCustomerInput!) { loginAsCustomer(input: $i) { customer_token expires_at session_id customer_id store_view_id store_view_code } }";
    let (_, body) = app
        .admin(Some(&admin), login, json!({"i": {"customer_id": ann}}))
        .await;
    assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "disabled: {body}");

    app.set_config("login_as_customer/general/enabled", "1")
        .await;
    let (_, body) = app
        .admin(
            Some(&admin),
            login,
            json!({"i": {"customer_id": ann, "reason": "Checkout trouble"}}),
        )
        .await;
    let out = &body["data"]["loginAsCustomer"];
    assert_eq!(out["store_view_code"], "default", "{body}");
    assert_eq!(out["customer_id"], ann);
    let token = out["customer_token"].as_str().expect("token");
    assert_eq!(claims(token)["sid"], out["session_id"]);

    app.set_config(
        "login_as_customer/general/store_view_manual_choice_enabled",
        "1",
    )
    .await;
    let (_, body) = app
        .admin(Some(&admin), login, json!({"i": {"customer_id": ann}}))
        .await;
    assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");
    assert_eq!(error_ext(&body, "field"), "store_view_id");
    let (_, body) = app
        .admin(
            Some(&admin),
            login,
            json!({"i": {"customer_id": ann, "store_view_id": 1}}),
        )
        .await;
    assert_eq!(
        body["data"]["loginAsCustomer"]["store_view_id"], 1,
        "{body}"
    );

    let generate = "mutation($i: GenerateLoginAsCustomerCodeInput!) { generateLoginAsCustomerCode(input: $i) { code expires_at customer_id } }";
    let (_, body) = app
        .admin(
            Some(&admin),
            generate,
            json!({"i": {"customer_id": ann, "reason": " ", "store_view_id": 1}}),
        )
        .await;
    assert_eq!(error_ext(&body, "field"), "reason", "{body}");
    let code_for = |body: &Value| {
        body["data"]["generateLoginAsCustomerCode"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned()
    };
    let (_, body) = app
        .admin(
            Some(&admin),
            generate,
            json!({"i": {"customer_id": ann, "reason": "Phone call", "store_view_id": 1}}),
        )
        .await;
    let code = code_for(&body);
    assert_eq!(code.len(), 32);
    let exchange = "mutation($e: String!, $o: String!) { exchangeOtpForCustomerToken(email: $e, otp: $o) { token } }";
    register(app, "bob@example.com", true).await;
    let (status, body) = app
        .shopper(None, exchange, json!({"e": "bob@example.com", "o": code}))
        .await;
    assert_eq!(
        (status, error_message(&body)),
        (401, SIGN_IN_FAILED),
        "{body}"
    );
    let (status, body) = app
        .shopper(None, exchange, json!({"e": "ann@example.com", "o": code}))
        .await;
    assert_eq!(status, 200, "{body}");
    let exchanged = body["data"]["exchangeOtpForCustomerToken"]["token"]
        .as_str()
        .expect("token");
    assert_eq!(claims(exchanged)["admin_id"], app.staff_id(&admin).await);
    let (status, _) = app
        .shopper(None, exchange, json!({"e": "ann@example.com", "o": code}))
        .await;
    assert_eq!(status, 401, "a code works once");

    // The code also works in place of the password.
    let (_, body) = app
        .admin(
            Some(&admin),
            generate,
            json!({"i": {"customer_id": ann, "reason": "Chat", "store_view_id": 1}}),
        )
        .await;
    let code = code_for(&body);
    let (_, body) = app
        .shopper(
            None,
            "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }",
            json!({"e": "ann@example.com", "p": code}),
        )
        .await;
    let token = body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(claims(token)["typ"], "assisted");

    // A code past its lifetime is refused.
    app.set_config("login_as_customer/general/one_time_code_lifetime", "1")
        .await;
    let (_, body) = app
        .admin(
            Some(&admin),
            generate,
            json!({"i": {"customer_id": ann, "reason": "Late", "store_view_id": 1}}),
        )
        .await;
    let code = code_for(&body);
    app.clock.advance(chrono::Duration::seconds(2));
    let (status, _) = app
        .shopper(None, exchange, json!({"e": "ann@example.com", "o": code}))
        .await;
    assert_eq!(status, 401, "expired");

    let (lines, body) = log_lines(app, &admin, json!({"action": "exchange_code"})).await;
    assert_eq!(lines.as_array().map(Vec::len), Some(2), "{body}");
    assert_eq!(lines[0]["reason"], "Chat");
    let (lines, _) = log_lines(app, &admin, json!({"action": "generate_code"})).await;
    assert_eq!(lines.as_array().map(Vec::len), Some(3));

    // Staff withdrawing consent on the customer's behalf is on record.
    let (_, body) = app
        .admin(
            Some(&admin),
            "mutation($id: Int!) { updateCustomer(id: $id, input: {allow_remote_shopping_assistance: false}) { allow_remote_shopping_assistance } }",
            json!({"id": ann}),
        )
        .await;
    assert_eq!(
        body["data"]["updateCustomer"]["allow_remote_shopping_assistance"], false,
        "{body}"
    );
    let (lines, body) = log_lines(app, &admin, json!({"action": "consent_changed"})).await;
    assert_eq!(lines.as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(lines[0]["details"], "withdrawn");
    assert_eq!(lines[0]["staff_user_email"], "root@example.com");
    let (_, body) = app
        .admin(
            Some(&admin),
            "mutation($id: Int!) { updateCustomer(id: $id, input: {allow_remote_shopping_assistance: true}) { id } }",
            json!({"id": ann}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");

    // Integrations cannot act as customers: the log must name a person.
    let (_, created) = app
        .admin(
            Some(&admin),
            "mutation { createIntegration(input: {name: \"Bot\", all_resources: true}) { token } }",
            json!({}),
        )
        .await;
    let bot = created["data"]["createIntegration"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"));
    let (_, body) = app
        .admin(
            Some(bot),
            login,
            json!({"i": {"customer_id": ann, "store_view_id": 1}}),
        )
        .await;
    assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "{body}");
    let (status, body) = as_admin(app, bot, "ann@example.com").await;
    assert_eq!(
        (status, error_message(&body)),
        (403, NOT_AUTHORIZED),
        "{body}"
    );
});
