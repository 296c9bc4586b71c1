//! Staff rules against the real migrations on in-memory SQLite.

use std::sync::Arc;

use clientele_configuration::{ConfigService, ReferenceChecker, Scope};
use clientele_kernel::cache::CacheBus;
use clientele_kernel::clock::SettableClock;
use clientele_kernel::testing::for_each_database;
use clientele_kernel::{Clock, Error};
use clientele_sessions::{KeyStore, PasswordHasher, TokenIssuer};
use clientele_stores::StoreService;
use migration::{Migrator, MigratorTrait};

use crate::*;

struct NoGroups;

#[async_trait::async_trait]
impl ReferenceChecker for NoGroups {
    async fn customer_group_exists(&self, _id: i32) -> clientele_kernel::Result<bool> {
        Ok(true)
    }
}

async fn service(db: sea_orm::DatabaseConnection) -> (StaffService, ConfigService) {
    service_on(db, Clock::system()).await
}

/// The services over `db`, telling the time by `clock`.
async fn service_on(
    db: sea_orm::DatabaseConnection,
    clock: Clock,
) -> (StaffService, ConfigService) {
    Migrator::up(&db, None).await.expect("migrate");
    let config = ConfigService::new(
        db.clone(),
        StoreService::new(db.clone()),
        Arc::new(NoGroups),
        vec![],
        clock.clone(),
    );
    let tokens = TokenIssuer::new(
        KeyStore::open(
            db.clone(),
            clientele_sessions::KeyWrapping::ephemeral().expect("kek"),
            clock.clone(),
        )
        .await
        .expect("keys"),
        "https://clientele.test",
    );
    let hasher = PasswordHasher::new(2, 64).expect("hasher");
    // Credentials are remembered for longer than any test runs, so only the change notices a
    // change sends can make a check see it.
    let bus = CacheBus::new(db.clone());
    let staff = StaffService::new(db, hasher, tokens, config.clone(), clock)
        .with_cache(&bus, std::time::Duration::from_secs(3600));
    (staff, config)
}

const PASSWORD: &str = "Admin-Pass-2026";

async fn admin(staff: &StaffService) -> StaffUser {
    staff
        .create_user(
            None,
            NewStaffUser {
                email: "Root@Example.com".into(),
                name: "Root".into(),
                password: PASSWORD.into(),
                role_id: 1,
                is_active: true,
            },
        )
        .await
        .expect("admin")
}

async fn actor_for(staff: &StaffService, email: &str) -> (Actor, String) {
    let signed = staff.sign_in(email, PASSWORD, None).await.expect("sign in");
    let actor = staff
        .authenticate(&signed.token)
        .await
        .expect("db")
        .expect("valid");
    (actor, signed.token)
}

/// A role "Clerks" granting `resources`, and a signed-in staff user holding it.
async fn clerk(staff: &StaffService, root: &Actor, resources: &[&str]) -> (Role, Actor, String) {
    let role = staff
        .create_role(
            root,
            NewRole {
                name: "Clerks".into(),
                all_resources: false,
                resources: resources.iter().map(|r| (*r).to_owned()).collect(),
                website_ids: None,
            },
        )
        .await
        .expect("role");
    staff
        .create_user(
            Some(root),
            NewStaffUser {
                email: "clerk@example.com".into(),
                name: "Clerk".into(),
                password: PASSWORD.into(),
                role_id: role.id,
                is_active: true,
            },
        )
        .await
        .expect("clerk");
    let (actor, token) = actor_for(staff, "clerk@example.com").await;
    (role, actor, token)
}

#[tokio::test]
async fn sign_in_gives_a_token_that_sign_out_revokes() {
    for_each_database(|db| async move {
        let (staff, _) = service(db).await;
        admin(&staff).await;
        let (actor, token) = actor_for(&staff, "root@example.com").await;
        assert!(actor.permissions().all_resources);
        let Actor::Staff { session_id, .. } = actor else {
            panic!("staff actor")
        };
        staff.sign_out(&session_id).await.expect("sign out");
        assert_eq!(
            staff.authenticate(&token).await.expect("db"),
            Err(AuthFailure::Revoked)
        );
        assert_eq!(
            staff.authenticate("garbage").await.expect("db"),
            Err(AuthFailure::Malformed)
        );
    })
    .await;
}

#[tokio::test]
async fn a_remembered_session_follows_its_role_and_ends_with_its_lifetime() {
    for_each_database(|db| async move {
        let (hand, clock) = SettableClock::new();
        let (staff, _) = service_on(db, clock).await;
        admin(&staff).await;
        let (root, _) = actor_for(&staff, "root@example.com").await;
        let (clerks, clerk, token) =
            clerk(&staff, &root, &[acl::ALL_CUSTOMERS, acl::CONFIGURATION]).await;
        assert!(clerk.permissions().allows(acl::CONFIGURATION));

        staff
            .update_role(
                &root,
                clerks.id,
                RolePatch {
                    resources: Some(vec![acl::ALL_CUSTOMERS.into()]),
                    ..Default::default()
                },
            )
            .await
            .expect("narrow");
        let narrowed = staff
            .authenticate(&token)
            .await
            .expect("db")
            .expect("still signed in");
        assert!(!narrowed.permissions().allows(acl::CONFIGURATION));
        assert!(narrowed.permissions().allows(acl::ALL_CUSTOMERS));

        // Past the token's own lifetime the token is refused; the session row's end is checked
        // on every request too, whatever is remembered.
        let Actor::Staff { session_id, .. } = narrowed else {
            panic!("staff actor")
        };
        hand.advance(chrono::Duration::hours(5));
        assert_eq!(staff.session_actor(&session_id).await.expect("db"), None);
        assert_eq!(
            staff.authenticate(&token).await.expect("db"),
            Err(AuthFailure::Expired)
        );
    })
    .await;
}

#[tokio::test]
async fn a_lock_runs_out_when_the_lockout_window_has_passed() {
    for_each_database(|db| async move {
        let (hand, clock) = SettableClock::new();
        let (staff, config) = service_on(db, clock).await;
        admin(&staff).await;
        config
            .set(
                Scope::Default,
                vec![
                    ("admin/security/lockout_failures".into(), "2".into()),
                    ("admin/security/lockout_threshold".into(), "10".into()),
                ],
            )
            .await
            .expect("config");
        for _ in 0..2 {
            staff
                .sign_in("root@example.com", "wrong", None)
                .await
                .expect_err("wrong");
        }
        assert!(staff.user(1).await.expect("user").locked_until.is_some());
        hand.advance(chrono::Duration::minutes(9));
        staff
            .sign_in("root@example.com", PASSWORD, None)
            .await
            .expect_err("still locked");
        hand.advance(chrono::Duration::minutes(2));
        assert_eq!(staff.user(1).await.expect("user").locked_until, None);
        staff
            .sign_in("root@example.com", PASSWORD, None)
            .await
            .expect("the lock ran out");
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_one_generic_message() {
    for_each_database(|db| async move {
        let (staff, config) = service(db).await;
        admin(&staff).await;
        config
            .set(
                Scope::Default,
                vec![("admin/security/lockout_failures".into(), "3".into())],
            )
            .await
            .expect("config");
        let mut messages = Vec::new();
        for _ in 0..3 {
            messages.push(
                staff
                    .sign_in("root@example.com", "wrong", None)
                    .await
                    .expect_err("wrong")
                    .to_string(),
            );
        }
        let locked = staff
            .sign_in("root@example.com", PASSWORD, None)
            .await
            .expect_err("locked");
        let unknown = staff
            .sign_in("nobody@example.com", PASSWORD, None)
            .await
            .expect_err("unknown");
        messages.push(locked.to_string());
        messages.push(unknown.to_string());
        messages.dedup();
        assert_eq!(
            messages.len(),
            1,
            "one message for every failure: {messages:?}"
        );
        let user = staff.user(1).await.expect("user");
        assert!(user.locked_until.is_some());
        staff
            .unlock_user(
                &Actor::Integration {
                    integration_id: 0,
                    permissions: Permissions::everything(),
                },
                1,
            )
            .await
            .expect("unlock");
        assert!(
            staff
                .sign_in("root@example.com", PASSWORD, None)
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test]
async fn nobody_grants_more_than_they_hold() {
    for_each_database(|db| async move {
        let (staff, _) = service(db).await;
        admin(&staff).await;
        let (root, _) = actor_for(&staff, "root@example.com").await;
        let (clerk_role, clerk, clerk_token) = clerk(
            &staff,
            &root,
            &[acl::ALL_CUSTOMERS, acl::ROLES, acl::STAFF_USERS],
        )
        .await;
        let escalate = staff
            .create_role(
                &clerk,
                NewRole {
                    name: "More".into(),
                    all_resources: false,
                    resources: vec![acl::CONFIGURATION.into()],
                    website_ids: None,
                },
            )
            .await;
        assert!(matches!(escalate, Err(Error::Forbidden(_))));
        let own = staff
            .update_role(
                &clerk,
                clerk_role.id,
                RolePatch {
                    resources: Some(vec![acl::CONFIGURATION.into()]),
                    ..Default::default()
                },
            )
            .await;
        assert!(matches!(own, Err(Error::Forbidden(_))));
        let as_admin = staff
            .create_user(
                Some(&clerk),
                NewStaffUser {
                    email: "x@example.com".into(),
                    name: "X".into(),
                    password: PASSWORD.into(),
                    role_id: 1,
                    is_active: true,
                },
            )
            .await;
        assert!(matches!(as_admin, Err(Error::Forbidden(_))));
        let subset = staff
            .create_role(
                &clerk,
                NewRole {
                    name: "Readers".into(),
                    all_resources: false,
                    resources: vec![acl::ALL_CUSTOMERS.into()],
                    website_ids: Some(vec![1]),
                },
            )
            .await
            .expect("subset is fine");
        assert!(subset.permissions.allows(acl::ALL_CUSTOMERS));
        assert!(matches!(
            staff.update_role(&root, 1, RolePatch::default()).await,
            Err(Error::Forbidden(_))
        ));
        // A permission removed from the role takes effect on the next request with the same token.
        staff
            .update_role(
                &root,
                clerk_role.id,
                RolePatch {
                    resources: Some(vec![]),
                    ..Default::default()
                },
            )
            .await
            .expect("strip");
        let again = staff
            .authenticate(&clerk_token)
            .await
            .expect("db")
            .expect("still signed in");
        assert!(!again.permissions().allows(acl::ALL_CUSTOMERS));
    })
    .await;
}

#[tokio::test]
async fn deactivation_and_password_change_end_sessions() {
    for_each_database(|db| async move {
        let (staff, _) = service(db).await;
        admin(&staff).await;
        let (root, _) = actor_for(&staff, "root@example.com").await;
        let other = staff
            .create_user(
                Some(&root),
                NewStaffUser {
                    email: "b@example.com".into(),
                    name: "B".into(),
                    password: PASSWORD.into(),
                    role_id: 1,
                    is_active: true,
                },
            )
            .await
            .expect("user");
        let (_, token) = actor_for(&staff, "b@example.com").await;
        staff
            .update_user(
                &root,
                other.id,
                StaffUserPatch {
                    is_active: Some(false),
                    ..Default::default()
                },
            )
            .await
            .expect("deactivate");
        assert_eq!(
            staff.authenticate(&token).await.expect("db"),
            Err(AuthFailure::Revoked)
        );
        let weak = staff
            .update_user(
                &root,
                other.id,
                StaffUserPatch {
                    password: Some("short".into()),
                    ..Default::default()
                },
            )
            .await;
        assert!(matches!(weak, Err(Error::Invalid { field, .. }) if field == "password"));
        assert!(matches!(
            staff
                .delete_user(&root, root.staff_user_id().expect("id"))
                .await,
            Err(Error::Invalid { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn integration_tokens_work_until_revoked() {
    for_each_database(|db| async move {
        let (hand, clock) = SettableClock::new();
        let (staff, _) = service_on(db, clock).await;
        admin(&staff).await;
        let (root, _) = actor_for(&staff, "root@example.com").await;
        let (integration, token) = staff
            .create_integration(
                &root,
                NewIntegration {
                    name: "ERP sync".into(),
                    all_resources: false,
                    resources: vec![acl::ALL_CUSTOMERS.into()],
                },
            )
            .await
            .expect("integration");
        let actor = staff
            .authenticate(&token)
            .await
            .expect("db")
            .expect("valid");
        assert!(actor.permissions().allows(acl::ALL_CUSTOMERS));
        assert!(!actor.permissions().allows(acl::CONFIGURATION));
        assert!(
            staff
                .integration(integration.id)
                .await
                .expect("get")
                .last_used_at
                .is_some()
        );
        staff
            .revoke_integration(&root, integration.id)
            .await
            .expect("revoke");
        assert_eq!(
            staff.authenticate(&token).await.expect("db"),
            Err(AuthFailure::Revoked)
        );
        // A node whose clock is behind the one that revoked it refuses it all the same.
        hand.advance(chrono::Duration::hours(-1));
        assert_eq!(
            staff.authenticate(&token).await.expect("db"),
            Err(AuthFailure::Revoked)
        );
        let unknown = staff
            .create_integration(
                &root,
                NewIntegration {
                    name: "Bad".into(),
                    all_resources: false,
                    resources: vec!["Nope::x".into()],
                },
            )
            .await;
        assert!(matches!(unknown, Err(Error::Invalid { .. })));
    })
    .await;
}

#[tokio::test]
async fn a_token_bound_to_another_users_session_is_refused() {
    for_each_database(|db| async move {
        let (staff, _) = service(db).await;
        admin(&staff).await;
        let (root, _) = actor_for(&staff, "root@example.com").await;
        let Actor::Staff { session_id, .. } = root else {
            panic!("staff actor")
        };
        let now = chrono::Utc::now().timestamp();
        let forged = StaffClaims {
            iss: "https://clientele.test".into(),
            aud: ADMIN_AUDIENCE.into(),
            sub: "999".into(),
            sid: session_id,
            iat: now,
            nbf: now,
            exp: now + 600,
            jti: "x".into(),
            typ: "staff".into(),
        };
        let token = staff.tokens.sign(&forged).expect("sign");
        assert_eq!(
            staff.authenticate(&token).await.expect("db"),
            Err(AuthFailure::Revoked)
        );
    })
    .await;
}

#[tokio::test]
async fn the_role_list_carries_each_roles_grants() {
    for_each_database(|db| async move {
        let (staff, _) = service(db).await;
        admin(&staff).await;
        let (root, _) = actor_for(&staff, "root@example.com").await;
        staff
            .create_role(
                &root,
                NewRole {
                    name: "Desk".into(),
                    all_resources: false,
                    resources: vec![acl::ALL_CUSTOMERS.into()],
                    website_ids: Some(vec![1]),
                },
            )
            .await
            .expect("role");
        let roles = staff.roles().await.expect("roles");
        let names: Vec<_> = roles.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Administrators", "Desk"]);
        assert!(roles[0].permissions.all_resources && roles[0].permissions.all_websites());
        assert!(roles[1].permissions.allows(acl::ALL_CUSTOMERS));
        assert_eq!(
            roles[1].permissions.website_ids,
            Some([1].into_iter().collect())
        );
    })
    .await;
}
