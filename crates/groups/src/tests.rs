//! Group rules against the real migrations on in-memory SQLite.

use std::sync::Arc;

use clientele_configuration::{ConfigService, Scope};
use clientele_kernel::testing::for_each_database;
use clientele_kernel::{Clock, Error, PageRequest};
use clientele_stores::StoreService;
use migration::{Migrator, MigratorTrait};

use crate::*;

async fn services(db: sea_orm::DatabaseConnection) -> (GroupService, ConfigService) {
    Migrator::up(&db, None).await.expect("migrate");
    let config = ConfigService::new(
        db.clone(),
        StoreService::new(db.clone()),
        Arc::new(GroupReferenceChecker::new(db.clone())),
        vec![],
        Clock::system(),
    );
    (
        GroupService::new(db, config.clone(), vec![], Clock::system()),
        config,
    )
}

fn page() -> PageRequest {
    PageRequest::new(20, 1).expect("page")
}

#[tokio::test]
async fn the_seeded_groups_are_listed_with_their_tax_class() {
    for_each_database(|db| async move {
        let (groups, _) = services(db).await;
        let list = groups
            .list(&GroupFilter::default(), GroupSort::default(), page())
            .await
            .expect("list");
        let names: Vec<_> = list.items.iter().map(|g| (g.id, g.name.as_str())).collect();
        assert_eq!(
            names,
            [
                (0, "NOT LOGGED IN"),
                (1, "General"),
                (2, "Wholesale"),
                (3, "Retailer")
            ]
        );
        assert!(
            list.items
                .iter()
                .all(|g| g.tax_class.name == "Retail Customer")
        );
        assert_eq!(list.total_count, 4);
    })
    .await;
}

#[tokio::test]
async fn names_are_unique_case_insensitively_and_shorter_than_32() {
    for_each_database(|db| async move {
        let (groups, _) = services(db).await;
        let dup = groups
            .create(NewGroup {
                name: "general".into(),
                tax_class_id: 3,
                excluded_website_ids: vec![],
            })
            .await;
        assert!(matches!(dup, Err(Error::Conflict(m)) if m == "Customer Group already exists."));
        let long = groups
            .create(NewGroup {
                name: "x".repeat(32),
                tax_class_id: 3,
                excluded_website_ids: vec![],
            })
            .await;
        assert!(
            matches!(long, Err(Error::Invalid { message, .. }) if message == "Maximum length must be less then 32 characters.")
        );
        let ok = groups
            .create(NewGroup {
                name: "x".repeat(31),
                tax_class_id: 3,
                excluded_website_ids: vec![1],
            })
            .await
            .expect("31 chars");
        assert_eq!(ok.excluded_website_ids, vec![1]);
        let no_class = groups
            .create(NewGroup {
                name: "VIP".into(),
                tax_class_id: 99,
                excluded_website_ids: vec![],
            })
            .await;
        assert!(matches!(no_class, Err(Error::Invalid { field, .. }) if field == "tax_class_id"));
        let no_site = groups
            .create(NewGroup {
                name: "VIP".into(),
                tax_class_id: 3,
                excluded_website_ids: vec![42],
            })
            .await;
        assert!(
            matches!(no_site, Err(Error::Invalid { field, .. }) if field == "excluded_website_ids")
        );
        let listed = groups
            .list(
                &GroupFilter {
                    name_eq: Some("vip".into()),
                    ..Default::default()
                },
                GroupSort::default(),
                page(),
            )
            .await
            .expect("list");
        assert_eq!(
            listed.total_count, 0,
            "a failed create leaves nothing behind"
        );
    })
    .await;
}

#[tokio::test]
async fn protected_groups_cannot_be_deleted() {
    for_each_database(|db| async move {
        let (groups, config) = services(db).await;
        assert!(matches!(groups.delete(0).await, Err(Error::Conflict(_))));
        assert!(
            matches!(groups.delete(1).await, Err(Error::Conflict(_))),
            "General is the default group"
        );
        config
            .set(
                Scope::Website(1),
                vec![("customer/create_account/default_group".into(), "2".into())],
            )
            .await
            .expect("set");
        assert!(
            matches!(groups.delete(2).await, Err(Error::Conflict(_))),
            "a website's default group"
        );
        groups.delete(3).await.expect("Retailer can go");
        assert!(matches!(groups.get(3).await, Err(Error::NotFound { .. })));
    })
    .await;
}

#[tokio::test]
async fn filters_escape_like_wildcards_and_sort_by_tax_class() {
    for_each_database(|db| async move {
        let (groups, _) = services(db).await;
        let class = groups.create_tax_class("Alpha").await.expect("class");
        groups
            .create(NewGroup {
                name: "100% VIP".into(),
                tax_class_id: class.id,
                excluded_website_ids: vec![],
            })
            .await
            .expect("group");
        let percent = groups
            .list(
                &GroupFilter {
                    name_match: Some("%".into()),
                    ..Default::default()
                },
                GroupSort::default(),
                page(),
            )
            .await
            .expect("list");
        assert_eq!(percent.total_count, 1);
        let sorted = groups
            .list(
                &GroupFilter::default(),
                GroupSort {
                    field: GroupSortField::TaxClass,
                    descending: false,
                },
                page(),
            )
            .await
            .expect("list");
        assert_eq!(sorted.items[0].name, "100% VIP");
        let range = groups
            .list(
                &GroupFilter {
                    id_from: Some(1),
                    id_to: Some(2),
                    ..Default::default()
                },
                GroupSort::default(),
                page(),
            )
            .await
            .expect("list");
        assert_eq!(range.total_count, 2);
        let r = groups.delete_tax_class(class.id).await;
        assert!(matches!(r, Err(Error::Conflict(_))), "{r:?}");
    })
    .await;
}

#[tokio::test]
async fn every_group_id_is_listed() {
    for_each_database(|db| async move {
        let (groups, _) = services(db.clone()).await;
        let mut ids = GroupReferenceChecker::new(db.clone())
            .ids()
            .await
            .expect("ids");
        ids.sort_unstable();
        assert_eq!(ids, [0, 1, 2, 3], "the four groups a store starts with");
        groups.delete(3).await.expect("Retailer can go");
        let ids = GroupReferenceChecker::new(db).ids().await.expect("ids");
        assert!(!ids.contains(&3));
    })
    .await;
}

#[tokio::test]
async fn kept_groups_follow_every_change_to_a_group_or_its_tax_class() {
    for_each_database(|db| async move {
        let (plain, _) = services(db.clone()).await;
        // Kept for longer than any test runs: only the change notices can refresh them.
        let bus = clientele_kernel::cache::CacheBus::new(db);
        let groups = plain.with_cache(&bus, std::time::Duration::from_secs(3600));
        let name_of = |groups: Vec<CustomerGroup>| {
            groups
                .into_iter()
                .map(|g| (g.id, g.name, g.tax_class.name, g.excluded_website_ids))
                .collect::<Vec<_>>()
        };
        let before = groups.get_many(&[2, 1, 2, 99]).await.expect("groups");
        assert_eq!(
            name_of(before),
            [
                (1, "General".into(), "Retail Customer".into(), vec![]),
                (2, "Wholesale".into(), "Retail Customer".into(), vec![]),
            ],
            "in id order, once each, unknown ids left out"
        );

        groups
            .update(
                2,
                GroupPatch {
                    name: Some("Trade".into()),
                    excluded_website_ids: Some(vec![1]),
                    ..Default::default()
                },
            )
            .await
            .expect("update");
        groups.rename_tax_class(3, "Retail").await.expect("rename");
        let created = groups
            .create(NewGroup {
                name: "VIP".into(),
                tax_class_id: 3,
                excluded_website_ids: vec![],
            })
            .await
            .expect("create");
        let after = groups.get_many(&[2, created.id]).await.expect("groups");
        assert_eq!(
            name_of(after),
            [
                (2, "Trade".into(), "Retail".into(), vec![1]),
                (created.id, "VIP".into(), "Retail".into(), vec![]),
            ]
        );
        groups.delete(created.id).await.expect("delete");
        assert!(
            groups
                .get_many(&[created.id])
                .await
                .expect("groups")
                .is_empty()
        );
    })
    .await;
}

/// The events about no customer, oldest first: (type, data, changed fields).
async fn group_events(db: &sea_orm::DatabaseConnection) -> Vec<(String, String, String)> {
    use sea_orm::{ConnectionTrait, Statement};
    // Read straight from the event record: the timeline API lists events of customers only.
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT event_type, data, changes FROM customer_events WHERE customer_id = 0 ORDER BY id",
        ))
        .await
        .expect("events");
    rows.iter()
        .map(|row| {
            let json = |column: &str| -> String {
                row.try_get::<serde_json::Value>("", column)
                    .expect(column)
                    .to_string()
            };
            (
                row.try_get::<String>("", "event_type").expect("type"),
                json("data"),
                json("changes"),
            )
        })
        .collect()
}

#[tokio::test]
async fn group_changes_are_recorded_as_events_and_a_refused_change_is_not() {
    for_each_database(|db| async move {
        let (groups, _) = services(db.clone()).await;
        let vip = groups
            .create(NewGroup {
                name: "VIP".into(),
                tax_class_id: 3,
                excluded_website_ids: vec![],
            })
            .await
            .expect("create");
        groups
            .update(
                vip.id,
                GroupPatch {
                    name: Some("Very Important".into()),
                    ..Default::default()
                },
            )
            .await
            .expect("rename");
        groups
            .update(vip.id, GroupPatch::default())
            .await
            .expect("no change");
        let taken = groups
            .update(
                vip.id,
                GroupPatch {
                    name: Some("Wholesale".into()),
                    ..Default::default()
                },
            )
            .await;
        assert!(taken.is_err(), "a taken name is refused");
        groups.delete(vip.id).await.expect("delete");
        let events = group_events(&db).await;
        let kinds: Vec<&str> = events.iter().map(|(kind, ..)| kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "customer_group.created",
                "customer_group.updated",
                "customer_group.deleted"
            ]
        );
        let data = format!(r#"{{"group_id":{}}}"#, vip.id);
        assert!(events.iter().all(|(_, d, _)| *d == data), "{events:?}");
        assert!(events[0].2.contains(r#""field":"name""#), "{events:?}");
        assert_eq!(
            events[1].2,
            r#"[{"field":"name","new":"Very Important","old":"VIP"}]"#
        );
    })
    .await;
}
