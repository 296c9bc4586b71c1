//! What the storefront serves for parity with Adobe Commerce 2.4.9 and Adobe Commerce as a Cloud
//! Service: Magento's region ids, attribute metadata (`frontend_class`, entity types, filters,
//! the deprecated first query, file values), the store configuration, the customer's uid and the
//! Login as Customer actions a shopper can read.

use clientele_tests::{TestApp, db_test, error_ext, error_message};
use serde_json::{Value, json};

const PASSWORD: &str = "Sunny-Day-42";

async fn shopper_token(app: &TestApp, email: &str, consent: bool) -> String {
    let (_, body) = app
        .shopper(
            None,
            "mutation($e: String!, $p: String!, $c: Boolean) { createCustomerV2(input: {firstname: \"Ann\", lastname: \"Lee\", email: $e, password: $p, allow_remote_shopping_assistance: $c}) { customer { id } } }",
            json!({"e": email, "p": PASSWORD, "c": consent}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
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

fn region<'a>(country: &'a Value, code: &str) -> &'a Value {
    country["available_regions"]
        .as_array()
        .unwrap_or_else(|| panic!("{country}"))
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {country}"))
}

db_test!(regions_have_magentos_ids_everywhere, |app| {
    let query = "query($c: String) { country(id: $c) { id available_regions { id code name } } }";
    let (_, us) = app.shopper(None, query, json!({"c": "US"})).await;
    let us = &us["data"]["country"];
    assert_eq!(
        *region(us, "TX"),
        json!({"id": 57, "code": "TX", "name": "Texas"})
    );
    assert_eq!(region(us, "AL")["id"], 1);
    let (_, de) = app.shopper(None, query, json!({"c": "DE"})).await;
    let de = &de["data"]["country"];
    assert_eq!(
        *region(de, "BER"),
        json!({"id": 82, "code": "BER", "name": "Berlin"})
    );
    let (_, ca) = app.shopper(None, query, json!({"c": "CA"})).await;
    assert_eq!(region(&ca["data"]["country"], "AB")["id"], 66);
    // A country Magento has no regions for keeps ISO 3166-2's, with ids of Clientele's own.
    let (_, jp) = app.shopper(None, query, json!({"c": "JP"})).await;
    assert!(region(&jp["data"]["country"], "13")["id"].as_i64() > Some(100_000));

    let ann = shopper_token(app, "ann@example.com", false).await;
    let create = "mutation($i: CustomerAddressInput!) { createCustomerAddress(input: $i) { region { region region_code region_id } region_id } }";
    let address = |country: &str, region: Value| {
        json!({"firstname": "Ann", "lastname": "Lee", "street": ["1 Main St"], "city": "Town",
               "postcode": "10115", "telephone": "555", "country_code": country, "region": region})
    };
    let (_, body) = app
        .shopper(
            Some(&ann),
            create,
            json!({"i": address("DE", json!({"region_id": 82}))}),
        )
        .await;
    assert_eq!(
        body["data"]["createCustomerAddress"],
        json!({"region": {"region": "Berlin", "region_code": "BER", "region_id": 82}, "region_id": 82}),
        "{body}"
    );
    let (_, body) = app
        .shopper(
            Some(&ann),
            create,
            json!({"i": address("US", json!({"region_code": "tx"}))}),
        )
        .await;
    assert_eq!(
        body["data"]["createCustomerAddress"]["region"],
        json!({"region": "Texas", "region_code": "TX", "region_id": 57}),
        "{body}"
    );
    let (_, body) = app
        .shopper(
            Some(&ann),
            create,
            json!({"i": address("DE", json!({"region_id": 57}))}),
        )
        .await;
    assert_eq!(
        error_message(&body),
        "The region_id does not match the selected country or region"
    );
});

db_test!(a_magento_address_file_keeps_its_region_ids, |app| {
    let token = app.root_token().await;
    let upload = |entity: &'static str, csv: &'static str| {
        let token = token.clone();
        async move { app.import_file(&token, entity, "", csv).await.1 }
    };
    upload(
        "customer",
        "email,_website,firstname,lastname\nann@example.com,base,Ann,Lee\nbo@example.com,base,Bo,Ek\n",
    )
    .await;
    // Magento exports `region_id` 0 for a region typed as text; its longest region code is 22
    // characters.
    let body = upload(
        "customer_address",
        "_website,_email,city,country_id,firstname,lastname,postcode,region,region_id,street,telephone,_address_default_billing_\n\
         base,ann@example.com,Berlin,DE,Ann,Lee,10115,,82,1 Unter den Linden,555,1\n\
         base,bo@example.com,La Laguna,ES,Bo,Ek,38201,Santa Cruz de Tenerife,0,1 Calle Real,555,1\n",
    )
    .await;
    assert_eq!(body["data"]["created"], 2, "{body}");
    let bad = upload(
        "customer_address",
        "_website,_email,city,country_id,firstname,lastname,postcode,region_id,street,telephone\n\
         base,ann@example.com,Berlin,DE,Ann,Lee,10115,57,1 Unter den Linden,555\n",
    )
    .await;
    assert_eq!(
        bad["data"]["errors"][0]["message"], "\"57\" is not a region id of DE.",
        "{bad}"
    );
    let (_, found) = app
        .admin(
            Some(&token),
            "{ customers(filter: {email: {match: \"ann@example.com\"}}) { items { billing_region } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        found["data"]["customers"]["items"][0]["billing_region"], "Berlin",
        "{found}"
    );
    let (_, found) = app
        .admin(
            Some(&token),
            "{ customers(filter: {email: {match: \"bo@example.com\"}}) { items { addresses { items { region_code region_id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        found["data"]["customers"]["items"][0]["addresses"]["items"][0],
        json!({"region_code": "Santa Cruz de Tenerife", "region_id": 170}),
        "{found}"
    );
});

db_test!(attribute_metadata_matches_adobe_commerce_2_4_9, |app| {
    let admin = app.root_token().await;
    for (code, segment) in [("nickname", true), ("pet_name", false)] {
        let (_, body) = app
            .admin(
                Some(&admin),
                "mutation($i: CreateCustomerAttributeInput!) { createCustomerAttribute(input: $i) { code } }",
                json!({"i": {"entity_type": "CUSTOMER", "code": code, "label": code, "input_type": "TEXT",
                             "validation": "ALPHANUMERIC", "min_length": 2, "max_length": 20,
                             "is_used_for_segment": segment, "used_in_forms": ["CUSTOMER_ACCOUNT_EDIT"]}}),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let (_, body) = app
        .shopper(
            None,
            "{ attributesForm(formCode: \"customer_account_edit\") { items { code frontend_class } } }",
            json!({}),
        )
        .await;
    let classes: Vec<(Value, Value)> = body["data"]["attributesForm"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|i| (i["code"].clone(), i["frontend_class"].clone()))
        .collect();
    assert!(
        classes.contains(&(json!("email"), json!("validate-email"))),
        "{classes:?}"
    );
    assert!(
        classes.contains(&(json!("firstname"), Value::Null)),
        "{classes:?}"
    );
    assert!(
        classes.contains(&(
            json!("nickname"),
            json!("validate-alphanum minimum-length-2 maximum-length-20 validate-length")
        )),
        "{classes:?}"
    );

    let list = "query($e: AttributeEntityTypeEnum!, $f: AttributeFilterInput) { attributesList(entityType: $e, filters: $f) { items { code } errors { type message } } }";
    let (_, body) = app
        .shopper(None, list, json!({"e": "CATALOG_PRODUCT"}))
        .await;
    assert_eq!(
        body["data"]["attributesList"],
        json!({"items": [], "errors": [{"type": "ENTITY_NOT_FOUND", "message": "Entity \"catalog_product\" could not be found."}]})
    );
    let (_, body) = app
        .shopper(
            None,
            list,
            json!({"e": "CUSTOMER", "f": {"is_filterable": true}}),
        )
        .await;
    assert_eq!(
        body["data"]["attributesList"]["errors"],
        json!([{"type": "FILTER_NOT_FOUND", "message": "Cannot filter by \"is_filterable\" as that field does not belong to \"customer\"."}])
    );
    assert!(
        body["data"]["attributesList"]["items"]
            .as_array()
            .is_some_and(|i| i.len() > 2)
    );
    let (_, body) = app
        .shopper(
            None,
            list,
            json!({"e": "CUSTOMER", "f": {"is_used_for_customer_segment": true}}),
        )
        .await;
    let listed = body["data"]["attributesList"]["items"].to_string();
    assert!(
        listed.contains("nickname") && !listed.contains("pet_name"),
        "{body}"
    );

    // Gender is hidden by default, and hidden fields are not described.
    app.set_config("customer/address/gender_show", "opt").await;
    let (_, body) = app
        .shopper(
            None,
            "{ customAttributeMetadata(attributes: [{attribute_code: \"gender\", entity_type: \"customer\"}]) { items { attribute_code attribute_type entity_type input_type attribute_options { label value } storefront_properties { position } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["customAttributeMetadata"]["items"][0],
        json!({"attribute_code": "gender", "attribute_type": "Int", "entity_type": "customer",
               "input_type": "select", "storefront_properties": null,
               "attribute_options": [{"label": "Male", "value": "1"}, {"label": "Female", "value": "2"},
                                     {"label": "Not Specified", "value": "3"}]}),
        "{body}"
    );
    let (_, body) = app
        .shopper(
            None,
            "{ customAttributeMetadata(attributes: [{attribute_code: \"nope\", entity_type: \"customer\"}]) { items { attribute_code } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        error_message(&body),
        "Attribute code nope of entity type customer not configured to have a type."
    );
    assert_eq!(error_ext(&body, "category"), "graphql-no-such-entity");
});

db_test!(store_config_serves_the_adobe_commerce_fields, |app| {
    let (_, body) = app
        .shopper(
            None,
            "{ storeConfig { base_currency_code default_display_currency_code timezone weight_unit use_store_in_url display_state_if_optional base_link_url secure_base_link_url base_static_url secure_base_static_url secure_base_media_url graphql_share_customer_group graphql_share_all_customer_groups share_all_catalog_rules share_applied_catalog_rules share_all_sales_rule share_applied_sales_rule } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["storeConfig"],
        json!({"base_currency_code": "USD", "default_display_currency_code": "USD",
               "timezone": "America/Los_Angeles", "weight_unit": "lbs", "use_store_in_url": false,
               "display_state_if_optional": true,
               "base_link_url": "http://localhost:8080/", "secure_base_link_url": "http://localhost:8080/",
               "base_static_url": "http://localhost:8080/static/",
               "secure_base_static_url": "http://localhost:8080/static/",
               "secure_base_media_url": "http://localhost:8080/media/",
               "graphql_share_customer_group": true, "graphql_share_all_customer_groups": true,
               "share_all_catalog_rules": true, "share_applied_catalog_rules": true,
               "share_all_sales_rule": true, "share_applied_sales_rule": true}),
        "{body}"
    );
    app.set_config("general/locale/weight_unit", "kgs").await;
    let (_, body) = app
        .shopper(None, "{ storeConfig { weight_unit } }", json!({}))
        .await;
    assert_eq!(body["data"]["storeConfig"]["weight_unit"], "kgs");
});

db_test!(a_shopper_reads_what_staff_did_as_them, |app| {
    let ann = shopper_token(app, "ann@example.com", true).await;
    let actions = "query($p: Int, $s: Int) { customer { id admin_assistance_actions(currentPage: $p, pageSize: $s) { total_count items { action date details } page_info { current_page page_size total_pages } } } }";
    let (_, body) = app.shopper(Some(&ann), actions, json!({})).await;
    assert_eq!(
        body["data"]["customer"]["admin_assistance_actions"],
        json!({"total_count": 0, "items": [], "page_info": {"current_page": 1, "page_size": 20, "total_pages": 0}}),
        "{body}"
    );
    assert!(
        body["data"]["customer"]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );

    app.set_config("login_as_customer/general/enabled", "1")
        .await;
    let admin = app.root_token().await;
    let (_, body) = app
        .shopper(
            Some(&admin),
            "mutation { generateCustomerTokenAsAdmin(input: {customer_email: \"ann@example.com\"}) { customer_token } }",
            json!({}),
        )
        .await;
    let assisted = body["data"]["generateCustomerTokenAsAdmin"]["customer_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    let (_, body) = app
        .shopper(
            Some(&assisted),
            "mutation { updateCustomerV2(input: {lastname: \"Leigh\"}) { customer { lastname } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");

    let (_, body) = app.shopper(Some(&ann), actions, json!({"s": 1})).await;
    let page = &body["data"]["customer"]["admin_assistance_actions"];
    assert_eq!(page["total_count"], 2, "{body}");
    assert_eq!(
        page["page_info"],
        json!({"current_page": 1, "page_size": 1, "total_pages": 2})
    );
    assert_eq!(
        page["items"][0]["action"], "updateCustomerV2",
        "newest first: {body}"
    );
    assert_eq!(page["items"][0]["details"], "storefront");
    let (_, body) = app
        .shopper(Some(&ann), actions, json!({"p": 2, "s": 1}))
        .await;
    assert_eq!(
        body["data"]["customer"]["admin_assistance_actions"]["items"][0]["action"], "login",
        "{body}"
    );
    let (_, body) = app.shopper(Some(&ann), actions, json!({"s": 0})).await;
    assert_eq!(
        error_message(&body),
        "pageSize value must be greater than 0."
    );
});

const EXCHANGE: &str = "mutation($c: CustomerCreateInput!) { exchangeExternalCustomerToken(input: {customer: $c}) { token customer { id email firstname } } }";

async fn integration(app: &TestApp, resources: &[&str]) -> String {
    let admin = app.root_token().await;
    let (_, body) = app
        .admin(
            Some(&admin),
            "mutation($n: String!, $r: [String!]!) { createIntegration(input: {name: $n, resources: $r}) { token } }",
            json!({"n": resources.join(" "), "r": resources}),
        )
        .await;
    body["data"]["createIntegration"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

db_test!(
    a_trusted_backend_exchanges_an_email_for_a_customer_token,
    |app| {
        let social = integration(app, &["Clientele_Customer::external_customer_token"]).await;
        let other = integration(app, &["Magento_Customer::manage"]).await;
        let shopper = shopper_token(app, "bob@example.com", false).await;
        let ann = json!({"email": "ann@example.com", "firstname": "Ann", "lastname": "Lee"});
        for bearer in [None, Some(other.as_str()), Some(shopper.as_str())] {
            let (status, body) = app.shopper(bearer, EXCHANGE, json!({"c": ann})).await;
            assert_eq!(
                (status, error_message(&body)),
                (403, "You do not have permission to access this resource."),
                "{body}"
            );
        }
        // An unknown email: the account is created (its email taken as confirmed) and signed in.
        app.set_config("customer/create_account/confirm", "1").await;
        let (status, body) = app
            .shopper(Some(&social), EXCHANGE, json!({"c": ann}))
            .await;
        assert_eq!(status, 200, "{body}");
        let first = &body["data"]["exchangeExternalCustomerToken"];
        assert_eq!(first["customer"]["email"], "ann@example.com");
        let token = first["token"].as_str().expect("token").to_owned();
        let (_, me) = app
            .shopper(
                Some(&token),
                "{ customer { id email is_confirmed } }",
                json!({}),
            )
            .await;
        assert_eq!(me["data"]["customer"]["email"], "ann@example.com", "{me}");
        assert_eq!(me["data"]["customer"]["is_confirmed"], true);
        assert_eq!(me["data"]["customer"]["id"], first["customer"]["id"]);

        // A known email: the same account, unchanged, with a new token.
        let renamed = json!({"email": "ANN@example.com", "firstname": "Anna", "lastname": "Lee"});
        let (_, body) = app
            .shopper(Some(&social), EXCHANGE, json!({"c": renamed}))
            .await;
        let again = &body["data"]["exchangeExternalCustomerToken"];
        assert_eq!(again["customer"]["id"], first["customer"]["id"], "{body}");
        assert_eq!(again["customer"]["firstname"], "Ann");
        assert_ne!(again["token"], first["token"]);

        let (_, body) = app
            .shopper(
                Some(&social),
                EXCHANGE,
                json!({"c": {"email": "not-an-email", "firstname": "A", "lastname": "B"}}),
            )
            .await;
        assert_eq!(error_ext(&body, "category"), "graphql-input", "{body}");
    }
);

db_test!(
    an_external_sign_in_reaches_only_the_callers_websites,
    |app| {
        let root = app.root_token().await;
        let eu = app.create_website(&root, "eu").await;
        let (_, away) = app
            .admin(
                Some(&root),
                "mutation($w: Int!) { createCustomer(input: {email: \"away@example.com\", firstname: \"Away\", lastname: \"Eu\", website_id: $w}) { id } }",
                json!({"w": eu}),
            )
            .await;
        assert!(away["errors"].is_null(), "{away}");
        // One account scope for all websites: the base website's store view finds the EU account.
        app.set_config("customer/account_share/scope", "0").await;
        let (_, role) = app
            .admin(
                Some(&root),
                "mutation { createRole(input: {name: \"Social base\", resources: [\"Clientele_Customer::external_customer_token\"], website_ids: [1]}) { id } }",
                json!({}),
            )
            .await;
        app.create_staff(
            "social@example.com",
            role["data"]["createRole"]["id"].as_i64().expect("role") as i32,
        )
        .await;
        let social = app.sign_in("social@example.com").await;
        let away = json!({"email": "away@example.com", "firstname": "Away", "lastname": "Eu"});
        let (status, body) = app
            .shopper(Some(&social), EXCHANGE, json!({"c": away}))
            .await;
        assert_eq!(
            (status, error_message(&body)),
            (403, "You do not have permission to access this resource."),
            "{body}"
        );
        assert!(body["data"]["exchangeExternalCustomerToken"].is_null());
        let home = json!({"email": "home@example.com", "firstname": "Home", "lastname": "Base"});
        let (status, body) = app
            .shopper(Some(&social), EXCHANGE, json!({"c": home}))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["data"]["exchangeExternalCustomerToken"]["customer"]["email"],
            "home@example.com"
        );
    }
);
