//! The passwords a job keeps between hashing and writing, on both databases.

use std::sync::Arc;

use clientele_kernel::testing::for_each_database;
use clientele_kernel::{Clock, Result};
use migration::{Migrator, MigratorTrait};

use crate::{
    Claimed, HeaderCheck, ImportBehavior, ImportEntity, ImportJobs, ImportOptions,
    ValidationStrategy, hashed_through, password_hashes, store_password_hashes,
};

struct AnyHeader;

#[async_trait::async_trait]
impl HeaderCheck for AnyHeader {
    async fn check(&self, _: &[String], _: &ImportOptions) -> Result<()> {
        Ok(())
    }
}

/// A job staged and claimed on `jobs`.
async fn claimed(jobs: &ImportJobs) -> Claimed {
    let options = ImportOptions {
        entity: ImportEntity::Customers,
        behavior: ImportBehavior::AddUpdate,
        strategy: ValidationStrategy::StopOnError,
        allowed_errors: 0,
        dry_run: false,
        websites: None,
    };
    let mut upload = jobs
        .begin_upload(&options, "test", Arc::new(AnyHeader))
        .await
        .expect("upload");
    upload
        .write(b"email,password\na@example.com,x\n")
        .await
        .expect("write");
    upload.claim().await.expect("claim")
}

#[tokio::test]
async fn a_jobs_hashes_are_kept_by_line_first_one_wins_while_its_run_holds_it() {
    for_each_database(|db| async move {
        Migrator::up(&db, None).await.expect("migrate");
        let jobs = ImportJobs::new(db.clone(), Clock::system());
        let job = claimed(&jobs).await;
        let other = claimed(&jobs).await;
        assert_eq!(hashed_through(&db, &job.fence).await.expect("read"), 0);

        let stored = |pairs: &[(u64, &str)]| {
            pairs
                .iter()
                .map(|(line, hash)| (*line, (*hash).to_owned()))
                .collect::<Vec<_>>()
        };
        store_password_hashes(&db, &job.fence, stored(&[(2, "two"), (5, "five")]))
            .await
            .expect("store");
        // A run that took the job over stores a line again: the first hash stays.
        store_password_hashes(&db, &job.fence, stored(&[(5, "again"), (9, "nine")]))
            .await
            .expect("store again");
        store_password_hashes(&db, &other.fence, stored(&[(3, "elsewhere")]))
            .await
            .expect("another job");

        assert_eq!(hashed_through(&db, &job.fence).await.expect("read"), 9);
        let found = password_hashes(&db, &job.fence, 2..=5).await.expect("read");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[&2], "two");
        assert_eq!(found[&5], "five");

        jobs.end(&job, crate::RunEnd::Cancelled, 0)
            .await
            .expect("end");
        assert_eq!(hashed_through(&db, &job.fence).await.expect("read"), 0);
        // A run that no longer holds the job (it ended meanwhile) leaves nothing behind.
        store_password_hashes(&db, &job.fence, stored(&[(12, "late")]))
            .await
            .expect("store late");
        assert_eq!(hashed_through(&db, &job.fence).await.expect("read"), 0);
        assert_eq!(hashed_through(&db, &other.fence).await.expect("read"), 3);
    })
    .await;
}
