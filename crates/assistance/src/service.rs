//! The three gates (enabled, permitted, consented), assisted sessions, one-time codes.

use chrono::Duration;
use clientele_configuration::keys;
use clientele_configuration::{ConfigService, ResolvedConfig, Scope};
use clientele_customers::{Accounts, Customer, ShopperAuth};
use clientele_events::{EventType, NewEvent};
use clientele_kernel::acting;
use clientele_kernel::db::begin_write;
use clientele_kernel::{Clock, Error, InternalContext, Result};
use clientele_sessions::hash_secret;
use clientele_staff::{Actor, StaffService, acl};
use clientele_stores::StoreService;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::audit::{LogLine, LogResult, append};
use crate::entity::{code, session};
use crate::model::{
    Assistant, AssistedSession, AssistedSignIn, OneTimeCode, Refusal, StoreChoice, Target,
    is_one_time_code,
};

use keys::customer::ACCOUNT_SHARE_SCOPE;
use keys::login_as_customer::{
    GENERAL_ENABLED as ENABLED, GENERAL_ONE_TIME_CODE_LIFETIME as CODE_LIFETIME_SECONDS,
    GENERAL_SESSION_LIFETIME as SESSION_LIFETIME_MINUTES,
    GENERAL_STORE_VIEW_MANUAL_CHOICE_ENABLED as MANUAL_STORE_VIEW,
};
const MAX_REASON_CHARS: usize = 1000;

/// Login as Customer over the customer records, staff sessions and store hierarchy.
#[derive(Clone)]
pub struct AssistanceService {
    pub(crate) db: DatabaseConnection,
    config: ConfigService,
    stores: StoreService,
    accounts: Accounts,
    shoppers: ShopperAuth,
    staff: StaffService,
    clock: Clock,
}

/// A customer and store view that passed every gate.
struct Admitted {
    customer: Customer,
    store_view_id: i32,
}

/// Where a new assisted session comes from, for the log.
struct Opening<'a> {
    action: &'static str,
    staff_user_id: i32,
    staff_session_id: &'a str,
    reason: Option<String>,
    ip: Option<String>,
    /// The one-time code used up by opening the session, if any.
    code_hash: Option<String>,
}

impl AssistanceService {
    /// The service over its collaborators, telling the time by `clock`.
    pub fn new(
        db: DatabaseConnection,
        config: ConfigService,
        stores: StoreService,
        accounts: Accounts,
        shoppers: ShopperAuth,
        staff: StaffService,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            config,
            stores,
            accounts,
            shoppers,
            staff,
            clock,
        }
    }

    /// Whether `Enable Login as Customer` is on.
    pub async fn is_enabled(&self) -> Result<bool> {
        Ok(self.global().await?.flag(ENABLED))
    }

    /// Signs `assistant` in as the target customer and returns the customer token.
    pub async fn sign_in_as(
        &self,
        assistant: &Assistant,
        target: Target,
        store: StoreChoice,
        reason: Option<String>,
    ) -> Result<std::result::Result<AssistedSignIn, Refusal>> {
        let reason = match checked_reason(reason, false) {
            Ok(reason) => reason,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let admitted = match self.admit(assistant, target, store, "login").await? {
            Ok(admitted) => admitted,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let opening = Opening {
            action: "login",
            staff_user_id: assistant.staff_user_id,
            staff_session_id: &assistant.staff_session_id,
            reason,
            ip: assistant.ip.clone(),
            code_hash: None,
        };
        let signed = self.open_session(&admitted, opening).await?;
        // Only an exchange can lose a race for its code; a direct sign-in always opens.
        signed
            .map(Ok)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("session not opened")))
    }

    /// Generates a single-use code for the customer (a reason is required), valid for the
    /// configured lifetime (60 seconds by default).
    pub async fn generate_code(
        &self,
        assistant: &Assistant,
        customer_id: i32,
        reason: String,
        store_view_id: Option<i32>,
    ) -> Result<std::result::Result<OneTimeCode, Refusal>> {
        let reason = match checked_reason(Some(reason), true) {
            Ok(Some(reason)) => reason,
            Ok(None) => return Ok(Err(Refusal::ReasonRequired)),
            Err(refusal) => return Ok(Err(refusal)),
        };
        let store = StoreChoice::Configured(store_view_id);
        let admitted = match self
            .admit(assistant, Target::Id(customer_id), store, "generate_code")
            .await?
        {
            Ok(admitted) => admitted,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let seconds = self
            .global()
            .await?
            .number(CODE_LIFETIME_SECONDS)
            .filter(|s| *s > 0)
            .unwrap_or(60);
        let now = self.clock.now();
        let expires_at = now + Duration::seconds(seconds);
        let plain = random_code()?;
        let staff_user_email = self.staff_email(assistant.staff_user_id).await?;
        let txn = begin_write(&self.db).await?;
        code::ActiveModel {
            code_hash: Set(hash_secret(&plain)),
            customer_id: Set(admitted.customer.id),
            staff_user_id: Set(assistant.staff_user_id),
            staff_session_id: Set(assistant.staff_session_id.clone()),
            store_view_id: Set(Some(admitted.store_view_id)),
            reason: Set(reason.clone()),
            created_at: Set(now),
            expires_at: Set(expires_at),
            used_at: Set(None),
        }
        .insert(&txn)
        .await?;
        append(
            &txn,
            self.clock.now(),
            vec![LogLine {
                action: "generate_code".into(),
                result: LogResult::Success,
                staff_user_id: assistant.staff_user_id,
                staff_user_email,
                customer_id: admitted.customer.id,
                website_id: admitted.customer.website_id,
                store_view_id: Some(admitted.store_view_id),
                session_id: None,
                ip: assistant.ip.clone(),
                reason: Some(reason),
                details: None,
            }],
        )
        .await?;
        txn.commit().await?;
        tracing::info!(
            staff_user_id = assistant.staff_user_id,
            customer_id = admitted.customer.id,
            "login as customer code generated"
        );
        Ok(Ok(OneTimeCode {
            code: plain,
            expires_at,
            customer_id: admitted.customer.id,
        }))
    }

    /// Exchanges a one-time code for an assisted session of the customer who signs in with
    /// `email` on `website_id`. `None` for anything that is not a live, unused code of that
    /// customer; a code is used up by its first successful exchange. The gates are checked again
    /// at exchange time: the staff session must still be live and permitted, the feature on, and
    /// the customer consenting.
    pub async fn exchange_code(
        &self,
        website_id: i32,
        email: &str,
        code: &str,
        ip: Option<String>,
    ) -> Result<Option<AssistedSignIn>> {
        if !is_one_time_code(code) {
            return Ok(None);
        }
        let hash = hash_secret(&code.to_ascii_lowercase());
        let now = self.clock.now();
        // The account first: its id finds the code on the account's own shard. An unknown email
        // looks for a code too (of an account that cannot exist), so that the time of a refusal
        // does not tell whether the email has an account.
        let customer = self.accounts.find_by_email(website_id, email).await?;
        let row = code::Entity::find()
            .filter(code::Column::CustomerId.eq(customer.as_ref().map_or(0, |c| c.id)))
            .filter(code::Column::CodeHash.eq(hash.as_str()))
            .one(&self.db)
            .await?
            .filter(|c| c.used_at.is_none() && c.expires_at > now);
        let (Some(customer), Some(row)) = (customer, row) else {
            return Ok(None);
        };
        let staff_live = self.staff_permitted(&row.staff_session_id).await?;
        let refusal = if !self.is_enabled().await? {
            Some("disabled")
        } else if !staff_live {
            Some("staff_session_ended")
        } else if !customer.allow_remote_shopping_assistance {
            Some(Refusal::NoConsent.as_str())
        } else if !customer.is_active {
            Some(Refusal::InactiveCustomer.as_str())
        } else {
            None
        };
        if let Some(why) = refusal {
            self.log_refusal(
                row.staff_user_id,
                &customer,
                "exchange_code",
                why,
                ip.clone(),
            )
            .await?;
            return Ok(None);
        }
        let store_view_id = match row.store_view_id {
            Some(id) => id,
            None => match self
                .store_view_for(&customer, StoreChoice::Configured(None))
                .await?
            {
                Ok(id) => id,
                Err(_) => return Ok(None),
            },
        };
        let admitted = Admitted {
            customer,
            store_view_id,
        };
        let opening = Opening {
            action: "exchange_code",
            staff_user_id: row.staff_user_id,
            staff_session_id: &row.staff_session_id,
            reason: Some(row.reason.clone()),
            ip,
            code_hash: Some(hash),
        };
        self.open_session(&admitted, opening).await
    }

    /// The assisted session behind a token, if it is still open: not ended or expired, the
    /// feature still on, and the staff session that opened it still live and permitted.
    pub async fn live_session(
        &self,
        session_id: &str,
        customer_id: i32,
    ) -> Result<Option<AssistedSession>> {
        let now = self.clock.now();
        let Some(row) = session::Entity::find()
            .filter(session::Column::CustomerId.eq(customer_id))
            .filter(session::Column::Id.eq(session_id))
            .one(&self.db)
            .await?
            .filter(|r| r.ended_at.is_none() && r.expires_at > now)
        else {
            return Ok(None);
        };
        if !self.is_enabled().await? || !self.staff_permitted(&row.staff_session_id).await? {
            return Ok(None);
        }
        Ok(Some(AssistedSession::from(row)))
    }

    /// Ends an assisted session (the storefront signed out of it); the customer's own sessions
    /// are left alone.
    pub async fn end_session(
        &self,
        session_id: &str,
        customer_id: i32,
        ip: Option<String>,
    ) -> Result<()> {
        let Some(row) = session::Entity::find()
            .filter(session::Column::CustomerId.eq(customer_id))
            .filter(session::Column::Id.eq(session_id))
            .one(&self.db)
            .await?
        else {
            return Ok(());
        };
        let session = AssistedSession::from(row);
        let txn = begin_write(&self.db).await?;
        let ended = session::Entity::update_many()
            .col_expr(session::Column::EndedAt, Some(self.clock.now()).into())
            .filter(session::Column::CustomerId.eq(customer_id))
            .filter(session::Column::Id.eq(session_id))
            .filter(session::Column::EndedAt.is_null())
            .exec(&txn)
            .await?;
        if ended.rows_affected == 1 {
            let now = self.clock.now();
            let ended = NewEvent::about_customer(
                EventType::AssistedSessionEnded,
                customer_id,
                session.website_id,
            )
            .with("session_id", session_id)
            .with("staff_user_id", session.staff_user_id);
            clientele_events::record(&txn, now, vec![ended]).await?;
            append(
                &txn,
                now,
                vec![session.line("logout".into(), LogResult::Success, ip)],
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Records, before they run, the changes requested in an assisted session: one `attempt`
    /// line per operation, naming the staff user next to the customer. The caller must not run
    /// them if this fails.
    pub async fn record_attempts(
        &self,
        session: &AssistedSession,
        operations: &[String],
        ip: Option<String>,
    ) -> Result<()> {
        let outcomes: Vec<(String, LogResult)> = operations
            .iter()
            .map(|o| (o.clone(), LogResult::Attempt))
            .collect();
        self.record_operations(session, &outcomes, ip).await
    }

    /// Records how each change requested in an assisted session ended.
    pub async fn record_outcomes(
        &self,
        session: &AssistedSession,
        outcomes: &[(String, bool)],
        ip: Option<String>,
    ) -> Result<()> {
        let outcomes: Vec<(String, LogResult)> = outcomes
            .iter()
            .map(|(o, ok)| {
                let result = if *ok {
                    LogResult::Success
                } else {
                    LogResult::Failure
                };
                (o.clone(), result)
            })
            .collect();
        self.record_operations(session, &outcomes, ip).await
    }

    async fn record_operations(
        &self,
        session: &AssistedSession,
        outcomes: &[(String, LogResult)],
        ip: Option<String>,
    ) -> Result<()> {
        let lines = outcomes
            .iter()
            .map(|(operation, result)| {
                // Operation names come from the request; the column holds 100 characters.
                let name: String = operation.chars().take(80).collect();
                session.line(format!("storefront:{name}"), *result, ip.clone())
            })
            .collect();
        append(&self.db, self.clock.now(), lines).await
    }

    /// Records that staff (or an integration, named `integration:<id>` with user id 0) granted or
    /// withdrew a customer's consent on the customer's behalf.
    pub async fn record_consent_change(
        &self,
        actor: &Actor,
        customer: &Customer,
        granted: bool,
        ip: Option<String>,
    ) -> Result<()> {
        let (staff_user_id, staff_user_email) = match actor {
            Actor::Staff { user_id, .. } => (*user_id, self.staff_email(*user_id).await?),
            Actor::Integration { integration_id, .. } => {
                (0, format!("integration:{integration_id}"))
            }
        };
        let details = if granted { "granted" } else { "withdrawn" };
        self.log_about_account(
            "consent_changed",
            LogResult::Success,
            (staff_user_id, staff_user_email),
            customer,
            ip,
            details,
        )
        .await
    }

    /// Deletes sessions and codes that expired more than a day ago; returns how many went.
    pub async fn purge_expired(&self) -> Result<u64> {
        let cutoff = self.clock.now() - Duration::days(1);
        let sessions = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(cutoff))
            .exec(&self.db)
            .await?;
        let codes = code::Entity::delete_many()
            .filter(code::Column::ExpiresAt.lt(cutoff))
            .exec(&self.db)
            .await?;
        Ok(sessions.rows_affected + codes.rows_affected)
    }

    /// The gates, in an order that tells a staff user nothing about customers they could not act
    /// as anyway: feature, permission, customer, website scope, consent, active, store view.
    async fn admit(
        &self,
        assistant: &Assistant,
        target: Target,
        store: StoreChoice,
        action: &'static str,
    ) -> Result<std::result::Result<Admitted, Refusal>> {
        if !self.is_enabled().await? {
            tracing::info!(
                staff_user_id = assistant.staff_user_id,
                outcome = "refused",
                reason = "disabled",
                "login as customer refused"
            );
            return Ok(Err(Refusal::Disabled));
        }
        if !assistant.permissions.allows(acl::LOGIN_AS_CUSTOMER_LOGIN) {
            tracing::warn!(
                staff_user_id = assistant.staff_user_id,
                outcome = "refused",
                reason = "not_permitted",
                "login as customer refused"
            );
            return Ok(Err(Refusal::NotPermitted));
        }
        let customer = match target {
            Target::Id(id) => match self.accounts.get(id).await {
                Ok(customer) => Some(customer),
                Err(Error::NotFound { .. }) => None,
                Err(other) => return Err(other),
            },
            Target::Email { website_id, email } => {
                self.accounts.find_by_email(website_id, &email).await?
            }
        };
        let Some(customer) = customer else {
            return Ok(Err(Refusal::UnknownCustomer));
        };
        if let Some(websites) = &assistant.permissions.website_ids
            && !websites.contains(&customer.website_id)
        {
            return Ok(Err(Refusal::WebsiteNotCovered));
        }
        let refusal = if !customer.allow_remote_shopping_assistance {
            Some(Refusal::NoConsent)
        } else if !customer.is_active {
            Some(Refusal::InactiveCustomer)
        } else {
            None
        };
        if let Some(refusal) = refusal {
            self.log_refusal(
                assistant.staff_user_id,
                &customer,
                action,
                refusal.as_str(),
                assistant.ip.clone(),
            )
            .await?;
            return Ok(Err(refusal));
        }
        let store_view_id = match self.store_view_for(&customer, store).await? {
            Ok(id) => id,
            Err(refusal) => return Ok(Err(refusal)),
        };
        Ok(Ok(Admitted {
            customer,
            store_view_id,
        }))
    }

    /// The store view an assisted session opens in. A chosen view must be active and one the
    /// customer's account works in; without one, manual selection refuses and auto-detection
    /// takes the view the account was created in, else its website's default view.
    async fn store_view_for(
        &self,
        customer: &Customer,
        choice: StoreChoice,
    ) -> Result<std::result::Result<i32, Refusal>> {
        let config = self.global().await?;
        let chosen = match choice {
            StoreChoice::Current(id) => Some(id),
            StoreChoice::Configured(id) => {
                if id.is_none() && config.text(MANUAL_STORE_VIEW) == "1" {
                    return Ok(Err(Refusal::StoreViewRequired));
                }
                id
            }
        };
        let global_accounts = config.text(ACCOUNT_SHARE_SCOPE) == "0";
        if let Some(id) = chosen {
            let view = match self.stores.view(id).await {
                Ok(view) => view,
                Err(Error::NotFound { .. }) => return Ok(Err(Refusal::StoreViewInvalid)),
                Err(other) => return Err(other),
            };
            let usable =
                view.is_active && (global_accounts || view.website_id == customer.website_id);
            return Ok(if usable {
                Ok(view.id)
            } else {
                Err(Refusal::StoreViewInvalid)
            });
        }
        if let Some(created_in) = customer.store_id {
            match self.stores.view(created_in).await {
                Ok(view) if view.is_active && view.website_id == customer.website_id => {
                    return Ok(Ok(view.id));
                }
                Ok(_) | Err(Error::NotFound { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        let website = self.stores.website(customer.website_id).await?;
        let Some(group_id) = website.default_group_id else {
            return Ok(Err(Refusal::StoreViewInvalid));
        };
        let group = self.stores.group(group_id).await?;
        let Some(view_id) = group.default_store_id else {
            return Ok(Err(Refusal::StoreViewInvalid));
        };
        let view = self.stores.view(view_id).await?;
        Ok(if view.is_active {
            Ok(view.id)
        } else {
            Err(Refusal::StoreViewInvalid)
        })
    }

    /// Uses up the code (if any), records the session and its log line in one transaction, then
    /// signs the token. `None` when another exchange used the code first.
    async fn open_session(
        &self,
        admitted: &Admitted,
        opening: Opening<'_>,
    ) -> Result<Option<AssistedSignIn>> {
        let minutes = self
            .global()
            .await?
            .number(SESSION_LIFETIME_MINUTES)
            .filter(|m| *m > 0)
            .unwrap_or(60);
        let now = self.clock.now();
        let expires_at = now + Duration::minutes(minutes);
        let session_id = uuid::Uuid::now_v7().to_string();
        let customer_id = admitted.customer.id;
        let staff_user_email = self.staff_email(opening.staff_user_id).await?;
        let txn = begin_write(&self.db).await?;
        if let Some(hash) = &opening.code_hash {
            // Only the first of two racing exchanges flips `used_at`.
            let claimed = code::Entity::update_many()
                .col_expr(code::Column::UsedAt, Some(now).into())
                .filter(code::Column::CustomerId.eq(customer_id))
                .filter(code::Column::CodeHash.eq(hash.as_str()))
                .filter(code::Column::UsedAt.is_null())
                .filter(code::Column::ExpiresAt.gt(now))
                .exec(&txn)
                .await?;
            if claimed.rows_affected != 1 {
                return Ok(None);
            }
        }
        session::ActiveModel {
            id: Set(session_id.clone()),
            customer_id: Set(customer_id),
            website_id: Set(admitted.customer.website_id),
            staff_user_id: Set(opening.staff_user_id),
            staff_user_email: Set(staff_user_email.clone()),
            staff_session_id: Set(opening.staff_session_id.to_owned()),
            store_view_id: Set(Some(admitted.store_view_id)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            ended_at: Set(None),
        }
        .insert(&txn)
        .await?;
        // Opened by the staff user, whichever client exchanged the code.
        let started = NewEvent::about_customer(
            EventType::AssistedSessionStarted,
            customer_id,
            admitted.customer.website_id,
        )
        .with("session_id", session_id.clone())
        .with("staff_user_id", opening.staff_user_id)
        .with("store_view_id", admitted.store_view_id)
        .with("expires_at", expires_at.to_rfc3339())
        .by(acting::Actor::Staff {
            staff_user_id: opening.staff_user_id,
        });
        clientele_events::record(&txn, now, vec![started]).await?;
        append(
            &txn,
            self.clock.now(),
            vec![LogLine {
                action: opening.action.into(),
                result: LogResult::Success,
                staff_user_id: opening.staff_user_id,
                staff_user_email,
                customer_id,
                website_id: admitted.customer.website_id,
                store_view_id: Some(admitted.store_view_id),
                session_id: Some(session_id.clone()),
                ip: opening.ip,
                reason: opening.reason,
                details: None,
            }],
        )
        .await?;
        txn.commit().await?;
        let token = self.shoppers.issue_assisted_token(
            customer_id,
            opening.staff_user_id,
            &session_id,
            now,
            expires_at,
        )?;
        tracing::info!(
            staff_user_id = opening.staff_user_id,
            customer_id,
            session_id = %session_id,
            action = opening.action,
            "login as customer session opened"
        );
        Ok(Some(AssistedSignIn {
            token,
            expires_at,
            session_id,
            customer_id,
            store_view_id: admitted.store_view_id,
        }))
    }

    async fn log_refusal(
        &self,
        staff_user_id: i32,
        customer: &Customer,
        action: &'static str,
        why: &str,
        ip: Option<String>,
    ) -> Result<()> {
        tracing::info!(
            staff_user_id,
            customer_id = customer.id,
            outcome = "refused",
            reason = why,
            "login as customer refused"
        );
        let staff_user_email = self.staff_email(staff_user_id).await?;
        self.log_about_account(
            action,
            LogResult::Failure,
            (staff_user_id, staff_user_email),
            customer,
            ip,
            why,
        )
        .await
    }

    /// Writes a log line about an account outside any session (no store view, no reason).
    async fn log_about_account(
        &self,
        action: &str,
        result: LogResult,
        (staff_user_id, staff_user_email): (i32, String),
        customer: &Customer,
        ip: Option<String>,
        details: &str,
    ) -> Result<()> {
        append(
            &self.db,
            self.clock.now(),
            vec![LogLine {
                action: action.into(),
                result,
                staff_user_id,
                staff_user_email,
                customer_id: customer.id,
                website_id: customer.website_id,
                store_view_id: None,
                session_id: None,
                ip,
                reason: None,
                details: Some(details.to_owned()),
            }],
        )
        .await
    }

    /// Whether the staff sign-in session is live and its role still allows Login as Customer.
    async fn staff_permitted(&self, staff_session_id: &str) -> Result<bool> {
        Ok(match self.staff.session_actor(staff_session_id).await? {
            Some(actor @ Actor::Staff { .. }) => {
                actor.permissions().allows(acl::LOGIN_AS_CUSTOMER_LOGIN)
            }
            _ => false,
        })
    }

    async fn staff_email(&self, staff_user_id: i32) -> Result<String> {
        match self.staff.user(staff_user_id).await {
            Ok(user) => Ok(user.email),
            Err(Error::NotFound { .. }) => Ok(String::new()),
            Err(other) => Err(other),
        }
    }

    async fn global(&self) -> Result<ResolvedConfig> {
        self.config.resolve(Scope::Default).await
    }
}

/// The reason as stored: trimmed, `None` when empty, refused over 1000 characters.
fn checked_reason(
    reason: Option<String>,
    required: bool,
) -> std::result::Result<Option<String>, Refusal> {
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    match reason {
        None if required => Err(Refusal::ReasonRequired),
        Some(r) if r.chars().count() > MAX_REASON_CHARS => Err(Refusal::ReasonTooLong),
        other => Ok(other),
    }
}

/// 128 random bits as 32 lowercase hexadecimal characters (the shape Adobe Commerce's codes have).
fn random_code() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).internal("random")?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl From<session::Model> for AssistedSession {
    fn from(row: session::Model) -> Self {
        Self {
            id: row.id,
            customer_id: row.customer_id,
            website_id: row.website_id,
            store_view_id: row.store_view_id,
            staff_user_id: row.staff_user_id,
            staff_user_email: row.staff_user_email,
        }
    }
}

impl AssistedSession {
    /// A log line about this session.
    fn line(&self, action: String, result: LogResult, ip: Option<String>) -> LogLine {
        LogLine {
            action,
            result,
            staff_user_id: self.staff_user_id,
            staff_user_email: self.staff_user_email.clone(),
            customer_id: self.customer_id,
            website_id: self.website_id,
            store_view_id: self.store_view_id,
            session_id: Some(self.id.clone()),
            ip,
            reason: None,
            details: None,
        }
    }
}
