//! Where a webhook may point. A URL is absolute `http` or `https` with a host and no user
//! information. Under the strict policy (the production profile) its host must not resolve to
//! an address inside the installation's networks (loopback, private, shared, link-local with the
//! cloud metadata services, unique local, multicast, unspecified) unless an operator allowlisted
//! the host or a network holding the address, and it must use `https`; the check runs when the
//! webhook is saved and again at every connection ([`GuardedResolver`]), so a name that
//! resolves elsewhere later is still refused.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use clientele_kernel::{Error, Result};
use ipnet::IpNet;
use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Host;

/// The longest URL a webhook may have.
pub const MAX_URL_LENGTH: usize = 2048;

/// What a webhook may point at.
#[derive(Debug, Clone, Default)]
pub struct TargetPolicy {
    /// Refuse addresses inside the installation's networks, and plain `http`.
    pub strict: bool,
    /// Host names (lower case) allowed whatever they resolve to.
    pub allowed_hosts: Vec<String>,
    /// Networks allowed although inside the installation's.
    pub allowed_networks: Vec<IpNet>,
}

impl TargetPolicy {
    /// The policy of the production profile, with the operator's allowlist: host names and
    /// networks in CIDR notation (`hooks.internal.example`, `10.20.0.0/16`), separated by commas.
    pub fn strict(allowlist: &str) -> Result<Self> {
        let mut policy = Self {
            strict: true,
            ..Self::default()
        };
        for entry in allowlist
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            if let Ok(network) = entry.parse::<IpNet>() {
                policy.allowed_networks.push(network);
            } else if let Ok(address) = entry.parse::<IpAddr>() {
                policy.allowed_networks.push(IpNet::from(address));
            } else if entry
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            {
                policy.allowed_hosts.push(entry.to_ascii_lowercase());
            } else {
                return Err(Error::invalid(
                    "webhook_allowed_targets",
                    format!("\"{entry}\" is neither a host name nor a network (10.0.0.0/8)."),
                ));
            }
        }
        Ok(policy)
    }

    /// Checks a URL's form, and its host when it is an address; returns it parsed.
    pub fn check_url(&self, url: &str) -> Result<Url> {
        let invalid = |message: &str| Error::invalid("url", message);
        if url.len() > MAX_URL_LENGTH {
            return Err(invalid("The URL is longer than 2048 characters."));
        }
        let parsed =
            Url::parse(url).map_err(|_| invalid("The URL is not a valid absolute URL."))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid("The URL must use https (or http)."));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(invalid("The URL cannot carry a user name or password."));
        }
        let Some(host) = parsed.host_str() else {
            return Err(invalid("The URL has no host."));
        };
        let host_allowed = self.host_allowed(host);
        if self.strict && parsed.scheme() != "https" && !host_allowed {
            return Err(invalid("The URL must use https."));
        }
        if let Some(address) = literal(&parsed)
            && !host_allowed
            && !self.address_allowed(address)
        {
            return Err(refused(host));
        }
        Ok(parsed)
    }

    /// Checks a URL as [`check_url`](Self::check_url) does, then resolves its host now and
    /// refuses it when it resolves to a refused address: the check when a webhook is saved.
    pub async fn check_target(&self, url: &str) -> Result<Url> {
        let parsed = self.check_url(url)?;
        let host = parsed.host_str().unwrap_or_default().to_owned();
        if self.strict && !self.host_allowed(&host) && literal(&parsed).is_none() {
            let port = parsed.port_or_known_default().unwrap_or(443);
            let addresses = tokio::net::lookup_host((host.as_str(), port))
                .await
                .map_err(|_| {
                    Error::invalid("url", format!("The host {host} cannot be resolved."))
                })?;
            for address in addresses {
                if !self.address_allowed(address.ip()) {
                    return Err(refused(&host));
                }
            }
        }
        Ok(parsed)
    }

    fn host_allowed(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.allowed_hosts.contains(&host)
    }

    /// Whether a connection may go to `address`.
    pub fn address_allowed(&self, address: IpAddr) -> bool {
        !self.strict
            || !is_internal(address)
            || self
                .allowed_networks
                .iter()
                .any(|network| network.contains(&address))
    }
}

/// The URL's host when it is an address (the URL parser has normalised the decimal, octal and
/// hexadecimal forms of IPv4 already).
fn literal(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        Host::Domain(_) => None,
    }
}

fn refused(host: &str) -> Error {
    Error::invalid(
        "url",
        format!(
            "The URL's host {host} is inside this installation's networks (loopback, private, \
             link-local or metadata addresses); an operator can allow it with \
             webhook_allowed_targets."
        ),
    )
}

/// Whether an address belongs to the installation's own networks rather than the internet.
pub fn is_internal(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                // 0.0.0.0/8, shared address space 100.64.0.0/10 (carrier NAT, some clouds'
                // metadata), 192.0.0.0/24 (protocol assignments), 198.18.0.0/15 (benchmarking),
                // 240.0.0.0/4 (reserved).
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240
        }
        IpAddr::V6(v6) => {
            if v6.is_loopback() || v6.is_unspecified() {
                return true;
            }
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses reach
            // the IPv4 address they embed.
            if let Some(v4) = v6.to_ipv4() {
                return is_internal(IpAddr::V4(v4));
            }
            let [first, second, third, ..] = v6.segments();
            // 6to4 (2002::/16) reaches the IPv4 address in its next 32 bits.
            if first == 0x2002 {
                let [a, b] = second.to_be_bytes();
                let [c, d] = third.to_be_bytes();
                return is_internal(IpAddr::V4(std::net::Ipv4Addr::new(a, b, c, d)));
            }
            v6.is_multicast()
                // Unique local fc00::/7 (with fd00:ec2::254, a cloud metadata address),
                // link-local fe80::/10, site-local fec0::/10, NAT64 64:ff9b::/32 (the
                // well-known prefix and the local 64:ff9b:1::/48), documentation 2001:db8::/32.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first & 0xffc0) == 0xfec0
                || (first == 0x64 && second == 0xff9b)
                || (first == 0x2001 && second == 0x0db8)
        }
    }
}

/// The resolver of the delivery client: resolves as the system does and refuses a name whose
/// addresses the policy refuses, so no connection reaches them whatever the name resolved to
/// when the webhook was saved.
pub struct GuardedResolver {
    policy: Arc<TargetPolicy>,
}

impl GuardedResolver {
    /// A resolver enforcing `policy`.
    pub fn new(policy: Arc<TargetPolicy>) -> Self {
        Self { policy }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !policy.host_allowed(&host)
                && resolved.iter().any(|a| !policy.address_allowed(a.ip()))
            {
                return Err(format!("{host} resolves inside this installation's networks").into());
            }
            let addresses: Addrs = Box::new(resolved.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn internal_addresses_are_recognised_in_both_families() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::7f00:1",
            "2002:7f00:1::1",
            "64:ff9b:1::a00:1",
        ] {
            assert!(is_internal(ip(internal)), "{internal}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:2800:220:1::1",
            "172.32.0.1",
        ] {
            assert!(!is_internal(ip(public)), "{public}");
        }
    }

    #[test]
    fn the_strict_policy_refuses_internal_literals_and_plain_http_unless_allowlisted() {
        let strict = TargetPolicy::strict("hooks.internal, 10.20.0.0/16").expect("policy");
        assert!(strict.check_url("https://127.0.0.1/hook").is_err());
        assert!(strict.check_url("https://[::1]:8443/hook").is_err());
        assert!(strict.check_url("https://169.254.169.254/latest").is_err());
        assert!(strict.check_url("http://example.com/hook").is_err());
        assert!(strict.check_url("https://example.com/hook").is_ok());
        assert!(strict.check_url("https://10.20.1.1/hook").is_ok());
        assert!(strict.check_url("https://[::127.0.0.1]/hook").is_err());
        assert!(
            strict.check_url("https://2130706433/hook").is_err(),
            "decimal 127.0.0.1"
        );
        assert!(
            strict.check_url("https://0x7f.1/hook").is_err(),
            "hexadecimal 127.0.0.1"
        );
        assert!(strict.check_url("http://HOOKS.internal/hook").is_ok());
        assert!(!strict.address_allowed(ip("10.21.0.1")));
        assert!(strict.address_allowed(ip("10.20.0.9")));

        let open = TargetPolicy::default();
        assert!(open.check_url("http://127.0.0.1:9/hook").is_ok());
        assert!(TargetPolicy::strict("not a host!").is_err());
    }

    #[test]
    fn urls_must_be_absolute_web_urls_without_credentials() {
        let open = TargetPolicy::default();
        for bad in [
            "example.com/hook",
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "file:///etc/passwd",
        ] {
            assert!(open.check_url(bad).is_err(), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LENGTH));
        assert!(open.check_url(&long).is_err());
    }

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused_when_saved_and_when_connecting() {
        let strict = Arc::new(TargetPolicy::strict("").expect("policy"));
        assert!(strict.check_target("https://localhost/hook").await.is_err());
        assert!(
            strict
                .check_target("https://[2606:2800:220:1::1]/hook")
                .await
                .is_ok(),
            "a public IPv6 address needs no resolving"
        );
        let resolver = GuardedResolver::new(strict);
        let name: Name = "localhost".parse().expect("name");
        assert!(resolver.resolve(name).await.is_err());
    }
}
