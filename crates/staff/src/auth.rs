//! Staff sign-in, bearer authentication and sign-out. Every failure of a sign-in gives the same
//! message, whether the email is unknown, the password wrong, or the account locked or inactive,
//! and costs the same hashing work. Tokens are tied to a server-side session row, so signing out,
//! deactivation or a password change end them at once on every node.

use std::sync::Arc;

use chrono::Duration;
use clientele_configuration::keys;
use clientele_kernel::db::begin_write;
use clientele_kernel::{Error, Result};
use clientele_sessions::{
    LockState, LockoutPolicy, Reservation, TokenError, after_right_password, after_wrong_password,
    hash_secret, may_lock, release_attempt, reserve_attempt,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::access::{Access, Credential};
use crate::entity::{integration, integration_resource, staff_session, staff_user};
use crate::model::{Actor, SignedIn};
use crate::service::load_role;
use crate::{Permissions, StaffService};

/// `aud` of staff tokens; no other kind of token is accepted by the admin API.
pub const ADMIN_AUDIENCE: &str = "clientele-admin";
const STAFF_TOKEN_TYPE: &str = "staff";
const INTEGRATION_PREFIX: &str = "clt_";
const SIGN_IN_FAILED: &str = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.";

/// Claims of a staff bearer token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffClaims {
    /// Issuer.
    pub iss: String,
    /// Audience, always [`ADMIN_AUDIENCE`].
    pub aud: String,
    /// Staff user id.
    pub sub: String,
    /// Server-side session id.
    pub sid: String,
    /// Issued at (seconds).
    pub iat: i64,
    /// Not before (seconds).
    pub nbf: i64,
    /// Expires at (seconds).
    pub exp: i64,
    /// Unique token id.
    pub jti: String,
    /// Token kind, always `staff`.
    pub typ: String,
}

/// Why a bearer credential was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// Not a credential of ours.
    Malformed,
    /// Past its lifetime.
    Expired,
    /// Signed out, revoked, or the account was deactivated or deleted.
    Revoked,
}

impl StaffService {
    /// Signs a staff user in and returns a bearer token.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client_ip: Option<String>,
    ) -> Result<SignedIn> {
        if email.trim().is_empty() {
            return Err(Error::invalid("email", "Specify the \"email\" value."));
        }
        if password.is_empty() {
            return Err(Error::invalid(
                "password",
                "Specify the \"password\" value.",
            ));
        }
        let email_key = email.trim().to_lowercase();
        let user = staff_user::Entity::find()
            .filter(staff_user::Column::EmailKey.eq(&email_key))
            .one(&self.db)
            .await?;
        let Some(user) = user else {
            self.hasher.verify_nothing(password).await?;
            tracing::info!(outcome = "unknown_account", "staff sign-in failed");
            return Err(Error::Unauthenticated(SIGN_IN_FAILED.into()));
        };
        let policy = self.lockout_policy().await?;
        // The attempt is reserved while the password is hashed: a refused attempt costs the same
        // hashing, and an answer takes as long as hashing alone, as for an unknown email.
        let (reserved, verified) = tokio::join!(
            self.reserve_attempt(user.id, policy),
            self.hasher.verify(password, &user.password_hash)
        );
        let Some(attempt) = reserved? else {
            tracing::info!(
                staff_user_id = user.id,
                outcome = "locked",
                "staff sign-in failed"
            );
            return Err(Error::Unauthenticated(SIGN_IN_FAILED.into()));
        };
        let check = match verified {
            Ok(check) => check,
            Err(err) => {
                // Not checked (the hashing queue is full): the attempt does not count.
                self.release_attempt(user.id).await?;
                return Err(err);
            }
        };
        if !check.matches {
            if may_lock(attempt, policy) {
                self.settle_wrong_password(user.id, attempt, policy).await?;
            }
            tracing::info!(
                staff_user_id = user.id,
                outcome = "wrong_password",
                "staff sign-in failed"
            );
            return Err(Error::Unauthenticated(SIGN_IN_FAILED.into()));
        }
        if !user.is_active {
            self.release_attempt(user.id).await?;
            tracing::info!(
                staff_user_id = user.id,
                outcome = "inactive",
                "staff sign-in failed"
            );
            return Err(Error::Unauthenticated(SIGN_IN_FAILED.into()));
        }
        let rehash = if check.needs_rehash {
            Some(self.hasher.hash(password).await?)
        } else {
            None
        };
        let lifetime_hours = self
            .global_number(keys::oauth::ACCESS_TOKEN_LIFETIME_ADMIN)
            .await?;
        let now = self.clock.now();
        let expires_at = now + Duration::hours(lifetime_hours);
        let session_id = uuid::Uuid::now_v7().to_string();
        let txn = begin_write(&self.db).await?;
        let verified_hash = user.password_hash;
        let Some((user, state)) = locked_row(&txn, user.id).await? else {
            return Err(Error::Unauthenticated(SIGN_IN_FAILED.into()));
        };
        if !after_right_password(state, now) {
            tracing::info!(
                staff_user_id = user.id,
                outcome = "locked_meanwhile",
                "staff sign-in failed"
            );
            return Err(Error::Unauthenticated(SIGN_IN_FAILED.into()));
        }
        let mut row = user.clone().into_active_model();
        row.failures_num = Set(0);
        row.first_failure = Set(None);
        row.lock_expires = Set(None);
        row.last_login_at = Set(Some(now));
        // The upgraded hash replaces only the hash that was verified, never a password changed
        // meanwhile.
        if let Some(hash) = rehash.filter(|_| user.password_hash == verified_hash) {
            row.password_hash = Set(hash);
        }
        row.update(&txn).await?;
        staff_session::ActiveModel {
            id: Set(session_id.clone()),
            staff_user_id: Set(user.id),
            created_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            client_ip: Set(client_ip),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        let claims = StaffClaims {
            iss: self.tokens.issuer().to_owned(),
            aud: ADMIN_AUDIENCE.into(),
            sub: user.id.to_string(),
            sid: session_id,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: expires_at.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
            typ: STAFF_TOKEN_TYPE.into(),
        };
        tracing::info!(
            staff_user_id = user.id,
            outcome = "success",
            "staff signed in"
        );
        Ok(SignedIn {
            token: self.tokens.sign(&claims)?,
            expires_at,
        })
    }

    /// Adobe Commerce's lockout options for staff accounts.
    async fn lockout_policy(&self) -> Result<LockoutPolicy> {
        Ok(LockoutPolicy {
            max_failures: self
                .global_number(keys::admin::SECURITY_LOCKOUT_FAILURES)
                .await?,
            window: Duration::minutes(
                self.global_number(keys::admin::SECURITY_LOCKOUT_THRESHOLD)
                    .await?,
            ),
        })
    }

    /// Counts the attempt as a failure before its password is checked, so parallel guesses use up
    /// the allowance as they start. `None`: refused (locked, or the allowance is used up).
    async fn reserve_attempt(&self, user_id: i32, policy: LockoutPolicy) -> Result<Option<i32>> {
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let Some((_, state)) = locked_row(&txn, user_id).await? else {
            return Ok(None);
        };
        let attempt = match reserve_attempt(state, 0, now, policy) {
            Reservation::Granted { state, attempt } => {
                store_lock_state(&txn, user_id, state).await?;
                Some(attempt)
            }
            Reservation::Refused { lock } => {
                if let Some(lock) = lock {
                    tracing::warn!(
                        staff_user_id = user_id,
                        "staff account locked: more sign-in attempts at once than allowed"
                    );
                    store_lock_state(&txn, user_id, lock).await?;
                }
                None
            }
        };
        txn.commit().await?;
        Ok(attempt)
    }

    /// Locks the account when the failed `attempt` was the one that reached the maximum.
    async fn settle_wrong_password(
        &self,
        user_id: i32,
        attempt: i32,
        policy: LockoutPolicy,
    ) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        let Some((_, state)) = locked_row(&txn, user_id).await? else {
            return Ok(());
        };
        if let Some(locked) = after_wrong_password(state, attempt, self.clock.now(), policy) {
            tracing::warn!(
                staff_user_id = user_id,
                "staff account locked after repeated sign-in failures"
            );
            store_lock_state(&txn, user_id, locked).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Takes back the reservation of a right password refused for another reason.
    async fn release_attempt(&self, user_id: i32) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        if let Some((_, state)) = locked_row(&txn, user_id).await? {
            store_lock_state(&txn, user_id, release_attempt(state)).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Resolves a bearer credential (staff token or integration token) to an actor. The outer
    /// error is a server failure; the inner one says why the credential was refused.
    pub async fn authenticate(
        &self,
        bearer: &str,
    ) -> Result<std::result::Result<Actor, AuthFailure>> {
        if bearer.starts_with(INTEGRATION_PREFIX) {
            return self.authenticate_integration(bearer).await;
        }
        let claims = match self
            .tokens
            .verify::<StaffClaims>(bearer, ADMIN_AUDIENCE)
            .await
        {
            Ok(claims) if claims.typ == STAFF_TOKEN_TYPE => claims,
            Ok(_) => return Ok(Err(AuthFailure::Malformed)),
            Err(TokenError::Expired) => return Ok(Err(AuthFailure::Expired)),
            Err(_) => return Ok(Err(AuthFailure::Malformed)),
        };
        match self.session_actor(&claims.sid).await? {
            Some(actor @ Actor::Staff { user_id, .. }) if user_id.to_string() == claims.sub => {
                Ok(Ok(actor))
            }
            _ => Ok(Err(AuthFailure::Revoked)),
        }
    }

    /// The staff user behind a sign-in session, with the permissions their role grants now;
    /// `None` once the session is signed out, revoked or expired, or the user deactivated or
    /// deleted. Work a staff user started in a session (a Login as Customer session) ends with it.
    pub async fn session_actor(&self, session_id: &str) -> Result<Option<Actor>> {
        let access = match &self.access {
            Some(cache) => {
                let credential = Credential::Session(session_id.to_owned());
                cache
                    .get_or_load(&credential, || self.load_session(session_id))
                    .await?
            }
            None => self.load_session(session_id).await?.map(Arc::new),
        };
        let now = self.clock.now();
        Ok(access
            .filter(|access| access.ends_at.is_none_or(|end| end > now))
            .map(|access| access.actor.clone()))
    }

    /// Reads a live session with its user and role.
    async fn load_session(&self, session_id: &str) -> Result<Option<Access>> {
        let now = self.clock.now();
        let session = staff_session::Entity::find_by_id(session_id.to_owned())
            .one(&self.db)
            .await?;
        let Some(session) = session.filter(|s| s.revoked_at.is_none() && s.expires_at > now) else {
            return Ok(None);
        };
        let user = staff_user::Entity::find_by_id(session.staff_user_id)
            .one(&self.db)
            .await?;
        let Some(user) = user.filter(|u| u.is_active) else {
            return Ok(None);
        };
        let role = load_role(&self.db, user.role_id).await?;
        let actor = Actor::Staff {
            user_id: user.id,
            session_id: session.id,
            permissions: role.permissions,
        };
        Ok(Some(Access::new(actor, Some(session.expires_at), None)))
    }

    async fn authenticate_integration(
        &self,
        bearer: &str,
    ) -> Result<std::result::Result<Actor, AuthFailure>> {
        let token_hash = hash_secret(bearer);
        let access = match &self.access {
            Some(cache) => {
                let credential = Credential::Integration(token_hash.clone());
                cache
                    .get_or_load(&credential, || self.load_integration(&token_hash))
                    .await?
            }
            None => self.load_integration(&token_hash).await?.map(Arc::new),
        };
        let Some(access) = access else {
            return Ok(Err(AuthFailure::Malformed));
        };
        // An integration token ends only when it is revoked, and a revoked one never works
        // again, whatever this node's clock says of the moment.
        if access.ends_at.is_some() {
            return Ok(Err(AuthFailure::Revoked));
        }
        let now = self.clock.now();
        if let Actor::Integration { integration_id, .. } = &access.actor
            && access.claim_use(now)
        {
            integration::Entity::update_many()
                .col_expr(integration::Column::LastUsedAt, now.into())
                .filter(integration::Column::Id.eq(*integration_id))
                .exec(&self.db)
                .await?;
        }
        Ok(Ok(access.actor.clone()))
    }

    /// Reads an integration by its token's hash, revoked or not.
    async fn load_integration(&self, token_hash: &str) -> Result<Option<Access>> {
        let found = integration::Entity::find()
            .filter(integration::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?;
        let Some(found) = found else {
            return Ok(None);
        };
        let resources = integration_resource::Entity::find()
            .filter(integration_resource::Column::IntegrationId.eq(found.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.resource)
            .collect();
        let actor = Actor::Integration {
            integration_id: found.id,
            permissions: Permissions {
                all_resources: found.all_resources,
                resources,
                website_ids: None,
            },
        };
        Ok(Some(Access::new(
            actor,
            found.revoked_at,
            found.last_used_at,
        )))
    }

    /// Ends one sign-in session (the caller's own token).
    pub async fn sign_out(&self, session_id: &str) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce_access_change(&txn).await?;
        staff_session::Entity::update_many()
            .col_expr(staff_session::Column::RevokedAt, self.clock.now().into())
            .filter(staff_session::Column::Id.eq(session_id))
            .filter(staff_session::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Ends every session of a staff user, in the caller's transaction (which announces the
    /// change).
    pub(crate) async fn end_all_sessions(
        &self,
        txn: &DatabaseTransaction,
        user_id: i32,
    ) -> Result<()> {
        staff_session::Entity::update_many()
            .col_expr(staff_session::Column::RevokedAt, self.clock.now().into())
            .filter(staff_session::Column::StaffUserId.eq(user_id))
            .filter(staff_session::Column::RevokedAt.is_null())
            .exec(txn)
            .await?;
        Ok(())
    }
}

/// The staff user row, locked for the transaction, with its failure columns.
async fn locked_row(
    txn: &DatabaseTransaction,
    user_id: i32,
) -> Result<Option<(staff_user::Model, LockState)>> {
    let row = staff_user::Entity::find_by_id(user_id)
        .lock_exclusive()
        .one(txn)
        .await?;
    Ok(row.map(|user| {
        let state = LockState {
            failures: user.failures_num,
            first_failure: user.first_failure,
            lock_expires: user.lock_expires,
        };
        (user, state)
    }))
}

/// Writes the failure columns of a staff user.
async fn store_lock_state(txn: &DatabaseTransaction, user_id: i32, state: LockState) -> Result<()> {
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::FailuresNum, state.failures.into())
        .col_expr(staff_user::Column::FirstFailure, state.first_failure.into())
        .col_expr(staff_user::Column::LockExpires, state.lock_expires.into())
        .filter(staff_user::Column::Id.eq(user_id))
        .exec(txn)
        .await?;
    Ok(())
}
