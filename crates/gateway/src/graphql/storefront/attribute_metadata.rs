//! `attributesForm`, `customAttributeMetadataV2` and `attributesList`: the metadata that drives
//! storefront forms (labels, inputs, required fields, options, validation rules), in Adobe
//! Commerce's EAV shapes, for system and custom customer and address attributes alike.

use async_graphql::{Context, Enum, ID, InputObject, Interface, Object, SimpleObject};
use clientele_customers::{
    AttributeEntity, FieldFilter, FieldOption, FieldRule, Form, FormField, FrontendInput, RuleName,
};

use super::attributes::attribute_uid;
use super::error::{StorefrontResult, category, storefront_error};
use crate::graphql::request::RequestStore;
use crate::services::Services;

/// List of all entity types. Populated by the modules introducing EAV entities.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum AttributeEntityTypeEnum {
    /// Catalog products (not held by Clientele).
    CatalogProduct,
    /// Catalog categories (not held by Clientele).
    CatalogCategory,
    /// Customer accounts.
    Customer,
    /// Customer addresses.
    CustomerAddress,
    /// Returned items (not held by Clientele).
    RmaItem,
}

impl From<AttributeEntity> for AttributeEntityTypeEnum {
    fn from(entity: AttributeEntity) -> Self {
        match entity {
            AttributeEntity::Customer => Self::Customer,
            AttributeEntity::Address => Self::CustomerAddress,
        }
    }
}

impl AttributeEntityTypeEnum {
    /// The entity Clientele holds for this type, if any.
    fn held(self) -> Option<AttributeEntity> {
        match self {
            Self::Customer => Some(AttributeEntity::Customer),
            Self::CustomerAddress => Some(AttributeEntity::Address),
            Self::CatalogProduct | Self::CatalogCategory | Self::RmaItem => None,
        }
    }

    /// Adobe Commerce's entity type code, as its messages name it.
    fn code(self) -> &'static str {
        match self {
            Self::CatalogProduct => "catalog_product",
            Self::CatalogCategory => "catalog_category",
            Self::Customer => "customer",
            Self::CustomerAddress => "customer_address",
            Self::RmaItem => "rma_item",
        }
    }
}

/// EAV attribute frontend input types.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum AttributeFrontendInputEnum {
    /// Yes or no.
    Boolean,
    /// A date.
    Date,
    /// A date and time.
    Datetime,
    /// A file.
    File,
    /// A gallery of images.
    Gallery,
    /// Carried by the form, not shown.
    Hidden,
    /// An image.
    Image,
    /// A media image.
    MediaImage,
    /// Several single lines.
    Multiline,
    /// Any options of a list.
    Multiselect,
    /// A price.
    Price,
    /// One option of a list.
    Select,
    /// A single line of text.
    Text,
    /// Free text.
    Textarea,
    /// A weight.
    Weight,
    /// Not defined.
    Undefined,
}

impl From<FrontendInput> for AttributeFrontendInputEnum {
    fn from(input: FrontendInput) -> Self {
        match input {
            FrontendInput::Text => Self::Text,
            FrontendInput::TextArea => Self::Textarea,
            FrontendInput::Multiline => Self::Multiline,
            FrontendInput::Date => Self::Date,
            FrontendInput::Boolean => Self::Boolean,
            FrontendInput::Select => Self::Select,
            FrontendInput::Multiselect => Self::Multiselect,
            FrontendInput::File => Self::File,
            FrontendInput::Image => Self::Image,
            FrontendInput::Hidden => Self::Hidden,
        }
    }
}

/// List of templates/filters applied to customer attribute input.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum InputFilterEnum {
    /// There are no templates or filters to be applied.
    None,
    /// Forces attribute input to follow the date format.
    Date,
    /// Strip whitespace (or other characters) from the beginning and end of the input.
    Trim,
    /// Strip HTML Tags.
    Striptags,
    /// Escape HTML Entities.
    Escapehtml,
}

impl From<FieldFilter> for InputFilterEnum {
    fn from(filter: FieldFilter) -> Self {
        match filter {
            FieldFilter::None => Self::None,
            FieldFilter::Date => Self::Date,
            FieldFilter::Trim => Self::Trim,
            FieldFilter::StripTags => Self::Striptags,
            FieldFilter::EscapeHtml => Self::Escapehtml,
        }
    }
}

/// List of validation rule names applied to a customer attribute.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ValidationRuleEnum {
    /// Latest date allowed (Unix timestamp).
    DateRangeMax,
    /// Earliest date allowed (Unix timestamp).
    DateRangeMin,
    /// File extensions allowed.
    FileExtensions,
    /// A named input validation.
    InputValidation,
    /// Longest text allowed.
    MaxTextLength,
    /// Shortest text allowed.
    MinTextLength,
    /// Largest file allowed.
    MaxFileSize,
    /// Tallest image allowed.
    MaxImageHeight,
    /// Widest image allowed.
    MaxImageWidth,
}

/// Defines a customer attribute validation rule.
#[derive(SimpleObject)]
pub struct ValidationRule {
    /// Validation rule name applied to a customer attribute.
    name: Option<ValidationRuleEnum>,
    /// Validation rule value.
    value: Option<String>,
}

impl From<FieldRule> for ValidationRule {
    fn from(rule: FieldRule) -> Self {
        let name = match rule.name {
            RuleName::DateRangeMax => ValidationRuleEnum::DateRangeMax,
            RuleName::DateRangeMin => ValidationRuleEnum::DateRangeMin,
            RuleName::InputValidation => ValidationRuleEnum::InputValidation,
            RuleName::MaxTextLength => ValidationRuleEnum::MaxTextLength,
            RuleName::MinTextLength => ValidationRuleEnum::MinTextLength,
        };
        Self {
            name: Some(name),
            value: Some(rule.value),
        }
    }
}

/// Base EAV implementation of CustomAttributeOptionInterface.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct AttributeOptionMetadata {
    /// The unique ID of an attribute option.
    uid: ID,
    /// The label assigned to the attribute option.
    label: String,
    /// The attribute option value.
    value: String,
    /// Is the option value default.
    is_default: bool,
}

/// An option of an EAV attribute.
#[derive(Interface)]
#[allow(clippy::duplicated_attributes)] // several fields of the same type
#[graphql(
    rename_fields = "snake_case",
    field(
        name = "uid",
        ty = "&ID",
        desc = "The unique ID of an attribute option."
    ),
    field(
        name = "label",
        ty = "&String",
        desc = "The label assigned to the attribute option."
    ),
    field(name = "value", ty = "&String", desc = "The attribute option value."),
    field(
        name = "is_default",
        ty = "&bool",
        desc = "Is the option value default."
    )
)]
pub enum CustomAttributeOptionInterface {
    /// An option of a customer or address attribute.
    AttributeOptionMetadata(AttributeOptionMetadata),
}

/// Customer attribute metadata.
pub struct CustomerAttributeMetadata {
    field: FormField,
}

/// Base EAV implementation of CustomAttributeMetadataInterface.
pub struct AttributeMetadata {
    field: FormField,
}

/// The fields of `CustomAttributeMetadataInterface` on one of its types (over `self.field`),
/// followed by the type's own fields.
macro_rules! attribute_metadata_object {
    ($ty:ident { $($own:tt)* }) => {
        #[Object(rename_fields = "snake_case")]
        impl $ty {
            /// The unique ID of an attribute. Based on entity type and attribute code
            async fn uid(&self) -> ID {
                attribute_uid(self.field.entity, &[&self.field.code])
            }
            /// The unique identifier for an attribute code. This value should be in lowercase
            /// letters without spaces.
            async fn code(&self) -> ID {
                ID(self.field.code.clone())
            }
            /// The label assigned to the attribute.
            async fn label(&self) -> Option<&String> {
                Some(&self.field.label)
            }
            /// The frontend class of the attribute.
            async fn frontend_class(&self) -> Option<String> {
                self.field.frontend_class()
            }
            /// The type of entity that defines the attribute.
            async fn entity_type(&self) -> AttributeEntityTypeEnum {
                self.field.entity.into()
            }
            /// The frontend input type of the attribute.
            async fn frontend_input(&self) -> Option<AttributeFrontendInputEnum> {
                Some(self.field.input.into())
            }
            /// Whether the attribute value is required.
            async fn is_required(&self) -> bool {
                self.field.is_required
            }
            /// Default attribute value.
            async fn default_value(&self) -> Option<&String> {
                self.field.default_value.as_ref()
            }
            /// Whether the attribute value must be unique.
            async fn is_unique(&self) -> bool {
                false
            }
            /// Attribute options.
            async fn options(&self) -> Vec<CustomAttributeOptionInterface> {
                self.field
                    .options
                    .iter()
                    .map(|o| option(&self.field, o))
                    .collect()
            }
            $($own)*
        }
    };
}

attribute_metadata_object!(AttributeMetadata {});

attribute_metadata_object!(CustomerAttributeMetadata {
    /// The template used for the input of the attribute (e.g., 'date').
    async fn input_filter(&self) -> Option<InputFilterEnum> {
        Some(self.field.filter.into())
    }
    /// The number of lines of the attribute value.
    async fn multiline_count(&self) -> Option<i32> {
        Some(self.field.multiline_count)
    }
    /// The position of the attribute in the form.
    async fn sort_order(&self) -> Option<i32> {
        Some(self.field.sort_order)
    }
    /// The validation rules of the attribute value.
    async fn validate_rules(&self) -> Option<Vec<Option<ValidationRule>>> {
        Some(
            self.field
                .rules
                .iter()
                .cloned()
                .map(|r| Some(r.into()))
                .collect(),
        )
    }
});

fn option(field: &FormField, option: &FieldOption) -> CustomAttributeOptionInterface {
    CustomAttributeOptionInterface::AttributeOptionMetadata(AttributeOptionMetadata {
        uid: attribute_uid(field.entity, &[&field.code, &option.value]),
        label: option.label.clone(),
        value: option.value.clone(),
        is_default: option.is_default,
    })
}

/// An interface containing fields that define the EAV attribute.
#[derive(Interface)]
#[allow(clippy::duplicated_attributes)] // several fields of the same type
#[graphql(
    rename_fields = "snake_case",
    field(
        name = "uid",
        ty = "ID",
        desc = "The unique ID of an attribute. Based on entity type and attribute code"
    ),
    field(
        name = "code",
        ty = "ID",
        desc = "The unique identifier for an attribute code. This value should be in lowercase letters without spaces."
    ),
    field(
        name = "label",
        ty = "Option<&String>",
        desc = "The label assigned to the attribute."
    ),
    field(
        name = "frontend_class",
        ty = "Option<String>",
        desc = "The frontend class of the attribute."
    ),
    field(
        name = "entity_type",
        ty = "AttributeEntityTypeEnum",
        desc = "The type of entity that defines the attribute."
    ),
    field(
        name = "frontend_input",
        ty = "Option<AttributeFrontendInputEnum>",
        desc = "The frontend input type of the attribute."
    ),
    field(
        name = "is_required",
        ty = "bool",
        desc = "Whether the attribute value is required."
    ),
    field(
        name = "default_value",
        ty = "Option<&String>",
        desc = "Default attribute value."
    ),
    field(
        name = "is_unique",
        ty = "bool",
        desc = "Whether the attribute value must be unique."
    ),
    field(
        name = "options",
        ty = "Vec<CustomAttributeOptionInterface>",
        desc = "Attribute options."
    )
)]
pub enum CustomAttributeMetadataInterface {
    /// A customer or address attribute.
    CustomerAttributeMetadata(CustomerAttributeMetadata),
    /// Adobe Commerce's implementation for entities without a type of their own; every entity
    /// Clientele holds answers as `CustomerAttributeMetadata`, so this one is in the schema for
    /// the fragments clients write against Adobe's.
    AttributeMetadata(AttributeMetadata),
}

/// Attribute metadata retrieval error types.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum AttributeMetadataErrorType {
    /// The requested entity was not found.
    EntityNotFound,
    /// The requested attribute was not found.
    AttributeNotFound,
    /// The filter cannot be applied as it does not belong to the entity
    FilterNotFound,
    /// Not categorized error, see the error message.
    Undefined,
}

/// Attribute metadata retrieval error.
#[derive(SimpleObject)]
pub struct AttributeMetadataError {
    /// Attribute metadata retrieval error type.
    #[graphql(name = "type")]
    kind: AttributeMetadataErrorType,
    /// Attribute metadata retrieval error message.
    message: String,
}

impl AttributeMetadataError {
    fn new(kind: AttributeMetadataErrorType, message: String) -> Self {
        Self { kind, message }
    }
}

/// Metadata of EAV attributes associated to form
#[derive(SimpleObject)]
pub struct AttributesFormOutput {
    /// Requested attributes metadata.
    items: Vec<CustomAttributeMetadataInterface>,
    /// Errors of retrieving certain attributes metadata.
    errors: Vec<AttributeMetadataError>,
}

/// Metadata of EAV attributes.
#[derive(SimpleObject)]
pub struct AttributesMetadataOutput {
    /// Requested attributes metadata.
    items: Vec<CustomAttributeMetadataInterface>,
    /// Errors of retrieving certain attributes metadata.
    errors: Vec<AttributeMetadataError>,
}

/// Defines the attribute characteristics to search for the `attribute_code` and `entity_type` to
/// search.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub struct AttributeInput {
    /// The unique identifier for an attribute code. This value should be in lowercase letters
    /// without spaces.
    pub(crate) attribute_code: Option<String>,
    /// The type of entity that defines the attribute.
    pub(crate) entity_type: Option<String>,
}

/// An input object that specifies the filters used for attributes.
#[derive(InputObject, Default)]
#[graphql(rename_fields = "snake_case")]
pub struct AttributeFilterInput {
    /// Whether a product or category attribute can be compared against another or not.
    is_comparable: Option<bool>,
    /// Whether a product or category attribute can be filtered or not.
    is_filterable: Option<bool>,
    /// Whether a product or category attribute can be filtered in search or not.
    is_filterable_in_search: Option<bool>,
    /// Whether a product or category attribute can use HTML on front or not.
    is_html_allowed_on_front: Option<bool>,
    /// Whether a product or category attribute can be searched or not.
    is_searchable: Option<bool>,
    /// Whether a customer or customer address attribute is used for customer segment or not.
    is_used_for_customer_segment: Option<bool>,
    /// Whether a product or category attribute can be used for price rules or not.
    is_used_for_price_rules: Option<bool>,
    /// Whether a product or category attribute is used for promo rules or not.
    is_used_for_promo_rules: Option<bool>,
    /// Whether a product or category attribute is visible in advanced search or not.
    is_visible_in_advanced_search: Option<bool>,
    /// Whether a product or category attribute is visible on front or not.
    is_visible_on_front: Option<bool>,
    /// Whether a product or category attribute has WYSIWYG enabled or not.
    is_wysiwyg_enabled: Option<bool>,
    /// Whether a product or category attribute is used in product listing or not.
    used_in_product_listing: Option<bool>,
}

impl AttributeFilterInput {
    /// The filters given, by their GraphQL names, in the input's order.
    fn set(self) -> Vec<(&'static str, bool)> {
        [
            ("is_comparable", self.is_comparable),
            ("is_filterable", self.is_filterable),
            ("is_filterable_in_search", self.is_filterable_in_search),
            ("is_html_allowed_on_front", self.is_html_allowed_on_front),
            ("is_searchable", self.is_searchable),
            (
                "is_used_for_customer_segment",
                self.is_used_for_customer_segment,
            ),
            ("is_used_for_price_rules", self.is_used_for_price_rules),
            ("is_used_for_promo_rules", self.is_used_for_promo_rules),
            (
                "is_visible_in_advanced_search",
                self.is_visible_in_advanced_search,
            ),
            ("is_visible_on_front", self.is_visible_on_front),
            ("is_wysiwyg_enabled", self.is_wysiwyg_enabled),
            ("used_in_product_listing", self.used_in_product_listing),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect()
    }
}

fn items(fields: Vec<FormField>) -> Vec<CustomAttributeMetadataInterface> {
    fields
        .into_iter()
        .map(|field| {
            CustomAttributeMetadataInterface::CustomerAttributeMetadata(CustomerAttributeMetadata {
                field,
            })
        })
        .collect()
}

/// Adobe Commerce's entity type codes, in any letter case (clients send both `customer` and the
/// enum spelling `CUSTOMER`).
pub(crate) fn entity_from_code(code: &str) -> Option<AttributeEntity> {
    match code.to_ascii_lowercase().as_str() {
        "customer" => Some(AttributeEntity::Customer),
        "customer_address" => Some(AttributeEntity::Address),
        _ => None,
    }
}

/// Attribute metadata queries.
#[derive(Default)]
pub struct AttributeMetadataQuery;

#[Object]
impl AttributeMetadataQuery {
    /// Retrieve EAV attributes associated to a frontend form.
    async fn attributes_form(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "formCode", desc = "Form code.")] form_code: String,
    ) -> async_graphql::Result<AttributesFormOutput> {
        if form_code.is_empty() {
            return Err(storefront_error(
                "Required parameter \"formCode\" of type string.",
                category::INPUT,
            ));
        }
        let services = ctx.data::<Services>()?;
        let store = &ctx.data::<RequestStore>()?.0;
        let fields = match Form::parse("formCode", &form_code) {
            Ok(form) => services
                .attributes
                .form_fields(form, store.id)
                .await
                .storefront()?,
            Err(_) => None,
        };
        Ok(match fields {
            Some(fields) => AttributesFormOutput {
                items: items(fields),
                errors: Vec::new(),
            },
            None => AttributesFormOutput {
                items: Vec::new(),
                errors: vec![AttributeMetadataError::new(
                    AttributeMetadataErrorType::EntityNotFound,
                    format!("Form \"{form_code}\" could not be found."),
                )],
            },
        })
    }

    /// Retrieve EAV attributes metadata.
    #[graphql(name = "customAttributeMetadataV2")]
    async fn custom_attribute_metadata_v2(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The attributes to describe, by code and entity type.")]
        attributes: Option<Vec<AttributeInput>>,
    ) -> async_graphql::Result<AttributesMetadataOutput> {
        let attributes = attributes.unwrap_or_default();
        if attributes.is_empty() {
            return Err(storefront_error(
                "Required parameters \"attribute_code\" and \"entity_type\" of type String.",
                category::INPUT,
            ));
        }
        let mut asked: Vec<(String, Vec<String>)> = Vec::new();
        for input in attributes {
            let Some(code) = input.attribute_code else {
                return Err(storefront_error(
                    "The attribute_code is required to retrieve the metadata",
                    category::INPUT,
                ));
            };
            let Some(entity) = input.entity_type else {
                return Err(storefront_error(
                    "The entity_type is required to retrieve the metadata",
                    category::INPUT,
                ));
            };
            match asked.iter_mut().find(|(e, _)| *e == entity) {
                Some((_, codes)) => codes.push(code),
                None => asked.push((entity, vec![code])),
            }
        }
        let services = ctx.data::<Services>()?;
        let store = &ctx.data::<RequestStore>()?.0;
        let mut fields = Vec::new();
        let mut errors = Vec::new();
        for (entity_code, codes) in asked {
            let Some(entity) = entity_from_code(&entity_code) else {
                errors.push(AttributeMetadataError::new(
                    AttributeMetadataErrorType::EntityNotFound,
                    format!("Entity \"{entity_code}\" could not be found."),
                ));
                continue;
            };
            let lookup = services
                .attributes
                .field_metadata(entity, &codes, store.id)
                .await
                .storefront()?;
            fields.extend(lookup.fields);
            errors.extend(lookup.missing.into_iter().map(|code| {
                AttributeMetadataError::new(
                    AttributeMetadataErrorType::AttributeNotFound,
                    format!("Attribute code \"{code}\" could not be found."),
                )
            }));
        }
        Ok(AttributesMetadataOutput {
            items: items(fields),
            errors,
        })
    }

    /// Returns a list of attributes metadata for a given entity type.
    async fn attributes_list(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "entityType", desc = "Entity type.")] entity_type: AttributeEntityTypeEnum,
        #[graphql(desc = "Identifies which filter inputs to search for and return.")]
        filters: Option<AttributeFilterInput>,
    ) -> async_graphql::Result<Option<AttributesMetadataOutput>> {
        let Some(entity) = entity_type.held() else {
            return Ok(Some(AttributesMetadataOutput {
                items: Vec::new(),
                errors: vec![AttributeMetadataError::new(
                    AttributeMetadataErrorType::EntityNotFound,
                    format!("Entity \"{}\" could not be found.", entity_type.code()),
                )],
            }));
        };
        let services = ctx.data::<Services>()?;
        let store = &ctx.data::<RequestStore>()?.0;
        let mut fields = services
            .attributes
            .storefront_fields(entity, store.id)
            .await
            .storefront()?;
        let mut errors = Vec::new();
        for (name, wanted) in filters.map(|f| f.set()).unwrap_or_default() {
            match name {
                "is_used_for_customer_segment" => fields.retain(|f| f.used_for_segment == wanted),
                // Catalog flags: Adobe Commerce reports them and still lists the attributes.
                _ => errors.push(AttributeMetadataError::new(
                    AttributeMetadataErrorType::FilterNotFound,
                    format!(
                        "Cannot filter by \"{name}\" as that field does not belong to \"{}\".",
                        entity_type.code()
                    ),
                )),
            }
        }
        Ok(Some(AttributesMetadataOutput {
            items: items(fields),
            errors,
        }))
    }
}
