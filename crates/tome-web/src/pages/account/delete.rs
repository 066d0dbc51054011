//! `GET /users/{login}/delete_confirmation` and `POST /users/{login}/delete`: the user
//! chooses whether their works are orphaned or deleted.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde::Deserialize;
use tome_store::WorksOnDelete;

use crate::AppState;
use crate::accounts::service;
use crate::accounts::{CsrfForm, RequestAuth, RequireUser};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::login::see_other;
use crate::pages::account::must_be;
use crate::pages::render;

#[derive(Template)]
#[template(path = "account/delete.html")]
pub struct DeleteTemplate {
    pub l: Layout,
    pub login: String,
    pub works_count: u64,
}

pub async fn show(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(login): Path<String>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    // Their own works as they see them on their pages (anonymous ones included).
    let works_count = state
        .store()
        .user_work_count(
            user.id,
            &tome_model::visibility::Reader::member(user.id, false),
        )
        .await?;
    render(&DeleteTemplate {
        l: Layout::new(&state, "Delete My Account"),
        login: user.login,
        works_count,
    })
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    /// `orphan` (the default) or `delete`.
    #[serde(default)]
    pub works: String,
}

pub async fn destroy(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path(login): Path<String>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let works = match form.works.as_str() {
        "delete" => WorksOnDelete::Delete,
        "orphan" | "" => WorksOnDelete::Orphan,
        _ => {
            return Err(WebError::BadRequest(
                "Choose what happens to your works.".into(),
            ));
        }
    };
    service::delete_account(&state, user.id, works).await?;
    let mut resp = see_other("/");
    if let Ok(v) = HeaderValue::from_str(&auth.clear_session_cookie()) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}
