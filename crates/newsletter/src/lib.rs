//! Newsletter subscriptions, one per store view and email address, with Adobe Commerce's statuses:
//! subscribing at once or, where the store view asks for double opt-in, after the emailed link is
//! followed; guest subscriptions where the options allow them.
//!
//! This crate owns the `newsletter_subscribers` table. It knows subscribers by customer id and
//! email only; the customers crate decides which store view an account subscribes in and answers
//! who owns an address through [`EmailOwners`].

mod entity;
mod events;
mod personal;
mod rows;
mod service;
mod status;

pub use personal::SubscriptionData;
pub use rows::{OptIn, Subscriber, forget_customers, subscribe_rows, unsubscribe_rows};
pub use service::{EmailOwners, NewsletterService};
pub use status::{Subscription, SubscriptionStatus};
