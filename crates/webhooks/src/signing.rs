//! Signing as the Standard Webhooks specification says (<https://www.standardwebhooks.com>):
//! secrets are `whsec_` and the base64 of 32 random bytes; a delivery's `webhook-signature` is
//! `v1,` and the base64 of HMAC-SHA256 over `"{webhook-id}.{webhook-timestamp}.{body}"`, several
//! signatures separated by spaces while a rotated secret still signs beside the new one.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clientele_kernel::{Error, InternalContext, Result};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix of a secret's text.
const PREFIX: &str = "whsec_";

/// A webhook's signing secret.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret(Vec<u8>);

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(..)")
    }
}

impl SigningSecret {
    /// A new random secret of 32 bytes.
    pub fn generate() -> Result<Self> {
        let mut bytes = vec![0u8; 32];
        getrandom::fill(&mut bytes).internal("rng")?;
        Ok(Self(bytes))
    }

    /// The secret of its text, `whsec_` and base64.
    pub fn from_text(text: &str) -> Result<Self> {
        text.strip_prefix(PREFIX)
            .and_then(|b64| STANDARD.decode(b64).ok())
            .filter(|bytes| !bytes.is_empty())
            .map(Self)
            .ok_or_else(|| Error::invalid("secret", "A signing secret is whsec_ and base64."))
    }

    /// The secret from its bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// Its bytes, to seal at rest.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Its text, as the consumer configures it.
    pub fn to_text(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(&self.0))
    }

    /// The signature of one message: `v1,` and the base64 HMAC.
    pub fn sign(&self, message_id: &str, timestamp: i64, body: &str) -> String {
        format!(
            "v1,{}",
            STANDARD.encode(self.mac(message_id, timestamp, body))
        )
    }

    fn mac(&self, message_id: &str, timestamp: i64, body: &str) -> Vec<u8> {
        // HMAC takes keys of any length, so this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return Vec::new();
        };
        mac.update(message_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// Whether one of the space-separated signatures of `header` is this secret's over the
    /// message (compared in constant time): what a consumer does.
    pub fn verifies(&self, message_id: &str, timestamp: i64, body: &str, header: &str) -> bool {
        let Ok(mut expected) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return false;
        };
        expected.update(format!("{message_id}.{timestamp}.{body}").as_bytes());
        header
            .split(' ')
            .filter_map(|signature| signature.strip_prefix("v1,"))
            .filter_map(|b64| STANDARD.decode(b64).ok())
            .any(|signature| expected.clone().verify_slice(&signature).is_ok())
    }
}

/// The `webhook-signature` header for the secrets that sign now (the current one first).
pub fn signature_header(
    secrets: &[SigningSecret],
    message_id: &str,
    timestamp: i64,
    body: &str,
) -> String {
    secrets
        .iter()
        .map(|secret| secret.sign(message_id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks reference libraries.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1_614_265_330;
    const BODY: &str = r#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn signs_as_the_reference_libraries_do() {
        let secret = SigningSecret::from_text(SECRET).expect("secret");
        assert_eq!(secret.sign(ID, TIMESTAMP, BODY), SIGNATURE);
        assert_eq!(secret.to_text(), SECRET);
    }

    #[test]
    fn verifies_any_of_several_signatures_and_nothing_changed() {
        let old = SigningSecret::from_text(SECRET).expect("secret");
        let new = SigningSecret::generate().expect("secret");
        let header = signature_header(&[new.clone(), old.clone()], ID, TIMESTAMP, BODY);
        assert!(new.verifies(ID, TIMESTAMP, BODY, &header));
        assert!(old.verifies(ID, TIMESTAMP, BODY, &header));
        assert!(!old.verifies(ID, TIMESTAMP + 1, BODY, &header));
        assert!(!old.verifies(ID, TIMESTAMP, "{}", &header));
        let other = SigningSecret::generate().expect("secret");
        assert!(!other.verifies(ID, TIMESTAMP, BODY, &header));
    }

    #[test]
    fn a_secret_text_must_carry_the_prefix_and_base64() {
        assert!(SigningSecret::from_text("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_err());
        assert!(SigningSecret::from_text("whsec_***").is_err());
        assert!(SigningSecret::from_text("whsec_").is_err());
    }
}
