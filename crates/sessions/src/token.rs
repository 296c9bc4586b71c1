//! JWT issue and verification. The algorithm is pinned to EdDSA, `iss` and `aud` are always set and
//! checked, `exp` is required and `nbf` honoured, and the key is chosen by `kid` among our own keys
//! only (embedded `jwk`/`jku` headers are never followed). Each kind of token has its own audience,
//! so one kind cannot stand in for another.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::keys::KeyStore;
use clientele_kernel::{InternalContext, Result};

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a JWT we can read (garbled, wrong algorithm, unknown key, or an `exp`/`nbf` that is
    /// not a whole number of seconds).
    #[error("the token cannot be read")]
    Malformed,
    /// Past its `exp`.
    #[error("the token has expired")]
    Expired,
    /// Readable but not acceptable (signature, issuer, audience, not yet valid).
    #[error("the token is invalid")]
    Invalid,
}

/// Signs and verifies tokens with the key store.
#[derive(Clone)]
pub struct TokenIssuer {
    keys: Arc<KeyStore>,
    issuer: String,
    verified: Arc<VerifiedTokens>,
}

/// Seconds of clock skew tolerated between nodes.
const LEEWAY_SECONDS: i64 = 30;

/// Most tokens whose signature check is remembered; beyond it the expired ones are dropped, and
/// if that is not enough, all of them (they are checked again on their next use).
const VERIFIED_CAPACITY: usize = 10_000;

/// Tokens whose signature, issuer and audience were checked, by SHA-256 of audience and token: a
/// shopper's token comes with every request, and checking an Ed25519 signature costs more than
/// the rest of a small query. Expiry and the signing key are checked again on every use, and
/// revocation is never remembered here (it is read from the database by the callers).
#[derive(Default)]
struct VerifiedTokens {
    entries: Mutex<HashMap<[u8; 32], Verified>>,
}

struct Verified {
    kid: String,
    exp: i64,
    claims: serde_json::Value,
}

fn fingerprint(token: &str, audience: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(audience.as_bytes());
    hasher.update([0]);
    hasher.update(token.as_bytes());
    hasher.finalize().into()
}

impl VerifiedTokens {
    /// The remembered claims of a token still within its `exp`.
    fn get(
        &self,
        key: &[u8; 32],
        now: i64,
    ) -> Option<std::result::Result<(String, serde_json::Value), TokenError>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key)?;
        if entry.exp + LEEWAY_SECONDS < now {
            entries.remove(key);
            return Some(Err(TokenError::Expired));
        }
        Some(Ok((entry.kid.clone(), entry.claims.clone())))
    }

    fn remember(&self, key: [u8; 32], kid: String, claims: &serde_json::Value, now: i64) {
        let Some(exp) = claims.get("exp").and_then(serde_json::Value::as_i64) else {
            return;
        };
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= VERIFIED_CAPACITY {
            entries.retain(|_, v| v.exp + LEEWAY_SECONDS > now);
            if entries.len() >= VERIFIED_CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            key,
            Verified {
                kid,
                exp,
                claims: claims.clone(),
            },
        );
    }
}

impl TokenIssuer {
    /// An issuer that stamps and expects `iss = issuer`.
    pub fn new(keys: Arc<KeyStore>, issuer: impl Into<String>) -> Self {
        Self {
            keys,
            issuer: issuer.into(),
            verified: Arc::default(),
        }
    }

    /// The `iss` value of every token.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The key store (for publishing the JWKS and rotation).
    pub fn keys(&self) -> &Arc<KeyStore> {
        &self.keys
    }

    /// Signs `claims` with the current key.
    pub fn sign<C: Serialize>(&self, claims: &C) -> Result<String> {
        let (kid, key) = self.keys.signing();
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(kid);
        jsonwebtoken::encode(&header, claims, &key).internal("sign")
    }

    /// Verifies `token` for `audience` and returns its claims.
    pub async fn verify<C: DeserializeOwned>(
        &self,
        token: &str,
        audience: &str,
    ) -> std::result::Result<C, TokenError> {
        let key = fingerprint(token, audience);
        let now = self.keys.clock().now().timestamp();
        if let Some(known) = self.verified.get(&key, now) {
            let (kid, claims) = known?;
            // A key withdrawn since the check takes its tokens with it.
            if self.keys.decoding(&kid).await.is_some() {
                return serde_json::from_value(claims).map_err(|_| TokenError::Malformed);
            }
        }
        let (kid, claims) = self.check_signature(token, audience).await?;
        check_validity_period(&claims, now)?;
        self.verified.remember(key, kid, &claims, now);
        serde_json::from_value(claims).map_err(|_| TokenError::Malformed)
    }

    async fn check_signature(
        &self,
        token: &str,
        audience: &str,
    ) -> std::result::Result<(String, serde_json::Value), TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Malformed);
        }
        let kid = header.kid.ok_or(TokenError::Malformed)?;
        let key = self
            .keys
            .decoding(&kid)
            .await
            .ok_or(TokenError::Malformed)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        // The validity period is checked against the application's clock, not the library's.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation)
            .map(|data| (kid, data.claims))
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidToken
                | ErrorKind::Base64(_)
                | ErrorKind::Json(_)
                | ErrorKind::Utf8(_) => TokenError::Malformed,
                _ => TokenError::Invalid,
            })
    }
}

/// Checks `exp` (required) and `nbf` (optional) against `now`, with [`LEEWAY_SECONDS`] of skew.
fn check_validity_period(
    claims: &serde_json::Value,
    now: i64,
) -> std::result::Result<(), TokenError> {
    let exp = claims
        .get("exp")
        .and_then(serde_json::Value::as_i64)
        .ok_or(TokenError::Malformed)?;
    if exp + LEEWAY_SECONDS < now {
        return Err(TokenError::Expired);
    }
    match claims.get("nbf") {
        None => Ok(()),
        Some(nbf) => match nbf.as_i64() {
            None => Err(TokenError::Malformed),
            Some(nbf) if nbf > now + LEEWAY_SECONDS => Err(TokenError::Invalid),
            Some(_) => Ok(()),
        },
    }
}
