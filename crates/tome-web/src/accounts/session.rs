//! Who is asking: the [`resolve`] middleware reads the session cookie once per request
//! and leaves a [`RequestAuth`] in the request's extensions (and, for the layout and
//! listings, in a task-local readable through [`current`]). [`Viewer`] and
//! [`RequireUser`] are the extractors handlers use.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tome_model::Role;
use tome_store::PseudRef;

use crate::AppState;
use crate::accounts::{csrf, now, sha256_hex};
use crate::pages::cookie;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "tome_session";
/// How long a session lives without activity (and the cookie's lifetime).
pub const SESSION_TTL: i64 = 30 * 24 * 3600;
/// Activity is written back at most this often per session.
const TOUCH_EVERY: i64 = 300;

/// A logged-in user, as every page sees them.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub login: String,
    pub roles: Vec<Role>,
    /// Default pseud first.
    pub pseuds: Vec<PseudRef>,
    /// The token every form this user submits must carry.
    pub csrf_token: String,
    /// Whom and what they muted, and who blocked them (kept in memory with the session:
    /// see [`crate::members`]).
    pub filters: std::sync::Arc<tome_store::member_state::MemberFilters>,
}

impl SessionUser {
    pub fn has_role(&self, role: Role) -> bool {
        role == Role::User || self.roles.contains(&role)
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }

    /// Moderators and admins.
    pub fn is_moderator(&self) -> bool {
        self.has_role(Role::Moderator) || self.is_admin()
    }
}

/// Who is viewing: a logged-in user or a guest. As an extractor it never fails: no,
/// invalid or expired session means a guest.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<SessionUser>,
}

impl Viewer {
    pub fn guest() -> Viewer {
        Viewer { user: None }
    }

    pub fn is_guest(&self) -> bool {
        self.user.is_none()
    }

    /// The user's id, if logged in.
    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.user.as_ref().is_some_and(|u| u.has_role(role))
    }
}

/// Everything known about the request's identity: the viewer, the session (by hash),
/// the guest CSRF token and whether cookies must be `Secure`.
#[derive(Debug, Clone, Default)]
pub struct RequestAuth {
    pub viewer: Viewer,
    /// SHA-256 of the session id, when logged in.
    pub session_hash: Option<String>,
    /// A guest's CSRF token: the signed `tome_csrf` cookie's value, or a new one.
    pub guest_token: Option<String>,
    /// Whether `guest_token` came from a valid cookie of this request.
    pub guest_cookie_valid: bool,
    /// Set the `Secure` flag on cookies (configured, or `X-Forwarded-Proto: https`).
    pub secure: bool,
}

impl RequestAuth {
    /// The token this request's forms carry.
    pub fn csrf_token(&self) -> &str {
        match &self.viewer.user {
            Some(u) => &u.csrf_token,
            None => self.guest_token.as_deref().unwrap_or(""),
        }
    }

    /// Checks a submitted CSRF token (for forms [`crate::accounts::CsrfForm`] cannot
    /// parse, such as multipart uploads: read the `authenticity_token` field and call
    /// this).
    pub fn verify_csrf(&self, token: Option<&str>) -> Result<(), crate::WebError> {
        csrf::verify(self, token)
    }

    /// `; Secure` when cookies must be secure.
    pub fn secure_attr(&self) -> &'static str {
        if self.secure { "; Secure" } else { "" }
    }

    /// The `Set-Cookie` value that stores a session id.
    pub fn session_cookie(&self, session_id: &str) -> String {
        format!(
            "{SESSION_COOKIE}={session_id}; Path=/; Max-Age={SESSION_TTL}; HttpOnly; SameSite=Lax{}",
            self.secure_attr()
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn clear_session_cookie(&self) -> String {
        format!(
            "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
            self.secure_attr()
        )
    }
}

tokio::task_local! {
    static CURRENT: RequestAuth;
}

/// The current request's identity (a guest outside a request). Used where threading the
/// viewer through would touch every page: the layout's header and listings' audience.
pub fn current() -> RequestAuth {
    CURRENT.try_with(Clone::clone).unwrap_or_default()
}

/// Whether the request came over TLS through a proxy.
fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// A new random session id: 256 bits, hex.
pub fn new_session_id() -> String {
    let bytes: [u8; 32] = rand::random();
    crate::accounts::hex(&bytes)
}

fn plausible_id(v: &str) -> bool {
    v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Works out who is asking. Never fails: trouble is logged and the request is a guest's.
pub async fn load(state: &AppState, headers: &HeaderMap) -> RequestAuth {
    let store = state.store();
    let secure = state.accounts().secure_cookies() || forwarded_https(headers);
    let mut auth = RequestAuth {
        secure,
        ..RequestAuth::default()
    };
    let secret = match state.accounts().secret(store).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "cannot load the server secret");
            return auth;
        }
    };
    if let Some(id) = cookie(headers, SESSION_COOKIE).filter(|v| plausible_id(v)) {
        let hash = sha256_hex(id);
        match state.members().session(store, &hash).await {
            Ok(Some(known)) => {
                let s = &known.record;
                let t = now();
                if t - s.last_seen_at >= TOUCH_EVERY {
                    match store.touch_session(&hash, t + SESSION_TTL).await {
                        Ok(()) => state.members().touched(&hash, t, t + SESSION_TTL),
                        Err(e) => tracing::warn!(error = %e, "cannot touch a session"),
                    }
                }
                auth.viewer.user = Some(SessionUser {
                    id: s.user_id,
                    login: s.login.clone(),
                    roles: s.roles.clone(),
                    pseuds: known.pseuds.clone(),
                    csrf_token: csrf::session_token(secret, id),
                    filters: known.filters.clone(),
                });
                auth.session_hash = Some(hash);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read a session"),
        }
    }
    if auth.viewer.user.is_none() {
        match cookie(headers, csrf::GUEST_COOKIE).filter(|v| csrf::guest_token_valid(secret, v)) {
            Some(t) => {
                auth.guest_token = Some(t.to_string());
                auth.guest_cookie_valid = true;
            }
            None => auth.guest_token = Some(csrf::new_guest_token(secret)),
        }
    }
    auth
}

/// Middleware: resolves the request's identity, makes it available to extractors and
/// templates, and gives guests a CSRF cookie with their first page.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    state
        .accounts()
        .refresh_settings(state.store(), false)
        .await;
    let auth = load(&state, req.headers()).await;
    req.extensions_mut().insert(auth.clone());
    req.extensions_mut().insert(auth.viewer.clone());
    let writes = !req.method().is_safe();
    let mut resp = CURRENT.scope(auth.clone(), next.run(req)).await;
    // Whatever a member's form changed (their session, pseuds, mutes, bookmarks…), what
    // this node keeps of them is read again on their next request; other nodes learn it
    // from the store's change notes.
    if writes && let Some(u) = &auth.viewer.user {
        state.members().changed(&[u.id]);
    }
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html
        && auth.viewer.is_guest()
        && !auth.guest_cookie_valid
        && let Some(token) = &auth.guest_token
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax{}",
            csrf::GUEST_COOKIE,
            auth.secure_attr()
        ))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

impl<S: Send + Sync> FromRequestParts<S> for RequestAuth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<RequestAuth>()
            .cloned()
            .unwrap_or_default())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default())
    }
}

/// A logged-in user, or a redirect to the login page (coming back here afterwards).
#[derive(Debug, Clone)]
pub struct RequireUser(pub SessionUser);

impl<S: Send + Sync> FromRequestParts<S> for RequireUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts
            .extensions
            .get::<Viewer>()
            .and_then(|v| v.user.clone())
        {
            Some(u) => Ok(RequireUser(u)),
            None => {
                let here = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let q = serde_urlencoded::to_string([("return_to", here)]).unwrap_or_default();
                Err(Redirect::to(&format!("/users/login?{q}")).into_response())
            }
        }
    }
}
