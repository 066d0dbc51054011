//! `/works?page=N`: every work, newest update first. Also the listing template other
//! listings (tags, users, pseuds) share.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tome_store::{WorkListFilter, WorkPage};

use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::guest_cache::{self, Lookup};
use crate::pages::{QueryPairs, page_number, render};
use crate::views::Listing;

/// What a listing lists ("Works in <a>Angst</a>").
pub struct ListingContext {
    pub before: String,
    pub name: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "listing_page.html")]
pub struct ListingTemplate {
    pub l: Layout,
    pub context: Option<ListingContext>,
    pub listing: Listing,
}

/// A page of `filter`'s works; a page number past the end is a 404.
pub async fn load(
    state: &AppState,
    filter: WorkListFilter,
    page: u32,
) -> Result<WorkPage, WebError> {
    let per_page = state.config().per_page;
    let mut works = state
        .store()
        .list_works_for(
            &filter,
            &crate::visibility::current_reader(),
            page,
            per_page,
        )
        .await?;
    // A logged-in reader's muted users and tags stay out of their listings.
    crate::responding::service::hide_muted(
        state,
        &crate::accounts::current().viewer,
        &mut works.items,
    )
    .await?;
    if page > 1 && works.items.is_empty() {
        return Err(WebError::NotFound);
    }
    Ok(works)
}

pub async fn show(State(state): State<AppState>, query: QueryPairs) -> Result<Response, WebError> {
    let page = page_number(&query);
    let slot = match guest_cache::lookup(&state, format!("/works?page={page}")) {
        Lookup::Hit(r) => return Ok(r),
        Lookup::Miss(slot) => slot,
    };
    let works = load(&state, WorkListFilter::All, page).await?;
    let title = if page > 1 {
        format!("Works (page {page})")
    } else {
        "Works".to_string()
    };
    let tpl = ListingTemplate {
        l: Layout::new(&state, title),
        context: None,
        listing: Listing::of(&works, "/works"),
    };
    match slot {
        Some(slot) => Ok(slot.keep(&state, tpl.render()?)),
        None => render(&tpl),
    }
}
