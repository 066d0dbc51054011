//! Co-creator requests, as on AO3: `/users/{login}/creatorships` lists the works the
//! user was named a co-creator of, each with Accept and Decline (CSRF-checked forms,
//! owner only). Until they accept they are not on the byline, the work is not on their
//! pages and they may not edit or delete it (the store keeps invitations apart from
//! creatorships, so every byline, listing and permission check ignores them).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use tome_store::notifications::NewNotification;

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser};
use crate::error::WebError;
use crate::format::blurb_date;
use crate::layout::Layout;
use crate::pages::account::must_be;
use crate::pages::responding::see_other;
use crate::pages::{parse_id, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/{login}/creatorships", get(index))
        .route("/users/{login}/creatorships/{id}/accept", post(accept))
        .route("/users/{login}/creatorships/{id}/decline", post(decline))
}

/// The page's path for a login.
pub fn creatorships_href(login: &str) -> String {
    format!("{}/creatorships", crate::views::user_href(login))
}

/// An invitation as listed.
pub struct InvitationView {
    pub work_id: i64,
    pub title: String,
    pub pseud: String,
    pub invited_by: Option<String>,
    pub date: String,
    pub accept: String,
    pub decline: String,
}

#[derive(Template)]
#[template(path = "creatorships/index.html")]
pub struct CreatorshipsTemplate {
    pub l: Layout,
    pub invitations: Vec<InvitationView>,
}

/// The forms carry nothing but their CSRF token.
#[derive(Debug, Deserialize, Default)]
pub struct AnswerForm {}

pub async fn index(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let base = creatorships_href(&user.login);
    let invitations = state
        .store()
        .creator_invitations(user.id)
        .await?
        .into_iter()
        .map(|i| InvitationView {
            work_id: i.work_id,
            title: i.title,
            pseud: i.pseud.name,
            invited_by: i.invited_by,
            date: blurb_date(i.created_at),
            accept: format!("{base}/{}/accept", i.work_id),
            decline: format!("{base}/{}/decline", i.work_id),
        })
        .collect();
    render(&CreatorshipsTemplate {
        l: Layout::new(&state, "Co-Creator Requests"),
        invitations,
    })
}

pub async fn accept(
    State(state): State<AppState>,
    Path((login, id)): Path<(String, String)>,
    RequireUser(user): RequireUser,
    CsrfForm(_form): CsrfForm<AnswerForm>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let id = parse_id(&id)?;
    if !state.store().accept_creator_invitation(user.id, id).await? {
        return Err(WebError::NotFound);
    }
    // The byline changed: cached renders of the work are stale.
    state.pages().invalidate(id);
    Ok(see_other(&format!("/works/{id}")))
}

pub async fn decline(
    State(state): State<AppState>,
    Path((login, id)): Path<(String, String)>,
    RequireUser(user): RequireUser,
    CsrfForm(_form): CsrfForm<AnswerForm>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let id = parse_id(&id)?;
    if !state
        .store()
        .decline_creator_invitation(user.id, id)
        .await?
    {
        return Err(WebError::NotFound);
    }
    Ok(see_other(&creatorships_href(&user.login)))
}

/// Tells each newly invited user, in their inbox, where to answer. Failures are
/// logged, never fail the posting.
pub async fn tell_invited(state: &AppState, work_id: i64, title: &str, pseud_ids: &[i64]) {
    if pseud_ids.is_empty() {
        return;
    }
    let invited = match state.store().invited_pseuds(work_id).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!("co-creator invitations of work {work_id}: {e}");
            return;
        }
    };
    for p in invited.iter().filter(|p| pseud_ids.contains(&p.id)) {
        crate::responding::service::tell(
            state,
            &[p.user_id],
            NewNotification {
                kind: "creatorship".into(),
                work_id: None,
                comment_id: None,
                text: format!(
                    "You were invited to be a co-creator of \"{title}\" as {}.",
                    p.name
                ),
                link: creatorships_href(&p.login),
            },
        )
        .await;
    }
}
