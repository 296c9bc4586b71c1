//! Reading cells by column name, and the cell formats of Adobe Commerce's import files.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use clientele_kernel::{Error, Result};

use crate::model::EMPTY_VALUE;

/// What a cell says: nothing (keep the value in add/update), clear it, or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Empty, or the column is absent.
    Blank,
    /// `__EMPTY__VALUE__`: clear the value.
    Clear,
    /// A value, trimmed.
    Value(&'a str),
}

/// Column positions of one file.
pub struct Columns {
    names: Vec<String>,
}

impl Columns {
    /// Checks the header: every column known (or a custom attribute code), none repeated, and
    /// the `required` ones present.
    pub fn new(
        headers: &[String],
        known: &[&str],
        ignored: &[&str],
        attribute_codes: &[String],
        required: &[&str],
    ) -> Result<Self> {
        let mut unknown = Vec::new();
        for (i, name) in headers.iter().enumerate() {
            if headers[..i].contains(name) {
                return Err(Error::invalid(
                    "file",
                    format!("The column \"{name}\" appears twice."),
                ));
            }
            let is_known = known.contains(&name.as_str())
                || ignored.contains(&name.as_str())
                || attribute_codes.contains(name);
            if !is_known {
                unknown.push(name.as_str());
            }
        }
        if !unknown.is_empty() {
            return Err(Error::invalid(
                "file",
                format!(
                    "Header contains invalid attribute(s): \"{}\"",
                    unknown.join("\", \"")
                ),
            ));
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| !headers.iter().any(|h| h == r))
            .collect();
        if !missing.is_empty() {
            return Err(Error::invalid(
                "file",
                format!("Missing required columns: \"{}\"", missing.join("\", \"")),
            ));
        }
        Ok(Self {
            names: headers.to_vec(),
        })
    }

    /// The columns of a header checked before (by [`Columns::new`], when its file was staged).
    pub fn checked_before(headers: &[String]) -> Self {
        Self {
            names: headers.to_vec(),
        }
    }

    /// Whether the file has the column.
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The cell of `name` in `record`.
    pub fn cell<'r>(&self, record: &'r csv::StringRecord, name: &str) -> Cell<'r> {
        let Some(i) = self.names.iter().position(|n| n == name) else {
            return Cell::Blank;
        };
        match record.get(i).map(str::trim) {
            None | Some("") => Cell::Blank,
            Some(EMPTY_VALUE) => Cell::Clear,
            Some(v) => Cell::Value(v),
        }
    }

    /// The cell as text (`None` for blank or clear).
    pub fn text<'r>(&self, record: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        match self.cell(record, name) {
            Cell::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// A date cell: `YYYY-MM-DD`, optionally followed by a time (Magento exports `dob` both ways),
/// or `M/D/YYYY`.
pub fn date(column: &str, text: &str) -> Result<NaiveDate> {
    let day = text.split([' ', 'T']).next().unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day, "%m/%d/%Y"))
        .map_err(|_| Error::invalid(column, format!("\"{text}\" is not a valid date.")))
}

/// A timestamp cell: `YYYY-MM-DD HH:MM:SS` (UTC, as Magento stores it) or RFC 3339.
pub fn timestamp(column: &str, text: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc())
        .or_else(|_| {
            date(column, text).map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        })
        .map_err(|_| Error::invalid(column, format!("\"{text}\" is not a valid date and time.")))
}

/// A yes/no cell: `1`/`0` (also `yes`/`no`, `true`/`false`).
pub fn flag(column: &str, text: &str) -> Result<bool> {
    match text.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" => Ok(true),
        "0" | "no" | "false" => Ok(false),
        _ => Err(Error::invalid(column, format!("\"{text}\" is not 0 or 1."))),
    }
}

/// A number cell.
pub fn number(column: &str, text: &str) -> Result<i32> {
    text.parse()
        .map_err(|_| Error::invalid(column, format!("\"{text}\" is not a number.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_checked() {
        let header = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let err = Columns::new(
            &header(&["email", "bogus"]),
            &["email"],
            &[],
            &[],
            &["email"],
        )
        .err()
        .expect("unknown column");
        assert_eq!(
            err.to_string(),
            "Header contains invalid attribute(s): \"bogus\""
        );
        assert!(Columns::new(&header(&["email", "email"]), &["email"], &[], &[], &[]).is_err());
        assert!(Columns::new(&header(&["x"]), &["email"], &["x"], &[], &["email"]).is_err());
        let ok = Columns::new(
            &header(&["email", "tier"]),
            &["email"],
            &[],
            &["tier".to_owned()],
            &["email"],
        )
        .expect("valid");
        let record = csv::StringRecord::from(vec![" a@b.co ", "__EMPTY__VALUE__"]);
        assert_eq!(ok.cell(&record, "email"), Cell::Value("a@b.co"));
        assert_eq!(ok.cell(&record, "tier"), Cell::Clear);
        assert_eq!(ok.cell(&record, "missing"), Cell::Blank);
    }

    #[test]
    fn magento_cell_formats_parse() {
        assert_eq!(
            date("dob", "1980-05-01 00:00:00").expect("date"),
            NaiveDate::from_ymd_opt(1980, 5, 1).expect("valid")
        );
        assert!(date("dob", "5/1/1980").is_ok());
        assert!(date("dob", "soon").is_err());
        assert!(timestamp("created_at", "2020-01-02 03:04:05").is_ok());
        assert!(flag("x", "2").is_err());
    }
}
