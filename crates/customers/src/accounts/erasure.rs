//! The account's part in a person's erasure and in the export of their data: who the person
//! is (the account's website and address), the account record and address book as exported,
//! the suspension of an account waiting out an erasure's grace period, and the removal of the
//! account with everything that hangs off it.

use clientele_kernel::personal_data::DataSubject;
use clientele_kernel::{Error, Result};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Map, Value};

use super::Accounts;
use super::record::{CURRENT_ACTOR, find, forget_deleted, save};
use crate::entity::{address, customer, reset_request};
use crate::shopper::end_sessions;

/// Whether an export shows the account field `field`: not secrets, not derived keys, not the copy
/// of the default billing address (the address book is exported whole).
fn exported_field(field: &str) -> bool {
    !customer::SECRET_FIELDS.contains(&field)
        && !customer::DERIVED_FIELDS.contains(&field)
        && !field.starts_with("billing_")
}

/// An account as the export of its owner's data shows it.
fn exported(account: &customer::Model) -> Value {
    let mut fields = match serde_json::to_value(account) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    fields.retain(|field, _| exported_field(field));
    fields.insert("confirmed".into(), account.confirmation.is_none().into());
    Value::Object(fields)
}

impl Accounts {
    /// The person behind account `id`, as of `txn`: its website and its email address (the
    /// caller adds the addresses it was known by before).
    pub async fn data_subject(&self, txn: &DatabaseTransaction, id: i32) -> Result<DataSubject> {
        let account = find(txn, id).await?;
        Ok(DataSubject {
            customer_id: account.id,
            website_id: account.website_id,
            emails: vec![account.email_key],
        })
    }

    /// Account `id` and its address book as the export of its owner's data shows them: every
    /// field but secrets and internal keys. Returns the account and the address ids.
    pub async fn export_account(
        &self,
        txn: &DatabaseTransaction,
        id: i32,
    ) -> Result<(Value, Vec<(i32, Value)>)> {
        let account = find(txn, id).await?;
        let addresses = address::Entity::find()
            .filter(address::Column::CustomerId.eq(id))
            .order_by_asc(address::Column::Id)
            .all(txn)
            .await?
            .into_iter()
            .map(|row| {
                let id = row.id;
                let mut fields = match serde_json::to_value(&row) {
                    Ok(Value::Object(fields)) => fields,
                    _ => Map::new(),
                };
                fields.remove("customer_id");
                fields.insert(
                    "default_billing".into(),
                    (account.default_billing_id == Some(id)).into(),
                );
                fields.insert(
                    "default_shipping".into(),
                    (account.default_shipping_id == Some(id)).into(),
                );
                (id, Value::Object(fields))
            })
            .collect();
        Ok((exported(&account), addresses))
    }

    /// Suspends account `id` while its erasure waits out the grace period: it can no longer
    /// sign in and its tokens stop working. Returns whether it was active, to restore it so.
    pub async fn suspend(&self, txn: &DatabaseTransaction, id: i32) -> Result<bool> {
        let current = find(txn, id).await?;
        let now = self.shared.clock.now();
        let mut next = current.clone();
        next.is_active = false;
        end_sessions(&mut next, now, None);
        save(txn, &current, next, now).await?;
        Ok(current.is_active)
    }

    /// Lifts the suspension of account `id`, back to `active`.
    pub async fn reinstate(&self, txn: &DatabaseTransaction, id: i32, active: bool) -> Result<()> {
        let current = find(txn, id).await?;
        let mut next = current.clone();
        next.is_active = active;
        save(txn, &current, next, self.shared.clock.now()).await?;
        Ok(())
    }

    /// Removes account `id` in `txn` with everything that hangs off it (addresses, attribute
    /// values, sessions, reset links and requests, sign-in records, email claims, newsletter
    /// subscriptions of the account), recording `customer.deleted` with ids only. The password
    /// reset requests made for any of `subject`'s addresses go too.
    pub async fn erase(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        let deleted = customer::Entity::delete_many()
            .filter(customer::Column::Id.eq(subject.customer_id))
            .exec_with_returning(txn)
            .await?;
        if deleted.is_empty() {
            return Err(Error::not_found("Customer", subject.customer_id));
        }
        reset_request::Entity::delete_many()
            .filter(reset_request::Column::EmailKey.is_in(subject.emails.clone()))
            .exec(txn)
            .await?;
        let now = self.shared.clock.now();
        forget_deleted(txn, &deleted, now, CURRENT_ACTOR).await
    }
}

#[cfg(test)]
mod tests {
    use super::exported_field;

    #[test]
    fn no_secret_or_derived_key_of_the_account_is_exported() {
        for hidden in [
            "password_hash",
            "confirmation",
            "tokens_kept_session",
            "email_key",
            "billing_city",
        ] {
            assert!(!exported_field(hidden), "{hidden}");
        }
        for shown in ["email", "firstname", "lock_expires", "group_id"] {
            assert!(exported_field(shown), "{shown}");
        }
    }
}
