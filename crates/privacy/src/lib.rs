//! Privacy: the export of everything held about a customer (GDPR articles 15 and 20) and their
//! erasure (article 17). Each domain that holds personal data exports and erases its own share
//! through [`PersonalData`](clientele_kernel::personal_data::PersonalData); this crate runs them
//! all in one transaction beside the account's own share, keeps the record of erasures (which
//! names the customer by id alone) and the single-use links to emailed exports.

mod entity;
mod model;
mod service;

pub use model::{Erasure, ErasureFilter, ErasureStatus, ExportLink};
pub use service::{
    EXPORT_FORMAT, EXPORT_LINK_LIFETIME, EXPORT_LINK_PATH, MAX_REASON_LENGTH, Privacy,
};

#[cfg(test)]
mod tests;
