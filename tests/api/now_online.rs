//! Now Online: visitors get an id from the API, activity (sign-in, sign-up, reported cart
//! changes) puts customers and visitors in the grid, and they leave it when they sign out or
//! fall silent for longer than the Online Minutes Interval.

use clientele_tests::{TestApp, db_test, error_ext, error_message};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const PASSWORD: &str = "Sunny-Day-42";
const GRID: &str = "query($f: OnlineCustomerFilterInput, $s: OnlineCustomerSortInput) { onlineCustomers(filter: $f, sort: $s) { total_count online_minutes_interval items { type customer_id visitor_id firstname lastname email company last_activity_at last_url } } }";
const REPORT: &str = "mutation($i: ReportActivityInput!) { reportActivity(input: $i) { result } }";

async fn visitor_id(app: &TestApp) -> String {
    let (_, body) = app
        .shopper(
            None,
            "mutation { generateVisitorId { visitor_id expires_at } }",
            json!({}),
        )
        .await;
    body["data"]["generateVisitorId"]["visitor_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn grid(app: &TestApp, admin: &str, filter: Value, sort: Value) -> Value {
    let (_, body) = app
        .admin(Some(admin), GRID, json!({"f": filter, "s": sort}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["onlineCustomers"].clone()
}

fn column<'a>(page: &'a Value, key: &str) -> Vec<&'a Value> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| &i[key])
        .collect()
}

db_test!(customers_and_visitors_appear_and_leave_now_online, |app| {
    let admin = app.root_token().await;
    let browsing = visitor_id(app).await;
    let (_, body) = app
        .shopper(
            None,
            REPORT,
            json!({"i": {"event": "CART_CHANGED", "visitor_id": browsing, "last_url": "/cart"}}),
        )
        .await;
    assert_eq!(body["data"]["reportActivity"]["result"], true, "{body}");

    // Signing up signs in: the new customer is online.
    let (_, body) = app
        .shopper(
            None,
            "mutation($p: String!) { createCustomerV2(input: {firstname: \"Ann\", lastname: \"Lee\", email: \"ann@example.com\", password: $p}) { customer { email } } }",
            json!({"p": PASSWORD}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    app.shopper(
        None,
        "mutation($p: String!) { createCustomerV2(input: {firstname: \"Bob\", lastname: \"Ray\", email: \"bob@example.com\", password: $p}) { customer { email } } }",
        json!({"p": PASSWORD}),
    )
    .await;

    let page = grid(app, &admin, json!({}), Value::Null).await;
    assert_eq!(page["online_minutes_interval"], 15);
    assert_eq!(page["total_count"], 3, "{page}");
    // The customer view agrees: signed in by the sign-up, and online.
    let ann =
        grid(app, &admin, json!({"email": "ann@"}), Value::Null).await["items"][0]["customer_id"]
            .clone();
    let (_, view) = app
        .admin(
            Some(&admin),
            "query($id: Int!) { customer(id: $id) { activity { last_signed_in_at is_online } } }",
            json!({"id": ann}),
        )
        .await;
    let activity = &view["data"]["customer"]["activity"];
    assert!(activity["last_signed_in_at"].is_string(), "{view}");
    assert_eq!(activity["is_online"], true, "{view}");
    let visitors = grid(app, &admin, json!({"type": "VISITOR"}), Value::Null).await;
    assert_eq!(visitors["total_count"], 1);
    assert_eq!(visitors["items"][0]["last_url"], "/cart");
    assert!(visitors["items"][0]["email"].is_null());
    assert!(visitors["items"][0]["visitor_id"].is_string());

    // A visitor who signs in continues as the customer: listed once.
    let shopping = visitor_id(app).await;
    app.shopper(
        None,
        REPORT,
        json!({"i": {"event": "WISHLIST_CHANGED", "visitor_id": shopping, "last_url": "/wishlist"}}),
    )
    .await;
    assert_eq!(
        grid(app, &admin, json!({}), Value::Null).await["total_count"],
        4
    );
    let (_, body) = app
        .post(
            "/graphql",
            json!({"query": "mutation($p: String!) { generateCustomerToken(email: \"bob@example.com\", password: $p) { token } }", "variables": {"p": PASSWORD}}),
            &[("X-Visitor-Id", shopping.as_str())],
        )
        .await;
    let bob = body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    let page = grid(
        app,
        &admin,
        json!({}),
        json!({"field": "EMAIL", "direction": "ASC"}),
    )
    .await;
    assert_eq!(page["total_count"], 3, "{page}");
    assert_eq!(
        column(&page, "email"),
        vec![
            &json!("ann@example.com"),
            &json!("bob@example.com"),
            &Value::Null
        ],
        "visitors have no email and sort last"
    );
    assert_eq!(
        page["items"][1]["last_url"], "/wishlist",
        "the visitor's page carried over"
    );
    assert_eq!(page["items"][0]["type"], "CUSTOMER");

    // The shopper reports activity with their token.
    let (_, body) = app
        .shopper(
            Some(&bob),
            REPORT,
            json!({"i": {"event": "CHECKOUT_STARTED", "last_url": "/checkout"}}),
        )
        .await;
    assert_eq!(body["data"]["reportActivity"]["result"], true, "{body}");
    let found = grid(app, &admin, json!({"email": "BOB@"}), Value::Null).await;
    assert_eq!(found["total_count"], 1);
    assert_eq!(found["items"][0]["last_url"], "/checkout");
    assert_eq!(found["items"][0]["firstname"], "Bob");
    let newest = grid(app, &admin, json!({}), Value::Null).await;
    assert_eq!(
        newest["items"][0]["email"], "bob@example.com",
        "newest activity first"
    );

    // Signing out takes the customer offline.
    app.shopper(
        Some(&bob),
        "mutation { revokeCustomerToken { result } }",
        json!({}),
    )
    .await;
    let page = grid(app, &admin, json!({"type": "CUSTOMER"}), Value::Null).await;
    assert_eq!(column(&page, "email"), vec![&json!("ann@example.com")]);

    // Silence longer than the interval: the visitor leaves.
    app.set_config("customer/online_customers/online_minutes_interval", "1")
        .await;
    let backend = app.services.db.get_database_backend();
    let placeholder = if backend == sea_orm::DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    app.services
        .db
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            format!("UPDATE visitors SET last_activity_at = {placeholder}"),
            [(chrono::Utc::now() - chrono::Duration::seconds(90)).into()],
        ))
        .await
        .expect("backdate");
    let page = grid(app, &admin, json!({}), Value::Null).await;
    assert_eq!(page["online_minutes_interval"], 1);
    assert_eq!(
        page["total_count"], 1,
        "only Ann, active a moment ago: {page}"
    );
});

db_test!(activity_reports_are_checked, |app| {
    let (_, body) = app
        .shopper(
            None,
            REPORT,
            json!({"i": {"event": "CART_CHANGED", "visitor_id": "made-up"}}),
        )
        .await;
    assert_eq!(
        error_message(&body),
        "The visitor ID is invalid or has expired. Request a new one with generateVisitorId."
    );
    assert_eq!(error_ext(&body, "category"), "graphql-input");
    let (_, body) = app
        .shopper(None, REPORT, json!({"i": {"event": "CART_CHANGED"}}))
        .await;
    assert_eq!(error_message(&body), "Specify the \"visitor_id\" value.");
    let visitor = visitor_id(app).await;
    let (_, body) = app
        .shopper(
            None,
            REPORT,
            json!({"i": {"event": "CART_CHANGED", "visitor_id": visitor, "last_url": "/a\u{0}b"}}),
        )
        .await;
    assert_eq!(error_ext(&body, "category"), "graphql-input", "{body}");
    let (_, body) = app
        .shopper(
            None,
            REPORT,
            json!({"i": {"event": "PAGE_VIEW", "visitor_id": visitor}}),
        )
        .await;
    assert!(
        error_message(&body).contains("PAGE_VIEW"),
        "page views are not activity: {body}"
    );

    // The commerce backend reports for customers and visitors with its own permission.
    let admin = app.root_token().await;
    let record = "mutation($i: RecordCustomerActivityInput!) { recordCustomerActivity(input: $i) }";
    let (_, body) = app
        .admin(Some(&admin), record, json!({"i": {"customer_id": 4242}}))
        .await;
    assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");
    let (_, body) = app.admin(Some(&admin), record, json!({"i": {}})).await;
    assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");
    let (_, body) = app
        .admin(
            Some(&admin),
            record,
            json!({"i": {"visitor_id": visitor, "last_url": "/Cart/Add"}}),
        )
        .await;
    assert_eq!(body["data"]["recordCustomerActivity"], true, "{body}");
    let page = grid(app, &admin, json!({"last_url": "cart/ADD"}), Value::Null).await;
    assert_eq!(page["total_count"], 1, "{page}");
    assert_eq!(page["items"][0]["type"], "VISITOR");
    assert_eq!(
        page["items"][0]["last_url"], "/Cart/Add",
        "shown as reported"
    );
});

db_test!(
    a_website_scoped_role_sees_only_its_customers_online,
    |app| {
        let root = app.root_token().await;
        let eu = app.create_website(&root, "eu").await;
        let create = "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }";
        let mut ids = Vec::new();
        for (email, website) in [("home@example.com", 1), ("away@example.com", eu)] {
            let (_, body) = app
            .admin(
                Some(&root),
                create,
                json!({"i": {"email": email, "firstname": "A", "lastname": "B", "website_id": website}}),
            )
            .await;
            ids.push(
                body["data"]["createCustomer"]["id"]
                    .as_i64()
                    .unwrap_or_else(|| panic!("{body}")),
            );
        }
        let record =
            "mutation($i: RecordCustomerActivityInput!) { recordCustomerActivity(input: $i) }";
        for id in &ids {
            let (_, body) = app
                .admin(Some(&root), record, json!({"i": {"customer_id": id}}))
                .await;
            assert_eq!(body["data"]["recordCustomerActivity"], true, "{body}");
        }
        assert_eq!(
            grid(app, &root, json!({}), Value::Null).await["total_count"],
            2
        );

        let (_, role) = app
        .admin(
            Some(&root),
            "mutation { createRole(input: {name: \"Base desk\", resources: [\"Magento_Customer::online\", \"Clientele_Customer::activity_report\"], website_ids: [1]}) { id } }",
            json!({}),
        )
        .await;
        let role_id = role["data"]["createRole"]["id"].as_i64().expect("role") as i32;
        app.create_staff("desk@example.com", role_id).await;
        let desk = app.sign_in("desk@example.com").await;
        let page = grid(app, &desk, json!({}), Value::Null).await;
        assert_eq!(column(&page, "email"), vec![&json!("home@example.com")]);
        let (_, body) = app
            .admin(Some(&desk), record, json!({"i": {"customer_id": ids[1]}}))
            .await;
        assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");

        // A deactivated account is offline at once.
        app.admin(
            Some(&root),
            "mutation($id: Int!) { updateCustomer(id: $id, input: {is_active: false}) { id } }",
            json!({"id": ids[0]}),
        )
        .await;
        let page = grid(app, &root, json!({}), Value::Null).await;
        assert_eq!(column(&page, "email"), vec![&json!("away@example.com")]);
    }
);

db_test!(
    visitor_ids_and_revived_visitors_share_a_per_client_allowance,
    settings | s | {
        s.visitor_ids_per_client = 2;
    },
    |app| {
        let first = visitor_id(app).await;
        visitor_id(app).await;
        let (_, body) = app
            .shopper(
                None,
                "mutation { generateVisitorId { visitor_id } }",
                json!({}),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "RATE_LIMITED", "{body}");
        // A visitor still online is not new: reporting for them costs nothing.
        let (_, body) = app
            .shopper(
                None,
                REPORT,
                json!({"i": {"event": "CART_CHANGED", "visitor_id": first}}),
            )
            .await;
        assert_eq!(body["data"]["reportActivity"]["result"], true, "{body}");
        // Once cleaned up, bringing them back is.
        app.services
            .db
            .execute_unprepared("DELETE FROM visitors")
            .await
            .expect("clean up");
        let (_, body) = app
            .shopper(
                None,
                REPORT,
                json!({"i": {"event": "CART_CHANGED", "visitor_id": first}}),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "RATE_LIMITED", "{body}");
    }
);
