//! Lets the configuration check that a configured group exists, without depending on this crate's
//! service (which itself reads configuration).

use async_trait::async_trait;
use clientele_configuration::ReferenceChecker;
use clientele_kernel::Result;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::entity::group;

/// Checks group ids against the `customer_groups` table.
#[derive(Clone)]
pub struct GroupReferenceChecker {
    db: DatabaseConnection,
}

impl GroupReferenceChecker {
    /// A checker over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The id of every customer group.
    pub async fn ids(&self) -> Result<Vec<i32>> {
        Ok(group::Entity::find()
            .select_only()
            .column(group::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?)
    }
}

#[async_trait]
impl ReferenceChecker for GroupReferenceChecker {
    async fn customer_group_exists(&self, id: i32) -> Result<bool> {
        Ok(group::Entity::find_by_id(id).one(&self.db).await?.is_some())
    }
}
