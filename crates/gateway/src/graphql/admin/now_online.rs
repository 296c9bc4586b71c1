//! Now Online for staff: the customers and visitors active within the Online Minutes Interval
//! (`onlineCustomers`), and activity reports from the commerce backend (`recordCustomerActivity`).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_activity::{
    Active, OnlineEntry, OnlineKind, OnlineQuery, OnlineSort, OnlineSortField,
};
use clientele_staff::acl;

use super::common::{IdRangeFilterInput, SearchResultPageInfo, SortEnum, list_cost, page_request};
use super::error::{AdminResult, admin_error, code, to_admin};
use super::guard::{Needs, website_scope};
use crate::services::Services;

/// Customer or visitor.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum OnlineCustomerType {
    /// A signed-in customer.
    Customer,
    /// A guest.
    Visitor,
}

/// One line of Now Online.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct OnlineCustomer {
    /// Customer or visitor.
    #[graphql(name = "type")]
    kind: OnlineCustomerType,
    /// The customer id (customers only; the grid's ID column).
    customer_id: Option<i32>,
    /// The visitor's uuid (visitors only).
    visitor_id: Option<String>,
    /// First name.
    firstname: Option<String>,
    /// Last name.
    lastname: Option<String>,
    /// Email.
    email: Option<String>,
    /// Company: of the default billing address.
    company: Option<String>,
    /// Last activity (UTC).
    last_activity_at: DateTime<Utc>,
    /// The page of the last reported activity.
    last_url: Option<String>,
}

impl From<OnlineEntry> for OnlineCustomer {
    fn from(e: OnlineEntry) -> Self {
        Self {
            kind: match e.kind {
                OnlineKind::Customer => OnlineCustomerType::Customer,
                OnlineKind::Visitor => OnlineCustomerType::Visitor,
            },
            customer_id: e.customer_id,
            visitor_id: e.visitor_id,
            firstname: e.firstname,
            lastname: e.lastname,
            email: e.email,
            company: e.company,
            last_activity_at: e.last_activity_at,
            last_url: e.last_url,
        }
    }
}

/// A page of Now Online.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct OnlineCustomers {
    /// Lines of this page.
    items: Vec<OnlineCustomer>,
    /// Lines matching the filter, over all pages.
    total_count: i64,
    /// Paging facts.
    page_info: SearchResultPageInfo,
    /// The Online Minutes Interval in force (15 when the option is empty).
    online_minutes_interval: i64,
}

/// Now Online filters; every given condition must hold. Text filters match a case-insensitive
/// substring; a filter on a customer field leaves visitors out. A role limited to some websites
/// sees only their customers (and every visitor, who belong to no website).
#[derive(InputObject, Default)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct OnlineCustomerFilterInput {
    /// Only customers or only visitors.
    #[graphql(name = "type")]
    kind: Option<OnlineCustomerType>,
    /// Customer id range.
    customer_id: Option<IdRangeFilterInput>,
    /// First name contains.
    firstname: Option<String>,
    /// Last name contains.
    lastname: Option<String>,
    /// Email contains.
    email: Option<String>,
    /// Company contains.
    company: Option<String>,
    /// Last URL contains.
    last_url: Option<String>,
    /// Active at or after.
    last_activity_from: Option<DateTime<Utc>>,
    /// Active at or before.
    last_activity_to: Option<DateTime<Utc>>,
}

/// Sortable Now Online columns.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub(crate) enum OnlineCustomerSortField {
    /// Last activity (default, newest first).
    #[default]
    LastActivity,
    /// Customer id.
    CustomerId,
    /// First name.
    Firstname,
    /// Last name.
    Lastname,
    /// Email.
    Email,
    /// Customer or visitor.
    Type,
    /// Last URL.
    LastUrl,
    /// Company.
    Company,
}

/// Sort order of Now Online.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct OnlineCustomerSortInput {
    /// Column.
    field: OnlineCustomerSortField,
    /// Direction (default DESC for LAST_ACTIVITY, ASC otherwise).
    direction: Option<SortEnum>,
}

/// Input of `recordCustomerActivity`: exactly one of `customer_id` and `visitor_id`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct RecordCustomerActivityInput {
    /// The customer who was active.
    customer_id: Option<i32>,
    /// The visitor who was active: the id the storefront got from `generateVisitorId`.
    visitor_id: Option<String>,
    /// The page it happened on (at most 2048 characters).
    last_url: Option<String>,
}

/// Now Online queries.
#[derive(Default)]
pub(crate) struct NowOnlineQuery;

#[Object]
impl NowOnlineQuery {
    /// Now Online: customers and visitors active within the Online Minutes Interval.
    #[graphql(
        guard = "Needs(&[acl::NOW_ONLINE])",
        complexity = "list_cost(page_size, child_complexity)"
    )]
    async fn online_customers(
        &self,
        ctx: &Context<'_>,
        filter: Option<OnlineCustomerFilterInput>,
        sort: Option<OnlineCustomerSortInput>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
    ) -> async_graphql::Result<OnlineCustomers> {
        let services = ctx.data::<Services>()?;
        let page = page_request(page_size, current_page)?;
        let f = filter.unwrap_or_default();
        let query = OnlineQuery {
            kind: f.kind.map(|k| match k {
                OnlineCustomerType::Customer => OnlineKind::Customer,
                OnlineCustomerType::Visitor => OnlineKind::Visitor,
            }),
            customer_id_from: f.customer_id.as_ref().and_then(|r| r.from),
            customer_id_to: f.customer_id.as_ref().and_then(|r| r.to),
            firstname: f.firstname,
            lastname: f.lastname,
            email: f.email,
            company: f.company,
            last_url: f.last_url,
            active_from: f.last_activity_from,
            active_to: f.last_activity_to,
            website_ids: website_scope(ctx)?,
        };
        let sort = sort.map_or_else(OnlineSort::default, |s| {
            let field = match s.field {
                OnlineCustomerSortField::LastActivity => OnlineSortField::LastActivity,
                OnlineCustomerSortField::CustomerId => OnlineSortField::CustomerId,
                OnlineCustomerSortField::Firstname => OnlineSortField::Firstname,
                OnlineCustomerSortField::Lastname => OnlineSortField::Lastname,
                OnlineCustomerSortField::Email => OnlineSortField::Email,
                OnlineCustomerSortField::Type => OnlineSortField::Kind,
                OnlineCustomerSortField::LastUrl => OnlineSortField::LastUrl,
                OnlineCustomerSortField::Company => OnlineSortField::Company,
            };
            let default = if field == OnlineSortField::LastActivity {
                SortEnum::Desc
            } else {
                SortEnum::Asc
            };
            OnlineSort {
                field,
                descending: s.direction.unwrap_or(default) == SortEnum::Desc,
            }
        });
        let interval = services.online.interval().await.admin()?;
        let result = services.online.online(&query, sort, page).await.admin()?;
        Ok(OnlineCustomers {
            page_info: SearchResultPageInfo::of(&result),
            total_count: i64::try_from(result.total_count).unwrap_or(i64::MAX),
            items: result.items.into_iter().map(Into::into).collect(),
            online_minutes_interval: interval.num_minutes(),
        })
    }
}

/// Now Online mutations.
#[derive(Default)]
pub(crate) struct NowOnlineMutation;

#[Object]
impl NowOnlineMutation {
    /// Records activity reported by the commerce backend (a cart or wish list change) for a
    /// customer or a visitor, which keeps them in Now Online for another interval.
    #[graphql(guard = "Needs(&[acl::ACTIVITY_REPORT])")]
    async fn record_customer_activity(
        &self,
        ctx: &Context<'_>,
        input: RecordCustomerActivityInput,
    ) -> async_graphql::Result<bool> {
        let services = ctx.data::<Services>()?;
        let who = match (input.customer_id, input.visitor_id) {
            (Some(id), None) => {
                let customer = match services.accounts.get(id).await {
                    Ok(customer) => Some(customer),
                    Err(clientele_kernel::Error::NotFound { .. }) => None,
                    Err(other) => return Err(to_admin(other)),
                };
                let scope = website_scope(ctx)?;
                let visible = customer.is_some_and(|c| {
                    scope
                        .as_ref()
                        .is_none_or(|websites| websites.contains(&c.website_id))
                });
                if !visible {
                    return Err(invalid("customer_id", "The customer does not exist."));
                }
                Active::Customer(id)
            }
            (None, Some(visitor_id)) => {
                let uuid = services
                    .online
                    .visitor(visitor_id.trim())
                    .await
                    .ok_or_else(|| {
                        invalid("visitor_id", "The visitor id is invalid or has expired.")
                    })?;
                Active::Visitor(uuid)
            }
            _ => {
                return Err(invalid(
                    "customer_id",
                    "Give exactly one of \"customer_id\" and \"visitor_id\".",
                ));
            }
        };
        services
            .online
            .record(&who, input.last_url.as_deref())
            .await
            .admin()?;
        Ok(true)
    }
}

fn invalid(field: &'static str, message: &str) -> async_graphql::Error {
    async_graphql::ErrorExtensions::extend_with(
        admin_error(message, code::BAD_USER_INPUT),
        |_, e| e.set("field", field),
    )
}
