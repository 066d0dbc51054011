//! Profiles, preferences and the archive's people: what their pages ask of the store,
//! with the checks on what members type.

use tome_store::profiles::{Person, Preferences, Profile};

use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::service::{AccountError, FieldErrors, check_email};
use crate::error::WebError;

/// Most characters of a bio as typed.
pub const BIO: usize = 5_000;

/// The text formats a member may choose as the posting form's default.
pub const TEXT_FORMATS: [(&str, &str); 2] =
    [("html", "Rich text (HTML)"), ("markdown", "Markdown")];

/// A bio shown on a profile: what was typed, as Markdown or HTML through the archive's
/// sanitizer; empty when there is none (or it cannot be read within the bounds).
pub fn bio_html(profile: &Profile) -> String {
    if profile.bio.trim().is_empty() {
        return String::new();
    }
    tome_text::try_markdown_to_html(&profile.bio).unwrap_or_default()
}

/// Saves a member's bio after checking its length and that it can be shown.
pub async fn save_bio(state: &AppState, user_id: i64, bio: &str) -> Result<(), AccountError> {
    let mut errors = FieldErrors::default();
    if bio.chars().count() > BIO {
        errors.add(
            "bio",
            format!("About Me must be at most {BIO} characters long."),
        );
    } else if let Err(e) = tome_text::try_markdown_to_html(bio) {
        errors.add("bio", format!("About Me: {e}."));
    }
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    state.store().set_bio(user_id, bio).await?;
    Ok(())
}

/// What the preferences form gives.
#[derive(Debug, Clone, Default)]
pub struct PreferencesInput {
    pub email: String,
    pub email_notifications: bool,
    pub show_adult_warnings: bool,
    pub hide_work_skins: bool,
    pub text_format: String,
}

/// Checks and saves a member's preferences and e-mail address (changed only when it
/// differs; an address another account uses is refused beside the field).
pub async fn save_preferences(
    state: &AppState,
    user_id: i64,
    current_email: Option<&str>,
    input: &PreferencesInput,
) -> Result<(), AccountError> {
    let mut errors = FieldErrors::default();
    let email = input.email.trim();
    check_email(email, &mut errors);
    if !TEXT_FORMATS.iter().any(|(v, _)| *v == input.text_format) {
        errors.add("text_format", "Please choose a text format from the list.");
    }
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    if current_email.is_none_or(|c| !c.eq_ignore_ascii_case(email)) {
        match state.store().set_email(user_id, email).await {
            Ok(()) => {}
            Err(tome_store::StoreError::Conflict(_)) => {
                errors.add(
                    "email",
                    "This email is already associated with another account.",
                );
                return Err(AccountError::Invalid(errors));
            }
            Err(e) => return Err(e.into()),
        }
    }
    state
        .store()
        .save_preferences(
            user_id,
            &Preferences {
                email_notifications: input.email_notifications,
                show_adult_warnings: input.show_adult_warnings,
                hide_work_skins: input.hide_work_skins,
                text_format: input.text_format.clone(),
            },
        )
        .await?;
    Ok(())
}

/// The posting form's text format for a member: their preference, else HTML.
pub async fn default_text_format(state: &AppState, user_id: i64) -> Result<String, WebError> {
    let p = state.store().preferences(user_id).await?;
    Ok(if TEXT_FORMATS.iter().any(|(v, _)| *v == p.text_format) {
        p.text_format
    } else {
        "html".to_string()
    })
}

/// A page of the archive's people with the works on their pages the viewer may see.
pub async fn people(
    state: &AppState,
    viewer: &Viewer,
    page: u32,
    per_page: u32,
) -> Result<(Vec<Person>, u64), WebError> {
    Ok(state
        .store()
        .people(&crate::visibility::reader(viewer), page, per_page)
        .await?)
}
