//! Customer accounts through the admin API: records, address book, the Customers grid.

use clientele_tests::{TestApp, db_test, error_ext, error_message};
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id uid email website_id store_id created_in group_id is_active is_confirmed version } }";
const GRID: &str = "query($search: String, $filter: CustomerGridFilterInput, $sort: CustomerGridSortInput, $size: Int, $page: Int) { customers(search: $search, filter: $filter, sort: $sort, pageSize: $size, currentPage: $page) { total_count page_info { total_pages } items { id firstname lastname email billing_postcode billing_region } } }";

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    app.admin(Some(token), CREATE, json!({ "input": input }))
        .await
        .1
}

fn ids(body: &Value) -> Vec<i64> {
    body["data"]["customers"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

db_test!(customer_service_creates_and_edits_accounts, |app| {
    let token = app.root_token().await;
    let body = create(app, &token, json!({"email": "Ann@Example.com", "firstname": "Ann", "lastname": "Lee", "dob": "1980-05-01", "gender": 2})).await;
    let c = &body["data"]["createCustomer"];
    assert_eq!(c["email"], "Ann@Example.com", "{body}");
    assert_eq!(
        (
            c["website_id"].as_i64(),
            c["store_id"].as_i64(),
            c["group_id"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(c["created_in"], "Default Store View");
    assert_eq!(c["is_confirmed"], true);
    let id = c["id"].as_i64().expect("id");
    assert_eq!(c["uid"], base64_of(id));
    let dup = create(
        app,
        &token,
        json!({"email": "ann@example.COM", "firstname": "A", "lastname": "B"}),
    )
    .await;
    assert_eq!(error_ext(&dup, "code"), "CONFLICT");
    assert_eq!(
        error_message(&dup),
        "A customer with the same email address already exists in an associated website."
    );
    for (input, field) in [
        (
            json!({"email": "not-an-email", "firstname": "A", "lastname": "B"}),
            "email",
        ),
        (
            json!({"email": "x@example.com", "firstname": " ", "lastname": "B"}),
            "firstname",
        ),
        (
            json!({"email": "x@example.com", "firstname": "A", "lastname": "B", "dob": "2999-01-01"}),
            "dob",
        ),
        (
            json!({"email": "x@example.com", "firstname": "A", "lastname": "B", "dob": "yesterday"}),
            "dob",
        ),
        (
            json!({"email": "x@example.com", "firstname": "A", "lastname": "B", "gender": 7}),
            "gender",
        ),
        (
            json!({"email": "x@example.com", "firstname": "A\u{0}", "lastname": "B"}),
            "firstname",
        ),
        (
            json!({"email": "x@example.com", "firstname": "A", "lastname": "B", "group_id": 99}),
            "group_id",
        ),
    ] {
        let bad = create(app, &token, input.clone()).await;
        assert_eq!(error_ext(&bad, "code"), "BAD_USER_INPUT", "{input}: {bad}");
        assert_eq!(error_ext(&bad, "field"), field, "{input}");
    }
    let (_, grid) = app.admin(Some(&token), GRID, json!({})).await;
    assert_eq!(
        grid["data"]["customers"]["total_count"], 1,
        "nothing half-written by the refused inputs"
    );
    let update = "mutation($id: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { lastname group_id version } }";
    let (_, first) = app
        .admin(
            Some(&token),
            update,
            json!({"id": id, "input": {"expected_version": 1, "lastname": "Park", "group_id": 2}}),
        )
        .await;
    assert_eq!(first["data"]["updateCustomer"]["version"], 2, "{first}");
    let (_, stale) = app
        .admin(
            Some(&token),
            update,
            json!({"id": id, "input": {"expected_version": 1, "lastname": "Kim"}}),
        )
        .await;
    assert_eq!(error_ext(&stale, "code"), "CONFLICT");
    let (_, read) = app
        .admin(
            Some(&token),
            "query($id: Int!) { customer(id: $id) { lastname group_id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(read["data"]["customer"]["lastname"], "Park");
    let (_, groups) = app
        .admin(
            Some(&token),
            "{ customerGroups(filter: {id: {from: 2, to: 2}}) { items { customer_count } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        groups["data"]["customerGroups"]["items"][0]["customer_count"],
        1
    );
    let (_, deleted) = app
        .admin(
            Some(&token),
            "mutation($id: Int!) { deleteCustomer(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(deleted["data"]["deleteCustomer"], true);
    let (_, gone) = app
        .admin(
            Some(&token),
            "query($id: Int!) { customer(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_ext(&gone, "code"), "NOT_FOUND");
});

fn base64_of(id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(id.to_string())
}

db_test!(the_address_book_and_the_grid_stay_in_step, |app| {
    let token = app.root_token().await;
    let ann = create(
        app,
        &token,
        json!({"email": "ann@example.com", "firstname": "Ann", "lastname": "Lee"}),
    )
    .await["data"]["createCustomer"]["id"]
        .as_i64()
        .expect("ann");
    let bob = create(
        app,
        &token,
        json!({"email": "bob@example.com", "firstname": "Bob", "lastname": "Lee"}),
    )
    .await["data"]["createCustomer"]["id"]
        .as_i64()
        .expect("bob");
    let add = "mutation($c: Int!, $input: CustomerAddressInput!) { createCustomerAddress(customerId: $c, input: $input) { id firstname region region_code country_code street default_billing } }";
    let (_, address) = app
        .admin(Some(&token), add, json!({"c": ann, "input": {"street": ["1 Main St", "Suite 5"], "city": "Austin", "region_code": "TX", "postcode": "78701", "country_code": "US", "telephone": "512-555-0100", "default_billing": true}}))
        .await;
    let a = &address["data"]["createCustomerAddress"];
    assert_eq!(
        (
            a["firstname"].as_str(),
            a["region"].as_str(),
            a["default_billing"].as_bool()
        ),
        (Some("Ann"), Some("Texas"), Some(true)),
        "{address}"
    );
    let address_id = a["id"].as_i64().expect("address");
    for (input, field) in [
        (
            json!({"street": ["1"], "city": "X", "postcode": "1", "country_code": "ZZ", "telephone": "1"}),
            "country_code",
        ),
        (
            json!({"street": ["1"], "city": "X", "postcode": "1", "country_code": "US", "region_code": "ZZ", "telephone": "1"}),
            "region_code",
        ),
        (
            json!({"street": ["1"], "city": "X", "postcode": "1", "country_code": "US", "telephone": "1"}),
            "region",
        ),
        (
            json!({"street": ["1", "2", "3"], "city": "X", "postcode": "1", "country_code": "IE", "telephone": "1"}),
            "street",
        ),
        (
            json!({"street": ["1"], "city": "X", "country_code": "IE"}),
            "telephone",
        ),
    ] {
        let (_, bad) = app
            .admin(Some(&token), add, json!({"c": ann, "input": input.clone()}))
            .await;
        assert_eq!(error_ext(&bad, "field"), field, "{input}: {bad}");
    }
    let (_, by_keyword) = app
        .admin(Some(&token), GRID, json!({"search": "78701 lee"}))
        .await;
    assert_eq!(ids(&by_keyword), vec![ann]);
    let (_, by_filter) = app
        .admin(
            Some(&token),
            GRID,
            json!({"filter": {"region": {"match": "tex"}, "country_code": {"in": ["us"]}}}),
        )
        .await;
    assert_eq!(ids(&by_filter), vec![ann]);
    let update = "mutation($c: Int!, $id: Int!, $input: CustomerAddressInput!) { updateCustomerAddress(customerId: $c, id: $id, input: $input) { postcode street } }";
    let (_, changed) = app
        .admin(
            Some(&token),
            update,
            json!({"c": ann, "id": address_id, "input": {"postcode": "73301"}}),
        )
        .await;
    assert_eq!(
        changed["data"]["updateCustomerAddress"]["street"],
        json!(["1 Main St", "Suite 5"]),
        "partial update keeps the rest"
    );
    let (_, fresh) = app
        .admin(
            Some(&token),
            GRID,
            json!({"filter": {"postcode": {"match": "73301"}}}),
        )
        .await;
    assert_eq!(
        ids(&fresh),
        vec![ann],
        "the grid is fresh after an address change"
    );
    let (_, foreign) = app
        .admin(
            Some(&token),
            update,
            json!({"c": bob, "id": address_id, "input": {"city": "Hacked"}}),
        )
        .await;
    assert_eq!(error_ext(&foreign, "code"), "NOT_FOUND");
    let (_, sorted) = app
        .admin(
            Some(&token),
            GRID,
            json!({"sort": {"field": "NAME", "direction": "DESC"}, "size": 1, "page": 1}),
        )
        .await;
    assert_eq!(ids(&sorted), vec![bob]);
    assert_eq!(sorted["data"]["customers"]["page_info"]["total_pages"], 2);
    let (_, injection) = app
        .admin(Some(&token), GRID, json!({"search": "') OR 1=1--"}))
        .await;
    assert_eq!(injection["data"]["customers"]["total_count"], 0);
    let (_, book) = app.admin(Some(&token), "query($id: Int!) { customer(id: $id) { billing_postcode addresses { total_count items { id default_billing } } } }", json!({"id": ann})).await;
    assert_eq!(book["data"]["customer"]["billing_postcode"], "73301");
    assert_eq!(book["data"]["customer"]["addresses"]["total_count"], 1);
    let (_, removed) = app
        .admin(
            Some(&token),
            "mutation($c: Int!, $id: Int!) { deleteCustomerAddress(customerId: $c, id: $id) }",
            json!({"c": ann, "id": address_id}),
        )
        .await;
    assert_eq!(removed["data"]["deleteCustomerAddress"], true);
    let (_, cleared) = app
        .admin(
            Some(&token),
            GRID,
            json!({"filter": {"postcode": {"match": "73301"}}}),
        )
        .await;
    assert_eq!(cleared["data"]["customers"]["total_count"], 0);
});

db_test!(
    deleting_a_group_moves_its_customers_and_websites_with_customers_stay,
    |app| {
        let token = app.root_token().await;
        let id = create(
            app,
            &token,
            json!({"email": "r@example.com", "firstname": "R", "lastname": "T", "group_id": 3}),
        )
        .await["data"]["createCustomer"]["id"]
            .as_i64()
            .expect("id");
        let (_, deleted) = app
            .admin(
                Some(&token),
                "mutation { deleteCustomerGroup(id: 3) }",
                json!({}),
            )
            .await;
        assert_eq!(deleted["data"]["deleteCustomerGroup"], true, "{deleted}");
        let (_, read) = app
            .admin(
                Some(&token),
                "query($id: Int!) { customer(id: $id) { group_id } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(read["data"]["customer"]["group_id"], 1);
        let site_id = app.create_website(&token, "eu").await;
        app.admin(Some(&token), "mutation($id: Int!, $w: Int!) { updateCustomer(id: $id, input: {website_id: $w}) { website_id } }", json!({"id": id, "w": site_id})).await;
        let (_, refused) = app
            .admin(
                Some(&token),
                "mutation($id: Int!) { deleteWebsite(id: $id) }",
                json!({"id": site_id}),
            )
            .await;
        assert_eq!(error_ext(&refused, "code"), "CONFLICT", "{refused}");
    }
);

db_test!(
    mass_actions_change_all_or_nothing_and_report_each_row,
    |app| {
        let token = app.root_token().await;
        let mut ids = Vec::new();
        for name in ["a", "b", "c"] {
            let body = create(app, &token, json!({"email": format!("{name}@example.com"), "firstname": name, "lastname": "Mass"})).await;
            ids.push(body["data"]["createCustomer"]["id"].as_i64().expect("id"));
        }
        let assign = "mutation($input: MassAssignCustomerGroupInput!) { massAssignCustomerGroup(input: $input) { requested changed failures { id code message } } }";
        let mut with_missing = ids.clone();
        with_missing.push(424242);
        let (_, strict) = app.admin(Some(&token), assign, json!({"input": {"selection": {"ids": with_missing}, "group_id": 2, "all_or_nothing": true}})).await;
        let r = &strict["data"]["massAssignCustomerGroup"];
        assert_eq!(
            (r["requested"].as_i64(), r["changed"].as_i64()),
            (Some(4), Some(0)),
            "{strict}"
        );
        assert_eq!(r["failures"][0]["id"], 424242);
        assert_eq!(r["failures"][0]["code"], "NOT_FOUND");
        let (_, still) = app
            .admin(
                Some(&token),
                GRID,
                json!({"filter": {"group_id": {"eq": 2}}}),
            )
            .await;
        assert_eq!(
            still["data"]["customers"]["total_count"], 0,
            "all or nothing: nothing changed"
        );
        let (_, by_filter) = app.admin(Some(&token), assign, json!({"input": {"selection": {"filter": {"name": {"match": "mass"}}}, "group_id": 2}})).await;
        assert_eq!(by_filter["data"]["massAssignCustomerGroup"]["changed"], 3);
        let (_, none) = app
            .admin(
                Some(&token),
                assign,
                json!({"input": {"selection": {}, "group_id": 2}}),
            )
            .await;
        assert_eq!(error_ext(&none, "code"), "BAD_USER_INPUT");
        let subscribe = "mutation($input: CustomerMassActionInput!) { massSubscribeCustomers(input: $input) { changed } }";
        let (_, subscribed) = app
            .admin(
                Some(&token),
                subscribe,
                json!({"input": {"selection": {"ids": [ids[0], ids[1]]}}}),
            )
            .await;
        assert_eq!(subscribed["data"]["massSubscribeCustomers"]["changed"], 2);
        let (_, subs) = app.admin(Some(&token), "query($id: Int!) { customer(id: $id) { newsletter_subscriptions { store_id status } } }", json!({"id": ids[0]})).await;
        assert_eq!(
            subs["data"]["customer"]["newsletter_subscriptions"],
            json!([{"store_id": 1, "status": "SUBSCRIBED"}])
        );
        let (_, off) = app.admin(Some(&token), "mutation($id: Int!) { unsubscribeCustomerFromNewsletter(customerId: $id) { status } }", json!({"id": ids[0]})).await;
        assert_eq!(
            off["data"]["unsubscribeCustomerFromNewsletter"][0]["status"],
            "UNSUBSCRIBED"
        );
        let delete = "mutation($input: CustomerMassActionInput!) { massDeleteCustomers(input: $input) { changed } }";
        let (_, deleted) = app
            .admin(
                Some(&token),
                delete,
                json!({"input": {"selection": {"filter": {}}}}),
            )
            .await;
        assert_eq!(deleted["data"]["massDeleteCustomers"]["changed"], 3);
        let (_, empty) = app.admin(Some(&token), GRID, json!({})).await;
        assert_eq!(empty["data"]["customers"]["total_count"], 0);
    }
);

db_test!(
    the_grid_exports_as_csv_and_excel_xml_for_permitted_callers,
    |app| {
        let token = app.root_token().await;
        for (i, (name, group)) in [("Ann", 1), ("Bob", 2), ("=HYPERLINK(\"x\")", 2)]
            .into_iter()
            .enumerate()
        {
            create(app, &token, json!({"email": format!("e{i}@example.com"), "firstname": name, "lastname": "Export", "group_id": group})).await;
        }
        let url = format!("{}/admin/export/customers", app.base);
        let csv = app
            .http
            .get(&url)
            .query(&[("filter", r#"{"group_id": {"eq": 2}}"#)])
            .bearer_auth(&token)
            .send()
            .await
            .expect("csv");
        assert_eq!(csv.status(), 200);
        assert!(
            csv.headers()["content-disposition"]
                .to_str()
                .expect("cd")
                .contains("customers.csv")
        );
        let text = csv.text().await.expect("text");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0]
                .trim_start_matches('\u{feff}')
                .starts_with("ID,Name,Email,Group")
        );
        assert!(text.contains("Wholesale") && !text.contains("Ann Export"));
        assert!(
            text.contains("'=HYPERLINK"),
            "formulas are neutralised: {text}"
        );
        let xml = app
            .http
            .get(&url)
            .query(&[("format", "xml"), ("search", "ann")])
            .bearer_auth(&token)
            .send()
            .await
            .expect("xml");
        let body = xml.text().await.expect("xml body");
        assert!(
            body.starts_with("<?xml")
                && body.contains("<Data ss:Type=\"String\">Ann Export</Data>")
                && body.trim_end().ends_with("</Workbook>"),
            "{body}"
        );
        let anonymous = app.http.get(&url).send().await.expect("anonymous");
        assert_eq!(anonymous.status(), 401);
        let (_, role) = app.admin(Some(&token), "mutation { createRole(input: {name: \"Groups only\", resources: [\"Magento_Customer::group\"]}) { id } }", json!({})).await;
        app.create_staff(
            "groups@example.com",
            role["data"]["createRole"]["id"].as_i64().expect("role") as i32,
        )
        .await;
        let limited = app.sign_in("groups@example.com").await;
        let denied = app
            .http
            .get(&url)
            .bearer_auth(&limited)
            .send()
            .await
            .expect("denied");
        assert_eq!(denied.status(), 403);
        let bad = app
            .http
            .get(&url)
            .query(&[("filter", r#"{"nope": 1}"#)])
            .bearer_auth(&token)
            .send()
            .await
            .expect("bad");
        assert_eq!(bad.status(), 400);
    }
);

db_test!(deep_pages_follow_the_cursor, |app| {
    let token = app.root_token().await;
    for i in 0..5 {
        create(app, &token, json!({"email": format!("c{i}@example.com"), "firstname": "Cursor", "lastname": format!("N{i}")})).await;
    }
    let query = "query($after: String) { customers(pageSize: 2, after: $after) { total_count end_cursor items { id } } }";
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let (_, body) = app
            .admin(Some(&token), query, json!({ "after": after }))
            .await;
        let page = &body["data"]["customers"];
        assert_eq!(page["total_count"], 5, "{body}");
        seen.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|c| c["id"].as_i64().expect("id")),
        );
        match page["end_cursor"].as_str() {
            Some(cursor) => after = Some(cursor.to_owned()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!((seen.len(), sorted), (5, seen.clone()));
    let (_, bad) = app
        .admin(Some(&token), query, json!({ "after": "garbage" }))
        .await;
    assert_eq!(error_ext(&bad, "field"), "after");
    let (_, wrong_sort) = app
        .admin(Some(&token), "query($after: String) { customers(after: $after, sort: {field: NAME}) { total_count } }", json!({ "after": after.unwrap_or_default() }))
        .await;
    assert_eq!(error_ext(&wrong_sort, "code"), "BAD_USER_INPUT");
});

db_test!(staff_save_rename_and_delete_their_own_grid_views, |app| {
    let token = app.root_token().await;
    let create_view = "mutation($input: CustomerGridViewInput!) { createCustomerGridView(input: $input) { id name search filter sort columns } }";
    let input = json!({"name": "Wholesale in Texas", "search": "austin", "filter": {"group_id": {"eq": 2}}, "sort": {"field": "NAME", "direction": "DESC"}, "columns": ["ID", "Name", "Email"]});
    let (_, created) = app
        .admin(Some(&token), create_view, json!({"input": input}))
        .await;
    let view = &created["data"]["createCustomerGridView"];
    assert_eq!(view["filter"]["group_id"]["eq"], 2, "{created}");
    assert_eq!(view["sort"]["field"], "NAME");
    assert_eq!(view["columns"], json!(["ID", "Name", "Email"]));
    let id = view["id"].as_i64().expect("id");
    let (_, replayed) = app
        .admin(
            Some(&token),
            GRID,
            json!({"search": view["search"], "filter": view["filter"], "sort": view["sort"]}),
        )
        .await;
    assert!(
        replayed["data"]["customers"]["total_count"].is_number(),
        "a saved filter is a valid grid filter: {replayed}"
    );
    let (_, dup) = app
        .admin(
            Some(&token),
            create_view,
            json!({"input": {"name": "wholesale in texas"}}),
        )
        .await;
    assert_eq!(error_ext(&dup, "code"), "CONFLICT");
    let (_, renamed) = app
        .admin(Some(&token), "mutation($id: Int!) { updateCustomerGridView(id: $id, input: {name: \"TX wholesale\"}) { name filter } }", json!({"id": id}))
        .await;
    assert_eq!(
        renamed["data"]["updateCustomerGridView"]["name"],
        "TX wholesale"
    );
    assert_eq!(
        renamed["data"]["updateCustomerGridView"]["filter"]["group_id"]["eq"], 2,
        "a rename keeps the state"
    );
    app.create_staff("other@example.com", 1).await;
    let other = app.sign_in("other@example.com").await;
    let (_, theirs) = app
        .admin(Some(&other), "{ customerGridViews { id } }", json!({}))
        .await;
    assert_eq!(
        theirs["data"]["customerGridViews"],
        json!([]),
        "views are per staff user"
    );
    let (_, steal) = app
        .admin(
            Some(&other),
            "mutation($id: Int!) { deleteCustomerGridView(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_ext(&steal, "code"), "NOT_FOUND");
    let (_, deleted) = app
        .admin(
            Some(&token),
            "mutation($id: Int!) { deleteCustomerGridView(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(deleted["data"]["deleteCustomerGridView"], true);
});

db_test!(
    a_website_scoped_role_sees_and_changes_only_its_websites,
    |app| {
        let token = app.root_token().await;
        let eu = app.create_website(&token, "eu").await;
        let (_, group) = app.admin(Some(&token), "mutation($w: Int!) { createStoreGroup(input: {website_id: $w, code: \"eu_store\", name: \"EU\"}) { id } }", json!({"w": eu})).await;
        let group_id = group["data"]["createStoreGroup"]["id"]
            .as_i64()
            .expect("group");
        app.admin(Some(&token), "mutation($g: Int!) { createStoreView(input: {group_id: $g, code: \"eu_en\", name: \"EU English\"}) { id } }", json!({"g": group_id})).await;
        let home = create(
            app,
            &token,
            json!({"email": "home@example.com", "firstname": "Home", "lastname": "Base"}),
        )
        .await["data"]["createCustomer"]["id"]
            .as_i64()
            .expect("home");
        let away = create(app, &token, json!({"email": "away@example.com", "firstname": "Away", "lastname": "Eu", "website_id": eu})).await["data"]["createCustomer"]["id"].as_i64().expect("away");
        let (_, role) = app
        .admin(Some(&token), "mutation { createRole(input: {name: \"Base desk\", resources: [\"Magento_Customer::manage\", \"Magento_Config::config\", \"Magento_Backend::store\"], website_ids: [1]}) { id } }", json!({}))
        .await;
        app.create_staff(
            "desk@example.com",
            role["data"]["createRole"]["id"].as_i64().expect("role") as i32,
        )
        .await;
        let desk = app.sign_in("desk@example.com").await;
        let (_, grid) = app.admin(Some(&desk), GRID, json!({})).await;
        assert_eq!(
            ids(&grid),
            vec![home],
            "only customers of the role's websites"
        );
        let (_, hidden) = app
            .admin(
                Some(&desk),
                "query($id: Int!) { customer(id: $id) { id } }",
                json!({"id": away}),
            )
            .await;
        assert_eq!(error_ext(&hidden, "code"), "NOT_FOUND");
        let (_, update) = app
            .admin(
                Some(&desk),
                "mutation($id: Int!) { updateCustomer(id: $id, input: {lastname: \"X\"}) { id } }",
                json!({"id": away}),
            )
            .await;
        assert_eq!(error_ext(&update, "code"), "NOT_FOUND");
        let elsewhere = create(app, &desk, json!({"email": "new@example.com", "firstname": "N", "lastname": "E", "website_id": eu})).await;
        assert_eq!(error_ext(&elsewhere, "code"), "FORBIDDEN");
        let (_, mass) = app
        .admin(Some(&desk), "mutation($ids: [Int!]) { massAssignCustomerGroup(input: {selection: {ids: $ids}, group_id: 2}) { changed failures { id code } } }", json!({"ids": [home, away]}))
        .await;
        assert_eq!(
            mass["data"]["massAssignCustomerGroup"]["changed"], 1,
            "{mass}"
        );
        assert_eq!(
            mass["data"]["massAssignCustomerGroup"]["failures"][0]["id"],
            away
        );
        let csv = app
            .http
            .get(format!("{}/admin/export/customers", app.base))
            .bearer_auth(&desk)
            .send()
            .await
            .expect("export")
            .text()
            .await
            .expect("csv");
        assert!(
            csv.contains("home@example.com") && !csv.contains("away@example.com"),
            "{csv}"
        );
        let set = "mutation($scope: ConfigScopeInput!) { setConfiguration(input: {scope: $scope, values: [{path: \"customer/address/street_lines\", value: \"3\"}]}) { value } }";
        let (_, default_scope) = app
            .admin(Some(&desk), set, json!({"scope": {"type": "DEFAULT"}}))
            .await;
        assert_eq!(error_ext(&default_scope, "code"), "FORBIDDEN");
        let (_, own_site) = app
            .admin(
                Some(&desk),
                set,
                json!({"scope": {"type": "WEBSITE", "code": "base"}}),
            )
            .await;
        assert_eq!(
            own_site["data"]["setConfiguration"][0]["value"], "3",
            "{own_site}"
        );
        let (_, other_site) = app
            .admin(
                Some(&desk),
                set,
                json!({"scope": {"type": "STORE_VIEW", "code": "eu_en"}}),
            )
            .await;
        assert_eq!(error_ext(&other_site, "code"), "FORBIDDEN");
        let (_, stores) = app
            .admin(
                Some(&desk),
                "mutation { createWebsite(input: {code: \"us\", name: \"US\"}) { id } }",
                json!({}),
            )
            .await;
        assert_eq!(error_ext(&stores, "code"), "FORBIDDEN");
    }
);

db_test!(
    a_list_costs_its_page_size_times_its_selection,
    settings | s | {
        s.admin_max_complexity = 1_000;
    },
    |app| {
        let token = app.root_token().await;
        let columns = "id email firstname lastname created_at updated_at group_id website_id is_active version";
        let page = |size: i64, nested: &str| {
            format!(
                "{{ customers(pageSize: {size}) {{ total_count items {{ {columns} {nested} }} }} }}"
            )
        };
        // 10 fields per row: 50 rows cost about 550, 100 rows about 1,100.
        let (_, body) = app.admin(Some(&token), &page(50, ""), json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
        let (_, body) = app.admin(Some(&token), &page(100, ""), json!({})).await;
        assert!(error_message(&body).contains("complex"), "{body}");
        assert!(
            body["data"].is_null(),
            "refused before anything ran: {body}"
        );
        // Pages have a maximum size.
        let (_, body) = app
            .admin(
                Some(&token),
                "{ customers(pageSize: 100000) { items { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");
        assert_eq!(
            error_message(&body),
            "pageSize value must be between 1 and 300."
        );
        // A nested page multiplies within each row.
        let nested = "addresses(pageSize: 20) { items { id city postcode } }";
        let (_, body) = app.admin(Some(&token), &page(20, nested), json!({})).await;
        assert!(error_message(&body).contains("complex"), "{body}");
        let nested = "addresses(pageSize: 2) { items { id city postcode } }";
        let (_, body) = app.admin(Some(&token), &page(20, nested), json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
    }
);

db_test!(
    a_repeated_idempotency_key_returns_the_first_answer_and_changes_nothing,
    |app| {
        let token = app.root_token().await;
        let create = "mutation($e: String!) { createCustomer(input: {email: $e, firstname: \"Ann\", lastname: \"Lee\"}) { id email } }";
        let send = |key: &'static str, query: &'static str, variables: Value| {
            let request = app
                .http
                .post(format!("{}/admin/graphql", app.base))
                .bearer_auth(&token)
                .header("Idempotency-Key", key)
                .json(&json!({ "query": query, "variables": variables }));
            async move {
                let response = request.send().await.expect("request");
                let replayed = response.headers().contains_key("idempotent-replayed");
                let status = response.status().as_u16();
                (
                    status,
                    replayed,
                    response.json::<Value>().await.expect("json"),
                )
            }
        };
        let (status, replayed, first) =
            send("create-ann-1", create, json!({"e": "ann@example.com"})).await;
        assert_eq!((status, replayed), (200, false), "{first}");
        let id = first["data"]["createCustomer"]["id"].as_i64().expect("id");
        // A retry gets the first answer; no second account, no "email taken" error.
        let (status, replayed, again) =
            send("create-ann-1", create, json!({"e": "ann@example.com"})).await;
        assert_eq!((status, replayed), (200, true));
        assert_eq!(again, first);
        // The same key for another request is refused.
        let (status, _, other) =
            send("create-ann-1", create, json!({"e": "bob@example.com"})).await;
        assert_eq!(status, 409, "{other}");
        assert_eq!(error_ext(&other, "code"), "CONFLICT");
        let (_, body) = app
            .admin(Some(&token), "{ customers { total_count } }", json!({}))
            .await;
        assert_eq!(body["data"]["customers"]["total_count"], 1, "{body}");

        // A mass action runs once under its key.
        let mass = "mutation($id: Int!) { massSubscribeCustomers(input: {selection: {ids: [$id]}}) { requested changed } }";
        let (_, _, once) = send("subscribe-ann", mass, json!({"id": id})).await;
        assert_eq!(
            once["data"]["massSubscribeCustomers"]["changed"], 1,
            "{once}"
        );
        let (_, replayed, twice) = send("subscribe-ann", mass, json!({"id": id})).await;
        assert!(replayed);
        assert_eq!(twice, once);

        // Another caller's key of the same name is its own.
        app.create_staff("desk@example.com", 1).await;
        let desk = app.sign_in("desk@example.com").await;
        let response = app
            .http
            .post(format!("{}/admin/graphql", app.base))
            .bearer_auth(&desk)
            .header("Idempotency-Key", "create-ann-1")
            .json(&json!({ "query": create, "variables": {"e": "cy@example.com"} }))
            .send()
            .await
            .expect("request");
        assert!(!response.headers().contains_key("idempotent-replayed"));
        let body: Value = response.json().await.expect("json");
        assert_eq!(
            body["data"]["createCustomer"]["email"], "cy@example.com",
            "{body}"
        );
        // A bad key is refused before anything runs.
        let (status, _, body) = send("with space", create, json!({"e": "dee@example.com"})).await;
        assert_eq!(status, 400, "{body}");
    }
);

db_test!(
    fifty_concurrent_changes_all_commit_without_a_locked_database,
    |app| {
        let token = app.root_token().await;
        let mut ids = Vec::new();
        let mut first_version = 0;
        for i in 0..10 {
            let (_, body) = app
                .admin(
                    Some(&token),
                    "mutation($e: String!) { createCustomer(input: {email: $e, firstname: \"Ann\", lastname: \"Lee\"}) { id version } }",
                    json!({"e": format!("c{i}@example.com")}),
                )
                .await;
            ids.push(body["data"]["createCustomer"]["id"].as_i64().expect("id"));
            first_version = body["data"]["createCustomer"]["version"]
                .as_i64()
                .expect("version");
        }
        // Fifty writers at once over ten accounts: each waits its turn for the database and
        // commits; none gets a "database is locked" or any other internal error.
        let writers: Vec<_> = (0..50)
            .map(|i| {
                app.post_in_background(
                    "/admin/graphql",
                    "mutation($id: Int!, $n: String!) { updateCustomer(id: $id, input: {firstname: $n}) { firstname } }",
                    json!({"id": ids[i % ids.len()], "n": format!("Name{i}")}),
                    &[("Authorization", &format!("Bearer {token}"))],
                )
            })
            .collect();
        for writer in writers {
            let (status, body) = writer.await.expect("join");
            assert_eq!(status.as_u16(), 200, "{body}");
            assert!(body["errors"].is_null(), "{body}");
        }
        let (_, body) = app
            .admin(
                Some(&token),
                "{ customers(pageSize: 20) { items { firstname version } } }",
                json!({}),
            )
            .await;
        let items = body["data"]["customers"]["items"]
            .as_array()
            .expect("items");
        // Every write landed: each account was written five times after its creation.
        assert_eq!(items.len(), 10);
        assert!(
            items
                .iter()
                .all(|c| c["version"].as_i64() == Some(first_version + 5)),
            "{body}"
        );
    }
);

db_test!(
    idempotency_keys_cover_one_change_and_never_a_credential,
    |app| {
        let token = app.root_token().await;
        let send = |key: &'static str, query: &'static str| {
            let request = app
                .http
                .post(format!("{}/admin/graphql", app.base))
                .bearer_auth(&token)
                .header("Idempotency-Key", key)
                .json(&json!({ "query": query }));
            async move {
                let response = request.send().await.expect("request");
                let status = response.status().as_u16();
                (status, response.json::<Value>().await.expect("json"))
            }
        };
        let (status, body) = send(
            "two-changes",
            "mutation { a: createCustomerGroup(input: {name: \"Alpha\", tax_class_id: 3}) { id } b: createCustomerGroup(input: {name: \"Beta\", tax_class_id: 3}) { id } }",
        )
        .await;
        assert_eq!(status, 400, "{body}");
        let (status, body) = send(
            "a-credential",
            "mutation { createIntegration(input: {name: \"ERP\", resources: []}) { token } }",
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(error_message(&body).contains("credential"), "{body}");
        // Neither ran.
        let (_, body) = app
            .admin(
                Some(&token),
                "{ customers { total_count } integrations { id } }",
                json!({}),
            )
            .await;
        assert_eq!(body["data"]["customers"]["total_count"], 0, "{body}");
        assert_eq!(body["data"]["integrations"], json!([]), "{body}");
        // A query ignores the header, even a malformed one.
        let (status, body) = send("with space", "{ customers { total_count } }").await;
        assert_eq!(status, 200, "{body}");
    }
);

db_test!(
    a_customer_shows_its_group_and_its_addresses_their_country,
    |app| {
        let token = app.root_token().await;
        let ann = create(
            app,
            &token,
            json!({"email": "ann@example.com", "firstname": "Ann", "lastname": "Lee"}),
        )
        .await["data"]["createCustomer"]["id"]
            .as_i64()
            .expect("ann");
        let add = "mutation($c: Int!, $input: CustomerAddressInput!) { createCustomerAddress(customerId: $c, input: $input) { id } }";
        app.admin(Some(&token), add, json!({"c": ann, "input": {"street": ["1 Unter den Linden"], "city": "Berlin", "region_code": "BER", "postcode": "10117", "country_code": "DE", "telephone": "030-555-0100"}}))
        .await;
        let read = "query($id: Int!) { customer(id: $id) { group_id group { id uid name code tax_class { name } customer_count } addresses { items { country_code country_name region } } } }";
        let (_, body) = app.admin(Some(&token), read, json!({"id": ann})).await;
        let customer = &body["data"]["customer"];
        assert_eq!(
            customer["group"],
            json!({"id": 1, "uid": "MQ==", "name": "General", "code": "General", "tax_class": {"name": "Retail Customer"}, "customer_count": 1}),
            "{body}"
        );
        assert_eq!(
            customer["addresses"]["items"][0],
            json!({"country_code": "DE", "country_name": "Germany", "region": "Berlin"}),
            "{body}"
        );

        // Staff who see customers but not groups get the group's name, not its customer count.
        let (_, role) = app
        .admin(
            Some(&token),
            "mutation { createRole(input: {name: \"Customers only\", resources: [\"Magento_Customer::manage\"]}) { id } }",
            json!({}),
        )
        .await;
        let role_id = role["data"]["createRole"]["id"].as_i64().expect("role") as i32;
        app.create_staff("clerk@example.com", role_id).await;
        let clerk = app.sign_in("clerk@example.com").await;
        let (_, body) = app
            .admin(
                Some(&clerk),
                "query($id: Int!) { customer(id: $id) { group { name } } }",
                json!({"id": ann}),
            )
            .await;
        assert_eq!(
            body["data"]["customer"]["group"]["name"], "General",
            "{body}"
        );
        let (_, body) = app
            .admin(
                Some(&clerk),
                "query($id: Int!) { customer(id: $id) { group { customer_count } } }",
                json!({"id": ann}),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "{body}");
    }
);
