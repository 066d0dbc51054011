//! `/tags/{tag}/works`: works tagged with the tag, its synonyms and its subtags, through
//! the search engine with the tag pre-included, every AO3 filter parameter applied on top
//! and AO3's filter sidebar. A synonym's works page redirects (301) to its canonical
//! tag's, keeping the query, as on AO3. Without a search index (a state built without
//! one) the plain SQL listing is served.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tome_model::filter::TagId;
use tome_store::{TagInfo, WorkListFilter};

use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::listing_cache::{self, Lookup};
use crate::pages::tag::{Named, find_or_renamed, moved};
use crate::pages::works_index::{ListingContext, ListingTemplate, load};
use crate::pages::{RenderFor, render, render_status};
use crate::search::params::{self, FieldError, Parsed};
use crate::search::sidebar::{Sidebar, sidebar};
use crate::search::{find as search, listing};
use crate::views::{Listing, tag_href, tag_works_href};

#[derive(Template)]
#[template(path = "search/tag_works.html")]
pub struct TagWorksTemplate {
    pub l: Layout,
    pub tag_name: String,
    pub tag_href: String,
    pub errors: Vec<FieldError>,
    pub too_deep: Option<String>,
    pub listing: Listing,
    pub s: Sidebar,
}

pub async fn show(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    // Keyed by the name as asked: a redirect (renamed tag, synonym) is never kept.
    let slot = match listing_cache::lookup(
        &state,
        &format!("{}?{}", tag_works_href(&tag), raw.as_deref().unwrap_or("")),
    ) {
        Lookup::Hit(r) => return Ok(r),
        Lookup::Miss(slot) => slot,
    };
    let t = match find_or_renamed(&state, &tag).await? {
        Named::Tag(t) => *t,
        // A renamed tag's old name leads to its works under the new name.
        Named::Renamed(to) => return Ok(moved(&tag_works_href(&to), raw.as_deref())),
    };
    if let Some(m) = &t.merger {
        let mut target = tag_works_href(&m.name);
        if let Some(q) = raw.as_deref().filter(|q| !q.is_empty()) {
            target.push('?');
            target.push_str(q);
        }
        // AO3 answers 301 here (axum's `Redirect::permanent` is 308).
        return Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, target)]).into_response());
    }
    let (parsed, mut errors) = match params::decode(raw.as_deref()) {
        Ok(pairs) => {
            let p = params::parse(pairs);
            let e = p.errors.clone();
            (p, e)
        }
        Err(message) => (
            Parsed::default(),
            vec![FieldError {
                field: String::new(),
                message,
            }],
        ),
    };
    if state.search().is_none() {
        return sql_listing(&state, &t, parsed.filter.page.max(1)).await;
    }
    let who = RenderFor::for_listing(slot.as_ref());
    let viewer = who.viewer();
    // What could not be understood is reported and left out; the rest still applies.
    let mut filter = parsed.filter.clone();
    if filter.page == 0 {
        filter.page = 1;
    }
    let base = TagId {
        kind: Some(t.kind),
        id: t.id,
    };
    let path = tag_works_href(&t.name);
    let found = search(&state, &viewer, &filter, Some(base)).await?;
    if found.page > 1 && found.blurbs.is_empty() && found.too_deep.is_none() {
        return Err(WebError::NotFound);
    }
    let graph = state.search().map(|s| s.graph()).unwrap_or_default();
    let s = sidebar(
        &path,
        &parsed,
        &filter,
        found.facets.as_ref(),
        &graph,
        Some(graph.canonical(t.id)),
        found.total,
    );
    // A typo'd or malformed value is the reader's to fix (400); an unknown tag name
    // simply matches nothing, said plainly.
    let bad = !errors.is_empty() || found.too_deep.is_some();
    errors.extend(found.unknown_tags.iter().map(|n| FieldError {
        field: "work_search[other_tag_names]".into(),
        message: format!("No tag named \u{201c}{n}\u{201d} exists in this archive."),
    }));
    let title = if filter.page > 1 {
        format!("{} - Works (page {})", t.name, filter.page)
    } else {
        format!("{} - Works", t.name)
    };
    let tpl = TagWorksTemplate {
        l: who.layout(&state, title),
        tag_href: tag_href(&t.name),
        tag_name: t.name.clone(),
        errors,
        too_deep: found.too_deep.clone(),
        listing: listing(&found, &filter, &path),
        s,
    };
    if bad {
        render_status(StatusCode::BAD_REQUEST, &tpl)
    } else if let Some(slot) = slot {
        Ok(slot.keep(&state, tpl.render()?, &found.blurbs))
    } else {
        render(&tpl)
    }
}

/// The listing straight from SQL, newest update first, for a state without an index.
async fn sql_listing(state: &AppState, t: &TagInfo, page: u32) -> Result<Response, WebError> {
    let works = load(state, WorkListFilter::Tag(t.id), page).await?;
    render(&ListingTemplate {
        l: Layout::new(state, format!("{} - Works", t.name)),
        context: Some(ListingContext {
            before: "Works in ".into(),
            href: Some(tag_href(&t.name)),
            name: t.name.clone(),
        }),
        listing: Listing::of(&works, &tag_works_href(&t.name)),
    })
}
