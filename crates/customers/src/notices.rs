//! The emails customer changes cause, written to the outbox in the change's transaction.

use chrono::{DateTime, Utc};
use clientele_configuration::Scope;
use clientele_configuration::keys;
use clientele_kernel::Result;
use clientele_mail::{TemplateCode, enqueue};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::entity::customer;
use crate::service::CustomerService;

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

/// The store view an email is written for, with what templates show of it.
#[derive(Debug, Clone)]
pub(crate) struct StoreContext {
    pub(crate) store_id: i32,
    pub(crate) name: String,
    /// The name of the store view's website.
    pub(crate) website_name: String,
    pub(crate) base_url: String,
    /// Hours a reset link stays valid.
    pub(crate) reset_hours: i64,
}

impl StoreContext {
    /// The names a guesser of the account's password would try first.
    pub(crate) fn names(&self) -> [&str; 2] {
        [&self.name, &self.website_name]
    }
}

impl CustomerService {
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
        let view = self.stores.view(store_id).await?;
        let website = self.stores.website(view.website_id).await?;
        let config = self.config.resolve(Scope::StoreView(store_id)).await?;
        Ok(StoreContext {
            store_id,
            name: view.name,
            website_name: website.name,
            base_url: config.text(keys::web::SECURE_BASE_URL).to_owned(),
            reset_hours: config
                .number(keys::customer::PASSWORD_RESET_LINK_EXPIRATION_PERIOD)
                .filter(|h| *h > 0)
                .unwrap_or(2),
        })
    }
}

/// Percent-encodes a query value.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The storefront link for `path` with query parameters.
pub(crate) fn link(store: &StoreContext, path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", query_value(v)))
        .collect();
    format!("{}{path}?{}", store.base_url, query.join("&"))
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
        "store": {"name": store.name, "base_url": store.base_url},
    });
    if let (Some(target), Value::Object(more)) = (vars.as_object_mut(), extra) {
        target.extend(more);
    }
    enqueue(
        db,
        code,
        store.store_id,
        recipient.unwrap_or(&owner.email),
        &vars,
        now,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_their_parameters() {
        let store = StoreContext {
            store_id: 1,
            name: "Main".into(),
            website_name: "Main Website".into(),
            base_url: "https://shop.example/".into(),
            reset_hours: 2,
        };
        assert_eq!(
            link(
                &store,
                "customer/account/confirm/",
                &[("id", "7"), ("email", "a+b@x.io")]
            ),
            "https://shop.example/customer/account/confirm/?id=7&email=a%2Bb%40x.io"
        );
    }
}
