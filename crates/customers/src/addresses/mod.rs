//! The address book. Every change runs in one write transaction with the customer row, whose
//! copy of the default billing address (for the grid) is refreshed at the same time.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use clientele_kernel::db::begin_write;
use clientele_kernel::{Error, Page, PageRequest, Result};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    IntoActiveModel, QueryFilter, QuerySelect,
};

use crate::accounts::record::{Revision, find, revision, save, search_text};
use crate::entity::{address, customer};
use crate::model::{Address, AddressInput};
use crate::shared::Shared;
use clientele_customer_attributes::{AddressOf, write_address_values};
use clientele_customer_rules::AddressValues;

fn to_address(m: address::Model, owner: &customer::Model) -> Address {
    address_of(m, (owner.default_billing_id, owner.default_shipping_id))
}

/// An address of a customer whose default billing and shipping addresses are `defaults`.
fn address_of(m: address::Model, (billing, shipping): (Option<i32>, Option<i32>)) -> Address {
    Address {
        default_billing: billing == Some(m.id),
        default_shipping: shipping == Some(m.id),
        id: m.id,
        customer_id: m.customer_id,
        prefix: m.prefix,
        firstname: m.firstname,
        middlename: m.middlename,
        lastname: m.lastname,
        suffix: m.suffix,
        company: m.company,
        street: m.street.split('\n').map(str::to_owned).collect(),
        city: m.city,
        region: m.region,
        region_code: m.region_code,
        postcode: m.postcode,
        country_code: m.country_code,
        telephone: m.telephone,
        fax: m.fax,
        vat_id: m.vat_id,
    }
}

pub(crate) fn values_of(m: &address::Model) -> AddressValues {
    AddressValues {
        prefix: m.prefix.clone(),
        firstname: m.firstname.clone(),
        middlename: m.middlename.clone(),
        lastname: m.lastname.clone(),
        suffix: m.suffix.clone(),
        company: m.company.clone(),
        street: m.street.split('\n').map(str::to_owned).collect(),
        city: m.city.clone(),
        region: m.region.clone(),
        region_code: m.region_code.clone(),
        postcode: m.postcode.clone(),
        country_code: m.country_code.clone(),
        telephone: m.telephone.clone(),
        fax: m.fax.clone(),
        vat_id: m.vat_id.clone(),
    }
}

/// Applies the fields present in `input` over `base`.
fn merged(mut base: AddressValues, input: &AddressInput) -> AddressValues {
    let set = |target: &mut Option<String>, value: &Option<String>| {
        if let Some(v) = value {
            *target = Some(v.clone());
        }
    };
    set(&mut base.prefix, &input.prefix);
    set(&mut base.middlename, &input.middlename);
    set(&mut base.suffix, &input.suffix);
    set(&mut base.company, &input.company);
    set(&mut base.region, &input.region);
    set(&mut base.region_code, &input.region_code);
    set(&mut base.postcode, &input.postcode);
    set(&mut base.telephone, &input.telephone);
    set(&mut base.fax, &input.fax);
    set(&mut base.vat_id, &input.vat_id);
    if let Some(v) = &input.firstname {
        base.firstname = v.clone();
    }
    if let Some(v) = &input.lastname {
        base.lastname = v.clone();
    }
    if let Some(v) = &input.street {
        base.street = v.clone();
    }
    if let Some(v) = &input.city {
        base.city = v.clone();
    }
    if let Some(v) = &input.country_code {
        base.country_code = v.clone();
    }
    base
}

/// Writes `v` into `row`, stamping the change `now`.
pub(crate) fn write_values(row: &mut address::ActiveModel, v: AddressValues, now: DateTime<Utc>) {
    row.prefix = Set(v.prefix);
    row.firstname = Set(v.firstname);
    row.middlename = Set(v.middlename);
    row.lastname = Set(v.lastname);
    row.suffix = Set(v.suffix);
    row.company = Set(v.company);
    row.street = Set(v.street.join("\n"));
    row.city = Set(v.city);
    row.region = Set(v.region);
    row.region_code = Set(v.region_code);
    row.postcode = Set(v.postcode);
    row.country_code = Set(v.country_code);
    row.telephone = Set(v.telephone);
    row.fax = Set(v.fax);
    row.vat_id = Set(v.vat_id);
    row.updated_at = Set(now);
}

/// The address book of each customer.
#[derive(Clone)]
pub struct AddressBook {
    shared: Shared,
}

impl AddressBook {
    pub(crate) fn new(shared: Shared) -> Self {
        Self { shared }
    }

    /// One page of a customer's addresses, oldest first, with the book's size (one statement).
    pub async fn addresses(&self, customer_id: i32, page: PageRequest) -> Result<Page<Address>> {
        self.address_pages(&[customer_id], page)
            .await?
            .remove(&customer_id)
            .ok_or_else(|| Error::not_found("Customer", customer_id))
    }

    /// One page of the address book of each of `customer_ids` (oldest first), in one statement
    /// however many customers there are: each customer's default addresses and book size, and
    /// the page of every book through one windowed read. Unknown customers are left out.
    pub async fn address_pages(
        &self,
        customer_ids: &[i32],
        page: PageRequest,
    ) -> Result<HashMap<i32, Page<Address>>> {
        let mut pages = HashMap::new();
        if customer_ids.is_empty() {
            return Ok(pages);
        }
        let statement = pages_statement(self.shared.db.get_database_backend(), customer_ids, page);
        let rows = self.shared.db.query_all_raw(statement).await?;
        for row in rows {
            let owner: i32 = row.try_get("", "owner_id")?;
            let book = pages.entry(owner).or_insert_with(|| Page {
                items: Vec::new(),
                total_count: 0,
                request: page,
            });
            book.total_count = row.try_get::<i64>("", "book_size")?.max(0) as u64;
            // A book with nothing on this page joins no address.
            if row.try_get::<Option<i32>>("", "id")?.is_none() {
                continue;
            }
            let address = address::Model::from_query_result(&row, "")?;
            let defaults = (
                row.try_get::<Option<i32>>("", "owner_billing_id")?,
                row.try_get::<Option<i32>>("", "owner_shipping_id")?,
            );
            book.items.push(address_of(address, defaults));
        }
        Ok(pages)
    }

    /// The customer an address belongs to, if the address exists.
    pub async fn address_owner(&self, address_id: i32) -> Result<Option<i32>> {
        Ok(address::Entity::find_by_id(address_id)
            .select_only()
            .column(address::Column::CustomerId)
            .into_tuple::<i32>()
            .one(&self.shared.db)
            .await?)
    }

    /// One address of a customer (NOT_FOUND when it belongs to someone else).
    pub async fn address(&self, customer_id: i32, address_id: i32) -> Result<Address> {
        let owner = find(&self.shared.db, customer_id).await?;
        let row = owned(&self.shared.db, customer_id, address_id).await?;
        Ok(to_address(row, &owner))
    }

    /// Adds an address. Missing names default to the customer's.
    pub async fn add_address(&self, customer_id: i32, input: AddressInput) -> Result<Address> {
        let (rules, _) = self
            .shared
            .website_rules(find(&self.shared.db, customer_id).await?.website_id)
            .await?;
        let txn = begin_write(&self.shared.db).await?;
        let owner = find(&txn, customer_id).await?;
        let base = AddressValues {
            firstname: owner.firstname.clone(),
            lastname: owner.lastname.clone(),
            ..Default::default()
        };
        let mut values = merged(base, &input);
        rules.check_address(&mut values)?;
        let now = self.shared.clock.now();
        let mut row = address::ActiveModel {
            customer_id: Set(customer_id),
            created_at: Set(now),
            ..Default::default()
        };
        write_values(&mut row, values, now);
        let inserted = row.insert(&txn).await?;
        record_change(&txn, &owner, None, Some(&inserted), now).await?;
        write_address_values(
            &txn,
            AddressOf {
                customer_id,
                address_id: inserted.id,
            },
            input.custom_attributes.as_deref().unwrap_or_default(),
            true,
        )
        .await?;
        let owner = self
            .apply_defaults(
                &txn,
                owner,
                inserted.id,
                input.default_billing,
                input.default_shipping,
                false,
            )
            .await?;
        txn.commit().await?;
        Ok(to_address(inserted, &owner))
    }

    /// Changes an address; fields absent from `input` keep their value.
    pub async fn update_address(
        &self,
        customer_id: i32,
        address_id: i32,
        input: AddressInput,
    ) -> Result<Address> {
        let (rules, _) = self
            .shared
            .website_rules(find(&self.shared.db, customer_id).await?.website_id)
            .await?;
        let txn = begin_write(&self.shared.db).await?;
        let owner = find(&txn, customer_id).await?;
        let current = owned(&txn, customer_id, address_id).await?;
        let mut values = merged(values_of(&current), &input);
        rules.check_address(&mut values)?;
        let now = self.shared.clock.now();
        let mut row = current.clone().into_active_model();
        write_values(&mut row, values, now);
        let updated = address::Entity::update_many()
            .set(row)
            .filter(address::Column::CustomerId.eq(customer_id))
            .filter(address::Column::Id.eq(address_id))
            .exec_with_returning(&txn)
            .await?
            .pop()
            .ok_or_else(|| Error::not_found("Address", address_id))?;
        record_change(&txn, &owner, Some(&current), Some(&updated), now).await?;
        write_address_values(
            &txn,
            AddressOf {
                customer_id,
                address_id,
            },
            input.custom_attributes.as_deref().unwrap_or_default(),
            false,
        )
        .await?;
        let owner = self
            .apply_defaults(
                &txn,
                owner,
                address_id,
                input.default_billing,
                input.default_shipping,
                true,
            )
            .await?;
        txn.commit().await?;
        Ok(to_address(updated, &owner))
    }

    /// Deletes an address; if it was a default address, the customer has none until another is
    /// chosen.
    pub async fn delete_address(&self, customer_id: i32, address_id: i32) -> Result<()> {
        let txn = begin_write(&self.shared.db).await?;
        let owner = find(&txn, customer_id).await?;
        let current = owned(&txn, customer_id, address_id).await?;
        address::Entity::delete_many()
            .filter(address::Column::CustomerId.eq(customer_id))
            .filter(address::Column::Id.eq(address_id))
            .exec(&txn)
            .await?;
        let now = self.shared.clock.now();
        record_change(&txn, &owner, Some(&current), None, now).await?;
        let unset = |id: Option<i32>| {
            if id == Some(address_id) {
                Some(false)
            } else {
                None
            }
        };
        let billing = unset(owner.default_billing_id);
        let shipping = unset(owner.default_shipping_id);
        self.apply_defaults(&txn, owner, address_id, billing, shipping, true)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sets or clears the default flags for `address_id` and refreshes the customer's copy of the
    /// default billing address. `touched` forces the refresh (the address itself changed).
    pub(crate) async fn apply_defaults(
        &self,
        db: &impl ConnectionTrait,
        owner: customer::Model,
        address_id: i32,
        billing: Option<bool>,
        shipping: Option<bool>,
        touched: bool,
    ) -> Result<customer::Model> {
        let mut defaults = Defaults::new(HashMap::from([(owner.id, owner.clone())]));
        if touched {
            defaults.touched(owner.id, address_id);
        }
        defaults.flag(owner.id, address_id, billing, shipping);
        // A refreshed billing copy can only come from this address.
        let mut latest = HashMap::new();
        if defaults.billing_of(owner.id) == Some(address_id)
            && let Some(row) = address::Entity::find()
                .filter(address::Column::CustomerId.eq(owner.id))
                .filter(address::Column::Id.eq(address_id))
                .one(db)
                .await?
        {
            latest.insert(address_id, row);
        }
        let now = self.shared.clock.now();
        match defaults.revisions(&latest, now).pop() {
            Some(revision) => save(db, &owner, revision.after, now).await,
            None => Ok(owner),
        }
    }
}

/// The default billing and shipping addresses of customers, followed change by change (one
/// address edit, or a whole import batch), and the customer rows that result.
pub(crate) struct Defaults {
    owners: HashMap<i32, customer::Model>,
    /// Owner → (default billing, default shipping, whether the billing copy must be refreshed).
    next: HashMap<i32, (Option<i32>, Option<i32>, bool)>,
}

impl Defaults {
    pub(crate) fn new(owners: HashMap<i32, customer::Model>) -> Self {
        Self {
            owners,
            next: HashMap::new(),
        }
    }

    fn state(&mut self, owner: i32) -> &mut (Option<i32>, Option<i32>, bool) {
        let current = self.owners.get(&owner);
        self.next.entry(owner).or_insert_with(|| {
            (
                current.and_then(|c| c.default_billing_id),
                current.and_then(|c| c.default_shipping_id),
                false,
            )
        })
    }

    /// The owner's default billing address as it stands.
    pub(crate) fn billing_of(&mut self, owner: i32) -> Option<i32> {
        self.state(owner).0
    }

    /// The address is gone: it stops being a default.
    pub(crate) fn removed(&mut self, owner: i32, address: i32) {
        let state = self.state(owner);
        if state.0 == Some(address) {
            *state = (None, state.1, true);
        }
        if state.1 == Some(address) {
            state.1 = None;
        }
    }

    /// The address changed: the billing copy follows if it is the default billing address.
    pub(crate) fn touched(&mut self, owner: i32, address: i32) {
        let state = self.state(owner);
        if state.0 == Some(address) {
            state.2 = true;
        }
    }

    /// The row's default flags: `true` makes the address the default, `false` unsets it.
    pub(crate) fn flag(
        &mut self,
        owner: i32,
        address: i32,
        billing: Option<bool>,
        shipping: Option<bool>,
    ) {
        let state = self.state(owner);
        match billing {
            Some(true) if state.0 != Some(address) => *state = (Some(address), state.1, true),
            Some(false) if state.0 == Some(address) => *state = (None, state.1, true),
            _ => {}
        }
        match shipping {
            Some(true) => state.1 = Some(address),
            Some(false) if state.1 == Some(address) => state.1 = None,
            _ => {}
        }
    }

    /// The owners whose defaults or billing copy changed, as revisions to save, made at `now`.
    pub(crate) fn revisions(
        self,
        latest: &HashMap<i32, address::Model>,
        now: DateTime<Utc>,
    ) -> Vec<Revision> {
        let mut revisions = Vec::new();
        for (owner_id, (billing, shipping, refresh)) in self.next {
            let Some(owner) = self.owners.get(&owner_id) else {
                continue;
            };
            let refresh = refresh || billing != owner.default_billing_id;
            if !refresh && shipping == owner.default_shipping_id {
                continue;
            }
            let mut next = owner.clone();
            next.default_billing_id = billing;
            next.default_shipping_id = shipping;
            if refresh {
                copy_billing(&mut next, billing.and_then(|id| latest.get(&id)));
            }
            next.search_text = search_text(&next);
            revisions.push(revision(owner.clone(), next, now));
        }
        revisions
    }
}

/// Copies the default billing address (or its absence) onto the customer row, where the grid
/// filters and searches it without a join.
pub(crate) fn copy_billing(next: &mut customer::Model, billing: Option<&address::Model>) {
    next.billing_telephone = billing.and_then(|a| a.telephone.clone());
    next.billing_postcode = billing.and_then(|a| a.postcode.clone());
    next.billing_country_code = billing.map(|a| a.country_code.clone());
    next.billing_region = billing.and_then(|a| a.region.clone());
    next.billing_city = billing.map(|a| a.city.clone());
    next.billing_company = billing.and_then(|a| a.company.clone());
    next.billing_street = billing.map(|a| a.street.clone());
    next.billing_vat_id = billing.and_then(|a| a.vat_id.clone());
    next.billing_fax = billing.and_then(|a| a.fax.clone());
}

/// Records the change of an address of `owner` from `before` to `after` (either may be absent).
async fn record_change(
    db: &impl ConnectionTrait,
    owner: &customer::Model,
    before: Option<&address::Model>,
    after: Option<&address::Model>,
    now: DateTime<Utc>,
) -> Result<()> {
    let events = crate::events::address_changed(owner.website_id, before, after)
        .into_iter()
        .collect();
    clientele_events::record(db, now, events).await
}

async fn owned(
    db: &impl ConnectionTrait,
    customer_id: i32,
    address_id: i32,
) -> Result<address::Model> {
    address::Entity::find_by_id(address_id)
        .filter(address::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Address", address_id))
}

/// The statement of [`AddressBook::address_pages`]: `page` of the books of `customer_ids`.
pub(crate) fn pages_statement(
    backend: sea_orm::DbBackend,
    customer_ids: &[i32],
    page: PageRequest,
) -> sea_orm::Statement {
    let first = page.offset() as i64;
    let last = first + page.page_size as i64;
    let count = customer_ids.len();
    let slots = |from: usize| {
        (from..from + count)
            .map(|i| match backend {
                sea_orm::DbBackend::Postgres => format!("${i}"),
                _ => "?".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The ids are bound three times: for the books' sizes, their window and their owners.
    let values: Vec<sea_orm::Value> = customer_ids
        .iter()
        .chain(customer_ids)
        .chain(customer_ids)
        .map(|id| (*id).into())
        .collect();
    // The sizes are a joined aggregate: Citus sends a correlated subquery to every shard, and
    // this statement, for one customer, to that customer's shard alone.
    let sql = format!(
        "SELECT c.id AS owner_id, c.default_billing_id AS owner_billing_id, \
         c.default_shipping_id AS owner_shipping_id, COALESCE(sizes.n, 0) AS book_size, \
         paged.* FROM customers c LEFT JOIN \
         (SELECT x.customer_id, COUNT(*) AS n FROM customer_addresses x \
          WHERE x.customer_id IN ({sizes}) GROUP BY x.customer_id) sizes \
         ON sizes.customer_id = c.id LEFT JOIN \
         (SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.customer_id ORDER BY a.id) AS book_row \
          FROM customer_addresses a WHERE a.customer_id IN ({books})) paged \
         ON paged.customer_id = c.id AND paged.book_row > {first} AND paged.book_row <= {last} \
         WHERE c.id IN ({owners}) ORDER BY c.id, paged.id",
        sizes = slots(1),
        books = slots(count + 1),
        owners = slots(2 * count + 1),
    );
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}
