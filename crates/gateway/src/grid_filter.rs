//! The Customers grid's filter, one shape wherever a grid is asked for: the admin API's
//! `CustomerGridFilterInput`, the `filter` of the export URL and the CLI's `--filter` (JSON), and
//! its translation into the domain's grid query. The id and text filters serve the other admin
//! grids too.

use async_graphql::InputObject;
use chrono::{DateTime, NaiveDate, Utc};
use clientele_customers::{AttributeCondition, AttributeFilter, Gender, GridQuery};
use clientele_kernel::{Error, Result};

/// An inclusive range of ids.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct IdRangeFilterInput {
    /// Smallest id.
    pub(crate) from: Option<i32>,
    /// Largest id.
    pub(crate) to: Option<i32>,
}

/// A text filter.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct TextFilterInput {
    /// Case-insensitive substring.
    #[graphql(name = "match")]
    #[serde(rename = "match")]
    pub(crate) matches: Option<String>,
    /// Exact value, case-insensitive.
    pub(crate) eq: Option<String>,
}

/// An id equality filter.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct IdEqualFilterInput {
    /// Exactly this id.
    pub(crate) eq: Option<i32>,
    /// Any of these ids.
    #[graphql(name = "in")]
    #[serde(rename = "in")]
    pub(crate) any_of: Option<Vec<i32>>,
}

impl IdEqualFilterInput {
    /// The accepted ids (`eq` and `in` together).
    pub(crate) fn ids(&self) -> Vec<i32> {
        self.any_of
            .iter()
            .flatten()
            .copied()
            .chain(self.eq)
            .collect()
    }
}

/// A range of instants.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct DateTimeRangeFilterInput {
    /// At or after.
    pub(crate) from: Option<DateTime<Utc>>,
    /// At or before.
    pub(crate) to: Option<DateTime<Utc>>,
}

/// A range of dates, `YYYY-MM-DD`.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct DateRangeFilterInput {
    /// On or after.
    pub(crate) from: Option<String>,
    /// On or before.
    pub(crate) to: Option<String>,
}

/// A set of text values.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct TextInFilterInput {
    /// Any of these values.
    #[graphql(name = "in")]
    #[serde(rename = "in")]
    pub(crate) any_of: Vec<String>,
}

/// Filters of the Customers grid; every present filter must match.
#[derive(InputObject, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomerGridFilterInput {
    /// Id range.
    pub(crate) id: Option<IdRangeFilterInput>,
    /// First, middle or last name contains.
    pub(crate) name: Option<TextFilterInput>,
    /// Email contains.
    pub(crate) email: Option<TextFilterInput>,
    /// Customer group.
    pub(crate) group_id: Option<IdEqualFilterInput>,
    /// Website.
    pub(crate) website_id: Option<IdEqualFilterInput>,
    /// Billing telephone contains.
    pub(crate) telephone: Option<TextFilterInput>,
    /// Billing postcode contains.
    pub(crate) postcode: Option<TextFilterInput>,
    /// Billing country.
    pub(crate) country_code: Option<TextInFilterInput>,
    /// Billing region contains.
    pub(crate) region: Option<TextFilterInput>,
    /// Billing city contains.
    pub(crate) city: Option<TextFilterInput>,
    /// Billing company contains.
    pub(crate) company: Option<TextFilterInput>,
    /// Tax/VAT number contains.
    pub(crate) taxvat: Option<TextFilterInput>,
    /// Gender (1, 2, 3).
    pub(crate) gender: Option<IdEqualFilterInput>,
    /// Active or inactive accounts.
    pub(crate) is_active: Option<bool>,
    /// Customer since.
    pub(crate) created_at: Option<DateTimeRangeFilterInput>,
    /// Date of birth.
    pub(crate) dob: Option<DateRangeFilterInput>,
    /// Custom attributes flagged "Use in Filter Options"; every one must match.
    pub(crate) custom_attributes: Option<Vec<CustomAttributeFilterInput>>,
}

/// A filter on one custom attribute: `match` for text inputs (partial, prefix or full match as
/// the attribute says), `in` for dropdowns, multiple selects and Yes/No, `from`/`to` for dates.
#[derive(InputObject, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CustomAttributeFilterInput {
    /// Attribute code.
    pub(crate) attribute_code: String,
    /// Text to match.
    #[graphql(name = "match")]
    #[serde(rename = "match")]
    pub(crate) matches: Option<String>,
    /// Any of these option ids (or `1`/`0` for Yes/No).
    #[graphql(name = "in")]
    #[serde(rename = "in")]
    pub(crate) any_of: Option<Vec<String>>,
    /// On or after, `YYYY-MM-DD`.
    pub(crate) from: Option<String>,
    /// On or before, `YYYY-MM-DD`.
    pub(crate) to: Option<String>,
}

impl CustomAttributeFilterInput {
    fn into_filter(self) -> Result<AttributeFilter> {
        let condition = match (self.matches, self.any_of, self.from, self.to) {
            (Some(text), None, None, None) => AttributeCondition::Text(text),
            (None, Some(values), None, None) => AttributeCondition::AnyOf(values),
            (None, None, from, to) if from.is_some() || to.is_some() => {
                AttributeCondition::Range { from, to }
            }
            _ => {
                return Err(Error::invalid(
                    "filter.custom_attributes",
                    format!(
                        "Filter \"{}\" with exactly one of match, in, or from/to.",
                        self.attribute_code
                    ),
                ));
            }
        };
        Ok(AttributeFilter {
            code: self.attribute_code,
            condition,
        })
    }
}

/// Limits a grid query to the websites of the caller's role.
pub(crate) fn scoped(mut query: GridQuery, scope: Option<Vec<i32>>) -> GridQuery {
    if let Some(scope) = scope {
        query.website_ids = Some(match query.website_ids.take() {
            Some(asked) => asked.into_iter().filter(|w| scope.contains(w)).collect(),
            None => scope,
        });
    }
    query
}

/// A `YYYY-MM-DD` date given in `field`.
pub(crate) fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("\"{text}\" is not a date; use YYYY-MM-DD.")))
}

/// A gender by its code (1, 2 or 3).
pub(crate) fn parse_gender(code: i32) -> Result<Gender> {
    i16::try_from(code)
        .ok()
        .and_then(Gender::from_code)
        .ok_or_else(|| Error::invalid("gender", "\"Gender\" must be 1, 2 or 3."))
}

/// The domain's grid query for a keyword `search` and the filter `f`.
pub(crate) fn grid_query(search: Option<String>, f: CustomerGridFilterInput) -> Result<GridQuery> {
    let text = |t: Option<TextFilterInput>| t.and_then(|t| t.matches.or(t.eq));
    let genders = match f.gender {
        Some(g) => Some(
            g.ids()
                .into_iter()
                .map(|code| parse_gender(code).map(Gender::code))
                .collect::<Result<Vec<_>>>()?,
        ),
        None => None,
    };
    Ok(GridQuery {
        keyword: search.filter(|s| !s.trim().is_empty()),
        id_from: f.id.as_ref().and_then(|r| r.from),
        id_to: f.id.as_ref().and_then(|r| r.to),
        name: text(f.name),
        email: text(f.email),
        group_ids: f.group_id.map(|g| g.ids()),
        website_ids: f.website_id.map(|g| g.ids()),
        telephone: text(f.telephone),
        postcode: text(f.postcode),
        country_codes: f.country_code.map(|c| c.any_of),
        region: text(f.region),
        city: text(f.city),
        company: text(f.company),
        taxvat: text(f.taxvat),
        genders,
        is_active: f.is_active,
        created_from: f.created_at.as_ref().and_then(|r| r.from),
        created_to: f.created_at.as_ref().and_then(|r| r.to),
        dob_from: match f.dob.as_ref().and_then(|r| r.from.as_deref()) {
            Some(d) => Some(parse_date("dob.from", d)?),
            None => None,
        },
        dob_to: match f.dob.as_ref().and_then(|r| r.to.as_deref()) {
            Some(d) => Some(parse_date("dob.to", d)?),
            None => None,
        },
        after_id: None,
        attributes: f
            .custom_attributes
            .unwrap_or_default()
            .into_iter()
            .map(CustomAttributeFilterInput::into_filter)
            .collect::<Result<_>>()?,
    })
}
