//! One file per page: parse the request, ask the store, render. Shared helpers live here.

pub mod account;
pub mod assets;
pub mod chapter;
pub mod claim;
pub mod creatorships;
pub mod download;
pub mod efiction_redirects;
pub mod home;
pub mod kudos;
pub mod listing_cache;
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
use sha2::{Digest, Sha256};

use tome_model::visibility::Audience;

use crate::AppState;
use crate::accounts::Viewer;
use crate::cache::{CachedPage, PageKey, Variant};
use crate::error::WebError;
use crate::frame::{Fills, Frame, Slot};
use crate::layout::{Flash, Layout, UserNav, flash_html, flash_slot};

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
pub fn html_response(html: impl Into<bytes::Bytes>) -> Response {
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

/// A rendered page ready for the cache: cut at its slots, hashed for its ETag.
pub fn cached_page(r: Rendered) -> CachedPage {
    let last_modified =
        crate::format::http_date(r.modified_unix).and_then(|d| HeaderValue::from_str(&d).ok());
    CachedPage {
        version: r.version,
        frame: Frame::cut(&r.html),
        last_modified,
        modified_unix: r.modified_unix,
        creators: r.creators,
        commenters: r.commenters,
    }
}

/// What a work page's renderer hands back: HTML (with its slots), the work's version,
/// its last change, and who sees the page differently from the rest of its audience.
pub struct Rendered {
    pub html: String,
    pub version: i64,
    pub modified_unix: i64,
    /// The work's creators (user ids, invited co-creators too).
    pub creators: Vec<i64>,
    /// Members who commented on the work.
    pub commenters: Vec<i64>,
}

/// For whom a work page is rendered.
#[derive(Debug, Clone)]
pub enum RenderFor {
    /// Once for a whole audience, to be cached: the viewer's own parts are slots.
    Audience(Audience),
    /// For one viewer alone (never stored).
    Viewer(Viewer),
}

impl RenderFor {
    /// Whom visibility is decided for: the viewer, or a stand-in for the audience (a
    /// member who created, commented, muted, blocked and moderates nothing: user 0,
    /// which no account has).
    pub fn viewer(&self) -> Viewer {
        match self {
            RenderFor::Viewer(v) => v.clone(),
            RenderFor::Audience(Audience::Guest) => Viewer::guest(),
            RenderFor::Audience(Audience::Member) => Viewer {
                user: Some(crate::accounts::SessionUser {
                    id: 0,
                    login: String::new(),
                    roles: Vec::new(),
                    pseuds: Vec::new(),
                    csrf_token: crate::accounts::csrf_slot().to_string(),
                    filters: Default::default(),
                }),
            },
        }
    }

    /// Whether the viewer's own parts are slots.
    pub fn shared(&self) -> bool {
        matches!(self, RenderFor::Audience(_))
    }

    /// The page's layout.
    pub fn layout(&self, state: &AppState, title: impl Into<String>) -> Layout {
        match self {
            RenderFor::Audience(a) => Layout::shared(state, title, *a),
            RenderFor::Viewer(_) => Layout::new(state, title),
        }
    }

    /// The page's layout with a slot for a flash message (work pages).
    pub fn layout_with_flash(&self, state: &AppState, title: impl Into<String>) -> Layout {
        let mut l = self.layout(state, title);
        l.flash = flash_slot();
        l
    }

    /// For a listing: its shared audience when it will be kept, else the viewer.
    pub fn for_listing(slot: Option<&listing_cache::Slot>) -> RenderFor {
        match slot {
            Some(s) => RenderFor::Audience(s.audience()),
            None => RenderFor::Viewer(crate::accounts::current().viewer),
        }
    }
}

/// Whether a member's view of a cached member page differs from it beyond its slots:
/// they created the work, commented on it, muted someone who did, or were blocked by
/// a creator.
fn differs_for(u: &crate::accounts::SessionUser, page: &CachedPage) -> bool {
    let f = &u.filters;
    page.creators.contains(&u.id)
        || page.commenters.contains(&u.id)
        || page.commenters.iter().any(|c| f.muted_users.contains(c))
        || page.creators.iter().any(|c| f.blocked_by.contains(c))
}

/// Serves a page about one work, rendered once per audience and cached (see
/// [`crate::cache`]): the work's version is checked (at most once per revalidation
/// window), hits are counted for GETs, the flash cookie is honoured, and conditional
/// requests get 304.
///
/// - Guests get the guests' copy with their CSRF token in its slots, and an ETag that
///   includes the token, so a browser never reuses a copy whose forms carry someone
///   else's (or an old) token.
/// - Members get the members' copy with their header, token, bookmark and subscription
///   state and pseuds in its slots (their state read from memory or in one query),
///   marked `private, no-store`. Moderators, and members whose view differs beyond the
///   slots ([`differs_for`]), get a page rendered for them alone, never stored.
#[allow(clippy::too_many_arguments)]
pub async fn serve_work_page<F, Fut>(
    state: &AppState,
    viewer: &crate::accounts::Viewer,
    method: &Method,
    headers: &HeaderMap,
    work_id: i64,
    variant: Variant,
    count_hit: bool,
    render: F,
) -> Result<Response, WebError>
where
    F: Fn(RenderFor) -> Fut,
    Fut: Future<Output = Result<Rendered, WebError>>,
{
    let version = state
        .pages()
        .version(state.store(), work_id)
        .await?
        .ok_or(WebError::NotFound)?;
    // Read before rendering: a page stored under it never shows older tag names.
    let tags = state.pages().tags_head(state.store()).await?;
    if count_hit && method == Method::GET {
        state.hits().record(work_id);
    }
    let flash = cookie(headers, FLASH_COOKIE)
        .and_then(Flash::from_code)
        .map(flash_html);
    let auth = crate::accounts::current();
    let shared = |audience: Audience| {
        let key = PageKey {
            work_id,
            variant,
            audience,
        };
        let render = &render;
        async move {
            if let Some(page) = state.pages().get(&key, version, tags) {
                return Ok(page);
            }
            let page = Arc::new(cached_page(render(RenderFor::Audience(audience)).await?));
            state.pages().insert(key, page.clone(), tags);
            Ok::<_, WebError>(page)
        }
    };

    if !state.config().share_pages {
        let page = cached_page(render(RenderFor::Viewer(viewer.clone())).await?);
        let nav = UserNav::for_current();
        let mut resp = html_response(page.body(&Fills {
            csrf: auth.csrf_token(),
            flash: flash.as_deref().unwrap_or(""),
            user_nav: &nav,
            ..Fills::default()
        }));
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return Ok(match flash {
            Some(_) => with_flash_cleared(resp, work_id),
            None => resp,
        });
    }
    let Some(u) = &viewer.user else {
        let page = shared(Audience::Guest).await?;
        let fills = Fills {
            csrf: auth.csrf_token(),
            flash: flash.as_deref().unwrap_or(""),
            user_nav: UserNav::guest(),
            ..Fills::default()
        };
        if flash.is_some() {
            return Ok(with_flash_cleared(
                html_response(page.body(&fills)),
                work_id,
            ));
        }
        let etag = personal_etag(page.etag(), auth.csrf_token());
        // A guest given a new token now must get a page with it, not a 304.
        if auth.guest_cookie_valid && not_modified(headers, &page, &etag) {
            let mut resp = StatusCode::NOT_MODIFIED.into_response();
            set_validators(resp.headers_mut(), &page, &etag);
            return Ok(resp);
        }
        let mut resp = html_response(page.body(&fills));
        set_validators(resp.headers_mut(), &page, &etag);
        return Ok(resp);
    };

    // The members' copy, unless this member's page is their own. A work the stand-in
    // may not open (a draft, a hidden work) may still be the viewer's to open.
    let page = if u.is_moderator() {
        None
    } else {
        match shared(Audience::Member).await {
            Ok(page) => Some(page).filter(|p| !differs_for(u, p)),
            Err(WebError::NotFound) => None,
            Err(e) => return Err(e),
        }
    };
    let body = match page {
        Some(page) => {
            let own = if page.frame.has(Slot::MemberActions) {
                let s = state
                    .members()
                    .work_state(state.store(), u.id, work_id)
                    .await?;
                crate::responding::feedback::member_actions_html(work_id, &u.csrf_token, &s)?
            } else {
                String::new()
            };
            let comment_as = if page.frame.has(Slot::CommentAs) {
                crate::responding::feedback::comment_as_html(&u.pseuds)?
            } else {
                String::new()
            };
            let nav = UserNav::for_current();
            if count_hit {
                state.record_reading(u.id, work_id);
            }
            page.body(&Fills {
                csrf: &u.csrf_token,
                flash: flash.as_deref().unwrap_or(""),
                user_nav: &nav,
                member_actions: &own,
                comment_as: &comment_as,
            })
        }
        None => {
            let page = cached_page(render(RenderFor::Viewer(viewer.clone())).await?);
            page.body(&Fills {
                csrf: &u.csrf_token,
                flash: flash.as_deref().unwrap_or(""),
                ..Fills::default()
            })
        }
    };
    let mut resp = html_response(body);
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(match flash {
        Some(_) => with_flash_cleared(resp, work_id),
        None => resp,
    })
}

/// A response that shows a flash message: not to be stored, and the message's cookie
/// cleared.
fn with_flash_cleared(mut resp: Response, work_id: i64) -> Response {
    let h = resp.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{FLASH_COOKIE}=; Path=/works/{work_id}; Max-Age=0; HttpOnly; SameSite=Lax"
    )) {
        h.insert(header::SET_COOKIE, v);
    }
    resp
}

/// The page's ETag made specific to a guest's CSRF token.
fn personal_etag(etag: &HeaderValue, token: &str) -> HeaderValue {
    let base = etag.to_str().unwrap_or("\"0\"").trim_end_matches('"');
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    let d = h.finalize();
    let tag = crate::accounts::hex(&d[..4]);
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
