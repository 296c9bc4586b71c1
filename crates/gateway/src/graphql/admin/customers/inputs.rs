//! What the admin API takes to change customers and to page, sort and select them.

use async_graphql::InputObject;
use clientele_customers::{AddressInput, GridSort, GridSortField, Selection};
use clientele_kernel::Error;

use crate::graphql::admin::attributes::{ValueInputObject, value_inputs};
use crate::graphql::admin::common::SortEnum;
use crate::graphql::admin::error::{AdminResult, to_admin};

use crate::grid_filter::{CustomerGridFilterInput, grid_query, scoped};

/// Which customers a mass action applies to: `ids`, or everything matching `search` and `filter`
/// (an empty `filter: {}` selects every customer).
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerSelectionInput {
    /// Selected customer ids.
    pub(crate) ids: Option<Vec<i32>>,
    /// Keyword search of the grid.
    pub(crate) search: Option<String>,
    /// Filters of the grid.
    pub(crate) filter: Option<CustomerGridFilterInput>,
}

impl CustomerSelectionInput {
    /// The customers selected, within the websites of `scope` (the caller's role).
    pub(crate) fn selection(self, scope: Option<Vec<i32>>) -> async_graphql::Result<Selection> {
        match (self.ids, self.search, self.filter) {
            (Some(ids), None, None) => Ok(Selection::Ids {
                ids,
                websites: scope,
            }),
            (None, search, filter) if search.is_some() || filter.is_some() => {
                let query = grid_query(search, filter.unwrap_or_default()).admin()?;
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
    pub(crate) selection: CustomerSelectionInput,
    /// When true, a single failing row means nothing changes (default false).
    pub(crate) all_or_nothing: Option<bool>,
}

/// Input of `massAssignCustomerGroup`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct MassAssignCustomerGroupInput {
    /// Which customers.
    pub(crate) selection: CustomerSelectionInput,
    /// The group to assign.
    pub(crate) group_id: i32,
    /// When true, a single failing row means nothing changes (default false).
    pub(crate) all_or_nothing: Option<bool>,
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
    pub(crate) field: CustomerGridSortField,
    /// Direction (default ASC).
    pub(crate) direction: Option<SortEnum>,
    /// With `field: ATTRIBUTE`: the attribute code.
    pub(crate) attribute_code: Option<String>,
}

/// Input of `createCustomer`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateCustomerInput {
    /// Website (default: the default website).
    pub(crate) website_id: Option<i32>,
    /// Store view the account is created in (default: the website's default store view).
    pub(crate) store_id: Option<i32>,
    /// Customer group (default: the configured default group).
    pub(crate) group_id: Option<i32>,
    /// Sign-in email.
    pub(crate) email: String,
    /// Name prefix.
    pub(crate) prefix: Option<String>,
    /// First name.
    pub(crate) firstname: String,
    /// Middle name or initial.
    pub(crate) middlename: Option<String>,
    /// Last name.
    pub(crate) lastname: String,
    /// Name suffix.
    pub(crate) suffix: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    pub(crate) dob: Option<String>,
    /// Tax/VAT number.
    pub(crate) taxvat: Option<String>,
    /// Gender: 1 male, 2 female, 3 not specified.
    pub(crate) gender: Option<i32>,
    /// Whether the account may sign in (default true).
    pub(crate) is_active: Option<bool>,
    /// Consent to Login as Customer (default false).
    pub(crate) allow_remote_shopping_assistance: Option<bool>,
    /// Disable VAT-based automatic group changes (default from configuration).
    pub(crate) disable_auto_group_change: Option<bool>,
    /// Custom attribute values; attributes left out get their default.
    pub(crate) custom_attributes: Option<Vec<ValueInputObject>>,
    /// Send the welcome email of the account's store view (default true); false creates the
    /// account without telling the customer (a migration, an account set up for later).
    pub(crate) send_welcome_email: Option<bool>,
}

/// Input of `updateCustomer`; omitted fields keep their value, an empty string clears an
/// optional text.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateCustomerInput {
    /// Refuse the change (CONFLICT) unless the customer is still at this version.
    pub(crate) expected_version: Option<i32>,
    /// New website.
    pub(crate) website_id: Option<i32>,
    /// New group.
    pub(crate) group_id: Option<i32>,
    /// New email.
    pub(crate) email: Option<String>,
    /// New prefix.
    pub(crate) prefix: Option<String>,
    /// New first name.
    pub(crate) firstname: Option<String>,
    /// New middle name.
    pub(crate) middlename: Option<String>,
    /// New last name.
    pub(crate) lastname: Option<String>,
    /// New suffix.
    pub(crate) suffix: Option<String>,
    /// New date of birth, `YYYY-MM-DD` (empty clears it).
    pub(crate) dob: Option<String>,
    /// New tax/VAT number.
    pub(crate) taxvat: Option<String>,
    /// New gender (0 clears it).
    pub(crate) gender: Option<i32>,
    /// Activate or deactivate.
    pub(crate) is_active: Option<bool>,
    /// Consent to Login as Customer.
    pub(crate) allow_remote_shopping_assistance: Option<bool>,
    /// Disable VAT-based automatic group changes.
    pub(crate) disable_auto_group_change: Option<bool>,
    /// Custom attribute values to set (an empty value removes one).
    pub(crate) custom_attributes: Option<Vec<ValueInputObject>>,
}

/// An address as entered; on update, omitted fields keep their value.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerAddressInput {
    /// Name prefix.
    pub(crate) prefix: Option<String>,
    /// First name (default: the customer's).
    pub(crate) firstname: Option<String>,
    /// Middle name.
    pub(crate) middlename: Option<String>,
    /// Last name (default: the customer's).
    pub(crate) lastname: Option<String>,
    /// Name suffix.
    pub(crate) suffix: Option<String>,
    /// Company.
    pub(crate) company: Option<String>,
    /// Street lines (at most the configured number).
    pub(crate) street: Option<Vec<String>>,
    /// City.
    pub(crate) city: Option<String>,
    /// Region name.
    pub(crate) region: Option<String>,
    /// Region code, Magento's where Magento's directory has the country (`TX`, `BER`), the ISO
    /// 3166-2 subdivision code otherwise; the name is filled in.
    pub(crate) region_code: Option<String>,
    /// Postcode.
    pub(crate) postcode: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub(crate) country_code: Option<String>,
    /// Telephone.
    pub(crate) telephone: Option<String>,
    /// Fax.
    pub(crate) fax: Option<String>,
    /// Address-level VAT number.
    pub(crate) vat_id: Option<String>,
    /// Make it the default billing address (false stops it being the default).
    pub(crate) default_billing: Option<bool>,
    /// Make it the default shipping address (false stops it being the default).
    pub(crate) default_shipping: Option<bool>,
    /// Custom attribute values (on create, attributes left out get their default).
    pub(crate) custom_attributes: Option<Vec<ValueInputObject>>,
}

impl CustomerAddressInput {
    /// The domain's address input, with the custom attribute values checked.
    pub(crate) fn into_domain(mut self) -> async_graphql::Result<AddressInput> {
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

/// The opaque grid cursor that continues after customer `id`.
pub(crate) fn encode_cursor(id: i32) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("id:{id}"))
}

/// The customer id a grid cursor continues after.
pub(crate) fn decode_cursor(cursor: &str) -> async_graphql::Result<i32> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("id:").and_then(|id| id.parse().ok()))
        .ok_or_else(|| to_admin(Error::invalid("after", "The cursor is not valid.")))
}

/// The domain's grid order for `sort` (by id when absent).
pub(crate) fn grid_sort(sort: Option<CustomerGridSortInput>) -> GridSort {
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
