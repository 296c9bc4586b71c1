//! Server-to-server sign-in for shoppers an external identity provider vouched for (social
//! login through a trusted backend, Adobe Commerce's `exchangeExternalCustomerToken`): the
//! account with the email on the store view's website, created without a password when there
//! is none, and a token of the shopper's own.

use clientele_configuration::Scope;
use clientele_configuration::keys;
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Error, Result};

use super::ShopperAuth;
use super::self_service::{ACCOUNT_LOCKED, EmailCheck, Registration};
use super::sign_in::{NOT_CONFIRMED, SIGN_IN_FAILED, SignedIn};
use crate::accounts::record::email_scope;
use crate::model::Customer;

/// Why an external sign-in of an account on another website is refused.
pub const OUTSIDE_WEBSITES: &str =
    "The account belongs to a website the integration does not cover.";

/// The outcome of an external sign-in.
#[derive(Debug, Clone)]
pub struct ExternalSignIn {
    /// The signed-in account.
    pub customer: Customer,
    /// Whether the sign-in created it.
    pub created: bool,
    /// The shopper's token.
    pub signed: SignedIn,
}

impl ShopperAuth {
    /// Signs in the shopper with `registration`'s email on the store view's website. An existing
    /// account is used as it is (the identity provider vouches for the email, not for the other
    /// fields); otherwise the account is created from `registration`, with its email taken as
    /// confirmed. Deactivated, locked and still unconfirmed accounts are refused, and so is an
    /// account of a website outside `covered_websites` (the calling integration's websites,
    /// `None` for all), which a global account scope would otherwise reach.
    pub async fn sign_in_external(
        &self,
        registration: Registration,
        covered_websites: Option<&[i32]>,
    ) -> Result<ExternalSignIn> {
        let shared = &self.shared;
        let view = shared
            .stores
            .view(registration.store_id)
            .await
            .map_err(|e| e.missing_as_invalid("store", "The store view does not exist."))?;
        let config = shared
            .config
            .resolve(Scope::Website(view.website_id))
            .await?;
        let (_, key) = normalize_email("email", &registration.customer.email)?;
        let scope = email_scope(&config, view.website_id);
        let find = || crate::emails::holder(&shared.db, scope, &key);
        let (account, created) = match find().await? {
            Some(row) => (Customer::from(row), false),
            None => match self
                .create_account(registration, EmailCheck::Verified)
                .await
            {
                Ok(account) => (account, true),
                // Two sign-ins of a new shopper at once: the other one created the account.
                Err(Error::Conflict(_)) => match find().await? {
                    Some(row) => (Customer::from(row), false),
                    None => return Err(Error::Conflict(SIGN_IN_FAILED.into())),
                },
                Err(other) => return Err(other),
            },
        };
        if covered_websites.is_some_and(|ids| !ids.contains(&account.website_id)) {
            tracing::warn!(
                customer_id = account.id,
                outcome = "refused",
                "external sign-in of an account outside the integration's websites"
            );
            return Err(Error::Forbidden(OUTSIDE_WEBSITES.into()));
        }
        if !account.is_active {
            tracing::info!(
                customer_id = account.id,
                outcome = "refused",
                "external sign-in of an inactive account"
            );
            return Err(Error::Unauthenticated(SIGN_IN_FAILED.into()));
        }
        // An account signed up by hand still waits for the confirmation it was sent.
        if account.confirmation_pending && config.flag(keys::customer::CREATE_ACCOUNT_CONFIRM) {
            return Err(Error::Unauthenticated(NOT_CONFIRMED.into()));
        }
        if !self.record_success(account.id, None, None).await? {
            return Err(Error::Unauthenticated(ACCOUNT_LOCKED.into()));
        }
        let signed = self.issue_token(account.id, &config, self.shared.clock.now())?;
        tracing::info!(
            customer_id = account.id,
            created,
            "shopper signed in through an external identity provider"
        );
        Ok(ExternalSignIn {
            customer: account,
            created,
            signed,
        })
    }
}
