//! Chapter forms: add (`/works/ID/chapters/new`), edit (`/works/ID/chapters/CID/edit`),
//! delete (with a confirmation page), reorder without script (`/works/ID/chapters/manage`:
//! position number inputs), and fill a new chapter from an uploaded file.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;

use crate::AppState;
use crate::accounts::{FORM_EXPIRED, FieldErrors, RequestAuth, RequireUser};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::login::see_other;
use crate::pages::posting::works::{ConfirmTemplate, Preview, fill_from_upload, preview};
use crate::pages::posting::{commit, read_form};
use crate::pages::{parse_id, render, render_status};
use crate::posting::{ChapterFormValues, WorkFormValues, editable, field};
use tome_store::WorkEdit;

#[derive(Template)]
#[template(path = "posting/chapter_form.html")]
pub struct ChapterFormTemplate {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub work_id: i64,
    pub work_title: String,
    pub text_format: String,
    /// Adding (upload offered) rather than editing.
    pub adding: bool,
    pub v: ChapterFormValues,
    pub errors: FieldErrors,
    pub message: Option<String>,
    pub preview: Option<Preview>,
}

fn page(
    state: &AppState,
    work: &WorkEdit,
    chapter_id: Option<i64>,
    v: ChapterFormValues,
    errors: FieldErrors,
    message: Option<String>,
    preview: Option<Preview>,
) -> ChapterFormTemplate {
    let (heading, action) = match chapter_id {
        Some(cid) => (
            format!("Edit Chapter of {}", work.input.title),
            format!("/works/{}/chapters/{cid}", work.id),
        ),
        None => (
            format!("New Chapter of {}", work.input.title),
            format!("/works/{}/chapters", work.id),
        ),
    };
    ChapterFormTemplate {
        l: Layout::new(state, heading.clone()),
        heading,
        action,
        work_id: work.id,
        work_title: work.input.title.clone(),
        text_format: work.input.text_format.clone(),
        adding: chapter_id.is_none(),
        v,
        errors,
        message,
        preview,
    }
}

fn chapter_of(work: &WorkEdit, cid: &str) -> Result<(i64, usize), WebError> {
    let cid = parse_id(cid)?;
    work.chapters
        .iter()
        .position(|c| c.id == cid)
        .map(|i| (cid, i))
        .ok_or(WebError::NotFound)
}

/// `GET /works/ID/chapters/new`.
pub async fn new(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    render(&page(
        &state,
        &work,
        None,
        Default::default(),
        Default::default(),
        None,
        None,
    ))
}

/// Shared by create and update: check the token, validate, preview or save.
async fn submit(
    state: &AppState,
    auth: &RequestAuth,
    work: &WorkEdit,
    chapter: Option<(i64, usize)>,
    body: &Bytes,
) -> Result<Response, WebError> {
    let (pairs, csrf_ok) = read_form(auth, body)?;
    let v = ChapterFormValues::from_pairs(&pairs, "chapter");
    let cid = chapter.map(|c| c.0);
    if !csrf_ok {
        return render_status(
            StatusCode::FORBIDDEN,
            &page(
                state,
                work,
                cid,
                v,
                Default::default(),
                Some(FORM_EXPIRED.into()),
                None,
            ),
        );
    }
    let mut errors = FieldErrors::default();
    let input = v.validate(&work.input.text_format, "body", &mut errors);
    if !errors.is_empty() {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(state, work, cid, v, errors, None, None),
        );
    }
    if commit(&pairs) == "Preview" {
        let offset = chapter.map(|c| c.1).unwrap_or(work.chapters.len());
        let names = work.creators.iter().map(|p| p.name.clone()).collect();
        let p = preview(&work.input, std::slice::from_ref(&input), names, offset);
        return render(&page(state, work, cid, v, errors, None, Some(p)));
    }
    let store = state.store();
    let target = match cid {
        Some(cid) => {
            store.update_chapter(work.id, cid, &input).await?;
            cid
        }
        None => {
            let cid = store.add_chapter(work.id, &input).await?;
            crate::responding::announce_new_chapter(state, work.id, cid).await;
            cid
        }
    };
    state.pages().invalidate(work.id);
    Ok(see_other(&format!("/works/{}/chapters/{target}", work.id)))
}

/// `POST /works/ID/chapters`.
pub async fn create(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    submit(&state, &auth, &work, None, &body).await
}

/// `GET /works/ID/chapters/CID/edit`.
pub async fn edit(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path((id, cid)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    let (cid, i) = chapter_of(&work, &cid)?;
    let v = work
        .chapters
        .get(i)
        .map(|c| ChapterFormValues::of(&c.input))
        .unwrap_or_default();
    render(&page(
        &state,
        &work,
        Some(cid),
        v,
        Default::default(),
        None,
        None,
    ))
}

/// `POST /works/ID/chapters/CID`.
pub async fn update(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path((id, cid)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    let chapter = chapter_of(&work, &cid)?;
    submit(&state, &auth, &work, Some(chapter), &body).await
}

/// `GET /works/ID/chapters/CID/confirm_delete`.
pub async fn confirm_delete(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path((id, cid)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    let (cid, i) = chapter_of(&work, &cid)?;
    render(&ConfirmTemplate {
        l: Layout::new(&state, "Delete Chapter"),
        heading: "Delete Chapter".into(),
        question: format!(
            "Are you sure you want to delete chapter {} of \"{}\"?",
            i + 1,
            work.input.title
        ),
        action: format!("/works/{}/chapters/{cid}/delete", work.id),
        button: "Yes, Delete Chapter".into(),
        back: format!("/works/{}/chapters/manage", work.id),
    })
}

/// `POST /works/ID/chapters/CID/delete`.
pub async fn destroy(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path((id, cid)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (_, csrf_ok) = read_form(&auth, &body)?;
    if !csrf_ok {
        return Err(WebError::Forbidden(FORM_EXPIRED.into()));
    }
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    let (cid, _) = chapter_of(&work, &cid)?;
    state.store().delete_chapter(work.id, cid).await?;
    state.pages().invalidate(work.id);
    Ok(see_other(&format!("/works/{}/chapters/manage", work.id)))
}

/// One row of the manage page.
pub struct ManageRow {
    pub id: i64,
    pub position: String,
    pub label: String,
    pub words: u64,
}

#[derive(Template)]
#[template(path = "posting/manage.html")]
pub struct ManageTemplate {
    pub l: Layout,
    pub work_id: i64,
    pub title: String,
    pub draft: bool,
    pub rows: Vec<ManageRow>,
    pub message: Option<String>,
}

fn manage_page(
    state: &AppState,
    work: &WorkEdit,
    typed: Option<&[(String, String)]>,
    message: Option<String>,
) -> ManageTemplate {
    ManageTemplate {
        l: Layout::new(state, format!("Manage Chapters of {}", work.input.title)),
        work_id: work.id,
        title: work.input.title.clone(),
        draft: work.draft,
        rows: work
            .chapters
            .iter()
            .map(|c| ManageRow {
                id: c.id,
                position: typed
                    .map(|t| field(t, &format!("chapters[{}]", c.id)).to_string())
                    .unwrap_or_else(|| c.position.to_string()),
                label: c
                    .input
                    .title
                    .clone()
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| format!("Chapter {}", c.position)),
                words: c.input.word_count,
            })
            .collect(),
        message,
    }
}

/// `GET /works/ID/chapters/manage`.
pub async fn manage(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    render(&manage_page(&state, &work, None, None))
}

/// `POST /works/ID/chapters/manage`: new positions, as numbers per chapter.
pub async fn reorder(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    let (pairs, csrf_ok) = read_form(&auth, &body)?;
    if !csrf_ok {
        return render_status(
            StatusCode::FORBIDDEN,
            &manage_page(&state, &work, Some(&pairs), Some(FORM_EXPIRED.into())),
        );
    }
    let mut keyed = Vec::new();
    for c in &work.chapters {
        match field(&pairs, &format!("chapters[{}]", c.id))
            .trim()
            .parse::<u32>()
        {
            Ok(n) if n >= 1 => keyed.push((n, c.position, c.id)),
            _ => {
                return render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &manage_page(
                        &state,
                        &work,
                        Some(&pairs),
                        Some("Please give every chapter a position number from 1.".into()),
                    ),
                );
            }
        }
    }
    keyed.sort();
    let order: Vec<i64> = keyed.iter().map(|k| k.2).collect();
    state.store().reorder_chapters(work.id, &order).await?;
    state.pages().invalidate(work.id);
    Ok(see_other(&format!("/works/{}/navigate", work.id)))
}

/// `POST /works/ID/chapters/import`: a file fills the new-chapter form (its first
/// chapter); nothing is saved.
pub async fn import(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    let filled = fill_from_upload(&auth, &headers, &body, WorkFormValues::blank(&user))?;
    let status = filled.status();
    let mut v = filled
        .values
        .chapters
        .into_iter()
        .next()
        .unwrap_or_default();
    if work.input.text_format == "markdown" {
        // The importer gives HTML; a Markdown work's chapter keeps plain paragraphs.
        v.body = tome_text::html_to_plain(&v.body);
    }
    render_status(
        status,
        &page(
            &state,
            &work,
            None,
            v,
            Default::default(),
            Some(filled.message),
            None,
        ),
    )
}
