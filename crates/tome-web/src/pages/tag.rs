//! `/tags/{tag}`: what a tag is: its kind, whether it is canonical (or which canonical tag
//! it is a synonym of), its synonyms, parent fandoms, metatags and subtags, a
//! relationship's characters, a character's relationships, a fandom's media, related
//! tags, how many works use it, and the first page of its works (as its works page lists
//! them) with a link to all. A renamed tag's old name answers 301 to the new one.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tome_model::filter::{TagId, WorkFilter};
use tome_model::tag_from_path;
use tome_store::{TagInfo, TagLookup, TagRef, WorkListFilter};

use crate::AppState;
use crate::error::WebError;
use crate::format::commas;
use crate::layout::Layout;
use crate::pages::render;
use crate::pages::works_index::load;
use crate::views::{Listing, TagLink, tag_href, tag_works_href};

/// A related tag with the number of works it shares with this one.
pub struct Related {
    pub link: TagLink,
    pub count: String,
}

/// A medium a fandom belongs to, linking to its fandoms.
pub struct MediumLink {
    pub name: String,
    pub href: String,
}

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
    /// Works tagged with it or a synonym (and, through the listing, its subtags).
    pub uses: String,
    pub synonyms: Vec<TagLink>,
    pub fandoms: Vec<TagLink>,
    pub metatags: Vec<TagLink>,
    pub subtags: Vec<TagLink>,
    pub characters: Vec<TagLink>,
    pub relationships: Vec<TagLink>,
    pub media: Vec<MediumLink>,
    pub related: Vec<Related>,
    /// Other children (a fandom's characters, relationships, tags).
    pub children: Vec<TagLink>,
    /// The first page of its works; `None` for a synonym (its works are the canonical's).
    pub works: Option<Listing>,
    /// The wrangler's edit link, for wranglers.
    pub edit_href: Option<String>,
}

/// The tag a path segment names (already percent-decoded by axum).
pub async fn find(state: &AppState, segment: &str) -> Result<TagInfo, WebError> {
    match find_or_renamed(state, segment).await? {
        Named::Tag(t) => Ok(*t),
        Named::Renamed(_) => Err(WebError::NotFound),
    }
}

/// A tag, or the new name of a renamed canonical tag.
pub enum Named {
    Tag(Box<TagInfo>),
    Renamed(String),
}

/// The tag a path segment names, or where its old name now leads (the store finds a
/// renamed tag by its old name too: a name other than the one asked for is a rename).
pub async fn find_or_renamed(state: &AppState, segment: &str) -> Result<Named, WebError> {
    let name = tag_from_path(segment);
    let t = state
        .store()
        .tag_uncounted(&name)
        .await?
        .ok_or(WebError::NotFound)?;
    if t.name.to_lowercase() == name.trim().to_lowercase() {
        Ok(Named::Tag(Box::new(t)))
    } else {
        Ok(Named::Renamed(t.name))
    }
}

/// A 301 to `target`, keeping the query (AO3 answers 301 where axum's
/// `Redirect::permanent` is 308).
pub fn moved(target: &str, query: Option<&str>) -> Response {
    let mut target = target.to_string();
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        target.push('?');
        target.push_str(q);
    }
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, target)]).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    Path(tag): Path<String>,
) -> Result<Response, WebError> {
    let name = tag_from_path(&tag);
    // With an index, related tags come from the first page's facets (below).
    let related_from_sql = state.search().is_none();
    let mut d = match state
        .store()
        .tag_detail_with(&name, related_from_sql, crate::visibility::audience())
        .await?
    {
        Some(TagLookup::Found(d)) => d,
        Some(TagLookup::Renamed { to }) => return Ok(moved(&tag_href(&to), None)),
        None => return Err(WebError::NotFound),
    };
    let works = match &d.info.merger {
        Some(_) => None,
        None => {
            let (listing, related) = first_works_and_related(&state, &d.info).await?;
            if let Some(related) = related {
                d.related = related;
            }
            Some(listing)
        }
    };
    let t = &d.info;
    let links = |v: &[TagRef]| v.iter().map(TagLink::info).collect::<Vec<_>>();
    // Children that are not already listed as subtags, characters or relationships.
    let shown: Vec<i64> = d
        .subtags
        .iter()
        .chain(&d.characters)
        .chain(&d.relationships)
        .map(|r| r.id)
        .collect();
    let children: Vec<TagRef> = t
        .children
        .iter()
        .filter(|c| !shown.contains(&c.id))
        .cloned()
        .collect();
    let viewer = crate::accounts::current().viewer;
    let wrangler = viewer
        .user
        .as_ref()
        .is_some_and(crate::pages::wrangling::is_wrangler);
    render(&TagTemplate {
        l: Layout::new(&state, t.name.clone()),
        works_href: tag_works_href(&t.name),
        works_count: commas(t.works_count),
        uses: commas(d.uses),
        kind: kind_name(t.kind).to_string(),
        canonical: t.canonical,
        merger: t.merger.as_ref().map(TagLink::info),
        merger_works: t
            .merger
            .as_ref()
            .map(|m| tag_works_href(&m.name))
            .unwrap_or_default(),
        synonyms: links(&t.synonyms),
        fandoms: links(&d.fandoms),
        metatags: links(&d.metatags),
        subtags: links(&d.subtags),
        characters: links(&d.characters),
        relationships: links(&d.relationships),
        media: d
            .media
            .iter()
            .map(|m| MediumLink {
                name: m.clone(),
                href: crate::pages::media::medium_href(m),
            })
            .collect(),
        related: d
            .related
            .iter()
            .map(|(r, n)| Related {
                link: TagLink::info(r),
                count: commas(*n),
            })
            .collect(),
        children: links(&children),
        works,
        edit_href: wrangler.then(|| crate::pages::wrangling::edit_href(&t.name)),
        name: t.name.clone(),
    })
}

/// The first page of a tag's works, as `/tags/{tag}/works` lists them: through the search
/// engine (synonyms and subtags count) for the current viewer, or from SQL when the
/// server has no index.
///
/// With the engine, also the tags most often on those works (the facets' top canonical
/// fandoms, relationships, characters and free tags, as the viewer may see them), best
/// first, at most 10, the tag itself left out.
pub async fn first_works_and_related(
    state: &AppState,
    t: &TagInfo,
) -> Result<(Listing, Option<Vec<(TagRef, u64)>>), WebError> {
    let path = tag_works_href(&t.name);
    if state.search().is_none() {
        let works = load(state, WorkListFilter::Tag(t.id), 1).await?;
        return Ok((Listing::of(&works, &path), None));
    }
    let viewer = crate::accounts::current().viewer;
    let filter = WorkFilter {
        page: 1,
        ..WorkFilter::default()
    };
    let base = TagId {
        kind: Some(t.kind),
        id: t.id,
    };
    let found = crate::search::find(state, &viewer, &filter, Some(base)).await?;
    let mut related: Vec<(TagRef, u64)> = found
        .facets
        .iter()
        .flat_map(|f| f.kinds.iter())
        .filter(|(kind, _)| kind.is_free())
        .flat_map(|(kind, counts)| {
            counts.iter().map(|c| {
                let r = TagRef {
                    id: c.id,
                    kind: *kind,
                    name: c.name.clone(),
                };
                (r, c.count)
            })
        })
        .filter(|(r, _)| r.id != t.id)
        .collect();
    // Only canonical tags: the facets also count unwrangled ones.
    let ids: Vec<i64> = related.iter().map(|(r, _)| r.id).collect();
    let canonical = state.store().canonical_ids(&ids).await?;
    related.retain(|(r, _)| canonical.contains(&r.id));
    // Each kind's top 10 holds the overall top 10.
    related.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.name.to_lowercase().cmp(&b.0.name.to_lowercase()))
    });
    related.truncate(10);
    Ok((
        crate::search::listing(&found, &filter, &path),
        Some(related),
    ))
}

/// AO3's singular kind names ("Fandom", "Additional Tags").
pub fn kind_name(kind: tome_model::TagKind) -> &'static str {
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
