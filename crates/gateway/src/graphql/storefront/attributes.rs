//! Custom attribute values on the storefront, in Adobe Commerce's EAV shapes
//! (`AttributeValueInterface`, `AttributeValue`, `AttributeSelectedOptions`), and the check that
//! shoppers only write attributes their storefront form shows.

use async_graphql::{Context, ID, Interface, Object, SimpleObject};
use clientele_configuration::Scope;
use clientele_configuration::keys;
use clientele_customers::{
    AttributeEntity, AttributeValue as StoredValue, AttributeValueInput, Form, FrontendInput,
};

use super::account::AttributeValueInputObject;
use super::error::{StorefrontResult, category, storefront_error};
use crate::graphql::request::RequestStore;
use crate::services::Services;

/// An attribute value with its code.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct AttributeValue {
    /// The unique ID of an attribute value.
    uid: ID,
    /// The attribute code.
    code: ID,
    /// Attribute type code.
    attribute_type: Option<String>,
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
    code: ID,
    /// Attribute type code.
    attribute_type: Option<String>,
    /// The selected options.
    selected_options: Vec<AttributeSelectedOptionInterface>,
}

/// The value of a file or image attribute: the stored file's key and where to download it.
pub struct StoredFile {
    uid: ID,
    code: ID,
    attribute_type: Option<String>,
    entity: AttributeEntity,
    value: String,
}

impl StoredFile {
    /// The download URL: a value that is already an absolute URL as it is, otherwise the file's
    /// place under the store view's secure media URL (`customer/…` or `customer_address/…`), as
    /// Adobe Commerce keeps customer files.
    async fn url(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        if self.value.starts_with("https://") || self.value.starts_with("http://") {
            return Ok(self.value.clone());
        }
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let config = services
            .config
            .resolve(Scope::StoreView(view.id))
            .await
            .storefront()?;
        let folder = match self.entity {
            AttributeEntity::Customer => "customer",
            AttributeEntity::Address => "customer_address",
        };
        Ok(format!(
            "{}{folder}/{}",
            config.text(keys::web::SECURE_BASE_MEDIA_URL),
            self.value.trim_start_matches('/')
        ))
    }
}

/// The fields of a file-valued attribute type over a [`StoredFile`].
macro_rules! file_value_object {
    ($ty:ident, $what:literal) => {
        #[Object(rename_fields = "snake_case")]
        impl $ty {
            /// The unique ID of an attribute value.
            async fn uid(&self) -> &ID {
                &self.0.uid
            }
            /// The attribute code.
            async fn code(&self) -> &ID {
                &self.0.code
            }
            /// Attribute type code.
            async fn attribute_type(&self) -> &Option<String> {
                &self.0.attribute_type
            }
            #[doc = concat!($what, " code. For download use the `url` field.")]
            async fn value(&self) -> &String {
                &self.0.value
            }
            #[doc = concat!($what, " URL to download it.")]
            async fn url(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
                self.0.url(ctx).await
            }
        }
    };
}

/// The value of a file attribute.
pub struct AttributeFile(StoredFile);
file_value_object!(AttributeFile, "File");

/// The value of an image attribute.
pub struct AttributeImage(StoredFile);
file_value_object!(AttributeImage, "Image");

/// A custom attribute value.
#[derive(Interface)]
#[allow(clippy::duplicated_attributes)] // two fields of the same type
#[allow(clippy::enum_variant_names)] // the variants are Adobe Commerce's type names
#[graphql(
    rename_fields = "snake_case",
    field(
        name = "uid",
        ty = "&ID",
        desc = "The unique ID of an attribute value."
    ),
    field(name = "code", ty = "&ID", desc = "The attribute code."),
    field(
        name = "attribute_type",
        ty = "&Option<String>",
        desc = "Attribute type code."
    )
)]
pub enum AttributeValueInterface {
    /// A plain value.
    AttributeValue(AttributeValue),
    /// Selected options.
    AttributeSelectedOptions(AttributeSelectedOptions),
    /// A file.
    AttributeFile(AttributeFile),
    /// An image.
    AttributeImage(AttributeImage),
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
            let code = ID(v.code.clone());
            // Adobe Commerce's attribute type code is the attribute's input.
            let attribute_type = Some(v.input.code().to_owned());
            let file = |value: &String| StoredFile {
                uid: uid.clone(),
                code: code.clone(),
                attribute_type: attribute_type.clone(),
                entity,
                value: value.clone(),
            };
            match v.input {
                FrontendInput::File => {
                    AttributeValueInterface::AttributeFile(AttributeFile(file(&v.value)))
                }
                FrontendInput::Image => {
                    AttributeValueInterface::AttributeImage(AttributeImage(file(&v.value)))
                }
                _ if v.selected_options.is_empty() => {
                    AttributeValueInterface::AttributeValue(AttributeValue {
                        uid,
                        code,
                        attribute_type,
                        value: v.value.clone(),
                    })
                }
                _ => AttributeValueInterface::AttributeSelectedOptions(AttributeSelectedOptions {
                    uid,
                    code,
                    attribute_type,
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
                }),
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
    let catalog = services.attributes.attributes(entity).await.storefront()?;
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
        .attributes
        .attribute_values(entity, ids)
        .await
        .storefront()?;
    if values.is_empty() {
        return Ok(values);
    }
    let catalog = services.attributes.attributes(entity).await.storefront()?;
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
