//! The file a Customers grid export is written as: CSV or Excel 2003 XML (SpreadsheetML), with
//! the grid's columns, names instead of ids, and cells that spreadsheets cannot run as formulas.
//! The file is written batch by batch (`export_head`, then `export_rows` per batch, then
//! `export_tail`), so a caller can stream any number of rows in flat memory.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use clientele_customers::Customer;
use clientele_kernel::{InternalContext, Result};

/// Export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values, UTF-8, with a header row.
    Csv,
    /// Excel 2003 XML spreadsheet.
    ExcelXml,
}

impl ExportFormat {
    /// MIME type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::ExcelXml => "application/vnd.ms-excel",
        }
    }

    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::ExcelXml => "xml",
        }
    }
}

const COLUMNS: &[&str] = &[
    "ID",
    "Name",
    "Email",
    "Group",
    "Phone",
    "ZIP",
    "Country",
    "State/Province",
    "Customer Since",
    "Web Site",
    "Confirmed email",
    "Account Created in",
    "Date of Birth",
    "Tax VAT Number",
    "Gender",
    "Street Address",
    "City",
    "Company",
    "Account Lock",
    "Status",
];

/// Names the export shows instead of ids.
#[derive(Debug, Clone, Default)]
pub struct ExportLabels {
    /// Group names by id.
    pub groups: HashMap<i32, String>,
    /// Website names by id.
    pub websites: HashMap<i32, String>,
}

fn cells(c: &Customer, labels: &ExportLabels, now: DateTime<Utc>) -> Vec<String> {
    let name = [
        c.prefix.as_deref(),
        Some(&c.firstname),
        c.middlename.as_deref(),
        Some(&c.lastname),
        c.suffix.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        c.id.to_string(),
        name,
        c.email.clone(),
        labels
            .groups
            .get(&c.group_id)
            .cloned()
            .unwrap_or_else(|| c.group_id.to_string()),
        opt(&c.billing_telephone),
        opt(&c.billing_postcode),
        opt(&c.billing_country_code),
        opt(&c.billing_region),
        c.created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        labels
            .websites
            .get(&c.website_id)
            .cloned()
            .unwrap_or_else(|| c.website_id.to_string()),
        if c.confirmation_pending {
            "Confirmation Required"
        } else {
            "Confirmed"
        }
        .into(),
        c.created_in.clone(),
        c.dob
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        opt(&c.taxvat),
        match c.gender.map(|g| g.code()) {
            Some(1) => "Male",
            Some(2) => "Female",
            Some(3) => "Not Specified",
            _ => "",
        }
        .into(),
        opt(&c.billing_street).replace('\n', ", "),
        opt(&c.billing_city),
        opt(&c.billing_company),
        if c.locked_until(now).is_some() {
            "Locked"
        } else {
            "Unlocked"
        }
        .into(),
        if c.is_active { "Active" } else { "Inactive" }.into(),
    ]
}

/// Neutralises spreadsheet formulas (CSV injection): a cell starting with `=`, `+`, `-`, `@`
/// is prefixed with an apostrophe.
fn safe_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

fn xml_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn csv_row(values: &[String]) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(values.iter().map(|v| safe_cell(v)))
        .internal("csv")?;
    writer.into_inner().internal("csv")
}

fn xml_row(values: &[String]) -> Vec<u8> {
    let mut row = String::from("<Row>");
    for v in values {
        row.push_str("<Cell><Data ss:Type=\"String\">");
        row.push_str(&xml_escape(v));
        row.push_str("</Data></Cell>");
    }
    row.push_str("</Row>\n");
    row.into_bytes()
}

/// The bytes that open the file (header row included).
pub fn export_head(format: ExportFormat) -> Result<Vec<u8>> {
    let header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    Ok(match format {
        ExportFormat::Csv => {
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend(csv_row(&header)?);
            bytes
        }
        ExportFormat::ExcelXml => {
            let mut bytes = br#"<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="Customers"><Table>
"#
            .to_vec();
            bytes.extend(xml_row(&header));
            bytes
        }
    })
}

/// The bytes that close the file.
pub fn export_tail(format: ExportFormat) -> Vec<u8> {
    match format {
        ExportFormat::Csv => Vec::new(),
        ExportFormat::ExcelXml => b"</Table></Worksheet></Workbook>\n".to_vec(),
    }
}

/// Encodes a batch of customers, with their lock states as of `now`.
pub fn export_rows(
    format: ExportFormat,
    customers: &[Customer],
    labels: &ExportLabels,
    now: DateTime<Utc>,
) -> Result<Vec<u8>> {
    match format {
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::with_capacity(customers.len() * 200));
            for c in customers {
                writer
                    .write_record(cells(c, labels, now).iter().map(|v| safe_cell(v)))
                    .internal("csv")?;
            }
            writer.into_inner().internal("csv")
        }
        ExportFormat::ExcelXml => {
            let mut bytes = Vec::with_capacity(customers.len() * 600);
            for c in customers {
                bytes.extend(xml_row(&cells(c, labels, now)));
            }
            Ok(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use clientele_customers::{Customer, Gender};

    use super::*;

    fn customer(firstname: &str) -> Customer {
        let created = Utc
            .with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
            .single()
            .expect("time");
        Customer {
            id: 7,
            website_id: 1,
            store_id: Some(1),
            created_in: "Default Store View".into(),
            group_id: 2,
            email: "ann@example.com".into(),
            prefix: None,
            firstname: firstname.into(),
            middlename: None,
            lastname: "Lee".into(),
            suffix: None,
            dob: None,
            taxvat: None,
            gender: Some(Gender::Female),
            is_active: true,
            confirmation_pending: false,
            lock_expires: Some(created + chrono::Duration::hours(1)),
            allow_remote_shopping_assistance: false,
            disable_auto_group_change: false,
            default_billing_id: None,
            default_shipping_id: None,
            billing_telephone: None,
            billing_postcode: None,
            billing_country_code: None,
            billing_region: None,
            billing_city: None,
            billing_company: None,
            billing_street: Some("1 Main St\nFlat 2".into()),
            billing_vat_id: None,
            version: 1,
            created_at: created,
            updated_at: created,
        }
    }

    fn labels() -> ExportLabels {
        ExportLabels {
            groups: HashMap::from([(2, "Wholesale".to_owned())]),
            websites: HashMap::from([(1, "Main Website".to_owned())]),
        }
    }

    #[test]
    fn formulas_are_neutralised_and_xml_is_escaped() {
        assert_eq!(safe_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(safe_cell("Ann"), "Ann");
        assert_eq!(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        let row =
            String::from_utf8(csv_row(&["a,b".into(), "-1".into()]).expect("csv")).expect("utf8");
        assert_eq!(row, "\"a,b\",'-1\n");
    }

    #[test]
    fn a_csv_row_shows_names_for_ids_and_the_lock_as_of_the_export() {
        let c = customer("Ann");
        let locked = String::from_utf8(
            export_rows(
                ExportFormat::Csv,
                std::slice::from_ref(&c),
                &labels(),
                c.created_at,
            )
            .expect("csv"),
        )
        .expect("utf8");
        assert_eq!(
            locked,
            "7,Ann Lee,ann@example.com,Wholesale,,,,,2026-01-02T03:04:05Z,Main Website,Confirmed,\
             Default Store View,,,Female,\"1 Main St, Flat 2\",,,Locked,Active\n"
        );
        let later = c.created_at + chrono::Duration::hours(2);
        let unlocked =
            String::from_utf8(export_rows(ExportFormat::Csv, &[c], &labels(), later).expect("csv"))
                .expect("utf8");
        assert!(unlocked.ends_with(",Unlocked,Active\n"), "{unlocked}");
    }

    #[test]
    fn the_xml_file_escapes_markup_and_closes_its_workbook() {
        let c = customer("<Ann & Co>");
        let mut file = export_head(ExportFormat::ExcelXml).expect("head");
        file.extend(
            export_rows(ExportFormat::ExcelXml, &[c], &labels(), Utc::now()).expect("rows"),
        );
        file.extend(export_tail(ExportFormat::ExcelXml));
        let xml = String::from_utf8(file).expect("utf8");
        assert!(xml.contains("&lt;Ann &amp; Co&gt; Lee"), "{xml}");
        assert!(xml.ends_with("</Table></Worksheet></Workbook>\n"));
        assert_eq!(
            xml.matches("<Row>").count(),
            2,
            "the header row and one customer"
        );
    }

    #[test]
    fn the_csv_file_opens_with_a_byte_order_mark_and_the_grid_columns() {
        let head = export_head(ExportFormat::Csv).expect("head");
        assert_eq!(&head[..3], &[0xEF, 0xBB, 0xBF]);
        let header = String::from_utf8(head[3..].to_vec()).expect("utf8");
        assert!(header.starts_with("ID,Name,Email,Group,"), "{header}");
        assert!(export_tail(ExportFormat::Csv).is_empty());
    }
}
