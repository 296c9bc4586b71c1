//! Checks on a parsed document that GraphQL validation does not make: which operation runs (so a
//! mutation sent with GET is refused before anything executes), how many aliases it uses, and
//! whether it selects more than one sensitive root field (aliased brute force of sign-in).

use std::collections::HashSet;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationDefinition, OperationType, Selection,
    SelectionSet,
};

/// Root fields that check or hash a password, or send an email: at most one per document.
pub(crate) const SENSITIVE_ROOT_FIELDS: &[&str] = &[
    "generateCustomerToken",
    "generateStaffToken",
    "generateCustomerTokenAsAdmin",
    "requestPasswordResetEmail",
    "resetPassword",
    "confirmEmail",
    "resendConfirmationEmail",
    "changeCustomerPassword",
    "updateCustomerEmail",
    "updateCustomer",
    "createCustomer",
    "createCustomerV2",
    "sendCustomerPasswordReset",
    "subscribeEmailToNewsletter",
    "confirmNewsletterSubscription",
    "exchangeOtpForCustomerToken",
    "exchangeExternalCustomerToken",
];

/// The operation a request will run: the named one, or the only one.
pub(crate) fn selected_operation<'a>(
    doc: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| &op.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node)
        }
        _ => None,
    }
}

/// Whether any operation of the document is a mutation that could run.
pub(crate) fn is_mutation(doc: &ExecutableDocument, name: Option<&str>) -> bool {
    match selected_operation(doc, name) {
        Some(op) => op.ty == OperationType::Mutation,
        None => doc
            .operations
            .iter()
            .any(|(_, op)| op.node.ty == OperationType::Mutation),
    }
}

/// Number of aliased fields in the whole document.
pub(crate) fn alias_count(doc: &ExecutableDocument) -> usize {
    let in_operations: usize = doc
        .operations
        .iter()
        .map(|(_, op)| aliases_in(&op.node.selection_set.node))
        .sum();
    let in_fragments: usize = doc
        .fragments
        .values()
        .map(|f| aliases_in(&f.node.selection_set.node))
        .sum();
    in_operations + in_fragments
}

fn aliases_in(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + aliases_in(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => aliases_in(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// How many sensitive root fields the document selects, across every operation (fragment
/// spreads at the root are followed, each fragment once).
pub(crate) fn sensitive_root_field_count(doc: &ExecutableDocument) -> usize {
    let mut seen = HashSet::new();
    doc.operations
        .iter()
        .map(|(_, op)| sensitive_in(doc, &op.node.selection_set.node, &mut seen))
        .sum()
}

fn sensitive_in<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut HashSet<&'a str>,
) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                usize::from(SENSITIVE_ROOT_FIELDS.contains(&f.node.name.node.as_str()))
            }
            Selection::InlineFragment(f) => sensitive_in(doc, &f.node.selection_set.node, seen),
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                match doc.fragments.get(name) {
                    Some(fragment) if seen.insert(name) => {
                        sensitive_in(doc, &fragment.node.selection_set.node, seen)
                    }
                    _ => 0,
                }
            }
        })
        .sum()
}

/// Whether the document asks for the schema (`__schema` or `__type` at the root).
pub(crate) fn selects_introspection(doc: &ExecutableDocument) -> bool {
    let mut seen = HashSet::new();
    doc.operations
        .iter()
        .any(|(_, op)| introspection_in(doc, &op.node.selection_set.node, &mut seen))
}

fn introspection_in<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut HashSet<&'a str>,
) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(f) => matches!(f.node.name.node.as_str(), "__schema" | "__type"),
        Selection::InlineFragment(f) => introspection_in(doc, &f.node.selection_set.node, seen),
        Selection::FragmentSpread(s) => {
            let name = s.node.fragment_name.node.as_str();
            match doc.fragments.get(name) {
                Some(fragment) if seen.insert(name) => {
                    introspection_in(doc, &fragment.node.selection_set.node, seen)
                }
                _ => false,
            }
        }
    })
}

/// The root fields of operation `op`, in document order (fragments followed, each once).
pub(crate) fn root_fields<'a>(
    doc: &'a ExecutableDocument,
    op: &'a OperationDefinition,
) -> Vec<&'a Field> {
    fn collect<'a>(
        doc: &'a ExecutableDocument,
        set: &'a SelectionSet,
        seen: &mut HashSet<&'a str>,
        out: &mut Vec<&'a Field>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => out.push(&f.node),
                Selection::InlineFragment(f) => collect(doc, &f.node.selection_set.node, seen, out),
                Selection::FragmentSpread(s) => {
                    let name = s.node.fragment_name.node.as_str();
                    if let Some(fragment) = doc.fragments.get(name)
                        && seen.insert(name)
                    {
                        collect(doc, &fragment.node.selection_set.node, seen, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    collect(doc, &op.selection_set.node, &mut HashSet::new(), &mut out);
    out
}

/// A root field's response key: its alias, or its name.
pub(crate) fn response_key(field: &Field) -> String {
    field
        .alias
        .as_ref()
        .map_or_else(|| field.name.node.to_string(), |a| a.node.to_string())
}

/// The root fields a mutation request will run, in document order (fragments followed, each
/// once), as (response key, field name) pairs; empty for queries.
pub(crate) fn mutation_root_fields(
    doc: &ExecutableDocument,
    name: Option<&str>,
) -> Vec<(String, String)> {
    let Some(op) = selected_operation(doc, name).filter(|op| op.ty == OperationType::Mutation)
    else {
        return Vec::new();
    };
    root_fields(doc, op)
        .into_iter()
        .map(|field| (response_key(field), field.name.node.to_string()))
        .collect()
}

/// The first root field of the selected operation, used to label metrics.
pub(crate) fn first_root_field(doc: &ExecutableDocument, name: Option<&str>) -> Option<String> {
    let op = selected_operation(doc, name)?;
    op.selection_set
        .node
        .items
        .iter()
        .find_map(|item| match &item.node {
            Selection::Field(f) => Some(f.node.name.node.to_string()),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(q).expect("valid")
    }

    #[test]
    fn mutation_root_fields_follow_fragments_and_skip_queries() {
        let doc =
            parse("mutation { a ...F ... on Mutation { c } } fragment F on Mutation { x: b ...F }");
        let pairs: Vec<(String, String)> = [("a", "a"), ("x", "b"), ("c", "c")]
            .iter()
            .map(|(k, n)| (k.to_string(), n.to_string()))
            .collect();
        assert_eq!(mutation_root_fields(&doc, None), pairs);
        assert!(mutation_root_fields(&parse("{ a }"), None).is_empty());
    }

    #[test]
    fn mutations_are_recognised_by_the_selected_operation() {
        assert!(is_mutation(&parse("mutation { a }"), None));
        assert!(!is_mutation(&parse("{ a }"), None));
        let both = parse("query Q { a } mutation M { b }");
        assert!(is_mutation(&both, Some("M")));
        assert!(!is_mutation(&both, Some("Q")));
        assert!(
            is_mutation(&both, None),
            "ambiguous documents count as mutations"
        );
    }

    #[test]
    fn aliases_are_counted_everywhere() {
        let doc = parse("{ a: x b: y { c: z } ...F } fragment F on Query { d: w }");
        assert_eq!(alias_count(&doc), 4);
    }

    #[test]
    fn sensitive_fields_are_found_through_aliases_and_fragments() {
        let doc = parse(
            "mutation { a: generateStaffToken(email:\"x\", password:\"y\") { token } ...F } \
             fragment F on Mutation { generateStaffToken(email:\"x\", password:\"z\") { token } }",
        );
        assert_eq!(sensitive_root_field_count(&doc), 2);
        let cyclic =
            parse("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }");
        assert_eq!(sensitive_root_field_count(&cyclic), 0);
    }

    #[test]
    fn introspection_is_found_at_the_root_and_through_fragments() {
        assert!(selects_introspection(&parse(
            "{ __schema { types { name } } }"
        )));
        assert!(selects_introspection(&parse(
            "{ ...F } fragment F on Query { __type(name: \"X\") { name } }"
        )));
        assert!(!selects_introspection(&parse(
            "{ __typename storeConfig { store_code } }"
        )));
    }
}
