//! The tag wranglers' pages (role `tag_wrangler`, or admin): the home page with each
//! canonical fandom's unwrangled tags ([`home`]), a fandom's queue with bulk actions
//! ([`queue`]), a tag's edit page with one small form per change ([`edit`]) and the
//! wrangling log ([`log`]). Guests are sent to log in, other users get a 403; every form
//! is CSRF-checked before anything is read from it. The rules themselves live in the
//! store (`tome_store::wrangling`); its refusals come back as messages shown beside the
//! form, with what was typed kept.

pub mod edit;
pub mod home;
pub mod log;
pub mod queue;

use axum::Router;
use axum::routing::get;
use tome_model::{Role, TagKind};

use crate::AppState;
use crate::accounts::SessionUser;
use crate::error::WebError;

/// The wrangling routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tag_wranglings", get(home::show))
        .route("/tag_wranglings/log", get(log::show))
        .route("/tag_wranglings/no_fandom", get(queue::show_no_fandom))
        .route(
            "/tag_wranglings/no_fandom/mass_update",
            axum::routing::post(queue::mass_update_no_fandom),
        )
        .route("/tags/{tag}/wrangle", get(queue::show))
        .route(
            "/tags/{tag}/mass_update",
            axum::routing::post(queue::mass_update),
        )
        .route("/tags/{tag}/edit", get(edit::show).post(edit::update))
}

/// Whether a user may wrangle tags: tag wranglers and admins.
pub fn is_wrangler(user: &SessionUser) -> bool {
    user.has_role(Role::TagWrangler) || user.is_admin()
}

/// Refuses users who do not wrangle (guests never get here: `RequireUser` sends them to
/// log in).
pub fn must_wrangle(user: &SessionUser) -> Result<(), WebError> {
    if is_wrangler(user) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "Only tag wranglers can wrangle tags.".into(),
        ))
    }
}

/// The kinds a queue shows, in AO3's order, with their query names and headings.
pub const QUEUE_KINDS: [(TagKind, &str, &str); 4] = [
    (TagKind::Fandom, "fandoms", "Fandoms"),
    (TagKind::Character, "characters", "Characters"),
    (TagKind::Relationship, "relationships", "Relationships"),
    (TagKind::Freeform, "freeforms", "Additional Tags"),
];

/// The free-typed kinds (a tag of one of these can change kind while unwrangled).
pub const FREE_KINDS: [TagKind; 4] = [
    TagKind::Fandom,
    TagKind::Character,
    TagKind::Relationship,
    TagKind::Freeform,
];

/// AO3's plural heading of a kind ("Characters", "Additional Tags").
pub fn kind_heading(kind: TagKind) -> &'static str {
    QUEUE_KINDS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, _, h)| *h)
        .unwrap_or("Tags")
}

/// The `show=` name of a kind ("characters").
pub fn kind_param(kind: TagKind) -> &'static str {
    QUEUE_KINDS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, p, _)| *p)
        .unwrap_or("freeforms")
}

/// A timestamp as wranglers read it: `2024-01-02 13:04 UTC`.
pub fn when(unix: i64) -> String {
    let (y, m, d) = crate::format::civil_date(unix);
    let secs = unix.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// `/tags/ESCAPED/edit`.
pub fn edit_href(name: &str) -> String {
    format!("/tags/{}/edit", tome_model::tag_to_path(name))
}

/// `/tags/ESCAPED/wrangle`.
pub fn wrangle_href(name: &str) -> String {
    format!("/tags/{}/wrangle", tome_model::tag_to_path(name))
}
