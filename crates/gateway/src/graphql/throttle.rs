//! Per-client throttles of both endpoints: failed sign-ins (credential stuffing across many
//! accounts, which per-account lockout does not stop) and sign-ups with their confirmation emails.
//! The client is the peer address (`X-Forwarded-For` only when the operator trusts it), so forged
//! headers do not reset the count; every aliased or batched operation counts on its own. An IPv6
//! client counts by its /64 network. Uses are counted before they are checked, over a sliding
//! window (`clientele_sessions::Throttle`).

use std::net::{IpAddr, Ipv6Addr};

use async_graphql::Context;
use clientele_kernel::{Error, Result};
use clientele_sessions::Ticket;

use crate::graphql::request::ClientInfo;
use crate::services::Services;

/// What is being throttled, per client.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Guarded {
    /// Failed sign-ins.
    SignIn,
    /// Sign-ups and confirmation emails.
    SignUp,
    /// Visitor ids issued.
    VisitorIds,
}

impl Guarded {
    fn bucket(self, ip: &str) -> String {
        match self {
            Guarded::SignIn => format!("sign-in-failures:{ip}"),
            Guarded::SignUp => format!("sign-ups:{ip}"),
            Guarded::VisitorIds => format!("visitor-ids:{ip}"),
        }
    }

    fn message(self) -> &'static str {
        match self {
            Guarded::SignIn => {
                "Too many failed sign-in attempts from your network. Please wait and try again later."
            }
            Guarded::SignUp | Guarded::VisitorIds => {
                "Too many requests from your network. Please wait and try again later."
            }
        }
    }
}

/// What is being throttled per email address, whoever asks: known and unknown addresses count
/// alike, so a refusal tells nothing about an account.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PerAddress {
    /// Confirmation emails sent again to one address.
    ConfirmationEmails,
    /// Wrong confirmation keys for one address.
    ConfirmationKeys,
    /// Wrong password reset tokens for one address.
    ResetTokens,
    /// Data export links emailed to one address.
    DataExports,
}

impl PerAddress {
    /// Every kind, for forgetting an address's counts.
    const ALL: [PerAddress; 4] = [
        PerAddress::ConfirmationEmails,
        PerAddress::ConfirmationKeys,
        PerAddress::ResetTokens,
        PerAddress::DataExports,
    ];

    fn bucket(self, email: &str) -> String {
        let key = email.trim().to_lowercase();
        match self {
            PerAddress::ConfirmationEmails => format!("confirmation-emails:{key}"),
            PerAddress::ConfirmationKeys => format!("confirmation-keys:{key}"),
            PerAddress::ResetTokens => format!("reset-tokens:{key}"),
            PerAddress::DataExports => format!("data-exports:{key}"),
        }
    }

    fn limit(self) -> clientele_sessions::Limit {
        let hour = chrono::Duration::hours(1);
        match self {
            PerAddress::ConfirmationEmails => clientele_sessions::Limit {
                max: 5,
                window: hour,
            },
            PerAddress::ConfirmationKeys | PerAddress::ResetTokens => clientele_sessions::Limit {
                max: 10,
                window: hour,
            },
            // Each builds the whole document when used: a few a day are all anyone needs.
            PerAddress::DataExports => clientele_sessions::Limit {
                max: 3,
                window: hour,
            },
        }
    }
}

/// Too many attempts for one address.
const TOO_MANY_FOR_ADDRESS: &str =
    "Too many requests for this email address. Please wait and try again later.";

/// Takes one use of the allowance of the address `email` for `what`, refusing the request when
/// it is used up.
pub(crate) async fn take_for_address(
    ctx: &Context<'_>,
    what: PerAddress,
    email: &str,
) -> Result<Taken> {
    let services = ctx
        .data::<Services>()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e:?}")))?;
    match services
        .throttle
        .take(&what.bucket(email), what.limit())
        .await?
    {
        Some(ticket) => Ok(Taken(ticket)),
        None => {
            tracing::warn!(what = ?what, "address throttled");
            Err(Error::RateLimited(TOO_MANY_FOR_ADDRESS.into()))
        }
    }
}

/// The client as the throttles count it: an IPv4 address, or the /64 network of an IPv6 one,
/// since one IPv6 subscriber is usually given a whole /64 and could otherwise rotate addresses.
fn client_key(ctx: &Context<'_>) -> String {
    let ip = ctx
        .data_opt::<ClientInfo>()
        .map(|c| c.ip.as_str())
        .unwrap_or_default();
    network_of(ip)
}

/// The network an address counts as: an IPv4 address itself, or the /64 of an IPv6 one.
fn network_of(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = u128::from(v6) & !(u128::from(u64::MAX));
                format!("{}/64", Ipv6Addr::from(prefix))
            }
        },
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_owned(),
    }
}

/// One use of the client's allowance, to give back when it turns out not to count.
pub(crate) struct Taken(Ticket);

/// Takes one use of the client's allowance for `what`, refusing the request when it is used
/// up. The use is counted before the check, so parallel requests cannot slip past it together.
pub(crate) async fn take(ctx: &Context<'_>, what: Guarded) -> Result<Taken> {
    let services = ctx
        .data::<Services>()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e:?}")))?;
    match services
        .throttle
        .take(&what.bucket(&client_key(ctx)), limit(services, what))
        .await?
    {
        Some(ticket) => Ok(Taken(ticket)),
        None => {
            tracing::warn!(what = ?what, "client throttled");
            Err(Error::RateLimited(what.message().into()))
        }
    }
}

/// Gives a use back: the attempt succeeded, and only failures count against the client.
pub(crate) async fn give_back(ctx: &Context<'_>, taken: Taken) -> Result<()> {
    let services = ctx
        .data::<Services>()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e:?}")))?;
    services.throttle.give_back(taken.0).await
}

fn limit(services: &Services, what: Guarded) -> clientele_sessions::Limit {
    match what {
        Guarded::SignIn => services.client_limits.sign_in_failures,
        Guarded::SignUp => services.client_limits.sign_ups,
        Guarded::VisitorIds => services.client_limits.visitor_ids,
    }
}

/// The per-address throttles' share of a person's data: the counts kept under their addresses.
pub(crate) struct AddressThrottles;

#[async_trait::async_trait]
impl clientele_kernel::personal_data::PersonalData for AddressThrottles {
    fn section(&self) -> &'static str {
        "throttles"
    }

    /// Counts of recent requests are not the person's data worth exporting.
    async fn export(
        &self,
        _txn: &sea_orm::DatabaseTransaction,
        _subject: &clientele_kernel::personal_data::DataSubject,
    ) -> clientele_kernel::Result<Option<serde_json::Value>> {
        Ok(None)
    }

    async fn erase(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        subject: &clientele_kernel::personal_data::DataSubject,
    ) -> clientele_kernel::Result<()> {
        let buckets: Vec<String> = subject
            .emails
            .iter()
            .flat_map(|email| PerAddress::ALL.map(|what| what.bucket(email)))
            .collect();
        clientele_sessions::forget_buckets(txn, &buckets).await
    }
}

#[cfg(test)]
mod tests {
    use super::network_of;

    #[test]
    fn ipv6_clients_are_counted_by_their_64_network() {
        assert_eq!(network_of("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(network_of("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
        assert_eq!(network_of("2001:db8:1:3::1"), "2001:db8:1:3::/64");
        assert_eq!(network_of("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(network_of("192.0.2.7"), "192.0.2.7");
        assert_eq!(network_of(""), "");
    }
}
