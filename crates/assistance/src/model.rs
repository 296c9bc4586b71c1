//! The inputs and outcomes of Login as Customer.

use chrono::{DateTime, Utc};
use clientele_staff::{Actor, Permissions};

/// The staff user asking to act as a customer.
#[derive(Debug, Clone)]
pub struct Assistant {
    /// Staff user id.
    pub staff_user_id: i32,
    /// The staff sign-in session the request came with; assisted sessions end with it.
    pub staff_session_id: String,
    /// What the staff user's role grants.
    pub permissions: Permissions,
    /// Client address, for the log.
    pub ip: Option<String>,
}

impl Assistant {
    /// The assistant behind an admin actor; integrations cannot act as customers (the log must
    /// name a person).
    pub fn from_actor(actor: &Actor, ip: Option<String>) -> Option<Self> {
        match actor {
            Actor::Staff {
                user_id,
                session_id,
                permissions,
            } => Some(Self {
                staff_user_id: *user_id,
                staff_session_id: session_id.clone(),
                permissions: permissions.clone(),
                ip,
            }),
            Actor::Integration { .. } => None,
        }
    }
}

/// Which customer to act as.
#[derive(Debug, Clone)]
pub enum Target {
    /// By customer id (admin API).
    Id(i32),
    /// By sign-in email on a website (storefront).
    Email {
        /// The website whose accounts are searched (following account sharing).
        website_id: i32,
        /// The email, as typed.
        email: String,
    },
}

/// Which store view the session opens in.
#[derive(Debug, Clone, Copy)]
pub enum StoreChoice {
    /// The store view the storefront request came to.
    Current(i32),
    /// As configured: auto-detection (the view the account was created in, else the website's
    /// default) or manual selection (this view, which is then required).
    Configured(Option<i32>),
}

/// Why Login as Customer was refused. Each endpoint words these in its own style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `Enable Login as Customer` is off.
    Disabled,
    /// The staff user's role lacks "Allow Login as Customer Button".
    NotPermitted,
    /// The staff user's role does not cover the customer's website.
    WebsiteNotCovered,
    /// No such customer.
    UnknownCustomer,
    /// The customer has not allowed remote shopping assistance.
    NoConsent,
    /// The account is deactivated.
    InactiveCustomer,
    /// Manual store view selection is configured and no store view was chosen.
    StoreViewRequired,
    /// The chosen store view does not exist, is disabled, or is not one the customer can use.
    StoreViewInvalid,
    /// A one-time code needs a reason.
    ReasonRequired,
    /// The reason is longer than 1000 characters.
    ReasonTooLong,
}

impl Refusal {
    /// A short machine-readable name, also written to the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Disabled => "disabled",
            Refusal::NotPermitted => "not_permitted",
            Refusal::WebsiteNotCovered => "website_not_covered",
            Refusal::UnknownCustomer => "unknown_customer",
            Refusal::NoConsent => "no_consent",
            Refusal::InactiveCustomer => "inactive_customer",
            Refusal::StoreViewRequired => "store_view_required",
            Refusal::StoreViewInvalid => "store_view_invalid",
            Refusal::ReasonRequired => "reason_required",
            Refusal::ReasonTooLong => "reason_too_long",
        }
    }
}

/// An assisted session that was opened.
#[derive(Debug, Clone)]
pub struct AssistedSignIn {
    /// The customer token (a JWT with `admin_id`).
    pub token: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// The assisted session id (the token's `sid`).
    pub session_id: String,
    /// The customer.
    pub customer_id: i32,
    /// The store view the session is for.
    pub store_view_id: i32,
}

/// A live assisted session, as its token check read it; the log lines of the request reuse it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistedSession {
    /// The session id (the token's `sid`).
    pub id: String,
    /// The customer.
    pub customer_id: i32,
    /// The customer's website.
    pub website_id: i32,
    /// The store view the session is for.
    pub store_view_id: Option<i32>,
    /// The staff user acting.
    pub staff_user_id: i32,
    /// The staff user's email when the session opened.
    pub staff_user_email: String,
}

/// A one-time code that a storefront exchanges for an assisted session.
#[derive(Debug, Clone)]
pub struct OneTimeCode {
    /// 32 hexadecimal characters, shown once.
    pub code: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The customer it is for.
    pub customer_id: i32,
}

/// Whether `text` has the shape of a one-time code (32 hexadecimal characters).
pub fn is_one_time_code(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}
