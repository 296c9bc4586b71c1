//! The privacy service against the real migrations, on SQLite and (when configured) PostgreSQL:
//! what an export holds, that an erasure is one transaction across every holder, and the grace
//! period's course.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use clientele_configuration::ConfigService;
use clientele_customer_attributes::AttributeService;
use clientele_customers::{Customers, NewCustomer};
use clientele_groups::{GroupReferenceChecker, GroupService};
use clientele_kernel::clock::SettableClock;
use clientele_kernel::personal_data::{DataSubject, PersonalData};
use clientele_kernel::testing::for_each_database;
use clientele_kernel::{Error, Result};
use clientele_stores::StoreService;
use migration::{Migrator, MigratorTrait};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use serde_json::{Value, json};

use crate::{ErasureFilter, ErasureStatus, Privacy};

/// A holder that records the subject it was given and, when told, fails its erasure.
#[derive(Default)]
struct Probe {
    fail: AtomicBool,
    seen: std::sync::Mutex<Vec<DataSubject>>,
}

#[async_trait]
impl PersonalData for Probe {
    fn section(&self) -> &'static str {
        "probe"
    }

    async fn export(
        &self,
        _txn: &DatabaseTransaction,
        subject: &DataSubject,
    ) -> Result<Option<Value>> {
        Ok(Some(json!({"emails": subject.emails})))
    }

    async fn erase(&self, _txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(subject.clone());
        }
        if self.fail.load(Ordering::SeqCst) {
            return Err(Error::Conflict("the probe refuses".into()));
        }
        Ok(())
    }
}

struct World {
    hand: Arc<SettableClock>,
    customers: Customers,
    config: ConfigService,
    privacy: Privacy,
    probe: Arc<Probe>,
}

async fn world(db: DatabaseConnection) -> World {
    Migrator::up(&db, None).await.expect("migrate");
    let (hand, clock) = SettableClock::new();
    let stores = StoreService::new(db.clone());
    let config = ConfigService::new(
        db.clone(),
        stores.clone(),
        Arc::new(GroupReferenceChecker::new(db.clone())),
        Vec::new(),
        clock.clone(),
    );
    let groups = GroupService::new(db.clone(), config.clone(), Vec::new(), clock.clone());
    let keys = clientele_sessions::KeyStore::open(
        db.clone(),
        clientele_sessions::KeyWrapping::ephemeral().expect("kek"),
        clock.clone(),
    )
    .await
    .expect("keys");
    let customers = Customers::new(
        db.clone(),
        config.clone(),
        stores.clone(),
        clientele_sessions::PasswordHasher::new(1, 8).expect("hasher"),
        clientele_newsletter::NewsletterService::new(
            db.clone(),
            config.clone(),
            stores.clone(),
            clock.clone(),
        ),
        clientele_sessions::TokenIssuer::new(keys, "https://clientele.test"),
        clock.clone(),
    );
    let attributes = AttributeService::new(db.clone(), config.clone(), stores, clock.clone());
    let probe = Arc::new(Probe::default());
    let privacy = Privacy::new(
        db,
        clock,
        config.clone(),
        customers.accounts.clone(),
        attributes,
        groups,
        vec![Arc::new(clientele_events::TimelineData), probe.clone()],
    );
    World {
        hand,
        customers,
        config,
        privacy,
        probe,
    }
}

async fn ann(world: &World) -> i32 {
    let created = world
        .customers
        .accounts
        .create(NewCustomer {
            email: "Ann@Example.com".into(),
            firstname: "Ann".into(),
            lastname: "Lee".into(),
            send_welcome_email: Some(false),
            ..Default::default()
        })
        .await
        .expect("create");
    created.id
}

#[tokio::test]
async fn an_export_holds_the_account_and_every_holders_section() {
    for_each_database(|db| async move {
        let world = world(db).await;
        let id = ann(&world).await;
        let document = world.privacy.export(id).await.expect("export");
        assert_eq!(document["format"], "clientele.customer-data/1");
        assert_eq!(document["customer"]["email"], "Ann@Example.com");
        assert_eq!(document["group"]["name"], "General");
        assert_eq!(document["probe"], json!({"emails": ["ann@example.com"]}));
        assert_eq!(document["timeline"][0]["type"], "customer.created");
        assert!(document["customer"].get("password_hash").is_none());
        let missing = world.privacy.export(id + 1).await;
        assert!(
            matches!(missing, Err(Error::NotFound { .. })),
            "{missing:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_erasure_is_all_or_nothing_and_knows_every_address_used() {
    for_each_database(|db| async move {
        let world = world(db).await;
        let id = ann(&world).await;
        world
            .customers
            .accounts
            .update(
                id,
                clientele_customers::CustomerPatch {
                    email: Some("ann.lee@example.com".into()),
                    ..Default::default()
                },
            )
            .await
            .expect("new address");

        world.probe.fail.store(true, Ordering::SeqCst);
        let failed = world.privacy.erase(id, "ticket 1").await;
        assert!(matches!(failed, Err(Error::Conflict(_))), "{failed:?}");
        // Nothing happened: the account and its timeline are as they were, and no erasure is
        // recorded.
        let account = world.customers.accounts.get(id).await.expect("still there");
        assert_eq!(account.email, "ann.lee@example.com");
        assert!(
            world
                .privacy
                .erasures(&ErasureFilter::default(), None, 0, 10)
                .await
                .expect("list")
                .is_empty()
        );

        world.probe.fail.store(false, Ordering::SeqCst);
        let erased = world.privacy.erase(id, "ticket 1").await.expect("erase");
        assert_eq!(erased.status, ErasureStatus::Erased);
        let seen = world.probe.seen.lock().expect("seen").clone();
        assert_eq!(
            seen.last().map(|s| s.emails.clone()),
            Some(vec![
                "ann.lee@example.com".to_owned(),
                "ann@example.com".to_owned()
            ])
        );
        let gone = world.customers.accounts.get(id).await;
        assert!(matches!(gone, Err(Error::NotFound { .. })), "{gone:?}");
    })
    .await;
}

#[tokio::test]
async fn a_grace_period_suspends_until_it_passes() {
    for_each_database(|db| async move {
        let world = world(db).await;
        world
            .config
            .set(
                clientele_configuration::Scope::Default,
                vec![(
                    "customer/account_information/erasure_grace_days".into(),
                    "3".into(),
                )],
            )
            .await
            .expect("grace");
        let id = ann(&world).await;
        let pending = world.privacy.erase(id, "ticket 2").await.expect("erase");
        assert_eq!(pending.status, ErasureStatus::Pending);
        assert_eq!(
            pending.erase_after - pending.requested_at,
            chrono::Duration::days(3)
        );
        assert!(
            !world
                .customers
                .accounts
                .get(id)
                .await
                .expect("kept")
                .is_active
        );

        world.hand.advance(chrono::Duration::days(2));
        assert_eq!(world.privacy.erase_due().await.expect("due"), 0);
        world.hand.advance(chrono::Duration::days(1));
        assert_eq!(world.privacy.erase_due().await.expect("due"), 1);
        assert!(world.customers.accounts.get(id).await.is_err());
        assert_eq!(world.privacy.erase_due().await.expect("due"), 0);
        let listed = world
            .privacy
            .erasures(
                &ErasureFilter {
                    status: Some(ErasureStatus::Erased),
                    customer_id: Some(id),
                },
                Some(&[1]),
                0,
                10,
            )
            .await
            .expect("list");
        assert_eq!(listed.len(), 1);
        assert!(
            world
                .privacy
                .erasures(&ErasureFilter::default(), Some(&[99]), 0, 10)
                .await
                .expect("list")
                .is_empty()
        );
    })
    .await;
}
