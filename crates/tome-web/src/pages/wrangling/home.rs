//! `GET /tag_wranglings`: the wrangler's home: every canonical fandom with its unwrangled
//! tags counted per kind, each count a link to that fandom's queue; the "no fandom"
//! queue and the wrangling log.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tome_model::TagKind;

use crate::AppState;
use crate::accounts::RequireUser;
use crate::error::WebError;
use crate::format::commas;
use crate::layout::Layout;
use crate::pages::render;
use crate::pages::wrangling::{kind_param, must_wrangle, wrangle_href};
use crate::views::tag_href;

/// One count cell: "12" linking to the queue of that kind.
pub struct CountCell {
    pub count: String,
    pub href: String,
    pub zero: bool,
}

/// One fandom row.
pub struct FandomRow {
    pub name: String,
    pub href: String,
    pub wrangle_href: String,
    pub cells: Vec<CountCell>,
}

#[derive(Template)]
#[template(path = "wrangling/home.html")]
pub struct HomeTemplate {
    pub l: Layout,
    pub fandoms: Vec<FandomRow>,
}

/// The kinds counted on the home page, in column order.
const COLUMNS: [TagKind; 3] = [TagKind::Character, TagKind::Relationship, TagKind::Freeform];

pub async fn show(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
) -> Result<Response, WebError> {
    must_wrangle(&user)?;
    // Cached: may be a few seconds stale (see `crate::counts`).
    let counts = state.counts().wrangling_fandoms(state.store()).await?;
    let fandoms = counts
        .iter()
        .map(|f| {
            let wrangle = wrangle_href(&f.fandom.name);
            FandomRow {
                name: f.fandom.name.clone(),
                href: tag_href(&f.fandom.name),
                cells: COLUMNS
                    .iter()
                    .map(|kind| {
                        let n = f
                            .unwrangled
                            .iter()
                            .find(|(k, _)| k == kind)
                            .map_or(0, |(_, n)| *n);
                        CountCell {
                            count: commas(n),
                            href: format!("{wrangle}?show={}&status=unwrangled", kind_param(*kind)),
                            zero: n == 0,
                        }
                    })
                    .collect(),
                wrangle_href: wrangle,
            }
        })
        .collect();
    render(&HomeTemplate {
        l: Layout::new(&state, "Tag Wrangling"),
        fandoms,
    })
}
