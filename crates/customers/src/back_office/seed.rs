//! Realistic sample customers for demos and benchmarks, inserted in bulk: varied names, emails,
//! groups, websites' default store, dates of birth, creation dates over five years, and a default
//! billing and shipping address each (so the grid's address columns and keyword search have data).

use chrono::{Duration, NaiveDate};
use clientele_configuration::keys;
use clientele_kernel::Result;
use clientele_kernel::bulk::insert_numbered;
use clientele_kernel::db::begin_write;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use super::BackOffice;
use crate::accounts::record::search_text;
use crate::entity::{address, customer};

const FIRST: &[&str] = &[
    "Ann", "Bob", "Chloé", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kai",
    "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Victor",
    "Wen", "Xavier", "Yara", "Zoë", "Liam", "Olivia", "Noah", "Sofia", "Lucas", "Mia", "Arjun",
    "Aiko", "Mehmet", "Elif",
];
const LAST: &[&str] = &[
    "Lee", "Smith", "García", "Müller", "Rossi", "Dubois", "Nowak", "Kim", "Tanaka", "Silva",
    "Jensen", "Novak", "Ivanova", "Haddad", "Okafor", "Patel", "Cohen", "Murphy", "O'Brien",
    "Nguyen", "Larsen", "Schmidt", "Costa", "Yilmaz", "Fischer", "Moreau", "Santos", "Kowalski",
    "Brown", "Wilson",
];
const PLACES: &[(&str, &str, &str, &str)] = &[
    ("US", "TX", "Austin", "787"),
    ("US", "CA", "San Diego", "921"),
    ("US", "NY", "Buffalo", "142"),
    ("US", "WA", "Seattle", "981"),
    ("US", "IL", "Chicago", "606"),
    ("US", "FL", "Miami", "331"),
    ("CA", "ON", "Toronto", "M5V"),
    ("CA", "QC", "Montréal", "H2X"),
    ("DE", "", "Berlin", "101"),
    ("FR", "", "Lyon", "690"),
    ("GB", "", "Leeds", "LS1"),
    ("NL", "", "Utrecht", "351"),
    ("IT", "MI", "Milano", "201"),
    ("ES", "Madrid", "Madrid", "280"),
    ("AU", "NSW", "Sydney", "200"),
];
const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "High Street",
    "Market Rd",
    "Station Rd",
    "Lake Dr",
    "Park Lane",
];
const COMPANIES: &[&str] = &[
    "",
    "",
    "",
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Ltd",
    "Stark Industries",
];

/// A small deterministic generator, so seeded data is reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
}

impl BackOffice {
    /// Adds `count` customers on the default website, `batch` at a time, calling `progress` with
    /// the number inserted so far. Emails carry `run` so repeated runs do not collide.
    pub async fn seed(
        &self,
        count: u64,
        batch: u64,
        run: &str,
        progress: impl Fn(u64),
    ) -> Result<u64> {
        let view = self.shared.stores.default_view().await?;
        let global = self
            .shared
            .config
            .resolve(clientele_configuration::Scope::Default)
            .await?
            .text(keys::customer::ACCOUNT_SHARE_SCOPE)
            == "0";
        let email_scope_id = if global { 0 } else { view.website_id };
        let per_batch = batch.clamp(1, 500);
        let mut rng = Lcg(0x5eed ^ run.len() as u64);
        let mut done = 0;
        let regions = region_names();
        while done < count {
            let n = per_batch.min(count - done);
            let txn = begin_write(&self.shared.db).await?;
            let mut customers = Vec::with_capacity(n as usize);
            let mut places = Vec::with_capacity(n as usize);
            for i in 0..n {
                let serial = done + i;
                let first = *rng.pick(FIRST);
                let last = *rng.pick(LAST);
                let place = *rng.pick(PLACES);
                let street = format!("{} {}", 1 + rng.next() % 9999, rng.pick(STREETS));
                let company = *rng.pick(COMPANIES);
                let postcode = format!("{}{:02}", place.3, rng.next() % 100);
                let phone = format!("+1-555-{:04}", rng.next() % 10000);
                let email = format!(
                    "{}.{}.{run}.{serial}@example.{}",
                    ascii(first),
                    ascii(last),
                    rng.pick(&["com", "net", "org"])
                );
                let created_at = self.shared.clock.now()
                    - Duration::minutes((rng.next() % (5 * 365 * 24 * 60)) as i64);
                let dob = NaiveDate::from_ymd_opt(
                    1940 + (rng.next() % 65) as i32,
                    1 + (rng.next() % 12) as u32,
                    1 + (rng.next() % 28) as u32,
                );
                let region = regions(place.0, place.1);
                let mut model = customer::Model {
                    id: 0,
                    website_id: view.website_id,
                    email_scope_id,
                    email_key: email.to_lowercase(),
                    email,
                    group_id: 1 + (rng.next() % 3) as i32,
                    store_id: Some(view.id),
                    created_in: view.name.clone(),
                    prefix: None,
                    firstname: first.into(),
                    middlename: None,
                    lastname: last.into(),
                    suffix: None,
                    dob,
                    taxvat: rng
                        .next()
                        .is_multiple_of(5)
                        .then(|| format!("VAT{:08}", rng.next() % 100_000_000)),
                    gender: Some(1 + (rng.next() % 3) as i16),
                    is_active: !rng.next().is_multiple_of(50),
                    password_hash: None,
                    confirmation: None,
                    failures_num: 0,
                    first_failure: None,
                    lock_expires: None,
                    allow_remote_shopping_assistance: rng.next().is_multiple_of(4),
                    disable_auto_group_change: false,
                    default_billing_id: None,
                    default_shipping_id: None,
                    billing_telephone: Some(phone.clone()),
                    billing_postcode: Some(postcode.clone()),
                    billing_country_code: Some(place.0.into()),
                    billing_region: region.clone(),
                    billing_city: Some(place.2.into()),
                    billing_company: (!company.is_empty()).then(|| company.to_owned()),
                    billing_street: Some(street.clone()),
                    billing_vat_id: None,
                    billing_fax: None,
                    search_text: String::new(),
                    tokens_valid_after: None,
                    tokens_kept_session: None,
                    version: 1,
                    created_at,
                    updated_at: created_at,
                };
                model.search_text = search_text(&model);
                places.push((place, street, postcode, phone, company, region));
                let mut active: customer::ActiveModel = model.into();
                active.id = sea_orm::ActiveValue::NotSet;
                customers.push(active);
            }
            let ids =
                insert_numbered(&txn, customer::Column::Id, &customers, customers.len()).await?;
            crate::emails::claim_accounts(&txn, &ids).await?;
            let now = self.shared.clock.now();
            let addresses = ids.iter().zip(places).map(
                |(id, (place, street, postcode, phone, company, region))| address::ActiveModel {
                    customer_id: Set(*id),
                    firstname: Set(String::new()),
                    lastname: Set(String::new()),
                    company: Set((!company.is_empty()).then(|| company.to_owned())),
                    street: Set(street),
                    city: Set(place.2.into()),
                    region: Set(region),
                    region_code: Set((!place.1.is_empty()).then(|| place.1.to_owned())),
                    postcode: Set(Some(postcode)),
                    country_code: Set(place.0.into()),
                    telephone: Set(Some(phone)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                },
            );
            address::Entity::insert_many(addresses).exec(&txn).await?;
            if let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) {
                // Names on the address follow the customer; defaults point at the new address.
                txn.execute_unprepared(&format!(
                    "UPDATE customer_addresses SET firstname = c.firstname, lastname = c.lastname \
                     FROM customers c WHERE c.id = customer_addresses.customer_id \
                     AND customer_addresses.customer_id BETWEEN {lo} AND {hi}"
                ))
                .await?;
                txn.execute_unprepared(&format!(
                    "UPDATE customers SET default_billing_id = a.id, default_shipping_id = a.id \
                     FROM customer_addresses a WHERE a.customer_id = customers.id \
                     AND customers.id BETWEEN {lo} AND {hi} AND customers.default_billing_id IS NULL"
                ))
                .await?;
            }
            txn.commit().await?;
            done += n;
            progress(done);
        }
        Ok(done)
    }
}

fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'é' => 'e',
            'ë' => 'e',
            'ü' => 'u',
            'í' => 'i',
            c if c.is_ascii_alphabetic() => c.to_ascii_lowercase(),
            _ => 'x',
        })
        .collect()
}

/// Region names from the directory.
fn region_names() -> impl Fn(&str, &str) -> Option<String> {
    move |country: &str, code: &str| {
        clientele_directory::region_by_code(country, code).map(|r| r.name.clone())
    }
}
