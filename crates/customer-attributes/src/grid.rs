//! Custom attributes in the Customers grid: filters on attributes flagged "Use in Filter
//! Options", keyword search over those flagged "Use in Search Options", and sorting on those
//! flagged "Add to Column Options". Each reads the attribute value rows directly, so the grid
//! stays fresh. Filters come back as subqueries of matching customer ids, which the grid puts in
//! its own query.

use chrono::NaiveDate;
use clientele_kernel::text::{escape_like, reject_control_chars};
use clientele_kernel::{Error, Result};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};

use crate::entity::attribute_value;
use crate::{Attribute, AttributeEntity, FilterCondition, InputType};

/// A filter on one custom attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeFilter {
    /// Attribute code.
    pub code: String,
    /// What the value must match.
    pub condition: AttributeCondition,
}

/// What an attribute value must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeCondition {
    /// Text inputs: the text, matched as the attribute's grid filter condition says
    /// (partial, prefix or full match, ignoring case).
    Text(String),
    /// Dropdown, multiple select and Yes/No: any of these option ids (or `1`/`0`).
    AnyOf(Vec<String>),
    /// Dates: on or after `from` and on or before `to` (`YYYY-MM-DD`).
    Range {
        /// Earliest.
        from: Option<String>,
        /// Latest.
        to: Option<String>,
    },
}

/// The customer attributes a grid query needs, loaded once per query.
pub async fn catalog(db: &impl ConnectionTrait, needs_attributes: bool) -> Result<Vec<Attribute>> {
    if !needs_attributes {
        return Ok(Vec::new());
    }
    crate::metadata::load_catalog(db, AttributeEntity::Customer).await
}

const FIELD: &str = "filter.custom_attributes";

fn customers_with(condition: SimpleExpr, attribute_id: i32) -> SelectStatement {
    Query::select()
        .column(attribute_value::Column::CustomerId)
        .from(attribute_value::Entity)
        .and_where(attribute_value::Column::AttributeId.eq(attribute_id))
        .and_where(condition)
        .to_owned()
}

/// The ids of customers with a searchable attribute value containing `pattern` (a LIKE pattern);
/// `None` when no attribute is searchable.
pub fn keyword_match(catalog: &[Attribute], pattern: &str) -> Option<SelectStatement> {
    let ids: Vec<i32> = catalog
        .iter()
        .filter(|a| a.is_searchable_in_grid)
        .map(|a| a.id)
        .collect();
    if ids.is_empty() {
        return None;
    }
    Some(
        Query::select()
            .column(attribute_value::Column::CustomerId)
            .from(attribute_value::Entity)
            .and_where(attribute_value::Column::AttributeId.is_in(ids))
            .and_where(
                attribute_value::Column::Display
                    .like(LikeExpr::new(pattern.to_owned()).escape('\\')),
            )
            .to_owned(),
    )
}

fn find<'a>(catalog: &'a [Attribute], code: &str) -> Result<&'a Attribute> {
    catalog.iter().find(|a| a.code == code).ok_or_else(|| {
        Error::invalid(
            FIELD,
            format!("There is no customer attribute with the code \"{code}\"."),
        )
    })
}

fn check_date(text: &str) -> Result<String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| Error::invalid(FIELD, format!("\"{text}\" is not a date; use YYYY-MM-DD.")))
}

/// The ids of the customers one attribute filter keeps.
pub fn filter_condition(
    catalog: &[Attribute],
    filter: &AttributeFilter,
) -> Result<SelectStatement> {
    use attribute_value::Column as V;
    let attribute = find(catalog, &filter.code)?;
    if !attribute.is_filterable_in_grid {
        return Err(Error::invalid(
            FIELD,
            format!("\"{}\" is not a filterable attribute.", attribute.code),
        ));
    }
    let input = attribute.input_type;
    let mismatch = |expected: &str| {
        Error::invalid(
            FIELD,
            format!(
                "\"{}\" is a {} attribute; filter it with {expected}.",
                attribute.code,
                input.code()
            ),
        )
    };
    let condition = match &filter.condition {
        AttributeCondition::Text(text) => {
            if !input.is_text() {
                return Err(mismatch(match input {
                    InputType::Date => "a range",
                    _ => "a list of values",
                }));
            }
            reject_control_chars(FIELD, text)?;
            let needle = escape_like(&text.trim().to_lowercase());
            let pattern = match attribute.grid_filter_condition {
                FilterCondition::Partial => format!("%{needle}%"),
                FilterCondition::Prefix => format!("{needle}%"),
                FilterCondition::Full => needle,
            };
            V::Display.like(LikeExpr::new(pattern).escape('\\'))
        }
        AttributeCondition::AnyOf(values) => {
            if !(input.has_options() || input == InputType::Boolean) {
                return Err(mismatch(if input == InputType::Date {
                    "a range"
                } else {
                    "text"
                }));
            }
            if values.is_empty() {
                return Err(Error::invalid(FIELD, "Give at least one value."));
            }
            for v in values {
                reject_control_chars(FIELD, v)?;
            }
            if input == InputType::Multiselect {
                let mut any = Condition::any();
                for v in values {
                    // Selected ids are stored joined by commas; wrapping both sides in commas
                    // matches whole ids only.
                    any = any.add(Expr::cust("(',' || \"value\" || ',')").like(
                        LikeExpr::new(format!("%,{},%", escape_like(v.trim()))).escape('\\'),
                    ));
                }
                any.into()
            } else {
                V::Value.is_in(values.iter().map(|v| v.trim().to_owned()))
            }
        }
        AttributeCondition::Range { from, to } => {
            if input != InputType::Date {
                return Err(mismatch(if input.is_text() {
                    "text"
                } else {
                    "a list of values"
                }));
            }
            let mut all = Condition::all();
            if let Some(from) = from {
                all = all.add(V::Value.gte(check_date(from)?));
            }
            if let Some(to) = to {
                all = all.add(V::Value.lte(check_date(to)?));
            }
            all.into()
        }
    };
    Ok(customers_with(condition, attribute.id))
}

/// The sort key of a grid column attribute: its value's display text for the customer whose id
/// is in the column `customer_id` of the outer query.
pub fn sort_expression(catalog: &[Attribute], code: &str, customer_id: &str) -> Result<SimpleExpr> {
    let attribute = find(catalog, code).map_err(|_| {
        Error::invalid(
            "sort.attribute_code",
            format!("There is no customer attribute with the code \"{code}\"."),
        )
    })?;
    if !attribute.is_used_in_grid {
        return Err(Error::invalid(
            "sort.attribute_code",
            format!("\"{code}\" is not a grid column."),
        ));
    }
    // The attribute id comes from the attribute table and the column from the calling crate, not
    // from a request, so both are safe to inline.
    Ok(Expr::cust(format!(
        "(SELECT v.display FROM customer_attribute_values v \
         WHERE v.customer_id = {customer_id} AND v.attribute_id = {})",
        attribute.id
    )))
}
