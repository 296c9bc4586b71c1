//! What the customers crate lends to the crates beside it, through the ports they declare: who
//! owns an email address (newsletter) and the accounts Now Online lists (activity).

use clientele_activity::AccountDirectory;
use clientele_kernel::Result;
use clientele_newsletter::EmailOwners;

use super::Accounts;

#[async_trait::async_trait]
impl EmailOwners for Accounts {
    async fn owner_of(&self, website_id: i32, email: &str) -> Result<Option<i32>> {
        Ok(self
            .shared
            .account_by_email(website_id, email)
            .await?
            .map(|owner| owner.id))
    }
}

impl AccountDirectory for Accounts {
    fn accounts_relation(&self) -> &'static str {
        "SELECT id, website_id, is_active, firstname, lastname, email, email_key, \
         billing_company AS company FROM customers"
    }
}
