//! eFiction rescue: an eFiction 3.x archive moved into tome in one command.
//!
//! - [`dump`]: a `mysqldump` file read statement by statement through `sqlparser`.
//! - [`source`]: the dump, a live MySQL/MariaDB database, chapter files.
//! - [`archive`]: the eFiction rows tome needs, typed.
//! - [`text`]: mojibake, magic quotes, entities, paragraphs, the sanitizer.
//! - [`plan`]: the editable mapping of ratings, categories, characters, classes, authors.
//! - [`import`]: stories written through tome's store, one transaction each.

pub mod archive;
pub mod dump;
pub mod import;
pub mod plan;
pub mod source;
pub mod text;

pub use import::{ImportOptions, Report, run};
pub use plan::Plan;
pub use source::Source;

/// What can go wrong reading or importing an archive.
#[derive(Debug, thiserror::Error)]
pub enum EfictionError {
    #[error("{0}")]
    Io(String),
    #[error("dump, at byte {offset}: {message}")]
    Dump { offset: u64, message: String },
    #[error("{0}")]
    Source(String),
    #[error("{0}")]
    Invalid(String),
    #[error("plan: {0}")]
    Plan(String),
    #[error("store: {0}")]
    Store(#[from] tome_store::StoreError),
}

/// A new claim token (64 hex digits, for the link) and its SHA-256 (hex, for the store).
pub fn claim_token() -> (String, String) {
    use sha2::{Digest, Sha256};
    let bytes: [u8; 32] = rand::random();
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash: String = Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    (token, hash)
}
