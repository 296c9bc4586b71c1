//! The events of a customer's newsletter subscription starting or ending: the subscription
//! itself, and the consent it stands for.

use clientele_events::{EventType, NewEvent};

/// Where a subscription changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// With the account: sign-up, the account form, staff editing the account, a mass action.
    Account,
    /// The storefront's newsletter form (`subscribeEmailToNewsletter`).
    NewsletterForm,
    /// The link of a double opt-in email.
    ConfirmationLink,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Account => "ACCOUNT",
            Source::NewsletterForm => "NEWSLETTER_FORM",
            Source::ConfirmationLink => "CONFIRMATION_LINK",
        }
    }
}

/// Customer `customer_id` of `website_id` subscribed to (or unsubscribed from) the newsletter of
/// store view `store_id`: the subscription event and the consent event. A consent given names the
/// version of the consent text the store view showed (`consent_text_version`, `None` for a
/// withdrawal), so that what the customer agreed to can be shown later.
pub(crate) fn subscription_changed(
    customer_id: i32,
    website_id: i32,
    store_id: i32,
    subscribed: bool,
    source: Source,
    consent_text_version: Option<&str>,
) -> [NewEvent; 2] {
    let kind = if subscribed {
        EventType::NewsletterSubscribed
    } else {
        EventType::NewsletterUnsubscribed
    };
    let about = |kind| {
        NewEvent::about_customer(kind, customer_id, website_id)
            .with("store_id", store_id)
            .with("source", source.name())
    };
    let consent = about(EventType::ConsentChanged)
        .with("consent", "NEWSLETTER")
        .with("granted", subscribed);
    [
        about(kind),
        match consent_text_version {
            Some(version) => consent.with("text_version", version),
            None => consent,
        },
    ]
}
