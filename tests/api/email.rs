//! Email confirmation, password reset and the transactional email behind them: the outbox, the
//! file and SMTP transports, and templates staff edit per store view.

use clientele_tests::{Backend, TestApp, db_test, error_ext, error_message, query_param};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const PASSWORD: &str = "Sunny-Day-42";

async fn call(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
    app.shopper(token, query, variables).await
}

async fn set_config(app: &TestApp, path: &str, value: &str) {
    app.set_config(path, value).await;
}

async fn sign_up(app: &TestApp, email: &str) -> Value {
    let (_, body) = call(
        app,
        None,
        "mutation($i: CustomerCreateInput!) { createCustomerV2(input: $i) { customer { email confirmation_status is_confirmed } } }",
        json!({"i": {"firstname": "Ann", "lastname": "Lee", "email": email, "password": PASSWORD}}),
    )
    .await;
    body
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> (u16, Value) {
    call(
        app,
        None,
        "mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }",
        json!({"e": email, "p": password}),
    )
    .await
}

db_test!(
    an_account_that_must_confirm_its_email_signs_in_after_confirming,
    |app| {
        set_config(app, "customer/create_account/confirm", "1").await;
        let body = sign_up(app, "ann@example.com").await;
        assert_eq!(
            body["data"]["createCustomerV2"]["customer"],
            json!({"email": "ann@example.com", "confirmation_status": "ACCOUNT_CONFIRMATION_NOT_REQUIRED", "is_confirmed": false})
        );
        let (status, body) = sign_in(app, "ann@example.com", PASSWORD).await;
        assert_eq!(
            (status, error_message(&body)),
            (401, "This account isn't confirmed. Verify and try again.")
        );
        let mail = app
            .wait_for_mail("ann@example.com", "confirm your ann@example.com email")
            .await;
        let key = query_param(&mail, "key");
        assert_eq!(key.len(), 32, "{mail}");

        let confirm = "mutation($e: String!, $k: String!) { confirmEmail(input: {email: $e, confirmation_key: $k}) { customer { email is_confirmed } } }";
        let (_, body) = call(
            app,
            None,
            confirm,
            json!({"e": "ann@example.com", "k": "0".repeat(32)}),
        )
        .await;
        assert_eq!(
            error_message(&body),
            "The confirmation token is invalid. Verify the token and try again."
        );
        let (_, body) = call(app, None, confirm, json!({"e": "nope", "k": key})).await;
        assert_eq!(error_message(&body), "Email is invalid");
        let (_, body) = call(
            app,
            None,
            confirm,
            json!({"e": "ann@example.com", "k": key}),
        )
        .await;
        assert_eq!(
            body["data"]["confirmEmail"]["customer"],
            json!({"email": "ann@example.com", "is_confirmed": true}),
            "{body}"
        );
        let (_, body) = call(
            app,
            None,
            confirm,
            json!({"e": "ann@example.com", "k": key}),
        )
        .await;
        assert_eq!(error_message(&body), "The account is already active.");
        app.wait_for_mail("ann@example.com", "Thank you for confirming")
            .await;
        let (status, _) = sign_in(app, "ann@example.com", PASSWORD).await;
        assert_eq!(status, 200);

        let resend = "mutation($e: String!) { resendConfirmationEmail(email: $e) }";
        let (_, body) = call(app, None, resend, json!({"e": "ann@example.com"})).await;
        assert_eq!(error_message(&body), "Confirmation isn't needed.");
        let (_, body) = call(app, None, resend, json!({"e": "zed@example.com"})).await;
        assert_eq!(
            error_message(&body),
            "There is no user registered with that email address."
        );
        sign_up(app, "bob@example.com").await;
        app.wait_for_mail("bob@example.com", "Confirmation key")
            .await;
        let (_, body) = call(app, None, resend, json!({"e": "bob@example.com"})).await;
        assert_eq!(body["data"]["resendConfirmationEmail"], true, "{body}");
        for _ in 0..200 {
            let confirmations = app
                .sent_mail()
                .into_iter()
                .filter(|m| m.contains("To: bob@example.com") && m.contains("Confirmation key"))
                .count();
            if confirmations == 2 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the confirmation email was not sent again");
    }
);

db_test!(
    a_password_reset_link_works_once_and_ends_old_sessions,
    |app| {
        sign_up(app, "ann@example.com").await;
        let (_, body) = sign_in(app, "ann@example.com", PASSWORD).await;
        let old_token = body["data"]["generateCustomerToken"]["token"]
            .as_str()
            .expect("token")
            .to_owned();
        let request = "mutation($e: String!) { requestPasswordResetEmail(email: $e) }";
        for (email, message) in [
            ("", "You must specify an email address."),
            ("nope", "The email address has an invalid format."),
        ] {
            let (_, body) = call(app, None, request, json!({ "e": email })).await;
            assert_eq!(error_message(&body), message);
        }
        let (_, body) = call(app, None, request, json!({"e": "ann@example.com"})).await;
        assert_eq!(body["data"]["requestPasswordResetEmail"], true, "{body}");
        let mail = app.wait_for_mail("ann@example.com", "createPassword").await;
        let token = query_param(&mail, "token");
        assert!(token.len() >= 43, "256 bits: {mail}");
        // By IP and email (the default): another request from this IP within 10 minutes is refused.
        let (_, body) = call(app, None, request, json!({"e": "zed@example.com"})).await;
        assert!(
            error_message(&body).starts_with("We received too many requests for password resets."),
            "{body}"
        );
        // Without the minimum time, an unknown email gets the same answer as a known one.
        set_config(
            app,
            "customer/password/min_time_between_password_reset_requests",
            "0",
        )
        .await;
        let (_, body) = call(app, None, request, json!({"e": "zed@example.com"})).await;
        assert_eq!(body["data"]["requestPasswordResetEmail"], true, "{body}");

        let reset = "mutation($e: String!, $t: String!, $p: String!) { resetPassword(email: $e, resetPasswordToken: $t, newPassword: $p) }";
        for (variables, message) in [
            (
                json!({"e": "ann@example.com", "t": "wrong", "p": "New-Pass-123"}),
                "Cannot set the customer's password",
            ),
            (
                json!({"e": "ann@example.com", "t": "", "p": "New-Pass-123"}),
                "resetPasswordToken must be specified",
            ),
            (
                json!({"e": "ann@example.com", "t": token, "p": ""}),
                "newPassword must be specified",
            ),
            (
                json!({"e": "ann@example.com", "t": token, "p": "weak"}),
                "The password needs at least 8 characters. Create a new password and try again.",
            ),
            (
                json!({"e": "ann@example.com", "t": token, "p": "Password123!"}),
                clientele_tests::TOO_GUESSABLE,
            ),
        ] {
            let (_, body) = call(app, None, reset, variables).await;
            assert_eq!(error_message(&body), message, "{body}");
        }
        let (_, body) = call(
            app,
            None,
            reset,
            json!({"e": "ann@example.com", "t": token, "p": "New-Pass-123"}),
        )
        .await;
        assert_eq!(body["data"]["resetPassword"], true, "{body}");
        let (_, body) = call(
            app,
            None,
            reset,
            json!({"e": "ann@example.com", "t": token, "p": "Other-Pass-123"}),
        )
        .await;
        assert_eq!(
            error_message(&body),
            "Cannot set the customer's password",
            "a token works once"
        );
        let (status, _) = call(app, Some(&old_token), "{ customer { email } }", json!({})).await;
        assert_eq!(status, 401, "the reset ends earlier sessions");
        let (status, _) = sign_in(app, "ann@example.com", "New-Pass-123").await;
        assert_eq!(status, 200);
        app.wait_for_mail("ann@example.com", "password has been changed")
            .await;
        assert!(
            !app.sent_mail()
                .iter()
                .any(|m| m.contains("To: zed@example.com")),
            "no email for an unknown address"
        );
    }
);

db_test!(
    staff_edit_templates_per_store_view_and_see_the_outbox,
    |app| {
        let admin = app.root_token().await;
        let (_, body) = app
            .admin(
                Some(&admin),
                "{ emailTemplates { code is_default } }",
                json!({}),
            )
            .await;
        let list = body["data"]["emailTemplates"]
            .as_array()
            .expect("templates")
            .clone();
        assert!(list.len() >= 8, "{body}");
        assert!(list.iter().all(|t| t["is_default"] == true));

        let save = "mutation($i: SaveEmailTemplateInput!) { saveEmailTemplate(input: $i) { code store_id is_default subject } }";
        let (_, body) = app
        .admin(
            Some(&admin),
            save,
            json!({"i": {"code": "customer_create_account_email_template", "store_id": 1,
                         "subject": "Hello {{ customer.firstname }}!", "body": "<p>Hi {{ customer.firstname }}</p>"}}),
        )
        .await;
        assert_eq!(
            body["data"]["saveEmailTemplate"],
            json!({"code": "customer_create_account_email_template", "store_id": 1, "is_default": false, "subject": "Hello {{ customer.firstname }}!"})
        );
        let (_, body) = app
        .admin(
            Some(&admin),
            save,
            json!({"i": {"code": "customer_create_account_email_template", "subject": "x", "body": "{% if %}"}}),
        )
        .await;
        assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");
        let (_, body) = app
            .admin(
                Some(&admin),
                save,
                json!({"i": {"code": "nope", "subject": "x", "body": "y"}}),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");

        sign_up(app, "ann@example.com").await;
        let mail = app.wait_for_mail("ann@example.com", "Hello Ann!").await;
        assert!(mail.contains("<p>Hi Ann</p>"), "{mail}");

        let (_, body) = app
            .admin(Some(&admin), "{ customers { items { id } } }", json!({}))
            .await;
        let id = body["data"]["customers"]["items"][0]["id"].clone();
        let (_, body) = app
            .admin(
                Some(&admin),
                "mutation($id: Int!) { sendCustomerPasswordReset(id: $id) }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(body["data"]["sendCustomerPasswordReset"], true, "{body}");
        app.wait_for_mail("ann@example.com", "createPassword").await;

        let (_, body) = app
            .admin(
                Some(&admin),
                "{ emailOutbox { template recipient status attempts } }",
                json!({}),
            )
            .await;
        let outbox = body["data"]["emailOutbox"]
            .as_array()
            .expect("outbox")
            .clone();
        assert_eq!(outbox.len(), 2, "{body}");
        assert!(
            outbox
                .iter()
                .all(|e| e["status"] == "SENT" && e["recipient"] == "ann@example.com")
        );
    }
);

/// A minimal SMTP server on loopback that records the DATA of each message.
async fn smtp_listener() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 test ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buffer) = data.as_mut() {
                        if line == "." {
                            let _ = tx.send(std::mem::take(buffer));
                            data = None;
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            buffer.push_str(&line);
                            buffer.push_str("\r\n");
                        }
                        continue;
                    }
                    let reply: &[u8] = match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                        Some("EHLO") | Some("HELO") => b"250 test\r\n",
                        Some("DATA") => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        Some("QUIT") => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test]
async fn emails_leave_through_smtp() {
    let (port, mut received) = smtp_listener().await;
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.mail_transport = "smtp".into();
        s.smtp_host = "127.0.0.1".into();
        s.smtp_port = port;
        s.smtp_security = "none".into();
        s.mail_from = "Shop <shop@example.com>".into();
    })
    .await
    .expect("app");
    sign_up(&app, "ann@example.com").await;
    let message = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
        .await
        .expect("an email within 10 s")
        .expect("message");
    let message = clientele_tests::decode_message(&message);
    assert!(message.contains("To: ann@example.com"), "{message}");
    assert!(
        message.contains("From: Shop <shop@example.com>"),
        "{message}"
    );
    assert!(message.contains("Subject: Welcome to"), "{message}");
    assert!(message.contains("Welcome to"), "{message}");
    app.finish().await;
}

db_test!(a_new_password_or_email_voids_a_pending_reset_link, |app| {
    set_config(app, "customer/password/password_reset_protection_type", "0").await;
    sign_up(app, "ann@example.com").await;
    let request = "mutation($e: String!) { requestPasswordResetEmail(email: $e) }";
    let reset = "mutation($e: String!, $t: String!, $p: String!) { resetPassword(email: $e, resetPasswordToken: $t, newPassword: $p) }";
    call(app, None, request, json!({"e": "ann@example.com"})).await;
    let mail = app.wait_for_mail("ann@example.com", "createPassword").await;
    let token = query_param(&mail, "token");

    // Without the token, a known and an unknown email read the same, whatever the password.
    for (email, password) in [
        ("ann@example.com", "x"),
        ("zed@example.com", "New-Pass-123"),
    ] {
        let (_, body) = call(
            app,
            None,
            reset,
            json!({"e": email, "t": "wrong", "p": password}),
        )
        .await;
        assert_eq!(error_message(&body), "Cannot set the customer's password");
    }

    let (_, body) = sign_in(app, "ann@example.com", PASSWORD).await;
    let ann = body["data"]["generateCustomerToken"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    // The deprecated update changes the email with the password and tells the old address.
    let (_, body) = call(
        app,
        Some(&ann),
        "mutation($i: CustomerInput!) { updateCustomer(input: $i) { customer { email } } }",
        json!({"i": {"email": "ann2@example.com", "password": PASSWORD}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateCustomer"]["customer"]["email"], "ann2@example.com",
        "{body}"
    );
    app.wait_for_mail("ann@example.com", "ann2@example.com")
        .await;
    let (_, body) = call(
        app,
        None,
        reset,
        json!({"e": "ann2@example.com", "t": token, "p": "New-Pass-123"}),
    )
    .await;
    assert_eq!(
        error_message(&body),
        "Cannot set the customer's password",
        "the link sent before the email change is void"
    );
});

db_test!(
    staff_create_customers_with_or_without_the_welcome_email,
    |app| {
        let admin = app.root_token().await;
        let create = "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }";
        for (email, welcome) in [
            ("loud@example.com", None),
            ("quiet@example.com", Some(false)),
        ] {
            let (_, body) = app
                .admin(
                    Some(&admin),
                    create,
                    json!({"i": {"email": email, "firstname": "A", "lastname": "B", "send_welcome_email": welcome}}),
                )
                .await;
            assert!(body["errors"].is_null(), "{body}");
        }
        let (_, body) = app
            .admin(
                Some(&admin),
                "{ emailOutbox { template recipient } }",
                json!({}),
            )
            .await;
        assert_eq!(
            body["data"]["emailOutbox"],
            json!([{"template": "customer_create_account_email_no_password_template", "recipient": "loud@example.com"}]),
            "{body}"
        );
    }
);

db_test!(
    template_changes_are_scoped_and_one_time_links_stay_where_the_store_put_them,
    |app| {
        let root = app.root_token().await;
        let (_, eu_view) = app.create_website_with_store_view(&root, "eu").await;
        let eu_store = app
            .services
            .stores
            .view_by_code(&eu_view)
            .await
            .expect("eu view")
            .id;
        let save = "mutation($i: SaveEmailTemplateInput!) { saveEmailTemplate(input: $i) { code store_id } }";
        let template = |code: &str, store_id: i64, body: &str| json!({"i": {"code": code, "store_id": store_id, "subject": "Hello", "body": body}});
        const WELCOME: &str = "customer_create_account_email_template";
        const RESET: &str = "customer_password_forgot_email_template";
        let evil = "<a href=\"https://evil.example/?t={{ token }}\">Reset</a>";

        // The email-template permission alone cannot touch an email with a one-time link.
        let mail = app
            .staff_with_role("mail@example.com", &["Magento_Email::template"], None)
            .await;
        let (_, body) = app.admin(Some(&mail), save, template(RESET, 0, evil)).await;
        assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "{body}");
        let (_, body) = app
            .admin(Some(&mail), save, template(WELCOME, 0, "<p>Hi</p>"))
            .await;
        assert_eq!(body["data"]["saveEmailTemplate"]["code"], WELCOME, "{body}");
        let (_, body) = app
            .admin(
                Some(&mail),
                "mutation($c: String!) { deleteEmailTemplate(code: $c) { is_default } }",
                json!({"c": RESET}),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "{body}");

        // A role of one website changes only that website's store views.
        let base = app
            .staff_with_role(
                "base@example.com",
                &["Magento_Email::template"],
                Some(vec![1]),
            )
            .await;
        let (_, body) = app
            .admin(Some(&base), save, template(WELCOME, 0, "<p>Hi</p>"))
            .await;
        assert_eq!(
            error_message(&body),
            "Changing the templates of all store views needs a role that covers all websites."
        );
        let (_, body) = app
            .admin(
                Some(&base),
                save,
                template(WELCOME, eu_store.into(), "<p>Hi</p>"),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "FORBIDDEN", "{body}");
        let (_, body) = app
            .admin(Some(&base), save, template(WELCOME, 1, "<p>Hi base</p>"))
            .await;
        assert_eq!(body["data"]["saveEmailTemplate"]["store_id"], 1, "{body}");

        // With the permission for such emails, the link may stand only where it is the link.
        let secrets = app
            .staff_with_role(
                "secrets@example.com",
                &[
                    "Magento_Email::template",
                    "Clientele_Email::secret_templates",
                ],
                None,
            )
            .await;
        for bad in [evil, "<img src=\"{{ link }}\">"] {
            let (_, body) = app
                .admin(Some(&secrets), save, template(RESET, 0, bad))
                .await;
            assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{bad}: {body}");
        }
        let (_, body) = app
            .admin(
                Some(&secrets),
                save,
                template(
                    RESET,
                    0,
                    "<p>Reset: <a href=\"{{ link }}\">{{ link }}</a></p>",
                ),
            )
            .await;
        assert_eq!(body["data"]["saveEmailTemplate"]["code"], RESET, "{body}");

        // Every change is on record with who made it, newest first.
        let (_, body) = app
            .admin(
                Some(&root),
                "{ emailTemplateChanges { code store_id action changed_by } }",
                json!({}),
            )
            .await;
        let changes = body["data"]["emailTemplateChanges"]
            .as_array()
            .expect("changes");
        let who: Vec<(String, i64)> = changes
            .iter()
            .map(|c| {
                (
                    c["code"].as_str().expect("code").to_owned(),
                    c["store_id"].as_i64().expect("store"),
                )
            })
            .collect();
        assert_eq!(
            who,
            [
                (RESET.to_owned(), 0),
                (WELCOME.to_owned(), 1),
                (WELCOME.to_owned(), 0)
            ],
            "{body}"
        );
        assert!(changes.iter().all(|c| c["action"] == "saved"));
        assert!(
            changes[0]["changed_by"]
                .as_str()
                .expect("by")
                .starts_with("staff:"),
            "{body}"
        );
        assert_ne!(changes[0]["changed_by"], changes[1]["changed_by"]);

        // The reset email carries the link where the template put it, and nowhere else.
        sign_up(app, "ann@example.com").await;
        let (_, body) = call(
            app,
            None,
            "mutation($e: String!) { requestPasswordResetEmail(email: $e) }",
            json!({"e": "ann@example.com"}),
        )
        .await;
        assert_eq!(body["data"]["requestPasswordResetEmail"], true, "{body}");
        let sent = app.wait_for_mail("ann@example.com", "Reset: ").await;
        let token = query_param(&sent, "token");
        assert!(token.len() >= 43, "{sent}");
    }
);

db_test!(
    confirmation_emails_and_keys_are_limited_per_address_from_any_network,
    settings | s | {
        s.trust_forwarded_for = true;
    },
    |app| {
        set_config(app, "customer/create_account/confirm", "1").await;
        sign_up(app, "ann@example.com").await;
        let from = |i: usize| format!("10.9.{i}.1");
        let resend = "mutation($e: String!) { resendConfirmationEmail(email: $e) }";
        const TOO_MANY: &str =
            "Too many requests for this email address. Please wait and try again later.";
        // Five resends an hour per address, counted alike for an unknown address.
        for email in ["ann@example.com", "zed@example.com"] {
            for i in 0..5 {
                let ip = from(i);
                let (_, body) = app
                    .post(
                        "/graphql",
                        json!({"query": resend, "variables": {"e": email}}),
                        &[("X-Forwarded-For", ip.as_str())],
                    )
                    .await;
                assert_ne!(error_message(&body), TOO_MANY, "{email} #{i}: {body}");
            }
            let ip = from(9);
            let (_, body) = app
                .post(
                    "/graphql",
                    json!({"query": resend, "variables": {"e": email.to_uppercase()}}),
                    &[("X-Forwarded-For", ip.as_str())],
                )
                .await;
            assert_eq!(error_message(&body), TOO_MANY, "{email}: {body}");
            assert_eq!(error_ext(&body, "code"), "RATE_LIMITED");
        }
        // Ten wrong confirmation keys an hour per address, whichever networks they come from.
        let confirm = "mutation($e: String!, $k: String!) { confirmEmail(input: {email: $e, confirmation_key: $k}) { customer { email } } }";
        for i in 0..10 {
            let ip = from(20 + i);
            let (_, body) = app
                .post(
                    "/graphql",
                    json!({"query": confirm, "variables": {"e": "ann@example.com", "k": format!("{i:032}")}}),
                    &[("X-Forwarded-For", ip.as_str())],
                )
                .await;
            assert_eq!(
                error_message(&body),
                "The confirmation token is invalid. Verify the token and try again.",
                "#{i}: {body}"
            );
        }
        let key = query_param(
            &app.wait_for_mail("ann@example.com", "Confirmation key")
                .await,
            "key",
        );
        let (_, body) = app
            .post(
                "/graphql",
                json!({"query": confirm, "variables": {"e": "ann@example.com", "k": key}}),
                &[("X-Forwarded-For", "10.9.99.1")],
            )
            .await;
        assert_eq!(
            error_message(&body),
            TOO_MANY,
            "even the right key waits: {body}"
        );
    }
);

/// Requests a reset link for `email` and returns the token of the `nth` link it received.
async fn reset_token(app: &TestApp, email: &str, nth: usize) -> String {
    let (_, body) = call(
        app,
        None,
        "mutation($e: String!) { requestPasswordResetEmail(email: $e) }",
        json!({ "e": email }),
    )
    .await;
    assert_eq!(body["data"]["requestPasswordResetEmail"], true, "{body}");
    let mails = app.wait_for_mails(email, "createPassword", nth).await;
    query_param(&mails[nth - 1], "token")
}

const RESET: &str = "mutation($e: String!, $t: String!, $p: String!) { resetPassword(email: $e, resetPasswordToken: $t, newPassword: $p) }";

db_test!(
    reset_tokens_are_random_stored_hashed_newest_only_short_lived_and_used_once,
    |app| {
        set_config(app, "customer/password/password_reset_protection_type", "0").await;
        sign_up(app, "ann@example.com").await;
        sign_up(app, "eve@example.com").await;
        let first = reset_token(app, "ann@example.com", 1).await;
        let second = reset_token(app, "ann@example.com", 2).await;
        assert_ne!(first, second);
        // Stored as a hash only: the emailed token is nowhere in the table.
        let db = &app.services.db;
        use sea_orm::ConnectionTrait;
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT token_hash FROM customer_password_resets",
            ))
            .await
            .expect("rows");
        for row in &rows {
            let stored: String = row.try_get("", "token_hash").expect("hash");
            assert!(stored != first && stored != second && !stored.contains(&second));
        }
        // Newest only.
        let (_, body) = call(
            app,
            None,
            RESET,
            json!({"e": "ann@example.com", "t": first, "p": "New-Pass-123"}),
        )
        .await;
        assert_eq!(error_message(&body), "Cannot set the customer's password");
        // Bound to its account: Ann's token does nothing for Eve.
        let (_, body) = call(
            app,
            None,
            RESET,
            json!({"e": "eve@example.com", "t": second, "p": "New-Pass-123"}),
        )
        .await;
        assert_eq!(error_message(&body), "Cannot set the customer's password");
        // Used once, even by eight resets at the same moment.
        let racing: Vec<_> = (0..8)
            .map(|_| {
                app.post_in_background(
                    "/graphql",
                    RESET,
                    json!({"e": "ann@example.com", "t": second, "p": "New-Pass-123"}),
                    &[],
                )
            })
            .collect();
        let mut succeeded = 0;
        for race in racing {
            let (_, body) = race.await.expect("join");
            if body["data"]["resetPassword"] == true {
                succeeded += 1;
            }
        }
        assert_eq!(succeeded, 1);
        // Short-lived: a token older than the Recovery Link Expiration Period (2 hours) is refused.
        let third = reset_token(app, "ann@example.com", 3).await;
        app.clock.advance(chrono::Duration::hours(3));
        let (_, body) = call(
            app,
            None,
            RESET,
            json!({"e": "ann@example.com", "t": third, "p": "Other-Pass-123"}),
        )
        .await;
        assert_eq!(
            error_message(&body),
            "Cannot set the customer's password",
            "{body}"
        );
    }
);

db_test!(
    reset_tokens_cannot_be_guessed_from_many_networks,
    settings | s | {
        s.trust_forwarded_for = true;
    },
    |app| {
        sign_up(app, "ann@example.com").await;
        let token = reset_token(app, "ann@example.com", 1).await;
        for i in 0..10 {
            let ip = format!("10.8.{i}.1");
            let (_, body) = app
                .post(
                    "/graphql",
                    json!({"query": RESET, "variables": {"e": "ann@example.com", "t": format!("guess{i}"), "p": "New-Pass-123"}}),
                    &[("X-Forwarded-For", ip.as_str())],
                )
                .await;
            assert_eq!(
                error_message(&body),
                "Cannot set the customer's password",
                "#{i}"
            );
        }
        let (_, body) = app
            .post(
                "/graphql",
                json!({"query": RESET, "variables": {"e": "ann@example.com", "t": token, "p": "New-Pass-123"}}),
                &[("X-Forwarded-For", "10.8.99.1")],
            )
            .await;
        assert_eq!(
            error_ext(&body, "code"),
            "RATE_LIMITED",
            "even the right token waits: {body}"
        );
    }
);

db_test!(the_reset_link_ignores_the_host_the_request_names, |app| {
    set_config(app, "web/secure/base_url", "https://shop.example/").await;
    sign_up(app, "ann@example.com").await;
    let (_, body) = app
        .post(
            "/graphql",
            json!({"query": "mutation { requestPasswordResetEmail(email: \"ann@example.com\") }"}),
            &[
                ("Host", "evil.example"),
                ("X-Forwarded-Host", "evil.example"),
                ("Forwarded", "host=evil.example"),
            ],
        )
        .await;
    assert_eq!(body["data"]["requestPasswordResetEmail"], true, "{body}");
    let mail = app.wait_for_mail("ann@example.com", "createPassword").await;
    assert!(
        mail.contains("https://shop.example/customer/account/createPassword/?token="),
        "{mail}"
    );
    assert!(!mail.contains("evil.example"), "{mail}");
});
