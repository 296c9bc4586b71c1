//! Saved views of the admin Customers grid, one list per staff user. A view's definition (search,
//! filters, sort, columns) is opaque JSON written by the API layer.
//!
//! This crate owns the `customer_grid_views` table.

use chrono::{DateTime, Utc};
use clientele_kernel::db::is_unique_violation;
use clientele_kernel::text::clean_name;
use clientele_kernel::{Error, Result};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};

use clientele_kernel::Clock;
use sea_orm::DatabaseConnection;

use entity as grid_view;

/// The saved views of every staff user.
#[derive(Clone)]
pub struct GridViews {
    db: DatabaseConnection,
    clock: Clock,
}

/// A saved grid view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridView {
    /// Id.
    pub id: i32,
    /// Name, unique per staff user.
    pub name: String,
    /// The view's search, filters, sort and columns, as JSON.
    pub definition: String,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<grid_view::Model> for GridView {
    fn from(m: grid_view::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            definition: m.definition,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

const MAX_DEFINITION: usize = 64 * 1024;

fn duplicate(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict("You already have a view with this name.".into())
    } else {
        err.into()
    }
}

fn check_definition(definition: &str) -> Result<()> {
    if definition.len() > MAX_DEFINITION {
        return Err(Error::invalid("definition", "The view is too large."));
    }
    Ok(())
}

impl GridViews {
    /// The service over `db`, stamping changes by `clock`.
    pub fn new(db: DatabaseConnection, clock: Clock) -> Self {
        Self { db, clock }
    }

    /// The staff user's saved views, by name.
    pub async fn list(&self, owner: i32) -> Result<Vec<GridView>> {
        Ok(grid_view::Entity::find()
            .filter(grid_view::Column::StaffUserId.eq(owner))
            .order_by_asc(grid_view::Column::NameKey)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Saves a new view for the staff user.
    pub async fn create(&self, owner: i32, name: &str, definition: String) -> Result<GridView> {
        let name = clean_name("name", name, 64)?;
        check_definition(&definition)?;
        let now = self.clock.now();
        let row = grid_view::ActiveModel {
            staff_user_id: Set(owner),
            name_key: Set(name.to_lowercase()),
            name: Set(name),
            definition: Set(definition),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(duplicate)?;
        Ok(row.into())
    }

    /// Renames a view and/or replaces its definition. Other users' views are NOT_FOUND.
    pub async fn update(
        &self,
        owner: i32,
        id: i32,
        name: Option<&str>,
        definition: Option<String>,
    ) -> Result<GridView> {
        let mut row = owned(self, owner, id).await?.into_active_model();
        if let Some(name) = name {
            let name = clean_name("name", name, 64)?;
            row.name_key = Set(name.to_lowercase());
            row.name = Set(name);
        }
        if let Some(definition) = definition {
            check_definition(&definition)?;
            row.definition = Set(definition);
        }
        row.updated_at = Set(self.clock.now());
        Ok(row.update(&self.db).await.map_err(duplicate)?.into())
    }

    /// Deletes one of the staff user's views.
    pub async fn delete(&self, owner: i32, id: i32) -> Result<()> {
        owned(self, owner, id).await?;
        grid_view::Entity::delete_by_id(id).exec(&self.db).await?;
        Ok(())
    }
}

async fn owned(service: &GridViews, owner: i32, id: i32) -> Result<grid_view::Model> {
    grid_view::Entity::find_by_id(id)
        .filter(grid_view::Column::StaffUserId.eq(owner))
        .one(&service.db)
        .await?
        .ok_or_else(|| Error::not_found("Grid view", id))
}

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_grid_views")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub staff_user_id: i32,
        pub name: String,
        pub name_key: String,
        pub definition: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[cfg(test)]
mod tests;
