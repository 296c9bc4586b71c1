//! What shoppers do to their own accounts: sign up, prove their password, change it or their email,
//! and close the account. Every change of credentials ends the customer's tokens, so a stolen
//! token stops working as soon as the owner reacts.

use clientele_configuration::keys;
use clientele_configuration::{ResolvedConfig, Scope};
use clientele_kernel::db::begin_write;
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Error, InternalContext, Result};
use clientele_mail::TemplateCode;
use clientele_sessions::{PasswordContext, PasswordRules, check_password};
use sea_orm::DatabaseTransaction;
use serde_json::json;

use super::ShopperAuth;
use super::sign_in::{Checked, SessionRef, Settle, end_sessions};
use crate::accounts::Credentials;
use crate::accounts::record::{find, save};
use crate::entity::customer;
use crate::model::{Customer, NewCustomer};
use crate::notices::{StoreContext, notify};

/// How a password came to be replaced.
pub(crate) enum NewPassword<'a> {
    /// By the signed-in shopper, in `session`, which stays signed in.
    Changed(&'a SessionRef),
    /// With a reset link, which also lifts a lock.
    Reset,
}

/// Adobe Commerce's answer to a wrong current password.
pub const WRONG_PASSWORD: &str = "Invalid login or password.";

/// Adobe Commerce's answer when a signed-in shopper's account is locked.
pub const ACCOUNT_LOCKED: &str = "The account is locked.";

/// A storefront sign-up.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    /// The store view signed up in; it decides the website and the configuration.
    pub store_id: i32,
    /// The account's fields (its website, store view and group are decided here).
    pub customer: NewCustomer,
    /// The chosen password; an account without one signs in after a password reset.
    pub password: Option<String>,
    /// Subscribe to the newsletter (ignored while the newsletter is off).
    pub subscribe: bool,
}

/// Whether a new account's email address must still be confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EmailCheck {
    /// As the website requires (a shopper signing up).
    AsConfigured,
    /// Already verified by an identity provider the store trusts (external sign-in).
    Verified,
}

/// Checks a new password against the password policy of a configuration scope; `store_names`
/// are the names of the store the account belongs to, which a guesser would try first.
pub fn check_new_password(
    config: &ResolvedConfig,
    field: &str,
    password: &str,
    email: &str,
    store_names: &[&str],
) -> Result<()> {
    check_password(
        field,
        password,
        &PasswordRules::configured(config),
        &PasswordContext {
            email,
            names: store_names,
        },
    )
}

/// A confirmation key: 128 random bits, hex.
fn confirmation_key() -> Result<String> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).internal("random")?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl ShopperAuth {
    /// Signs a shopper up in a store view: the password policy is checked and the password
    /// hashed, the account waits for email confirmation when the website requires it, and the
    /// newsletter subscription is written in the same transaction as the account.
    pub async fn register(&self, registration: Registration) -> Result<Customer> {
        self.create_account(registration, EmailCheck::AsConfigured)
            .await
    }

    /// Creates the account of a sign-up; `email` says whether the address still needs the
    /// confirmation the website may require.
    pub(crate) async fn create_account(
        &self,
        registration: Registration,
        email_check: EmailCheck,
    ) -> Result<Customer> {
        let shared = &self.shared;
        let view = shared
            .stores
            .view(registration.store_id)
            .await
            .map_err(|e| e.missing_as_invalid("store", "The store view does not exist."))?;
        let config = shared.config.resolve(Scope::StoreView(view.id)).await?;
        let (email, _) = normalize_email("email", &registration.customer.email)?;
        let password_hash = match &registration.password {
            Some(password) => {
                let website = shared.stores.website(view.website_id).await?;
                check_new_password(
                    &config,
                    "password",
                    password,
                    &email,
                    &[&view.name, &website.name],
                )?;
                Some(self.shared.hasher.hash(password).await?)
            }
            None => None,
        };
        let confirmation = if email_check == EmailCheck::AsConfigured
            && config.flag(keys::customer::CREATE_ACCOUNT_CONFIRM)
        {
            Some(confirmation_key()?)
        } else {
            None
        };
        let input = NewCustomer {
            website_id: Some(view.website_id),
            store_id: Some(view.id),
            group_id: None,
            is_active: Some(true),
            disable_auto_group_change: None,
            ..registration.customer
        };
        let subscribe = registration.subscribe && config.flag(keys::newsletter::GENERAL_ACTIVE);
        self.accounts
            .create_with(
                input,
                Credentials {
                    password_hash,
                    confirmation,
                    subscribe,
                    welcome: true,
                },
            )
            .await
    }

    /// Checks the signed-in shopper's current password before a sensitive change. A wrong password
    /// counts as a failed sign-in (and may lock the account); a locked account is refused.
    pub async fn check_current_password(&self, customer_id: i32, password: &str) -> Result<()> {
        let shared = &self.shared;
        let account = find(&shared.db, customer_id).await?;
        let config = shared
            .config
            .resolve(Scope::Website(account.website_id))
            .await?;
        match self
            .check_attempt(&account, &config, password, Settle::Now)
            .await?
        {
            Checked::Locked | Checked::Wrong { locked: true } => {
                Err(Error::Unauthenticated(ACCOUNT_LOCKED.into()))
            }
            Checked::Right { attempt, .. } => self.release_attempt(attempt).await,
            Checked::Wrong { locked: false } => Err(Error::Unauthenticated(WRONG_PASSWORD.into())),
        }
    }

    /// Changes the signed-in shopper's password after checking the current one; every other
    /// session ends, and `session`, the one making the change, stays signed in.
    pub async fn change_password(
        &self,
        customer_id: i32,
        session: &SessionRef,
        current_password: &str,
        new_password: &str,
    ) -> Result<Customer> {
        self.check_current_password(customer_id, current_password)
            .await?;
        let shared = &self.shared;
        let account = find(&shared.db, customer_id).await?;
        let config = shared
            .config
            .resolve(Scope::Website(account.website_id))
            .await?;
        let store = shared.store_context(&account, None).await?;
        let hash = self
            .hash_new_password(&config, &account, &store, new_password)
            .await?;
        let txn = begin_write(&shared.db).await?;
        let row = self
            .write_new_password(
                &txn,
                customer_id,
                hash,
                &store,
                NewPassword::Changed(session),
            )
            .await?;
        txn.commit().await?;
        tracing::info!(customer_id, "shopper changed password");
        Ok(row.into())
    }

    /// Checks `new_password` against the policy `config` sets for `account` (named by its
    /// storefront field, `newPassword`) and hashes it.
    pub(crate) async fn hash_new_password(
        &self,
        config: &ResolvedConfig,
        account: &customer::Model,
        store: &StoreContext,
        new_password: &str,
    ) -> Result<String> {
        check_new_password(
            config,
            "newPassword",
            new_password,
            &account.email,
            &store.names(),
        )?;
        self.shared.hasher.hash(new_password).await
    }

    /// Writes `hash` as the password of `customer_id` in `txn`, with what a new password brings:
    /// every session ends (but the one that changed it), a reset also lifts the lock, and the
    /// "password changed" email is written with the change.
    pub(crate) async fn write_new_password(
        &self,
        txn: &DatabaseTransaction,
        customer_id: i32,
        hash: String,
        store: &StoreContext,
        how: NewPassword<'_>,
    ) -> Result<customer::Model> {
        let current = find(txn, customer_id).await?;
        let mut next = current.clone();
        next.password_hash = Some(hash);
        let kept = match how {
            NewPassword::Changed(session) => Some(session),
            NewPassword::Reset => {
                next.failures_num = 0;
                next.first_failure = None;
                next.lock_expires = None;
                None
            }
        };
        let now = self.shared.clock.now();
        end_sessions(&mut next, now, kept);
        let row = save(txn, &current, next, now).await?;
        let code = TemplateCode::PasswordChanged;
        notify(txn, code, store, &row, None, json!({}), now).await?;
        Ok(row)
    }

    /// Changes the signed-in shopper's email after checking the password; every other session
    /// ends, and `session`, the one making the change, stays signed in.
    pub async fn change_email(
        &self,
        customer_id: i32,
        session: &SessionRef,
        email: &str,
        password: &str,
    ) -> Result<Customer> {
        self.check_current_password(customer_id, password).await?;
        let changed = self
            .accounts
            .update(
                customer_id,
                crate::model::CustomerPatch {
                    email: Some(email.to_owned()),
                    kept_session: Some(session.clone()),
                    ..Default::default()
                },
            )
            .await?;
        tracing::info!(customer_id, "shopper changed email");
        Ok(changed)
    }

    /// Refuses unless shoppers of the account's website may delete their accounts (the privacy
    /// service erases the account when they may).
    pub async fn ensure_may_close_account(&self, customer_id: i32) -> Result<()> {
        let shared = &self.shared;
        let account = find(&shared.db, customer_id).await?;
        let allowed = shared
            .config
            .resolve(Scope::Website(account.website_id))
            .await?
            .text(keys::customer::ACCOUNT_INFORMATION_ALLOW_CUSTOMER_DELETE)
            != "0";
        if !allowed {
            return Err(Error::Forbidden(
                "Deleting the account is not allowed. Contact the store.".into(),
            ));
        }
        Ok(())
    }
}
