//! Websites, store groups and store views through the admin API.

use clientele_tests::{db_test, error_ext};
use serde_json::json;

db_test!(
    a_new_website_gets_a_group_and_a_view_and_protects_its_defaults,
    |app| {
        let token = app.root_token().await;
        let (_, site) = app.admin(Some(&token), "mutation { createWebsite(input: {code: \"eu\", name: \"Europe\"}) { id is_default } }", json!({})).await;
        let site_id = site["data"]["createWebsite"]["id"].as_i64().expect("site");
        assert_eq!(site["data"]["createWebsite"]["is_default"], false);
        let (_, group) = app
        .admin(Some(&token), "mutation($w: Int!) { createStoreGroup(input: {website_id: $w, code: \"eu_store\", name: \"EU Store\"}) { id } }", json!({ "w": site_id }))
        .await;
        let group_id = group["data"]["createStoreGroup"]["id"]
            .as_i64()
            .expect("group");
        let (_, view) = app
        .admin(Some(&token), "mutation($g: Int!) { createStoreView(input: {group_id: $g, code: \"eu_en\", name: \"English\"}) { id website_id } }", json!({ "g": group_id }))
        .await;
        let view_id = view["data"]["createStoreView"]["id"]
            .as_i64()
            .expect("view");
        assert_eq!(view["data"]["createStoreView"]["website_id"], site_id);
        let (_, sites) = app.admin(Some(&token), "{ websites { code default_group_id } storeGroups { code default_store_id } storeViews { code } }", json!({})).await;
        let eu = sites["data"]["websites"]
            .as_array()
            .expect("sites")
            .iter()
            .find(|w| w["code"] == "eu")
            .cloned()
            .expect("eu");
        assert_eq!(eu["default_group_id"], group_id);
        let (_, dup) = app
            .admin(
                Some(&token),
                "mutation { createWebsite(input: {code: \"eu\", name: \"Again\"}) { id } }",
                json!({}),
            )
            .await;
        assert_eq!(error_ext(&dup, "code"), "CONFLICT");
        let (_, bad) = app
            .admin(
                Some(&token),
                "mutation { createWebsite(input: {code: \"1eu\", name: \"Bad\"}) { id } }",
                json!({}),
            )
            .await;
        assert_eq!(error_ext(&bad, "code"), "BAD_USER_INPUT");
        assert_eq!(error_ext(&bad, "field"), "code");
        let (_, default_view) = app
            .admin(
                Some(&token),
                "mutation($id: Int!) { deleteStoreView(id: $id) }",
                json!({ "id": view_id }),
            )
            .await;
        assert_eq!(error_ext(&default_view, "code"), "CONFLICT");
        let (_, default_site) = app
            .admin(Some(&token), "mutation { deleteWebsite(id: 1) }", json!({}))
            .await;
        assert_eq!(error_ext(&default_site, "code"), "CONFLICT");
        let (_, renamed) = app.admin(Some(&token), "mutation($id: Int!) { updateStoreView(id: $id, input: {name: \"Anglais\"}) { name } }", json!({ "id": view_id })).await;
        assert_eq!(renamed["data"]["updateStoreView"]["name"], "Anglais");
        let (_, deleted) = app
            .admin(
                Some(&token),
                "mutation($id: Int!) { deleteWebsite(id: $id) }",
                json!({ "id": site_id }),
            )
            .await;
        assert_eq!(deleted["data"]["deleteWebsite"], true);
        let (_, after) = app
            .admin(Some(&token), "{ storeViews { code } }", json!({}))
            .await;
        assert_eq!(
            after["data"]["storeViews"].as_array().expect("views").len(),
            1,
            "views went with the website"
        );
    }
);

db_test!(an_inactive_store_view_is_not_served, |app| {
    let token = app.root_token().await;
    let (_, view) = app
        .admin(Some(&token), "mutation { createStoreView(input: {group_id: 1, code: \"hidden\", name: \"Hidden\", is_active: false}) { id is_active } }", json!({}))
        .await;
    assert_eq!(view["data"]["createStoreView"]["is_active"], false);
    let (_, body) = app
        .storefront_with("{ storeConfig { store_code } }", &[("Store", "hidden")])
        .await;
    assert_eq!(
        clientele_tests::error_message(&body),
        "Requested store is not found"
    );
    let (_, refused) = app
        .admin(
            Some(&token),
            "mutation { updateStoreView(id: 1, input: {is_active: false}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_ext(&refused, "code"), "BAD_USER_INPUT");
});
