//! Shoppers on the storefront: sign-in (with a password or vouched for by an identity provider),
//! their tokens, what they change on their own accounts, email confirmation, password recovery
//! and newsletter sign-up by email.

mod external;
mod recovery;
mod self_service;
mod sign_in;

use clientele_kernel::Result;
use clientele_newsletter::SubscriptionStatus;
use clientele_sessions::TokenIssuer;

use crate::accounts::Accounts;
use crate::shared::Shared;

pub use external::ExternalSignIn;
pub use self_service::{ACCOUNT_LOCKED, Registration, WRONG_PASSWORD, check_new_password};
pub(crate) use sign_in::end_sessions;
pub use sign_in::{
    ASSISTED_TOKEN_TYPE, ActingParty, NOT_CONFIRMED, SHOPPER_AUDIENCE, SIGN_IN_FAILED, SessionRef,
    ShopperClaims, ShopperSession, SignedIn, TokenRefusal,
};

/// Signs shoppers in and out, checks their tokens, and carries out what shoppers do to their
/// own accounts. New accounts and email changes go through [`Accounts`], which owns the record.
#[derive(Clone)]
pub struct ShopperAuth {
    shared: Shared,
    accounts: Accounts,
    tokens: TokenIssuer,
}

impl ShopperAuth {
    pub(crate) fn new(shared: Shared, accounts: Accounts, tokens: TokenIssuer) -> Self {
        Self {
            shared,
            accounts,
            tokens,
        }
    }

    /// `subscribeEmailToNewsletter` for the signed-in customer (`customer_id`) or a guest; see
    /// [`clientele_newsletter::NewsletterService::subscribe_email`].
    pub async fn subscribe_email(
        &self,
        store_id: i32,
        email: &str,
        customer_id: Option<i32>,
    ) -> Result<SubscriptionStatus> {
        self.shared
            .newsletter
            .subscribe_email(store_id, email, customer_id, &self.accounts)
            .await
    }

    /// Confirms a subscription awaiting double opt-in with the code of its confirmation email.
    pub async fn confirm_subscription(&self, id: i32, code: &str) -> Result<SubscriptionStatus> {
        self.shared.newsletter.confirm_subscription(id, code).await
    }
}
