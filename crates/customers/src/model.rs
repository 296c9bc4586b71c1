//! Customer and address records, and the inputs of their use cases.

use chrono::{DateTime, NaiveDate, Utc};

use clientele_customer_attributes::AttributeValueInput;

/// Gender, as Adobe Commerce numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// 1.
    Male,
    /// 2.
    Female,
    /// 3.
    NotSpecified,
}

impl Gender {
    /// The stored number.
    pub fn code(self) -> i16 {
        match self {
            Gender::Male => 1,
            Gender::Female => 2,
            Gender::NotSpecified => 3,
        }
    }

    /// From the stored number.
    pub fn from_code(code: i16) -> Option<Self> {
        match code {
            1 => Some(Gender::Male),
            2 => Some(Gender::Female),
            3 => Some(Gender::NotSpecified),
            _ => None,
        }
    }
}

/// A customer account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Sequential id (the grid's ID column).
    pub id: i32,
    /// Website the account belongs to.
    pub website_id: i32,
    /// Store view the account was created in.
    pub store_id: Option<i32>,
    /// Name of the store view it was created in.
    pub created_in: String,
    /// Customer group.
    pub group_id: i32,
    /// Sign-in email, as entered.
    pub email: String,
    /// Name prefix.
    pub prefix: Option<String>,
    /// First name.
    pub firstname: String,
    /// Middle name or initial.
    pub middlename: Option<String>,
    /// Last name.
    pub lastname: String,
    /// Name suffix.
    pub suffix: Option<String>,
    /// Date of birth.
    pub dob: Option<NaiveDate>,
    /// Customer-level tax/VAT number.
    pub taxvat: Option<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Inactive accounts cannot sign in.
    pub is_active: bool,
    /// Whether the email still awaits confirmation.
    pub confirmation_pending: bool,
    /// When the lock set after repeated failed sign-ins ends (it may lie in the past: see
    /// [`Customer::locked_until`]).
    pub lock_expires: Option<DateTime<Utc>>,
    /// Consent to Login as Customer.
    pub allow_remote_shopping_assistance: bool,
    /// Freezes the group against VAT-based reassignment.
    pub disable_auto_group_change: bool,
    /// Default billing address id.
    pub default_billing_id: Option<i32>,
    /// Default shipping address id.
    pub default_shipping_id: Option<i32>,
    /// Telephone of the default billing address.
    pub billing_telephone: Option<String>,
    /// Postcode of the default billing address.
    pub billing_postcode: Option<String>,
    /// Country of the default billing address.
    pub billing_country_code: Option<String>,
    /// Region of the default billing address.
    pub billing_region: Option<String>,
    /// City of the default billing address.
    pub billing_city: Option<String>,
    /// Company of the default billing address.
    pub billing_company: Option<String>,
    /// Street of the default billing address (lines joined by newlines).
    pub billing_street: Option<String>,
    /// VAT number of the default billing address.
    pub billing_vat_id: Option<String>,
    /// Optimistic-locking version, incremented by every change.
    pub version: i32,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl Customer {
    /// When the account's lock ends, if it is locked at `now`.
    pub fn locked_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.lock_expires.filter(|until| *until > now)
    }
}

/// Input for a new customer (admin creation).
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    /// Website; the default website when absent.
    pub website_id: Option<i32>,
    /// Store view the account is created in; the website's default view when absent.
    pub store_id: Option<i32>,
    /// Group; the configured default group when absent.
    pub group_id: Option<i32>,
    /// Sign-in email.
    pub email: String,
    /// Name prefix.
    pub prefix: Option<String>,
    /// First name.
    pub firstname: String,
    /// Middle name.
    pub middlename: Option<String>,
    /// Last name.
    pub lastname: String,
    /// Name suffix.
    pub suffix: Option<String>,
    /// Date of birth.
    pub dob: Option<NaiveDate>,
    /// Tax/VAT number.
    pub taxvat: Option<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Active (default true).
    pub is_active: Option<bool>,
    /// Consent to Login as Customer (default false).
    pub allow_remote_shopping_assistance: Option<bool>,
    /// Freeze the group (default from configuration).
    pub disable_auto_group_change: Option<bool>,
    /// Custom attribute values; attributes left out get their default.
    pub custom_attributes: Vec<AttributeValueInput>,
    /// Send the welcome email of the account's store view (default true). Staff creation only: a
    /// shopper's sign-up always sends it.
    pub send_welcome_email: Option<bool>,
}

/// Changes to a customer; `None` keeps the current value, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct CustomerPatch {
    /// Refuse the change unless the record is still at this version.
    pub expected_version: Option<i32>,
    /// New website.
    pub website_id: Option<i32>,
    /// New group.
    pub group_id: Option<i32>,
    /// New email.
    pub email: Option<String>,
    /// New prefix.
    pub prefix: Option<Option<String>>,
    /// New first name.
    pub firstname: Option<String>,
    /// New middle name.
    pub middlename: Option<Option<String>>,
    /// New last name.
    pub lastname: Option<String>,
    /// New suffix.
    pub suffix: Option<Option<String>>,
    /// New date of birth.
    pub dob: Option<Option<NaiveDate>>,
    /// New tax/VAT number.
    pub taxvat: Option<Option<String>>,
    /// New gender.
    pub gender: Option<Option<Gender>>,
    /// Activate or deactivate.
    pub is_active: Option<bool>,
    /// Consent to Login as Customer.
    pub allow_remote_shopping_assistance: Option<bool>,
    /// Freeze the group.
    pub disable_auto_group_change: Option<bool>,
    /// Custom attribute values to set (an empty value removes one).
    pub custom_attributes: Vec<AttributeValueInput>,
    /// The shopper session making the change, which stays signed in when the change ends the
    /// customer's sessions (a new email ends the others).
    pub kept_session: Option<crate::shopper::SessionRef>,
}

/// An address of a customer's address book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Id.
    pub id: i32,
    /// Owner.
    pub customer_id: i32,
    /// Name prefix.
    pub prefix: Option<String>,
    /// First name.
    pub firstname: String,
    /// Middle name.
    pub middlename: Option<String>,
    /// Last name.
    pub lastname: String,
    /// Name suffix.
    pub suffix: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Street lines.
    pub street: Vec<String>,
    /// City.
    pub city: String,
    /// Region name.
    pub region: Option<String>,
    /// Region code (the ISO 3166-2 code without the country, e.g. `CA`).
    pub region_code: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: String,
    /// Telephone.
    pub telephone: Option<String>,
    /// Fax.
    pub fax: Option<String>,
    /// Address-level VAT number.
    pub vat_id: Option<String>,
    /// Whether it is the customer's default billing address.
    pub default_billing: bool,
    /// Whether it is the customer's default shipping address.
    pub default_shipping: bool,
}

/// A full address as entered (create), or the fields to change (update: `None` keeps a value).
#[derive(Debug, Clone, Default)]
pub struct AddressInput {
    /// Name prefix.
    pub prefix: Option<String>,
    /// First name.
    pub firstname: Option<String>,
    /// Middle name.
    pub middlename: Option<String>,
    /// Last name.
    pub lastname: Option<String>,
    /// Name suffix.
    pub suffix: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Street lines.
    pub street: Option<Vec<String>>,
    /// City.
    pub city: Option<String>,
    /// Region name.
    pub region: Option<String>,
    /// Region code.
    pub region_code: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Country code.
    pub country_code: Option<String>,
    /// Telephone.
    pub telephone: Option<String>,
    /// Fax.
    pub fax: Option<String>,
    /// VAT number.
    pub vat_id: Option<String>,
    /// Make it (or stop it being) the default billing address.
    pub default_billing: Option<bool>,
    /// Make it (or stop it being) the default shipping address.
    pub default_shipping: Option<bool>,
    /// Custom attribute values (on create, attributes left out get their default).
    pub custom_attributes: Option<Vec<AttributeValueInput>>,
}
