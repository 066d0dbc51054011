//! `GET/POST /users/{login}/password/edit`: change one's own password. Other sessions
//! of the user end; this one stays.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::service::{self, AccountError};
use crate::accounts::{CsrfForm, FieldErrors, RequestAuth, RequireUser};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::must_be;
use crate::pages::{render, render_status};

#[derive(Template)]
#[template(path = "account/password.html")]
pub struct PasswordTemplate {
    pub l: Layout,
    pub login: String,
    pub done: bool,
    pub errors: FieldErrors,
}

pub async fn show(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(login): Path<String>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    render(&PasswordTemplate {
        l: Layout::new(&state, "Change My Password"),
        login: user.login,
        done: false,
        errors: FieldErrors::default(),
    })
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub password_check: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirmation: String,
}

pub async fn update(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path(login): Path<String>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let result = service::change_password(
        &state,
        user.id,
        &form.password_check,
        &form.password,
        &form.password_confirmation,
        auth.session_hash.as_deref(),
    )
    .await;
    let (status, done, errors) = match result {
        Ok(()) => (StatusCode::OK, true, FieldErrors::default()),
        Err(AccountError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, false, errors),
        Err(e) => return Err(e.into()),
    };
    render_status(
        status,
        &PasswordTemplate {
            l: Layout::new(&state, "Change My Password"),
            login: user.login,
            done,
            errors,
        },
    )
}
