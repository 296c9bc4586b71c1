//! The CLI's output when its reader stops early, as `clientele schema | head -1` does.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod binary;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let dir = binary::workdir();
    let mut child = binary::command(&dir)
        .arg("schema")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clientele schema");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("first line");
    // The schemas are larger than the pipe holds, so the rest is still being written.
    drop(stdout);
    let output = child.wait_with_output().expect("exit");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(first, "# Storefront endpoint: /graphql\n");
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(stderr.is_empty(), "{stderr}");
}
