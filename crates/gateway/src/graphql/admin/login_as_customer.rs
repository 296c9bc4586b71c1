//! Login as Customer for staff: open an assisted session (`loginAsCustomer`), generate a one-time
//! code for a storefront to exchange (`generateLoginAsCustomerCode`), and read the log of every
//! such session (`loginAsCustomerLog`).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_assistance::{
    Assistant, LogEntry, LogFilter, LogResult, LogSort, LogSortField, Refusal, StoreChoice, Target,
};
use clientele_staff::acl;

use super::common::{SearchResultPageInfo, SortEnum, list_cost, page_request};
use super::error::{AdminResult, admin_error, code};
use super::guard::{Needs, StaffOnly, actor, website_scope};
use crate::graphql::request::ClientInfo;
use crate::services::Services;

/// Input of `loginAsCustomer`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct LoginAsCustomerInput {
    /// The customer to act as; they must have allowed remote shopping assistance.
    customer_id: i32,
    /// Why (kept in the log; up to 1000 characters).
    reason: Option<String>,
    /// The store view to open the session in. Required when "Store View to Log in" is Manual
    /// Selection; otherwise the view the account was created in, else its website's default.
    store_view_id: Option<i32>,
}

/// Input of `generateLoginAsCustomerCode`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct GenerateLoginAsCustomerCodeInput {
    /// The customer to act as; they must have allowed remote shopping assistance.
    customer_id: i32,
    /// Why (required, kept in the log; up to 1000 characters).
    reason: String,
    /// The store view to open the session in, as for `loginAsCustomer`.
    store_view_id: Option<i32>,
}

/// An open Login as Customer session.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct LoginAsCustomerOutput {
    /// A customer token for the storefront (`Authorization: Bearer …`); its `admin_id` claim names
    /// the staff user, so storefronts show the "logged in as" banner.
    customer_token: String,
    /// When the token expires ("Login as Customer Session Lifetime").
    expires_at: DateTime<Utc>,
    /// The session id (the token's `sid`; log lines of the session carry it).
    session_id: String,
    /// The customer.
    customer_id: i32,
    /// The store view the session is for.
    store_view_id: i32,
    /// Code of that store view, for the storefront's `Store` header.
    store_view_code: String,
}

/// A one-time code for `exchangeOtpForCustomerToken` (or `generateCustomerToken` with the code as
/// the password) on the storefront.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct LoginAsCustomerCode {
    /// 32 hexadecimal characters; shown only here.
    code: String,
    /// When it stops working ("One-Time Code Lifetime", 60 seconds by default).
    expires_at: DateTime<Utc>,
    /// The customer it is for.
    customer_id: i32,
}

/// One line of the Login as Customer log.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct LoginAsCustomerLogEntry {
    /// Sequential id.
    id: i64,
    /// When it happened (UTC).
    created_at: DateTime<Utc>,
    /// `login`, `generate_code`, `exchange_code`, `logout`, or `storefront:<operation>` for a
    /// change made in a session.
    action: String,
    /// Whether it succeeded.
    result: LoginAsCustomerResult,
    /// The staff user.
    staff_user_id: i32,
    /// The staff user's email at the time.
    staff_user_email: String,
    /// The customer (only the id is kept, so the log survives the customer's erasure).
    customer_id: i32,
    /// The customer's website.
    website_id: i32,
    /// The store view of the session.
    store_view_id: Option<i32>,
    /// The session.
    session_id: Option<String>,
    /// Client address.
    ip: Option<String>,
    /// The reason the staff user gave.
    reason: Option<String>,
    /// Why it was refused, for failures (`no_consent`, `inactive_customer`, `disabled`,
    /// `staff_session_ended`).
    details: Option<String>,
}

impl From<LogEntry> for LoginAsCustomerLogEntry {
    fn from(e: LogEntry) -> Self {
        Self {
            id: e.id,
            created_at: e.created_at,
            action: e.action,
            result: match e.result {
                LogResult::Success => LoginAsCustomerResult::Success,
                LogResult::Failure => LoginAsCustomerResult::Failure,
                LogResult::Attempt => LoginAsCustomerResult::Attempt,
            },
            website_id: e.website_id,
            staff_user_id: e.staff_user_id,
            staff_user_email: e.staff_user_email,
            customer_id: e.customer_id,
            store_view_id: e.store_view_id,
            session_id: e.session_id,
            ip: e.ip,
            reason: e.reason,
            details: e.details,
        }
    }
}

/// Outcome of a logged action.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum LoginAsCustomerResult {
    /// It happened.
    Success,
    /// It was refused or failed.
    Failure,
    /// A change in a session, logged before it ran; a SUCCESS or FAILURE line follows.
    Attempt,
}

/// A page of the Login as Customer log.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct LoginAsCustomerLog {
    /// Lines of this page.
    items: Vec<LoginAsCustomerLogEntry>,
    /// Lines matching the filter, over all pages.
    total_count: i64,
    /// Paging facts.
    page_info: SearchResultPageInfo,
}

/// Filters of the log; every given condition must hold.
#[derive(InputObject, Default)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct LoginAsCustomerLogFilterInput {
    /// Lines of this staff user.
    staff_user_id: Option<i32>,
    /// Lines about this customer.
    customer_id: Option<i32>,
    /// Lines of this action.
    action: Option<String>,
    /// Only successes or failures.
    result: Option<LoginAsCustomerResult>,
    /// Lines from this client address.
    ip: Option<String>,
    /// Lines of this session.
    session_id: Option<String>,
    /// Lines at or after this time.
    created_from: Option<DateTime<Utc>>,
    /// Lines at or before this time.
    created_to: Option<DateTime<Utc>>,
}

/// Sortable columns of the log.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub(crate) enum LoginAsCustomerLogSortField {
    /// Time.
    #[default]
    CreatedAt,
    /// Staff user id.
    StaffUserId,
    /// Customer id.
    CustomerId,
    /// Action.
    Action,
}

/// Sort order of the log.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct LoginAsCustomerLogSortInput {
    /// Column.
    field: LoginAsCustomerLogSortField,
    /// Direction (default DESC).
    direction: Option<SortEnum>,
}

/// Login as Customer queries.
#[derive(Default)]
pub(crate) struct LoginAsCustomerQuery;

#[Object]
impl LoginAsCustomerQuery {
    /// The Login as Customer log: every session opened or refused, every code, every change made
    /// in a session. Read only: nothing can change or delete a line. A role limited to some
    /// websites sees the lines about their customers.
    #[graphql(
        guard = "Needs(&[acl::LOGIN_AS_CUSTOMER_LOG])",
        complexity = "list_cost(page_size, child_complexity)"
    )]
    async fn login_as_customer_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<LoginAsCustomerLogFilterInput>,
        sort: Option<LoginAsCustomerLogSortInput>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
    ) -> async_graphql::Result<LoginAsCustomerLog> {
        let services = ctx.data::<Services>()?;
        let page = page_request(page_size, current_page)?;
        let f = filter.unwrap_or_default();
        let domain_filter = LogFilter {
            staff_user_id: f.staff_user_id,
            customer_id: f.customer_id,
            action: f.action,
            result: f.result.map(|r| match r {
                LoginAsCustomerResult::Success => LogResult::Success,
                LoginAsCustomerResult::Failure => LogResult::Failure,
                LoginAsCustomerResult::Attempt => LogResult::Attempt,
            }),
            ip: f.ip,
            session_id: f.session_id,
            from: f.created_from,
            to: f.created_to,
            website_ids: website_scope(ctx)?,
        };
        let sort = sort.map_or_else(LogSort::default, |s| LogSort {
            field: match s.field {
                LoginAsCustomerLogSortField::CreatedAt => LogSortField::CreatedAt,
                LoginAsCustomerLogSortField::StaffUserId => LogSortField::StaffUserId,
                LoginAsCustomerLogSortField::CustomerId => LogSortField::CustomerId,
                LoginAsCustomerLogSortField::Action => LogSortField::Action,
            },
            descending: s.direction.unwrap_or(SortEnum::Desc) == SortEnum::Desc,
        });
        let result = services
            .assistance
            .log_entries(&domain_filter, sort, page)
            .await
            .admin()?;
        Ok(LoginAsCustomerLog {
            page_info: SearchResultPageInfo::of(&result),
            total_count: i64::try_from(result.total_count).unwrap_or(i64::MAX),
            items: result.items.into_iter().map(Into::into).collect(),
        })
    }
}

/// Login as Customer mutations.
#[derive(Default)]
pub(crate) struct LoginAsCustomerMutation;

#[Object]
impl LoginAsCustomerMutation {
    /// Signs in as a consenting customer and returns a customer token for the storefront.
    /// Needs "Enable Login as Customer", the "Allow Login as Customer Button" permission and a
    /// staff user (not an integration); the session is logged.
    #[graphql(guard = "StaffOnly.and(Needs(&[acl::LOGIN_AS_CUSTOMER_LOGIN]))")]
    async fn login_as_customer(
        &self,
        ctx: &Context<'_>,
        input: LoginAsCustomerInput,
    ) -> async_graphql::Result<LoginAsCustomerOutput> {
        let services = ctx.data::<Services>()?;
        let assistant = assistant(ctx)?;
        let outcome = services
            .assistance
            .sign_in_as(
                &assistant,
                Target::Id(input.customer_id),
                StoreChoice::Configured(input.store_view_id),
                input.reason,
            )
            .await
            .admin()?;
        let signed = outcome.map_err(refused)?;
        let view = services.stores.view(signed.store_view_id).await.admin()?;
        Ok(LoginAsCustomerOutput {
            customer_token: signed.token,
            expires_at: signed.expires_at,
            session_id: signed.session_id,
            customer_id: signed.customer_id,
            store_view_id: view.id,
            store_view_code: view.code,
        })
    }

    /// Generates a single-use code a storefront exchanges for a Login as Customer session of the
    /// customer. A reason is required; the gates are those of `loginAsCustomer`, checked again
    /// when the code is exchanged.
    #[graphql(guard = "StaffOnly.and(Needs(&[acl::LOGIN_AS_CUSTOMER_LOGIN]))")]
    async fn generate_login_as_customer_code(
        &self,
        ctx: &Context<'_>,
        input: GenerateLoginAsCustomerCodeInput,
    ) -> async_graphql::Result<LoginAsCustomerCode> {
        let services = ctx.data::<Services>()?;
        let assistant = assistant(ctx)?;
        let outcome = services
            .assistance
            .generate_code(
                &assistant,
                input.customer_id,
                input.reason,
                input.store_view_id,
            )
            .await
            .admin()?;
        let code = outcome.map_err(refused)?;
        Ok(LoginAsCustomerCode {
            code: code.code,
            expires_at: code.expires_at,
            customer_id: code.customer_id,
        })
    }
}

fn assistant(ctx: &Context<'_>) -> async_graphql::Result<Assistant> {
    let ip = ctx.data_opt::<ClientInfo>().map(|c| c.ip.clone());
    Assistant::from_actor(actor(ctx)?, ip).ok_or_else(|| {
        admin_error(
            "This operation is for staff users, not integrations.",
            code::FORBIDDEN,
        )
    })
}

fn refused(refusal: Refusal) -> async_graphql::Error {
    let (message, error_code, field) = match refusal {
        Refusal::Disabled => (
            "Login as Customer is disabled (\"Enable Login as Customer\" is off).",
            code::FORBIDDEN,
            None,
        ),
        Refusal::NotPermitted => (
            "This operation needs the \"Magento_LoginAsCustomer::login\" permission.",
            code::FORBIDDEN,
            None,
        ),
        // A customer of a website the role does not cover is one the caller cannot see.
        Refusal::WebsiteNotCovered | Refusal::UnknownCustomer => {
            ("The customer does not exist.", code::NOT_FOUND, None)
        }
        Refusal::NoConsent => (
            "The customer has not allowed remote shopping assistance.",
            code::FORBIDDEN,
            None,
        ),
        Refusal::InactiveCustomer => ("The customer account is inactive.", code::FORBIDDEN, None),
        Refusal::StoreViewRequired => (
            "\"Store View to Log in\" is Manual Selection: choose a store view.",
            code::BAD_USER_INPUT,
            Some("store_view_id"),
        ),
        Refusal::StoreViewInvalid => (
            "The store view does not exist, is disabled, or is not one of the customer's website.",
            code::BAD_USER_INPUT,
            Some("store_view_id"),
        ),
        Refusal::ReasonRequired => (
            "A reason is required.",
            code::BAD_USER_INPUT,
            Some("reason"),
        ),
        Refusal::ReasonTooLong => (
            "The reason must be at most 1000 characters.",
            code::BAD_USER_INPUT,
            Some("reason"),
        ),
    };
    let error = admin_error(message, error_code);
    match field {
        Some(field) => async_graphql::ErrorExtensions::extend_with(error, |_, e| {
            e.set("field", field);
            e.set("reason", refusal.as_str());
        }),
        None => async_graphql::ErrorExtensions::extend_with(error, |_, e| {
            e.set("reason", refusal.as_str())
        }),
    }
}
