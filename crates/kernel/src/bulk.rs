//! Writing many changed rows back in a few statements instead of one per row.
//!
//! `UPDATE t SET … FROM (VALUES …) AS v WHERE t.key = v.column1` is understood by both SQLite
//! (3.33 and later) and PostgreSQL, and the columns of a `VALUES` list are named `column1`,
//! `column2`, … on both, so one statement shape serves both backends.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Mutex, OnceLock};

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable, ModelTrait, Statement,
    Value,
};

/// Most bound parameters per statement: below SQLite's limit (32,766) and PostgreSQL's (65,535).
fn max_parameters(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => 65_000,
        _ => 30_000,
    }
}

/// An optimistic-locking condition: a row is written only while `column` still holds the value
/// `expected` derives from the new model (for a version counter: the new version minus one).
pub struct Guard<E: EntityTrait> {
    /// The column compared.
    pub column: E::Column,
    /// The value the stored row must hold.
    pub expected: fn(&E::Model) -> Value,
}

/// Writes every column of each model but the key to the row with the model's `key`, in as few
/// statements as the parameter limits allow. Returns how many rows were written; a row whose
/// key is gone, or whose guard no longer holds, is not written and not counted.
pub async fn update_models<E>(
    db: &impl ConnectionTrait,
    key: E::Column,
    guard: Option<Guard<E>>,
    models: &[E::Model],
) -> Result<u64, DbErr>
where
    E: EntityTrait,
{
    if models.is_empty() {
        return Ok(0);
    }
    let backend = db.get_database_backend();
    let columns: Vec<E::Column> = E::Column::iter()
        .filter(|c| c.as_str() != key.as_str())
        .collect();
    let per_row = columns.len() + 1 + usize::from(guard.is_some());
    let chunk = (max_parameters(backend) / per_row).max(1);
    let table = E::default().table_name().to_owned();
    let mut written = 0;
    for rows in models.chunks(chunk) {
        let mut values = Vec::with_capacity(rows.len() * per_row);
        for model in rows {
            values.push(model.get(key));
            if let Some(guard) = &guard {
                values.push((guard.expected)(model));
            }
            values.extend(columns.iter().map(|c| model.get(*c)));
        }
        let sql = statement_text(
            backend,
            &table,
            key.as_str(),
            guard.as_ref().map(|g| g.column.as_str()),
            &columns.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            rows.len(),
        );
        let result = db
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        written += result.rows_affected();
    }
    Ok(written)
}

/// The `UPDATE … FROM (VALUES …)` text for `rows` rows. Values are laid out per row as key,
/// then the guard's expected value when there is a guard, then `columns` in order.
///
/// A bulk write repeats the same few shapes (a full batch, the last partial one), and the text
/// of a full batch runs to hundreds of kilobytes, so each shape is built once and kept.
fn statement_text(
    backend: DbBackend,
    table: &str,
    key: &str,
    guard: Option<&str>,
    columns: &[&str],
    rows: usize,
) -> String {
    // The backend goes in as a flag: `DbBackend` is not hashable.
    type Shape = (bool, String, usize);
    static BUILT: OnceLock<Mutex<HashMap<Shape, String>>> = OnceLock::new();
    /// Shapes kept at most (a full batch's text is up to about half a megabyte); a workload
    /// with more starts over rather than growing.
    const KEPT: usize = 16;
    let shape = (
        backend == DbBackend::Postgres,
        format!(
            "{table}|{key}|{}|{}",
            guard.unwrap_or(""),
            columns.join(",")
        ),
        rows,
    );
    let built = BUILT.get_or_init(Mutex::default);
    if let Some(text) = built.lock().ok().and_then(|m| m.get(&shape).cloned()) {
        return text;
    }
    let text = build_statement_text(backend, table, key, guard, columns, rows);
    if let Ok(mut map) = built.lock() {
        if map.len() >= KEPT {
            map.clear();
        }
        map.insert(shape, text.clone());
    }
    text
}

fn build_statement_text(
    backend: DbBackend,
    table: &str,
    key: &str,
    guard: Option<&str>,
    columns: &[&str],
    rows: usize,
) -> String {
    let first_column = if guard.is_some() { 3 } else { 2 };
    let per_row = columns.len() + first_column - 1;
    let assignments: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("\"{c}\" = v.column{}", i + first_column))
        .collect();
    let mut sql = format!(
        "UPDATE \"{table}\" SET {} FROM (VALUES ",
        assignments.join(", ")
    );
    sql.reserve(rows * per_row * 8);
    let mut parameter = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for cell in 0..per_row {
            if cell > 0 {
                sql.push_str(", ");
            }
            parameter += 1;
            match backend {
                DbBackend::Postgres => {
                    let _ = write!(sql, "${parameter}");
                }
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    let _ = write!(sql, ") AS v WHERE \"{table}\".\"{key}\" = v.column1");
    if let Some(guard) = guard {
        let _ = write!(sql, " AND \"{table}\".\"{guard}\" = v.column2");
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_names_values_columns_in_row_order() {
        let sql = statement_text(
            DbBackend::Postgres,
            "t",
            "id",
            Some("version"),
            &["a", "b"],
            2,
        );
        assert_eq!(
            sql,
            "UPDATE \"t\" SET \"a\" = v.column3, \"b\" = v.column4 FROM (VALUES ($1, $2, $3, $4), \
             ($5, $6, $7, $8)) AS v WHERE \"t\".\"id\" = v.column1 AND \"t\".\"version\" = v.column2"
        );
    }

    #[test]
    fn a_kept_statement_is_the_one_built_for_its_shape() {
        let built = build_statement_text(DbBackend::Postgres, "t", "id", None, &["a"], 3);
        for _ in 0..2 {
            let kept = statement_text(DbBackend::Postgres, "t", "id", None, &["a"], 3);
            assert_eq!(kept, built);
        }
        let other = statement_text(DbBackend::Sqlite, "t", "id", None, &["a"], 3);
        assert!(other.contains("(?, ?)") && !other.contains('$'));
    }

    #[test]
    fn sqlite_statement_uses_positional_placeholders_without_guard() {
        let sql = statement_text(DbBackend::Sqlite, "t", "id", None, &["a"], 2);
        assert_eq!(
            sql,
            "UPDATE \"t\" SET \"a\" = v.column2 FROM (VALUES (?, ?), (?, ?)) AS v \
             WHERE \"t\".\"id\" = v.column1"
        );
    }
}
