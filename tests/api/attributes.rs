//! Custom customer and address attributes: metadata CRUD, values on records, and the grid.

use clientele_tests::{TestApp, db_test, error_ext, error_message};
use serde_json::{Value, json};

const CREATE_ATTRIBUTE: &str = "mutation($input: CreateCustomerAttributeInput!) { createCustomerAttribute(input: $input) { id code label input_type is_required validation multiline_count used_in_forms version options { id label is_default sort_order } store_labels { store_id label } } }";
const CREATE_CUSTOMER: &str = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id custom_attributes { code value selected_options { value label } } } }";
const UPDATE_CUSTOMER: &str = "mutation($id: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id custom_attributes { code value } } }";
const GRID: &str = "query($search: String, $filter: CustomerGridFilterInput, $sort: CustomerGridSortInput) { customers(search: $search, filter: $filter, sort: $sort) { total_count items { id custom_attributes { code value } } } }";

async fn create_attribute(app: &TestApp, token: &str, input: Value) -> Value {
    app.admin(Some(token), CREATE_ATTRIBUTE, json!({ "input": input }))
        .await
        .1
}

async fn create_customer(app: &TestApp, token: &str, email: &str, custom: Value) -> Value {
    app.admin(
        Some(token),
        CREATE_CUSTOMER,
        json!({"input": {"email": email, "firstname": "Ann", "lastname": "Lee", "custom_attributes": custom}}),
    )
    .await
    .1
}

async fn grid(
    app: &TestApp,
    token: &str,
    filter: Value,
    search: Option<&str>,
    sort: Value,
) -> Value {
    let vars = json!({"filter": filter, "search": search, "sort": sort});
    app.admin(Some(token), GRID, vars).await.1
}

fn grid_ids(body: &Value) -> Vec<i64> {
    body["data"]["customers"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

fn option_id(attribute: &Value, label: &str) -> String {
    attribute["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["label"] == label)
        .unwrap_or_else(|| panic!("no option {label} in {attribute}"))["id"]
        .as_i64()
        .expect("id")
        .to_string()
}

db_test!(attribute_metadata_follows_the_rules, |app| {
    let token = app.root_token().await;
    let body = create_attribute(
        app,
        &token,
        json!({
            "entity_type": "CUSTOMER", "code": "loyalty_tier", "label": "Loyalty tier",
            "input_type": "SELECT", "is_required": false,
            "store_labels": [{"store_id": 1, "label": "Treuestufe"}],
            "used_in_forms": ["CUSTOMER_ACCOUNT_EDIT", "CUSTOMER_ACCOUNT_CREATE"],
            "options": [{"label": "Gold"}, {"label": "Silver", "is_default": true}]
        }),
    )
    .await;
    let a = &body["data"]["createCustomerAttribute"];
    assert_eq!(a["code"], "loyalty_tier", "{body}");
    assert_eq!(a["options"][1]["is_default"], true);
    assert_eq!(a["store_labels"][0]["label"], "Treuestufe");
    assert_eq!(
        a["used_in_forms"],
        json!(["CUSTOMER_ACCOUNT_CREATE", "CUSTOMER_ACCOUNT_EDIT"])
    );
    for (input, field) in [
        (
            json!({"entity_type": "CUSTOMER", "code": "Bad Code", "label": "x", "input_type": "TEXT"}),
            "code",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "email", "label": "x", "input_type": "TEXT"}),
            "code",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": &"a".repeat(61), "label": "x", "input_type": "TEXT"}),
            "code",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "lines", "label": "x", "input_type": "MULTILINE", "multiline_count": 21}),
            "multiline_count",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "lines", "label": "x", "input_type": "MULTILINE", "multiline_count": 1}),
            "multiline_count",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "flag", "label": "x", "input_type": "BOOLEAN", "validation": "NUMERIC"}),
            "validation",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "short", "label": "x", "input_type": "TEXT", "min_length": 5, "max_length": 2}),
            "min_length",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "since", "label": "x", "input_type": "DATE", "date_min": "2020-01-01", "date_max": "2019-01-01"}),
            "date_min",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "numbers", "label": "x", "input_type": "TEXT", "validation": "NUMERIC", "default_value": "abc"}),
            "default_value",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "form", "label": "x", "input_type": "TEXT", "used_in_forms": ["CUSTOMER_ADDRESS_EDIT"]}),
            "used_in_forms",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "labels", "label": "x", "input_type": "TEXT", "store_labels": [{"store_id": 999, "label": "x"}]}),
            "store_labels",
        ),
        (
            json!({"entity_type": "CUSTOMER", "code": "two_defaults", "label": "x", "input_type": "SELECT", "options": [{"label": "a", "is_default": true}, {"label": "b", "is_default": true}]}),
            "options",
        ),
    ] {
        let refused = create_attribute(app, &token, input.clone()).await;
        assert_eq!(
            error_ext(&refused, "code"),
            "BAD_USER_INPUT",
            "{input}: {refused}"
        );
        assert_eq!(error_ext(&refused, "field"), field, "{input}: {refused}");
    }
    let (_, list) = app
        .admin(
            Some(&token),
            "{ customerAttributes(entityType: CUSTOMER) { code } }",
            json!({}),
        )
        .await;
    assert_eq!(
        list["data"]["customerAttributes"],
        json!([{"code": "loyalty_tier"}]),
        "refused definitions left nothing: {list}"
    );
    let duplicate = create_attribute(app, &token, json!({"entity_type": "CUSTOMER", "code": "loyalty_tier", "label": "x", "input_type": "TEXT"})).await;
    assert_eq!(error_ext(&duplicate, "code"), "CONFLICT");
    // The same code may name an address attribute.
    let address = create_attribute(app, &token, json!({"entity_type": "ADDRESS", "code": "loyalty_tier", "label": "x", "input_type": "TEXT"})).await;
    assert_eq!(
        address["data"]["createCustomerAttribute"]["code"], "loyalty_tier",
        "{address}"
    );

    let (_, changed) = app.admin(Some(&token),
        "mutation($o: [CustomerAttributeOptionInput!]) { updateCustomerAttribute(entityType: CUSTOMER, code: \"loyalty_tier\", input: {label: \"Tier\", options: $o, expected_version: 1}) { label version options { label } } }",
        json!({"o": [{"id": a["options"][0]["id"], "label": "Platinum"}, {"label": "Bronze"}]})).await;
    let c = &changed["data"]["updateCustomerAttribute"];
    assert_eq!(c["label"], "Tier", "{changed}");
    assert_eq!(
        c["options"],
        json!([{"label": "Platinum"}, {"label": "Bronze"}])
    );
    let (_, stale) = app.admin(Some(&token),
        "mutation { updateCustomerAttribute(entityType: CUSTOMER, code: \"loyalty_tier\", input: {label: \"Again\", expected_version: 1}) { version } }",
        json!({})).await;
    assert_eq!(error_ext(&stale, "code"), "CONFLICT");
    let (_, fixed) = app.admin(Some(&token),
        "mutation { updateCustomerAttribute(entityType: CUSTOMER, code: \"loyalty_tier\", input: {default_value: \"1\"}) { version } }",
        json!({})).await;
    assert_eq!(error_ext(&fixed, "field"), "default_value", "{fixed}");
    let (_, deleted) = app
        .admin(
            Some(&token),
            "mutation { deleteCustomerAttribute(entityType: CUSTOMER, code: \"loyalty_tier\") }",
            json!({}),
        )
        .await;
    assert_eq!(deleted["data"]["deleteCustomerAttribute"], true);
    let (_, gone) = app
        .admin(
            Some(&token),
            "{ customerAttribute(entityType: CUSTOMER, code: \"loyalty_tier\") { code } }",
            json!({}),
        )
        .await;
    assert_eq!(error_ext(&gone, "code"), "NOT_FOUND");
});

db_test!(attribute_values_are_checked_defaulted_and_stored, |app| {
    let token = app.root_token().await;
    let tier = create_attribute(
        app,
        &token,
        json!({
            "entity_type": "CUSTOMER", "code": "tier", "label": "Tier", "input_type": "SELECT",
            "options": [{"label": "Gold"}, {"label": "Silver", "is_default": true}]
        }),
    )
    .await["data"]["createCustomerAttribute"]
        .clone();
    create_attribute(app, &token, json!({
        "entity_type": "CUSTOMER", "code": "member_no", "label": "Member number", "input_type": "TEXT",
        "is_required": true, "validation": "NUMERIC", "max_length": 6
    })).await;
    create_attribute(app, &token, json!({
        "entity_type": "CUSTOMER", "code": "interests", "label": "Interests", "input_type": "MULTISELECT",
        "options": [{"label": "Hiking"}, {"label": "Cooking"}, {"label": "Chess"}]
    })).await;
    let interests = app.admin(Some(&token), "{ customerAttribute(entityType: CUSTOMER, code: \"interests\") { options { id label } } }", json!({})).await.1["data"]["customerAttribute"].clone();

    let missing = create_customer(app, &token, "a@example.com", json!([])).await;
    assert_eq!(error_ext(&missing, "code"), "BAD_USER_INPUT");
    assert_eq!(error_ext(&missing, "field"), "custom_attributes.member_no");
    assert_eq!(
        error_message(&missing),
        "\"Member number\" is a required value."
    );
    for (custom, message) in [
        (
            json!([{"attribute_code": "member_no", "value": "12a"}]),
            "\"Member number\" contains non-numeric characters.",
        ),
        (
            json!([{"attribute_code": "member_no", "value": "1234567"}]),
            "\"Member number\" length must be equal or less than 6 characters.",
        ),
        (
            json!([{"attribute_code": "member_no", "value": "1"}, {"attribute_code": "tier", "value": "999999"}]),
            "\"Tier\" has no option with the id \"999999\".",
        ),
        (
            json!([{"attribute_code": "member_no", "value": "1"}, {"attribute_code": "nope", "value": "x"}]),
            "There is no customer attribute with the code \"nope\".",
        ),
    ] {
        let refused = create_customer(app, &token, "a@example.com", custom.clone()).await;
        assert_eq!(error_message(&refused), message, "{custom}: {refused}");
    }
    let (_, count) = app
        .admin(Some(&token), "{ customers { total_count } }", json!({}))
        .await;
    assert_eq!(
        count["data"]["customers"]["total_count"], 0,
        "refused customers were not written"
    );

    let chosen = [
        option_id(&interests, "Chess"),
        option_id(&interests, "Hiking"),
    ];
    let body = create_customer(
        app,
        &token,
        "a@example.com",
        json!([
            {"attribute_code": "member_no", "value": "123"},
            {"attribute_code": "interests", "selected_options": chosen}
        ]),
    )
    .await;
    let c = &body["data"]["createCustomer"];
    let id = c["id"].as_i64().unwrap_or_else(|| panic!("{body}"));
    let values = c["custom_attributes"].as_array().expect("values");
    let by_code = |code: &str| {
        values
            .iter()
            .find(|v| v["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("{code} in {body}"))
    };
    assert_eq!(by_code("member_no")["value"], "123");
    assert_eq!(
        by_code("tier")["value"],
        option_id(&tier, "Silver"),
        "default option applied"
    );
    assert_eq!(by_code("tier")["selected_options"][0]["label"], "Silver");
    let interests_value = by_code("interests");
    let labels: Vec<&str> = interests_value["selected_options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, ["Hiking", "Chess"], "options in id order: {body}");

    let (_, cleared) = app.admin(Some(&token), UPDATE_CUSTOMER, json!({"id": id, "input": {"custom_attributes": [{"attribute_code": "member_no", "value": ""}]}})).await;
    assert_eq!(
        error_message(&cleared),
        "\"Member number\" is a required value."
    );
    let (_, changed) = app.admin(Some(&token), UPDATE_CUSTOMER, json!({"id": id, "input": {"custom_attributes": [{"attribute_code": "tier", "value": option_id(&tier, "Gold")}, {"attribute_code": "interests", "value": ""}]}})).await;
    let values = changed["data"]["updateCustomer"]["custom_attributes"]
        .as_array()
        .unwrap_or_else(|| panic!("{changed}"))
        .clone();
    assert!(
        values
            .iter()
            .any(|v| v["code"] == "tier" && v["value"] == option_id(&tier, "Gold")),
        "{changed}"
    );
    assert!(
        !values.iter().any(|v| v["code"] == "interests"),
        "cleared: {changed}"
    );

    // Removing an option removes it from the values that used it.
    app.admin(Some(&token), "mutation($o: [CustomerAttributeOptionInput!]) { updateCustomerAttribute(entityType: CUSTOMER, code: \"tier\", input: {options: $o}) { version } }",
        json!({"o": [{"id": option_id(&tier, "Silver").parse::<i64>().expect("id"), "label": "Silver"}]})).await;
    let (_, after) = app
        .admin(
            Some(&token),
            &format!("{{ customer(id: {id}) {{ custom_attributes {{ code }} }} }}"),
            json!({}),
        )
        .await;
    let codes: Vec<&str> = after["data"]["customer"]["custom_attributes"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["member_no"], "{after}");
});

db_test!(address_attributes_are_stored_on_addresses, |app| {
    let token = app.root_token().await;
    let body = create_attribute(app, &token, json!({
        "entity_type": "ADDRESS", "code": "delivery_notes", "label": "Delivery notes",
        "input_type": "MULTILINE", "multiline_count": 2, "used_in_forms": ["CUSTOMER_ADDRESS_EDIT"]
    })).await;
    assert_eq!(
        body["data"]["createCustomerAttribute"]["multiline_count"], 2,
        "{body}"
    );
    let customer = create_customer(app, &token, "b@example.com", json!([])).await;
    let id = customer["data"]["createCustomer"]["id"]
        .as_i64()
        .expect("id");
    let add = "mutation($id: Int!, $input: CustomerAddressInput!) { createCustomerAddress(customerId: $id, input: $input) { id custom_attributes { code value } } }";
    let address = json!({"street": ["1 Main St"], "city": "Austin", "region_code": "TX", "postcode": "78701", "country_code": "US", "telephone": "555"});
    let mut too_long = address.clone();
    too_long["custom_attributes"] =
        json!([{"attribute_code": "delivery_notes", "value": "a\nb\nc"}]);
    let (_, refused) = app
        .admin(Some(&token), add, json!({"id": id, "input": too_long}))
        .await;
    assert_eq!(
        error_message(&refused),
        "\"Delivery notes\" cannot contain more than 2 lines."
    );
    let (_, none) = app
        .admin(
            Some(&token),
            &format!("{{ customer(id: {id}) {{ addresses {{ total_count }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(
        none["data"]["customer"]["addresses"]["total_count"], 0,
        "refused address not written"
    );
    let mut ok = address.clone();
    ok["custom_attributes"] =
        json!([{"attribute_code": "delivery_notes", "value": "Ring twice\nBack door"}]);
    let (_, added) = app
        .admin(Some(&token), add, json!({"id": id, "input": ok}))
        .await;
    assert_eq!(
        added["data"]["createCustomerAddress"]["custom_attributes"],
        json!([{"code": "delivery_notes", "value": "Ring twice\nBack door"}]),
        "{added}"
    );
    let (_, book) = app.admin(Some(&token), &format!("{{ customer(id: {id}) {{ addresses {{ items {{ custom_attributes {{ code value }} }} }} }} }}"), json!({})).await;
    assert_eq!(
        book["data"]["customer"]["addresses"]["items"][0]["custom_attributes"],
        json!([{"code": "delivery_notes", "value": "Ring twice\nBack door"}]),
        "{book}"
    );
    // Stored with the address's customer, which places them with the customer on Citus. (The
    // join is on the address alone so that a wrong customer shows; Citus joins across shards
    // only when asked to repartition.)
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let db = &app.services.db.begin().await.expect("begin");
    if clientele_kernel::db::is_citus(db).await.expect("citus") {
        db.execute_unprepared("SET LOCAL citus.enable_repartition_joins TO on")
            .await
            .expect("repartition joins");
    }
    let owners = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT v.customer_id AS stored, a.customer_id AS owner \
             FROM customer_address_attribute_values v \
             JOIN customer_addresses a ON a.id = v.address_id",
        ))
        .await
        .expect("values");
    assert_eq!(owners.len(), 1);
    for row in owners {
        let stored: i32 = row.try_get("", "stored").expect("stored");
        assert_eq!(stored, row.try_get::<i32>("", "owner").expect("owner"));
        assert_eq!(i64::from(stored), id);
    }
});

db_test!(
    grid_filters_searches_and_sorts_on_flagged_attributes,
    |app| {
        let token = app.root_token().await;
        let tier = create_attribute(app, &token, json!({
        "entity_type": "CUSTOMER", "code": "tier", "label": "Tier", "input_type": "MULTISELECT",
        "is_filterable_in_grid": true, "is_used_in_grid": true,
        "options": [{"label": "Gold"}, {"label": "Silver"}, {"label": "Gold Plus"}]
    })).await["data"]["createCustomerAttribute"].clone();
        create_attribute(app, &token, json!({
        "entity_type": "CUSTOMER", "code": "nickname", "label": "Nickname", "input_type": "TEXT",
        "is_filterable_in_grid": true, "grid_filter_condition": "PREFIX", "is_searchable_in_grid": true, "is_used_in_grid": true
    })).await;
        create_attribute(app, &token, json!({
        "entity_type": "CUSTOMER", "code": "joined", "label": "Joined", "input_type": "DATE", "is_filterable_in_grid": true
    })).await;
        create_attribute(
            app,
            &token,
            json!({
                "entity_type": "CUSTOMER", "code": "secret", "label": "Secret", "input_type": "TEXT"
            }),
        )
        .await;
        let gold = option_id(&tier, "Gold");
        let silver = option_id(&tier, "Silver");
        let gold_plus = option_id(&tier, "Gold Plus");
        let mut ids = Vec::new();
        for (email, nickname, tiers, joined) in [
            ("c1@example.com", "zebra", vec![gold.clone()], "2020-05-01"),
            (
                "c2@example.com",
                "ant",
                vec![silver.clone(), gold_plus.clone()],
                "2021-05-01",
            ),
            (
                "c3@example.com",
                "mozart",
                vec![silver.clone()],
                "2022-05-01",
            ),
        ] {
            let body = create_customer(
                app,
                &token,
                email,
                json!([
                    {"attribute_code": "nickname", "value": nickname},
                    {"attribute_code": "tier", "selected_options": tiers},
                    {"attribute_code": "joined", "value": joined},
                    {"attribute_code": "secret", "value": "hidden"}
                ]),
            )
            .await;
            ids.push(
                body["data"]["createCustomer"]["id"]
                    .as_i64()
                    .unwrap_or_else(|| panic!("{body}")),
            );
        }
        // Whole option ids only: "Gold" does not match "Gold Plus".
        let body = grid(
            app,
            &token,
            json!({"custom_attributes": [{"attribute_code": "tier", "in": [gold]}]}),
            None,
            Value::Null,
        )
        .await;
        assert_eq!(grid_ids(&body), vec![ids[0]], "{body}");
        let body = grid(
            app,
            &token,
            json!({"custom_attributes": [{"attribute_code": "tier", "in": [gold_plus]}]}),
            None,
            Value::Null,
        )
        .await;
        assert_eq!(grid_ids(&body), vec![ids[1]], "{body}");
        let body = grid(
            app,
            &token,
            json!({"custom_attributes": [{"attribute_code": "nickname", "match": "MOZ"}]}),
            None,
            Value::Null,
        )
        .await;
        assert_eq!(
            grid_ids(&body),
            vec![ids[2]],
            "prefix match ignores case: {body}"
        );
        let body = grid(
            app,
            &token,
            json!({"custom_attributes": [{"attribute_code": "nickname", "match": "ozart"}]}),
            None,
            Value::Null,
        )
        .await;
        assert_eq!(
            grid_ids(&body),
            Vec::<i64>::new(),
            "prefix, not partial: {body}"
        );
        let body = grid(app, &token, json!({"custom_attributes": [{"attribute_code": "joined", "from": "2021-01-01", "to": "2022-12-31"}]}), None, Value::Null).await;
        assert_eq!(grid_ids(&body), vec![ids[1], ids[2]], "{body}");
        let body = grid(app, &token, Value::Null, Some("zebra"), Value::Null).await;
        assert_eq!(
            grid_ids(&body),
            vec![ids[0]],
            "keyword search reaches searchable attributes: {body}"
        );
        let body = grid(app, &token, Value::Null, Some("hidden"), Value::Null).await;
        assert_eq!(grid_ids(&body), Vec::<i64>::new(), "not searchable: {body}");
        let body = grid(
            app,
            &token,
            Value::Null,
            None,
            json!({"field": "ATTRIBUTE", "attribute_code": "nickname"}),
        )
        .await;
        assert_eq!(grid_ids(&body), vec![ids[1], ids[2], ids[0]], "{body}");
        assert_eq!(
            body["data"]["customers"]["items"][0]["custom_attributes"]
                .as_array()
                .map(Vec::len),
            Some(4),
            "{body}"
        );
        for (filter, sort, message) in [
            (
                json!({"custom_attributes": [{"attribute_code": "secret", "match": "h"}]}),
                Value::Null,
                "\"secret\" is not a filterable attribute.",
            ),
            (
                json!({"custom_attributes": [{"attribute_code": "nope", "match": "h"}]}),
                Value::Null,
                "There is no customer attribute with the code \"nope\".",
            ),
            (
                json!({"custom_attributes": [{"attribute_code": "joined", "match": "2020"}]}),
                Value::Null,
                "\"joined\" is a date attribute; filter it with a range.",
            ),
            (
                json!({"custom_attributes": [{"attribute_code": "joined", "from": "May 2020"}]}),
                Value::Null,
                "\"May 2020\" is not a date; use YYYY-MM-DD.",
            ),
            (
                Value::Null,
                json!({"field": "ATTRIBUTE", "attribute_code": "joined"}),
                "\"joined\" is not a grid column.",
            ),
        ] {
            let body = grid(app, &token, filter.clone(), None, sort).await;
            assert_eq!(
                error_ext(&body, "code"),
                "BAD_USER_INPUT",
                "{filter}: {body}"
            );
            assert_eq!(error_message(&body), message, "{filter}: {body}");
        }
    }
);

db_test!(attribute_permissions_follow_the_entity, |app| {
    let token = app.root_token().await;
    let (_, role) = app.admin(Some(&token),
        "mutation { createRole(input: {name: \"Address attributes\", resources: [\"Magento_CustomerCustomAttributes::address_attributes\"]}) { id } }",
        json!({})).await;
    let role_id = role["data"]["createRole"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{role}")) as i32;
    app.create_staff("attr@example.com", role_id).await;
    let clerk = app.sign_in("attr@example.com").await;
    let (_, allowed) = app
        .admin(
            Some(&clerk),
            "{ customerAttributes(entityType: ADDRESS) { code } }",
            json!({}),
        )
        .await;
    assert_eq!(
        allowed["data"]["customerAttributes"],
        json!([]),
        "{allowed}"
    );
    let (_, denied) = app
        .admin(
            Some(&clerk),
            "{ customerAttributes(entityType: CUSTOMER) { code } }",
            json!({}),
        )
        .await;
    assert_eq!(error_ext(&denied, "code"), "FORBIDDEN", "{denied}");
});
