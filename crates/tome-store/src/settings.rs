//! Archive-wide settings, kept by name in the `settings` table so every node reads the
//! same ones: the archive's name, open or invite-only sign-up, guest comments, and the
//! server secret (made on first use).

use serde::Serialize;

use crate::{Result, Store};

/// Names of the stored settings.
pub mod keys {
    pub const ARCHIVE_NAME: &str = "archive_name";
    pub const INVITE_ONLY: &str = "invite_only";
    pub const GUEST_COMMENTS: &str = "guest_comments";
    pub const SERVER_SECRET: &str = "server_secret";
}

/// What an admin sets on `/admin/settings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArchiveSettings {
    /// Shown in the header instead of the name given on the command line, when set.
    pub archive_name: Option<String>,
    /// Sign-up needs an invitation code.
    pub invite_only: bool,
    /// Guests may comment (off by default).
    pub guest_comments: bool,
}

impl Store {
    /// A stored setting.
    pub async fn setting(&self, name: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
                .bind(name)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Stores a setting, replacing any value it had.
    pub async fn set_setting(&self, name: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(value)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The setting's value, storing `value` first when it has none. Concurrent callers
    /// (several nodes starting at once) all get the one value that was stored first.
    pub async fn setting_or_insert(&self, name: &str, value: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(value)
        .execute(self.pool())
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
                .bind(name)
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Deletes the settings named `PREFIX<n>` with a number `n` below `below` (day keys
    /// that have served their time). Only names of that shape are touched.
    pub async fn delete_settings_with_prefix_before(
        &self,
        prefix: &str,
        below: i64,
    ) -> Result<u64> {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT name FROM settings WHERE substr(name, 1, length($1)) = $1")
                .bind(prefix)
                .fetch_all(self.pool())
                .await?;
        let mut gone = 0;
        for name in names {
            let old = name
                .get(prefix.len()..)
                .and_then(|n| n.parse::<i64>().ok())
                .is_some_and(|n| n < below);
            if old {
                gone += sqlx::query("DELETE FROM settings WHERE name = $1")
                    .bind(&name)
                    .execute(self.pool())
                    .await?
                    .rows_affected();
            }
        }
        Ok(gone)
    }

    /// The archive's settings (defaults for what was never set).
    pub async fn archive_settings(&self) -> Result<ArchiveSettings> {
        let flag = |v: Option<String>| v.is_some_and(|v| v == "1" || v == "true");
        Ok(ArchiveSettings {
            archive_name: self
                .setting(keys::ARCHIVE_NAME)
                .await?
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
            invite_only: flag(self.setting(keys::INVITE_ONLY).await?),
            guest_comments: flag(self.setting(keys::GUEST_COMMENTS).await?),
        })
    }

    /// Stores the archive's settings.
    pub async fn save_archive_settings(&self, s: &ArchiveSettings) -> Result<()> {
        let bit = |b: bool| if b { "1" } else { "0" };
        self.set_setting(
            keys::ARCHIVE_NAME,
            s.archive_name.as_deref().map(str::trim).unwrap_or(""),
        )
        .await?;
        self.set_setting(keys::INVITE_ONLY, bit(s.invite_only))
            .await?;
        self.set_setting(keys::GUEST_COMMENTS, bit(s.guest_comments))
            .await?;
        Ok(())
    }
}
