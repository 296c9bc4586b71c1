//! Password hashes of Adobe Commerce / Magento, so imported customers keep their passwords:
//! `hash:salt:version`, where the versions are 0 (MD5 of salt + password), 1 (SHA-256 of salt +
//! password), 2 (Argon2id13 with libsodium's interactive limits, the salt cut or repeated to 16
//! bytes) and, since Adobe Commerce 2.4.7, `3_<bytes>_<ops>_<memory>` (Argon2id13 with its
//! parameters spelled out). A version list such as `1:2` means the hashes were applied one after
//! the other (Magento upgrades old hashes that way). These are only ever verified, then replaced by an
//! Argon2id PHC hash at the next successful sign-in.

use argon2::{Algorithm, Argon2, Params, Version};
use md5::Md5;
use sha2::{Digest, Sha256};

/// A stored Magento hash, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MagentoHash {
    hash: String,
    salt: String,
    versions: Vec<Step>,
}

/// One hashing step of a Magento hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Md5,
    Sha256,
    /// Argon2id13: output bytes, passes, memory in KiB.
    Argon2id {
        bytes: usize,
        ops: u32,
        kib: u32,
    },
}

impl Step {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "0" => Some(Step::Md5),
            "1" => Some(Step::Sha256),
            // libsodium's OPSLIMIT_INTERACTIVE (2) and MEMLIMIT_INTERACTIVE (64 MiB).
            "2" => Some(Step::Argon2id {
                bytes: 32,
                ops: 2,
                kib: 65536,
            }),
            other => {
                let mut parts = other.strip_prefix("3_")?.split('_');
                let bytes: usize = parts.next()?.parse().ok()?;
                let ops: u32 = parts.next()?.parse().ok()?;
                let memory: u64 = parts.next()?.parse().ok()?;
                // Bounded, so a crafted import cannot make a sign-in allocate gigabytes.
                let sane = (16..=64).contains(&bytes)
                    && (1..=10).contains(&ops)
                    && (8192..=1 << 28).contains(&memory);
                (sane && parts.next().is_none()).then_some(Step::Argon2id {
                    bytes,
                    ops,
                    kib: (memory / 1024) as u32,
                })
            }
        }
    }

    fn hex_len(self) -> usize {
        match self {
            Step::Md5 => 32,
            Step::Sha256 => 64,
            Step::Argon2id { bytes, .. } => bytes * 2,
        }
    }
}

impl MagentoHash {
    /// Reads `stored`, or `None` when it is not a Magento hash.
    pub(crate) fn parse(stored: &str) -> Option<Self> {
        let mut parts = stored.splitn(3, ':');
        let hash = parts.next()?.to_ascii_lowercase();
        let salt = parts.next().unwrap_or_default().to_owned();
        let versions: Vec<Step> = match parts.next() {
            Some(list) => list.split(':').map(Step::parse).collect::<Option<_>>()?,
            // Magento 1 hashes carry no version: MD5, or SHA-256 by its length.
            None if hash.len() == 64 => vec![Step::Sha256],
            None => vec![Step::Md5],
        };
        let expected_len = versions.last()?.hex_len();
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
        for step in &self.versions {
            value = match *step {
                Step::Md5 => hex(&Md5::digest([self.salt.as_bytes(), &value].concat())),
                Step::Sha256 => hex(&Sha256::digest([self.salt.as_bytes(), &value].concat())),
                Step::Argon2id { bytes, ops, kib } => {
                    match argon2id13(&value, &self.salt, bytes, ops, kib) {
                        Some(out) => hex(&out),
                        None => return false,
                    }
                }
            }
            .into_bytes();
        }
        constant_time_eq(&value, self.hash.as_bytes())
    }
}

fn argon2id13(password: &[u8], salt: &str, bytes: usize, ops: u32, kib: u32) -> Option<Vec<u8>> {
    if salt.is_empty() {
        return None;
    }
    // Magento pads the salt by repeating it and cuts it to libsodium's 16 bytes.
    let salt: Vec<u8> = salt.bytes().cycle().take(16).collect();
    let params = Params::new(kib, ops, 1, Some(bytes)).ok()?;
    let mut out = vec![0_u8; bytes];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password, &salt, &mut out)
        .ok()?;
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two byte strings are equal, in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
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
        // Adobe Commerce 2.4.7+ spells the Argon2id parameters out.
        assert!(check(&format!(
            "7ff477c0fc5d48d889cac663b31cf28833d6e4361e63249774369fe8c174adc0:{SALT}:3_32_2_67108864"
        )));
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
