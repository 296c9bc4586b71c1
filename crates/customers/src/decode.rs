//! Reading whole customer rows in bulk (imports lock a thousand at a time, exports stream a
//! million) by column position rather than through sea-orm's by-name decoding.
//!
//! sea-orm looks each column up by name and, for every NULL in an optional column, formats an
//! error message it then discards; a customer row has some twenty optional columns, which made
//! decoding a fifth of the API's CPU during an import. Reading by position straight from the
//! driver's row costs neither. Single-row reads keep the derived decoding.

use sea_orm::sqlx::Row;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, QueryResult, QueryTrait, Select};

use crate::entity::customer;

/// The fields of `customer::Model` in declaration order, which is the order `Entity::find`
/// selects them in. A test compares the result with sea-orm's by-name decoding.
macro_rules! by_position {
    ($row:expr) => {
        (|| -> Result<customer::Model, sea_orm::sqlx::Error> {
            let r = $row;
            Ok(customer::Model {
                id: r.try_get(0)?,
                website_id: r.try_get(1)?,
                email_scope_id: r.try_get(2)?,
                email: r.try_get(3)?,
                email_key: r.try_get(4)?,
                group_id: r.try_get(5)?,
                store_id: r.try_get(6)?,
                created_in: r.try_get(7)?,
                prefix: r.try_get(8)?,
                firstname: r.try_get(9)?,
                middlename: r.try_get(10)?,
                lastname: r.try_get(11)?,
                suffix: r.try_get(12)?,
                dob: r.try_get(13)?,
                taxvat: r.try_get(14)?,
                gender: r.try_get(15)?,
                is_active: r.try_get(16)?,
                password_hash: r.try_get(17)?,
                confirmation: r.try_get(18)?,
                failures_num: r.try_get(19)?,
                first_failure: r.try_get(20)?,
                lock_expires: r.try_get(21)?,
                allow_remote_shopping_assistance: r.try_get(22)?,
                disable_auto_group_change: r.try_get(23)?,
                default_billing_id: r.try_get(24)?,
                default_shipping_id: r.try_get(25)?,
                billing_telephone: r.try_get(26)?,
                billing_postcode: r.try_get(27)?,
                billing_country_code: r.try_get(28)?,
                billing_region: r.try_get(29)?,
                billing_city: r.try_get(30)?,
                billing_company: r.try_get(31)?,
                billing_street: r.try_get(32)?,
                billing_vat_id: r.try_get(33)?,
                billing_fax: r.try_get(34)?,
                search_text: r.try_get(35)?,
                tokens_valid_after: r.try_get(36)?,
                version: r.try_get(37)?,
                created_at: r.try_get(38)?,
                updated_at: r.try_get(39)?,
            })
        })()
    };
}

/// Runs `select` (the entity's own columns, in their declared order, as `Entity::find` selects
/// them) and decodes the rows by position.
pub(crate) async fn all_customers(
    db: &impl ConnectionTrait,
    select: Select<customer::Entity>,
) -> Result<Vec<customer::Model>, DbErr> {
    let statement = select.build(db.get_database_backend());
    db.query_all_raw(statement)
        .await?
        .iter()
        .map(customer_from_row)
        .collect()
}

/// One customer row, read by position on the SQL backends and by name otherwise.
fn customer_from_row(row: &QueryResult) -> Result<customer::Model, DbErr> {
    let decoded = if let Some(row) = row.try_as_pg_row() {
        by_position!(row)
    } else if let Some(row) = row.try_as_sqlite_row() {
        by_position!(row)
    } else {
        return customer::Model::from_query_result(row, "");
    };
    decoded.map_err(|e| DbErr::Type(format!("customer row: {e}")))
}

#[cfg(test)]
mod tests {
    use sea_orm::Iterable;

    use super::*;

    #[test]
    fn positions_follow_the_declared_columns() {
        // The macro's positions are only right while the entity keeps this column order.
        let names: Vec<String> = customer::Column::iter()
            .map(|c| sea_orm::IdenStatic::as_str(&c).to_owned())
            .collect();
        assert_eq!(names.len(), 40);
        assert_eq!(names[0], "id");
        assert_eq!(names[13], "dob");
        assert_eq!(names[24], "default_billing_id");
        assert_eq!(names[35], "search_text");
        assert_eq!(names[39], "updated_at");
    }
}
