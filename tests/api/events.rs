//! Customer events and the timeline: every change records who made it (the shopper, staff, an
//! integration, staff in a Login as Customer session, a row of an import file) and in which
//! request, and staff with the timeline permission read it back newest first, page by page.

use clientele_tests::{TestApp, db_test, error_ext};
use serde_json::{Value, json};

const PASSWORD: &str = "Sunny-Day-42";
const TIMELINE: &str = "query($id: Int!, $first: Int, $after: String, $types: [String!]) { customer(id: $id) { timeline(first: $first, after: $after, types: $types) { items { id type occurred_at customer_id website_id request_id data actor { type staff_user_id integration_id customer_id import_job_id import_file import_row } changes { field old_value new_value } } page_info { has_next_page end_cursor } } } }";

/// Customer `id`'s timeline as `token` reads it: the events (newest first) and the whole body.
async fn timeline(app: &TestApp, token: &str, id: i64, args: Value) -> (Vec<Value>, Value) {
    let mut variables = json!({"id": id});
    if let (Some(vars), Some(extra)) = (variables.as_object_mut(), args.as_object()) {
        vars.extend(extra.clone());
    }
    let (_, body) = app.admin(Some(token), TIMELINE, variables).await;
    let items = body["data"]["customer"]["timeline"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (items, body)
}

/// A token of the shopper `ann@example.com`.
async fn ann_token(app: &TestApp) -> String {
    let (_, signed_in) = app
        .shopper(
            None,
            "mutation($p: String!) { generateCustomerToken(email: \"ann@example.com\", password: $p) { token } }",
            json!({"p": PASSWORD}),
        )
        .await;
    signed_in["data"]["generateCustomerToken"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{signed_in}"))
        .to_owned()
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().filter_map(|e| e["type"].as_str()).collect()
}

/// The newest event of `kind`.
fn newest<'a>(events: &'a [Value], kind: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {events:?}"))
}

db_test!(each_change_names_its_actor_and_request, |app| {
    let admin = app.root_token().await;
    let root_id = app.staff_id(&admin).await;

    // A shopper registers (not yet signed in), then renames themselves.
    let (_, created) = app
        .shopper(
            None,
            "mutation($p: String!) { createCustomerV2(input: {firstname: \"Ann\", lastname: \"Lee\", email: \"ann@example.com\", password: $p, allow_remote_shopping_assistance: true}) { customer { email } } }",
            json!({"p": PASSWORD}),
        )
        .await;
    assert!(created["errors"].is_null(), "{created}");
    let id = app.customer_id(&admin, "ann@example.com").await;
    let shopper = ann_token(app).await;
    let (_, renamed) = app
        .shopper(
            Some(&shopper),
            "mutation { updateCustomerV2(input: {firstname: \"Anne\"}) { customer { firstname } } }",
            json!({}),
        )
        .await;
    assert!(renamed["errors"].is_null(), "{renamed}");

    // Staff move her to another group, in a request with an id of the caller's choosing.
    let (_, moved) = app
        .post(
            "/admin/graphql",
            json!({"query": "mutation($id: Int!) { updateCustomer(id: $id, input: {group_id: 2}) { group_id } }", "variables": {"id": id}}),
            &[("authorization", &format!("Bearer {admin}")), ("x-request-id", "req-move-ann")],
        )
        .await;
    assert!(moved["errors"].is_null(), "{moved}");

    // An integration changes her last name.
    let (_, integration) = app
        .admin(
            Some(&admin),
            "mutation { createIntegration(input: {name: \"CRM\", resources: [\"Magento_Customer::manage\"]}) { token integration { id } } }",
            json!({}),
        )
        .await;
    let crm = integration["data"]["createIntegration"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{integration}"))
        .to_owned();
    let crm_id = &integration["data"]["createIntegration"]["integration"]["id"];
    let (_, by_crm) = app
        .admin(
            Some(&crm),
            "mutation($id: Int!) { updateCustomer(id: $id, input: {lastname: \"Lee-Smith\"}) { lastname } }",
            json!({"id": id}),
        )
        .await;
    assert!(by_crm["errors"].is_null(), "{by_crm}");

    // Staff act as her in a Login as Customer session.
    app.set_config("login_as_customer/general/enabled", "1")
        .await;
    let (_, session) = app
        .admin(
            Some(&admin),
            "mutation($id: Int!) { loginAsCustomer(input: {customer_id: $id, reason: \"phone call\"}) { customer_token } }",
            json!({"id": id}),
        )
        .await;
    let assisted = session["data"]["loginAsCustomer"]["customer_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{session}"))
        .to_owned();
    let (_, helped) = app
        .shopper(
            Some(&assisted),
            "mutation { updateCustomerV2(input: {middlename: \"B\"}) { customer { middlename } } }",
            json!({}),
        )
        .await;
    assert!(helped["errors"].is_null(), "{helped}");
    let (_, ended) = app
        .shopper(
            Some(&assisted),
            "mutation { revokeCustomerToken { result } }",
            json!({}),
        )
        .await;
    assert_eq!(
        ended["data"]["revokeCustomerToken"]["result"], true,
        "{ended}"
    );

    // A row of an import file changes her date of birth.
    let (_, imported) = app
        .import_file(
            &admin,
            "customer",
            "behavior=add_update",
            "email,_website,firstname,lastname,dob\nann@example.com,base,Anne,Lee-Smith,1990-04-01\n",
        )
        .await;
    assert_eq!(imported["data"]["updated"], 1, "{imported}");

    let (events, body) = timeline(app, &admin, id, json!({"first": 50})).await;
    assert_eq!(
        types(&events),
        [
            "customer.updated",
            "customer.assisted_session.ended",
            "customer.updated",
            "customer.assisted_session.started",
            "customer.updated",
            "customer.group_changed",
            "customer.updated",
            "customer.consent_changed",
            "customer.created",
        ],
        "{body}"
    );
    let actors: Vec<&Value> = events.iter().map(|e| &e["actor"]).collect();
    for registering in &actors[7..] {
        assert_eq!(
            registering["type"], "CUSTOMER",
            "registering: not signed in yet"
        );
        assert_eq!(registering["customer_id"], Value::Null);
    }
    assert_eq!(
        events[7]["data"],
        json!({"consent": "LOGIN_AS_CUSTOMER", "granted": true})
    );
    assert_eq!(
        (&actors[6]["type"], &actors[6]["customer_id"]),
        (&json!("CUSTOMER"), &json!(id))
    );
    assert_eq!(
        events[6]["changes"],
        json!([{"field": "firstname", "old_value": "Ann", "new_value": "Anne"}])
    );
    assert_eq!(
        (&actors[5]["type"], &actors[5]["staff_user_id"]),
        (&json!("STAFF"), &json!(root_id))
    );
    assert_eq!(events[5]["request_id"], "req-move-ann");
    assert_eq!(events[5]["changes"][0]["new_value"], 2);
    assert_eq!(
        (&actors[4]["type"], &actors[4]["integration_id"]),
        (&json!("INTEGRATION"), crm_id)
    );
    // The session: opened by the staff user, used and closed as the customer.
    let session_id = &events[3]["data"]["session_id"];
    assert!(session_id.is_string(), "{body}");
    assert_eq!(
        (&actors[3]["type"], &actors[3]["staff_user_id"]),
        (&json!("STAFF"), &json!(root_id))
    );
    for assisted in &actors[1..3] {
        assert_eq!(
            (
                &assisted["type"],
                &assisted["staff_user_id"],
                &assisted["customer_id"]
            ),
            (&json!("ASSISTED"), &json!(root_id), &json!(id))
        );
    }
    assert_eq!(&events[1]["data"]["session_id"], session_id);
    assert_eq!(actors[0]["type"], "IMPORT");
    assert_eq!(
        (&actors[0]["import_file"], &actors[0]["import_row"]),
        (&json!("customer"), &json!(2))
    );
    assert_eq!(actors[0]["import_job_id"], imported["job"]["id"]);
    assert_eq!(events[0]["changes"][0]["field"], "dob");
    for event in &events {
        assert_eq!(
            (&event["customer_id"], &event["website_id"]),
            (&json!(id), &json!(1))
        );
        let text = event.to_string();
        assert!(
            !text.contains("password") && !text.contains("$argon2"),
            "{text}"
        );
    }
    // Every request has an id, which the events it made carry (an import job runs after its
    // upload has been answered).
    assert!(
        events[1..].iter().all(|e| e["request_id"].is_string()),
        "{body}"
    );
});

db_test!(a_timeline_pages_newest_first_and_filters_by_type, |app| {
    let admin = app.root_token().await;
    let (_, created) = app
        .admin(
            Some(&admin),
            "mutation { createCustomer(input: {email: \"bob@example.com\", firstname: \"Bob\", lastname: \"Ray\"}) { id } }",
            json!({}),
        )
        .await;
    let id = created["data"]["createCustomer"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{created}"));
    for name in ["Rae", "Roy", "Rex", "Ray"] {
        let (_, updated) = app
            .admin(
                Some(&admin),
                "mutation($id: Int!, $n: String!) { updateCustomer(id: $id, input: {lastname: $n}) { id } }",
                json!({"id": id, "n": name}),
            )
            .await;
        assert!(updated["errors"].is_null(), "{updated}");
    }
    let (first, body) = timeline(app, &admin, id, json!({"first": 3})).await;
    let info = &body["data"]["customer"]["timeline"]["page_info"];
    assert_eq!(info["has_next_page"], true, "{body}");
    let names: Vec<&Value> = first
        .iter()
        .map(|e| &e["changes"][0]["new_value"])
        .collect();
    assert_eq!(names, [&json!("Ray"), &json!("Rex"), &json!("Roy")]);
    let (rest, body) = timeline(
        app,
        &admin,
        id,
        json!({"first": 3, "after": info["end_cursor"]}),
    )
    .await;
    assert_eq!(
        types(&rest),
        ["customer.updated", "customer.created"],
        "{body}"
    );
    assert_eq!(
        body["data"]["customer"]["timeline"]["page_info"],
        json!({"has_next_page": false, "end_cursor": null})
    );

    let (only, _) = timeline(app, &admin, id, json!({"types": ["customer.created"]})).await;
    assert_eq!(types(&only), ["customer.created"]);
    assert_eq!(newest(&only, "customer.created")["actor"]["type"], "STAFF");

    let (_, body) = timeline(app, &admin, id, json!({"types": ["customer.exploded"]})).await;
    assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");
    let (_, body) = timeline(app, &admin, id, json!({"first": 201})).await;
    assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");
    let (_, body) = timeline(app, &admin, id, json!({"after": "not-a-cursor"})).await;
    assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");

    let (_, catalogue) = app
        .admin(
            Some(&admin),
            "{ webhookEventTypes { name description } }",
            json!({}),
        )
        .await;
    let names: Vec<&str> = catalogue["data"]["webhookEventTypes"]
        .as_array()
        .map(|types| types.iter().filter_map(|t| t["name"].as_str()).collect())
        .unwrap_or_default();
    for expected in [
        "customer.created",
        "customer.address.deleted",
        "customer_group.updated",
    ] {
        assert!(names.contains(&expected), "{catalogue}");
    }
});

db_test!(the_timeline_needs_its_own_permission, |app| {
    let admin = app.root_token().await;
    let (_, created) = app
        .admin(
            Some(&admin),
            "mutation { createCustomer(input: {email: \"cy@example.com\", firstname: \"Cy\", lastname: \"Ng\"}) { id } }",
            json!({}),
        )
        .await;
    let id = created["data"]["createCustomer"]["id"]
        .as_i64()
        .expect("id");
    let (_, role) = app
        .admin(
            Some(&admin),
            "mutation { createRole(input: {name: \"Service desk\", resources: [\"Magento_Customer::manage\"]}) { id } }",
            json!({}),
        )
        .await;
    let role_id = role["data"]["createRole"]["id"].as_i64().expect("role") as i32;
    app.create_staff("desk@example.com", role_id).await;
    let desk = app.sign_in("desk@example.com").await;
    let (events, body) = timeline(app, &desk, id, json!({})).await;
    assert!(events.is_empty());
    assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "{body}");
    let (_, customer) = app
        .admin(
            Some(&desk),
            "query($id: Int!) { customer(id: $id) { email } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        customer["data"]["customer"]["email"], "cy@example.com",
        "the rest stays readable"
    );
});

db_test!(imports_mass_actions_and_lockouts_record_each_row, |app| {
    let admin = app.root_token().await;
    let root_id = app.staff_id(&admin).await;
    app.import_customers(
        &admin,
        &["a@example.com", "b@example.com", "c@example.com"],
        PASSWORD,
    )
    .await;
    let ids = [
        app.customer_id(&admin, "a@example.com").await,
        app.customer_id(&admin, "b@example.com").await,
        app.customer_id(&admin, "c@example.com").await,
    ];
    for (row, id) in ids.iter().enumerate() {
        let (events, body) = timeline(app, &admin, *id, json!({})).await;
        assert_eq!(types(&events), ["customer.created"], "{body}");
        assert_eq!(
            (
                &events[0]["actor"]["type"],
                &events[0]["actor"]["import_row"]
            ),
            (&json!("IMPORT"), &json!(row + 2)),
            "each created account names its own line"
        );
    }

    let (_, mass) = app
        .admin(
            Some(&admin),
            "mutation($ids: [Int!]!) { massAssignCustomerGroup(input: {group_id: 3, selection: {ids: $ids}}) { changed } }",
            json!({"ids": [ids[0], ids[1]]}),
        )
        .await;
    assert!(mass["errors"].is_null(), "{mass}");
    for id in &ids[..2] {
        let (events, _) = timeline(app, &admin, *id, json!({"first": 1})).await;
        let moved = newest(&events, "customer.group_changed");
        assert_eq!(
            (&moved["actor"]["type"], &moved["actor"]["staff_user_id"]),
            (&json!("STAFF"), &json!(root_id))
        );
        assert_eq!(moved["changes"][0]["new_value"], 3);
    }

    let (_, imported) = app
        .import_file(
            &admin,
            "customer_address",
            "behavior=add_update",
            "_website,_email,firstname,lastname,street,city,country_id,region,postcode,telephone\n\
             base,c@example.com,Cy,Lee,1 Main St,Austin,US,TX,78701,5125550100\n",
        )
        .await;
    assert_eq!(imported["data"]["created"], 1, "{imported}");
    let (events, body) = timeline(app, &admin, ids[2], json!({})).await;
    let added = newest(&events, "customer.address.created");
    assert_eq!(
        (
            &added["actor"]["import_file"],
            &added["actor"]["import_row"]
        ),
        (&json!("customer_address"), &json!(2)),
        "{body}"
    );
    assert!(added["data"]["address_id"].is_i64(), "{body}");

    // Failed sign-ins lock the account; staff lift the lock.
    app.set_config("customer/password/lockout_failures", "2")
        .await;
    for _ in 0..2 {
        let (status, _) = app
            .shopper(
                None,
                "mutation { generateCustomerToken(email: \"a@example.com\", password: \"wrong-Password-1\") { token } }",
                json!({}),
            )
            .await;
        assert_eq!(status, 401);
    }
    // The failure is settled just after the answer.
    let mut locked = false;
    for _ in 0..100 {
        let (events, _) = timeline(app, &admin, ids[0], json!({"first": 1})).await;
        if types(&events) == ["customer.locked"] {
            locked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(locked, "the lock is recorded");
    let (_, unlocked) = app
        .admin(
            Some(&admin),
            "mutation($id: Int!) { unlockCustomer(id: $id) { locked_until } }",
            json!({"id": ids[0]}),
        )
        .await;
    assert!(unlocked["errors"].is_null(), "{unlocked}");
    let (events, body) = timeline(app, &admin, ids[0], json!({"first": 2})).await;
    assert_eq!(
        types(&events),
        ["customer.unlocked", "customer.locked"],
        "{body}"
    );
    assert_eq!(
        events[1]["actor"]["type"], "CUSTOMER",
        "the failing sign-in"
    );
    assert!(events[1]["data"]["locked_until"].is_string(), "{body}");
    assert_eq!(events[0]["actor"]["type"], "STAFF");
});

db_test!(
    a_newsletter_consent_names_its_source_and_the_version_of_its_text,
    |app| {
        app.set_config("newsletter/subscription/consent_text_version", "2026-12")
            .await;
        let admin = app.root_token().await;
        let (_, created) = app
        .shopper(
            None,
            "mutation($p: String!) { createCustomerV2(input: {firstname: \"Ann\", lastname: \"Lee\", email: \"ann@example.com\", password: $p}) { customer { email } } }",
            json!({"p": PASSWORD}),
        )
        .await;
        assert!(created["errors"].is_null(), "{created}");
        let shopper = ann_token(app).await;
        let (_, subscribed) = app
            .shopper(
                Some(&shopper),
                "mutation { subscribeEmailToNewsletter(email: \"ann@example.com\") { status } }",
                json!({}),
            )
            .await;
        assert_eq!(
            subscribed["data"]["subscribeEmailToNewsletter"]["status"], "SUBSCRIBED",
            "{subscribed}"
        );
        let (_, withdrawn) = app
        .shopper(
            Some(&shopper),
            "mutation { updateCustomerV2(input: {is_subscribed: false}) { customer { is_subscribed } } }",
            json!({}),
        )
        .await;
        assert!(withdrawn["errors"].is_null(), "{withdrawn}");

        let id = app.customer_id(&admin, "ann@example.com").await;
        let (events, body) = timeline(
            app,
            &admin,
            id,
            json!({"types": ["customer.consent_changed"]}),
        )
        .await;
        let data: Vec<&Value> = events.iter().map(|e| &e["data"]).collect();
        assert_eq!(
            data,
            [
                &json!({"consent": "NEWSLETTER", "granted": false, "store_id": 1, "source": "ACCOUNT"}),
                &json!({"consent": "NEWSLETTER", "granted": true, "store_id": 1, "source": "NEWSLETTER_FORM", "text_version": "2026-12"}),
            ],
            "{body}"
        );
        assert!(events.iter().all(|e| e["occurred_at"].is_string()));
    }
);
