//! Comments: post (`POST /works/{id}/comments`, replies carry `comment[parent_id]`), edit
//! one's own (`/comments/{id}/edit`), delete (author or the work's creator), freeze and
//! approve (the work's creator). A comment refused for what it says (blank, too long, in
//! a frozen thread, a guest without a name) is shown again with the text and why (422).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::{CsrfForm, Viewer};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::responding::{see_other, truthy};
use crate::pages::{parse_id, render, render_status};
use crate::responding::service::{self, CommentInput, Posted};

#[derive(Debug, Deserialize, Default)]
pub struct CommentForm {
    #[serde(rename = "comment[comment_content]", default)]
    pub content: String,
    #[serde(rename = "comment[chapter_id]")]
    pub chapter_id: Option<String>,
    #[serde(rename = "comment[parent_id]")]
    pub parent_id: Option<String>,
    #[serde(rename = "comment[pseud_id]")]
    pub pseud_id: Option<String>,
    #[serde(rename = "comment[name]")]
    pub name: Option<String>,
    #[serde(rename = "comment[email]")]
    pub email: Option<String>,
}

/// `GET /works/{id}/comments`: AO3's address of a work's comments. They are on the work
/// page, so this sends the reader there (the work page decides who may see it; any id
/// answers alike, so nothing is told about works one may not see).
pub async fn index(Path(id): Path<String>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    Ok(see_other(&format!("/works/{id}#comments_placeholder")))
}

fn opt_id(v: &Option<String>) -> Result<Option<i64>, WebError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .map(Some)
            .map_err(|_| WebError::BadRequest("The form could not be read.".into())),
    }
}

/// A short page with a message (a guest's comment held for approval).
#[derive(Template)]
#[template(path = "responding/message.html")]
pub struct MessageTemplate {
    pub l: Layout,
    pub heading: String,
    pub message: String,
    pub back: String,
}

fn comment_anchor(work_id: i64, chapter: Option<i64>, id: i64) -> String {
    match chapter {
        Some(c) => format!("/works/{work_id}/chapters/{c}#comment_{id}"),
        None => format!("/works/{work_id}#comment_{id}"),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<Response, WebError> {
    let work_id = parse_id(&id)?;
    let input = CommentInput {
        text: form.content.clone(),
        chapter_id: opt_id(&form.chapter_id)?,
        parent_id: opt_id(&form.parent_id)?,
        pseud_id: opt_id(&form.pseud_id)?,
        guest_name: form.name.clone(),
        guest_email: form.email.clone(),
    };
    let posted = match service::post_comment(&state, &viewer, work_id, &input).await {
        Ok(p) => p,
        Err(WebError::BadRequest(m)) => {
            return refused(&state, &viewer, work_id, None, &input, m).await;
        }
        Err(e) => return Err(e),
    };
    match posted {
        Posted::Published(cid) => {
            let chapter = state.store().comment(cid).await?.and_then(|c| c.chapter_id);
            Ok(see_other(&comment_anchor(work_id, chapter, cid)))
        }
        Posted::Held(_) => {
            let mut resp = render(&MessageTemplate {
                l: Layout::new(&state, "Comment received"),
                heading: "Comment received".into(),
                message: "Your comment was received. It will appear once the creator approves it."
                    .into(),
                back: format!("/works/{work_id}"),
            })?;
            resp.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(resp)
        }
    }
}

/// A refused comment or edit, shown again with what was typed and why (422).
#[derive(Template)]
#[template(path = "responding/comment_form.html")]
pub struct CommentFormTemplate {
    pub l: Layout,
    pub work_id: i64,
    pub work_title: String,
    /// The comment being edited; `None` for a new comment or reply.
    pub editing: Option<i64>,
    pub chapter_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub pseud_id: Option<i64>,
    pub guest: bool,
    pub name: String,
    pub email: String,
    pub content: String,
    pub error: String,
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    work_id: i64,
    editing: Option<i64>,
    input: &CommentInput,
    error: String,
) -> Result<Response, WebError> {
    let work = service::visible_work(state, viewer, work_id).await?;
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &CommentFormTemplate {
            l: Layout::new(state, "Comment"),
            work_id,
            work_title: work.title,
            editing,
            chapter_id: input.chapter_id,
            parent_id: input.parent_id,
            pseud_id: input.pseud_id,
            guest: viewer.is_guest() && editing.is_none(),
            name: input.guest_name.clone().unwrap_or_default(),
            email: input.guest_email.clone().unwrap_or_default(),
            content: input.text.clone(),
            error,
        },
    )
}

#[derive(Template)]
#[template(path = "responding/comment_edit.html")]
pub struct EditTemplate {
    pub l: Layout,
    pub id: i64,
    pub work_id: i64,
    pub work_title: String,
    pub content: String,
}

pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    if viewer.is_guest() {
        return Err(WebError::Forbidden(service::NOT_YOURS.into()));
    }
    let (c, work) = service::own_comment(&state, &viewer, id).await?;
    render(&EditTemplate {
        l: Layout::new(&state, "Edit Comment"),
        id,
        work_id: work.id,
        work_title: work.title,
        content: c.body_html,
    })
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    match service::edit_comment(&state, &viewer, id, &form.content).await {
        Ok(c) => Ok(see_other(&comment_anchor(c.work_id, c.chapter_id, id))),
        Err(WebError::BadRequest(m)) => {
            let (c, _) = service::own_comment(&state, &viewer, id).await?;
            let input = CommentInput {
                text: form.content,
                ..CommentInput::default()
            };
            refused(&state, &viewer, c.work_id, Some(id), &input, m).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ActionForm {
    pub frozen: Option<String>,
}

pub async fn destroy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    CsrfForm(_form): CsrfForm<ActionForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let c = service::delete_comment(&state, &viewer, id).await?;
    Ok(see_other(&match c.chapter_id {
        Some(ch) => format!("/works/{}/chapters/{ch}#comments_placeholder", c.work_id),
        None => format!("/works/{}#comments_placeholder", c.work_id),
    }))
}

pub async fn freeze(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let frozen = form.frozen.is_none() || truthy(form.frozen.as_deref());
    let c = service::freeze_comment(&state, &viewer, id, frozen).await?;
    Ok(see_other(&comment_anchor(c.work_id, c.chapter_id, id)))
}

pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    CsrfForm(_form): CsrfForm<ActionForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let c = service::approve_comment(&state, &viewer, id).await?;
    Ok(see_other(&comment_anchor(c.work_id, c.chapter_id, id)))
}
