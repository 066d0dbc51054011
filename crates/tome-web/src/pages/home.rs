//! `/`: the archive's front page with its most recently updated works, or, on an empty
//! archive, how to fill it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::error::WebError;
use crate::format::commas;
use crate::layout::Layout;
use crate::pages::listing_cache::{self, Lookup};
use crate::pages::works_index::all_works;
use crate::pages::{RenderFor, render};
use crate::views::BlurbView;

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeTemplate {
    pub l: Layout,
    pub total: String,
    pub empty: bool,
    pub blurbs: Vec<BlurbView>,
}

pub async fn show(State(state): State<AppState>) -> Result<Response, WebError> {
    let slot = match listing_cache::lookup(&state, "/") {
        Lookup::Hit(r) => return Ok(r),
        Lookup::Miss(slot) => slot,
    };
    let who = RenderFor::for_listing(slot.as_ref());
    let page = all_works(&state, &who, 1, state.config().home_recent).await?;
    let tpl = HomeTemplate {
        l: who.layout(&state, ""),
        total: commas(page.total),
        empty: page.total == 0,
        blurbs: page.items.iter().map(BlurbView::of).collect(),
    };
    match slot {
        Some(slot) => Ok(slot.keep(&state, tpl.render()?, &page.items)),
        None => render(&tpl),
    }
}
