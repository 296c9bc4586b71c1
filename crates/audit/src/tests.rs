use std::sync::Arc;

use chrono::Duration;
use clientele_kernel::clock::SettableClock;
use clientele_kernel::testing::for_each_database;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Map, json};

use crate::*;

async fn log(db: DatabaseConnection) -> (AuditLog, Arc<SettableClock>) {
    Migrator::up(&db, None).await.expect("migrate");
    let (hand, clock) = SettableClock::new();
    (AuditLog::new(db, clock), hand)
}

fn action(caller: Caller, operation: &str, outcome: Outcome) -> NewAdminAction {
    let mut targets = Map::new();
    targets.insert("id".into(), json!(42));
    NewAdminAction {
        caller,
        operation: operation.into(),
        kind: ActionKind::Change,
        targets,
        outcome,
        error_code: (outcome != Outcome::Success).then(|| "FORBIDDEN".into()),
        request_id: Some("req-1".into()),
        ip: Some("192.0.2.7".into()),
    }
}

#[tokio::test]
async fn lines_read_back_newest_first_by_filter_and_cursor() {
    for_each_database(|db| async move {
        let (log, _) = log(db).await;
        log.record(vec![
            action(Caller::Staff(1), "updateCustomer", Outcome::Success),
            action(
                Caller::Integration(7),
                "massDeleteCustomers",
                Outcome::Success,
            ),
            action(Caller::Staff(2), "deleteCustomer", Outcome::Denied),
        ])
        .await
        .expect("record");
        let all = log
            .list(&ActionFilter::default(), 2, None)
            .await
            .expect("list");
        let operations: Vec<&str> = all
            .actions
            .iter()
            .map(|a| a.action.operation.as_str())
            .collect();
        assert_eq!(operations, ["deleteCustomer", "massDeleteCustomers"]);
        assert!(all.has_older);
        let rest = log
            .list(
                &ActionFilter::default(),
                2,
                all.actions.last().map(|a| a.id),
            )
            .await
            .expect("older");
        assert_eq!(rest.actions.len(), 1);
        assert_eq!(
            rest.actions[0].action,
            action(Caller::Staff(1), "updateCustomer", Outcome::Success)
        );
        assert!(!rest.has_older);

        let denied = ActionFilter {
            outcome: Some(Outcome::Denied),
            ..Default::default()
        };
        let found = log.list(&denied, 10, None).await.expect("denied");
        assert_eq!(found.actions.len(), 1);
        assert_eq!(found.actions[0].action.caller, Caller::Staff(2));
        let by_integration = ActionFilter {
            integration_id: Some(7),
            ..Default::default()
        };
        let found = log
            .list(&by_integration, 10, None)
            .await
            .expect("integration");
        assert_eq!(found.actions[0].action.operation, "massDeleteCustomers");
        assert!(log.list(&ActionFilter::default(), 0, None).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn the_database_refuses_to_rewrite_a_line_and_the_purge_keeps_the_shortest_retention() {
    for_each_database(|db| async move {
        let (log, hand) = log(db.clone()).await;
        log.record(vec![action(
            Caller::Staff(1),
            "updateCustomer",
            Outcome::Success,
        )])
        .await
        .expect("record");
        let backend = db.get_database_backend();
        let rewrite = db
            .execute_raw(Statement::from_string(
                backend,
                "UPDATE admin_actions SET operation = 'nothing'",
            ))
            .await;
        assert!(rewrite.is_err(), "lines cannot be changed");

        // Asked to keep a day, the purge still keeps the shortest retention.
        hand.advance(Duration::days(10));
        assert_eq!(log.purge(1).await.expect("purge"), 0);
        assert_eq!(
            log.list(&ActionFilter::default(), 10, None)
                .await
                .expect("list")
                .actions
                .len(),
            1
        );
        hand.advance(Duration::days(30));
        let purged = log.purge(30).await;
        if backend == sea_orm::DbBackend::Postgres {
            // The line is 40 days old by the moved clock, but not by the database's: PostgreSQL
            // refuses to delete it, whatever the application asks.
            assert!(purged.is_err(), "{purged:?}");
        } else {
            assert_eq!(purged.expect("purge"), 1);
        }
    })
    .await;
}
