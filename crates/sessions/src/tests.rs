//! Keys, tokens and hashing against the real migrations on in-memory SQLite.

use std::time::Duration;

use std::sync::Arc;

use clientele_kernel::clock::SettableClock;
use clientele_kernel::testing::for_each_database;
use migration::{Migrator, MigratorTrait};
use serde::{Deserialize, Serialize};

use crate::*;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    iat: i64,
    exp: i64,
}

/// An issuer over a migrated `db`, and the hand that moves its clock.
async fn issuer(db: sea_orm::DatabaseConnection) -> (TokenIssuer, Arc<SettableClock>) {
    Migrator::up(&db, None).await.expect("migrate");
    let (hand, clock) = SettableClock::new();
    let keys = KeyStore::open(db, crate::KeyWrapping::ephemeral().expect("kek"), clock)
        .await
        .expect("keys");
    (TokenIssuer::new(keys, "https://clientele.test"), hand)
}

fn claims(aud: &str, exp_offset: i64) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        iss: "https://clientele.test".into(),
        aud: aud.into(),
        sub: "7".into(),
        iat: now,
        exp: now + exp_offset,
    }
}

#[tokio::test]
async fn a_signed_token_verifies_for_its_own_audience_only() {
    for_each_database(|db| async move {
        let (tokens, _) = issuer(db).await;
        let token = tokens.sign(&claims("staff", 600)).expect("sign");
        let back: Claims = tokens.verify(&token, "staff").await.expect("verify");
        assert_eq!(back.sub, "7");
        // The check just made for `staff` is remembered, and serves no other audience.
        assert_eq!(
            tokens.verify::<Claims>(&token, "customer").await,
            Err(TokenError::Invalid)
        );
    })
    .await;
}

#[tokio::test]
async fn expired_garbled_and_tampered_tokens_are_refused() {
    for_each_database(|db| async move {
        let (tokens, _) = issuer(db).await;
        let expired = tokens.sign(&claims("staff", -120)).expect("sign");
        assert_eq!(
            tokens.verify::<Claims>(&expired, "staff").await,
            Err(TokenError::Expired)
        );
        assert_eq!(
            tokens.verify::<Claims>("not.a.jwt", "staff").await,
            Err(TokenError::Malformed)
        );
        let good = tokens.sign(&claims("staff", 600)).expect("sign");
        let mut parts: Vec<String> = good.split('.').map(String::from).collect();
        parts[1] = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            serde_json::to_vec(&Claims {
                sub: "1".into(),
                ..claims("staff", 600)
            })
            .expect("json"),
        );
        assert!(
            tokens
                .verify::<Claims>(&parts.join("."), "staff")
                .await
                .is_err()
        );
        let none_alg = format!(
            "{}.{}.",
            base64::Engine::encode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                br#"{"alg":"none","typ":"JWT"}"#
            ),
            parts[1]
        );
        assert!(tokens.verify::<Claims>(&none_alg, "staff").await.is_err());
    })
    .await;
}

#[tokio::test]
async fn rotation_keeps_old_tokens_valid_and_publishes_both_keys() {
    for_each_database(|db| async move {
        let (tokens, _) = issuer(db).await;
        let old = tokens.sign(&claims("staff", 600)).expect("sign");
        let new_kid = tokens
            .keys()
            .rotate(Duration::from_secs(3600))
            .await
            .expect("rotate");
        let new = tokens.sign(&claims("staff", 600)).expect("sign");
        assert!(tokens.verify::<Claims>(&old, "staff").await.is_ok());
        assert!(tokens.verify::<Claims>(&new, "staff").await.is_ok());
        let header = jsonwebtoken::decode_header(&new).expect("header");
        assert_eq!(header.kid.as_deref(), Some(new_kid.as_str()));
        assert_eq!(tokens.keys().jwks().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn passwords_hash_and_verify_and_the_queue_is_bounded() {
    let hasher = PasswordHasher::new(1, 4).expect("hasher");
    let hash = hasher.hash("Correct-Horse-9").await.expect("hash");
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(
        hasher
            .verify("Correct-Horse-9", &hash)
            .await
            .expect("verify")
            .matches
    );
    assert!(!hasher.verify("wrong", &hash).await.expect("verify").matches);
    assert!(
        !hasher
            .verify("x", "not-a-hash")
            .await
            .expect("verify")
            .matches
    );
    assert!(
        !hasher
            .verify("Correct-Horse-9", &hash)
            .await
            .expect("verify")
            .needs_rehash
    );
    let weak_params = argon2::Params::new(8, 1, 1, None).expect("params");
    let weak = argon2::password_hash::PasswordHasher::hash_password(
        &argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            weak_params,
        ),
        b"Correct-Horse-9",
        &argon2::password_hash::SaltString::encode_b64(b"0123456789abcdef").expect("salt"),
    )
    .expect("weak hash")
    .to_string();
    let check = hasher
        .verify("Correct-Horse-9", &weak)
        .await
        .expect("verify");
    assert!(check.matches && check.needs_rehash);

    let zero_queue = PasswordHasher::new(1, 0).expect("hasher");
    assert!(matches!(
        zero_queue.hash("x").await,
        Err(clientele_kernel::Error::RateLimited(_))
    ));
}

#[test]
fn opaque_secrets_are_random_and_stored_as_hashes() {
    let a = OpaqueSecret::generate("clt_").expect("secret");
    let b = OpaqueSecret::generate("clt_").expect("secret");
    assert_ne!(a.plain, b.plain);
    assert!(a.plain.starts_with("clt_") && a.plain.len() > 40);
    assert_eq!(hash_secret(&a.plain), a.hash);
    assert!(!format!("{a:?}").contains(&a.plain));
}

#[tokio::test]
async fn a_retired_key_no_longer_verifies_or_publishes() {
    for_each_database(|db| async move {
        let (tokens, hand) = issuer(db).await;
        let old = tokens.sign(&claims("staff", 7200)).expect("sign");
        // Checked once, so its check is remembered: the retirement must still end it.
        assert!(tokens.verify::<Claims>(&old, "staff").await.is_ok());
        tokens
            .keys()
            .rotate(Duration::from_secs(60))
            .await
            .expect("rotate");
        assert!(
            tokens.verify::<Claims>(&old, "staff").await.is_ok(),
            "overlap"
        );
        hand.advance(chrono::Duration::seconds(61));
        assert!(
            tokens.verify::<Claims>(&old, "staff").await.is_err(),
            "retired key refused"
        );
        assert_eq!(
            tokens.keys().jwks().len(),
            1,
            "only the live key is published"
        );
        let new = tokens.sign(&claims("staff", 7200)).expect("sign");
        assert!(tokens.verify::<Claims>(&new, "staff").await.is_ok());
    })
    .await;
}

#[tokio::test]
async fn a_remembered_token_still_expires() {
    for_each_database(|db| async move {
        let (tokens, hand) = issuer(db).await;
        // Past its `exp` but within the 30 s of tolerated clock skew, for one more second.
        let token = tokens.sign(&claims("staff", -29)).expect("sign");
        assert!(tokens.verify::<Claims>(&token, "staff").await.is_ok());
        assert!(
            tokens.verify::<Claims>(&token, "staff").await.is_ok(),
            "remembered"
        );
        hand.advance(chrono::Duration::seconds(2));
        assert_eq!(
            tokens.verify::<Claims>(&token, "staff").await,
            Err(TokenError::Expired)
        );
    })
    .await;
}

#[tokio::test]
async fn validity_periods_are_read_on_the_application_clock() {
    for_each_database(|db| async move {
        let (tokens, hand) = issuer(db).await;
        let token = tokens.sign(&claims("staff", 600)).expect("sign");
        // Issued for later: refused until the clock reaches its `nbf` (less the tolerated skew).
        let now = chrono::Utc::now().timestamp();
        let later = tokens
            .sign(&serde_json::json!({
                "iss": "https://clientele.test", "aud": "staff", "sub": "7",
                "iat": now, "nbf": now + 300, "exp": now + 900,
            }))
            .expect("sign");
        assert_eq!(
            tokens.verify::<serde_json::Value>(&later, "staff").await,
            Err(TokenError::Invalid)
        );
        let no_expiry = tokens
            .sign(&serde_json::json!({
                "iss": "https://clientele.test", "aud": "staff", "sub": "7", "iat": now,
            }))
            .expect("sign");
        assert!(
            tokens
                .verify::<serde_json::Value>(&no_expiry, "staff")
                .await
                .is_err()
        );

        hand.advance(chrono::Duration::seconds(300));
        assert!(
            tokens
                .verify::<serde_json::Value>(&later, "staff")
                .await
                .is_ok()
        );
        assert!(tokens.verify::<Claims>(&token, "staff").await.is_ok());
        // 600 s after signing plus the 30 s of skew, and one more.
        hand.advance(chrono::Duration::seconds(331));
        assert_eq!(
            tokens.verify::<Claims>(&token, "staff").await,
            Err(TokenError::Expired)
        );
    })
    .await;
}
