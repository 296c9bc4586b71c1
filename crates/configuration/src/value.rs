//! Value types of configuration options and their validation. Values are stored as text, in the
//! canonical form this module produces (booleans as `0`/`1`, integers without padding).

use clientele_kernel::{Error, Result};

/// The type of an option's value, with its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `0` or `1` (also accepts `true`/`false`/`yes`/`no`).
    Bool,
    /// A whole number within the bounds.
    Int {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// A whole number within the bounds, or empty (meaning the documented fallback).
    OptionalInt {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// One of the listed values (`value`, `label`).
    Choice(&'static [(&'static str, &'static str)]),
    /// A comma-separated subset of the listed values.
    MultiChoice(&'static [(&'static str, &'static str)]),
    /// Free text up to `max` characters (line breaks allowed when `multiline`).
    Text {
        /// Longest accepted text.
        max: usize,
        /// Whether line breaks are allowed (templates).
        multiline: bool,
    },
    /// A customer group id; `optional` allows empty.
    CustomerGroup {
        /// Whether empty ("-- Please Select --") is accepted.
        optional: bool,
    },
    /// An absolute http(s) URL ending in `/`.
    BaseUrl,
    /// An ISO 3166-1 alpha-2 country code.
    Country,
    /// A comma-separated list of ISO 3166-1 alpha-2 country codes (may be empty).
    CountryList,
    /// CAPTCHA length: `N` or `N-M`, at most 8.
    CaptchaLength,
    /// CAPTCHA alphabet: letters and digits only.
    CaptchaSymbols,
}

impl ValueKind {
    /// Validates `raw` for the option labelled `label` and returns its canonical stored form.
    pub fn normalize(&self, label: &str, raw: &str) -> Result<String> {
        let value = raw.trim();
        let invalid = |rule: String| Err(Error::invalid("value", format!("\"{label}\" {rule}")));
        match *self {
            ValueKind::Bool => match value.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => Ok("1".into()),
                "0" | "false" | "no" => Ok("0".into()),
                _ => invalid("must be Yes (1) or No (0).".into()),
            },
            ValueKind::Int { min, max } => parse_int(value, min, max)
                .map(|n| n.to_string())
                .or_else(&invalid),
            ValueKind::OptionalInt { min, max } => {
                if value.is_empty() {
                    Ok(String::new())
                } else {
                    parse_int(value, min, max)
                        .map(|n| n.to_string())
                        .or_else(&invalid)
                }
            }
            ValueKind::Choice(choices) => {
                if choices.iter().any(|(v, _)| *v == value) {
                    Ok(value.to_owned())
                } else {
                    invalid(format!("must be one of: {}.", list_values(choices)))
                }
            }
            ValueKind::MultiChoice(choices) => {
                let mut picked = Vec::new();
                for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    if !choices.iter().any(|(v, _)| *v == part) {
                        return invalid(format!(
                            "accepts only these values: {}.",
                            list_values(choices)
                        ));
                    }
                    if !picked.contains(&part) {
                        picked.push(part);
                    }
                }
                Ok(picked.join(","))
            }
            ValueKind::Text { max, multiline } => {
                if raw.chars().count() > max {
                    return invalid(format!("must be at most {max} characters."));
                }
                let bad = |c: char| {
                    c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t'))
                };
                if raw.chars().any(bad) {
                    return invalid("contains characters that are not allowed.".into());
                }
                Ok(if multiline {
                    raw.to_owned()
                } else {
                    value.to_owned()
                })
            }
            ValueKind::CustomerGroup { optional } => {
                if value.is_empty() && optional {
                    return Ok(String::new());
                }
                match value.parse::<u32>() {
                    Ok(n) => Ok(n.to_string()),
                    Err(_) => invalid("must be a customer group id.".into()),
                }
            }
            ValueKind::BaseUrl => {
                let ok = (value.starts_with("http://") || value.starts_with("https://"))
                    && value.ends_with('/')
                    && value.len() > "https://".len()
                    && !value.chars().any(|c| c.is_whitespace() || c.is_control());
                if ok {
                    Ok(value.to_owned())
                } else {
                    invalid("must be an absolute http(s) URL ending with \"/\".".into())
                }
            }
            ValueKind::Country => {
                if is_country_code(value) {
                    Ok(value.to_owned())
                } else {
                    invalid("must be a two-letter ISO 3166-1 country code.".into())
                }
            }
            ValueKind::CountryList => {
                let codes: Vec<&str> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect();
                if codes.iter().all(|c| is_country_code(c)) {
                    Ok(codes.join(","))
                } else {
                    invalid("must be a comma-separated list of two-letter country codes.".into())
                }
            }
            ValueKind::CaptchaLength => {
                let parts: Vec<&str> = value.split('-').map(str::trim).collect();
                let nums: Option<Vec<u8>> = parts.iter().map(|p| p.parse().ok()).collect();
                match nums.as_deref() {
                    Some([n]) if (1..=8).contains(n) => Ok(n.to_string()),
                    Some([a, b]) if *a >= 1 && a <= b && *b <= 8 => Ok(format!("{a}-{b}")),
                    _ => invalid("must be a number or a range such as 4-5, at most 8.".into()),
                }
            }
            ValueKind::CaptchaSymbols => {
                if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric()) {
                    Ok(value.to_owned())
                } else {
                    invalid("may contain only letters a-z, A-Z and digits 0-9.".into())
                }
            }
        }
    }

    /// Short name of the type, as the admin API shows it.
    pub fn name(&self) -> &'static str {
        match self {
            ValueKind::Bool => "BOOLEAN",
            ValueKind::Int { .. } => "INTEGER",
            ValueKind::OptionalInt { .. } => "OPTIONAL_INTEGER",
            ValueKind::Choice(_) => "SELECT",
            ValueKind::MultiChoice(_) => "MULTISELECT",
            ValueKind::Text { .. } => "TEXT",
            ValueKind::CustomerGroup { .. } => "CUSTOMER_GROUP",
            ValueKind::BaseUrl => "URL",
            ValueKind::Country => "COUNTRY",
            ValueKind::CountryList => "COUNTRY_LIST",
            ValueKind::CaptchaLength => "RANGE",
            ValueKind::CaptchaSymbols => "TEXT",
        }
    }

    /// The listed values of a choice, if any.
    pub fn choices(&self) -> &'static [(&'static str, &'static str)] {
        match self {
            ValueKind::Choice(c) | ValueKind::MultiChoice(c) => c,
            _ => &[],
        }
    }

    /// Numeric bounds, if any.
    pub fn bounds(&self) -> Option<(i64, i64)> {
        match *self {
            ValueKind::Int { min, max } | ValueKind::OptionalInt { min, max } => Some((min, max)),
            _ => None,
        }
    }
}

fn parse_int(value: &str, min: i64, max: i64) -> std::result::Result<i64, String> {
    let rule = if max == i64::MAX {
        format!("must be a whole number, {min} or greater.")
    } else {
        format!("must be a whole number from {min} to {max}.")
    };
    match value.parse::<i64>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(rule),
    }
}

fn list_values(choices: &[(&str, &str)]) -> String {
    choices
        .iter()
        .map(|(v, l)| format!("{v} ({l})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_are_canonical() {
        assert_eq!(ValueKind::Bool.normalize("x", "true").expect("ok"), "1");
        assert_eq!(ValueKind::Bool.normalize("x", " No ").expect("ok"), "0");
        assert!(ValueKind::Bool.normalize("x", "maybe").is_err());
    }

    #[test]
    fn integers_respect_their_bounds() {
        let kind = ValueKind::Int { min: 1, max: 256 };
        assert_eq!(
            kind.normalize("Minimum Password Length", "8").expect("ok"),
            "8"
        );
        let err = kind
            .normalize("Minimum Password Length", "0")
            .expect_err("below min");
        assert_eq!(
            err.to_string(),
            "\"Minimum Password Length\" must be a whole number from 1 to 256."
        );
        assert!(kind.normalize("x", "eight").is_err());
        let optional = ValueKind::OptionalInt {
            min: 1,
            max: i64::MAX,
        };
        assert_eq!(optional.normalize("x", "").expect("empty ok"), "");
    }

    #[test]
    fn choices_and_lists_are_checked() {
        const C: &[(&str, &str)] = &[("a", "A"), ("b", "B")];
        assert!(ValueKind::Choice(C).normalize("x", "c").is_err());
        assert_eq!(
            ValueKind::MultiChoice(C)
                .normalize("x", "b, a,b")
                .expect("ok"),
            "b,a"
        );
        assert_eq!(
            ValueKind::CountryList.normalize("x", "US, GB").expect("ok"),
            "US,GB"
        );
        assert!(ValueKind::CountryList.normalize("x", "usa").is_err());
        assert_eq!(
            ValueKind::CaptchaLength.normalize("x", "4-5").expect("ok"),
            "4-5"
        );
        assert!(ValueKind::CaptchaLength.normalize("x", "5-9").is_err());
        assert!(ValueKind::BaseUrl.normalize("x", "ftp://x/").is_err());
    }
}
