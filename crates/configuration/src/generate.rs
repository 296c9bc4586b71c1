//! Writes `keys.rs` from the registry, and checks in every test run that it is in step.

use crate::registry::{ConfigOption, options};
use crate::value::ValueKind::*;

/// The source of `keys.rs`: a typed key for every option, grouped by section.
fn generated_keys() -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write;

    let mut sections: BTreeMap<&str, Vec<&ConfigOption>> = BTreeMap::new();
    for o in options() {
        let section = o.path.split('/').next().unwrap_or_default();
        sections.entry(section).or_default().push(o);
    }
    let mut out = String::from(
        "//! A typed key for every registered option, generated from the registry \
         (`UPDATE_KEYS=1 cargo test -p clientele-configuration keys`): read options with these.\n",
    );
    for (section, section_options) in sections {
        let _ = write!(
            out,
            "\n/// Options under `{section}/`.\npub mod {section} {{\n    #[allow(unused_imports)]\n    use crate::key::{{Flag, Key, List, Number, Text}};\n"
        );
        for o in section_options {
            let mut parts = o.path.splitn(2, '/');
            let name = parts
                .nth(1)
                .unwrap_or_default()
                .replace('/', "_")
                .to_uppercase();
            let reading = match o.kind {
                Bool => "Flag",
                Int { .. } | OptionalInt { .. } | CustomerGroup { .. } => "Number",
                MultiChoice(_) | CountryList => "List",
                _ => "Text",
            };
            let _ = write!(
                out,
                "\n    /// {} ({}).\n    pub const {name}: Key<{reading}> = Key::new(\"{}\");\n",
                o.label, o.group, o.path
            );
        }
        out.push_str("}\n");
    }
    out
}

#[test]
fn keys_are_generated_from_the_registry() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/src/keys.rs");
    let expected = generated_keys();
    let current = std::fs::read_to_string(file).unwrap_or_default();
    if current != expected {
        if std::env::var_os("UPDATE_KEYS").is_some() {
            std::fs::write(file, &expected).expect("write keys.rs");
        } else {
            panic!(
                "src/keys.rs is out of date: run `UPDATE_KEYS=1 cargo test -p clientele-configuration keys`"
            );
        }
    }
}
