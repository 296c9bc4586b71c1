//! Reading an import file on a thread of its own: CSV parsing is CPU work, and a staged file is
//! read from the database chunk by chunk with blocking calls. Batches of records reach the
//! import through a channel of two, so memory stays flat whatever the file's size.

use std::io::Read;

use clientele_kernel::{Error, Result};
use tokio::sync::{mpsc, oneshot};

use crate::model::BATCH;

/// A batch of records, by line, as the import reads them.
pub type Records = Vec<(u64, csv::Result<csv::StringRecord>)>;

/// What the reading thread sends.
pub enum Parsed {
    /// The next records.
    Rows(Records),
    /// The file ended; every record was sent.
    End,
    /// The file could not be read to its end (the database, not the file, failed).
    Failed(Error),
}

/// A file being read: its header, and its records as they come.
pub struct ParsedFile {
    /// The column names, trimmed, without a byte-order mark.
    pub headers: Vec<String>,
    /// The records, in order; closing it stops the reading thread.
    pub rows: mpsc::Receiver<Parsed>,
}

impl ParsedFile {
    /// Starts reading `reader` on a blocking thread and waits for its header.
    pub async fn read(reader: Box<dyn Read + Send>) -> Result<Self> {
        let (header_tx, header_rx) = oneshot::channel();
        let (rows_tx, rows) = mpsc::channel(2);
        tokio::task::spawn_blocking(move || read_file(reader, header_tx, rows_tx));
        let headers = header_rx.await.map_err(|_| {
            Error::Internal(anyhow::anyhow!("the import's reader stopped at the header"))
        })??;
        refuse_empty_header(&headers)?;
        Ok(Self { headers, rows })
    }
}

impl ParsedFile {
    /// The next batch of records, or `None` once the file was read to its end. A reader that
    /// stopped without saying so (its thread panicked) is an error: what was read so far is only
    /// part of the file.
    pub async fn next_batch(&mut self) -> Result<Option<Records>> {
        match self.rows.recv().await {
            Some(Parsed::Rows(batch)) => Ok(Some(batch)),
            Some(Parsed::End) => Ok(None),
            Some(Parsed::Failed(error)) => Err(error),
            None => Err(Error::Internal(anyhow::anyhow!(
                "the import's reader stopped before the end of the file"
            ))),
        }
    }
}

/// Refuses a header without a name: an empty body (a client that retried without resending its
/// file, say) would otherwise read as a header missing every required column.
pub fn refuse_empty_header(headers: &[String]) -> Result<()> {
    if headers.iter().all(String::is_empty) {
        return Err(Error::invalid(
            "file",
            "The file is empty: it has no header row.",
        ));
    }
    Ok(())
}

/// A header's column names as the import uses them: trimmed, without a byte-order mark.
pub fn column_names(header: &csv::StringRecord) -> Vec<String> {
    header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect()
}

fn read_file(
    reader: Box<dyn Read + Send>,
    header_tx: oneshot::Sender<Result<Vec<String>>>,
    rows_tx: mpsc::Sender<Parsed>,
) {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::None)
        .from_reader(reader);
    let headers = match csv.headers() {
        Ok(headers) => Ok(column_names(headers)),
        Err(e) if e.is_io_error() => Err(unreadable(&e)),
        Err(e) => Err(Error::invalid(
            "file",
            format!("The file is not valid CSV: {e}"),
        )),
    };
    let header_read = headers.is_ok();
    if header_tx.send(headers).is_err() || !header_read {
        return;
    }
    let mut batch = Vec::with_capacity(BATCH);
    let mut line = 1_u64;
    for record in csv.into_records() {
        line += 1;
        if let Err(e) = &record
            && e.is_io_error()
        {
            let _ = rows_tx.blocking_send(Parsed::Failed(unreadable(e)));
            return;
        }
        batch.push((line, record));
        if batch.len() >= BATCH
            && rows_tx
                .blocking_send(Parsed::Rows(std::mem::take(&mut batch)))
                .is_err()
        {
            // The import stopped listening (cancelled, or too many errors).
            return;
        }
    }
    if !batch.is_empty() && rows_tx.blocking_send(Parsed::Rows(batch)).is_err() {
        return;
    }
    let _ = rows_tx.blocking_send(Parsed::End);
}

/// A read failure of the source itself (a staged file's chunk not loaded), never the file's
/// fault: the import stops and writes nothing.
fn unreadable(error: &csv::Error) -> Error {
    tracing::error!(%error, "an import file could not be read");
    Error::Unavailable
}
