//! Responding pages, each a thin layer over [`crate::responding::service`]: comments,
//! bookmarks, subscriptions and the inbox, history and "Mark for later", mutes and
//! blocks. Every form carries a CSRF token ([`crate::accounts::CsrfForm`]).

pub mod bookmarks;
pub mod comments;
pub mod inbox;
pub mod mutes;
pub mod readings;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::AppState;

/// The responding routes (AO3's addresses where AO3 has them).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/works/{id}/comments",
            get(comments::index).post(comments::create),
        )
        .route(
            "/comments/{id}/edit",
            get(comments::edit).post(comments::update),
        )
        .route("/comments/{id}/delete", post(comments::destroy))
        .route("/comments/{id}/freeze", post(comments::freeze))
        .route("/comments/{id}/approve", post(comments::approve))
        .route(
            "/works/{id}/bookmarks",
            get(bookmarks::work_index).post(bookmarks::create),
        )
        .route("/bookmarks/{id}/delete", post(bookmarks::destroy))
        .route("/users/{login}/bookmarks", get(bookmarks::index))
        .route("/works/{id}/subscriptions", post(inbox::subscribe_work))
        .route("/series/{id}/subscriptions", post(inbox::subscribe_series))
        .route(
            "/users/{login}/subscriptions",
            get(inbox::subscriptions).post(inbox::subscribe_user),
        )
        .route("/users/{login}/inbox", get(inbox::show))
        .route("/users/{login}/inbox/read", post(inbox::mark_read))
        .route("/users/{login}/readings", get(readings::index))
        .route("/works/{id}/mark_for_later", post(readings::mark_for_later))
        .route("/users/{login}/muted", get(mutes::muted).post(mutes::mute))
        .route("/users/{login}/muted/remove", post(mutes::unmute))
        .route(
            "/users/{login}/blocked",
            get(mutes::blocked).post(mutes::block),
        )
        .route("/users/{login}/blocked/remove", post(mutes::unblock))
}

/// 303 to a local path, never cached.
pub fn see_other(to: &str) -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// A form checkbox or 0/1 field.
pub fn truthy(v: Option<&str>) -> bool {
    matches!(v.map(str::trim), Some("1" | "true" | "on" | "yes"))
}
