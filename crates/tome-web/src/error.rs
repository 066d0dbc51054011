//! One error type for every page, mapped to an HTTP status and a user-facing page.
//!
//! Handlers return `Result<_, WebError>`. `WebError` turns into a bare response carrying an
//! [`ErrorPage`] extension; the `render_errors` middleware (which knows the archive's
//! name) fills in the HTML page, so every error looks like the rest of the site.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tome_store::StoreError;

use crate::AppState;
use crate::layout::Layout;

/// What a page can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Nothing at this address (or not for this reader).
    #[error("not found")]
    NotFound,
    /// The request was malformed; the message is shown to the reader.
    #[error("{0}")]
    BadRequest(String),
    /// A guest asked for a work only logged-in readers may open (AO3's restricted works):
    /// they are asked to log in, and come back to this path (a local path) afterwards.
    /// Nothing of the work is shown.
    #[error("log in to read this work")]
    LoginRequired(String),
    /// Not allowed for this reader (someone else's account, an admin page, a form
    /// without a valid CSRF token); the message is shown.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts (failed logins); the message says when to try again.
    #[error("{0}")]
    TooManyRequests(String),
    /// The store refused the request as clashing with what is there.
    #[error("{0}")]
    Conflict(String),
    /// The request's body is larger than the route accepts; the message says so.
    #[error("{0}")]
    TooLarge(String),
    /// The request could not be answered in time (or the archive is busy); the message
    /// is shown and the reader may try again.
    #[error("{0}")]
    Unavailable(String),
    /// Something broke on our side; the detail is logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        match e {
            StoreError::NotFound(_) => WebError::NotFound,
            StoreError::Invalid(m) => WebError::BadRequest(m),
            StoreError::Conflict(m) => WebError::Conflict(m),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<crate::accounts::AccountError> for WebError {
    fn from(e: crate::accounts::AccountError) -> WebError {
        use crate::accounts::AccountError;
        match e {
            AccountError::Invalid(errors) => WebError::BadRequest(
                errors
                    .0
                    .iter()
                    .map(|(_, m)| m.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            AccountError::BadCredentials => WebError::Forbidden(e.to_string()),
            AccountError::RateLimited(m) => WebError::TooManyRequests(m),
            AccountError::Web(w) => w,
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> WebError {
        WebError::Internal(format!("template: {e}"))
    }
}

/// The status and reader-facing text of an error, left on the response for `render_errors`.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub heading: &'static str,
    pub message: String,
    /// A log-in link that returns here, when logging in would help.
    pub login_href: Option<String>,
}

impl WebError {
    fn page(&self) -> ErrorPage {
        match self {
            WebError::NotFound => ErrorPage {
                status: StatusCode::NOT_FOUND,
                heading: "Error 404",
                message: "The page you were looking for doesn't exist.".into(),
                login_href: None,
            },
            WebError::LoginRequired(back) => ErrorPage {
                status: StatusCode::UNAUTHORIZED,
                heading: "Log in to read this work",
                message: "This work is only available to registered users of the archive. \
                          Log in to read it."
                    .into(),
                login_href: Some(format!(
                    "/users/login?{}",
                    serde_urlencoded::to_string([("restricted", "true"), ("return_to", back)])
                        .unwrap_or_default()
                )),
            },
            WebError::BadRequest(m) => ErrorPage {
                status: StatusCode::BAD_REQUEST,
                heading: "Error 400",
                message: m.clone(),
                login_href: None,
            },
            WebError::Forbidden(m) => ErrorPage {
                status: StatusCode::FORBIDDEN,
                heading: "Error 403",
                message: m.clone(),
                login_href: None,
            },
            WebError::TooManyRequests(m) => ErrorPage {
                status: StatusCode::TOO_MANY_REQUESTS,
                heading: "Error 429",
                message: m.clone(),
                login_href: None,
            },
            WebError::Conflict(m) => ErrorPage {
                status: StatusCode::CONFLICT,
                heading: "Error 409",
                message: m.clone(),
                login_href: None,
            },
            WebError::TooLarge(m) => ErrorPage {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                heading: "Error 413",
                message: m.clone(),
                login_href: None,
            },
            WebError::Unavailable(m) => ErrorPage {
                status: StatusCode::SERVICE_UNAVAILABLE,
                heading: "Error 503",
                message: m.clone(),
                login_href: None,
            },
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                ErrorPage {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    heading: "Error 500",
                    message: "Something went wrong on our side. Please try again later.".into(),
                    login_href: None,
                }
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let page = self.page();
        let mut resp = page.status.into_response();
        resp.extensions_mut().insert(page);
        resp
    }
}

/// The error page.
#[derive(askama::Template)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    pub l: Layout,
    pub heading: &'static str,
    pub message: String,
    pub login_href: Option<String>,
}

/// The fallback for every unknown address.
pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// Middleware: renders the error page for responses that carry an [`ErrorPage`].
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let Some(page) = resp.extensions().get::<ErrorPage>().cloned() else {
        return resp;
    };
    let tpl = ErrorTemplate {
        l: Layout::new(&state, page.heading.to_string()),
        heading: page.heading,
        message: page.message.clone(),
        login_href: page.login_href.clone(),
    };
    match askama::Template::render(&tpl) {
        Ok(html) => {
            let html = crate::accounts::csrf::fill_slot(&html, &crate::accounts::current());
            let mut out = (page.status, crate::pages::html_response(html)).into_response();
            out.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            out
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (page.status, page.message).into_response()
        }
    }
}
