//! Customer accounts for customer service: the customer record with every system attribute, the
//! address book with its default billing and shipping addresses, and the Customers grid (keyword
//! search, filters, sort, paging) that always reads fresh data.
//!
//! Email addresses are unique per website or globally, following `customer/account_share/scope`,
//! and the database enforces it, so concurrent sign-ups with one email cannot both succeed.

mod addresses;
mod decode;
mod entity;
mod export;
mod external;
mod grid;
mod hooks;
mod import;
mod mass;
mod model;
mod newsletter;
mod notices;
mod ports;
mod recovery;
mod rules;
mod seed;
mod self_service;
mod service;
mod sign_in;
mod views;

pub use clientele_customer_attributes::grid::{AttributeCondition, AttributeFilter};
pub use clientele_customer_attributes::{
    Attribute, AttributeDefinition, AttributeEntity, AttributeOption, AttributeValue,
    AttributeValueInput, FilterCondition, Form, InputFilter, InputType, OptionInput, StoreLabel,
    Validation,
};
pub use clientele_customer_attributes::{
    FieldFilter, FieldLookup, FieldOption, FieldRule, FormField, FrontendInput, RuleName,
};
pub use clientele_newsletter::{Subscription, SubscriptionStatus};
pub use export::{ExportFormat, ExportLabels, export_head, export_rows, export_tail};
pub use external::ExternalSignIn;
pub use grid::{GridQuery, GridSort, GridSortField};
pub use hooks::{AccountSharingGuard, GroupReassignment};
pub use import::{
    EMPTY_VALUE, ImportBehavior, ImportEntity, ImportOptions, ImportReport, MAX_LISTED_ERRORS,
    RowError, ValidationStrategy,
};
pub use mass::{FailureReason, MAX_SELECTED_IDS, MassOutcome, RowFailure, Selection};
pub use model::{Address, AddressInput, Customer, CustomerPatch, Gender, NewCustomer};
pub use self_service::{ACCOUNT_LOCKED, Registration, WRONG_PASSWORD, check_new_password};
pub use service::CustomerService;
pub use sign_in::{
    ASSISTED_TOKEN_TYPE, ActingParty, NOT_CONFIRMED, SHOPPER_AUDIENCE, SIGN_IN_FAILED, SessionRef,
    ShopperAuth, ShopperClaims, ShopperSession, SignedIn, TokenRefusal,
};
pub use views::GridView;

#[cfg(test)]
mod tests;
