//! Moderation of works: `POST /works/{id}/hide` and `POST /works/{id}/unhide`, for
//! moderators and admins only, each a CSRF-protected form on the work page
//! (`templates/moderation/work_actions.html`). A hidden work is seen by its creators and
//! the archive's moderators alone ([`crate::visibility::can_view_work`]).

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser, Viewer};
use crate::error::WebError;
use crate::pages::parse_id;
use crate::pages::responding::see_other;
use crate::visibility::{can_moderate, can_view_work};

/// The moderation routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/works/{id}/hide", post(hide))
        .route("/works/{id}/unhide", post(unhide))
}

/// What the work page's moderation block needs.
#[derive(Debug, Clone, Copy)]
pub struct ModerationActions {
    /// The work is hidden now (the button shows it again).
    pub hidden: bool,
}

/// The form has nothing but its CSRF token.
#[derive(Debug, Deserialize, Default)]
pub struct EmptyForm {}

pub async fn hide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RequireUser(_user): RequireUser,
    viewer: Viewer,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    set_hidden(&state, &viewer, id, true).await?;
    Ok(see_other(&format!("/works/{id}")))
}

pub async fn unhide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RequireUser(_user): RequireUser,
    viewer: Viewer,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    set_hidden(&state, &viewer, id, false).await?;
    Ok(see_other(&format!("/works/{id}")))
}

/// Hides or shows a work, if the viewer moderates and may see it (a draft is no
/// moderator's business: it is not published). Drops the work's cached pages.
pub async fn set_hidden(
    state: &AppState,
    viewer: &Viewer,
    work_id: i64,
    hidden: bool,
) -> Result<(), WebError> {
    if !can_moderate(viewer) {
        return Err(WebError::Forbidden(
            "Only moderators can hide or show works.".into(),
        ));
    }
    state
        .store()
        .work(work_id)
        .await?
        .filter(|v| can_view_work(viewer, &v.blurb))
        .ok_or(WebError::NotFound)?;
    state.store().set_work_hidden(work_id, hidden).await?;
    state.pages().invalidate(work_id);
    Ok(())
}

/// The moderation block for the viewer of a work page: `None` unless they moderate.
pub fn actions_for(viewer: &Viewer, hidden: bool) -> Option<ModerationActions> {
    can_moderate(viewer).then_some(ModerationActions { hidden })
}
