//! Saved views of the Customers grid, per staff user.

use async_graphql::{Context, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_grid_views::GridView;
use clientele_staff::acl;
use serde::{Deserialize, Serialize};

use super::customers::CustomerGridSortInput;
use super::error::{AdminResult, admin_error, code};
use super::guard::{Needs, actor};
use crate::grid_filter::CustomerGridFilterInput;
use crate::services::Services;

/// What a saved view stores.
#[derive(Serialize, Deserialize, Default)]
struct Definition {
    search: Option<String>,
    filter: Option<serde_json::Value>,
    sort: Option<serde_json::Value>,
    columns: Vec<String>,
}

/// A saved view of the Customers grid.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerGridView {
    /// Id.
    id: i32,
    /// Name, unique among your views.
    name: String,
    /// Keyword search.
    search: Option<String>,
    /// Filters, in the shape of `CustomerGridFilterInput` (pass back as the grid's `filter`).
    filter: Option<Json<serde_json::Value>>,
    /// Sort, in the shape of `CustomerGridSortInput`.
    sort: Option<Json<serde_json::Value>>,
    /// Visible columns, in order.
    columns: Vec<String>,
    /// Created at.
    created_at: DateTime<Utc>,
    /// Last changed at.
    updated_at: DateTime<Utc>,
}

impl From<GridView> for CustomerGridView {
    fn from(v: GridView) -> Self {
        let d: Definition = serde_json::from_str(&v.definition).unwrap_or_default();
        Self {
            id: v.id,
            name: v.name,
            search: d.search,
            filter: d.filter.map(Json),
            sort: d.sort.map(Json),
            columns: d.columns,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// A view to save: its name and the grid state.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerGridViewInput {
    /// Name, unique among your views.
    name: String,
    /// Keyword search.
    search: Option<String>,
    /// Filters.
    filter: Option<CustomerGridFilterInput>,
    /// Sort.
    sort: Option<CustomerGridSortInput>,
    /// Visible columns, in order.
    columns: Option<Vec<String>>,
}

impl CustomerGridViewInput {
    fn definition(&self) -> async_graphql::Result<String> {
        let definition = Definition {
            search: self.search.clone(),
            filter: self.filter.as_ref().map(serde_json::to_value).transpose()?,
            sort: self.sort.as_ref().map(serde_json::to_value).transpose()?,
            columns: self.columns.clone().unwrap_or_default(),
        };
        Ok(serde_json::to_string(&definition)?)
    }
}

fn owner(ctx: &Context<'_>) -> async_graphql::Result<i32> {
    actor(ctx)?.staff_user_id().ok_or_else(|| {
        admin_error(
            "Saved views belong to staff users, not integrations.",
            code::FORBIDDEN,
        )
    })
}

/// Grid view queries.
#[derive(Default)]
pub(crate) struct GridViewQuery;

#[Object]
impl GridViewQuery {
    /// Your saved views of the Customers grid.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn customer_grid_views(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<CustomerGridView>> {
        let services = ctx.data::<Services>()?;
        let views = services.grid_views.list(owner(ctx)?).await.admin()?;
        Ok(views.into_iter().map(Into::into).collect())
    }
}

/// Grid view mutations.
#[derive(Default)]
pub(crate) struct GridViewMutation;

#[Object]
impl GridViewMutation {
    /// Saves the current grid state as a named view.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn create_customer_grid_view(
        &self,
        ctx: &Context<'_>,
        input: CustomerGridViewInput,
    ) -> async_graphql::Result<CustomerGridView> {
        let services = ctx.data::<Services>()?;
        let definition = input.definition()?;
        let view = services
            .grid_views
            .create(owner(ctx)?, &input.name, definition)
            .await
            .admin()?;
        Ok(view.into())
    }

    /// Renames a view, and replaces its grid state when `replace_state` is true.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn update_customer_grid_view(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: CustomerGridViewInput,
        #[graphql(name = "replaceState", default = false)] replace_state: bool,
    ) -> async_graphql::Result<CustomerGridView> {
        let services = ctx.data::<Services>()?;
        let definition = if replace_state {
            Some(input.definition()?)
        } else {
            None
        };
        let view = services
            .grid_views
            .update(owner(ctx)?, id, Some(&input.name), definition)
            .await
            .admin()?;
        Ok(view.into())
    }

    /// Deletes one of your views.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn delete_customer_grid_view(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<bool> {
        let services = ctx.data::<Services>()?;
        services.grid_views.delete(owner(ctx)?, id).await.admin()?;
        Ok(true)
    }
}
