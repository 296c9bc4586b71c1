//! Store rules against a real (in-memory SQLite) database with the real migrations.

use clientele_kernel::testing::for_each_database;
use migration::{Migrator, MigratorTrait};

use crate::*;
use clientele_kernel::Error;

async fn service(db: sea_orm::DatabaseConnection) -> StoreService {
    Migrator::up(&db, None).await.expect("migrate");
    StoreService::new(db)
}

#[tokio::test]
async fn a_fresh_database_has_the_seeded_hierarchy() {
    for_each_database(|db| async move {
        let stores = service(db).await;
        let view = stores.default_view().await.expect("default view");
        assert_eq!(view.code, "default");
        assert_eq!(
            stores.website(view.website_id).await.expect("site").code,
            "base"
        );
        assert_eq!(
            stores.group(view.group_id).await.expect("group").code,
            "main_website_store"
        );
    })
    .await;
}

#[tokio::test]
async fn a_new_website_gets_its_first_group_and_view_as_defaults() {
    for_each_database(|db| async move {
        let stores = service(db).await;
        let site = stores
            .create_website(NewWebsite {
                code: "eu".into(),
                name: "EU".into(),
                sort_order: 1,
            })
            .await
            .expect("website");
        let group = stores
            .create_group(NewStoreGroup {
                website_id: site.id,
                code: "eu_store".into(),
                name: "EU Store".into(),
            })
            .await
            .expect("group");
        let view = stores
            .create_view(NewStoreView {
                group_id: group.id,
                code: "eu_en".into(),
                name: "English".into(),
                sort_order: 0,
                is_active: true,
            })
            .await
            .expect("view");
        assert_eq!(
            stores
                .website(site.id)
                .await
                .expect("site")
                .default_group_id,
            Some(group.id)
        );
        assert_eq!(
            stores
                .group(group.id)
                .await
                .expect("group")
                .default_store_id,
            Some(view.id)
        );
        assert_eq!(view.website_id, site.id);
        assert!(matches!(
            stores.delete_view(view.id).await,
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            stores.delete_group(group.id).await,
            Err(Error::Conflict(_))
        ));
        stores
            .delete_website(site.id)
            .await
            .expect("delete website cascades");
        assert!(stores.view_by_code("eu_en").await.is_err());
    })
    .await;
}

#[tokio::test]
async fn duplicate_codes_and_bad_codes_are_refused() {
    for_each_database(|db| async move {
        let stores = service(db).await;
        let dup = stores
            .create_website(NewWebsite {
                code: "base".into(),
                name: "Again".into(),
                sort_order: 0,
            })
            .await;
        assert!(
            matches!(dup, Err(Error::Conflict(m)) if m == "Website with the same code already exists.")
        );
        let bad = stores
            .create_website(NewWebsite {
                code: "1st".into(),
                name: "Bad".into(),
                sort_order: 0,
            })
            .await;
        assert!(matches!(bad, Err(Error::Invalid { field, .. }) if field == "code"));
        assert!(matches!(
            stores.delete_website(1).await,
            Err(Error::Conflict(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn making_another_website_default_moves_the_flag() {
    for_each_database(|db| async move {
        let stores = service(db).await;
        let site = stores
            .create_website(NewWebsite {
                code: "us".into(),
                name: "US".into(),
                sort_order: 0,
            })
            .await
            .expect("website");
        let no_group = stores
            .update_website(
                site.id,
                WebsitePatch {
                    is_default: Some(true),
                    ..Default::default()
                },
            )
            .await;
        assert!(no_group.is_err());
        let group = stores
            .create_group(NewStoreGroup {
                website_id: site.id,
                code: "us_store".into(),
                name: "US".into(),
            })
            .await
            .expect("group");
        let no_view = stores
            .update_website(
                site.id,
                WebsitePatch {
                    is_default: Some(true),
                    ..Default::default()
                },
            )
            .await;
        assert!(
            no_view.is_err(),
            "a default website must serve a store view"
        );
        stores
            .create_view(NewStoreView {
                group_id: group.id,
                code: "us_en".into(),
                name: "US English".into(),
                sort_order: 0,
                is_active: true,
            })
            .await
            .expect("view");
        stores
            .update_website(
                site.id,
                WebsitePatch {
                    is_default: Some(true),
                    ..Default::default()
                },
            )
            .await
            .expect("default");
        let defaults: Vec<_> = stores
            .websites()
            .await
            .expect("list")
            .into_iter()
            .filter(|w| w.is_default)
            .collect();
        assert_eq!(defaults.len(), 1);
        assert_eq!(defaults[0].id, site.id);
    })
    .await;
}

#[tokio::test]
async fn a_cached_hierarchy_follows_every_change_of_the_node() {
    for_each_database(|db| async move {
        let bus = clientele_kernel::cache::CacheBus::new(db.clone());
        let stores = service(db)
            .await
            .with_cache(&bus, std::time::Duration::from_secs(3600));
        let view = stores.default_view().await.expect("default view");
        stores
            .update_view(
                view.id,
                StoreViewPatch {
                    name: Some("Storefront".into()),
                    ..Default::default()
                },
            )
            .await
            .expect("rename");
        assert_eq!(stores.view(view.id).await.expect("view").name, "Storefront");
        let created = stores
            .create_view(NewStoreView {
                group_id: view.group_id,
                code: "fr".into(),
                name: "Français".into(),
                sort_order: 2,
                is_active: true,
            })
            .await
            .expect("create");
        assert_eq!(
            stores.view_by_code("fr").await.expect("by code").id,
            created.id
        );
        stores.delete_view(created.id).await.expect("delete");
        assert!(matches!(
            stores.view_by_code("fr").await,
            Err(Error::NotFound { .. })
        ));
    })
    .await;
}
