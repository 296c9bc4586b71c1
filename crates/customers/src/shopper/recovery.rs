//! Email confirmation and password reset. Reset tokens are 256 random bits, stored only as a
//! SHA-256 hash, single use, and only the newest one of an account is valid; requests are rate
//! limited by email and by IP as configured. Asking for a reset never tells whether the account
//! exists.

use chrono::Duration;
use clientele_configuration::keys;
use clientele_configuration::{ResolvedConfig, Scope};
use clientele_events::EventType;
use clientele_kernel::acting;
use clientele_kernel::db::begin_write;
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Error, Result};
use clientele_mail::TemplateCode;
use clientele_sessions::{OpaqueSecret, constant_time_eq, hash_secret};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, Statement,
};
use serde_json::json;

use super::ShopperAuth;
use super::self_service::NewPassword;
use crate::accounts::record::{find, save};
use crate::entity::{customer, password_reset, reset_request};
use crate::model::Customer;
use crate::notices::{link, notify, welcome};

/// Adobe Commerce's answer to a wrong or used confirmation key.
pub const CONFIRMATION_INVALID: &str =
    "The confirmation token is invalid. Verify the token and try again.";

/// Adobe Commerce's answer to a reset with a wrong, used or expired token.
pub const RESET_REFUSED: &str = "Cannot set the customer's password";

/// The answer once reset requests exceed the configured limits.
pub const TOO_MANY_RESETS: &str =
    "We received too many requests for password resets. Please wait and try again later.";

impl ShopperAuth {
    /// Confirms an account's email with the key from the confirmation email, and sends the
    /// "confirmed" welcome. The shopper then signs in as usual.
    pub async fn confirm_email(&self, website_id: i32, email: &str, key: &str) -> Result<Customer> {
        let account = self
            .shared
            .account_by_email(website_id, email)
            .await?
            .ok_or_else(|| Error::invalid("confirmation_key", CONFIRMATION_INVALID))?;
        let Some(expected) = &account.confirmation else {
            return Err(Error::invalid("email", "The account is already active."));
        };
        if !constant_time_eq(expected.as_bytes(), key.trim().as_bytes()) {
            return Err(Error::invalid("confirmation_key", CONFIRMATION_INVALID));
        }
        let store = self.shared.store_context(&account, None).await?;
        let txn = begin_write(&self.shared.db).await?;
        let current = find(&txn, account.id).await?;
        if current.confirmation.as_deref() != Some(expected.as_str()) {
            return Err(Error::invalid("confirmation_key", CONFIRMATION_INVALID));
        }
        let mut next = current.clone();
        next.confirmation = None;
        let now = self.shared.clock.now();
        let row = save(&txn, &current, next, now).await?;
        let vars = json!({});
        notify(&txn, TemplateCode::Confirmed, &store, &row, None, vars, now).await?;
        txn.commit().await?;
        tracing::info!(customer_id = row.id, "customer email confirmed");
        Ok(row.into())
    }

    /// Sends the confirmation email again, with Adobe Commerce's answers for an unknown or a
    /// confirmed email. The email is written after the answer, off the request path, so the time
    /// an answer takes tells nothing more than its words.
    pub async fn resend_confirmation(&self, website_id: i32, email: &str) -> Result<()> {
        let account = self
            .shared
            .account_by_email(website_id, email)
            .await?
            .ok_or_else(|| {
                Error::invalid(
                    "email",
                    "There is no user registered with that email address.",
                )
            })?;
        if account.confirmation.is_none() {
            return Err(Error::invalid("email", "Confirmation isn't needed."));
        }
        let this = self.clone();
        tokio::spawn(async move {
            let sent = async {
                let store = this.shared.store_context(&account, None).await?;
                welcome(&this.shared.db, &store, &account, this.shared.clock.now()).await
            };
            if let Err(err) = sent.await {
                tracing::error!(customer_id = account.id, error = %err, "confirmation email not written");
            }
        });
        Ok(())
    }

    /// Emails a reset link to the customer (staff-initiated reset; the hourly limit applies).
    pub async fn send_password_reset(&self, customer_id: i32) -> Result<()> {
        let account = find(&self.shared.db, customer_id).await?;
        let store = self.shared.store_context(&account, None).await?;
        let config = self
            .shared
            .config
            .resolve(Scope::StoreView(store.front.store_id))
            .await?;
        self.throttle_resets(&config, &account.email_key, None)
            .await?;
        self.issue_reset(&account, &store).await
    }

    /// A storefront reset request: always answers the same way, emails a link only when the
    /// account exists, and refuses when the configured limits are exceeded. Known and unknown
    /// emails take the same steps until the answer (the limits, then one lookup); the link is
    /// issued after it, off the request path, so timing does not tell whether the account exists.
    pub async fn request_password_reset(&self, store_id: i32, email: &str, ip: &str) -> Result<()> {
        let view = self.shared.stores.view(store_id).await?;
        let config = self
            .shared
            .config
            .resolve(Scope::StoreView(store_id))
            .await?;
        let (_, key) = normalize_email("email", email)?;
        self.throttle_resets(&config, &key, Some(ip)).await?;
        let Some(account) = self.shared.account_by_email(view.website_id, email).await? else {
            tracing::info!(outcome = "unknown", "password reset requested");
            return Ok(());
        };
        let this = self.clone();
        // The link is issued on the requester's behalf, after the answer.
        acting::spawn_as_current(async move {
            let issued = async {
                let store = this.shared.store_context(&account, Some(store_id)).await?;
                this.issue_reset(&account, &store).await
            };
            if let Err(err) = issued.await {
                tracing::error!(customer_id = account.id, error = %err, "password reset not issued");
            }
        });
        Ok(())
    }

    /// Counts the request and refuses it beyond the configured limits (per hour, and the minimum
    /// time between requests), by email, by IP or both, as the protection type says.
    async fn throttle_resets(
        &self,
        config: &ResolvedConfig,
        email_key: &str,
        ip: Option<&str>,
    ) -> Result<()> {
        // Staff resets (no address) count against the customer's email only.
        let ip: String = ip.unwrap_or_default().chars().take(64).collect();
        let protection = config.text(keys::customer::PASSWORD_PASSWORD_RESET_PROTECTION_TYPE);
        let per_hour = config
            .number(keys::customer::PASSWORD_MAX_NUMBER_PASSWORD_RESET_REQUESTS)
            .unwrap_or(5);
        let gap = Duration::minutes(
            config
                .number(keys::customer::PASSWORD_MIN_TIME_BETWEEN_PASSWORD_RESET_REQUESTS)
                .unwrap_or(10),
        );
        let mut limits = Vec::new();
        if matches!(protection, "1" | "3") {
            limits.push((
                format!("reset:email:{email_key}"),
                reset_request::Column::EmailKey.eq(email_key),
            ));
        }
        if matches!(protection, "1" | "2") && !ip.is_empty() {
            limits.push((
                format!("reset:ip:{ip}"),
                reset_request::Column::Ip.eq(ip.clone()),
            ));
        }
        // Requests of one email or address are counted one at a time, so a burst cannot slip
        // past the limits between a count and its record (SQLite's write transactions are
        // serial already).
        let txn = begin_write(&self.shared.db).await?;
        if txn.get_database_backend() == DbBackend::Postgres && !limits.is_empty() {
            // Taken in the order of the lock numbers themselves, once each: two requests whose
            // keys hash alike never wait for each other in a cycle.
            let slots: Vec<String> = (1..=limits.len()).map(|i| format!("(${i})")).collect();
            let sql = format!(
                "SELECT pg_advisory_xact_lock(h) FROM \
                 (SELECT DISTINCT hashtext(k) AS h FROM (VALUES {}) AS v(k) ORDER BY h) AS locks",
                slots.join(", ")
            );
            let keys = limits.iter().map(|(key, _)| key.as_str().into());
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                keys,
            ))
            .await?;
        }
        let now = self.shared.clock.now();
        for (_, condition) in limits {
            let recent = reset_request::Entity::find()
                .filter(condition)
                .filter(reset_request::Column::CreatedAt.gt(now - Duration::hours(1)));
            let too_soon = gap > Duration::zero()
                && recent
                    .clone()
                    .filter(reset_request::Column::CreatedAt.gt(now - gap))
                    .one(&txn)
                    .await?
                    .is_some();
            let too_many = per_hour > 0 && recent.count(&txn).await? >= per_hour as u64;
            if too_soon || too_many {
                tracing::warn!(outcome = "throttled", "password reset refused");
                return Err(Error::RateLimited(TOO_MANY_RESETS.into()));
            }
        }
        reset_request::Entity::insert(reset_request::ActiveModel {
            email_key: Set(email_key.to_owned()),
            ip: Set(ip),
            created_at: Set(now),
            ..Default::default()
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Stores a new token (replacing any earlier one) and writes the reset email, together.
    async fn issue_reset(
        &self,
        account: &customer::Model,
        store: &crate::notices::StoreContext,
    ) -> Result<()> {
        let secret = OpaqueSecret::generate("")?;
        let url = link(
            store,
            "customer/account/createPassword/",
            &[("token", &secret.plain), ("email", &account.email)],
        );
        let now = self.shared.clock.now();
        let txn = begin_write(&self.shared.db).await?;
        password_reset::Entity::insert(password_reset::ActiveModel {
            customer_id: Set(account.id),
            token_hash: Set(secret.hash.clone()),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(password_reset::Column::CustomerId)
                .update_columns([
                    password_reset::Column::TokenHash,
                    password_reset::Column::CreatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        notify(
            &txn,
            TemplateCode::ResetLink,
            store,
            account,
            None,
            json!({"link": url, "token": secret.plain, "hours": store.reset_hours}),
            now,
        )
        .await?;
        let requested = crate::events::about(EventType::PasswordResetRequested, account);
        clientele_events::record(&txn, now, vec![requested]).await?;
        txn.commit().await?;
        tracing::info!(customer_id = account.id, "password reset link issued");
        Ok(())
    }
}

impl ShopperAuth {
    /// Sets a new password with a reset token: the token must be the account's newest, unused and
    /// within the link lifetime. The reset clears a lockout, ends every token of the account, and
    /// confirms nothing else.
    pub async fn reset_password(
        &self,
        website_id: i32,
        email: &str,
        token: &str,
        new_password: &str,
    ) -> Result<()> {
        let shared = &self.shared;
        let refused = || Error::invalid("resetPasswordToken", RESET_REFUSED);
        let token_hash = hash_secret(token);
        // The token is checked first, and every refusal reads the same, so the answers tell
        // nothing about the account and cost no hashing before a valid token is shown.
        let account = shared
            .account_by_email(website_id, email)
            .await?
            .ok_or_else(refused)?;
        let store = shared.store_context(&account, None).await?;
        let cutoff = self.shared.clock.now() - Duration::hours(store.reset_hours);
        let stored = password_reset::Entity::find_by_id(account.id)
            .one(&shared.db)
            .await?;
        if !stored.is_some_and(|s| s.token_hash == token_hash && s.created_at > cutoff) {
            return Err(refused());
        }
        let config = shared
            .config
            .resolve(Scope::StoreView(store.front.store_id))
            .await?;
        let hash = self
            .hash_new_password(&config, &account, &store, new_password)
            .await?;
        let txn = begin_write(&shared.db).await?;
        // Consuming the token is one conditional delete: of two resets racing with one token,
        // exactly one succeeds.
        let consumed = password_reset::Entity::delete_many()
            .filter(password_reset::Column::CustomerId.eq(account.id))
            .filter(password_reset::Column::TokenHash.eq(token_hash))
            .filter(password_reset::Column::CreatedAt.gt(cutoff))
            .exec(&txn)
            .await?
            .rows_affected;
        if consumed != 1 {
            return Err(refused());
        }
        let row = self
            .write_new_password(&txn, account.id, hash, &store, NewPassword::Reset)
            .await?;
        txn.commit().await?;
        tracing::info!(customer_id = row.id, "password reset");
        Ok(())
    }
}
