//! The error type of every domain service. The gateway maps each variant to a stable client-facing
//! code; only [`Error::Internal`] carries details that must never reach a client.

use sea_orm::DbErr;

/// A domain failure, classified by who is at fault and what the caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The entity does not exist (or the caller may not know that it does).
    #[error("{entity} \"{key}\" does not exist")]
    NotFound {
        /// Human name of the entity kind, e.g. "Customer group".
        entity: &'static str,
        /// The key that was looked up.
        key: String,
    },
    /// The input breaks a rule; `field` names the offending input field.
    #[error("{message}")]
    Invalid {
        /// Input field (snake_case, as the API names it).
        field: String,
        /// What rule was broken, readable by the end user.
        message: String,
    },
    /// The change conflicts with existing data (duplicate, still referenced, protected).
    #[error("{0}")]
    Conflict(String),
    /// The caller is known but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// The caller's credentials are missing, wrong, expired or revoked.
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many attempts; try again later.
    #[error("{0}")]
    RateLimited(String),
    /// A dependency (the database) is unreachable; the request changed nothing.
    #[error("The service is temporarily unavailable.")]
    Unavailable,
    /// Anything unexpected. Logged with its chain, shown to clients as a generic message.
    #[error("Internal server error")]
    Internal(#[source] anyhow::Error),
}

/// Result alias for domain operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation failure on `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A missing referenced entity is the caller's mistake (`field` names a thing that does not
    /// exist); any other error stays what it is.
    pub fn missing_as_invalid(self, field: &str, message: &str) -> Self {
        match self {
            Error::NotFound { .. } => Error::invalid(field, message),
            other => other,
        }
    }

    /// A missing entity.
    pub fn not_found(entity: &'static str, key: impl ToString) -> Self {
        Error::NotFound {
            entity,
            key: key.to_string(),
        }
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_connection_error(&err) {
            tracing::warn!(error = %err, "database unavailable");
            Error::Unavailable
        } else {
            Error::Internal(anyhow::Error::new(err))
        }
    }
}

impl From<anyhow::Error> for Error {
    fn from(err: anyhow::Error) -> Self {
        Error::Internal(err)
    }
}

/// Whether the error means the database could not be reached (as opposed to a bad statement).
pub fn is_connection_error(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(e) | DbErr::Query(e) => {
            let text = e.to_string();
            text.contains("Connection refused")
                || text.contains("connection closed")
                || text.contains("PoolTimedOut")
                || text.contains("unable to open database")
                || text.contains("Io(")
        }
        _ => false,
    }
}
