//! Admin API errors: every error carries a stable `extensions.code`; validation errors also name
//! the input `field`. Internal errors are logged with their chain and shown as a generic message.

use async_graphql::ErrorExtensions;
use clientele_kernel::Error;

pub(crate) use crate::graphql::codes::code;

/// Builds an admin error with `code`.
pub(crate) fn admin_error(message: impl Into<String>, code: &'static str) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code))
}

/// Converts a domain error into an admin GraphQL error.
pub(crate) fn to_admin(err: Error) -> async_graphql::Error {
    match err {
        Error::NotFound { .. } => admin_error(err.to_string(), code::NOT_FOUND),
        Error::Invalid { field, message, .. } => {
            async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", code::BAD_USER_INPUT);
                e.set("field", field.clone());
            })
        }
        Error::Conflict(m) => admin_error(m, code::CONFLICT),
        Error::Forbidden(m) => admin_error(m, code::FORBIDDEN),
        Error::Unauthenticated(m) => admin_error(m, code::UNAUTHENTICATED),
        Error::RateLimited(m) => admin_error(m, code::RATE_LIMITED),
        Error::Unavailable => admin_error(err.to_string(), code::SERVICE_UNAVAILABLE),
        Error::Internal(inner) => {
            tracing::error!(error = ?inner, "internal error");
            admin_error("Internal server error", code::INTERNAL)
        }
    }
}

/// `.admin()` on domain results.
pub(crate) trait AdminResult<T> {
    /// Maps the error into an admin GraphQL error.
    fn admin(self) -> async_graphql::Result<T>;
}

impl<T> AdminResult<T> for Result<T, Error> {
    fn admin(self) -> async_graphql::Result<T> {
        self.map_err(to_admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(err: Error) -> String {
        let e = to_admin(err);
        e.extensions
            .and_then(|x| x.get("code").map(|v| v.to_string()))
            .unwrap_or_default()
    }

    #[test]
    fn every_domain_error_has_a_stable_code() {
        assert_eq!(code_of(Error::not_found("Role", 1)), "\"NOT_FOUND\"");
        assert_eq!(code_of(Error::invalid("name", "x")), "\"BAD_USER_INPUT\"");
        assert_eq!(code_of(Error::Conflict("x".into())), "\"CONFLICT\"");
        assert_eq!(code_of(Error::Unavailable), "\"SERVICE_UNAVAILABLE\"");
        let internal = to_admin(Error::Internal(anyhow::anyhow!("SELECT secret FROM t")));
        assert_eq!(internal.message, "Internal server error");
    }
}
