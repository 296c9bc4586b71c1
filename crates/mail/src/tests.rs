//! The outbox and its workers on a real database (SQLite, and PostgreSQL when configured).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::Duration;
use clientele_kernel::Clock;
use clientele_kernel::clock::SettableClock;
use clientele_kernel::testing::for_each_database;
use migration::{Migrator, MigratorTrait};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::json;

use crate::entity::outbox;
use crate::{
    MailWorker, OutboxStatus, OutgoingEmail, TemplateCode, Transport, TransportError,
    WorkerSettings, enqueue, outbox_entries,
};

/// Counts sends; fails the first `failures` of them.
struct Counting {
    sent: AtomicUsize,
    failures: usize,
    calls: AtomicUsize,
}

#[async_trait]
impl Transport for Counting {
    async fn send(&self, _email: &OutgoingEmail) -> Result<(), TransportError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        // A slow server widens the window in which two workers could pick the same message.
        tokio::time::sleep(StdDuration::from_millis(2)).await;
        if call < self.failures {
            return Err(TransportError("421 try later".into()));
        }
        self.sent.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn settings(first_retry: Duration, max_attempts: i32) -> WorkerSettings {
    WorkerSettings {
        from: "Shop <shop@example.com>".into(),
        poll: StdDuration::from_millis(5),
        max_attempts,
        first_retry,
        lease: Duration::minutes(2),
    }
}

async fn queue(db: &DatabaseConnection, n: usize) {
    for i in 0..n {
        enqueue(
            db,
            TemplateCode::Welcome,
            1,
            &format!("c{i}@example.com"),
            &json!({"customer": {"firstname": "C"}, "store": {"name": "S"}}),
            chrono::Utc::now(),
        )
        .await
        .expect("enqueue");
    }
}

#[tokio::test]
async fn two_workers_send_each_message_once() {
    for_each_database(|db| async move {
        Migrator::up(&db, None).await.expect("migrate");
        queue(&db, 60).await;
        let transport = Arc::new(Counting {
            sent: AtomicUsize::new(0),
            failures: 0,
            calls: AtomicUsize::new(0),
        });
        let a = MailWorker::new(
            db.clone(),
            transport.clone(),
            settings(Duration::seconds(1), 3),
            Clock::system(),
        );
        let b = MailWorker::new(
            db.clone(),
            transport.clone(),
            settings(Duration::seconds(1), 3),
            Clock::system(),
        );
        let (sent_a, sent_b) = tokio::join!(
            async {
                let mut n = 0;
                while let Ok(k) = a.run_once().await {
                    if k == 0 {
                        break;
                    }
                    n += k;
                }
                n
            },
            async {
                let mut n = 0;
                while let Ok(k) = b.run_once().await {
                    if k == 0 {
                        break;
                    }
                    n += k;
                }
                n
            }
        );
        assert_eq!(sent_a + sent_b, 60);
        assert_eq!(
            transport.calls.load(Ordering::SeqCst),
            60,
            "no message sent twice"
        );
        let entries = outbox_entries(&db, 100).await.expect("entries");
        assert!(entries.iter().all(|e| e.status == OutboxStatus::Sent));
        let bodies = outbox::Entity::find().all(&db).await.expect("rows");
        assert!(
            bodies.iter().all(|r| r.body.is_none()),
            "sent bodies are dropped"
        );
    })
    .await;
}

#[tokio::test]
async fn a_worker_whose_lease_ran_out_marks_nothing() {
    use crate::outbox::{claim, mark_failed, mark_sent};
    for_each_database(|db| async move {
        Migrator::up(&db, None).await.expect("migrate");
        queue(&db, 1).await;
        // A lease already over when taken: the slow worker of a node that stalled.
        let now = chrono::Utc::now();
        let stalled = claim(&db, 1, Duration::seconds(-1), now)
            .await
            .expect("claim");
        let taken_over = claim(&db, 1, Duration::minutes(2), now)
            .await
            .expect("claim");
        assert_eq!((stalled.len(), taken_over.len()), (1, 1));

        assert!(
            !mark_failed(
                &db,
                &stalled[0],
                "timeout",
                Duration::seconds(30),
                true,
                now
            )
            .await
            .expect("mark")
        );
        assert!(!mark_sent(&db, &stalled[0], now).await.expect("mark"));
        let row = outbox::Entity::find_by_id(stalled[0].id)
            .one(&db)
            .await
            .expect("read")
            .expect("row");
        assert!(row.sent_at.is_none() && row.failed_at.is_none() && row.body.is_some());

        assert!(mark_sent(&db, &taken_over[0], now).await.expect("mark"));
        let entries = outbox_entries(&db, 10).await.expect("entries");
        assert_eq!(entries[0].status, OutboxStatus::Sent);
    })
    .await;
}

#[tokio::test]
async fn failures_are_retried_with_backoff_then_given_up() {
    for_each_database(|db| async move {
        Migrator::up(&db, None).await.expect("migrate");
        queue(&db, 1).await;
        let transport = Arc::new(Counting {
            sent: AtomicUsize::new(0),
            failures: usize::MAX,
            calls: AtomicUsize::new(0),
        });
        let worker = MailWorker::new(
            db.clone(),
            transport.clone(),
            settings(Duration::zero(), 3),
            Clock::system(),
        );
        for _ in 0..5 {
            worker.run_once().await.expect("run");
        }
        assert_eq!(
            transport.calls.load(Ordering::SeqCst),
            3,
            "three attempts, then given up"
        );
        let entry = outbox_entries(&db, 1).await.expect("entries").remove(0);
        assert_eq!(entry.status, OutboxStatus::Failed);
        assert_eq!(entry.last_error.as_deref(), Some("421 try later"));

        // With a real backoff, a failed message waits before its next attempt.
        queue(&db, 1).await;
        let transport = Arc::new(Counting {
            sent: AtomicUsize::new(0),
            failures: 1,
            calls: AtomicUsize::new(0),
        });
        let (hand, clock) = SettableClock::new();
        let worker = MailWorker::new(
            db.clone(),
            transport.clone(),
            settings(Duration::hours(1), 3),
            clock,
        );
        worker.run_once().await.expect("first attempt");
        worker.run_once().await.expect("nothing due");
        assert_eq!(transport.calls.load(Ordering::SeqCst), 1);
        assert_eq!(transport.sent.load(Ordering::SeqCst), 0);
        // An hour on, it is due again and goes out.
        hand.advance(Duration::minutes(61));
        worker.run_once().await.expect("second attempt");
        assert_eq!(transport.sent.load(Ordering::SeqCst), 1);
    })
    .await;
}

#[tokio::test]
async fn an_email_of_a_change_that_rolled_back_is_never_sent() {
    use sea_orm::TransactionTrait;
    for_each_database(|db| async move {
        Migrator::up(&db, None).await.expect("migrate");
        let vars = json!({"customer": {"firstname": "Ann", "lastname": "Lee", "email": "ann@example.com"}, "store": {"name": "Main"}});
        // The change writes its email in its own transaction, then fails and rolls back.
        let txn = db.begin().await.expect("begin");
        let now = chrono::Utc::now();
        enqueue(&txn, TemplateCode::Welcome, 1, "ann@example.com", &vars, now)
            .await
            .expect("written in the change");
        txn.rollback().await.expect("rollback");
        // Committed, the same email is there to send.
        let txn = db.begin().await.expect("begin");
        enqueue(&txn, TemplateCode::Welcome, 1, "bob@example.com", &vars, now)
            .await
            .expect("written in the change");
        txn.commit().await.expect("commit");
        let transport = Arc::new(Counting {
            sent: AtomicUsize::new(0),
            failures: 0,
            calls: AtomicUsize::new(0),
        });
        let worker = MailWorker::new(db.clone(), transport.clone(), settings(Duration::zero(), 3), Clock::system());
        worker.run_once().await.expect("send");
        let entries = outbox_entries(&db, 10).await.expect("outbox");
        let recipients: Vec<&str> = entries.iter().map(|e| e.recipient.as_str()).collect();
        assert_eq!(recipients, ["bob@example.com"]);
        assert_eq!(transport.sent.load(Ordering::SeqCst), 1);
    })
    .await;
}
