//! Rules of the code base that no compiler checks, read off the sources.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The part of a source file that is not test code: unit-test modules close their files, so
/// everything from the first `#[cfg(test)]` on is left out, as are whole `tests.rs` files.
fn production_part(path: &Path, source: &str) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    match source.find("#[cfg(test)]") {
        Some(at) => source[..at].to_owned(),
        None => source.to_owned(),
    }
}

#[test]
fn the_wall_clock_is_read_only_through_the_clock() {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    // The clock itself; and the name of a throwaway test database, which only has to be unique.
    let allowed = [
        root.join("crates/kernel/src/clock.rs"),
        root.join("crates/kernel/src/testing.rs"),
    ];
    let mut reads = Vec::new();
    for path in files {
        let in_src = path.components().any(|c| c.as_os_str() == "src");
        if !in_src || allowed.contains(&path) {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("source");
        for (n, line) in production_part(&path, &source).lines().enumerate() {
            if ["Utc::now()", "SystemTime::now()", "Local::now()"]
                .iter()
                .any(|read| line.contains(read))
            {
                reads.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        reads.is_empty(),
        "read the time from the Clock instead:\n{}",
        reads.join("\n")
    );
}
