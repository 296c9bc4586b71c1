//! Import of Adobe Commerce customer CSV files: behaviours, validation strategies, reports, and
//! all-or-nothing writes, through the HTTP upload route and the admin API.

use clientele_tests::{TestApp, db_test, error_ext};
use reqwest::StatusCode;
use serde_json::{Value, json};

const MAIN_HEADER: &str = "email,_website,_store,confirmation,created_at,created_in,disable_auto_group_change,dob,firstname,gender,group_id,lastname,middlename,password_hash,prefix,rp_token,rp_token_created_at,store_id,suffix,taxvat,website_id,password";

async fn upload(
    app: &TestApp,
    token: &str,
    entity: &str,
    query: &str,
    csv: &str,
) -> (StatusCode, Value) {
    app.import_file(token, entity, query, csv.to_owned()).await
}

async fn emails(app: &TestApp, token: &str) -> Vec<String> {
    let (_, body) = app
        .admin(
            Some(token),
            "{ customers(pageSize: 100, sort: {field: EMAIL}) { items { email } } }",
            json!({}),
        )
        .await;
    body["data"]["customers"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|c| c["email"].as_str().expect("email").to_owned())
        .collect()
}

async fn customer_by_email(app: &TestApp, token: &str, email: &str) -> Value {
    let (_, body) = app
        .admin(Some(token), "query($f: CustomerGridFilterInput) { customers(filter: $f) { items { id email firstname lastname dob gender group_id taxvat created_in is_confirmed billing_city billing_region default_billing_id default_shipping_id custom_attributes { code value } } } }", json!({"f": {"email": {"match": email}}}))
        .await;
    body["data"]["customers"]["items"][0].clone()
}

db_test!(a_magento_customers_main_file_imports_and_updates, |app| {
    let token = app.root_token().await;
    let csv = format!(
        "{MAIN_HEADER}\n\
         ann@example.com,base,default,,2019-03-04 05:06:07,Default Store View,0,1980-05-01 00:00:00,Ann,Female,2,Lee,,c0ffee:salt:1,,,,1,,VAT1,1,\n\
         bob@example.com,base,,,,,,,Bob,Male,1,Brown,Q,,Mr,,,,Jr,,,\n"
    );
    let (status, body) = upload(app, &token, "customer", "", &csv).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let report = &body["data"];
    assert_eq!(report["created"], 2, "{body}");
    assert_eq!(report["committed"], true);
    assert_eq!(report["error_count"], 0);
    let ann = customer_by_email(app, &token, "ann@example.com").await;
    assert_eq!(ann["dob"], "1980-05-01", "{ann}");
    assert_eq!(ann["gender"], 2);
    assert_eq!(ann["group_id"], 2);
    assert_eq!(ann["taxvat"], "VAT1");
    assert_eq!(ann["created_in"], "Default Store View");
    // Keyword search finds imported rows at once (on PostgreSQL the trigram indexes' queued
    // entries are merged before the import commits).
    let (_, found) = app
        .admin(
            Some(&token),
            "{ customers(search: \"brown\") { total_count items { email } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        found["data"]["customers"]["items"],
        json!([{"email": "bob@example.com"}]),
        "{found}"
    );

    // Add/update: blank cells keep values, __EMPTY__VALUE__ clears them.
    let update =
        format!("{MAIN_HEADER}\nann@example.com,base,,,,,,,Anne,,,,,,,,,,,__EMPTY__VALUE__,,\n");
    let (_, body) = upload(app, &token, "customer", "behavior=add_update", &update).await;
    assert_eq!(
        (
            body["data"]["updated"].as_i64(),
            body["data"]["created"].as_i64()
        ),
        (Some(1), Some(0)),
        "{body}"
    );
    let ann = customer_by_email(app, &token, "ann@example.com").await;
    assert_eq!(ann["firstname"], "Anne");
    assert_eq!(ann["lastname"], "Lee", "kept");
    assert_eq!(ann["taxvat"], Value::Null, "cleared");

    // Replace: the row is the whole record.
    let replace = format!("{MAIN_HEADER}\nann@example.com,base,,,,,,,Ann,,,Lee,,,,,,,,,,\n");
    let (_, body) = upload(app, &token, "customer", "behavior=replace", &replace).await;
    assert_eq!(body["data"]["updated"], 1, "{body}");
    let ann = customer_by_email(app, &token, "ann@example.com").await;
    assert_eq!(
        (ann["dob"].clone(), ann["gender"].clone()),
        (Value::Null, Value::Null),
        "{ann}"
    );

    // Delete, with a row naming nobody.
    let delete = "email,_website\nbob@example.com,base\nnobody@example.com,base\n";
    let (_, body) = upload(app, &token, "customer", "behavior=delete", delete).await;
    assert_eq!(
        body["data"]["committed"], false,
        "stop on error writes nothing: {body}"
    );
    assert_eq!(
        body["data"]["errors"][0],
        json!({"line": 3, "column": "email", "message": "Customer with such email and website code doesn't exist"})
    );
    assert_eq!(
        emails(app, &token).await,
        ["ann@example.com", "bob@example.com"]
    );
    let (_, body) = upload(
        app,
        &token,
        "customer",
        "behavior=delete&validation_strategy=skip_errors",
        delete,
    )
    .await;
    assert_eq!(
        (
            body["data"]["deleted"].as_i64(),
            body["data"]["skipped"].as_i64()
        ),
        (Some(1), Some(1)),
        "{body}"
    );
    assert_eq!(emails(app, &token).await, ["ann@example.com"]);
});

db_test!(bad_rows_are_reported_and_nothing_is_half_imported, |app| {
    let token = app.root_token().await;
    let csv = "email,_website,firstname,lastname,dob,gender,group_id,_store\n\
        good1@example.com,base,Good,One,,,,\n\
        not-an-email,base,Bad,Email,,,,\n\
        good2@example.com,nowhere,Bad,Website,,,,\n\
        good3@example.com,base,,Nameless,,,,\n\
        good4@example.com,base,Bad,Date,someday,,,\n\
        good5@example.com,base,Bad,Gender,,Robot,,\n\
        good6@example.com,base,Bad,Group,,,77,\n\
        good7@example.com,base,Bad,Store,,,,nowhere\n\
        GOOD1@example.com,base,Dup,Licate,,,,\n\
        good8@example.com,base,Good,Eight,,,,\n";
    let (_, body) = upload(app, &token, "customer", "", csv).await;
    let report = &body["data"];
    assert_eq!(report["committed"], false, "{body}");
    assert_eq!(report["error_count"], 8);
    assert_eq!(
        (
            report["created"].clone(),
            report["planned"]["created"].clone()
        ),
        (json!(0), json!(2)),
        "a refused file reports nothing written and what would have been: {body}"
    );
    let columns: Vec<&str> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["column"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        columns,
        [
            "email",
            "_website",
            "firstname",
            "dob",
            "gender",
            "group_id",
            "_store",
            "email"
        ],
        "{body}"
    );
    let lines: Vec<i64> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["line"].as_i64().expect("line"))
        .collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9, 10]);
    assert!(emails(app, &token).await.is_empty(), "nothing written");

    // Skip errors within the allowed count: good rows go in, bad ones are skipped.
    let (_, body) = upload(
        app,
        &token,
        "customer",
        "validation_strategy=skip_errors&allowed_error_count=8",
        csv,
    )
    .await;
    assert_eq!(
        (
            body["data"]["created"].as_i64(),
            body["data"]["skipped"].as_i64(),
            body["data"]["committed"].as_bool()
        ),
        (Some(2), Some(8), Some(true)),
        "{body}"
    );
    assert_eq!(
        emails(app, &token).await,
        ["good1@example.com", "good8@example.com"]
    );
    // Above the allowed count nothing is written.
    let more = csv
        .replace("good1@", "again1@")
        .replace("GOOD1@", "AGAIN1@")
        .replace("good8@", "again8@");
    let (_, body) = upload(
        app,
        &token,
        "customer",
        "validation_strategy=skip_errors&allowed_error_count=7",
        &more,
    )
    .await;
    assert_eq!(body["data"]["committed"], false, "{body}");
    assert_eq!(emails(app, &token).await.len(), 2);
    // A dry run checks everything and writes nothing.
    let fine = "email,_website,firstname,lastname\nnew@example.com,base,New,Person\n";
    for dry_run in ["dry_run=true", "dry_run=1"] {
        let (_, body) = upload(app, &token, "customer", dry_run, fine).await;
        assert_eq!(
            (
                body["data"]["created"].as_i64(),
                body["data"]["planned"]["created"].as_i64(),
                body["data"]["committed"].as_bool()
            ),
            (Some(0), Some(1), Some(false)),
            "nothing written, one account planned: {body}"
        );
    }
    assert_eq!(emails(app, &token).await.len(), 2);

    for (entity, query, file, status, message) in [
        (
            "customer",
            "",
            "email,_website,firstname,lastname,shoe_size\n",
            StatusCode::BAD_REQUEST,
            "Header contains invalid attribute(s): \"shoe_size\"",
        ),
        (
            "customer",
            "",
            "email,firstname,lastname\n",
            StatusCode::BAD_REQUEST,
            "Missing required columns: \"_website\"",
        ),
        (
            "customer",
            "behavior=merge",
            fine,
            StatusCode::BAD_REQUEST,
            "\"merge\" is not a behavior; use add_update, replace or delete.",
        ),
        (
            "customer",
            "behaviour=delete",
            fine,
            StatusCode::BAD_REQUEST,
            "\"behaviour\" is not a parameter of an import; use behavior, validation_strategy, allowed_error_count, dry_run.",
        ),
        (
            "customer",
            "dry_run=maybe",
            fine,
            StatusCode::BAD_REQUEST,
            "\"maybe\" is not a dry_run value; use true or false.",
        ),
        (
            "customer",
            "",
            "",
            StatusCode::BAD_REQUEST,
            "The file is empty: it has no header row.",
        ),
        (
            "orders",
            "",
            fine,
            StatusCode::BAD_REQUEST,
            "Import customer or customer_address.",
        ),
    ] {
        let (got, body) = upload(app, &token, entity, query, file).await;
        assert_eq!(got, status, "{query}: {body}");
        assert_eq!(body["errors"][0]["message"], message, "{body}");
    }
    let (status, _) = upload(app, "not-a-token", "customer", "", fine).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
});

db_test!(customer_addresses_import_with_defaults, |app| {
    let token = app.root_token().await;
    let main = "email,_website,firstname,lastname\nann@example.com,base,Ann,Lee\n";
    upload(app, &token, "customer", "", main).await;
    let csv = "_website,_email,_entity_id,city,company,country_id,fax,firstname,lastname,middlename,postcode,prefix,region,region_id,street,suffix,telephone,vat_id,vat_is_valid,vat_request_date,vat_request_id,vat_request_success,_address_default_billing_,_address_default_shipping_\n\
        base,ann@example.com,,Austin,Acme,US,,,,,78701,,Texas,57,\"1 Main St\nSuite 2\",,555-0100,,,,,,1,1\n\
        base,ann@example.com,,Paris,,FR,,Ann,Lee,,75001,,,,2 Rue,,555,,,,,,0,0\n\
        base,nobody@example.com,,Paris,,FR,,,,,75001,,,,2 Rue,,555,,,,,,,\n\
        base,ann@example.com,,Austin,,US,,,,,78701,,Atlantis,,3 Main St,,555,,,,,,,\n";
    let (_, body) = upload(
        app,
        &token,
        "customer_address",
        "validation_strategy=skip_errors",
        csv,
    )
    .await;
    assert_eq!(
        (
            body["data"]["created"].as_i64(),
            body["data"]["error_count"].as_i64()
        ),
        (Some(2), Some(2)),
        "{body}"
    );
    let messages: Vec<&str> = body["data"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["message"].as_str().expect("message"))
        .collect();
    assert_eq!(
        messages[0], "Customer with such email and website code doesn't exist",
        "{body}"
    );
    assert_eq!(
        body["data"]["errors"][1],
        json!({"line": 5, "column": "region", "message": "\"Atlantis\" is not a region of US."}),
        "{body}"
    );
    let ann = customer_by_email(app, &token, "ann@example.com").await;
    assert_eq!(ann["billing_city"], "Austin", "{ann}");
    assert_eq!(ann["billing_region"], "Texas");
    assert!(
        ann["default_billing_id"].is_i64()
            && ann["default_billing_id"] == ann["default_shipping_id"]
    );
    let id = ann["id"].as_i64().expect("id");
    let (_, book) = app.admin(Some(&token), &format!("{{ customer(id: {id}) {{ addresses {{ items {{ id street region_code firstname }} }} }} }}"), json!({})).await;
    let items = &book["data"]["customer"]["addresses"]["items"];
    assert_eq!(
        items[0]["street"],
        json!(["1 Main St", "Suite 2"]),
        "{book}"
    );
    assert_eq!(items[0]["region_code"], "TX");
    assert_eq!(
        items[0]["firstname"], "Ann",
        "names default to the customer's"
    );
    // Updating the default billing address refreshes the grid's copy of it.
    let billing = items[0]["id"].as_i64().expect("id");
    let update = format!(
        "_website,_email,_entity_id,city,country_id,street,region\nbase,ann@example.com,{billing},Dallas,US,1 Elm St,TX\n"
    );
    let (_, body) = upload(app, &token, "customer_address", "", &update).await;
    assert_eq!(body["data"]["updated"], 1, "{body}");
    let ann = customer_by_email(app, &token, "ann@example.com").await;
    assert_eq!(ann["billing_city"], "Dallas", "{ann}");
    // A file naming one address twice is refused as a whole.
    let twice = format!("{update}base,ann@example.com,{billing},Houston,US,2 Elm St,TX\n");
    let (_, body) = upload(app, &token, "customer_address", "", &twice).await;
    assert_eq!(
        (
            body["data"]["committed"].clone(),
            body["data"]["errors"][0]["line"].clone()
        ),
        (json!(false), json!(3)),
        "{body}"
    );
    let ann = customer_by_email(app, &token, "ann@example.com").await;
    assert_eq!(ann["billing_city"], "Dallas", "{ann}");
    // Deleting the default billing address clears the grid's billing columns.
    let delete = format!("_website,_email,_entity_id\nbase,ann@example.com,{billing}\n");
    let (_, body) = upload(app, &token, "customer_address", "behavior=delete", &delete).await;
    assert_eq!(body["data"]["deleted"], 1, "{body}");
    let ann = customer_by_email(app, &token, "ann@example.com").await;
    assert_eq!(
        (
            ann["billing_city"].clone(),
            ann["default_billing_id"].clone()
        ),
        (Value::Null, Value::Null),
        "{ann}"
    );
});

db_test!(
    import_through_the_admin_api_needs_the_import_permission,
    |app| {
        let token = app.root_token().await;
        create_attribute(app, &token).await;
        let mutation = "mutation($input: ImportCustomersInput!) { importCustomers(input: $input) { created error_count committed errors { line column message } } }";
        let content = "email,_website,firstname,lastname,loyalty\nann@example.com,base,Ann,Lee,Gold\nbob@example.com,base,Bob,Brown,\n";
        let (_, body) = app
            .admin(
                Some(&token),
                mutation,
                json!({"input": {"entity": "CUSTOMER", "content": content}}),
            )
            .await;
        assert_eq!(
            body["data"]["importCustomers"]["committed"], false,
            "{body}"
        );
        assert_eq!(
            body["data"]["importCustomers"]["errors"][0],
            json!({"line": 3, "column": "custom_attributes.loyalty", "message": "\"Loyalty\" is a required value."})
        );
        let fixed = content.replace("Brown,\n", "Brown,Silver\n");
        let (_, body) = app
            .admin(
                Some(&token),
                mutation,
                json!({"input": {"entity": "CUSTOMER", "content": fixed}}),
            )
            .await;
        assert_eq!(body["data"]["importCustomers"]["created"], 2, "{body}");
        let bob = customer_by_email(app, &token, "bob@example.com").await;
        assert_eq!(
            bob["custom_attributes"],
            json!([{"code": "loyalty", "value": "Silver"}])
        );

        let (_, role) = app.admin(Some(&token), "mutation { createRole(input: {name: \"Service\", resources: [\"Magento_Customer::manage\"]}) { id } }", json!({})).await;
        let role_id = role["data"]["createRole"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{role}")) as i32;
        app.create_staff("service@example.com", role_id).await;
        let clerk = app.sign_in("service@example.com").await;
        let (_, denied) = app
            .admin(
                Some(&clerk),
                mutation,
                json!({"input": {"entity": "CUSTOMER", "content": content}}),
            )
            .await;
        assert_eq!(error_ext(&denied, "code"), "FORBIDDEN");
        let (status, _) = upload(app, &clerk, "customer", "", content).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

async fn create_attribute(app: &TestApp, token: &str) {
    let (_, body) = app.admin(Some(token), "mutation { createCustomerAttribute(input: {entity_type: CUSTOMER, code: \"loyalty\", label: \"Loyalty\", input_type: TEXT, is_required: true}) { id } }", json!({})).await;
    assert!(
        body["data"]["createCustomerAttribute"]["id"].is_i64(),
        "{body}"
    );
}

db_test!(a_file_larger_than_one_batch_imports_and_updates, |app| {
    let token = app.root_token().await;
    let rows = 1_200;
    let file = |surname: &str| {
        let mut csv = String::from("email,_website,firstname,lastname\n");
        for i in 0..rows {
            csv.push_str(&format!("bulk{i}@example.com,base,Jo{i},{surname}\n"));
        }
        csv
    };
    let (_, body) = upload(app, &token, "customer", "", &file("Rivera")).await;
    assert_eq!(body["data"]["created"], rows, "{body}");
    let (_, body) = upload(app, &token, "customer", "", &file("Okafor")).await;
    assert_eq!(body["data"]["updated"], rows, "{body}");
    let mut addresses = String::from(
        "_website,_email,city,country_id,postcode,telephone,street,_address_default_billing_\n",
    );
    for i in 0..rows {
        addresses.push_str(&format!(
            "base,bulk{i}@example.com,Lyon,FR,69001,555-0100,{i} Rue,1\n"
        ));
    }
    let (_, body) = upload(app, &token, "customer_address", "", &addresses).await;
    assert_eq!(body["data"]["created"], rows, "{body}");
    let (_, body) = app
        .admin(
            Some(&token),
            "{ customers(filter: {name: {match: \"Okafor\"}, city: {match: \"Lyon\"}}) { total_count } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["customers"]["total_count"], rows, "{body}");
    // A mass action over everything matching a filter works through the rows batch by batch.
    let (_, body) = app
        .admin(
            Some(&token),
            "mutation { massAssignCustomerGroup(input: {selection: {filter: {name: {match: \"Okafor\"}}}, group_id: 2}) { requested changed } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["massAssignCustomerGroup"],
        json!({"requested": rows, "changed": rows}),
        "{body}"
    );
    let (_, body) = app
        .admin(
            Some(&token),
            "{ customers(filter: {group_id: {eq: 2}}) { total_count } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["customers"]["total_count"], rows, "{body}");
});

db_test!(the_same_upload_gets_the_same_answer_every_time, |app| {
    let token = app.root_token().await;
    let mut csv = String::from("email,_website,firstname,lastname\n");
    for i in 0..300 {
        csv.push_str(&format!("same.{i}@example.com,base,Same,Person{i}\n"));
    }
    let mut answers = Vec::new();
    for _ in 0..50 {
        let (status, body) = upload(app, &token, "customer", "dry_run=true", &csv).await;
        answers.push((status, body));
    }
    assert_eq!(answers[0].0, StatusCode::ACCEPTED, "{}", answers[0].1);
    assert_eq!(answers[0].1["data"]["planned"]["created"], 300);
    for (status, body) in &answers {
        assert_eq!(
            (status, &body["data"], &body["job"]["state"]),
            (&answers[0].0, &answers[0].1["data"], &json!("succeeded")),
            "{body}"
        );
        assert_eq!(body["job"]["rows_total"], 300, "{body}");
    }
});

db_test!(
    a_file_over_the_upload_limit_is_refused_in_json,
    settings | settings | {
        settings.import_body_limit = 1024;
    },
    |app| {
        let token = app.root_token().await;
        let mut csv = String::from("email,_website,firstname,lastname\n");
        for i in 0..100 {
            csv.push_str(&format!("big.{i}@example.com,base,Big,File\n"));
        }
        let (status, body) = upload(app, &token, "customer", "", &csv).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_eq!(
            body["errors"][0]["message"],
            "The file is larger than the import limit of 1024 bytes; import it with `clientele customers import`.",
            "{body}"
        );
        assert_eq!(error_ext(&body, "code"), "BAD_REQUEST", "{body}");
        assert!(emails(app, &token).await.is_empty());
    }
);

db_test!(
    an_account_named_twice_in_one_file_is_refused_the_second_time,
    |app| {
        let token = app.root_token().await;
        // Rows of a second batch name accounts of the first; case and spaces do not matter.
        let mut csv = String::from("email,_website,firstname,lastname\n");
        for i in 0..1001 {
            csv.push_str(&format!("twice.{i}@example.com,base,Ann,Lee\n"));
        }
        csv.push_str(" TWICE.7@Example.com ,base,Ann,Again\n");
        csv.push_str("twice.1000@example.com,base,Ann,Again\n");
        let (_, body) = upload(
            app,
            &token,
            "customer",
            "validation_strategy=skip_errors&allowed_error_count=5",
            &csv,
        )
        .await;
        let message = "E-mail is duplicated in the import file.";
        assert_eq!(
            body["data"]["errors"],
            json!([
                {"line": 1003, "column": "email", "message": message},
                {"line": 1004, "column": "email", "message": message},
            ]),
            "{body}"
        );
        assert_eq!(body["data"]["created"], 1001, "{body}");
        assert_eq!(body["data"]["committed"], true, "{body}");
    }
);
