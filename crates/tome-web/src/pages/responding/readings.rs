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
use crate::pages::{QueryPairs, page_number, parse_id, query_value, render};
use crate::responding::service::visible_work;
use crate::views::{BlurbView, Pager, page_count, range_heading};
use crate::visibility::reader;

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
    /// "3 Works" or "21 - 40 of 45 Works".
    pub heading: String,
    pub readings: Vec<ReadingView>,
    pub pager: Pager,
}

/// `/users/{login}/readings[?show=to-read][&page=N]`, for its owner: a page at a time,
/// only works the owner may still open (filtered in the store's query); a page past the
/// end is a 404.
pub async fn index(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let to_read = query_value(&query, "show") == Some("to-read");
    let page = page_number(&query);
    let per_page = state.config().per_page;
    // The views gathered in memory first, so the page shows the one that led here.
    state.flush_readings().await;
    let (items, total) = state
        .store()
        .readings(user.id, &reader(&viewer), to_read, page, per_page)
        .await?;
    if page > 1 && items.is_empty() {
        return Err(WebError::NotFound);
    }
    let base = if to_read {
        format!("/users/{}/readings?show=to-read", user.login)
    } else {
        format!("/users/{}/readings", user.login)
    };
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
        heading: range_heading(total, page, per_page, items.len(), "Work", "Works"),
        pager: Pager::for_path(page_count(total, per_page), page, &base),
        readings: items
            .into_iter()
            .map(|r| ReadingView {
                blurb: BlurbView::of(&r.work),
                last_read: blurb_date(r.last_read_at),
                views: r.views,
                later: r.later,
            })
            .collect(),
    })
}
