//! Credentials and tokens shared by every kind of account (staff now, shoppers next):
//! Argon2id password hashing on a bounded blocking pool, Ed25519 signing keys kept in the
//! database so every API node signs and verifies alike, JWT issue and verification with the
//! algorithm, issuer and audience pinned, and opaque random secrets stored only as hashes.

mod entity;
mod keys;
mod legacy;
mod lockout;
mod password;
mod policy;
mod secret;
mod throttle;
mod token;
mod wrapping;

pub use keys::{Jwk, KeyStore};
pub use legacy::constant_time_eq;
pub use lockout::{
    LockState, LockoutPolicy, Reservation, after_right_password, after_wrong_password,
    attempts_allowed_under_way, crowded_lock, may_lock, record_wrong_password, release_attempt,
    reserve_attempt,
};
pub use password::{PasswordHasher, Verification};
pub use policy::{
    MAX_PASSWORD_LENGTH, PasswordContext, PasswordRules, TOO_GUESSABLE, check_password,
};
pub use secret::{OpaqueSecret, hash_secret};
pub use throttle::{Limit, Throttle, Ticket, forget_buckets};
pub use token::{TokenError, TokenIssuer};
pub use wrapping::{Kek, KeyWrapping};

#[cfg(test)]
mod tests;
