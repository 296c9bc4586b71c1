//! Private signing keys at rest: sealed with a key-encryption key (KEK) the operator supplies, so
//! a database backup alone cannot mint tokens. XChaCha20-Poly1305 with a random nonce per seal,
//! and the key's `kid` as associated data, so a sealed key cannot be moved to another row.
//!
//! The stored form is `kek1:<KEK id>:<base64 of nonce and ciphertext>`; the KEK id (the first
//! eight bytes of the KEK's SHA-256, in hex) says which KEK sealed it, so that after a rotation
//! the previous KEKs can open what they sealed until everything is sealed again with the new one.
//! A value without the prefix is a key stored before sealing existed (base64 PKCS#8).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use clientele_kernel::{Error, InternalContext, Result};
use sha2::{Digest, Sha256};

const PREFIX: &str = "kek1";

/// A 256-bit key-encryption key.
#[derive(Clone)]
pub struct Kek {
    key: [u8; 32],
    id: String,
}

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kek({})", self.id)
    }
}

impl Kek {
    /// A KEK from its base64 text (32 bytes once decoded).
    pub fn from_base64(text: &str) -> Result<Self> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| {
            Error::invalid(
                "key_encryption_key",
                "A key-encryption key is 32 bytes in base64 (openssl rand -base64 32).",
            )
        })?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::invalid(
                "key_encryption_key",
                "A key-encryption key is 32 bytes in base64 (openssl rand -base64 32).",
            )
        })?;
        Ok(Self::from_bytes(key))
    }

    /// A new random KEK.
    pub fn generate() -> Result<Self> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).internal("rng")?;
        Ok(Self::from_bytes(key))
    }

    fn from_bytes(key: [u8; 32]) -> Self {
        let digest = Sha256::digest(key);
        let id = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Self { key, id }
    }

    /// The KEK's base64 text, for writing a generated one to its file.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.key)
    }

    /// Which KEK this is, without revealing it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether every byte is the same (an all-zero placeholder and the like).
    pub fn is_trivial(&self) -> bool {
        self.key.iter().all(|b| *b == self.key[0])
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&Key::from(self.key))
    }
}

/// The KEK that seals, and the earlier ones that may still open what they sealed.
#[derive(Debug, Clone)]
pub struct KeyWrapping {
    current: Kek,
    previous: Vec<Kek>,
}

impl KeyWrapping {
    /// Sealing with `current`, opening with it or any of `previous`.
    pub fn new(current: Kek, previous: Vec<Kek>) -> Self {
        Self { current, previous }
    }

    /// Sealing with a fresh random KEK that lives only in memory: for in-memory databases and
    /// tests, whose keys do not outlive the process anyway.
    pub fn ephemeral() -> Result<Self> {
        Ok(Self::new(Kek::generate()?, Vec::new()))
    }

    /// Seals secret `der` (a private key, a webhook's signing secret) bound to `kid`, the name
    /// of what it belongs to: it opens only under the same name.
    pub fn seal(&self, kid: &str, der: &[u8]) -> Result<String> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).internal("rng")?;
        let sealed = self
            .current
            .cipher()
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: der,
                    aad: kid.as_bytes(),
                },
            )
            .map_err(|_| Error::Internal(anyhow::anyhow!("sealing a signing key failed")))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        Ok(format!(
            "{PREFIX}:{}:{}",
            self.current.id,
            STANDARD.encode(blob)
        ))
    }

    /// Opens a secret sealed under `kid`: its bytes, and whether it should be sealed again with
    /// the current KEK (stored before sealing, or sealed by an earlier KEK).
    pub fn open(&self, kid: &str, stored: &str) -> Result<(Vec<u8>, bool)> {
        let corrupt = || Error::Internal(anyhow::anyhow!("signing key {kid} is corrupt"));
        let Some(rest) = stored
            .strip_prefix(PREFIX)
            .and_then(|r| r.strip_prefix(':'))
        else {
            return Ok((STANDARD.decode(stored).map_err(|_| corrupt())?, true));
        };
        let (kek_id, blob) = rest.split_once(':').ok_or_else(corrupt)?;
        let kek = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == kek_id)
            .ok_or_else(|| {
                Error::Internal(anyhow::anyhow!(
                    "signing key {kid} is sealed with key-encryption key {kek_id}, which is not \
                     configured: set it as key_encryption_key, or among \
                     previous_key_encryption_keys while rotating"
                ))
            })?;
        let blob = STANDARD.decode(blob).map_err(|_| corrupt())?;
        if blob.len() < 24 {
            return Err(corrupt());
        }
        let (nonce, sealed) = blob.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| corrupt())?;
        let der = kek
            .cipher()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: kid.as_bytes(),
                },
            )
            .map_err(|_| {
                Error::Internal(anyhow::anyhow!(
                    "signing key {kid} does not open with key-encryption key {kek_id}"
                ))
            })?;
        Ok((der, kek.id != self.current.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_keys_open_only_with_their_kek_and_row() {
        let old = Kek::generate().expect("kek");
        let new = Kek::generate().expect("kek");
        let before = KeyWrapping::new(old.clone(), vec![]);
        let sealed = before.seal("kid-1", b"private der").expect("seal");
        assert!(sealed.starts_with(&format!("kek1:{}:", old.id())));
        assert!(!sealed.contains(&STANDARD.encode(b"private der")));
        assert_eq!(
            before.open("kid-1", &sealed).expect("open"),
            (b"private der".to_vec(), false)
        );
        assert!(before.open("kid-2", &sealed).is_err(), "bound to its row");
        let rotating = KeyWrapping::new(new.clone(), vec![old]);
        assert_eq!(
            rotating.open("kid-1", &sealed).expect("open"),
            (b"private der".to_vec(), true)
        );
        let rotated = KeyWrapping::new(new, vec![]);
        let err = rotated.open("kid-1", &sealed).expect_err("old KEK gone");
        assert!(
            err.to_string().contains("not configured")
                || format!("{err:?}").contains("not configured")
        );
        let plain = STANDARD.encode(b"legacy der");
        assert_eq!(
            rotated.open("kid-0", &plain).expect("legacy"),
            (b"legacy der".to_vec(), true)
        );
    }

    #[test]
    fn keks_are_32_bytes_of_base64() {
        assert!(Kek::from_base64("c2hvcnQ=").is_err());
        let kek = Kek::from_base64(&STANDARD.encode([7u8; 32])).expect("kek");
        assert!(kek.is_trivial());
        let generated = Kek::generate().expect("kek");
        assert!(!generated.is_trivial());
        assert_eq!(
            Kek::from_base64(&generated.to_base64()).expect("kek").id(),
            generated.id()
        );
    }
}
