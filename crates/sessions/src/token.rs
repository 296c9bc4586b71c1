//! JWT issue and verification. The algorithm is pinned to EdDSA, `iss` and `aud` are always set and
//! checked, `exp` is required and `nbf` honoured, and the key is chosen by `kid` among our own keys
//! only (embedded `jwk`/`jku` headers are never followed). Each kind of token has its own audience,
//! so one kind cannot stand in for another.

use std::sync::Arc;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::keys::KeyStore;
use clientele_kernel::{Error, Result};

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a JWT we can read (garbled, wrong algorithm, unknown key).
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
}

/// Seconds of clock skew tolerated between nodes.
const LEEWAY_SECONDS: u64 = 30;

impl TokenIssuer {
    /// An issuer that stamps and expects `iss = issuer`.
    pub fn new(keys: Arc<KeyStore>, issuer: impl Into<String>) -> Self {
        Self {
            keys,
            issuer: issuer.into(),
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
        jsonwebtoken::encode(&header, claims, &key)
            .map_err(|e| Error::Internal(anyhow::anyhow!("sign: {e}")))
    }

    /// Verifies `token` for `audience` and returns its claims.
    pub async fn verify<C: DeserializeOwned>(
        &self,
        token: &str,
        audience: &str,
    ) -> std::result::Result<C, TokenError> {
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
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        jsonwebtoken::decode::<C>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                ErrorKind::InvalidToken
                | ErrorKind::Base64(_)
                | ErrorKind::Json(_)
                | ErrorKind::Utf8(_) => TokenError::Malformed,
                _ => TokenError::Invalid,
            })
    }
}
