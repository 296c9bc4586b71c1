//! Websites, store groups and store views: the scopes that customers, configuration and groups hang
//! from. A fresh database holds website `base`, store group `main_website_store` and store view
//! `default`, as Adobe Commerce does.

mod entity;
mod model;
mod service;

pub use model::{
    NewStoreGroup, NewStoreView, NewWebsite, StoreGroup, StoreGroupPatch, StoreView,
    StoreViewPatch, Website, WebsitePatch,
};
pub use service::StoreService;

#[cfg(test)]
mod tests;
