//! `/works/{id}/download.epub|.html|.txt`: a work as a file, built by `tome_text::export`.
//! Anonymous works carry "Anonymous" as their author.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tome_store::{ChapterFull, WorkView};
use tome_text::export::{ExportChapter, ExportWork, download_file_name, to_epub, to_html, to_txt};

use crate::AppState;
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
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let format = Format::from_file(&file).ok_or(WebError::NotFound)?;
    let store = state.store();
    let view = store
        .work(id)
        .await?
        .filter(|v| crate::visibility::guest_can_view(&v.blurb))
        .ok_or(WebError::NotFound)?;
    let chapters = store.chapters_full(id).await?;
    let work = export_work(&state, &headers, view, chapters);
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
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response())
}

/// The export model of a stored work; `url` from the request's Host header.
fn export_work(
    state: &AppState,
    headers: &HeaderMap,
    view: WorkView,
    chapters: Vec<ChapterFull>,
) -> ExportWork {
    let b = view.blurb;
    let authors = if b.anonymous {
        vec!["Anonymous".to_string()]
    } else {
        b.creators.iter().map(|p| p.name.clone()).collect()
    };
    let url = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b".-:[]".contains(&c))
        })
        .map(|h| format!("http://{h}/works/{}", b.id));
    let clean = |h: Option<String>| h.map(|h| tome_text::sanitize_html(&h));
    let names = |tags: &[tome_store::TagRef]| tags.iter().map(|t| t.name.clone()).collect();
    ExportWork {
        id: b.id,
        title: b.title.clone(),
        authors,
        language: b.language.clone(),
        rating: b.rating,
        warnings: b.warnings.iter().map(|w| w.name().to_string()).collect(),
        categories: b.categories.iter().map(|c| c.name().to_string()).collect(),
        fandoms: names(&b.fandoms),
        relationships: names(&b.relationships),
        characters: names(&b.characters),
        freeforms: names(&b.freeforms),
        summary_html: clean(b.summary_html.clone()),
        notes_begin_html: clean(view.notes_begin_html),
        notes_end_html: clean(view.notes_end_html),
        published_at: b.published_at,
        updated_at: b.updated_at,
        complete: b.complete,
        chapter_count: b.chapter_count,
        expected_chapters: b.expected_chapters,
        words: b.word_count,
        url,
        archive_name: state.site_name().to_string(),
        chapters: chapters
            .into_iter()
            .map(|c| ExportChapter {
                position: c.meta.position,
                title: c.meta.title,
                summary_html: clean(c.summary_html),
                notes_begin_html: clean(c.notes_begin_html),
                notes_end_html: clean(c.notes_end_html),
                body_html: tome_text::sanitize_html(&c.body_html),
            })
            .collect(),
    }
}
