//! Newsletter subscription on the customer: per store view, with Adobe Commerce's statuses.
//! Subscribing uses the store view the account was created in (or its website's default store
//! view); unsubscribing ends every active subscription of the account.

use clientele_configuration::keys;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use clientele_configuration::Scope;
use clientele_kernel::{Error, Result};
use clientele_sessions::{OpaqueSecret, constant_time_eq, hash_secret};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::entity::{customer, subscriber};
use crate::notices::{StoreContext, link};
use crate::service::{CustomerService, find};

/// Adobe Commerce's answer to a wrong or used confirmation code.
pub(crate) const INVALID_CONFIRM_CODE: &str = "This is an invalid subscription confirmation code.";
/// Adobe Commerce's answer to a confirmation link naming no subscription.
pub(crate) const INVALID_SUBSCRIPTION_ID: &str = "This is an invalid subscription ID.";

/// Subscription status, with Adobe Commerce's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionStatus {
    /// 1: receives newsletters.
    Subscribed,
    /// 2: not active.
    NotActive,
    /// 3: unsubscribed.
    Unsubscribed,
    /// 4: awaiting confirmation (double opt-in).
    Unconfirmed,
}

impl SubscriptionStatus {
    /// Stored code.
    pub fn code(self) -> i16 {
        match self {
            SubscriptionStatus::Subscribed => 1,
            SubscriptionStatus::NotActive => 2,
            SubscriptionStatus::Unsubscribed => 3,
            SubscriptionStatus::Unconfirmed => 4,
        }
    }

    fn from_code(code: i16) -> Self {
        match code {
            1 => SubscriptionStatus::Subscribed,
            3 => SubscriptionStatus::Unsubscribed,
            4 => SubscriptionStatus::Unconfirmed,
            _ => SubscriptionStatus::NotActive,
        }
    }
}

/// A customer's subscription in one store view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Store view.
    pub store_id: i32,
    /// Status.
    pub status: SubscriptionStatus,
    /// Last status change.
    pub changed_at: DateTime<Utc>,
}

impl CustomerService {
    /// The customer's subscriptions, by store view.
    pub async fn subscriptions(&self, customer_id: i32) -> Result<Vec<Subscription>> {
        find(&self.db, customer_id).await?;
        Ok(self
            .subscriptions_of(&[customer_id])
            .await?
            .remove(&customer_id)
            .unwrap_or_default())
    }

    /// The subscriptions of each of `customer_ids`, by store view, in one query; customers
    /// without any are left out.
    pub async fn subscriptions_of(
        &self,
        customer_ids: &[i32],
    ) -> Result<HashMap<i32, Vec<Subscription>>> {
        let mut found: HashMap<i32, Vec<Subscription>> = HashMap::new();
        for chunk in customer_ids.chunks(1000) {
            let rows = subscriber::Entity::find()
                .filter(subscriber::Column::CustomerId.is_in(chunk.to_vec()))
                .order_by_asc(subscriber::Column::StoreId)
                .all(&self.db)
                .await?;
            for s in rows {
                if let Some(customer_id) = s.customer_id {
                    found.entry(customer_id).or_default().push(Subscription {
                        store_id: s.store_id,
                        status: SubscriptionStatus::from_code(s.status),
                        changed_at: s.changed_at,
                    });
                }
            }
        }
        Ok(found)
    }

    /// Subscribes the customer in `store_id`, or in the store view the account belongs to.
    pub async fn subscribe(
        &self,
        customer_id: i32,
        store_id: Option<i32>,
    ) -> Result<Vec<Subscription>> {
        let owner = find(&self.db, customer_id).await?;
        let store_id = match store_id {
            Some(id) => {
                let view = self.stores.view(id).await.map_err(|e| {
                    e.missing_as_invalid("store_id", "The store view does not exist.")
                })?;
                if view.website_id != owner.website_id {
                    return Err(Error::invalid(
                        "store_id",
                        "The store view does not belong to the customer's website.",
                    ));
                }
                id
            }
            None => self.subscription_store(&owner).await?,
        };
        let opt_in = self.opt_in().await?;
        let txn = clientele_kernel::db::begin_write(&self.db).await?;
        subscribe_rows(&txn, &[(owner, store_id)], &opt_in, self.clock.now()).await?;
        txn.commit().await?;
        self.subscriptions(customer_id).await
    }

    /// Ends every active subscription of the customer.
    pub async fn unsubscribe(&self, customer_id: i32) -> Result<Vec<Subscription>> {
        find(&self.db, customer_id).await?;
        unsubscribe_rows(&self.db, &[customer_id], self.clock.now()).await?;
        self.subscriptions(customer_id).await
    }

    /// The store view a subscription without one goes to.
    pub(crate) async fn subscription_store(&self, owner: &customer::Model) -> Result<i32> {
        if let Some(id) = owner.store_id {
            return Ok(id);
        }
        let website = self.stores.website(owner.website_id).await?;
        let group_id = website.default_group_id.ok_or_else(|| {
            Error::invalid("store_id", "The customer's website has no store view.")
        })?;
        self.stores
            .group(group_id)
            .await?
            .default_store_id
            .ok_or_else(|| Error::invalid("store_id", "The customer's website has no store view."))
    }
}

/// The store views whose subscriptions wait for double opt-in, with what their emails show.
pub(crate) struct OptIn(HashMap<i32, StoreContext>);

impl CustomerService {
    /// Where double opt-in applies; read before the write transaction that subscribes starts.
    pub(crate) async fn opt_in(&self) -> Result<OptIn> {
        let mut stores = HashMap::new();
        for view in self.stores.views().await? {
            let config = self.config.resolve(Scope::StoreView(view.id)).await?;
            if config.flag(keys::newsletter::SUBSCRIPTION_CONFIRM) {
                stores.insert(view.id, self.view_context(view.id).await?);
            }
        }
        Ok(OptIn(stores))
    }
}

/// Subscribes each customer in the paired store view: at once, or, where the store view wants
/// double opt-in, as not active until the emailed link is followed (a subscription already active
/// or already waiting stays as it is).
pub(crate) async fn subscribe_rows(
    db: &impl ConnectionTrait,
    rows: &[(customer::Model, i32)],
    opt_in: &OptIn,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut at_once = Vec::with_capacity(rows.len());
    for (customer, store_id) in rows {
        let Some(store) = opt_in.0.get(store_id) else {
            at_once.push((customer.clone(), *store_id));
            continue;
        };
        let current = subscriber::Entity::find()
            .filter(subscriber::Column::StoreId.eq(*store_id))
            .filter(subscriber::Column::EmailKey.eq(customer.email_key.clone()))
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
                Some(customer.id),
                &customer.email,
                &customer.email_key,
                now,
            )
            .await?;
        }
    }
    subscribe_at_once(db, &at_once, now).await
}

/// Records a subscription awaiting double opt-in with a fresh one-time code (earlier links stop
/// working) and writes the email that carries the code in a link to the storefront.
async fn request_opt_in(
    db: &impl ConnectionTrait,
    store: &StoreContext,
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
    let url = link(
        store,
        "newsletter/subscriber/confirm/",
        &[("id", &id.to_string()), ("code", &secret.plain)],
    );
    clientele_mail::enqueue(
        db,
        clientele_mail::TemplateCode::NewsletterConfirm,
        store.store_id,
        email,
        &json!({"store": {"name": store.name, "base_url": store.base_url},
                "link": url, "id": id, "code": secret.plain}),
        now,
    )
    .await?;
    Ok(())
}

/// Marks each customer subscribed in the paired store view.
async fn subscribe_at_once(
    db: &impl ConnectionTrait,
    rows: &[(customer::Model, i32)],
    now: DateTime<Utc>,
) -> Result<()> {
    for chunk in rows.chunks(500) {
        if chunk.is_empty() {
            continue;
        }
        subscriber::Entity::insert_many(chunk.iter().map(|(c, store_id)| {
            subscriber::ActiveModel {
                store_id: Set(*store_id),
                customer_id: Set(Some(c.id)),
                email: Set(c.email.clone()),
                email_key: Set(c.email_key.clone()),
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
fn replace_subscription() -> OnConflict {
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
pub(crate) async fn unsubscribe_rows(
    db: &impl ConnectionTrait,
    customer_ids: &[i32],
    now: DateTime<Utc>,
) -> Result<()> {
    for chunk in customer_ids.chunks(500) {
        subscriber::Entity::update_many()
            .col_expr(
                subscriber::Column::Status,
                Expr::value(SubscriptionStatus::Unsubscribed.code()),
            )
            .col_expr(subscriber::Column::ChangedAt, Expr::value(now))
            .filter(subscriber::Column::CustomerId.is_in(chunk.to_vec()))
            .filter(subscriber::Column::Status.ne(SubscriptionStatus::Unsubscribed.code()))
            .exec(db)
            .await?;
    }
    Ok(())
}

impl CustomerService {
    /// `subscribeEmailToNewsletter`: subscribes an email in a store view, for the signed-in
    /// customer (`customer_id`) or a guest, as the newsletter options allow. With double opt-in the
    /// subscription stays not active until the emailed link is followed
    /// ([`CustomerService::confirm_subscription`]); otherwise the success email is written with it.
    pub async fn subscribe_email(
        &self,
        store_id: i32,
        email: &str,
        customer_id: Option<i32>,
    ) -> Result<SubscriptionStatus> {
        let view = self.stores.view(store_id).await?;
        let config = self
            .config
            .resolve(clientele_configuration::Scope::StoreView(store_id))
            .await?;
        if !config.flag(keys::newsletter::GENERAL_ACTIVE) {
            return Err(Error::invalid("email", "The newsletter is disabled."));
        }
        let (email, key) = clientele_kernel::text::normalize_email("email", email)
            .map_err(|_| Error::invalid("email", "Enter a valid email address."))?;
        if customer_id.is_none()
            && !config.flag(keys::newsletter::SUBSCRIPTION_ALLOW_GUEST_SUBSCRIBE)
        {
            return Err(Error::invalid(
                "email",
                "Guests can not subscribe to the newsletter. You must create an account to subscribe.",
            ));
        }
        let owner = self.account_by_email(view.website_id, &email).await?;
        // Nobody subscribes an address that belongs to someone else's account.
        if owner.as_ref().is_some_and(|o| Some(o.id) != customer_id) {
            return Err(Error::invalid(
                "email",
                "Cannot create a newsletter subscription.",
            ));
        }
        let existing = subscriber::Entity::find()
            .filter(subscriber::Column::StoreId.eq(store_id))
            .filter(subscriber::Column::EmailKey.eq(key.clone()))
            .one(&self.db)
            .await?;
        if existing.is_some_and(|s| s.status == SubscriptionStatus::Subscribed.code()) {
            return Err(Error::invalid(
                "email",
                "This email address is already subscribed.",
            ));
        }
        // Double opt-in, as in Adobe Commerce: guests and shoppers alike wait for the emailed link.
        let status = if config.flag(keys::newsletter::SUBSCRIPTION_CONFIRM) {
            SubscriptionStatus::NotActive
        } else {
            SubscriptionStatus::Subscribed
        };
        let store = self.view_context(store_id).await?;
        let txn = clientele_kernel::db::begin_write(&self.db).await?;
        let customer_id = owner.as_ref().map(|o| o.id);
        if status == SubscriptionStatus::NotActive {
            request_opt_in(&txn, &store, customer_id, &email, &key, self.clock.now()).await?;
        } else {
            let now = self.clock.now();
            subscriber::Entity::insert(subscriber::ActiveModel {
                store_id: Set(store_id),
                customer_id: Set(customer_id),
                email: Set(email.clone()),
                email_key: Set(key),
                status: Set(status.code()),
                changed_at: Set(now),
                created_at: Set(now),
                confirm_code_hash: Set(None),
                ..Default::default()
            })
            .on_conflict(replace_subscription())
            .exec_without_returning(&txn)
            .await?;
            clientele_mail::enqueue(
                &txn,
                clientele_mail::TemplateCode::NewsletterSuccess,
                store_id,
                &email,
                &json!({"store": {"name": store.name, "base_url": store.base_url}}),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(status)
    }

    /// Confirms a subscription awaiting double opt-in with the code of its confirmation email:
    /// the code works once, and the success email is written with the confirmation.
    pub async fn confirm_subscription(&self, id: i32, code: &str) -> Result<SubscriptionStatus> {
        let Some(row) = subscriber::Entity::find_by_id(id).one(&self.db).await? else {
            return Err(Error::invalid("id", INVALID_SUBSCRIPTION_ID));
        };
        let invalid = || Error::invalid("code", INVALID_CONFIRM_CODE);
        // Checked before any write, so wrong codes never take the write lock.
        let hash = hash_secret(code);
        let pending = row.status == SubscriptionStatus::NotActive.code();
        if !pending
            || !row
                .confirm_code_hash
                .as_deref()
                .is_some_and(|stored| constant_time_eq(stored.as_bytes(), hash.as_bytes()))
        {
            return Err(invalid());
        }
        let store = self.view_context(row.store_id).await?;
        let txn = clientele_kernel::db::begin_write(&self.db).await?;
        // One conditional update checks the code and consumes it: of two uses, one wins.
        let confirmed = subscriber::Entity::update_many()
            .col_expr(
                subscriber::Column::Status,
                Expr::value(SubscriptionStatus::Subscribed.code()),
            )
            .col_expr(subscriber::Column::ChangedAt, Expr::value(self.clock.now()))
            .col_expr(
                subscriber::Column::ConfirmCodeHash,
                Expr::value(Option::<String>::None),
            )
            .filter(subscriber::Column::Id.eq(id))
            .filter(subscriber::Column::Status.eq(SubscriptionStatus::NotActive.code()))
            .filter(subscriber::Column::ConfirmCodeHash.eq(hash))
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !confirmed {
            return Err(invalid());
        }
        clientele_mail::enqueue(
            &txn,
            clientele_mail::TemplateCode::NewsletterSuccess,
            row.store_id,
            &row.email,
            &json!({"store": {"name": store.name, "base_url": store.base_url}}),
            self.clock.now(),
        )
        .await?;
        txn.commit().await?;
        tracing::info!(subscriber_id = id, "newsletter subscription confirmed");
        Ok(SubscriptionStatus::Subscribed)
    }
}
