//! `countries` and `country`: the ISO 3166 countries with the directory's regions (Magento's
//! ids, codes and names where Magento has them), whose ids are the ones addresses answer with and
//! accept.

use async_graphql::{Context, Object, SimpleObject};
use rust_iso3166::CountryCode;

use super::error::{category, storefront_error};

/// A region of a country.
#[derive(SimpleObject)]
pub struct Region {
    /// The unique ID for a `Region` object.
    id: Option<i32>,
    /// The two-letter code for the region, such as TX for Texas.
    code: Option<String>,
    /// The name of the region, such as Texas.
    name: Option<String>,
}

/// A country, with its regions.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct Country {
    /// The unique ID for a `Country` object.
    id: Option<String>,
    /// The name of the country in two capital letters.
    two_letter_abbreviation: Option<String>,
    /// The name of the country in three capital letters.
    three_letter_abbreviation: Option<String>,
    /// The name of the country in the current locale.
    full_name_locale: Option<String>,
    /// The name of the country in English.
    full_name_english: Option<String>,
    /// An array of regions within a particular country.
    available_regions: Option<Vec<Region>>,
}

fn country(iso: &CountryCode) -> Country {
    let regions: Vec<Region> = clientele_directory::regions(iso.alpha2)
        .iter()
        .map(|r| Region {
            id: Some(r.id),
            code: Some(r.code.clone()),
            name: Some(r.name.clone()),
        })
        .collect();
    Country {
        id: Some(iso.alpha2.to_owned()),
        two_letter_abbreviation: Some(iso.alpha2.to_owned()),
        three_letter_abbreviation: Some(iso.alpha3.to_owned()),
        full_name_locale: Some(iso.name.to_owned()),
        full_name_english: Some(iso.name.to_owned()),
        available_regions: (!regions.is_empty()).then_some(regions),
    }
}

/// Country queries.
#[derive(Default)]
pub struct DirectoryQuery;

#[Object]
impl DirectoryQuery {
    /// The countries listed in the store.
    async fn countries(&self) -> Option<Vec<Option<Country>>> {
        Some(
            rust_iso3166::ALL
                .iter()
                .map(|iso| Some(country(iso)))
                .collect(),
        )
    }

    /// The countries and regions of one country, by its two-letter code.
    async fn country(
        &self,
        _ctx: &Context<'_>,
        #[graphql(desc = "The two-letter country code.")] id: Option<String>,
    ) -> async_graphql::Result<Option<Country>> {
        let code = id.unwrap_or_default().trim().to_uppercase();
        rust_iso3166::from_alpha2(&code)
            .map(|iso| Some(country(&iso)))
            .ok_or_else(|| {
                storefront_error("The country isn't available.", category::NO_SUCH_ENTITY)
            })
    }
}
