//! Facts about the current HTTP request that resolvers may read.

use clientele_stores::StoreView;

/// The caller's network facts.
#[derive(Debug, Clone)]
pub(crate) struct ClientInfo {
    /// Client IP address (the peer, or `X-Forwarded-For` when trusted).
    pub(crate) ip: String,
}

/// The store view picked by the storefront `Store` header (or the default one).
#[derive(Debug, Clone)]
pub(crate) struct RequestStore(pub(crate) StoreView);

/// The signed-in shopper of a storefront request (`None`: a guest).
#[derive(Debug, Clone)]
pub(crate) struct RequestShopper(pub(crate) Option<clientele_customers::ShopperSession>);

/// Present when the request carried a valid shopper token of an account that does not belong to
/// the request's website (accounts shared per website): the request runs as a guest's, and
/// operations that would act for an email the token's customer owns are refused.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ForeignShopperToken;

/// The staff user (or integration) whose admin bearer token came to the storefront, for
/// `generateCustomerTokenAsAdmin`; `None` otherwise.
#[derive(Debug, Clone)]
pub(crate) struct RequestStaff(pub(crate) Option<clientele_staff::Actor>);

/// The visitor id a storefront sent in `X-Visitor-Id` (unchecked; resolvers verify it).
#[derive(Debug, Clone)]
pub(crate) struct RequestVisitor(pub(crate) Option<String>);
