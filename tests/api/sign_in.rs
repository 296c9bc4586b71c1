//! Shoppers signing in and out on the storefront: Adobe Commerce's tokens, messages and statuses,
//! lockout, revocation, and the sign-in activity customer service sees in the customer view.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clientele_tests::{TestApp, db_test, error_ext, error_message};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const PASSWORD: &str = "Sunny-Day-42";
const FAILED: &str = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.";

/// Creates customers with passwords through the import (the admin API sets no passwords).
async fn customers_with_passwords(app: &TestApp, token: &str, emails: &[&str]) {
    app.import_customers(token, emails, PASSWORD).await;
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> (u16, Value) {
    let (status, body) = app
        .storefront(&format!(
            "mutation {{ generateCustomerToken(email: \"{email}\", password: \"{password}\") {{ token }} }}"
        ))
        .await;
    (status.as_u16(), body)
}

async fn token_for(app: &TestApp, email: &str) -> String {
    let (_, body) = sign_in(app, email, PASSWORD).await;
    body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn as_shopper(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let (status, body) = app
        .storefront_with(query, &[("Authorization", bearer.as_str())])
        .await;
    (status.as_u16(), body)
}

async fn activity(app: &TestApp, admin: &str, email: &str) -> Value {
    let (_, body) = app
        .admin(
            Some(admin),
            "query($f: CustomerGridFilterInput) { customers(filter: $f) { items { locked_until activity { last_signed_in_at last_signed_out_at last_active_at is_online } } } }",
            json!({"f": {"email": {"match": email}}}),
        )
        .await;
    body["data"]["customers"]["items"][0].clone()
}

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("json")
}

db_test!(a_shopper_signs_in_with_a_jwt_and_reads_the_account, |app| {
    let admin = app.root_token().await;
    customers_with_passwords(app, &admin, &["ann@example.com", "bob@example.com"]).await;
    let first = token_for(app, "ANN@example.com").await;
    let second = token_for(app, "ann@example.com").await;
    assert_ne!(first, second, "every sign-in issues a new token");
    let payload = claims(&first);
    assert_eq!(payload["utypid"], 3, "{payload}");
    assert!(payload["uid"].is_i64() && payload["admin_id"].is_null());
    let lifetime = payload["exp"].as_i64().unwrap() - payload["iat"].as_i64().unwrap();
    assert_eq!(
        lifetime, 3600,
        "customer_access_token_lifetime is 1 hour by default"
    );

    let (status, body) = as_shopper(
        app,
        &first,
        "{ customer { id firstname lastname email confirmation_status is_confirmed allow_remote_shopping_assistance group { uid } } }",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["customer"],
        json!({"id": "MQ==", "firstname": "Ann", "lastname": "Lee", "email": "ann@example.com",
               "confirmation_status": "ACCOUNT_CONFIRMATION_NOT_REQUIRED", "is_confirmed": true,
               "allow_remote_shopping_assistance": false, "group": {"uid": "MQ=="}})
    );
    let (_, group) = as_shopper(app, &first, "{ customerGroup { uid } }").await;
    assert_eq!(group["data"]["customerGroup"]["uid"], "MQ==", "{group}");

    // Customer service sees the sign-in; a customer who never signed in shows nulls.
    let ann = activity(app, &admin, "ann@example.com").await;
    assert!(ann["activity"]["last_signed_in_at"].is_string(), "{ann}");
    assert_eq!(ann["activity"]["is_online"], true, "{ann}");
    let bob = activity(app, &admin, "bob@example.com").await;
    assert_eq!(
        bob["activity"],
        json!({"last_signed_in_at": null, "last_signed_out_at": null, "last_active_at": null, "is_online": false})
    );
    // A page of several customers reads their activity at once, each row its own.
    let (_, page) = app
        .admin(
            Some(&admin),
            "{ customers(sort: {field: EMAIL}) { items { email activity { last_signed_in_at is_online } } } }",
            json!({}),
        )
        .await;
    let rows: Vec<(String, bool, bool)> = page["data"]["customers"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|row| {
            (
                row["email"].as_str().unwrap_or_default().to_owned(),
                row["activity"]["last_signed_in_at"].is_string(),
                row["activity"]["is_online"] == true,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("ann@example.com".into(), true, true),
            ("bob@example.com".into(), false, false)
        ]
    );
});

db_test!(
    failed_sign_ins_share_one_message_and_lock_the_account,
    |app| {
        let admin = app.root_token().await;
        customers_with_passwords(app, &admin, &["ann@example.com"]).await;
        let (status, body) = sign_in(app, "nobody@example.com", PASSWORD).await;
        assert_eq!((status, error_message(&body)), (401, FAILED), "{body}");
        assert_eq!(error_ext(&body, "category"), "graphql-authentication");
        let (status, body) = sign_in(app, "ann@example.com", "wrong-password").await;
        assert_eq!((status, error_message(&body)), (401, FAILED), "{body}");
        let (status, body) = sign_in(app, "", PASSWORD).await;
        assert_eq!(
            (status, error_message(&body)),
            (200, "Specify the \"email\" value.")
        );
        assert_eq!(error_ext(&body, "category"), "graphql-input");
        let (_, body) = sign_in(app, "ann@example.com", "").await;
        assert_eq!(error_message(&body), "Specify the \"password\" value.");

        // Three failures in the window lock the account: the right password fails the same way.
        app.admin(
        Some(&admin),
        "mutation { setConfiguration(input: {scope: {type: DEFAULT}, values: [{path: \"customer/password/lockout_failures\", value: \"3\"}]}) { value } }",
        json!({}),
    )
    .await;
        for _ in 0..2 {
            sign_in(app, "ann@example.com", "wrong-password").await;
        }
        let (status, body) = sign_in(app, "ann@example.com", PASSWORD).await;
        assert_eq!((status, error_message(&body)), (401, FAILED), "{body}");
        let ann = activity(app, &admin, "ann@example.com").await;
        assert!(ann["locked_until"].is_string(), "{ann}");

        // Staff unlock the account and the shopper signs in again.
        let (_, found) = app
            .admin(
                Some(&admin),
                "{ customers(filter: {email: {match: \"ann@example.com\"}}) { items { id } } }",
                json!({}),
            )
            .await;
        let id = found["data"]["customers"]["items"][0]["id"]
            .as_i64()
            .unwrap();
        app.admin(
            Some(&admin),
            "mutation($id: Int!) { unlockCustomer(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
        token_for(app, "ann@example.com").await;
    }
);

db_test!(revoking_ends_every_token_of_the_customer, |app| {
    let admin = app.root_token().await;
    customers_with_passwords(app, &admin, &["ann@example.com"]).await;
    let first = token_for(app, "ann@example.com").await;
    let second = token_for(app, "ann@example.com").await;
    let (status, body) =
        as_shopper(app, &second, "mutation { revokeCustomerToken { result } }").await;
    assert_eq!(
        (
            status,
            body["data"]["revokeCustomerToken"]["result"].clone()
        ),
        (200, json!(true)),
        "{body}"
    );
    for token in [&first, &second] {
        let (status, body) = as_shopper(app, token, "{ storeConfig { store_code } }").await;
        assert_eq!(
            (status, error_message(&body)),
            (401, "User token has been revoked"),
            "{body}"
        );
    }
    let ann = activity(app, &admin, "ann@example.com").await;
    assert!(ann["activity"]["last_signed_out_at"].is_string(), "{ann}");
    assert_eq!(ann["activity"]["is_online"], false, "{ann}");

    // A new sign-in works at once; deactivating the account ends it.
    let third = token_for(app, "ann@example.com").await;
    let (status, _) = as_shopper(app, &third, "{ customer { email } }").await;
    assert_eq!(status, 200);
    let (_, found) = app
        .admin(
            Some(&admin),
            "{ customers(filter: {email: {match: \"ann@example.com\"}}) { items { id } } }",
            json!({}),
        )
        .await;
    let id = found["data"]["customers"]["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.admin(
        Some(&admin),
        "mutation($id: Int!) { updateCustomer(id: $id, input: {is_active: false}) { is_active } }",
        json!({"id": id}),
    )
    .await;
    let (status, body) = as_shopper(app, &third, "{ customer { email } }").await;
    assert_eq!(
        (status, error_message(&body)),
        (401, "User token has been revoked")
    );
    let (status, body) = sign_in(app, "ann@example.com", PASSWORD).await;
    assert_eq!((status, error_message(&body)), (401, FAILED), "{body}");
});

db_test!(guests_cannot_read_an_account_or_sign_out, |app| {
    for query in [
        "{ customer { email } }",
        "mutation { revokeCustomerToken { result } }",
    ] {
        let (status, body) = app.storefront(query).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(
            error_message(&body),
            "The current customer isn't authorized."
        );
        assert_eq!(error_ext(&body, "category"), "graphql-authorization");
    }
});

db_test!(
    customers_imported_from_magento_keep_their_passwords,
    |app| {
        let admin = app.root_token().await;
        let salt = "Zx9vQpL2mN8rT4wYb6cD1eF3gH5jK7sA";
        let csv = format!(
            "email,_website,firstname,lastname,password_hash\n\
         sha@example.com,base,Ann,Lee,4deed9c03ea11345a740fc7b94ba93c48787ad686b10f49180564f32343caffe:{salt}:1\n\
         argon@example.com,base,Bo,Li,7ff477c0fc5d48d889cac663b31cf28833d6e4361e63249774369fe8c174adc0:{salt}:2\n"
        );
        let (_, body) = app.import_file(&admin, "customer", "", csv).await;
        assert_eq!(body["data"]["created"], 2, "{body}");
        for email in ["sha@example.com", "argon@example.com"] {
            let (status, body) = sign_in(app, email, "sunny-day-42").await;
            assert_eq!((status, error_message(&body)), (401, FAILED), "{body}");
            // The Magento hash verifies once and is replaced by an Argon2id hash on that sign-in.
            for _ in 0..2 {
                let (status, body) = sign_in(app, email, PASSWORD).await;
                assert_eq!(status, 200, "{email}: {body}");
            }
        }
        let stored: Vec<String> = app
            .services
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                app.services.db.get_database_backend(),
                "SELECT password_hash FROM customers ORDER BY id",
            ))
            .await
            .expect("query")
            .iter()
            .map(|r| r.try_get::<String>("", "password_hash").expect("hash"))
            .collect();
        assert!(
            stored.iter().all(|h| h.starts_with("$argon2id$")),
            "{stored:?}"
        );
    }
);

db_test!(
    one_client_cannot_stuff_credentials_across_many_accounts,
    settings | s | {
        s.sign_in_failures_per_client = 5;
        s.sign_ups_per_client = 3;
    },
    |app| {
        // Five failures for five different emails, each with a forged client address.
        for i in 0..5 {
            let forged = format!("10.0.0.{i}");
            let (status, body) = app
                .storefront_with(
                    &format!(
                        "mutation {{ generateCustomerToken(email: \"u{i}@example.com\", password: \"x\") {{ token }} }}"
                    ),
                    &[("X-Forwarded-For", forged.as_str()), ("X-Real-IP", forged.as_str())],
                )
                .await;
            assert_eq!(
                (status.as_u16(), error_message(&body)),
                (401, FAILED),
                "{body}"
            );
        }
        // Aliased sign-ins are refused outright; a single one is now throttled.
        let (_, body) = app
            .storefront(
                "mutation { a: generateCustomerToken(email: \"v@example.com\", password: \"x\") { token } b: generateCustomerToken(email: \"w@example.com\", password: \"x\") { token } }",
            )
            .await;
        assert_eq!(
            error_message(&body),
            "Only one sign-in, password or confirmation operation is allowed per request."
        );
        let (status, body) = app
            .storefront(
                "mutation { generateCustomerToken(email: \"v@example.com\", password: \"x\") { token } }",
            )
            .await;
        assert_eq!(status.as_u16(), 200, "{body}");
        assert_eq!(error_ext(&body, "code"), "RATE_LIMITED", "{body}");
        assert!(
            error_message(&body).starts_with("Too many failed sign-in attempts"),
            "{body}"
        );
        // Staff sign-in shares the client's allowance.
        let (_, body) = app
            .admin(
                None,
                "mutation { generateStaffToken(email: \"root@example.com\", password: \"x\") { token } }",
                json!({}),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "RATE_LIMITED", "{body}");

        // Sign-ups: three, then the client waits.
        let create = |i: usize| {
            format!(
                "mutation {{ createCustomerV2(input: {{firstname: \"A\", lastname: \"B\", email: \"s{i}@example.com\"}}) {{ customer {{ email }} }} }}"
            )
        };
        for i in 0..3 {
            let (_, body) = app.storefront(&create(i)).await;
            assert!(body["errors"].is_null(), "{body}");
        }
        let (_, body) = app.storefront(&create(3)).await;
        assert_eq!(error_ext(&body, "code"), "RATE_LIMITED", "{body}");
    }
);

db_test!(
    a_right_password_checked_after_the_allowance_ran_out_gets_no_token,
    settings | s | {
        s.hash_concurrency = 1;
        s.sign_in_failures_per_client = 1000;
    },
    |app| {
        let admin = app.root_token().await;
        customers_with_passwords(app, &admin, &["kim@example.com"]).await;
        app.set_config("customer/password/lockout_failures", "3")
            .await;
        const SIGN_IN: &str = "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }";
        // Unknown emails keep the single hashing slot busy, so every attempt below is under way
        // before any password is checked.
        let busy: Vec<_> = (0..10)
            .map(|i| {
                app.post_in_background(
                    "/graphql",
                    SIGN_IN,
                    json!({ "e": format!("busy{i}@example.com"), "p": "Busy-Pass-1" }),
                    &[],
                )
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        // The right password first, then four guesses: the fourth is one more than allowed, so
        // the account locks while the right password waits, and it must not get a token.
        let right = app.post_in_background(
            "/graphql",
            SIGN_IN,
            json!({ "e": "kim@example.com", "p": PASSWORD }),
            &[],
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let guesses: Vec<_> = (0..4)
            .map(|i| {
                app.post_in_background(
                    "/graphql",
                    SIGN_IN,
                    json!({ "e": "kim@example.com", "p": format!("Wrong-Guess-{i}") }),
                    &[],
                )
            })
            .collect();
        let (status, right) = right.await.expect("join");
        assert_eq!(
            (status.as_u16(), error_message(&right)),
            (401, FAILED),
            "{right}"
        );
        for task in busy.into_iter().chain(guesses) {
            let (status, body) = task.await.expect("join");
            assert_eq!((status.as_u16(), error_message(&body)), (401, FAILED));
        }
        let ann = activity(app, &admin, "kim@example.com").await;
        assert!(ann["locked_until"].is_string(), "{ann}");
    }
);

db_test!(
    a_burst_of_failed_sign_ins_from_one_network_gets_only_its_allowance,
    settings | s | {
        s.sign_in_failures_per_client = 5;
        s.trust_forwarded_for = true;
    },
    |app| {
        const SIGN_IN: &str = "mutation($e: String!) { generateCustomerToken(email: $e, password: \"Wrong-Pass-1\") { token } }";
        // Twenty guesses at once, each from another address of one IPv6 /64 network: uses are
        // counted before they are checked, and the network counts as one client.
        let burst: Vec<_> = (0..20)
            .map(|i| {
                let address = format!("2001:db8:7:1:{i:x}::1");
                app.post_in_background(
                    "/graphql",
                    SIGN_IN,
                    json!({ "e": format!("u{i}@example.com") }),
                    &[("X-Forwarded-For", address.as_str())],
                )
            })
            .collect();
        let mut failed = 0;
        let mut throttled = 0;
        for task in burst {
            let (_, body) = task.await.expect("join");
            match error_ext(&body, "code").as_str() {
                Some("RATE_LIMITED") => throttled += 1,
                _ => {
                    assert_eq!(error_message(&body), FAILED, "{body}");
                    failed += 1;
                }
            }
        }
        assert_eq!((failed, throttled), (5, 15));
        // Another /64 network is another client.
        let (_, body) = app
            .storefront_with(
                "mutation { generateCustomerToken(email: \"v@example.com\", password: \"x\") { token } }",
                &[("X-Forwarded-For", "2001:db8:7:2::1")],
            )
            .await;
        assert_eq!(error_message(&body), FAILED, "{body}");
    }
);

/// Runs `query` as the shopper of `token` on store view `store`.
async fn on_store(app: &TestApp, token: &str, store: String, query: String) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let headers = [
        ("Authorization", bearer.as_str()),
        ("Store", store.as_str()),
    ];
    let (status, body) = app
        .post("/graphql", json!({ "query": query }), &headers)
        .await;
    (status.as_u16(), body)
}

db_test!(
    a_token_speaks_for_its_customer_only_on_the_accounts_website,
    |app| {
        let admin = app.root_token().await;
        customers_with_passwords(app, &admin, &["ann@example.com"]).await;
        let token = token_for(app, "ann@example.com").await;
        let (_, eu) = app.create_website_with_store_view(&admin, "eu").await;
        let on =
            |store: &str, query: &str| on_store(app, &token, store.to_owned(), query.to_owned());
        const READ: &str = "{ customer { email firstname } }";
        const UPDATE: &str = "mutation { updateCustomerV2(input: {firstname: \"Mallory\"}) { customer { firstname } } }";
        const SUBSCRIBE: &str =
            "mutation { subscribeEmailToNewsletter(email: \"ann@example.com\") { status } }";
        const NOT_AUTHORIZED: &str = "The current customer isn't authorized.";
        for query in [READ, UPDATE, SUBSCRIBE] {
            let (status, body) = on(&eu, query).await;
            assert_eq!(
                (status, error_message(&body)),
                (403, NOT_AUTHORIZED),
                "{query}: {body}"
            );
            assert_eq!(error_ext(&body, "category"), "graphql-authorization");
        }
        let (_, body) = on("default", "{ customer { firstname is_subscribed } }").await;
        assert_eq!(
            body["data"]["customer"]["firstname"], "Ann",
            "nothing changed: {body}"
        );
        assert_eq!(body["data"]["customer"]["is_subscribed"], false, "{body}");
        // With one account scope for all websites, the token is good on every website.
        app.set_config("customer/account_share/scope", "0").await;
        let (status, body) = on(&eu, READ).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["data"]["customer"]["email"], "ann@example.com",
            "{body}"
        );
    }
);

db_test!(
    tokens_with_a_foreign_issuer_a_future_start_or_no_expiry_are_refused,
    |app| {
        let admin = app.root_token().await;
        customers_with_passwords(app, &admin, &["ann@example.com"]).await;
        let genuine = claims(&token_for(app, "ann@example.com").await);
        let now = chrono::Utc::now().timestamp();
        let forged = |change: &dyn Fn(&mut Value)| {
            let mut claims = genuine.clone();
            change(&mut claims);
            // Signed with the installation's own key: only the claims are wrong.
            app.services.tokens.sign(&claims).expect("sign")
        };
        let cases: [(&str, String); 4] = [
            (
                "another issuer",
                forged(&|c| c["iss"] = json!("https://elsewhere.example")),
            ),
            (
                "not valid before an hour from now",
                forged(&|c| c["nbf"] = json!(now + 3600)),
            ),
            (
                "no expiry",
                forged(&|c| {
                    c.as_object_mut().expect("claims").remove("exp");
                }),
            ),
            (
                "another audience",
                forged(&|c| c["aud"] = json!("clientele-admin")),
            ),
        ];
        for (what, token) in cases {
            let (status, body) = app
                .shopper(Some(&token), "{ customer { email } }", json!({}))
                .await;
            assert_eq!(status, 401, "{what}: {body}");
            assert!(
                body["data"].is_null() || body["data"]["customer"].is_null(),
                "{what}: {body}"
            );
        }
        // The genuine claims, signed again, still work: the refusals come from the claims.
        let same = forged(&|_| {});
        let (status, body) = app
            .shopper(Some(&same), "{ customer { email } }", json!({}))
            .await;
        assert_eq!(
            (status, &body["data"]["customer"]["email"]),
            (200, &json!("ann@example.com"))
        );
    }
);

db_test!(
    a_lock_is_not_extended_by_guesses_and_a_reset_still_works,
    |app| {
        let admin = app.root_token().await;
        customers_with_passwords(app, &admin, &["ann@example.com"]).await;
        app.set_config("customer/password/lockout_failures", "3")
            .await;
        for _ in 0..3 {
            sign_in(app, "ann@example.com", "wrong-password").await;
        }
        // Failures are recorded just after their answers.
        let mut locked = Value::Null;
        for _ in 0..100 {
            locked = activity(app, &admin, "ann@example.com").await["locked_until"].clone();
            if locked.is_string() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(locked.is_string(), "locked");
        // Guesses while locked are refused unchecked and do not move the lock's end.
        for _ in 0..5 {
            let (status, body) = sign_in(app, "ann@example.com", "wrong-password").await;
            assert_eq!((status, error_message(&body)), (401, FAILED));
        }
        assert_eq!(
            activity(app, &admin, "ann@example.com").await["locked_until"],
            locked
        );
        // A reset request while locked answers as ever, the link comes, and completing the reset
        // unlocks the account.
        let (_, body) = app
            .shopper(
                None,
                "mutation { requestPasswordResetEmail(email: \"ann@example.com\") }",
                json!({}),
            )
            .await;
        assert_eq!(body["data"]["requestPasswordResetEmail"], true, "{body}");
        let mail = app.wait_for_mail("ann@example.com", "createPassword").await;
        let token = clientele_tests::query_param(&mail, "token");
        let (_, body) = app
            .shopper(
                None,
                "mutation($t: String!) { resetPassword(email: \"ann@example.com\", resetPasswordToken: $t, newPassword: \"Quartz-Ladle-87\") }",
                json!({ "t": token }),
            )
            .await;
        assert_eq!(body["data"]["resetPassword"], true, "{body}");
        let (status, body) = sign_in(app, "ann@example.com", "Quartz-Ladle-87").await;
        assert_eq!(status, 200, "{body}");
    }
);

db_test!(a_customer_of_one_website_cannot_sign_in_on_another, |app| {
    let admin = app.root_token().await;
    customers_with_passwords(app, &admin, &["ann@example.com"]).await;
    let (_, eu) = app.create_website_with_store_view(&admin, "eu").await;
    let (status, body) = app
            .post(
                "/graphql",
                json!({"query": format!("mutation {{ generateCustomerToken(email: \"ann@example.com\", password: \"{PASSWORD}\") {{ token }} }}")}),
                &[("Store", eu.as_str())],
            )
            .await;
    assert_eq!(
        (status.as_u16(), error_message(&body)),
        (401, FAILED),
        "{body}"
    );
});

db_test!(tokens_carry_ids_and_times_but_nothing_personal, |app| {
    let admin = app.root_token().await;
    customers_with_passwords(app, &admin, &["ann.private@example.com"]).await;
    let token = token_for(app, "ann.private@example.com").await;
    let payload = claims(&token);
    let keys: Vec<&str> = payload
        .as_object()
        .expect("claims")
        .keys()
        .map(String::as_str)
        .collect();
    for key in &keys {
        assert!(
            [
                "uid", "utypid", "iat", "exp", "iss", "aud", "sub", "sid", "iat_ms"
            ]
            .contains(key),
            "unexpected claim {key}: {payload}"
        );
    }
    let text = payload.to_string().to_lowercase();
    for personal in ["ann", "lee", "private", "example.com", "group"] {
        assert!(!text.contains(personal), "{personal} in {payload}");
    }
    let staff = claims(&admin).to_string();
    assert!(!staff.contains("root@example.com"), "{staff}");
});
