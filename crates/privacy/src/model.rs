//! What the privacy service answers with.

use chrono::{DateTime, Utc};
use clientele_kernel::acting::Actor;
use uuid::Uuid;

use crate::entity::erasure;

/// Where an erasure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureStatus {
    /// Waiting out the grace period: the account is suspended and can be restored.
    Pending,
    /// Done: the person's data is gone.
    Erased,
    /// Called off during the grace period: the account is back as it was.
    Restored,
}

impl ErasureStatus {
    /// The stored and API name.
    pub fn name(self) -> &'static str {
        match self {
            ErasureStatus::Pending => "PENDING",
            ErasureStatus::Erased => "ERASED",
            ErasureStatus::Restored => "RESTORED",
        }
    }

    fn from_name(name: &str) -> Self {
        match name {
            "PENDING" => ErasureStatus::Pending,
            "RESTORED" => ErasureStatus::Restored,
            _ => ErasureStatus::Erased,
        }
    }
}

/// An erasure of a customer: asked for, waiting, done or called off.
#[derive(Debug, Clone, PartialEq)]
pub struct Erasure {
    /// Its id.
    pub id: Uuid,
    /// The customer, by id: once erased, nothing links the id to a person.
    pub customer_id: i32,
    /// The customer's website.
    pub website_id: i32,
    /// Where it stands.
    pub status: ErasureStatus,
    /// Why it was asked for.
    pub reason: String,
    /// Who asked for it.
    pub requested_by: Actor,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
    /// When it takes (or took) effect.
    pub erase_after: DateTime<Utc>,
    /// When it was done or called off.
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<erasure::Model> for Erasure {
    fn from(row: erasure::Model) -> Self {
        Self {
            id: row.id,
            customer_id: row.customer_id,
            website_id: row.website_id,
            status: ErasureStatus::from_name(&row.status),
            reason: row.reason,
            requested_by: serde_json::from_value(row.requested_by).unwrap_or(Actor::System),
            requested_at: row.requested_at,
            erase_after: row.erase_after,
            completed_at: row.completed_at,
        }
    }
}

/// Which erasures a listing shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErasureFilter {
    /// Only those in this state.
    pub status: Option<ErasureStatus>,
    /// Only those of this customer.
    pub customer_id: Option<i32>,
}

/// A single-use link to the export of a customer's data, as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportLink {
    /// The token the link carries: shown once, stored only as its hash.
    pub token: String,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}
