//! `/users/{login}/pseuds`: a user's pseuds; the user may add more (`/pseuds/new`,
//! `POST /pseuds`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::service::{self, AccountError};
use crate::accounts::{CsrfForm, FieldErrors, RequireUser, Viewer};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::login::see_other;
use crate::pages::account::must_be;
use crate::pages::user::{PseudLink, find};
use crate::pages::{render, render_status};
use crate::views::pseud_href;

#[derive(Template)]
#[template(path = "account/pseuds.html")]
pub struct PseudsTemplate {
    pub l: Layout,
    pub login: String,
    pub pseuds: Vec<PseudLink>,
    pub own: bool,
    pub name: String,
    pub errors: FieldErrors,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    login: &str,
    name: String,
    errors: FieldErrors,
) -> Result<PseudsTemplate, WebError> {
    let u = find(state, login).await?;
    let own = viewer.user_id() == Some(u.id);
    Ok(PseudsTemplate {
        l: Layout::new(state, format!("{} - Pseuds", u.login)),
        pseuds: u
            .pseuds
            .iter()
            .map(|p| PseudLink {
                name: p.name.clone(),
                href: pseud_href(&u.login, &p.name),
            })
            .collect(),
        login: u.login,
        own,
        name,
        errors,
    })
}

pub async fn index(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(login): Path<String>,
) -> Result<Response, WebError> {
    render(
        &page(
            &state,
            &viewer,
            &login,
            String::new(),
            FieldErrors::default(),
        )
        .await?,
    )
}

pub async fn new(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    Path(login): Path<String>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    render(
        &page(
            &state,
            &viewer,
            &login,
            String::new(),
            FieldErrors::default(),
        )
        .await?,
    )
}

#[derive(Debug, Deserialize)]
pub struct PseudForm {
    #[serde(rename = "pseud[name]", default)]
    pub name: String,
}

pub async fn create(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    Path(login): Path<String>,
    CsrfForm(form): CsrfForm<PseudForm>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    match service::add_pseud(&state, user.id, &form.name).await {
        Ok(p) => Ok(see_other(&format!("/users/{}/pseuds", p.login))),
        Err(AccountError::Invalid(errors)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&state, &viewer, &login, form.name, errors).await?,
        ),
        Err(e) => Err(e.into()),
    }
}
