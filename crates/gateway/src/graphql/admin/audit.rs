//! The staff audit log on the admin API: `adminActions`, every admin change, read of personal
//! data and export, newest first, behind its own permission.

use async_graphql::{Context, Enum, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_audit::{
    ActionFilter, ActionKind, ActionPage, AdminAction, Caller, MAX_ACTIONS_PAGE, Outcome,
};
use clientele_staff::acl;

use super::error::AdminResult;
use super::guard::Needs;
use super::timeline::{CursorPageInfo, numeric_page};
use crate::services::Services;

/// Lines on a page when the caller does not say.
const DEFAULT_PAGE: i32 = 20;

/// Who called.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum AdminActionCaller {
    /// A staff user.
    Staff,
    /// An integration.
    Integration,
    /// No credential: signing in, or refused for want of one.
    Anonymous,
}

/// What an operation does with the data.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum AdminActionKind {
    /// Changes something (every mutation).
    Change,
    /// Reads personal data.
    Read,
    /// Exports personal data as a file.
    Export,
}

/// How an operation ended.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum AdminActionOutcome {
    /// It did what was asked.
    Success,
    /// Refused for want of a credential or a permission.
    Denied,
    /// It failed otherwise: bad input, a conflict, an internal error.
    Failure,
}

impl From<ActionKind> for AdminActionKind {
    fn from(kind: ActionKind) -> Self {
        match kind {
            ActionKind::Change => Self::Change,
            ActionKind::Read => Self::Read,
            ActionKind::Export => Self::Export,
        }
    }
}

impl From<AdminActionKind> for ActionKind {
    fn from(kind: AdminActionKind) -> Self {
        match kind {
            AdminActionKind::Change => Self::Change,
            AdminActionKind::Read => Self::Read,
            AdminActionKind::Export => Self::Export,
        }
    }
}

impl From<Outcome> for AdminActionOutcome {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => Self::Success,
            Outcome::Denied => Self::Denied,
            Outcome::Failure => Self::Failure,
        }
    }
}

impl From<AdminActionOutcome> for Outcome {
    fn from(outcome: AdminActionOutcome) -> Self {
        match outcome {
            AdminActionOutcome::Success => Self::Success,
            AdminActionOutcome::Denied => Self::Denied,
            AdminActionOutcome::Failure => Self::Failure,
        }
    }
}

/// One line of the staff audit log.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct AdminActionLine {
    /// Sequential id: later lines have greater ids.
    id: String,
    /// When (UTC).
    occurred_at: DateTime<Utc>,
    /// Who called.
    caller: AdminActionCaller,
    /// The staff user (STAFF).
    staff_user_id: Option<i32>,
    /// The integration (INTEGRATION).
    integration_id: Option<i32>,
    /// The operation: an admin root field (`updateCustomer`) or a route
    /// (`GET /admin/export/customers`).
    operation: String,
    /// What it does with the data.
    kind: AdminActionKind,
    /// The ids its arguments named, by argument name (`{"id": 42}`); no other values.
    targets: Json<serde_json::Value>,
    /// How it ended.
    outcome: AdminActionOutcome,
    /// The error code of a refusal or failure.
    error_code: Option<String>,
    /// The request's `X-Request-Id`.
    request_id: Option<String>,
    /// The client address.
    ip: Option<String>,
}

impl From<AdminAction> for AdminActionLine {
    fn from(line: AdminAction) -> Self {
        let action = line.action;
        let (caller, staff_user_id, integration_id) = match action.caller {
            Caller::Staff(id) => (AdminActionCaller::Staff, Some(id), None),
            Caller::Integration(id) => (AdminActionCaller::Integration, None, Some(id)),
            Caller::Anonymous => (AdminActionCaller::Anonymous, None, None),
        };
        Self {
            id: line.id.to_string(),
            occurred_at: line.occurred_at,
            caller,
            staff_user_id,
            integration_id,
            operation: action.operation,
            kind: action.kind.into(),
            targets: Json(serde_json::Value::Object(action.targets)),
            outcome: action.outcome.into(),
            error_code: action.error_code,
            request_id: action.request_id,
            ip: action.ip,
        }
    }
}

/// Which lines of the staff audit log to list; every given condition must hold.
#[derive(InputObject, Default)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct AdminActionFilterInput {
    /// Lines of this staff user.
    staff_user_id: Option<i32>,
    /// Lines of this integration.
    integration_id: Option<i32>,
    /// Lines of this operation, such as `updateCustomer`.
    operation: Option<String>,
    /// Lines of this kind.
    kind: Option<AdminActionKind>,
    /// Lines with this outcome.
    outcome: Option<AdminActionOutcome>,
    /// Lines at or after this time.
    from: Option<DateTime<Utc>>,
    /// Lines before this time.
    to: Option<DateTime<Utc>>,
}

/// A page of the staff audit log.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct AdminActions {
    /// Lines of this page, newest first.
    items: Vec<AdminActionLine>,
    /// Paging facts.
    page_info: CursorPageInfo,
}

impl From<ActionPage> for AdminActions {
    fn from(page: ActionPage) -> Self {
        let end_cursor = match (page.has_older, page.actions.last()) {
            (true, Some(last)) => Some(last.id.to_string()),
            _ => None,
        };
        Self {
            items: page.actions.into_iter().map(Into::into).collect(),
            page_info: CursorPageInfo::new(end_cursor),
        }
    }
}

/// Queries of the staff audit log.
#[derive(Default)]
pub(crate) struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The staff audit log, newest first: `first` lines (1 to 200; 20 when absent) after the
    /// cursor `after`, matching `filter`.
    #[graphql(guard = "Needs(&[acl::ADMIN_ACTIONS])")]
    async fn admin_actions(
        &self,
        ctx: &Context<'_>,
        filter: Option<AdminActionFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<AdminActions> {
        let (first, before) = numeric_page(
            first,
            DEFAULT_PAGE,
            MAX_ACTIONS_PAGE,
            after.as_deref(),
            "lines",
        )?;
        let filter = filter.unwrap_or_default();
        let filter = ActionFilter {
            staff_user_id: filter.staff_user_id,
            integration_id: filter.integration_id,
            operation: filter.operation,
            kind: filter.kind.map(Into::into),
            outcome: filter.outcome.map(Into::into),
            from: filter.from,
            to: filter.to,
        };
        let page = ctx
            .data::<Services>()?
            .audit
            .list(&filter, first, before)
            .await
            .admin()?;
        Ok(page.into())
    }
}
