//! Passwords of a job's file, hashed before the job writes anything and kept by line until the
//! job ends. Hashing a password costs tens of milliseconds; done row by row inside the import's
//! transaction it would hold SQLite's only writer (and PostgreSQL's row locks) for the whole time.
//! Each batch of hashes is stored in a short transaction of its own, so a job run again after its
//! node stopped hashes only the lines not yet stored.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use clientele_kernel::Result;
use clientele_kernel::db::begin_write;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};

use crate::entity::import_job;
use crate::entity::import_job_password_hash as hashed;
use crate::jobs::{Fence, held};

/// Hashes per insert statement: three values each, well under SQLite's bound.
const INSERT_CHUNK: usize = 1000;

/// The last line of the job's file whose password is stored (0 for none).
pub async fn hashed_through(db: &DatabaseConnection, fence: &Fence) -> Result<u64> {
    let last: Option<Option<i64>> = hashed::Entity::find()
        .select_only()
        .column_as(hashed::Column::Line.max(), "last")
        .filter(hashed::Column::JobId.eq(fence.id.clone()))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().map_or(0, |line| line.max(0) as u64))
}

/// Stores hashed passwords of the job's file by line, in a transaction of their own, while the
/// run still holds the job (a run that lost it stores nothing: the job may have ended, and its
/// hashes must go with it).
pub async fn store_password_hashes(
    db: &DatabaseConnection,
    fence: &Fence,
    hashes: Vec<(u64, String)>,
) -> Result<()> {
    if hashes.is_empty() {
        return Ok(());
    }
    let txn = begin_write(db).await?;
    // Taking the job's row lock orders this against the end of the job.
    let holds = import_job::Entity::find()
        .filter(held(fence))
        .lock_exclusive()
        .one(&txn)
        .await?
        .is_some();
    if !holds {
        return Ok(());
    }
    let mut rows = hashes.into_iter().map(|(line, hash)| hashed::ActiveModel {
        job_id: Set(fence.id.clone()),
        line: Set(line as i64),
        password_hash: Set(hash),
    });
    loop {
        let chunk: Vec<_> = rows.by_ref().take(INSERT_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        // A run taken over after its lease lapsed may store a line again: the first hash stays.
        hashed::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([hashed::Column::JobId, hashed::Column::Line])
                    .do_nothing()
                    .to_owned(),
            )
            .try_insert()
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The stored hashes of the job's lines in `lines`, read in the import's transaction.
pub async fn password_hashes(
    db: &impl ConnectionTrait,
    fence: &Fence,
    lines: RangeInclusive<u64>,
) -> Result<HashMap<u64, String>> {
    let found = hashed::Entity::find()
        .filter(hashed::Column::JobId.eq(fence.id.clone()))
        .filter(hashed::Column::Line.between(*lines.start() as i64, *lines.end() as i64))
        .all(db)
        .await?;
    Ok(found
        .into_iter()
        .map(|row| (row.line.max(0) as u64, row.password_hash))
        .collect())
}

/// Deletes the job's stored hashes.
pub(crate) async fn forget(db: &impl ConnectionTrait, job_id: &str) -> Result<()> {
    hashed::Entity::delete_many()
        .filter(hashed::Column::JobId.eq(job_id))
        .exec(db)
        .await?;
    Ok(())
}
