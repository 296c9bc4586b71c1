//! Custom customer and address attributes (Stores > Attributes > Customer / Customer Address).

use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use clientele_customers::{
    Attribute, AttributeDefinition, AttributeEntity, AttributeOption, AttributeValue,
    AttributeValueInput, FilterCondition, Form, InputFilter, InputType, OptionInput, StoreLabel,
    Validation,
};
use clientele_kernel::Error;
use clientele_staff::acl;

use super::error::{AdminResult, to_admin};
use super::guard::{Needs, require_resource};
use crate::services::Services;

mirror!(
    /// Which records an attribute describes.
    CustomerAttributeEntityEnum => AttributeEntity {
        /// Customer accounts.
        Customer,
        /// Addresses.
        Address,
    }
);

mirror!(
    /// How a value is entered.
    AttributeInputTypeEnum => InputType {
        /// Text Field.
        Text,
        /// Text Area.
        TextArea,
        /// Multiple Line (2-20 lines).
        Multiline,
        /// Date.
        Date,
        /// Yes/No.
        Boolean,
        /// Dropdown.
        Select,
        /// Multiple Select.
        Multiselect,
        /// File (attachment): a path or URL.
        File,
        /// Image File: a path or URL.
        Image,
    }
);

mirror!(
    /// Input Validation of text inputs.
    AttributeValidationEnum => Validation {
        /// Anything.
        None,
        /// 0-9, a-z, A-Z.
        Alphanumeric,
        /// 0-9, a-z, A-Z and spaces.
        AlphanumericWithSpaces,
        /// 0-9.
        Numeric,
        /// a-z, A-Z.
        Alpha,
        /// An http(s) URL.
        Url,
        /// An email address.
        Email,
        /// Only the length limits.
        Length,
    }
);

mirror!(
    /// Input/Output Filter of text inputs.
    AttributeInputFilterEnum => InputFilter {
        /// Kept as entered.
        None,
        /// HTML tags removed.
        StripTags,
        /// HTML special characters escaped.
        EscapeHtml,
    }
);

mirror!(
    /// Grid Filter Condition Type.
    GridFilterConditionEnum => FilterCondition {
        /// Contains.
        Partial,
        /// Starts with.
        Prefix,
        /// Equals.
        Full,
    }
);

mirror!(
    /// Forms to Use in.
    AttributeFormEnum => Form {
        /// Customer Registration.
        CustomerAccountCreate,
        /// Customer Account Edit.
        CustomerAccountEdit,
        /// Admin Checkout.
        AdminCheckout,
        /// Customer Address Registration.
        CustomerRegisterAddress,
        /// Customer Account Address.
        CustomerAddressEdit,
    }
);

/// A label in one store view.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "StoreLabelInput", rename_fields = "snake_case")]
pub(crate) struct StoreLabelObject {
    /// Store view.
    store_id: i32,
    /// Label there.
    label: String,
}

impl From<StoreLabel> for StoreLabelObject {
    fn from(l: StoreLabel) -> Self {
        Self {
            store_id: l.store_id,
            label: l.label,
        }
    }
}

impl From<StoreLabelObject> for StoreLabel {
    fn from(l: StoreLabelObject) -> Self {
        Self {
            store_id: l.store_id,
            label: l.label,
        }
    }
}

/// An option of a dropdown or multiple-select attribute.
#[derive(SimpleObject)]
#[graphql(name = "CustomerAttributeOption", rename_fields = "snake_case")]
pub(crate) struct OptionObject {
    /// Id: the stored value.
    id: i32,
    /// Admin label.
    label: String,
    /// Labels per store view.
    store_labels: Vec<StoreLabelObject>,
    /// Position.
    sort_order: i32,
    /// Selected by default on new records.
    is_default: bool,
}

impl From<AttributeOption> for OptionObject {
    fn from(o: AttributeOption) -> Self {
        Self {
            id: o.id,
            label: o.label,
            store_labels: o.store_labels.into_iter().map(Into::into).collect(),
            sort_order: o.sort_order,
            is_default: o.is_default,
        }
    }
}

/// A custom customer or address attribute.
#[derive(SimpleObject)]
#[graphql(name = "CustomerAttribute", rename_fields = "snake_case")]
pub(crate) struct AttributeObject {
    /// Id.
    id: i32,
    /// Customer or address.
    entity_type: CustomerAttributeEntityEnum,
    /// Attribute Code.
    code: String,
    /// Default Label.
    label: String,
    /// Labels per store view.
    store_labels: Vec<StoreLabelObject>,
    /// Input Type.
    input_type: AttributeInputTypeEnum,
    /// Values Required.
    is_required: bool,
    /// Default Value (option inputs: the ids of the default options).
    default_value: Option<String>,
    /// Input Validation.
    validation: AttributeValidationEnum,
    /// Minimum Text Length.
    min_length: Option<i32>,
    /// Maximum Text Length.
    max_length: Option<i32>,
    /// Lines of a multiple-line input.
    multiline_count: i32,
    /// Minimal Value of a date, `YYYY-MM-DD`.
    date_min: Option<String>,
    /// Maximum Value of a date, `YYYY-MM-DD`.
    date_max: Option<String>,
    /// Input/Output Filter.
    input_filter: AttributeInputFilterEnum,
    /// Show on Storefront.
    show_on_storefront: bool,
    /// Sort Order.
    sort_order: i32,
    /// Forms to Use in.
    used_in_forms: Vec<AttributeFormEnum>,
    /// Add to Column Options: a column of the Customers grid.
    is_used_in_grid: bool,
    /// Use in Filter Options: filterable in the Customers grid.
    is_filterable_in_grid: bool,
    /// Grid Filter Condition Type.
    grid_filter_condition: GridFilterConditionEnum,
    /// Use in Search Options: matched by the grid's keyword search.
    is_searchable_in_grid: bool,
    /// Use in Customer Segment.
    is_used_for_segment: bool,
    /// Options, by sort order.
    options: Vec<OptionObject>,
    /// Version for optimistic locking.
    version: i32,
    /// Created at.
    created_at: DateTime<Utc>,
    /// Last changed at.
    updated_at: DateTime<Utc>,
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

impl From<Attribute> for AttributeObject {
    fn from(a: Attribute) -> Self {
        Self {
            id: a.id,
            entity_type: a.entity.into(),
            code: a.code,
            label: a.label,
            store_labels: a.store_labels.into_iter().map(Into::into).collect(),
            input_type: a.input_type.into(),
            is_required: a.is_required,
            default_value: a.default_value,
            validation: a.validation.into(),
            min_length: a.min_length,
            max_length: a.max_length,
            multiline_count: a.multiline_count,
            date_min: date_text(a.date_min),
            date_max: date_text(a.date_max),
            input_filter: a.input_filter.into(),
            show_on_storefront: a.show_on_storefront,
            sort_order: a.sort_order,
            used_in_forms: a.used_in_forms.into_iter().map(Into::into).collect(),
            is_used_in_grid: a.is_used_in_grid,
            is_filterable_in_grid: a.is_filterable_in_grid,
            grid_filter_condition: a.grid_filter_condition.into(),
            is_searchable_in_grid: a.is_searchable_in_grid,
            is_used_for_segment: a.is_used_for_segment,
            options: a.options.into_iter().map(Into::into).collect(),
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// An option as entered: with `id` it keeps (and may relabel) that option, without it adds one.
#[derive(InputObject)]
#[graphql(name = "CustomerAttributeOptionInput", rename_fields = "snake_case")]
pub(crate) struct OptionInputObject {
    /// Existing option to keep.
    id: Option<i32>,
    /// Admin label.
    label: String,
    /// Labels per store view.
    store_labels: Option<Vec<StoreLabelObject>>,
    /// Position (default: the position in the list).
    sort_order: Option<i32>,
    /// Selected by default on new records.
    is_default: Option<bool>,
}

impl From<OptionInputObject> for OptionInput {
    fn from(o: OptionInputObject) -> Self {
        Self {
            id: o.id,
            label: o.label,
            store_labels: labels(o.store_labels).unwrap_or_default(),
            sort_order: o.sort_order,
            is_default: o.is_default.unwrap_or(false),
        }
    }
}

fn labels(l: Option<Vec<StoreLabelObject>>) -> Option<Vec<StoreLabel>> {
    l.map(|l| l.into_iter().map(Into::into).collect())
}

/// Input of `createCustomerAttribute`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateCustomerAttributeInput {
    /// Customer or address attribute.
    entity_type: CustomerAttributeEntityEnum,
    /// Attribute Code: a lowercase letter, then letters, digits or `_`; at most 60 characters.
    code: String,
    /// Default Label.
    label: String,
    /// Input Type (fixed once created).
    input_type: AttributeInputTypeEnum,
    /// Labels per store view.
    store_labels: Option<Vec<StoreLabelObject>>,
    /// Values Required (default false).
    is_required: Option<bool>,
    /// Default Value of non-option inputs (option inputs mark options `is_default`).
    default_value: Option<String>,
    /// Input Validation of text inputs (default NONE).
    validation: Option<AttributeValidationEnum>,
    /// Minimum Text Length.
    min_length: Option<i32>,
    /// Maximum Text Length.
    max_length: Option<i32>,
    /// Lines of a multiple-line input, 2-20 (default 2).
    multiline_count: Option<i32>,
    /// Minimal Value of a date, `YYYY-MM-DD`.
    date_min: Option<String>,
    /// Maximum Value of a date, `YYYY-MM-DD`.
    date_max: Option<String>,
    /// Input/Output Filter of text inputs (default NONE).
    input_filter: Option<AttributeInputFilterEnum>,
    /// Show on Storefront (default true).
    show_on_storefront: Option<bool>,
    /// Sort Order (default 0).
    sort_order: Option<i32>,
    /// Forms to Use in.
    used_in_forms: Option<Vec<AttributeFormEnum>>,
    /// Add to Column Options (default false).
    is_used_in_grid: Option<bool>,
    /// Use in Filter Options (default false).
    is_filterable_in_grid: Option<bool>,
    /// Grid Filter Condition Type (default PARTIAL).
    grid_filter_condition: Option<GridFilterConditionEnum>,
    /// Use in Search Options (default false).
    is_searchable_in_grid: Option<bool>,
    /// Use in Customer Segment (default false).
    is_used_for_segment: Option<bool>,
    /// Options of a dropdown or multiple select.
    options: Option<Vec<OptionInputObject>>,
}

/// Input of `updateCustomerAttribute`: omitted fields keep their value, `null` clears an optional
/// one.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateCustomerAttributeInput {
    /// Refuse the change (CONFLICT) unless the attribute is still at this version.
    expected_version: Option<i32>,
    /// Default Label.
    label: Option<String>,
    /// Labels per store view (replaces the list).
    store_labels: Option<Vec<StoreLabelObject>>,
    /// Values Required.
    is_required: Option<bool>,
    /// Default Value of non-option inputs.
    default_value: MaybeUndefined<String>,
    /// Input Validation.
    validation: Option<AttributeValidationEnum>,
    /// Minimum Text Length.
    min_length: MaybeUndefined<i32>,
    /// Maximum Text Length.
    max_length: MaybeUndefined<i32>,
    /// Lines of a multiple-line input.
    multiline_count: Option<i32>,
    /// Minimal Value of a date.
    date_min: MaybeUndefined<String>,
    /// Maximum Value of a date.
    date_max: MaybeUndefined<String>,
    /// Input/Output Filter.
    input_filter: Option<AttributeInputFilterEnum>,
    /// Show on Storefront.
    show_on_storefront: Option<bool>,
    /// Sort Order.
    sort_order: Option<i32>,
    /// Forms to Use in (replaces the list).
    used_in_forms: Option<Vec<AttributeFormEnum>>,
    /// Add to Column Options.
    is_used_in_grid: Option<bool>,
    /// Use in Filter Options.
    is_filterable_in_grid: Option<bool>,
    /// Grid Filter Condition Type.
    grid_filter_condition: Option<GridFilterConditionEnum>,
    /// Use in Search Options.
    is_searchable_in_grid: Option<bool>,
    /// Use in Customer Segment.
    is_used_for_segment: Option<bool>,
    /// Options (replaces the list; options left out are removed, and so are values using them).
    options: Option<Vec<OptionInputObject>>,
}

/// A `YYYY-MM-DD` date given in `field`, refused in the admin API's words.
fn parse_date(field: &str, text: &str) -> async_graphql::Result<NaiveDate> {
    crate::grid_filter::parse_date(field, text).admin()
}

fn maybe<T, U>(
    value: MaybeUndefined<T>,
    f: impl FnOnce(T) -> async_graphql::Result<U>,
) -> async_graphql::Result<Option<Option<U>>> {
    Ok(match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(f(v)?)),
    })
}

impl CreateCustomerAttributeInput {
    fn definition(self) -> async_graphql::Result<AttributeDefinition> {
        Ok(AttributeDefinition {
            code: Some(self.code),
            input_type: Some(self.input_type.into()),
            label: Some(self.label),
            store_labels: labels(self.store_labels),
            is_required: self.is_required,
            default_value: self.default_value.map(Some),
            validation: self.validation.map(Into::into),
            min_length: self.min_length.map(Some),
            max_length: self.max_length.map(Some),
            multiline_count: self.multiline_count,
            date_min: match self.date_min {
                Some(d) => Some(Some(parse_date("date_min", &d)?)),
                None => None,
            },
            date_max: match self.date_max {
                Some(d) => Some(Some(parse_date("date_max", &d)?)),
                None => None,
            },
            input_filter: self.input_filter.map(Into::into),
            show_on_storefront: self.show_on_storefront,
            sort_order: self.sort_order,
            used_in_forms: self
                .used_in_forms
                .map(|f| f.into_iter().map(Into::into).collect()),
            is_used_in_grid: self.is_used_in_grid,
            is_filterable_in_grid: self.is_filterable_in_grid,
            grid_filter_condition: self.grid_filter_condition.map(Into::into),
            is_searchable_in_grid: self.is_searchable_in_grid,
            is_used_for_segment: self.is_used_for_segment,
            options: self
                .options
                .map(|o| o.into_iter().map(Into::into).collect()),
            expected_version: None,
        })
    }
}

impl UpdateCustomerAttributeInput {
    fn definition(self) -> async_graphql::Result<AttributeDefinition> {
        Ok(AttributeDefinition {
            code: None,
            input_type: None,
            label: self.label,
            store_labels: labels(self.store_labels),
            is_required: self.is_required,
            default_value: maybe(self.default_value, Ok)?,
            validation: self.validation.map(Into::into),
            min_length: maybe(self.min_length, Ok)?,
            max_length: maybe(self.max_length, Ok)?,
            multiline_count: self.multiline_count,
            date_min: maybe(self.date_min, |d| parse_date("date_min", &d))?,
            date_max: maybe(self.date_max, |d| parse_date("date_max", &d))?,
            input_filter: self.input_filter.map(Into::into),
            show_on_storefront: self.show_on_storefront,
            sort_order: self.sort_order,
            used_in_forms: self
                .used_in_forms
                .map(|f| f.into_iter().map(Into::into).collect()),
            is_used_in_grid: self.is_used_in_grid,
            is_filterable_in_grid: self.is_filterable_in_grid,
            grid_filter_condition: self.grid_filter_condition.map(Into::into),
            is_searchable_in_grid: self.is_searchable_in_grid,
            is_used_for_segment: self.is_used_for_segment,
            options: self
                .options
                .map(|o| o.into_iter().map(Into::into).collect()),
            expected_version: self.expected_version,
        })
    }
}

/// A custom attribute value as entered.
#[derive(InputObject)]
#[graphql(name = "CustomAttributeValueInput", rename_fields = "snake_case")]
pub(crate) struct ValueInputObject {
    /// Attribute code.
    attribute_code: String,
    /// The value: text, `YYYY-MM-DD`, `1`/`0`, or an option id; lines of a multiple-line value
    /// separated by `\n`. Empty removes the value.
    value: Option<String>,
    /// Option ids of a multiple select (instead of `value`).
    selected_options: Option<Vec<String>>,
}

/// Domain inputs from GraphQL custom attribute inputs.
pub(crate) fn value_inputs(
    inputs: Option<Vec<ValueInputObject>>,
) -> async_graphql::Result<Vec<AttributeValueInput>> {
    inputs
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            let value = match (i.value, i.selected_options) {
                (Some(v), None) => v,
                (None, Some(options)) => options.join(","),
                (None, None) => String::new(),
                (Some(_), Some(_)) => {
                    return Err(to_admin(Error::invalid(
                        "custom_attributes",
                        format!(
                            "Give \"{}\" either a value or selected options.",
                            i.attribute_code
                        ),
                    )));
                }
            };
            Ok(AttributeValueInput {
                code: i.attribute_code,
                value,
            })
        })
        .collect()
}

/// A selected option of a custom attribute value.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct SelectedAttributeOption {
    /// Option id.
    value: String,
    /// Admin label.
    label: String,
}

/// A custom attribute value of a customer or address.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomAttributeValue {
    /// Attribute code.
    code: String,
    /// Stored value (option ids joined by commas for option inputs).
    value: String,
    /// Selected options with their labels (option inputs only).
    selected_options: Vec<SelectedAttributeOption>,
}

impl From<AttributeValue> for CustomAttributeValue {
    fn from(v: AttributeValue) -> Self {
        Self {
            code: v.code,
            value: v.value,
            selected_options: v
                .selected_options
                .into_iter()
                .map(|(id, label)| SelectedAttributeOption {
                    value: id.to_string(),
                    label,
                })
                .collect(),
        }
    }
}

fn resource(entity: CustomerAttributeEntityEnum) -> &'static str {
    match entity {
        CustomerAttributeEntityEnum::Customer => acl::CUSTOMER_ATTRIBUTES,
        CustomerAttributeEntityEnum::Address => acl::ADDRESS_ATTRIBUTES,
    }
}

const EITHER: &[&str] = &[acl::CUSTOMER_ATTRIBUTES, acl::ADDRESS_ATTRIBUTES];

/// Attribute queries.
#[derive(Default)]
pub(crate) struct AttributeQuery;

#[Object]
impl AttributeQuery {
    /// The custom attributes of customers or addresses, by sort order.
    #[graphql(guard = "Needs(EITHER)")]
    async fn customer_attributes(
        &self,
        ctx: &Context<'_>,
        entity_type: CustomerAttributeEntityEnum,
    ) -> async_graphql::Result<Vec<AttributeObject>> {
        require_resource(ctx, resource(entity_type))?;
        let services = ctx.data::<Services>()?;
        let list = services
            .attributes
            .attributes(entity_type.into())
            .await
            .admin()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// One custom attribute by code.
    #[graphql(guard = "Needs(EITHER)")]
    async fn customer_attribute(
        &self,
        ctx: &Context<'_>,
        entity_type: CustomerAttributeEntityEnum,
        code: String,
    ) -> async_graphql::Result<AttributeObject> {
        require_resource(ctx, resource(entity_type))?;
        let services = ctx.data::<Services>()?;
        Ok(services
            .attributes
            .attribute(entity_type.into(), &code)
            .await
            .admin()?
            .into())
    }
}

/// Attribute mutations.
#[derive(Default)]
pub(crate) struct AttributeMutation;

#[Object]
impl AttributeMutation {
    /// Creates a custom attribute.
    #[graphql(guard = "Needs(EITHER)")]
    async fn create_customer_attribute(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerAttributeInput,
    ) -> async_graphql::Result<AttributeObject> {
        let entity = input.entity_type;
        require_resource(ctx, resource(entity))?;
        let services = ctx.data::<Services>()?;
        let created = services
            .attributes
            .create_attribute(entity.into(), input.definition()?)
            .await
            .admin()?;
        Ok(created.into())
    }

    /// Changes a custom attribute (its code and input type are fixed).
    #[graphql(guard = "Needs(EITHER)")]
    async fn update_customer_attribute(
        &self,
        ctx: &Context<'_>,
        entity_type: CustomerAttributeEntityEnum,
        code: String,
        input: UpdateCustomerAttributeInput,
    ) -> async_graphql::Result<AttributeObject> {
        require_resource(ctx, resource(entity_type))?;
        let services = ctx.data::<Services>()?;
        let updated = services
            .attributes
            .update_attribute(entity_type.into(), &code, input.definition()?)
            .await
            .admin()?;
        Ok(updated.into())
    }

    /// Deletes a custom attribute and every value of it.
    #[graphql(guard = "Needs(EITHER)")]
    async fn delete_customer_attribute(
        &self,
        ctx: &Context<'_>,
        entity_type: CustomerAttributeEntityEnum,
        code: String,
    ) -> async_graphql::Result<bool> {
        require_resource(ctx, resource(entity_type))?;
        let services = ctx.data::<Services>()?;
        services
            .attributes
            .delete_attribute(entity_type.into(), &code)
            .await
            .admin()?;
        Ok(true)
    }
}
