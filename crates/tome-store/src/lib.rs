//! The database: the archive's source of truth.
//!
//! One [`Store`] over sqlx's `Any` driver, so the backend is chosen by URL at run time:
//! a SQLite file for a personal or small archive, PostgreSQL for a large one. `Any` carries
//! only bools, integers, floats, text and blobs, so times are `i64` unix seconds, flags are
//! 0/1 integers on both backends (one decode path), and every statement is written with
//! `$N` placeholders by hand. Where the dialects differ, both versions sit side by side in
//! one function (`match self.backend`). Each aggregate has its module: [`tags`], [`works`],
//! [`users`], [`outbox`].

pub mod accounts;
pub mod bookmarks;
pub mod bulk;
pub mod comments;
pub mod creatorships;
pub mod efiction;
mod error;
pub mod import_sources;
pub mod login_limits;
pub mod member_changes;
pub mod member_state;
pub mod moderation;
pub mod mutes;
pub mod notifications;
pub mod outbox;
pub mod posting;
pub mod profiles;
pub mod readings;
pub mod reports;
pub mod search_feed;
pub mod series;
pub mod sessions;
pub mod settings;
mod sql;
pub mod subscriptions;
pub mod tag_names;
pub mod tags;
pub mod users;
mod views;
pub mod works;
pub mod wrangling;

use std::path::Path;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::Executor;
use sqlx::any::AnyPoolOptions;

pub use accounts::{Account, Failures, Invitation, NewAccount, WorksOnDelete};
pub use bulk::{BulkLoader, BulkWork};
pub use error::{Result, StoreError};
pub use import_sources::ImportedWork;
pub use outbox::OutboxPos;
pub use posting::{
    ChapterEdit, ChapterInput, SeriesChoice, SeriesPlace, SeriesRef, TextField, WorkEdit, WorkInput,
};
pub use search_feed::{IndexWork, TagGraph};
pub use sessions::SessionRecord;
pub use settings::ArchiveSettings;
pub use tag_names::{TagNameRow, TagNamesStamp};
pub use views::{
    Audience, ChapterFull, ChapterMeta, OutboxRow, PseudRef, TagInfo, TagRef, UserInfo,
    VocabularyReport, WorkBlurb, WorkListFilter, WorkPage, WorkView,
};
pub use views::{
    BulkReport, FandomQueueCount, LogEntry, MediaFandoms, QueuePage, QueueTag, TagDetail, TagLookup,
};
pub use wrangling::{BulkAction, MEDIA, QueueQuery, QueueSort, QueueStatus, UNCATEGORIZED};

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from a database URL's scheme.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// A handle on the archive's database. Cheap to clone (a pool inside).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

/// Name of the SQLite file inside a data folder.
pub const SQLITE_FILE: &str = "tome.db";

impl Store {
    /// Opens (creating a SQLite file if missing) and migrates the database at `url`:
    /// `sqlite:/path/tome.db` or `postgres://user@host/db`.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)
            .ok_or_else(|| StoreError::Invalid(format!("unsupported database URL: {url}")))?;
        let pool = match backend {
            Backend::Sqlite => {
                // `mode=rwc` creates the file; the PRAGMAs are per connection, so they run
                // on every new one. WAL lets readers proceed while one writer commits.
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?
            }
        };
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    /// Opens `DIR/tome.db`, creating the folder and the file when needed.
    pub async fn open_data_dir(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Io(format!("cannot create {}: {e}", dir.display())))?;
        let file = dir.join(SQLITE_FILE);
        let path = file
            .to_str()
            .ok_or_else(|| StoreError::Io(format!("path is not UTF-8: {}", file.display())))?;
        Store::open(&format!("sqlite:{path}")).await
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Waits for open connections to finish and closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Applies the embedded migrations of this backend.
    async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// The pool, for modules of this crate.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later
    /// cannot wait for another writer (SQLite answers "database is locked" at once to
    /// avoid a deadlock), while an immediate one waits out `busy_timeout` like any
    /// writer. PostgreSQL's row locks need nothing special.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// Now, in unix seconds.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
