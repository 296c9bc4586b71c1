//! Which key-encryption key seals the token signing keys: the operator's (`key_encryption_key`
//! or `key_encryption_key_file`, plus `previous_key_encryption_keys` while rotating), or, in the
//! development profile only, one generated on first start and kept in a file beside the SQLite
//! database (or in the working directory for PostgreSQL), readable by its owner alone.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clientele_sessions::{Kek, KeyWrapping};
use secrecy::ExposeSecret;

use crate::config::{Profile, Settings};

/// The file a development installation keeps its generated key-encryption key in.
const GENERATED_FILE: &str = "clientele.kek";

/// The key wrapping `settings` ask for.
pub(crate) fn key_wrapping(settings: &Settings) -> anyhow::Result<KeyWrapping> {
    let previous = settings
        .previous_key_encryption_keys
        .expose_secret()
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            Kek::from_base64(k).context(
                "invalid configuration: previous_key_encryption_keys (CLIENTELE_PREVIOUS_KEY_ENCRYPTION_KEYS)",
            )
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let current = if let Some(text) = &settings.key_encryption_key {
        Kek::from_base64(text.expose_secret())
            .context("invalid configuration: key_encryption_key (CLIENTELE_KEY_ENCRYPTION_KEY)")?
    } else if let Some(path) = &settings.key_encryption_key_file {
        read_kek(path)?
    } else if settings.profile == Profile::Production {
        bail!("invalid configuration: the production profile needs a key-encryption key");
    } else {
        match generated_kek_path(&settings.database_url) {
            Some(path) => development_kek(&path)?,
            // An in-memory database: its keys do not outlive the process either.
            None => Kek::generate()?,
        }
    };
    if settings.profile == Profile::Production && current.is_trivial() {
        bail!(
            "invalid configuration: the key-encryption key is a placeholder (every byte the same); generate one with `openssl rand -base64 32`"
        );
    }
    Ok(KeyWrapping::new(current, previous))
}

fn read_kek(path: &Path) -> anyhow::Result<Kek> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read key_encryption_key_file (CLIENTELE_KEY_ENCRYPTION_KEY_FILE) {}",
            path.display()
        )
    })?;
    Kek::from_base64(&text).with_context(|| {
        format!(
            "invalid configuration: key_encryption_key_file {} does not hold a key",
            path.display()
        )
    })
}

/// Where a development installation keeps its generated KEK: beside the SQLite file, or in the
/// working directory for PostgreSQL; `None` for an in-memory database.
fn generated_kek_path(database_url: &str) -> Option<PathBuf> {
    let Some(rest) = database_url.strip_prefix("sqlite:") else {
        return Some(PathBuf::from(GENERATED_FILE));
    };
    let file = rest
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or("");
    if file.is_empty() || file.contains(":memory:") || file.starts_with("file::memory") {
        return None;
    }
    let dir = Path::new(file)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Some(dir.join(GENERATED_FILE))
}

/// Reads the generated KEK, or generates it on first start. The file appears whole or not at
/// all (written aside, then linked into place), so a second process starting at the same moment
/// reads the same key; it is readable by its owner alone.
fn development_kek(path: &Path) -> anyhow::Result<Kek> {
    if path.exists() {
        return read_kek(path);
    }
    let kek = Kek::generate()?;
    let aside = path.with_extension(format!("kek.{}", uuid::Uuid::new_v4().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    {
        use std::io::Write;
        let mut file = options
            .open(&aside)
            .with_context(|| format!("cannot create {}", aside.display()))?;
        file.write_all(kek.to_base64().as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", aside.display()))?;
    }
    let linked = std::fs::hard_link(&aside, path);
    let _ = std::fs::remove_file(&aside);
    match linked {
        Ok(()) => {
            tracing::warn!(
                path = %path.display(),
                "generated a key-encryption key for the signing keys; keep the file with the database, and set key_encryption_key in production"
            );
            Ok(kek)
        }
        // Another process of this installation put its key there first.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => read_kek(path),
        Err(err) => Err(err).with_context(|| format!("cannot create {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_kek_lives_beside_the_sqlite_file() {
        assert_eq!(
            generated_kek_path("sqlite://var/data/c.db?mode=rwc"),
            Some(PathBuf::from("var/data/clientele.kek"))
        );
        assert_eq!(
            generated_kek_path("sqlite://c.db"),
            Some(PathBuf::from("./clientele.kek"))
        );
        assert_eq!(generated_kek_path("sqlite::memory:"), None);
        assert_eq!(
            generated_kek_path("postgres://db/c"),
            Some(PathBuf::from("clientele.kek"))
        );
    }
}
