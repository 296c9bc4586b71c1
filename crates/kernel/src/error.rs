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
        /// What was broken, readable by the end user.
        message: String,
        /// Which kind of rule was broken, for callers that answer differently by kind.
        rule: Rule,
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

/// The kind of rule an invalid input broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A value that must be given is missing or blank.
    Required,
    /// Any other rule (format, range, reference, consistency).
    Other,
}

/// Result alias for domain operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation failure on `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
            rule: Rule::Other,
        }
    }

    /// A required value missing from `field`, whose form label is `label`, in Adobe Commerce's
    /// words: `"Label" is a required value.`
    pub fn required(field: impl Into<String>, label: &str) -> Self {
        Error::Invalid {
            field: field.into(),
            message: format!("\"{label}\" is a required value."),
            rule: Rule::Required,
        }
    }

    /// The same error about another `field` (an input renamed on its way to the caller).
    pub fn on_field(self, field: impl Into<String>) -> Self {
        match self {
            Error::Invalid { message, rule, .. } => Error::Invalid {
                field: field.into(),
                message,
                rule,
            },
            other => other,
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

/// `.internal("what failed")` on results whose error is no fault of the caller: the error becomes
/// [`Error::Internal`] with its source chain kept (logged, never shown).
pub trait InternalContext<T> {
    /// Maps the error into [`Error::Internal`], described by `context`.
    fn internal(self, context: &'static str) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> InternalContext<T>
    for std::result::Result<T, E>
{
    fn internal(self, context: &'static str) -> Result<T> {
        self.map_err(|e| Error::Internal(anyhow::Error::new(e).context(context)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_value_is_a_required_rule_in_adobe_commerces_words() {
        let err = Error::required("street", "Street Address");
        assert_eq!(err.to_string(), "\"Street Address\" is a required value.");
        let Error::Invalid { field, rule, .. } = err.on_field("street[0]") else {
            panic!("still invalid");
        };
        assert_eq!((field.as_str(), rule), ("street[0]", Rule::Required));
        let Error::Invalid { rule, .. } = Error::invalid("dob", "too early") else {
            panic!("invalid");
        };
        assert_eq!(rule, Rule::Other);
    }

    #[test]
    fn an_internal_failure_keeps_its_source_and_shows_none_of_it() {
        let failed: std::result::Result<(), std::fmt::Error> = Err(std::fmt::Error);
        let err = failed.internal("render").expect_err("failed");
        assert_eq!(err.to_string(), "Internal server error");
        let Error::Internal(inner) = err else {
            panic!("internal");
        };
        assert_eq!(
            format!("{inner:#}"),
            "render: an error occurred when formatting an argument"
        );
    }
}
