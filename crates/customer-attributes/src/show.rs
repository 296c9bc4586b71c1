//! Whether a configurable system field (prefix, date of birth, telephone…) is shown, as the Name
//! and Address options set it: the storefront forms list it so, and account writes require it so.

use clientele_configuration::{Key, ResolvedConfig, Text};

/// Whether a configurable field is shown, and whether it must be filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Not collected.
    Hidden,
    /// Collected when given.
    Optional,
    /// Must be given.
    Required,
}

impl Show {
    /// How the field the show option `key` governs is shown, as `config` sets it.
    pub fn configured(config: &ResolvedConfig, key: Key<Text>) -> Self {
        match config.text(key) {
            "req" => Show::Required,
            "opt" | "1" => Show::Optional,
            _ => Show::Hidden,
        }
    }
}
