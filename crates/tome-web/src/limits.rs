//! Bounds on every request, whatever route it takes: how long it may run and how large
//! its body may be.
//!
//! - **Time:** every request gets [`PageConfig::request_timeout`](crate::PageConfig)
//!   (30 s by default); past it the handler is dropped and the reader gets a 503 page
//!   saying so (work already handed to a blocking thread, such as a search, finishes
//!   there and is discarded).
//! - **Body:** ordinary forms (comments, bookmarks, settings, wrangling) at most
//!   [`FORM_BODY_LIMIT`]; the posting and chapter forms and uploads, which carry whole
//!   chapters and files, at most [`POSTING_BODY_LIMIT`]. A larger body is refused with
//!   413 before it is read into memory.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::WebError;

/// Largest body of an ordinary form: a 10,000-character comment, percent-encoded
/// (up to 9 bytes a character), with room to spare.
pub const FORM_BODY_LIMIT: usize = 256 * 1024;
/// Largest body of a posting or chapter form or an upload: a 500,000-character chapter
/// percent-encoded, or a work's file.
pub const POSTING_BODY_LIMIT: usize = 12 * 1024 * 1024;

/// What a reader is told when a form is larger than the route accepts.
pub const TOO_LARGE: &str =
    "This form is larger than the archive accepts. Please shorten what you wrote.";

/// What a reader is told when a request ran out of time.
pub const TIMED_OUT: &str =
    "The archive took too long to answer this request. Please try again in a moment.";

/// Middleware: answers 503 (with the error page) when the request runs past the
/// configured time.
pub async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.config().request_timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::warn!(seconds = limit.as_secs_f64(), "request timed out");
            WebError::Unavailable(TIMED_OUT.into()).into_response()
        }
    }
}
