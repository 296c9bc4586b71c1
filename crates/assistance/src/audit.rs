//! The Login as Customer log: appended to, read page by page, never changed. The database refuses
//! updates and deletes of its rows (see the migration), and nothing here offers either.

use chrono::{DateTime, Utc};
use clientele_kernel::{Page, PageRequest, Result};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::AssistanceService;
use crate::entity::log;

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// Sequential id.
    pub id: i64,
    /// When it happened (UTC).
    pub created_at: DateTime<Utc>,
    /// `login`, `generate_code`, `exchange_code`, `logout`, or `storefront:<operation>` for a
    /// change made in an assisted session.
    pub action: String,
    /// Whether it succeeded (or, for a change in a session, that it was about to run).
    pub result: LogResult,
    /// The staff user.
    pub staff_user_id: i32,
    /// The staff user's email at the time.
    pub staff_user_email: String,
    /// The customer (only the id is kept, so the log survives the customer's erasure).
    pub customer_id: i32,
    /// The customer's website.
    pub website_id: i32,
    /// The store view of the session.
    pub store_view_id: Option<i32>,
    /// The assisted session.
    pub session_id: Option<String>,
    /// Client address.
    pub ip: Option<String>,
    /// The reason the staff user gave.
    pub reason: Option<String>,
    /// Why it was refused, for failures.
    pub details: Option<String>,
}

/// Which lines to list; every given condition must hold.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// Lines of this staff user.
    pub staff_user_id: Option<i32>,
    /// Lines about this customer.
    pub customer_id: Option<i32>,
    /// Lines of this action.
    pub action: Option<String>,
    /// Only lines with this result.
    pub result: Option<LogResult>,
    /// Lines from this client address.
    pub ip: Option<String>,
    /// Lines of this assisted session.
    pub session_id: Option<String>,
    /// Lines at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Lines at or before this time.
    pub to: Option<DateTime<Utc>>,
    /// Only lines about customers of these websites (a role's scope).
    pub website_ids: Option<Vec<i32>>,
}

/// Column to sort the log on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogSortField {
    /// Time (the default).
    #[default]
    CreatedAt,
    /// Staff user id.
    StaffUserId,
    /// Customer id.
    CustomerId,
    /// Action.
    Action,
}

/// Sort order of the log; newest first by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogSort {
    /// Column.
    pub field: LogSortField,
    /// Descending when true.
    pub descending: bool,
}

impl Default for LogSort {
    fn default() -> Self {
        Self {
            field: LogSortField::CreatedAt,
            descending: true,
        }
    }
}

/// A line to append.
pub(crate) struct LogLine {
    pub(crate) action: String,
    pub(crate) result: LogResult,
    pub(crate) staff_user_id: i32,
    pub(crate) staff_user_email: String,
    pub(crate) customer_id: i32,
    pub(crate) website_id: i32,
    pub(crate) store_view_id: Option<i32>,
    pub(crate) session_id: Option<String>,
    pub(crate) ip: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) details: Option<String>,
}

/// The outcome a line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogResult {
    /// It happened.
    Success,
    /// It was refused or failed.
    Failure,
    /// A change in an assisted session, written before it runs so that no change goes
    /// unrecorded; its outcome follows in a line of its own.
    Attempt,
}

impl LogResult {
    fn as_str(self) -> &'static str {
        match self {
            LogResult::Success => "success",
            LogResult::Failure => "failure",
            LogResult::Attempt => "attempt",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "success" => LogResult::Success,
            "attempt" => LogResult::Attempt,
            _ => LogResult::Failure,
        }
    }
}

/// Appends `lines` (in the caller's transaction, when it passes one).
pub(crate) async fn append(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    lines: Vec<LogLine>,
) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let now = at;
    let rows = lines.into_iter().map(|line| log::ActiveModel {
        id: NotSet,
        created_at: Set(now),
        action: Set(line.action),
        result: Set(line.result.as_str().to_owned()),
        staff_user_id: Set(line.staff_user_id),
        staff_user_email: Set(line.staff_user_email),
        customer_id: Set(line.customer_id),
        website_id: Set(line.website_id),
        store_view_id: Set(line.store_view_id),
        session_id: Set(line.session_id),
        ip: Set(line.ip),
        reason: Set(line.reason),
        details: Set(line.details),
    });
    log::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

impl AssistanceService {
    /// One page of the log with the exact count of matching lines.
    pub async fn log_entries(
        &self,
        filter: &LogFilter,
        sort: LogSort,
        page: PageRequest,
    ) -> Result<Page<LogEntry>> {
        let mut condition = Condition::all();
        if let Some(id) = filter.staff_user_id {
            condition = condition.add(log::Column::StaffUserId.eq(id));
        }
        if let Some(id) = filter.customer_id {
            condition = condition.add(log::Column::CustomerId.eq(id));
        }
        if let Some(action) = &filter.action {
            condition = condition.add(log::Column::Action.eq(action.as_str()));
        }
        if let Some(result) = filter.result {
            condition = condition.add(log::Column::Result.eq(result.as_str()));
        }
        if let Some(ip) = &filter.ip {
            condition = condition.add(log::Column::Ip.eq(ip.as_str()));
        }
        if let Some(session) = &filter.session_id {
            condition = condition.add(log::Column::SessionId.eq(session.as_str()));
        }
        if let Some(from) = filter.from {
            condition = condition.add(log::Column::CreatedAt.gte(from));
        }
        if let Some(to) = filter.to {
            condition = condition.add(log::Column::CreatedAt.lte(to));
        }
        if let Some(websites) = &filter.website_ids {
            condition = condition.add(log::Column::WebsiteId.is_in(websites.iter().copied()));
        }
        let query = log::Entity::find().filter(condition);
        let total_count = query.clone().count(&self.db).await?;
        let order = if sort.descending {
            sea_orm::Order::Desc
        } else {
            sea_orm::Order::Asc
        };
        let column = match sort.field {
            LogSortField::CreatedAt => log::Column::CreatedAt,
            LogSortField::StaffUserId => log::Column::StaffUserId,
            LogSortField::CustomerId => log::Column::CustomerId,
            LogSortField::Action => log::Column::Action,
        };
        // The id breaks ties, so paging is stable among lines written in the same instant.
        let rows = query
            .order_by(column, order.clone())
            .order_by(log::Column::Id, order)
            .offset(page.offset())
            .limit(page.page_size)
            .all(&self.db)
            .await?;
        Ok(Page {
            items: rows.into_iter().map(entry).collect(),
            total_count,
            request: page,
        })
    }
}

fn entry(row: log::Model) -> LogEntry {
    LogEntry {
        id: row.id,
        created_at: row.created_at,
        action: row.action,
        result: LogResult::parse(&row.result),
        staff_user_id: row.staff_user_id,
        staff_user_email: row.staff_user_email,
        customer_id: row.customer_id,
        website_id: row.website_id,
        store_view_id: row.store_view_id,
        session_id: row.session_id,
        ip: row.ip,
        reason: row.reason,
        details: row.details,
    }
}
