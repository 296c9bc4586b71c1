//! Custom customer and address attributes (Stores > Attributes > Customer / Customer Address):
//! admin CRUD of their metadata, their values on customers and addresses (checked on every write
//! and stored one row per value so the Customers grid can filter, search and sort on them), and
//! the storefront forms that list them beside the configurable system fields.
//!
//! This crate owns the four attribute tables. Account and address writes call
//! [`write_customer_values`] and [`write_address_values`] inside their own transaction, so a
//! record and its values commit together; the Customers grid asks [`grid`] for the conditions
//! over the values.

mod check;
mod copies;
mod entity;
mod forms;
pub mod grid;
mod metadata;
mod model;
mod service;
mod show;
mod values;

pub use check::Stored;
pub use forms::{
    FieldFilter, FieldLookup, FieldOption, FieldRule, FormField, FrontendInput, RuleName,
};
pub use metadata::load_catalog;
pub use model::{
    Attribute, AttributeDefinition, AttributeEntity, AttributeOption, AttributeValue,
    AttributeValueInput, FilterCondition, Form, InputFilter, InputType, OptionInput, StoreLabel,
    Validation,
};
pub use service::AttributeService;
pub use show::Show;
pub use values::{
    AddressOf, Changes, resolve, write_address_changes, write_address_values,
    write_customer_changes, write_customer_values,
};
