//! `subscribeEmailToNewsletter`, for guests and signed-in shoppers, and the confirmation of
//! double opt-in subscriptions.

use async_graphql::{Context, Enum, Object, SimpleObject};
use clientele_customers::SubscriptionStatus;

use super::customer::{NOT_AUTHORIZED, refuse_if_assisted};
use super::error::{StorefrontResult, category, storefront_error};
use crate::graphql::request::{ForeignShopperToken, RequestShopper, RequestStore};
use crate::graphql::throttle::{Guarded, take};
use crate::services::Services;

/// Indicates the status of the request.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum SubscriptionStatusesEnum {
    /// Awaiting confirmation.
    NotActive,
    /// Subscribed.
    Subscribed,
    /// Unsubscribed.
    Unsubscribed,
    /// Unconfirmed.
    Unconfirmed,
}

/// Contains the result of the `subscribeEmailToNewsletter` operation.
#[derive(SimpleObject)]
pub struct SubscribeEmailToNewsletterOutput {
    /// The status of the subscription request.
    status: Option<SubscriptionStatusesEnum>,
}

/// Newsletter mutations.
#[derive(Default)]
pub struct NewsletterMutation;

#[Object]
impl NewsletterMutation {
    /// Subscribe the specified email to the store's newsletter.
    async fn subscribe_email_to_newsletter(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The email address that will receive the store's newsletter.")]
        email: String,
    ) -> async_graphql::Result<Option<SubscribeEmailToNewsletterOutput>> {
        refuse_if_assisted(ctx)?;
        if ctx.data_opt::<ForeignShopperToken>().is_some() {
            return Err(storefront_error(NOT_AUTHORIZED, category::AUTHORIZATION));
        }
        if email.trim().is_empty() {
            return Err(storefront_error(
                "You must specify an email address to subscribe to a newsletter.",
                category::INPUT,
            ));
        }
        // Each call may send an email: it shares the sign-up allowance of the client.
        take(ctx, Guarded::SignUp).await.storefront()?;
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let customer_id = ctx
            .data::<RequestShopper>()?
            .0
            .as_ref()
            .map(|s| s.customer_id);
        let status = services
            .shoppers
            .subscribe_email(view.id, &email, customer_id)
            .await
            .storefront()?;
        Ok(Some(output(status)))
    }

    /// Confirm a newsletter subscription awaiting double opt-in, with the `id` and `code` of the
    /// link in its confirmation email. (Clientele's addition: Adobe Commerce confirms on a page.)
    async fn confirm_newsletter_subscription(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The `id` parameter of the confirmation link.")] id: i32,
        #[graphql(desc = "The `code` parameter of the confirmation link.")] code: String,
    ) -> async_graphql::Result<Option<SubscribeEmailToNewsletterOutput>> {
        let services = ctx.data::<Services>()?;
        let status = services
            .shoppers
            .confirm_subscription(id, &code)
            .await
            .storefront()?;
        Ok(Some(output(status)))
    }
}

fn output(status: SubscriptionStatus) -> SubscribeEmailToNewsletterOutput {
    SubscribeEmailToNewsletterOutput {
        status: Some(match status {
            SubscriptionStatus::Subscribed => SubscriptionStatusesEnum::Subscribed,
            SubscriptionStatus::NotActive => SubscriptionStatusesEnum::NotActive,
            SubscriptionStatus::Unsubscribed => SubscriptionStatusesEnum::Unsubscribed,
            SubscriptionStatus::Unconfirmed => SubscriptionStatusesEnum::Unconfirmed,
        }),
    }
}
