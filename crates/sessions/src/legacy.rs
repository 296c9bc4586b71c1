//! Password hashes of Adobe Commerce / Magento, so imported customers keep their passwords:
//! `hash:salt:version`, where the versions are 0 (MD5 of salt + password), 1 (SHA-256 of salt +
//! password) and 2 (Argon2id13 with libsodium's interactive limits, the salt cut or repeated to 16
//! bytes). A version list such as `1:2` means the hashes were applied one after the other
//! (Magento upgrades old hashes that way). These are only ever verified, then replaced by an
//! Argon2id PHC hash at the next successful sign-in.

use argon2::{Algorithm, Argon2, Params, Version};
use md5::Md5;
use sha2::{Digest, Sha256};

/// A stored Magento hash, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MagentoHash {
    hash: String,
    salt: String,
    versions: Vec<u8>,
}

impl MagentoHash {
    /// Reads `stored`, or `None` when it is not a Magento hash.
    pub(crate) fn parse(stored: &str) -> Option<Self> {
        let mut parts = stored.splitn(3, ':');
        let hash = parts.next()?.to_ascii_lowercase();
        let salt = parts.next().unwrap_or_default().to_owned();
        let versions: Vec<u8> = match parts.next() {
            Some(list) => list
                .split(':')
                .map(|v| v.parse().ok().filter(|v| *v <= 2))
                .collect::<Option<_>>()?,
            // Magento 1 hashes carry no version: MD5, or SHA-256 by its length.
            None if hash.len() == 64 => vec![1],
            None => vec![0],
        };
        let expected_len = if versions.last() == Some(&0) { 32 } else { 64 };
        (hash.len() == expected_len && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(
            Self {
                hash,
                salt,
                versions,
            },
        )
    }

    /// Whether `password` produces this hash (compared in constant time).
    pub(crate) fn verify(&self, password: &[u8]) -> bool {
        let mut value = password.to_vec();
        for version in &self.versions {
            value = match version {
                0 => hex(&Md5::digest([self.salt.as_bytes(), &value].concat())),
                1 => hex(&Sha256::digest([self.salt.as_bytes(), &value].concat())),
                _ => match argon2id13(&value, &self.salt) {
                    Some(out) => hex(&out),
                    None => return false,
                },
            }
            .into_bytes();
        }
        constant_time_eq(&value, self.hash.as_bytes())
    }
}

fn argon2id13(password: &[u8], salt: &str) -> Option<[u8; 32]> {
    if salt.is_empty() {
        return None;
    }
    // Magento pads the salt by repeating it and cuts it to libsodium's 16 bytes.
    let salt: Vec<u8> = salt.bytes().cycle().take(16).collect();
    // libsodium's OPSLIMIT_INTERACTIVE (2) and MEMLIMIT_INTERACTIVE (64 MiB).
    let params = Params::new(65536, 2, 1, Some(32)).ok()?;
    let mut out = [0_u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password, &salt, &mut out)
        .ok()?;
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // Values computed independently (Python's hashlib and argon2-cffi).
    const SALT: &str = "Zx9vQpL2mN8rT4wYb6cD1eF3gH5jK7sA";
    const PASSWORD: &[u8] = b"Sunny-Day-42";

    fn check(stored: &str) -> bool {
        MagentoHash::parse(stored)
            .expect("a Magento hash")
            .verify(PASSWORD)
    }

    #[test]
    fn md5_sha256_and_argon2id13_hashes_verify() {
        assert!(check(&format!("7c98146f602601a0477a99b6c7fa5664:{SALT}:0")));
        assert!(check(&format!(
            "4deed9c03ea11345a740fc7b94ba93c48787ad686b10f49180564f32343caffe:{SALT}:1"
        )));
        assert!(check(&format!(
            "7ff477c0fc5d48d889cac663b31cf28833d6e4361e63249774369fe8c174adc0:{SALT}:2"
        )));
        assert!(check(&format!(
            "c486e0daa1fcd685b3205173fb138acf59a59f4c9630b11dd8ac8910052ddb95:{SALT}:1:2"
        )));
        assert!(check(&format!("7c98146f602601a0477a99b6c7fa5664:{SALT}")));
    }

    #[test]
    fn wrong_passwords_and_other_formats_are_refused() {
        let stored =
            format!("4deed9c03ea11345a740fc7b94ba93c48787ad686b10f49180564f32343caffe:{SALT}:1");
        assert!(
            !MagentoHash::parse(&stored)
                .expect("hash")
                .verify(b"sunny-day-42")
        );
        assert_eq!(
            MagentoHash::parse("$argon2id$v=19$m=19456,t=2,p=1$abc$def"),
            None
        );
        assert_eq!(MagentoHash::parse("nothex:salt:1"), None);
        assert_eq!(
            MagentoHash::parse(&format!("{}:{SALT}:7", "a".repeat(64))),
            None
        );
    }
}
