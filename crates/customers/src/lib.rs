//! Customers: accounts with every system attribute (`Accounts`), their address books
//! (`AddressBook`), the back office's grid, mass actions, import, export and seed data
//! (`BackOffice`), and shoppers signing in and serving themselves (`ShopperAuth`). `Customers::new`
//! builds the four façades over one set of services.
//!
//! Email addresses are unique per website or globally, following `customer/account_share/scope`,
//! and the database enforces it, so concurrent sign-ups with one email cannot both succeed.

mod accounts;
mod addresses;
mod back_office;
mod decode;
mod emails;
mod entity;
mod events;
mod hooks;
mod model;
mod notices;
mod shared;
mod shopper;

pub use accounts::Accounts;
pub use addresses::AddressBook;
pub use back_office::BackOffice;
pub use back_office::grid::{GridQuery, GridSort, GridSortField};
pub use back_office::import::{
    EMPTY_VALUE, ImportBehavior, ImportControl, ImportCounts, ImportEntity, ImportOptions,
    ImportReport, MAX_LISTED_ERRORS, RowError, ValidationStrategy,
};
pub use back_office::mass::{FailureReason, MAX_SELECTED_IDS, MassOutcome, RowFailure, Selection};
pub use clientele_customer_attributes::grid::{AttributeCondition, AttributeFilter};
pub use clientele_customer_attributes::{
    Attribute, AttributeDefinition, AttributeEntity, AttributeOption, AttributeValue,
    AttributeValueInput, FilterCondition, Form, InputFilter, InputType, OptionInput, StoreLabel,
    Validation,
};
pub use clientele_customer_attributes::{
    FieldFilter, FieldLookup, FieldOption, FieldRule, FormField, FrontendInput, RuleName,
};
pub use clientele_imports::{ImportJob, ImportJobs, ImportUpload, JobState};
pub use clientele_newsletter::{Subscription, SubscriptionStatus};
pub use hooks::{AccountSharingGuard, GroupReassignment};
pub use model::{Address, AddressInput, Customer, CustomerPatch, Gender, NewCustomer};
pub use shopper::{
    ACCOUNT_LOCKED, ASSISTED_TOKEN_TYPE, ActingParty, ExternalSignIn, NOT_CONFIRMED, Registration,
    SHOPPER_AUDIENCE, SIGN_IN_FAILED, SessionRef, ShopperAuth, ShopperClaims, ShopperSession,
    SignedIn, TokenRefusal, WRONG_PASSWORD, check_new_password,
};

/// The customers domain, one façade per sub-domain. They share the database and the services
/// below them, and each reaches the others only through their public methods.
#[derive(Clone)]
pub struct Customers {
    /// Accounts: the record, its rules and its newsletter subscriptions.
    pub accounts: Accounts,
    /// The address book of each customer.
    pub addresses: AddressBook,
    /// The Customers grid, mass actions, import, export and seed data.
    pub back_office: BackOffice,
    /// Shopper sign-in, tokens, self-service and recovery.
    pub shoppers: ShopperAuth,
}

impl Customers {
    /// The customers domain over `db`, hashing passwords on `hasher`, subscribing accounts through
    /// `newsletter`, signing shopper tokens with `tokens`, telling the time by `clock`.
    pub fn new(
        db: sea_orm::DatabaseConnection,
        config: clientele_configuration::ConfigService,
        stores: clientele_stores::StoreService,
        hasher: clientele_sessions::PasswordHasher,
        newsletter: clientele_newsletter::NewsletterService,
        tokens: clientele_sessions::TokenIssuer,
        clock: clientele_kernel::Clock,
    ) -> Self {
        let shared = shared::Shared {
            db,
            config,
            stores,
            hasher,
            newsletter,
            clock,
        };
        let accounts = Accounts::new(shared.clone());
        Self {
            addresses: AddressBook::new(shared.clone()),
            back_office: BackOffice::new(shared.clone()),
            shoppers: ShopperAuth::new(shared, accounts.clone(), tokens),
            accounts,
        }
    }
}

#[cfg(test)]
mod tests;
