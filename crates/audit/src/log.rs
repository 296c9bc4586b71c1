//! Appending to the audit log, reading it back newest first, and purging it past its retention.

use chrono::{DateTime, Duration, Utc};
use clientele_kernel::{Clock, Error, Result};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Map, Value};

use crate::entity::action;

/// Most lines one page holds.
pub const MAX_ACTIONS_PAGE: u64 = 200;

/// The shortest retention: the database refuses to delete younger lines.
pub const MIN_RETENTION_DAYS: u32 = 30;

/// Who called the admin API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// A staff user.
    Staff(i32),
    /// An integration.
    Integration(i32),
    /// No credential (signing in, or refused for want of one).
    Anonymous,
}

impl Caller {
    fn kind(self) -> &'static str {
        match self {
            Caller::Staff(_) => "STAFF",
            Caller::Integration(_) => "INTEGRATION",
            Caller::Anonymous => "ANONYMOUS",
        }
    }
}

/// What an operation does with the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// Changes something.
    Change,
    /// Reads personal data.
    Read,
    /// Exports personal data as a file.
    Export,
}

/// How an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It did what was asked.
    Success,
    /// It was refused for want of a credential or a permission.
    Denied,
    /// It failed otherwise (bad input, a conflict, an internal error).
    Failure,
}

macro_rules! names {
    ($kind:ty { $($variant:path => $name:literal),+ $(,)? }) => {
        impl $kind {
            /// Its name, as the API and the database spell it.
            pub fn name(self) -> &'static str {
                match self {
                    $($variant => $name),+
                }
            }

            /// The value of a name, if it is one.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($variant),)+
                    _ => None,
                }
            }
        }
    };
}

names!(ActionKind { ActionKind::Change => "CHANGE", ActionKind::Read => "READ", ActionKind::Export => "EXPORT" });
names!(Outcome { Outcome::Success => "SUCCESS", Outcome::Denied => "DENIED", Outcome::Failure => "FAILURE" });

/// A line to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAdminAction {
    /// Who called.
    pub caller: Caller,
    /// The operation: a GraphQL root field (`updateCustomer`) or an HTTP route
    /// (`GET /admin/export/customers`).
    pub operation: String,
    /// What it does with the data.
    pub kind: ActionKind,
    /// The ids it named, by argument (`{"id": 42}`, `{"ids": [1, 2]}`); never other values.
    pub targets: Map<String, Value>,
    /// How it ended.
    pub outcome: Outcome,
    /// The error code of a refusal or failure.
    pub error_code: Option<String>,
    /// The request's `X-Request-Id`.
    pub request_id: Option<String>,
    /// The client address.
    pub ip: Option<String>,
}

/// A line of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminAction {
    /// Sequential id: later lines have greater ids.
    pub id: i64,
    /// When (UTC).
    pub occurred_at: DateTime<Utc>,
    /// The rest of the line, as appended.
    pub action: NewAdminAction,
}

/// Which lines to list; every given condition must hold.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    /// Lines of this staff user.
    pub staff_user_id: Option<i32>,
    /// Lines of this integration.
    pub integration_id: Option<i32>,
    /// Lines of this operation.
    pub operation: Option<String>,
    /// Lines of this kind.
    pub kind: Option<ActionKind>,
    /// Lines with this outcome.
    pub outcome: Option<Outcome>,
    /// Lines at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Lines before this time.
    pub to: Option<DateTime<Utc>>,
}

/// One page of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionPage {
    /// The lines, newest first.
    pub actions: Vec<AdminAction>,
    /// Whether older lines follow.
    pub has_older: bool,
}

/// The staff audit log.
#[derive(Clone)]
pub struct AuditLog {
    db: DatabaseConnection,
    clock: Clock,
}

impl AuditLog {
    /// The log over `db`, dating lines by `clock`.
    pub fn new(db: DatabaseConnection, clock: Clock) -> Self {
        Self { db, clock }
    }

    /// Appends `actions`, dated now, in one statement.
    pub async fn record(&self, actions: Vec<NewAdminAction>) -> Result<()> {
        if actions.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        let rows = actions.into_iter().map(|a| {
            let (staff_user_id, integration_id) = match a.caller {
                Caller::Staff(id) => (Some(id), None),
                Caller::Integration(id) => (None, Some(id)),
                Caller::Anonymous => (None, None),
            };
            action::ActiveModel {
                id: NotSet,
                occurred_at: Set(now),
                actor_type: Set(a.caller.kind().to_owned()),
                staff_user_id: Set(staff_user_id),
                integration_id: Set(integration_id),
                operation: Set(a.operation.chars().take(128).collect()),
                kind: Set(a.kind.name().to_owned()),
                targets: Set(Value::Object(a.targets)),
                outcome: Set(a.outcome.name().to_owned()),
                error_code: Set(a.error_code),
                request_id: Set(a.request_id.map(|r| r.chars().take(128).collect())),
                ip: Set(a.ip.map(|ip| ip.chars().take(64).collect())),
            }
        });
        action::Entity::insert_many(rows)
            .exec_without_returning(&self.db)
            .await?;
        Ok(())
    }

    /// The `first` lines matching `filter` that are older than line `before` (from the newest
    /// when `None`), newest first.
    pub async fn list(
        &self,
        filter: &ActionFilter,
        first: u64,
        before: Option<i64>,
    ) -> Result<ActionPage> {
        if first == 0 || first > MAX_ACTIONS_PAGE {
            return Err(Error::invalid(
                "first",
                format!("Ask for 1 to {MAX_ACTIONS_PAGE} lines."),
            ));
        }
        let mut select = action::Entity::find()
            .order_by_desc(action::Column::Id)
            .limit(first + 1);
        if let Some(before) = before {
            select = select.filter(action::Column::Id.lt(before));
        }
        if let Some(id) = filter.staff_user_id {
            select = select.filter(action::Column::StaffUserId.eq(id));
        }
        if let Some(id) = filter.integration_id {
            select = select.filter(action::Column::IntegrationId.eq(id));
        }
        if let Some(operation) = &filter.operation {
            select = select.filter(action::Column::Operation.eq(operation.as_str()));
        }
        if let Some(kind) = filter.kind {
            select = select.filter(action::Column::Kind.eq(kind.name()));
        }
        if let Some(outcome) = filter.outcome {
            select = select.filter(action::Column::Outcome.eq(outcome.name()));
        }
        if let Some(from) = filter.from {
            select = select.filter(action::Column::OccurredAt.gte(from));
        }
        if let Some(to) = filter.to {
            select = select.filter(action::Column::OccurredAt.lt(to));
        }
        let mut rows = select.all(&self.db).await?;
        let has_older = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Ok(ActionPage {
            actions: rows.into_iter().map(AdminAction::from).collect(),
            has_older,
        })
    }

    /// Deletes the lines older than `retention_days` (at least [`MIN_RETENTION_DAYS`]); how
    /// many.
    pub async fn purge(&self, retention_days: u32) -> Result<u64> {
        let days = retention_days.max(MIN_RETENTION_DAYS);
        let cutoff = self.clock.now() - Duration::days(i64::from(days));
        let deleted = action::Entity::delete_many()
            .filter(action::Column::OccurredAt.lt(cutoff))
            .exec(&self.db)
            .await?;
        Ok(deleted.rows_affected)
    }
}

impl From<action::Model> for AdminAction {
    fn from(row: action::Model) -> Self {
        let caller = match (
            row.actor_type.as_str(),
            row.staff_user_id,
            row.integration_id,
        ) {
            ("STAFF", Some(id), _) => Caller::Staff(id),
            ("INTEGRATION", _, Some(id)) => Caller::Integration(id),
            _ => Caller::Anonymous,
        };
        Self {
            id: row.id,
            occurred_at: row.occurred_at,
            action: NewAdminAction {
                caller,
                operation: row.operation,
                kind: ActionKind::from_name(&row.kind).unwrap_or(ActionKind::Change),
                targets: match row.targets {
                    Value::Object(targets) => targets,
                    _ => Map::new(),
                },
                outcome: Outcome::from_name(&row.outcome).unwrap_or(Outcome::Failure),
                error_code: row.error_code,
                request_id: row.request_id,
                ip: row.ip,
            },
        }
    }
}
