//! Now Online: who is on the storefront. Signed-in customers are online when active within the
//! Online Minutes Interval and not signed out since; visitors (guests) carry an id the API issues
//! and are online while active within the interval. Activity is what changes state (sign-in,
//! registration, cart and wish list changes a storefront or the commerce backend reports), never
//! a page view. Visitor rows are deleted once they fall out of the interval, so storage follows
//! the number of visitors online, not of visitors ever seen.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use clientele_configuration::{ConfigService, Scope, keys};
use clientele_kernel::db::{begin_write, is_foreign_key_violation};
use clientele_kernel::text::{escape_like, reject_control_chars};
use clientele_kernel::{Clock, Error, Page, PageRequest, Result};
use clientele_sessions::{TokenError, TokenIssuer};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, Statement, Value,
};
use serde::{Deserialize, Serialize};

use crate::entity::{sign_in_log, visitor};
use crate::record::{SignInRecord, record_sign_in, sign_in_records};

/// Audience of visitor ids.
pub const VISITOR_AUDIENCE: &str = "clientele-visitor";

/// How long a visitor id stays valid: a returning visitor keeps theirs for this long.
const VISITOR_ID_DAYS: i64 = 30;

/// Longest last URL kept.
const MAX_URL_CHARS: usize = 2048;

/// Visitors deleted per statement by the clean-up, so no pass holds locks for long.
const PURGE_BATCH: u64 = 5_000;

/// Claims of a visitor id.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct VisitorClaims {
    iss: String,
    aud: String,
    /// The visitor's uuid.
    sub: String,
    iat: i64,
    exp: i64,
}

/// A newly issued visitor id.
#[derive(Debug, Clone)]
pub struct IssuedVisitor {
    /// The id to send back with activity reports (a signed token).
    pub visitor_id: String,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// Who was active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Active {
    /// A signed-in customer.
    Customer(i32),
    /// A visitor, by the uuid inside their id.
    Visitor(String),
}

/// Whether a Now Online line is a customer or a visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnlineKind {
    /// A signed-in customer.
    Customer,
    /// A guest.
    Visitor,
}

/// One line of the Now Online grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineEntry {
    /// Customer or visitor.
    pub kind: OnlineKind,
    /// The customer id (customers only).
    pub customer_id: Option<i32>,
    /// The visitor's uuid (visitors only).
    pub visitor_id: Option<String>,
    /// First name (customers only).
    pub firstname: Option<String>,
    /// Last name (customers only).
    pub lastname: Option<String>,
    /// Email (customers only).
    pub email: Option<String>,
    /// Company: of the default billing address until B2B company accounts exist.
    pub company: Option<String>,
    /// Last activity.
    pub last_activity_at: DateTime<Utc>,
    /// Last URL reported.
    pub last_url: Option<String>,
}

/// Now Online filters; every present filter must match.
#[derive(Debug, Clone, Default)]
pub struct OnlineQuery {
    /// Only customers or only visitors.
    pub kind: Option<OnlineKind>,
    /// Smallest customer id.
    pub customer_id_from: Option<i32>,
    /// Largest customer id.
    pub customer_id_to: Option<i32>,
    /// Substring of the first name.
    pub firstname: Option<String>,
    /// Substring of the last name.
    pub lastname: Option<String>,
    /// Substring of the email.
    pub email: Option<String>,
    /// Substring of the company.
    pub company: Option<String>,
    /// Substring of the last URL.
    pub last_url: Option<String>,
    /// Active at or after.
    pub active_from: Option<DateTime<Utc>>,
    /// Active at or before.
    pub active_to: Option<DateTime<Utc>>,
    /// Only customers of these websites (a role's scope); visitors belong to no website.
    pub website_ids: Option<Vec<i32>>,
}

/// Sortable Now Online columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnlineSortField {
    /// Last activity (the default, newest first).
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
    Kind,
    /// Last URL.
    LastUrl,
    /// Company.
    Company,
}

/// Sort order of the Now Online grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnlineSort {
    /// Column.
    pub field: OnlineSortField,
    /// Descending when true.
    pub descending: bool,
}

impl Default for OnlineSort {
    fn default() -> Self {
        Self {
            field: OnlineSortField::LastActivity,
            descending: true,
        }
    }
}

/// The customer accounts as Now Online lists them: the port through which the customers crate
/// lends its accounts to the grid, so the grid filters and sorts on names in one query.
pub trait AccountDirectory: Send + Sync {
    /// A `SELECT` of every account with the columns `id`, `website_id`, `is_active`,
    /// `firstname`, `lastname`, `email`, `email_key` (the lowercase email) and `company`, which
    /// the grid joins its activity rows to as a derived table (planned as a plain join).
    fn accounts_relation(&self) -> &'static str;
}

/// Now Online over the sign-in records and visitors.
#[derive(Clone)]
pub struct NowOnline {
    db: DatabaseConnection,
    config: ConfigService,
    accounts: Arc<dyn AccountDirectory>,
    tokens: TokenIssuer,
    clock: Clock,
}

impl NowOnline {
    /// Activity tracking in `db`, listing the `accounts` online and issuing visitor ids with
    /// `tokens` (an issuer of its own, so visitor ids do not crowd shopper tokens out of its
    /// verification memory).
    pub fn new(
        db: DatabaseConnection,
        config: ConfigService,
        accounts: Arc<dyn AccountDirectory>,
        tokens: TokenIssuer,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            config,
            accounts,
            tokens,
            clock,
        }
    }

    /// The sign-in records of `ids`; customers who never signed in are left out.
    pub async fn sign_in_records(&self, ids: &[i32]) -> Result<HashMap<i32, SignInRecord>> {
        sign_in_records(&self.db, ids).await
    }

    /// Issues a visitor id and records the visitor's arrival.
    pub async fn issue_visitor(&self) -> Result<IssuedVisitor> {
        let now = self.clock.now();
        let expires_at = now + Duration::days(VISITOR_ID_DAYS);
        let uuid = uuid::Uuid::new_v4().to_string();
        let claims = VisitorClaims {
            iss: self.tokens.issuer().to_owned(),
            aud: VISITOR_AUDIENCE.to_owned(),
            sub: uuid.clone(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let visitor_id = self.tokens.sign(&claims)?;
        self.record(&Active::Visitor(uuid), None).await?;
        Ok(IssuedVisitor {
            visitor_id,
            expires_at,
        })
    }

    /// The visitor uuid inside a visitor id; `None` for anything we did not issue or that has
    /// expired.
    pub async fn visitor(&self, visitor_id: &str) -> Option<String> {
        match self
            .tokens
            .verify::<VisitorClaims>(visitor_id, VISITOR_AUDIENCE)
            .await
        {
            Ok(claims) if uuid::Uuid::parse_str(&claims.sub).is_ok() => Some(claims.sub),
            Ok(_) | Err(TokenError::Expired | TokenError::Invalid | TokenError::Malformed) => None,
        }
    }

    /// Records activity now, with the page it happened on when known. A customer's activity
    /// after a sign-out brings them back online.
    pub async fn record(&self, who: &Active, last_url: Option<&str>) -> Result<()> {
        let last_url = checked_url(last_url)?;
        let now = self.clock.now();
        let db = &self.db;
        match who {
            Active::Customer(id) => {
                let mut columns = vec![sign_in_log::Column::LastActivityAt];
                if last_url.is_some() {
                    columns.push(sign_in_log::Column::LastUrl);
                    columns.push(sign_in_log::Column::LastUrlKey);
                }
                sign_in_log::Entity::insert(sign_in_log::ActiveModel {
                    customer_id: Set(*id),
                    last_activity_at: Set(Some(now)),
                    last_url_key: Set(last_url.as_deref().map(str::to_lowercase)),
                    last_url: Set(last_url),
                    ..Default::default()
                })
                .on_conflict(
                    OnConflict::column(sign_in_log::Column::CustomerId)
                        .update_columns(columns)
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await
                .map_err(|e| {
                    if is_foreign_key_violation(&e) {
                        Error::invalid("customer_id", "The customer does not exist.")
                    } else {
                        e.into()
                    }
                })?;
            }
            Active::Visitor(uuid) => {
                let mut columns = vec![visitor::Column::LastActivityAt];
                if last_url.is_some() {
                    columns.push(visitor::Column::LastUrl);
                    columns.push(visitor::Column::LastUrlKey);
                }
                visitor::Entity::insert(visitor::ActiveModel {
                    id: Set(uuid.clone()),
                    created_at: Set(now),
                    last_activity_at: Set(now),
                    last_url_key: Set(last_url.as_deref().map(str::to_lowercase)),
                    last_url: Set(last_url),
                })
                .on_conflict(
                    OnConflict::column(visitor::Column::Id)
                        .update_columns(columns)
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
            }
        }
        Ok(())
    }

    /// Records a sign-up that signed the shopper in: their first sign-in and activity.
    pub async fn record_registration(&self, customer_id: i32) -> Result<()> {
        record_sign_in(&self.db, customer_id, self.clock.now()).await
    }

    /// Records activity of a visitor who is still online (their row exists); false when the
    /// visitor has no row (new, or cleaned up after going quiet), in which case nothing changed.
    pub async fn touch_visitor(&self, uuid: &str, last_url: Option<&str>) -> Result<bool> {
        let last_url = checked_url(last_url)?;
        let mut update = visitor::Entity::update_many()
            .col_expr(visitor::Column::LastActivityAt, self.clock.now().into())
            .filter(visitor::Column::Id.eq(uuid));
        if let Some(url) = last_url {
            update = update
                .col_expr(visitor::Column::LastUrlKey, Some(url.to_lowercase()).into())
                .col_expr(visitor::Column::LastUrl, Some(url).into());
        }
        Ok(update.exec(&self.db).await?.rows_affected == 1)
    }

    /// The visitor signed in or registered as `customer_id`: their activity continues as the
    /// customer's (with the visitor's last URL when the customer has none yet), so Now Online
    /// lists them once.
    pub async fn visitor_became_customer(
        &self,
        visitor_uuid: &str,
        customer_id: i32,
    ) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        let Some(row) = visitor::Entity::find_by_id(visitor_uuid.to_owned())
            .one(&txn)
            .await?
        else {
            return Ok(());
        };
        if let Some(url) = row.last_url {
            sign_in_log::Entity::update_many()
                .col_expr(sign_in_log::Column::LastUrlKey, row.last_url_key.into())
                .col_expr(sign_in_log::Column::LastUrl, Some(url).into())
                .filter(sign_in_log::Column::CustomerId.eq(customer_id))
                .filter(sign_in_log::Column::LastUrl.is_null())
                .exec(&txn)
                .await?;
        }
        visitor::Entity::delete_by_id(visitor_uuid.to_owned())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The Online Minutes Interval (a Global option; 15 minutes when empty).
    pub async fn interval(&self) -> Result<Duration> {
        let minutes = self
            .config
            .resolve(Scope::Default)
            .await?
            .number(keys::customer::ONLINE_CUSTOMERS_ONLINE_MINUTES_INTERVAL)
            .filter(|m| *m > 0)
            .unwrap_or(15);
        Ok(Duration::minutes(minutes))
    }

    /// Deletes the visitors who fell out of the interval, in batches; returns how many went.
    pub async fn purge_idle_visitors(&self) -> Result<u64> {
        let cutoff = self.clock.now() - self.interval().await?;
        let db = &self.db;
        let backend = db.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => {
                "DELETE FROM visitors WHERE id IN \
                 (SELECT id FROM visitors WHERE last_activity_at < $1 LIMIT $2)"
            }
            _ => {
                "DELETE FROM visitors WHERE id IN \
                 (SELECT id FROM visitors WHERE last_activity_at < ? LIMIT ?)"
            }
        };
        let mut removed = 0;
        loop {
            let done = db
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    sql,
                    [cutoff.into(), (PURGE_BATCH as i64).into()],
                ))
                .await?
                .rows_affected();
            removed += done;
            if done < PURGE_BATCH {
                return Ok(removed);
            }
        }
    }

    /// One page of the Now Online grid, with the exact count.
    pub async fn online(
        &self,
        query: &OnlineQuery,
        sort: OnlineSort,
        page: PageRequest,
    ) -> Result<Page<OnlineEntry>> {
        let cutoff = self.clock.now() - self.interval().await?;
        let db = &self.db;
        let backend = db.get_database_backend();
        // Each side gives only its first `offset + limit` rows in the page's order (read in
        // index order for the default sort), and the page is cut from their union. The count
        // adds up one `COUNT(*)` per side; the visitors' is an index-only scan.
        let order = order_by(sort);
        let accounts = self.accounts.accounts_relation();
        let mut rows_sql = Sql::new(backend);
        let mut legs = Vec::new();
        for (i, side) in Side::wanted(query).into_iter().enumerate() {
            let select = side.select(&mut rows_sql, query, cutoff, accounts, false)?;
            let head = rows_sql.bind(((page.offset() + page.page_size) as i64).into());
            legs.push(format!(
                "SELECT * FROM ({select} ORDER BY {order} LIMIT {head}) AS side{i}"
            ));
        }
        if legs.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                total_count: 0,
                request: page,
            });
        }
        let limit = rows_sql.bind((page.page_size as i64).into());
        let offset = rows_sql.bind((page.offset() as i64).into());
        let text = format!(
            "SELECT * FROM ({}) AS online ORDER BY {order} LIMIT {limit} OFFSET {offset}",
            legs.join(" UNION ALL ")
        );
        // The page and the count run at once, on two connections.
        let (rows, total_count) = futures_util::future::try_join(
            async {
                Ok(OnlineRow::find_by_statement(rows_sql.statement(text))
                    .all(db)
                    .await?)
            },
            self.count_online(query, cutoff),
        )
        .await?;
        Ok(Page {
            items: rows.into_iter().map(OnlineRow::into_entry).collect(),
            total_count,
            request: page,
        })
    }

    async fn count_online(&self, query: &OnlineQuery, cutoff: DateTime<Utc>) -> Result<u64> {
        let db = &self.db;
        let accounts = self.accounts.accounts_relation();
        let mut count = Sql::new(db.get_database_backend());
        let counts: Vec<String> = Side::wanted(query)
            .into_iter()
            .map(|side| {
                Ok(format!(
                    "({})",
                    side.select(&mut count, query, cutoff, accounts, true)?
                ))
            })
            .collect::<Result<_>>()?;
        if counts.is_empty() {
            return Ok(0);
        }
        let text = format!("SELECT {} AS total", counts.join(" + "));
        let total: Option<CountRow> = CountRow::find_by_statement(count.statement(text))
            .one(db)
            .await?;
        Ok(total.map_or(0, |t| u64::try_from(t.total).unwrap_or(0)))
    }
}

/// The order of a page: the chosen column with empty values last, then the ids, so the order is
/// total and pages never overlap. Last activity is never empty here, and without `NULLS LAST`
/// it is read in index order.
fn order_by(sort: OnlineSort) -> String {
    let direction = if sort.descending { "DESC" } else { "ASC" };
    let column = match sort.field {
        OnlineSortField::LastActivity => "last_activity_at",
        OnlineSortField::CustomerId => "customer_id",
        OnlineSortField::Firstname => "firstname",
        OnlineSortField::Lastname => "lastname",
        OnlineSortField::Email => "email",
        OnlineSortField::Kind => "kind",
        OnlineSortField::LastUrl => "last_url",
        OnlineSortField::Company => "company",
    };
    let nulls = if sort.field == OnlineSortField::LastActivity {
        ""
    } else {
        " NULLS LAST"
    };
    format!(
        "{column} {direction}{nulls}, customer_id {direction} NULLS LAST, \
         visitor_id {direction} NULLS LAST"
    )
}

/// The two kinds of people online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Customers,
    Visitors,
}

impl Side {
    /// The sides a query can match. Visitors have no name, email, company or customer id: a
    /// filter on one of those leaves them out.
    fn wanted(q: &OnlineQuery) -> Vec<Side> {
        let mut sides = Vec::with_capacity(2);
        if q.kind != Some(OnlineKind::Visitor) {
            sides.push(Side::Customers);
        }
        let customer_filter = q.customer_id_from.is_some()
            || q.customer_id_to.is_some()
            || q.firstname.is_some()
            || q.lastname.is_some()
            || q.email.is_some()
            || q.company.is_some();
        if q.kind != Some(OnlineKind::Customer) && !customer_filter {
            sides.push(Side::Visitors);
        }
        sides
    }

    /// The side's rows online since `cutoff` that match `q` (or their count), without order.
    fn select(
        self,
        sql: &mut Sql,
        q: &OnlineQuery,
        cutoff: DateTime<Utc>,
        accounts: &str,
        count: bool,
    ) -> Result<String> {
        match self {
            Side::Customers => {
                // A deactivated account is offline whatever its last activity.
                let mut conditions = vec![
                    format!("l.last_activity_at > {}", sql.bind(cutoff.into())),
                    "(l.last_logout_at IS NULL OR l.last_logout_at < l.last_activity_at)"
                        .to_owned(),
                    format!("c.is_active = {}", sql.bind(true.into())),
                ];
                if let Some(websites) = &q.website_ids {
                    if websites.is_empty() {
                        conditions.push("1 = 0".to_owned());
                    } else {
                        let marks: Vec<String> =
                            websites.iter().map(|id| sql.bind((*id).into())).collect();
                        conditions.push(format!("c.website_id IN ({})", marks.join(", ")));
                    }
                }
                if let Some(from) = q.customer_id_from {
                    conditions.push(format!("l.customer_id >= {}", sql.bind(from.into())));
                }
                if let Some(to) = q.customer_id_to {
                    conditions.push(format!("l.customer_id <= {}", sql.bind(to.into())));
                }
                for (column, text) in [
                    ("c.firstname", &q.firstname),
                    ("c.lastname", &q.lastname),
                    ("c.email_key", &q.email),
                    ("c.company", &q.company),
                    ("l.last_url_key", &q.last_url),
                ] {
                    if let Some(text) = text {
                        conditions.push(contains(sql, column, text)?);
                    }
                }
                activity_range(sql, q, "l.last_activity_at", &mut conditions);
                let conditions = conditions.join(" AND ");
                Ok(if count {
                    format!(
                        "SELECT COUNT(*) FROM customer_log l \
                         JOIN ({accounts}) c ON c.id = l.customer_id WHERE {conditions}"
                    )
                } else {
                    format!(
                        "SELECT 'customer' AS kind, c.id AS customer_id, \
                         CAST(NULL AS TEXT) AS visitor_id, c.firstname AS firstname, \
                         c.lastname AS lastname, c.email AS email, \
                         c.company AS company, l.last_activity_at AS last_activity_at, \
                         l.last_url AS last_url \
                         FROM customer_log l JOIN ({accounts}) c ON c.id = l.customer_id \
                         WHERE {conditions}"
                    )
                })
            }
            Side::Visitors => {
                let mut conditions =
                    vec![format!("v.last_activity_at > {}", sql.bind(cutoff.into()))];
                if let Some(text) = &q.last_url {
                    conditions.push(contains(sql, "v.last_url_key", text)?);
                }
                activity_range(sql, q, "v.last_activity_at", &mut conditions);
                let conditions = conditions.join(" AND ");
                Ok(if count {
                    format!("SELECT COUNT(*) FROM visitors v WHERE {conditions}")
                } else {
                    format!(
                        "SELECT 'visitor' AS kind, CAST(NULL AS INTEGER) AS customer_id, \
                         v.id AS visitor_id, CAST(NULL AS TEXT) AS firstname, \
                         CAST(NULL AS TEXT) AS lastname, CAST(NULL AS TEXT) AS email, \
                         CAST(NULL AS TEXT) AS company, v.last_activity_at AS last_activity_at, \
                         v.last_url AS last_url FROM visitors v WHERE {conditions}"
                    )
                })
            }
        }
    }
}

#[derive(FromQueryResult)]
struct CountRow {
    total: i64,
}

#[derive(FromQueryResult)]
struct OnlineRow {
    kind: String,
    customer_id: Option<i32>,
    visitor_id: Option<String>,
    firstname: Option<String>,
    lastname: Option<String>,
    email: Option<String>,
    company: Option<String>,
    last_activity_at: DateTime<Utc>,
    last_url: Option<String>,
}

impl OnlineRow {
    fn into_entry(self) -> OnlineEntry {
        OnlineEntry {
            kind: if self.kind == "customer" {
                OnlineKind::Customer
            } else {
                OnlineKind::Visitor
            },
            customer_id: self.customer_id,
            visitor_id: self.visitor_id,
            firstname: self.firstname,
            lastname: self.lastname,
            email: self.email,
            company: self.company,
            last_activity_at: self.last_activity_at,
            last_url: self.last_url,
        }
    }
}

/// SQL text with its bound values, in the placeholder style of the backend.
struct Sql {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Sql {
    fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            values: Vec::new(),
        }
    }

    /// Binds a value and returns its placeholder.
    fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".to_owned(),
        }
    }

    fn statement(&self, text: String) -> Statement {
        Statement::from_sql_and_values(self.backend, text, self.values.clone())
    }
}

fn activity_range(sql: &mut Sql, q: &OnlineQuery, column: &str, conditions: &mut Vec<String>) {
    if let Some(from) = q.active_from {
        conditions.push(format!("{column} >= {}", sql.bind(from.into())));
    }
    if let Some(to) = q.active_to {
        conditions.push(format!("{column} <= {}", sql.bind(to.into())));
    }
}

/// A case-insensitive substring match of literal `text`. Keys (`*_key`) are stored lowercase
/// and matched as they are, which spares lowercasing every row.
fn contains(sql: &mut Sql, column: &str, text: &str) -> Result<String> {
    reject_control_chars("filter", text)?;
    let pattern = format!("%{}%", escape_like(&text.trim().to_lowercase()));
    let placeholder = sql.bind(pattern.into());
    Ok(if column.ends_with("_key") {
        format!("{column} LIKE {placeholder} ESCAPE '\\'")
    } else {
        format!("LOWER({column}) LIKE {placeholder} ESCAPE '\\'")
    })
}

/// The last URL as kept: trimmed, at most 2048 characters, no control characters; `None` when
/// empty.
fn checked_url(url: Option<&str>) -> Result<Option<String>> {
    let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    if url.chars().count() > MAX_URL_CHARS {
        return Err(Error::invalid(
            "last_url",
            format!("\"last_url\" must be at most {MAX_URL_CHARS} characters."),
        ));
    }
    reject_control_chars("last_url", url)?;
    Ok(Some(url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_urls_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(checked_url(Some("  ")).expect("empty"), None);
        assert_eq!(
            checked_url(Some(" /cart ")).expect("path"),
            Some("/cart".to_owned())
        );
        assert!(checked_url(Some("/a\nb")).is_err());
        assert!(checked_url(Some(&"x".repeat(2049))).is_err());
    }

    #[test]
    fn placeholders_follow_the_backend() {
        let mut pg = Sql::new(DbBackend::Postgres);
        assert_eq!(pg.bind(1.into()), "$1");
        assert_eq!(pg.bind(2.into()), "$2");
        let mut lite = Sql::new(DbBackend::Sqlite);
        assert_eq!(lite.bind(1.into()), "?");
    }
}
