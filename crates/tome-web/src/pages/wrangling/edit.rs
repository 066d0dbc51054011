//! A tag's edit page: `GET /tags/{tag}/edit` shows what the tag is (kind, canonical,
//! synonym of, parents, metatags, subtags, synonyms, children, characters, media), the
//! works using it and its wrangling log, with one small form per change; each posts to
//! `POST /tags/{tag}/edit` with `do` naming the change. A change made goes back to the
//! page (303) with a notice; a refused one shows the page again (422) with the store's
//! reason beside the form and what was typed kept.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tome_model::{TagKind, tag_from_path};
use tome_store::{StoreError, TagDetail, TagLookup, TagRef};

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser};
use crate::error::WebError;
use crate::format::{commas, iso_date};
use crate::layout::Layout;
use crate::pages::responding::see_other;
use crate::pages::tag::kind_name;
use crate::pages::wrangling::log::LogRow;
use crate::pages::wrangling::{FREE_KINDS, edit_href, kind_heading, must_wrangle, wrangle_href};
use crate::pages::{QueryPairs, query_value, render, render_status};
use crate::views::{TagLink, tag_href, tag_works_href};

/// Log entries shown on the edit page.
const LOG_ENTRIES: u32 = 50;

/// A parent (fandom or metatag) with the id its Remove form posts.
pub struct ParentRow {
    pub id: i64,
    pub name: String,
    pub href: String,
}

impl ParentRow {
    fn of(t: &TagRef) -> ParentRow {
        ParentRow {
            id: t.id,
            name: t.name.clone(),
            href: edit_href(&t.name),
        }
    }
}

/// What the forms hold: the tag's state, or what was typed into a refused form.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub tag_kind: String,
    pub canonical: bool,
    pub merger: String,
    pub new_name: String,
    pub fandom: String,
    pub metatag: String,
    pub characters: String,
    pub media: Vec<String>,
}

/// The one refused form's reason, shown beside it.
#[derive(Debug, Clone, Default)]
pub struct FormError(pub Option<(String, String)>);

impl FormError {
    /// The message for the form named `form`, if it was the refused one.
    pub fn of(&self, form: &str) -> Option<&str> {
        match &self.0 {
            Some((f, m)) if f == form => Some(m),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "wrangling/edit.html")]
pub struct EditTemplate {
    pub l: Layout,
    pub name: String,
    pub action: String,
    pub href: String,
    pub works_href: String,
    pub kind_label: &'static str,
    /// The autocomplete kind of same-kind fields (synonym of, metatag).
    pub kind: &'static str,
    pub canonical: bool,
    pub merger: Option<TagLink>,
    pub can_change_kind: bool,
    pub kind_options: Vec<(&'static str, &'static str, bool)>,
    pub takes_fandoms: bool,
    pub is_fandom: bool,
    pub is_relationship: bool,
    pub fandoms: Vec<ParentRow>,
    pub metatags: Vec<ParentRow>,
    pub subtags: Vec<TagLink>,
    pub synonyms: Vec<TagLink>,
    pub children: Vec<TagLink>,
    pub characters: Vec<TagLink>,
    pub relationships: Vec<TagLink>,
    pub media: Vec<String>,
    /// Every medium, ticked when the fandom (or the refused form) has it.
    pub media_options: Vec<(String, bool)>,
    pub queue_href: Option<String>,
    pub uses: String,
    pub own_uses: String,
    pub created: String,
    /// This tag's wrangling log.
    pub rows: Vec<LogRow>,
    pub typed: Typed,
    pub error: FormError,
    pub notice: Option<&'static str>,
}

/// `GET /tags/{tag}/edit[?done=ACTION]`.
pub async fn show(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(tag): Path<String>,
    query: QueryPairs,
) -> Result<Response, WebError> {
    must_wrangle(&user)?;
    let d = match lookup(&state, &tag).await? {
        Found::Tag(d) => d,
        Found::Moved(resp) => return Ok(resp),
    };
    let notice = query_value(&query, "done").and_then(notice);
    let tpl = page(&state, &d, typed_from(&d), FormError::default(), notice).await?;
    render(&tpl)
}

/// `POST /tags/{tag}/edit`: one change, named by `do`.
pub async fn update(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(tag): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    must_wrangle(&user)?;
    let d = match lookup(&state, &tag).await? {
        Found::Tag(d) => d,
        // A form from before a rename: its changes are for the tag under its new name.
        Found::Moved(_) => {
            return Err(WebError::Conflict(
                "This tag has been renamed since the page was loaded; open it again.".into(),
            ));
        }
    };
    let field = |name: &str| query_value(&form, name).unwrap_or("").trim().to_string();
    let action = field("do");
    let mut typed = typed_from(&d);
    let id = d.info.id;
    let store = state.store();
    let by = user.id;
    let mut after = d.info.name.clone();
    let result: Result<(), StoreError> = match action.as_str() {
        "kind" => {
            typed.tag_kind = field("tag_kind");
            match TagKind::parse(&typed.tag_kind).filter(|k| FREE_KINDS.contains(k)) {
                Some(k) => store.set_tag_kind(by, id, k).await,
                None => Err(StoreError::Invalid("Choose a kind.".into())),
            }
        }
        "canonical" => {
            typed.canonical = form.iter().any(|(k, v)| k == "canonical" && v != "0");
            store.set_tag_canonical(by, id, typed.canonical).await
        }
        "synonym" => {
            typed.merger = field("merger");
            if typed.merger.is_empty() {
                Err(StoreError::Invalid(
                    "Enter the canonical tag this one means the same as.".into(),
                ))
            } else {
                store.make_synonym(by, id, &typed.merger).await
            }
        }
        "unsynonym" => store.unsynonymize(by, id).await,
        "rename" => {
            typed.new_name = field("new_name");
            after = typed.new_name.clone();
            if typed.new_name.is_empty() {
                Err(StoreError::Invalid("Enter the new name.".into()))
            } else {
                store.rename_tag(by, id, &typed.new_name).await
            }
        }
        "fandom" | "metatag" => {
            let parent = field(&action);
            if action == "fandom" {
                typed.fandom = parent.clone();
            } else {
                typed.metatag = parent.clone();
            }
            if parent.is_empty() {
                Err(StoreError::Invalid("Enter a tag name.".into()))
            } else {
                store.add_tag_parent(by, id, &parent).await
            }
        }
        "remove_parent" => match field("parent_id").parse::<i64>() {
            Ok(parent) => store.remove_tag_parent(by, id, parent).await,
            Err(_) => Err(StoreError::Invalid("Choose a parent to remove.".into())),
        },
        "characters" => {
            typed.characters = field("characters");
            let names: Vec<String> = typed
                .characters
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
            store.set_relationship_characters(by, id, &names).await
        }
        "media" => {
            typed.media = form
                .iter()
                .filter(|(k, _)| k == "media[]" || k == "media")
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            store.set_fandom_media(by, id, &typed.media).await
        }
        _ => return Err(WebError::BadRequest("Unknown change.".into())),
    };
    // Cached work pages show tag names: have them checked against the wrangling log.
    state.pages().tags_changed();
    match result {
        Ok(()) => Ok(see_other(&format!("{}?done={action}", edit_href(&after)))),
        Err(StoreError::Invalid(message)) => {
            let form_name = if action == "unsynonym" {
                "synonym".to_string()
            } else if action == "remove_parent" {
                "parents".to_string()
            } else {
                action
            };
            let tpl = page(
                &state,
                &d,
                typed,
                FormError(Some((form_name, message))),
                None,
            )
            .await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &tpl)
        }
        Err(e) => Err(e.into()),
    }
}

/// A tag by its path segment, or the redirect its old name answers with.
pub enum Found {
    Tag(Box<TagDetail>),
    Moved(Response),
}

async fn lookup(state: &AppState, segment: &str) -> Result<Found, WebError> {
    let name = tag_from_path(segment);
    match state
        .store()
        .tag_detail_with(&name, false, tome_store::Audience::Member)
        .await?
    {
        Some(TagLookup::Found(d)) => Ok(Found::Tag(Box::new(d))),
        Some(TagLookup::Renamed { to }) => Ok(Found::Moved(
            (
                StatusCode::MOVED_PERMANENTLY,
                [(axum::http::header::LOCATION, edit_href(&to))],
            )
                .into_response(),
        )),
        None => Err(WebError::NotFound),
    }
}

/// The notice after a change was made.
fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "kind" => "The tag's kind was changed.",
        "canonical" => "The tag's canonical setting was saved.",
        "synonym" => "The tag was made a synonym.",
        "unsynonym" => "The tag is no longer a synonym.",
        "rename" => "The tag was renamed; its old name leads here.",
        "fandom" => "The fandom was added.",
        "metatag" => "The metatag was added.",
        "remove_parent" => "The parent tag was removed.",
        "characters" => "The relationship's characters were saved.",
        "media" => "The fandom's media were saved.",
        _ => return None,
    })
}

/// The forms as the tag is now.
fn typed_from(d: &TagDetail) -> Typed {
    Typed {
        tag_kind: d.info.kind.as_str().to_string(),
        canonical: d.info.canonical,
        merger: String::new(),
        new_name: String::new(),
        fandom: String::new(),
        metatag: String::new(),
        characters: d
            .characters
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        media: d.media.clone(),
    }
}

async fn page(
    state: &AppState,
    d: &TagDetail,
    typed: Typed,
    error: FormError,
    notice: Option<&'static str>,
) -> Result<EditTemplate, WebError> {
    let t = &d.info;
    let log = state
        .store()
        .wrangling_log(Some(t.id), 1, LOG_ENTRIES)
        .await?;
    let is_fandom = t.kind == TagKind::Fandom;
    let media_options = if is_fandom {
        tome_store::MEDIA
            .iter()
            .filter(|m| **m != tome_store::UNCATEGORIZED)
            .map(|m| (m.to_string(), typed.media.iter().any(|t| t == m)))
            .collect()
    } else {
        Vec::new()
    };
    let unwrangled = !t.canonical && t.merger.is_none();
    let kind_options = FREE_KINDS
        .iter()
        .map(|k| (k.as_str(), kind_heading(*k), typed.tag_kind == k.as_str()))
        .collect();
    let link = |r: &TagRef| TagLink {
        name: r.name.clone(),
        href: edit_href(&r.name),
    };
    Ok(EditTemplate {
        l: Layout::new(state, format!("Edit {} Tag", t.name)),
        name: t.name.clone(),
        action: edit_href(&t.name),
        href: tag_href(&t.name),
        works_href: tag_works_href(&t.name),
        kind_label: kind_name(t.kind),
        kind: t.kind.as_str(),
        canonical: t.canonical,
        merger: t.merger.as_ref().map(link),
        can_change_kind: unwrangled && FREE_KINDS.contains(&t.kind),
        kind_options,
        takes_fandoms: matches!(
            t.kind,
            TagKind::Character | TagKind::Relationship | TagKind::Freeform
        ),
        is_fandom,
        is_relationship: t.kind == TagKind::Relationship,
        fandoms: d.fandoms.iter().map(ParentRow::of).collect(),
        metatags: d.metatags.iter().map(ParentRow::of).collect(),
        subtags: d.subtags.iter().map(link).collect(),
        synonyms: t.synonyms.iter().map(link).collect(),
        children: t.children.iter().map(link).collect(),
        characters: d.characters.iter().map(link).collect(),
        relationships: d.relationships.iter().map(link).collect(),
        media: d.media.clone(),
        media_options,
        queue_href: (is_fandom && t.canonical).then(|| wrangle_href(&t.name)),
        uses: commas(d.uses),
        own_uses: commas(t.works_count),
        created: iso_date(d.created_at),
        rows: log.iter().map(LogRow::of).collect(),
        typed,
        error,
        notice,
    })
}
