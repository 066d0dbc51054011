//! `/works/{id}`: the first chapter (or the one-shot), or with `?view_full_work=true`
//! every chapter. `view_adult=true` and `style=disable` are accepted: tome has no adult
//! gate or work skins yet, so both leave the page as it is (and share its cache entry).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;

use crate::AppState;
use crate::accounts::Viewer;
use crate::cache::Variant;
use crate::error::WebError;
use crate::pages::work_view::{Show, render_work};
use crate::pages::{QueryPairs, parse_id, query_value, serve_work_page};

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    method: Method,
    headers: HeaderMap,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let full = query_value(&query, "view_full_work").is_some_and(|v| v == "true");
    let (variant, show) = if full {
        (Variant::Full, Show::Full)
    } else {
        (Variant::First, Show::First)
    };
    serve_work_page(&state, &viewer, &method, &headers, id, variant, true, |r| {
        render_work(&state, r, id, show)
    })
    .await
}
