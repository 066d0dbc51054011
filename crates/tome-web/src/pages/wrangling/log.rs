//! `GET /tag_wranglings/log?page=N`: the wrangling log, newest first: who changed which
//! tag how, and when. Also the entries a tag's edit page lists.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tome_store::LogEntry;

use crate::AppState;
use crate::accounts::RequireUser;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::wrangling::{edit_href, must_wrangle, when};
use crate::pages::{QueryPairs, page_number, render};
use crate::views::user_href;

/// Log entries per page.
pub const PER_PAGE: u32 = 50;

/// One log line as printed.
pub struct LogRow {
    pub at: String,
    pub by: Option<(String, String)>,
    pub tag: String,
    pub tag_href: String,
    pub action: String,
    pub description: String,
}

impl LogRow {
    pub fn of(e: &LogEntry) -> LogRow {
        LogRow {
            at: when(e.at),
            by: e.by_login.as_ref().map(|l| (l.clone(), user_href(l))),
            tag: e.tag.name.clone(),
            tag_href: edit_href(&e.tag.name),
            action: e.action.clone(),
            description: e.description.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "wrangling/log.html")]
pub struct LogTemplate {
    pub l: Layout,
    pub rows: Vec<LogRow>,
    pub page: u32,
    pub prev: Option<String>,
    pub next: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    query: QueryPairs,
) -> Result<Response, WebError> {
    must_wrangle(&user)?;
    let page = page_number(&query);
    // One more than a page tells whether there is a next one.
    let mut entries = state
        .store()
        .wrangling_log(None, page, PER_PAGE + 1)
        .await?;
    if page > 1 && entries.is_empty() {
        return Err(WebError::NotFound);
    }
    let more = entries.len() > PER_PAGE as usize;
    entries.truncate(PER_PAGE as usize);
    let href = |n: u32| format!("/tag_wranglings/log?page={n}");
    render(&LogTemplate {
        l: Layout::new(&state, "Wrangling Log"),
        rows: entries.iter().map(LogRow::of).collect(),
        page,
        prev: (page > 1).then(|| href(page - 1)),
        next: more.then(|| href(page + 1)),
    })
}
