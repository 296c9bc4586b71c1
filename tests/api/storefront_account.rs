//! Shoppers managing their own accounts on the storefront, as storefronts built for Adobe Commerce
//! do it: sign up (both mutation versions), edit, change email and password, the address book in
//! both id styles, `isEmailAvailable`, and closing the account.

use clientele_tests::{TestApp, db_test, error_ext, error_message, query_param};
use serde_json::{Value, json};

const PASSWORD: &str = "Sunny-Day-42";

async fn call(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
    app.shopper(token, query, variables).await
}

async fn set_config(app: &TestApp, path: &str, value: &str) {
    app.set_config(path, value).await;
}

async fn sign_up(app: &TestApp, email: &str) -> Value {
    let (status, body) = call(
        app,
        None,
        "mutation($i: CustomerCreateInput!) { createCustomerV2(input: $i) { customer { id firstname lastname email is_subscribed date_of_birth confirmation_status } } }",
        json!({"i": {"firstname": "Ann", "lastname": "Lee", "email": email, "password": PASSWORD,
                     "is_subscribed": true, "date_of_birth": "3/11/1972"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn token(app: &TestApp, email: &str, password: &str) -> String {
    let (_, body) = call(
        app,
        None,
        "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }",
        json!({"e": email, "p": password}),
    )
    .await;
    body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

db_test!(a_shopper_signs_up_signs_in_and_edits_the_account, |app| {
    let body = sign_up(app, "ann@example.com").await;
    assert_eq!(
        body["data"]["createCustomerV2"]["customer"],
        json!({"id": "MQ==", "firstname": "Ann", "lastname": "Lee", "email": "ann@example.com",
               "is_subscribed": true, "date_of_birth": "3/11/1972",
               "confirmation_status": "ACCOUNT_CONFIRMATION_NOT_REQUIRED"})
    );
    let again = sign_up(app, "ANN@example.com").await;
    assert_eq!(
        error_message(&again),
        "A customer with the same email address already exists in an associated website."
    );
    assert_eq!(error_ext(&again, "category"), "graphql-input");

    let ann = token(app, "ann@example.com", PASSWORD).await;
    let (_, me) = call(
        app,
        Some(&ann),
        "{ customer { firstname date_of_birth is_subscribed } }",
        json!({}),
    )
    .await;
    assert_eq!(
        me["data"]["customer"],
        json!({"firstname": "Ann", "date_of_birth": "1972-03-11", "is_subscribed": true})
    );

    let update = "mutation($i: CustomerUpdateInput!) { updateCustomerV2(input: $i) { customer { firstname middlename gender is_subscribed } } }";
    let (_, body) = call(
        app,
        Some(&ann),
        update,
        json!({"i": {"firstname": "Anna", "middlename": "B", "gender": 2, "is_subscribed": false}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateCustomerV2"]["customer"],
        json!({"firstname": "Anna", "middlename": "B", "gender": 2, "is_subscribed": false})
    );
    for (input, message) in [
        (json!({}), "\"input\" value should be specified"),
        (
            json!({"firstname": ""}),
            "Required parameters are missing: First Name",
        ),
        (json!({"date_of_birth": "bla-bla-bla"}), "Invalid date"),
        (json!({"gender": 9}), "\"9\" is not a valid gender value."),
    ] {
        let (status, body) = call(app, Some(&ann), update, json!({ "i": input })).await;
        assert_eq!((status, error_message(&body)), (200, message), "{body}");
    }
    let (status, body) = call(app, None, update, json!({"i": {"firstname": "X"}})).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        error_message(&body),
        "The current customer isn't authorized."
    );
});

db_test!(sign_up_refuses_bad_input_and_weak_passwords, |app| {
    let create =
        "mutation($i: CustomerCreateInput!) { createCustomerV2(input: $i) { customer { email } } }";
    let base = json!({"firstname": "Ann", "lastname": "Lee", "email": "ann@example.com"});
    let with = |key: &str, value: Value| {
        let mut input = base.clone();
        input[key] = value;
        json!({ "i": input })
    };
    for (variables, message) in [
        (
            with("email", json!("plainaddress")),
            "\"plainaddress\" is not a valid email address.",
        ),
        (
            with("firstname", json!("")),
            "Required parameters are missing: First Name",
        ),
        (
            with("password", json!("short1A")),
            "The password needs at least 8 characters. Create a new password and try again.",
        ),
        (
            with("password", json!("alllowercase")),
            "Minimum of different classes of characters in password is 3. Classes of characters: Lower Case, Upper Case, Digits, Special Characters.",
        ),
        (
            with("password", json!(" Sunny-Day-42")),
            "The password can't begin or end with a space. Verify the password and try again.",
        ),
    ] {
        let (status, body) = call(app, None, create, variables).await;
        assert_eq!((status, error_message(&body)), (200, message), "{body}");
        assert_eq!(error_ext(&body, "category"), "graphql-input");
    }
    // A unicode local part is a valid address; an account without a password cannot sign in.
    let (_, body) = call(
        app,
        None,
        create,
        with("email", json!("jØrgen@example.com")),
    )
    .await;
    assert_eq!(
        body["data"]["createCustomerV2"]["customer"]["email"], "jØrgen@example.com",
        "{body}"
    );
    // The V1 mutation needs the email among its optional fields.
    let (_, body) = call(
        app,
        None,
        "mutation { createCustomer(input: {firstname: \"Bo\", lastname: \"Li\", password: \"Sunny-Day-42\"}) { customer { email } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        error_message(&body),
        "Required parameters are missing: Email"
    );
    let (_, body) = call(
        app,
        None,
        "mutation { createCustomer(input: {}) { customer { email } } }",
        json!({}),
    )
    .await;
    assert_eq!(error_message(&body), "\"input\" value should be specified");
});

db_test!(
    changing_email_or_password_needs_the_current_password_and_ends_the_other_sessions,
    |app| {
        sign_up(app, "ann@example.com").await;
        sign_up(app, "bob@example.com").await;
        let ann = token(app, "ann@example.com", PASSWORD).await;
        let ann_elsewhere = token(app, "ann@example.com", PASSWORD).await;
        let change = "mutation($c: String!, $n: String!) { changeCustomerPassword(currentPassword: $c, newPassword: $n) { email } }";
        let (status, body) = call(
            app,
            Some(&ann),
            change,
            json!({"c": "wrong-Pass-1", "n": "New-Pass-123"}),
        )
        .await;
        assert_eq!(
            (status, error_message(&body)),
            (401, "Invalid login or password."),
            "{body}"
        );
        let (_, body) = call(
            app,
            Some(&ann),
            change,
            json!({"c": " ", "n": "New-Pass-123"}),
        )
        .await;
        assert_eq!(
            error_message(&body),
            "Specify the \"currentPassword\" value."
        );
        let (_, body) = call(app, Some(&ann), change, json!({"c": PASSWORD, "n": "weak"})).await;
        assert_eq!(
            error_message(&body),
            "The password needs at least 8 characters. Create a new password and try again."
        );
        let (status, body) = call(
            app,
            Some(&ann),
            change,
            json!({"c": PASSWORD, "n": "New-Pass-123"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["data"]["changeCustomerPassword"]["email"],
            "ann@example.com"
        );
        let (status, body) = call(app, Some(&ann), "{ customer { email } }", json!({})).await;
        assert_eq!(
            (status, &body["data"]["customer"]["email"]),
            (200, &json!("ann@example.com")),
            "the session that changed the password stays signed in: {body}"
        );
        let (status, body) = call(
            app,
            Some(&ann_elsewhere),
            "{ customer { email } }",
            json!({}),
        )
        .await;
        assert_eq!(
            (status, error_message(&body)),
            (401, "User token has been revoked"),
            "a password change ends the customer's other sessions"
        );
        let ann_elsewhere = token(app, "ann@example.com", "New-Pass-123").await;

        let email = "mutation($e: String!, $p: String!) { updateCustomerEmail(email: $e, password: $p) { customer { email } } }";
        let (status, body) = call(
            app,
            Some(&ann),
            email,
            json!({"e": "bob@example.com", "p": "New-Pass-123"}),
        )
        .await;
        assert_eq!(
            (status, error_message(&body)),
            (
                200,
                "A customer with the same email address already exists in an associated website."
            ),
            "{body}"
        );
        let (status, _) = call(
            app,
            Some(&ann),
            email,
            json!({"e": "ann2@example.com", "p": "nope-Nope-1"}),
        )
        .await;
        assert_eq!(status, 401);
        let (_, body) = call(
            app,
            Some(&ann),
            email,
            json!({"e": "ann2@example.com", "p": "New-Pass-123"}),
        )
        .await;
        assert_eq!(
            body["data"]["updateCustomerEmail"]["customer"]["email"], "ann2@example.com",
            "{body}"
        );
        let (status, body) = call(app, Some(&ann), "{ customer { email } }", json!({})).await;
        assert_eq!(
            (status, &body["data"]["customer"]["email"]),
            (200, &json!("ann2@example.com")),
            "the session that changed the email stays signed in: {body}"
        );
        let (status, body) = call(
            app,
            Some(&ann_elsewhere),
            "{ customer { email } }",
            json!({}),
        )
        .await;
        assert_eq!(
            (status, error_message(&body)),
            (401, "User token has been revoked"),
            "an email change ends the customer's other sessions"
        );

        // The V1 update changes the email only with the password.
        let v1 = "mutation($i: CustomerInput!) { updateCustomer(input: $i) { customer { email firstname } } }";
        let (_, body) = call(
            app,
            Some(&ann),
            v1,
            json!({"i": {"email": "ann3@example.com"}}),
        )
        .await;
        assert_eq!(
            error_message(&body),
            "Provide the current \"password\" to change \"email\"."
        );
        let (_, body) = call(app, Some(&ann), v1, json!({"i": {"firstname": "Annie"}})).await;
        assert_eq!(
            body["data"]["updateCustomer"]["customer"]["firstname"], "Annie",
            "{body}"
        );
    }
);

db_test!(the_address_book_works_by_id_and_by_uid, |app| {
    sign_up(app, "ann@example.com").await;
    sign_up(app, "bob@example.com").await;
    let ann = token(app, "ann@example.com", PASSWORD).await;
    let bob = token(app, "bob@example.com", PASSWORD).await;
    let create = "mutation($i: CustomerAddressInput!) { createCustomerAddress(input: $i) { id uid customer_id firstname street city postcode telephone country_code country_id region { region region_code region_id } region_id default_billing default_shipping } }";
    let address = json!({"firstname": "Ann", "lastname": "Lee", "street": ["1 Main St", "Apt 2"],
        "city": "Austin", "postcode": "78701", "telephone": "555-0100", "country_code": "US",
        "region": {"region_code": "TX"}, "default_billing": true, "default_shipping": true});
    let (status, body) = call(app, Some(&ann), create, json!({ "i": address })).await;
    assert_eq!(status, 200, "{body}");
    let first = body["data"]["createCustomerAddress"].clone();
    assert_eq!(first["customer_id"], Value::Null);
    assert_eq!(first["region"]["region"], "Texas", "{first}");
    assert_eq!(first["region_id"], first["region"]["region_id"]);
    assert_eq!(
        (
            first["default_billing"].clone(),
            first["country_id"].clone()
        ),
        (json!(true), json!("US"))
    );
    let id = first["id"].as_i64().expect("id");
    let uid = first["uid"].as_str().expect("uid").to_owned();

    // The region id from one answer is accepted back.
    let mut second = address.clone();
    second["default_billing"] = json!(false);
    second["default_shipping"] = json!(false);
    second["region"] = json!({"region_id": first["region_id"]});
    let (_, body) = call(app, Some(&ann), create, json!({ "i": second })).await;
    let other = body["data"]["createCustomerAddress"].clone();
    assert_eq!(other["region"]["region_code"], "TX", "{body}");
    let other_uid = other["uid"].as_str().expect("uid").to_owned();

    for (input, message) in [
        (json!({}), "\"input\" value should be specified"),
        (
            json!({"lastname": "Lee", "street": ["x"], "city": "c", "country_code": "US", "postcode": "1", "telephone": "1", "region": {"region_code": "TX"}}),
            "Required parameters are missing: firstname",
        ),
        (
            json!({"firstname": "A", "lastname": "Lee", "street": ["1", "2", "3"], "city": "c", "country_code": "US", "postcode": "1", "telephone": "1", "region": {"region_code": "TX"}}),
            "\"Street Address\" cannot contain more than 2 lines.",
        ),
    ] {
        let (_, body) = call(app, Some(&ann), create, json!({ "i": input })).await;
        assert_eq!(error_message(&body), message, "{body}");
    }

    let (_, body) = call(
        app,
        Some(&ann),
        "{ customer { default_billing addresses { city } addressesV2(pageSize: 1, currentPage: 2) { total_count items { uid } page_info { page_size current_page total_pages } } } }",
        json!({}),
    )
    .await;
    let customer = &body["data"]["customer"];
    assert_eq!(customer["default_billing"], id.to_string());
    assert_eq!(customer["addresses"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        customer["addressesV2"],
        json!({"total_count": 2, "items": [{"uid": other_uid}],
               "page_info": {"page_size": 1, "current_page": 2, "total_pages": 2}})
    );

    let update_v2 = "mutation($u: ID!, $i: CustomerAddressInput) { updateCustomerAddressV2(uid: $u, input: $i) { city postcode } }";
    let (_, body) = call(
        app,
        Some(&ann),
        update_v2,
        json!({"u": uid, "i": {"city": "Dallas"}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateCustomerAddressV2"],
        json!({"city": "Dallas", "postcode": "78701"})
    );
    let (status, body) = call(
        app,
        Some(&bob),
        update_v2,
        json!({"u": uid, "i": {"city": "X"}}),
    )
    .await;
    assert_eq!(
        (status, error_message(&body)),
        (
            403,
            "Current customer does not have permission to get address with the specified ID"
        )
    );
    let (_, body) = call(
        app,
        Some(&ann),
        "mutation($id: Int!) { updateCustomerAddress(id: $id, input: {city: \"Waco\"}) { city } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        body["data"]["updateCustomerAddress"]["city"], "Waco",
        "{body}"
    );

    let (_, body) = call(
        app,
        Some(&ann),
        "mutation($id: Int!) { deleteCustomerAddress(id: $id) }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        error_message(&body),
        format!("Customer Address {id} is set as default billing address and can not be deleted")
    );
    let (_, body) = call(
        app,
        Some(&ann),
        "mutation { deleteCustomerAddress(id: 999999) }",
        json!({}),
    )
    .await;
    assert_eq!(
        error_message(&body),
        "Could not find a address with ID \"999999\""
    );
    assert_eq!(error_ext(&body, "category"), "graphql-no-such-entity");
    let delete_v2 = "mutation($u: ID!) { deleteCustomerAddressV2(uid: $u) }";
    let (status, _) = call(app, Some(&bob), delete_v2, json!({"u": other_uid})).await;
    assert_eq!(status, 403);
    let (_, body) = call(app, Some(&ann), delete_v2, json!({"u": other_uid})).await;
    assert_eq!(body["data"]["deleteCustomerAddressV2"], true, "{body}");
});

db_test!(
    email_availability_does_not_enumerate_unless_configured,
    |app| {
        sign_up(app, "ann@example.com").await;
        let query = "query($e: String!) { isEmailAvailable(email: $e) { is_email_available } }";
        let available =
            |body: &Value| body["data"]["isEmailAvailable"]["is_email_available"].clone();
        let (_, body) = call(app, None, query, json!({"e": "ann@example.com"})).await;
        assert_eq!(available(&body), json!(true), "{body}");
        for (email, message) in [
            ("", "Email must be specified"),
            ("nope", "Email is invalid"),
        ] {
            let (_, body) = call(app, None, query, json!({ "e": email })).await;
            assert_eq!(error_message(&body), message);
        }
        set_config(app, "checkout/options/enable_guest_checkout_login", "1").await;
        let (_, body) = call(app, None, query, json!({"e": "ANN@example.com"})).await;
        assert_eq!(available(&body), json!(false), "{body}");
        let (_, body) = call(app, None, query, json!({"e": "zed@example.com"})).await;
        assert_eq!(available(&body), json!(true), "{body}");
    }
);

db_test!(
    a_shopper_closes_the_account_unless_the_store_forbids_it,
    |app| {
        sign_up(app, "ann@example.com").await;
        let ann = token(app, "ann@example.com", PASSWORD).await;
        set_config(
            app,
            "customer/account_information/allow_customer_delete",
            "0",
        )
        .await;
        let (status, body) = call(app, Some(&ann), "mutation { deleteCustomer }", json!({})).await;
        assert_eq!(status, 403, "{body}");
        set_config(
            app,
            "customer/account_information/allow_customer_delete",
            "1",
        )
        .await;
        let (_, body) = call(app, Some(&ann), "mutation { deleteCustomer }", json!({})).await;
        assert_eq!(body["data"]["deleteCustomer"], true, "{body}");
        let (status, body) = call(app, Some(&ann), "{ customer { email } }", json!({})).await;
        assert_eq!(
            (status, error_message(&body)),
            (401, "User token has been revoked")
        );
        let (status, _) = call(
        app,
        None,
        "mutation { generateCustomerToken(email: \"ann@example.com\", password: \"Sunny-Day-42\") { token } }",
        json!({}),
    )
    .await;
        assert_eq!(status, 401, "a closed account cannot sign in");
    }
);

db_test!(guests_and_shoppers_subscribe_to_the_newsletter, |app| {
    let subscribe = "mutation($e: String!) { subscribeEmailToNewsletter(email: $e) { status } }";
    let status = |body: &Value| body["data"]["subscribeEmailToNewsletter"]["status"].clone();
    let (_, body) = call(app, None, subscribe, json!({"e": "guest@example.com"})).await;
    assert_eq!(status(&body), json!("SUBSCRIBED"), "{body}");
    app.wait_for_mail("guest@example.com", "successfully subscribed")
        .await;
    let (_, body) = call(app, None, subscribe, json!({"e": "guest@example.com"})).await;
    assert_eq!(
        error_message(&body),
        "This email address is already subscribed."
    );
    for (email, message) in [
        (
            "",
            "You must specify an email address to subscribe to a newsletter.",
        ),
        ("nope", "Enter a valid email address."),
    ] {
        let (_, body) = call(app, None, subscribe, json!({ "e": email })).await;
        assert_eq!(error_message(&body), message);
    }
    // A guest cannot subscribe a shopper's address; the shopper can.
    sign_up(app, "ann@example.com").await;
    let (_, body) = call(app, None, subscribe, json!({"e": "ann@example.com"})).await;
    assert_eq!(
        error_message(&body),
        "Cannot create a newsletter subscription."
    );
    let ann = token(app, "ann@example.com", PASSWORD).await;
    let (_, body) = call(app, Some(&ann), "mutation { updateCustomerV2(input: {is_subscribed: false}) { customer { is_subscribed } } }", json!({})).await;
    assert_eq!(
        body["data"]["updateCustomerV2"]["customer"]["is_subscribed"], false,
        "{body}"
    );
    let (_, body) = call(app, Some(&ann), subscribe, json!({"e": "ann@example.com"})).await;
    assert_eq!(status(&body), json!("SUBSCRIBED"), "{body}");
    let (_, body) = call(app, Some(&ann), "{ customer { is_subscribed } }", json!({})).await;
    assert_eq!(body["data"]["customer"]["is_subscribed"], true, "{body}");

    set_config(app, "newsletter/subscription/allow_guest_subscribe", "0").await;
    let (_, body) = call(app, None, subscribe, json!({"e": "other@example.com"})).await;
    assert_eq!(
        error_message(&body),
        "Guests can not subscribe to the newsletter. You must create an account to subscribe."
    );
});

db_test!(countries_list_regions_whose_ids_addresses_accept, |app| {
    let (_, body) = call(
        app,
        None,
        "{ countries { id three_letter_abbreviation full_name_english } country(id: \"US\") { id available_regions { id code name } } }",
        json!({}),
    )
    .await;
    let countries = body["data"]["countries"].as_array().expect("countries");
    assert!(countries.len() > 240, "{}", countries.len());
    assert!(countries.contains(
        &json!({"id": "DE", "three_letter_abbreviation": "DEU", "full_name_english": "Germany"})
    ));
    let regions = body["data"]["country"]["available_regions"]
        .as_array()
        .expect("regions")
        .clone();
    let texas = regions
        .iter()
        .find(|r| r["code"] == "TX")
        .expect("Texas")
        .clone();
    assert_eq!(texas["name"], "Texas");

    // Queries also arrive over GET.
    let response = app
        .get(
            "/graphql",
            &[("query", "{ country(id: \"XX\") { id } }")],
            &[],
        )
        .await;
    let body: Value = response.json().await.expect("json");
    assert_eq!(error_message(&body), "The country isn't available.");

    sign_up(app, "ann@example.com").await;
    let ann = token(app, "ann@example.com", PASSWORD).await;
    let (_, body) = call(
        app,
        Some(&ann),
        "mutation($r: Int!) { createCustomerAddress(input: {firstname: \"A\", lastname: \"B\", street: [\"1 Main\"], city: \"Austin\", postcode: \"78701\", telephone: \"1\", country_code: US, region: {region_id: $r}}) { region { region region_code region_id } } }",
        json!({"r": texas["id"]}),
    )
    .await;
    assert_eq!(
        body["data"]["createCustomerAddress"]["region"],
        json!({"region": "Texas", "region_code": "TX", "region_id": texas["id"]}),
        "{body}"
    );
});

db_test!(shoppers_write_and_read_only_storefront_attributes, |app| {
    let admin = app.root_token().await;
    let create = "mutation($input: CreateCustomerAttributeInput!) { createCustomerAttribute(input: $input) { code options { id label } } }";
    let (_, tier) = app
        .admin(
            Some(&admin),
            create,
            json!({"input": {"entity_type": "CUSTOMER", "code": "loyalty_tier", "label": "Loyalty tier",
                "input_type": "SELECT", "used_in_forms": ["CUSTOMER_ACCOUNT_CREATE", "CUSTOMER_ACCOUNT_EDIT"],
                "options": [{"label": "Gold"}, {"label": "Silver"}]}}),
        )
        .await;
    let gold = tier["data"]["createCustomerAttribute"]["options"][0]["id"].to_string();
    let (_, body) = app
        .admin(
            Some(&admin),
            create,
            json!({"input": {"entity_type": "CUSTOMER", "code": "credit_note", "label": "Credit note",
                "input_type": "TEXT", "used_in_forms": []}}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");

    let sign_up =
        "mutation($i: CustomerCreateInput!) { createCustomerV2(input: $i) { customer { email } } }";
    let (_, body) = call(
        app,
        None,
        sign_up,
        json!({"i": {"firstname": "A", "lastname": "B", "email": "ann@example.com", "password": PASSWORD,
                     "custom_attributes": [{"attribute_code": "credit_note", "value": "vip"}]}}),
    )
    .await;
    assert_eq!(
        error_message(&body),
        "Attribute \"credit_note\" cannot be set from the storefront."
    );
    let (_, body) = call(
        app,
        None,
        sign_up,
        json!({"i": {"firstname": "A", "lastname": "B", "email": "ann@example.com", "password": PASSWORD,
                     "custom_attributes": [{"attribute_code": "loyalty_tier", "selected_options": [{"value": gold}]}]}}),
    )
    .await;
    assert!(body["errors"].is_null(), "{body}");
    let ann = token(app, "ann@example.com", PASSWORD).await;
    let (_, body) = call(
        app,
        Some(&ann),
        "{ customer { custom_attributes { uid code ... on AttributeSelectedOptions { selected_options { uid label value } } } } }",
        json!({}),
    )
    .await;
    let values = body["data"]["customer"]["custom_attributes"].clone();
    assert_eq!(values.as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(values[0]["code"], "loyalty_tier");
    assert_eq!(
        values[0]["uid"], "Y3VzdG9tZXIvbG95YWx0eV90aWVy",
        "base64 of customer/loyalty_tier"
    );
    assert_eq!(values[0]["selected_options"][0]["label"], "Gold", "{body}");
});

db_test!(
    double_opt_in_subscriptions_wait_for_the_emailed_link,
    |app| {
        set_config(app, "newsletter/subscription/confirm", "1").await;
        let subscribe =
            "mutation($e: String!) { subscribeEmailToNewsletter(email: $e) { status } }";
        let confirm = "mutation($id: Int!, $code: String!) { confirmNewsletterSubscription(id: $id, code: $code) { status } }";
        let (_, body) = call(app, None, subscribe, json!({"e": "later@example.com"})).await;
        assert_eq!(
            body["data"]["subscribeEmailToNewsletter"]["status"], "NOT_ACTIVE",
            "{body}"
        );
        let mail = app
            .wait_for_mail("later@example.com", "confirm your subscription")
            .await;
        assert!(
            mail.replace("&#x2f;", "/")
                .contains("/newsletter/subscriber/confirm/?id="),
            "{mail}"
        );
        let id: i64 = query_param(&mail, "id").parse().expect("numeric id");
        let code = query_param(&mail, "code");

        // A wrong code confirms nothing.
        let (_, wrong) = call(
            app,
            None,
            confirm,
            json!({"id": id, "code": "not-the-code"}),
        )
        .await;
        assert_eq!(
            error_message(&wrong),
            "This is an invalid subscription confirmation code."
        );
        assert_eq!(error_ext(&wrong, "category"), "graphql-input");

        let (_, body) = call(app, None, confirm, json!({"id": id, "code": code})).await;
        assert_eq!(
            body["data"]["confirmNewsletterSubscription"]["status"], "SUBSCRIBED",
            "{body}"
        );
        app.wait_for_mail("later@example.com", "successfully subscribed")
            .await;
        // The code works once.
        let (_, again) = call(app, None, confirm, json!({"id": id, "code": code})).await;
        assert_eq!(
            error_message(&again),
            "This is an invalid subscription confirmation code."
        );
        let (_, body) = call(app, None, subscribe, json!({"e": "later@example.com"})).await;
        assert_eq!(
            error_message(&body),
            "This email address is already subscribed."
        );

        // A shopper subscribing their own address confirms it too.
        sign_up(app, "ann@example.com").await;
        let ann = token(app, "ann@example.com", PASSWORD).await;
        let (_, body) = call(app, Some(&ann), "mutation { updateCustomerV2(input: {is_subscribed: false}) { customer { is_subscribed } } }", json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
        let (_, body) = call(app, Some(&ann), subscribe, json!({"e": "ann@example.com"})).await;
        assert_eq!(
            body["data"]["subscribeEmailToNewsletter"]["status"], "NOT_ACTIVE",
            "{body}"
        );
        let (_, body) = call(app, Some(&ann), "{ customer { is_subscribed } }", json!({})).await;
        assert_eq!(body["data"]["customer"]["is_subscribed"], false, "{body}");

        // Subscribing again while the link is out sends nothing new; only the newest link works
        // (sign-up sent one, the mutation above, after the unsubscription, another).
        let (_, body) = call(app, Some(&ann), "mutation { updateCustomerV2(input: {is_subscribed: true}) { customer { is_subscribed } } }", json!({})).await;
        assert_eq!(
            body["data"]["updateCustomerV2"]["customer"]["is_subscribed"], false,
            "{body}"
        );
        let mut links = Vec::new();
        for _ in 0..200 {
            links = app
                .sent_mail()
                .into_iter()
                .filter(|m| {
                    m.contains("To: ann@example.com") && m.contains("confirm your subscription")
                })
                .collect();
            if links.len() == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(
            links.len(),
            2,
            "one confirmation email per change of status"
        );
        let link_of = |mail: &str| {
            json!({"id": query_param(mail, "id").parse::<i64>().expect("id"),
                   "code": query_param(mail, "code")})
        };
        let (_, stale) = call(app, None, confirm, link_of(&links[0])).await;
        assert_eq!(
            error_message(&stale),
            "This is an invalid subscription confirmation code."
        );
        let (_, body) = call(app, None, confirm, link_of(&links[1])).await;
        assert_eq!(
            body["data"]["confirmNewsletterSubscription"]["status"], "SUBSCRIBED",
            "{body}"
        );
        let (_, body) = call(app, Some(&ann), "{ customer { is_subscribed } }", json!({})).await;
        assert_eq!(body["data"]["customer"]["is_subscribed"], true, "{body}");

        // An active subscription stays active when the profile form sends the flag again.
        let (_, body) = call(app, Some(&ann), "mutation { updateCustomerV2(input: {is_subscribed: true}) { customer { is_subscribed } } }", json!({})).await;
        assert_eq!(
            body["data"]["updateCustomerV2"]["customer"]["is_subscribed"], true,
            "{body}"
        );
        let (_, unknown) = call(app, None, confirm, json!({"id": 999_999, "code": "x"})).await;
        assert_eq!(
            error_message(&unknown),
            "This is an invalid subscription ID."
        );
    }
);

db_test!(
    common_and_context_passwords_are_refused_wherever_a_password_is_set,
    |app| {
        use clientele_tests::TOO_GUESSABLE;
        let create = "mutation($i: CustomerCreateInput!) { createCustomerV2(input: $i) { customer { email } } }";
        let available = "query($e: String!) { isEmailAvailable(email: $e) { is_email_available } }";
        // Common passwords, and ones built from the email's local part or the store's names
        // ("Main Website" and "Default Store View"), even with three character classes.
        for weak in [
            "Password123!",
            "AnnLee2026!",
            "MainWebsite1!",
            "DefaultStoreView1!",
        ] {
            let (status, body) = call(
                app,
                None,
                create,
                json!({"i": {"firstname": "Ann", "lastname": "Lee", "email": "ann.lee@example.com", "password": weak}}),
            )
            .await;
            assert_eq!(
                (status, error_message(&body)),
                (200, TOO_GUESSABLE),
                "{weak}: {body}"
            );
            assert_eq!(error_ext(&body, "category"), "graphql-input");
        }
        let (_, body) = call(app, None, available, json!({"e": "ann.lee@example.com"})).await;
        assert_eq!(
            body["data"]["isEmailAvailable"]["is_email_available"], true,
            "nothing created"
        );

        // Changing the password is held to the same rule.
        sign_up(app, "ann.lee@example.com").await;
        let ann = token(app, "ann.lee@example.com", PASSWORD).await;
        let change = "mutation($c: String!, $n: String!) { changeCustomerPassword(currentPassword: $c, newPassword: $n) { email } }";
        let (_, body) = call(
            app,
            Some(&ann),
            change,
            json!({"c": PASSWORD, "n": "Qwerty123!"}),
        )
        .await;
        assert_eq!(error_message(&body), TOO_GUESSABLE, "{body}");
        token(app, "ann.lee@example.com", PASSWORD).await;

        // So is a staff user's password.
        let root = app.root_token().await;
        let (_, body) = app
            .admin(
                Some(&root),
                "mutation { createStaffUser(input: {email: \"sam@example.com\", name: \"Sam\", password: \"Welcome2026!\", role_id: 1}) { id } }",
                json!({}),
            )
            .await;
        assert_eq!(error_message(&body), TOO_GUESSABLE, "{body}");
        assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");

        // Operators may turn the check off; Adobe Commerce's character classes still apply.
        set_config(app, "customer/password/minimum_password_strength", "0").await;
        let (_, body) = call(
            app,
            None,
            create,
            json!({"i": {"firstname": "Bo", "lastname": "Lee", "email": "bo@example.com", "password": "Password123!"}}),
        )
        .await;
        assert_eq!(
            body["data"]["createCustomerV2"]["customer"]["email"], "bo@example.com",
            "{body}"
        );
    }
);

db_test!(long_passwords_are_used_whole_and_not_transformed, |app| {
    // 120 characters: every one of them counts (no truncation at 72 as with bcrypt).
    let long: String = "Quartz-Ladle-87-".repeat(8)[..120].to_owned();
    let create =
        "mutation($i: CustomerCreateInput!) { createCustomerV2(input: $i) { customer { email } } }";
    let (_, body) = call(
            app,
            None,
            create,
            json!({"i": {"firstname": "Ann", "lastname": "Lee", "email": "long@example.com", "password": long}}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    token(app, "long@example.com", &long).await;
    let mut near = long.clone();
    near.replace_range(110..111, "X");
    let sign_in = "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }";
    let (status, _) = call(
        app,
        None,
        sign_in,
        json!({"e": "long@example.com", "p": near}),
    )
    .await;
    assert_eq!(status, 401, "a difference at character 111 counts");
    // Unicode is compared as sent, not normalised or case-folded.
    let (status, _) = call(
        app,
        None,
        sign_in,
        json!({"e": "long@example.com", "p": long.to_uppercase()}),
    )
    .await;
    assert_eq!(status, 401);
    // Beyond the maximum: refused, not cut.
    let too_long = "Quartz-Ladle-87-".repeat(17);
    let (_, body) = call(
            app,
            None,
            create,
            json!({"i": {"firstname": "Bo", "lastname": "Lee", "email": "longer@example.com", "password": too_long}}),
        )
        .await;
    assert_eq!(
        error_message(&body),
        "Please enter a password with at most 256 characters."
    );
});

db_test!(
    shoppers_cannot_set_privileged_fields_of_their_account,
    |app| {
        let create = "mutation($i: CustomerCreateInput!) { createCustomerV2(input: $i) { customer { email } } }";
        for (field, value) in [
            ("group_id", json!(2)),
            ("is_active", json!(false)),
            ("website_id", json!(2)),
            ("confirmation", json!("x")),
            ("failures_num", json!(0)),
            ("lock_expires", json!(null)),
        ] {
            let mut input = json!({"firstname": "Ann", "lastname": "Lee", "email": "ann@example.com", "password": PASSWORD});
            input[field] = value;
            let (_, body) = call(app, None, create, json!({ "i": input })).await;
            assert!(
                error_message(&body).contains(&format!("\"{field}\"")),
                "{field}: {body}"
            );
            assert!(body["data"].is_null() || body["data"]["createCustomerV2"].is_null());
        }
        sign_up(app, "ann@example.com").await;
        let ann = token(app, "ann@example.com", PASSWORD).await;
        let (_, body) = call(
            app,
            Some(&ann),
            "mutation { updateCustomerV2(input: {group_id: 2}) { customer { email } } }",
            json!({}),
        )
        .await;
        assert!(error_message(&body).contains("group_id"), "{body}");
        let (_, body) = call(app, Some(&ann), "{ customer { group { uid } } }", json!({})).await;
        assert!(
            body["errors"].is_array() || body["data"]["customer"]["group"]["uid"] == "MQ==",
            "still General: {body}"
        );
    }
);
