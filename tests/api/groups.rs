//! Customer groups and tax classes through the admin API.

use clientele_tests::{db_test, error_ext, error_message};
use serde_json::json;

const LIST: &str = "query($filter: CustomerGroupFilterInput, $sort: CustomerGroupSortInput, $size: Int, $page: Int) { customerGroups(filter: $filter, sort: $sort, pageSize: $size, currentPage: $page) { total_count page_info { page_size current_page total_pages } items { id uid name tax_class { id name } excluded_website_ids } } }";

db_test!(the_grid_filters_sorts_and_pages, |app| {
    let token = app.root_token().await;
    let (_, all) = app.admin(Some(&token), LIST, json!({})).await;
    let names: Vec<_> = all["data"]["customerGroups"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{all}"))
        .iter()
        .map(|g| g["name"].as_str().expect("name").to_owned())
        .collect();
    assert_eq!(names, ["NOT LOGGED IN", "General", "Wholesale", "Retailer"]);
    assert_eq!(all["data"]["customerGroups"]["items"][0]["uid"], "MA==");
    let (_, page) = app
        .admin(
            Some(&token),
            LIST,
            json!({ "sort": {"field": "NAME", "direction": "DESC"}, "size": 3, "page": 2 }),
        )
        .await;
    assert_eq!(
        page["data"]["customerGroups"]["page_info"]["total_pages"],
        2
    );
    assert_eq!(
        page["data"]["customerGroups"]["items"][0]["name"],
        "General"
    );
    let (_, range) = app
        .admin(
            Some(&token),
            LIST,
            json!({ "filter": {"id": {"from": 1, "to": 2}, "name": {"match": "SALE"}} }),
        )
        .await;
    assert_eq!(range["data"]["customerGroups"]["total_count"], 1);
    assert_eq!(
        range["data"]["customerGroups"]["items"][0]["name"],
        "Wholesale"
    );
    let (_, injection) = app
        .admin(
            Some(&token),
            LIST,
            json!({ "filter": {"name": {"match": "') OR 1=1--"}} }),
        )
        .await;
    assert_eq!(injection["data"]["customerGroups"]["total_count"], 0);
    let (_, oversized) = app
        .admin(Some(&token), LIST, json!({ "size": 100000 }))
        .await;
    assert_eq!(error_ext(&oversized, "code"), "BAD_USER_INPUT");
});

db_test!(groups_follow_the_rules_of_the_guide, |app| {
    let token = app.root_token().await;
    let create = "mutation($input: CreateCustomerGroupInput!) { createCustomerGroup(input: $input) { id name tax_class { name } excluded_website_ids } }";
    let (_, vip) = app
        .admin(
            Some(&token),
            create,
            json!({ "input": {"name": "VIP", "tax_class_id": 3, "excluded_website_ids": [1]} }),
        )
        .await;
    let vip_id = vip["data"]["createCustomerGroup"]["id"]
        .as_i64()
        .expect("vip");
    assert_eq!(
        vip["data"]["createCustomerGroup"]["excluded_website_ids"],
        json!([1])
    );
    let (_, dup) = app
        .admin(
            Some(&token),
            create,
            json!({ "input": {"name": "vip", "tax_class_id": 3} }),
        )
        .await;
    assert_eq!(error_ext(&dup, "code"), "CONFLICT");
    assert_eq!(error_message(&dup), "Customer Group already exists.");
    let (_, long) = app
        .admin(
            Some(&token),
            create,
            json!({ "input": {"name": "x".repeat(32), "tax_class_id": 3} }),
        )
        .await;
    assert_eq!(
        error_message(&long),
        "Maximum length must be less then 32 characters."
    );
    let (_, no_class) = app
        .admin(
            Some(&token),
            create,
            json!({ "input": {"name": "Other", "tax_class_id": 99} }),
        )
        .await;
    assert_eq!(error_ext(&no_class, "field"), "tax_class_id");
    let (_, zero) = app
        .admin(
            Some(&token),
            "mutation { deleteCustomerGroup(id: 0) }",
            json!({}),
        )
        .await;
    assert_eq!(error_ext(&zero, "code"), "CONFLICT");
    let (_, general) = app
        .admin(
            Some(&token),
            "mutation { deleteCustomerGroup(id: 1) }",
            json!({}),
        )
        .await;
    assert_eq!(
        error_ext(&general, "code"),
        "CONFLICT",
        "General is the default group"
    );
    app.admin(
        Some(&token),
        "mutation($v: String!) { setConfiguration(input: {scope: {type: STORE_VIEW, code: \"default\"}, values: [{path: \"customer/create_account/default_group\", value: $v}]}) { value } }",
        json!({ "v": vip_id.to_string() }),
    )
    .await;
    let (_, store_default) = app
        .admin(
            Some(&token),
            "mutation($id: Int!) { deleteCustomerGroup(id: $id) }",
            json!({ "id": vip_id }),
        )
        .await;
    assert_eq!(
        error_ext(&store_default, "code"),
        "CONFLICT",
        "default group of a store view"
    );
    let (_, retailer) = app
        .admin(
            Some(&token),
            "mutation { deleteCustomerGroup(id: 3) }",
            json!({}),
        )
        .await;
    assert_eq!(retailer["data"]["deleteCustomerGroup"], true);
    let (_, renamed) = app
        .admin(
            Some(&token),
            "mutation { updateCustomerGroup(id: 0, input: {name: \"Guests\"}) { name } }",
            json!({}),
        )
        .await;
    assert_eq!(error_ext(&renamed, "code"), "BAD_USER_INPUT");
});

db_test!(tax_classes_and_website_scoped_roles, |app| {
    let token = app.root_token().await;
    let (_, class) = app.admin(Some(&token), "mutation { createCustomerTaxClass(input: {name: \"Wholesale Customer\"}) { id name } }", json!({})).await;
    let class_id = class["data"]["createCustomerTaxClass"]["id"]
        .as_i64()
        .expect("class");
    app.admin(
        Some(&token),
        "mutation($c: Int!) { updateCustomerGroup(id: 2, input: {tax_class_id: $c}) { id } }",
        json!({ "c": class_id }),
    )
    .await;
    let (_, used) = app
        .admin(
            Some(&token),
            "mutation($c: Int!) { deleteCustomerTaxClass(id: $c) }",
            json!({ "c": class_id }),
        )
        .await;
    assert_eq!(error_ext(&used, "code"), "CONFLICT");
    let (_, classes) = app
        .admin(Some(&token), "{ customerTaxClasses { name } }", json!({}))
        .await;
    assert_eq!(
        classes["data"]["customerTaxClasses"]
            .as_array()
            .expect("classes")
            .len(),
        2
    );
    let (_, role) = app
        .admin(Some(&token), "mutation { createRole(input: {name: \"Base only\", resources: [\"Magento_Customer::group\"], website_ids: [1]}) { id all_websites website_ids } }", json!({}))
        .await;
    assert_eq!(role["data"]["createRole"]["all_websites"], false);
    let role_id = role["data"]["createRole"]["id"].as_i64().expect("role") as i32;
    app.create_staff("scoped@example.com", role_id).await;
    let scoped = app.sign_in("scoped@example.com").await;
    let (_, read) = app
        .admin(
            Some(&scoped),
            "{ customerGroups { total_count } }",
            json!({}),
        )
        .await;
    assert_eq!(read["data"]["customerGroups"]["total_count"], 4);
    let (_, write) = app
        .admin(
            Some(&scoped),
            "mutation { createCustomerGroup(input: {name: \"Nope\", tax_class_id: 3}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_ext(&write, "code"), "FORBIDDEN");
});
