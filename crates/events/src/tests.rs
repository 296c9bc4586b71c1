use chrono::{DateTime, Utc};
use clientele_kernel::acting::{self, Acting, Actor};
use clientele_kernel::testing::for_each_database;
use migration::{Migrator, MigratorTrait};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::*;

async fn migrated(db: DatabaseConnection) -> DatabaseConnection {
    Migrator::up(&db, None).await.expect("migrate");
    db
}

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_800_000_000 + minute * 60, 0).expect("time")
}

fn renamed(customer_id: i32) -> NewEvent {
    NewEvent::about_customer(EventType::CustomerUpdated, customer_id, 1).with_changes(vec![
        Change {
            field: "firstname".into(),
            old: "Ann".into(),
            new: "Anne".into(),
        },
    ])
}

#[tokio::test]
async fn events_are_kept_with_their_transaction_and_read_back_newest_first() {
    for_each_database(|db| async move {
        let db = migrated(db).await;
        let log = EventLog::new(db.clone());
        let rolled_back = db.begin().await.expect("begin");
        record(&rolled_back, at(0), vec![renamed(7)])
            .await
            .expect("record");
        rolled_back.rollback().await.expect("rollback");
        let empty = log.timeline(7, &[], 10, None).await.expect("timeline");
        assert!(
            empty.events.is_empty(),
            "a rolled-back change leaves no event"
        );

        let staff = Acting {
            actor: Actor::Staff { staff_user_id: 4 },
            request_id: Some("req-1".into()),
        };
        acting::within(staff.clone(), async {
            let txn = db.begin().await.expect("begin");
            record(
                &txn,
                at(1),
                vec![
                    NewEvent::about_customer(EventType::CustomerCreated, 7, 1),
                    renamed(7),
                    NewEvent::about_customer(EventType::CustomerCreated, 8, 1),
                ],
            )
            .await
            .expect("record");
            txn.commit().await.expect("commit");
        })
        .await;
        let row = Actor::Import {
            job_id: Some("j1".into()),
            file: "customers.csv".into(),
            row: 3,
        };
        record(
            &db,
            at(2),
            vec![NewEvent::about_customer(EventType::GroupChanged, 7, 1).by(row.clone())],
        )
        .await
        .expect("record");

        let page = log.timeline(7, &[], 10, None).await.expect("timeline");
        let types: Vec<&str> = page.events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(
            types,
            [
                "customer.group_changed",
                "customer.updated",
                "customer.created"
            ]
        );
        assert!(!page.has_older);
        let [imported, updated, created] = &page.events[..] else {
            panic!("three events");
        };
        assert_eq!(
            (imported.actor.clone(), imported.request_id.clone()),
            (row, None)
        );
        assert_eq!(updated.actor, staff.actor);
        assert_eq!(updated.request_id.as_deref(), Some("req-1"));
        assert_eq!(updated.changes, renamed(7).changes);
        assert_eq!(
            (updated.occurred_at, updated.customer_id, updated.website_id),
            (at(1), Some(7), Some(1))
        );
        assert!(created.changes.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_timeline_pages_by_cursor_and_filters_by_type() {
    for_each_database(|db| async move {
        let db = migrated(db).await;
        let log = EventLog::new(db.clone());
        let mut events = vec![NewEvent::about_customer(EventType::CustomerCreated, 3, 1)];
        events.extend((0..5).map(|_| renamed(3)));
        events.push(NewEvent::general(EventType::GroupCreated).with("group_id", 9));
        record(&db, at(0), events).await.expect("record");

        let first = log.timeline(3, &[], 4, None).await.expect("page 1");
        assert_eq!((first.events.len(), first.has_older), (4, true));
        let before = first.events.last().map(|e| e.id);
        let second = log.timeline(3, &[], 4, before).await.expect("page 2");
        assert_eq!((second.events.len(), second.has_older), (2, false));
        assert_eq!(second.events[1].event_type, "customer.created");
        assert!(
            first
                .events
                .iter()
                .chain(&second.events)
                .map(|e| e.id)
                .collect::<Vec<_>>()
                .windows(2)
                .all(|pair| pair[0] > pair[1]),
            "newest first, no event twice"
        );

        let created = log
            .timeline(3, &[EventType::CustomerCreated], 10, None)
            .await
            .expect("filtered");
        assert_eq!(created.events.len(), 1);
        let nobody = log.timeline(0, &[], 10, None).await.expect("customer 0");
        assert!(
            nobody.events.is_empty(),
            "events about no customer are no one's timeline"
        );
        assert!(log.timeline(3, &[], 0, None).await.is_err());
        assert!(
            log.timeline(3, &[], MAX_TIMELINE_PAGE + 1, None)
                .await
                .is_err()
        );
    })
    .await;
}

#[tokio::test]
async fn an_import_sized_batch_is_recorded_in_one_go() {
    for_each_database(|db| async move {
        let db = migrated(db).await;
        let events: Vec<NewEvent> = (1..=4_500).map(renamed).collect();
        record(&db, at(0), events).await.expect("record");
        let log = EventLog::new(db.clone());
        let last = log.timeline(4_500, &[], 10, None).await.expect("timeline");
        assert_eq!(last.events.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn committed_events_come_off_the_publication_queue_once_in_recording_order() {
    for_each_database(|db| async move {
        let db = migrated(db).await;
        let rolled_back = db.begin().await.expect("begin");
        record(&rolled_back, at(0), vec![renamed(1)])
            .await
            .expect("record");
        rolled_back.rollback().await.expect("rollback");
        record(
            &db,
            at(1),
            vec![
                NewEvent::about_customer(EventType::CustomerCreated, 5, 1),
                renamed(5),
                NewEvent::general(EventType::GroupCreated).with("group_id", 9),
            ],
        )
        .await
        .expect("record");

        // A taker whose transaction rolls back leaves the events queued.
        let abandoned = db.begin().await.expect("begin");
        let all = |_: &str| true;
        assert_eq!(
            take_unpublished(&abandoned, 10, all)
                .await
                .expect("take")
                .count,
            3
        );
        abandoned.rollback().await.expect("rollback");

        let txn = db.begin().await.expect("begin");
        let first = take_unpublished(&txn, 2, all).await.expect("take").events;
        let rest = take_unpublished(&txn, 10, all).await.expect("take").events;
        txn.commit().await.expect("commit");
        let types: Vec<&str> = first
            .iter()
            .chain(&rest)
            .map(|e| e.event_type.as_str())
            .collect();
        assert_eq!(
            types,
            [
                "customer.created",
                "customer.updated",
                "customer_group.created"
            ]
        );
        assert_eq!(rest[0].customer_id, None);
        // Events of no wanted type leave the queue unread.
        record(&db, at(2), vec![renamed(5), renamed(6)])
            .await
            .expect("record");
        let unread = take_unpublished(&db, 10, |t| t == "customer.created")
            .await
            .expect("take");
        assert_eq!((unread.count, unread.events.len()), (2, 0));
        assert_eq!(rest[0].data.get("group_id"), Some(&9.into()));
        let again = take_unpublished(&db, 10, all).await.expect("take");
        assert_eq!(again.count, 0, "each event is taken once");
    })
    .await;
}
