//! One file per page: parse the request, ask the store, render. Shared helpers live here.

pub mod account;
pub mod assets;
pub mod chapter;
pub mod creatorships;
pub mod download;
pub mod guest_cache;
pub mod home;
pub mod kudos;
pub mod media;
pub mod moderation;
pub mod navigate;
pub mod posting;
pub mod pseud;
pub mod responding;
pub mod search;
pub mod series;
pub mod tag;
pub mod tag_works;
pub mod user;
pub mod work;
pub mod work_view;
pub mod works_index;
pub mod wrangling;

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::cache::{CachedPage, PageKey};
use crate::error::WebError;
use crate::layout::{FLASH_SLOT, Flash, flash_html};

/// Query pairs as sent; never rejects, so odd query strings cannot turn a page into a 400.
pub type QueryPairs = axum::extract::Query<Vec<(String, String)>>;

/// The value of a query parameter.
pub fn query_value<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `?page=N`, 1 when missing or not a positive number.
pub fn page_number(q: &[(String, String)]) -> u32 {
    query_value(q, "page")
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
}

/// A numeric id from a path segment; anything else is a missing page.
pub fn parse_id(s: &str) -> Result<i64, WebError> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(WebError::NotFound)
}

/// An HTML response.
pub fn html_response(html: impl Into<Bytes>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html.into(),
    )
        .into_response()
}

/// Renders a template into an HTML response (with the viewer's CSRF token in its forms).
pub fn render(tpl: &impl askama::Template) -> Result<Response, WebError> {
    let html = tpl.render()?;
    let auth = crate::accounts::current();
    let mut resp = html_response(crate::accounts::csrf::fill_slot(&html, &auth));
    if auth.viewer.user.is_some() {
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(resp)
}

/// Renders a template into an HTML response with a status (forms shown again with
/// errors: 422; refused logins: 429).
pub fn render_status(
    status: StatusCode,
    tpl: &impl askama::Template,
) -> Result<Response, WebError> {
    let mut resp = render(tpl)?;
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(resp)
}

/// The value of a cookie in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The client's address, or empty when unknown: the connection's peer, or the client a
/// trusted reverse proxy names (see [`crate::accounts::client_addr`]).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl axum::extract::FromRequestParts<crate::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|ci| ci.0.ip())
        else {
            return Ok(ClientIp(String::new()));
        };
        let trusted = state.accounts().trusted_proxies();
        Ok(ClientIp(
            crate::accounts::client_addr::client_addr(peer, &parts.headers, &trusted).to_string(),
        ))
    }
}

/// Name of the cookie carrying a one-time flash message code.
pub const FLASH_COOKIE: &str = "tome_flash";

/// A rendered page ready for the cache: split at the flash slot, hashed for its ETag.
pub fn cached_page(html: String, version: i64, modified_unix: i64) -> CachedPage {
    let (head, tail) = match html.find(FLASH_SLOT) {
        Some(at) => (
            Bytes::copy_from_slice(&html.as_bytes()[..at]),
            Bytes::copy_from_slice(&html.as_bytes()[at + FLASH_SLOT.len()..]),
        ),
        None => (Bytes::from(html), Bytes::new()),
    };
    let mut hasher = Sha256::new();
    hasher.update(&head);
    hasher.update(&tail);
    let digest = hasher.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = HeaderValue::from_str(&format!("\"{hex}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
    let last_modified =
        crate::format::http_date(modified_unix).and_then(|d| HeaderValue::from_str(&d).ok());
    CachedPage {
        version,
        head,
        tail,
        etag,
        last_modified,
        modified_unix,
    }
}

/// What a work page's renderer hands back: HTML (with the flash slot), the work's version
/// and its last change.
pub struct Rendered {
    pub html: String,
    pub version: i64,
    pub modified_unix: i64,
}

/// Serves a page about one work from the cache, rendering it on a miss: the work's
/// version is checked (at most once per revalidation window), hits are counted for GETs,
/// the flash cookie is honoured, and conditional requests get 304.
///
/// Only guests are served from (and stored into) the cache: a logged-in viewer's page
/// has their header and may show what guests must not see, so it is rendered fresh,
/// marked `private, no-store`, and never stored. A guest's copy gets the guest's CSRF
/// token in its slot, and an ETag that includes the token, so a browser never reuses a
/// copy whose forms carry someone else's (or an old) token.
pub async fn serve_work_page<F, Fut>(
    state: &AppState,
    viewer: &crate::accounts::Viewer,
    method: &Method,
    headers: &HeaderMap,
    key: PageKey,
    count_hit: bool,
    render: F,
) -> Result<Response, WebError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Rendered, WebError>>,
{
    let version = state
        .pages()
        .version(state.store(), key.work_id)
        .await?
        .ok_or(WebError::NotFound)?;
    // Read before rendering: a page stored under it never shows older tag names.
    let tags = state.pages().tags_head(state.store()).await?;
    let member = viewer.user.is_some();
    let page = match state.pages().get(&key, version, tags).filter(|_| !member) {
        Some(page) => page,
        None => {
            let r = render().await?;
            let page = Arc::new(cached_page(r.html, r.version, r.modified_unix));
            if !member {
                state.pages().insert(key, page.clone(), tags);
            }
            page
        }
    };
    let auth = crate::accounts::current();
    let fill = |body: Bytes| -> Bytes {
        match std::str::from_utf8(&body) {
            Ok(html) if html.contains(crate::accounts::CSRF_SLOT) => {
                Bytes::from(crate::accounts::csrf::fill_slot(html, &auth))
            }
            _ => body,
        }
    };
    if count_hit && method == Method::GET {
        state.hits().record(key.work_id);
    }

    let flash = cookie(headers, FLASH_COOKIE).and_then(Flash::from_code);
    if let Some(flash) = flash {
        let mut resp = html_response(fill(page.body_with_flash(&flash_html(flash))));
        let h = resp.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{FLASH_COOKIE}=; Path=/works/{}; Max-Age=0; HttpOnly; SameSite=Lax",
            key.work_id
        )) {
            h.insert(header::SET_COOKIE, v);
        }
        return Ok(resp);
    }

    if member {
        let mut resp = html_response(page.body());
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return Ok(resp);
    }
    let etag = personal_etag(&page.etag, auth.csrf_token());
    // A guest given a new token now must get a page with it, not a 304.
    if auth.guest_cookie_valid && not_modified(headers, &page, &etag) {
        let mut resp = StatusCode::NOT_MODIFIED.into_response();
        set_validators(resp.headers_mut(), &page, &etag);
        return Ok(resp);
    }
    let mut resp = html_response(fill(page.body()));
    set_validators(resp.headers_mut(), &page, &etag);
    Ok(resp)
}

/// The page's ETag made specific to a guest's CSRF token.
fn personal_etag(etag: &HeaderValue, token: &str) -> HeaderValue {
    let base = etag.to_str().unwrap_or("\"0\"").trim_end_matches('"');
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    let d = h.finalize();
    let tag: String = d[..4].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("{base}-{tag}\"")).unwrap_or_else(|_| etag.clone())
}

fn set_validators(h: &mut HeaderMap, page: &CachedPage, etag: &HeaderValue) {
    h.insert(header::ETAG, etag.clone());
    if let Some(lm) = &page.last_modified {
        h.insert(header::LAST_MODIFIED, lm.clone());
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

/// Whether the client's copy is current (`If-None-Match` first, else `If-Modified-Since`).
fn not_modified(headers: &HeaderMap, page: &CachedPage, etag: &HeaderValue) -> bool {
    if let Some(inm) = headers.get(header::IF_NONE_MATCH) {
        let Ok(inm) = inm.to_str() else { return false };
        let ours = etag.as_bytes();
        return inm.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/").as_bytes() == ours
        });
    }
    if let Some(ims) = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        && let Ok(since) = ims.duration_since(std::time::UNIX_EPOCH)
    {
        return page.modified_unix >= 0 && (page.modified_unix as u64) <= since.as_secs();
    }
    false
}
