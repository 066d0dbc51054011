//! `/users/{login}/pseuds/{pseud}` and `/users/{login}/pseuds/{pseud}/works?page=N`:
//! the works a pseud created.

use axum::extract::{Path, State};
use axum::response::Response;
use tome_store::WorkListFilter;

use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::works_index::{ListingContext, ListingTemplate, load};
use crate::pages::{QueryPairs, page_number, render};
use crate::views::{Listing, pseud_href, user_href};

async fn listing(
    state: AppState,
    login: String,
    pseud: String,
    page: u32,
    base_suffix: &str,
) -> Result<Response, WebError> {
    let p = state
        .store()
        .pseud(&login, &pseud)
        .await?
        .ok_or(WebError::NotFound)?;
    let works = load(&state, WorkListFilter::Pseud(p.id), page).await?;
    let display = if p.name == p.login {
        p.name.clone()
    } else {
        format!("{} ({})", p.name, p.login)
    };
    let base = format!("{}{base_suffix}", pseud_href(&p.login, &p.name));
    render(&ListingTemplate {
        l: Layout::new(&state, format!("{display} - Works")),
        context: Some(ListingContext {
            before: "Works by ".into(),
            href: Some(user_href(&p.login)),
            name: display,
        }),
        listing: Listing::of(&works, &base),
    })
}

pub async fn show(
    State(state): State<AppState>,
    Path((login, pseud)): Path<(String, String)>,
    query: QueryPairs,
) -> Result<Response, WebError> {
    listing(state, login, pseud, page_number(&query), "").await
}

pub async fn works(
    State(state): State<AppState>,
    Path((login, pseud)): Path<(String, String)>,
    query: QueryPairs,
) -> Result<Response, WebError> {
    listing(state, login, pseud, page_number(&query), "/works").await
}
