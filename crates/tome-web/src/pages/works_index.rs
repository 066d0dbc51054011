//! `/works?page=N`: every work, newest update first. Also the listing template other
//! listings (tags, users, pseuds) share.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tome_store::{WorkListFilter, WorkPage};

use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::listing_cache::{self, Lookup};
use crate::pages::{QueryPairs, RenderFor, page_number, render};
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

/// A page of `filter`'s works for the current viewer; a page number past the end is a
/// 404.
pub async fn load(
    state: &AppState,
    filter: WorkListFilter,
    page: u32,
) -> Result<WorkPage, WebError> {
    load_for(
        state,
        &RenderFor::Viewer(crate::accounts::current().viewer),
        filter,
        page,
    )
    .await
}

/// A page of `filter`'s works for a viewer (their mutes applied) or a whole audience,
/// from SQL.
pub async fn load_for(
    state: &AppState,
    who: &RenderFor,
    filter: WorkListFilter,
    page: u32,
) -> Result<WorkPage, WebError> {
    let per_page = state.config().per_page;
    let viewer = who.viewer();
    let mut works = state
        .store()
        .list_works_for(&filter, &crate::visibility::reader(&viewer), page, per_page)
        .await?;
    // A logged-in reader's muted users and tags stay out of their listings.
    crate::responding::service::hide_muted(&viewer, &mut works.items);
    if page > 1 && works.items.is_empty() {
        return Err(WebError::NotFound);
    }
    Ok(works)
}

/// A page of every work, newest update first, for a viewer or an audience: from the
/// search index when the archive has one (its count and order are the index's, which
/// holds what listings show), else from SQL.
pub async fn all_works(
    state: &AppState,
    who: &RenderFor,
    page: u32,
    per_page: u32,
) -> Result<WorkPage, WebError> {
    if state.search().is_none() {
        let viewer = who.viewer();
        let mut works = state
            .store()
            .list_works_for(
                &WorkListFilter::All,
                &crate::visibility::reader(&viewer),
                page,
                per_page,
            )
            .await?;
        crate::responding::service::hide_muted(&viewer, &mut works.items);
        return Ok(works);
    }
    let filter = tome_model::filter::WorkFilter::default().with_page(page);
    let found =
        crate::search::find_page(state, &who.viewer(), &filter, None, per_page, false).await?;
    Ok(WorkPage {
        total: found.total,
        page: found.page,
        per_page,
        items: found.blurbs,
    })
}

pub async fn show(State(state): State<AppState>, query: QueryPairs) -> Result<Response, WebError> {
    let page = page_number(&query);
    let slot = match listing_cache::lookup(&state, &format!("/works?page={page}")) {
        Lookup::Hit(r) => return Ok(r),
        Lookup::Miss(slot) => slot,
    };
    let who = RenderFor::for_listing(slot.as_ref());
    let works = all_works(&state, &who, page, state.config().per_page).await?;
    if page > 1 && works.items.is_empty() {
        return Err(WebError::NotFound);
    }
    let title = if page > 1 {
        format!("Works (page {page})")
    } else {
        "Works".to_string()
    };
    let tpl = ListingTemplate {
        l: who.layout(&state, title),
        context: None,
        listing: Listing::of(&works, "/works"),
    };
    match slot {
        Some(slot) => Ok(slot.keep(&state, tpl.render()?, &works.items)),
        None => render(&tpl),
    }
}
