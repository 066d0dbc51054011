//! History (`/users/{login}/readings`, `?show=to-read` for works marked for later) and
//! "Mark for later" (`POST /works/{id}/mark_for_later`), for their owner only.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser, Viewer};
use crate::error::WebError;
use crate::format::blurb_date;
use crate::layout::Layout;
use crate::pages::account::must_be;
use crate::pages::responding::{see_other, truthy};
use crate::pages::{QueryPairs, parse_id, query_value, render};
use crate::responding::service::visible_work;
use crate::views::BlurbView;
use crate::visibility::can_view_work;

#[derive(Debug, Deserialize, Default)]
pub struct LaterForm {
    pub later: Option<String>,
}

pub async fn mark_for_later(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<LaterForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    visible_work(&state, &viewer, id).await?;
    let later = form.later.is_none() || truthy(form.later.as_deref());
    state.store().mark_for_later(user.id, id, later).await?;
    Ok(see_other(&format!("/works/{id}")))
}

/// A history entry as printed.
pub struct ReadingView {
    pub blurb: BlurbView,
    pub last_read: String,
    pub views: u64,
    pub later: bool,
}

#[derive(Template)]
#[template(path = "responding/readings.html")]
pub struct ReadingsTemplate {
    pub l: Layout,
    pub login: String,
    pub to_read: bool,
    pub readings: Vec<ReadingView>,
}

pub async fn index(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let to_read = query_value(&query, "show") == Some("to-read");
    let list = state.store().readings(user.id, to_read).await?;
    render(&ReadingsTemplate {
        l: Layout::new(
            &state,
            if to_read {
                "Marked for Later"
            } else {
                "History"
            },
        ),
        login: user.login.clone(),
        to_read,
        readings: list
            .into_iter()
            .filter(|r| can_view_work(&viewer, &r.work))
            .map(|r| ReadingView {
                blurb: BlurbView::of(&r.work),
                last_read: blurb_date(r.last_read_at),
                views: r.views,
                later: r.later,
            })
            .collect(),
    })
}
