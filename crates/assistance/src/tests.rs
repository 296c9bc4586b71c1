//! Login as Customer against the real migrations, on SQLite and (when configured) PostgreSQL.

use std::sync::Arc;

use clientele_configuration::{ConfigService, Scope};
use clientele_customers::{AccountSharingGuard, Accounts, Customers, NewCustomer, ShopperAuth};
use clientele_groups::GroupReferenceChecker;
use clientele_kernel::PageRequest;
use clientele_kernel::clock::SettableClock;
use clientele_kernel::testing::for_each_database;
use clientele_sessions::{KeyStore, PasswordHasher, TokenIssuer};
use clientele_staff::{NewStaffUser, StaffService};
use clientele_stores::StoreService;
use migration::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;

use crate::*;

const STAFF_PASSWORD: &str = "Admin-Pass-2026";

struct World {
    /// Moves the clock every service tells the time by.
    hand: Arc<SettableClock>,
    assistance: AssistanceService,
    config: ConfigService,
    accounts: Accounts,
    shoppers: ShopperAuth,
    staff: StaffService,
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
    let hasher = PasswordHasher::new(2, 64).expect("hasher");
    let newsletter = clientele_newsletter::NewsletterService::new(
        db.clone(),
        config.clone(),
        stores.clone(),
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
    let staff = StaffService::new(
        db.clone(),
        hasher.clone(),
        tokens.clone(),
        config.clone(),
        clock.clone(),
    );
    let Customers {
        accounts, shoppers, ..
    } = Customers::new(
        db.clone(),
        config.clone(),
        stores.clone(),
        hasher.clone(),
        newsletter,
        tokens,
        clock.clone(),
    );
    World {
        assistance: AssistanceService::new(
            db,
            config.clone(),
            stores,
            accounts.clone(),
            shoppers.clone(),
            staff.clone(),
            clock,
        ),
        hand,
        config,
        accounts,
        shoppers,
        staff,
    }
}

async fn enable(w: &World) {
    w.config
        .set(
            Scope::Default,
            vec![("login_as_customer/general/enabled".into(), "1".into())],
        )
        .await
        .expect("enable");
}

/// A signed-in Administrators staff user.
async fn assistant(w: &World) -> Assistant {
    w.staff
        .create_user(
            None,
            NewStaffUser {
                email: "helper@example.com".into(),
                name: "Helper".into(),
                password: STAFF_PASSWORD.into(),
                role_id: 1,
                is_active: true,
            },
        )
        .await
        .expect("staff");
    let signed = w
        .staff
        .sign_in("helper@example.com", STAFF_PASSWORD, None)
        .await
        .expect("sign in");
    let actor = w
        .staff
        .authenticate(&signed.token)
        .await
        .expect("auth")
        .expect("actor");
    Assistant::from_actor(&actor, Some("203.0.113.9".into())).expect("staff")
}

async fn customer(w: &World, email: &str, consent: bool) -> i32 {
    w.accounts
        .create(NewCustomer {
            email: email.into(),
            firstname: "Ann".into(),
            lastname: "Lee".into(),
            allow_remote_shopping_assistance: Some(consent),
            ..Default::default()
        })
        .await
        .expect("customer")
        .id
}

fn all() -> PageRequest {
    PageRequest::new(100, 1).expect("page")
}

#[tokio::test]
async fn the_gates_hold_in_order_and_refusals_about_a_customer_are_logged() {
    for_each_database(|db| async move {
        let w = world(db).await;
        let helper = assistant(&w).await;
        let consenting = customer(&w, "yes@example.com", true).await;
        let refusing = customer(&w, "no@example.com", false).await;
        let by_id = |id| Target::Id(id);
        let store = StoreChoice::Configured(None);

        let off = w
            .assistance
            .sign_in_as(&helper, by_id(consenting), store, None)
            .await
            .expect("call");
        assert_eq!(off.err(), Some(Refusal::Disabled));

        enable(&w).await;
        let mut limited = helper.clone();
        limited.permissions = clientele_staff::Permissions::default();
        let denied = w
            .assistance
            .sign_in_as(&limited, by_id(consenting), store, None)
            .await
            .expect("call");
        assert_eq!(denied.err(), Some(Refusal::NotPermitted));

        let unknown = w
            .assistance
            .sign_in_as(&helper, by_id(9999), store, None)
            .await
            .expect("call");
        assert_eq!(unknown.err(), Some(Refusal::UnknownCustomer));

        let no_consent = w
            .assistance
            .sign_in_as(&helper, by_id(refusing), store, None)
            .await
            .expect("call");
        assert_eq!(no_consent.err(), Some(Refusal::NoConsent));

        let signed = w
            .assistance
            .sign_in_as(&helper, by_id(consenting), store, Some("Order help".into()))
            .await
            .expect("call")
            .expect("admitted");
        let session = w
            .shoppers
            .authenticate(&signed.token)
            .await
            .expect("check")
            .expect("live token");
        assert_eq!(session.customer_id, consenting);
        assert_eq!(session.admin_id, Some(helper.staff_user_id));
        assert!(
            w.assistance
                .live_session(&signed.session_id, consenting)
                .await
                .expect("live")
                .is_some()
        );

        let log = w
            .assistance
            .log_entries(&LogFilter::default(), LogSort::default(), all())
            .await
            .expect("log");
        let lines: Vec<_> = log
            .items
            .iter()
            .map(|l| {
                (
                    l.action.as_str(),
                    l.result == LogResult::Success,
                    l.customer_id,
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![("login", true, consenting), ("login", false, refusing)],
            "only refusals about a known customer are logged, newest first"
        );
        assert_eq!(log.items[0].reason.as_deref(), Some("Order help"));
        assert_eq!(log.items[0].staff_user_email, "helper@example.com");
        assert_eq!(log.items[1].details.as_deref(), Some("no_consent"));
        let scoped = |websites: Vec<i32>| LogFilter {
            website_ids: Some(websites),
            ..Default::default()
        };
        let elsewhere = w
            .assistance
            .log_entries(&scoped(vec![2]), LogSort::default(), all())
            .await
            .expect("log");
        assert_eq!(
            elsewhere.total_count, 0,
            "a role of another website sees nothing"
        );
        let home = w
            .assistance
            .log_entries(&scoped(vec![1]), LogSort::default(), all())
            .await
            .expect("log");
        assert_eq!(home.total_count, 2);
    })
    .await;
}

#[tokio::test]
async fn withdrawn_consent_or_a_signed_out_staff_user_ends_the_assisted_session() {
    for_each_database(|db| async move {
        let w = world(db).await;
        enable(&w).await;
        let helper = assistant(&w).await;
        let id = customer(&w, "ann@example.com", true).await;
        let signed = w
            .assistance
            .sign_in_as(&helper, Target::Id(id), StoreChoice::Configured(None), None)
            .await
            .expect("call")
            .expect("admitted");
        w.accounts
            .update(
                id,
                clientele_customers::CustomerPatch {
                    allow_remote_shopping_assistance: Some(false),
                    ..Default::default()
                },
            )
            .await
            .expect("withdraw");
        let refused = w.shoppers.authenticate(&signed.token).await.expect("check");
        assert!(refused.is_err(), "consent withdrawn: token refused");

        w.accounts
            .update(
                id,
                clientele_customers::CustomerPatch {
                    allow_remote_shopping_assistance: Some(true),
                    ..Default::default()
                },
            )
            .await
            .expect("consent again");
        let again = w
            .assistance
            .sign_in_as(&helper, Target::Id(id), StoreChoice::Configured(None), None)
            .await
            .expect("call")
            .expect("admitted");
        assert!(
            w.assistance
                .live_session(&again.session_id, id)
                .await
                .expect("live")
                .is_some()
        );
        w.staff
            .sign_out(&helper.staff_session_id)
            .await
            .expect("staff sign-out");
        assert!(
            w.assistance
                .live_session(&again.session_id, id)
                .await
                .expect("ended")
                .is_none(),
            "the staff session ended, so did the assisted one"
        );
    })
    .await;
}

#[tokio::test]
async fn a_code_works_once_and_only_with_its_customers_email() {
    for_each_database(|db| async move {
        let w = world(db).await;
        enable(&w).await;
        let helper = assistant(&w).await;
        let id = customer(&w, "ann@example.com", true).await;
        customer(&w, "bob@example.com", true).await;
        let missing_reason = w
            .assistance
            .generate_code(&helper, id, "  ".into(), None)
            .await
            .expect("call");
        assert_eq!(missing_reason.err(), Some(Refusal::ReasonRequired));
        let code = w
            .assistance
            .generate_code(&helper, id, "Checkout trouble".into(), None)
            .await
            .expect("call")
            .expect("code");
        assert!(is_one_time_code(&code.code));
        let seconds = (code.expires_at - chrono::Utc::now()).num_seconds();
        assert!((55..=60).contains(&seconds), "60 s by default: {seconds}");

        let wrong_email = w
            .assistance
            .exchange_code(1, "bob@example.com", &code.code, None)
            .await
            .expect("call");
        assert!(wrong_email.is_none());
        let exchanged = w
            .assistance
            .exchange_code(1, "ANN@example.com", &code.code.to_uppercase(), None)
            .await
            .expect("call")
            .expect("token");
        assert_eq!(exchanged.customer_id, id);
        let reused = w
            .assistance
            .exchange_code(1, "ann@example.com", &code.code, None)
            .await
            .expect("call");
        assert!(reused.is_none(), "single use");
    })
    .await;
}

#[tokio::test]
async fn a_code_expires_with_its_lifetime() {
    for_each_database(|db| async move {
        let w = world(db).await;
        enable(&w).await;
        let helper = assistant(&w).await;
        let id = customer(&w, "ann@example.com", true).await;
        let generate = || async {
            w.assistance
                .generate_code(&helper, id, "Checkout trouble".into(), None)
                .await
                .expect("call")
                .expect("code")
        };
        let late = generate().await;
        w.hand.advance(chrono::Duration::seconds(61));
        let expired = w
            .assistance
            .exchange_code(1, "ann@example.com", &late.code, None)
            .await
            .expect("call");
        assert!(expired.is_none(), "60 s by default");
        let timely = generate().await;
        w.hand.advance(chrono::Duration::seconds(59));
        let exchanged = w
            .assistance
            .exchange_code(1, "ann@example.com", &timely.code, None)
            .await
            .expect("call");
        assert_eq!(exchanged.map(|e| e.customer_id), Some(id));
    })
    .await;
}

#[tokio::test]
async fn the_log_refuses_updates_and_deletes() {
    for_each_database(|db| async move {
        let w = world(db.clone()).await;
        enable(&w).await;
        let helper = assistant(&w).await;
        let id = customer(&w, "ann@example.com", true).await;
        w.assistance
            .sign_in_as(&helper, Target::Id(id), StoreChoice::Configured(None), None)
            .await
            .expect("call")
            .expect("admitted");
        let update = db
            .execute_unprepared("UPDATE login_as_customer_log SET action = 'nothing'")
            .await;
        assert!(update.is_err(), "update refused");
        let delete = db
            .execute_unprepared("DELETE FROM login_as_customer_log")
            .await;
        assert!(delete.is_err(), "delete refused");
        let log = w
            .assistance
            .log_entries(&LogFilter::default(), LogSort::default(), all())
            .await
            .expect("log");
        assert_eq!(log.total_count, 1);
        assert_eq!(log.items[0].action, "login");
    })
    .await;
}
