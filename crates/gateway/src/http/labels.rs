//! The `operation` label of the request metrics: a root field of the endpoint's schema,
//! `introspection`, `invalid` (the request or document could not be read) or `unknown` (a field
//! the schema does not have). A closed set, so no caller can add a series.

use std::collections::HashSet;

use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

use super::transport::Endpoint;

/// The label of a request that was refused before its document could be read.
pub(crate) const INVALID: &str = "invalid";
/// The label of a root field the endpoint's schema does not have.
pub(crate) const UNKNOWN: &str = "unknown";
/// The label of the introspection fields (`__schema`, `__type`, `__typename`).
pub(crate) const INTROSPECTION: &str = "introspection";

/// The root field names of both endpoints.
#[derive(Debug, Default)]
pub(crate) struct OperationLabels {
    storefront: HashSet<String>,
    admin: HashSet<String>,
}

impl OperationLabels {
    /// The labels of the two schemas, from their SDL.
    pub(crate) fn from_sdl(storefront: &str, admin: &str) -> Self {
        Self {
            storefront: root_fields(storefront),
            admin: root_fields(admin),
        }
    }

    /// The label of a request whose first root field is `field`.
    pub(crate) fn label(&self, endpoint: Endpoint, field: Option<&str>) -> String {
        let known = match endpoint {
            Endpoint::Storefront => &self.storefront,
            Endpoint::Admin => &self.admin,
        };
        match field {
            Some(f) if f.starts_with("__") => INTROSPECTION.into(),
            Some(f) if known.contains(f) => f.into(),
            _ => UNKNOWN.into(),
        }
    }
}

/// The fields of the `Query`, `Mutation` and `Subscription` types of `sdl`.
fn root_fields(sdl: &str) -> HashSet<String> {
    let Ok(document) = async_graphql::parser::parse_schema(sdl) else {
        return HashSet::new();
    };
    document
        .definitions
        .iter()
        .filter_map(|definition| match definition {
            TypeSystemDefinition::Type(t)
                if ["Query", "Mutation", "Subscription"].contains(&t.node.name.node.as_str()) =>
            {
                match &t.node.kind {
                    TypeKind::Object(object) => Some(object.fields.clone()),
                    _ => None,
                }
            }
            _ => None,
        })
        .flatten()
        .map(|field| field.node.name.node.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_schemas_root_fields_are_labels() {
        let labels = OperationLabels::from_sdl(
            "type Query { storeConfig: Int } type Mutation { createCustomerV2: Int }",
            "type Query { customers: Int }",
        );
        let storefront = |f| labels.label(Endpoint::Storefront, f);
        assert_eq!(storefront(Some("storeConfig")), "storeConfig");
        assert_eq!(storefront(Some("createCustomerV2")), "createCustomerV2");
        assert_eq!(storefront(Some("customers")), UNKNOWN, "an admin field");
        assert_eq!(storefront(Some("made_up_1234")), UNKNOWN);
        assert_eq!(storefront(Some("__schema")), INTROSPECTION);
        assert_eq!(storefront(None), UNKNOWN);
        assert_eq!(
            labels.label(Endpoint::Admin, Some("customers")),
            "customers"
        );
    }
}
