//! `/works/{id}/chapters/{cid}`: one chapter, by the chapter's own id; and
//! `/works/{id}/chapters?selected_id=CID`, the chapter select's target without JavaScript.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::accounts::Viewer;
use crate::cache::Variant;
use crate::error::WebError;
use crate::pages::work_view::{Show, render_work};
use crate::pages::{QueryPairs, parse_id, query_value, serve_work_page};

pub async fn show(
    State(state): State<AppState>,
    Path((id, cid)): Path<(String, String)>,
    viewer: Viewer,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let cid = parse_id(&cid)?;
    serve_work_page(
        &state,
        &viewer,
        &method,
        &headers,
        id,
        Variant::Chapter(cid),
        true,
        |r| render_work(&state, r, id, Show::Chapter(cid)),
    )
    .await
}

pub async fn select(Path(id): Path<String>, query: QueryPairs) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let target = match query_value(&query, "selected_id").map(parse_id) {
        Some(Ok(cid)) => format!("/works/{id}/chapters/{cid}"),
        _ => format!("/works/{id}/navigate"),
    };
    Ok(Redirect::to(&target).into_response())
}
