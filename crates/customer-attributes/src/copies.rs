//! The attribute catalogues as a node keeps them in memory: the storefront reads the address
//! catalogue for every address book it shows, and attributes change seldom.

use crate::model::{Attribute, AttributeEntity};

/// The change-notice topic of attribute metadata.
pub(crate) const TOPIC: &str = "customer_attributes";

/// Both catalogues, with their options.
pub(crate) struct Catalogs {
    /// Customer attributes.
    pub(crate) customer: Vec<Attribute>,
    /// Address attributes.
    pub(crate) address: Vec<Attribute>,
}

impl Catalogs {
    /// The catalogue of `entity`.
    pub(crate) fn of(&self, entity: AttributeEntity) -> &[Attribute] {
        match entity {
            AttributeEntity::Customer => &self.customer,
            AttributeEntity::Address => &self.address,
        }
    }
}
