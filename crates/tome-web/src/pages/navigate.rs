//! `/works/{id}/navigate`: the chapter index.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;

use crate::AppState;
use crate::accounts::Viewer;
use crate::cache::Variant;
use crate::error::WebError;
use crate::format::iso_date;
use crate::layout::Layout;
use crate::pages::work_view::chapter_label;
use crate::pages::{Rendered, parse_id, serve_work_page};
use crate::views::{CreatorLink, creators};

pub struct IndexEntry {
    pub id: i64,
    /// "N. Title".
    pub label: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "navigate.html")]
pub struct NavigateTemplate {
    pub l: Layout,
    pub work_id: i64,
    pub title: String,
    pub creators: Vec<CreatorLink>,
    pub chapters: Vec<IndexEntry>,
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let state = &state;
    serve_work_page(
        state,
        &viewer,
        &method,
        &headers,
        id,
        Variant::Navigate,
        false,
        |r| async move {
            let view = state
                .store()
                .work(id)
                .await?
                .filter(|v| crate::visibility::can_view_work(&r.viewer(), &v.blurb))
                .ok_or(WebError::NotFound)?;
            let b = &view.blurb;
            let l = r.layout_with_flash(state, format!("{} - Chapter Index", b.title));
            let tpl = NavigateTemplate {
                l,
                work_id: id,
                title: b.title.clone(),
                creators: creators(b),
                chapters: view
                    .chapters
                    .iter()
                    .map(|c| IndexEntry {
                        id: c.id,
                        label: chapter_label(c),
                        date: iso_date(c.published_at),
                    })
                    .collect(),
            };
            Ok(Rendered {
                html: tpl.render()?,
                version: view.version,
                modified_unix: b.updated_at,
                creators: b.creators.iter().map(|p| p.user_id).collect(),
                commenters: Vec::new(),
            })
        },
    )
    .await
}
