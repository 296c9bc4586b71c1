//! Customer group and tax class records, and the inputs of their use cases.

/// Id of the `NOT LOGGED IN` group that every guest belongs to.
pub const NOT_LOGGED_IN_ID: i32 = 0;

/// A customer tax class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxClass {
    /// Numeric id (3 for `Retail Customer`).
    pub id: i32,
    /// Unique name.
    pub name: String,
}

/// A customer group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerGroup {
    /// Numeric id (0 `NOT LOGGED IN`, 1 `General`, …).
    pub id: i32,
    /// Unique name, fewer than 32 characters.
    pub name: String,
    /// The tax class of its customers.
    pub tax_class: TaxClass,
    /// Websites whose storefronts its customers cannot sign in to.
    pub excluded_website_ids: Vec<i32>,
}

/// Input for a new group.
#[derive(Debug, Clone)]
pub struct NewGroup {
    /// Unique name.
    pub name: String,
    /// Existing customer tax class.
    pub tax_class_id: i32,
    /// Websites to exclude.
    pub excluded_website_ids: Vec<i32>,
}

/// Changes to a group; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct GroupPatch {
    /// New name.
    pub name: Option<String>,
    /// New tax class.
    pub tax_class_id: Option<i32>,
    /// Replaces the excluded websites.
    pub excluded_website_ids: Option<Vec<i32>>,
}

/// Filters of the groups grid; every present filter must match.
#[derive(Debug, Clone, Default)]
pub struct GroupFilter {
    /// Smallest id, inclusive.
    pub id_from: Option<i32>,
    /// Largest id, inclusive.
    pub id_to: Option<i32>,
    /// Case-insensitive substring of the name.
    pub name_match: Option<String>,
    /// Exact name (case-insensitive).
    pub name_eq: Option<String>,
    /// Any of these tax classes.
    pub tax_class_ids: Option<Vec<i32>>,
}

/// Column to sort the groups grid by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupSortField {
    /// Group id.
    #[default]
    Id,
    /// Group name.
    Name,
    /// Tax class name.
    TaxClass,
}

/// Sort order of the groups grid.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupSort {
    /// Column.
    pub field: GroupSortField,
    /// Descending when true.
    pub descending: bool,
}
