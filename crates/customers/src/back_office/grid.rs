//! The Customers grid as one query: keyword search, a filter per column, sort on any column,
//! page-number paging with an exact total. It reads the customers table itself (the default
//! billing address is copied onto it in the same transaction as every change), so a customer
//! created or changed is in the very next result.

use chrono::{DateTime, NaiveDate, Utc};
use clientele_kernel::text::{escape_like, reject_control_chars};
use clientele_kernel::{Page, PageRequest, Result};
use sea_orm::sea_query::{ExprTrait, LikeExpr};
use sea_orm::{
    ColumnTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::BackOffice;
use crate::entity::customer;
use crate::model::Customer;
use clientele_customer_attributes::Attribute;
use clientele_customer_attributes::grid::{
    AttributeFilter, catalog, filter_condition, keyword_match, sort_expression,
};

/// Grid filters; every present filter must match.
#[derive(Debug, Clone, Default)]
pub struct GridQuery {
    /// Words that must all appear in the name, email, tax/VAT number or default billing address
    /// (telephone, postcode, company, city, street, region, VAT number).
    pub keyword: Option<String>,
    /// Smallest id.
    pub id_from: Option<i32>,
    /// Largest id.
    pub id_to: Option<i32>,
    /// Substring of the first, middle or last name.
    pub name: Option<String>,
    /// Substring of the email.
    pub email: Option<String>,
    /// Any of these groups.
    pub group_ids: Option<Vec<i32>>,
    /// Any of these websites.
    pub website_ids: Option<Vec<i32>>,
    /// Substring of the billing telephone.
    pub telephone: Option<String>,
    /// Substring of the billing postcode.
    pub postcode: Option<String>,
    /// Any of these billing countries.
    pub country_codes: Option<Vec<String>>,
    /// Substring of the billing region.
    pub region: Option<String>,
    /// Substring of the billing city.
    pub city: Option<String>,
    /// Substring of the billing company.
    pub company: Option<String>,
    /// Substring of the tax/VAT number.
    pub taxvat: Option<String>,
    /// Any of these genders (1, 2, 3).
    pub genders: Option<Vec<i16>>,
    /// Active or inactive accounts only.
    pub is_active: Option<bool>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created at or before.
    pub created_to: Option<DateTime<Utc>>,
    /// Born on or after.
    pub dob_from: Option<NaiveDate>,
    /// Born on or before.
    pub dob_to: Option<NaiveDate>,
    /// Keyset cursor for id-sorted pages: only ids after this one (before it when descending).
    pub after_id: Option<i32>,
    /// Filters on custom attributes flagged "Use in Filter Options".
    pub attributes: Vec<AttributeFilter>,
}

impl GridQuery {
    /// Whether building the query needs the custom attribute metadata.
    pub(crate) fn needs_attributes(&self) -> bool {
        self.keyword.is_some() || !self.attributes.is_empty()
    }
}

/// Sortable grid columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GridSortField {
    /// Id.
    #[default]
    Id,
    /// Last name, then first name.
    Name,
    /// Email.
    Email,
    /// Group id.
    Group,
    /// Billing telephone.
    Telephone,
    /// Billing postcode.
    Postcode,
    /// Billing country.
    Country,
    /// Billing region.
    Region,
    /// Billing city.
    City,
    /// Billing company.
    Company,
    /// Customer since.
    CreatedAt,
    /// Website.
    Website,
    /// Date of birth.
    Dob,
    /// Tax/VAT number.
    Taxvat,
    /// Gender.
    Gender,
    /// The custom attribute named by `GridSort::attribute_code` (a grid column attribute).
    Attribute,
}

/// Grid sort order.
#[derive(Debug, Clone, Default)]
pub struct GridSort {
    /// Column.
    pub field: GridSortField,
    /// Descending when true.
    pub descending: bool,
    /// The attribute to sort on when `field` is `Attribute`.
    pub attribute_code: Option<String>,
}

fn contains(column: customer::Column, text: &str) -> Result<sea_orm::sea_query::SimpleExpr> {
    reject_control_chars("filter", text)?;
    let pattern =
        LikeExpr::new(format!("%{}%", escape_like(&text.trim().to_lowercase()))).escape('\\');
    // The email key is stored lowercase and is part of `search_text`: on PostgreSQL the keyword
    // index finds the candidates and the email key itself decides. SQLite, which scans, tries
    // the shorter email key first.
    if matches!(column, customer::Column::EmailKey) {
        let candidates = LikeExpr::new(email_probe(text)).escape('\\');
        return Ok(column
            .like(pattern)
            .and(customer::Column::SearchText.like(candidates)));
    }
    Ok(sea_orm::sea_query::Func::lower(sea_orm::sea_query::Expr::col(column)).like(pattern))
}

/// The `search_text` pattern that finds the candidates of an email filter. A domain is shared by
/// many accounts: every trigram of `@gmail.com` is in most rows, and reading those trigrams'
/// entries in the keyword index was nearly all of the filter's cost (12 ms a query at 100,000
/// customers, growing with the table). The part before the `@`, when it has a trigram, finds
/// few candidates and all the matches; the email key itself then decides.
fn email_probe(text: &str) -> String {
    let text = text.trim().to_lowercase();
    let narrowed = match text.split_once('@') {
        Some((local, _)) if local.chars().count() >= 3 => format!("{local}@"),
        _ => text,
    };
    format!("%{}%", escape_like(&narrowed))
}

/// The rows matching `q`, unsorted.
pub(crate) fn filtered(q: &GridQuery, catalog: &[Attribute]) -> Result<Select<customer::Entity>> {
    use customer::Column as C;
    let mut s = customer::Entity::find();
    if let Some(keyword) = &q.keyword {
        reject_control_chars("keyword", keyword)?;
        for word in keyword.split_whitespace() {
            let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
            let in_record = C::SearchText.like(LikeExpr::new(pattern.clone()).escape('\\'));
            // Only stores with searchable attributes pay for the second match.
            s = match keyword_match(catalog, &pattern) {
                Some(in_attributes) => s.filter(
                    sea_orm::Condition::any()
                        .add(in_record)
                        .add(C::Id.in_subquery(in_attributes)),
                ),
                None => s.filter(in_record),
            };
        }
    }
    for filter in &q.attributes {
        s = s.filter(C::Id.in_subquery(filter_condition(catalog, filter)?));
    }
    if let Some(v) = q.id_from {
        s = s.filter(C::Id.gte(v));
    }
    if let Some(v) = q.id_to {
        s = s.filter(C::Id.lte(v));
    }
    if let Some(name) = &q.name {
        let any = sea_orm::Condition::any()
            .add(contains(C::Firstname, name)?)
            .add(contains(C::Middlename, name)?)
            .add(contains(C::Lastname, name)?);
        s = s.filter(any);
    }
    for (value, column) in [
        (&q.email, C::EmailKey),
        (&q.telephone, C::BillingTelephone),
        (&q.postcode, C::BillingPostcode),
        (&q.region, C::BillingRegion),
        (&q.city, C::BillingCity),
        (&q.company, C::BillingCompany),
        (&q.taxvat, C::Taxvat),
    ] {
        if let Some(text) = value {
            s = s.filter(contains(column, text)?);
        }
    }
    if let Some(ids) = &q.group_ids {
        s = s.filter(C::GroupId.is_in(ids.clone()));
    }
    if let Some(ids) = &q.website_ids {
        s = s.filter(C::WebsiteId.is_in(ids.clone()));
    }
    if let Some(codes) = &q.country_codes {
        s = s.filter(C::BillingCountryCode.is_in(codes.iter().map(|c| c.to_uppercase())));
    }
    if let Some(genders) = &q.genders {
        s = s.filter(C::Gender.is_in(genders.clone()));
    }
    if let Some(active) = q.is_active {
        s = s.filter(C::IsActive.eq(active));
    }
    if let Some(v) = q.created_from {
        s = s.filter(C::CreatedAt.gte(v));
    }
    if let Some(v) = q.created_to {
        s = s.filter(C::CreatedAt.lte(v));
    }
    if let Some(v) = q.dob_from {
        s = s.filter(C::Dob.gte(v));
    }
    if let Some(v) = q.dob_to {
        s = s.filter(C::Dob.lte(v));
    }
    Ok(s)
}

impl BackOffice {
    /// One page of the Customers grid with the exact total.
    pub async fn grid(
        &self,
        query: &GridQuery,
        sort: GridSort,
        page: PageRequest,
    ) -> Result<Page<Customer>> {
        let catalog = catalog(&self.shared.db, needs_catalog(query, &sort)).await?;
        let items = self.page_of(query, sort, page, &catalog).await?;
        // Counting every match is the costly part of a page. A page that is not full already
        // says how many there are, and a filtered grid's first page usually is not; the page
        // goes first so that a full one alone pays for the count.
        let total_count = match total_from_page(query, page, items.len()) {
            Some(total) => total,
            // `filtered` ignores the cursor, so the total covers every match.
            None => filtered(query, &catalog)?.count(&self.shared.db).await?,
        };
        Ok(Page {
            items,
            total_count,
            request: page,
        })
    }

    /// One page of the Customers grid without counting the matches: with a cursor, its cost does
    /// not grow with the depth of the page.
    pub async fn grid_items(
        &self,
        query: &GridQuery,
        sort: GridSort,
        page: PageRequest,
    ) -> Result<Vec<Customer>> {
        let catalog = catalog(&self.shared.db, needs_catalog(query, &sort)).await?;
        self.page_of(query, sort, page, &catalog).await
    }

    /// One page of the grid, filtered and sorted with `catalog` (the attributes, when needed).
    async fn page_of(
        &self,
        query: &GridQuery,
        sort: GridSort,
        page: PageRequest,
        catalog: &[Attribute],
    ) -> Result<Vec<Customer>> {
        use customer::Column as C;
        let by_attribute = sort.field == GridSortField::Attribute;
        let select = filtered(query, catalog)?;
        let order = if sort.descending {
            Order::Desc
        } else {
            Order::Asc
        };
        let (select, offset) = match query.after_id {
            Some(after) if sort.field == GridSortField::Id => {
                let keyset = if sort.descending {
                    C::Id.lt(after)
                } else {
                    C::Id.gt(after)
                };
                (select.filter(keyset), 0)
            }
            Some(_) => {
                return Err(clientele_kernel::Error::invalid(
                    "after",
                    "Cursor paging needs the grid sorted by ID.",
                ));
            }
            None => (select, page.offset()),
        };
        let columns: &[C] = match sort.field {
            GridSortField::Id | GridSortField::Attribute => &[],
            GridSortField::Name => &[C::Lastname, C::Firstname],
            GridSortField::Email => &[C::EmailKey],
            GridSortField::Group => &[C::GroupId],
            GridSortField::Telephone => &[C::BillingTelephone],
            GridSortField::Postcode => &[C::BillingPostcode],
            GridSortField::Country => &[C::BillingCountryCode],
            GridSortField::Region => &[C::BillingRegion],
            GridSortField::City => &[C::BillingCity],
            GridSortField::Company => &[C::BillingCompany],
            GridSortField::CreatedAt => &[C::CreatedAt],
            GridSortField::Website => &[C::WebsiteId],
            GridSortField::Dob => &[C::Dob],
            GridSortField::Taxvat => &[C::Taxvat],
            GridSortField::Gender => &[C::Gender],
        };
        let mut select = select;
        if by_attribute {
            let code = sort.attribute_code.as_deref().ok_or_else(|| {
                clientele_kernel::Error::invalid(
                    "sort.attribute_code",
                    "Name the attribute to sort on.",
                )
            })?;
            select = select.order_by(
                sort_expression(catalog, code, "customers.id")?,
                order.clone(),
            );
        }
        for column in columns {
            select = select.order_by(*column, order.clone());
        }
        let rows = select
            .order_by(C::Id, order)
            .offset(offset)
            .limit(page.page_size)
            .all(&self.shared.db)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

/// The number of matches when a page of `found` rows tells it: a page short of its size that
/// starts at the first match, or holds at least one row past the skipped ones. A cursor's page
/// starts somewhere unknown to the count, and an empty page past the first may have skipped
/// fewer rows than its offset.
fn total_from_page(query: &GridQuery, page: PageRequest, found: usize) -> Option<u64> {
    let found = found as u64;
    let offset = page.offset();
    let short = found < page.page_size;
    (query.after_id.is_none() && short && (found > 0 || offset == 0)).then_some(offset + found)
}

/// Whether filtering or sorting by `query` and `sort` reads the attribute catalogue.
fn needs_catalog(query: &GridQuery, sort: &GridSort) -> bool {
    query.needs_attributes() || sort.field == GridSortField::Attribute
}

#[cfg(test)]
mod tests {
    use super::{GridQuery, email_probe, total_from_page};
    use clientele_kernel::PageRequest;

    #[test]
    fn an_email_filter_finds_its_candidates_by_the_part_before_the_domain() {
        assert_eq!(email_probe(" Sofia.Kim@Gmail.com "), "%sofia.kim@%");
        assert_eq!(email_probe("1234@bench"), "%1234@%");
        // Too short to have a trigram of its own, or no local part: the whole text.
        assert_eq!(email_probe("jo@example.com"), "%jo@example.com%");
        assert_eq!(email_probe("@example.com"), "%@example.com%");
        assert_eq!(email_probe("sofia"), "%sofia%");
        // Wildcards typed into the filter are matched literally.
        assert_eq!(email_probe("a_b%c@x"), "%a\\_b\\%c@%");
    }

    #[test]
    fn a_page_short_of_its_size_counts_the_matches_itself() {
        let page = |current_page| PageRequest {
            page_size: 20,
            current_page,
        };
        let plain = GridQuery::default();
        assert_eq!(total_from_page(&plain, page(1), 7), Some(7));
        assert_eq!(total_from_page(&plain, page(1), 0), Some(0));
        assert_eq!(total_from_page(&plain, page(3), 5), Some(45));
        // A full page may have more behind it.
        assert_eq!(total_from_page(&plain, page(1), 20), None);
        // An empty page past the first says only that there are at most `offset` matches.
        assert_eq!(total_from_page(&plain, page(2), 0), None);
        // After a cursor, the rows before it are unknown to the page.
        let after = GridQuery {
            after_id: Some(40),
            ..GridQuery::default()
        };
        assert_eq!(total_from_page(&after, page(1), 3), None);
    }
}
