//! Writing many changed rows back in a few statements instead of one per row.
//!
//! `UPDATE t SET … FROM (VALUES …) AS v WHERE t.key = v.column1` is understood by both SQLite
//! (3.33 and later) and PostgreSQL, and the columns of a `VALUES` list are named `column1`,
//! `column2`, … on both, so one statement shape serves both backends.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Mutex, OnceLock};

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, IntoActiveModel,
    Iterable, ModelTrait, PrimaryKeyTrait, Statement, Value,
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

/// Writes every column of each model but the `keys` to the row with the model's keys, in as few
/// statements as the parameter limits allow. Returns how many rows were written; a row whose
/// key is gone, or whose guard no longer holds, is not written and not counted. The keys are
/// never written: on Citus they include the column a table is spread by, which cannot change.
pub async fn update_models<E>(
    db: &impl ConnectionTrait,
    keys: &[E::Column],
    guard: Option<Guard<E>>,
    models: &[E::Model],
) -> Result<u64, DbErr>
where
    E: EntityTrait,
{
    debug_assert!(
        !keys.is_empty(),
        "update_models needs a key to match rows by"
    );
    if models.is_empty() {
        return Ok(0);
    }
    let backend = db.get_database_backend();
    let columns: Vec<E::Column> = E::Column::iter()
        .filter(|c| !keys.iter().any(|k| k.as_str() == c.as_str()))
        .collect();
    let per_row = columns.len() + keys.len() + usize::from(guard.is_some());
    let chunk = (max_parameters(backend) / per_row).max(1);
    let table = E::default().table_name().to_owned();
    let mut written = 0;
    for rows in models.chunks(chunk) {
        let mut values = Vec::with_capacity(rows.len() * per_row);
        for model in rows {
            values.extend(keys.iter().map(|k| model.get(*k)));
            if let Some(guard) = &guard {
                values.push((guard.expected)(model));
            }
            values.extend(columns.iter().map(|c| model.get(*c)));
        }
        let sql = statement_text(
            backend,
            &table,
            &keys.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
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

/// Inserts `rows` in statements of at most `chunk` rows each, in their order.
pub async fn insert_in_chunks<A>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
    chunk: usize,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let statement: Vec<A> = rows.by_ref().take(chunk.max(1)).collect();
        A::Entity::insert_many(statement)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Inserts `rows` in statements of at most `chunk` rows and returns the id each row got, in the
/// order of `rows`. On PostgreSQL the ids are drawn from the table's sequence first and written
/// with the rows: Citus returns a multi-row insert's rows grouped by shard, not in the order of
/// its values. SQLite, one node, inserts in the order of the values and returns the keys so.
pub async fn insert_numbered<E, A>(
    db: &impl ConnectionTrait,
    id: E::Column,
    rows: &[A],
    chunk: usize,
) -> Result<Vec<i32>, DbErr>
where
    E: EntityTrait,
    E::PrimaryKey: PrimaryKeyTrait<ValueType = i32>,
    E::Model: IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = E> + Clone + Send,
{
    let mut ids = Vec::with_capacity(rows.len());
    if rows.is_empty() {
        return Ok(ids);
    }
    if db.get_database_backend() != DbBackend::Postgres {
        for rows in rows.chunks(chunk.max(1)) {
            ids.extend(
                E::insert_many(rows.to_vec())
                    .exec_with_returning_keys(db)
                    .await?,
            );
        }
        return Ok(ids);
    }
    let table = E::default().table_name().to_owned();
    let drawn = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT nextval(pg_get_serial_sequence($1, $2))::int4 AS id \
             FROM generate_series(1, $3)",
            [
                table.clone().into(),
                id.as_str().into(),
                i32::try_from(rows.len()).unwrap_or(i32::MAX).into(),
            ],
        ))
        .await?;
    for row in drawn {
        ids.push(row.try_get::<i32>("", "id")?);
    }
    if ids.len() != rows.len() {
        return Err(DbErr::Custom(format!(
            "{table}: drew {} ids for {} rows",
            ids.len(),
            rows.len()
        )));
    }
    for (rows, ids) in rows.chunks(chunk.max(1)).zip(ids.chunks(chunk.max(1))) {
        let numbered = rows.iter().zip(ids).map(|(row, value)| {
            let mut row = row.clone();
            row.set(id, (*value).into());
            row
        });
        E::insert_many(numbered).exec_without_returning(db).await?;
    }
    Ok(ids)
}

/// The `UPDATE … FROM (VALUES …)` text for `rows` rows. Values are laid out per row as the keys,
/// then the guard's expected value when there is a guard, then `columns` in order.
///
/// A bulk write repeats the same few shapes (a full batch, the last partial one), and the text
/// of a full batch runs to hundreds of kilobytes, so each shape is built once and kept.
fn statement_text(
    backend: DbBackend,
    table: &str,
    keys: &[&str],
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
            "{table}|{}|{}|{}",
            keys.join(","),
            guard.unwrap_or(""),
            columns.join(",")
        ),
        rows,
    );
    let built = BUILT.get_or_init(Mutex::default);
    if let Some(text) = built.lock().ok().and_then(|m| m.get(&shape).cloned()) {
        return text;
    }
    let text = build_statement_text(backend, table, keys, guard, columns, rows);
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
    keys: &[&str],
    guard: Option<&str>,
    columns: &[&str],
    rows: usize,
) -> String {
    let first_column = keys.len() + usize::from(guard.is_some()) + 1;
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
    sql.push_str(") AS v WHERE ");
    for (i, key) in keys.iter().enumerate() {
        if i > 0 {
            sql.push_str(" AND ");
        }
        let _ = write!(sql, "\"{table}\".\"{key}\" = v.column{}", i + 1);
    }
    if let Some(guard) = guard {
        let _ = write!(
            sql,
            " AND \"{table}\".\"{guard}\" = v.column{}",
            keys.len() + 1
        );
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
            &["id"],
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
    fn every_key_is_matched_and_none_is_written() {
        let sql = build_statement_text(
            DbBackend::Sqlite,
            "t",
            &["owner", "id"],
            Some("version"),
            &["a"],
            1,
        );
        assert_eq!(
            sql,
            "UPDATE \"t\" SET \"a\" = v.column4 FROM (VALUES (?, ?, ?, ?)) AS v \
             WHERE \"t\".\"owner\" = v.column1 AND \"t\".\"id\" = v.column2 \
             AND \"t\".\"version\" = v.column3"
        );
    }

    #[test]
    fn a_kept_statement_is_the_one_built_for_its_shape() {
        let built = build_statement_text(DbBackend::Postgres, "t", &["id"], None, &["a"], 3);
        for _ in 0..2 {
            let kept = statement_text(DbBackend::Postgres, "t", &["id"], None, &["a"], 3);
            assert_eq!(kept, built);
        }
        let other = statement_text(DbBackend::Sqlite, "t", &["id"], None, &["a"], 3);
        assert!(other.contains("(?, ?)") && !other.contains('$'));
    }

    #[test]
    fn sqlite_statement_uses_positional_placeholders_without_guard() {
        let sql = statement_text(DbBackend::Sqlite, "t", &["id"], None, &["a"], 2);
        assert_eq!(
            sql,
            "UPDATE \"t\" SET \"a\" = v.column2 FROM (VALUES (?, ?), (?, ?)) AS v \
             WHERE \"t\".\"id\" = v.column1"
        );
    }
}
