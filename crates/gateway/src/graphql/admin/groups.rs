//! Customer groups and customer tax classes.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use clientele_groups::{
    CustomerGroup, GroupFilter, GroupPatch, GroupSort, GroupSortField, NewGroup, TaxClass,
};
use clientele_staff::acl;

use super::common::{
    IdEqualFilterInput, IdRangeFilterInput, SearchResultPageInfo, SortEnum, TextFilterInput,
    list_cost, page_request,
};
use super::error::AdminResult;
use super::guard::{Needs, require_all_websites};
use super::loaders::loaders;
use crate::graphql::uid::encode_uid;
use crate::services::Services;

/// A customer tax class.
#[derive(SimpleObject)]
#[graphql(name = "CustomerTaxClass", rename_fields = "snake_case")]
pub(crate) struct TaxClassObject {
    /// Numeric id (3 = Retail Customer).
    id: i32,
    /// Unique name.
    name: String,
}

impl From<TaxClass> for TaxClassObject {
    fn from(t: TaxClass) -> Self {
        Self {
            id: t.id,
            name: t.name,
        }
    }
}

/// A customer group.
#[derive(SimpleObject)]
#[graphql(name = "CustomerGroup", rename_fields = "snake_case", complex)]
pub(crate) struct CustomerGroupObject {
    /// Numeric id (0 = NOT LOGGED IN).
    id: i32,
    /// Storefront id: base64 of the numeric id (the storefront's `customerGroup.uid`).
    uid: ID,
    /// Unique name, fewer than 32 characters.
    name: String,
    /// The name under Adobe Commerce's name for it (`customer_group_code`): the same as `name`.
    code: String,
    /// Tax class of its customers.
    tax_class: TaxClassObject,
    /// Websites its customers cannot sign in to.
    excluded_website_ids: Vec<i32>,
}

#[ComplexObject(rename_fields = "snake_case")]
impl CustomerGroupObject {
    /// Number of customers in the group, counted only when asked for (needs Customer Groups).
    #[graphql(guard = "Needs(&[acl::CUSTOMER_GROUPS])")]
    async fn customer_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let count = loaders(ctx)?
            .group_counts
            .load_one(self.id)
            .await?
            .unwrap_or(0);
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

impl From<CustomerGroup> for CustomerGroupObject {
    fn from(g: CustomerGroup) -> Self {
        Self {
            uid: encode_uid(g.id),
            id: g.id,
            code: g.name.clone(),
            name: g.name,
            tax_class: g.tax_class.into(),
            excluded_website_ids: g.excluded_website_ids,
        }
    }
}

/// A page of customer groups.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerGroups {
    /// Groups of this page.
    items: Vec<CustomerGroupObject>,
    /// Groups matching the filter, over all pages.
    total_count: i64,
    /// Paging facts.
    page_info: SearchResultPageInfo,
}

/// Filters of the customer groups grid.
#[derive(InputObject, Default)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerGroupFilterInput {
    /// Id range.
    id: Option<IdRangeFilterInput>,
    /// Group name.
    name: Option<TextFilterInput>,
    /// Tax class id.
    tax_class_id: Option<IdEqualFilterInput>,
}

/// Sortable columns of the customer groups grid.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub(crate) enum CustomerGroupSortField {
    /// Group id.
    #[default]
    Id,
    /// Group name.
    Name,
    /// Tax class name.
    TaxClass,
}

/// Sort order of the customer groups grid.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerGroupSortInput {
    /// Column.
    field: CustomerGroupSortField,
    /// Direction (default ASC).
    direction: Option<SortEnum>,
}

/// Input of `createCustomerGroup`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateCustomerGroupInput {
    /// Unique name, fewer than 32 characters.
    name: String,
    /// Customer tax class id.
    tax_class_id: i32,
    /// Websites to exclude.
    excluded_website_ids: Option<Vec<i32>>,
}

/// Input of `updateCustomerGroup`; omitted fields keep their value.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateCustomerGroupInput {
    /// New name (the NOT LOGGED IN group keeps its name).
    name: Option<String>,
    /// New tax class id.
    tax_class_id: Option<i32>,
    /// Replaces the excluded websites.
    excluded_website_ids: Option<Vec<i32>>,
}

/// Input of the tax class mutations.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerTaxClassInput {
    /// Unique name.
    name: String,
}

/// Group queries.
#[derive(Default)]
pub(crate) struct GroupQuery;

#[Object]
impl GroupQuery {
    /// The customer groups grid: filter, sort, page.
    #[graphql(
        guard = "Needs(&[acl::CUSTOMER_GROUPS])",
        complexity = "list_cost(page_size, child_complexity)"
    )]
    async fn customer_groups(
        &self,
        ctx: &Context<'_>,
        filter: Option<CustomerGroupFilterInput>,
        sort: Option<CustomerGroupSortInput>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
    ) -> async_graphql::Result<CustomerGroups> {
        let services = ctx.data::<Services>()?;
        let filter = filter.unwrap_or_default();
        let domain_filter = GroupFilter {
            id_from: filter.id.as_ref().and_then(|r| r.from),
            id_to: filter.id.as_ref().and_then(|r| r.to),
            name_match: filter.name.as_ref().and_then(|n| n.matches.clone()),
            name_eq: filter.name.as_ref().and_then(|n| n.eq.clone()),
            tax_class_ids: filter.tax_class_id.map(|t| t.ids()),
        };
        let sort = sort.map_or_else(GroupSort::default, |s| GroupSort {
            field: match s.field {
                CustomerGroupSortField::Id => GroupSortField::Id,
                CustomerGroupSortField::Name => GroupSortField::Name,
                CustomerGroupSortField::TaxClass => GroupSortField::TaxClass,
            },
            descending: s.direction == Some(SortEnum::Desc),
        });
        let page = services
            .groups
            .list(&domain_filter, sort, page_request(page_size, current_page)?)
            .await
            .admin()?;
        Ok(CustomerGroups {
            page_info: SearchResultPageInfo::of(&page),
            total_count: page.total_count as i64,
            items: page.items.into_iter().map(Into::into).collect(),
        })
    }

    /// One customer group.
    #[graphql(guard = "Needs(&[acl::CUSTOMER_GROUPS])")]
    async fn customer_group(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<CustomerGroupObject> {
        let services = ctx.data::<Services>()?;
        Ok(services.groups.get(id).await.admin()?.into())
    }

    /// Every customer tax class.
    #[graphql(guard = "Needs(&[acl::CUSTOMER_GROUPS, acl::TAX_CLASSES])")]
    async fn customer_tax_classes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<TaxClassObject>> {
        let services = ctx.data::<Services>()?;
        Ok(services
            .groups
            .tax_classes()
            .await
            .admin()?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// Group mutations.
#[derive(Default)]
pub(crate) struct GroupMutation;

#[Object]
impl GroupMutation {
    /// Creates a customer group (roles scoped to some websites cannot).
    #[graphql(guard = "Needs(&[acl::CUSTOMER_GROUPS])")]
    async fn create_customer_group(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerGroupInput,
    ) -> async_graphql::Result<CustomerGroupObject> {
        require_all_websites(ctx, "Changing customer groups")?;
        let services = ctx.data::<Services>()?;
        let new = NewGroup {
            name: input.name,
            tax_class_id: input.tax_class_id,
            excluded_website_ids: input.excluded_website_ids.unwrap_or_default(),
        };
        Ok(services.groups.create(new).await.admin()?.into())
    }

    /// Changes a customer group.
    #[graphql(guard = "Needs(&[acl::CUSTOMER_GROUPS])")]
    async fn update_customer_group(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateCustomerGroupInput,
    ) -> async_graphql::Result<CustomerGroupObject> {
        require_all_websites(ctx, "Changing customer groups")?;
        let services = ctx.data::<Services>()?;
        let patch = GroupPatch {
            name: input.name,
            tax_class_id: input.tax_class_id,
            excluded_website_ids: input.excluded_website_ids,
        };
        Ok(services.groups.update(id, patch).await.admin()?.into())
    }

    /// Deletes a customer group; its customers move to the default group. NOT LOGGED IN and
    /// configured default groups cannot be deleted.
    #[graphql(guard = "Needs(&[acl::CUSTOMER_GROUPS])")]
    async fn delete_customer_group(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<bool> {
        require_all_websites(ctx, "Changing customer groups")?;
        let services = ctx.data::<Services>()?;
        services.groups.delete(id).await.admin()?;
        Ok(true)
    }

    /// Creates a customer tax class.
    #[graphql(guard = "Needs(&[acl::TAX_CLASSES])")]
    async fn create_customer_tax_class(
        &self,
        ctx: &Context<'_>,
        input: CustomerTaxClassInput,
    ) -> async_graphql::Result<TaxClassObject> {
        let services = ctx.data::<Services>()?;
        Ok(services
            .groups
            .create_tax_class(&input.name)
            .await
            .admin()?
            .into())
    }

    /// Renames a customer tax class.
    #[graphql(guard = "Needs(&[acl::TAX_CLASSES])")]
    async fn update_customer_tax_class(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: CustomerTaxClassInput,
    ) -> async_graphql::Result<TaxClassObject> {
        let services = ctx.data::<Services>()?;
        Ok(services
            .groups
            .rename_tax_class(id, &input.name)
            .await
            .admin()?
            .into())
    }

    /// Deletes a customer tax class no group uses.
    #[graphql(guard = "Needs(&[acl::TAX_CLASSES])")]
    async fn delete_customer_tax_class(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<bool> {
        let services = ctx.data::<Services>()?;
        services.groups.delete_tax_class(id).await.admin()?;
        Ok(true)
    }
}
