//! `/tags/{tag}/works?page=N`: works tagged with the tag, its synonyms and its subtags.
//! A synonym's works page redirects (301) to its canonical tag's, as on AO3.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tome_store::WorkListFilter;

use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::tag::find;
use crate::pages::works_index::{ListingContext, ListingTemplate, load};
use crate::pages::{QueryPairs, page_number, render};
use crate::views::{Listing, tag_href, tag_works_href};

pub async fn show(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let t = find(&state, &tag).await?;
    if let Some(m) = &t.merger {
        let mut target = tag_works_href(&m.name);
        let page = page_number(&query);
        if page > 1 {
            target.push_str(&format!("?page={page}"));
        }
        // AO3 answers 301 here (axum's `Redirect::permanent` is 308).
        return Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, target)]).into_response());
    }
    let page = page_number(&query);
    let works = load(&state, WorkListFilter::Tag(t.id), page).await?;
    render(&ListingTemplate {
        l: Layout::new(&state, format!("{} - Works", t.name)),
        context: Some(ListingContext {
            before: "Works in ".into(),
            href: Some(tag_href(&t.name)),
            name: t.name.clone(),
        }),
        listing: Listing::of(&works, &tag_works_href(&t.name)),
    })
}
