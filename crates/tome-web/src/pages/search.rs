//! `/works/search`: AO3's work search. Without search fields (or with
//! `edit_search=true`) the form; with them the results, "N Found", highlighted matches,
//! page links and the filter sidebar. A value that cannot be understood shows the form
//! again with what was typed and a message (400).
//!
//! Guests' result pages are kept rendered (with the CSRF slot unfilled) in the search
//! index's page cache, keyed by the query string, and dropped whenever the index reloads:
//! every guest sees the same page for the same search, and a popular search is then
//! served without touching the engine or the database. **Staleness bound:** a cached page
//! shows its works as they were when it was rendered until the indexer applies the next
//! outbox batch (a few seconds; hiding or editing a work writes an outbox row); counters
//! that change without an outbox row (hits) lag until then. Logged-in readers' pages are
//! never cached (restricted works, their own muting).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use tome_model::filter::WorkFilter;

use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::listing_cache::{self, Lookup};
use crate::pages::{RenderFor, render, render_status};
use crate::search::form::{SearchForm, search_form};
use crate::search::params::{self, FieldError, Parsed};
use crate::search::sidebar::{Sidebar, sidebar};
use crate::search::{filter_href, find, listing};
use crate::views::Listing;

#[derive(Template)]
#[template(path = "search/form.html")]
pub struct FormTemplate {
    pub l: Layout,
    pub errors: Vec<FieldError>,
    pub notice: Option<String>,
    pub f: SearchForm,
}

#[derive(Template)]
#[template(path = "search/results.html")]
pub struct ResultsTemplate {
    pub l: Layout,
    pub errors: Vec<FieldError>,
    /// What was searched for, in words.
    pub summary: String,
    pub edit_href: String,
    /// The total, with commas.
    pub found: String,
    pub too_deep: Option<String>,
    pub unknown_tags: Vec<String>,
    pub listing: Listing,
    pub s: Sidebar,
}

const PATH: &str = "/works/search";

pub async fn show(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let parsed = match params::decode(raw.as_deref()) {
        Ok(pairs) => params::parse(pairs),
        Err(message) => {
            let errors = vec![FieldError {
                field: String::new(),
                message,
            }];
            return form(
                &state,
                Parsed::default(),
                errors,
                None,
                StatusCode::BAD_REQUEST,
            );
        }
    };
    if !parsed.errors.is_empty() {
        let errors = parsed.errors.clone();
        return form(&state, parsed, errors, None, StatusCode::BAD_REQUEST);
    }
    let Some(search) = state.search() else {
        let notice = Some("Search is not available on this archive right now.".to_string());
        return form(
            &state,
            parsed,
            Vec::new(),
            notice,
            StatusCode::SERVICE_UNAVAILABLE,
        );
    };
    if !parsed.has_search || parsed.edit {
        return form(&state, parsed, Vec::new(), None, StatusCode::OK);
    }
    let slot =
        match listing_cache::lookup(&state, &format!("{PATH}?{}", raw.as_deref().unwrap_or(""))) {
            Lookup::Hit(page) => return Ok(page),
            Lookup::Miss(slot) => slot,
        };
    let who = RenderFor::for_listing(slot.as_ref());
    let viewer = who.viewer();
    let filter = &parsed.filter;
    let found = find(&state, &viewer, filter, None).await?;
    let graph = search.graph();
    let s = sidebar(
        PATH,
        &parsed,
        filter,
        found.facets.as_ref(),
        &graph,
        None,
        found.total,
    );
    let mut edit = filter.with_page(1);
    edit.sort = filter.sort;
    let edit_href = format!(
        "{}{}edit_search=true",
        filter_href(PATH, &edit),
        if edit.to_pairs().is_empty() { "?" } else { "&" }
    );
    let tpl = ResultsTemplate {
        l: who.layout(&state, "Search Results"),
        errors: Vec::new(),
        summary: summary(filter),
        edit_href,
        found: crate::format::commas(found.total),
        too_deep: found.too_deep.clone(),
        unknown_tags: found.unknown_tags.clone(),
        listing: listing(&found, filter, PATH),
        s,
    };
    if found.too_deep.is_some() {
        render_status(StatusCode::BAD_REQUEST, &tpl)
    } else if let Some(slot) = slot {
        Ok(slot.keep(&state, tpl.render()?, &found.blurbs))
    } else {
        render(&tpl)
    }
}

fn form(
    state: &AppState,
    parsed: Parsed,
    errors: Vec<FieldError>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let graph = state.search().map(|s| s.graph()).unwrap_or_default();
    let tpl = FormTemplate {
        l: Layout::new(state, "Search Works"),
        errors,
        notice,
        f: search_form(&parsed, &graph),
    };
    if status == StatusCode::OK {
        render(&tpl)
    } else {
        render_status(status, &tpl)
    }
}

/// "dragons, complete, sort by Kudos": what the reader asked, in words.
fn summary(f: &WorkFilter) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !f.query.is_empty() {
        parts.push(f.query.clone());
    }
    parts.extend(f.include_names.iter().cloned());
    parts.extend(f.exclude_names.iter().map(|n| format!("-{n}")));
    if let Some(c) = f.complete {
        parts.push(if c { "Complete" } else { "Incomplete" }.into());
    }
    if f.single_chapter {
        parts.push("single chapter".into());
    }
    match (f.words_from, f.words_to) {
        (Some(a), Some(b)) => parts.push(format!("{a}-{b} words")),
        (Some(a), None) => parts.push(format!("more than {a} words")),
        (None, Some(b)) => parts.push(format!("fewer than {b} words")),
        (None, None) => {}
    }
    if let Some(d) = f.updated {
        parts.push(format!("updated {d}"));
    }
    if let Some(l) = &f.language {
        parts.push(format!("language: {l}"));
    }
    let (col, dir) = f.effective_sort();
    parts.push(format!(
        "sort by: {} {}",
        col.label().to_lowercase(),
        if dir.as_str() == "asc" {
            "ascending"
        } else {
            "descending"
        }
    ));
    parts.join(", ")
}
