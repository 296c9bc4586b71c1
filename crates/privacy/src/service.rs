//! The privacy service: the export of everything held about a customer, in one document read in
//! one transaction, and their erasure from every table in one transaction, now or after the
//! configured grace period.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use clientele_configuration::{ConfigService, Scope, keys};
use clientele_customer_attributes::{AttributeEntity, AttributeService, AttributeValue};
use clientele_customers::Accounts;
use clientele_groups::GroupService;
use clientele_kernel::acting;
use clientele_kernel::db::{begin_write, is_sqlite, is_unique_violation, one_connection_per_node};
use clientele_kernel::personal_data::{DataSubject, PersonalData};
use clientele_kernel::{Clock, Error, Result};
use clientele_mail::{Storefront, TemplateCode, enqueue};
use clientele_sessions::{OpaqueSecret, hash_secret};
use sea_orm::{
    AccessMode, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbBackend, EntityTrait, IntoActiveModel, IsolationLevel, QueryFilter,
    QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::entity::{erasure, export_link};
use crate::model::{Erasure, ErasureFilter, ErasureStatus, ExportLink};

/// The name and version of the export document's format.
pub const EXPORT_FORMAT: &str = "clientele.customer-data/1";

/// How long an emailed export link works.
pub const EXPORT_LINK_LIFETIME: Duration = Duration::hours(24);

/// The path of an export link on the API, before its token.
pub const EXPORT_LINK_PATH: &str = "/exports/customer-data/";

/// Longest reason an erasure accepts.
pub const MAX_REASON_LENGTH: usize = 1000;

/// Pending erasures carried out per housekeeping round.
const DUE_PER_ROUND: u64 = 100;

/// What a person's data is gathered for.
#[derive(Clone, Copy)]
enum Purpose {
    /// Reading: the export.
    Export,
    /// Erasing: the account is locked until the erasure commits.
    Erasure,
}

/// An export as read in its transaction, before the attribute values and the group's name.
struct Draft {
    customer_id: i32,
    account: Value,
    addresses: Vec<(i32, Value)>,
    sections: Map<String, Value>,
}

/// The export and erasure of customers' data.
#[derive(Clone)]
pub struct Privacy {
    db: DatabaseConnection,
    clock: Clock,
    config: ConfigService,
    accounts: Accounts,
    attributes: AttributeService,
    groups: GroupService,
    holders: Arc<Vec<Arc<dyn PersonalData>>>,
}

impl Privacy {
    /// The service over `db`. `holders` are the domains holding personal data outside the
    /// account and its address book; each exports and erases its own share.
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        config: ConfigService,
        accounts: Accounts,
        attributes: AttributeService,
        groups: GroupService,
        holders: Vec<Arc<dyn PersonalData>>,
    ) -> Self {
        Self {
            db,
            clock,
            config,
            accounts,
            attributes,
            groups,
            holders: Arc::new(holders),
        }
    }

    /// Everything held about customer `customer_id`, as one JSON document.
    pub async fn export(&self, customer_id: i32) -> Result<Value> {
        // One snapshot on PostgreSQL (SQLite's transactions are snapshots already).
        let txn = match self.db.get_database_backend() {
            DbBackend::Postgres => {
                self.db
                    .begin_with_config(
                        Some(IsolationLevel::RepeatableRead),
                        Some(AccessMode::ReadOnly),
                    )
                    .await?
            }
            _ => self.db.begin().await?,
        };
        let draft = self.read_export(&txn, customer_id).await?;
        txn.commit().await?;
        self.complete(draft).await
    }

    /// What the export reads in one transaction, so that its parts agree with each other.
    async fn read_export(&self, txn: &DatabaseTransaction, customer_id: i32) -> Result<Draft> {
        let subject = self.subject(txn, customer_id, Purpose::Export).await?;
        let (account, addresses) = self.accounts.export_account(txn, customer_id).await?;
        let mut sections = Map::new();
        for holder in self.holders.iter() {
            if let Some(section) = holder.export(txn, &subject).await? {
                sections.insert(holder.section().into(), section);
            }
        }
        let erasures: Vec<Value> = erasure::Entity::find()
            .filter(erasure::Column::CustomerId.eq(customer_id))
            .order_by_asc(erasure::Column::RequestedAt)
            .all(txn)
            .await?
            .into_iter()
            .map(|row| erasure_json(&row.into()))
            .collect();
        sections.insert("erasure_requests".into(), Value::Array(erasures));
        Ok(Draft {
            customer_id,
            account,
            addresses,
            sections,
        })
    }

    /// The export document: the draft with the attribute values and the group's name, which
    /// their services read (from their caches, or over connections of their own: never while
    /// the export's transaction holds one).
    async fn complete(&self, draft: Draft) -> Result<Value> {
        let Draft {
            customer_id,
            mut account,
            addresses,
            sections,
        } = draft;
        let address_ids: Vec<i32> = addresses.iter().map(|(id, _)| *id).collect();
        let mut customer_values = self
            .attributes
            .attribute_values(AttributeEntity::Customer, &[customer_id])
            .await?;
        let mut address_values = self
            .attributes
            .attribute_values(AttributeEntity::Address, &address_ids)
            .await?;
        if let Value::Object(fields) = &mut account {
            fields.insert(
                "custom_attributes".into(),
                attribute_values(customer_values.remove(&customer_id).unwrap_or_default()),
            );
        }
        let default_of =
            |field: &str, id: i32| Value::from(account[field].as_i64() == Some(id.into()));
        let addresses: Vec<Value> = addresses
            .into_iter()
            .map(|(id, mut address)| {
                if let Value::Object(fields) = &mut address {
                    fields.remove("customer_id");
                    fields.insert(
                        "default_billing".into(),
                        default_of("default_billing_id", id),
                    );
                    fields.insert(
                        "default_shipping".into(),
                        default_of("default_shipping_id", id),
                    );
                    fields.insert(
                        "custom_attributes".into(),
                        attribute_values(address_values.remove(&id).unwrap_or_default()),
                    );
                }
                address
            })
            .collect();
        let group_id = account["group_id"]
            .as_i64()
            .and_then(|id| i32::try_from(id).ok());
        let group = match group_id {
            Some(id) => match self.groups.get(id).await {
                Ok(group) => json!({"id": group.id, "name": group.name}),
                Err(Error::NotFound { .. }) => json!({"id": id}),
                Err(other) => return Err(other),
            },
            None => Value::Null,
        };
        let mut document = Map::new();
        document.insert("format".into(), EXPORT_FORMAT.into());
        document.insert("generated_at".into(), self.clock.now().to_rfc3339().into());
        document.insert("customer".into(), account);
        document.insert("group".into(), group);
        document.insert("addresses".into(), Value::Array(addresses));
        document.extend(sections);
        Ok(Value::Object(document))
    }

    /// Emails customer `customer_id` a single-use link to the export of their data, working for
    /// [`EXPORT_LINK_LIFETIME`], in the words of `store`. The link is `{public_url}` followed by
    /// [`EXPORT_LINK_PATH`] and the token; the email and the link are saved together.
    pub async fn email_export_link(
        &self,
        customer_id: i32,
        store: &Storefront,
        public_url: &str,
    ) -> Result<ExportLink> {
        let account = self.accounts.get(customer_id).await?;
        let secret = OpaqueSecret::generate("cdx_")?;
        let now = self.clock.now();
        let expires_at = now + EXPORT_LINK_LIFETIME;
        let link = format!(
            "{}{EXPORT_LINK_PATH}{}",
            public_url.trim_end_matches('/'),
            secret.plain
        );
        let txn = begin_write(&self.db).await?;
        // Links that can no longer be used are of no use to keep.
        export_link::Entity::delete_many()
            .filter(export_link::Column::CustomerId.eq(customer_id))
            .filter(
                sea_orm::Condition::any()
                    .add(export_link::Column::ExpiresAt.lte(now))
                    .add(export_link::Column::UsedAt.is_not_null()),
            )
            .exec(&txn)
            .await?;
        export_link::Model {
            token_hash: secret.hash.clone(),
            customer_id,
            created_at: now,
            expires_at,
            used_at: None,
        }
        .into_active_model()
        .insert(&txn)
        .await?;
        let vars = json!({
            "customer": {"firstname": account.firstname, "lastname": account.lastname},
            "store": store.template_vars(),
            "link": link,
            "expires_at": expires_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        });
        enqueue(
            &txn,
            TemplateCode::CustomerDataExport,
            store.store_id,
            &account.email,
            &vars,
            now,
        )
        .await?;
        txn.commit().await?;
        tracing::info!(customer_id, "customer data export link emailed");
        Ok(ExportLink {
            token: secret.plain,
            expires_at,
        })
    }

    /// The export the link with `token` leads to, using the link up; `None` when no such link
    /// works (unknown, expired or used). A link whose export fails works again.
    pub async fn redeem_export_link(&self, token: &str) -> Result<Option<Value>> {
        let now = self.clock.now();
        let token_hash = hash_secret(token);
        let used = export_link::Entity::update_many()
            .col_expr(export_link::Column::UsedAt, now.into())
            .filter(export_link::Column::TokenHash.eq(token_hash.clone()))
            .filter(export_link::Column::UsedAt.is_null())
            .filter(export_link::Column::ExpiresAt.gt(now))
            .exec_with_returning(&self.db)
            .await?;
        let Some(link) = used.into_iter().next() else {
            return Ok(None);
        };
        match self.export(link.customer_id).await {
            Ok(document) => Ok(Some(document)),
            // The account was erased after the link was sent.
            Err(Error::NotFound { .. }) => Ok(None),
            Err(error) => {
                let released = export_link::Entity::update_many()
                    .col_expr(
                        export_link::Column::UsedAt,
                        Option::<DateTime<Utc>>::None.into(),
                    )
                    .filter(export_link::Column::TokenHash.eq(token_hash))
                    .exec(&self.db)
                    .await;
                if let Err(release) = released {
                    tracing::warn!(%release, "a failed export's link could not be released");
                }
                Err(error)
            }
        }
    }

    /// Erases customer `customer_id` for `reason`: at once, or, with a grace period configured
    /// for their website, when it passes (the account is suspended until then and can be
    /// restored). Asking again while an erasure waits answers with that erasure.
    pub async fn erase(&self, customer_id: i32, reason: &str) -> Result<Erasure> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "Say why the customer is erased: the request it answers.",
            ));
        }
        if reason.chars().count() > MAX_REASON_LENGTH {
            return Err(Error::invalid(
                "reason",
                format!("The reason may be at most {MAX_REASON_LENGTH} characters long."),
            ));
        }
        // Configuration is read before the write transaction takes its connection.
        let website_id = self.accounts.get(customer_id).await?.website_id;
        let grace_days = self
            .config
            .resolve(Scope::Website(website_id))
            .await?
            .number(keys::customer::ACCOUNT_INFORMATION_ERASURE_GRACE_DAYS)
            .unwrap_or(0)
            .max(0);
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        // On Citus the erasure reaches shards of several tables, some by email (subscriptions,
        // email claims) wherever the address falls.
        one_connection_per_node(&txn).await?;
        let subject = self.subject(&txn, customer_id, Purpose::Erasure).await?;
        if let Some(pending) = pending(&txn, customer_id).await? {
            return Ok(pending.into());
        }
        let erase_after = now + Duration::days(grace_days);
        let (status, was_active, completed_at) = if grace_days == 0 {
            self.erase_in(&txn, &subject).await?;
            (ErasureStatus::Erased, false, Some(now))
        } else {
            let was_active = self.accounts.set_active(&txn, customer_id, false).await?;
            (ErasureStatus::Pending, was_active, None)
        };
        let row = erasure::Model {
            id: Uuid::new_v4(),
            customer_id,
            website_id: subject.website_id,
            status: status.name().into(),
            reason: reason.to_owned(),
            requested_by: serde_json::to_value(acting::current().actor).unwrap_or(Value::Null),
            requested_at: now,
            erase_after,
            was_active,
            completed_at,
        };
        if let Err(error) = row.clone().into_active_model().insert(&txn).await {
            drop(txn);
            // Another request suspended the account for its erasure at the same time.
            if is_unique_violation(&error)
                && let Some(pending) = self.pending_erasure(customer_id).await?
            {
                return Ok(pending);
            }
            return Err(error.into());
        }
        txn.commit().await?;
        if status == ErasureStatus::Erased {
            self.settle_files().await;
        }
        tracing::info!(customer_id, status = status.name(), %erase_after, "customer erasure");
        Ok(row.into())
    }

    /// Calls off customer `customer_id`'s pending erasure and lifts the account's suspension.
    pub async fn restore(&self, customer_id: i32) -> Result<Erasure> {
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let Some(row) = pending(&txn, customer_id).await? else {
            return Err(Error::not_found("Pending erasure of customer", customer_id));
        };
        // The erasure is settled by whoever changes its status first: housekeeping on another
        // node may be carrying it out now.
        if !settle(&txn, &row, ErasureStatus::Restored, now).await? {
            return Err(Error::not_found("Pending erasure of customer", customer_id));
        }
        self.accounts
            .set_active(&txn, customer_id, row.was_active)
            .await?;
        txn.commit().await?;
        tracing::info!(customer_id, "customer erasure called off");
        let mut restored: Erasure = row.into();
        restored.status = ErasureStatus::Restored;
        restored.completed_at = Some(now);
        Ok(restored)
    }

    /// The erasure of customer `customer_id` that waits, if any.
    pub async fn pending_erasure(&self, customer_id: i32) -> Result<Option<Erasure>> {
        Ok(pending(&self.db, customer_id).await?.map(Into::into))
    }

    /// Erasures, newest first, optionally of one status and of customers of some websites:
    /// `limit` after the first `offset`.
    pub async fn erasures(
        &self,
        filter: &ErasureFilter,
        websites: Option<&[i32]>,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<Erasure>> {
        let ErasureFilter {
            status,
            customer_id,
        } = *filter;
        let mut query = erasure::Entity::find();
        if let Some(customer_id) = customer_id {
            query = query.filter(erasure::Column::CustomerId.eq(customer_id));
        }
        if let Some(status) = status {
            query = query.filter(erasure::Column::Status.eq(status.name()));
        }
        if let Some(websites) = websites {
            query = query.filter(erasure::Column::WebsiteId.is_in(websites.to_vec()));
        }
        Ok(query
            .order_by_desc(erasure::Column::RequestedAt)
            .order_by_desc(erasure::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Carries out the pending erasures whose grace period has passed; returns how many. One
    /// that fails is logged and left pending for the next round; the others go on.
    pub async fn erase_due(&self) -> Result<usize> {
        let now = self.clock.now();
        let due = erasure::Entity::find()
            .filter(erasure::Column::Status.eq(ErasureStatus::Pending.name()))
            .filter(erasure::Column::EraseAfter.lte(now))
            .order_by_asc(erasure::Column::EraseAfter)
            .limit(DUE_PER_ROUND)
            .all(&self.db)
            .await?;
        let mut erased = 0;
        for row in due {
            let customer_id = row.customer_id;
            match self.erase_pending(row, now).await {
                Ok(true) => {
                    tracing::info!(customer_id, "customer erased after the grace period");
                    erased += 1;
                }
                Ok(false) => {}
                Err(error) => {
                    tracing::error!(
                        ?error,
                        customer_id,
                        "a due customer erasure failed; it stays pending"
                    );
                }
            }
        }
        if erased > 0 {
            self.settle_files().await;
        }
        Ok(erased)
    }

    /// Carries out the pending erasure `row`; false when another node or a restore settled it
    /// first.
    async fn erase_pending(&self, row: erasure::Model, now: DateTime<Utc>) -> Result<bool> {
        let txn = begin_write(&self.db).await?;
        one_connection_per_node(&txn).await?;
        if !settle(&txn, &row, ErasureStatus::Erased, now).await? {
            return Ok(false);
        }
        let customer_id = row.customer_id;
        match self.subject(&txn, customer_id, Purpose::Erasure).await {
            Ok(subject) => self.erase_in(&txn, &subject).await?,
            // Deleted during the grace period: what else is held about them still goes.
            Err(Error::NotFound { .. }) => {
                let subject = DataSubject {
                    customer_id,
                    website_id: row.website_id,
                    emails: clientele_events::emails_of(&txn, customer_id).await?,
                };
                self.erase_holders(&txn, &subject).await?;
            }
            Err(other) => return Err(other),
        }
        txn.commit().await?;
        Ok(true)
    }

    /// The person behind account `customer_id`: the account's address and every earlier one,
    /// but for those another account uses now (records kept under such an address alone may be
    /// the other account's, so they are neither exported nor erased with this one).
    async fn subject(
        &self,
        txn: &DatabaseTransaction,
        customer_id: i32,
        purpose: Purpose,
    ) -> Result<DataSubject> {
        let mut subject = match purpose {
            Purpose::Export => self.accounts.data_subject(txn, customer_id, false).await?,
            Purpose::Erasure => self.accounts.data_subject(txn, customer_id, true).await?,
        };
        subject
            .emails
            .extend(clientele_events::emails_of(txn, customer_id).await?);
        subject.emails.sort_unstable();
        subject.emails.dedup();
        let shared = self
            .accounts
            .addresses_of_others(txn, customer_id, &subject.emails)
            .await?;
        subject.emails.retain(|email| !shared.contains(email));
        Ok(subject)
    }

    async fn erase_in(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        self.erase_holders(txn, subject).await?;
        export_link::Entity::delete_many()
            .filter(export_link::Column::CustomerId.eq(subject.customer_id))
            .exec(txn)
            .await?;
        self.accounts.erase(txn, subject).await
    }

    /// Forgets export links that expired or were used before `now`; returns how many.
    pub async fn purge_export_links(&self) -> Result<u64> {
        let now = self.clock.now();
        Ok(export_link::Entity::delete_many()
            .filter(
                sea_orm::Condition::any()
                    .add(export_link::Column::ExpiresAt.lte(now))
                    .add(export_link::Column::UsedAt.is_not_null()),
            )
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    async fn erase_holders(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        for holder in self.holders.iter() {
            holder.erase(txn, subject).await?;
        }
        Ok(())
    }

    /// On SQLite, moves what the write-ahead log holds into the database file and empties the
    /// log, so the erased content (overwritten in the file by `secure_delete`) survives in
    /// neither. Best effort: a reader still open keeps the log until a later checkpoint.
    async fn settle_files(&self) {
        if !is_sqlite(&self.db) {
            return;
        }
        let outcome = self
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ))
            .await;
        // The pragma answers `busy` = 1 (rather than failing) when a reader kept it from
        // finishing.
        match outcome.map(|row| row.map(|r| r.try_get_by_index::<i32>(0))) {
            Ok(Some(Ok(0))) => {}
            Ok(_) => tracing::warn!(
                "the write-ahead log could not be emptied after an erasure; a later checkpoint will"
            ),
            Err(error) => {
                tracing::warn!(%error, "the write-ahead log could not be checkpointed after an erasure")
            }
        }
    }
}

/// Marks pending erasure `row` as `status` at `now`, if it is still pending; whether it was.
async fn settle(
    txn: &DatabaseTransaction,
    row: &erasure::Model,
    status: ErasureStatus,
    now: DateTime<Utc>,
) -> Result<bool> {
    let changed = erasure::Entity::update_many()
        .col_expr(erasure::Column::Status, status.name().into())
        .col_expr(erasure::Column::CompletedAt, Some(now).into())
        .filter(erasure::Column::Id.eq(row.id))
        .filter(erasure::Column::Status.eq(ErasureStatus::Pending.name()))
        .exec(txn)
        .await?;
    Ok(changed.rows_affected == 1)
}

async fn pending(db: &impl ConnectionTrait, customer_id: i32) -> Result<Option<erasure::Model>> {
    Ok(erasure::Entity::find()
        .filter(erasure::Column::CustomerId.eq(customer_id))
        .filter(erasure::Column::Status.eq(ErasureStatus::Pending.name()))
        .one(db)
        .await?)
}

/// Attribute values as the export shows them: the code, the stored value and, for options,
/// their labels.
fn attribute_values(values: Vec<AttributeValue>) -> Value {
    Value::Array(
        values
            .into_iter()
            .map(|value| {
                let labels: Vec<&str> = value
                    .selected_options
                    .iter()
                    .map(|(_, label)| label.as_str())
                    .collect();
                json!({"code": value.code, "value": value.value, "selected_options": labels})
            })
            .collect(),
    )
}

/// An erasure as the export shows it.
fn erasure_json(erasure: &Erasure) -> Value {
    let at = |time: Option<DateTime<Utc>>| time.map(|t| t.to_rfc3339());
    json!({
        "status": erasure.status.name(),
        "reason": erasure.reason,
        "requested_at": erasure.requested_at.to_rfc3339(),
        "erase_after": erasure.erase_after.to_rfc3339(),
        "completed_at": at(erasure.completed_at),
    })
}
