//! The attribute service: what the admin API, the storefront and the customers crate call.

use std::sync::Arc;
use std::time::Duration;

use clientele_configuration::ConfigService;
use clientele_kernel::cache::{CacheBus, ChangeGuard, OwnedCopy};
use clientele_kernel::{Clock, Result};
use clientele_stores::StoreService;
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use crate::copies::{Catalogs, TOPIC};
use crate::metadata::load;
use crate::model::{Attribute, AttributeEntity};

/// Custom attributes: their metadata, their values, and the storefront forms they appear in.
#[derive(Clone)]
pub struct AttributeService {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: ConfigService,
    pub(crate) stores: StoreService,
    pub(crate) clock: Clock,
    /// The catalogues, when kept in memory.
    copies: Option<OwnedCopy<Catalogs>>,
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
            copies: None,
        }
    }

    /// Keeps both attribute catalogues in memory for at most `ttl`, dropping them on the change
    /// notices of `bus` (which this service sends with every change to an attribute).
    pub fn with_cache(mut self, bus: &CacheBus, ttl: Duration) -> Self {
        self.copies = Some(OwnedCopy::new(bus, TOPIC, ttl));
        self
    }

    /// The attributes of `entity` with their options, by sort order then code (from memory
    /// when the service keeps them).
    pub(crate) async fn catalog(&self, entity: AttributeEntity) -> Result<Vec<Attribute>> {
        match &self.copies {
            Some(copies) => {
                let catalogs: Arc<Catalogs> = copies
                    .get_or_load(|| async {
                        Ok(Catalogs {
                            customer: load(&self.db, AttributeEntity::Customer, None).await?,
                            address: load(&self.db, AttributeEntity::Address, None).await?,
                        })
                    })
                    .await?;
                Ok(catalogs.of(entity).to_vec())
            }
            None => load(&self.db, entity, None).await,
        }
    }

    /// Announces, in `txn`, a change to attributes; keep the guard until after the commit.
    pub(crate) async fn announce(&self, txn: &DatabaseTransaction) -> Result<Option<ChangeGuard>> {
        match &self.copies {
            Some(copies) => Ok(Some(copies.announce(txn).await?)),
            None => Ok(None),
        }
    }
}
