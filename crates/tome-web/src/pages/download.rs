//! `/works/{id}/download.epub|.html|.txt`: a work as a file, built by `tome_text::export`
//! once per work version and kept ([`crate::download_cache`]), with `ETag`,
//! `If-None-Match` (304) and single `Range` requests (206, 416). Anonymous works carry
//! "Anonymous" as their author.

use axum::extract::{Path, State};
use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tome_text::export::{download_file_name, to_epub, to_html, to_txt};

use crate::AppState;
use crate::accounts::Viewer;
use crate::download_cache::{FileKey, KeptFile, Unsatisfiable, byte_range};
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
    let url = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b".-:[]".contains(&c))
        })
        .map(|h| format!("http://{h}/works/{id}"));
    // The version and wrangling head the kept file must match (see `download_cache`).
    let version = state
        .pages()
        .version(store, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let tags = state.pages().tags_head(store).await?;
    let key = FileKey {
        work_id: id,
        ext: format.ext(),
        url: url.clone(),
    };
    let reader = crate::visibility::reader(&viewer);
    let file = match state.downloads().get(&key, version, tags) {
        Some(f) => f,
        None => {
            // Nothing is built for a reader who may not have it.
            let view = store
                .work(id)
                .await?
                .filter(|v| crate::visibility::can_view_work(&viewer, &v.blurb))
                .ok_or(WebError::NotFound)?;
            let work_state = crate::visibility::state(&view.blurb);
            let creators = view.blurb.creators.iter().map(|p| p.user_id).collect();
            let built_at = view.version;
            let chapters = store.chapters_full(id).await?;
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
            let f = Arc::new(KeptFile::new(
                built_at, tags, body, name, work_state, creators,
            ));
            state.downloads().insert(key, f.clone());
            f
        }
    };
    if !file.admits(&reader) {
        return Err(WebError::NotFound);
    }
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition);
    h.insert(
        header::CACHE_CONTROL,
        // A restricted work's file must not sit in a shared cache.
        HeaderValue::from_static(if file.state.restricted || !viewer.is_guest() {
            "private, no-cache"
        } else {
            "no-cache"
        }),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(&file.etag) {
        h.insert(header::ETAG, v);
    }
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == file.etag || t.trim() == "*")
        });
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, h).into_response());
    }
    // A range only when If-Range (if sent) names this very file.
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == file.etag);
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| if_range_ok);
    let len = file.bytes.len() as u64;
    match byte_range(range, len) {
        Ok(None) => Ok((h, file.bytes.clone()).into_response()),
        Ok(Some((start, end))) => {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                h.insert(header::CONTENT_RANGE, v);
            }
            let part = file.bytes.slice(start as usize..=end as usize);
            Ok((StatusCode::PARTIAL_CONTENT, h, part).into_response())
        }
        Err(Unsatisfiable) => {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                h.insert(header::CONTENT_RANGE, v);
            }
            Ok((StatusCode::RANGE_NOT_SATISFIABLE, h).into_response())
        }
    }
}
