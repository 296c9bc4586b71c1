//! Websites, store groups and store views.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use clientele_staff::acl;
use clientele_stores::{
    NewStoreGroup, NewStoreView, NewWebsite, StoreGroup, StoreGroupPatch, StoreView,
    StoreViewPatch, Website, WebsitePatch,
};

use super::error::AdminResult;
use super::guard::{Needs, require_all_websites};
use crate::services::Services;

/// A website.
#[derive(SimpleObject)]
#[graphql(name = "Website", rename_fields = "snake_case")]
pub(crate) struct WebsiteObject {
    /// Numeric id.
    id: i32,
    /// Unique code, e.g. `base`.
    code: String,
    /// Display name.
    name: String,
    /// Position in lists.
    sort_order: i32,
    /// Store group used when none is named.
    default_group_id: Option<i32>,
    /// Whether this is the default website.
    is_default: bool,
}

impl From<Website> for WebsiteObject {
    fn from(w: Website) -> Self {
        Self {
            id: w.id,
            code: w.code,
            name: w.name,
            sort_order: w.sort_order,
            default_group_id: w.default_group_id,
            is_default: w.is_default,
        }
    }
}

/// A store group (Adobe Commerce "store").
#[derive(SimpleObject)]
#[graphql(name = "StoreGroup", rename_fields = "snake_case")]
pub(crate) struct StoreGroupObject {
    /// Numeric id.
    id: i32,
    /// Owning website.
    website_id: i32,
    /// Unique code, e.g. `main_website_store`.
    code: String,
    /// Display name.
    name: String,
    /// Store view used when none is named.
    default_store_id: Option<i32>,
}

impl From<StoreGroup> for StoreGroupObject {
    fn from(g: StoreGroup) -> Self {
        Self {
            id: g.id,
            website_id: g.website_id,
            code: g.code,
            name: g.name,
            default_store_id: g.default_store_id,
        }
    }
}

/// A store view, chosen by storefronts with the `Store` header.
#[derive(SimpleObject)]
#[graphql(name = "StoreView", rename_fields = "snake_case")]
pub(crate) struct StoreViewObject {
    /// Numeric id.
    id: i32,
    /// Unique code, e.g. `default`.
    code: String,
    /// Website of its group.
    website_id: i32,
    /// Owning store group.
    group_id: i32,
    /// Display name.
    name: String,
    /// Position in lists.
    sort_order: i32,
    /// Inactive views are not served to storefronts.
    is_active: bool,
}

impl From<StoreView> for StoreViewObject {
    fn from(v: StoreView) -> Self {
        Self {
            id: v.id,
            code: v.code,
            website_id: v.website_id,
            group_id: v.group_id,
            name: v.name,
            sort_order: v.sort_order,
            is_active: v.is_active,
        }
    }
}

/// Input of `createWebsite`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateWebsiteInput {
    /// Unique code: a lowercase letter, then letters, digits or underscores (at most 32).
    code: String,
    /// Display name.
    name: String,
    /// Position in lists (default 0).
    sort_order: Option<i32>,
}

/// Input of `updateWebsite`; omitted fields keep their value.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateWebsiteInput {
    /// New code.
    code: Option<String>,
    /// New name.
    name: Option<String>,
    /// New position.
    sort_order: Option<i32>,
    /// New default store group (of this website).
    default_group_id: Option<i32>,
    /// `true` makes this the default website.
    is_default: Option<bool>,
}

/// Input of `createStoreGroup`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateStoreGroupInput {
    /// Owning website.
    website_id: i32,
    /// Unique code.
    code: String,
    /// Display name.
    name: String,
}

/// Input of `updateStoreGroup`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateStoreGroupInput {
    /// New code.
    code: Option<String>,
    /// New name.
    name: Option<String>,
    /// New default store view (of this group, active).
    default_store_id: Option<i32>,
}

/// Input of `createStoreView`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateStoreViewInput {
    /// Owning store group.
    group_id: i32,
    /// Unique code, sent by storefronts in the `Store` header.
    code: String,
    /// Display name.
    name: String,
    /// Position in lists (default 0).
    sort_order: Option<i32>,
    /// Whether storefronts may use it (default true).
    is_active: Option<bool>,
}

/// Input of `updateStoreView`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateStoreViewInput {
    /// New code.
    code: Option<String>,
    /// New name.
    name: Option<String>,
    /// New position.
    sort_order: Option<i32>,
    /// Activate or deactivate (not the default view).
    is_active: Option<bool>,
}

/// Store hierarchy queries.
#[derive(Default)]
pub(crate) struct StoreQuery;

#[Object]
impl StoreQuery {
    /// Every website.
    #[graphql(guard = "Needs(&[acl::ALL_STORES, acl::CONFIGURATION])")]
    async fn websites(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WebsiteObject>> {
        let services = ctx.data::<Services>()?;
        Ok(services
            .stores
            .websites()
            .await
            .admin()?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Every store group.
    #[graphql(guard = "Needs(&[acl::ALL_STORES, acl::CONFIGURATION])")]
    async fn store_groups(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<StoreGroupObject>> {
        let services = ctx.data::<Services>()?;
        Ok(services
            .stores
            .groups()
            .await
            .admin()?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Every store view.
    #[graphql(guard = "Needs(&[acl::ALL_STORES, acl::CONFIGURATION])")]
    async fn store_views(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StoreViewObject>> {
        let services = ctx.data::<Services>()?;
        Ok(services
            .stores
            .views()
            .await
            .admin()?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// Store hierarchy mutations.
#[derive(Default)]
pub(crate) struct StoreMutation;

#[Object]
impl StoreMutation {
    /// Creates a website; add a store group and a store view to make it usable.
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn create_website(
        &self,
        ctx: &Context<'_>,
        input: CreateWebsiteInput,
    ) -> async_graphql::Result<WebsiteObject> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        let new = NewWebsite {
            code: input.code,
            name: input.name,
            sort_order: input.sort_order.unwrap_or(0),
        };
        Ok(services.stores.create_website(new).await.admin()?.into())
    }

    /// Changes a website.
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn update_website(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateWebsiteInput,
    ) -> async_graphql::Result<WebsiteObject> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        let patch = WebsitePatch {
            code: input.code,
            name: input.name,
            sort_order: input.sort_order,
            default_group_id: input.default_group_id,
            is_default: input.is_default,
        };
        Ok(services
            .stores
            .update_website(id, patch)
            .await
            .admin()?
            .into())
    }

    /// Deletes a website with its store groups and views (not the default website).
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn delete_website(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<bool> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        services.stores.delete_website(id).await.admin()?;
        Ok(true)
    }

    /// Creates a store group.
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn create_store_group(
        &self,
        ctx: &Context<'_>,
        input: CreateStoreGroupInput,
    ) -> async_graphql::Result<StoreGroupObject> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        let new = NewStoreGroup {
            website_id: input.website_id,
            code: input.code,
            name: input.name,
        };
        Ok(services.stores.create_group(new).await.admin()?.into())
    }

    /// Changes a store group.
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn update_store_group(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateStoreGroupInput,
    ) -> async_graphql::Result<StoreGroupObject> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        let patch = StoreGroupPatch {
            code: input.code,
            name: input.name,
            default_store_id: input.default_store_id,
        };
        Ok(services
            .stores
            .update_group(id, patch)
            .await
            .admin()?
            .into())
    }

    /// Deletes a store group with its views (not a website's default group).
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn delete_store_group(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<bool> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        services.stores.delete_group(id).await.admin()?;
        Ok(true)
    }

    /// Creates a store view.
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn create_store_view(
        &self,
        ctx: &Context<'_>,
        input: CreateStoreViewInput,
    ) -> async_graphql::Result<StoreViewObject> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        let new = NewStoreView {
            group_id: input.group_id,
            code: input.code,
            name: input.name,
            sort_order: input.sort_order.unwrap_or(0),
            is_active: input.is_active.unwrap_or(true),
        };
        Ok(services.stores.create_view(new).await.admin()?.into())
    }

    /// Changes a store view.
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn update_store_view(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateStoreViewInput,
    ) -> async_graphql::Result<StoreViewObject> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        let patch = StoreViewPatch {
            code: input.code,
            name: input.name,
            sort_order: input.sort_order,
            is_active: input.is_active,
        };
        Ok(services.stores.update_view(id, patch).await.admin()?.into())
    }

    /// Deletes a store view (not a group's default view).
    #[graphql(guard = "Needs(&[acl::ALL_STORES])")]
    async fn delete_store_view(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<bool> {
        require_all_websites(ctx, "Changing stores")?;
        let services = ctx.data::<Services>()?;
        services.stores.delete_view(id).await.admin()?;
        Ok(true)
    }
}
