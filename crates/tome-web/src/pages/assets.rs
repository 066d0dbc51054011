//! The stylesheet (embedded in the binary) and the favicon (none: 204).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The one stylesheet.
pub const STYLESHEET: &str = include_str!("../../static/tome.css");

pub async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        STYLESHEET,
    )
        .into_response()
}

pub async fn favicon() -> Response {
    (
        StatusCode::NO_CONTENT,
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        )],
    )
        .into_response()
}
