//! Custom customer and address attributes (Stores > Attributes > Customer / Customer Address):
//! admin CRUD of their metadata, and their values on customers and addresses, checked on every
//! write and stored one row per value so the Customers grid can filter, search and sort on them.

mod check;
mod forms;
mod metadata;
mod model;
mod values;

pub use forms::{
    FieldFilter, FieldLookup, FieldOption, FieldRule, FormField, FrontendInput, RuleName,
};
pub use model::{
    Attribute, AttributeDefinition, AttributeEntity, AttributeOption, AttributeValue,
    AttributeValueInput, FilterCondition, Form, InputFilter, InputType, OptionInput, StoreLabel,
    Validation,
};
pub(crate) use values::{
    Changes, resolve, write_address_changes, write_address_values, write_customer_changes,
    write_customer_values,
};

/// Every custom attribute of `entity`, with options.
pub(crate) async fn load_catalog(
    db: &impl sea_orm::ConnectionTrait,
    entity: AttributeEntity,
) -> clientele_kernel::Result<Vec<Attribute>> {
    metadata::load(db, entity, None).await
}
