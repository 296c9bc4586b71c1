//! Export of the Customers grid as CSV or Excel 2003 XML (SpreadsheetML), streamed in batches read
//! by keyset (`id > last`), so memory stays flat however many rows there are.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use clientele_kernel::{InternalContext, Result};
use futures_util::Stream;
use futures_util::stream;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Select};

use super::BackOffice;
use super::grid::{GridQuery, filtered};
use crate::entity::customer;
use crate::model::Customer;
use clientele_customer_attributes::grid::catalog;

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

impl BackOffice {
    /// The customers matching `query` (or only `ids`), in id order, as a stream of batches.
    pub fn export_batches(
        &self,
        query: GridQuery,
        ids: Option<Vec<i32>>,
        batch_size: u64,
    ) -> impl Stream<Item = Result<Vec<Customer>>> + Send + 'static {
        let db = self.shared.db.clone();
        // The filter is built on the first batch (it may need the attribute catalog) and carried
        // to the next ones, so a million-row export reads the catalog once, not per batch.
        let start: Option<(i32, Option<Select<customer::Entity>>)> = Some((0, None));
        stream::try_unfold(start, move |state| {
            let db = db.clone();
            let query = query.clone();
            let ids = ids.clone();
            async move {
                let Some((after, matching)) = state else {
                    return Ok(None);
                };
                let matching = match matching {
                    Some(select) => select,
                    None => export_select(&db, &query, ids.as_deref()).await?,
                };
                let select = matching
                    .clone()
                    .filter(customer::Column::Id.gt(after))
                    .order_by_asc(customer::Column::Id)
                    .limit(batch_size);
                let rows = crate::decode::all_customers(&db, select).await?;
                let next = match rows.last() {
                    Some(last) if rows.len() as u64 == batch_size => {
                        Some((last.id, Some(matching)))
                    }
                    _ => None,
                };
                if rows.is_empty() {
                    return Ok(None);
                }
                let batch: Vec<Customer> = rows.into_iter().map(Into::into).collect();
                Ok(Some((batch, next)))
            }
        })
    }

    /// How many customers an export of `query` (or `ids`) will hold.
    pub async fn export_count(&self, query: &GridQuery, ids: Option<&[i32]>) -> Result<u64> {
        use sea_orm::PaginatorTrait;
        Ok(export_select(&self.shared.db, query, ids)
            .await?
            .count(&self.shared.db)
            .await?)
    }
}

/// The customers an export of `query` (or only `ids`) holds, unordered and unpaged.
async fn export_select(
    db: &impl ConnectionTrait,
    query: &GridQuery,
    ids: Option<&[i32]>,
) -> Result<Select<customer::Entity>> {
    let catalog = catalog(db, query.needs_attributes()).await?;
    let mut select = filtered(query, &catalog)?;
    if let Some(ids) = ids {
        select = select.filter(customer::Column::Id.is_in(ids.to_vec()));
    }
    Ok(select)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_xml_is_escaped() {
        assert_eq!(safe_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(safe_cell("Ann"), "Ann");
        assert_eq!(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        let row =
            String::from_utf8(csv_row(&["a,b".into(), "-1".into()]).expect("csv")).expect("utf8");
        assert_eq!(row, "\"a,b\",'-1\n");
    }
}
