//! Batch loaders for what every row of a customer list shows beyond its own columns: custom
//! attribute values, sign-in activity, newsletter subscriptions and a page of the address book.
//! A list primes them for its whole page before its rows resolve (`prime_customers`), so a page
//! costs a fixed number of statements whatever its size; a lone customer loads through them
//! too. One set of loaders serves one request, so nothing is kept beyond it.

use std::collections::HashMap;

use async_graphql::Lookahead;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use clientele_activity::{NowOnline, SignInRecord};
use clientele_customer_attributes::AttributeService;
use clientele_customers::{
    Accounts, Address, AddressBook, AttributeEntity, AttributeValue, Subscription,
};
use clientele_groups::{CustomerGroup, GroupService};
use clientele_kernel::{Page, PageRequest};

use super::error::to_admin;
use crate::services::Services;

/// The request's batch loaders.
pub(crate) fn loaders<'a>(
    ctx: &async_graphql::Context<'a>,
) -> async_graphql::Result<&'a AdminLoaders> {
    ctx.data::<AdminLoaders>()
}

/// A loader whose answers are kept for the request, so a primed key is never read again.
pub(crate) type Cached<T> = DataLoader<T, HashMapCache>;

fn cached<T>(loader: T) -> Cached<T> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// The loaders of one admin request.
pub(crate) struct AdminLoaders {
    accounts: Accounts,
    addresses: AddressBook,
    attributes: AttributeService,
    online: NowOnline,
    /// Custom attribute values of customers.
    pub(crate) customer_attributes: Cached<AttributeValues>,
    /// Custom attribute values of addresses.
    pub(crate) address_attributes: Cached<AttributeValues>,
    /// Sign-in records of customers.
    pub(crate) sign_in: Cached<SignInRecords>,
    /// Newsletter subscriptions of customers.
    pub(crate) subscriptions: Cached<Subscriptions>,
    /// Pages of address books.
    pub(crate) address_pages: Cached<AddressPages>,
    /// Customer groups by id.
    pub(crate) groups: Cached<Groups>,
    /// Customers per group, counted only when asked for.
    pub(crate) group_counts: Cached<GroupCounts>,
}

impl AdminLoaders {
    /// Fresh loaders over the accounts, address books and `attributes` of `services`. A mutation
    /// document gets no cache:
    /// its fields run one after another, and a later one must not see what an earlier one read
    /// before changing it.
    pub(crate) fn new(services: &Services, cached_answers: bool) -> Self {
        let attributes = &services.attributes;
        let values = |entity| AttributeValues {
            attributes: attributes.clone(),
            entity,
        };
        let loaders = Self {
            accounts: services.accounts.clone(),
            addresses: services.addresses.clone(),
            attributes: attributes.clone(),
            online: services.online.clone(),
            customer_attributes: cached(values(AttributeEntity::Customer)),
            address_attributes: cached(values(AttributeEntity::Address)),
            sign_in: cached(SignInRecords(services.online.clone())),
            subscriptions: cached(Subscriptions(services.accounts.clone())),
            address_pages: cached(AddressPages(services.addresses.clone())),
            groups: cached(Groups(services.groups.clone())),
            group_counts: cached(GroupCounts(services.accounts.clone())),
        };
        if !cached_answers {
            loaders.customer_attributes.enable_all_cache(false);
            loaders.address_attributes.enable_all_cache(false);
            loaders.sign_in.enable_all_cache(false);
            loaders.subscriptions.enable_all_cache(false);
            loaders.address_pages.enable_all_cache(false);
            loaders.groups.enable_all_cache(false);
            loaders.group_counts.enable_all_cache(false);
        }
        loaders
    }

    /// Reads, for the customers `ids` of one page together, whatever `items` (the selection of
    /// each row) asks for beyond the rows' own columns, and primes the loaders with it.
    pub(crate) async fn prime_customers(
        &self,
        items: Lookahead<'_>,
        ids: &[i32],
    ) -> async_graphql::Result<()> {
        if items.field("custom_attributes").exists() {
            let mut values = self
                .attributes
                .attribute_values(AttributeEntity::Customer, ids)
                .await
                .map_err(to_admin)?;
            let each = ids
                .iter()
                .map(|id| (*id, values.remove(id).unwrap_or_default()));
            self.customer_attributes.feed_many(each).await;
        }
        if items.field("activity").exists() {
            let mut records = self.online.sign_in_records(ids).await.map_err(to_admin)?;
            let each = ids
                .iter()
                .map(|id| (*id, records.remove(id).unwrap_or_default()));
            self.sign_in.feed_many(each).await;
        }
        if items.field("newsletter_subscriptions").exists() {
            let mut found = self
                .accounts
                .subscriptions_of(ids)
                .await
                .map_err(to_admin)?;
            let each = ids
                .iter()
                .map(|id| (*id, found.remove(id).unwrap_or_default()));
            self.subscriptions.feed_many(each).await;
        }
        // Each `addresses` of the selection (aliases may ask for other pages).
        for field in items.field("addresses").selection_fields() {
            // Arguments out of range are left to the field itself to refuse.
            let Some(page) = page_arguments(&field) else {
                continue;
            };
            let pages = self
                .addresses
                .address_pages(ids, page)
                .await
                .map_err(to_admin)?;
            if Lookahead::from(field)
                .field("items")
                .field("custom_attributes")
                .exists()
            {
                let address_ids: Vec<i32> = pages
                    .values()
                    .flat_map(|p| p.items.iter().map(|a| a.id))
                    .collect();
                let mut values = self
                    .attributes
                    .attribute_values(AttributeEntity::Address, &address_ids)
                    .await
                    .map_err(to_admin)?;
                let each = address_ids
                    .iter()
                    .map(|id| (*id, values.remove(id).unwrap_or_default()));
                self.address_attributes.feed_many(each).await;
            }
            let each = pages
                .into_iter()
                .map(|(customer_id, p)| (AddressPageKey { customer_id, page }, p));
            self.address_pages.feed_many(each).await;
        }
        Ok(())
    }
}

/// The page an `addresses` selection asks for (20 per page, page 1, unless given); `None` when
/// its arguments are out of range.
fn page_arguments(field: &async_graphql::SelectionField<'_>) -> Option<PageRequest> {
    let arguments = field.arguments().ok()?;
    let number = |name: &str| {
        arguments
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .and_then(|(_, v)| match v {
                async_graphql::Value::Number(n) => n.as_i64(),
                _ => None,
            })
    };
    PageRequest::new(
        number("pageSize").unwrap_or(20),
        number("currentPage").unwrap_or(1),
    )
    .ok()
}

/// Custom attribute values of customers or of addresses, by id.
pub(crate) struct AttributeValues {
    attributes: AttributeService,
    entity: AttributeEntity,
}

impl Loader<i32> for AttributeValues {
    type Value = Vec<AttributeValue>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        self.attributes
            .attribute_values(self.entity, keys)
            .await
            .map_err(to_admin)
    }
}

/// Sign-in records by customer id (absent: never signed in).
pub(crate) struct SignInRecords(NowOnline);

impl Loader<i32> for SignInRecords {
    type Value = SignInRecord;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        self.0.sign_in_records(keys).await.map_err(to_admin)
    }
}

/// Newsletter subscriptions by customer id (absent: none).
pub(crate) struct Subscriptions(Accounts);

impl Loader<i32> for Subscriptions {
    type Value = Vec<Subscription>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        self.0.subscriptions_of(keys).await.map_err(to_admin)
    }
}

/// Customer groups by id.
pub(crate) struct Groups(GroupService);

impl Loader<i32> for Groups {
    type Value = CustomerGroup;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let groups = self.0.get_many(keys).await.map_err(to_admin)?;
        Ok(groups.into_iter().map(|g| (g.id, g)).collect())
    }
}

/// Customers per group.
pub(crate) struct GroupCounts(Accounts);

impl Loader<i32> for GroupCounts {
    type Value = u64;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        self.0.count_by_group(keys).await.map_err(to_admin)
    }
}

/// Which page of whose address book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AddressPageKey {
    /// The customer.
    pub(crate) customer_id: i32,
    /// The page asked for.
    pub(crate) page: PageRequest,
}

/// Pages of address books.
pub(crate) struct AddressPages(AddressBook);

impl Loader<AddressPageKey> for AddressPages {
    type Value = Page<Address>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[AddressPageKey],
    ) -> Result<HashMap<AddressPageKey, Self::Value>, Self::Error> {
        // Rows of one list ask for the same page; other pages (aliases) get a read each.
        let mut by_page: HashMap<PageRequest, Vec<i32>> = HashMap::new();
        for key in keys {
            by_page.entry(key.page).or_default().push(key.customer_id);
        }
        let mut found = HashMap::new();
        for (page, ids) in by_page {
            let pages = self.0.address_pages(&ids, page).await.map_err(to_admin)?;
            found.extend(
                pages
                    .into_iter()
                    .map(|(customer_id, p)| (AddressPageKey { customer_id, page }, p)),
            );
        }
        Ok(found)
    }
}
