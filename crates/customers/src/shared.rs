//! What every façade of the crate works over: the database, configuration, stores, the password
//! hasher, the newsletter and the clock, and the few reads all of them need (the rules of a
//! website, the account behind an email, the store view an account's emails go out in). Each
//! façade holds its own copy; none reaches into another's fields.

use clientele_configuration::{ConfigService, ResolvedConfig, Scope};
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Clock, Result};
use clientele_newsletter::NewsletterService;
use clientele_sessions::PasswordHasher;
use clientele_stores::StoreService;
use sea_orm::DatabaseConnection;

use crate::accounts::record::email_scope;
use crate::entity::customer;
use clientele_customer_rules::Rules;

/// The services and ports the customers crate is built on.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: ConfigService,
    pub(crate) stores: StoreService,
    pub(crate) hasher: PasswordHasher,
    pub(crate) newsletter: NewsletterService,
    pub(crate) clock: Clock,
}

impl Shared {
    /// The rules of `website_id`, as of today on the clock, with its configuration.
    pub(crate) async fn website_rules(&self, website_id: i32) -> Result<(Rules, ResolvedConfig)> {
        let config = self.config.resolve(Scope::Website(website_id)).await?;
        Ok((Rules::from_config(&config, self.clock.today()), config))
    }

    /// The account that signs in with `email` on `website_id` (following account sharing).
    pub(crate) async fn account_by_email(
        &self,
        website_id: i32,
        email: &str,
    ) -> Result<Option<customer::Model>> {
        let config = self.config.resolve(Scope::Website(website_id)).await?;
        let (_, key) = normalize_email("email", email)?;
        crate::emails::holder(&self.db, email_scope(&config, website_id), &key).await
    }
}
