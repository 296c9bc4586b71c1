//! Ed25519 signing keys. They live in the database so that every API node signs with the same
//! key and verifies what any other node signed; a node that meets an unknown `kid` reloads the
//! keys (at most every few seconds) before refusing the token. Rotation adds a key and lets the
//! previous one verify until it retires, and the public keys are published as a JWKS. Private
//! keys are stored sealed with the operator's key-encryption key (`crate::wrapping`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use clientele_kernel::{Clock, Error, InternalContext, Result};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{DecodingKey, EncodingKey};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::entity::signing_key;
use crate::wrapping::KeyWrapping;

const RELOAD_INTERVAL: Duration = Duration::from_secs(5);
/// Every node re-reads the keys at least this often, so rotations and retirements made on another
/// node take effect everywhere.
const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// A public key in JWK form (RFC 8037, `OKP` / `Ed25519`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Jwk {
    /// Key type, always `OKP`.
    pub kty: &'static str,
    /// Curve, always `Ed25519`.
    pub crv: &'static str,
    /// Base64url public key.
    pub x: String,
    /// Key id (RFC 7638 thumbprint).
    pub kid: String,
    /// Algorithm, always `EdDSA`.
    pub alg: &'static str,
    /// Use, always `sig`.
    #[serde(rename = "use")]
    pub use_: &'static str,
}

struct Loaded {
    signing_kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, Verifier>,
}

struct Verifier {
    key: DecodingKey,
    jwk: Jwk,
    retires_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Verifier {
    fn is_live(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.retires_at.is_none_or(|t| t > now)
    }
}

/// The signing keys, cached in memory and shared through the database.
pub struct KeyStore {
    db: DatabaseConnection,
    wrapping: KeyWrapping,
    clock: Clock,
    loaded: RwLock<Loaded>,
    last_reload: Mutex<Instant>,
}

impl KeyStore {
    /// Loads the keys, creating the first one when the database has none. Keys stored before
    /// sealing existed, or sealed by a previous key-encryption key, are sealed again with the
    /// current one first; a key the configured KEKs cannot open stops the start.
    /// Keys retire, and tokens expire, by `clock`.
    pub async fn open(
        db: DatabaseConnection,
        wrapping: KeyWrapping,
        clock: Clock,
    ) -> Result<Arc<Self>> {
        reseal(&db, &wrapping, clock.now()).await?;
        let rows = active_rows(&db, clock.now()).await?;
        let rows = if rows.is_empty() {
            insert_new_key(&db, &wrapping, clock.now()).await?;
            active_rows(&db, clock.now()).await?
        } else {
            rows
        };
        let loaded = build(rows, &wrapping)?;
        Ok(Arc::new(Self {
            db,
            wrapping,
            clock,
            loaded: RwLock::new(loaded),
            last_reload: Mutex::new(Instant::now()),
        }))
    }

    /// Adds a new signing key; the previous keys keep verifying for `overlap`, then retire.
    /// Returns the new key id.
    pub async fn rotate(&self, overlap: Duration) -> Result<String> {
        let now = self.clock.now();
        let retire_at = now + chrono::Duration::from_std(overlap).internal("overlap")?;
        // Retiring the old keys and adding the new one happen together, or a failed insert would
        // leave no key to sign with.
        let txn = clientele_kernel::db::begin_write(&self.db).await?;
        signing_key::Entity::update_many()
            .col_expr(signing_key::Column::RetiresAt, retire_at.into())
            .filter(signing_key::Column::RetiresAt.is_null())
            .exec(&txn)
            .await?;
        let kid = insert_new_key(&txn, &self.wrapping, now).await?;
        txn.commit().await?;
        self.reload().await?;
        Ok(kid)
    }

    /// The clock tokens and keys are checked against.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The public keys that currently verify tokens.
    pub fn jwks(&self) -> Vec<Jwk> {
        let now = self.clock.now();
        let loaded = self.loaded.read().unwrap_or_else(|e| e.into_inner());
        let mut keys: Vec<Jwk> = loaded
            .verifying
            .values()
            .filter(|v| v.is_live(now))
            .map(|v| v.jwk.clone())
            .collect();
        keys.sort_by(|a, b| a.kid.cmp(&b.kid));
        keys
    }

    pub(crate) fn signing(&self) -> (String, EncodingKey) {
        let loaded = self.loaded.read().unwrap_or_else(|e| e.into_inner());
        (loaded.signing_kid.clone(), loaded.signing.clone())
    }

    /// The verifying key for `kid`, reloading from the database once when it is unknown.
    pub(crate) async fn decoding(&self, kid: &str) -> Option<DecodingKey> {
        let stale = {
            let last = self.last_reload.lock().unwrap_or_else(|e| e.into_inner());
            last.elapsed() >= REFRESH_EVERY
        };
        if stale {
            *self.last_reload.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
            if let Err(error) = self.reload().await {
                tracing::warn!(%error, "could not refresh signing keys");
            }
        }
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        let due = {
            let mut last = self.last_reload.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() >= RELOAD_INTERVAL {
                *last = Instant::now();
                true
            } else {
                false
            }
        };
        if due && let Err(error) = self.reload().await {
            tracing::warn!(%error, "could not reload signing keys");
        }
        self.cached(kid)
    }

    fn cached(&self, kid: &str) -> Option<DecodingKey> {
        let loaded = self.loaded.read().unwrap_or_else(|e| e.into_inner());
        loaded
            .verifying
            .get(kid)
            .filter(|v| v.is_live(self.clock.now()))
            .map(|v| v.key.clone())
    }

    async fn reload(&self) -> Result<()> {
        let fresh = build(
            active_rows(&self.db, self.clock.now()).await?,
            &self.wrapping,
        )?;
        *self.loaded.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }
}

async fn active_rows(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<signing_key::Model>> {
    Ok(signing_key::Entity::find()
        .filter(
            Condition::any()
                .add(signing_key::Column::RetiresAt.is_null())
                .add(signing_key::Column::RetiresAt.gt(now)),
        )
        .order_by_desc(signing_key::Column::CreatedAt)
        .order_by_desc(signing_key::Column::Kid)
        .all(db)
        .await?)
}

/// Seals again, with the current KEK, every key that is stored unsealed or sealed by a previous
/// one, in one transaction. A retired key no configured KEK opens is left alone: it signs nothing.
async fn reseal(
    db: &DatabaseConnection,
    wrapping: &KeyWrapping,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let txn = clientele_kernel::db::begin_write(db).await?;
    let mut resealed = 0;
    for row in signing_key::Entity::find().all(&txn).await? {
        let live = row.retires_at.is_none_or(|t| t > now);
        let (der, stale) = match wrapping.open(&row.kid, &row.private_key) {
            Ok(opened) => opened,
            Err(err) if live => return Err(err),
            Err(_) => continue,
        };
        if stale {
            signing_key::Entity::update_many()
                .col_expr(
                    signing_key::Column::PrivateKey,
                    wrapping.seal(&row.kid, &der)?.into(),
                )
                .filter(signing_key::Column::Kid.eq(row.kid.as_str()))
                .exec(&txn)
                .await?;
            resealed += 1;
        }
    }
    txn.commit().await?;
    if resealed > 0 {
        tracing::info!(
            resealed,
            "signing keys sealed with the current key-encryption key"
        );
    }
    Ok(())
}

async fn insert_new_key(
    db: &impl sea_orm::ConnectionTrait,
    wrapping: &KeyWrapping,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).internal("rng")?;
    let key = SigningKey::from_bytes(&seed);
    let der = key.to_pkcs8_der().internal("pkcs8")?;
    let public = key.verifying_key().to_bytes();
    let kid = thumbprint(&public);
    signing_key::ActiveModel {
        kid: Set(kid.clone()),
        algorithm: Set("EdDSA".into()),
        private_key: Set(wrapping.seal(&kid, der.as_bytes())?),
        public_key: Set(STANDARD.encode(public)),
        created_at: Set(now),
        retires_at: Set(None),
    }
    .insert(db)
    .await?;
    tracing::info!(kid = %kid, "created a new token signing key");
    Ok(kid)
}

/// RFC 7638 JWK thumbprint of an Ed25519 public key.
fn thumbprint(public: &[u8; 32]) -> String {
    let canonical = format!(
        r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
        URL_SAFE_NO_PAD.encode(public)
    );
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

fn build(rows: Vec<signing_key::Model>, wrapping: &KeyWrapping) -> Result<Loaded> {
    let corrupt = |what: &str| Error::Internal(anyhow::anyhow!("signing key {what} is corrupt"));
    let mut verifying = HashMap::new();
    let mut signing = None;
    for row in rows {
        let public = STANDARD
            .decode(&row.public_key)
            .map_err(|_| corrupt("public key"))?;
        let x = URL_SAFE_NO_PAD.encode(&public);
        let jwk = Jwk {
            kty: "OKP",
            crv: "Ed25519",
            x,
            kid: row.kid.clone(),
            alg: "EdDSA",
            use_: "sig",
        };
        verifying.insert(
            row.kid.clone(),
            Verifier {
                key: DecodingKey::from_ed_der(&public),
                jwk,
                retires_at: row.retires_at,
            },
        );
        if signing.is_none() && row.retires_at.is_none() {
            let (der, _) = wrapping.open(&row.kid, &row.private_key)?;
            signing = Some((row.kid.clone(), EncodingKey::from_ed_der(&der)));
        }
    }
    let (signing_kid, signing) =
        signing.ok_or_else(|| Error::Internal(anyhow::anyhow!("no active signing key")))?;
    Ok(Loaded {
        signing_kid,
        signing,
        verifying,
    })
}
