//! The customer record's own rules: how a row becomes a `Customer`, the text the grid searches,
//! the email scope accounts are unique in, the group an account may belong to, and optimistic
//! writes that advance the version and retire pending reset links.

use chrono::{DateTime, Utc};
use clientele_configuration::ResolvedConfig;
use clientele_configuration::keys;
use clientele_events::NewEvent;
use clientele_kernel::acting::Actor;
use clientele_kernel::bulk::{Guard, update_models};
use clientele_kernel::db::{is_foreign_key_violation, is_unique_violation};
use clientele_kernel::{Error, Result};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter,
};

use crate::entity::customer;
use crate::events;
use crate::model::{Customer, Gender};

/// Message Adobe Commerce gives for a duplicate email.
pub(crate) const DUPLICATE_EMAIL: &str =
    "A customer with the same email address already exists in an associated website.";

impl From<customer::Model> for Customer {
    fn from(m: customer::Model) -> Self {
        Self {
            id: m.id,
            website_id: m.website_id,
            store_id: m.store_id,
            created_in: m.created_in,
            group_id: m.group_id,
            email: m.email,
            prefix: m.prefix,
            firstname: m.firstname,
            middlename: m.middlename,
            lastname: m.lastname,
            suffix: m.suffix,
            dob: m.dob,
            taxvat: m.taxvat,
            gender: m.gender.and_then(Gender::from_code),
            is_active: m.is_active,
            confirmation_pending: m.confirmation.is_some(),
            lock_expires: m.lock_expires,
            allow_remote_shopping_assistance: m.allow_remote_shopping_assistance,
            disable_auto_group_change: m.disable_auto_group_change,
            default_billing_id: m.default_billing_id,
            default_shipping_id: m.default_shipping_id,
            billing_telephone: m.billing_telephone,
            billing_postcode: m.billing_postcode,
            billing_country_code: m.billing_country_code,
            billing_region: m.billing_region,
            billing_city: m.billing_city,
            billing_company: m.billing_company,
            billing_street: m.billing_street,
            billing_vat_id: m.billing_vat_id,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

pub(crate) fn map_write_error(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict(DUPLICATE_EMAIL.into())
    } else if is_foreign_key_violation(&err) {
        Error::invalid("group_id", "The customer group does not exist.")
    } else {
        err.into()
    }
}

/// The lowercase text the grid's keyword search matches. It holds the email key as it is, which
/// the grid's email filter relies on to use the keyword index.
pub(crate) fn search_text(m: &customer::Model) -> String {
    [
        Some(m.firstname.as_str()),
        m.middlename.as_deref(),
        Some(m.lastname.as_str()),
        Some(m.email_key.as_str()),
        m.taxvat.as_deref(),
        m.billing_telephone.as_deref(),
        m.billing_postcode.as_deref(),
        m.billing_company.as_deref(),
        m.billing_city.as_deref(),
        m.billing_street.as_deref(),
        m.billing_region.as_deref(),
        m.billing_vat_id.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase()
}

pub(crate) fn email_scope(config: &ResolvedConfig, website_id: i32) -> i32 {
    if config.text(keys::customer::ACCOUNT_SHARE_SCOPE) == "0" {
        0
    } else {
        website_id
    }
}

/// Customers belong to a real group: NOT LOGGED IN (0) is for guests only.
pub(crate) fn customer_group(id: i32) -> Result<i32> {
    if id == 0 {
        return Err(Error::invalid(
            "group_id",
            "Customers cannot be assigned to the NOT LOGGED IN group.",
        ));
    }
    Ok(id)
}

pub(crate) fn stale() -> Error {
    Error::Conflict("The customer was changed by someone else. Reload it and try again.".into())
}

/// Who made the change to an account in a bulk write: `None` for the actor of the work running
/// now (a file row names itself).
pub(crate) type ActorOf<'a> = &'a (dyn Fn(i32) -> Option<Actor> + Sync);

/// The actor of the work running now, for every account.
pub(crate) const CURRENT_ACTOR: ActorOf<'static> = &|_| None;

/// Removes what the deleted `accounts` leave outside their own rows (the rows that reference
/// them go by foreign key): their email claims and their newsletter subscriptions; and records
/// their deletion at `now`, by `actor_of` each.
pub(crate) async fn forget_deleted(
    db: &impl ConnectionTrait,
    accounts: &[customer::Model],
    now: DateTime<Utc>,
    actor_of: ActorOf<'_>,
) -> Result<()> {
    crate::emails::release(db, accounts).await?;
    let ids: Vec<i32> = accounts.iter().map(|a| a.id).collect();
    clientele_newsletter::forget_customers(db, &ids).await?;
    let deleted = accounts
        .iter()
        .map(|account| by(events::deleted(account), actor_of(account.id)))
        .collect();
    clientele_events::record(db, now, deleted).await
}

fn by(event: NewEvent, actor: Option<Actor>) -> NewEvent {
    match actor {
        Some(actor) => event.by(actor),
        None => event,
    }
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: i32) -> Result<customer::Model> {
    customer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Customer", id))
}

/// A change to an account written in bulk: the account as read, and as it is to be.
pub(crate) struct Revision {
    /// The account as read.
    pub(crate) before: customer::Model,
    /// The account as it is to be.
    pub(crate) after: customer::Model,
}

/// `next` as the revision after `current` made at `now`: the version counter advances. A bulk
/// revision keeps the account's email key and scope (imports find accounts by them), so its
/// claim on the email stays as it is.
pub(crate) fn revision(
    current: customer::Model,
    mut next: customer::Model,
    now: DateTime<Utc>,
) -> Revision {
    debug_assert_eq!(
        (&current.email_key, current.email_scope_id),
        (&next.email_key, next.email_scope_id),
        "a bulk revision re-addressed an account"
    );
    next.id = current.id;
    next.version = current.version + 1;
    next.updated_at = now;
    Revision {
        before: current,
        after: next,
    }
}

/// Writes revisions made by [`revision`] at `now` in bulk, with their events by `actor_of` each;
/// fails as stale (and the caller's transaction must be rolled back) when any of the customers
/// changed since it was read.
pub(crate) async fn save_all(
    db: &impl ConnectionTrait,
    revisions: &[Revision],
    now: DateTime<Utc>,
    actor_of: ActorOf<'_>,
) -> Result<()> {
    let guard = Guard::<customer::Entity> {
        column: customer::Column::Version,
        expected: |m| (m.version - 1).into(),
    };
    let afters: Vec<customer::Model> = revisions.iter().map(|r| r.after.clone()).collect();
    let written = update_models(db, &[customer::Column::Id], Some(guard), &afters)
        .await
        .map_err(map_write_error)?;
    if written != revisions.len() as u64 {
        return Err(stale());
    }
    let revised = revisions
        .iter()
        .flat_map(|r| {
            let actor = actor_of(r.after.id);
            events::revised(&r.before, &r.after, now)
                .into_iter()
                .map(move |event| by(event, actor.clone()))
        })
        .collect();
    clientele_events::record(db, now, revised).await
}

/// Writes `next` over `current` if the row is still at `current.version`, bumping the version
/// and stamping the change `now`.
pub(crate) async fn save(
    db: &impl ConnectionTrait,
    current: &customer::Model,
    mut next: customer::Model,
    now: DateTime<Utc>,
) -> Result<customer::Model> {
    next.version = current.version + 1;
    next.updated_at = now;
    let mut active = next.clone().into_active_model().reset_all();
    active.id = sea_orm::ActiveValue::Unchanged(current.id);
    active.created_at = sea_orm::ActiveValue::NotSet;
    let result = customer::Entity::update_many()
        .set(active)
        .filter(customer::Column::Id.eq(current.id))
        .filter(customer::Column::Version.eq(current.version))
        .exec(db)
        .await
        .map_err(map_write_error)?;
    if result.rows_affected == 0 {
        return Err(stale());
    }
    crate::emails::readdress(db, current, &next).await?;
    clientele_events::record(db, now, events::revised(current, &next, now)).await?;
    // A pending reset link must not outlive a new password, a new email or a deactivation: its
    // holder could otherwise take the account back.
    if next.password_hash != current.password_hash
        || next.email_key != current.email_key
        || (current.is_active && !next.is_active)
    {
        crate::entity::password_reset::Entity::delete_by_id(current.id)
            .exec(db)
            .await?;
    }
    Ok(next)
}
