//! The error vocabulary of both endpoints, spelled once: the storefront's `extensions.category`
//! (Adobe Commerce's) and the admin API's `extensions.code`.

/// Adobe Commerce error categories (`extensions.category` on the storefront).
pub(crate) mod category {
    /// Bad input: 200, the operation's answer holds the error.
    pub(crate) const INPUT: &str = "graphql-input";
    /// Missing, wrong or expired credentials: 401.
    pub(crate) const AUTHENTICATION: &str = "graphql-authentication";
    /// A known caller without the right: 403.
    pub(crate) const AUTHORIZATION: &str = "graphql-authorization";
    /// The entity does not exist.
    pub(crate) const NO_SUCH_ENTITY: &str = "graphql-no-such-entity";
    /// The entity exists already.
    pub(crate) const ALREADY_EXISTS: &str = "graphql-already-exists";
    /// The document itself is refused (syntax, validation).
    pub(crate) const GRAPHQL: &str = "graphql";
    /// A server failure, shown without details.
    pub(crate) const INTERNAL: &str = "internal";
}

/// Stable admin error codes (`extensions.code`; the storefront adds `RATE_LIMITED` too).
pub(crate) mod code {
    /// Missing, wrong or expired credentials.
    pub(crate) const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// A known caller without the permission.
    pub(crate) const FORBIDDEN: &str = "FORBIDDEN";
    /// The entity does not exist (or is out of the caller's reach).
    pub(crate) const NOT_FOUND: &str = "NOT_FOUND";
    /// An input breaks a rule; `extensions.field` names it.
    pub(crate) const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// The change conflicts with existing data or another request.
    pub(crate) const CONFLICT: &str = "CONFLICT";
    /// Too many attempts; try again later.
    pub(crate) const RATE_LIMITED: &str = "RATE_LIMITED";
    /// The database is unreachable; nothing changed.
    pub(crate) const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";
    /// A server failure, shown without details.
    pub(crate) const INTERNAL: &str = "INTERNAL";
    /// The HTTP request is not a GraphQL request.
    pub(crate) const BAD_REQUEST: &str = "BAD_REQUEST";
    /// The document cannot be parsed.
    pub(crate) const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    /// The document breaks a validation rule.
    pub(crate) const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
}
