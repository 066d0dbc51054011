//! Account pages, one file per action, each a thin layer over [`crate::accounts::service`]:
//! log in and out, sign up, change password, delete account, pseuds, archive settings.

pub mod admin;
pub mod delete;
pub mod login;
pub mod password;
pub mod profile;
pub mod pseuds;
pub mod reports;
pub mod signup;
pub mod tos;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::accounts::SessionUser;
use crate::error::WebError;

/// The account routes (AO3's addresses).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/login", get(login::show).post(login::create))
        .route("/users/logout", post(login::destroy))
        .route("/users/new", get(signup::show))
        .route("/users", post(signup::create))
        .route(
            "/users/{login}/password/edit",
            get(password::show).post(password::update),
        )
        .route("/users/{login}/delete_confirmation", get(delete::show))
        .route("/users/{login}/delete", post(delete::destroy))
        .route(
            "/users/{login}/pseuds",
            get(pseuds::index).post(pseuds::create),
        )
        .route("/users/{login}/pseuds/new", get(pseuds::new))
        .route("/people", get(profile::people))
        .route("/tos", get(tos::show))
        .route("/orphans/new", get(reports::new_orphan))
        .route("/orphans", post(reports::orphan))
        .route("/abuse_reports/new", get(reports::new_report))
        .route("/abuse_reports", post(reports::create_report))
        .route("/admin/abuse_reports", get(reports::queue))
        .route("/admin/abuse_reports/{id}/resolve", post(reports::resolve))
        .route(
            "/users/{login}/profile",
            get(profile::show).post(profile::update),
        )
        .route(
            "/users/{login}/preferences",
            get(profile::preferences).post(profile::update_preferences),
        )
        .route("/admin/settings", get(admin::show).post(admin::update))
        .route("/admin/invitations", post(admin::invite))
}

/// The logged-in user must be the one the address names (403 otherwise).
pub fn must_be(user: &SessionUser, login: &str) -> Result<(), WebError> {
    if user.login.eq_ignore_ascii_case(login) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "Sorry, you don't have permission to access the page you were trying to reach.".into(),
        ))
    }
}

/// A local path to return to after logging in: must start with one `/` (no other site,
/// no header injection); anything else is the front page.
pub fn safe_return_to(v: Option<&str>) -> String {
    match v {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains(['\\', '\r', '\n'])
                && !p.starts_with("/users/login") =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn return_to_stays_here() {
        use super::safe_return_to;
        assert_eq!(safe_return_to(Some("/works/1?x=y")), "/works/1?x=y");
        assert_eq!(safe_return_to(Some("//evil.test")), "/");
        assert_eq!(safe_return_to(Some("https://evil.test")), "/");
        assert_eq!(safe_return_to(Some("/\\evil.test")), "/");
        assert_eq!(safe_return_to(None), "/");
    }
}
