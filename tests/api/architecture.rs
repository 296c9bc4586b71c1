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

/// The part of a source file that is not test code: an inline test module (`#[cfg(test)]` over
/// a `mod … {`) closes its file, so everything from it on is left out, as are whole `tests.rs`
/// files.
fn production_part(path: &Path, source: &str) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let inline_test_module = source
        .match_indices("#[cfg(test)]\n")
        .find(|(at, attribute)| {
            let next = source[at + attribute.len()..]
                .lines()
                .next()
                .unwrap_or_default();
            next.contains("mod ") && next.trim_end().ends_with('{')
        });
    match inline_test_module {
        Some((at, _)) => source[..at].to_owned(),
        None => source.to_owned(),
    }
}

/// The production part of every source file in a `src` folder under `dir` (benches and
/// integration tests are left out; only the part of the path inside `dir` is looked at).
fn production_sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    files
        .into_iter()
        .filter(|path| {
            path.strip_prefix(dir)
                .is_ok_and(|inside| inside.components().any(|c| c.as_os_str() == "src"))
        })
        .map(|path| {
            let source = std::fs::read_to_string(&path).expect("source");
            let production = production_part(&path, &source);
            (path, production)
        })
        .collect()
}

#[test]
fn the_wall_clock_is_read_only_through_the_clock() {
    let root = root();
    // The clock itself; and the name of a throwaway test database, which only has to be unique.
    let allowed = [
        root.join("crates/kernel/src/clock.rs"),
        root.join("crates/kernel/src/testing.rs"),
    ];
    let mut reads = Vec::new();
    for (path, production) in production_sources(&root.join("crates")) {
        if allowed.contains(&path) {
            continue;
        }
        for (n, line) in production.lines().enumerate() {
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

#[test]
fn options_are_named_by_their_typed_keys_outside_the_configuration_crate() {
    let root = root();
    let configuration = root.join("crates/configuration");
    let mut literals = Vec::new();
    for (path, production) in production_sources(&root.join("crates")) {
        if path.starts_with(&configuration) {
            continue;
        }
        for option in clientele_configuration::options() {
            if production.contains(&format!("\"{}\"", option.path)) {
                literals.push(format!("{}: {}", path.display(), option.path));
            }
        }
    }
    assert!(
        literals.is_empty(),
        "name these options by their keys (clientele_configuration::keys):\n{}",
        literals.join("\n")
    );
}

/// The string literals of Rust source, roughly (enough for SQL text).
fn string_literals(source: &str) -> Vec<&str> {
    let mut literals = Vec::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i + 1;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            literals.push(&source[start..i.min(source.len())]);
        }
        i += 1;
    }
    literals
}

/// The tables the entities of the crate at `dir` declare.
fn declared_tables(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&dir.join("src"), &mut files);
    let mut tables = Vec::new();
    for path in files {
        let source = std::fs::read_to_string(&path).expect("source");
        for line in source.lines() {
            if let Some(rest) = line.trim().strip_prefix("#[sea_orm(table_name = \"") {
                tables.extend(rest.split('"').next().map(str::to_owned));
            }
        }
    }
    tables
}

#[test]
fn no_crate_names_another_crates_table_in_sql() {
    let root = root();
    let crates: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("crates")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").exists())
        .collect();
    let owners: Vec<(PathBuf, Vec<String>)> = crates
        .iter()
        .map(|dir| (dir.clone(), declared_tables(dir)))
        .collect();
    assert!(
        owners.iter().map(|(_, t)| t.len()).sum::<usize>() > 30,
        "the entities' tables were found"
    );
    const SQL: [&str; 7] = [
        "SELECT", "FROM", "JOIN", "UPDATE", "INSERT", "DELETE", "TABLE",
    ];
    let mut trespasses = Vec::new();
    for dir in &crates {
        for (path, production) in production_sources(dir) {
            for literal in string_literals(&production) {
                // SQL keywords are written in capitals here, which tells SQL from prose.
                if !SQL
                    .iter()
                    .any(|k| literal.split_whitespace().any(|w| w == *k))
                {
                    continue;
                }
                let words: Vec<&str> = literal
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .collect();
                for (owner, tables) in &owners {
                    if owner == dir {
                        continue;
                    }
                    for table in tables.iter().filter(|t| words.contains(&t.as_str())) {
                        trespasses.push(format!(
                            "{} names {table}, a table of {}",
                            path.display(),
                            owner.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        trespasses.is_empty(),
        "call the owning crate's service instead:\n{}",
        trespasses.join("\n")
    );
}

/// Lines of production code a domain crate may hold before its sub-domains get crates of their
/// own: past this, a crate's rules are no longer easy to find.
const MAX_DOMAIN_CRATE_LINES: usize = 7_000;

#[test]
fn no_domain_crate_outgrows_its_sub_domains() {
    let root = root();
    let mut measured = 0;
    let mut oversized = Vec::new();
    for entry in std::fs::read_dir(root.join("crates"))
        .expect("crates")
        .flatten()
    {
        let dir = entry.path();
        // The gateway is the wiring of every domain, not a domain.
        if !dir.join("Cargo.toml").exists() || dir.ends_with("gateway") {
            continue;
        }
        measured += 1;
        let lines: usize = production_sources(&dir)
            .iter()
            .map(|(_, production)| production.lines().count())
            .sum();
        if lines > MAX_DOMAIN_CRATE_LINES {
            oversized.push(format!("{}: {lines} lines", dir.display()));
        }
    }
    assert!(measured > 10, "the domain crates were found");
    assert!(
        oversized.is_empty(),
        "split these crates by sub-domain (at most {MAX_DOMAIN_CRATE_LINES} lines each):\n{}",
        oversized.join("\n")
    );
}
