//! Export of the Customers grid: the matching customers streamed in batches read by keyset
//! (`id > last`), so memory stays flat however many rows there are. The file they are written
//! as belongs to `clientele-customer-export`.

use clientele_kernel::Result;
use futures_util::Stream;
use futures_util::stream;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Select};

use super::BackOffice;
use super::grid::{GridQuery, filtered};
use crate::entity::customer;
use crate::model::Customer;
use clientele_customer_attributes::grid::catalog;

impl BackOffice {
    /// The customers matching `query` (or only `ids`), in id order, as a stream of batches.
    pub fn export_batches(
        &self,
        query: GridQuery,
        ids: Option<Vec<i32>>,
        batch_size: u64,
    ) -> impl Stream<Item = Result<Vec<Customer>>> + Send + 'static {
        let db = self.shared.db.clone();
        // The filter is built on the first batch (it may need the attribute catalog) and carried
        // to the next ones, so a million-row export reads the catalog once, not per batch.
        let start: Option<(i32, Option<Select<customer::Entity>>)> = Some((0, None));
        stream::try_unfold(start, move |state| {
            let db = db.clone();
            let query = query.clone();
            let ids = ids.clone();
            async move {
                let Some((after, matching)) = state else {
                    return Ok(None);
                };
                let matching = match matching {
                    Some(select) => select,
                    None => export_select(&db, &query, ids.as_deref()).await?,
                };
                let select = matching
                    .clone()
                    .filter(customer::Column::Id.gt(after))
                    .order_by_asc(customer::Column::Id)
                    .limit(batch_size);
                let rows = crate::decode::all_customers(&db, select).await?;
                let next = match rows.last() {
                    Some(last) if rows.len() as u64 == batch_size => {
                        Some((last.id, Some(matching)))
                    }
                    _ => None,
                };
                if rows.is_empty() {
                    return Ok(None);
                }
                let batch: Vec<Customer> = rows.into_iter().map(Into::into).collect();
                Ok(Some((batch, next)))
            }
        })
    }

    /// How many customers an export of `query` (or `ids`) will hold.
    pub async fn export_count(&self, query: &GridQuery, ids: Option<&[i32]>) -> Result<u64> {
        use sea_orm::PaginatorTrait;
        Ok(export_select(&self.shared.db, query, ids)
            .await?
            .count(&self.shared.db)
            .await?)
    }
}

/// The customers an export of `query` (or only `ids`) holds, unordered and unpaged.
async fn export_select(
    db: &impl ConnectionTrait,
    query: &GridQuery,
    ids: Option<&[i32]>,
) -> Result<Select<customer::Entity>> {
    let catalog = catalog(db, query.needs_attributes()).await?;
    let mut select = filtered(query, &catalog)?;
    if let Some(ids) = ids {
        select = select.filter(customer::Column::Id.is_in(ids.to_vec()));
    }
    Ok(select)
}
