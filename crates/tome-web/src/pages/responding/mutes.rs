//! Muted users and tags (`/users/{login}/muted`) and blocked users
//! (`/users/{login}/blocked`), for their owner only.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tome_store::mutes::MuteKind;

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser, SessionUser};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::must_be;
use crate::pages::responding::see_other;
use crate::pages::{render, render_status};
use crate::responding::service;

#[derive(Debug, Deserialize, Default)]
pub struct MuteForm {
    #[serde(rename = "mute[login]")]
    pub login: Option<String>,
    #[serde(rename = "mute[tag]")]
    pub tag: Option<String>,
    pub user_id: Option<String>,
    pub tag_id: Option<String>,
}

/// A muted or blocked user, or a muted tag, as listed.
pub struct Entry {
    pub name: String,
    pub field: &'static str,
    pub id: i64,
}

#[derive(Template)]
#[template(path = "responding/muted.html")]
pub struct MutedTemplate {
    pub l: Layout,
    pub login: String,
    /// "muted" or "blocked".
    pub what: &'static str,
    pub users: Vec<Entry>,
    pub tags: Vec<Entry>,
    pub error: Option<String>,
}

async fn page(
    state: &AppState,
    user: &SessionUser,
    kind: MuteKind,
    error: Option<String>,
) -> Result<MutedTemplate, WebError> {
    let store = state.store();
    let users = store
        .user_mutes(user.id, kind)
        .await?
        .into_iter()
        .map(|m| Entry {
            name: m.login,
            field: "user_id",
            id: m.id,
        })
        .collect();
    let tags = if kind == MuteKind::Mute {
        store
            .muted_tags(user.id)
            .await?
            .into_iter()
            .map(|(t, _)| Entry {
                name: t.name,
                field: "tag_id",
                id: t.id,
            })
            .collect()
    } else {
        Vec::new()
    };
    let what = match kind {
        MuteKind::Mute => "muted",
        MuteKind::Block => "blocked",
    };
    Ok(MutedTemplate {
        l: Layout::new(state, if what == "muted" { "Muted" } else { "Blocked" }),
        login: user.login.clone(),
        what,
        users,
        tags,
        error,
    })
}

async fn show(
    state: AppState,
    user: SessionUser,
    login: String,
    kind: MuteKind,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    render(&page(&state, &user, kind, None).await?)
}

pub async fn muted(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
) -> Result<Response, WebError> {
    show(state, user, login, MuteKind::Mute).await
}

pub async fn blocked(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
) -> Result<Response, WebError> {
    show(state, user, login, MuteKind::Block).await
}

async fn add(
    state: AppState,
    user: SessionUser,
    login: String,
    kind: MuteKind,
    form: MuteForm,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let back = format!(
        "/users/{}/{}",
        user.login,
        if kind == MuteKind::Mute {
            "muted"
        } else {
            "blocked"
        }
    );
    let result = match (
        form.login
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        form.tag.as_deref().map(str::trim).filter(|s| !s.is_empty()),
    ) {
        (Some(l), _) => service::add_mute(&state, &user, l, kind).await,
        (None, Some(t)) if kind == MuteKind::Mute => state
            .store()
            .mute_tag(user.id, t)
            .await
            .map(|_| ())
            .map_err(|e| match e {
                tome_store::StoreError::NotFound(_) => {
                    WebError::BadRequest(format!("There is no tag called {t}."))
                }
                other => other.into(),
            }),
        _ => Err(WebError::BadRequest("Please enter a user name.".into())),
    };
    match result {
        Ok(()) => Ok(see_other(&back)),
        Err(WebError::BadRequest(m)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&state, &user, kind, Some(m)).await?,
        ),
        Err(e) => Err(e),
    }
}

pub async fn mute(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
    CsrfForm(form): CsrfForm<MuteForm>,
) -> Result<Response, WebError> {
    add(state, user, login, MuteKind::Mute, form).await
}

pub async fn block(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
    CsrfForm(form): CsrfForm<MuteForm>,
) -> Result<Response, WebError> {
    add(state, user, login, MuteKind::Block, form).await
}

async fn remove(
    state: AppState,
    user: SessionUser,
    login: String,
    kind: MuteKind,
    form: MuteForm,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let id = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
    if let Some(u) = id(&form.user_id) {
        state.store().remove_user_mute(user.id, u, kind).await?;
    } else if let Some(t) = id(&form.tag_id) {
        state.store().unmute_tag(user.id, t).await?;
    }
    Ok(see_other(&format!(
        "/users/{}/{}",
        user.login,
        if kind == MuteKind::Mute {
            "muted"
        } else {
            "blocked"
        }
    )))
}

pub async fn unmute(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
    CsrfForm(form): CsrfForm<MuteForm>,
) -> Result<Response, WebError> {
    remove(state, user, login, MuteKind::Mute, form).await
}

pub async fn unblock(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
    CsrfForm(form): CsrfForm<MuteForm>,
) -> Result<Response, WebError> {
    remove(state, user, login, MuteKind::Block, form).await
}
