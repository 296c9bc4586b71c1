//! The emails customer changes cause, written to the outbox in the change's transaction.

use chrono::{DateTime, Utc};
use clientele_configuration::Scope;
use clientele_configuration::keys;
use clientele_kernel::Result;
use clientele_mail::{Storefront, TemplateCode, enqueue};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::entity::customer;
use crate::shared::Shared;

/// The welcome email a new account gets, with its link.
pub(crate) async fn welcome(
    db: &impl ConnectionTrait,
    store: &StoreContext,
    owner: &customer::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = owner.id.to_string();
    match (&owner.confirmation, &owner.password_hash) {
        (Some(key), _) => {
            let url = link(
                store,
                "customer/account/confirm/",
                &[("id", &id), ("key", key), ("email", &owner.email)],
            );
            notify(
                db,
                TemplateCode::Confirmation,
                store,
                owner,
                None,
                json!({"link": url, "key": key}),
                now,
            )
            .await
        }
        (None, None) => {
            let url = link(
                store,
                "customer/account/forgotpassword/",
                &[("email", &owner.email)],
            );
            notify(
                db,
                TemplateCode::WelcomeNoPassword,
                store,
                owner,
                None,
                json!({"link": url}),
                now,
            )
            .await
        }
        (None, Some(_)) => {
            let vars = json!({});
            notify(db, TemplateCode::Welcome, store, owner, None, vars, now).await
        }
    }
}

/// The store view a customer's email is written for, with the hours its reset links last.
#[derive(Debug, Clone)]
pub(crate) struct StoreContext {
    pub(crate) front: Storefront,
    /// Hours a reset link stays valid.
    pub(crate) reset_hours: i64,
}

impl StoreContext {
    /// The names a guesser of the account's password would try first.
    pub(crate) fn names(&self) -> [&str; 2] {
        [&self.front.name, &self.front.website_name]
    }
}

impl Shared {
    /// The store view a customer's emails go out in: the one given, else the account's own, else
    /// its website's default. Read before the change's transaction starts.
    pub(crate) async fn store_context(
        &self,
        owner: &customer::Model,
        store_id: Option<i32>,
    ) -> Result<StoreContext> {
        let store_id = match store_id.or(owner.store_id) {
            Some(id) => id,
            None => self.subscription_store(owner).await?,
        };
        self.view_context(store_id).await
    }

    /// What templates show of a store view.
    pub(crate) async fn view_context(&self, store_id: i32) -> Result<StoreContext> {
        let front = Storefront::load(&self.stores, &self.config, store_id).await?;
        let config = self.config.resolve(Scope::StoreView(store_id)).await?;
        Ok(StoreContext {
            front,
            reset_hours: config
                .number(keys::customer::PASSWORD_RESET_LINK_EXPIRATION_PERIOD)
                .filter(|h| *h > 0)
                .unwrap_or(2),
        })
    }
}

/// The storefront link for `path` with query parameters.
pub(crate) fn link(store: &StoreContext, path: &str, params: &[(&str, &str)]) -> String {
    store.front.link(path, params)
}

/// Writes `code` for `owner` to the outbox, addressed to `recipient` (the account's email unless
/// the notice goes to an old address), as part of the change made `now`.
pub(crate) async fn notify(
    db: &impl ConnectionTrait,
    code: TemplateCode,
    store: &StoreContext,
    owner: &customer::Model,
    recipient: Option<&str>,
    extra: Value,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut vars = json!({
        "customer": {
            "firstname": owner.firstname,
            "lastname": owner.lastname,
            "email": owner.email,
        },
        "store": store.front.template_vars(),
    });
    if let (Some(target), Value::Object(more)) = (vars.as_object_mut(), extra) {
        target.extend(more);
    }
    enqueue(
        db,
        code,
        store.front.store_id,
        recipient.unwrap_or(&owner.email),
        &vars,
        now,
    )
    .await
}
