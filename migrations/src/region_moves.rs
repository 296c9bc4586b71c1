//! Addresses stored under ISO 3166-2 region codes move to Magento's codes and names where
//! Magento's directory has the country. Run by the migration that introduced Magento's regions and
//! again by the one that completed it; a second run finds nothing left to move.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveIden)]
enum CustomerAddresses {
    Table,
    Id,
    CountryCode,
    RegionCode,
    Region,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    DefaultBillingId,
    BillingRegion,
    SearchText,
}

/// A stored region and what it becomes.
#[derive(Debug, PartialEq, Eq)]
struct Move {
    country: String,
    old_code: String,
    /// Magento's region, or `None` for a subdivision Magento's directory lacks.
    to: Option<Target>,
    /// The ISO 3166-2 name, which addresses that took it from the directory carry.
    iso_name: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
struct Target {
    code: String,
    name: String,
}

fn moves(stored: Vec<(String, String)>) -> Vec<Move> {
    stored
        .into_iter()
        .filter_map(|(country, code)| {
            let directory = clientele_directory::regions(&country);
            let magentos = directory
                .first()
                .is_some_and(|r| r.id <= clientele_directory::MAGENTO_ID_CEILING);
            if !magentos {
                return None;
            }
            let iso_name = clientele_directory::iso_subdivision_name(&country, &code);
            let found = clientele_directory::region_from_iso(&country, &code);
            let renamed = match (found, &iso_name) {
                (Some(found), Some(iso)) => *iso != found.name,
                _ => false,
            };
            match found {
                Some(found) if found.code == code && !renamed => None,
                Some(found) => Some(Move {
                    to: Some(Target {
                        code: found.code.clone(),
                        name: found.name.clone(),
                    }),
                    country,
                    old_code: code,
                    iso_name,
                }),
                None => Some(Move {
                    to: None,
                    country,
                    old_code: code,
                    iso_name,
                }),
            }
        })
        .collect()
}

/// The addresses stored under the move's old code.
fn under_old_code(m: &Move) -> SimpleExpr {
    Expr::col(CustomerAddresses::CountryCode)
        .eq(m.country.as_str())
        .and(Expr::col(CustomerAddresses::RegionCode).eq(m.old_code.as_str()))
}

/// Moves every stored ISO region code to Magento's, as the module describes.
pub(crate) async fn move_to_magento(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    let mut cleared = 0;
    for m in moves(stored) {
        if let (Some(to), Some(iso_name)) = (&m.to, &m.iso_name) {
            let defaults_moving = Query::select()
                .column(CustomerAddresses::Id)
                .from(CustomerAddresses::Table)
                .cond_where(under_old_code(&m))
                .and_where(Expr::col(CustomerAddresses::Region).eq(iso_name.as_str()))
                .to_owned();
            let billing = Query::update()
                .table(Customers::Table)
                .value(Customers::BillingRegion, to.name.as_str())
                // The keyword search finds the customer by the new name as well as the old.
                .value(
                    Customers::SearchText,
                    Expr::col(Customers::SearchText).binary(
                        BinOper::Custom("||"),
                        Expr::val(format!(" {}", to.name.to_lowercase())),
                    ),
                )
                .and_where(Expr::col(Customers::BillingRegion).eq(iso_name.as_str()))
                .and_where(Expr::col(Customers::DefaultBillingId).in_subquery(defaults_moving))
                .to_owned();
            db.execute(&billing).await?;
            let names = Query::update()
                .table(CustomerAddresses::Table)
                .value(CustomerAddresses::Region, to.name.as_str())
                .cond_where(under_old_code(&m))
                .and_where(Expr::col(CustomerAddresses::Region).eq(iso_name.as_str()))
                .to_owned();
            db.execute(&names).await?;
        }
        if let (None, Some(iso_name)) = (&m.to, &m.iso_name) {
            // The name is all that stays of a cleared code, so an address without one gets it.
            let named = Query::update()
                .table(CustomerAddresses::Table)
                .value(CustomerAddresses::Region, iso_name.as_str())
                .cond_where(under_old_code(&m))
                .cond_where(
                    Cond::any()
                        .add(Expr::col(CustomerAddresses::Region).is_null())
                        .add(Expr::col(CustomerAddresses::Region).eq("")),
                )
                .to_owned();
            db.execute(&named).await?;
        }
        let codes = Query::update()
            .table(CustomerAddresses::Table)
            .value(
                CustomerAddresses::RegionCode,
                m.to.as_ref().map(|to| to.code.clone()),
            )
            .cond_where(under_old_code(&m))
            .to_owned();
        let changed = db.execute(&codes).await?.rows_affected();
        if m.to.is_none() {
            cleared += changed;
        }
    }
    if cleared > 0 {
        tracing::info!(
            addresses = cleared,
            "region codes Magento's directory lacks were cleared; the region names stay"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_codes_move_to_magentos_and_others_stay() {
        let stored = [
            ("DE", "BE"),
            ("US", "TX"),
            ("JP", "13"),
            ("CH", "GE"),
            ("ES", "CT"),
        ]
        .map(|(country, code)| (country.to_owned(), code.to_owned()))
        .to_vec();
        let moved = moves(stored);
        let summary: Vec<(&str, &str, Option<&str>)> = moved
            .iter()
            .map(|m| {
                (
                    m.country.as_str(),
                    m.old_code.as_str(),
                    m.to.as_ref().map(|to| to.name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("DE", "BE", Some("Berlin")),
                ("CH", "GE", Some("Geneva")),
                ("ES", "CT", None),
            ],
            "Texas keeps its code; Japan is not Magento's"
        );
        assert_eq!(moved[0].to.as_ref().map(|to| to.code.as_str()), Some("BER"));
    }
}
