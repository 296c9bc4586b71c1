//! The customer queries of the admin API.

use async_graphql::{Context, Object};
use clientele_staff::acl;

use crate::graphql::admin::common::{SearchResultPageInfo, list_cost, page_request};
use crate::graphql::admin::error::AdminResult;
use crate::graphql::admin::guard::{Needs, website_scope};
use crate::services::Services;

use super::inputs::{
    CustomerGridSortField, CustomerGridSortInput, decode_cursor, encode_cursor, grid_sort,
};
use super::objects::{CustomerObject, Customers, visible_customer};
use crate::graphql::admin::loaders::loaders;
use crate::grid_filter::{CustomerGridFilterInput, grid_query, scoped};

/// Customer queries.
#[derive(Default)]
pub(crate) struct CustomerQuery;

#[Object]
impl CustomerQuery {
    /// The Customers grid: keyword search, filters, sort, page. Always fresh.
    #[graphql(
        guard = "Needs(&[acl::ALL_CUSTOMERS])",
        complexity = "list_cost(page_size, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)] // each argument is a GraphQL argument of the grid
    async fn customers(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Words that must all appear in the name, email, tax/VAT number or default billing address."
        )]
        search: Option<String>,
        filter: Option<CustomerGridFilterInput>,
        sort: Option<CustomerGridSortInput>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
        #[graphql(
            desc = "Cursor from `end_cursor`: continue after it (ID sort only; `currentPage` is ignored)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Customers> {
        let services = ctx.data::<Services>()?;
        let mut query = scoped(
            grid_query(search, filter.unwrap_or_default()).admin()?,
            website_scope(ctx)?,
        );
        query.after_id = match after.as_deref() {
            Some(cursor) => Some(decode_cursor(cursor)?),
            None => None,
        };
        let by_id = sort
            .as_ref()
            .is_none_or(|s| s.field == CustomerGridSortField::Id);
        let request = page_request(page_size, current_page)?;
        let look = ctx.look_ahead();
        let wants_total = look.field("total_count").exists() || look.field("page_info").exists();
        // Counting every match is the costly part of a page; skip it when nobody asked.
        let page = if wants_total {
            services
                .back_office
                .grid(&query, grid_sort(sort), request)
                .await
                .admin()?
        } else {
            clientele_kernel::Page {
                items: services
                    .back_office
                    .grid_items(&query, grid_sort(sort), request)
                    .await
                    .admin()?,
                total_count: 0,
                request,
            }
        };
        let full_page = page.items.len() as u64 == page.request.page_size;
        let end_cursor = page
            .items
            .last()
            .filter(|_| by_id && full_page)
            .map(|c| encode_cursor(c.id));
        let ids: Vec<i32> = page.items.iter().map(|c| c.id).collect();
        loaders(ctx)?
            .prime_customers(look.field("items"), &ids)
            .await?;
        Ok(Customers {
            page_info: SearchResultPageInfo::of(&page),
            total_count: page.total_count as i64,
            items: page.items.into_iter().map(CustomerObject).collect(),
            end_cursor,
        })
    }

    /// One customer.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn customer(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<CustomerObject> {
        Ok(visible_customer(ctx, id).await?.into())
    }
}
