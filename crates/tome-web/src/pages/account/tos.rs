//! `GET /tos`: the archive's Terms of Service, which sign-up asks people to accept.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "account/tos.html")]
pub struct TosTemplate {
    pub l: Layout,
    pub site: String,
    pub minimum_age: u32,
}

pub async fn show(State(state): State<AppState>) -> Result<Response, WebError> {
    render(&TosTemplate {
        l: Layout::new(&state, "Terms of Service"),
        site: state.archive_name().to_string(),
        minimum_age: crate::accounts::service::MINIMUM_AGE,
    })
}
