//! The metadata storefronts build their forms from: `attributesForm`, `customAttributeMetadataV2`
//! and `attributesList`, for system fields (shown as the Name and Address options say) and custom
//! attributes (only those shown on the storefront).

use clientele_tests::{TestApp, db_test, error_ext, error_message};
use serde_json::{Value, json};

const FORM: &str = "query($f: String!) { attributesForm(formCode: $f) { items { uid code label entity_type frontend_input is_required default_value is_unique options { uid label value is_default } ... on CustomerAttributeMetadata { input_filter multiline_count sort_order validate_rules { name value } } } errors { type message } } }";

async fn form(app: &TestApp, code: &str) -> Value {
    let (status, body) = app.shopper(None, FORM, json!({ "f": code })).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["attributesForm"].clone()
}

fn codes(output: &Value) -> Vec<&str> {
    output["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{output}"))
        .iter()
        .map(|i| i["code"].as_str().expect("code"))
        .collect()
}

fn item<'a>(output: &'a Value, code: &str) -> &'a Value {
    output["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {output}"))
}

async fn create_attribute(app: &TestApp, input: Value) -> Value {
    let token = app.root_token().await;
    let (_, body) = app
        .admin(
            Some(&token),
            "mutation($i: CreateCustomerAttributeInput!) { createCustomerAttribute(input: $i) { code options { id label } } }",
            json!({ "i": input }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["createCustomerAttribute"].clone()
}

db_test!(
    registration_form_follows_the_name_and_address_options,
    |app| {
        let create = form(app, "customer_account_create").await;
        assert_eq!(codes(&create), ["firstname", "lastname", "email"]);
        assert_eq!(create["errors"], json!([]));
        let firstname = item(&create, "firstname");
        assert_eq!(
            *firstname,
            json!({"uid": "Y3VzdG9tZXIvZmlyc3RuYW1l", "code": "firstname", "label": "First Name",
               "entity_type": "CUSTOMER", "frontend_input": "TEXT", "is_required": true,
               "default_value": null, "is_unique": false, "options": [],
               "input_filter": "TRIM", "multiline_count": 1, "sort_order": 40,
               "validate_rules": [{"name": "MAX_TEXT_LENGTH", "value": "255"},
                                  {"name": "MIN_TEXT_LENGTH", "value": "1"}]})
        );
        assert_eq!(
            item(&create, "email")["validate_rules"],
            json!([{"name": "INPUT_VALIDATION", "value": "email"}])
        );

        app.set_config("customer/address/dob_show", "req").await;
        app.set_config("customer/address/gender_show", "opt").await;
        app.set_config("customer/address/middlename_show", "1")
            .await;
        let edit = form(app, "customer_account_edit").await;
        assert_eq!(
            codes(&edit),
            [
                "firstname",
                "middlename",
                "lastname",
                "email",
                "dob",
                "gender"
            ]
        );
        let dob = item(&edit, "dob");
        assert_eq!(dob["frontend_input"], "DATE");
        assert_eq!(dob["is_required"], true);
        assert_eq!(dob["input_filter"], "DATE");
        let gender = item(&edit, "gender");
        assert_eq!(gender["is_required"], false);
        assert_eq!(
            gender["options"][0],
            json!({"uid": "Y3VzdG9tZXIvZ2VuZGVyLzE=", "label": "Male", "value": "1", "is_default": false})
        );
    }
);

db_test!(
    address_forms_describe_street_lines_countries_and_regions,
    |app| {
        app.set_config("customer/address/street_lines", "3").await;
        app.set_config("customer/address/telephone_show", "").await;
        app.set_config("general/country/default", "DE").await;
        let address = form(app, "customer_address_edit").await;
        assert_eq!(
            codes(&address),
            [
                "firstname",
                "lastname",
                "company",
                "street",
                "city",
                "country_id",
                "region",
                "region_id",
                "postcode",
                "vat_id"
            ]
        );
        let street = item(&address, "street");
        assert_eq!(street["frontend_input"], "MULTILINE");
        assert_eq!(street["multiline_count"], 3);
        assert_eq!(street["entity_type"], "CUSTOMER_ADDRESS");
        let country = item(&address, "country_id");
        assert_eq!(country["frontend_input"], "SELECT");
        let defaults: Vec<&Value> = country["options"]
            .as_array()
            .expect("options")
            .iter()
            .filter(|o| o["is_default"] == true)
            .map(|o| &o["value"])
            .collect();
        assert_eq!(defaults, [&json!("DE")]);
        assert_eq!(item(&address, "region_id")["frontend_input"], "HIDDEN");
    }
);

db_test!(custom_attributes_join_the_forms_they_are_used_in, |app| {
    let tier = create_attribute(
        app,
        json!({"entity_type": "CUSTOMER", "code": "loyalty_tier", "label": "Loyalty tier",
               "input_type": "SELECT", "is_required": true, "sort_order": 200,
               "store_labels": [{"store_id": 1, "label": "Treuestufe"}],
               "used_in_forms": ["CUSTOMER_ACCOUNT_CREATE"],
               "options": [{"label": "Gold"}, {"label": "Silver", "is_default": true}]}),
    )
    .await;
    let silver = tier["options"][1]["id"].to_string();
    create_attribute(
        app,
        json!({"entity_type": "CUSTOMER", "code": "staff_note", "label": "Note",
               "input_type": "TEXT", "show_on_storefront": false,
               "used_in_forms": ["CUSTOMER_ACCOUNT_CREATE"]}),
    )
    .await;
    create_attribute(
        app,
        json!({"entity_type": "CUSTOMER", "code": "nickname", "label": "Nickname",
               "input_type": "TEXT", "validation": "ALPHANUMERIC", "min_length": 2,
               "max_length": 20, "sort_order": 150, "used_in_forms": ["CUSTOMER_ACCOUNT_EDIT"]}),
    )
    .await;

    let create = form(app, "customer_account_create").await;
    assert_eq!(
        codes(&create),
        ["firstname", "lastname", "email", "loyalty_tier"]
    );
    let tier = item(&create, "loyalty_tier");
    assert_eq!(tier["label"], "Treuestufe");
    assert_eq!(tier["is_required"], true);
    assert_eq!(tier["options"][1]["value"], json!(silver));
    assert_eq!(tier["options"][1]["is_default"], true);
    assert_eq!(tier["options"][0]["is_default"], false);

    let edit = form(app, "customer_account_edit").await;
    assert_eq!(
        item(&edit, "nickname")["validate_rules"],
        json!([{"name": "INPUT_VALIDATION", "value": "alphanumeric"},
               {"name": "MIN_TEXT_LENGTH", "value": "2"},
               {"name": "MAX_TEXT_LENGTH", "value": "20"}])
    );

    let (_, list) = app
        .shopper(
            None,
            "{ attributesList(entityType: CUSTOMER) { items { code } errors { message } } }",
            json!({}),
        )
        .await;
    let listed = codes(&list["data"]["attributesList"]);
    assert!(listed.contains(&"nickname") && listed.contains(&"loyalty_tier"));
    assert!(!listed.contains(&"staff_note"), "{list}");
});

db_test!(metadata_by_code_reports_what_it_cannot_find, |app| {
    create_attribute(
        app,
        json!({"entity_type": "CUSTOMER", "code": "staff_note", "label": "Note",
               "input_type": "TEXT", "show_on_storefront": false,
               "used_in_forms": ["CUSTOMER_ACCOUNT_EDIT"]}),
    )
    .await;
    let query = "query($a: [AttributeInput!]) { customAttributeMetadataV2(attributes: $a) { items { code label entity_type frontend_input is_required } errors { type message } } }";
    let (status, body) = app
        .shopper(
            None,
            query,
            json!({"a": [
                {"attribute_code": "firstname", "entity_type": "customer"},
                {"attribute_code": "city", "entity_type": "CUSTOMER_ADDRESS"},
                {"attribute_code": "shoe_size", "entity_type": "customer"},
                {"attribute_code": "staff_note", "entity_type": "customer"},
                {"attribute_code": "sku", "entity_type": "catalog_product"}
            ]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["customAttributeMetadataV2"],
        json!({
            "items": [
                {"code": "firstname", "label": "First Name", "entity_type": "CUSTOMER",
                 "frontend_input": "TEXT", "is_required": true},
                {"code": "city", "label": "City", "entity_type": "CUSTOMER_ADDRESS",
                 "frontend_input": "TEXT", "is_required": true}
            ],
            "errors": [
                {"type": "ATTRIBUTE_NOT_FOUND", "message": "Attribute code \"shoe_size\" could not be found."},
                {"type": "ENTITY_NOT_FOUND", "message": "Entity \"catalog_product\" could not be found."}
            ]
        })
    );

    let (_, empty) = app.shopper(None, query, json!({"a": []})).await;
    assert_eq!(
        error_message(&empty),
        "Required parameters \"attribute_code\" and \"entity_type\" of type String."
    );
    assert_eq!(error_ext(&empty, "category"), "graphql-input");
    let (_, partial) = app
        .shopper(None, query, json!({"a": [{"entity_type": "customer"}]}))
        .await;
    assert_eq!(
        error_message(&partial),
        "The attribute_code is required to retrieve the metadata"
    );
});

db_test!(unknown_and_admin_forms_are_not_found, |app| {
    for code in ["adminhtml_checkout", "adminhtml_customer", "checkout_form"] {
        let output = form(app, code).await;
        assert_eq!(
            output,
            json!({"items": [], "errors": [{"type": "ENTITY_NOT_FOUND",
                   "message": format!("Form \"{code}\" could not be found.")}]})
        );
    }
    let (_, body) = app.shopper(None, FORM, json!({"f": ""})).await;
    assert_eq!(
        error_message(&body),
        "Required parameter \"formCode\" of type string."
    );
    assert_eq!(error_ext(&body, "category"), "graphql-input");
});
