//! Webhooks through the admin API: a round trip to a local receiver whose signatures verify as
//! the Standard Webhooks specification says, retries after a 500 that keep each customer's
//! events in order, two nodes delivering each event once, the delivery log, and the production
//! profile refusing targets inside the installation's networks.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clientele_gateway::config::Profile;
use clientele_tests::{Backend, TestApp, db_test, error_ext, postgres_url};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

const CREATE_WEBHOOK: &str = "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id url events website_ids status notify_email } } }";
const DELIVERIES: &str = "query($w: Int!, $status: WebhookDeliveryState) { webhookDeliveries(webhook: $w, status: $status, first: 50) { items { id event_id event_type customer_id status attempts response_status duration_ms request_body error } page_info { has_next_page } } }";

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("json body")
    }
}

/// A local endpoint: answers with the statuses queued (200 when none are), keeps every request.
#[derive(Clone, Default)]
struct Receiver {
    answers: Arc<Mutex<VecDeque<u16>>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(answers: &[u16]) -> (Self, String) {
        let receiver = Self::default();
        receiver
            .answers
            .lock()
            .expect("lock")
            .extend(answers.iter().copied());
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, url)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits (up to ten seconds) until `count` requests came.
    async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} deliveries came",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    receiver.received.lock().expect("lock").push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
    });
    let answer = receiver
        .answers
        .lock()
        .expect("lock")
        .pop_front()
        .unwrap_or(200);
    StatusCode::from_u16(answer).expect("status")
}

/// The Standard Webhooks verification, as a consumer's library does it: the secret after
/// `whsec_` is base64; one of the space-separated `v1,` signatures is the base64 HMAC-SHA256 of
/// `id.timestamp.body`.
fn verifies(secret: &str, received: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ prefix"))
        .expect("base64 secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("key");
    mac.update(format!("{}.{}.{}", received.id, received.timestamp, received.body).as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    received
        .signature
        .split(' ')
        .any(|signature| signature == format!("v1,{expected}"))
}

async fn create_webhook(app: &TestApp, token: &str, input: Value) -> Value {
    let (_, body) = app
        .admin(Some(token), CREATE_WEBHOOK, json!({"input": input}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["createWebhook"].clone()
}

async fn create_customer(app: &TestApp, token: &str, email: &str) -> i64 {
    let (_, body) = app
        .admin(
            Some(token),
            "mutation($e: String!) { createCustomer(input: {email: $e, firstname: \"Ann\", lastname: \"Lee\"}) { id } }",
            json!({"e": email}),
        )
        .await;
    body["data"]["createCustomer"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"))
}

async fn rename(app: &TestApp, token: &str, id: i64, firstname: &str) {
    let (_, body) = app
        .admin(
            Some(token),
            "mutation($id: Int!, $f: String!) { updateCustomer(id: $id, input: {firstname: $f}) { id } }",
            json!({"id": id, "f": firstname}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
}

db_test!(
    events_reach_a_webhook_signed_retried_after_a_500_and_in_order,
    settings | s | {
        s.webhook_poll_ms = 20;
    },
    |app| {
        let token = app.root_token().await;
        let (receiver, url) = Receiver::start(&[500]).await;
        let created = create_webhook(
            app,
            &token,
            json!({"url": url, "events": ["customer.created", "customer.updated"], "description": "CRM"}),
        )
        .await;
        let secret = created["secret"].as_str().expect("secret").to_owned();
        assert!(secret.starts_with("whsec_"), "{created}");
        let hook = &created["webhook"];
        assert_eq!(hook["status"], "ENABLED");
        assert_eq!(
            hook["events"],
            json!(["customer.created", "customer.updated"])
        );
        assert_eq!(
            hook["notify_email"], "root@example.com",
            "the creator's address"
        );
        let webhook_id = hook["id"].as_i64().expect("id");

        let id = create_customer(app, &token, "ann@example.com").await;
        rename(app, &token, id, "Anne").await;
        rename(app, &token, id, "Anna").await;

        // The first attempt gets the 500; the customer's later events wait behind it.
        let first = receiver.wait_for(1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            receiver.received().len(),
            1,
            "nothing overtakes a failed delivery"
        );
        assert_eq!(first[0].json()["type"], "customer.created");
        let (_, pending) = app
            .admin(
                Some(&token),
                DELIVERIES,
                json!({"w": webhook_id, "status": "PENDING"}),
            )
            .await;
        let waiting = pending["data"]["webhookDeliveries"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(waiting.len(), 3, "{pending}");
        let failed = waiting
            .iter()
            .find(|d| d["attempts"] == 1)
            .unwrap_or_else(|| panic!("{pending}"));
        assert_eq!(failed["response_status"], 500);

        // Once the backoff has passed, the retry succeeds and the rest follow in order.
        app.clock.advance(chrono::Duration::seconds(15));
        let received = receiver.wait_for(4).await;
        let bodies: Vec<Value> = received.iter().map(Received::json).collect();
        let kinds: Vec<&str> = bodies.iter().filter_map(|b| b["type"].as_str()).collect();
        assert_eq!(
            kinds,
            [
                "customer.created",
                "customer.created",
                "customer.updated",
                "customer.updated"
            ]
        );
        let names: Vec<&Value> = bodies[2..]
            .iter()
            .map(|b| &b["data"]["changes"][0]["new_value"])
            .collect();
        assert_eq!(names, [&json!("Anne"), &json!("Anna")]);
        assert_eq!(
            received[0].id, received[1].id,
            "a retry keeps its webhook-id"
        );
        for delivery in &received {
            assert!(verifies(&secret, delivery), "{delivery:?}");
            assert_eq!(delivery.json()["data"]["customer_id"], id);
            assert_eq!(delivery.json()["data"]["actor"]["type"], "STAFF");
        }
        assert!(!verifies(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            &received[0]
        ));

        // The receiver has answered; the worker records the outcome right after.
        let mut log = Value::Null;
        let mut items = Vec::new();
        for _ in 0..100 {
            (_, log) = app
                .admin(Some(&token), DELIVERIES, json!({"w": webhook_id}))
                .await;
            items = log["data"]["webhookDeliveries"]["items"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if items.iter().all(|d| d["status"] == "SUCCEEDED") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(items.len(), 3, "{log}");
        assert!(
            items
                .iter()
                .all(|d| d["status"] == "SUCCEEDED" && d["response_status"] == 200)
        );
        let retried = items.last().expect("oldest");
        assert_eq!(
            (retried["attempts"].as_i64(), retried["event_type"].as_str()),
            (Some(2), Some("customer.created"))
        );
        assert_eq!(
            retried["request_body"].as_str(),
            Some(received[1].body.as_str())
        );

        // A rotated secret: both sign for a while, and an event can be sent again.
        let (_, rotated) = app
            .admin(
                Some(&token),
                "mutation($id: Int!) { rotateWebhookSecret(id: $id) { secret webhook { rotation_ends_at } } }",
                json!({"id": webhook_id}),
            )
            .await;
        let new_secret = rotated["data"]["rotateWebhookSecret"]["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("{rotated}"))
            .to_owned();
        assert_ne!(new_secret, secret);
        let (_, again) = app
            .admin(
                Some(&token),
                "mutation($w: Int!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) { status event_type } }",
                json!({"w": webhook_id, "e": received[3].id}),
            )
            .await;
        assert_eq!(
            again["data"]["redeliverWebhookEvent"]["status"], "PENDING",
            "{again}"
        );
        let resent = receiver.wait_for(5).await;
        assert_eq!(resent[4].id, received[3].id);
        assert!(verifies(&new_secret, &resent[4]) && verifies(&secret, &resent[4]));
    }
);

db_test!(
    managing_webhooks_needs_the_permission_and_checks_its_input,
    |app| {
        let root = app.root_token().await;
        let none = app
            .staff_with_role("nohooks@example.com", &["Magento_Customer::customer"], None)
            .await;
        let (_, refused) = app
        .admin(
            Some(&none),
            CREATE_WEBHOOK,
            json!({"input": {"url": "https://example.com/hook", "events": ["customer.created"]}}),
        )
        .await;
        assert_eq!(error_ext(&refused, "code"), "FORBIDDEN");

        for (input, field) in [
            (
                json!({"url": "https://example.com/hook", "events": []}),
                "events",
            ),
            (
                json!({"url": "https://example.com/hook", "events": ["customer.renamed"]}),
                "events",
            ),
            (
                json!({"url": "ftp://example.com/hook", "events": ["customer.created"]}),
                "url",
            ),
            (
                json!({"url": "https://example.com/hook", "events": ["customer.created"], "website_ids": [99]}),
                "website_ids",
            ),
            (
                json!({"url": "https://example.com/hook", "events": ["customer.created"], "notify_email": "nobody"}),
                "notify_email",
            ),
        ] {
            let (_, body) = app
                .admin(Some(&root), CREATE_WEBHOOK, json!({"input": input}))
                .await;
            assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{body}");
            assert_eq!(error_ext(&body, "field"), field, "{body}");
        }
        let (_, listed) = app
            .admin(Some(&root), "{ webhooks { id } }", json!({}))
            .await;
        assert_eq!(listed["data"]["webhooks"], json!([]), "nothing was saved");

        // A role limited to website 1 must name it, and sees only webhooks within it.
        let scoped = app
            .staff_with_role(
                "scoped@example.com",
                &["Clientele_Integration::webhooks"],
                Some(vec![1]),
            )
            .await;
        let (_, everywhere) = app
        .admin(
            Some(&scoped),
            CREATE_WEBHOOK,
            json!({"input": {"url": "https://example.com/hook", "events": ["customer.created"]}}),
        )
        .await;
        assert_eq!(error_ext(&everywhere, "code"), "FORBIDDEN");
        create_webhook(
            app,
            &root,
            json!({"url": "https://example.com/all", "events": ["customer.created"]}),
        )
        .await;
        let own = create_webhook(
        app,
        &scoped,
        json!({"url": "https://example.com/one", "events": ["customer.created"], "website_ids": [1]}),
    )
    .await;
        let (_, seen) = app
            .admin(Some(&scoped), "{ webhooks { url } }", json!({}))
            .await;
        assert_eq!(
            seen["data"]["webhooks"],
            json!([{"url": "https://example.com/one"}])
        );

        // Switching off, then deleting.
        let id = own["webhook"]["id"].as_i64().expect("id");
        let (_, off) = app
        .admin(
            Some(&scoped),
            "mutation($id: Int!) { updateWebhook(id: $id, input: {enabled: false, description: \"paused\"}) { status description disabled_reason } }",
            json!({"id": id}),
        )
        .await;
        assert_eq!(
            off["data"]["updateWebhook"],
            json!({"status": "DISABLED", "description": "paused", "disabled_reason": "Disabled through the API."})
        );
        let (_, deleted) = app
            .admin(
                Some(&scoped),
                "mutation($id: Int!) { deleteWebhook(id: $id) }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(deleted["data"]["deleteWebhook"], true, "{deleted}");
        let (_, gone) = app
            .admin(
                Some(&scoped),
                "query($id: Int!) { webhook(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(error_ext(&gone, "code"), "NOT_FOUND");
    }
);

#[tokio::test]
async fn the_production_profile_refuses_targets_inside_the_installation_unless_allowlisted() {
    let kek = STANDARD.encode(
        (0..32u8)
            .map(|i| i.wrapping_mul(11).wrapping_add(5))
            .collect::<Vec<_>>(),
    );
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.profile = Profile::Production;
        s.key_encryption_key = Some(kek.clone().into());
        s.allow_insecure_database = true;
        s.webhook_allowed_targets = "hooks.internal.example, 10.20.0.0/16".into();
    })
    .await
    .expect("app");
    let token = app.root_token().await;
    for url in [
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/hook",
        "https://localhost/hook",
        "http://example.com/hook",
    ] {
        let (_, body) = app
            .admin(
                Some(&token),
                CREATE_WEBHOOK,
                json!({"input": {"url": url, "events": ["customer.created"]}}),
            )
            .await;
        assert_eq!(error_ext(&body, "code"), "BAD_USER_INPUT", "{url}: {body}");
        assert_eq!(error_ext(&body, "field"), "url", "{url}: {body}");
    }
    create_webhook(
        &app,
        &token,
        json!({"url": "https://10.20.0.7/hook", "events": ["customer.created"]}),
    )
    .await;
    app.finish().await;
}

#[tokio::test]
async fn two_nodes_deliver_each_event_once() {
    if postgres_url().is_none() {
        eprintln!("CLIENTELE_TEST_POSTGRES_URL is not set: PostgreSQL leg skipped");
        return;
    }
    let first = TestApp::spawn_with(Backend::Postgres, |s| {
        s.webhook_poll_ms = 10;
        s.db_max_connections = 10;
    })
    .await
    .expect("first node");
    let second = first.another_node().await.expect("second node");
    let token = first.root_token().await;
    let (receiver, url) = Receiver::start(&[]).await;
    create_webhook(
        &first,
        &token,
        json!({"url": url, "events": ["customer.created", "customer.updated"]}),
    )
    .await;
    let mut customers = Vec::new();
    for n in 0..10 {
        let node = if n % 2 == 0 { &first } else { &second };
        customers.push(create_customer(node, &token, &format!("c{n}@example.com")).await);
    }
    for round in 0..3 {
        for (n, id) in customers.iter().enumerate() {
            let node = if n % 2 == 0 { &second } else { &first };
            rename(node, &token, *id, &format!("Round{round}")).await;
        }
    }
    let received = receiver.wait_for(40).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = if receiver.received().len() > received.len() {
        receiver.received()
    } else {
        received
    };
    let mut per_event: HashMap<&str, usize> = HashMap::new();
    for delivery in &received {
        *per_event.entry(delivery.id.as_str()).or_default() += 1;
    }
    assert_eq!(received.len(), 40, "each of the 40 events once");
    assert!(per_event.values().all(|n| *n == 1));
    for id in &customers {
        let rounds: Vec<String> = received
            .iter()
            .map(Received::json)
            .filter(|b| b["data"]["customer_id"] == *id && b["type"] == "customer.updated")
            .map(|b| {
                b["data"]["changes"][0]["new_value"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        assert_eq!(rounds, ["Round0", "Round1", "Round2"], "customer {id}");
    }
    second.finish().await;
    first.finish().await;
}
