//! The newsletter on the customer account: which store view an account subscribes in (the one it
//! was created in, or its website's default store view), and who owns an email address. The
//! subscriptions themselves belong to `clientele-newsletter`.

use std::collections::HashMap;

use clientele_kernel::db::begin_write;
use clientele_kernel::{Error, Result};
use clientele_newsletter::{Subscriber, Subscription, subscribe_rows};
use sea_orm::{EntityTrait, QuerySelect};

use super::Accounts;
use super::record::find;
use crate::entity::customer;
use crate::shared::Shared;

/// The account as a newsletter subscriber.
pub(crate) fn subscriber(owner: &customer::Model) -> Subscriber {
    Subscriber {
        customer_id: owner.id,
        website_id: owner.website_id,
        email: owner.email.clone(),
        email_key: owner.email_key.clone(),
    }
}

impl Accounts {
    /// The customer's subscriptions, by store view.
    pub async fn subscriptions(&self, customer_id: i32) -> Result<Vec<Subscription>> {
        find(&self.shared.db, customer_id).await?;
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
        self.shared.newsletter.subscriptions_of(customer_ids).await
    }

    /// Subscribes the customer in `store_id`, or in the store view the account belongs to.
    pub async fn subscribe(
        &self,
        customer_id: i32,
        store_id: Option<i32>,
    ) -> Result<Vec<Subscription>> {
        let owner = find(&self.shared.db, customer_id).await?;
        let store_id = match store_id {
            Some(id) => {
                let view = self.shared.stores.view(id).await.map_err(|e| {
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
            None => self.shared.subscription_store(&owner).await?,
        };
        let opt_in = self.shared.newsletter.opt_in().await?;
        let txn = begin_write(&self.shared.db).await?;
        // Held until the subscription commits: no foreign key keeps a deletion from slipping in.
        customer::Entity::find_by_id(customer_id)
            .lock_shared()
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found("Customer", customer_id))?;
        subscribe_rows(
            &txn,
            &[(subscriber(&owner), store_id)],
            &opt_in,
            self.shared.clock.now(),
        )
        .await?;
        txn.commit().await?;
        self.subscriptions(customer_id).await
    }

    /// Ends every active subscription of the customer.
    pub async fn unsubscribe(&self, customer_id: i32) -> Result<Vec<Subscription>> {
        let owner = find(&self.shared.db, customer_id).await?;
        self.shared
            .newsletter
            .unsubscribe(subscriber(&owner))
            .await?;
        self.subscriptions(customer_id).await
    }
}

impl Shared {
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
