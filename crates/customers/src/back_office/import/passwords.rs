//! A Customers Main File's `password` column, hashed before its job writes anything: the hashes
//! are kept by line (`clientele-imports` stores them), and the import's transaction reads them
//! back instead of hashing while it holds the database's writer. The passwords are still checked
//! against the website's rules row by row when the file is applied, so a refused password is
//! reported as before; a hash for a refused row is never used.

use clientele_imports::columns::Columns;
use clientele_imports::parse::ParsedFile;
use clientele_imports::{
    Claimed, ImportBehavior, ImportControl, ImportEntity, hashed_through, store_password_hashes,
};
use clientele_kernel::{Error, Result};
use futures_util::{StreamExt, stream};

use super::Applied;
use crate::back_office::BackOffice;

/// The column of plain-text passwords.
pub(crate) const COLUMN: &str = "password";

/// How long a hash waits when the hashing queue is full.
const QUEUE_FULL_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

impl BackOffice {
    /// Hashes the passwords of a claimed job's file not hashed by an earlier run, and stores them;
    /// `Some` when the run was cancelled or stopped meanwhile. The file is read once more
    /// afterwards to be applied, and `rows_done` counts the rows hashed until then.
    pub(crate) async fn hash_job_passwords(
        &self,
        claimed: &Claimed,
        control: &ImportControl,
    ) -> Result<Option<Applied>> {
        // A file of deletes sets no password.
        if claimed.options.entity != ImportEntity::Customers
            || claimed.options.behavior == ImportBehavior::Delete
        {
            return Ok(None);
        }
        let mut file = ParsedFile::read(self.jobs.staged_file(claimed)).await?;
        let columns = Columns::checked_before(&file.headers);
        if !columns.has(COLUMN) {
            return Ok(None);
        }
        let db = &self.shared.db;
        let done = hashed_through(db, &claimed.fence).await?;
        // Half the hashing threads at most, so sign-ins keep the other half meanwhile.
        let in_flight = std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1));
        let mut read = 0;
        while let Some(batch) = file.next_batch().await? {
            read += batch.len() as u64;
            let passwords: Vec<(u64, String)> = batch
                .into_iter()
                .filter(|(line, _)| *line > done)
                .filter_map(|(line, record)| {
                    let password = columns.text(record.as_ref().ok()?, COLUMN)?;
                    Some((line, password.to_owned()))
                })
                .collect();
            let hashes: Vec<(u64, String)> = stream::iter(passwords)
                .map(|(line, password)| async move {
                    Ok::<_, Error>((line, self.hash_patiently(&password).await?))
                })
                .buffer_unordered(in_flight)
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .collect::<Result<_>>()?;
            store_password_hashes(db, &claimed.fence, hashes).await?;
            control.read(read);
            if control.is_stopped() {
                return Ok(Some(Applied::Stopped));
            }
            if control.is_cancelled() {
                return Ok(Some(Applied::Cancelled));
            }
        }
        Ok(None)
    }

    /// Hashes `password`, waiting for room while sign-ins fill the hashing queue (an import can
    /// wait; a shopper should not).
    async fn hash_patiently(&self, password: &str) -> Result<String> {
        loop {
            match self.shared.hasher.hash(password).await {
                Err(Error::RateLimited(_)) => tokio::time::sleep(QUEUE_FULL_PAUSE).await,
                done => return done,
            }
        }
    }
}
