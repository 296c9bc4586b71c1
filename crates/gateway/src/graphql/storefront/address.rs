//! The shopper's address book: `Customer.addresses`, `Customer.addressesV2` and the address
//! mutations in both their numeric-id (deprecated, still used) and `uid` forms.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use clientele_customers::{Address, AddressInput, AttributeEntity, AttributeValue, Form};
use clientele_kernel::paging::MAX_PAGE_SIZE;
use clientele_kernel::{Error, PageRequest, Rule};

use super::account::AttributeValueInputObject;
use super::attributes::{AttributeValueInterface, form_values, storefront_values, visible_values};
use super::country_code::CountryCodeEnum;
use super::customer::{Customer, current_customer};
use super::error::{StorefrontResult, category, storefront_error, to_storefront};
use crate::graphql::uid::{decode_uid, encode_uid};
use crate::services::Services;

/// Contains detailed information about a customer's billing or shipping address.
pub struct CustomerAddress {
    address: Address,
    custom: Vec<AttributeValue>,
}

/// Defines the customer's state or province.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerAddressRegion {
    /// The address region code.
    region_code: Option<String>,
    /// The state or province name.
    region: Option<String>,
    /// The unique ID for a pre-defined region.
    region_id: Option<i32>,
}

/// Specifies the attribute code and value of a customer address attribute.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerAddressAttribute {
    /// The name assigned to the customer address attribute.
    attribute_code: Option<String>,
    /// The value assigned to the customer address attribute.
    value: Option<String>,
}

#[Object(rename_fields = "snake_case")]
impl CustomerAddress {
    /// The ID of a `CustomerAddress` object.
    #[graphql(deprecation = "Use `uid` instead.")]
    async fn id(&self) -> Option<i32> {
        Some(self.address.id)
    }

    /// The unique ID for a `CustomerAddress` object.
    async fn uid(&self) -> Option<ID> {
        Some(encode_uid(self.address.id))
    }

    /// The customer ID
    #[graphql(
        deprecation = "`customer_id` is not needed as part of `CustomerAddress`. The `id` is a unique identifier for the addresses."
    )]
    async fn customer_id(&self) -> Option<i32> {
        None
    }

    /// An object containing the region name, region code, and region ID.
    async fn region(&self) -> Option<CustomerAddressRegion> {
        Some(CustomerAddressRegion {
            region_code: self.address.region_code.clone(),
            region: self.address.region.clone(),
            region_id: self.region_id(),
        })
    }

    /// The unique ID for a pre-defined region.
    #[graphql(name = "region_id")]
    async fn region_id_field(&self) -> Option<i32> {
        self.region_id()
    }

    /// The customer's country.
    #[graphql(deprecation = "Use `country_code` instead.")]
    async fn country_id(&self) -> Option<&str> {
        Some(&self.address.country_code)
    }

    /// The customer's country.
    async fn country_code(&self) -> Option<CountryCodeEnum> {
        CountryCodeEnum::from_code(&self.address.country_code)
    }

    /// An array of strings that define the street number and name.
    async fn street(&self) -> Option<&[String]> {
        Some(&self.address.street)
    }

    /// The customer's company.
    async fn company(&self) -> Option<&str> {
        self.address.company.as_deref()
    }

    /// The customer's telephone number.
    async fn telephone(&self) -> Option<&str> {
        self.address.telephone.as_deref()
    }

    /// The customer's fax number.
    async fn fax(&self) -> Option<&str> {
        self.address.fax.as_deref()
    }

    /// The customer's ZIP or postal code.
    async fn postcode(&self) -> Option<&str> {
        self.address.postcode.as_deref()
    }

    /// The customer's city or town.
    async fn city(&self) -> Option<&str> {
        Some(&self.address.city)
    }

    /// The first name of the person associated with the shipping/billing address.
    async fn firstname(&self) -> Option<&str> {
        Some(&self.address.firstname)
    }

    /// The family name of the person associated with the shipping/billing address.
    async fn lastname(&self) -> Option<&str> {
        Some(&self.address.lastname)
    }

    /// The middle name of the person associated with the shipping/billing address.
    async fn middlename(&self) -> Option<&str> {
        self.address.middlename.as_deref()
    }

    /// An honorific, such as Dr., Mr., or Mrs.
    async fn prefix(&self) -> Option<&str> {
        self.address.prefix.as_deref()
    }

    /// A value such as Sr., Jr., or III.
    async fn suffix(&self) -> Option<&str> {
        self.address.suffix.as_deref()
    }

    /// The customer's Value-added tax (VAT) number (for corporate customers).
    async fn vat_id(&self) -> Option<&str> {
        self.address.vat_id.as_deref()
    }

    /// Indicates whether the address is the customer's default shipping address.
    async fn default_shipping(&self) -> Option<bool> {
        Some(self.address.default_shipping)
    }

    /// Indicates whether the address is the customer's default billing address.
    async fn default_billing(&self) -> Option<bool> {
        Some(self.address.default_billing)
    }

    /// Custom attributes assigned to the address, as code and value.
    #[graphql(deprecation = "Use custom_attributesV2 instead.")]
    async fn custom_attributes(&self) -> Option<Vec<CustomerAddressAttribute>> {
        Some(
            self.custom
                .iter()
                .map(|v| CustomerAddressAttribute {
                    attribute_code: Some(v.code.clone()),
                    value: Some(v.value.clone()),
                })
                .collect(),
        )
    }

    /// Custom attributes assigned to the customer address.
    #[graphql(name = "custom_attributesV2")]
    async fn custom_attributes_v2(
        &self,
        #[graphql(name = "attributeCodes")] attribute_codes: Option<Vec<ID>>,
    ) -> Vec<AttributeValueInterface> {
        storefront_values(
            AttributeEntity::Address,
            &self.custom,
            attribute_codes.as_deref(),
        )
    }

    /// Contains any extension attributes for the address.
    async fn extension_attributes(&self) -> Option<Vec<CustomerAddressAttribute>> {
        Some(Vec::new())
    }
}

impl CustomerAddress {
    fn region_id(&self) -> Option<i32> {
        self.address
            .region_code
            .as_deref()
            .and_then(|code| clientele_directory::region_by_code(&self.address.country_code, code))
            .map(|r| r.id)
    }
}

/// Loads the storefront-visible custom values of `addresses`.
pub(crate) async fn with_values(
    services: &Services,
    addresses: Vec<Address>,
) -> async_graphql::Result<Vec<CustomerAddress>> {
    let ids: Vec<i32> = addresses.iter().map(|a| a.id).collect();
    let mut values = visible_values(services, AttributeEntity::Address, &ids).await?;
    Ok(addresses
        .into_iter()
        .map(|address| CustomerAddress {
            custom: values.remove(&address.id).unwrap_or_default(),
            address,
        })
        .collect())
}

/// Contains pagination metadata.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct SearchResultPageInfo {
    /// Specifies the maximum number of items to return
    page_size: Option<i32>,
    /// Specifies which page of results to return
    current_page: Option<i32>,
    /// Total pages
    total_pages: Option<i32>,
}

/// A page of the customer's addresses.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerAddresses {
    /// An array containing the customer's shipping and billing addresses.
    items: Option<Vec<CustomerAddress>>,
    /// Contains pagination metadata.
    page_info: Option<SearchResultPageInfo>,
    /// The total count of customer addresses.
    total_count: Option<i32>,
}

/// Every address of the customer, oldest first (`Customer.addresses`).
pub(crate) async fn all_addresses(
    services: &Services,
    customer_id: i32,
) -> async_graphql::Result<Vec<CustomerAddress>> {
    let mut all = Vec::new();
    for page in 1.. {
        let request = PageRequest::new(MAX_PAGE_SIZE as i64, page).storefront()?;
        let result = services
            .addresses
            .addresses(customer_id, request)
            .await
            .storefront()?;
        let last = result.items.len() < MAX_PAGE_SIZE as usize;
        all.extend(result.items);
        if last {
            break;
        }
    }
    with_values(services, all).await
}

/// One page of the customer's addresses (`Customer.addressesV2`).
/// A storefront page request, with Adobe Commerce's messages for a page or size below 1.
pub(crate) fn page_request(
    current_page: i32,
    page_size: i32,
) -> async_graphql::Result<PageRequest> {
    if page_size < 1 {
        return Err(storefront_error(
            "pageSize value must be greater than 0.",
            category::INPUT,
        ));
    }
    if current_page < 1 {
        return Err(storefront_error(
            "currentPage value must be greater than 0.",
            category::INPUT,
        ));
    }
    PageRequest::new(
        i64::from(page_size).min(MAX_PAGE_SIZE as i64),
        i64::from(current_page),
    )
    .storefront()
}

impl SearchResultPageInfo {
    /// The paging facts of `request` over `total` items.
    pub(crate) fn of(request: PageRequest, total: u64) -> Self {
        let page_size = request.page_size;
        Self {
            page_size: Some(page_size as i32),
            current_page: Some(request.current_page as i32),
            total_pages: Some(total.div_ceil(page_size.max(1)) as i32),
        }
    }
}

pub(crate) async fn address_page(
    services: &Services,
    customer_id: i32,
    current_page: i32,
    page_size: i32,
) -> async_graphql::Result<CustomerAddresses> {
    let request = page_request(current_page, page_size)?;
    let result = services
        .addresses
        .addresses(customer_id, request)
        .await
        .storefront()?;
    let total = result.total_count;
    Ok(CustomerAddresses {
        items: Some(with_values(services, result.items).await?),
        page_info: Some(SearchResultPageInfo::of(request, total)),
        total_count: Some(total as i32),
    })
}

/// Defines the customer's state or province.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerAddressRegionInput {
    /// The address region code.
    region_code: Option<String>,
    /// The state or province name.
    region: Option<String>,
    /// The unique ID for a pre-defined region.
    region_id: Option<i32>,
}

/// Specifies the attribute code and value of a customer attribute.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerAddressAttributeInput {
    /// The name assigned to the attribute.
    attribute_code: String,
    /// The value assigned to the attribute.
    value: String,
}

/// Contains details about a billing or shipping address.
#[derive(InputObject, Default)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerAddressInput {
    /// The first name of the person associated with the billing/shipping address.
    firstname: Option<String>,
    /// The family name of the person associated with the billing/shipping address.
    lastname: Option<String>,
    /// The customer's company.
    company: Option<String>,
    /// The customer's telephone number.
    telephone: Option<String>,
    /// An array of strings that define the street number and name.
    street: Option<Vec<Option<String>>>,
    /// The customer's city or town.
    city: Option<String>,
    /// An object containing the region name, region code, and region ID.
    region: Option<CustomerAddressRegionInput>,
    /// The customer's ZIP or postal code.
    postcode: Option<String>,
    /// The two-letter code representing the customer's country.
    #[graphql(deprecation = "Use `country_code` instead.")]
    country_id: Option<CountryCodeEnum>,
    /// The two-letter code representing the customer's country.
    country_code: Option<CountryCodeEnum>,
    /// Indicates whether the address is the default shipping address.
    default_shipping: Option<bool>,
    /// Indicates whether the address is the default billing address.
    default_billing: Option<bool>,
    /// The customer's fax number.
    fax: Option<String>,
    /// The middle name of the person associated with the billing/shipping address.
    middlename: Option<String>,
    /// An honorific, such as Dr., Mr., or Mrs.
    prefix: Option<String>,
    /// A value such as Sr., Jr., or III.
    suffix: Option<String>,
    /// The customer's Tax/VAT number (for corporate customers).
    vat_id: Option<String>,
    /// Deprecated: Custom attributes assigned to the customer address.
    #[graphql(deprecation = "Use custom_attributesV2 instead.")]
    custom_attributes: Option<Vec<Option<CustomerAddressAttributeInput>>>,
    /// Custom attributes assigned to the customer address.
    #[graphql(name = "custom_attributesV2")]
    custom_attributes_v2: Option<Vec<Option<AttributeValueInputObject>>>,
}

impl CustomerAddressInput {
    fn is_empty(&self) -> bool {
        self.firstname.is_none()
            && self.lastname.is_none()
            && self.company.is_none()
            && self.telephone.is_none()
            && self.street.is_none()
            && self.city.is_none()
            && self.region.is_none()
            && self.postcode.is_none()
            && self.country_id.is_none()
            && self.country_code.is_none()
            && self.default_shipping.is_none()
            && self.default_billing.is_none()
            && self.fax.is_none()
            && self.middlename.is_none()
            && self.prefix.is_none()
            && self.suffix.is_none()
            && self.vat_id.is_none()
            && self.custom_attributes.is_none()
            && self.custom_attributes_v2.is_none()
    }

    /// The domain input; `creating` requires the fields Adobe Commerce requires of every address.
    async fn into_domain(
        self,
        services: &Services,
        creating: bool,
    ) -> async_graphql::Result<AddressInput> {
        if creating {
            let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
            let mut missing = Vec::new();
            if blank(&self.firstname) {
                missing.push("firstname");
            }
            if blank(&self.lastname) {
                missing.push("lastname");
            }
            if self.country_code.or(self.country_id).is_none() {
                missing.push("country_id");
            }
            if !missing.is_empty() {
                return Err(missing_error(&missing.join(", ")));
            }
        }
        let country = self.country_code.or(self.country_id);
        let (mut region, mut region_code) = (None, None);
        if let Some(r) = self.region {
            region = r.region;
            region_code = r.region_code;
            if let Some(id) = r.region_id.filter(|id| *id != 0) {
                let matched = clientele_directory::region_by_id(id)
                    .filter(|r| country.is_none_or(|country| country.code() == r.country));
                let Some(found) = matched else {
                    return Err(storefront_error(
                        "The region_id does not match the selected country or region",
                        category::INPUT,
                    ));
                };
                region_code = Some(found.code.clone());
            }
        }
        let mut custom: Vec<AttributeValueInputObject> = self
            .custom_attributes_v2
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect();
        custom.extend(
            self.custom_attributes
                .unwrap_or_default()
                .into_iter()
                .flatten()
                .map(|a| AttributeValueInputObject::plain(a.attribute_code, a.value)),
        );
        let form = if creating {
            Form::CustomerRegisterAddress
        } else {
            Form::CustomerAddressEdit
        };
        let custom_attributes = if custom.is_empty() {
            None
        } else {
            Some(form_values(services, AttributeEntity::Address, form, Some(custom)).await?)
        };
        Ok(AddressInput {
            prefix: self.prefix,
            firstname: self.firstname,
            middlename: self.middlename,
            lastname: self.lastname,
            suffix: self.suffix,
            company: self.company,
            street: self
                .street
                .map(|lines| lines.into_iter().map(Option::unwrap_or_default).collect()),
            city: self.city,
            region,
            region_code,
            postcode: self.postcode,
            country_code: country.map(|c| c.code().to_owned()),
            telephone: self.telephone,
            fax: self.fax,
            vat_id: self.vat_id,
            default_billing: self.default_billing,
            default_shipping: self.default_shipping,
            custom_attributes,
        })
    }
}

fn missing_error(fields: &str) -> async_graphql::Error {
    storefront_error(
        format!("Required parameters are missing: {fields}"),
        category::INPUT,
    )
}

/// Address validation in Adobe Commerce's storefront words: a missing field is named by its code.
fn address_error(err: Error) -> async_graphql::Error {
    match err {
        Error::Invalid {
            field,
            rule: Rule::Required,
            ..
        } => {
            let code = if field == "country_code" {
                "country_id".to_owned()
            } else {
                field
            };
            missing_error(&code)
        }
        other => to_storefront(other),
    }
}

/// Storefront address mutations.
#[derive(Default)]
pub struct AddressMutation;

#[Object]
impl AddressMutation {
    /// Create a billing or shipping address for a customer or guest.
    async fn create_customer_address(
        &self,
        ctx: &Context<'_>,
        input: CustomerAddressInput,
    ) -> async_graphql::Result<Option<CustomerAddress>> {
        let customer_id = current_customer(ctx)?;
        // Locked and unconfirmed accounts are refused, as for every account operation.
        Customer::load(ctx).await?;
        if input.is_empty() {
            return Err(storefront_error(
                "\"input\" value should be specified",
                category::INPUT,
            ));
        }
        let services = ctx.data::<Services>()?;
        let input = input.into_domain(services, true).await?;
        let address = services
            .addresses
            .add_address(customer_id, input)
            .await
            .map_err(address_error)?;
        Ok(with_values(services, vec![address]).await?.pop())
    }

    /// Update the billing or shipping address of a customer or guest.
    #[graphql(deprecation = "Use `updateCustomerAddressV2` instead.")]
    async fn update_customer_address(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The ID assigned to the customer address.")] id: i32,
        #[graphql(desc = "An input object that contains changes to the customer address.")]
        input: Option<CustomerAddressInput>,
    ) -> async_graphql::Result<Option<CustomerAddress>> {
        let customer_id = current_customer(ctx)?;
        // Locked and unconfirmed accounts are refused, as for every account operation.
        Customer::load(ctx).await?;
        if id == 0 {
            return Err(storefront_error(
                "Address \"id\" value must be specified",
                category::INPUT,
            ));
        }
        let input = input.filter(|i| !i.is_empty()).ok_or_else(|| {
            storefront_error("\"input\" value must be specified", category::INPUT)
        })?;
        let services = ctx.data::<Services>()?;
        owned_v1(services, customer_id, id).await?;
        update(services, customer_id, id, input).await.map(Some)
    }

    /// Update the billing or shipping address of a customer or guest.
    async fn update_customer_address_v2(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unique ID of the customer address.")] uid: ID,
        #[graphql(desc = "An input object that contains changes to the customer address.")]
        input: Option<CustomerAddressInput>,
    ) -> async_graphql::Result<Option<CustomerAddress>> {
        let customer_id = current_customer(ctx)?;
        // Locked and unconfirmed accounts are refused, as for every account operation.
        Customer::load(ctx).await?;
        let id = address_uid(&uid)?;
        let input = input.filter(|i| !i.is_empty()).ok_or_else(|| {
            storefront_error("\"input\" value must be specified", category::INPUT)
        })?;
        let services = ctx.data::<Services>()?;
        owned_v2(services, customer_id, id).await?;
        update(services, customer_id, id, input).await.map(Some)
    }

    /// Delete the billing or shipping address of a customer.
    #[graphql(deprecation = "Use `deleteCustomerAddressV2` instead.")]
    async fn delete_customer_address(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The ID of the customer address to be deleted.")] id: i32,
    ) -> async_graphql::Result<Option<bool>> {
        let customer_id = current_customer(ctx)?;
        // Locked and unconfirmed accounts are refused, as for every account operation.
        Customer::load(ctx).await?;
        let services = ctx.data::<Services>()?;
        let address = owned_v1(services, customer_id, id).await?;
        refuse_default(&address, &format!("Customer Address {id}"))?;
        delete(services, customer_id, id).await
    }

    /// Delete the billing or shipping address of a customer.
    async fn delete_customer_address_v2(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unique ID of the customer address to be deleted.")] uid: ID,
    ) -> async_graphql::Result<Option<bool>> {
        let customer_id = current_customer(ctx)?;
        // Locked and unconfirmed accounts are refused, as for every account operation.
        Customer::load(ctx).await?;
        let id = address_uid(&uid)?;
        let services = ctx.data::<Services>()?;
        let address = owned_v2(services, customer_id, id).await?;
        refuse_default(&address, "Customer Address with the specified ID")?;
        delete(services, customer_id, id).await
    }
}

fn address_uid(uid: &ID) -> async_graphql::Result<i32> {
    if uid.trim().is_empty() {
        return Err(storefront_error(
            "Address \"uid\" value must be specified",
            category::INPUT,
        ));
    }
    decode_uid(uid).ok_or_else(|| {
        storefront_error(
            format!("Value of uid \"{}\" is incorrect.", uid.as_str()),
            category::INPUT,
        )
    })
}

/// The address, if it exists and is the customer's, or the errors of the numeric-id mutations.
async fn owned_v1(
    services: &Services,
    customer_id: i32,
    id: i32,
) -> async_graphql::Result<Address> {
    match services.addresses.address_owner(id).await.storefront()? {
        None => Err(storefront_error(
            format!("Could not find a address with ID \"{id}\""),
            category::NO_SUCH_ENTITY,
        )),
        Some(owner) if owner != customer_id => Err(storefront_error(
            format!("Current customer does not have permission to address with ID \"{id}\""),
            category::AUTHORIZATION,
        )),
        Some(_) => services
            .addresses
            .address(customer_id, id)
            .await
            .storefront(),
    }
}

/// The address, if it exists and is the customer's, or the errors of the uid mutations.
async fn owned_v2(
    services: &Services,
    customer_id: i32,
    id: i32,
) -> async_graphql::Result<Address> {
    match services.addresses.address_owner(id).await.storefront()? {
        None => Err(storefront_error(
            "Could not find an address with the specified ID",
            category::NO_SUCH_ENTITY,
        )),
        Some(owner) if owner != customer_id => Err(storefront_error(
            "Current customer does not have permission to get address with the specified ID",
            category::AUTHORIZATION,
        )),
        Some(_) => services
            .addresses
            .address(customer_id, id)
            .await
            .storefront(),
    }
}

/// Shoppers cannot delete a default address (staff can).
fn refuse_default(address: &Address, named: &str) -> async_graphql::Result<()> {
    let kind = if address.default_billing {
        "billing"
    } else if address.default_shipping {
        "shipping"
    } else {
        return Ok(());
    };
    Err(storefront_error(
        format!("{named} is set as default {kind} address and can not be deleted"),
        category::INPUT,
    ))
}

async fn update(
    services: &Services,
    customer_id: i32,
    id: i32,
    input: CustomerAddressInput,
) -> async_graphql::Result<CustomerAddress> {
    let input = input.into_domain(services, false).await?;
    let address = services
        .addresses
        .update_address(customer_id, id, input)
        .await
        .map_err(address_error)?;
    with_values(services, vec![address])
        .await?
        .pop()
        .ok_or_else(|| storefront_error("Internal server error", category::INTERNAL))
}

async fn delete(
    services: &Services,
    customer_id: i32,
    id: i32,
) -> async_graphql::Result<Option<bool>> {
    services
        .addresses
        .delete_address(customer_id, id)
        .await
        .storefront()?;
    Ok(Some(true))
}
