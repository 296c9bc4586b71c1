//! Values of custom attributes on customers and addresses: checked against the metadata on
//! every write, with defaults filled in on creation, and read back in batches.

use std::collections::HashMap;

use clientele_kernel::{Error, Result};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::check::{Stored, check_value};
use super::metadata::load;
use super::model::{Attribute, AttributeEntity, AttributeValue, AttributeValueInput};
use crate::entity::{address_attribute_value, attribute_value};
use crate::service::AttributeService;

/// The checked values to write: `None` removes a value.
pub type Changes = Vec<(i32, Option<Stored>)>;

/// Checks `inputs` against `catalog`. On creation, attributes left out get their default, and
/// required ones without a default are refused.
pub fn resolve(
    entity: AttributeEntity,
    catalog: &[Attribute],
    inputs: &[AttributeValueInput],
    creating: bool,
) -> Result<Changes> {
    let mut changes: Changes = Vec::with_capacity(inputs.len());
    for input in inputs {
        let Some(attribute) = catalog.iter().find(|a| a.code == input.code) else {
            return Err(Error::invalid(
                "custom_attributes",
                format!(
                    "There is no {} attribute with the code \"{}\".",
                    match entity {
                        AttributeEntity::Customer => "customer",
                        AttributeEntity::Address => "address",
                    },
                    input.code
                ),
            ));
        };
        if changes.iter().any(|(id, _)| *id == attribute.id) {
            return Err(Error::invalid(
                "custom_attributes",
                format!("\"{}\" is given twice.", input.code),
            ));
        }
        changes.push((attribute.id, check_value(attribute, &input.value)?));
    }
    if creating {
        for attribute in catalog {
            if changes.iter().any(|(id, _)| *id == attribute.id) {
                continue;
            }
            let default = attribute.default_value.as_deref().unwrap_or_default();
            if let Some(stored) = check_value(attribute, default)? {
                changes.push((attribute.id, Some(stored)));
            }
        }
    }
    Ok(changes)
}

/// Writes the custom attribute values of customer `customer_id`.
pub async fn write_customer_values(
    txn: &impl ConnectionTrait,
    customer_id: i32,
    inputs: &[AttributeValueInput],
    creating: bool,
) -> Result<()> {
    if inputs.is_empty() && !creating {
        return Ok(());
    }
    let catalog = load(txn, AttributeEntity::Customer, None).await?;
    let changes = resolve(AttributeEntity::Customer, &catalog, inputs, creating)?;
    write_customer_changes(txn, vec![(customer_id, changes)], !creating).await
}

/// An address and the customer whose address book holds it. Address values are stored with their
/// customer, so that they sit on the same database node as the customer's other rows (Citus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressOf {
    /// The customer.
    pub customer_id: i32,
    /// The address.
    pub address_id: i32,
}

/// Writes the custom attribute values of `address`.
pub async fn write_address_values(
    txn: &impl ConnectionTrait,
    address: AddressOf,
    inputs: &[AttributeValueInput],
    creating: bool,
) -> Result<()> {
    if inputs.is_empty() && !creating {
        return Ok(());
    }
    let catalog = load(txn, AttributeEntity::Address, None).await?;
    let changes = resolve(AttributeEntity::Address, &catalog, inputs, creating)?;
    write_address_changes(txn, vec![(address, changes)], !creating).await
}

fn to_value(catalog: &[Attribute], attribute_id: i32, value: String) -> Option<AttributeValue> {
    let attribute = catalog.iter().find(|a| a.id == attribute_id)?;
    let selected_options = if attribute.input_type.has_options() {
        value
            .split(',')
            .filter_map(|id| id.trim().parse::<i32>().ok())
            .filter_map(|id| attribute.options.iter().find(|o| o.id == id))
            .map(|o| (o.id, o.label.clone()))
            .collect()
    } else {
        Vec::new()
    };
    Some(AttributeValue {
        code: attribute.code.clone(),
        value,
        selected_options,
        input: attribute.input_type.into(),
    })
}

impl AttributeService {
    /// Custom attribute values of the given customers or addresses, keyed by record id, in the
    /// attributes' sort order.
    pub async fn attribute_values(
        &self,
        entity: AttributeEntity,
        ids: &[i32],
    ) -> Result<HashMap<i32, Vec<AttributeValue>>> {
        let mut out: HashMap<i32, Vec<AttributeValue>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let catalog = self.catalog(entity).await?;
        if catalog.is_empty() {
            return Ok(out);
        }
        for chunk in ids.chunks(500) {
            let rows: Vec<(i32, i32, String)> = match entity {
                AttributeEntity::Customer => attribute_value::Entity::find()
                    .filter(attribute_value::Column::CustomerId.is_in(chunk.to_vec()))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|r| (r.customer_id, r.attribute_id, r.value))
                    .collect(),
                AttributeEntity::Address => address_attribute_value::Entity::find()
                    .filter(address_attribute_value::Column::AddressId.is_in(chunk.to_vec()))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|r| (r.address_id, r.attribute_id, r.value))
                    .collect(),
            };
            for (owner, attribute_id, value) in rows {
                if let Some(v) = to_value(&catalog, attribute_id, value) {
                    out.entry(owner).or_default().push(v);
                }
            }
        }
        let position = |code: &str| catalog.iter().position(|a| a.code == code);
        for values in out.values_mut() {
            values.sort_by_key(|v| position(&v.code));
        }
        Ok(out)
    }
}

/// Writes checked values of many customers at once (imports): the attributes each row names are
/// replaced, others are kept.
/// `existing` says the records may already have values (new records skip the delete).
pub async fn write_customer_changes(
    txn: &impl ConnectionTrait,
    rows: Vec<(i32, Changes)>,
    existing: bool,
) -> Result<()> {
    let mut inserts = Vec::new();
    for (customer_id, changes) in rows {
        if changes.is_empty() {
            continue;
        }
        if existing {
            attribute_value::Entity::delete_many()
                .filter(attribute_value::Column::CustomerId.eq(customer_id))
                .filter(
                    attribute_value::Column::AttributeId.is_in(changes.iter().map(|(id, _)| *id)),
                )
                .exec(txn)
                .await?;
        }
        for (attribute_id, stored) in changes {
            if let Some(s) = stored {
                inserts.push(attribute_value::ActiveModel {
                    customer_id: sea_orm::ActiveValue::Set(customer_id),
                    attribute_id: sea_orm::ActiveValue::Set(attribute_id),
                    value: sea_orm::ActiveValue::Set(s.value),
                    display: sea_orm::ActiveValue::Set(s.display),
                });
            }
        }
    }
    for chunk in inserts.chunks(1000) {
        attribute_value::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Writes checked values of many addresses at once (imports).
/// `existing` says the records may already have values (new records skip the delete).
pub async fn write_address_changes(
    txn: &impl ConnectionTrait,
    rows: Vec<(AddressOf, Changes)>,
    existing: bool,
) -> Result<()> {
    let mut inserts = Vec::new();
    for (address, changes) in rows {
        let AddressOf {
            customer_id,
            address_id,
        } = address;
        if changes.is_empty() {
            continue;
        }
        if existing {
            address_attribute_value::Entity::delete_many()
                .filter(address_attribute_value::Column::CustomerId.eq(customer_id))
                .filter(address_attribute_value::Column::AddressId.eq(address_id))
                .filter(
                    address_attribute_value::Column::AttributeId
                        .is_in(changes.iter().map(|(id, _)| *id)),
                )
                .exec(txn)
                .await?;
        }
        for (attribute_id, stored) in changes {
            if let Some(s) = stored {
                inserts.push(address_attribute_value::ActiveModel {
                    address_id: sea_orm::ActiveValue::Set(address_id),
                    attribute_id: sea_orm::ActiveValue::Set(attribute_id),
                    customer_id: sea_orm::ActiveValue::Set(customer_id),
                    value: sea_orm::ActiveValue::Set(s.value),
                    display: sea_orm::ActiveValue::Set(s.display),
                });
            }
        }
    }
    for chunk in inserts.chunks(1000) {
        address_attribute_value::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_repeated_codes_are_refused() {
        let inputs = vec![AttributeValueInput {
            code: "nope".into(),
            value: "x".into(),
        }];
        let err = resolve(AttributeEntity::Customer, &[], &inputs, false).expect_err("unknown");
        assert!(err.to_string().contains("nope"), "{err}");
    }
}
