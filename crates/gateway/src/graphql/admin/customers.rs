//! Customer accounts for customer service: the record, the address book, and the Customers grid.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use clientele_customers::{
    Address, AddressInput, AttributeCondition, AttributeEntity, AttributeFilter, AttributeValue,
    Customer, CustomerPatch, FailureReason, Gender, GridQuery, GridSort, GridSortField,
    MassOutcome, NewCustomer, Selection, Subscription, SubscriptionStatus,
};
use clientele_kernel::Error;
use clientele_staff::acl;

use super::attributes::{CustomAttributeValue, ValueInputObject, value_inputs};
use super::common::{
    IdEqualFilterInput, IdRangeFilterInput, SearchResultPageInfo, SortEnum, TextFilterInput,
    list_cost, page_request,
};
use super::error::{AdminResult, code, to_admin};
use super::guard::{Needs, actor, require_website, website_scope};
use super::loaders::{AddressPageKey, AdminLoaders};
use crate::graphql::request::ClientInfo;
use crate::graphql::uid::encode_uid;
use crate::services::Services;

/// A customer account, with its custom attribute values and sign-in activity when they were
/// read for a whole grid page at once (one query each instead of one per row).
pub(crate) struct CustomerObject(Customer);

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
    last_signed_in_at: Option<DateTime<Utc>>,
    /// Last sign-out, or null for never.
    last_signed_out_at: Option<DateTime<Utc>>,
    /// Last activity, or null for never.
    last_active_at: Option<DateTime<Utc>>,
    /// Active within the Online Minutes Interval and not signed out since.
    is_online: bool,
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
    /// Sign-in activity for the customer view: last signed in and out, last active, online now.
    async fn activity(&self, ctx: &Context<'_>) -> async_graphql::Result<CustomerActivity> {
        let services = ctx.data::<Services>()?;
        // A customer who never signed in has no record: that is "never", not unread.
        let record = loaders(ctx)?
            .sign_in
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        let interval = services.customers.online_interval().await.admin()?;
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

/// The request's batch loaders.
fn loaders<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a AdminLoaders> {
    ctx.data::<AdminLoaders>()
}

/// An address of a customer's address book.
#[derive(SimpleObject)]
#[graphql(name = "CustomerAddress", rename_fields = "snake_case")]
pub(crate) struct AddressObject {
    /// Id.
    id: i32,
    /// Owner.
    customer_id: i32,
    /// Name prefix.
    prefix: Option<String>,
    /// First name.
    firstname: String,
    /// Middle name.
    middlename: Option<String>,
    /// Last name.
    lastname: String,
    /// Name suffix.
    suffix: Option<String>,
    /// Company.
    company: Option<String>,
    /// Street lines.
    street: Vec<String>,
    /// City.
    city: String,
    /// Region name.
    region: Option<String>,
    /// Region code, Magento's where Magento's directory has the country (`TX`, `BER`), the ISO
    /// 3166-2 subdivision code otherwise.
    region_code: Option<String>,
    /// Region id: Magento's where Magento's directory has the region (Texas is 57), Clientele's
    /// own (above 150,000) for the other countries' subdivisions.
    region_id: Option<i32>,
    /// Postcode.
    postcode: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    country_code: String,
    /// Telephone.
    telephone: Option<String>,
    /// Fax.
    fax: Option<String>,
    /// Address-level VAT number.
    vat_id: Option<String>,
    /// Whether it is the default billing address.
    default_billing: bool,
    /// Whether it is the default shipping address.
    default_shipping: bool,
    /// Custom attribute values, in the attributes' sort order.
    custom_attributes: Vec<CustomAttributeValue>,
}

impl AddressObject {
    fn with_values(a: Address, values: Vec<AttributeValue>) -> Self {
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
    store_id: i32,
    /// Status.
    status: SubscriptionStatusesEnum,
    /// Last status change.
    changed_at: DateTime<Utc>,
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

/// Which customers a mass action applies to: `ids`, or everything matching `search` and `filter`
/// (an empty `filter: {}` selects every customer).
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerSelectionInput {
    /// Selected customer ids.
    ids: Option<Vec<i32>>,
    /// Keyword search of the grid.
    search: Option<String>,
    /// Filters of the grid.
    filter: Option<CustomerGridFilterInput>,
}

impl CustomerSelectionInput {
    fn selection(self, scope: Option<Vec<i32>>) -> async_graphql::Result<Selection> {
        match (self.ids, self.search, self.filter) {
            (Some(ids), None, None) => Ok(Selection::Ids {
                ids,
                websites: scope,
            }),
            (None, search, filter) if search.is_some() || filter.is_some() => {
                let query = grid_query(search, filter.unwrap_or_default())?;
                Ok(Selection::Matching(Box::new(scoped(query, scope))))
            }
            _ => Err(to_admin(Error::invalid(
                "selection",
                "Select customers either by ids or by search and filter (an empty filter selects every customer).",
            ))),
        }
    }
}

/// Input of a mass action.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerMassActionInput {
    /// Which customers.
    selection: CustomerSelectionInput,
    /// When true, a single failing row means nothing changes (default false).
    all_or_nothing: Option<bool>,
}

/// Input of `massAssignCustomerGroup`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct MassAssignCustomerGroupInput {
    /// Which customers.
    selection: CustomerSelectionInput,
    /// The group to assign.
    group_id: i32,
    /// When true, a single failing row means nothing changes (default false).
    all_or_nothing: Option<bool>,
}

/// A row a mass action could not change.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct MassActionFailure {
    /// Customer id.
    id: i32,
    /// Stable code, e.g. `NOT_FOUND`.
    code: String,
    /// Reason.
    message: String,
}

/// What a mass action did.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct MassActionResult {
    /// Rows selected.
    requested: i64,
    /// Rows changed.
    changed: i64,
    /// Rows not changed, with the reason.
    failures: Vec<MassActionFailure>,
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
    items: Vec<AddressObject>,
    /// Addresses in all.
    total_count: i64,
    /// Paging facts.
    page_info: SearchResultPageInfo,
}

/// A page of the Customers grid.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct Customers {
    /// Customers of this page.
    items: Vec<CustomerObject>,
    /// Customers matching the search and filters, over all pages (counted only when selected).
    total_count: i64,
    /// Paging facts (counted only when selected).
    page_info: SearchResultPageInfo,
    /// When sorted by ID: pass as `after` to get the next page in constant time.
    end_cursor: Option<String>,
}

/// A range of instants.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct DateTimeRangeFilterInput {
    /// At or after.
    from: Option<DateTime<Utc>>,
    /// At or before.
    to: Option<DateTime<Utc>>,
}

/// A range of dates, `YYYY-MM-DD`.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct DateRangeFilterInput {
    /// On or after.
    from: Option<String>,
    /// On or before.
    to: Option<String>,
}

/// A set of text values.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct TextInFilterInput {
    /// Any of these values.
    #[graphql(name = "in")]
    #[serde(rename = "in")]
    any_of: Vec<String>,
}

/// Filters of the Customers grid; every present filter must match.
#[derive(InputObject, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerGridFilterInput {
    /// Id range.
    id: Option<IdRangeFilterInput>,
    /// First, middle or last name contains.
    name: Option<TextFilterInput>,
    /// Email contains.
    email: Option<TextFilterInput>,
    /// Customer group.
    group_id: Option<IdEqualFilterInput>,
    /// Website.
    website_id: Option<IdEqualFilterInput>,
    /// Billing telephone contains.
    telephone: Option<TextFilterInput>,
    /// Billing postcode contains.
    postcode: Option<TextFilterInput>,
    /// Billing country.
    country_code: Option<TextInFilterInput>,
    /// Billing region contains.
    region: Option<TextFilterInput>,
    /// Billing city contains.
    city: Option<TextFilterInput>,
    /// Billing company contains.
    company: Option<TextFilterInput>,
    /// Tax/VAT number contains.
    taxvat: Option<TextFilterInput>,
    /// Gender (1, 2, 3).
    gender: Option<IdEqualFilterInput>,
    /// Active or inactive accounts.
    is_active: Option<bool>,
    /// Customer since.
    created_at: Option<DateTimeRangeFilterInput>,
    /// Date of birth.
    dob: Option<DateRangeFilterInput>,
    /// Custom attributes flagged "Use in Filter Options"; every one must match.
    custom_attributes: Option<Vec<CustomAttributeFilterInput>>,
}

/// A filter on one custom attribute: `match` for text inputs (partial, prefix or full match as
/// the attribute says), `in` for dropdowns, multiple selects and Yes/No, `from`/`to` for dates.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomAttributeFilterInput {
    /// Attribute code.
    attribute_code: String,
    /// Text to match.
    #[graphql(name = "match")]
    #[serde(rename = "match")]
    matches: Option<String>,
    /// Any of these option ids (or `1`/`0` for Yes/No).
    #[graphql(name = "in")]
    #[serde(rename = "in")]
    any_of: Option<Vec<String>>,
    /// On or after, `YYYY-MM-DD`.
    from: Option<String>,
    /// On or before, `YYYY-MM-DD`.
    to: Option<String>,
}

impl CustomAttributeFilterInput {
    fn into_filter(self) -> async_graphql::Result<AttributeFilter> {
        let condition = match (self.matches, self.any_of, self.from, self.to) {
            (Some(text), None, None, None) => AttributeCondition::Text(text),
            (None, Some(values), None, None) => AttributeCondition::AnyOf(values),
            (None, None, from, to) if from.is_some() || to.is_some() => {
                AttributeCondition::Range { from, to }
            }
            _ => {
                return Err(to_admin(Error::invalid(
                    "filter.custom_attributes",
                    format!(
                        "Filter \"{}\" with exactly one of match, in, or from/to.",
                        self.attribute_code
                    ),
                )));
            }
        };
        Ok(AttributeFilter {
            code: self.attribute_code,
            condition,
        })
    }
}

mirror!(
    /// Sortable columns of the Customers grid.
    #[derive(serde::Serialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    CustomerGridSortField => GridSortField {
        /// Id.
        Id,
        /// Last name, then first name.
        Name,
        /// Email.
        Email,
        /// Group.
        Group,
        /// Billing telephone.
        Telephone,
        /// Billing postcode.
        Postcode,
        /// Billing country.
        Country,
        /// Billing region.
        Region,
        /// Billing city.
        City,
        /// Billing company.
        Company,
        /// Customer since.
        CreatedAt,
        /// Website.
        Website,
        /// Date of birth.
        Dob,
        /// Tax/VAT number.
        Taxvat,
        /// Gender.
        Gender,
        /// The custom attribute named by `attribute_code` (a grid column attribute).
        Attribute,
    }
);

/// Sort order of the Customers grid.
#[derive(InputObject, serde::Serialize)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerGridSortInput {
    /// Column.
    field: CustomerGridSortField,
    /// Direction (default ASC).
    direction: Option<SortEnum>,
    /// With `field: ATTRIBUTE`: the attribute code.
    attribute_code: Option<String>,
}

/// Input of `createCustomer`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateCustomerInput {
    /// Website (default: the default website).
    website_id: Option<i32>,
    /// Store view the account is created in (default: the website's default store view).
    store_id: Option<i32>,
    /// Customer group (default: the configured default group).
    group_id: Option<i32>,
    /// Sign-in email.
    email: String,
    /// Name prefix.
    prefix: Option<String>,
    /// First name.
    firstname: String,
    /// Middle name or initial.
    middlename: Option<String>,
    /// Last name.
    lastname: String,
    /// Name suffix.
    suffix: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    dob: Option<String>,
    /// Tax/VAT number.
    taxvat: Option<String>,
    /// Gender: 1 male, 2 female, 3 not specified.
    gender: Option<i32>,
    /// Whether the account may sign in (default true).
    is_active: Option<bool>,
    /// Consent to Login as Customer (default false).
    allow_remote_shopping_assistance: Option<bool>,
    /// Disable VAT-based automatic group changes (default from configuration).
    disable_auto_group_change: Option<bool>,
    /// Custom attribute values; attributes left out get their default.
    custom_attributes: Option<Vec<ValueInputObject>>,
    /// Send the welcome email of the account's store view (default true); false creates the
    /// account without telling the customer (a migration, an account set up for later).
    send_welcome_email: Option<bool>,
}

/// Input of `updateCustomer`; omitted fields keep their value, an empty string clears an
/// optional text.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateCustomerInput {
    /// Refuse the change (CONFLICT) unless the customer is still at this version.
    expected_version: Option<i32>,
    /// New website.
    website_id: Option<i32>,
    /// New group.
    group_id: Option<i32>,
    /// New email.
    email: Option<String>,
    /// New prefix.
    prefix: Option<String>,
    /// New first name.
    firstname: Option<String>,
    /// New middle name.
    middlename: Option<String>,
    /// New last name.
    lastname: Option<String>,
    /// New suffix.
    suffix: Option<String>,
    /// New date of birth, `YYYY-MM-DD` (empty clears it).
    dob: Option<String>,
    /// New tax/VAT number.
    taxvat: Option<String>,
    /// New gender (0 clears it).
    gender: Option<i32>,
    /// Activate or deactivate.
    is_active: Option<bool>,
    /// Consent to Login as Customer.
    allow_remote_shopping_assistance: Option<bool>,
    /// Disable VAT-based automatic group changes.
    disable_auto_group_change: Option<bool>,
    /// Custom attribute values to set (an empty value removes one).
    custom_attributes: Option<Vec<ValueInputObject>>,
}

/// An address as entered; on update, omitted fields keep their value.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerAddressInput {
    /// Name prefix.
    prefix: Option<String>,
    /// First name (default: the customer's).
    firstname: Option<String>,
    /// Middle name.
    middlename: Option<String>,
    /// Last name (default: the customer's).
    lastname: Option<String>,
    /// Name suffix.
    suffix: Option<String>,
    /// Company.
    company: Option<String>,
    /// Street lines (at most the configured number).
    street: Option<Vec<String>>,
    /// City.
    city: Option<String>,
    /// Region name.
    region: Option<String>,
    /// Region code, Magento's where Magento's directory has the country (`TX`, `BER`), the ISO
    /// 3166-2 subdivision code otherwise; the name is filled in.
    region_code: Option<String>,
    /// Postcode.
    postcode: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    country_code: Option<String>,
    /// Telephone.
    telephone: Option<String>,
    /// Fax.
    fax: Option<String>,
    /// Address-level VAT number.
    vat_id: Option<String>,
    /// Make it the default billing address (false stops it being the default).
    default_billing: Option<bool>,
    /// Make it the default shipping address (false stops it being the default).
    default_shipping: Option<bool>,
    /// Custom attribute values (on create, attributes left out get their default).
    custom_attributes: Option<Vec<ValueInputObject>>,
}

impl CustomerAddressInput {
    fn into_domain(mut self) -> async_graphql::Result<AddressInput> {
        let custom = match self.custom_attributes.take() {
            Some(inputs) => Some(value_inputs(Some(inputs))?),
            None => None,
        };
        Ok(AddressInput {
            custom_attributes: custom,
            ..AddressInput::from(self)
        })
    }
}

impl From<CustomerAddressInput> for AddressInput {
    fn from(i: CustomerAddressInput) -> Self {
        Self {
            custom_attributes: None,
            prefix: i.prefix,
            firstname: i.firstname,
            middlename: i.middlename,
            lastname: i.lastname,
            suffix: i.suffix,
            company: i.company,
            street: i.street,
            city: i.city,
            region: i.region,
            region_code: i.region_code,
            postcode: i.postcode,
            country_code: i.country_code,
            telephone: i.telephone,
            fax: i.fax,
            vat_id: i.vat_id,
            default_billing: i.default_billing,
            default_shipping: i.default_shipping,
        }
    }
}

/// An address with its custom attribute values read back.
async fn address_with_values(
    services: &Services,
    address: Address,
) -> async_graphql::Result<AddressObject> {
    let values = services
        .customers
        .attribute_values(AttributeEntity::Address, &[address.id])
        .await
        .admin()?
        .remove(&address.id)
        .unwrap_or_default();
    Ok(AddressObject::with_values(address, values))
}

/// Limits a grid query to the websites of the caller's role.
pub(crate) fn scoped(mut query: GridQuery, scope: Option<Vec<i32>>) -> GridQuery {
    if let Some(scope) = scope {
        query.website_ids = Some(match query.website_ids.take() {
            Some(asked) => asked.into_iter().filter(|w| scope.contains(w)).collect(),
            None => scope,
        });
    }
    query
}

/// A customer the caller may see: customers of websites outside the role's scope are NOT_FOUND,
/// exactly like customers that do not exist.
pub(crate) async fn visible_customer(
    ctx: &Context<'_>,
    id: i32,
) -> async_graphql::Result<Customer> {
    let services = ctx.data::<Services>()?;
    let customer = services.customers.get(id).await.admin()?;
    match website_scope(ctx)? {
        Some(scope) if !scope.contains(&customer.website_id) => {
            Err(to_admin(Error::not_found("Customer", id)))
        }
        _ => Ok(customer),
    }
}

fn encode_cursor(id: i32) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("id:{id}"))
}

fn decode_cursor(cursor: &str) -> async_graphql::Result<i32> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("id:").and_then(|id| id.parse().ok()))
        .ok_or_else(|| to_admin(Error::invalid("after", "The cursor is not valid.")))
}

fn parse_date(field: &str, text: &str) -> async_graphql::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        to_admin(Error::invalid(
            field,
            format!("\"{text}\" is not a date; use YYYY-MM-DD."),
        ))
    })
}

fn parse_gender(code: i32) -> async_graphql::Result<Gender> {
    i16::try_from(code)
        .ok()
        .and_then(Gender::from_code)
        .ok_or_else(|| to_admin(Error::invalid("gender", "\"Gender\" must be 1, 2 or 3.")))
}

pub(crate) fn grid_query(
    search: Option<String>,
    f: CustomerGridFilterInput,
) -> async_graphql::Result<GridQuery> {
    let text = |t: Option<TextFilterInput>| t.and_then(|t| t.matches.or(t.eq));
    let genders = match f.gender {
        Some(g) => Some(
            g.ids()
                .into_iter()
                .map(|code| parse_gender(code).map(Gender::code))
                .collect::<async_graphql::Result<Vec<_>>>()?,
        ),
        None => None,
    };
    Ok(GridQuery {
        keyword: search.filter(|s| !s.trim().is_empty()),
        id_from: f.id.as_ref().and_then(|r| r.from),
        id_to: f.id.as_ref().and_then(|r| r.to),
        name: text(f.name),
        email: text(f.email),
        group_ids: f.group_id.map(|g| g.ids()),
        website_ids: f.website_id.map(|g| g.ids()),
        telephone: text(f.telephone),
        postcode: text(f.postcode),
        country_codes: f.country_code.map(|c| c.any_of),
        region: text(f.region),
        city: text(f.city),
        company: text(f.company),
        taxvat: text(f.taxvat),
        genders,
        is_active: f.is_active,
        created_from: f.created_at.as_ref().and_then(|r| r.from),
        created_to: f.created_at.as_ref().and_then(|r| r.to),
        dob_from: match f.dob.as_ref().and_then(|r| r.from.as_deref()) {
            Some(d) => Some(parse_date("dob.from", d)?),
            None => None,
        },
        dob_to: match f.dob.as_ref().and_then(|r| r.to.as_deref()) {
            Some(d) => Some(parse_date("dob.to", d)?),
            None => None,
        },
        after_id: None,
        attributes: f
            .custom_attributes
            .unwrap_or_default()
            .into_iter()
            .map(CustomAttributeFilterInput::into_filter)
            .collect::<async_graphql::Result<_>>()?,
    })
}

fn grid_sort(sort: Option<CustomerGridSortInput>) -> GridSort {
    let Some(sort) = sort else {
        return GridSort::default();
    };
    let field = sort.field.into();
    GridSort {
        field,
        descending: sort.direction == Some(SortEnum::Desc),
        attribute_code: sort.attribute_code,
    }
}

/// Customer queries.
#[derive(Default)]
pub(crate) struct CustomerQuery;

#[Object]
impl CustomerQuery {
    /// The Customers grid: keyword search, filters, sort, page. Always fresh.
    #[graphql(
        guard = "Needs(&[acl::ALL_CUSTOMERS])",
        complexity = "list_cost(page_size, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)] // each argument is a GraphQL argument of the grid
    async fn customers(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Words that must all appear in the name, email, tax/VAT number or default billing address."
        )]
        search: Option<String>,
        filter: Option<CustomerGridFilterInput>,
        sort: Option<CustomerGridSortInput>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
        #[graphql(
            desc = "Cursor from `end_cursor`: continue after it (ID sort only; `currentPage` is ignored)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Customers> {
        let services = ctx.data::<Services>()?;
        let mut query = scoped(
            grid_query(search, filter.unwrap_or_default())?,
            website_scope(ctx)?,
        );
        query.after_id = match after.as_deref() {
            Some(cursor) => Some(decode_cursor(cursor)?),
            None => None,
        };
        let by_id = sort
            .as_ref()
            .is_none_or(|s| s.field == CustomerGridSortField::Id);
        let request = page_request(page_size, current_page)?;
        let look = ctx.look_ahead();
        let wants_total = look.field("total_count").exists() || look.field("page_info").exists();
        // Counting every match is the costly part of a page; skip it when nobody asked.
        let page = if wants_total {
            services
                .customers
                .grid(&query, grid_sort(sort), request)
                .await
                .admin()?
        } else {
            clientele_kernel::Page {
                items: services
                    .customers
                    .grid_items(&query, grid_sort(sort), request)
                    .await
                    .admin()?,
                total_count: 0,
                request,
            }
        };
        let full_page = page.items.len() as u64 == page.request.page_size;
        let end_cursor = page
            .items
            .last()
            .filter(|_| by_id && full_page)
            .map(|c| encode_cursor(c.id));
        let ids: Vec<i32> = page.items.iter().map(|c| c.id).collect();
        loaders(ctx)?
            .prime_customers(look.field("items"), &ids)
            .await?;
        Ok(Customers {
            page_info: SearchResultPageInfo::of(&page),
            total_count: page.total_count as i64,
            items: page.items.into_iter().map(CustomerObject).collect(),
            end_cursor,
        })
    }

    /// One customer.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn customer(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<CustomerObject> {
        Ok(visible_customer(ctx, id).await?.into())
    }
}

/// Customer mutations.
#[derive(Default)]
pub(crate) struct CustomerMutation;

#[Object]
impl CustomerMutation {
    /// Creates a customer account.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerInput,
    ) -> async_graphql::Result<CustomerObject> {
        let services = ctx.data::<Services>()?;
        let website_id = match input.website_id {
            Some(id) => id,
            None => services.stores.default_view().await.admin()?.website_id,
        };
        require_website(ctx, website_id)?;
        let new = NewCustomer {
            website_id: input.website_id,
            store_id: input.store_id,
            group_id: input.group_id,
            email: input.email,
            prefix: input.prefix,
            firstname: input.firstname,
            middlename: input.middlename,
            lastname: input.lastname,
            suffix: input.suffix,
            dob: match input.dob.as_deref().filter(|d| !d.trim().is_empty()) {
                Some(d) => Some(parse_date("dob", d)?),
                None => None,
            },
            taxvat: input.taxvat,
            gender: match input.gender {
                Some(g) => Some(parse_gender(g)?),
                None => None,
            },
            is_active: input.is_active,
            allow_remote_shopping_assistance: input.allow_remote_shopping_assistance,
            disable_auto_group_change: input.disable_auto_group_change,
            custom_attributes: value_inputs(input.custom_attributes)?,
            send_welcome_email: input.send_welcome_email,
        };
        Ok(services.customers.create(new).await.admin()?.into())
    }

    /// Changes a customer account.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateCustomerInput,
    ) -> async_graphql::Result<CustomerObject> {
        let before = visible_customer(ctx, id).await?;
        if let Some(website_id) = input.website_id {
            require_website(ctx, website_id)?;
        }
        let services = ctx.data::<Services>()?;
        let consent = input
            .allow_remote_shopping_assistance
            .filter(|allow| *allow != before.allow_remote_shopping_assistance);
        let clearable = |v: Option<String>| v.map(|s| Some(s).filter(|s| !s.trim().is_empty()));
        let patch = CustomerPatch {
            expected_version: input.expected_version,
            website_id: input.website_id,
            group_id: input.group_id,
            email: input.email,
            prefix: clearable(input.prefix),
            firstname: input.firstname,
            middlename: clearable(input.middlename),
            lastname: input.lastname,
            suffix: clearable(input.suffix),
            dob: match input.dob {
                Some(d) if d.trim().is_empty() => Some(None),
                Some(d) => Some(Some(parse_date("dob", &d)?)),
                None => None,
            },
            taxvat: clearable(input.taxvat),
            gender: match input.gender {
                Some(0) => Some(None),
                Some(g) => Some(Some(parse_gender(g)?)),
                None => None,
            },
            is_active: input.is_active,
            allow_remote_shopping_assistance: input.allow_remote_shopping_assistance,
            disable_auto_group_change: input.disable_auto_group_change,
            custom_attributes: value_inputs(input.custom_attributes)?,
            kept_session: None,
        };
        let updated = services.customers.update(id, patch).await.admin()?;
        // Consent given or withdrawn by staff on the customer's behalf goes to the Login as
        // Customer log, next to the sessions it allows.
        if let Some(granted) = consent {
            let ip = ctx.data_opt::<ClientInfo>().map(|c| c.ip.clone());
            if let Err(error) = services
                .assistance
                .record_consent_change(actor(ctx)?, &updated, granted, ip)
                .await
            {
                tracing::error!(?error, customer_id = id, "could not log a consent change");
            }
        }
        Ok(updated.into())
    }

    /// Deletes a customer account and its address book.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn delete_customer(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<bool> {
        visible_customer(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        services.customers.delete(id).await.admin()?;
        Ok(true)
    }

    /// Clears a customer's sign-in lockout.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn unlock_customer(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<CustomerObject> {
        visible_customer(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        Ok(services.customers.unlock(id).await.admin()?.into())
    }

    /// Adds an address to a customer's address book.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn create_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
        input: CustomerAddressInput,
    ) -> async_graphql::Result<AddressObject> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        let address = services
            .customers
            .add_address(customer_id, input.into_domain()?)
            .await
            .admin()?;
        address_with_values(services, address).await
    }

    /// Changes an address of a customer's address book.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn update_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
        id: i32,
        input: CustomerAddressInput,
    ) -> async_graphql::Result<AddressObject> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        let address = services
            .customers
            .update_address(customer_id, id, input.into_domain()?)
            .await
            .admin()?;
        address_with_values(services, address).await
    }

    /// Deletes an address of a customer's address book.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn delete_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
        id: i32,
    ) -> async_graphql::Result<bool> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        services
            .customers
            .delete_address(customer_id, id)
            .await
            .admin()?;
        Ok(true)
    }

    /// Subscribes a customer to the newsletter (in `storeId`, or the account's store view).
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn subscribe_customer_to_newsletter(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
        store_id: Option<i32>,
    ) -> async_graphql::Result<Vec<NewsletterSubscription>> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        let subs = services
            .customers
            .subscribe(customer_id, store_id)
            .await
            .admin()?;
        Ok(subs.into_iter().map(Into::into).collect())
    }

    /// Ends every active newsletter subscription of a customer.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn unsubscribe_customer_from_newsletter(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
    ) -> async_graphql::Result<Vec<NewsletterSubscription>> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        let subs = services.customers.unsubscribe(customer_id).await.admin()?;
        Ok(subs.into_iter().map(Into::into).collect())
    }

    /// Mass action: assigns a customer group.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn mass_assign_customer_group(
        &self,
        ctx: &Context<'_>,
        input: MassAssignCustomerGroupInput,
    ) -> async_graphql::Result<MassActionResult> {
        let services = ctx.data::<Services>()?;
        let selection = input.selection.selection(website_scope(ctx)?)?;
        let all = input.all_or_nothing.unwrap_or(false);
        let outcome = services
            .customers
            .mass_assign_group(&selection, input.group_id, all)
            .await
            .admin()?;
        Ok(outcome.into())
    }

    /// Mass action: deletes customers (cannot be undone).
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn mass_delete_customers(
        &self,
        ctx: &Context<'_>,
        input: CustomerMassActionInput,
    ) -> async_graphql::Result<MassActionResult> {
        let services = ctx.data::<Services>()?;
        let selection = input.selection.selection(website_scope(ctx)?)?;
        let all = input.all_or_nothing.unwrap_or(false);
        Ok(services
            .customers
            .mass_delete(&selection, all)
            .await
            .admin()?
            .into())
    }

    /// Mass action: subscribes customers to the newsletter.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn mass_subscribe_customers(
        &self,
        ctx: &Context<'_>,
        input: CustomerMassActionInput,
    ) -> async_graphql::Result<MassActionResult> {
        let services = ctx.data::<Services>()?;
        let selection = input.selection.selection(website_scope(ctx)?)?;
        let all = input.all_or_nothing.unwrap_or(false);
        Ok(services
            .customers
            .mass_subscribe(&selection, all)
            .await
            .admin()?
            .into())
    }

    /// Mass action: ends every active newsletter subscription of the customers.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn mass_unsubscribe_customers(
        &self,
        ctx: &Context<'_>,
        input: CustomerMassActionInput,
    ) -> async_graphql::Result<MassActionResult> {
        let services = ctx.data::<Services>()?;
        let selection = input.selection.selection(website_scope(ctx)?)?;
        let all = input.all_or_nothing.unwrap_or(false);
        Ok(services
            .customers
            .mass_unsubscribe(&selection, all)
            .await
            .admin()?
            .into())
    }
}
