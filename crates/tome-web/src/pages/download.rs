//! `/works/{id}/download.epub|.html|.txt`: a work as a file, built by `tome_text::export`.
//! Anonymous works carry "Anonymous" as their author.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tome_text::export::{download_file_name, to_epub, to_html, to_txt};

use crate::AppState;
use crate::accounts::Viewer;
use crate::downloads::build_export;
use crate::error::WebError;
use crate::pages::parse_id;

/// The download formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Epub,
    Html,
    Txt,
}

impl Format {
    /// From the last path segment, `download.epub` etc.
    pub fn from_file(file: &str) -> Option<Format> {
        match file {
            "download.epub" => Some(Format::Epub),
            "download.html" => Some(Format::Html),
            "download.txt" => Some(Format::Txt),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Html => "html",
            Format::Txt => "txt",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Epub => "application/epub+zip",
            Format::Html => "text/html; charset=utf-8",
            Format::Txt => "text/plain; charset=utf-8",
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let format = Format::from_file(&file).ok_or(WebError::NotFound)?;
    let store = state.store();
    let view = store
        .work(id)
        .await?
        .filter(|v| crate::visibility::can_view_work(&viewer, &v.blurb))
        .ok_or(WebError::NotFound)?;
    let chapters = store.chapters_full(id).await?;
    let url = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b".-:[]".contains(&c))
        })
        .map(|h| format!("http://{h}/works/{id}"));
    let work = build_export(view, chapters, &state.archive_name(), url);
    let name = download_file_name(&work, format.ext());
    let body: Vec<u8> = match format {
        Format::Epub => {
            let w = work;
            tokio::task::spawn_blocking(move || to_epub(&w))
                .await
                .map_err(|e| WebError::Internal(format!("epub task: {e}")))?
                .map_err(|e| WebError::Internal(e.to_string()))?
        }
        Format::Html => to_html(&work).into_bytes(),
        Format::Txt => to_txt(&work).into_bytes(),
    };
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                // A restricted work's file must not sit in a shared cache.
                HeaderValue::from_static(if viewer.is_guest() {
                    "no-cache"
                } else {
                    "private, no-cache"
                }),
            ),
        ],
        body,
    )
        .into_response())
}
