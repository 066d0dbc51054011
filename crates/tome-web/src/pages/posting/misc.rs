//! A user's drafts (`/users/LOGIN/works/drafts`, the user only), tag autocomplete
//! (`/autocomplete/tag?kind=..&term=..`, JSON) and the form's script (no inline script:
//! the Content-Security-Policy forbids it; the forms work without it).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tome_model::TagKind;

use crate::AppState;
use crate::accounts::RequireUser;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::must_be;
use crate::pages::{QueryPairs, query_value, render};
use crate::views::BlurbView;

#[derive(Template)]
#[template(path = "posting/drafts.html")]
pub struct DraftsTemplate {
    pub l: Layout,
    pub login: String,
    pub drafts: Vec<BlurbView>,
}

/// `GET /users/LOGIN/works/drafts`.
pub async fn drafts(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(login): Path<String>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let drafts = state.store().drafts_of(user.id).await?;
    render(&DraftsTemplate {
        l: Layout::new(&state, format!("{} - Drafts", user.login)),
        login: user.login.clone(),
        drafts: drafts.iter().map(BlurbView::of).collect(),
    })
}

/// `GET /autocomplete/tag?kind=fandom&term=har` (no `kind`: any kind): up to 15 names, JSON, from the
/// in-memory index ([`crate::autocomplete`]): word starts of canonical tags, synonyms and
/// tags used on listed works, most used first. A name found through a synonym answers
/// with its canonical tag (the name the form should hold).
pub async fn autocomplete(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Response, WebError> {
    // No kind (or an empty one): any tag a reader can filter by ("Other tags to include").
    let kind = match query_value(&query, "kind").map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(
            TagKind::parse(k)
                .filter(|k| {
                    matches!(
                        k,
                        TagKind::Fandom
                            | TagKind::Relationship
                            | TagKind::Character
                            | TagKind::Freeform
                    )
                })
                .ok_or_else(|| WebError::BadRequest("Unknown tag kind.".into()))?,
        ),
    };
    let term = query_value(&query, "term").unwrap_or("");
    let term: String = term.chars().take(100).collect();
    let hits = state
        .autocomplete()
        .search(
            state.store(),
            &term,
            kind,
            15,
            crate::visibility::audience(),
        )
        .await?;
    let names: Vec<&str> = hits.iter().map(|h| h.name.as_str()).collect();
    let body = serde_json::to_string(&names).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

/// The form's progressive enhancement.
pub const SCRIPT: &str = include_str!("../../../static/posting.js");

/// `GET /static/posting.js`.
pub async fn script() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        SCRIPT,
    )
        .into_response()
}
