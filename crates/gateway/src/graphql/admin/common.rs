//! Types shared by admin lists.

use async_graphql::{Enum, SimpleObject};
use clientele_kernel::{Page, PageRequest};

use super::error::AdminResult;

/// Paging facts of a list.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct SearchResultPageInfo {
    /// Items per page.
    pub(crate) page_size: i64,
    /// This page's number, from 1.
    pub(crate) current_page: i64,
    /// Pages in all.
    pub(crate) total_pages: i64,
}

impl SearchResultPageInfo {
    pub(crate) fn of<T>(page: &Page<T>) -> Self {
        Self {
            page_size: page.request.page_size as i64,
            current_page: page.request.current_page as i64,
            total_pages: page.total_pages() as i64,
        }
    }
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum SortEnum {
    /// Ascending.
    #[default]
    Asc,
    /// Descending.
    Desc,
}

/// Validates paging arguments; an explicit null means the default (20 per page, page 1).
pub(crate) fn page_request(
    page_size: Option<i64>,
    current_page: Option<i64>,
) -> async_graphql::Result<PageRequest> {
    PageRequest::new(page_size.unwrap_or(20), current_page.unwrap_or(1)).admin()
}

/// What a paged list costs in the query-complexity budget: its selection once per item of a
/// full page (the page size asked for, 20 unless given), so a bigger page costs more.
pub(crate) fn list_cost(page_size: Option<i64>, children: usize) -> usize {
    let items = page_size
        .unwrap_or(20)
        .clamp(1, clientele_kernel::MAX_PAGE_SIZE as i64) as usize;
    items.saturating_mul(children.max(1))
}

/// The same for a list of the newest entries, `limit` of them (at most 500).
pub(crate) fn limit_cost(limit: i32, children: usize) -> usize {
    (limit.clamp(1, 500) as usize).saturating_mul(children.max(1))
}

pub(crate) use crate::grid_filter::{IdEqualFilterInput, IdRangeFilterInput, TextFilterInput};
