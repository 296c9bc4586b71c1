//! The storefront endpoint (`/graphql`): the customer part of the Adobe Commerce storefront
//! GraphQL, with its names, shapes, messages and HTTP statuses.

pub(crate) mod account;
pub(crate) mod address;
pub(crate) mod assistance;
pub(crate) mod assistance_actions;
pub(crate) mod attribute_metadata;
pub(crate) mod attributes;
pub(crate) mod country_code;
pub(crate) mod customer;
pub(crate) mod directory;
pub(crate) mod error;
pub(crate) mod external_token;
pub(crate) mod legacy_attribute_metadata;
pub(crate) mod newsletter;
pub(crate) mod online;
pub(crate) mod privacy;
pub(crate) mod recovery;
pub(crate) mod store_config;

use async_graphql::{Context, ID, MergedObject, Object, SimpleObject};
use clientele_configuration::Scope;
use clientele_configuration::keys;
use clientele_groups::NOT_LOGGED_IN_ID;

use self::account::{AccountMutation, AccountQuery};
use self::address::AddressMutation;
use self::assistance::AssistanceMutation;
use self::attribute_metadata::AttributeMetadataQuery;
use self::customer::Customer;
use self::customer::TokenMutation;
use self::directory::DirectoryQuery;
use self::error::{StorefrontResult, category, storefront_error};
use self::external_token::ExternalTokenMutation;
use self::legacy_attribute_metadata::LegacyAttributeMetadataQuery;
use self::newsletter::NewsletterMutation;
use self::online::OnlineMutation;
use self::privacy::PrivacyMutation;
use self::recovery::RecoveryMutation;
use self::store_config::StoreConfig;
use crate::graphql::request::{RequestShopper, RequestStore};
use crate::graphql::uid::encode_uid;
use crate::services::Services;

/// The customer group of the current shopper or guest.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerGroupStorefront {
    /// The unique ID for a `CustomerGroup` object.
    uid: ID,
}

/// Root mutation of the storefront.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct StorefrontMutation(
    TokenMutation,
    AccountMutation,
    AddressMutation,
    RecoveryMutation,
    NewsletterMutation,
    AssistanceMutation,
    OnlineMutation,
    ExternalTokenMutation,
    PrivacyMutation,
);

/// Root query of the storefront.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct StorefrontQuery(
    CoreQuery,
    AccountQuery,
    DirectoryQuery,
    AttributeMetadataQuery,
    LegacyAttributeMetadataQuery,
);

/// Customer, store configuration and group queries.
#[derive(Default)]
pub struct CoreQuery;

#[Object]
impl CoreQuery {
    /// Return detailed information about a customer account.
    async fn customer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Customer>> {
        Customer::current(ctx).await.map(Some)
    }

    /// The store's public configuration.
    async fn store_config(&self, ctx: &Context<'_>) -> async_graphql::Result<StoreConfig> {
        StoreConfig::load(ctx).await
    }

    /// Provides Customer Group assigned to the Customer or Guest.
    async fn customer_group(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<CustomerGroupStorefront> {
        let services = ctx.data::<Services>()?;
        let store = ctx.data::<RequestStore>()?;
        let shared = services
            .config
            .resolve(Scope::StoreView(store.0.id))
            .await
            .storefront()?
            .flag(keys::customer::ACCOUNT_INFORMATION_GRAPHQL_SHARE_CUSTOMER_GROUP);
        if !shared {
            return Err(storefront_error(
                "Sharing customer group information is disabled or not configured.",
                category::INPUT,
            ));
        }
        let group_id = match &ctx.data::<RequestShopper>()?.0 {
            Some(shopper) => shopper.account.group_id,
            None => NOT_LOGGED_IN_ID,
        };
        Ok(CustomerGroupStorefront {
            uid: encode_uid(group_id),
        })
    }
}
