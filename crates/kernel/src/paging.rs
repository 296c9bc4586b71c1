//! Page-number paging in the Adobe Commerce style (`pageSize`, `currentPage`), with hard caps so
//! that no client can ask for an unbounded list.

use crate::{Error, Result};

/// Largest page any list returns.
pub const MAX_PAGE_SIZE: u64 = 300;

/// A validated page request: `current_page` starts at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// Items per page, 1..=[`MAX_PAGE_SIZE`].
    pub page_size: u64,
    /// 1-based page number.
    pub current_page: u64,
}

impl PageRequest {
    /// Validates the raw numbers a client sent.
    pub fn new(page_size: i64, current_page: i64) -> Result<Self> {
        if page_size < 1 || page_size as u64 > MAX_PAGE_SIZE {
            return Err(Error::invalid(
                "pageSize",
                format!("pageSize value must be between 1 and {MAX_PAGE_SIZE}."),
            ));
        }
        if current_page < 1 {
            return Err(Error::invalid(
                "currentPage",
                "currentPage value must be greater than 0.",
            ));
        }
        Ok(Self {
            page_size: page_size as u64,
            current_page: current_page as u64,
        })
    }

    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.current_page - 1) * self.page_size
    }
}

/// One page of results plus the exact total.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Items matching the filter, over all pages.
    pub total_count: u64,
    /// The request that produced this page.
    pub request: PageRequest,
}

impl<T> Page<T> {
    /// Number of pages needed for `total_count` items.
    pub fn total_pages(&self) -> u64 {
        self.total_count.div_ceil(self.request.page_size)
    }

    /// Converts every item, keeping the paging facts.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total_count: self.total_count,
            request: self.request,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_request_rejects_zero_and_oversized_pages() {
        assert!(PageRequest::new(0, 1).is_err());
        assert!(PageRequest::new(301, 1).is_err());
        assert!(PageRequest::new(20, 0).is_err());
        let ok = PageRequest::new(20, 3).expect("valid");
        assert_eq!(ok.offset(), 40);
    }

    #[test]
    fn total_pages_rounds_up() {
        let page = Page::<u8> {
            items: vec![],
            total_count: 41,
            request: PageRequest::new(20, 1).expect("valid"),
        };
        assert_eq!(page.total_pages(), 3);
    }
}
