//! Shoppers signing in and out. One generic answer for a wrong password and for unknown, locked
//! and inactive accounts (with the same hashing work, so timing does not tell them apart either);
//! failures counted and the account locked as configured; tokens that are JWTs with Adobe
//! Commerce's claims; revocation that ends every token of the customer on every API node, since
//! each token check reads the customer's `tokens_valid_after`.

use clientele_configuration::keys;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use clientele_configuration::Scope;
use clientele_kernel::db::begin_write;
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Error, InternalContext, Result};
use clientele_sessions::{
    LockState, LockoutPolicy, TokenError, after_right_password, attempts_allowed_under_way,
    crowded_lock, record_wrong_password,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, QuerySelect, QueryTrait, Statement,
};
use serde::{Deserialize, Serialize};

use super::ShopperAuth;
use crate::accounts::record::{email_scope, find};
use crate::entity::{customer, sign_in_attempt};
use crate::model::Customer;
use clientele_activity::{record_sign_in, record_sign_out};
use clientele_events::EventType;
use clientele_kernel::acting;

/// Audience of shopper tokens.
pub const SHOPPER_AUDIENCE: &str = "clientele-storefront";

/// Adobe Commerce's answer to every failed sign-in, whatever the reason.
pub const SIGN_IN_FAILED: &str = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.";

/// Adobe Commerce's answer when the email still awaits confirmation.
pub const NOT_CONFIRMED: &str = "This account isn't confirmed. Verify and try again.";

/// Adobe Commerce's user type id of customers (`utypid`).
const CUSTOMER_USER_TYPE: u8 = 3;

/// `typ` of the tokens staff get through Login as Customer.
pub const ASSISTED_TOKEN_TYPE: &str = "assisted";

/// The actor of a delegated token (RFC 8693 `act`): the staff user acting as the customer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ActingParty {
    /// `staff:<id>`.
    pub sub: String,
}

/// Claims of a shopper token: Adobe Commerce's (`uid`, `utypid`, `iat`, `exp`, and `admin_id` for
/// Login as Customer), plus issuer, audience, subject, a session id and a precise issue time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShopperClaims {
    /// Customer id.
    pub uid: i32,
    /// User type: 3, customer.
    pub utypid: u8,
    /// Issued at (seconds).
    pub iat: i64,
    /// Expires at (seconds).
    pub exp: i64,
    /// The staff user acting as the customer, for Login as Customer sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_id: Option<i32>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Subject: the customer id as text.
    pub sub: String,
    /// Session id, unique per token.
    pub sid: String,
    /// Issued at in milliseconds, compared with the customer's revocation time.
    pub iat_ms: i64,
    /// The staff user acting as the customer (Login as Customer tokens only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<ActingParty>,
    /// Token kind: [`ASSISTED_TOKEN_TYPE`] for Login as Customer, absent for the shopper's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
}

/// A verified shopper token.
#[derive(Debug, Clone, PartialEq)]
pub struct ShopperSession {
    /// The signed-in customer.
    pub customer_id: i32,
    /// The account as read when the token was checked, so a request that shows it needs no
    /// second read.
    pub account: Customer,
    /// The staff user acting as the customer, if any.
    pub admin_id: Option<i32>,
    /// The token's session.
    pub session: SessionRef,
}

/// A shopper session as its token names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRef {
    /// The session id (the token's `sid`).
    pub id: String,
    /// When the token was issued, in milliseconds since the epoch.
    pub issued_at_ms: i64,
}

/// Why a shopper token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// Not a token we issued.
    Malformed,
    /// Past its lifetime.
    Expired,
    /// Revoked (signed out, password changed, account deleted or deactivated).
    Revoked,
}

/// A new shopper token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The JWT.
    pub token: String,
    /// The customer it was issued to.
    pub customer_id: i32,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// The account row by id, with SQL built once per process: this read comes with every request
/// that carries a shopper token, and building the statement cost more than sending it.
async fn account_by_id(db: &DatabaseConnection, id: i32) -> Result<Option<customer::Model>> {
    static SQL: OnceLock<[String; 2]> = OnceLock::new();
    let sql = SQL.get_or_init(|| {
        let build = |backend| {
            customer::Entity::find()
                .filter(customer::Column::Id.eq(0))
                .build(backend)
                .sql
        };
        [build(DbBackend::Postgres), build(DbBackend::Sqlite)]
    });
    let backend = db.get_database_backend();
    let text = match backend {
        DbBackend::Postgres => &sql[0],
        _ => &sql[1],
    };
    Ok(
        customer::Model::find_by_statement(Statement::from_sql_and_values(
            backend,
            text,
            [id.into()],
        ))
        .one(db)
        .await?,
    )
}

/// Failures so far, first failure in the window, and lock end of an account.
type FailureState = (i32, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

impl ShopperAuth {
    /// Signs in with email and password on `website_id` and issues a token.
    pub async fn sign_in(&self, website_id: i32, email: &str, password: &str) -> Result<SignedIn> {
        if email.trim().is_empty() {
            return Err(Error::invalid("email", "Specify the \"email\" value."));
        }
        if password.is_empty() {
            return Err(Error::invalid(
                "password",
                "Specify the \"password\" value.",
            ));
        }
        let config = self
            .shared
            .config
            .resolve(Scope::Website(website_id))
            .await?;
        let scope = email_scope(&config, website_id);
        let account = match normalize_email("email", email) {
            Ok((_, key)) => crate::emails::holder(&self.shared.db, scope, &key).await?,
            Err(_) => None,
        };
        let Some(account) = account else {
            self.shared.hasher.verify_nothing(password).await?;
            return Err(failed("unknown account"));
        };
        // A wrong password is recorded after the answer, so the answer takes no longer than for
        // an unknown email.
        let checked = self
            .check_attempt(&account, &config, password, Settle::AfterAnswer)
            .await?;
        let (verification, attempt) = match checked {
            Checked::Locked => return Err(failed("locked account")),
            Checked::Wrong { .. } => return Err(failed("wrong password")),
            Checked::Right {
                verification,
                attempt,
            } => (verification, attempt),
        };
        if !account.is_active {
            self.release_attempt(attempt).await?;
            return Err(failed("inactive account"));
        }
        if account.confirmation.is_some() && config.flag(keys::customer::CREATE_ACCOUNT_CONFIRM) {
            self.release_attempt(attempt).await?;
            return Err(Error::Unauthenticated(NOT_CONFIRMED.into()));
        }
        let recorded = async {
            let rehash = match (&account.password_hash, verification.needs_rehash) {
                (Some(verified), true) => {
                    Some((verified.clone(), self.shared.hasher.hash(password).await?))
                }
                _ => None,
            };
            self.record_success(account.id, rehash, Some(attempt)).await
        };
        match recorded.await {
            Ok(true) => self.issue_token(account.id, &config, self.shared.clock.now()),
            Ok(false) => Err(failed("locked while signing in")),
            Err(error) => {
                // The sign-in did not happen: its attempt must not stay under way.
                let _ = self.release_attempt(attempt).await;
                Err(error)
            }
        }
    }

    /// Issues the shopper's own token for a sign-in just recorded, with the website's customer
    /// token lifetime.
    pub(crate) fn issue_token(
        &self,
        customer_id: i32,
        config: &clientele_configuration::ResolvedConfig,
        now: DateTime<Utc>,
    ) -> Result<SignedIn> {
        let hours = config
            .number(keys::oauth::ACCESS_TOKEN_LIFETIME_CUSTOMER)
            .filter(|h| *h > 0)
            .unwrap_or(1);
        let expires_at = now + Duration::hours(hours);
        let claims = ShopperClaims {
            uid: customer_id,
            utypid: CUSTOMER_USER_TYPE,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            admin_id: None,
            iss: self.tokens.issuer().to_owned(),
            aud: SHOPPER_AUDIENCE.to_owned(),
            sub: customer_id.to_string(),
            sid: uuid::Uuid::new_v4().to_string(),
            iat_ms: now.timestamp_millis(),
            act: None,
            typ: None,
        };
        tracing::info!(customer_id, outcome = "success", "shopper signed in");
        Ok(SignedIn {
            token: self.tokens.sign(&claims)?,
            customer_id,
            expires_at,
        })
    }

    /// Checks a shopper token: signature, lifetime, and that the customer still exists, is active
    /// and has not had its tokens revoked since the token was issued. The outer error is a
    /// server failure; the inner one says why the token was refused.
    pub async fn authenticate(
        &self,
        token: &str,
    ) -> Result<std::result::Result<ShopperSession, TokenRefusal>> {
        let claims = match self
            .tokens
            .verify::<ShopperClaims>(token, SHOPPER_AUDIENCE)
            .await
        {
            Ok(claims) => claims,
            Err(TokenError::Expired) => return Ok(Err(TokenRefusal::Expired)),
            Err(_) => return Ok(Err(TokenRefusal::Malformed)),
        };
        if claims.utypid != CUSTOMER_USER_TYPE {
            return Ok(Err(TokenRefusal::Malformed));
        }
        // A Login as Customer token names its staff user three times over; anything less is not
        // one of ours.
        let assisted = claims.typ.as_deref() == Some(ASSISTED_TOKEN_TYPE);
        let consistent = match (&claims.admin_id, &claims.act) {
            (Some(admin), Some(act)) => assisted && act.sub == format!("staff:{admin}"),
            (None, None) => claims.typ.is_none(),
            _ => false,
        };
        if !consistent {
            return Ok(Err(TokenRefusal::Malformed));
        }
        // The whole row costs the same round trip as the two columns the check needs, and the
        // `customer` query then reads nothing more.
        let Some(row) = account_by_id(&self.shared.db, claims.uid).await? else {
            return Ok(Err(TokenRefusal::Revoked));
        };
        let session = SessionRef {
            id: claims.sid,
            issued_at_ms: claims.iat_ms,
        };
        // Withdrawing consent ends the assisted sessions already open, not only future ones.
        let live = row.is_active
            && (!assisted || row.allow_remote_shopping_assistance)
            && session_is_live(&row, &session);
        if !live {
            return Ok(Err(TokenRefusal::Revoked));
        }
        Ok(Ok(ShopperSession {
            customer_id: claims.uid,
            account: row.into(),
            admin_id: claims.admin_id,
            session,
        }))
    }

    /// Issues a Login as Customer token: a customer token that also names the staff user acting
    /// (`admin_id`, which storefronts read to show the "logged in as" banner, and `act`), with
    /// its own `typ` and lifetime. `session_id` is the assisted session the caller recorded.
    pub fn issue_assisted_token(
        &self,
        customer_id: i32,
        staff_user_id: i32,
        session_id: &str,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<String> {
        let claims = ShopperClaims {
            uid: customer_id,
            utypid: CUSTOMER_USER_TYPE,
            iat: issued_at.timestamp(),
            exp: expires_at.timestamp(),
            admin_id: Some(staff_user_id),
            iss: self.tokens.issuer().to_owned(),
            aud: SHOPPER_AUDIENCE.to_owned(),
            sub: customer_id.to_string(),
            sid: session_id.to_owned(),
            iat_ms: issued_at.timestamp_millis(),
            act: Some(ActingParty {
                sub: format!("staff:{staff_user_id}"),
            }),
            typ: Some(ASSISTED_TOKEN_TYPE.to_owned()),
        };
        self.tokens.sign(&claims)
    }

    /// Ends every token of the customer issued until now and records the sign-out.
    pub async fn sign_out(&self, customer_id: i32) -> Result<()> {
        let now = self.shared.clock.now();
        let txn = begin_write(&self.shared.db).await?;
        revoke_tokens(&txn, customer_id, now).await?;
        record_sign_out(&txn, customer_id, now).await?;
        txn.commit().await?;
        tracing::info!(customer_id, "shopper signed out");
        Ok(())
    }

    /// Checks `password` for `account` as one counted attempt. The attempt is reserved while the
    /// password is being hashed, and both finish before anything is decided: a refused attempt
    /// costs the same hashing as any other, and an answer takes as long as hashing alone, as it
    /// does for an unknown email. A wrong password is recorded `when` the caller needs it.
    pub(crate) async fn check_attempt(
        &self,
        account: &customer::Model,
        config: &clientele_configuration::ResolvedConfig,
        password: &str,
        when: Settle,
    ) -> Result<Checked> {
        let verify = async {
            match &account.password_hash {
                Some(stored) => self.shared.hasher.verify(password, stored).await,
                None => {
                    self.shared.hasher.verify_nothing(password).await?;
                    Ok(clientele_sessions::Verification {
                        matches: false,
                        needs_rehash: false,
                    })
                }
            }
        };
        let (reserved, verified) = tokio::join!(self.reserve_attempt(account.id, config), verify);
        let Some(attempt) = reserved? else {
            return Ok(Checked::Locked);
        };
        let verification = match verified {
            Ok(verification) => verification,
            Err(err) => {
                // Not checked (the hashing queue is full): the attempt does not count.
                self.release_attempt(attempt).await?;
                return Err(err);
            }
        };
        if !verification.matches {
            let locked = match when {
                Settle::Now => self.settle_wrong_password(account.id, attempt).await?,
                Settle::AfterAnswer => {
                    // Until it is recorded, the attempt still counts as under way.
                    let this = self.clone();
                    let customer_id = account.id;
                    // Settled on the caller's behalf: a lock it causes is theirs.
                    acting::spawn_as_current(async move {
                        if let Err(error) = this.settle_wrong_password(customer_id, attempt).await {
                            tracing::error!(
                                customer_id,
                                ?error,
                                "a failed sign-in was not recorded"
                            );
                        }
                    });
                    false
                }
            };
            return Ok(Checked::Wrong { locked });
        }
        Ok(Checked::Right {
            verification,
            attempt,
        })
    }

    /// Records the attempt before its password is checked, so parallel guesses use up the
    /// allowance as they start (the rule is `clientele_sessions::reserve_attempt`, counting the
    /// recorded failures and the attempts under way). The attempt is a row of its own, so a
    /// sign-in does not write the account row. `None`: refused, because the account is locked or
    /// the attempts under way used up its allowance.
    async fn reserve_attempt(
        &self,
        customer_id: i32,
        config: &clientele_configuration::ResolvedConfig,
    ) -> Result<Option<Attempt>> {
        let policy = lockout_policy(config);
        let now = self.shared.clock.now();
        let txn = begin_write(&self.shared.db).await?;
        let Some(state) = locked_state(&txn, customer_id).await? else {
            return Ok(None);
        };
        let attempt = match attempts_allowed_under_way(state, now, policy) {
            None => None,
            Some(allowed) => match insert_attempt_within(&txn, customer_id, now, allowed).await? {
                Some(id) => Some(Attempt {
                    customer_id,
                    id,
                    policy,
                }),
                None => {
                    tracing::warn!(
                        customer_id,
                        "customer account locked: more sign-in attempts at once than allowed"
                    );
                    store_lock_state(&txn, customer_id, crowded_lock(state, now, policy)).await?;
                    None
                }
            },
        };
        txn.commit().await?;
        Ok(attempt)
    }

    /// Settles an attempt whose password was wrong: the failure is recorded, and the one that
    /// reaches the maximum locks the account. Returns whether the account is locked now.
    async fn settle_wrong_password(&self, customer_id: i32, attempt: Attempt) -> Result<bool> {
        let now = self.shared.clock.now();
        let txn = begin_write(&self.shared.db).await?;
        attempt.end(&txn).await?;
        let Some(state) = locked_state(&txn, customer_id).await? else {
            return Ok(false);
        };
        let next = record_wrong_password(state, now, attempt.policy);
        if next != state {
            store_lock_state(&txn, customer_id, next).await?;
            if next.is_locked(now) && !state.is_locked(now) {
                tracing::warn!(
                    customer_id,
                    "customer account locked after repeated sign-in failures"
                );
                let account = find(&txn, customer_id).await?;
                let locked = crate::events::about(EventType::Locked, &account)
                    .with("locked_until", next.lock_expires.map(|at| at.to_rfc3339()));
                clientele_events::record(&txn, now, vec![locked]).await?;
            }
        }
        txn.commit().await?;
        Ok(next.is_locked(now))
    }

    /// Ends an attempt that does not count: a right password refused for another reason (an
    /// inactive or unconfirmed account), or one never checked.
    pub(crate) async fn release_attempt(&self, attempt: Attempt) -> Result<()> {
        attempt.end(&self.shared.db).await
    }

    /// Clears the failure count, stores an upgraded hash, and records the sign-in. Returns false
    /// (and changes nothing) when the account was locked while the password was being checked,
    /// so a burst of parallel guesses cannot clear a lock that one of them caused.
    pub(crate) async fn record_success(
        &self,
        customer_id: i32,
        rehash: Option<(String, String)>,
        attempt: Option<Attempt>,
    ) -> Result<bool> {
        let now = self.shared.clock.now();
        if let Some(attempt) = attempt {
            self.release_attempt(attempt).await?;
        }
        // Most sign-ins follow no failure and upgrade no hash: the account row is then only read,
        // and a lock set just after the read orders this sign-in before it, so neither a row
        // lock nor a transaction is needed.
        if rehash.is_none() {
            match read_state(&self.shared.db, customer_id).await? {
                None => return Ok(false),
                Some(current) if current == LockState::default() => {
                    record_sign_in(&self.shared.db, customer_id, now).await?;
                    return Ok(true);
                }
                Some(_) => {}
            }
        }
        let txn = begin_write(&self.shared.db).await?;
        let Some(current) = locked_state(&txn, customer_id).await? else {
            txn.commit().await?;
            return Ok(false);
        };
        if !after_right_password(current, now) {
            txn.commit().await?;
            return Ok(false);
        }
        if current != LockState::default() {
            store_lock_state(&txn, customer_id, LockState::default()).await?;
        }
        // The upgraded hash replaces only the hash that was verified: a password changed or
        // reset meanwhile is not overwritten with the old password.
        if let Some((verified, upgraded)) = rehash {
            customer::Entity::update_many()
                .col_expr(customer::Column::PasswordHash, Some(upgraded).into())
                .filter(customer::Column::Id.eq(customer_id))
                .filter(customer::Column::PasswordHash.eq(verified))
                .exec(&txn)
                .await?;
        }
        record_sign_in(&txn, customer_id, now).await?;
        txn.commit().await?;
        Ok(true)
    }
}

impl ShopperAuth {
    /// Forgets sign-in attempts whose requests died before they finished (they already stopped
    /// counting against the lockout allowance); how many.
    pub async fn purge_abandoned_sign_in_attempts(&self) -> Result<u64> {
        Ok(sign_in_attempt::Entity::delete_many()
            .filter(
                sign_in_attempt::Column::StartedAt.lt(self.shared.clock.now() - ABANDONED_AFTER),
            )
            .exec(&self.shared.db)
            .await?
            .rows_affected)
    }
}

/// Makes every token of the customer issued until `now` invalid.
pub(crate) async fn revoke_tokens(
    db: &impl sea_orm::ConnectionTrait,
    customer_id: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    customer::Entity::update_many()
        .col_expr(customer::Column::Version, version_bump())
        .col_expr(customer::Column::TokensValidAfter, Some(now).into())
        .col_expr(customer::Column::TokensKeptSession, None::<String>.into())
        .filter(customer::Column::Id.eq(customer_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether the customer's sessions, as `row` records their ending, leave `session` signed in:
/// it is the session a shopper's own change kept, or it began after the sessions last ended.
fn session_is_live(row: &customer::Model, session: &SessionRef) -> bool {
    row.tokens_kept_session.as_deref() == Some(session.id.as_str())
        || row
            .tokens_valid_after
            .is_none_or(|after| session.issued_at_ms > after.timestamp_millis())
}

/// Ends the customer's sessions in a row about to be saved (read in the same transaction): every
/// token issued until `now` stops working, except those of `kept`, the session that made the
/// change, if it is still live in that row. A shopper's own password or email change keeps its
/// session, as Adobe Commerce does; every other reason ends them all. A session that a sign-out
/// or reset ended while the change was under way stays ended.
pub(crate) fn end_sessions(
    row: &mut customer::Model,
    now: DateTime<Utc>,
    kept: Option<&SessionRef>,
) {
    let kept = kept.filter(|session| session_is_live(row, session));
    row.tokens_valid_after = Some(now);
    row.tokens_kept_session = kept.map(|session| session.id.clone());
}

/// When a wrong password is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Settle {
    /// Before answering: the caller tells a lock apart from a wrong password.
    Now,
    /// After answering, off the request path: the answer is the same either way.
    AfterAnswer,
}

/// What a counted sign-in attempt found.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Checked {
    /// Refused unchecked: the account is locked, or attempts under way used up its allowance.
    Locked,
    /// A wrong password; `locked`: this failure locked the account.
    Wrong {
        /// Whether the account is locked now.
        locked: bool,
    },
    /// The right password; release the attempt or record the sign-in with it.
    Right {
        /// The password check.
        verification: clientele_sessions::Verification,
        /// The attempt, still under way.
        attempt: Attempt,
    },
}

/// A sign-in attempt recorded before its password is checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    /// The account signed in to.
    customer_id: i32,
    /// Its row in `customer_sign_in_attempts`, with the account.
    id: i64,
    policy: LockoutPolicy,
}

impl Attempt {
    /// Removes the attempt: it no longer counts as under way.
    async fn end(&self, db: &impl ConnectionTrait) -> Result<()> {
        sign_in_attempt::Entity::delete_many()
            .filter(sign_in_attempt::Column::CustomerId.eq(self.customer_id))
            .filter(sign_in_attempt::Column::Id.eq(self.id))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// How long an attempt counts as under way: one whose request died is forgotten after this.
const ABANDONED_AFTER: Duration = Duration::minutes(5);

/// The website's lockout options (Adobe Commerce's defaults: 10 failures, 10 minutes).
fn lockout_policy(config: &clientele_configuration::ResolvedConfig) -> LockoutPolicy {
    LockoutPolicy {
        max_failures: config
            .number(keys::customer::PASSWORD_LOCKOUT_FAILURES)
            .unwrap_or(10),
        window: Duration::minutes(
            config
                .number(keys::customer::PASSWORD_LOCKOUT_THRESHOLD)
                .unwrap_or(10),
        ),
    }
}

/// The account's failure columns, with the row locked for the transaction.
async fn locked_state(txn: &DatabaseTransaction, customer_id: i32) -> Result<Option<LockState>> {
    let state: Option<FailureState> = state_query(customer_id)
        .lock_exclusive()
        .into_tuple()
        .one(txn)
        .await?;
    Ok(state.map(lock_state))
}

/// The account's failure columns as last committed, without a lock.
async fn read_state(db: &DatabaseConnection, customer_id: i32) -> Result<Option<LockState>> {
    let state: Option<FailureState> = state_query(customer_id).into_tuple().one(db).await?;
    Ok(state.map(lock_state))
}

fn state_query(customer_id: i32) -> sea_orm::Select<customer::Entity> {
    customer::Entity::find_by_id(customer_id)
        .select_only()
        .column(customer::Column::FailuresNum)
        .column(customer::Column::FirstFailure)
        .column(customer::Column::LockExpires)
}

fn lock_state((failures, first_failure, lock_expires): FailureState) -> LockState {
    LockState {
        failures,
        first_failure,
        lock_expires,
    }
}

/// Records an attempt of `customer_id` starting at `now` unless more than `allowed` attempts of
/// the customer are already under way: one statement counts and inserts, after the caller's row
/// lock, so it counts every attempt committed before it. The new attempt's id, or `None`.
async fn insert_attempt_within(
    txn: &DatabaseTransaction,
    customer_id: i32,
    now: DateTime<Utc>,
    allowed: i64,
) -> Result<Option<i64>> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    // Attempts whose requests died never finish: they stop counting after a while.
    let under_way = Query::select()
        .expr(Expr::col(sign_in_attempt::Column::Id).count())
        .from(sign_in_attempt::Entity)
        .and_where(sign_in_attempt::Column::CustomerId.eq(customer_id))
        .and_where(sign_in_attempt::Column::StartedAt.gte(now - ABANDONED_AFTER))
        .to_owned();
    let within = Query::select()
        .exprs([Expr::val(customer_id), Expr::val(now)])
        .and_where(Expr::from(under_way).lte(allowed))
        .to_owned();
    let insert = Query::insert()
        .into_table(sign_in_attempt::Entity)
        .columns([
            sign_in_attempt::Column::CustomerId,
            sign_in_attempt::Column::StartedAt,
        ])
        .select_from(within)
        .internal("building the sign-in attempt insert")?
        .returning_col(sign_in_attempt::Column::Id)
        .to_owned();
    let row = txn.query_one(&insert).await?;
    Ok(row.map(|row| row.try_get::<i64>("", "id")).transpose()?)
}

/// Writes the failure columns of a customer.
async fn store_lock_state(
    txn: &DatabaseTransaction,
    customer_id: i32,
    state: LockState,
) -> Result<()> {
    customer::Entity::update_many()
        .col_expr(customer::Column::Version, version_bump())
        .col_expr(customer::Column::FailuresNum, state.failures.into())
        .col_expr(customer::Column::FirstFailure, state.first_failure.into())
        .col_expr(customer::Column::LockExpires, state.lock_expires.into())
        .filter(customer::Column::Id.eq(customer_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The version counter advances with security state too, so that a whole-row write made from an
/// older read (an import, a staff edit) fails as stale instead of restoring revoked tokens or a
/// cleared failure count.
fn version_bump() -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait};
    Expr::col(customer::Column::Version).add(1)
}

fn failed(reason: &'static str) -> Error {
    tracing::info!(outcome = "refused", reason, "shopper sign-in refused");
    Error::Unauthenticated(SIGN_IN_FAILED.into())
}
