//! `GET/POST /claim/{token}`: an author imported from an eFiction archive claims their
//! account. The link comes from `tome efiction invite` (by e-mail, or shown to the admin).
//! Following it, the author sets a password (the imported account becomes a working
//! login) or, logged in already, moves the imported works onto their own account.
//!
//! Only the SHA-256 of a token is stored; a token is good once, for [`TOKEN_AGE`].

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::service::check_password;
use crate::accounts::{CsrfForm, FieldErrors, RequestAuth, sha256_hex};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::{render, render_status};
use tome_store::efiction::EfClaim;

/// How long a claim link works: 30 days.
pub const TOKEN_AGE: i64 = 30 * 86_400;

#[derive(Template)]
#[template(path = "efiction/claim.html")]
pub struct ClaimTemplate {
    pub l: Layout,
    pub token: String,
    pub archive_name: String,
    pub penname: String,
    pub login: String,
    pub login_path: String,
    /// The logged-in account the works may be moved to.
    pub merge_into: Option<String>,
    pub message: Option<String>,
    pub done: bool,
    pub done_text: String,
}

impl ClaimTemplate {
    /// The claim page for `claim` as the viewer first sees it (the form, no message).
    fn of(state: &AppState, auth: &RequestAuth, claim: &EfClaim, token: String) -> ClaimTemplate {
        ClaimTemplate {
            l: Layout::new(state, "Claim Your Works"),
            archive_name: claim.archive_name.clone(),
            penname: claim.penname.clone(),
            login_path: tome_model::tag_to_path(&claim.login),
            login: claim.login.clone(),
            // Someone logged in to another account may move the works there.
            merge_into: auth
                .viewer
                .user
                .as_ref()
                .filter(|u| u.id != claim.user_id)
                .map(|u| u.login.clone()),
            token,
            message: None,
            done: false,
            done_text: String::new(),
        }
    }
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn show(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    if !well_formed(&token) {
        return Err(WebError::NotFound);
    }
    let claim = state
        .store()
        .efiction_claim_by_token(&sha256_hex(&token), TOKEN_AGE)
        .await?
        .ok_or(WebError::NotFound)?;
    render(&ClaimTemplate::of(&state, &auth, &claim, token))
}

#[derive(Debug, Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirmation: String,
}

pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ClaimForm>,
) -> Result<Response, WebError> {
    if !well_formed(&token) {
        return Err(WebError::NotFound);
    }
    let store = state.store();
    let hash = sha256_hex(&token);
    let claim = store
        .efiction_claim_by_token(&hash, TOKEN_AGE)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut page = ClaimTemplate::of(&state, &auth, &claim, token);
    match form.action.as_str() {
        "merge" => {
            let Some(me) = auth.viewer.user.as_ref().filter(|u| u.id != claim.user_id) else {
                return Err(WebError::Forbidden(
                    "Log in to the account the works should go to.".into(),
                ));
            };
            if store.efiction_claim_into(&hash, me.id).await?.is_none() {
                return Err(WebError::NotFound);
            }
            page.login_path = tome_model::tag_to_path(&me.login);
            page.done = true;
            page.done_text = format!(
                "The works of {} are now on your account {}.",
                claim.penname, me.login
            );
            render(&page)
        }
        _ => {
            let mut errors = FieldErrors::default();
            check_password(&form.password, &form.password_confirmation, &mut errors);
            if !errors.is_empty() {
                page.message = Some(
                    errors
                        .0
                        .iter()
                        .map(|(_, m)| m.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
            let pw = crate::accounts::password::hash(form.password.clone()).await?;
            if store
                .efiction_claim_with_password(&hash, &pw)
                .await?
                .is_none()
            {
                return Err(WebError::NotFound);
            }
            page.done = true;
            page.done_text = format!(
                "The account {} is yours: log in with your new password.",
                claim.login
            );
            render(&page)
        }
    }
}

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/claim/{token}", axum::routing::get(show).post(create))
}
