//! CSRF tokens. Every state-changing form carries `authenticity_token` (AO3's name).
//!
//! - Logged-in users: the token is an HMAC (server secret) of their session id, so it
//!   lives and dies with the session and needs no storage.
//! - Guests: a signed double-submit cookie. `tome_csrf` holds `NONCE.MAC` (MAC an HMAC of
//!   the nonce); the form must send the same value. Another site can neither read the
//!   cookie nor, without the secret, make one the server accepts.
//!
//! Pages cached for every guest carry [`csrf_slot`] where the token goes; it is filled in
//! per response ([`fill_slot`]).

use axum::extract::{FromRequest, Request};
use bytes::Bytes;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::accounts::{RequestAuth, hex};
use crate::error::WebError;

/// The form field carrying the token.
pub const CSRF_FIELD: &str = "authenticity_token";
/// The guest token cookie.
pub const GUEST_COOKIE: &str = "tome_csrf";
/// Placeholder for the token in pages rendered once for a whole audience (see
/// [`crate::frame`]).
pub fn csrf_slot() -> &'static str {
    crate::frame::marker(crate::frame::Slot::Csrf)
}
/// What a refused form says.
pub const FORM_EXPIRED: &str = "This form has expired; reload the page and try again.";

fn mac(secret: &[u8], purpose: &str, data: &str) -> String {
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    m.update(purpose.as_bytes());
    m.update(b"\0");
    m.update(data.as_bytes());
    hex(&m.finalize().into_bytes())
}

/// The CSRF token of a session (by its raw id).
pub fn session_token(secret: &[u8], session_id: &str) -> String {
    mac(secret, "session-csrf", session_id)
}

/// A new guest token, `NONCE.MAC`.
pub fn new_guest_token(secret: &[u8]) -> String {
    let nonce: [u8; 16] = rand::random();
    let nonce = hex(&nonce);
    let sig = mac(secret, "guest-csrf", &nonce);
    format!("{nonce}.{}", &sig[..32])
}

/// Whether a guest token was signed by this archive.
pub fn guest_token_valid(secret: &[u8], token: &str) -> bool {
    let Some((nonce, sig)) = token.split_once('.') else {
        return false;
    };
    if nonce.len() != 32 || sig.len() != 32 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let want = mac(secret, "guest-csrf", nonce);
    want.len() >= 32 && bool::from(want.as_bytes()[..32].ct_eq(sig.as_bytes()))
}

/// Checks a submitted token against the request's identity.
pub fn verify(auth: &RequestAuth, token: Option<&str>) -> Result<(), WebError> {
    let refused = || WebError::Forbidden(FORM_EXPIRED.into());
    let token = token
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(refused)?;
    let expected = match &auth.viewer.user {
        Some(u) => u.csrf_token.as_str(),
        None if auth.guest_cookie_valid => auth.guest_token.as_deref().unwrap_or(""),
        None => return Err(refused()),
    };
    if !expected.is_empty()
        && expected.len() == token.len()
        && bool::from(expected.as_bytes().ct_eq(token.as_bytes()))
    {
        Ok(())
    } else {
        Err(refused())
    }
}

/// Puts the current request's token where a page has [`csrf_slot`] (and nothing in any
/// other slot), in one pass.
pub fn fill_slot(html: &str, auth: &RequestAuth) -> Bytes {
    crate::frame::Frame::cut(html).fill(&crate::frame::Fills {
        csrf: auth.csrf_token(),
        ..crate::frame::Fills::default()
    })
}

#[derive(Deserialize, Default)]
struct TokenField {
    authenticity_token: Option<String>,
}

/// An `application/x-www-form-urlencoded` form whose CSRF token has been checked.
/// Refused with 403 ("This form has expired...") without a valid token.
#[derive(Debug, Clone)]
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let auth = req
            .extensions()
            .get::<RequestAuth>()
            .cloned()
            .unwrap_or_default();
        // The body limits (`crate::limits`) bound what is read.
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                WebError::TooLarge(crate::limits::TOO_LARGE.into())
            } else {
                WebError::BadRequest("The form could not be read.".into())
            }
        })?;
        let field: TokenField = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        verify(&auth, field.authenticity_token.as_deref())?;
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|e| WebError::BadRequest(format!("The form could not be read: {e}")))
    }
}
