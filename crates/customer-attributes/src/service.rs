//! The attribute service: what the admin API, the storefront and the customers crate call.

use clientele_configuration::ConfigService;
use clientele_kernel::Clock;
use clientele_stores::StoreService;
use sea_orm::DatabaseConnection;

/// Custom attributes: their metadata, their values, and the storefront forms they appear in.
#[derive(Clone)]
pub struct AttributeService {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: ConfigService,
    pub(crate) stores: StoreService,
    pub(crate) clock: Clock,
}

impl AttributeService {
    /// Attributes in `db`, with store labels checked against `stores` and forms shaped by the
    /// Name and Address options of `config`.
    pub fn new(
        db: DatabaseConnection,
        config: ConfigService,
        stores: StoreService,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            config,
            stores,
            clock,
        }
    }
}
