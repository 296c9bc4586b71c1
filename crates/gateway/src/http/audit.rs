//! The staff audit log's lines for admin requests: one per root field that changes something
//! (every mutation) or reads personal data, with the ids its arguments name and how it ended.

use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerError, Value, Variables};
use clientele_audit::{ActionKind, Caller, NewAdminAction, Outcome};
use clientele_kernel::acting::Actor;
use serde_json::Map;

use crate::graphql::codes::code;
use crate::graphql::document::{response_key, root_fields, selected_operation};

/// Admin queries that read personal data (of customers or of staff): logged as reads.
const PERSONAL_DATA_READS: &[&str] = &[
    "customer",
    "customers",
    "onlineCustomers",
    "emailOutbox",
    "loginAsCustomerLog",
    "staffUser",
    "staffUsers",
    "adminActions",
    "webhookDeliveries",
    "exportCustomerData",
    "customerErasures",
];

/// Most values kept of one id argument (a mass action names up to thousands).
const MAX_IDS_PER_ARGUMENT: usize = 1_000;

/// A root field to log, before it runs.
pub(crate) struct Audited {
    /// Its response key, which errors name in their path.
    key: String,
    operation: String,
    kind: ActionKind,
    targets: Map<String, serde_json::Value>,
}

/// The root fields of the request's operation to log: every field of a mutation, and the
/// fields of a query that read personal data.
pub(crate) fn audited_fields(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Vec<Audited> {
    let Some(op) = selected_operation(doc, operation_name) else {
        return Vec::new();
    };
    root_fields(doc, op)
        .into_iter()
        .filter_map(|field| {
            let name = field.name.node.as_str();
            let kind = match op.ty {
                OperationType::Mutation => ActionKind::Change,
                OperationType::Query if PERSONAL_DATA_READS.contains(&name) => ActionKind::Read,
                _ => return None,
            };
            let mut targets = Map::new();
            for (argument, value) in &field.arguments {
                let value = value
                    .node
                    .clone()
                    .into_const_with(|var| {
                        Ok::<_, std::convert::Infallible>(
                            variables.get(&var).cloned().unwrap_or(Value::Null),
                        )
                    })
                    .unwrap_or(Value::Null);
                collect_ids(argument.node.as_str(), &value, &mut targets);
            }
            Some(Audited {
                key: response_key(field),
                operation: name.to_owned(),
                kind,
                targets,
            })
        })
        .collect()
}

/// Fields named like ids that hold a person's data: tax and VAT numbers.
const PERSONAL_NUMBERS: &[&str] = &["vat_id", "vatId", "VatId"];

/// Whether an argument or input field named `name` holds ids.
fn names_ids(name: &str) -> bool {
    if PERSONAL_NUMBERS.iter().any(|field| name.ends_with(field)) {
        return false;
    }
    name == "id"
        || name == "ids"
        || ["_id", "_ids", "Id", "Ids"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// The id-valued entries of `value` (an argument named `name`, or found inside it), into
/// `targets`: ids and uids are kept, every other value (names, emails, passwords) is not.
fn collect_ids(name: &str, value: &Value, targets: &mut Map<String, serde_json::Value>) {
    match value {
        Value::Object(fields) => {
            for (field, inner) in fields {
                collect_ids(field.as_str(), inner, targets);
            }
        }
        Value::Number(_) | Value::String(_) if names_ids(name) => {
            if let Ok(id) = value.clone().into_json() {
                targets.insert(name.to_owned(), id);
            }
        }
        Value::List(items) if names_ids(name) => {
            let ids: Vec<serde_json::Value> = items
                .iter()
                .filter(|item| matches!(item, Value::Number(_) | Value::String(_)))
                .take(MAX_IDS_PER_ARGUMENT)
                .filter_map(|item| item.clone().into_json().ok())
                .collect();
            targets.insert(name.to_owned(), serde_json::Value::Array(ids));
        }
        Value::List(items) => {
            for item in items {
                collect_ids(name, item, targets);
            }
        }
        _ => {}
    }
}

/// The caller of an admin request, as the log names it.
pub(crate) fn caller(actor: &Actor) -> Caller {
    match actor {
        Actor::Staff { staff_user_id } => Caller::Staff(*staff_user_id),
        Actor::Integration { integration_id } => Caller::Integration(*integration_id),
        _ => Caller::Anonymous,
    }
}

/// The log lines of `fields` once the request has run with `errors`.
pub(crate) fn lines(
    fields: Vec<Audited>,
    errors: &[ServerError],
    caller: Caller,
    request_id: Option<&str>,
    ip: &str,
) -> Vec<NewAdminAction> {
    fields
        .into_iter()
        .map(|field| {
            // An error with no path failed the whole request (validation, a missing token).
            let error = errors.iter().find(|e| match e.path.first() {
                None => true,
                Some(async_graphql::PathSegment::Field(key)) => *key == field.key,
                Some(_) => false,
            });
            let error_code = error.and_then(|e| {
                e.extensions.as_ref().and_then(|x| match x.get("code") {
                    Some(Value::String(given)) => Some(given.clone()),
                    _ => None,
                })
            });
            let outcome = match (error, error_code.as_deref()) {
                (None, _) => Outcome::Success,
                (Some(_), Some(code::FORBIDDEN | code::UNAUTHENTICATED)) => Outcome::Denied,
                (Some(_), _) => Outcome::Failure,
            };
            NewAdminAction {
                caller,
                operation: field.operation,
                kind: field.kind,
                targets: field.targets,
                outcome,
                error_code,
                request_id: request_id.map(str::to_owned),
                ip: Some(ip.to_owned()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn fields(query: &str, variables: serde_json::Value) -> Vec<Audited> {
        let doc = parse_query(query).expect("parse");
        audited_fields(&doc, None, &Variables::from_json(variables))
    }

    #[test]
    fn tax_and_vat_numbers_are_not_ids() {
        for number in ["vat_id", "billing_vat_id", "vatId"] {
            assert!(!names_ids(number), "{number}");
        }
        for id in ["id", "customer_id", "webhookId", "ids"] {
            assert!(names_ids(id), "{id}");
        }
    }

    #[test]
    fn changes_and_personal_reads_are_logged_with_their_ids_only() {
        let logged = fields(
            "mutation($i: UpdateCustomerInput!) { a: updateCustomer(id: 7, input: $i) { id } massDeleteCustomers(input: {selection: {ids: [1, 2]}}) { changed } redeliverWebhookEvent(webhookId: 4, eventId: \"e1\") { id } }",
            serde_json::json!({"i": {"firstname": "Ann", "group_id": 3, "email": "ann@example.com"}}),
        );
        let seen: Vec<(&str, &str, serde_json::Value)> = logged
            .iter()
            .map(|f| {
                (
                    f.key.as_str(),
                    f.operation.as_str(),
                    serde_json::Value::Object(f.targets.clone()),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "a",
                    "updateCustomer",
                    serde_json::json!({"id": 7, "group_id": 3})
                ),
                (
                    "massDeleteCustomers",
                    "massDeleteCustomers",
                    serde_json::json!({"ids": [1, 2]})
                ),
                (
                    "redeliverWebhookEvent",
                    "redeliverWebhookEvent",
                    serde_json::json!({"webhookId": 4, "eventId": "e1"})
                ),
            ]
        );
        assert!(logged.iter().all(|f| f.kind == ActionKind::Change));

        let reads = fields(
            "{ customer(id: 9) { email } customerGroups { total_count } }",
            serde_json::json!({}),
        );
        assert_eq!(reads.len(), 1, "group lists hold no personal data");
        assert_eq!(
            (reads[0].operation.as_str(), reads[0].kind),
            ("customer", ActionKind::Read)
        );
    }

    #[test]
    fn a_fields_outcome_is_its_own_error_or_the_whole_requests() {
        let logged = fields(
            "mutation { deleteCustomer(id: 1) unlockCustomer(id: 2) { id } }",
            serde_json::json!({}),
        );
        let mut denied = ServerError::new("no", None);
        denied.path = vec![async_graphql::PathSegment::Field("deleteCustomer".into())];
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", code::FORBIDDEN);
        denied.extensions = Some(extensions);
        let lines = lines(logged, &[denied], Caller::Staff(4), Some("r"), "192.0.2.1");
        let outcomes: Vec<(Outcome, Option<&str>)> = lines
            .iter()
            .map(|l| (l.outcome, l.error_code.as_deref()))
            .collect();
        assert_eq!(
            outcomes,
            [
                (Outcome::Denied, Some(code::FORBIDDEN)),
                (Outcome::Success, None)
            ]
        );
    }
}
