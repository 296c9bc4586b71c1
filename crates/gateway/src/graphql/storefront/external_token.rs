//! `exchangeExternalCustomerToken` (Adobe Commerce 2.4.9 and as a Cloud Service): a trusted
//! backend that signed a shopper in with an external identity provider (social login) exchanges
//! the shopper's email for a customer token, creating the account when there is none. The
//! backend calls with an integration (or staff) bearer token that grants
//! `Clientele_Customer::external_customer_token` and covers the store view's website.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use clientele_kernel::Error;
use clientele_staff::acl;

use super::account::{CustomerCreateInput, registration};
use super::customer::Customer;
use super::error::{category, storefront_error, to_storefront};
use crate::graphql::request::{RequestStaff, RequestStore};
use crate::services::Services;

/// Adobe Commerce's answer to a caller without the permission.
pub(crate) const NO_PERMISSION: &str = "You do not have permission to access this resource.";

/// Contains details about external customer.
#[derive(InputObject)]
pub struct ExchangeExternalCustomerTokenInput {
    /// An input object that defines the customer characteristics to update.
    customer: CustomerCreateInput,
}

/// Contains customer token for external customer.
#[derive(SimpleObject)]
pub struct ExchangeExternalCustomerTokenOutput {
    /// Return detailed information about a customer account.
    customer: Customer,
    /// The customer authorization token.
    token: String,
}

/// External sign-in mutations.
#[derive(Default)]
pub struct ExternalTokenMutation;

#[Object]
impl ExternalTokenMutation {
    /// Generate a token for specified customer.
    async fn exchange_external_customer_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Contains details about external customer.")] input: Option<
            ExchangeExternalCustomerTokenInput,
        >,
    ) -> async_graphql::Result<Option<ExchangeExternalCustomerTokenOutput>> {
        let view = &ctx.data::<RequestStore>()?.0;
        let permissions = ctx
            .data_opt::<RequestStaff>()
            .and_then(|s| s.0.as_ref())
            .map(|actor| actor.permissions())
            .filter(|p| {
                p.allows(acl::EXTERNAL_CUSTOMER_TOKENS)
                    && p.website_ids
                        .as_ref()
                        .is_none_or(|ids| ids.contains(&view.website_id))
            });
        let Some(permissions) = permissions else {
            return Err(storefront_error(NO_PERMISSION, category::AUTHORIZATION));
        };
        let Some(input) = input else {
            return Err(storefront_error(
                "\"input\" value should be specified",
                category::INPUT,
            ));
        };
        let (registration, _) = registration(ctx, input.customer.into()).await?;
        let covered: Option<Vec<i32>> = permissions
            .website_ids
            .as_ref()
            .map(|ids| ids.iter().copied().collect());
        let services = ctx.data::<Services>()?;
        let signed_in = services
            .shoppers
            .sign_in_external(registration, covered.as_deref())
            .await
            .map_err(|e| match e {
                Error::Conflict(message) => storefront_error(message, category::INPUT),
                // The same answer as a missing permission: whether the email has an account on a
                // website the integration does not cover is not its to learn.
                Error::Forbidden(_) => storefront_error(NO_PERMISSION, category::AUTHORIZATION),
                other => to_storefront(other),
            })?;
        if signed_in.created {
            super::online::customer_arrived(
                ctx,
                signed_in.customer.id,
                super::online::Arrival::Registered,
            )
            .await;
        }
        Ok(Some(ExchangeExternalCustomerTokenOutput {
            customer: Customer::of(ctx, signed_in.customer).await?,
            token: signed_in.signed.token,
        }))
    }
}
