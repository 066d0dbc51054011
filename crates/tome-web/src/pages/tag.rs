//! `/tags/{tag}`: what a tag is: its kind, whether it is canonical, what it is a synonym
//! of, its synonyms, parents and subtags.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use tome_model::tag_from_path;
use tome_store::TagInfo;

use crate::AppState;
use crate::error::WebError;
use crate::format::commas;
use crate::layout::Layout;
use crate::pages::render;
use crate::views::{TagLink, tag_works_href};

#[derive(Template)]
#[template(path = "tag.html")]
pub struct TagTemplate {
    pub l: Layout,
    pub name: String,
    pub kind: String,
    pub canonical: bool,
    pub merger: Option<TagLink>,
    pub merger_works: String,
    pub works_href: String,
    pub works_count: String,
    pub synonyms: Vec<TagLink>,
    pub parents: Vec<TagLink>,
    pub children: Vec<TagLink>,
}

/// The tag a path segment names (already percent-decoded by axum).
pub async fn find(state: &AppState, segment: &str) -> Result<TagInfo, WebError> {
    let name = tag_from_path(segment);
    state
        .store()
        .tag_by_name(&name)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    Path(tag): Path<String>,
) -> Result<Response, WebError> {
    let t = find(&state, &tag).await?;
    let kind = kind_name(t.kind).to_string();
    let merger = t.merger.as_ref().map(TagLink::info);
    let merger_works = t
        .merger
        .as_ref()
        .map(|m| tag_works_href(&m.name))
        .unwrap_or_default();
    render(&TagTemplate {
        l: Layout::new(&state, t.name.clone()),
        works_href: tag_works_href(&t.name),
        works_count: commas(t.works_count),
        kind,
        canonical: t.canonical,
        merger,
        merger_works,
        synonyms: t.synonyms.iter().map(TagLink::info).collect(),
        parents: t.parents.iter().map(TagLink::info).collect(),
        children: t.children.iter().map(TagLink::info).collect(),
        name: t.name,
    })
}

/// AO3's singular kind names ("Fandom", "Additional Tags").
fn kind_name(kind: tome_model::TagKind) -> &'static str {
    use tome_model::TagKind::*;
    match kind {
        Rating => "Rating",
        Warning => "Warning",
        Category => "Category",
        Fandom => "Fandom",
        Relationship => "Relationship",
        Character => "Character",
        Freeform => "Additional Tags",
    }
}
