//! Runs import jobs (staged and queued by `clientele-imports`) with this crate's importers: a
//! claimed job's staged file is applied in one transaction that also marks the job done.

use std::sync::Arc;

use clientele_imports::{
    Claimed, HeaderCheck, ImportControl, ImportJob, ImportJobs, ImportOptions, ImportUpload, RunEnd,
};
use clientele_kernel::{Error, Result};

use super::Applied;
use crate::back_office::BackOffice;

#[async_trait::async_trait]
impl HeaderCheck for BackOffice {
    async fn check(&self, headers: &[String], options: &ImportOptions) -> Result<()> {
        self.check_header(headers, options).await
    }
}

impl BackOffice {
    /// The import jobs (staged uploads, the queue, progress, cancellation, history).
    pub fn import_jobs(&self) -> &ImportJobs {
        &self.jobs
    }

    /// Starts staging an upload for a job with `options`, on behalf of `created_by`; its header
    /// is checked as soon as it has arrived.
    pub async fn begin_upload(
        &self,
        options: &ImportOptions,
        created_by: &str,
    ) -> Result<ImportUpload> {
        self.jobs
            .begin_upload(options, created_by, Arc::new(self.clone()))
            .await
    }

    /// Claims the oldest waiting job, if any, and runs it here.
    pub async fn run_next_import_job(&self) -> Result<Option<ImportJob>> {
        match self.jobs.claim_next().await? {
            Some(claimed) => self
                .run_claimed(&claimed, &ImportControl::default())
                .await
                .map(Some),
            None => Ok(None),
        }
    }

    /// Stages the rest of `upload` and runs its job here and now, `control` following it (the
    /// CLI, which shows its progress and cancels it on Ctrl-C).
    pub async fn run_upload_here(
        &self,
        upload: ImportUpload,
        control: &ImportControl,
    ) -> Result<ImportJob> {
        let claimed = upload.claim().await?;
        self.run_claimed(&claimed, control).await
    }

    async fn run_claimed(&self, claimed: &Claimed, control: &ImportControl) -> Result<ImportJob> {
        tracing::info!(job = %claimed.id, entity = claimed.options.entity.name(), "import job claimed");
        let following = self.jobs.follow(claimed, control);
        let outcome = match self.hash_job_passwords(claimed, control).await {
            Ok(None) => {
                self.apply_file(
                    self.jobs.staged_file(claimed),
                    &claimed.options,
                    control,
                    Some(&claimed.fence),
                )
                .await
            }
            ended => ended.map(|stopped| stopped.unwrap_or(Applied::Stopped)),
        };
        drop(following);
        let ended = match outcome {
            Ok(Applied::Finished(report)) if report.committed => RunEnd::Applied,
            Ok(Applied::Finished(report)) => RunEnd::Read(report),
            Ok(Applied::Cancelled) => RunEnd::Cancelled,
            Ok(Applied::Stopped) => RunEnd::Stopped,
            Err(Error::Invalid { message, .. }) => RunEnd::Failed(message),
            // The database went away: the job stays claimed, and is run again once its lease
            // runs out.
            Err(Error::Unavailable) => return Err(Error::Unavailable),
            Err(error) => {
                tracing::error!(?error, job = %claimed.id, "import job failed");
                RunEnd::Failed(
                    "The import failed on an internal error; nothing was written.".to_owned(),
                )
            }
        };
        let job = self.jobs.end(claimed, ended, control.rows_read()).await?;
        let report = job.report.as_ref();
        tracing::info!(
            job = %job.id,
            attempt = job.attempt,
            state = job.state.name(),
            rows = job.rows_done,
            created = report.map_or(0, |r| r.created),
            updated = report.map_or(0, |r| r.updated),
            deleted = report.map_or(0, |r| r.deleted),
            errors = report.map_or(0, |r| r.error_count),
            "import job ended"
        );
        Ok(job)
    }
}
