//! Configuration resolution and writes against the real migrations on in-memory SQLite.

use std::sync::Arc;

use async_trait::async_trait;
use clientele_kernel::testing::for_each_database;
use clientele_kernel::{Error, Result};
use clientele_stores::StoreService;
use migration::{Migrator, MigratorTrait};

use crate::*;

struct GroupsZeroToThree;

#[async_trait]
impl ReferenceChecker for GroupsZeroToThree {
    async fn customer_group_exists(&self, id: i32) -> Result<bool> {
        Ok((0..=3).contains(&id))
    }
}

async fn service(db: sea_orm::DatabaseConnection) -> ConfigService {
    Migrator::up(&db, None).await.expect("migrate");
    ConfigService::new(
        db.clone(),
        StoreService::new(db),
        Arc::new(GroupsZeroToThree),
        vec![],
        clientele_kernel::Clock::system(),
    )
}

#[tokio::test]
async fn unset_options_resolve_to_their_documented_defaults() {
    for_each_database(|db| async move {
        let config = service(db).await;
        let resolved = config.resolve(Scope::StoreView(1)).await.expect("resolve");
        assert_eq!(
            resolved.text(keys::customer::PASSWORD_MINIMUM_PASSWORD_LENGTH),
            "8"
        );
        assert_eq!(
            resolved.origin(keys::customer::PASSWORD_MINIMUM_PASSWORD_LENGTH),
            ValueOrigin::System
        );
        assert!(resolved.flag(keys::customer::ACCOUNT_INFORMATION_GRAPHQL_SHARE_CUSTOMER_GROUP));
    })
    .await;
}

#[tokio::test]
async fn narrower_scopes_override_wider_ones() {
    for_each_database(|db| async move {
        let config = service(db).await;
        config
            .set(
                Scope::Default,
                vec![("customer/address/street_lines".into(), "3".into())],
            )
            .await
            .expect("default");
        config
            .set(
                Scope::Website(1),
                vec![("customer/address/street_lines".into(), "4".into())],
            )
            .await
            .expect("website");
        let view = config.resolve(Scope::StoreView(1)).await.expect("resolve");
        assert_eq!(view.text(keys::customer::ADDRESS_STREET_LINES), "4");
        assert_eq!(
            view.origin(keys::customer::ADDRESS_STREET_LINES),
            ValueOrigin::Website
        );
        let reset = config
            .reset(
                Scope::Website(1),
                vec!["customer/address/street_lines".into()],
            )
            .await
            .expect("reset");
        assert_eq!(reset.text(keys::customer::ADDRESS_STREET_LINES), "3");
    })
    .await;
}

#[tokio::test]
async fn a_bad_value_in_a_batch_writes_nothing() {
    for_each_database(|db| async move {
        let config = service(db).await;
        let result = config
            .set(
                Scope::Default,
                vec![
                    ("customer/password/lockout_failures".into(), "5".into()),
                    (
                        "customer/password/minimum_password_length".into(),
                        "0".into(),
                    ),
                ],
            )
            .await;
        assert!(matches!(result, Err(Error::Invalid { .. })));
        let resolved = config.resolve(Scope::Default).await.expect("resolve");
        assert_eq!(
            resolved.text(keys::customer::PASSWORD_LOCKOUT_FAILURES),
            "10"
        );
    })
    .await;
}

#[tokio::test]
async fn global_options_cannot_be_set_per_website_and_groups_must_exist() {
    for_each_database(|db| async move {
        let config = service(db).await;
        let global = config
            .set(
                Scope::Website(1),
                vec![("customer/account_share/scope".into(), "0".into())],
            )
            .await;
        assert!(matches!(global, Err(Error::Invalid { field, .. }) if field == "scope"));
        let missing_group = config
            .set(
                Scope::StoreView(1),
                vec![("customer/create_account/default_group".into(), "42".into())],
            )
            .await;
        assert!(matches!(missing_group, Err(Error::Invalid { .. })));
        let unknown = config
            .set(Scope::Default, vec![("no/such/path".into(), "1".into())])
            .await;
        assert!(matches!(unknown, Err(Error::Invalid { field, .. }) if field == "path"));
        let no_site = config.resolve(Scope::Website(99)).await;
        assert!(matches!(no_site, Err(Error::NotFound { .. })));
    })
    .await;
}

#[test]
fn typed_keys_read_their_options_as_their_kind() {
    let config = ResolvedConfig::with_overrides(&[
        ("general/region/state_required", "US, CA,,"),
        ("customer/password/lockout_failures", "7"),
        ("newsletter/subscription/confirm", "1"),
    ]);
    assert_eq!(
        config.list(keys::general::REGION_STATE_REQUIRED),
        ["US", "CA"]
    );
    assert_eq!(
        config.number(keys::customer::PASSWORD_LOCKOUT_FAILURES),
        Some(7)
    );
    assert_eq!(config.text(keys::customer::PASSWORD_LOCKOUT_FAILURES), "7");
    // Empty by default: the documented fallback applies.
    assert_eq!(
        config.number(keys::customer::ONLINE_CUSTOMERS_ONLINE_MINUTES_INTERVAL),
        None
    );
    assert!(config.flag(keys::newsletter::SUBSCRIPTION_CONFIRM));
    assert_eq!(
        config.origin(keys::newsletter::SUBSCRIPTION_CONFIRM),
        ValueOrigin::Default
    );
    assert_eq!(
        keys::customer::PASSWORD_LOCKOUT_FAILURES.path(),
        "customer/password/lockout_failures"
    );
}
