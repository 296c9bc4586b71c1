//! Countries and their regions (states, provinces, departments), with the ids storefronts and
//! integrations know from Magento.
//!
//! A country Magento's directory ships regions for has exactly Magento's regions, with Magento's
//! ids, codes and names (`data/magento-regions.csv`: the `Directory` module's data patches in
//! install order, so Texas is 57 and Berlin 82). Every other country has its ISO 3166-2
//! subdivisions, with ids of Clientele's own that encode the country and the subdivision code;
//! they start above 150,000, far from Magento's range, and never change.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A region of a country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The region id (Magento's for the regions Magento ships).
    pub id: i32,
    /// The country's ISO 3166-1 alpha-2 code.
    pub country: &'static str,
    /// The region code within the country (`TX`, `BER`, `01`).
    pub code: String,
    /// The region name.
    pub name: String,
    /// The name as names are compared (`folded`), worked out once for every lookup by name.
    folded_name: String,
}

/// The most characters a stored region code may have; every column and rule that holds one
/// allows this many. The directory's longest is 22 (Spain's `Santa Cruz de Tenerife`).
pub const REGION_CODE_MAX_CHARS: usize = 32;

/// The largest id Magento's regions may use; Clientele's own ids lie far above it.
pub const MAGENTO_ID_CEILING: i32 = 100_000;

#[derive(serde::Deserialize)]
struct MagentoRow {
    id: i32,
    country: String,
    code: String,
    name: String,
}

struct Catalog {
    by_country: HashMap<&'static str, Vec<Region>>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut by_country: HashMap<&'static str, Vec<Region>> = HashMap::new();
        let mut reader = csv::Reader::from_reader(MAGENTO_REGIONS.as_bytes());
        for row in reader.deserialize::<MagentoRow>().flatten() {
            let Some(iso) = rust_iso3166::from_alpha2(&row.country) else {
                continue;
            };
            by_country.entry(iso.alpha2).or_default().push(Region {
                id: row.id,
                country: iso.alpha2,
                code: row.code,
                folded_name: folded(&row.name),
                name: row.name,
            });
        }
        for iso in rust_iso3166::ALL {
            if by_country.contains_key(iso.alpha2) {
                continue;
            }
            let regions: Vec<Region> = iso
                .subdivisions()
                .unwrap_or_default()
                .iter()
                .filter_map(|s| {
                    let code = s.code.split_once('-')?.1;
                    Some(Region {
                        id: own_id::encode(iso.alpha2, code)?,
                        country: iso.alpha2,
                        code: code.to_owned(),
                        folded_name: folded(s.name),
                        name: s.name.to_owned(),
                    })
                })
                .collect();
            if !regions.is_empty() {
                by_country.insert(iso.alpha2, regions);
            }
        }
        Catalog { by_country }
    })
}

/// Magento's regions, one a line: `id,country,code,name`.
const MAGENTO_REGIONS: &str = include_str!("../data/magento-regions.csv");

/// The regions of `country` (ISO alpha-2, any case), in the directory's order; empty for a
/// country without regions.
pub fn regions(country: &str) -> &'static [Region] {
    let country = country.trim().to_ascii_uppercase();
    catalog()
        .by_country
        .get(country.as_str())
        .map_or(&[], Vec::as_slice)
}

/// The region with this id.
pub fn region_by_id(id: i32) -> Option<&'static Region> {
    let country = if id <= MAGENTO_ID_CEILING {
        catalog()
            .by_country
            .values()
            .flatten()
            .find(|r| r.id == id)
            .map(|r| r.country)?
    } else {
        own_id::country(id)?
    };
    regions(country).iter().find(|r| r.id == id)
}

/// The region of `country` whose code is `code`, in any letter case.
pub fn region_by_code(country: &str, code: &str) -> Option<&'static Region> {
    let code = code.trim();
    regions(country)
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The region of `country` that `text` names, by code or by name, in any letter case and with or
/// without accents (`Almería` finds Magento's `Almeria`).
pub fn find_region(country: &str, text: &str) -> Option<&'static Region> {
    let text = text.trim();
    region_by_code(country, text).or_else(|| region_by_name(country, text))
}

/// The region of `country` named `name`, compared without letter case or accents.
fn region_by_name(country: &str, name: &str) -> Option<&'static Region> {
    let wanted = folded(name);
    regions(country).iter().find(|r| r.folded_name == wanted)
}

/// `text` in lower case without accents, for comparing names: combining marks go, and the
/// letters that carry their stroke or ligature within them (`ł`, `ø`, `æ`) become plain ones.
fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut plain = String::with_capacity(text.len());
    for c in text
        .trim()
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        match c {
            'ł' => plain.push('l'),
            'đ' | 'ð' => plain.push('d'),
            'ø' => plain.push('o'),
            'ı' => plain.push('i'),
            'ħ' => plain.push('h'),
            'æ' => plain.push_str("ae"),
            'œ' => plain.push_str("oe"),
            'ß' => plain.push_str("ss"),
            'þ' => plain.push_str("th"),
            other => plain.push(other),
        }
    }
    plain
}

/// The region of `country` that an ISO 3166-2 subdivision code (`BE` of `DE-BE`) names: the
/// directory region of the subdivision's name, else the region with the same code (Switzerland's
/// `GE` is Magento's `Geneva`). Used to carry addresses stored under ISO codes over to Magento's;
/// `None` for a subdivision Magento's directory lacks (Spain's autonomous communities).
pub fn region_from_iso(country: &str, iso_code: &str) -> Option<&'static Region> {
    iso_subdivision_name(country, iso_code)
        .and_then(|name| region_by_name(country, &name))
        .or_else(|| region_by_code(country, iso_code))
}

/// The ISO 3166-2 name of `country`'s subdivision `iso_code` (`Berlin` for `DE`, `BE`).
pub fn iso_subdivision_name(country: &str, iso_code: &str) -> Option<String> {
    let country = country.trim().to_ascii_uppercase();
    let full = format!("{country}-{}", iso_code.trim().to_ascii_uppercase());
    rust_iso3166::from_alpha2(&country)?
        .subdivisions()?
        .iter()
        .find(|s| s.code == full)
        .map(|s| s.name.to_owned())
}

/// Ids of Clientele's own regions: the country's letters and up to three subdivision characters,
/// so they need no table and never change.
mod own_id {
    const SUBDIVISIONS: i32 = 37 * 37 * 37;

    fn digit(c: char) -> Option<i32> {
        match c {
            '0'..='9' => Some(c as i32 - '0' as i32 + 1),
            'A'..='Z' => Some(c as i32 - 'A' as i32 + 11),
            _ => None,
        }
    }

    /// The id of `country`'s subdivision `code`.
    pub(super) fn encode(country: &str, code: &str) -> Option<i32> {
        let letters: Vec<char> = country.chars().collect();
        if letters.len() != 2 || !letters.iter().all(char::is_ascii_uppercase) {
            return None;
        }
        let country_index =
            (letters[0] as i32 - 'A' as i32) * 26 + (letters[1] as i32 - 'A' as i32);
        let chars: Vec<char> = code.chars().collect();
        if chars.is_empty() || chars.len() > 3 {
            return None;
        }
        let mut region = 0;
        for (i, c) in chars.iter().enumerate() {
            region += digit(*c)? * 37_i32.pow(i as u32);
        }
        Some(country_index * SUBDIVISIONS + region)
    }

    /// The country an id of ours belongs to.
    pub(super) fn country(id: i32) -> Option<&'static str> {
        let index = id / SUBDIVISIONS;
        if id <= 0 || index >= 26 * 26 {
            return None;
        }
        let letters = [b'A' + (index / 26) as u8, b'A' + (index % 26) as u8];
        let code = std::str::from_utf8(&letters).ok()?;
        rust_iso3166::from_alpha2(code).map(|c| c.alpha2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magentos_regions_keep_magentos_ids_codes_and_names() {
        let texas = region_by_code("us", "tx").expect("Texas");
        assert_eq!((texas.id, texas.name.as_str()), (57, "Texas"));
        assert_eq!(region_by_id(57).map(|r| r.code.as_str()), Some("TX"));
        assert_eq!(region_by_id(1).map(|r| r.name.as_str()), Some("Alabama"));
        assert_eq!(
            region_by_id(66).map(|r| (r.country, r.code.as_str())),
            Some(("CA", "AB"))
        );
        assert_eq!(
            region_by_id(82).map(|r| (r.country, r.code.as_str())),
            Some(("DE", "BER"))
        );
        assert_eq!(region_by_id(95).map(|r| r.name.as_str()), Some("Wien"));
        // The regions of a Magento country are Magento's alone, in id order.
        let us = regions("US");
        assert_eq!(us.len(), 65);
        assert!(us.windows(2).all(|w| w[0].id < w[1].id));
    }

    #[test]
    fn other_countries_have_their_iso_subdivisions_outside_magentos_range() {
        let japan = regions("JP");
        assert!(!japan.is_empty());
        for region in japan {
            assert!(region.id > MAGENTO_ID_CEILING, "{region:?}");
            assert_eq!(region_by_id(region.id), Some(region));
        }
        let tokyo = find_region("JP", "13").expect("Tokyo");
        assert_eq!(find_region("jp", &tokyo.name.to_uppercase()), Some(tokyo));
    }

    #[test]
    fn every_region_code_fits_the_stored_width() {
        let longest = catalog()
            .by_country
            .values()
            .flatten()
            .map(|r| r.code.chars().count())
            .max();
        assert_eq!(longest, Some(22), "Spain's Santa Cruz de Tenerife");
        assert!(longest.is_some_and(|n| n <= REGION_CODE_MAX_CHARS));
    }

    #[test]
    fn every_id_names_one_region() {
        let mut seen = std::collections::HashSet::new();
        for region in catalog().by_country.values().flatten() {
            assert!(seen.insert(region.id), "{region:?}");
        }
        assert!(seen.len() > 1_156);
        assert_eq!(region_by_id(0), None);
        assert_eq!(region_by_id(-3), None);
        assert_eq!(region_by_id(1_157), None);
    }

    #[test]
    fn iso_codes_carry_over_to_magentos_regions() {
        assert_eq!(region_from_iso("DE", "BE").map(|r| r.id), Some(82));
        assert_eq!(region_from_iso("US", "TX").map(|r| r.id), Some(57));
        assert_eq!(
            region_from_iso("AT", "9").map(|r| r.code.as_str()),
            Some("WI")
        );
        // ISO spells it with an accent, Magento without.
        assert_eq!(
            region_from_iso("ES", "AL").map(|r| r.name.as_str()),
            Some("Almeria")
        );
        // Names differ by language; the code is shared.
        assert_eq!(
            region_from_iso("CH", "GE").map(|r| r.name.as_str()),
            Some("Geneva")
        );
        // Magento has Spain's provinces, not its autonomous communities.
        assert_eq!(region_from_iso("ES", "CT"), None);
    }

    #[test]
    fn names_are_found_without_case_or_accents() {
        assert_eq!(find_region("es", "almería").map(|r| r.id), Some(134));
        assert_eq!(find_region("ES", "A CORUÑA").map(|r| r.id), Some(130));
        assert_eq!(find_region("ES", "Atlantis"), None);
        let lodz = find_region("PL", "Łódzkie").map(|r| r.id);
        assert!(lodz.is_some());
        assert_eq!(find_region("PL", "lodzkie").map(|r| r.id), lodz);
    }
}
