//! The store's one error type. Callers branch on the variant (404, 422, 409), never on text.
//!
//! A unique index refusing a row is a [`StoreError::Conflict`] with a message for the
//! person, on both backends: the checks done before a write are only a courtesy (on
//! PostgreSQL two transactions can both pass them), the index is what decides, so the
//! loser of a race gets the same clear refusal as someone who asked later.

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
    Db(sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("io: {0}")]
    Io(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        match unique_violation(&e) {
            Some(message) => StoreError::Conflict(message.to_string()),
            None => StoreError::Db(e),
        }
    }
}

/// The person-facing message for a unique index's refusal, or `None` when `e` is not one.
/// SQLite names the columns ("UNIQUE constraint failed: users.login_lower"), PostgreSQL
/// the constraint ("users_login_lower_key"): both are matched on the same words.
pub fn unique_violation(e: &sqlx::Error) -> Option<&'static str> {
    let sqlx::Error::Database(db) = e else {
        return None;
    };
    if !db.is_unique_violation() {
        return None;
    }
    let what = format!("{} {}", db.constraint().unwrap_or(""), db.message()).to_lowercase();
    let has = |w: &str| what.contains(w);
    Some(if has("login_lower") {
        "login is already taken"
    } else if has("users") && has("email") {
        "email is already in use"
    } else if has("pseuds") {
        "You already have a pseud of that name."
    } else if has("tags") {
        "A tag of that name already exists."
    } else if has("bookmarks") {
        "You have already bookmarked this work."
    } else if has("kudos") {
        "You have already left kudos here. :)"
    } else if has("invitations") {
        "That invitation code is already in use."
    } else if has("series") {
        "That work is already in this series."
    } else if has("media") {
        "A media of that name already exists."
    } else {
        "Someone else changed this at the same moment; please try again."
    })
}

/// The store's result.
pub type Result<T> = std::result::Result<T, StoreError>;
