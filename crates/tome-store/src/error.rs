//! The store's one error type. Callers branch on the variant (404, 422, 409), never on text.

/// What went wrong in the store.
#[derive(thiserror::Error, Debug)]
pub enum StoreError {
    /// The thing asked for does not exist (the message names it).
    #[error("not found: {0}")]
    NotFound(String),
    /// The input was refused; the message is meant for the person who typed it.
    #[error("{0}")]
    Invalid(String),
    /// The change clashes with what is already stored (a taken login, a duplicate).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("io: {0}")]
    Io(String),
}

/// The store's result.
pub type Result<T> = std::result::Result<T, StoreError>;
