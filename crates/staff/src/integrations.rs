//! Integrations: named API tokens for scripts. The token is shown once at creation; only its hash
//! is stored. Revoked tokens stop working at once.

use std::collections::HashMap;

use clientele_kernel::db::{begin_write, is_unique_violation};
use clientele_kernel::text::clean_name;
use clientele_kernel::{Error, Result};
use clientele_sessions::OpaqueSecret;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};

use crate::entity::{integration, integration_resource};
use crate::model::{Actor, Integration, NewIntegration};
use crate::permissions::known_resources;
use crate::{Permissions, StaffService};

const NAME_MAX: usize = 255;

fn duplicate_name(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict("An integration with the same name already exists.".into())
    } else {
        err.into()
    }
}

impl StaffService {
    /// Every integration, by name.
    pub async fn integrations(&self) -> Result<Vec<Integration>> {
        let rows = integration::Entity::find()
            .order_by_asc(integration::Column::NameKey)
            .all(&self.db)
            .await?;
        let mut grants: HashMap<i32, Vec<String>> = HashMap::new();
        for r in integration_resource::Entity::find()
            .filter(integration_resource::Column::IntegrationId.is_in(rows.iter().map(|r| r.id)))
            .all(&self.db)
            .await?
        {
            grants.entry(r.integration_id).or_default().push(r.resource);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let resources = grants.remove(&row.id).unwrap_or_default();
                to_integration(row, resources)
            })
            .collect())
    }

    /// One integration.
    pub async fn integration(&self, id: i32) -> Result<Integration> {
        self.integrations()
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or_else(|| Error::not_found("Integration", id))
    }

    /// Creates an integration and returns it with its token, which is never shown again.
    pub async fn create_integration(
        &self,
        actor: &Actor,
        input: NewIntegration,
    ) -> Result<(Integration, String)> {
        let name = clean_name("name", &input.name, NAME_MAX)?;
        let resources = known_resources("resources", &input.resources)?;
        let wanted = Permissions {
            all_resources: input.all_resources,
            resources: resources.clone(),
            website_ids: None,
        };
        if !actor.permissions().covers(&wanted) {
            return Err(Error::Forbidden(
                "You cannot grant permissions or websites that you do not hold.".into(),
            ));
        }
        let secret = OpaqueSecret::generate("clt_")?;
        let txn = begin_write(&self.db).await?;
        let row = integration::ActiveModel {
            name_key: Set(name.to_lowercase()),
            name: Set(name),
            token_hash: Set(secret.hash.clone()),
            token_hint: Set(secret.plain.chars().take(8).collect()),
            all_resources: Set(input.all_resources),
            created_by: Set(actor.staff_user_id()),
            created_at: Set(self.clock.now()),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(duplicate_name)?;
        if !resources.is_empty() {
            integration_resource::Entity::insert_many(resources.iter().map(|r| {
                integration_resource::ActiveModel {
                    integration_id: Set(row.id),
                    resource: Set(r.clone()),
                }
            }))
            .exec(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok((self.integration(row.id).await?, secret.plain))
    }

    /// Revokes an integration's token for good.
    pub async fn revoke_integration(&self, actor: &Actor, id: i32) -> Result<Integration> {
        let current = self.integration(id).await?;
        if !actor.permissions().covers(&current.permissions) {
            return Err(Error::Forbidden(
                "You cannot change an integration with more permissions than your own.".into(),
            ));
        }
        let row = integration::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| Error::not_found("Integration", id))?;
        if row.revoked_at.is_none() {
            let txn = begin_write(&self.db).await?;
            let _changed = self.announce_access_change(&txn).await?;
            let mut row = row.into_active_model();
            row.revoked_at = Set(Some(self.clock.now()));
            row.update(&txn).await?;
            txn.commit().await?;
        }
        self.integration(id).await
    }
}

fn to_integration(row: integration::Model, resources: Vec<String>) -> Integration {
    Integration {
        id: row.id,
        name: row.name,
        permissions: Permissions {
            all_resources: row.all_resources,
            resources: resources.into_iter().collect(),
            website_ids: None,
        },
        token_hint: row.token_hint,
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
    }
}
