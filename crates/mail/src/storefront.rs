//! The storefront an email speaks for: the store view's name, its website's name, and the base URL
//! every link in the email starts from.

use clientele_configuration::{ConfigService, Scope, keys};
use clientele_kernel::Result;
use clientele_stores::StoreService;
use serde_json::{Value, json};

/// The store view an email is written for, with what templates show of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storefront {
    /// The store view.
    pub store_id: i32,
    /// The store view's name.
    pub name: String,
    /// The name of the store view's website.
    pub website_name: String,
    /// The storefront's secure base URL (`web/secure/base_url` in the store view's scope).
    pub base_url: String,
}

impl Storefront {
    /// What templates show of the store view `store_id`.
    pub async fn load(
        stores: &StoreService,
        config: &ConfigService,
        store_id: i32,
    ) -> Result<Self> {
        let view = stores.view(store_id).await?;
        let website = stores.website(view.website_id).await?;
        let config = config.resolve(Scope::StoreView(store_id)).await?;
        Ok(Self {
            store_id,
            name: view.name,
            website_name: website.name,
            base_url: config.text(keys::web::SECURE_BASE_URL).to_owned(),
        })
    }

    /// The template variable `store`: its name and base URL.
    pub fn template_vars(&self) -> Value {
        json!({"name": self.name, "base_url": self.base_url})
    }

    /// The storefront link for `path` with percent-encoded query parameters.
    pub fn link(&self, path: &str, params: &[(&str, &str)]) -> String {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", query_value(v)))
            .collect();
        format!("{}{path}?{}", self.base_url, query.join("&"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_their_parameters() {
        let store = Storefront {
            store_id: 1,
            name: "Main".into(),
            website_name: "Main Website".into(),
            base_url: "https://shop.example/".into(),
        };
        assert_eq!(
            store.link(
                "customer/account/confirm/",
                &[("id", "7"), ("email", "a+b@x.io")]
            ),
            "https://shop.example/customer/account/confirm/?id=7&email=a%2Bb%40x.io"
        );
    }
}
