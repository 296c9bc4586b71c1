//! What the admin API shows of customers: the record, its addresses, subscriptions and activity,
//! pages of them, and mass-action results.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_customers::{
    Address, AttributeEntity, AttributeValue, Customer, FailureReason, MassOutcome, Subscription,
    SubscriptionStatus,
};
use clientele_kernel::Error;
use clientele_staff::acl;

use crate::graphql::admin::attributes::CustomAttributeValue;
use crate::graphql::admin::common::{SearchResultPageInfo, list_cost, page_request};
use crate::graphql::admin::error::{AdminResult, admin_error, code, to_admin};
use crate::graphql::admin::groups::CustomerGroupObject;
use crate::graphql::admin::guard::{Needs, website_scope};
use crate::graphql::admin::loaders::{AddressPageKey, loaders};
use crate::graphql::admin::timeline::{
    CustomerTimeline, DEFAULT_TIMELINE_PAGE, decode_cursor, event_types, timeline_page_size,
};
use crate::graphql::uid::encode_uid;
use crate::services::Services;

/// A customer account, with its custom attribute values and sign-in activity when they were
/// read for a whole grid page at once (one query each instead of one per row).
pub(crate) struct CustomerObject(pub(crate) Customer);

impl From<Customer> for CustomerObject {
    fn from(c: Customer) -> Self {
        Self(c)
    }
}

/// When a customer last signed in, signed out and was active (null: never), and whether they
/// count as online now (active within the website's Online Minutes Interval, not signed out).
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerActivity {
    /// Last sign-in, or null for never.
    pub(crate) last_signed_in_at: Option<DateTime<Utc>>,
    /// Last sign-out, or null for never.
    pub(crate) last_signed_out_at: Option<DateTime<Utc>>,
    /// Last activity, or null for never.
    pub(crate) last_active_at: Option<DateTime<Utc>>,
    /// Active within the Online Minutes Interval and not signed out since.
    pub(crate) is_online: bool,
}

#[Object(name = "Customer", rename_fields = "snake_case")]
impl CustomerObject {
    /// Sequential id (the grid's ID column).
    async fn id(&self) -> i32 {
        self.0.id
    }
    /// Storefront id: base64 of the numeric id.
    async fn uid(&self) -> ID {
        encode_uid(self.0.id)
    }
    /// Website of the account.
    async fn website_id(&self) -> i32 {
        self.0.website_id
    }
    /// Store view the account was created in.
    async fn store_id(&self) -> Option<i32> {
        self.0.store_id
    }
    /// Name of the store view the account was created in.
    async fn created_in(&self) -> &str {
        &self.0.created_in
    }
    /// Customer group id.
    async fn group_id(&self) -> i32 {
        self.0.group_id
    }
    /// Customer group, with its name and tax class (groups are read once per request).
    async fn group(&self, ctx: &Context<'_>) -> async_graphql::Result<CustomerGroupObject> {
        loaders(ctx)?
            .groups
            .load_one(self.0.group_id)
            .await?
            .map(Into::into)
            .ok_or_else(|| admin_error("Internal server error", code::INTERNAL))
    }
    /// Sign-in email.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Name prefix.
    async fn prefix(&self) -> Option<&str> {
        self.0.prefix.as_deref()
    }
    /// First name.
    async fn firstname(&self) -> &str {
        &self.0.firstname
    }
    /// Middle name or initial.
    async fn middlename(&self) -> Option<&str> {
        self.0.middlename.as_deref()
    }
    /// Last name.
    async fn lastname(&self) -> &str {
        &self.0.lastname
    }
    /// Name suffix.
    async fn suffix(&self) -> Option<&str> {
        self.0.suffix.as_deref()
    }
    /// Date of birth, `YYYY-MM-DD`.
    async fn dob(&self) -> Option<String> {
        self.0.dob.map(|d| d.format("%Y-%m-%d").to_string())
    }
    /// Customer-level tax/VAT number.
    async fn taxvat(&self) -> Option<&str> {
        self.0.taxvat.as_deref()
    }
    /// Gender: 1 male, 2 female, 3 not specified.
    async fn gender(&self) -> Option<i32> {
        self.0.gender.map(|g| i32::from(g.code()))
    }
    /// Whether the account may sign in.
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    /// Whether the email address is confirmed (or needs no confirmation).
    async fn is_confirmed(&self) -> bool {
        !self.0.confirmation_pending
    }
    /// Locked until this time after repeated failed sign-ins; null when not locked.
    async fn locked_until(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(self.0.locked_until(ctx.data::<Services>()?.clock.now()))
    }
    /// Consent to Login as Customer (remote shopping assistance).
    async fn allow_remote_shopping_assistance(&self) -> bool {
        self.0.allow_remote_shopping_assistance
    }
    /// Whether VAT-based automatic group changes are disabled for this customer.
    async fn disable_auto_group_change(&self) -> bool {
        self.0.disable_auto_group_change
    }
    /// Default billing address id.
    async fn default_billing_id(&self) -> Option<i32> {
        self.0.default_billing_id
    }
    /// Default shipping address id.
    async fn default_shipping_id(&self) -> Option<i32> {
        self.0.default_shipping_id
    }
    /// Telephone of the default billing address (grid column Phone).
    async fn billing_telephone(&self) -> Option<&str> {
        self.0.billing_telephone.as_deref()
    }
    /// Postcode of the default billing address (grid column ZIP).
    async fn billing_postcode(&self) -> Option<&str> {
        self.0.billing_postcode.as_deref()
    }
    /// Country of the default billing address.
    async fn billing_country_code(&self) -> Option<&str> {
        self.0.billing_country_code.as_deref()
    }
    /// Region of the default billing address (grid column State/Province).
    async fn billing_region(&self) -> Option<&str> {
        self.0.billing_region.as_deref()
    }
    /// City of the default billing address.
    async fn billing_city(&self) -> Option<&str> {
        self.0.billing_city.as_deref()
    }
    /// Company of the default billing address.
    async fn billing_company(&self) -> Option<&str> {
        self.0.billing_company.as_deref()
    }
    /// Street lines of the default billing address.
    async fn billing_street(&self) -> Vec<String> {
        self.0
            .billing_street
            .as_deref()
            .map(|s| s.split('\n').map(str::to_owned).collect())
            .unwrap_or_default()
    }
    /// VAT number of the default billing address.
    async fn billing_vat_id(&self) -> Option<&str> {
        self.0.billing_vat_id.as_deref()
    }
    /// Version for optimistic locking: pass it as `expected_version` to `updateCustomer`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Customer since.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Last change.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// What happened to this customer, newest first, with who did it: `first` events (1 to
    /// 200; 20 when absent) after the cursor `after`, of the `types` named (every type when
    /// absent; see `webhookEventTypes`).
    #[graphql(guard = "Needs(&[acl::CUSTOMER_TIMELINE])")]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        types: Option<Vec<String>>,
    ) -> async_graphql::Result<CustomerTimeline> {
        let first = timeline_page_size(first.unwrap_or(DEFAULT_TIMELINE_PAGE))?;
        let types = event_types(types.as_deref().unwrap_or_default())?;
        let before = after.as_deref().map(decode_cursor).transpose()?;
        let page = ctx
            .data::<Services>()?
            .events
            .timeline(self.0.id, &types, first, before)
            .await
            .admin()?;
        Ok(page.into())
    }
    /// Sign-in activity for the customer view: last signed in and out, last active, online now.
    async fn activity(&self, ctx: &Context<'_>) -> async_graphql::Result<CustomerActivity> {
        let services = ctx.data::<Services>()?;
        // A customer who never signed in has no record: that is "never", not unread.
        let record = loaders(ctx)?
            .sign_in
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let interval = services.online.interval().await.admin()?;
        Ok(CustomerActivity {
            last_signed_in_at: record.last_signed_in_at,
            last_signed_out_at: record.last_signed_out_at,
            last_active_at: record.last_active_at,
            is_online: record.is_online(services.clock.now(), interval),
        })
    }
    /// Custom attribute values, in the attributes' sort order.
    async fn custom_attributes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<CustomAttributeValue>> {
        let values = loaders(ctx)?
            .customer_attributes
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(values.into_iter().map(Into::into).collect())
    }
    /// Newsletter subscriptions, by store view.
    async fn newsletter_subscriptions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<NewsletterSubscription>> {
        let subscriptions = loaders(ctx)?
            .subscriptions
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(subscriptions.into_iter().map(Into::into).collect())
    }
    /// The address book, oldest first.
    #[graphql(complexity = "list_cost(page_size, child_complexity)")]
    async fn addresses(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
    ) -> async_graphql::Result<CustomerAddresses> {
        let page = page_request(page_size, current_page)?;
        let loaders = loaders(ctx)?;
        let key = AddressPageKey {
            customer_id: self.0.id,
            page,
        };
        let page = loaders
            .address_pages
            .load_one(key)
            .await?
            .unwrap_or(clientele_kernel::Page {
                items: Vec::new(),
                total_count: 0,
                request: page,
            });
        let mut values = if ctx
            .look_ahead()
            .field("items")
            .field("custom_attributes")
            .exists()
        {
            let ids = page.items.iter().map(|a| a.id);
            loaders.address_attributes.load_many(ids).await?
        } else {
            Default::default()
        };
        Ok(CustomerAddresses {
            page_info: SearchResultPageInfo::of(&page),
            total_count: page.total_count as i64,
            items: page
                .items
                .into_iter()
                .map(|a| {
                    let own = values.remove(&a.id).unwrap_or_default();
                    AddressObject::with_values(a, own)
                })
                .collect(),
        })
    }
}

/// An address of a customer's address book.
#[derive(SimpleObject)]
#[graphql(name = "CustomerAddress", rename_fields = "snake_case")]
pub(crate) struct AddressObject {
    /// Id.
    pub(crate) id: i32,
    /// Owner.
    pub(crate) customer_id: i32,
    /// Name prefix.
    pub(crate) prefix: Option<String>,
    /// First name.
    pub(crate) firstname: String,
    /// Middle name.
    pub(crate) middlename: Option<String>,
    /// Last name.
    pub(crate) lastname: String,
    /// Name suffix.
    pub(crate) suffix: Option<String>,
    /// Company.
    pub(crate) company: Option<String>,
    /// Street lines.
    pub(crate) street: Vec<String>,
    /// City.
    pub(crate) city: String,
    /// Region name.
    pub(crate) region: Option<String>,
    /// Region code, Magento's where Magento's directory has the country (`TX`, `BER`), the ISO
    /// 3166-2 subdivision code otherwise.
    pub(crate) region_code: Option<String>,
    /// Region id: Magento's where Magento's directory has the region (Texas is 57), Clientele's
    /// own (above 150,000) for the other countries' subdivisions.
    pub(crate) region_id: Option<i32>,
    /// Postcode.
    pub(crate) postcode: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub(crate) country_code: String,
    /// Country name in English (`Germany`), from the ISO 3166 list.
    pub(crate) country_name: Option<String>,
    /// Telephone.
    pub(crate) telephone: Option<String>,
    /// Fax.
    pub(crate) fax: Option<String>,
    /// Address-level VAT number.
    pub(crate) vat_id: Option<String>,
    /// Whether it is the default billing address.
    pub(crate) default_billing: bool,
    /// Whether it is the default shipping address.
    pub(crate) default_shipping: bool,
    /// Custom attribute values, in the attributes' sort order.
    pub(crate) custom_attributes: Vec<CustomAttributeValue>,
}

impl AddressObject {
    /// The address `a` with its custom attribute `values`.
    pub(crate) fn with_values(a: Address, values: Vec<AttributeValue>) -> Self {
        let mut object = Self::from(a);
        object.custom_attributes = values.into_iter().map(Into::into).collect();
        object
    }
}

impl From<Address> for AddressObject {
    fn from(a: Address) -> Self {
        Self {
            custom_attributes: Vec::new(),
            id: a.id,
            customer_id: a.customer_id,
            prefix: a.prefix,
            firstname: a.firstname,
            middlename: a.middlename,
            lastname: a.lastname,
            suffix: a.suffix,
            company: a.company,
            street: a.street,
            city: a.city,
            region_id: a
                .region_code
                .as_deref()
                .and_then(|code| clientele_directory::region_by_code(&a.country_code, code))
                .map(|r| r.id),
            region: a.region,
            region_code: a.region_code,
            postcode: a.postcode,
            country_name: rust_iso3166::from_alpha2(&a.country_code).map(|c| c.name.to_owned()),
            country_code: a.country_code,
            telephone: a.telephone,
            fax: a.fax,
            vat_id: a.vat_id,
            default_billing: a.default_billing,
            default_shipping: a.default_shipping,
        }
    }
}

/// Newsletter subscription statuses (Adobe Commerce's `SubscriptionStatusesEnum`).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "SubscriptionStatusesEnum")]
pub(crate) enum SubscriptionStatusesEnum {
    /// Not active.
    NotActive,
    /// Subscribed.
    Subscribed,
    /// Unsubscribed.
    Unsubscribed,
    /// Awaiting confirmation.
    Unconfirmed,
}

/// A subscription in one store view.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct NewsletterSubscription {
    /// Store view.
    pub(crate) store_id: i32,
    /// Status.
    pub(crate) status: SubscriptionStatusesEnum,
    /// Last status change.
    pub(crate) changed_at: DateTime<Utc>,
}

impl From<Subscription> for NewsletterSubscription {
    fn from(s: Subscription) -> Self {
        Self {
            store_id: s.store_id,
            status: match s.status {
                SubscriptionStatus::Subscribed => SubscriptionStatusesEnum::Subscribed,
                SubscriptionStatus::NotActive => SubscriptionStatusesEnum::NotActive,
                SubscriptionStatus::Unsubscribed => SubscriptionStatusesEnum::Unsubscribed,
                SubscriptionStatus::Unconfirmed => SubscriptionStatusesEnum::Unconfirmed,
            },
            changed_at: s.changed_at,
        }
    }
}

/// A row a mass action could not change.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct MassActionFailure {
    /// Customer id.
    pub(crate) id: i32,
    /// Stable code, e.g. `NOT_FOUND`.
    pub(crate) code: String,
    /// Reason.
    pub(crate) message: String,
}

/// What a mass action did.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct MassActionResult {
    /// Rows selected.
    pub(crate) requested: i64,
    /// Rows changed.
    pub(crate) changed: i64,
    /// Rows not changed, with the reason.
    pub(crate) failures: Vec<MassActionFailure>,
}

impl From<MassOutcome> for MassActionResult {
    fn from(o: MassOutcome) -> Self {
        Self {
            requested: o.requested as i64,
            changed: o.changed as i64,
            failures: o
                .failures
                .into_iter()
                .map(|f| MassActionFailure {
                    id: f.id,
                    code: match f.reason {
                        FailureReason::NotFound => code::NOT_FOUND.into(),
                    },
                    message: f.message,
                })
                .collect(),
        }
    }
}

/// A page of addresses.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerAddresses {
    /// Addresses of this page.
    pub(crate) items: Vec<AddressObject>,
    /// Addresses in all.
    pub(crate) total_count: i64,
    /// Paging facts.
    pub(crate) page_info: SearchResultPageInfo,
}

/// A page of the Customers grid.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct Customers {
    /// Customers of this page.
    pub(crate) items: Vec<CustomerObject>,
    /// Customers matching the search and filters, over all pages (counted only when selected).
    pub(crate) total_count: i64,
    /// Paging facts (counted only when selected).
    pub(crate) page_info: SearchResultPageInfo,
    /// When sorted by ID: pass as `after` to get the next page in constant time.
    pub(crate) end_cursor: Option<String>,
}

/// An address with its custom attribute values read back.
pub(crate) async fn address_with_values(
    services: &Services,
    address: Address,
) -> async_graphql::Result<AddressObject> {
    let values = services
        .attributes
        .attribute_values(AttributeEntity::Address, &[address.id])
        .await
        .admin()?
        .remove(&address.id)
        .unwrap_or_default();
    Ok(AddressObject::with_values(address, values))
}

/// A customer the caller may see: customers of websites outside the role's scope are NOT_FOUND,
/// exactly like customers that do not exist.
pub(crate) async fn visible_customer(
    ctx: &Context<'_>,
    id: i32,
) -> async_graphql::Result<Customer> {
    let services = ctx.data::<Services>()?;
    let customer = services.accounts.get(id).await.admin()?;
    match website_scope(ctx)? {
        Some(scope) if !scope.contains(&customer.website_id) => {
            Err(to_admin(Error::not_found("Customer", id)))
        }
        _ => Ok(customer),
    }
}
