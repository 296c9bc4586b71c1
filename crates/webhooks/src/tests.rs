use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::Duration;
use clientele_events::{Change, EventType, NewEvent, record};
use clientele_kernel::Clock;
use clientele_kernel::clock::SettableClock;
use clientele_kernel::testing::for_each_database;
use clientele_sessions::KeyWrapping;
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use serde_json::Value;

use crate::*;

/// A local endpoint that answers with the statuses it is given (200 once they run out) and
/// keeps what it received.
#[derive(Clone, Default)]
struct Receiver {
    answers: Arc<Mutex<VecDeque<u16>>>,
    received: Arc<Mutex<Vec<(HeaderMap, String)>>>,
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
            .route("/hook", post(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, url)
    }

    fn bodies(&self) -> Vec<Value> {
        self.received
            .lock()
            .expect("lock")
            .iter()
            .map(|(_, body)| serde_json::from_str(body).expect("json"))
            .collect()
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    receiver
        .received
        .lock()
        .expect("lock")
        .push((headers, body));
    let answer = receiver
        .answers
        .lock()
        .expect("lock")
        .pop_front()
        .unwrap_or(200);
    StatusCode::from_u16(answer).expect("status")
}

struct Setup {
    registry: WebhookRegistry,
    worker: WebhookWorker,
    hand: Arc<SettableClock>,
    clock: Clock,
    db: DatabaseConnection,
}

async fn setup(db: DatabaseConnection) -> Setup {
    Migrator::up(&db, None).await.expect("migrate");
    let (hand, clock) = SettableClock::new();
    let wrapping = KeyWrapping::ephemeral().expect("kek");
    let policy = Arc::new(TargetPolicy::default());
    let registry =
        WebhookRegistry::new(db.clone(), clock.clone(), wrapping.clone(), policy.clone());
    let worker = WebhookWorker::new(
        db.clone(),
        clock.clone(),
        wrapping,
        policy,
        WebhookWorkerSettings::default(),
    )
    .expect("worker");
    Setup {
        registry,
        worker,
        hand,
        clock,
        db,
    }
}

fn new_webhook(url: &str, types: &[&str], website_ids: Vec<i32>) -> NewWebhook {
    NewWebhook {
        url: url.to_owned(),
        event_types: types.iter().map(|t| (*t).to_owned()).collect(),
        description: Some("CRM".into()),
        website_ids,
        notify_email: Some("ops@example.com".into()),
        created_by: Creator::Staff(1),
    }
}

fn renamed(customer_id: i32, website_id: i32, to: &str) -> NewEvent {
    NewEvent::about_customer(EventType::CustomerUpdated, customer_id, website_id).with_changes(
        vec![Change {
            field: "firstname".into(),
            old: "Ann".into(),
            new: to.into(),
        }],
    )
}

#[tokio::test]
async fn a_committed_event_reaches_its_webhooks_signed_as_standard_webhooks_says() {
    for_each_database(|db| async move {
        let s = setup(db).await;
        let (receiver, url) = Receiver::start(&[]).await;
        let created = s
            .registry
            .create(new_webhook(&url, &["customer.updated"], vec![1]))
            .await
            .expect("create");
        let secret = SigningSecret::from_text(&created.secret).expect("whsec_");
        let now = s.clock.now();
        record(
            &s.db,
            now,
            vec![
                renamed(7, 1, "Anne"),
                // Another website, and a type not subscribed to.
                renamed(8, 2, "Bea"),
                NewEvent::about_customer(EventType::CustomerCreated, 7, 1),
            ],
        )
        .await
        .expect("record");
        assert_eq!(s.worker.dispatch_once().await.expect("dispatch"), 3);
        assert_eq!(s.worker.deliver_once(10).await.expect("deliver"), 1);

        let received = receiver.received.lock().expect("lock").clone();
        let [(headers, body)] = &received[..] else {
            panic!("one delivery, got {}", received.len());
        };
        let header = |name: &str| headers[name].to_str().expect("header").to_owned();
        let timestamp: i64 = header("webhook-timestamp").parse().expect("timestamp");
        assert!(secret.verifies(
            &header("webhook-id"),
            timestamp,
            body,
            &header("webhook-signature")
        ));
        let body: Value = serde_json::from_str(body).expect("json");
        assert_eq!(body["type"], "customer.updated");
        assert_eq!(body["data"]["id"], header("webhook-id"));
        assert_eq!(body["data"]["customer_id"], 7);
        assert_eq!(body["data"]["changes"][0]["new_value"], "Anne");
        assert_eq!(body["data"]["actor"]["type"], "SYSTEM");

        let page = s
            .registry
            .deliveries(created.webhook.id, None, None, 10, None)
            .await
            .expect("deliveries");
        let [delivery] = &page.deliveries[..] else {
            panic!("one delivery listed");
        };
        assert_eq!(
            (
                delivery.status,
                delivery.attempts,
                delivery.last_response_status
            ),
            (DeliveryStatus::Succeeded, 1, Some(200))
        );
        assert_eq!(s.worker.dispatch_once().await.expect("dispatch"), 0);
        assert_eq!(s.worker.deliver_once(10).await.expect("deliver"), 0);
    })
    .await;
}

#[tokio::test]
async fn a_failed_delivery_is_retried_after_backoff_and_holds_back_the_customers_later_events() {
    for_each_database(|db| async move {
        let s = setup(db).await;
        let (receiver, url) = Receiver::start(&[500]).await;
        let hook = s
            .registry
            .create(new_webhook(&url, &["customer.updated"], vec![]))
            .await
            .expect("create")
            .webhook;
        let now = s.clock.now();
        record(
            &s.db,
            now,
            vec![renamed(7, 1, "First"), renamed(7, 1, "Second")],
        )
        .await
        .expect("record");
        record(&s.db, now, vec![renamed(9, 1, "Other")])
            .await
            .expect("record");
        s.worker.dispatch_once().await.expect("dispatch");
        // Customer 7's first event fails; its second waits behind it; customer 9's goes.
        assert_eq!(s.worker.deliver_once(10).await.expect("deliver"), 2);
        assert_eq!(
            s.worker.deliver_once(10).await.expect("deliver"),
            0,
            "not due yet"
        );
        let waiting = s
            .registry
            .deliveries(hook.id, Some(DeliveryStatus::Pending), None, 10, None)
            .await
            .expect("deliveries");
        let retry = waiting
            .deliveries
            .iter()
            .find(|d| d.attempts == 1)
            .expect("retry");
        assert_eq!(retry.last_response_status, Some(500));
        assert!(retry.next_attempt_at.expect("due") > s.clock.now());

        s.hand.advance(Duration::seconds(13));
        assert_eq!(s.worker.deliver_once(10).await.expect("deliver"), 1);
        assert_eq!(s.worker.deliver_once(10).await.expect("deliver"), 1);
        let names: Vec<Value> = receiver
            .bodies()
            .iter()
            .map(|b| b["data"]["changes"][0]["new_value"].clone())
            .collect();
        assert_eq!(names, ["First", "Other", "First", "Second"]);
        let healthy = s.registry.get(hook.id).await.expect("hook");
        assert_eq!(
            healthy.failing_since, None,
            "a success clears the failure record"
        );

        // Three days of failures give a delivery up.
        receiver.answers.lock().expect("lock").extend([503; 40]);
        record(&s.db, s.clock.now(), vec![renamed(7, 1, "Third")])
            .await
            .expect("record");
        s.worker.dispatch_once().await.expect("dispatch");
        let mut given_up = false;
        for _ in 0..40 {
            s.hand.advance(Duration::hours(7));
            s.worker.deliver_once(10).await.expect("deliver");
            let page = s
                .registry
                .deliveries(hook.id, Some(DeliveryStatus::Failed), None, 10, None)
                .await
                .expect("deliveries");
            if let Some(failed) = page.deliveries.first() {
                assert!(
                    failed.completed_at.expect("done") - failed.created_at
                        <= GIVE_UP_AFTER + Duration::hours(7)
                );
                given_up = true;
                break;
            }
        }
        assert!(given_up, "given up within three days");
    })
    .await;
}

#[tokio::test]
async fn a_webhook_answering_410_is_disabled_and_its_owner_told() {
    for_each_database(|db| async move {
        let s = setup(db).await;
        let (_receiver, url) = Receiver::start(&[410]).await;
        let hook = s
            .registry
            .create(new_webhook(&url, &["customer.updated"], vec![]))
            .await
            .expect("create")
            .webhook;
        record(
            &s.db,
            s.clock.now(),
            vec![renamed(7, 1, "Anne"), renamed(7, 1, "Anna")],
        )
        .await
        .expect("record");
        s.worker.dispatch_once().await.expect("dispatch");
        assert_eq!(s.worker.deliver_once(10).await.expect("deliver"), 1);
        let disabled = s.registry.get(hook.id).await.expect("hook");
        assert_eq!(disabled.status, WebhookStatus::Disabled);
        assert_eq!(
            disabled.disabled_reason.as_deref(),
            Some("The endpoint answered 410 Gone.")
        );
        let outbox = clientele_mail::outbox_entries(&s.db, 10)
            .await
            .expect("outbox");
        assert_eq!(outbox[0].recipient, "ops@example.com");
        assert!(outbox[0].subject.contains(&format!("Webhook {}", hook.id)));
        assert_eq!(
            s.worker.deliver_once(10).await.expect("deliver"),
            0,
            "disabled"
        );

        // Enabling it sends what waited.
        s.registry
            .update(
                hook.id,
                WebhookPatch {
                    enabled: Some(true),
                    ..Default::default()
                },
            )
            .await
            .expect("enable");
        assert_eq!(s.worker.deliver_once(10).await.expect("deliver"), 1);
    })
    .await;
}

#[tokio::test]
async fn a_webhook_failing_for_five_days_is_disabled() {
    for_each_database(|db| async move {
        let s = setup(db).await;
        let (receiver, url) = Receiver::start(&[]).await;
        receiver.answers.lock().expect("lock").extend([500; 60]);
        let hook = s
            .registry
            .create(new_webhook(&url, &["customer.updated"], vec![]))
            .await
            .expect("create")
            .webhook;
        for day in 0..7 {
            record(&s.db, s.clock.now(), vec![renamed(day + 1, 1, "Anne")])
                .await
                .expect("record");
            s.worker.dispatch_once().await.expect("dispatch");
            s.worker.deliver_once(10).await.expect("deliver");
            if s.registry.get(hook.id).await.expect("hook").status == WebhookStatus::Disabled {
                assert!(day >= 5, "disabled after five days, not {day}");
                return;
            }
            s.hand.advance(Duration::days(1) + Duration::minutes(1));
        }
        panic!("not disabled after a week of failures");
    })
    .await;
}

#[tokio::test]
async fn two_workers_deliver_each_event_once_and_each_customers_in_order() {
    for_each_database(|db| async move {
        let s = setup(db).await;
        let (receiver, url) = Receiver::start(&[]).await;
        s.registry
            .create(new_webhook(&url, &["customer.updated"], vec![]))
            .await
            .expect("create");
        for round in 0..5 {
            let events = (1..=8)
                .map(|customer| renamed(customer, 1, &round.to_string()))
                .collect();
            record(&s.db, s.clock.now(), events).await.expect("record");
        }
        s.worker.dispatch_once().await.expect("dispatch");
        // Two nodes' workers claiming at the same moment.
        let (a, b) = (s.worker.clone(), s.worker.clone());
        loop {
            let (x, y) = tokio::join!(a.deliver_once(4), b.deliver_once(4));
            if x.expect("deliver") + y.expect("deliver") == 0 {
                break;
            }
        }
        let bodies = receiver.bodies();
        assert_eq!(bodies.len(), 40, "each event once");
        for customer in 1..=8 {
            let rounds: Vec<String> = bodies
                .iter()
                .filter(|b| b["data"]["customer_id"] == customer)
                .map(|b| {
                    b["data"]["changes"][0]["new_value"]
                        .as_str()
                        .unwrap_or("")
                        .to_owned()
                })
                .collect();
            assert_eq!(rounds, ["0", "1", "2", "3", "4"], "customer {customer}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_new_one_for_a_day_and_events_can_be_sent_again() {
    for_each_database(|db| async move {
        let s = setup(db).await;
        let (receiver, url) = Receiver::start(&[]).await;
        let created = s
            .registry
            .create(new_webhook(&url, &["customer.updated"], vec![]))
            .await
            .expect("create");
        let old = SigningSecret::from_text(&created.secret).expect("old");
        let rotated = s
            .registry
            .rotate_secret(created.webhook.id)
            .await
            .expect("rotate");
        let new = SigningSecret::from_text(&rotated.secret).expect("new");
        record(&s.db, s.clock.now(), vec![renamed(7, 1, "Anne")])
            .await
            .expect("record");
        s.worker.dispatch_once().await.expect("dispatch");
        s.worker.deliver_once(10).await.expect("deliver");
        let event_id = {
            let received = receiver.received.lock().expect("lock");
            let (headers, body) = &received[0];
            let id = headers["webhook-id"].to_str().expect("id").to_owned();
            let ts: i64 = headers["webhook-timestamp"]
                .to_str()
                .expect("ts")
                .parse()
                .expect("ts");
            let signature = headers["webhook-signature"].to_str().expect("sig");
            assert!(old.verifies(&id, ts, body, signature));
            assert!(new.verifies(&id, ts, body, signature));
            id
        };

        s.hand.advance(ROTATION_OVERLAP + Duration::minutes(1));
        let again = s
            .registry
            .redeliver(created.webhook.id, event_id.parse().expect("uuid"), None)
            .await
            .expect("redeliver");
        assert_eq!(again.status, DeliveryStatus::Pending);
        s.worker.deliver_once(10).await.expect("deliver");
        let received = receiver.received.lock().expect("lock");
        let (headers, body) = &received[1];
        let ts: i64 = headers["webhook-timestamp"]
            .to_str()
            .expect("ts")
            .parse()
            .expect("ts");
        let signature = headers["webhook-signature"].to_str().expect("sig");
        assert!(
            !old.verifies(&event_id, ts, body, signature),
            "the old secret has expired"
        );
        assert!(new.verifies(&event_id, ts, body, signature));
        assert_eq!(&received[0].1, body, "the same body");
    })
    .await;
}

#[tokio::test]
async fn narrowing_a_webhooks_websites_drops_what_waits_for_the_others_and_scopes_its_log() {
    for_each_database(|db| async move {
        let s = setup(db).await;
        let (receiver, url) = Receiver::start(&[500]).await;
        let hook = s
            .registry
            .create(new_webhook(&url, &["customer.updated"], vec![]))
            .await
            .expect("create")
            .webhook;
        record(
            &s.db,
            s.clock.now(),
            vec![renamed(7, 1, "One"), renamed(8, 2, "Two")],
        )
        .await
        .expect("record");
        s.worker.dispatch_once().await.expect("dispatch");
        s.worker.deliver_once(10).await.expect("deliver");
        let scoped = s
            .registry
            .deliveries(hook.id, None, Some(&[2]), 10, None)
            .await
            .expect("deliveries");
        assert_eq!(scoped.deliveries.len(), 1);
        assert_eq!(scoped.deliveries[0].website_id, Some(2));

        s.registry
            .update(
                hook.id,
                WebhookPatch {
                    website_ids: Some(vec![2]),
                    ..Default::default()
                },
            )
            .await
            .expect("narrow");
        let dropped = s
            .registry
            .deliveries(hook.id, Some(DeliveryStatus::Failed), None, 10, None)
            .await
            .expect("deliveries");
        assert_eq!(dropped.deliveries.len(), 1, "website 1's retry is dropped");
        assert_eq!(dropped.deliveries[0].customer_id, Some(7));
        s.hand.advance(Duration::minutes(1));
        assert_eq!(s.worker.deliver_once(10).await.expect("deliver"), 0);
        assert_eq!(receiver.bodies().len(), 2, "nothing more was sent");
    })
    .await;
}

#[tokio::test]
async fn secrets_sealed_by_a_retired_key_encryption_key_are_sealed_again() {
    for_each_database(|db| async move {
        let s = setup(db.clone()).await;
        let old = clientele_sessions::Kek::generate().expect("kek");
        let new = clientele_sessions::Kek::generate().expect("kek");
        let policy = Arc::new(TargetPolicy::default());
        let before = WebhookRegistry::new(
            db.clone(),
            s.clock.clone(),
            KeyWrapping::new(old.clone(), Vec::new()),
            policy.clone(),
        );
        let (receiver, url) = Receiver::start(&[]).await;
        let created = before
            .create(new_webhook(&url, &["customer.updated"], vec![]))
            .await
            .expect("create");
        let rotating = WebhookRegistry::new(
            db.clone(),
            s.clock.clone(),
            KeyWrapping::new(new.clone(), vec![old]),
            policy.clone(),
        );
        assert_eq!(rotating.reseal_secrets().await.expect("reseal"), 1);
        assert_eq!(rotating.reseal_secrets().await.expect("reseal"), 0);

        // Only the new key is configured now, and deliveries still verify.
        let worker = WebhookWorker::new(
            db,
            s.clock.clone(),
            KeyWrapping::new(new, Vec::new()),
            policy,
            WebhookWorkerSettings::default(),
        )
        .expect("worker");
        record(&s.db, s.clock.now(), vec![renamed(7, 1, "Anne")])
            .await
            .expect("record");
        worker.dispatch_once().await.expect("dispatch");
        assert_eq!(worker.deliver_once(10).await.expect("deliver"), 1);
        let secret = SigningSecret::from_text(&created.secret).expect("secret");
        let received = receiver.received.lock().expect("lock").clone();
        let (headers, body) = &received[0];
        let header = |name: &str| headers[name].to_str().expect("header").to_owned();
        let ts: i64 = header("webhook-timestamp").parse().expect("ts");
        assert!(secret.verifies(
            &header("webhook-id"),
            ts,
            body,
            &header("webhook-signature")
        ));
    })
    .await;
}
