//! The account's part in a person's export and erasure: who they are, the record and address
//! book as exported, the suspension during a grace period, and the removal of the account.

use clientele_kernel::personal_data::DataSubject;
use clientele_kernel::{Error, Result};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;

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
    let Ok(Value::Object(mut fields)) = serde_json::to_value(account) else {
        return Value::Null;
    };
    fields.retain(|field, _| exported_field(field));
    fields.insert("confirmed".into(), account.confirmation.is_none().into());
    Value::Object(fields)
}

impl Accounts {
    /// The person behind account `id`, as of `txn`: its website and its email address (the
    /// caller adds the addresses it was known by before); with `lock`, the account stays locked
    /// until `txn` ends, so that no change to it slips in beside an erasure.
    pub async fn data_subject(
        &self,
        txn: &DatabaseTransaction,
        id: i32,
        lock: bool,
    ) -> Result<DataSubject> {
        let query = customer::Entity::find_by_id(id);
        let query = if lock { query.lock_exclusive() } else { query };
        let account = query
            .one(txn)
            .await?
            .ok_or_else(|| Error::not_found("Customer", id))?;
        Ok(DataSubject {
            customer_id: account.id,
            website_id: account.website_id,
            emails: vec![account.email_key],
        })
    }

    /// Which of `emails` another account than `id` uses now (the same address on another
    /// website, or an earlier address of `id` taken since): records kept under such an address
    /// alone may be the other account's.
    pub async fn addresses_of_others(
        &self,
        txn: &DatabaseTransaction,
        id: i32,
        emails: &[String],
    ) -> Result<Vec<String>> {
        Ok(customer::Entity::find()
            .select_only()
            .column(customer::Column::EmailKey)
            .filter(customer::Column::EmailKey.is_in(emails.to_vec()))
            .filter(customer::Column::Id.ne(id))
            .into_tuple()
            .all(txn)
            .await?)
    }

    /// Account `id` and its address book (each with its id) as the export of its owner's data
    /// shows them: every field but secrets and derived keys.
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
            .map(|row| (row.id, serde_json::to_value(&row).unwrap_or_default()))
            .collect();
        Ok((exported(&account), addresses))
    }

    /// Suspends account `id` while its erasure waits out the grace period (`active` false: it
    /// can no longer sign in and its tokens stop working), or lifts the suspension (`active` as
    /// before it). Returns whether it was active.
    pub async fn set_active(
        &self,
        txn: &DatabaseTransaction,
        id: i32,
        active: bool,
    ) -> Result<bool> {
        let current = find(txn, id).await?;
        let now = self.shared.clock.now();
        let mut next = current.clone();
        next.is_active = active;
        if !active {
            end_sessions(&mut next, now, None);
        }
        save(txn, &current, next, now).await?;
        Ok(current.is_active)
    }

    /// Removes account `id` in `txn` with everything that hangs off it (addresses, attribute
    /// values, sessions, reset links, sign-in records, email claims, newsletter subscriptions of
    /// the account), recording `customer.deleted` with ids only.
    pub(crate) async fn remove(&self, txn: &DatabaseTransaction, id: i32) -> Result<()> {
        let deleted = customer::Entity::delete_many()
            .filter(customer::Column::Id.eq(id))
            .exec_with_returning(txn)
            .await?;
        if deleted.is_empty() {
            return Err(Error::not_found("Customer", id));
        }
        forget_deleted(txn, &deleted, self.shared.clock.now(), CURRENT_ACTOR).await
    }

    /// Erases the account of `subject` in `txn` ([`Accounts::remove`]), and the password reset
    /// requests made for any of the person's addresses.
    pub async fn erase(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        reset_request::Entity::delete_many()
            .filter(reset_request::Column::EmailKey.is_in(subject.emails.clone()))
            .exec(txn)
            .await?;
        self.remove(txn, subject.customer_id).await
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
