//! `/`: the archive's front page with its most recently updated works, or, on an empty
//! archive, how to fill it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tome_store::WorkListFilter;

use crate::AppState;
use crate::accounts::Viewer;
use crate::error::WebError;
use crate::format::commas;
use crate::layout::Layout;
use crate::pages::guest_cache::{self, Lookup};
use crate::pages::render;
use crate::views::BlurbView;

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeTemplate {
    pub l: Layout,
    pub total: String,
    pub empty: bool,
    pub blurbs: Vec<BlurbView>,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    let slot = match guest_cache::lookup(&state, "/".to_string()) {
        Lookup::Hit(r) => return Ok(r),
        Lookup::Miss(slot) => slot,
    };
    let mut page = state
        .store()
        .list_works(
            &WorkListFilter::All,
            crate::visibility::audience_for(&viewer),
            1,
            state.config().home_recent,
        )
        .await?;
    // A logged-in reader's muted users and tags stay off their front page.
    crate::responding::service::hide_muted(&state, &viewer, &mut page.items).await?;
    let tpl = HomeTemplate {
        l: Layout::new(&state, ""),
        total: commas(page.total),
        empty: page.total == 0,
        blurbs: page.items.iter().map(BlurbView::of).collect(),
    };
    match slot {
        Some(slot) => Ok(slot.keep(&state, tpl.render()?)),
        None => render(&tpl),
    }
}
