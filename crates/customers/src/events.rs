//! The events a change to an account makes: which kinds, and which fields each carries.

use chrono::{DateTime, Utc};
use clientele_events::{Change, EventType, NewEvent, changes_between};

use crate::entity::{address, customer};

/// Fields never carried by an event besides secrets and derived keys: the key (events name their
/// customer), the lock (which has events of its own), timestamps, and copies of other records
/// (the default billing address, whose changes are address events).
const UNRECORDED: &[&str] = &[
    "id",
    "failures_num",
    "first_failure",
    "lock_expires",
    "created_at",
    "updated_at",
];

/// Fields whose changes make an event of their own rather than `customer.updated`.
const OWN_EVENTS: &[(&str, EventType)] = &[
    ("email", EventType::EmailChanged),
    ("group_id", EventType::GroupChanged),
    (
        "allow_remote_shopping_assistance",
        EventType::ConsentChanged,
    ),
];

fn recorded(field: &str) -> bool {
    !UNRECORDED.contains(&field)
        && !customer::SECRET_FIELDS.contains(&field)
        && !customer::DERIVED_FIELDS.contains(&field)
        && !field.starts_with("billing_")
}

/// An event of `kind` about `account`.
pub(crate) fn about(kind: EventType, account: &customer::Model) -> NewEvent {
    NewEvent::about_customer(kind, account.id, account.website_id)
}

/// The events of a new account: `customer.created` with every field it was given, and the
/// consents it was created with.
pub(crate) fn created(account: &customer::Model) -> Vec<NewEvent> {
    let nothing = serde_json::Map::new();
    let mut events = vec![
        about(EventType::CustomerCreated, account)
            .with_changes(changes_between(&nothing, account, recorded)),
    ];
    if account.allow_remote_shopping_assistance {
        events.push(assistance_consent(account, true));
    }
    events
}

/// Login as Customer consent given (or withdrawn) on `account`.
fn assistance_consent(account: &customer::Model, granted: bool) -> NewEvent {
    about(EventType::ConsentChanged, account)
        .with("consent", "LOGIN_AS_CUSTOMER")
        .with("granted", granted)
}

/// The events of a deleted account: `customer.deleted`, with ids only.
pub(crate) fn deleted(account: &customer::Model) -> NewEvent {
    about(EventType::CustomerDeleted, account)
}

/// The events of a revision of an account from `before` to `after` as of `now`: one
/// `customer.updated` for the plain fields, and one event per change with a kind of its own.
pub(crate) fn revised(
    before: &customer::Model,
    after: &customer::Model,
    now: DateTime<Utc>,
) -> Vec<NewEvent> {
    let mut events = Vec::new();
    let mut plain: Vec<Change> = Vec::new();
    for change in changes_between(before, after, recorded) {
        match OWN_EVENTS.iter().find(|(field, _)| *field == change.field) {
            Some((_, EventType::ConsentChanged)) => events.push(
                assistance_consent(after, after.allow_remote_shopping_assistance)
                    .with_changes(vec![change]),
            ),
            Some((_, kind)) => events.push(about(*kind, after).with_changes(vec![change])),
            None => plain.push(change),
        }
    }
    if !plain.is_empty() {
        events.insert(
            0,
            about(EventType::CustomerUpdated, after).with_changes(plain),
        );
    }
    if before.password_hash != after.password_hash && after.password_hash.is_some() {
        events.push(about(EventType::PasswordChanged, after));
    }
    if before.confirmation.is_some() && after.confirmation.is_none() {
        events.push(about(EventType::Confirmed, after));
    }
    let locked = |account: &customer::Model| account.lock_expires.is_some_and(|at| at > now);
    match (locked(before), locked(after)) {
        (false, true) => events.push(
            about(EventType::Locked, after)
                .with("locked_until", after.lock_expires.map(|at| at.to_rfc3339())),
        ),
        (true, false) => events.push(about(EventType::Unlocked, after)),
        _ => {}
    }
    events
}

/// Address fields never carried by an event: keys and bookkeeping.
const UNRECORDED_ADDRESS: &[&str] = &["id", "customer_id", "created_at", "updated_at"];

fn recorded_address(field: &str) -> bool {
    !UNRECORDED_ADDRESS.contains(&field)
}

/// The event of a change to an address of a customer of `website_id`: created (`before` is
/// `None`), deleted (`after` is `None`) or updated.
pub(crate) fn address_changed(
    website_id: i32,
    before: Option<&address::Model>,
    after: Option<&address::Model>,
) -> Option<NewEvent> {
    let nothing = serde_json::Map::new();
    let (kind, changes, address) = match (before, after) {
        (None, Some(after)) => (
            EventType::AddressCreated,
            changes_between(&nothing, after, recorded_address),
            after,
        ),
        (Some(before), Some(after)) => (
            EventType::AddressUpdated,
            changes_between(before, after, recorded_address),
            after,
        ),
        (Some(before), None) => (EventType::AddressDeleted, Vec::new(), before),
        (None, None) => return None,
    };
    if kind == EventType::AddressUpdated && changes.is_empty() {
        return None;
    }
    Some(
        NewEvent::about_customer(kind, address.customer_id, website_id)
            .with("address_id", address.id)
            .with_changes(changes),
    )
}
