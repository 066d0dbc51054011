//! eFiction's old links, answered with permanent redirects to the new pages, so an old
//! archive's domain can point at tome (`tome import-efiction --old-url URL`):
//! `viewstory.php?sid=N[&chapter=M]`, `viewuser.php?uid=N`,
//! `browse.php?type=categories&catid=N`, `series.php?seriesid=N`, `reviews.php?sid=N`.
//!
//! The archive is the one whose old URL's path the request's path begins with (so two
//! archives under `/a/` and `/b/` keep apart), else the only one imported. A story that
//! is not a public work (a pending story became a draft) is a 404 as anything unknown
//! is: the redirect says nothing a guest may not see.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::error::WebError;

/// The old scripts answered, each at the root and under one folder.
const SCRIPTS: &[&str] = &[
    "viewstory.php",
    "viewuser.php",
    "browse.php",
    "series.php",
    "reviews.php",
];

pub fn routes() -> Router<AppState> {
    let mut r = Router::new();
    for s in SCRIPTS {
        r = r
            .route(&format!("/{s}"), get(redirect))
            .route(&format!("/{{folder}}/{s}"), get(redirect));
    }
    r
}

/// The path of an old URL (`https://host/efiction/` → `/efiction/`).
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => &rest[i..],
        None => "/",
    }
}

fn moved(to: String) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
}

fn id(q: &HashMap<String, String>, key: &str) -> Option<i64> {
    q.get(key)?.trim().parse().ok().filter(|n: &i64| *n > 0)
}

async fn redirect(
    State(state): State<AppState>,
    uri: Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let store = state.store();
    let path = uri.path();
    let (dir, script) = path.rsplit_once('/').unwrap_or(("", path));
    let dir = format!("{dir}/");
    let archives = store.efiction_archives().await?;
    let archive = archives
        .iter()
        .find(|(_, _, url)| url.as_deref().is_some_and(|u| url_path(u) == dir))
        .or_else(|| (archives.len() == 1).then(|| &archives[0]))
        .map(|(key, _, _)| key.clone())
        .ok_or(WebError::NotFound)?;
    let target = |kind: &'static str, old: Option<i64>| {
        let archive = archive.clone();
        async move {
            let old = old.ok_or(WebError::NotFound)?;
            store
                .efiction_target(&archive, kind, old)
                .await?
                .ok_or(WebError::NotFound)
        }
    };
    match script {
        "viewstory.php" | "reviews.php" => {
            let work = target("story", id(&q, "sid")).await?;
            let view = store.work(work).await?.ok_or(WebError::NotFound)?;
            if view.blurb.draft || view.blurb.hidden {
                return Err(WebError::NotFound);
            }
            if script == "reviews.php" {
                return Ok(moved(format!("/works/{work}#comments_placeholder")));
            }
            if let Some(m) = id(&q, "chapter")
                && view.chapters.len() > 1
            {
                let ch = view
                    .chapters
                    .get(usize::try_from(m - 1).unwrap_or(usize::MAX))
                    .ok_or(WebError::NotFound)?;
                return Ok(moved(format!("/works/{work}/chapters/{}", ch.id)));
            }
            Ok(moved(format!("/works/{work}")))
        }
        "viewuser.php" => {
            let user = target("author", id(&q, "uid")).await?;
            let login = store
                .efiction_login(user)
                .await?
                .ok_or(WebError::NotFound)?;
            Ok(moved(format!("/users/{}", tome_model::tag_to_path(&login))))
        }
        "browse.php" => {
            if q.get("type").is_some_and(|t| t != "categories") {
                return Err(WebError::NotFound);
            }
            let tag = target("category", id(&q, "catid")).await?;
            let name = store
                .efiction_tag_name(tag)
                .await?
                .ok_or(WebError::NotFound)?;
            Ok(moved(format!(
                "/tags/{}/works",
                tome_model::tag_to_path(&name)
            )))
        }
        "series.php" => {
            let series = target("series", id(&q, "seriesid")).await?;
            Ok(moved(format!("/series/{series}")))
        }
        _ => Err(WebError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn old_url_paths() {
        assert_eq!(
            super::url_path("https://old.example.org/efiction/"),
            "/efiction/"
        );
        assert_eq!(super::url_path("http://old.example.org"), "/");
    }
}
