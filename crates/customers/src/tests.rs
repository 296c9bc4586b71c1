//! Customer rules against the real migrations, on SQLite and (when configured) PostgreSQL.

use clientele_configuration::keys;
use std::sync::Arc;

use chrono::NaiveDate;
use clientele_configuration::{ConfigService, Scope};
use clientele_groups::{GroupReferenceChecker, GroupService};
use clientele_kernel::clock::SettableClock;
use clientele_kernel::testing::for_each_database;
use clientele_kernel::{Clock, Error, PageRequest};
use clientele_stores::{NewStoreGroup, NewStoreView, NewWebsite, StoreService};
use migration::{Migrator, MigratorTrait};

use crate::*;
use clientele_activity::{Active, NowOnline, OnlineKind, OnlineQuery, OnlineSort, OnlineSortField};

struct World {
    /// Moves the clock every service tells the time by.
    hand: Arc<SettableClock>,
    clock: Clock,
    customers: Customers,
    /// The signing keys shopper tokens and visitor ids are signed with.
    keys: Arc<clientele_sessions::KeyStore>,
    config: ConfigService,
    groups: GroupService,
    stores: StoreService,
    /// The event record, read back.
    events: clientele_events::EventLog,
}

async fn world(db: sea_orm::DatabaseConnection) -> World {
    Migrator::up(&db, None).await.expect("migrate");
    let (hand, clock) = SettableClock::new();
    let stores = StoreService::new(db.clone());
    let config = ConfigService::new(
        db.clone(),
        stores.clone(),
        Arc::new(GroupReferenceChecker::new(db.clone())),
        vec![Arc::new(AccountSharingGuard)],
        clock.clone(),
    );
    let groups = GroupService::new(
        db.clone(),
        config.clone(),
        vec![Arc::new(GroupReassignment {
            clock: clock.clone(),
        })],
        clock.clone(),
    );
    let hasher = clientele_sessions::PasswordHasher::new(1, 8).expect("hasher");
    let keys = clientele_sessions::KeyStore::open(
        db.clone(),
        clientele_sessions::KeyWrapping::ephemeral().expect("kek"),
        clock.clone(),
    )
    .await
    .expect("keys");
    World {
        events: clientele_events::EventLog::new(db.clone()),
        hand,
        clock: clock.clone(),
        customers: Customers::new(
            db.clone(),
            config.clone(),
            stores.clone(),
            hasher,
            clientele_newsletter::NewsletterService::new(
                db,
                config.clone(),
                stores.clone(),
                clock.clone(),
            ),
            clientele_sessions::TokenIssuer::new(keys.clone(), "https://clientele.test"),
            clock,
        ),
        keys,
        config,
        groups,
        stores,
    }
}

fn ann(email: &str) -> NewCustomer {
    NewCustomer {
        email: email.into(),
        firstname: "Ann".into(),
        lastname: "Lee".into(),
        ..Default::default()
    }
}

fn page() -> PageRequest {
    PageRequest::new(50, 1).expect("page")
}

async fn second_website(stores: &StoreService) -> i32 {
    let site = stores
        .create_website(NewWebsite {
            code: "eu".into(),
            name: "EU".into(),
            sort_order: 1,
        })
        .await
        .expect("site");
    let group = stores
        .create_group(NewStoreGroup {
            website_id: site.id,
            code: "eu_store".into(),
            name: "EU".into(),
        })
        .await
        .expect("group");
    stores
        .create_view(NewStoreView {
            group_id: group.id,
            code: "eu_en".into(),
            name: "EU English".into(),
            sort_order: 0,
            is_active: true,
        })
        .await
        .expect("view");
    site.id
}

#[tokio::test]
async fn a_new_customer_gets_the_default_website_store_and_group() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let c = w.customers.accounts.create(ann(" Ann@Example.com ")).await.expect("create");
        assert_eq!((c.website_id, c.store_id, c.group_id), (1, Some(1), 1));
        assert_eq!(c.created_in, "Default Store View");
        assert_eq!(c.email, "Ann@Example.com");
        assert!(c.is_active && !c.allow_remote_shopping_assistance);
        let blank = w.customers.accounts.create(NewCustomer { firstname: "  ".into(), ..ann("b@example.com") }).await;
        assert!(matches!(blank, Err(Error::Invalid { field, .. }) if field == "firstname"));
        let future = NewCustomer { dob: NaiveDate::from_ymd_opt(2999, 1, 1), ..ann("c@example.com") };
        assert!(matches!(w.customers.accounts.create(future).await, Err(Error::Invalid { field, .. }) if field == "dob"));
        let bad_group = w.customers.accounts.create(NewCustomer { group_id: Some(77), ..ann("d@example.com") }).await;
        assert!(matches!(bad_group, Err(Error::Invalid { field, .. }) if field == "group_id"));
    })
    .await;
}

#[tokio::test]
async fn emails_are_unique_per_website_or_globally() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let eu = second_website(&w.stores).await;
        w.customers.accounts.create(ann("ann@example.com")).await.expect("first");
        let dup = w.customers.accounts.create(ann("ANN@example.com")).await;
        assert!(matches!(dup, Err(Error::Conflict(m)) if m == "A customer with the same email address already exists in an associated website."));
        w.customers.accounts.create(NewCustomer { website_id: Some(eu), ..ann("ann@example.com") }).await.expect("other website");
        let global = w.config.set(Scope::Default, vec![("customer/account_share/scope".into(), "0".into())]).await;
        assert!(matches!(global, Err(Error::Conflict(_))), "duplicates block global sharing");
        let kept = w.config.resolve(Scope::Default).await.expect("resolve");
        assert_eq!(kept.text(keys::customer::ACCOUNT_SHARE_SCOPE), "1", "the refused change wrote nothing");
        w.customers.accounts.delete(w.customers.accounts.create(NewCustomer { website_id: Some(eu), ..ann("solo@example.com") }).await.expect("solo").id).await.expect("delete");
        w.customers.back_office.mass_delete(&Selection::Matching(Box::new(GridQuery { website_ids: Some(vec![eu]), ..Default::default() })), false).await.expect("clear eu");
        w.config.set(Scope::Default, vec![("customer/account_share/scope".into(), "0".into())]).await.expect("global now");
        w.config.reset(Scope::Default, vec!["customer/account_share/scope".into()]).await.expect("reset to per website");
        let again = w.customers.accounts.create(ann("ann@example.com")).await;
        assert!(matches!(again, Err(Error::Conflict(_))), "the reset re-keyed existing accounts per website");
    })
    .await;
}

#[tokio::test]
async fn an_email_is_free_again_once_its_account_moves_off_it_or_is_deleted() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let accounts = &w.customers.accounts;
        let first = accounts
            .create(ann("old@example.com"))
            .await
            .expect("first");
        let email = |e: &str| CustomerPatch {
            email: Some(e.into()),
            ..Default::default()
        };
        accounts
            .update(first.id, email("New@example.com"))
            .await
            .expect("re-address");
        accounts
            .create(ann("old@example.com"))
            .await
            .expect("the old email is free");
        let taken = accounts.create(ann("new@EXAMPLE.com")).await;
        assert!(matches!(taken, Err(Error::Conflict(_))), "{taken:?}");
        // Moving onto a taken email is refused and changes nothing.
        let onto = accounts.update(first.id, email("old@example.com")).await;
        assert!(matches!(onto, Err(Error::Conflict(_))), "{onto:?}");
        assert_eq!(
            accounts.get(first.id).await.expect("get").email,
            "New@example.com"
        );
        assert_eq!(
            accounts
                .find_by_email(1, "new@example.com")
                .await
                .expect("find")
                .map(|c| c.id),
            Some(first.id)
        );
        accounts.delete(first.id).await.expect("delete");
        assert!(
            accounts
                .find_by_email(1, "new@example.com")
                .await
                .expect("find")
                .is_none()
        );
        accounts
            .create(ann("new@example.com"))
            .await
            .expect("free after the delete");
    })
    .await;
}

#[tokio::test]
async fn under_global_sharing_an_email_is_taken_everywhere_even_in_a_race() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let eu = second_website(&w.stores).await;
        w.config
            .set(
                Scope::Default,
                vec![("customer/account_share/scope".into(), "0".into())],
            )
            .await
            .expect("global");
        let attempts = (0..10).map(|i| {
            let customers = w.customers.clone();
            let website = if i % 2 == 0 { 1 } else { eu };
            let email = if i % 3 == 0 {
                "race@example.com"
            } else {
                "RACE@example.com"
            };
            async move {
                customers
                    .accounts
                    .create(NewCustomer {
                        website_id: Some(website),
                        ..ann(email)
                    })
                    .await
            }
        });
        let results = futures_join(attempts).await;
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{results:?}");
        assert!(
            results
                .iter()
                .filter(|r| r.is_err())
                .all(|r| matches!(r, Err(Error::Conflict(_))))
        );
    })
    .await;
}

async fn futures_join<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("join"));
    }
    out
}

#[tokio::test]
async fn updates_use_optimistic_locking() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let c = w
            .customers
            .accounts
            .create(ann("ann@example.com"))
            .await
            .expect("create");
        let first = w
            .customers
            .accounts
            .update(
                c.id,
                CustomerPatch {
                    expected_version: Some(c.version),
                    lastname: Some("Park".into()),
                    ..Default::default()
                },
            )
            .await
            .expect("first writer");
        assert_eq!(first.version, c.version + 1);
        let second = w
            .customers
            .accounts
            .update(
                c.id,
                CustomerPatch {
                    expected_version: Some(c.version),
                    lastname: Some("Kim".into()),
                    ..Default::default()
                },
            )
            .await;
        assert!(matches!(second, Err(Error::Conflict(_))));
        assert_eq!(
            w.customers.accounts.get(c.id).await.expect("get").lastname,
            "Park"
        );
    })
    .await;
}

/// The ids of the grid's first page for a keyword search.
async fn keyword_ids(w: &World, keyword: &str) -> Vec<i32> {
    w.customers
        .back_office
        .grid(
            &GridQuery {
                keyword: Some(keyword.into()),
                ..Default::default()
            },
            GridSort::default(),
            page(),
        )
        .await
        .expect("grid")
        .items
        .iter()
        .map(|c| c.id)
        .collect()
}

fn address(postcode: &str) -> AddressInput {
    AddressInput {
        street: Some(vec!["1 Main St".into()]),
        city: Some("Austin".into()),
        region_code: Some("TX".into()),
        postcode: Some(postcode.into()),
        country_code: Some("US".into()),
        telephone: Some("512-555-0100".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_default_billing_address_feeds_the_grid() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let c = w
            .customers
            .accounts
            .create(ann("ann@example.com"))
            .await
            .expect("create");
        let other = w
            .customers
            .accounts
            .create(NewCustomer {
                firstname: "Bob".into(),
                ..ann("bob@example.com")
            })
            .await
            .expect("bob");
        let a = w
            .customers
            .addresses
            .add_address(
                c.id,
                AddressInput {
                    default_billing: Some(true),
                    company: Some("Acme 100%".into()),
                    ..address("78701")
                },
            )
            .await
            .expect("address");
        assert_eq!(
            (a.firstname.as_str(), a.region.as_deref()),
            ("Ann", Some("Texas"))
        );
        assert!(a.default_billing && !a.default_shipping);
        assert_eq!(keyword_ids(&w, "78701 acme").await, vec![c.id]);
        let percent = w
            .customers
            .back_office
            .grid(
                &GridQuery {
                    company: Some("100%".into()),
                    ..Default::default()
                },
                GridSort::default(),
                page(),
            )
            .await
            .expect("grid");
        assert_eq!(percent.total_count, 1);
        w.customers
            .addresses
            .update_address(
                c.id,
                a.id,
                AddressInput {
                    postcode: Some("73301".into()),
                    ..Default::default()
                },
            )
            .await
            .expect("update");
        let moved = w
            .customers
            .back_office
            .grid(
                &GridQuery {
                    postcode: Some("73301".into()),
                    ..Default::default()
                },
                GridSort::default(),
                page(),
            )
            .await
            .expect("grid");
        assert_eq!(moved.total_count, 1, "fresh after an address change");
        let theirs = w
            .customers
            .addresses
            .update_address(other.id, a.id, AddressInput::default())
            .await;
        assert!(
            matches!(theirs, Err(Error::NotFound { .. })),
            "another customer's address is not found"
        );
        w.customers
            .addresses
            .delete_address(c.id, a.id)
            .await
            .expect("delete");
        let after = w.customers.accounts.get(c.id).await.expect("get");
        assert_eq!(
            (after.default_billing_id, after.billing_postcode),
            (None, None)
        );
        let sorted = w
            .customers
            .back_office
            .grid(
                &GridQuery::default(),
                GridSort {
                    field: GridSortField::Name,
                    descending: false,
                    ..Default::default()
                },
                page(),
            )
            .await
            .expect("grid");
        assert_eq!(sorted.items[0].firstname, "Ann", "Lee, Ann before Lee, Bob");
    })
    .await;
}

#[tokio::test]
async fn the_email_filter_matches_the_email_only_whatever_the_case() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let mixed = w
            .customers
            .accounts
            .create(ann("Sofia.Kim@Example.com"))
            .await
            .expect("sofia");
        // The filter text is in this customer's name and company, never in the email.
        let decoy = w
            .customers
            .accounts
            .create(NewCustomer {
                firstname: "Sofia.Kim".into(),
                ..ann("decoy@example.com")
            })
            .await
            .expect("decoy");
        w.customers
            .addresses
            .add_address(
                decoy.id,
                AddressInput {
                    default_billing: Some(true),
                    company: Some("kim@example".into()),
                    ..address("78701")
                },
            )
            .await
            .expect("address");
        for text in ["sofia.kim", "SOFIA.KIM@EXAMPLE", "kim@example.com"] {
            let found = w
                .customers
                .back_office
                .grid(
                    &GridQuery {
                        email: Some(text.into()),
                        ..Default::default()
                    },
                    GridSort::default(),
                    page(),
                )
                .await
                .expect("grid");
            let ids: Vec<i32> = found.items.iter().map(|c| c.id).collect();
            assert_eq!((ids, found.total_count), (vec![mixed.id], 1), "{text}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_thousand_addresses_page_without_trouble() {
    for_each_database(|db| async move {
        let w = world(db.clone()).await;
        let c = w
            .customers
            .accounts
            .create(ann("many@example.com"))
            .await
            .expect("create");
        for i in 0..60 {
            w.customers
                .addresses
                .add_address(c.id, address(&format!("{:05}", 10000 + i)))
                .await
                .expect("address");
        }
        let last = w
            .customers
            .addresses
            .addresses(c.id, PageRequest::new(25, 3).expect("page"))
            .await
            .expect("page");
        assert_eq!(
            (last.total_count, last.items.len(), last.total_pages()),
            (60, 10, 3)
        );
        let past = w
            .customers
            .addresses
            .addresses(c.id, PageRequest::new(25, 4).expect("page"))
            .await
            .expect("page");
        assert_eq!((past.total_count, past.items.len()), (60, 0));
        // On Citus one customer's book is read on that customer's shard alone.
        if clientele_kernel::db::is_citus(&db).await.expect("citus") {
            use sea_orm::ConnectionTrait;
            let mut statement = crate::addresses::pages_statement(
                db.get_database_backend(),
                &[c.id],
                PageRequest::new(25, 1).expect("page"),
            );
            statement.sql = format!("EXPLAIN {}", statement.sql);
            let plan: Vec<String> = db
                .query_all_raw(statement)
                .await
                .expect("explain")
                .iter()
                .map(|r| r.try_get::<String>("", "QUERY PLAN").expect("line"))
                .collect();
            assert!(
                plan.iter().any(|l| l.trim() == "Task Count: 1"),
                "{plan:#?}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn deleting_a_group_moves_its_customers_to_the_default_group() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let c = w
            .customers
            .accounts
            .create(NewCustomer {
                group_id: Some(3),
                ..ann("ann@example.com")
            })
            .await
            .expect("create");
        let counts = w
            .customers
            .accounts
            .count_by_group(&[1, 3])
            .await
            .expect("counts");
        assert_eq!(counts.get(&3), Some(&1));
        w.groups.delete(3).await.expect("delete Retailer");
        assert_eq!(
            w.customers.accounts.get(c.id).await.expect("get").group_id,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn mass_actions_report_rows_and_can_be_all_or_nothing() {
    for_each_database(|db| async move {
        let w = world(db.clone()).await;
        let a = w
            .customers
            .accounts
            .create(ann("a@example.com"))
            .await
            .expect("a")
            .id;
        let b = w
            .customers
            .accounts
            .create(ann("b@example.com"))
            .await
            .expect("b")
            .id;
        let strict = w
            .customers
            .back_office
            .mass_assign_group(
                &Selection::Ids {
                    ids: vec![a, b, 999],
                    websites: None,
                },
                2,
                true,
            )
            .await
            .expect("strict");
        assert_eq!((strict.requested, strict.changed), (3, 0));
        assert_eq!(
            strict
                .failures
                .iter()
                .map(|f| (f.id, f.reason))
                .collect::<Vec<_>>(),
            vec![(999, FailureReason::NotFound)]
        );
        assert_eq!(
            w.customers.accounts.get(a).await.expect("a").group_id,
            1,
            "nothing changed"
        );
        let lenient = w
            .customers
            .back_office
            .mass_assign_group(
                &Selection::Ids {
                    ids: vec![a, b, 999, a],
                    websites: None,
                },
                2,
                false,
            )
            .await
            .expect("lenient");
        assert_eq!(
            (lenient.requested, lenient.changed, lenient.failures.len()),
            (3, 2, 1)
        );
        assert_eq!(w.customers.accounts.get(b).await.expect("b").group_id, 2);
        let bad_group = w
            .customers
            .back_office
            .mass_assign_group(
                &Selection::Ids {
                    ids: vec![a],
                    websites: None,
                },
                77,
                false,
            )
            .await;
        assert!(matches!(bad_group, Err(Error::Invalid { .. })));
        let subscribed = w
            .customers
            .back_office
            .mass_subscribe(
                &Selection::Matching(Box::new(GridQuery {
                    email: Some("example.com".into()),
                    ..Default::default()
                })),
                false,
            )
            .await
            .expect("subscribe");
        assert_eq!(subscribed.changed, 2);
        let subs = w.customers.accounts.subscriptions(a).await.expect("subs");
        assert_eq!(
            (subs.len(), subs[0].status, subs[0].store_id),
            (1, SubscriptionStatus::Subscribed, 1)
        );
        w.customers
            .back_office
            .mass_unsubscribe(
                &Selection::Ids {
                    ids: vec![a],
                    websites: None,
                },
                true,
            )
            .await
            .expect("unsubscribe");
        assert_eq!(
            w.customers.accounts.subscriptions(a).await.expect("subs")[0].status,
            SubscriptionStatus::Unsubscribed
        );
        assert_eq!(
            w.customers.accounts.subscriptions(b).await.expect("subs")[0].status,
            SubscriptionStatus::Subscribed
        );
        let deleted = w
            .customers
            .back_office
            .mass_delete(
                &Selection::Matching(Box::new(GridQuery {
                    group_ids: Some(vec![2]),
                    ..Default::default()
                })),
                true,
            )
            .await
            .expect("delete");
        assert_eq!(deleted.changed, 2);
        assert!(
            w.customers
                .back_office
                .grid(&GridQuery::default(), GridSort::default(), page())
                .await
                .expect("grid")
                .items
                .is_empty()
        );
        // Subscriptions are spread by email, not tied to the account by a foreign key: the
        // deletion itself removes them.
        use sea_orm::ConnectionTrait;
        let all = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM newsletter_subscribers",
            ))
            .await
            .expect("count")
            .expect("row");
        assert_eq!(
            all.try_get::<i64>("", "n").expect("n"),
            0,
            "no subscription outlives its account"
        );
    })
    .await;
}

#[tokio::test]
async fn seeded_customers_have_default_addresses_and_export_in_batches() {
    use futures_util::StreamExt;
    for_each_database(|db| async move {
        let w = world(db).await;
        let calls = std::sync::atomic::AtomicU64::new(0);
        let added = w
            .customers
            .back_office
            .seed(1_200, 500, "t", |_| {
                calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
            .await
            .expect("seed");
        assert_eq!(
            (added, calls.load(std::sync::atomic::Ordering::SeqCst)),
            (1_200, 3)
        );
        let page = w
            .customers
            .back_office
            .grid(&GridQuery::default(), GridSort::default(), page())
            .await
            .expect("grid");
        assert_eq!(page.total_count, 1_200);
        let first = &page.items[0];
        assert!(first.default_billing_id.is_some() && first.billing_postcode.is_some());
        let book = w
            .customers
            .addresses
            .addresses(first.id, page_one())
            .await
            .expect("book");
        assert_eq!(book.items[0].firstname, first.firstname);
        let mut batches = Box::pin(w.customers.back_office.export_batches(
            GridQuery::default(),
            None,
            500,
        ));
        let mut sizes = Vec::new();
        while let Some(batch) = batches.next().await {
            sizes.push(batch.expect("batch").len());
        }
        assert_eq!(sizes, vec![500, 500, 200]);
    })
    .await;
}

fn page_one() -> PageRequest {
    PageRequest::new(1, 1).expect("page")
}

#[tokio::test]
async fn a_burst_of_reset_requests_gets_exactly_the_hourly_limit() {
    for_each_database(|db| async move {
        let w = world(db).await;
        w.customers
            .accounts
            .create(ann("ann@example.com"))
            .await
            .expect("create");
        w.config
            .set(
                Scope::Default,
                vec![
                    (
                        "customer/password/max_number_password_reset_requests".into(),
                        "3".into(),
                    ),
                    (
                        "customer/password/min_time_between_password_reset_requests".into(),
                        "0".into(),
                    ),
                    (
                        "customer/password/password_reset_protection_type".into(),
                        "3".into(),
                    ),
                ],
            )
            .await
            .expect("limits");
        let burst = (0..12).map(|i| {
            let customers = w.customers.clone();
            async move {
                customers
                    .shoppers
                    .request_password_reset(1, "ann@example.com", &format!("10.0.0.{i}"))
                    .await
            }
        });
        let outcomes = futures_util::future::join_all(burst).await;
        let granted = outcomes.iter().filter(|o| o.is_ok()).count();
        assert_eq!(
            granted, 3,
            "exactly the hourly limit of 12 concurrent requests is granted"
        );
        assert!(
            outcomes
                .iter()
                .all(|o| o.is_ok() || matches!(o, Err(Error::RateLimited(_))))
        );
    })
    .await;
}

async fn now_online(w: &World, db: &sea_orm::DatabaseConnection) -> NowOnline {
    NowOnline::new(
        db.clone(),
        w.config.clone(),
        Arc::new(w.customers.accounts.clone()),
        clientele_sessions::TokenIssuer::new(w.keys.clone(), "https://clientele.test"),
        w.clock.clone(),
    )
}

#[tokio::test]
async fn visitors_leave_now_online_and_storage_after_the_interval() {
    for_each_database(|db| async move {
        use sea_orm::ConnectionTrait;
        let w = world(db.clone()).await;
        let online = now_online(&w, &db).await;
        let fresh = online.issue_visitor().await.expect("visitor");
        let uuid = online.visitor(&fresh.visitor_id).await.expect("our id");
        assert!(online.visitor("forged.token.value").await.is_none());
        let idle = online.issue_visitor().await.expect("visitor");
        let idle_uuid = online.visitor(&idle.visitor_id).await.expect("our id");
        online
            .record(&Active::Visitor(uuid.clone()), Some("/cart"))
            .await
            .expect("activity");
        let ann = w
            .customers
            .accounts
            .create(ann("ann@example.com"))
            .await
            .expect("ann");
        online
            .record(&Active::Customer(ann.id), Some("/checkout"))
            .await
            .expect("activity");
        let all = |online: NowOnline| async move {
            online
                .online(&OnlineQuery::default(), OnlineSort::default(), page())
                .await
                .expect("grid")
        };
        assert_eq!(all(online.clone()).await.total_count, 3);

        // Sixteen minutes of silence: out of the default 15-minute interval.
        let backend = db.get_database_backend();
        let placeholder = if backend == sea_orm::DbBackend::Postgres {
            "$1"
        } else {
            "?"
        };
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            format!(
                "UPDATE visitors SET last_activity_at = {placeholder} WHERE id = '{idle_uuid}'"
            ),
            [(chrono::Utc::now() - chrono::Duration::minutes(16)).into()],
        ))
        .await
        .expect("backdate");
        let page = all(online.clone()).await;
        assert_eq!(page.total_count, 2, "the idle visitor is no longer online");
        assert_eq!(online.purge_idle_visitors().await.expect("purge"), 1);
        assert_eq!(online.purge_idle_visitors().await.expect("purge"), 0);

        // Signing in merges the visitor into the customer, keeping the visitor's last URL.
        online
            .visitor_became_customer(&uuid, ann.id)
            .await
            .expect("merge");
        let page = all(online.clone()).await;
        assert_eq!(page.total_count, 1);
        assert_eq!(page.items[0].kind, OnlineKind::Customer);
        assert_eq!(page.items[0].last_url.as_deref(), Some("/checkout"));

        let unknown = online.record(&Active::Customer(9999), None).await;
        assert!(matches!(unknown, Err(Error::Invalid { .. })), "{unknown:?}");
    })
    .await;
}

#[tokio::test]
async fn now_online_and_dates_of_birth_follow_the_clock() {
    for_each_database(|db| async move {
        let w = world(db.clone()).await;
        let online = now_online(&w, &db).await;
        let first = w
            .customers
            .accounts
            .create(ann("ann@example.com"))
            .await
            .expect("ann");
        online
            .record(&Active::Customer(first.id), Some("/"))
            .await
            .expect("activity");
        let online_now = || async {
            online
                .online(&OnlineQuery::default(), OnlineSort::default(), page())
                .await
                .expect("grid")
                .total_count
        };
        assert_eq!(online_now().await, 1);
        w.hand.advance(chrono::Duration::minutes(14));
        assert_eq!(online_now().await, 1, "within the 15-minute interval");
        w.hand.advance(chrono::Duration::minutes(2));
        assert_eq!(online_now().await, 0, "idle past the interval");

        let born = w.clock.today() + chrono::Duration::days(2);
        let early = w
            .customers
            .accounts
            .create(NewCustomer {
                dob: Some(born),
                ..ann("bob@example.com")
            })
            .await;
        assert!(matches!(early, Err(Error::Invalid { .. })), "{early:?}");
        w.hand.advance(chrono::Duration::days(2));
        w.customers
            .accounts
            .create(NewCustomer {
                dob: Some(born),
                ..ann("bob@example.com")
            })
            .await
            .expect("born today by the clock");
    })
    .await;
}

#[tokio::test]
async fn now_online_pages_cut_one_order_across_customers_and_visitors() {
    for_each_database(|db| async move {
        let w = world(db.clone()).await;
        let online = now_online(&w, &db).await;
        for i in 0..3 {
            let visitor = online.issue_visitor().await.expect("visitor");
            let uuid = online.visitor(&visitor.visitor_id).await.expect("uuid");
            online
                .record(&Active::Visitor(uuid), Some(&format!("/v{i}")))
                .await
                .expect("activity");
            let customer = w
                .customers
                .accounts
                .create(ann(&format!("c{i}@example.com")))
                .await
                .expect("customer");
            online
                .record(&Active::Customer(customer.id), Some(&format!("/c{i}")))
                .await
                .expect("activity");
        }
        for sort in [
            OnlineSort::default(),
            OnlineSort {
                field: OnlineSortField::Email,
                descending: false,
            },
            OnlineSort {
                field: OnlineSortField::LastUrl,
                descending: true,
            },
        ] {
            let everyone = online
                .online(
                    &OnlineQuery::default(),
                    sort,
                    PageRequest::new(50, 1).expect("page"),
                )
                .await
                .expect("all");
            assert_eq!(everyone.total_count, 6);
            let mut paged = Vec::new();
            for number in 1..=3 {
                let page = online
                    .online(
                        &OnlineQuery::default(),
                        sort,
                        PageRequest::new(2, number).expect("page"),
                    )
                    .await
                    .expect("page");
                assert_eq!(page.total_count, 6);
                paged.extend(page.items);
            }
            assert_eq!(
                paged, everyone.items,
                "pages of 2 make the whole list: {sort:?}"
            );
        }
        let by_url = online
            .online(
                &OnlineQuery::default(),
                OnlineSort {
                    field: OnlineSortField::LastUrl,
                    descending: true,
                },
                PageRequest::new(50, 1).expect("page"),
            )
            .await
            .expect("all");
        let urls: Vec<_> = by_url
            .items
            .iter()
            .filter_map(|e| e.last_url.as_deref())
            .collect();
        assert_eq!(urls, vec!["/v2", "/v1", "/v0", "/c2", "/c1", "/c0"]);

        // A filtered count holds on every page, and past the last one.
        let visitors_urls = OnlineQuery {
            last_url: Some("/V".into()),
            ..Default::default()
        };
        for (number, rows) in [(1, 2), (2, 1), (5, 0)] {
            let page = online
                .online(
                    &visitors_urls,
                    OnlineSort::default(),
                    PageRequest::new(2, number).expect("page"),
                )
                .await
                .expect("filtered");
            assert_eq!(
                (page.items.len(), page.total_count),
                (rows, 3),
                "page {number}"
            );
        }
    })
    .await;
}

/// Whether the customers table has an index of this name.
async fn has_index(db: &sea_orm::DatabaseConnection, name: &str) -> bool {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT 1 FROM pg_indexes WHERE tablename = 'customers' AND indexname = $1"
        }
        _ => {
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' AND name = ?"
        }
    };
    db.query_one_raw(Statement::from_sql_and_values(backend, sql, [name.into()]))
        .await
        .expect("catalog")
        .is_some()
}

/// The customers table's storage options (PostgreSQL; empty elsewhere).
async fn storage_options(db: &sea_orm::DatabaseConnection) -> String {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    if db.get_database_backend() != DbBackend::Postgres {
        return String::new();
    }
    let sql =
        "SELECT COALESCE(reloptions::text, '') AS o FROM pg_class WHERE relname = 'customers'";
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .expect("catalog")
        .expect("table");
    row.try_get("", "o").expect("options")
}

#[tokio::test]
async fn the_index_slimming_rolls_back_and_forward() {
    for_each_database(|db| async move {
        let w = world(db.clone()).await;
        w.customers
            .accounts
            .create(ann("ann@example.com"))
            .await
            .expect("create");
        let postgres = db.get_database_backend() == sea_orm::DbBackend::Postgres;
        assert!(!has_index(&db, "ix_customers_firstname").await);
        assert!(!has_index(&db, "ix_customers_email_trgm").await);
        let vacuumed_sooner = storage_options(&db)
            .await
            .contains("autovacuum_vacuum_insert_scale_factor=0.01");
        assert_eq!(vacuumed_sooner, postgres);
        if clientele_kernel::db::is_citus(&db).await.expect("citus") {
            // The distribution of the customer data (migration 31) is not undone on Citus.
            return;
        }
        // Rolls back the autovacuum settings and the slimming (and whatever came after them),
        // then all forward again.
        let since_slimming = Migrator::migrations()
            .iter()
            .filter(|m| m.name() >= "m20261126_000018_slim_customer_indexes")
            .count();
        Migrator::down(&db, Some(since_slimming as u32))
            .await
            .expect("down");
        assert!(has_index(&db, "ix_customers_firstname").await);
        assert_eq!(has_index(&db, "ix_customers_email_trgm").await, postgres);
        assert!(!storage_options(&db).await.contains("autovacuum"));
        Migrator::up(&db, None).await.expect("up again");
        assert!(!has_index(&db, "ix_customers_firstname").await);
        assert!(!has_index(&db, "ix_customers_email_trgm").await);
        // The accounts' claims on their emails were rebuilt from the accounts on the way up.
        let found = w
            .customers
            .accounts
            .find_by_email(1, "ANN@example.com")
            .await;
        assert!(found.expect("find").is_some());
        let taken = w.customers.accounts.create(ann("ann@example.com")).await;
        assert!(matches!(taken, Err(Error::Conflict(_))), "{taken:?}");
        let found = w
            .customers
            .back_office
            .grid(
                &GridQuery {
                    email: Some("ANN@".into()),
                    ..Default::default()
                },
                GridSort::default(),
                page(),
            )
            .await
            .expect("grid");
        assert_eq!(found.total_count, 1);
    })
    .await;
}

#[tokio::test]
async fn bulk_reads_decode_customers_as_the_entity_does() {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder};

    use crate::entity::customer;
    for_each_database(|db| async move {
        let w = world(db.clone()).await;
        let bare = w
            .customers
            .accounts
            .create(ann("bare@example.com"))
            .await
            .expect("bare");
        let full = w
            .customers
            .accounts
            .create(NewCustomer {
                prefix: Some("Dr".into()),
                middlename: Some("Q".into()),
                suffix: Some("Jr".into()),
                dob: NaiveDate::from_ymd_opt(1980, 2, 29),
                taxvat: Some("DE123".into()),
                gender: Some(Gender::Female),
                allow_remote_shopping_assistance: Some(true),
                group_id: Some(3),
                ..ann("Full@Example.com")
            })
            .await
            .expect("full");
        let billing = w
            .customers
            .addresses
            .add_address(
                full.id,
                AddressInput {
                    default_billing: Some(true),
                    company: Some("Acme".into()),
                    fax: Some("555-1".into()),
                    vat_id: Some("DE9".into()),
                    ..address("78701")
                },
            )
            .await
            .expect("billing");
        let shipping = w
            .customers
            .addresses
            .add_address(
                full.id,
                AddressInput {
                    default_shipping: Some(true),
                    ..address("73301")
                },
            )
            .await
            .expect("shipping");
        assert_ne!(billing.id, shipping.id);
        // Every optional column holds a value in one row and NULL in the other, and columns of
        // one type hold different values, so a decoder that mixed two of them up would show.
        let stored = customer::Entity::find_by_id(full.id)
            .one(&db)
            .await
            .expect("read")
            .expect("found");
        let at = chrono::Utc::now();
        let mut row = stored.into_active_model();
        row.password_hash = sea_orm::ActiveValue::Set(Some("hash".into()));
        row.confirmation = sea_orm::ActiveValue::Set(Some("code".into()));
        row.failures_num = sea_orm::ActiveValue::Set(3);
        row.first_failure = sea_orm::ActiveValue::Set(Some(at));
        row.lock_expires = sea_orm::ActiveValue::Set(Some(at + chrono::Duration::seconds(1)));
        row.tokens_valid_after = sea_orm::ActiveValue::Set(Some(at + chrono::Duration::seconds(2)));
        row.update(&db).await.expect("update");
        let select = || customer::Entity::find().order_by_asc(customer::Column::Id);
        let by_name = select().all(&db).await.expect("by name");
        let by_position = crate::decode::all_customers(&db, select())
            .await
            .expect("by position");
        assert_eq!(by_position, by_name);
        let ids: Vec<i32> = by_position.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![bare.id, full.id]);
        let full_row = &by_position[1];
        assert_eq!(
            (full_row.email.as_str(), full_row.email_key.as_str()),
            ("Full@Example.com", "full@example.com")
        );
        assert_eq!(
            (full_row.default_billing_id, full_row.default_shipping_id),
            (Some(billing.id), Some(shipping.id))
        );
        assert!(full_row.allow_remote_shopping_assistance && !full_row.disable_auto_group_change);
        assert_eq!((full_row.website_id, full_row.group_id), (1, 3));
        assert!(full_row.first_failure < full_row.lock_expires);
        assert!(full_row.lock_expires < full_row.tokens_valid_after);
        assert!(by_position[0].billing_postcode.is_none() && by_position[0].dob.is_none());
    })
    .await;
}

#[tokio::test]
async fn a_shoppers_own_change_keeps_its_session_and_ends_the_others() {
    for_each_database(|db| async move {
        let w = world(db.clone()).await;
        let shoppers = w.customers.shoppers.clone();
        let account = shoppers
            .register(Registration {
                store_id: 1,
                customer: ann("ann@example.com"),
                password: Some("Sunny-Day-42".into()),
                subscribe: false,
            })
            .await
            .expect("sign up");
        let sign_in = |password: &'static str| {
            let shoppers = shoppers.clone();
            async move {
                let signed = shoppers
                    .sign_in(1, "ann@example.com", password)
                    .await
                    .expect("sign in");
                shoppers
                    .authenticate(&signed.token)
                    .await
                    .expect("check")
                    .expect("live");
                signed.token
            }
        };
        let live = |token: String| {
            let shoppers = shoppers.clone();
            async move { shoppers.authenticate(&token).await.expect("check").ok() }
        };
        let (here, elsewhere) = (sign_in("Sunny-Day-42").await, sign_in("Sunny-Day-42").await);
        let session = live(here.clone()).await.expect("live").session;
        shoppers
            .change_password(account.id, &session, "Sunny-Day-42", "Other-Pass-77")
            .await
            .expect("change");
        assert!(
            live(here.clone()).await.is_some(),
            "the changing session stays"
        );
        assert!(live(elsewhere).await.is_none(), "the other session ends");

        let elsewhere = sign_in("Other-Pass-77").await;
        shoppers
            .change_email(account.id, &session, "ann2@example.com", "Other-Pass-77")
            .await
            .expect("new email");
        assert!(live(here.clone()).await.is_some());
        assert!(live(elsewhere).await.is_none());

        // Any other ending (here: signing out) ends the kept session too.
        shoppers.sign_out(account.id).await.expect("sign out");
        assert!(live(here.clone()).await.is_none());
        // A change the ended session started before the sign-out does not bring it back.
        shoppers
            .change_password(account.id, &session, "Other-Pass-77", "Third-Pass-99")
            .await
            .expect("change");
        assert!(live(here).await.is_none(), "an ended session stays ended");
    })
    .await;
}

#[tokio::test]
async fn addresses_stored_under_iso_codes_move_to_magentos() {
    for_each_database(|db| async move {
        use sea_orm::ConnectionTrait;
        let w = world(db.clone()).await;
        let create = |email: &'static str| {
            let customers = w.customers.clone();
            async move { customers.accounts.create(ann(email)).await.expect("create") }
        };
        let (ann, bo, cy) = (
            create("ann@example.com").await,
            create("bo@example.com").await,
            create("cy@example.com").await,
        );
        let at = |country: &str, region_code: Option<&str>, region: Option<&str>| AddressInput {
            country_code: Some(country.into()),
            region_code: region_code.map(Into::into),
            region: region.map(Into::into),
            default_billing: Some(true),
            ..address("1010")
        };
        let add = |customer: i32, input: AddressInput| {
            let customers = w.customers.clone();
            async move { customers.addresses.add_address(customer, input).await.expect("add").id }
        };
        let vienna = add(ann.id, at("AT", Some("WI"), None)).await;
        let texas = add(ann.id, address("78701")).await;
        let tenerife = add(ann.id, at("ES", Some("Santa Cruz de Tenerife"), None)).await;
        let barcelona = add(ann.id, at("ES", Some("Barcelona"), Some("Catalunya"))).await;
        let seville = add(ann.id, at("ES", Some("Sevilla"), None)).await;
        let geneva = add(bo.id, at("CH", Some("GE"), Some("Genève"))).await;
        // Typed as text, with no code: neither the address nor the grid's billing region moves.
        let typed = add(cy.id, at("CH", None, Some("Genève"))).await;
        // As an earlier version stored them: ISO 3166-2's codes and names, in a column 16 wide.
        for (id, code, region) in [
            (vienna, "9", "Wien"),
            (tenerife, "TF", "Santa Cruz de Tenerife"),
            (barcelona, "CT", "Catalunya"),
            (seville, "AN", ""),
            (geneva, "GE", "Genève"),
        ] {
            db.execute_unprepared(&format!(
                "UPDATE customer_addresses SET region_code = '{code}', region = '{region}' WHERE id = {id}"
            ))
            .await
            .expect("iso code");
        }
        db.execute_unprepared("UPDATE customers SET billing_region = 'Genève'")
            .await
            .expect("billing region");
        if db.get_database_backend() == sea_orm::DbBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE customer_addresses ALTER COLUMN region_code TYPE varchar(16)",
            )
            .await
            .expect("narrow");
        }
        if clientele_kernel::db::is_citus(&db).await.expect("citus") {
            // The distribution of the customer data (migration 31) is not undone on Citus.
            return;
        }
        // Back to before the region moves (migrations 21 and 22), however many came after.
        let migrations = Migrator::migrations();
        let first_move = migrations
            .iter()
            .position(|m| m.name() == "m20261204_000021_magento_region_codes")
            .expect("the region move");
        Migrator::down(&db, Some((migrations.len() - first_move) as u32))
            .await
            .expect("down");
        Migrator::up(&db, None).await.expect("up");
        let stored = |customer: i32, id: i32| {
            let customers = w.customers.clone();
            async move {
                let a = customers
                    .addresses
                    .addresses(customer, page())
                    .await
                    .expect("addresses")
                    .items
                    .into_iter()
                    .find(|a| a.id == id)
                    .expect("address");
                (a.region_code, a.region)
            }
        };
        let region = |code: Option<&str>, name: &str| (code.map(str::to_owned), Some(name.to_owned()));
        assert_eq!(stored(ann.id, vienna).await, region(Some("WI"), "Wien"));
        assert_eq!(stored(ann.id, texas).await, region(Some("TX"), "Texas"));
        assert_eq!(
            stored(ann.id, tenerife).await,
            region(Some("Santa Cruz de Tenerife"), "Santa Cruz de Tenerife")
        );
        assert_eq!(stored(ann.id, barcelona).await, region(None, "Catalunya"));
        // A cleared code leaves its ISO name where the address had none.
        assert_eq!(stored(ann.id, seville).await, region(None, "Andalucía"));
        assert_eq!(stored(bo.id, geneva).await, region(Some("GE"), "Geneva"));
        assert_eq!(stored(cy.id, typed).await, region(None, "Genève"));
        let billing = |id: i32| {
            let customers = w.customers.clone();
            async move { customers.accounts.get(id).await.expect("get").billing_region }
        };
        assert_eq!(billing(bo.id).await.as_deref(), Some("Geneva"));
        assert_eq!(billing(cy.id).await.as_deref(), Some("Genève"));
        assert_eq!(
            keyword_ids(&w, "geneva").await,
            vec![bo.id],
            "the keyword search knows the new name"
        );
    })
    .await;
}

/// The plan `query` gets inside `txn`, one line per step.
async fn plan_of(
    txn: &sea_orm::DatabaseTransaction,
    query: sea_orm::Select<crate::entity::customer::Entity>,
) -> String {
    use sea_orm::{ConnectionTrait, DbBackend, QueryTrait, Statement};
    let backend = txn.get_database_backend();
    let built = query.build(backend);
    let (prefix, column) = match backend {
        DbBackend::Postgres => ("EXPLAIN ", "QUERY PLAN"),
        _ => ("EXPLAIN QUERY PLAN ", "detail"),
    };
    let explain = Statement {
        sql: format!("{prefix}{}", built.sql),
        ..built
    };
    let rows = txn.query_all_raw(explain).await.expect("explain");
    rows.iter()
        .map(|row| row.try_get::<String>("", column).expect("plan line"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn an_import_finds_a_batchs_accounts_through_the_index_even_without_statistics() {
    for_each_database(|db| async move {
        let _w = world(db.clone()).await;
        // A new database: the customers table was never analysed.
        let txn = back_office::import::begin_import(&db).await.expect("txn");
        let keys = (0..1000)
            .map(|i| format!("import.{i}@example.com"))
            .collect();
        // Citus locks rows of one shard per statement only: the import reads unlocked there.
        let lock = !clientele_kernel::db::is_citus(&db).await.expect("citus");
        let query = back_office::import::accounts_query(keys, lock);
        let plan =
            back_office::import::through_indexes(&txn, async { Ok(plan_of(&txn, query).await) })
                .await
                .expect("lookup");
        assert!(plan.contains("ix_customers_email_key"), "{plan}");
        assert!(!plan.contains("Seq Scan"), "{plan}");
        assert!(!plan.contains("SCAN customers"), "{plan}");
        txn.rollback().await.expect("rollback");
    })
    .await;
}

/// The types of customer `id`'s events, oldest first, with each one's changed fields.
async fn timeline_of(w: &World, id: i32) -> Vec<(String, Vec<String>)> {
    let page = w
        .events
        .timeline(id, &[], 200, None)
        .await
        .expect("timeline");
    page.events
        .into_iter()
        .rev()
        .map(|e| {
            (
                e.event_type,
                e.changes.into_iter().map(|c| c.field).collect(),
            )
        })
        .collect()
}

fn kinds(timeline: &[(String, Vec<String>)]) -> Vec<&str> {
    timeline.iter().map(|(kind, _)| kind.as_str()).collect()
}

#[tokio::test]
async fn each_change_to_an_account_records_its_events_and_no_secret() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let c = w
            .customers
            .accounts
            .create(ann("ann@example.com"))
            .await
            .expect("create");
        let created = timeline_of(&w, c.id).await;
        assert_eq!(kinds(&created), ["customer.created"]);
        assert!(created[0].1.contains(&"email".to_owned()));
        assert!(
            !created[0]
                .1
                .iter()
                .any(|f| f.contains("password") || f == "search_text")
        );

        w.customers
            .accounts
            .update(
                c.id,
                CustomerPatch {
                    firstname: Some("Anne".into()),
                    group_id: Some(2),
                    email: Some("anne@example.com".into()),
                    allow_remote_shopping_assistance: Some(true),
                    ..Default::default()
                },
            )
            .await
            .expect("update");
        let updated = timeline_of(&w, c.id).await;
        assert_eq!(
            kinds(&updated[1..]),
            [
                "customer.updated",
                "customer.consent_changed",
                "customer.email_changed",
                "customer.group_changed",
            ]
        );
        assert_eq!(updated[1].1, ["firstname"], "only the plain fields");

        // A rolled-back change leaves no event: a stale write fails whole.
        let stale = w
            .customers
            .accounts
            .update(
                c.id,
                CustomerPatch {
                    lastname: Some("Stale".into()),
                    expected_version: Some(1),
                    ..Default::default()
                },
            )
            .await;
        assert!(matches!(stale, Err(Error::Conflict(_))));
        assert_eq!(timeline_of(&w, c.id).await.len(), 5);

        let address = w
            .customers
            .addresses
            .add_address(
                c.id,
                AddressInput {
                    default_billing: Some(true),
                    ..address("10001")
                },
            )
            .await
            .expect("address");
        w.customers
            .addresses
            .delete_address(c.id, address.id)
            .await
            .expect("delete address");
        w.customers.accounts.delete(c.id).await.expect("delete");
        let after = timeline_of(&w, c.id).await;
        assert_eq!(
            kinds(&after[5..]),
            [
                "customer.address.created",
                "customer.updated",
                "customer.address.deleted",
                "customer.updated",
                "customer.deleted",
            ],
            "the defaults follow the address; the deletion carries ids only"
        );
        assert_eq!(after[6].1, ["default_billing_id"]);
        assert!(after.last().is_some_and(|(_, changes)| changes.is_empty()));
    })
    .await;
}

#[tokio::test]
async fn a_group_deletion_records_each_customer_it_moves() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let mut ids = Vec::new();
        for n in 0..3 {
            let c = w
                .customers
                .accounts
                .create(NewCustomer {
                    group_id: Some(3),
                    ..ann(&format!("c{n}@example.com"))
                })
                .await
                .expect("create");
            ids.push(c.id);
        }
        w.groups.delete(3).await.expect("delete Retailer");
        for id in ids {
            let timeline = w
                .events
                .timeline(id, &[], 10, None)
                .await
                .expect("timeline");
            let moved = &timeline.events[0];
            assert_eq!(moved.event_type, "customer.group_changed");
            assert_eq!(
                (moved.changes[0].old.clone(), moved.changes[0].new.clone()),
                (3.into(), 1.into())
            );
        }
    })
    .await;
}

#[tokio::test]
async fn newsletter_subscriptions_record_the_consent_they_stand_for() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let c = w
            .customers
            .accounts
            .create(ann("ann@example.com"))
            .await
            .expect("create");
        let accounts = &w.customers.accounts;
        accounts.subscribe(c.id, None).await.expect("subscribe");
        accounts
            .subscribe(c.id, None)
            .await
            .expect("again: no change");
        accounts.unsubscribe(c.id).await.expect("unsubscribe");
        accounts.unsubscribe(c.id).await.expect("again: no change");
        let page = w
            .events
            .timeline(c.id, &[], 20, None)
            .await
            .expect("timeline");
        let events: Vec<_> = page.events.iter().rev().collect();
        let kinds: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "customer.created",
                "customer.newsletter.subscribed",
                "customer.consent_changed",
                "customer.newsletter.unsubscribed",
                "customer.consent_changed",
            ]
        );
        let consent = |granted: bool| {
            serde_json::json!({
                "consent": "NEWSLETTER",
                "granted": granted,
                "store_id": 1,
                "source": "ACCOUNT",
            })
        };
        // A consent given names the version of the text the store view showed; a withdrawal
        // needs none.
        let mut given = consent(true);
        given["text_version"] = "1".into();
        assert_eq!(serde_json::Value::Object(events[2].data.clone()), given);
        assert_eq!(
            serde_json::Value::Object(events[4].data.clone()),
            consent(false)
        );
    })
    .await;
}
