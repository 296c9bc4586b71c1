//! The kinds of event, by the names webhooks subscribe to.

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// An account was created.
    CustomerCreated,
    /// Fields of an account changed (other than those with events of their own).
    CustomerUpdated,
    /// An account was deleted.
    CustomerDeleted,
    /// An address was added to an address book.
    AddressCreated,
    /// An address changed.
    AddressUpdated,
    /// An address was removed.
    AddressDeleted,
    /// An account moved to another customer group.
    GroupChanged,
    /// An account was locked after failed sign-ins, or by staff.
    Locked,
    /// An account's lock was lifted before it expired.
    Unlocked,
    /// An account's password changed.
    PasswordChanged,
    /// A password reset link was sent.
    PasswordResetRequested,
    /// An account's email address changed.
    EmailChanged,
    /// An account's email address was confirmed.
    Confirmed,
    /// The customer subscribed to a newsletter.
    NewsletterSubscribed,
    /// The customer unsubscribed from a newsletter.
    NewsletterUnsubscribed,
    /// A consent was given or withdrawn (Login as Customer, newsletter).
    ConsentChanged,
    /// Staff opened a Login as Customer session.
    AssistedSessionStarted,
    /// A Login as Customer session ended.
    AssistedSessionEnded,
    /// A customer group was created.
    GroupCreated,
    /// A customer group changed.
    GroupUpdated,
    /// A customer group was deleted.
    GroupDeleted,
}

impl EventType {
    /// Every kind, in the order the catalogue lists them.
    pub const ALL: [EventType; 21] = [
        EventType::CustomerCreated,
        EventType::CustomerUpdated,
        EventType::CustomerDeleted,
        EventType::AddressCreated,
        EventType::AddressUpdated,
        EventType::AddressDeleted,
        EventType::GroupChanged,
        EventType::Locked,
        EventType::Unlocked,
        EventType::PasswordChanged,
        EventType::PasswordResetRequested,
        EventType::EmailChanged,
        EventType::Confirmed,
        EventType::NewsletterSubscribed,
        EventType::NewsletterUnsubscribed,
        EventType::ConsentChanged,
        EventType::AssistedSessionStarted,
        EventType::AssistedSessionEnded,
        EventType::GroupCreated,
        EventType::GroupUpdated,
        EventType::GroupDeleted,
    ];

    /// The name webhooks subscribe to and payloads carry, such as `customer.created`.
    pub fn name(self) -> &'static str {
        self.describe().0
    }

    /// What the event means, for the catalogue.
    pub fn description(self) -> &'static str {
        self.describe().1
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    fn describe(self) -> (&'static str, &'static str) {
        match self {
            EventType::CustomerCreated => ("customer.created", "A customer account was created."),
            EventType::CustomerUpdated => (
                "customer.updated",
                "Fields of a customer account changed (other than those with events of their own).",
            ),
            EventType::CustomerDeleted => (
                "customer.deleted",
                "A customer account was deleted or erased. The event carries ids only.",
            ),
            EventType::AddressCreated => (
                "customer.address.created",
                "An address was added to a customer's address book.",
            ),
            EventType::AddressUpdated => {
                ("customer.address.updated", "A customer's address changed.")
            }
            EventType::AddressDeleted => (
                "customer.address.deleted",
                "An address was removed from a customer's address book.",
            ),
            EventType::GroupChanged => (
                "customer.group_changed",
                "A customer moved to another customer group.",
            ),
            EventType::Locked => (
                "customer.locked",
                "A customer account was locked after failed sign-ins.",
            ),
            EventType::Unlocked => (
                "customer.unlocked",
                "A customer account's lock was lifted before it expired.",
            ),
            EventType::PasswordChanged => (
                "customer.password_changed",
                "A customer's password changed (the password itself is never sent).",
            ),
            EventType::PasswordResetRequested => (
                "customer.password_reset_requested",
                "A password reset link was sent to a customer.",
            ),
            EventType::EmailChanged => (
                "customer.email_changed",
                "A customer's email address changed.",
            ),
            EventType::Confirmed => (
                "customer.confirmed",
                "A customer confirmed their email address.",
            ),
            EventType::NewsletterSubscribed => (
                "customer.newsletter.subscribed",
                "A customer subscribed to a store view's newsletter.",
            ),
            EventType::NewsletterUnsubscribed => (
                "customer.newsletter.unsubscribed",
                "A customer unsubscribed from a store view's newsletter.",
            ),
            EventType::ConsentChanged => (
                "customer.consent_changed",
                "A customer gave or withdrew a consent (Login as Customer, newsletter).",
            ),
            EventType::AssistedSessionStarted => (
                "customer.assisted_session.started",
                "A staff user opened a Login as Customer session for a customer.",
            ),
            EventType::AssistedSessionEnded => (
                "customer.assisted_session.ended",
                "A Login as Customer session ended.",
            ),
            EventType::GroupCreated => ("customer_group.created", "A customer group was created."),
            EventType::GroupUpdated => ("customer_group.updated", "A customer group changed."),
            EventType::GroupDeleted => ("customer_group.deleted", "A customer group was deleted."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EventType;

    #[test]
    fn every_kind_has_a_name_of_its_own_that_reads_back() {
        let mut names: Vec<&str> = EventType::ALL.iter().map(|k| k.name()).collect();
        for kind in EventType::ALL {
            assert_eq!(EventType::from_name(kind.name()), Some(kind));
            assert!(kind.description().ends_with('.'));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EventType::ALL.len());
        assert_eq!(EventType::from_name("customer.nothing"), None);
    }
}
