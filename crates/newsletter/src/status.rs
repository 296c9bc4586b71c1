//! What a subscription is: its store view, its status and when that last changed.

use chrono::{DateTime, Utc};

/// Subscription status, with Adobe Commerce's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionStatus {
    /// 1: receives newsletters.
    Subscribed,
    /// 2: not active.
    NotActive,
    /// 3: unsubscribed.
    Unsubscribed,
    /// 4: awaiting confirmation (double opt-in).
    Unconfirmed,
}

impl SubscriptionStatus {
    /// Stored code.
    pub fn code(self) -> i16 {
        match self {
            SubscriptionStatus::Subscribed => 1,
            SubscriptionStatus::NotActive => 2,
            SubscriptionStatus::Unsubscribed => 3,
            SubscriptionStatus::Unconfirmed => 4,
        }
    }

    pub(crate) fn from_code(code: i16) -> Self {
        match code {
            1 => SubscriptionStatus::Subscribed,
            3 => SubscriptionStatus::Unsubscribed,
            4 => SubscriptionStatus::Unconfirmed,
            _ => SubscriptionStatus::NotActive,
        }
    }
}

/// A customer's subscription in one store view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Store view.
    pub store_id: i32,
    /// Status.
    pub status: SubscriptionStatus,
    /// Last status change.
    pub changed_at: DateTime<Utc>,
}
