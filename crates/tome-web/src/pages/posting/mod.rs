//! Posting pages (AO3's addresses): the new-work form and its preview, drafts, editing
//! and deleting works, adding, editing, reordering and deleting chapters, filling a form
//! from an uploaded file, and tag autocomplete. The rules live in [`crate::posting`].

pub mod chapters;
pub mod misc;
pub mod works;

use axum::Router;
use axum::routing::{get, post};
use bytes::Bytes;

use crate::AppState;
use crate::accounts::RequestAuth;
use crate::error::WebError;

/// The posting routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/works/new", get(works::new))
        .route("/works", post(works::create))
        .route("/works/import", post(works::import))
        .route("/works/{id}", post(works::update))
        .route("/works/{id}/edit", get(works::edit))
        .route("/works/{id}/confirm_delete", get(works::confirm_delete))
        .route("/works/{id}/delete", post(works::destroy))
        .route("/works/{id}/post_draft", post(works::post_draft))
        .route("/works/{id}/chapters/new", get(chapters::new))
        .route("/works/{id}/chapters", post(chapters::create))
        .route("/works/{id}/chapters/import", post(chapters::import))
        .route(
            "/works/{id}/chapters/manage",
            get(chapters::manage).post(chapters::reorder),
        )
        .route("/works/{id}/chapters/{cid}/edit", get(chapters::edit))
        .route("/works/{id}/chapters/{cid}", post(chapters::update))
        .route(
            "/works/{id}/chapters/{cid}/confirm_delete",
            get(chapters::confirm_delete),
        )
        .route("/works/{id}/chapters/{cid}/delete", post(chapters::destroy))
        .route("/users/{login}/works/drafts", get(misc::drafts))
        .route("/autocomplete/tag", get(misc::autocomplete))
        .route("/static/posting.js", get(misc::script))
}

/// A submitted urlencoded form as pairs, and whether its CSRF token is good. Values are
/// returned either way, so a refused form can be shown again with what was typed.
pub fn read_form(
    auth: &RequestAuth,
    body: &Bytes,
) -> Result<(Vec<(String, String)>, bool), WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| WebError::BadRequest("The form could not be read.".into()))?;
    let token = pairs
        .iter()
        .find(|(k, _)| k == crate::accounts::CSRF_FIELD)
        .map(|(_, v)| v.as_str());
    Ok((pairs.clone(), auth.verify_csrf(token).is_ok()))
}

/// The `commit` button pressed.
pub fn commit(pairs: &[(String, String)]) -> &str {
    crate::posting::field(pairs, "commit")
}
