//! Saved views against the real migrations, on each test database.

use clientele_kernel::testing::for_each_database;
use clientele_kernel::{Clock, Error};
use migration::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;

use crate::GridViews;

/// The service over a migrated `db` with two staff users, 1 and 2.
async fn views(db: sea_orm::DatabaseConnection) -> GridViews {
    Migrator::up(&db, None).await.expect("migrate");
    for (id, email) in [(1, "ann@example.com"), (2, "bob@example.com")] {
        db.execute_unprepared(&format!(
            "INSERT INTO staff_users (id, email, email_key, name, password_hash, is_active, \
             role_id, failures_num, created_at, updated_at) VALUES ({id}, '{email}', '{email}', \
             'Staff', 'x', true, 1, 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        ))
        .await
        .expect("staff user");
    }
    GridViews::new(db, Clock::system())
}

/// The names of `owner`'s views, in the order they are listed.
async fn names(views: &GridViews, owner: i32) -> Vec<String> {
    let list = views.list(owner).await.expect("list");
    list.into_iter().map(|v| v.name).collect()
}

#[tokio::test]
async fn each_staff_user_keeps_their_own_views_by_name() {
    for_each_database(|db| async move {
        let views = views(db).await;
        let late = views
            .create(1, "  Late payers ", "{\"search\":\"x\"}".into())
            .await
            .expect("create");
        assert_eq!(late.name, "Late payers");
        views
            .create(1, "Active", "{}".into())
            .await
            .expect("create");
        views
            .create(2, "Late payers", "{}".into())
            .await
            .expect("another user, same name");
        assert_eq!(names(&views, 1).await, ["Active", "Late payers"]);

        let taken = views.create(1, "LATE PAYERS", "{}".into()).await;
        assert!(matches!(taken, Err(Error::Conflict(_))), "{taken:?}");
        let too_large = views.create(1, "Big", "x".repeat(64 * 1024 + 1)).await;
        assert!(
            matches!(too_large, Err(Error::Invalid { .. })),
            "{too_large:?}"
        );

        let renamed = views
            .update(1, late.id, Some("Overdue"), None)
            .await
            .expect("update");
        assert_eq!(
            (renamed.name.as_str(), renamed.definition.as_str()),
            ("Overdue", "{\"search\":\"x\"}")
        );
        // Another user's view is not found, for changes and deletes alike.
        let foreign = views.update(2, late.id, Some("Mine"), None).await;
        assert!(
            matches!(foreign, Err(Error::NotFound { .. })),
            "{foreign:?}"
        );
        let foreign = views.delete(2, late.id).await;
        assert!(
            matches!(foreign, Err(Error::NotFound { .. })),
            "{foreign:?}"
        );

        views.delete(1, late.id).await.expect("delete");
        assert_eq!(names(&views, 1).await, ["Active"]);
    })
    .await;
}
