//! `POST /works/{id}/kudos`: kudos from a reader or a guest.
//!
//! A guest is known by a key: a keyed hash (HMAC-SHA256 under the day's random key, see
//! [`crate::responding::guest_keys`]) of the client's IP address followed by one of the
//! address with a long-lived random cookie (`tome_guest`, set on the first kudos); one
//! address leaves at most [`GUEST_KUDOS_PER_ADDRESS`] guests' kudos on a work, counted
//! under today's and yesterday's keys. The
//! reader is sent back to the page they came from (when it is a page of this work) with a
//! flash message.
//! Logged-in readers leave kudos as themselves, once per account; a work's creators
//! cannot leave kudos on it (they are told so), nor can a reader one of its creators has
//! blocked (refused with a 403 that says why). The form carries a CSRF token
//! ([`CsrfForm`]); without a valid one it is refused.

use crate::AppState;
use crate::accounts::{CsrfForm, Viewer};
use crate::error::WebError;
use crate::layout::Flash;
use crate::pages::{ClientIp, FLASH_COOKIE, cookie, parse_id};
use crate::responding::guest_keys::keyed_hex8;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The kudos form's fields are AO3's (`kudo[commentable_id]`, ...); the work comes from
/// the path, so they are not read.
#[derive(Debug, serde::Deserialize)]
pub struct KudosForm {}

/// Name of the guest cookie.
pub const GUEST_COOKIE: &str = "tome_guest";

pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ClientIp(ip): ClientIp,
    viewer: Viewer,
    headers: HeaderMap,
    CsrfForm(_form): CsrfForm<KudosForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let headers = &headers;
    let existing = cookie(headers, GUEST_COOKIE).filter(|v| valid_token(v));
    let token = match existing {
        Some(t) => t.to_string(),
        None => new_token(),
    };
    let work = state
        .store()
        .work(id)
        .await?
        .map(|v| v.blurb)
        .filter(|b| crate::visibility::can_view_work(&viewer, b))
        .ok_or(WebError::NotFound)?;
    // As on AO3, creators cannot leave kudos on their own work.
    let own = crate::visibility::is_creator(&viewer, &work);
    if let Some(u) = viewer.user_id()
        && !own
        && crate::responding::service::blocked_on(&state, &work, u).await?
    {
        return Err(WebError::Forbidden(
            crate::responding::service::BLOCKED_KUDOS.into(),
        ));
    }
    let keys = state
        .responding()
        .guest_keys
        .keys(state.store(), crate::accounts::now())
        .await?;
    let key = guest_key(&keys.current, &ip, &token);
    let earlier = guest_key(&keys.previous, &ip, &token);
    let store = state.store();
    // A guest who drops the cookie gets a new key; one address still gives at most
    // GUEST_KUDOS_PER_ADDRESS (a household behind one router, not a script).
    let crowded = !own
        && viewer.is_guest()
        && store
            .guest_kudos_with_prefix(id, &address_key(&keys.current, &ip))
            .await?
            + store
                .guest_kudos_with_prefix(id, &address_key(&keys.previous, &ip))
                .await?
            >= GUEST_KUDOS_PER_ADDRESS;
    // The same guest under yesterday's key.
    let again = !own && viewer.is_guest() && store.guest_kudos_with_prefix(id, &earlier).await? > 0;
    let added =
        !own && !crowded && !again && store.add_kudos(id, viewer.user_id(), Some(&key)).await?;
    let flash = if own {
        Flash::KudosOwn
    } else if added {
        state.pages().invalidate(id);
        // The creators' kudos digest (inbox, and e-mail when configured).
        if let Err(e) = crate::responding::service::notify_kudos(&state, id).await {
            tracing::warn!(error = %e, "cannot update the kudos digest");
        }
        Flash::KudosThanks
    } else {
        Flash::KudosAlready
    };

    let target = back_to(headers, id);
    let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response();
    let h = resp.headers_mut();
    if existing.is_none()
        && viewer.is_guest()
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{GUEST_COOKIE}={token}; Path=/; Max-Age=315360000; HttpOnly; SameSite=Lax"
        ))
    {
        h.append(header::SET_COOKIE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{FLASH_COOKIE}={}; Path=/works/{id}; Max-Age=60; HttpOnly; SameSite=Lax",
        flash.code()
    )) {
        h.append(header::SET_COOKIE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Most guests' kudos one address may leave on a work, whatever their cookies.
pub const GUEST_KUDOS_PER_ADDRESS: u64 = 5;

/// The first half of a guest key: a keyed hash of the address alone.
pub fn address_key(day_key: &[u8], ip: &str) -> String {
    keyed_hex8(day_key, &[b"tome-guest-address", ip.as_bytes()])
}

/// The guest key stored with the kudos: a keyed hash of the address, then one of the
/// address and the guest cookie (32 hex digits; without the day's key, which is deleted
/// after two days, neither can be turned back into an address).
pub fn guest_key(day_key: &[u8], ip: &str, token: &str) -> String {
    format!(
        "{}{}",
        address_key(day_key, ip),
        keyed_hex8(
            day_key,
            &[b"tome-guest-kudos", ip.as_bytes(), token.as_bytes()]
        )
    )
}

fn new_token() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn valid_token(v: &str) -> bool {
    v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Where to send the reader: the page of this work they came from, else the work.
fn back_to(headers: &HeaderMap, id: i64) -> HeaderValue {
    let fallback = format!("/works/{id}");
    let path = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            let after_scheme = r.split_once("://").map_or(r, |(_, rest)| rest);
            after_scheme.find('/').map(|at| &after_scheme[at..])
        })
        .filter(|p| {
            let prefix = format!("/works/{id}");
            p.strip_prefix(&prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
        })
        .filter(|p| !p.contains(['\r', '\n', '\\']))
        .map(|p| p.to_string())
        .unwrap_or(fallback.clone());
    HeaderValue::from_str(&path).unwrap_or_else(|_| HeaderValue::from_static("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referer_must_be_this_work() {
        let mut h = HeaderMap::new();
        h.insert(
            header::REFERER,
            HeaderValue::from_static("http://x.test/works/7/chapters/9"),
        );
        assert_eq!(back_to(&h, 7), "/works/7/chapters/9");
        assert_eq!(back_to(&h, 70), "/works/70");
        h.insert(
            header::REFERER,
            HeaderValue::from_static("http://evil.test//evil.test"),
        );
        assert_eq!(back_to(&h, 7), "/works/7");
    }

    #[test]
    fn tokens() {
        assert!(valid_token(&new_token()));
        assert!(!valid_token("zz"));
        let k: &[u8] = b"day key";
        assert_ne!(guest_key(k, "1.2.3.4", "a"), guest_key(k, "1.2.3.5", "a"));
        assert_ne!(guest_key(k, "1.2.3.4", "a"), guest_key(k, "1.2.3.4", "b"));
        assert_ne!(
            guest_key(k, "1.2.3.4", "a"),
            guest_key(b"other day", "1.2.3.4", "a")
        );
        assert!(guest_key(k, "1.2.3.4", "a").starts_with(&address_key(k, "1.2.3.4")));
        assert_eq!(guest_key(k, "1.2.3.4", "a").len(), 32);
        // Not the plain (unkeyed) SHA-256 of the address the keys used to be.
        use sha2::{Digest, Sha256};
        let mut plain = Sha256::new();
        plain.update(b"tome-guest-address\0");
        plain.update(b"1.2.3.4\0");
        let plain = crate::accounts::hex(&plain.finalize()[..8]);
        assert_ne!(address_key(k, "1.2.3.4"), plain);
    }
}
