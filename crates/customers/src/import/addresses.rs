//! Rows of the Customer Addresses file: `_website` and `_email` name the customer, `_entity_id`
//! the address (to update or delete it), then the address fields, the default flags
//! `_address_default_billing_` / `_address_default_shipping_`, and one column per custom address
//! attribute. Adobe Commerce's numeric `region_id` does not carry over; `region` (a name or an
//! ISO 3166-2 code) does.

use std::collections::HashMap;

use chrono::Utc;
use clientele_configuration::Scope;
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Error, Result};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

use super::columns::{Cell, Columns, flag, number};
use super::{Directory, ImportBehavior, ImportOptions, ImportReport, Txn};
use crate::addresses::{values_of, write_values};
use crate::attributes::{
    Attribute, AttributeEntity, AttributeValueInput, Changes, load_catalog, resolve,
    write_address_changes,
};
use crate::entity::{address, customer};
use crate::rules::{AddressValues, Rules};
use crate::service::{CustomerService, email_scope, find};

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
    "street",
    "suffix",
    "telephone",
    "vat_id",
    "_address_default_billing_",
    "_address_default_shipping_",
];

/// Columns of Adobe Commerce exports that do not carry over (its own ids and VAT check records).
const IGNORED: &[&str] = &[
    "region_id",
    "vat_is_valid",
    "vat_request_date",
    "vat_request_id",
    "vat_request_success",
    "created_at",
    "updated_at",
];

/// The importer of one Customer Addresses file.
pub(crate) struct AddressRows<'a> {
    service: &'a CustomerService,
    columns: Columns,
    behavior: ImportBehavior,
    websites: Option<Vec<i32>>,
    catalog: Vec<Attribute>,
    rules: HashMap<i32, (Rules, i32)>,
}

struct Planned {
    customer_id: i32,
    current: Option<address::Model>,
    values: Option<AddressValues>,
    changes: Changes,
    billing: Option<bool>,
    shipping: Option<bool>,
}

impl<'a> AddressRows<'a> {
    pub(crate) async fn new(
        service: &'a CustomerService,
        txn: &Txn,
        headers: &[String],
        options: &ImportOptions,
    ) -> Result<Self> {
        let catalog = load_catalog(txn, AttributeEntity::Address).await?;
        let codes: Vec<String> = catalog.iter().map(|a| a.code.clone()).collect();
        let required: &[&str] = match options.behavior {
            ImportBehavior::Delete => &["_website", "_email", "_entity_id"],
            _ => &["_website", "_email", "street", "city", "country_id"],
        };
        Ok(Self {
            service,
            columns: Columns::new(headers, KNOWN, IGNORED, &codes, required)?,
            behavior: options.behavior,
            websites: options.websites.clone(),
            catalog,
            rules: HashMap::new(),
        })
    }

    /// The address rules and email scope of a website.
    async fn rules(&mut self, website_id: i32) -> Result<(Rules, i32)> {
        if let Some(found) = self.rules.get(&website_id) {
            return Ok(found.clone());
        }
        let config = self
            .service
            .config
            .resolve(Scope::Website(website_id))
            .await?;
        let entry = (
            Rules::from_config(&config),
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
        let owners: HashMap<(i32, String), customer::Model> = if keys.is_empty() {
            HashMap::new()
        } else {
            customer::Entity::find()
                .filter(customer::Column::EmailKey.is_in(keys))
                .all(txn)
                .await?
                .into_iter()
                .map(|m| ((m.email_scope_id, m.email_key.clone()), m))
                .collect()
        };
        let address_ids: Vec<i32> = identified
            .iter()
            .filter_map(|(_, r, _)| self.columns.text(r, "_entity_id"))
            .filter_map(|id| id.parse().ok())
            .collect();
        let addresses: HashMap<i32, address::Model> = if address_ids.is_empty() {
            HashMap::new()
        } else {
            address::Entity::find()
                .filter(address::Column::Id.is_in(address_ids))
                .all(txn)
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
                Ok(p) => planned.push(p),
                Err(e) => report.refuse_row(line, e),
            }
        }
        self.write(txn, planned, report).await
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
        match c.cell(record, "region") {
            Cell::Value(v) => {
                let (name, code) = region(&values.country_code, v);
                // Where a region is required it must be one ISO 3166-2 knows.
                if code.is_none() && rules.requires_region(&values.country_code.to_uppercase()) {
                    return Err(Error::invalid(
                        "region",
                        format!("\"{v}\" is not a region of {}.", values.country_code),
                    ));
                }
                values.region = Some(name);
                values.region_code = code;
            }
            Cell::Clear => {
                values.region = None;
                values.region_code = None;
            }
            Cell::Blank => {}
        }
        // Names default to the customer's, as in the address book.
        if values.firstname.is_empty() {
            values.firstname = owner.firstname.clone();
        }
        if values.lastname.is_empty() {
            values.lastname = owner.lastname.clone();
        }
        rules.check_address(&mut values).map_err(|e| match e {
            Error::Invalid { field, message } => Error::invalid(column_of(&field), message),
            other => other,
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

    async fn write(
        &self,
        txn: &Txn,
        planned: Vec<Planned>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let mut value_rows = Vec::new();
        for plan in planned {
            let (address_id, touched) = match (plan.values, plan.current) {
                (None, Some(current)) => {
                    address::Entity::delete_by_id(current.id).exec(txn).await?;
                    report.deleted += 1;
                    let owner = find(txn, plan.customer_id).await?;
                    let unset = |id: Option<i32>| (id == Some(current.id)).then_some(false);
                    let billing = unset(owner.default_billing_id);
                    let shipping = unset(owner.default_shipping_id);
                    self.service
                        .apply_defaults(txn, owner, current.id, billing, shipping, true)
                        .await?;
                    continue;
                }
                (Some(values), Some(current)) => {
                    let id = current.id;
                    let mut row = current.into_active_model();
                    write_values(&mut row, values);
                    row.update(txn).await?;
                    report.updated += 1;
                    (id, true)
                }
                (Some(values), None) => {
                    let mut row = address::ActiveModel {
                        customer_id: Set(plan.customer_id),
                        created_at: Set(Utc::now()),
                        ..Default::default()
                    };
                    write_values(&mut row, values);
                    let inserted = row.insert(txn).await?;
                    report.created += 1;
                    (inserted.id, false)
                }
                (None, None) => continue,
            };
            value_rows.push((address_id, plan.changes));
            if touched || plan.billing.is_some() || plan.shipping.is_some() {
                let owner = find(txn, plan.customer_id).await?;
                self.service
                    .apply_defaults(txn, owner, address_id, plan.billing, plan.shipping, touched)
                    .await?;
            }
        }
        write_address_changes(txn, value_rows, true).await
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

/// A region cell as a name and, when it names an ISO 3166-2 subdivision of the country (by name
/// or code), its code.
fn region(country: &str, text: &str) -> (String, Option<String>) {
    let country = country.trim().to_uppercase();
    let code = format!("{country}-{}", text.to_uppercase());
    let iso = rust_iso3166::from_alpha2(&country);
    let found = iso
        .as_ref()
        .and_then(|c| c.subdivisions())
        .and_then(|subdivisions| {
            subdivisions
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(text) || s.code == code)
        });
    match found {
        Some(s) => (
            s.name.to_owned(),
            s.code.split_once('-').map(|(_, c)| c.to_owned()),
        ),
        None => (text.to_owned(), None),
    }
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
