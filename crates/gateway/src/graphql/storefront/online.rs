//! Now Online on the storefront: ids for visitors (guests) and reports of the activity that
//! changes a shopper's state (cart, wish list, checkout), which keep them listed as online.
//! Page views are not activity and have nothing to report.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use clientele_activity::Active;

use super::error::{StorefrontResult, category, storefront_error};
use crate::graphql::request::{RequestShopper, RequestVisitor};
use crate::graphql::throttle::{Guarded, take};
use crate::services::Services;

/// The answer to a visitor id we did not issue or that has expired.
pub(crate) const INVALID_VISITOR: &str =
    "The visitor ID is invalid or has expired. Request a new one with generateVisitorId.";

/// A new visitor id.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct GenerateVisitorIdOutput {
    /// The id to keep (for example in local storage) and send with `reportActivity` and in the
    /// `X-Visitor-Id` header of sign-in and sign-up requests.
    visitor_id: String,
    /// When the id stops being accepted (30 days), in ISO 8601.
    expires_at: String,
}

/// What the shopper did.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ActivityEventEnum {
    /// Added, removed or changed a cart item.
    CartChanged,
    /// Changed the wish list.
    WishlistChanged,
    /// Changed the compare list.
    CompareListChanged,
    /// Started checkout.
    CheckoutStarted,
    /// Placed an order.
    OrderPlaced,
}

/// An activity report.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub struct ReportActivityInput {
    /// What happened.
    event: ActivityEventEnum,
    /// The visitor id from `generateVisitorId`: required for guests; with a customer token, the
    /// visitor's activity is merged into the customer's.
    visitor_id: Option<String>,
    /// The page it happened on (at most 2048 characters), shown as Last URL in Now Online.
    last_url: Option<String>,
}

/// The outcome of an activity report.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct ReportActivityOutput {
    /// True when recorded; false in a Login as Customer session, where the shopper is not the
    /// one active.
    result: bool,
}

/// Now Online mutations.
#[derive(Default)]
pub struct OnlineMutation;

#[Object]
impl OnlineMutation {
    /// Issue an id for a visitor (a guest), and record their arrival.
    async fn generate_visitor_id(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<GenerateVisitorIdOutput> {
        take(ctx, Guarded::VisitorIds).await.storefront()?;
        let services = ctx.data::<Services>()?;
        let issued = services.online.issue_visitor().await.storefront()?;
        Ok(GenerateVisitorIdOutput {
            visitor_id: issued.visitor_id,
            expires_at: issued.expires_at.to_rfc3339(),
        })
    }

    /// Report activity of the signed-in customer (with a customer token) or of a visitor.
    async fn report_activity(
        &self,
        ctx: &Context<'_>,
        input: ReportActivityInput,
    ) -> async_graphql::Result<ReportActivityOutput> {
        let services = ctx.data::<Services>()?;
        let visitor = match input.visitor_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => Some(
                services
                    .online
                    .visitor(id)
                    .await
                    .ok_or_else(|| storefront_error(INVALID_VISITOR, category::INPUT))?,
            ),
            _ => None,
        };
        let last_url = input.last_url.as_deref();
        let event = format!("{:?}", input.event);
        match &ctx.data::<RequestShopper>()?.0 {
            Some(shopper) if shopper.admin_id.is_some() => {
                return Ok(ReportActivityOutput { result: false });
            }
            Some(shopper) => {
                services
                    .online
                    .record(&Active::Customer(shopper.customer_id), last_url)
                    .await
                    .storefront()?;
                if let Some(uuid) = &visitor {
                    services
                        .online
                        .visitor_became_customer(uuid, shopper.customer_id)
                        .await
                        .storefront()?;
                }
                tracing::debug!(customer_id = shopper.customer_id, event, "activity");
            }
            None => {
                let uuid = visitor.ok_or_else(|| {
                    storefront_error("Specify the \"visitor_id\" value.", category::INPUT)
                })?;
                // Bringing back a visitor whose row was cleaned up costs the client what a new
                // visitor id costs, so hoarded ids cannot fill Now Online beyond that allowance.
                if !services
                    .online
                    .touch_visitor(&uuid, last_url)
                    .await
                    .storefront()?
                {
                    take(ctx, Guarded::VisitorIds).await.storefront()?;
                    services
                        .online
                        .record(&Active::Visitor(uuid), last_url)
                        .await
                        .storefront()?;
                }
                tracing::debug!(event, "visitor activity");
            }
        }
        Ok(ReportActivityOutput { result: true })
    }
}

/// How a shopper became signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arrival {
    /// `generateCustomerToken`, which records the sign-in itself.
    SignedIn,
    /// A sign-up that signs the shopper in.
    Registered,
}

/// After a sign-in or sign-up: the customer is signed in and active now, and the visitor of the
/// request's `X-Visitor-Id` (if any) continues as the customer. Tracking never fails the sign-in.
pub(crate) async fn customer_arrived(ctx: &Context<'_>, customer_id: i32, arrival: Arrival) {
    let Ok(services) = ctx.data::<Services>() else {
        return;
    };
    if arrival == Arrival::Registered
        && let Err(error) = services.online.record_registration(customer_id).await
    {
        tracing::warn!(
            ?error,
            customer_id,
            "could not record the sign-up's sign-in"
        );
    }
    let header = ctx
        .data_opt::<RequestVisitor>()
        .and_then(|v| v.0.as_deref());
    let Some(visitor_id) = header else {
        return;
    };
    let Some(uuid) = services.online.visitor(visitor_id).await else {
        return;
    };
    if let Err(error) = services
        .online
        .visitor_became_customer(&uuid, customer_id)
        .await
    {
        tracing::warn!(
            ?error,
            customer_id,
            "could not merge the visitor into the customer"
        );
    }
}
