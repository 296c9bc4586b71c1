//! Custom attribute values on the storefront, in Adobe Commerce's EAV shapes
//! (`AttributeValueInterface`, `AttributeValue`, `AttributeSelectedOptions`), and the check that
//! shoppers only write attributes their storefront form shows.

use async_graphql::{ID, Interface, SimpleObject};
use clientele_customers::{
    AttributeEntity, AttributeValue as StoredValue, AttributeValueInput, Form,
};

use super::account::AttributeValueInputObject;
use super::error::{StorefrontResult, category, storefront_error};
use crate::services::Services;

/// An attribute value with its code.
#[derive(SimpleObject)]
pub struct AttributeValue {
    /// The unique ID of an attribute value.
    uid: ID,
    /// The attribute code.
    code: String,
    /// The attribute value.
    value: String,
}

/// An option of a select or multiselect attribute value.
#[derive(SimpleObject)]
pub struct AttributeSelectedOption {
    /// The unique ID of an attribute selected option.
    uid: ID,
    /// The attribute selected option label.
    label: String,
    /// The attribute selected option value.
    value: String,
}

/// A selected option of an attribute value.
#[derive(Interface)]
#[allow(clippy::duplicated_attributes)] // two fields of the same type
#[graphql(
    field(
        name = "uid",
        ty = "&ID",
        desc = "The unique ID of an attribute selected option."
    ),
    field(
        name = "label",
        ty = "&String",
        desc = "The attribute selected option label."
    ),
    field(
        name = "value",
        ty = "&String",
        desc = "The attribute selected option value."
    )
)]
pub enum AttributeSelectedOptionInterface {
    /// A selected option.
    AttributeSelectedOption(AttributeSelectedOption),
}

/// The selected options of a select or multiselect attribute value.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct AttributeSelectedOptions {
    /// The unique ID of an attribute value.
    uid: ID,
    /// The attribute code.
    code: String,
    /// The selected options.
    selected_options: Vec<AttributeSelectedOptionInterface>,
}

/// A custom attribute value.
#[derive(Interface)]
#[graphql(
    field(
        name = "uid",
        ty = "&ID",
        desc = "The unique ID of an attribute value."
    ),
    field(name = "code", ty = "&String", desc = "The attribute code.")
)]
pub enum AttributeValueInterface {
    /// A plain value.
    AttributeValue(AttributeValue),
    /// Selected options.
    AttributeSelectedOptions(AttributeSelectedOptions),
}

/// Adobe Commerce's uid of an attribute (value): base64 of `entity type/code[/option]`.
pub(crate) fn attribute_uid(entity: AttributeEntity, parts: &[&str]) -> ID {
    use base64::Engine;
    let entity = match entity {
        AttributeEntity::Customer => "customer",
        AttributeEntity::Address => "customer_address",
    };
    let text = std::iter::once(entity)
        .chain(parts.iter().copied())
        .collect::<Vec<_>>()
        .join("/");
    ID(base64::engine::general_purpose::STANDARD.encode(text))
}

/// The stored values as storefront values, limited to `codes` when given.
pub(crate) fn storefront_values(
    entity: AttributeEntity,
    values: &[StoredValue],
    codes: Option<&[ID]>,
) -> Vec<AttributeValueInterface> {
    values
        .iter()
        .filter(|v| codes.is_none_or(|codes| codes.iter().any(|c| c.as_str() == v.code)))
        .map(|v| {
            let uid = attribute_uid(entity, &[&v.code]);
            if v.selected_options.is_empty() {
                AttributeValueInterface::AttributeValue(AttributeValue {
                    uid,
                    code: v.code.clone(),
                    value: v.value.clone(),
                })
            } else {
                AttributeValueInterface::AttributeSelectedOptions(AttributeSelectedOptions {
                    uid,
                    code: v.code.clone(),
                    selected_options: v
                        .selected_options
                        .iter()
                        .map(|(id, label)| {
                            let value = id.to_string();
                            AttributeSelectedOptionInterface::AttributeSelectedOption(
                                AttributeSelectedOption {
                                    uid: attribute_uid(entity, &[&v.code, &value]),
                                    label: label.clone(),
                                    value,
                                },
                            )
                        })
                        .collect(),
                })
            }
        })
        .collect()
}

/// Custom attribute inputs of a storefront form: only attributes the form shows may be written,
/// so shoppers cannot set values meant for staff.
pub(crate) async fn form_values(
    services: &Services,
    entity: AttributeEntity,
    form: Form,
    inputs: Option<Vec<AttributeValueInputObject>>,
) -> async_graphql::Result<Vec<AttributeValueInput>> {
    let Some(inputs) = inputs else {
        return Ok(Vec::new());
    };
    let catalog = services.customers.attributes(entity).await.storefront()?;
    inputs
        .into_iter()
        .map(|input| {
            let (code, value) = input.into_parts();
            let shown = catalog
                .iter()
                .any(|a| a.code == code && a.used_in_forms.contains(&form));
            if !shown {
                return Err(storefront_error(
                    format!("Attribute \"{code}\" cannot be set from the storefront."),
                    category::INPUT,
                ));
            }
            Ok(AttributeValueInput { code, value })
        })
        .collect()
}

/// The custom values of `ids` that shoppers may see: those of attributes used in a storefront
/// form (values only staff work with stay off the storefront).
pub(crate) async fn visible_values(
    services: &Services,
    entity: AttributeEntity,
    ids: &[i32],
) -> async_graphql::Result<std::collections::HashMap<i32, Vec<StoredValue>>> {
    let mut values = services
        .customers
        .attribute_values(entity, ids)
        .await
        .storefront()?;
    if values.is_empty() {
        return Ok(values);
    }
    let catalog = services.customers.attributes(entity).await.storefront()?;
    let shown: Vec<&str> = catalog
        .iter()
        .filter(|a| a.used_in_forms.iter().any(|f| *f != Form::AdminCheckout))
        .map(|a| a.code.as_str())
        .collect();
    for list in values.values_mut() {
        list.retain(|v| shown.contains(&v.code.as_str()));
    }
    Ok(values)
}
