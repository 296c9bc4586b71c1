//! Rows of the Customers Main File: `email`, `_website`, `_store`, names, `dob`, `gender`,
//! `group_id`, `taxvat`, `created_at`, `created_in`, `confirmation`, `disable_auto_group_change`,
//! `password_hash` (kept, so shoppers keep their passwords), `password` (hashed), and one column
//! per custom customer attribute.

use clientele_configuration::keys;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clientele_configuration::{ResolvedConfig, Scope};
use clientele_kernel::text::{normalize_email, reject_control_chars};
use clientele_kernel::{Error, Result};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::super::BackOffice;
use super::passwords::COLUMN;
use clientele_kernel::bulk::insert_numbered;

use super::{Directory, ImportBehavior, ImportOptions, ImportReport, Txn, lock_accounts};
use crate::accounts::record::{email_scope, revision, save_all, search_text, stale};
use crate::entity::customer;
use crate::model::Gender;
use crate::shopper::check_new_password;
use clientele_customer_attributes::{
    Attribute, AttributeEntity, AttributeValueInput, Changes, load_catalog, resolve,
    write_customer_changes,
};
use clientele_customer_rules::{Rules, optional_text, required_text};
use clientele_imports::columns::{Cell, Columns, date, flag, number, timestamp};
use clientele_imports::{Fence, ImportEntity, password_hashes};
use clientele_kernel::acting::Actor;

const KNOWN: &[&str] = &[
    "email",
    "_website",
    "_store",
    "confirmation",
    "created_at",
    "created_in",
    "disable_auto_group_change",
    "dob",
    "firstname",
    "gender",
    "group_id",
    "lastname",
    "middlename",
    "password_hash",
    "prefix",
    "suffix",
    "taxvat",
    "password",
    "allow_remote_shopping_assistance",
];

/// Columns of Adobe Commerce exports that do not carry over: ids and tokens of the old system,
/// reward notification flags, and counters that restart.
const IGNORED: &[&str] = &[
    "website_id",
    "store_id",
    "updated_at",
    "rp_token",
    "rp_token_created_at",
    "reward_update_notification",
    "reward_warning_notification",
    "default_billing",
    "default_shipping",
    "lock_expires",
    "failures_num",
    "first_failure",
];

/// Customer rows per insert statement.
const INSERT_CHUNK: usize = 500;

/// The importer of one Customers Main File.
pub(crate) struct CustomerRows<'a> {
    service: &'a BackOffice,
    columns: Columns,
    behavior: ImportBehavior,
    websites: Option<Vec<i32>>,
    catalog: Vec<Attribute>,
    rules: HashMap<i32, Arc<(Rules, ResolvedConfig)>>,
    /// The accounts named by earlier rows, by a 128-bit digest of their email scope and key: a
    /// file may name an account once, and kept whole, the keys of a million-row file added
    /// 69 MiB to the server's peak memory.
    seen: HashSet<u128>,
    /// The job whose passwords were hashed before its file is applied.
    job: Option<Fence>,
    /// The batch's passwords hashed beforehand, by line.
    hashed: HashMap<u64, String>,
}

/// A row ready to write.
enum Planned {
    Create(Box<customer::Model>, Changes),
    Update(Box<customer::Model>, Box<customer::Model>, Changes),
    /// The account's id and the version it was read at.
    Delete(i32, i32),
}

/// A digest of an account's email scope and key. Two different accounts share one with a
/// probability of about n²/2¹²⁹ (under 10⁻²⁶ for a million rows).
fn account_digest(scope: i32, key: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut hasher = std::hash::DefaultHasher::new();
        (salt, scope, key).hash(&mut hasher);
        u128::from(hasher.finish())
    };
    half(0) << 64 | half(1)
}

/// The columns of a Customers Main File's header, refused when one is unknown or a required one
/// is missing.
pub(crate) fn columns(
    headers: &[String],
    behavior: ImportBehavior,
    catalog: &[clientele_customer_attributes::Attribute],
) -> Result<Columns> {
    let codes: Vec<String> = catalog.iter().map(|a| a.code.clone()).collect();
    let required: &[&str] = match behavior {
        ImportBehavior::Delete => &["email", "_website"],
        _ => &["email", "_website", "firstname", "lastname"],
    };
    Columns::new(headers, KNOWN, IGNORED, &codes, required)
}

impl<'a> CustomerRows<'a> {
    pub(crate) async fn new(
        service: &'a BackOffice,
        txn: &Txn,
        headers: &[String],
        options: &ImportOptions,
        job: Option<&Fence>,
    ) -> Result<Self> {
        let catalog = load_catalog(txn, AttributeEntity::Customer).await?;
        let columns = columns(headers, options.behavior, &catalog)?;
        Ok(Self {
            service,
            columns,
            behavior: options.behavior,
            websites: options.websites.clone(),
            catalog,
            rules: HashMap::new(),
            seen: HashSet::new(),
            job: job.cloned(),
            hashed: HashMap::new(),
        })
    }

    /// The rules and configuration of a website, resolved once per import.
    async fn rules(&mut self, website_id: i32) -> Result<Arc<(Rules, ResolvedConfig)>> {
        if let Some(found) = self.rules.get(&website_id) {
            return Ok(found.clone());
        }
        let config = self
            .service
            .shared
            .config
            .resolve(Scope::Website(website_id))
            .await?;
        let entry = Arc::new((
            Rules::from_config(&config, self.service.shared.clock.today()),
            config,
        ));
        self.rules.insert(website_id, entry.clone());
        Ok(entry)
    }

    pub(crate) async fn apply(
        &mut self,
        txn: &Txn,
        directory: &Directory,
        rows: Vec<(u64, csv::StringRecord)>,
        report: &mut ImportReport,
    ) -> Result<()> {
        // Identify every row first, so existing accounts are read in one query.
        let mut identified = Vec::with_capacity(rows.len());
        for (line, record) in rows {
            match self.identify(directory, &record).await {
                Ok(key) => identified.push((line, record, key)),
                Err(e) => report.refuse_row(line, e),
            }
        }
        let keys: Vec<String> = identified.iter().map(|(_, _, k)| k.2.clone()).collect();
        let existing = lock_accounts(txn, keys).await?;
        self.hashed = match (&self.job, identified.first(), identified.last()) {
            (Some(job), Some((first, ..)), Some((last, ..))) if self.columns.has(COLUMN) => {
                password_hashes(txn, job, *first..=*last).await?
            }
            _ => HashMap::new(),
        };
        let mut planned = Vec::with_capacity(identified.len());
        for (line, record, (website_id, scope, key, email)) in identified {
            if !self.seen.insert(account_digest(scope, &key)) {
                report.refuse_row(
                    line,
                    Error::invalid("email", "E-mail is duplicated in the import file."),
                );
                continue;
            }
            let current = existing.get(&(scope, key.clone())).cloned();
            let plan = self
                .plan(
                    directory,
                    line,
                    &record,
                    (website_id, scope, key, email),
                    current,
                )
                .await;
            match plan {
                Ok(p) => planned.push((line, p)),
                Err(e) => report.refuse_row(line, e),
            }
        }
        self.write(txn, planned, report).await
    }

    /// The row's website, email scope, email key and email.
    async fn identify(
        &mut self,
        directory: &Directory,
        record: &csv::StringRecord,
    ) -> Result<(i32, i32, String, String)> {
        let code = self.columns.text(record, "_website").unwrap_or_default();
        let website_id = directory.website(code, self.websites.as_deref())?;
        let raw = self.columns.text(record, "email").unwrap_or_default();
        let (email, key) = normalize_email("email", raw)?;
        let scope = email_scope(&self.rules(website_id).await?.1, website_id);
        Ok((website_id, scope, key, email))
    }

    /// What the row at `line` does, given its identity (website, email scope, email key, email)
    /// and the account it names.
    async fn plan(
        &mut self,
        directory: &Directory,
        line: u64,
        record: &csv::StringRecord,
        (website_id, scope, key, email): (i32, i32, String, String),
        current: Option<customer::Model>,
    ) -> Result<Planned> {
        if self.behavior == ImportBehavior::Delete {
            return match current {
                Some(c) => Ok(Planned::Delete(c.id, c.version)),
                None => Err(Error::invalid(
                    "email",
                    "Customer with such email and website code doesn't exist",
                )),
            };
        }
        let website = self.rules(website_id).await?;
        let (rules, config) = (&website.0, &website.1);
        let replace = self.behavior == ImportBehavior::Replace;
        let fresh = current.is_none() || replace;
        let mut next = match &current {
            Some(c) if !replace => c.clone(),
            _ => blank(
                directory,
                config,
                website_id,
                current.as_ref(),
                self.service.shared.clock.now(),
            ),
        };
        next.email = email;
        next.email_key = key;
        next.email_scope_id = scope;
        next.website_id = website_id;
        let c = &self.columns;
        if let Some(v) = required_cell(c, record, "firstname", "First Name", fresh)? {
            next.firstname = v;
        }
        if let Some(v) = required_cell(c, record, "lastname", "Last Name", fresh)? {
            next.lastname = v;
        }
        for (column, label, max, target) in [
            ("prefix", "Name Prefix", 40, &mut next.prefix),
            (
                "middlename",
                "Middle Name/Initial",
                255,
                &mut next.middlename,
            ),
            ("suffix", "Name Suffix", 40, &mut next.suffix),
            ("taxvat", "Tax/VAT Number", 50, &mut next.taxvat),
        ] {
            match c.cell(record, column) {
                Cell::Value(v) => *target = optional_text(column, label, &Some(v.into()), max)?,
                Cell::Clear => *target = None,
                Cell::Blank if fresh => *target = None,
                Cell::Blank => {}
            }
        }
        match c.cell(record, "dob") {
            Cell::Value(v) => next.dob = Some(date("dob", v)?),
            Cell::Clear => next.dob = None,
            Cell::Blank => {}
        }
        match c.cell(record, "gender") {
            Cell::Value(v) => next.gender = Some(gender(v)?.code()),
            Cell::Clear => next.gender = None,
            Cell::Blank => {}
        }
        if let Some(v) = c.text(record, "group_id") {
            let id = number("group_id", v)?;
            if id == 0 || !directory.groups.contains(&id) {
                return Err(Error::invalid(
                    "group_id",
                    format!("Customer group {id} does not exist."),
                ));
            }
            next.group_id = id;
        }
        if let Some(code) = c.text(record, "_store") {
            let (id, view_website, name) = directory.views.get(code).ok_or_else(|| {
                Error::invalid(
                    "_store",
                    "Invalid value in Store column (store doesn't exist?)",
                )
            })?;
            if *view_website != website_id {
                return Err(Error::invalid(
                    "_store",
                    "The store view does not belong to the customer's website.",
                ));
            }
            next.store_id = Some(*id);
            next.created_in = name.clone();
        }
        if let Some(v) = c.text(record, "created_in") {
            reject_control_chars("created_in", v)?;
            next.created_in = v.to_owned();
        }
        if let Some(v) = c.text(record, "created_at") {
            next.created_at = timestamp("created_at", v)?;
        }
        match c.cell(record, "confirmation") {
            Cell::Value(v) => {
                reject_control_chars("confirmation", v)?;
                next.confirmation = Some(v.to_owned());
            }
            Cell::Clear => next.confirmation = None,
            Cell::Blank => {}
        }
        if let Some(v) = c.text(record, "disable_auto_group_change") {
            next.disable_auto_group_change = flag("disable_auto_group_change", v)?;
        }
        if let Some(v) = c.text(record, "allow_remote_shopping_assistance") {
            next.allow_remote_shopping_assistance = match v {
                "1" => true,
                "2" | "0" => false,
                other => {
                    return Err(Error::invalid(
                        "allow_remote_shopping_assistance",
                        format!("\"{other}\" is not 1 (allowed) or 2 (denied)."),
                    ));
                }
            };
        }
        if let Some(v) = c.text(record, "password_hash") {
            if v.len() > 512 {
                return Err(Error::invalid(
                    "password_hash",
                    "The password hash is too long.",
                ));
            }
            reject_control_chars("password_hash", v)?;
            next.password_hash = Some(v.to_owned());
        }
        if let Some(v) = c.text(record, COLUMN) {
            check_new_password(config, COLUMN, v, &next.email, &[])?;
            next.password_hash = Some(match self.hashed.remove(&line) {
                Some(hashed) => hashed,
                None => self.service.shared.hasher.hash(v).await?,
            });
        }
        rules.check_customer(
            &next.prefix,
            &next.suffix,
            &next.dob,
            &next.taxvat,
            next.gender.is_some(),
        )?;
        next.search_text = search_text(&next);
        let values = self.attribute_cells(record);
        let changes = resolve(AttributeEntity::Customer, &self.catalog, &values, fresh)?;
        match current {
            None => Ok(Planned::Create(Box::new(next), changes)),
            Some(current) => Ok(Planned::Update(Box::new(current), Box::new(next), changes)),
        }
    }

    /// Custom attribute cells: blank cells are left out (kept), `__EMPTY__VALUE__` clears.
    fn attribute_cells(&self, record: &csv::StringRecord) -> Vec<AttributeValueInput> {
        let mut values = Vec::new();
        for attribute in &self.catalog {
            if !self.columns.has(&attribute.code) {
                continue;
            }
            let value = match self.columns.cell(record, &attribute.code) {
                Cell::Value(v) => v.to_owned(),
                Cell::Clear => String::new(),
                Cell::Blank if self.behavior == ImportBehavior::Replace => String::new(),
                Cell::Blank => continue,
            };
            values.push(AttributeValueInput {
                code: attribute.code.clone(),
                value,
            });
        }
        values
    }

    /// Writes the planned rows (each with its line) and records an event per changed account,
    /// made by its row of the file.
    async fn write(
        &mut self,
        txn: &Txn,
        planned: Vec<(u64, Planned)>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let now = self.service.shared.clock.now();
        let mut creates = Vec::new();
        let mut created = Vec::new();
        let mut create_values: Vec<Changes> = Vec::new();
        let mut updates = Vec::new();
        let mut update_values = Vec::new();
        let mut deletes = Vec::new();
        // Each account is named by one row of the file at most.
        let mut lines: HashMap<i32, u64> = HashMap::new();
        for (line, plan) in planned {
            match plan {
                Planned::Create(model, changes) => {
                    let mut active: customer::ActiveModel = (*model).clone().into();
                    active.id = sea_orm::ActiveValue::NotSet;
                    creates.push(active);
                    created.push((line, *model));
                    create_values.push(changes);
                }
                Planned::Update(current, next, changes) => {
                    lines.insert(current.id, line);
                    update_values.push((current.id, changes));
                    updates.push(revision(*current, *next, now));
                }
                Planned::Delete(id, version) => {
                    lines.insert(id, line);
                    deletes.push((id, version));
                }
            }
        }
        // A customer row binds about 40 values; SQLite takes at most 32,766 per statement.
        let ids = insert_numbered(txn, customer::Column::Id, &creates, INSERT_CHUNK).await?;
        crate::emails::claim_accounts(txn, &ids).await?;
        report.created += ids.len() as u64;
        let events = created
            .into_iter()
            .zip(&ids)
            .flat_map(|((line, mut account), id)| {
                account.id = *id;
                let actor = self.actor(line);
                crate::events::created(&account)
                    .into_iter()
                    .map(move |event| event.by(actor.clone()))
            })
            .collect();
        clientele_events::record(txn, now, events).await?;
        let rows: Vec<(i32, Changes)> = ids.into_iter().zip(create_values).collect();
        write_customer_changes(txn, rows, false).await?;
        let actor_of = |id: i32| lines.get(&id).map(|line| self.actor(*line));
        save_all(txn, &updates, now, &actor_of).await?;
        report.updated += updates.len() as u64;
        write_customer_changes(txn, update_values, true).await?;
        if !deletes.is_empty() {
            let read_at: HashMap<i32, i32> = deletes.into_iter().collect();
            let deleted = customer::Entity::delete_many()
                .filter(customer::Column::Id.is_in(read_at.keys().copied()))
                .exec_with_returning(txn)
                .await?;
            // Read unlocked on Citus: an account changed since (its email, say) is not deleted.
            if deleted.len() != read_at.len()
                || deleted
                    .iter()
                    .any(|d| read_at.get(&d.id) != Some(&d.version))
            {
                return Err(stale());
            }
            crate::accounts::record::forget_deleted(txn, &deleted, now, &actor_of).await?;
            report.deleted += deleted.len() as u64;
        }
        Ok(())
    }

    /// The row at `line` of this file, as the actor of the changes it makes.
    fn actor(&self, line: u64) -> Actor {
        Actor::Import {
            job_id: self.job.as_ref().map(|job| job.job_id().to_owned()),
            file: ImportEntity::Customers.name().to_owned(),
            row: line,
        }
    }
}

fn required_cell(
    columns: &Columns,
    record: &csv::StringRecord,
    column: &str,
    label: &str,
    fresh: bool,
) -> Result<Option<String>> {
    match columns.cell(record, column) {
        Cell::Value(v) => Ok(Some(required_text(column, label, v, 255)?)),
        Cell::Blank if !fresh => Ok(None),
        _ => Err(Error::required(column, label)),
    }
}

fn gender(text: &str) -> Result<Gender> {
    let code = match text.to_ascii_lowercase().as_str() {
        "male" | "1" => 1,
        "female" | "2" => 2,
        "not specified" | "3" => 3,
        _ => 0,
    };
    Gender::from_code(code).ok_or_else(|| {
        Error::invalid(
            "gender",
            format!("\"{text}\" is not Male, Female or Not Specified."),
        )
    })
}

/// A new record's starting point (or, with `current`, the identity a replaced record keeps).
fn blank(
    directory: &Directory,
    config: &ResolvedConfig,
    website_id: i32,
    current: Option<&customer::Model>,
    now: DateTime<Utc>,
) -> customer::Model {
    let view = directory.default_views.get(&website_id);
    customer::Model {
        id: current.map_or(0, |c| c.id),
        website_id,
        email_scope_id: 0,
        email: String::new(),
        email_key: String::new(),
        group_id: config
            .number(keys::customer::CREATE_ACCOUNT_DEFAULT_GROUP)
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or(1),
        store_id: view.map(|v| v.0),
        created_in: view.map(|v| v.1.clone()).unwrap_or_default(),
        prefix: None,
        firstname: String::new(),
        middlename: None,
        lastname: String::new(),
        suffix: None,
        dob: None,
        taxvat: None,
        gender: None,
        is_active: current.is_none_or(|c| c.is_active),
        password_hash: current.and_then(|c| c.password_hash.clone()),
        confirmation: current.and_then(|c| c.confirmation.clone()),
        failures_num: current.map_or(0, |c| c.failures_num),
        first_failure: current.and_then(|c| c.first_failure),
        lock_expires: current.and_then(|c| c.lock_expires),
        allow_remote_shopping_assistance: false,
        disable_auto_group_change: config
            .flag(keys::customer::CREATE_ACCOUNT_VIV_DISABLE_AUTO_GROUP_ASSIGN_DEFAULT),
        default_billing_id: current.and_then(|c| c.default_billing_id),
        default_shipping_id: current.and_then(|c| c.default_shipping_id),
        billing_telephone: current.and_then(|c| c.billing_telephone.clone()),
        billing_postcode: current.and_then(|c| c.billing_postcode.clone()),
        billing_country_code: current.and_then(|c| c.billing_country_code.clone()),
        billing_region: current.and_then(|c| c.billing_region.clone()),
        billing_city: current.and_then(|c| c.billing_city.clone()),
        billing_company: current.and_then(|c| c.billing_company.clone()),
        billing_street: current.and_then(|c| c.billing_street.clone()),
        billing_vat_id: current.and_then(|c| c.billing_vat_id.clone()),
        billing_fax: current.and_then(|c| c.billing_fax.clone()),
        search_text: String::new(),
        tokens_valid_after: current.and_then(|c| c.tokens_valid_after),
        tokens_kept_session: current.and_then(|c| c.tokens_kept_session.clone()),
        version: current.map_or(1, |c| c.version),
        created_at: current.map_or(now, |c| c.created_at),
        updated_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::account_digest;

    #[test]
    fn an_accounts_digest_depends_on_its_scope_and_key() {
        assert_eq!(
            account_digest(1, "ann@example.com"),
            account_digest(1, "ann@example.com")
        );
        assert_ne!(
            account_digest(1, "ann@example.com"),
            account_digest(0, "ann@example.com")
        );
        assert_ne!(
            account_digest(1, "ann@example.com"),
            account_digest(1, "bob@example.com")
        );
        let digests: std::collections::HashSet<u128> = (0..100_000)
            .map(|i| account_digest(i % 3, &format!("c{i}@example.com")))
            .collect();
        assert_eq!(digests.len(), 100_000);
    }
}
