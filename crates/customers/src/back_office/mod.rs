//! The back office: the Customers grid, mass actions, import, export and
//! the seeding of demo data. Everything here reads or changes many accounts at once.

pub(crate) mod export;
pub(crate) mod grid;
pub(crate) mod import;
pub(crate) mod mass;
mod seed;

use crate::shared::Shared;

/// The Customers grid, mass actions, import, export and seed data.
#[derive(Clone)]
pub struct BackOffice {
    shared: Shared,
    jobs: clientele_imports::ImportJobs,
}

impl BackOffice {
    pub(crate) fn new(shared: Shared) -> Self {
        Self {
            jobs: clientele_imports::ImportJobs::new(shared.db.clone(), shared.clock.clone()),
            shared,
        }
    }
}
