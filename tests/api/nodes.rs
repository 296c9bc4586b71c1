//! Several API nodes over one PostgreSQL database: each keeps the store hierarchy, the
//! configuration, customer groups, attribute catalogues and staff credentials in memory, and a
//! change made through one node reaches the others at once (not when their copies expire), as
//! sign-outs do.

use std::time::{Duration, Instant};

use clientele_tests::{Backend, TestApp, postgres_url};
use serde_json::{Value, json};

/// Copies never expire on their own here, so only a change notice can refresh them.
async fn cluster() -> Option<(TestApp, TestApp)> {
    if postgres_url().is_none() {
        eprintln!("CLIENTELE_TEST_POSTGRES_URL is not set: PostgreSQL leg skipped");
        return None;
    }
    let first = TestApp::spawn_with(Backend::Postgres, |s| s.cache_ttl_secs = 3600)
        .await
        .expect("first node");
    let second = first.another_node().await.expect("second node");
    Some((first, second))
}

/// Asks `node` until `check` accepts the answer, for at most five seconds.
async fn eventually(
    node: &TestApp,
    query: &str,
    store: Option<&str>,
    check: impl Fn(&Value) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let headers: Vec<(&str, &str)> = store.iter().map(|s| ("Store", *s)).collect();
        let (_, body) = node.storefront_with(query, &headers).await;
        if check(&body) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the other node still answers {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_changed_on_one_node_applies_on_the_others() {
    let Some((first, second)) = cluster().await else {
        return;
    };
    let query = "{ storeConfig { minimum_password_length } }";
    let (_, before) = second.storefront(query).await;
    assert_eq!(
        before["data"]["storeConfig"]["minimum_password_length"],
        "8"
    );

    first
        .set_config("customer/password/minimum_password_length", "12")
        .await;
    eventually(&second, query, None, |body| {
        body["data"]["storeConfig"]["minimum_password_length"] == "12"
    })
    .await;

    second.finish().await;
    first.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_view_created_on_one_node_serves_on_the_others() {
    let Some((first, second)) = cluster().await else {
        return;
    };
    let query = "{ storeConfig { store_code } }";
    let (_, unknown) = second.storefront_with(query, &[("Store", "de_de")]).await;
    assert!(unknown["errors"].is_array(), "{unknown}");

    let token = first.root_token().await;
    let (_, view) = first
        .admin(
            Some(&token),
            "mutation { createStoreView(input: {group_id: 1, code: \"de_de\", name: \"Deutsch\"}) { id } }",
            json!({}),
        )
        .await;
    assert!(view["errors"].is_null(), "{view}");
    eventually(&second, query, Some("de_de"), |body| {
        body["data"]["storeConfig"]["store_code"] == "de_de"
    })
    .await;

    second.finish().await;
    first.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_one_node_ends_the_token_on_the_others() {
    let Some((first, second)) = cluster().await else {
        return;
    };
    let password = "Sunny-Day-42";
    let (_, created) = first
        .shopper(
            None,
            "mutation($p: String!) { createCustomerV2(input: {firstname: \"Ann\", lastname: \"Lee\", email: \"ann@example.com\", password: $p}) { customer { email } } }",
            json!({ "p": password }),
        )
        .await;
    assert!(created["errors"].is_null(), "{created}");
    let (_, signed_in) = second
        .shopper(
            None,
            "mutation($p: String!) { generateCustomerToken(email: \"ann@example.com\", password: $p) { token } }",
            json!({ "p": password }),
        )
        .await;
    let token = signed_in["data"]["generateCustomerToken"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let me = "{ customer { email } }";
    let (status, body) = first.shopper(Some(&token), me, json!({})).await;
    assert_eq!(
        (status, &body["data"]["customer"]["email"]),
        (200, &json!("ann@example.com"))
    );

    let (_, revoked) = second
        .shopper(
            Some(&token),
            "mutation { revokeCustomerToken { result } }",
            json!({}),
        )
        .await;
    assert_eq!(revoked["data"]["revokeCustomerToken"]["result"], true);
    let (status, body) = first.shopper(Some(&token), me, json!({})).await;
    assert_eq!(status, 401, "{body}");

    second.finish().await;
    first.finish().await;
}

/// The HTTP status and the admin error code `node` answers `token` with for a customer-group
/// read.
async fn group_read(node: &TestApp, token: &str) -> (u16, Value) {
    let (status, body) = node
        .admin(Some(token), "{ customerGroups { total_count } }", json!({}))
        .await;
    (
        status.as_u16(),
        body["errors"][0]["extensions"]["code"].clone(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_access_taken_away_on_one_node_ends_on_the_others_at_once() {
    let Some((first, second)) = cluster().await else {
        return;
    };
    let root = first.root_token().await;
    let (_, role) = first
        .admin(
            Some(&root),
            "mutation { createRole(input: {name: \"Clerks\", resources: [\"Magento_Customer::group\"]}) { id } }",
            json!({}),
        )
        .await;
    let role_id = role["data"]["createRole"]["id"].as_i64().expect("role") as i32;
    first.create_staff("narrowed@example.com", role_id).await;
    let narrowed = first.sign_in("narrowed@example.com").await;
    let other_role = first
        .admin(
            Some(&root),
            "mutation { createRole(input: {name: \"Readers\", resources: [\"Magento_Customer::group\"]}) { id } }",
            json!({}),
        )
        .await
        .1["data"]["createRole"]["id"]
        .as_i64()
        .expect("role");
    let deactivated_id = first
        .create_staff("deactivated@example.com", other_role as i32)
        .await;
    let deactivated = first.sign_in("deactivated@example.com").await;
    let (_, created) = first
        .admin(
            Some(&root),
            "mutation { createIntegration(input: {name: \"ERP\", resources: [\"Magento_Customer::group\"]}) { token integration { id } } }",
            json!({}),
        )
        .await;
    let integration = created["data"]["createIntegration"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let integration_id = created["data"]["createIntegration"]["integration"]["id"].clone();
    // The second node remembers all three credentials.
    for token in [&narrowed, &deactivated, &integration] {
        assert_eq!(group_read(&second, token).await, (200, Value::Null));
    }

    let changes = [
        (
            "mutation($id: Int!) { updateRole(id: $id, input: {resources: []}) { id } }",
            json!({ "id": role_id }),
        ),
        (
            "mutation($id: Int!) { updateStaffUser(id: $id, input: {is_active: false}) { id } }",
            json!({ "id": deactivated_id }),
        ),
        (
            "mutation($id: Int!) { revokeIntegration(id: $id) { id } }",
            json!({ "id": integration_id }),
        ),
    ];
    for (mutation, variables) in changes {
        let (_, changed) = first.admin(Some(&root), mutation, variables).await;
        assert!(changed["errors"].is_null(), "{changed}");
    }
    // The notice travels with each commit and arrives within milliseconds; the remembered
    // copies would otherwise serve for an hour.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = (
            group_read(&second, &narrowed).await,
            group_read(&second, &deactivated).await.0,
            group_read(&second, &integration).await.0,
        );
        if now == ((200, json!("FORBIDDEN")), 401, 401) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the second node still answers {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    second.finish().await;
    first.finish().await;
}

/// The group the admin API shows for customer `id` on `node`.
async fn group_shown(node: &TestApp, token: &str, id: &Value) -> Value {
    let (_, body) = node
        .admin(
            Some(token),
            "query($id: Int!) { customer(id: $id) { group { name tax_class { name } } } }",
            json!({ "id": id }),
        )
        .await;
    body["data"]["customer"]["group"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_renamed_on_one_node_is_shown_renamed_on_the_others() {
    let Some((first, second)) = cluster().await else {
        return;
    };
    let root = first.root_token().await;
    let (_, created) = first
        .admin(
            Some(&root),
            "mutation { createCustomer(input: {email: \"ann@example.com\", firstname: \"Ann\", lastname: \"Lee\", group_id: 2}) { id } }",
            json!({}),
        )
        .await;
    let id = created["data"]["createCustomer"]["id"].clone();
    assert_eq!(
        group_shown(&second, &root, &id).await,
        json!({"name": "Wholesale", "tax_class": {"name": "Retail Customer"}})
    );

    let (_, renamed) = first
        .admin(
            Some(&root),
            "mutation { updateCustomerGroup(id: 2, input: {name: \"Trade\"}) { name } }",
            json!({}),
        )
        .await;
    assert!(renamed["errors"].is_null(), "{renamed}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while group_shown(&second, &root, &id).await["name"] != "Trade" {
        assert!(
            Instant::now() < deadline,
            "the second node still shows the old name"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    second.finish().await;
    first.finish().await;
}

/// The codes of the address attributes `node` lists.
async fn address_attributes(node: &TestApp, token: &str) -> Value {
    let (_, body) = node
        .admin(
            Some(token),
            "{ customerAttributes(entityType: ADDRESS) { code } }",
            json!({}),
        )
        .await;
    body["data"]["customerAttributes"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attribute_created_or_deleted_on_one_node_is_seen_so_on_the_others() {
    let Some((first, second)) = cluster().await else {
        return;
    };
    let root = first.root_token().await;
    assert_eq!(address_attributes(&second, &root).await, json!([]));
    let (_, created) = first
        .admin(
            Some(&root),
            "mutation { createCustomerAttribute(input: {entity_type: ADDRESS, code: \"gate_code\", label: \"Gate code\", input_type: TEXT}) { code } }",
            json!({}),
        )
        .await;
    assert!(created["errors"].is_null(), "{created}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while address_attributes(&second, &root).await != json!([{"code": "gate_code"}]) {
        assert!(
            Instant::now() < deadline,
            "the second node does not list it"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (_, deleted) = first
        .admin(
            Some(&root),
            "mutation { deleteCustomerAttribute(entityType: ADDRESS, code: \"gate_code\") }",
            json!({}),
        )
        .await;
    assert!(deleted["errors"].is_null(), "{deleted}");
    while address_attributes(&second, &root).await != json!([]) {
        assert!(Instant::now() < deadline, "the second node still lists it");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    second.finish().await;
    first.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_cut_off_from_the_database_reconnects_and_hears_again() {
    use sea_orm::ConnectionTrait;
    let Some((first, second)) = cluster().await else {
        return;
    };
    let query = "{ storeConfig { minimum_password_length } }";
    second.storefront(query).await;
    // Every listener of this database loses its connection, as in a network cut or a restart.
    let cut = second
        .services
        .db
        .execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
        .await
        .expect("terminate listeners");
    assert!(cut.rows_affected() >= 1, "the listeners were found");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // The reconnected listener dropped the copies; this read makes a new one, which only a
    // notice heard on the new connection can drop.
    let (_, before) = second.storefront(query).await;
    assert_eq!(
        before["data"]["storeConfig"]["minimum_password_length"],
        "8"
    );

    first
        .set_config("customer/password/minimum_password_length", "14")
        .await;
    eventually(&second, query, None, |body| {
        body["data"]["storeConfig"]["minimum_password_length"] == "14"
    })
    .await;

    second.finish().await;
    first.finish().await;
}
