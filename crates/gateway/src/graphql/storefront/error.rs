//! Storefront errors in Adobe Commerce's shape: `extensions.category` decides the client's reading
//! and the HTTP status (`graphql-authentication` → 401, `graphql-authorization` → 403).

use async_graphql::ErrorExtensions;
use clientele_kernel::Error;

pub(crate) use crate::graphql::codes::category;
use crate::graphql::codes::code;

/// Builds a storefront error with `category`.
pub(crate) fn storefront_error(
    message: impl Into<String>,
    category: &'static str,
) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("category", category))
}

/// Converts a domain error into a storefront GraphQL error.
pub(crate) fn to_storefront(err: Error) -> async_graphql::Error {
    match err {
        Error::NotFound { .. } => storefront_error(err.to_string(), category::NO_SUCH_ENTITY),
        Error::Invalid { message, .. } => storefront_error(message, category::INPUT),
        Error::Conflict(m) => storefront_error(m, category::ALREADY_EXISTS),
        Error::Forbidden(m) => storefront_error(m, category::AUTHORIZATION),
        Error::Unauthenticated(m) => storefront_error(m, category::AUTHENTICATION),
        Error::RateLimited(m) => storefront_error(m, category::INPUT)
            .extend_with(|_, e| e.set("code", code::RATE_LIMITED)),
        Error::Unavailable => storefront_error("Internal server error", category::INTERNAL),
        Error::Internal(inner) => {
            tracing::error!(error = ?inner, "internal error");
            storefront_error("Internal server error", category::INTERNAL)
        }
    }
}

/// `.storefront()` on domain results.
pub(crate) trait StorefrontResult<T> {
    /// Maps the error into a storefront GraphQL error.
    fn storefront(self) -> async_graphql::Result<T>;
}

impl<T> StorefrontResult<T> for Result<T, Error> {
    fn storefront(self) -> async_graphql::Result<T> {
        self.map_err(to_storefront)
    }
}
