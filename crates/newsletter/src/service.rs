//! Newsletter use cases: a customer's subscriptions, the storefront's email sign-up
//! (`subscribeEmailToNewsletter`) and its double opt-in confirmation.

use std::collections::HashMap;

use clientele_configuration::{ConfigService, Scope, keys};
use clientele_kernel::db::begin_write;
use clientele_kernel::{Clock, Error, Result};
use clientele_mail::{Storefront, TemplateCode};
use clientele_sessions::{constant_time_eq, hash_secret};
use clientele_stores::StoreService;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::entity::subscriber;
use crate::events::{Source, subscription_changed};
use crate::rows::{OptIn, Subscriber, replace_subscription, request_opt_in};
use crate::status::{Subscription, SubscriptionStatus};

/// Adobe Commerce's answer to a wrong or used confirmation code.
const INVALID_CONFIRM_CODE: &str = "This is an invalid subscription confirmation code.";
/// Adobe Commerce's answer to a confirmation link naming no subscription.
const INVALID_SUBSCRIPTION_ID: &str = "This is an invalid subscription ID.";

/// Who owns an email address on a website: the port through which the newsletter asks the
/// customer accounts, so nobody subscribes an address that belongs to someone else's account.
#[async_trait::async_trait]
pub trait EmailOwners: Send + Sync {
    /// The id of the account that signs in with `email` on `website_id`, if any.
    async fn owner_of(&self, website_id: i32, email: &str) -> Result<Option<i32>>;
}

/// Newsletter subscriptions.
#[derive(Clone)]
pub struct NewsletterService {
    db: DatabaseConnection,
    config: ConfigService,
    stores: StoreService,
    clock: Clock,
}

impl NewsletterService {
    /// Subscriptions in `db`, under the newsletter options of `config`.
    pub fn new(
        db: DatabaseConnection,
        config: ConfigService,
        stores: StoreService,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            config,
            stores,
            clock,
        }
    }

    /// The subscriptions of each of `customer_ids`, by store view, in one query per thousand;
    /// customers without any are left out.
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

    /// Ends every active subscription of the customer, with its events.
    pub async fn unsubscribe(&self, customer: Subscriber) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        crate::rows::unsubscribe_rows(&txn, &[customer], self.clock.now()).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Where double opt-in applies; read before the write transaction that subscribes starts.
    pub async fn opt_in(&self) -> Result<OptIn> {
        let mut confirm = HashMap::new();
        let mut text_versions = HashMap::new();
        for view in self.stores.views().await? {
            let config = self.config.resolve(Scope::StoreView(view.id)).await?;
            if config.flag(keys::newsletter::SUBSCRIPTION_CONFIRM) {
                confirm.insert(view.id, self.storefront(view.id).await?);
            }
            text_versions.insert(view.id, consent_text_version(&config));
        }
        Ok(OptIn {
            confirm,
            text_versions,
        })
    }

    async fn storefront(&self, store_id: i32) -> Result<Storefront> {
        Storefront::load(&self.stores, &self.config, store_id).await
    }

    /// `subscribeEmailToNewsletter`: subscribes an email in a store view, for the signed-in
    /// customer (`customer_id`) or a guest, as the newsletter options allow. With double opt-in the
    /// subscription stays not active until the emailed link is followed
    /// ([`NewsletterService::confirm_subscription`]); otherwise the success email is written with
    /// it.
    pub async fn subscribe_email(
        &self,
        store_id: i32,
        email: &str,
        customer_id: Option<i32>,
        owners: &dyn EmailOwners,
    ) -> Result<SubscriptionStatus> {
        let view = self.stores.view(store_id).await?;
        let config = self.config.resolve(Scope::StoreView(store_id)).await?;
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
        let owner = owners.owner_of(view.website_id, &email).await?;
        // Nobody subscribes an address that belongs to someone else's account.
        if owner.is_some_and(|o| Some(o) != customer_id) {
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
        let store = self.storefront(store_id).await?;
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        if status == SubscriptionStatus::NotActive {
            request_opt_in(&txn, &store, owner, &email, &key, now).await?;
        } else {
            subscriber::Entity::insert(subscriber::ActiveModel {
                store_id: Set(store_id),
                customer_id: Set(owner),
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
            if let Some(customer_id) = owner {
                let events = subscription_changed(
                    customer_id,
                    view.website_id,
                    store_id,
                    true,
                    Source::NewsletterForm,
                    Some(&consent_text_version(&config)),
                );
                clientele_events::record(&txn, now, events.into()).await?;
            }
            clientele_mail::enqueue(
                &txn,
                TemplateCode::NewsletterSuccess,
                store_id,
                &email,
                &json!({"store": store.template_vars()}),
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
        let store = self.storefront(row.store_id).await?;
        let website_id = self.stores.view(row.store_id).await?.website_id;
        let text_version =
            consent_text_version(&self.config.resolve(Scope::StoreView(row.store_id)).await?);
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        // One conditional update checks the code and consumes it: of two uses, one wins.
        let confirmed = subscriber::Entity::update_many()
            .col_expr(
                subscriber::Column::Status,
                Expr::value(SubscriptionStatus::Subscribed.code()),
            )
            .col_expr(subscriber::Column::ChangedAt, Expr::value(now))
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
        if let Some(customer_id) = row.customer_id {
            let events = subscription_changed(
                customer_id,
                website_id,
                row.store_id,
                true,
                Source::ConfirmationLink,
                Some(&text_version),
            );
            clientele_events::record(&txn, now, events.into()).await?;
        }
        clientele_mail::enqueue(
            &txn,
            TemplateCode::NewsletterSuccess,
            row.store_id,
            &row.email,
            &json!({"store": store.template_vars()}),
            now,
        )
        .await?;
        txn.commit().await?;
        tracing::info!(subscriber_id = id, "newsletter subscription confirmed");
        Ok(SubscriptionStatus::Subscribed)
    }
}

/// The version of the consent text a store view shows beside its newsletter sign-up.
fn consent_text_version(config: &clientele_configuration::ResolvedConfig) -> String {
    config
        .text(keys::newsletter::SUBSCRIPTION_CONSENT_TEXT_VERSION)
        .to_owned()
}
