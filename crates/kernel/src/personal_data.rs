//! What each domain holds about a person, for the export of everything held about them and for
//! their erasure. Each domain that keeps personal data outside the customer record implements
//! [`PersonalData`] for its own tables; the privacy service runs them all in one transaction, so
//! an export is one consistent document and an erasure happens everywhere or nowhere.

use async_trait::async_trait;
use sea_orm::DatabaseTransaction;
use serde_json::Value;

use crate::Result;

/// The person an export or an erasure is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSubject {
    /// The customer account.
    pub customer_id: i32,
    /// The account's website.
    pub website_id: i32,
    /// Every email address the person was known by (the account's now and earlier ones),
    /// trimmed and lowercased: records kept by address (mail, throttles, guest subscriptions)
    /// are found by them.
    pub emails: Vec<String>,
}

impl DataSubject {
    /// Whether `address` is one of the person's addresses, ignoring case and surrounding space.
    pub fn has_email(&self, address: &str) -> bool {
        let address = address.trim().to_lowercase();
        self.emails.contains(&address)
    }
}

/// One domain's share of a person's data.
#[async_trait]
pub trait PersonalData: Send + Sync {
    /// The name of this domain's section in the export document (`timeline`, `emails`).
    fn section(&self) -> &'static str;

    /// Everything this domain holds about `subject`, as its section of the export; `None` when
    /// it holds nothing worth exporting (copies of what other sections already show).
    async fn export(
        &self,
        txn: &DatabaseTransaction,
        subject: &DataSubject,
    ) -> Result<Option<Value>>;

    /// Removes `subject`'s data from this domain's tables, or, where an append-only record must
    /// stay, keeps the record with the person's identity reduced to the customer id (which
    /// nothing links to a person once the account is gone).
    async fn erase(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()>;
}

#[cfg(test)]
mod tests {
    use super::DataSubject;

    #[test]
    fn a_subjects_addresses_match_whatever_their_case_and_spacing() {
        let subject = DataSubject {
            customer_id: 1,
            website_id: 1,
            emails: vec!["ann@example.com".into()],
        };
        assert!(subject.has_email(" Ann@Example.COM "));
        assert!(!subject.has_email("anne@example.com"));
    }
}
