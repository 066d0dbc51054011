//! `GET/POST /users/login` and `POST /users/logout`.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::AppState;
use crate::accounts::service::{self, AccountError};
use crate::accounts::{CsrfForm, RequestAuth};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::safe_return_to;
use crate::pages::{ClientIp, QueryPairs, query_value, render, render_status};

#[derive(Template)]
#[template(path = "account/login.html")]
pub struct LoginTemplate {
    pub l: Layout,
    pub login: String,
    pub return_to: String,
    pub message: Option<String>,
    /// Why the reader is here: "Your account was created" after signing up, "log in to
    /// read this work" on the way to a restricted work.
    pub notice: Option<&'static str>,
}

/// The notice the log-in page shows for its query (`signed_up=1`, `restricted=true`).
fn notice_for(query: &QueryPairs) -> Option<&'static str> {
    if query_value(query, "signed_up").is_some_and(|v| v == "1") {
        Some("Your account was created. Log in with your user name and password to start.")
    } else if query_value(query, "restricted").is_some_and(|v| v == "true") {
        Some("This work is only available to registered users of the archive. Log in to read it.")
    } else {
        None
    }
}

pub async fn show(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(query_value(&query, "return_to"));
    if auth.viewer.user.is_some() {
        return Ok(see_other(&return_to));
    }
    render(&LoginTemplate {
        l: Layout::new(&state, "Log In"),
        login: String::new(),
        return_to,
        message: None,
        notice: notice_for(&query),
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(rename = "user[login]", default)]
    pub login: String,
    #[serde(rename = "user[password]", default)]
    pub password: String,
    #[serde(default)]
    pub return_to: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(form.return_to.as_deref());
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    match service::log_in(&state, &form.login, &form.password, &ip, agent).await {
        Ok(s) => {
            // A session that was there (another account) ends.
            if let Some(old) = &auth.session_hash {
                service::log_out(&state, old).await?;
            }
            let mut resp = see_other(&return_to);
            if let Ok(v) = HeaderValue::from_str(&auth.session_cookie(&s.session_id)) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(resp)
        }
        Err(e @ (AccountError::BadCredentials | AccountError::RateLimited(_))) => {
            let status = match e {
                AccountError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            render_status(
                status,
                &LoginTemplate {
                    l: Layout::new(&state, "Log In"),
                    login: form.login,
                    return_to,
                    message: Some(e.to_string()),
                    notice: None,
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn destroy(
    State(state): State<AppState>,
    auth: RequestAuth,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    if let Some(hash) = &auth.session_hash {
        service::log_out(&state, hash).await?;
    }
    let mut resp = see_other("/");
    if let Ok(v) = HeaderValue::from_str(&auth.clear_session_cookie()) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// A 303 to a local path, not to be cached.
pub fn see_other(path: &str) -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(path) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
