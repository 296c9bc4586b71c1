//! `customAttributeMetadata`, the first form of the attribute metadata query: deprecated by
//! Adobe Commerce for `customAttributeMetadataV2` and still served by 2.4.8 and 2.4.9, so
//! storefronts written against it keep working.

use async_graphql::{Context, Enum, Object, SimpleObject};
use clientele_customers::{AttributeEntity, FormField, FrontendInput};

use super::attribute_metadata::{AttributeInput, entity_from_code};
use super::error::{StorefrontResult, category, storefront_error};
use crate::graphql::request::RequestStore;
use crate::services::Services;

/// Defines whether the attribute is filterable in layered navigation.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum UseInLayeredNavigationOptions {
    /// Not filterable.
    No,
    /// Filterable, with results.
    FilterableWithResults,
    /// Filterable, without results.
    FilterableNoResult,
}

/// Indicates where an attribute can be displayed.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct StorefrontProperties {
    /// The relative position of the attribute in the layered navigation block.
    position: Option<i32>,
    /// Indicates whether the attribute is filterable with results, without results, or not at
    /// all.
    use_in_layered_navigation: Option<UseInLayeredNavigationOptions>,
    /// Indicates whether the attribute is displayed in product listings.
    use_in_product_listing: Option<bool>,
    /// Indicates whether the attribute can be used in layered navigation on search results
    /// pages.
    use_in_search_results_layered_navigation: Option<bool>,
    /// Indicates whether the attribute is displayed on product pages.
    visible_on_catalog_pages: Option<bool>,
}

/// Defines an attribute option.
#[derive(SimpleObject)]
pub struct AttributeOption {
    /// The label assigned to the attribute option.
    label: Option<String>,
    /// The attribute option value.
    value: Option<String>,
}

/// Contains details about the attribute, including the code and type.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct Attribute {
    /// The unique identifier for an attribute code. This value should be in lowercase letters
    /// without spaces.
    attribute_code: Option<String>,
    /// Attribute options list.
    attribute_options: Option<Vec<Option<AttributeOption>>>,
    /// The data type of the attribute.
    attribute_type: Option<String>,
    /// The type of entity that defines the attribute.
    entity_type: Option<String>,
    /// The frontend input type of the attribute.
    input_type: Option<String>,
    /// Details about the storefront properties configured for the attribute (catalog
    /// attributes only; null for customer and address attributes).
    storefront_properties: Option<StorefrontProperties>,
}

/// Defines an array of custom attributes.
#[derive(SimpleObject)]
pub struct CustomAttributeMetadata {
    /// An array of attributes.
    items: Option<Vec<Option<Attribute>>>,
}

/// The GraphQL type of a field's values, as Adobe Commerce names it: option inputs carry option
/// ids, every other input text.
fn value_type(input: FrontendInput) -> &'static str {
    match input {
        FrontendInput::Select | FrontendInput::Boolean => "Int",
        _ => "String",
    }
}

fn attribute(entity_code: &str, field: FormField) -> Attribute {
    let options = (!field.options.is_empty()).then(|| {
        field
            .options
            .iter()
            .map(|o| {
                Some(AttributeOption {
                    label: Some(o.label.clone()),
                    value: Some(o.value.clone()),
                })
            })
            .collect()
    });
    Attribute {
        attribute_code: Some(field.code.clone()),
        attribute_options: options,
        attribute_type: Some(value_type(field.input).to_owned()),
        entity_type: Some(entity_code.to_owned()),
        input_type: Some(field.input.code().to_owned()),
        storefront_properties: None,
    }
}

/// The deprecated attribute metadata query.
#[derive(Default)]
pub struct LegacyAttributeMetadataQuery;

#[Object]
impl LegacyAttributeMetadataQuery {
    /// Return the attribute type, given an attribute code and entity type.
    #[graphql(deprecation = "Use `customAttributeMetadataV2` query instead.")]
    async fn custom_attribute_metadata(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "An input object that specifies the attribute code and entity type to search."
        )]
        attributes: Vec<AttributeInput>,
    ) -> async_graphql::Result<Option<CustomAttributeMetadata>> {
        let services = ctx.data::<Services>()?;
        let store = &ctx.data::<RequestStore>()?.0;
        let mut items = Vec::with_capacity(attributes.len());
        for input in attributes {
            let (Some(code), Some(entity_code)) = (input.attribute_code, input.entity_type) else {
                return Err(storefront_error(
                    "Missing attribute_code/entity_type for the input.",
                    category::INPUT,
                ));
            };
            let entity: AttributeEntity = entity_from_code(&entity_code).ok_or_else(|| {
                storefront_error(
                    format!("Invalid entity_type specified: {entity_code}"),
                    category::INPUT,
                )
            })?;
            let lookup = services
                .attributes
                .field_metadata(entity, std::slice::from_ref(&code), store.id)
                .await
                .storefront()?;
            let Some(field) = lookup.fields.into_iter().next() else {
                return Err(storefront_error(
                    format!(
                        "Attribute code {code} of entity type {entity_code} not configured to have a type."
                    ),
                    category::NO_SUCH_ENTITY,
                ));
            };
            items.push(Some(attribute(&entity_code.to_ascii_lowercase(), field)));
        }
        Ok(Some(CustomAttributeMetadata { items: Some(items) }))
    }
}
