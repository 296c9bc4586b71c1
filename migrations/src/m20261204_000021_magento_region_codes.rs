//! Addresses stored under ISO 3166-2 region codes move to Magento's codes and names where
//! Magento's directory has the country (Germany's `BE` becomes `BER`, Austria's `9` becomes
//! `WI`), so their region ids are Magento's. A region name typed by hand stays as it was; only
//! names taken from ISO 3166-2 follow. The work is one update per distinct stored region, not per
//! address.
//!
//! Going down keeps the Magento codes: they are valid region codes for the earlier schema too.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum CustomerAddresses {
    Table,
    CountryCode,
    RegionCode,
    Region,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    BillingCountryCode,
    BillingRegion,
}

/// A stored region and what it becomes.
struct Move {
    country: String,
    old_code: String,
    new_code: String,
    iso_name: Option<String>,
    new_name: String,
}

fn moves(stored: Vec<(String, String)>) -> Vec<Move> {
    stored
        .into_iter()
        .filter_map(|(country, code)| {
            let found = clientele_directory::region_from_iso(&country, &code)?;
            let iso_name = clientele_directory::iso_subdivision_name(&country, &code);
            let renamed = iso_name.as_deref().is_some_and(|n| n != found.name);
            (found.code != code || renamed).then(|| Move {
                new_code: found.code.clone(),
                new_name: found.name.clone(),
                country,
                old_code: code,
                iso_name,
            })
        })
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let distinct = Query::select()
            .distinct()
            .column(CustomerAddresses::CountryCode)
            .column(CustomerAddresses::RegionCode)
            .from(CustomerAddresses::Table)
            .and_where(Expr::col(CustomerAddresses::RegionCode).is_not_null())
            .to_owned();
        let mut stored = Vec::new();
        for row in db.query_all(&distinct).await? {
            stored.push((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
        }
        for m in moves(stored) {
            if let Some(iso_name) = &m.iso_name {
                let names = Query::update()
                    .table(CustomerAddresses::Table)
                    .value(CustomerAddresses::Region, m.new_name.as_str())
                    .and_where(Expr::col(CustomerAddresses::CountryCode).eq(m.country.as_str()))
                    .and_where(Expr::col(CustomerAddresses::RegionCode).eq(m.old_code.as_str()))
                    .and_where(Expr::col(CustomerAddresses::Region).eq(iso_name.as_str()))
                    .to_owned();
                db.execute(&names).await?;
                let billing = Query::update()
                    .table(Customers::Table)
                    .value(Customers::BillingRegion, m.new_name.as_str())
                    .and_where(Expr::col(Customers::BillingCountryCode).eq(m.country.as_str()))
                    .and_where(Expr::col(Customers::BillingRegion).eq(iso_name.as_str()))
                    .to_owned();
                db.execute(&billing).await?;
            }
            let codes = Query::update()
                .table(CustomerAddresses::Table)
                .value(CustomerAddresses::RegionCode, m.new_code.as_str())
                .and_where(Expr::col(CustomerAddresses::CountryCode).eq(m.country.as_str()))
                .and_where(Expr::col(CustomerAddresses::RegionCode).eq(m.old_code.as_str()))
                .to_owned();
            db.execute(&codes).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_codes_move_to_magentos_and_others_stay() {
        let stored = vec![
            ("DE".to_owned(), "BE".to_owned()),
            ("US".to_owned(), "TX".to_owned()),
            ("JP".to_owned(), "13".to_owned()),
        ];
        let moved = moves(stored);
        assert_eq!(moved.len(), 1, "only Berlin's code changes");
        assert_eq!(
            (moved[0].old_code.as_str(), moved[0].new_code.as_str()),
            ("BE", "BER")
        );
    }
}
