//! Email uniqueness. An email key belongs to one account per email scope (a website, or 0 while
//! accounts are shared globally): one `customer_emails` row per (email key, scope) names the
//! account, written in the transaction that creates, re-addresses or deletes it. The rows are keyed
//! by the email rather than by the account so that uniqueness holds when accounts are spread over
//! database nodes by their id (Citus).

use clientele_kernel::db::is_unique_violation;
use clientele_kernel::{Error, Result};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::accounts::record::DUPLICATE_EMAIL;
use crate::entity::{customer, customer_email};

/// Rows of one insert: three values each, well under SQLite's 32,766 bound values.
const CHUNK: usize = 1_000;

/// An account's hold on its email in its scope.
pub(crate) struct Claim<'a> {
    /// The lowercase email.
    pub email_key: &'a str,
    /// The website, or 0 while accounts are shared globally.
    pub email_scope_id: i32,
    /// The account.
    pub customer_id: i32,
}

impl<'a> From<&'a customer::Model> for Claim<'a> {
    fn from(m: &'a customer::Model) -> Self {
        Self {
            email_key: &m.email_key,
            email_scope_id: m.email_scope_id,
            customer_id: m.id,
        }
    }
}

/// Records each claim. Fails with Adobe Commerce's duplicate-email conflict (and the caller's
/// transaction must be rolled back) when another account holds one of the emails.
pub(crate) async fn claim<'a>(
    db: &impl ConnectionTrait,
    claims: impl IntoIterator<Item = Claim<'a>>,
) -> Result<()> {
    let claims: Vec<Claim<'a>> = claims.into_iter().collect();
    for chunk in claims.chunks(CHUNK) {
        let rows = chunk.iter().map(|c| customer_email::ActiveModel {
            email_key: sea_orm::ActiveValue::Set(c.email_key.to_owned()),
            email_scope_id: sea_orm::ActiveValue::Set(c.email_scope_id),
            customer_id: sea_orm::ActiveValue::Set(c.customer_id),
        });
        customer_email::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await
            .map_err(duplicate)?;
    }
    Ok(())
}

/// Records the claims of the accounts `ids` as they are stored: accounts just inserted in bulk,
/// read back by id rather than paired with the inserted rows by position (the order of the ids an
/// insert returns is not promised).
pub(crate) async fn claim_accounts(db: &impl ConnectionTrait, ids: &[i32]) -> Result<()> {
    for chunk in ids.chunks(CHUNK) {
        let list = chunk
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        db.execute_unprepared(&format!(
            "INSERT INTO customer_emails (email_key, email_scope_id, customer_id) \
             SELECT email_key, email_scope_id, id FROM customers WHERE id IN ({list})"
        ))
        .await
        .map_err(duplicate)?;
    }
    Ok(())
}

/// Gives up the emails of `accounts` (deleted, or about to be re-addressed).
pub(crate) async fn release(db: &impl ConnectionTrait, accounts: &[customer::Model]) -> Result<()> {
    for chunk in accounts.chunks(CHUNK) {
        // An account holds exactly one row, under its own key: matching both the keys and the
        // ids removes those rows and no other, through the primary key's index.
        customer_email::Entity::delete_many()
            .filter(customer_email::Column::EmailKey.is_in(chunk.iter().map(|m| &m.email_key)))
            .filter(customer_email::Column::CustomerId.is_in(chunk.iter().map(|m| m.id)))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Adobe Commerce's duplicate-email conflict for a claim on a taken email.
fn duplicate(err: sea_orm::DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict(DUPLICATE_EMAIL.into())
    } else {
        err.into()
    }
}

/// Moves the claim of an account whose email or email scope changed from `current` to `next`.
pub(crate) async fn readdress(
    db: &impl ConnectionTrait,
    current: &customer::Model,
    next: &customer::Model,
) -> Result<()> {
    if current.email_key == next.email_key && current.email_scope_id == next.email_scope_id {
        return Ok(());
    }
    release(db, std::slice::from_ref(current)).await?;
    claim(db, [Claim::from(next)]).await
}

/// The account holding `key` in email scope `scope`: the claim, then the account, one shard each
/// on Citus. An unknown email reads an account too (one that cannot exist): answers take the same
/// round trips whether an account exists or not (sign-in and password reset).
pub(crate) async fn holder(
    db: &impl ConnectionTrait,
    scope: i32,
    key: &str,
) -> Result<Option<customer::Model>> {
    let claim = customer_email::Entity::find_by_id((key.to_owned(), scope))
        .one(db)
        .await?;
    // No account has id 0. The two reads are two snapshots: the account must still hold the email.
    let id = claim.map_or(0, |c| c.customer_id);
    Ok(customer::Entity::find_by_id(id)
        .filter(customer::Column::EmailKey.eq(key))
        .filter(customer::Column::EmailScopeId.eq(scope))
        .one(db)
        .await?)
}

/// Rebuilds every claim from the accounts' current email scopes, after account sharing switched
/// between per-website and global. Fails with a unique violation when two accounts of different
/// websites share an email and sharing became global.
pub(crate) async fn rebuild(db: &impl ConnectionTrait) -> std::result::Result<(), sea_orm::DbErr> {
    customer_email::Entity::delete_many().exec(db).await?;
    db.execute_unprepared(
        "INSERT INTO customer_emails (email_key, email_scope_id, customer_id) \
         SELECT email_key, email_scope_id, id FROM customers",
    )
    .await?;
    Ok(())
}
