//! Accounts: who is asking ([`session`]), CSRF tokens ([`csrf`]), password hashing
//! ([`password`]), archive settings ([`settings`]) and the account services
//! ([`service`]: sign up, log in, change password, delete account, pseuds) that the
//! handlers under `pages::account` call.
//!
//! Sessions live in the database (any node can serve any user); the cookie carries a
//! random 256-bit id whose SHA-256 is the row's key. Per-request identity is resolved
//! once by the [`session::resolve`] middleware and read by the [`Viewer`],
//! [`RequireUser`] and [`CsrfForm`] extractors.

pub mod client_addr;
pub mod csrf;
pub mod password;
pub mod profile;
pub mod reports;
pub mod service;
pub mod session;
pub mod settings;

pub use csrf::{CSRF_FIELD, CsrfForm, FORM_EXPIRED, csrf_slot};
pub use service::{AccountError, FieldErrors};
pub use session::{RequestAuth, RequireUser, SessionUser, Viewer, current};
pub use settings::AccountsState;

/// Hex of bytes (lower case), by table: tokens, hashes and ETags are made on every
/// request, and `format!` per byte showed in profiles.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// SHA-256 of a string, hex.
pub(crate) fn sha256_hex(s: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(s.as_bytes()))
}

/// Now, in unix seconds.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
