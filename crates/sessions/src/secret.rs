//! Opaque secrets (integration tokens, later reset and confirmation keys): 256 random bits shown
//! once, stored only as a SHA-256 hash so a database leak reveals nothing usable.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clientele_kernel::{InternalContext, Result};
use sha2::{Digest, Sha256};

/// A freshly generated secret: `plain` is shown once, `hash` is stored.
#[derive(Clone)]
pub struct OpaqueSecret {
    /// The secret as handed to its owner, with its prefix.
    pub plain: String,
    /// Hex SHA-256 of `plain`.
    pub hash: String,
}

impl std::fmt::Debug for OpaqueSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpaqueSecret")
            .field("plain", &"[redacted]")
            .finish()
    }
}

impl OpaqueSecret {
    /// 256 bits from the operating system's CSPRNG, prefixed so that leaked tokens are recognisable
    /// by secret scanners.
    pub fn generate(prefix: &str) -> Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).internal("rng")?;
        let plain = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
        let hash = hash_secret(&plain);
        Ok(Self { plain, hash })
    }
}

/// Hex SHA-256 of a secret, the form in which it is stored and looked up.
pub fn hash_secret(plain: &str) -> String {
    Sha256::digest(plain.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
