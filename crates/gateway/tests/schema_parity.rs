//! The storefront schema serves every name of Adobe Commerce's customer-domain schema, in each
//! version the clients in the field target (2.4.8, 2.4.9 and Adobe Commerce as a Cloud Service),
//! with types a client cannot tell apart: an output may be stricter (never null where Adobe's may
//! be), an input never is, and no argument or input field is required that Adobe's leaves out.
//!
//! The reference files in `reference/adobe-commerce/` are Adobe's published SDL of that domain.
//! A difference is allowed only when `reference/parity-allowlist.txt` names it with its reason;
//! an entry that no longer matches a difference fails too, so the list only shrinks.

#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    BaseType, InputValueDefinition, Type, TypeDefinition, TypeKind, TypeSystemDefinition,
};

const REFERENCES: [&str; 3] = [
    "customer-2.4.8.graphql",
    "customer-2.4.9.graphql",
    "customer-saas.graphql",
];

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("reference")
}

/// The type definitions of an SDL document, by name.
fn types(sdl: &str) -> HashMap<String, TypeDefinition> {
    let document = parse_schema(sdl).expect("SDL parses");
    document
        .definitions
        .into_iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) => Some((t.node.name.node.to_string(), t.node)),
            _ => None,
        })
        .collect()
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Scalar => "scalar",
        TypeKind::Object(_) => "type",
        TypeKind::Interface(_) => "interface",
        TypeKind::Union(_) => "union",
        TypeKind::Enum(_) => "enum",
        TypeKind::InputObject(_) => "input",
    }
}

/// Whether a value of type `ours` is always a valid value of type `theirs` (outputs: ours may be
/// non-null where theirs is nullable, never the other way).
fn output_fits(ours: &Type, theirs: &Type) -> bool {
    if !theirs.nullable && ours.nullable {
        return false;
    }
    match (&ours.base, &theirs.base) {
        (BaseType::Named(a), BaseType::Named(b)) => a == b,
        (BaseType::List(a), BaseType::List(b)) => output_fits(a, b),
        _ => false,
    }
}

/// Whether every value a client may send for `theirs` is accepted by `ours` (inputs: ours may
/// be nullable where theirs is non-null, never the other way).
fn input_fits(ours: &Type, theirs: &Type) -> bool {
    output_fits(theirs, ours)
}

fn required(value: &InputValueDefinition) -> bool {
    !value.ty.node.nullable && value.default_value.is_none()
}

/// Compares `ours` with one reference, adding each difference as `(key, description)`.
fn differences(
    ours: &HashMap<String, TypeDefinition>,
    theirs: &HashMap<String, TypeDefinition>,
    version: &str,
    found: &mut BTreeMap<String, BTreeSet<String>>,
) {
    let mut note = |key: String, what: String| {
        found
            .entry(key)
            .or_default()
            .insert(format!("{version}: {what}"));
    };
    for (name, reference) in theirs {
        let Some(own) = ours.get(name) else {
            note(
                name.clone(),
                format!("missing {}", kind_name(&reference.kind)),
            );
            continue;
        };
        if kind_name(&own.kind) != kind_name(&reference.kind) {
            note(
                name.clone(),
                format!(
                    "is a {} here, a {} in Adobe's",
                    kind_name(&own.kind),
                    kind_name(&reference.kind)
                ),
            );
            continue;
        }
        match (&own.kind, &reference.kind) {
            (TypeKind::Object(a), TypeKind::Object(b)) => {
                let implemented: BTreeSet<_> = a.implements.iter().map(|i| &i.node).collect();
                for interface in &b.implements {
                    if !implemented.contains(&interface.node) {
                        note(
                            name.clone(),
                            format!("does not implement {}", interface.node),
                        );
                    }
                }
                fields(name, &a.fields, &b.fields, &mut note);
            }
            (TypeKind::Interface(a), TypeKind::Interface(b)) => {
                fields(name, &a.fields, &b.fields, &mut note);
            }
            (TypeKind::InputObject(a), TypeKind::InputObject(b)) => {
                input_values(name, &a.fields, &b.fields, &mut note);
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let values: BTreeSet<_> = a.values.iter().map(|v| &v.node.value.node).collect();
                for value in &b.values {
                    if !values.contains(&value.node.value.node) {
                        note(
                            format!("{name}.{}", value.node.value.node),
                            "missing enum value".into(),
                        );
                    }
                }
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                let members: BTreeSet<_> = a.members.iter().map(|m| &m.node).collect();
                for member in &b.members {
                    if !members.contains(&member.node) {
                        note(name.clone(), format!("lacks member {}", member.node));
                    }
                }
            }
            _ => {}
        }
    }
}

fn fields(
    type_name: &str,
    ours: &[async_graphql::Positioned<async_graphql::parser::types::FieldDefinition>],
    theirs: &[async_graphql::Positioned<async_graphql::parser::types::FieldDefinition>],
    note: &mut impl FnMut(String, String),
) {
    for reference in theirs {
        let reference = &reference.node;
        let key = format!("{type_name}.{}", reference.name.node);
        let Some(own) = ours
            .iter()
            .find(|f| f.node.name.node == reference.name.node)
        else {
            note(key, format!("missing field of type {}", reference.ty.node));
            continue;
        };
        let own = &own.node;
        if !output_fits(&own.ty.node, &reference.ty.node) {
            note(
                key.clone(),
                format!("is {} here, {} in Adobe's", own.ty.node, reference.ty.node),
            );
        }
        input_values(&key, &own.arguments, &reference.arguments, note);
    }
}

/// Arguments of a field or fields of an input object.
fn input_values(
    owner: &str,
    ours: &[async_graphql::Positioned<InputValueDefinition>],
    theirs: &[async_graphql::Positioned<InputValueDefinition>],
    note: &mut impl FnMut(String, String),
) {
    for reference in theirs {
        let reference = &reference.node;
        let key = format!("{owner}({})", reference.name.node);
        match ours
            .iter()
            .find(|a| a.node.name.node == reference.name.node)
        {
            None => note(key, format!("missing, of type {}", reference.ty.node)),
            Some(own) if !input_fits(&own.node.ty.node, &reference.ty.node) => note(
                key,
                format!(
                    "takes {} here, {} in Adobe's",
                    own.node.ty.node, reference.ty.node
                ),
            ),
            Some(_) => {}
        }
    }
    for own in ours {
        let known = theirs
            .iter()
            .any(|r| r.node.name.node == own.node.name.node);
        if !known && required(&own.node) {
            note(
                format!("{owner}({})", own.node.name.node),
                "required here, unknown to Adobe's".into(),
            );
        }
    }
}

/// Enum values served that no reference version has: a client generated from Adobe's schema
/// could not read them.
fn extra_enum_values(
    ours: &HashMap<String, TypeDefinition>,
    references: &[HashMap<String, TypeDefinition>],
    found: &mut BTreeMap<String, BTreeSet<String>>,
) {
    for (name, own) in ours {
        let TypeKind::Enum(own) = &own.kind else {
            continue;
        };
        let known: BTreeSet<String> = references
            .iter()
            .filter_map(|r| match r.get(name).map(|t| &t.kind) {
                Some(TypeKind::Enum(e)) => Some(e.values.iter().map(|v| v.node.value.to_string())),
                _ => None,
            })
            .flatten()
            .collect();
        if known.is_empty() {
            continue;
        }
        for value in &own.values {
            let value = value.node.value.node.to_string();
            if !known.contains(&value) {
                found
                    .entry(format!("{name}.{value}"))
                    .or_default()
                    .insert("served, but in no Adobe version".into());
            }
        }
    }
}

/// `key: reason` lines; `#` starts a comment.
fn allowlist() -> BTreeMap<String, String> {
    let text =
        std::fs::read_to_string(reference_dir().join("parity-allowlist.txt")).expect("allowlist");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, reason) = l.split_once(": ").expect("`key: reason`");
            assert!(!reason.trim().is_empty(), "{key} needs a reason");
            (key.trim().to_owned(), reason.trim().to_owned())
        })
        .collect()
}

#[test]
fn the_storefront_serves_adobe_commerces_customer_schema() {
    let ours = types(&clientele_gateway::graphql::storefront_sdl());
    let references: Vec<_> = REFERENCES
        .iter()
        .map(|file| {
            let path = reference_dir().join("adobe-commerce").join(file);
            types(&std::fs::read_to_string(&path).expect("reference file"))
        })
        .collect();
    let mut found = BTreeMap::new();
    for (file, reference) in REFERENCES.iter().zip(&references) {
        differences(&ours, reference, file, &mut found);
    }
    extra_enum_values(&ours, &references, &mut found);

    let allowed = allowlist();
    let unexplained: Vec<String> = found
        .iter()
        .filter(|(key, _)| !allowed.contains_key(*key))
        .map(|(key, what)| {
            format!(
                "{key}: {}",
                what.iter().cloned().collect::<Vec<_>>().join("; ")
            )
        })
        .collect();
    let stale: Vec<&String> = allowed.keys().filter(|k| !found.contains_key(*k)).collect();
    assert!(
        unexplained.is_empty(),
        "differences from Adobe Commerce's schema:\n{}",
        unexplained.join("\n")
    );
    assert!(
        stale.is_empty(),
        "allowlist entries that no longer match a difference: {stale:?}"
    );
}

#[test]
fn the_comparison_tells_outputs_from_inputs() {
    let ty = |s: &str| Type::new(s).expect("type");
    assert!(output_fits(&ty("[String!]!"), &ty("[String]")));
    assert!(!output_fits(&ty("[String]"), &ty("[String!]")));
    assert!(!output_fits(&ty("Int"), &ty("ID")));
    assert!(input_fits(&ty("[String]"), &ty("[String!]!")));
    assert!(!input_fits(&ty("Int!"), &ty("Int")));
}
