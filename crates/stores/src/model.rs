//! Store hierarchy records and the inputs that create or change them.

/// A website: the widest scope below global; customer accounts may be shared per website.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website {
    /// Numeric id (1 for `base`).
    pub id: i32,
    /// Unique code, e.g. `base`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Position in lists.
    pub sort_order: i32,
    /// The store group used when none is named.
    pub default_group_id: Option<i32>,
    /// Whether this is the default website of the installation.
    pub is_default: bool,
}

/// A store group (Adobe Commerce "store"): belongs to one website, holds store views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreGroup {
    /// Numeric id.
    pub id: i32,
    /// Owning website.
    pub website_id: i32,
    /// Unique code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The store view used when none is named.
    pub default_store_id: Option<i32>,
}

/// A store view: the narrowest configuration scope, picked by the storefront `Store` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreView {
    /// Numeric id (1 for `default`).
    pub id: i32,
    /// Unique code sent in the `Store` header.
    pub code: String,
    /// Website of its group.
    pub website_id: i32,
    /// Owning store group.
    pub group_id: i32,
    /// Display name.
    pub name: String,
    /// Position in lists.
    pub sort_order: i32,
    /// Inactive views are not served to storefronts.
    pub is_active: bool,
}

/// Input for a new website.
#[derive(Debug, Clone)]
pub struct NewWebsite {
    /// Unique code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Position in lists.
    pub sort_order: i32,
}

/// Changes to a website; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct WebsitePatch {
    /// New code.
    pub code: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New position.
    pub sort_order: Option<i32>,
    /// New default group; must belong to this website.
    pub default_group_id: Option<i32>,
    /// `Some(true)` makes this the default website (and unsets the previous one).
    pub is_default: Option<bool>,
}

/// Input for a new store group.
#[derive(Debug, Clone)]
pub struct NewStoreGroup {
    /// Owning website.
    pub website_id: i32,
    /// Unique code.
    pub code: String,
    /// Display name.
    pub name: String,
}

/// Changes to a store group.
#[derive(Debug, Clone, Default)]
pub struct StoreGroupPatch {
    /// New code.
    pub code: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New default store view; must belong to this group.
    pub default_store_id: Option<i32>,
}

/// Input for a new store view.
#[derive(Debug, Clone)]
pub struct NewStoreView {
    /// Owning store group (the website follows from it).
    pub group_id: i32,
    /// Unique code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Position in lists.
    pub sort_order: i32,
    /// Whether storefronts may use it.
    pub is_active: bool,
}

/// Changes to a store view.
#[derive(Debug, Clone, Default)]
pub struct StoreViewPatch {
    /// New code.
    pub code: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New position.
    pub sort_order: Option<i32>,
    /// Activate or deactivate (a default store view cannot be deactivated).
    pub is_active: Option<bool>,
}
