//! `Customer.admin_assistance_actions` (Adobe Commerce as a Cloud Service): what staff did on the
//! shopper's account while logged in as them, read from the Login as Customer log, newest first.

use async_graphql::SimpleObject;
use clientele_assistance::{LogEntry, LogFilter, LogResult, LogSort};

use super::address::{SearchResultPageInfo, page_request};
use super::error::StorefrontResult;
use crate::services::Services;

/// A single admin assistance action performed on behalf of the customer.
#[derive(SimpleObject)]
pub struct AdminAssistanceAction {
    /// Action identifier, e.g. add_to_cart, place_order.
    action: String,
    /// When the action occurred.
    date: String,
    /// Action related details, e.g. product SKUs, order id.
    details: Option<String>,
}

/// Paginated admin assistance actions for the customer.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct AdminAssistanceActions {
    /// Admin assistance actions for the current page.
    items: Vec<AdminAssistanceAction>,
    /// Contains pagination metadata.
    page_info: SearchResultPageInfo,
    /// The total count of admin assistance actions for the customer.
    total_count: i32,
}

/// The log line as the shopper sees it: a change made in an assisted session is named by its
/// storefront operation (`updateCustomerV2`), the rest by what staff did (`login`, `logout`,
/// `generate_code`, `exchange_code`). Who did it and why stays with staff.
fn action(entry: LogEntry) -> AdminAssistanceAction {
    let (action, details) = match entry.action.strip_prefix("storefront:") {
        Some(operation) => (operation.to_owned(), Some("storefront".to_owned())),
        None => (entry.action, None),
    };
    AdminAssistanceAction {
        action,
        date: entry.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        details,
    }
}

/// One page of the actions that succeeded on `customer_id`'s account (attempts and refusals are
/// staff's business).
pub(crate) async fn assistance_actions(
    services: &Services,
    customer_id: i32,
    current_page: i32,
    page_size: i32,
) -> async_graphql::Result<AdminAssistanceActions> {
    let request = page_request(current_page, page_size)?;
    let filter = LogFilter {
        customer_id: Some(customer_id),
        result: Some(LogResult::Success),
        ..Default::default()
    };
    let page = services
        .assistance
        .log_entries(&filter, LogSort::default(), request)
        .await
        .storefront()?;
    Ok(AdminAssistanceActions {
        page_info: SearchResultPageInfo::of(request, page.total_count),
        total_count: i32::try_from(page.total_count).unwrap_or(i32::MAX),
        items: page.items.into_iter().map(action).collect(),
    })
}
