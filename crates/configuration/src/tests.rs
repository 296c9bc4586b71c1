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
        clientele_kernel::Clock::system(),
    )
}

#[tokio::test]
async fn unset_options_resolve_to_their_documented_defaults() {
    for_each_database(|db| async move {
        let config = service(db).await;
        let resolved = config.resolve(Scope::StoreView(1)).await.expect("resolve");
        assert_eq!(
            resolved.get("customer/password/minimum_password_length"),
            "8"
        );
        assert_eq!(
            resolved.origin("customer/password/minimum_password_length"),
            ValueOrigin::System
        );
        assert!(resolved.flag("customer/account_information/graphql_share_customer_group"));
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
        assert_eq!(view.get("customer/address/street_lines"), "4");
        assert_eq!(
            view.origin("customer/address/street_lines"),
            ValueOrigin::Website
        );
        let reset = config
            .reset(
                Scope::Website(1),
                vec!["customer/address/street_lines".into()],
            )
            .await
            .expect("reset");
        assert_eq!(reset.get("customer/address/street_lines"), "3");
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
        assert_eq!(resolved.get("customer/password/lockout_failures"), "10");
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
