//! Where the archive lives: a data folder with an SQLite file, or a database URL.

use anyhow::Context;
use std::path::PathBuf;
use tome_store::Store;

pub struct Location {
    pub data: PathBuf,
    pub database_url: Option<String>,
}

impl Location {
    /// Opens (creating on first use) the archive's database and applies migrations.
    pub async fn open(&self) -> anyhow::Result<Store> {
        match &self.database_url {
            Some(url) => Store::open(url)
                .await
                .with_context(|| format!("cannot open the database at {}", redact(url))),
            None => Store::open_data_dir(&self.data)
                .await
                .with_context(|| format!("cannot open the archive in {}", self.data.display())),
        }
    }
}

/// Hides a password in a database URL before it is shown.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
