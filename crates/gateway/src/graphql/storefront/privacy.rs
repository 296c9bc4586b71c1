//! `requestCustomerDataExport`: a Clientele extension beside the Adobe Commerce dialect. The
//! signed-in shopper asks for everything the store holds about them; they are emailed a
//! single-use link to the download, which works for a day.

use async_graphql::{Context, Object};
use clientele_mail::Storefront;

use super::customer::{current_customer, refuse_if_assisted};
use super::error::StorefrontResult;
use crate::graphql::request::RequestStore;
use crate::graphql::throttle::{PerAddress, take_for_address};
use crate::services::Services;

/// Personal data mutations of the storefront.
#[derive(Default)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Email the signed-in customer a single-use link to a download of everything the store
    /// holds about them (a JSON document), working for 24 hours. Not available in a Login as
    /// Customer session.
    async fn request_customer_data_export(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<bool>> {
        let id = current_customer(ctx)?;
        refuse_if_assisted(ctx)?;
        let services = ctx.data::<Services>()?;
        let account = services.accounts.get(id).await.storefront()?;
        take_for_address(ctx, PerAddress::DataExports, &account.email)
            .await
            .storefront()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let store = Storefront::load(&services.stores, &services.config, view.id)
            .await
            .storefront()?;
        services
            .privacy
            .email_export_link(id, &store, &services.public_url)
            .await
            .storefront()?;
        Ok(Some(true))
    }
}
