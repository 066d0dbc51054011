//! `/series/{id}`: a series (AO3's series page): its title, creators, description and
//! notes, stats, and its works in order as blurbs, each with its part number.
//!
//! Only works the viewer may open are listed (`can_view_work`, the rule of a work's own
//! pages, so creators see their drafts in place and moderators the hidden parts), less
//! the works the reader muted, as in every listing; a series with none is a 404. The
//! visibility matrix test checks this page for every viewer and state. The creators are the shown creators of the listed works;
//! when any listed work hides its creators from this viewer (anonymous), the series
//! shows "Anonymous" (in every blurb too), so naming the others cannot give the
//! anonymous one away.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use tome_store::WorkBlurb;
use tome_store::subscriptions::SubscriptionKind;

use crate::AppState;
use crate::accounts::Viewer;
use crate::error::WebError;
use crate::format::{commas, iso_date};
use crate::layout::Layout;
use crate::pages::{parse_id, render};
use crate::views::{BlurbView, CreatorLink, SeriesPart};
use crate::visibility::{can_view_work, shown_creators};

#[derive(Template)]
#[template(path = "series.html")]
pub struct SeriesTemplate {
    pub l: Layout,
    pub id: i64,
    pub title: String,
    /// Empty: "Anonymous".
    pub creators: Vec<CreatorLink>,
    pub begun: String,
    pub updated: String,
    pub summary_html: Option<String>,
    pub notes_html: Option<String>,
    pub words: String,
    pub works: String,
    pub complete: bool,
    /// `Some(subscribed)` for a logged-in reader.
    pub subscribed: Option<bool>,
    pub blurbs: Vec<BlurbView>,
}

/// The creators a series shows this viewer: every listed work's shown creators, once
/// each; none when any listed work is anonymous to the viewer.
fn series_creators(viewer: &Viewer, works: &[WorkBlurb]) -> Vec<CreatorLink> {
    let mut seen = Vec::new();
    let mut links = Vec::new();
    for w in works {
        let shown = shown_creators(viewer, w);
        if shown.is_empty() {
            return Vec::new();
        }
        for p in shown {
            if !seen.contains(&p.id) {
                seen.push(p.id);
                links.push(CreatorLink::of(&p));
            }
        }
    }
    links
}

/// Sanitized HTML, `None` when blank.
fn text(html: Option<&str>) -> Option<String> {
    html.filter(|s| !s.trim().is_empty())
        .map(tome_text::sanitize_html)
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let store = state.store();
    let series = store.series(id).await?.ok_or(WebError::NotFound)?;
    let places = store.series_works(id).await?;
    let ids: Vec<i64> = places.iter().map(|(w, _)| *w).collect();
    let mut works = crate::search::blurbs(&state, &ids).await?;
    works.retain(|b| can_view_work(&viewer, b));
    if works.is_empty() {
        return Err(WebError::NotFound);
    }
    let creators = series_creators(&viewer, &works);
    let anonymous = creators.is_empty();
    let words: u64 = works.iter().map(|w| w.word_count).sum();
    let count = works.len();
    let begun = works.iter().map(|w| w.published_at).min().unwrap_or(0);
    let updated = works.iter().map(|w| w.updated_at).max().unwrap_or(0);
    // A reader's muted users and tags stay out of the list, as in every listing.
    crate::responding::service::hide_muted(&viewer, &mut works);
    let subscribed = match viewer.user_id() {
        Some(u) => Some(store.is_subscribed(u, SubscriptionKind::Series, id).await?),
        None => None,
    };
    let blurbs = works
        .iter()
        .map(|w| {
            let mut b = BlurbView::of(w);
            if anonymous {
                // A named part's byline would give the anonymous part away.
                b.creators.clear();
            }
            b.part = places
                .iter()
                .find(|(work, _)| *work == w.id)
                .map(|(_, position)| SeriesPart {
                    position: *position,
                    series_id: id,
                    series_title: series.title.clone(),
                });
            b
        })
        .collect();
    render(&SeriesTemplate {
        l: Layout::new(&state, series.title.clone()),
        id,
        creators,
        begun: iso_date(begun),
        updated: iso_date(updated),
        summary_html: text(series.summary_html.as_deref()),
        notes_html: text(series.notes_html.as_deref()),
        words: commas(words),
        works: commas(count as u64),
        complete: series.complete,
        subscribed,
        blurbs,
        title: series.title,
    })
}
