//! The staff audit log (security requirement H4): every admin change, read of personal data and
//! export is logged with who, what, the ids named, the outcome, the request and the client
//! address; refusals too; reading the log takes a permission of its own.

use clientele_tests::{TestApp, db_test, error_ext};
use serde_json::{Value, json};

const LOG: &str = "query($f: AdminActionFilterInput, $first: Int, $after: String) { adminActions(filter: $f, first: $first, after: $after) { items { id occurred_at caller staff_user_id integration_id operation kind targets outcome error_code request_id ip } page_info { has_next_page end_cursor } } }";

async fn lines(app: &TestApp, token: &str, filter: Value) -> (Vec<Value>, Value) {
    let (_, body) = app
        .admin(Some(token), LOG, json!({"f": filter, "first": 50}))
        .await;
    let items = body["data"]["adminActions"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (items, body)
}

db_test!(changes_reads_and_exports_are_logged_with_ids_only, |app| {
    let admin = app.root_token().await;
    let root_id = app.staff_id(&admin).await;
    let (_, created) = app
        .admin(
            Some(&admin),
            "mutation { createCustomer(input: {email: \"zed@example.com\", firstname: \"Zed\", lastname: \"Quux\"}) { id } }",
            json!({}),
        )
        .await;
    let id = created["data"]["createCustomer"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{created}"));
    let (_, updated) = app
        .post(
            "/admin/graphql",
            json!({"query": "mutation($id: Int!, $i: UpdateCustomerInput!) { updateCustomer(id: $id, input: $i) { id } }",
                   "variables": {"id": id, "i": {"lastname": "Quuxley", "group_id": 2}}}),
            &[("authorization", &format!("Bearer {admin}")), ("x-request-id", "req-audit-1")],
        )
        .await;
    assert!(updated["errors"].is_null(), "{updated}");
    let (_, mass) = app
        .admin(
            Some(&admin),
            "mutation($ids: [Int!]!) { massAssignCustomerGroup(input: {group_id: 3, selection: {ids: $ids}}) { changed } }",
            json!({"ids": [id]}),
        )
        .await;
    assert!(mass["errors"].is_null(), "{mass}");
    let (_, viewed) = app
        .admin(
            Some(&admin),
            "query($id: Int!) { customer(id: $id) { email } customerGroups { total_count } }",
            json!({"id": id}),
        )
        .await;
    assert!(viewed["errors"].is_null(), "{viewed}");
    let export = app
        .get(
            "/admin/export/customers",
            &[("ids", &id.to_string())],
            &[("authorization", &format!("Bearer {admin}"))],
        )
        .await;
    assert_eq!(export.status(), 200);
    assert!(
        export
            .text()
            .await
            .expect("file")
            .contains("zed@example.com")
    );

    let (log, body) = lines(app, &admin, json!({"staff_user_id": root_id})).await;
    let seen: Vec<(&str, &str)> = log
        .iter()
        .map(|l| {
            (
                l["operation"].as_str().unwrap_or(""),
                l["kind"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        &seen[..5],
        [
            ("GET /admin/export/customers", "EXPORT"),
            ("customer", "READ"),
            ("massAssignCustomerGroup", "CHANGE"),
            ("updateCustomer", "CHANGE"),
            ("createCustomer", "CHANGE"),
        ],
        "newest first; the group list holds no personal data: {body}"
    );
    let update = &log[3];
    assert_eq!(update["targets"], json!({"id": id, "group_id": 2}));
    assert_eq!(
        (
            &update["outcome"],
            &update["caller"],
            &update["request_id"],
            &update["ip"]
        ),
        (
            &json!("SUCCESS"),
            &json!("STAFF"),
            &json!("req-audit-1"),
            &json!("127.0.0.1")
        )
    );
    assert_eq!(log[2]["targets"], json!({"group_id": 3, "ids": [id]}));
    assert_eq!(log[1]["targets"], json!({"id": id}));
    assert_eq!(log[0]["targets"], json!({"ids": [id]}));
    let text = serde_json::to_string(&log).expect("json");
    for personal in ["Zed", "Quux", "zed@example.com"] {
        assert!(!text.contains(personal), "{personal} in the log: {text}");
    }
});

db_test!(
    refusals_are_logged_and_reading_the_log_needs_its_permission,
    |app| {
        let admin = app.root_token().await;
        let desk = app
            .staff_with_role("desk@example.com", &["Magento_Customer::manage"], None)
            .await;
        let desk_id = app.staff_id(&desk).await;

        let (_, refused) = app
            .admin(
                Some(&desk),
                "mutation { deleteCustomerGroup(id: 2) }",
                json!({}),
            )
            .await;
        assert_eq!(error_ext(&refused, "code"), "FORBIDDEN", "{refused}");
        let (own, body) = lines(app, &desk, json!({})).await;
        assert!(own.is_empty());
        assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "{body}");
        let (_, anonymous) = app
            .admin(None, "query { customers { total_count } }", json!({}))
            .await;
        assert_eq!(
            error_ext(&anonymous, "code"),
            "UNAUTHENTICATED",
            "{anonymous}"
        );

        let (log, body) = lines(app, &admin, json!({"outcome": "DENIED"})).await;
        let denied: Vec<(&Value, &Value, &Value)> = log
            .iter()
            .map(|l| (&l["operation"], &l["caller"], &l["error_code"]))
            .collect();
        assert_eq!(
            denied,
            [
                (
                    &json!("customers"),
                    &json!("ANONYMOUS"),
                    &json!("UNAUTHENTICATED")
                ),
                (&json!("adminActions"), &json!("STAFF"), &json!("FORBIDDEN")),
                (
                    &json!("deleteCustomerGroup"),
                    &json!("STAFF"),
                    &json!("FORBIDDEN")
                ),
            ],
            "{body}"
        );
        assert_eq!(log[2]["staff_user_id"], desk_id);
        assert_eq!(log[2]["targets"], json!({"id": 2}));

        // Paging by cursor, and a filter by operation.
        let (_, first) = app.admin(Some(&admin), LOG, json!({"first": 1})).await;
        let cursor = &first["data"]["adminActions"]["page_info"]["end_cursor"];
        assert!(cursor.is_string(), "{first}");
        let (_, next) = app
            .admin(Some(&admin), LOG, json!({"first": 1, "after": cursor}))
            .await;
        let (a, b) = (
            &first["data"]["adminActions"]["items"][0]["id"],
            &next["data"]["adminActions"]["items"][0]["id"],
        );
        assert!(
            a.as_str().and_then(|a| a.parse::<i64>().ok())
                > b.as_str().and_then(|b| b.parse::<i64>().ok()),
            "{first} {next}"
        );
        let (only, _) = lines(app, &admin, json!({"operation": "deleteCustomerGroup"})).await;
        assert_eq!(only.len(), 1);
    }
);
