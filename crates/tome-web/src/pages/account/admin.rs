//! `/admin/settings`: the archive's name, open or invite-only sign-up (with invitation
//! codes), guest comments. Admins only (403 for everyone else).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tome_store::{ArchiveSettings, Invitation};

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser, SessionUser};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::login::see_other;
use crate::pages::render;

#[derive(Template)]
#[template(path = "account/settings.html")]
pub struct SettingsTemplate {
    pub l: Layout,
    pub saved: bool,
    pub archive_name: String,
    pub invite_only: bool,
    pub guest_comments: bool,
    pub invitations: Vec<Invitation>,
}

fn must_be_admin(user: &SessionUser) -> Result<(), WebError> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "Sorry, only an authorized admin can access the page you were trying to reach.".into(),
        ))
    }
}

async fn page(state: &AppState, saved: bool) -> Result<Response, WebError> {
    let s = state.store().archive_settings().await?;
    render(&SettingsTemplate {
        l: Layout::new(state, "Archive Settings"),
        saved,
        archive_name: s.archive_name.unwrap_or_default(),
        invite_only: s.invite_only,
        guest_comments: s.guest_comments,
        invitations: state.store().list_invitations().await?,
    })
}

pub async fn show(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    query: crate::pages::QueryPairs,
) -> Result<Response, WebError> {
    must_be_admin(&user)?;
    page(&state, crate::pages::query_value(&query, "saved").is_some()).await
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub archive_name: String,
    #[serde(default)]
    pub invite_only: Option<String>,
    #[serde(default)]
    pub guest_comments: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    must_be_admin(&user)?;
    let name = form.archive_name.trim();
    if name.chars().count() > 100 {
        return Err(WebError::BadRequest(
            "The archive name can be at most 100 characters long.".into(),
        ));
    }
    let settings = ArchiveSettings {
        archive_name: (!name.is_empty()).then(|| name.to_string()),
        invite_only: form.invite_only.is_some(),
        guest_comments: form.guest_comments.is_some(),
    };
    state.store().save_archive_settings(&settings).await?;
    state.accounts().refresh_settings(state.store(), true).await;
    // Every cached page carries the archive's name.
    state.pages().clear();
    Ok(see_other("/admin/settings?saved=1"))
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn invite(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    must_be_admin(&user)?;
    let bytes: [u8; 10] = rand::random();
    let code = crate::accounts::hex(&bytes);
    state
        .store()
        .create_invitation(&code, Some(user.id))
        .await?;
    Ok(see_other("/admin/settings"))
}
