//! Staff sign-in, lockout, sessions, roles, integrations and the authorization of every admin field.

use clientele_tests::{STAFF_PASSWORD, TestApp, db_test, error_ext, error_message};
use serde_json::{Value, json};

const SIGN_IN: &str = "mutation($e: String!, $p: String!) { generateStaffToken(email: $e, password: $p) { token expires_at } }";
const GENERIC: &str = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.";

async fn sign_in_attempt(app: &TestApp, email: &str, password: &str) -> Value {
    app.admin(None, SIGN_IN, json!({ "e": email, "p": password }))
        .await
        .1
}

db_test!(
    staff_sign_in_gives_a_working_token_that_sign_out_revokes,
    |app| {
        app.create_staff("ann@example.com", 1).await;
        let body = sign_in_attempt(app, "Ann@Example.com", STAFF_PASSWORD).await;
        let token = body["data"]["generateStaffToken"]["token"]
            .as_str()
            .expect("token")
            .to_owned();
        let expires_at = body["data"]["generateStaffToken"]["expires_at"]
            .as_str()
            .expect("exp");
        assert!(
            expires_at.ends_with('Z') || expires_at.ends_with("+00:00"),
            "{expires_at}"
        );
        let (_, me) = app
            .admin(
                Some(&token),
                "{ currentStaffUser { email role { name } } }",
                json!({}),
            )
            .await;
        assert_eq!(me["data"]["currentStaffUser"]["email"], "ann@example.com");
        assert_eq!(
            me["data"]["currentStaffUser"]["role"]["name"],
            "Administrators"
        );
        let (_, out) = app
            .admin(
                Some(&token),
                "mutation { revokeStaffToken { result } }",
                json!({}),
            )
            .await;
        assert_eq!(out["data"]["revokeStaffToken"]["result"], true);
        let (status, after) = app
            .admin(Some(&token), "{ currentStaffUser { email } }", json!({}))
            .await;
        assert_eq!(status, 401);
        assert_eq!(error_ext(&after, "code"), "UNAUTHENTICATED");
        let kid = token_kid(&token);
        let jwks: Value = app
            .http
            .get(format!("{}/.well-known/jwks.json", app.base))
            .send()
            .await
            .expect("jwks")
            .json()
            .await
            .expect("json");
        assert!(
            jwks["keys"]
                .as_array()
                .expect("keys")
                .iter()
                .any(|k| k["kid"] == kid.as_str())
        );
    }
);

fn token_kid(token: &str) -> String {
    use base64::Engine;
    let header = token.split('.').next().expect("header");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .expect("b64");
    let header: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(header["alg"], "EdDSA");
    header["kid"].as_str().expect("kid").to_owned()
}

db_test!(
    failed_sign_ins_lock_the_account_behind_one_generic_message,
    |app| {
        app.create_staff("bob@example.com", 1).await;
        let root = app.root_token().await;
        app.admin(
        Some(&root),
        "mutation { setConfiguration(input: {scope: {type: DEFAULT}, values: [{path: \"admin/security/lockout_failures\", value: \"3\"}]}) { value } }",
        json!({}),
    )
    .await;
        for _ in 0..3 {
            let body = sign_in_attempt(app, "bob@example.com", "Wrong-Pass-1").await;
            assert_eq!(error_message(&body), GENERIC);
            assert_eq!(error_ext(&body, "code"), "UNAUTHENTICATED");
        }
        let locked = sign_in_attempt(app, "bob@example.com", STAFF_PASSWORD).await;
        assert_eq!(
            error_message(&locked),
            GENERIC,
            "a locked account looks like a wrong password"
        );
        let unknown = sign_in_attempt(app, "nobody@example.com", STAFF_PASSWORD).await;
        assert_eq!(error_message(&unknown), GENERIC);
        let (_, users) = app
            .admin(
                Some(&root),
                "{ staffUsers { items { email locked_until } } }",
                json!({}),
            )
            .await;
        let bob = users["data"]["staffUsers"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|u| u["email"] == "bob@example.com")
            .cloned()
            .expect("bob");
        assert!(bob["locked_until"].is_string());
        let id = app
            .services
            .staff
            .users(clientele_kernel::PageRequest::new(50, 1).expect("page"))
            .await
            .expect("users")
            .items
            .into_iter()
            .find(|u| u.email == "bob@example.com")
            .expect("bob")
            .id;
        app.admin(
            Some(&root),
            "mutation($id: Int!) { unlockStaffUser(id: $id) { locked_until } }",
            json!({ "id": id }),
        )
        .await;
        let again = sign_in_attempt(app, "bob@example.com", STAFF_PASSWORD).await;
        assert!(
            again["data"]["generateStaffToken"]["token"].is_string(),
            "{again}"
        );
    }
);

db_test!(
    aliased_sign_in_attempts_are_refused_before_any_runs,
    |app| {
        app.create_staff("eve@example.com", 1).await;
        let root = app.root_token().await;
        app.admin(
        Some(&root),
        "mutation { setConfiguration(input: {scope: {type: DEFAULT}, values: [{path: \"admin/security/lockout_failures\", value: \"2\"}]}) { value } }",
        json!({}),
    )
    .await;
        let guesses: String = (0..5)
        .map(|i| format!(" a{i}: generateStaffToken(email: \"eve@example.com\", password: \"guess{i}\") {{ token }}"))
        .collect();
        let (_, body) = app
            .admin(None, &format!("mutation {{ {guesses} }}"), json!({}))
            .await;
        assert!(body["data"].is_null(), "{body}");
        assert_eq!(error_ext(&body, "code"), "GRAPHQL_VALIDATION_FAILED");
        let ok = sign_in_attempt(app, "eve@example.com", STAFF_PASSWORD).await;
        assert!(
            ok["data"]["generateStaffToken"]["token"].is_string(),
            "no guess was counted: {ok}"
        );
    }
);

db_test!(integration_tokens_are_scoped_and_revocable, |app| {
    let root = app.root_token().await;
    let (_, created) = app
        .admin(
            Some(&root),
            "mutation { createIntegration(input: {name: \"ERP\", resources: [\"Magento_Customer::group\"]}) { token integration { id token_hint revoked_at } } }",
            json!({}),
        )
        .await;
    let token = created["data"]["createIntegration"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let id = created["data"]["createIntegration"]["integration"]["id"]
        .as_i64()
        .expect("id");
    assert!(
        token.starts_with(
            created["data"]["createIntegration"]["integration"]["token_hint"]
                .as_str()
                .expect("hint")
        )
    );
    let (_, groups) = app
        .admin(
            Some(&token),
            "{ customerGroups { total_count } }",
            json!({}),
        )
        .await;
    assert_eq!(groups["data"]["customerGroups"]["total_count"], 4);
    let (_, denied) = app
        .admin(Some(&token), "{ websites { code } }", json!({}))
        .await;
    assert_eq!(error_ext(&denied, "code"), "FORBIDDEN");
    let (_, listed) = app
        .admin(
            Some(&root),
            "{ integrations { name last_used_at } }",
            json!({}),
        )
        .await;
    assert!(
        listed["data"]["integrations"][0]["last_used_at"].is_string(),
        "{listed}"
    );
    app.admin(
        Some(&root),
        "mutation($id: Int!) { revokeIntegration(id: $id) { revoked_at } }",
        json!({ "id": id }),
    )
    .await;
    let (status, _) = app
        .admin(
            Some(&token),
            "{ customerGroups { total_count } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 401);
});

db_test!(
    roles_cannot_escalate_and_changes_apply_to_live_tokens,
    |app| {
        let root = app.root_token().await;
        let (_, role) = app
        .admin(
            Some(&root),
            "mutation { createRole(input: {name: \"Clerks\", resources: [\"Magento_Customer::group\", \"Magento_User::acl_roles\"]}) { id resources all_websites } }",
            json!({}),
        )
        .await;
        let role_id = role["data"]["createRole"]["id"].as_i64().expect("role id") as i32;
        app.create_staff("clerk@example.com", role_id).await;
        let clerk = app.sign_in("clerk@example.com").await;
        let (_, escalate) = app
            .admin(
                Some(&clerk),
                "mutation { createRole(input: {name: \"Root2\", all_resources: true}) { id } }",
                json!({}),
            )
            .await;
        assert_eq!(error_ext(&escalate, "code"), "FORBIDDEN");
        let (_, own) = app
        .admin(Some(&clerk), "mutation($id: Int!) { updateRole(id: $id, input: {resources: [\"Magento_Config::config\"]}) { id } }", json!({ "id": role_id }))
        .await;
        assert_eq!(error_ext(&own, "code"), "FORBIDDEN");
        let (_, ok) = app
            .admin(
                Some(&clerk),
                "{ customerGroups { total_count } }",
                json!({}),
            )
            .await;
        assert_eq!(ok["data"]["customerGroups"]["total_count"], 4);
        app.admin(
            Some(&root),
            "mutation($id: Int!) { updateRole(id: $id, input: {resources: []}) { id } }",
            json!({ "id": role_id }),
        )
        .await;
        let (_, now) = app
            .admin(
                Some(&clerk),
                "{ customerGroups { total_count } }",
                json!({}),
            )
            .await;
        assert_eq!(
            error_ext(&now, "code"),
            "FORBIDDEN",
            "same token, permission gone: {now}"
        );
        let (_, builtin) = app
            .admin(Some(&root), "mutation { deleteRole(id: 1) }", json!({}))
            .await;
        assert_eq!(error_ext(&builtin, "code"), "FORBIDDEN");
        let (_, in_use) = app
            .admin(
                Some(&root),
                "mutation($id: Int!) { deleteRole(id: $id) }",
                json!({ "id": role_id }),
            )
            .await;
        assert_eq!(error_ext(&in_use, "code"), "CONFLICT");
    }
);

/// Every admin root field, with the access it needs. A new field fails this test until listed.
const PUBLIC: &[&str] = &["generateStaffToken"];
const ANY_STAFF: &[&str] = &["currentStaffUser", "revokeStaffToken"];

db_test!(
    every_admin_field_is_denied_without_the_right_credentials,
    |app| {
        let root = app.root_token().await;
        let (_, schema) = app
        .admin(Some(&root), "{ __schema { queryType { fields { ...F } } mutationType { fields { ...F } } } } fragment F on __Field { name args { name type { kind ofType { name } } } type { kind ofType { kind ofType { kind ofType { kind } } } } }", json!({}))
        .await;
        let (_, role) = app
            .admin(
                Some(&root),
                "mutation { createRole(input: {name: \"Nothing\"}) { id } }",
                json!({}),
            )
            .await;
        let nothing_role = role["data"]["createRole"]["id"].as_i64().expect("role") as i32;
        app.create_staff("nothing@example.com", nothing_role).await;
        let nothing = app.sign_in("nothing@example.com").await;
        let mut checked = 0;
        for (kind, root_type) in [("query", "queryType"), ("mutation", "mutationType")] {
            for field in schema["data"]["__schema"][root_type]["fields"]
                .as_array()
                .expect("fields")
            {
                let name = field["name"].as_str().expect("name");
                if PUBLIC.contains(&name) {
                    continue;
                }
                let document = call_document(kind, field);
                let (_, anonymous) = app.admin(None, &document, json!({})).await;
                assert_eq!(
                    error_ext(&anonymous, "code"),
                    "UNAUTHENTICATED",
                    "{name} anonymously: {anonymous}"
                );
                if !ANY_STAFF.contains(&name) {
                    let (_, denied) = app.admin(Some(&nothing), &document, json!({})).await;
                    assert_eq!(
                        error_ext(&denied, "code"),
                        "FORBIDDEN",
                        "{name} without permission: {denied}"
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 30, "only {checked} fields checked");
    }
);

/// A call of `field` with placeholder values for its required arguments.
fn call_document(kind: &str, field: &Value) -> String {
    let name = field["name"].as_str().expect("name");
    let args: Vec<String> = field["args"]
        .as_array()
        .expect("args")
        .iter()
        .filter(|a| a["type"]["kind"] == "NON_NULL")
        .map(|a| {
            let value = match a["type"]["ofType"]["name"].as_str() {
                Some("Int") => "1".to_owned(),
                Some("String") | Some("ID") => "\"x\"".to_owned(),
                Some("Boolean") => "true".to_owned(),
                Some(input) => placeholder_input(input),
                None => "[]".to_owned(),
            };
            format!("{}: {value}", a["name"].as_str().expect("arg"))
        })
        .collect();
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({})", args.join(", "))
    };
    let selection = if returns_scalar(&field["type"]) {
        ""
    } else {
        " { __typename }"
    };
    format!("{kind} {{ {name}{args}{selection} }}")
}

fn returns_scalar(mut ty: &Value) -> bool {
    while ty["kind"] == "NON_NULL" || ty["kind"] == "LIST" {
        ty = &ty["ofType"];
    }
    ty["kind"] == "SCALAR" || ty["kind"] == "ENUM"
}

fn placeholder_input(type_name: &str) -> String {
    match type_name {
        "CreateStaffUserInput" => {
            "{email: \"x@example.com\", name: \"x\", password: \"x\", role_id: 1}".into()
        }
        "CreateRoleInput" | "CreateIntegrationInput" | "CustomerTaxClassInput" => {
            "{name: \"x\"}".into()
        }
        "CreateWebsiteInput" => "{code: \"x\", name: \"x\"}".into(),
        "CreateStoreGroupInput" => "{website_id: 1, code: \"x\", name: \"x\"}".into(),
        "CreateStoreViewInput" => "{group_id: 1, code: \"x\", name: \"x\"}".into(),
        "CreateCustomerGroupInput" => "{name: \"x\", tax_class_id: 3}".into(),
        "MassAssignCustomerGroupInput" => "{selection: {ids: [1]}, group_id: 1}".into(),
        "CustomerGridViewInput" => "{name: \"x\"}".into(),
        "SaveEmailTemplateInput" => "{code: \"x\", subject: \"x\", body: \"x\"}".into(),
        "CustomerMassActionInput" => "{selection: {ids: [1]}}".into(),
        "CreateCustomerInput" => {
            "{email: \"x@example.com\", firstname: \"x\", lastname: \"x\"}".into()
        }
        "SetConfigurationInput" => "{scope: {type: DEFAULT}, values: []}".into(),
        "ResetConfigurationInput" => "{scope: {type: DEFAULT}, paths: []}".into(),
        "ConfigScopeInput" => "{type: DEFAULT}".into(),
        "CustomerAttributeEntityEnum" => "CUSTOMER".into(),
        "ImportCustomersInput" => "{entity: CUSTOMER, content: \"email\"}".into(),
        "LoginAsCustomerInput" | "RecordCustomerActivityInput" => "{customer_id: 1}".into(),
        "GenerateLoginAsCustomerCodeInput" => "{customer_id: 1, reason: \"x\"}".into(),
        "CreateWebhookInput" => {
            "{url: \"https://example.com/hook\", events: [\"customer.created\"]}".into()
        }
        "CreateCustomerAttributeInput" => {
            "{entity_type: CUSTOMER, code: \"x\", label: \"x\", input_type: TEXT}".into()
        }
        _ => "{}".into(),
    }
}

/// Starts sign-ins of unknown staff emails that occupy the hashing pool for a while (tests set it
/// to one hash at a time), so the attempts a test starts next are all under way before any of
/// their passwords is checked.
fn occupy_the_hasher(app: &TestApp) -> Vec<tokio::task::JoinHandle<(reqwest::StatusCode, Value)>> {
    (0..10)
        .map(|i| {
            app.post_in_background(
                "/admin/graphql",
                SIGN_IN,
                json!({ "e": format!("busy{i}@example.com"), "p": "Busy-Pass-1" }),
                &[],
            )
        })
        .collect()
}

db_test!(
    parallel_guesses_use_up_the_allowance_before_a_later_right_password_is_checked,
    settings | s | {
        s.hash_concurrency = 1;
        s.sign_in_failures_per_client = 1000;
    },
    |app| {
        app.create_staff("cat@example.com", 1).await;
        app.set_config("admin/security/lockout_failures", "3").await;
        let busy = occupy_the_hasher(app);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let guesses: Vec<_> = (0..20)
            .map(|i| {
                app.post_in_background(
                    "/admin/graphql",
                    SIGN_IN,
                    json!({ "e": "cat@example.com", "p": format!("Wrong-Guess-{i}") }),
                    &[],
                )
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let right = sign_in_attempt(app, "cat@example.com", STAFF_PASSWORD).await;
        assert_eq!(
            error_message(&right),
            GENERIC,
            "an attempt started after twenty guesses must not get a token: {right}"
        );
        for task in busy.into_iter().chain(guesses) {
            let (_, body) = task.await.expect("join");
            assert_eq!(error_message(&body), GENERIC, "{body}");
        }
        let later = sign_in_attempt(app, "cat@example.com", STAFF_PASSWORD).await;
        assert_eq!(error_message(&later), GENERIC, "the account stays locked");
    }
);

db_test!(
    no_staff_account_exists_until_an_operator_creates_one,
    |app| {
        let users = app
            .services
            .staff
            .users(clientele_kernel::PageRequest::new(50, 1).expect("page"))
            .await
            .expect("users");
        assert_eq!(
            users.total_count, 0,
            "a fresh installation has no staff user"
        );
        for (email, password) in [
            ("admin", "admin"),
            ("admin", "admin123"),
            ("admin@example.com", "password"),
            ("admin@example.com", "admin123"),
            ("root@localhost", "root"),
        ] {
            let body = sign_in_attempt(app, email, password).await;
            assert_eq!(error_message(&body), GENERIC, "{email}/{password}");
        }
    }
);
