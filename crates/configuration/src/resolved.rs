//! The effective configuration of one scope, with where each value came from.

use std::collections::HashMap;
use std::sync::Arc;

use crate::key::{Flag, Key, List, Number};
use crate::registry::{ConfigOption, options};

/// Where an effective value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueOrigin {
    /// Nobody set it: the documented default applies ("Use system value").
    System,
    /// Set at the default (global) scope.
    Default,
    /// Set on the website.
    Website,
    /// Set on the store view.
    StoreView,
}

/// Effective values of every option for one scope; cheap to clone (the values are shared).
#[derive(Debug, Clone)]
pub struct ResolvedConfig {
    values: Arc<HashMap<&'static str, (String, ValueOrigin)>>,
}

impl ResolvedConfig {
    /// Builds the effective values from stored rows, narrowest scope winning.
    pub(crate) fn from_layers(
        default: &HashMap<String, String>,
        website: &HashMap<String, String>,
        store: &HashMap<String, String>,
    ) -> Self {
        let values = options()
            .iter()
            .map(|o| {
                let found = [
                    (store, ValueOrigin::StoreView),
                    (website, ValueOrigin::Website),
                    (default, ValueOrigin::Default),
                ]
                .into_iter()
                .find_map(|(layer, origin)| layer.get(o.path).map(|v| (v.clone(), origin)));
                (
                    o.path,
                    found.unwrap_or_else(|| (o.default.to_owned(), ValueOrigin::System)),
                )
            })
            .collect();
        Self {
            values: Arc::new(values),
        }
    }

    /// The documented defaults with `overrides` set at the default scope, for rules driven by
    /// configuration that are checked without a database.
    pub fn with_overrides(overrides: &[(&str, &str)]) -> Self {
        let default = overrides
            .iter()
            .map(|(path, value)| ((*path).to_owned(), (*value).to_owned()))
            .collect();
        Self::from_layers(&default, &HashMap::new(), &HashMap::new())
    }

    /// The effective value of `key` as stored: the canonical text of any option (what
    /// `storeConfig` shows).
    pub fn text<R>(&self, key: Key<R>) -> &str {
        self.value(key.path())
    }

    /// Where the value of `key` came from.
    pub fn origin<R>(&self, key: Key<R>) -> ValueOrigin {
        self.values
            .get(key.path())
            .map(|(_, o)| *o)
            .unwrap_or(ValueOrigin::System)
    }

    /// The flag's value (`1` is true).
    pub fn flag(&self, key: Key<Flag>) -> bool {
        self.text(key) == "1"
    }

    /// The number, unless the option is empty (where that means its documented fallback) or
    /// holds no number.
    pub fn number(&self, key: Key<Number>) -> Option<i64> {
        self.text(key).parse().ok()
    }

    /// The items of a comma-separated list, trimmed, without empty ones.
    pub fn list(&self, key: Key<List>) -> Vec<&str> {
        self.text(key)
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect()
    }

    /// The value at a registered `path`; every path this crate reads comes from the registry.
    pub(crate) fn value(&self, path: &str) -> &str {
        self.values.get(path).map(|(v, _)| v.as_str()).unwrap_or("")
    }

    /// Every option with its effective value, in reference order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static ConfigOption, &str, ValueOrigin)> {
        options().iter().map(|o| {
            let (value, origin) = &self.values[o.path];
            (o, value.as_str(), *origin)
        })
    }
}
