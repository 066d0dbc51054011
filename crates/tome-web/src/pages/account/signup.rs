//! `GET /users/new` (the sign-up form) and `POST /users` (sign up). A refused form comes
//! back with everything typed except the passwords, and a message beside each field.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::service::{self, AccountError, SignUp};
use crate::accounts::{CsrfForm, FieldErrors, Viewer};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::login::see_other;
use crate::pages::{render, render_status};

#[derive(Template)]
#[template(path = "account/signup.html")]
pub struct SignUpTemplate {
    pub l: Layout,
    pub no_admin: bool,
    pub invite_only: bool,
    pub login: String,
    pub email: String,
    pub invitation: String,
    pub accepts_terms: bool,
    pub old_enough: bool,
    pub errors: FieldErrors,
}

async fn template(
    state: &AppState,
    form: &SignUp,
    errors: FieldErrors,
) -> Result<SignUpTemplate, WebError> {
    Ok(SignUpTemplate {
        l: Layout::new(state, "Create Account"),
        no_admin: !state.store().has_admin().await?,
        invite_only: state.settings().invite_only,
        login: form.login.clone(),
        email: form.email.clone(),
        invitation: form.invitation.clone(),
        accepts_terms: form.accepts_terms,
        old_enough: form.old_enough,
        errors,
    })
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    if let Some(u) = &viewer.user {
        return Ok(see_other(&format!("/users/{}", u.login)));
    }
    render(&template(&state, &SignUp::default(), FieldErrors::default()).await?)
}

#[derive(Debug, Deserialize)]
pub struct SignUpForm {
    #[serde(rename = "user[login]", default)]
    pub login: String,
    #[serde(rename = "user[email]", default)]
    pub email: String,
    #[serde(rename = "user[password]", default)]
    pub password: String,
    #[serde(rename = "user[password_confirmation]", default)]
    pub password_confirmation: String,
    #[serde(default)]
    pub invitation_token: String,
    #[serde(rename = "user[terms_of_service]")]
    pub terms_of_service: Option<String>,
    #[serde(rename = "user[age_over_13]")]
    pub age_over_13: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(form): CsrfForm<SignUpForm>,
) -> Result<Response, WebError> {
    let input = SignUp {
        login: form.login,
        email: form.email,
        password: form.password,
        password_confirmation: form.password_confirmation,
        invitation: form.invitation_token,
        accepts_terms: crate::pages::responding::truthy(form.terms_of_service.as_deref()),
        old_enough: crate::pages::responding::truthy(form.age_over_13.as_deref()),
    };
    match service::sign_up(&state, &input).await {
        Ok(_) => Ok(see_other("/users/login?signed_up=1")),
        Err(AccountError::Invalid(errors)) => {
            let kept = SignUp {
                password: String::new(),
                password_confirmation: String::new(),
                ..input
            };
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &template(&state, &kept, errors).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}
