//! `/people` (the archive's people, a page at a time), `/users/{login}/profile` (a
//! member's profile with the bio they write; its form for the member themself) and
//! `/users/{login}/preferences` (e-mail address, e-mail notifications, adult-content
//! warnings, work skins, the posting form's text format; the member only).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::profile::{self, PreferencesInput, TEXT_FORMATS};
use crate::accounts::{AccountError, CsrfForm, FieldErrors, RequireUser, Viewer};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::must_be;
use crate::pages::responding::truthy;
use crate::pages::user::find;
use crate::pages::{QueryPairs, page_number, render, render_status};
use crate::views::{Pager, page_count, range_heading};

/// A row of `/people`.
pub struct PersonRow {
    pub login: String,
    /// Pseuds other than the one named like the login.
    pub pseuds: Vec<String>,
    pub works: String,
}

#[derive(Template)]
#[template(path = "account/people.html")]
pub struct PeopleTemplate {
    pub l: Layout,
    pub heading: String,
    pub people: Vec<PersonRow>,
    pub pager: Pager,
}

/// `GET /people?page=N`.
pub async fn people(
    State(state): State<AppState>,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let page = page_number(&query);
    let per_page = state.config().per_page;
    let (rows, total) = profile::people(&state, &viewer, page, per_page).await?;
    if page > 1 && rows.is_empty() {
        return Err(WebError::NotFound);
    }
    let heading = range_heading(total, page, per_page, rows.len(), "Person", "People");
    let people = rows
        .into_iter()
        .map(|p| PersonRow {
            pseuds: p
                .pseuds
                .into_iter()
                .filter(|n| !n.eq_ignore_ascii_case(&p.login))
                .collect(),
            login: p.login,
            works: crate::format::commas(p.works),
        })
        .collect();
    render(&PeopleTemplate {
        l: Layout::new(&state, "People"),
        heading,
        people,
        pager: Pager::for_path(page_count(total, per_page), page, "/people"),
    })
}

#[derive(Template)]
#[template(path = "account/profile.html")]
pub struct ProfileTemplate {
    pub l: Layout,
    pub login: String,
    pub pseuds: Vec<String>,
    pub works: String,
    pub joined: String,
    /// The bio, sanitized; empty when there is none.
    pub bio_html: String,
    /// The member's own profile: the form is shown, with what they typed.
    pub own: bool,
    pub bio: String,
    pub saved: bool,
    pub errors: FieldErrors,
}

async fn profile_page(
    state: &AppState,
    viewer: &Viewer,
    login: &str,
) -> Result<ProfileTemplate, WebError> {
    let u = find(state, login).await?;
    let account = state
        .store()
        .account(u.id)
        .await?
        .ok_or(WebError::NotFound)?;
    let p = state.store().profile(u.id).await?;
    let works = state
        .store()
        .user_work_count(u.id, &crate::visibility::reader(viewer))
        .await?;
    Ok(ProfileTemplate {
        l: Layout::new(state, format!("{} - Profile", u.login)),
        own: viewer.user_id() == Some(u.id),
        pseuds: u.pseuds.iter().map(|p| p.name.clone()).collect(),
        works: crate::format::commas(works),
        joined: crate::posting::date_of(account.created_at),
        bio_html: profile::bio_html(&p),
        bio: p.bio,
        login: u.login,
        saved: false,
        errors: FieldErrors::default(),
    })
}

/// `GET /users/{login}/profile`.
pub async fn show(
    State(state): State<AppState>,
    Path(login): Path<String>,
    viewer: Viewer,
) -> Result<Response, WebError> {
    render(&profile_page(&state, &viewer, &login).await?)
}

#[derive(Debug, Deserialize)]
pub struct ProfileForm {
    #[serde(rename = "profile[about_me]", default)]
    pub bio: String,
}

/// `POST /users/{login}/profile`: the member saves their bio.
pub async fn update(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    Path(login): Path<String>,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    match profile::save_bio(&state, user.id, &form.bio).await {
        Ok(()) => {
            let mut page = profile_page(&state, &viewer, &login).await?;
            page.saved = true;
            render(&page)
        }
        Err(AccountError::Invalid(errors)) => {
            let mut page = profile_page(&state, &viewer, &login).await?;
            page.bio = form.bio;
            page.errors = errors;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// An option of the text format select.
pub struct FormatChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "account/preferences.html")]
pub struct PreferencesTemplate {
    pub l: Layout,
    pub login: String,
    pub email: String,
    pub email_notifications: bool,
    pub show_adult_warnings: bool,
    pub hide_work_skins: bool,
    pub formats: Vec<FormatChoice>,
    pub saved: bool,
    pub errors: FieldErrors,
}

fn preferences_page(
    state: &AppState,
    login: String,
    v: &PreferencesInput,
    saved: bool,
    errors: FieldErrors,
) -> PreferencesTemplate {
    PreferencesTemplate {
        l: Layout::new(state, "Set My Preferences"),
        login,
        email: v.email.clone(),
        email_notifications: v.email_notifications,
        show_adult_warnings: v.show_adult_warnings,
        hide_work_skins: v.hide_work_skins,
        formats: TEXT_FORMATS
            .iter()
            .map(|(value, label)| FormatChoice {
                value,
                label,
                selected: v.text_format == *value,
            })
            .collect(),
        saved,
        errors,
    }
}

async fn stored_preferences(state: &AppState, user_id: i64) -> Result<PreferencesInput, WebError> {
    let account = state
        .store()
        .account(user_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let p = state.store().preferences(user_id).await?;
    Ok(PreferencesInput {
        email: account.email.unwrap_or_default(),
        email_notifications: p.email_notifications,
        show_adult_warnings: p.show_adult_warnings,
        hide_work_skins: p.hide_work_skins,
        text_format: profile::default_text_format(state, user_id).await?,
    })
}

/// `GET /users/{login}/preferences`.
pub async fn preferences(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(login): Path<String>,
    query: QueryPairs,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let v = stored_preferences(&state, user.id).await?;
    let saved = crate::pages::query_value(&query, "saved").is_some_and(|s| s == "1");
    render(&preferences_page(
        &state,
        user.login,
        &v,
        saved,
        FieldErrors::default(),
    ))
}

#[derive(Debug, Deserialize)]
pub struct PreferencesForm {
    #[serde(rename = "user[email]", default)]
    pub email: String,
    #[serde(rename = "preference[email_notifications]")]
    pub email_notifications: Option<String>,
    #[serde(rename = "preference[adult]")]
    pub show_adult_warnings: Option<String>,
    #[serde(rename = "preference[disable_work_skins]")]
    pub hide_work_skins: Option<String>,
    #[serde(rename = "preference[text_format]", default)]
    pub text_format: String,
}

/// `POST /users/{login}/preferences`: saved, then the page again (303) saying so.
pub async fn update_preferences(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(login): Path<String>,
    CsrfForm(form): CsrfForm<PreferencesForm>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let input = PreferencesInput {
        email: form.email,
        email_notifications: truthy(form.email_notifications.as_deref()),
        show_adult_warnings: truthy(form.show_adult_warnings.as_deref()),
        hide_work_skins: truthy(form.hide_work_skins.as_deref()),
        text_format: form.text_format,
    };
    let current = state.store().account(user.id).await?.and_then(|a| a.email);
    match profile::save_preferences(&state, user.id, current.as_deref(), &input).await {
        Ok(()) => Ok(crate::pages::responding::see_other(&format!(
            "/users/{}/preferences?saved=1",
            user.login
        ))),
        Err(AccountError::Invalid(errors)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &preferences_page(&state, user.login, &input, false, errors),
        ),
        Err(e) => Err(e.into()),
    }
}
