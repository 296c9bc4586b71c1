//! The import job worker every node runs (unless `import_jobs` is off): it takes the oldest
//! waiting job, one at a time, as soon as an upload on this node queues one or, for uploads
//! to other nodes and jobs whose node went away, at the next poll. On shutdown the job under
//! way is put back in the queue, for another node or the restart.

use std::time::Duration;

use tokio::sync::watch;

use crate::services::Services;

/// Runs jobs until `stopped` turns true.
pub(crate) async fn run(services: Services, poll: Duration, mut stopped: watch::Receiver<bool>) {
    let back_office = &services.back_office;
    loop {
        if *stopped.borrow() {
            return;
        }
        let next = back_office.run_next_import_job();
        tokio::pin!(next);
        let outcome = tokio::select! {
            outcome = &mut next => outcome,
            _ = stopped.changed() => {
                back_office.import_jobs().stop_all();
                next.await
            }
        };
        match outcome {
            // Another job may be waiting behind it.
            Ok(Some(_)) => continue,
            Ok(None) => {}
            Err(error) => tracing::warn!(?error, "import job pass failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(poll) => {}
            () = back_office.import_jobs().queued() => {}
            changed = stopped.changed() => if changed.is_err() {
                return;
            }
        }
    }
}
