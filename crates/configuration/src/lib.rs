//! Scoped configuration: every option of the Customer Configuration reference (and the related
//! pages the API needs) with its documented default, its widest and narrowest scope, and its type.
//!
//! Values resolve store view → website → default → documented default. Only values that differ
//! from their parent are stored. Writes are validated as a whole and applied atomically.

mod entity;
#[cfg(test)]
mod generate;
mod key;
#[rustfmt::skip]
pub mod keys;
mod registry;
mod resolved;
mod service;
mod value;

pub use key::{Flag, Key, List, Number, Text};
pub use registry::{ConfigOption, ScopeLevel, option, options};
pub use resolved::{ResolvedConfig, ValueOrigin};
pub use service::{ConfigChangeGuard, ConfigService, ReferenceChecker, Scope};
pub use value::ValueKind;

#[cfg(test)]
mod tests;
