//! Search and browse, as services pages call: run a [`WorkFilter`] for a viewer
//! ([`find`]), turn the hits into a listing with filter-keeping page links ([`listing`]),
//! and build AO3's filter sidebar ([`sidebar`]).
//!
//! The engine (`tome_search`) answers with a page of work ids; their blurbs come from the
//! engine's blurb cache, and those not kept from the store in one read for the whole page
//! (see `tome_search::blurbs`: a kept blurb is served only at its work's current version).
//! Who may see what is decided as everywhere else ([`crate::visibility`]): the index
//! holds no drafts or hidden works and leaves restricted ones out for guests, and every
//! blurb is checked again with `can_view_work`, so a work hidden a moment ago (before the
//! indexer caught up) still never shows.

pub mod form;
pub mod params;
pub mod sidebar;

use std::collections::HashMap;

use tome_model::filter::{TagId, WorkFilter};
use tome_search::{Facets, MAX_RESULTS, SearchError, SearchRequest};
use tome_store::{Audience, WorkBlurb, WorkPage};

use crate::AppState;
use crate::accounts::Viewer;
use crate::error::WebError;
use crate::format::commas;
use crate::views::Listing;

/// What a search found for one page.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Matching works the viewer may see (before muting, which is per page).
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// This page's works, in order.
    pub blurbs: Vec<WorkBlurb>,
    /// Highlighted text per work id, for text queries.
    pub snippets: HashMap<i64, String>,
    pub facets: Option<Facets>,
    /// Set when the page asked for lies past the paging cap: the message to show.
    pub too_deep: Option<String>,
    /// Included tag names the archive does not know.
    pub unknown_tags: Vec<String>,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Runs `filter` (plus `base`, a tag every result must carry, for tag listings) for the
/// viewer: the engine's page of ids, their blurbs in one query, facets for the sidebar.
/// A page past the paging cap is not an error: the result says so and carries the
/// total and facets of the first page.
pub async fn find(
    state: &AppState,
    viewer: &Viewer,
    filter: &WorkFilter,
    base: Option<TagId>,
) -> Result<Found, WebError> {
    find_page(state, viewer, filter, base, state.config().per_page, true).await
}

/// [`find`] with `per_page` works a page, and facets only when asked for (listings
/// without a sidebar need none).
pub async fn find_page(
    state: &AppState,
    viewer: &Viewer,
    filter: &WorkFilter,
    base: Option<TagId>,
    per_page: u32,
    facets: bool,
) -> Result<Found, WebError> {
    let search = state.search().ok_or_else(unavailable)?;
    let mut f = filter.clone();
    if let Some(t) = base {
        f.include.push(t);
    }
    let req = SearchRequest {
        filter: f,
        member: crate::visibility::audience_for(viewer) == Audience::Member,
        per_page,
        facets,
        now: now(),
    };
    let (results, too_deep) = match search.search(req.clone()).await {
        Ok(r) => (r, None),
        Err(e @ SearchError::TooDeep { .. }) => {
            let first = SearchRequest {
                filter: req.filter.with_page(1),
                ..req
            };
            let mut r = search.search(first).await.map_err(internal)?;
            r.ids.clear();
            r.snippets.clear();
            (r, Some(e.to_string()))
        }
        // Normally caught while reading the form (`params::parse`); a filter built
        // elsewhere still gets the reader-facing refusal, not an error page of ours.
        Err(SearchError::Query(e)) => return Err(WebError::BadRequest(e.to_string())),
        Err(SearchError::Unsearchable(m)) => return Err(WebError::BadRequest(m)),
        Err(e) => return Err(internal(e)),
    };
    let mut blurbs = blurbs(state, &results.ids).await?;
    blurbs.retain(|b| crate::visibility::can_view_work(viewer, b));
    crate::responding::service::hide_muted(viewer, &mut blurbs);
    Ok(Found {
        total: results.total,
        page: filter.page.max(1),
        per_page,
        blurbs,
        snippets: results.snippets,
        facets: results.facets,
        too_deep,
        unknown_tags: results.unknown_tags,
    })
}

/// The blurbs of `ids` in order: those the engine keeps (at their works' current
/// versions) from memory, the rest from the store; all from the store for a reference
/// render (`share_pages` off) or without an index. The caller decides visibility.
pub async fn blurbs(state: &AppState, ids: &[i64]) -> Result<Vec<WorkBlurb>, WebError> {
    Ok(
        match state.search().filter(|_| state.config().share_pages) {
            Some(search) => search.blurbs(ids).await?,
            None => state.store().blurbs_by_ids(ids).await?,
        },
    )
}

fn internal(e: SearchError) -> WebError {
    WebError::Internal(e.to_string())
}

fn unavailable() -> WebError {
    WebError::Internal("search requested but the server has no search index".into())
}

/// `base?query` for the filter on page `n` (just `base` when nothing is set).
pub fn filter_href(base: &str, filter: &WorkFilter) -> String {
    let qs = filter.to_query_string();
    if qs.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{qs}")
    }
}

/// The listing of a page of results: "1 - 20 of 1,234 Works", blurbs with snippets, and
/// page links that keep every filter (and stop at the paging cap).
pub fn listing(found: &Found, filter: &WorkFilter, base: &str) -> Listing {
    let per_page = found.per_page.max(1);
    let reachable = found
        .total
        .min(MAX_RESULTS - MAX_RESULTS % u64::from(per_page));
    let page = WorkPage {
        total: reachable,
        page: found.page,
        per_page,
        items: found.blurbs.clone(),
    };
    let mut l = Listing::of(&page, "");
    let href = |h: &str| {
        let n = h
            .strip_prefix("?page=")
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(1);
        filter_href(base, &filter.with_page(n))
    };
    l.prev = l.prev.as_deref().map(href);
    l.next = l.next.as_deref().map(href);
    for p in &mut l.pages {
        p.href = p.href.as_deref().map(href);
    }
    for b in &mut l.blurbs {
        b.snippet_html = found.snippets.get(&b.id).cloned();
    }
    l.heading = works_heading(found);
    l
}

/// "5 Works", "1 Work", or "21 - 40 of 1,234 Works".
pub fn works_heading(found: &Found) -> String {
    let word = if found.total == 1 { "Work" } else { "Works" };
    let per = u64::from(found.per_page.max(1));
    if found.blurbs.is_empty() || (found.total <= per && found.page <= 1) {
        return format!("{} {word}", commas(found.total));
    }
    let first = (u64::from(found.page.max(1)) - 1) * per + 1;
    let last = first + found.blurbs.len() as u64 - 1;
    format!(
        "{} - {} of {} {word}",
        commas(first),
        commas(last),
        commas(found.total)
    )
}
