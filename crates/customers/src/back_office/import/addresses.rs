//! Rows of the Customer Addresses file: `_website` and `_email` name the customer, `_entity_id`
//! the address (to update or delete it), then the address fields, the default flags
//! `_address_default_billing_` / `_address_default_shipping_`, and one column per custom address
//! attribute. The region comes from `region_id` (Magento's ids, which the directory keeps) or
//! from `region` (a name or a code).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use clientele_configuration::Scope;
use clientele_kernel::bulk::{insert_numbered, update_models};
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Error, Result};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, TryIntoModel,
};

use super::super::BackOffice;
use super::{
    Directory, ImportBehavior, ImportOptions, ImportReport, Txn, lock_accounts, through_indexes,
};
use crate::accounts::record::{email_scope, save_all};
use crate::addresses::{Defaults, values_of, write_values};
use crate::entity::{address, customer};
use clientele_customer_attributes::{
    AddressOf, Attribute, AttributeEntity, AttributeValueInput, Changes, load_catalog, resolve,
    write_address_changes,
};
use clientele_customer_rules::{AddressValues, Rules};
use clientele_imports::columns::{Cell, Columns, flag, number};
use clientele_imports::{Fence, ImportEntity};
use clientele_kernel::acting::Actor;

const KNOWN: &[&str] = &[
    "_website",
    "_email",
    "_entity_id",
    "city",
    "company",
    "country_id",
    "fax",
    "firstname",
    "lastname",
    "middlename",
    "postcode",
    "prefix",
    "region",
    "region_id",
    "street",
    "suffix",
    "telephone",
    "vat_id",
    "_address_default_billing_",
    "_address_default_shipping_",
];

/// Columns of Adobe Commerce exports that do not carry over (its own ids and VAT check records).
const IGNORED: &[&str] = &[
    "vat_is_valid",
    "vat_request_date",
    "vat_request_id",
    "vat_request_success",
    "created_at",
    "updated_at",
];

/// Address rows per insert statement: an address binds about 20 values, and SQLite takes at most
/// 32,766 per statement.
const INSERT_CHUNK: usize = 1000;

/// The importer of one Customer Addresses file.
pub(crate) struct AddressRows<'a> {
    service: &'a BackOffice,
    columns: Columns,
    behavior: ImportBehavior,
    websites: Option<Vec<i32>>,
    catalog: Vec<Attribute>,
    /// Per website: its address rules (shared, since every row asks) and email scope.
    rules: HashMap<i32, (Arc<Rules>, i32)>,
    /// Addresses named by earlier rows: each may be named once per file.
    seen: HashSet<i32>,
    /// The import job, for the actor of the changes (`None` from the command line).
    job_id: Option<String>,
}

struct Planned {
    customer_id: i32,
    current: Option<address::Model>,
    values: Option<AddressValues>,
    changes: Changes,
    billing: Option<bool>,
    shipping: Option<bool>,
}

/// The columns of a Customer Addresses file's header, refused when one is unknown or a required
/// one is missing.
pub(crate) fn columns(
    headers: &[String],
    behavior: ImportBehavior,
    catalog: &[clientele_customer_attributes::Attribute],
) -> Result<Columns> {
    let codes: Vec<String> = catalog.iter().map(|a| a.code.clone()).collect();
    let required: &[&str] = match behavior {
        ImportBehavior::Delete => &["_website", "_email", "_entity_id"],
        _ => &["_website", "_email", "street", "city", "country_id"],
    };
    Columns::new(headers, KNOWN, IGNORED, &codes, required)
}

impl<'a> AddressRows<'a> {
    pub(crate) async fn new(
        service: &'a BackOffice,
        txn: &Txn,
        headers: &[String],
        options: &ImportOptions,
        job: Option<&Fence>,
    ) -> Result<Self> {
        let catalog = load_catalog(txn, AttributeEntity::Address).await?;
        Ok(Self {
            service,
            columns: columns(headers, options.behavior, &catalog)?,
            behavior: options.behavior,
            websites: options.websites.clone(),
            catalog,
            rules: HashMap::new(),
            seen: HashSet::new(),
            job_id: job.map(|job| job.job_id().to_owned()),
        })
    }

    /// The address rules and email scope of a website.
    async fn rules(&mut self, website_id: i32) -> Result<(Arc<Rules>, i32)> {
        if let Some(found) = self.rules.get(&website_id) {
            return Ok(found.clone());
        }
        let config = self
            .service
            .shared
            .config
            .resolve(Scope::Website(website_id))
            .await?;
        let entry = (
            Arc::new(Rules::from_config(
                &config,
                self.service.shared.clock.today(),
            )),
            email_scope(&config, website_id),
        );
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
        let mut identified = Vec::with_capacity(rows.len());
        for (line, record) in rows {
            match self.identify(directory, &record).await {
                Ok(found) => identified.push((line, record, found)),
                Err(e) => report.refuse_row(line, e),
            }
        }
        let keys: Vec<String> = identified.iter().map(|(_, _, k)| k.2.clone()).collect();
        let owners = lock_accounts(txn, keys).await?;
        let address_ids: Vec<i32> = identified
            .iter()
            .filter_map(|(_, r, _)| self.columns.text(r, "_entity_id"))
            .filter_map(|id| id.parse().ok())
            .collect();
        let addresses: HashMap<i32, address::Model> = if address_ids.is_empty() {
            HashMap::new()
        } else {
            let found = address::Entity::find()
                .filter(address::Column::Id.is_in(address_ids))
                .all(txn);
            through_indexes(txn, found)
                .await?
                .into_iter()
                .map(|a| (a.id, a))
                .collect()
        };
        let mut planned = Vec::with_capacity(identified.len());
        for (line, record, (website_id, scope, key)) in identified {
            let Some(owner) = owners.get(&(scope, key)) else {
                report.refuse_row(
                    line,
                    Error::invalid(
                        "_email",
                        "Customer with such email and website code doesn't exist",
                    ),
                );
                continue;
            };
            match self.plan(&record, website_id, owner, &addresses).await {
                Ok(p) => {
                    // Only accepted rows claim their address: a corrected row may follow a bad one.
                    if let Some(current) = &p.current {
                        self.seen.insert(current.id);
                    }
                    planned.push((line, p))
                }
                Err(e) => report.refuse_row(line, e),
            }
        }
        let owners = owners.into_values().map(|o| (o.id, o)).collect();
        self.write(txn, planned, owners, report).await
    }

    async fn identify(
        &mut self,
        directory: &Directory,
        record: &csv::StringRecord,
    ) -> Result<(i32, i32, String)> {
        let code = self.columns.text(record, "_website").unwrap_or_default();
        let website_id = directory.website(code, self.websites.as_deref())?;
        let raw = self.columns.text(record, "_email").unwrap_or_default();
        let (_, key) = normalize_email("_email", raw)?;
        let (_, scope) = self.rules(website_id).await?;
        Ok((website_id, scope, key))
    }

    async fn plan(
        &mut self,
        record: &csv::StringRecord,
        website_id: i32,
        owner: &customer::Model,
        addresses: &HashMap<i32, address::Model>,
    ) -> Result<Planned> {
        let customer_id = owner.id;
        let c = &self.columns;
        let current = match c.text(record, "_entity_id") {
            Some(id) => {
                let id = number("_entity_id", id)?;
                addresses
                    .get(&id)
                    .filter(|a| a.customer_id == customer_id)
                    .cloned()
            }
            None => None,
        };
        if let Some(current) = &current
            && self.seen.contains(&current.id)
        {
            return Err(Error::invalid(
                "_entity_id",
                "The address is named by more than one row of the file.",
            ));
        }
        if self.behavior == ImportBehavior::Delete {
            return match current {
                Some(current) => Ok(Planned {
                    customer_id,
                    current: Some(current),
                    values: None,
                    changes: Vec::new(),
                    billing: None,
                    shipping: None,
                }),
                None => Err(Error::invalid(
                    "_entity_id",
                    "The customer has no address with this id.",
                )),
            };
        }
        let (rules, _) = self.rules(website_id).await?;
        let fresh = current.is_none() || self.behavior == ImportBehavior::Replace;
        let mut values = match &current {
            Some(a) if !fresh => values_of(a),
            _ => AddressValues::default(),
        };
        let c = &self.columns;
        let text = |column: &str, target: &mut Option<String>| match c.cell(record, column) {
            Cell::Value(v) => *target = Some(v.to_owned()),
            Cell::Clear => *target = None,
            Cell::Blank => {}
        };
        text("prefix", &mut values.prefix);
        text("middlename", &mut values.middlename);
        text("suffix", &mut values.suffix);
        text("company", &mut values.company);
        text("postcode", &mut values.postcode);
        text("telephone", &mut values.telephone);
        text("fax", &mut values.fax);
        text("vat_id", &mut values.vat_id);
        for (column, target) in [
            ("firstname", &mut values.firstname),
            ("lastname", &mut values.lastname),
            ("city", &mut values.city),
            ("country_id", &mut values.country_code),
        ] {
            if let Some(v) = c.text(record, column) {
                *target = v.to_owned();
            }
        }
        if let Some(street) = c.text(record, "street") {
            values.street = street.split('\n').map(str::to_owned).collect();
        }
        // Magento exports `0` for a region typed as free text: no id, the `region` cell decides.
        let by_id = match c.text(record, "region_id").filter(|id| id.trim() != "0") {
            Some(id) => Some(region_by_id(&values.country_code, id)?),
            None => None,
        };
        match (by_id, c.cell(record, "region")) {
            (Some(found), _) => {
                values.region = Some(found.name.clone());
                values.region_code = Some(found.code.clone());
            }
            (None, Cell::Value(v)) => {
                let (name, code) = region(&values.country_code, v);
                // Where a region is required it must be one the directory knows.
                if code.is_none() && rules.requires_region(&values.country_code.to_uppercase()) {
                    return Err(Error::invalid(
                        "region",
                        format!("\"{v}\" is not a region of {}.", values.country_code),
                    ));
                }
                values.region = Some(name);
                values.region_code = code;
            }
            (None, Cell::Clear) => {
                values.region = None;
                values.region_code = None;
            }
            (None, Cell::Blank) => {}
        }
        // Names default to the customer's, as in the address book.
        if values.firstname.is_empty() {
            values.firstname = owner.firstname.clone();
        }
        if values.lastname.is_empty() {
            values.lastname = owner.lastname.clone();
        }
        rules.check_address(&mut values).map_err(|e| match &e {
            Error::Invalid { field, .. } => {
                let column = column_of(field).to_owned();
                e.on_field(column)
            }
            _ => e,
        })?;
        let flag_cell = |column: &str| -> Result<Option<bool>> {
            c.text(record, column).map(|v| flag(column, v)).transpose()
        };
        let billing = flag_cell("_address_default_billing_")?;
        let shipping = flag_cell("_address_default_shipping_")?;
        let mut inputs = Vec::new();
        for attribute in &self.catalog {
            if !c.has(&attribute.code) {
                continue;
            }
            let value = match c.cell(record, &attribute.code) {
                Cell::Value(v) => v.to_owned(),
                Cell::Clear => String::new(),
                Cell::Blank if fresh => String::new(),
                Cell::Blank => continue,
            };
            inputs.push(AttributeValueInput {
                code: attribute.code.clone(),
                value,
            });
        }
        let changes = resolve(AttributeEntity::Address, &self.catalog, &inputs, fresh)?;
        Ok(Planned {
            customer_id,
            current,
            values: Some(values),
            changes,
            billing,
            shipping,
        })
    }

    /// Writes a batch (each row with its line) in a few statements: deletes, updates and inserts
    /// each in bulk, then the owners' default flags (applied in row order) and grid copy of the
    /// billing address; and an event per changed address, made by its row of the file.
    async fn write(
        &self,
        txn: &Txn,
        planned: Vec<(u64, Planned)>,
        owners: HashMap<i32, customer::Model>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let now = self.service.shared.clock.now();
        let mut deletes = Vec::new();
        let mut updates = Vec::new();
        let mut creates = Vec::new();
        for (_, plan) in &planned {
            match (&plan.values, &plan.current) {
                (None, Some(current)) => deletes.push(current.id),
                (Some(values), Some(current)) => {
                    let mut row = current.clone().into_active_model();
                    write_values(&mut row, values.clone(), now);
                    updates.push(row.try_into_model()?);
                }
                (Some(values), None) => {
                    let mut row = address::ActiveModel {
                        customer_id: Set(plan.customer_id),
                        created_at: Set(now),
                        ..Default::default()
                    };
                    write_values(&mut row, values.clone(), now);
                    creates.push(row);
                }
                (None, None) => {}
            }
        }
        if !deletes.is_empty() {
            let result = address::Entity::delete_many()
                .filter(address::Column::Id.is_in(deletes))
                .exec(txn)
                .await?;
            report.deleted += result.rows_affected;
        }
        let written = update_models::<address::Entity>(
            txn,
            &[address::Column::CustomerId, address::Column::Id],
            None,
            &updates,
        )
        .await?;
        if written != updates.len() as u64 {
            return Err(Error::Conflict(
                "An address of the file was deleted while it was imported. Try again.".into(),
            ));
        }
        report.updated += written;
        let inserted = insert_numbered(txn, address::Column::Id, &creates, INSERT_CHUNK).await?;
        report.created += inserted.len() as u64;
        let mut created = creates.into_iter().zip(inserted);
        let mut latest: HashMap<i32, address::Model> =
            updates.into_iter().map(|a| (a.id, a)).collect();
        let websites: HashMap<i32, i32> = owners.values().map(|o| (o.id, o.website_id)).collect();
        let mut defaults = Defaults::new(owners);
        let mut value_rows = Vec::new();
        let mut events = Vec::new();
        // The owner's last row in the batch makes the change to its defaults.
        let mut owner_lines: HashMap<i32, u64> = HashMap::new();
        for (line, plan) in planned {
            owner_lines.insert(plan.customer_id, line);
            let website_id = websites.get(&plan.customer_id).copied().unwrap_or_default();
            let mut changed = |before: Option<&address::Model>, after: Option<&address::Model>| {
                let event = crate::events::address_changed(website_id, before, after);
                events.extend(event.map(|e| e.by(self.actor(line))));
            };
            let id = match (plan.values, plan.current) {
                (None, Some(current)) => {
                    changed(Some(&current), None);
                    defaults.removed(plan.customer_id, current.id);
                    continue;
                }
                (Some(_), Some(current)) => {
                    changed(Some(&current), latest.get(&current.id));
                    defaults.touched(plan.customer_id, current.id);
                    current.id
                }
                (Some(_), None) => {
                    let (mut row, id) = created.next().ok_or_else(|| {
                        Error::Internal(anyhow::anyhow!("insert returned fewer keys than rows"))
                    })?;
                    row.id = Set(id);
                    let row = row.try_into_model()?;
                    changed(None, Some(&row));
                    latest.insert(id, row);
                    id
                }
                (None, None) => continue,
            };
            defaults.flag(plan.customer_id, id, plan.billing, plan.shipping);
            let address = AddressOf {
                customer_id: plan.customer_id,
                address_id: id,
            };
            value_rows.push((address, plan.changes));
        }
        clientele_events::record(txn, now, events).await?;
        let actor_of = |id: i32| owner_lines.get(&id).map(|line| self.actor(*line));
        save_all(txn, &defaults.revisions(&latest, now), now, &actor_of).await?;
        write_address_changes(txn, value_rows, true).await
    }

    /// The row at `line` of this file, as the actor of the changes it makes.
    fn actor(&self, line: u64) -> Actor {
        Actor::Import {
            job_id: self.job_id.clone(),
            file: ImportEntity::Addresses.name().to_owned(),
            row: line,
        }
    }
}

/// The file's column for a field of the address model.
fn column_of(field: &str) -> &str {
    match field {
        "country_code" => "country_id",
        "region_code" => "region",
        other => other,
    }
}

/// A region cell as a name and, when it names a region of the country (by name or code), that
/// region's code.
fn region(country: &str, text: &str) -> (String, Option<String>) {
    match clientele_directory::find_region(country, text) {
        Some(found) => (found.name.clone(), Some(found.code.clone())),
        None => (text.to_owned(), None),
    }
}

/// The region a `region_id` cell names, which must be one of the row's country.
fn region_by_id(country: &str, cell: &str) -> Result<&'static clientele_directory::Region> {
    cell.trim()
        .parse::<i32>()
        .ok()
        .and_then(clientele_directory::region_by_id)
        .filter(|r| r.country.eq_ignore_ascii_case(country.trim()))
        .ok_or_else(|| {
            Error::invalid(
                "region_id",
                format!("\"{cell}\" is not a region id of {country}."),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_names_and_codes() {
        assert_eq!(region("US", "Texas"), ("Texas".into(), Some("TX".into())));
        assert_eq!(region("us", "tx"), ("Texas".into(), Some("TX".into())));
        assert_eq!(region("DE", "Somewhere"), ("Somewhere".into(), None));
    }
}
