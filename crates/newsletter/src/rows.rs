//! Subscription writes that run inside a caller's transaction: an account created with a
//! subscription, and the Customers grid's mass subscribe and unsubscribe.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use clientele_kernel::{Error, Result};
use clientele_mail::{Storefront, TemplateCode};
use clientele_sessions::OpaqueSecret;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::json;

use crate::entity::subscriber;
use crate::events::{Source, subscription_changed};
use crate::status::SubscriptionStatus;

/// A customer account as a subscriber: who it is and the address newsletters go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// The account.
    pub customer_id: i32,
    /// The account's website.
    pub website_id: i32,
    /// The account's email address.
    pub email: String,
    /// The address's normalized key (lowercase), unique per store view among subscriptions.
    pub email_key: String,
}

/// What subscribing in each store view takes: the store views whose subscriptions wait for
/// double opt-in, with what their emails show, and the version of each store view's consent
/// text. Read before the write transaction that subscribes starts
/// ([`crate::NewsletterService::opt_in`]).
pub struct OptIn {
    /// Store views with double opt-in.
    pub(crate) confirm: HashMap<i32, Storefront>,
    /// The consent text version of each store view.
    pub(crate) text_versions: HashMap<i32, String>,
}

impl OptIn {
    /// The version of the consent text store view `store_id` shows.
    pub(crate) fn text_version(&self, store_id: i32) -> Option<&str> {
        self.text_versions.get(&store_id).map(String::as_str)
    }
}

/// Subscribes each subscriber in the paired store view: at once, or, where the store view wants
/// double opt-in, as not active until the emailed link is followed (a subscription already active
/// or already waiting stays as it is).
pub async fn subscribe_rows(
    db: &impl ConnectionTrait,
    rows: &[(Subscriber, i32)],
    opt_in: &OptIn,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut at_once = Vec::with_capacity(rows.len());
    for (subscriber, store_id) in rows {
        let Some(store) = opt_in.confirm.get(store_id) else {
            at_once.push((subscriber, *store_id));
            continue;
        };
        let current = subscriber::Entity::find()
            .filter(subscriber::Column::StoreId.eq(*store_id))
            .filter(subscriber::Column::EmailKey.eq(subscriber.email_key.clone()))
            .one(db)
            .await?;
        // As in Adobe Commerce, only a change of status sends a link: an active subscription stays
        // as it is, and one already waiting keeps its code (a storefront that sends
        // `is_subscribed: true` with every profile save does not email the shopper each time).
        let unchanged = [
            SubscriptionStatus::Subscribed,
            SubscriptionStatus::NotActive,
        ]
        .map(SubscriptionStatus::code);
        if current.is_none_or(|c| !unchanged.contains(&c.status)) {
            request_opt_in(
                db,
                store,
                Some(subscriber.customer_id),
                &subscriber.email,
                &subscriber.email_key,
                now,
            )
            .await?;
        }
    }
    subscribe_at_once(db, &at_once, opt_in, now).await
}

/// Which of `rows` (subscriber and store view) are not subscribed yet.
async fn not_yet_subscribed<'a>(
    db: &impl ConnectionTrait,
    rows: &[(&'a Subscriber, i32)],
) -> Result<Vec<(&'a Subscriber, i32)>> {
    let keys: Vec<String> = rows.iter().map(|(s, _)| s.email_key.clone()).collect();
    let subscribed: HashSet<(String, i32)> = subscriber::Entity::find()
        .select_only()
        .column(subscriber::Column::EmailKey)
        .column(subscriber::Column::StoreId)
        .filter(subscriber::Column::EmailKey.is_in(keys))
        .filter(subscriber::Column::Status.eq(SubscriptionStatus::Subscribed.code()))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .iter()
        .filter(|(s, store_id)| !subscribed.contains(&(s.email_key.clone(), *store_id)))
        .copied()
        .collect())
}

/// Records a subscription awaiting double opt-in with a fresh one-time code (earlier links stop
/// working) and writes the email that carries the code in a link to the storefront.
pub(crate) async fn request_opt_in(
    db: &impl ConnectionTrait,
    store: &Storefront,
    customer_id: Option<i32>,
    email: &str,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let secret = OpaqueSecret::generate("")?;
    subscriber::Entity::insert(subscriber::ActiveModel {
        store_id: Set(store.store_id),
        customer_id: Set(customer_id),
        email: Set(email.to_owned()),
        email_key: Set(email_key.to_owned()),
        status: Set(SubscriptionStatus::NotActive.code()),
        changed_at: Set(now),
        created_at: Set(now),
        confirm_code_hash: Set(Some(secret.hash.clone())),
        ..Default::default()
    })
    .on_conflict(replace_subscription())
    .exec_without_returning(db)
    .await?;
    let id = subscriber::Entity::find()
        .filter(subscriber::Column::StoreId.eq(store.store_id))
        .filter(subscriber::Column::EmailKey.eq(email_key))
        .one(db)
        .await?
        .map(|s| s.id)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("subscription not written")))?;
    let url = store.link(
        "newsletter/subscriber/confirm/",
        &[("id", &id.to_string()), ("code", &secret.plain)],
    );
    clientele_mail::enqueue(
        db,
        TemplateCode::NewsletterConfirm,
        store.store_id,
        email,
        &json!({"store": store.template_vars(), "link": url, "id": id, "code": secret.plain}),
        now,
    )
    .await?;
    Ok(())
}

/// Marks each subscriber subscribed in the paired store view.
async fn subscribe_at_once(
    db: &impl ConnectionTrait,
    rows: &[(&Subscriber, i32)],
    opt_in: &OptIn,
    now: DateTime<Utc>,
) -> Result<()> {
    for chunk in rows.chunks(500) {
        if chunk.is_empty() {
            continue;
        }
        let events = not_yet_subscribed(db, chunk)
            .await?
            .into_iter()
            .flat_map(|(s, store_id)| {
                subscription_changed(
                    s.customer_id,
                    s.website_id,
                    store_id,
                    true,
                    Source::Account,
                    opt_in.text_version(store_id),
                )
            })
            .collect();
        clientele_events::record(db, now, events).await?;
        subscriber::Entity::insert_many(chunk.iter().map(|(s, store_id)| {
            subscriber::ActiveModel {
                store_id: Set(*store_id),
                customer_id: Set(Some(s.customer_id)),
                email: Set(s.email.clone()),
                email_key: Set(s.email_key.clone()),
                status: Set(SubscriptionStatus::Subscribed.code()),
                changed_at: Set(now),
                created_at: Set(now),
                confirm_code_hash: Set(None),
                ..Default::default()
            }
        }))
        .on_conflict(replace_subscription())
        .exec(db)
        .await?;
    }
    Ok(())
}

/// One subscription per store view and email: a new one replaces the status, owner and code of
/// the one before.
pub(crate) fn replace_subscription() -> OnConflict {
    OnConflict::columns([subscriber::Column::StoreId, subscriber::Column::EmailKey])
        .update_columns([
            subscriber::Column::CustomerId,
            subscriber::Column::Email,
            subscriber::Column::Status,
            subscriber::Column::ChangedAt,
            subscriber::Column::ConfirmCodeHash,
        ])
        .to_owned()
}

/// Ends every active subscription of the customers, as of `now`.
pub async fn unsubscribe_rows(
    db: &impl ConnectionTrait,
    customers: &[Subscriber],
    now: DateTime<Utc>,
) -> Result<()> {
    for chunk in customers.chunks(500) {
        let websites: HashMap<i32, i32> = chunk
            .iter()
            .map(|s| (s.customer_id, s.website_id))
            .collect();
        let ids: Vec<i32> = websites.keys().copied().collect();
        let ending: Vec<(Option<i32>, i32)> = subscriber::Entity::find()
            .select_only()
            .column(subscriber::Column::CustomerId)
            .column(subscriber::Column::StoreId)
            .filter(subscriber::Column::CustomerId.is_in(ids.clone()))
            .filter(subscriber::Column::Status.eq(SubscriptionStatus::Subscribed.code()))
            .into_tuple()
            .all(db)
            .await?;
        let events = ending
            .into_iter()
            .filter_map(|(customer_id, store_id)| {
                let customer_id = customer_id?;
                let website_id = *websites.get(&customer_id)?;
                Some(subscription_changed(
                    customer_id,
                    website_id,
                    store_id,
                    false,
                    Source::Account,
                    None,
                ))
            })
            .flatten()
            .collect();
        clientele_events::record(db, now, events).await?;
        subscriber::Entity::update_many()
            .col_expr(
                subscriber::Column::Status,
                Expr::value(SubscriptionStatus::Unsubscribed.code()),
            )
            .col_expr(subscriber::Column::ChangedAt, Expr::value(now))
            .filter(subscriber::Column::CustomerId.is_in(ids))
            .filter(subscriber::Column::Status.ne(SubscriptionStatus::Unsubscribed.code()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Deletes every subscription of the customers, in the transaction that deletes them: the
/// subscriptions are spread by email on Citus, so no foreign key cascades the deletion.
pub async fn forget_customers(db: &impl ConnectionTrait, customer_ids: &[i32]) -> Result<()> {
    for chunk in customer_ids.chunks(500) {
        subscriber::Entity::delete_many()
            .filter(subscriber::Column::CustomerId.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    Ok(())
}
