//! Checks of attribute values (on every write of a record) and of attribute definitions.

use chrono::NaiveDate;
use clientele_kernel::text::{escape_html, normalize_email, reject_control_chars, validate_code};
use clientele_kernel::{Error, Result};

use super::model::{Attribute, InputFilter, InputType, Validation};

/// The longest single-line text value.
const MAX_TEXT: usize = 255;
/// The longest text-area value.
const MAX_TEXT_AREA: usize = 65_535;

/// Codes of system attributes, which custom attributes cannot take.
const SYSTEM_CODES: &[&str] = &[
    "entity_id",
    "website_id",
    "store_id",
    "created_in",
    "group_id",
    "email",
    "prefix",
    "firstname",
    "middlename",
    "lastname",
    "suffix",
    "dob",
    "taxvat",
    "gender",
    "is_active",
    "password",
    "password_hash",
    "confirmation",
    "created_at",
    "updated_at",
    "default_billing",
    "default_shipping",
    "disable_auto_group_change",
    "allow_remote_shopping_assistance",
    "company",
    "street",
    "city",
    "region",
    "region_id",
    "region_code",
    "postcode",
    "country_id",
    "country_code",
    "telephone",
    "fax",
    "vat_id",
    "custom_attributes",
];

/// Checks a new attribute code: Adobe Commerce's code rules, and not a system attribute's code.
pub(crate) fn check_code(code: &str) -> Result<()> {
    validate_code("code", code, 60)?;
    if SYSTEM_CODES.contains(&code) {
        return Err(Error::invalid(
            "code",
            format!("\"{code}\" is the code of a system attribute."),
        ));
    }
    Ok(())
}

/// A value ready to store: the canonical value and the lowercase text that keyword search and
/// text filters match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub(crate) value: String,
    pub(crate) display: String,
}

fn field(attribute: &Attribute) -> String {
    format!("custom_attributes.{}", attribute.code)
}

fn invalid(attribute: &Attribute, message: String) -> Error {
    Error::invalid(field(attribute), message)
}

/// Checks `raw` against `attribute`; `Ok(None)` means no value (refused when required).
pub(crate) fn check_value(attribute: &Attribute, raw: &str) -> Result<Option<Stored>> {
    let label = &attribute.label;
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        if attribute.is_required {
            return Err(Error::required(field(attribute), label));
        }
        return Ok(None);
    }
    let stored = match attribute.input_type {
        InputType::Text => {
            let text = text_value(attribute, trimmed, MAX_TEXT)?;
            Stored {
                display: text.to_lowercase(),
                value: text,
            }
        }
        InputType::TextArea => {
            let text = text_value(attribute, trimmed, MAX_TEXT_AREA)?;
            Stored {
                display: text.to_lowercase(),
                value: text,
            }
        }
        InputType::Multiline => {
            let lines: Vec<&str> = trimmed.split('\n').map(str::trim).collect();
            if lines.len() > attribute.multiline_count as usize {
                return Err(invalid(
                    attribute,
                    format!(
                        "\"{label}\" cannot contain more than {} lines.",
                        attribute.multiline_count
                    ),
                ));
            }
            let checked = lines
                .iter()
                .map(|line| {
                    if line.is_empty() {
                        Ok(String::new())
                    } else {
                        text_value(attribute, line, MAX_TEXT)
                    }
                })
                .collect::<Result<Vec<_>>>()?;
            let value = checked.join("\n");
            Stored {
                display: checked.join(" ").to_lowercase(),
                value,
            }
        }
        InputType::Date => {
            let date = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").map_err(|_| {
                invalid(
                    attribute,
                    format!("\"{label}\" must be a date in the format YYYY-MM-DD."),
                )
            })?;
            if let Some(min) = attribute.date_min.filter(|min| date < *min) {
                return Err(invalid(
                    attribute,
                    format!("\"{label}\" must be on or after {min}."),
                ));
            }
            if let Some(max) = attribute.date_max.filter(|max| date > *max) {
                return Err(invalid(
                    attribute,
                    format!("\"{label}\" must be on or before {max}."),
                ));
            }
            let value = date.format("%Y-%m-%d").to_string();
            Stored {
                display: value.clone(),
                value,
            }
        }
        InputType::Boolean => {
            let yes = match trimmed.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                _ => {
                    return Err(invalid(
                        attribute,
                        format!("\"{label}\" must be 1 (Yes) or 0 (No)."),
                    ));
                }
            };
            Stored {
                value: if yes { "1" } else { "0" }.into(),
                display: if yes { "yes" } else { "no" }.into(),
            }
        }
        InputType::Select | InputType::Multiselect => {
            let mut ids = Vec::new();
            for part in trimmed.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let option = part
                    .parse::<i32>()
                    .ok()
                    .and_then(|id| attribute.options.iter().find(|o| o.id == id))
                    .ok_or_else(|| {
                        invalid(
                            attribute,
                            format!("\"{label}\" has no option with the id \"{part}\"."),
                        )
                    })?;
                if !ids.contains(&option.id) {
                    ids.push(option.id);
                }
            }
            if attribute.input_type == InputType::Select && ids.len() > 1 {
                return Err(invalid(
                    attribute,
                    format!("\"{label}\" takes a single option."),
                ));
            }
            ids.sort_unstable();
            option_value(attribute, &ids)
        }
        InputType::File | InputType::Image => {
            let text = plain(attribute, trimmed, MAX_TEXT)?;
            if attribute.input_type == InputType::Image {
                let extension = text.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
                if !matches!(
                    extension.as_deref(),
                    Some("jpg" | "jpeg" | "gif" | "png" | "webp")
                ) {
                    return Err(invalid(
                        attribute,
                        format!("\"{label}\" must be a jpg, jpeg, gif, png or webp image."),
                    ));
                }
            }
            Stored {
                display: text.to_lowercase(),
                value: text,
            }
        }
    };
    Ok(Some(stored))
}

/// The stored form of selected option ids: ids joined by commas, labels as the display text.
pub(crate) fn option_value(attribute: &Attribute, ids: &[i32]) -> Stored {
    let labels: Vec<&str> = ids
        .iter()
        .filter_map(|id| attribute.options.iter().find(|o| o.id == *id))
        .map(|o| o.label.as_str())
        .collect();
    Stored {
        value: ids.iter().map(i32::to_string).collect::<Vec<_>>().join(","),
        display: labels.join(", ").to_lowercase(),
    }
}

fn plain(attribute: &Attribute, text: &str, max: usize) -> Result<String> {
    reject_control_chars(&field(attribute), text)?;
    if text.chars().count() > max {
        return Err(invalid(
            attribute,
            format!(
                "\"{}\" length must be equal or less than {max} characters.",
                attribute.label
            ),
        ));
    }
    Ok(text.to_owned())
}

/// A text value after the input filter, the length limits and the input validation.
fn text_value(attribute: &Attribute, text: &str, max: usize) -> Result<String> {
    let label = &attribute.label;
    let filtered = match attribute.input_filter {
        InputFilter::None => text.to_owned(),
        InputFilter::StripTags => strip_tags(text).trim().to_owned(),
        InputFilter::EscapeHtml => escape_html(text),
    };
    let text = plain(attribute, &filtered, max)?;
    let length = text.chars().count();
    if let Some(min) = attribute.min_length.filter(|min| length < *min as usize) {
        return Err(invalid(
            attribute,
            format!("\"{label}\" length must be equal or greater than {min} characters."),
        ));
    }
    if let Some(max) = attribute.max_length.filter(|max| length > *max as usize) {
        return Err(invalid(
            attribute,
            format!("\"{label}\" length must be equal or less than {max} characters."),
        ));
    }
    let ok = match attribute.validation {
        Validation::None | Validation::Length => true,
        Validation::Alphanumeric => text.chars().all(|c| c.is_ascii_alphanumeric()),
        Validation::AlphanumericWithSpaces => {
            text.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
        }
        Validation::Numeric => text.chars().all(|c| c.is_ascii_digit()),
        Validation::Alpha => text.chars().all(|c| c.is_ascii_alphabetic()),
        Validation::Url => is_url(&text),
        Validation::Email => normalize_email("email", &text).is_ok(),
    };
    if !ok {
        let rule = match attribute.validation {
            Validation::Alphanumeric => "contains non-alphabetic or non-numeric characters",
            Validation::AlphanumericWithSpaces => {
                "contains characters other than letters, digits and spaces"
            }
            Validation::Numeric => "contains non-numeric characters",
            Validation::Alpha => "has not only alphabetic characters",
            Validation::Url => "is not a valid URL",
            _ => "is not a valid email address",
        };
        return Err(invalid(attribute, format!("\"{label}\" {rule}.")));
    }
    if attribute.validation == Validation::AlphanumericWithSpaces {
        // Adobe Commerce trims runs of spaces on save.
        return Ok(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    Ok(text)
}

fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            && !text.chars().any(char::is_whitespace)
    })
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{AttributeEntity, AttributeOption, FilterCondition, InputFilter};

    /// A customer attribute with two options (Gold 7, Silver 9), shown on the storefront.
    pub(crate) fn attribute(input_type: InputType) -> Attribute {
        Attribute {
            id: 1,
            entity: AttributeEntity::Customer,
            code: "loyalty".into(),
            label: "Loyalty".into(),
            store_labels: vec![],
            input_type,
            is_required: false,
            default_value: None,
            validation: Validation::None,
            min_length: None,
            max_length: None,
            multiline_count: 1,
            date_min: None,
            date_max: None,
            input_filter: InputFilter::None,
            show_on_storefront: true,
            sort_order: 0,
            used_in_forms: vec![],
            is_used_in_grid: false,
            is_filterable_in_grid: false,
            grid_filter_condition: FilterCondition::Partial,
            is_searchable_in_grid: false,
            is_used_for_segment: false,
            options: vec![
                AttributeOption {
                    id: 7,
                    label: "Gold".into(),
                    store_labels: vec![],
                    sort_order: 0,
                    is_default: false,
                },
                AttributeOption {
                    id: 9,
                    label: "Silver".into(),
                    store_labels: vec![],
                    sort_order: 1,
                    is_default: false,
                },
            ],
            version: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    fn message(result: Result<Option<Stored>>) -> String {
        match result {
            Err(Error::Invalid { message, .. }) => message,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn codes_follow_the_rules_and_avoid_system_codes() {
        assert!(check_code("loyalty_tier").is_ok());
        assert!(check_code("1tier").is_err());
        assert!(check_code("Tier").is_err());
        assert!(check_code(&"a".repeat(61)).is_err());
        assert!(check_code("email").is_err());
    }

    #[test]
    fn required_values_must_be_present() {
        let mut a = attribute(InputType::Text);
        assert_eq!(check_value(&a, "  ").expect("optional"), None);
        a.is_required = true;
        assert_eq!(
            message(check_value(&a, "")),
            "\"Loyalty\" is a required value."
        );
    }

    #[test]
    fn text_rules_apply() {
        let mut a = attribute(InputType::Text);
        a.min_length = Some(3);
        a.max_length = Some(5);
        assert_eq!(
            message(check_value(&a, "ab")),
            "\"Loyalty\" length must be equal or greater than 3 characters."
        );
        assert_eq!(
            message(check_value(&a, "abcdef")),
            "\"Loyalty\" length must be equal or less than 5 characters."
        );
        a.validation = Validation::Numeric;
        assert_eq!(
            message(check_value(&a, "12a")),
            "\"Loyalty\" contains non-numeric characters."
        );
        assert_eq!(
            check_value(&a, "123").expect("valid").map(|s| s.value),
            Some("123".to_owned())
        );
        a.validation = Validation::AlphanumericWithSpaces;
        a.max_length = None;
        assert_eq!(
            check_value(&a, "a  b   c").expect("valid").map(|s| s.value),
            Some("a b c".to_owned())
        );
        a.validation = Validation::Url;
        assert!(check_value(&a, "https://example.com/x").is_ok());
        assert!(check_value(&a, "javascript:alert(1)").is_err());
        a.validation = Validation::Email;
        assert!(check_value(&a, "a@example.com").is_ok());
        assert!(check_value(&a, "nope").is_err());
    }

    #[test]
    fn filters_strip_or_escape_html() {
        let mut a = attribute(InputType::Text);
        a.input_filter = InputFilter::StripTags;
        assert_eq!(
            check_value(&a, "<b>bold</b> move")
                .expect("valid")
                .map(|s| s.value),
            Some("bold move".to_owned())
        );
        a.input_filter = InputFilter::EscapeHtml;
        assert_eq!(
            check_value(&a, "<b>").expect("valid").map(|s| s.value),
            Some("&lt;b&gt;".to_owned())
        );
    }

    #[test]
    fn multiline_counts_lines() {
        let mut a = attribute(InputType::Multiline);
        a.multiline_count = 2;
        assert!(check_value(&a, "one\ntwo").is_ok());
        assert_eq!(
            message(check_value(&a, "one\ntwo\nthree")),
            "\"Loyalty\" cannot contain more than 2 lines."
        );
    }

    #[test]
    fn dates_respect_bounds() {
        let mut a = attribute(InputType::Date);
        a.date_min = NaiveDate::from_ymd_opt(2020, 1, 1);
        a.date_max = NaiveDate::from_ymd_opt(2020, 12, 31);
        assert!(check_value(&a, "2020-06-01").is_ok());
        assert_eq!(
            message(check_value(&a, "2019-12-31")),
            "\"Loyalty\" must be on or after 2020-01-01."
        );
        assert!(check_value(&a, "2021-01-01").is_err());
        assert!(check_value(&a, "01/02/2020").is_err());
    }

    #[test]
    fn options_resolve_to_ids_and_labels() {
        let a = attribute(InputType::Multiselect);
        let stored = check_value(&a, "9, 7,9").expect("valid").expect("value");
        assert_eq!(stored.value, "7,9");
        assert_eq!(stored.display, "gold, silver");
        assert_eq!(
            message(check_value(&a, "8")),
            "\"Loyalty\" has no option with the id \"8\"."
        );
        let single = attribute(InputType::Select);
        assert!(check_value(&single, "7,9").is_err());
        let yes_no = attribute(InputType::Boolean);
        assert_eq!(
            check_value(&yes_no, "yes").expect("valid").map(|s| s.value),
            Some("1".to_owned())
        );
        assert!(check_value(&yes_no, "maybe").is_err());
        let image = attribute(InputType::Image);
        assert!(check_value(&image, "/a/b/photo.PNG").is_ok());
        assert!(check_value(&image, "/a/b/script.php").is_err());
    }
}
