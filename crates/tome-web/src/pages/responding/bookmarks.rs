//! Bookmarks: create or update (`POST /works/{id}/bookmarks`), delete, and a user's
//! bookmarks page (`/users/{login}/bookmarks`; private ones only for the owner).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser, Viewer};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::responding::{see_other, truthy};
use crate::pages::user::find;
use crate::pages::{QueryPairs, page_number, parse_id, render, render_status};
use crate::responding::service::{self, BookmarkFields};
use crate::views::{BlurbView, Pager, page_count, range_heading};
use crate::visibility::{reader, shown_creators};

#[derive(Debug, Deserialize, Default)]
pub struct BookmarkForm {
    #[serde(rename = "bookmark[bookmarker_notes]", default)]
    pub notes: String,
    #[serde(rename = "bookmark[tag_string]", default)]
    pub tags: String,
    #[serde(rename = "bookmark[private]")]
    pub private: Option<String>,
    #[serde(rename = "bookmark[pseud_id]")]
    pub pseud_id: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<BookmarkForm>,
) -> Result<Response, WebError> {
    let work_id = parse_id(&id)?;
    let fields = BookmarkFields {
        notes: form.notes,
        tags: form.tags,
        private: truthy(form.private.as_deref()),
        pseud_id: form
            .pseud_id
            .as_deref()
            .and_then(|p| p.trim().parse::<i64>().ok()),
    };
    match service::save_bookmark(&state, &viewer, &user, work_id, &fields).await {
        Ok(_) => Ok(see_other(&format!("/users/{}/bookmarks", user.login))),
        Err(WebError::BadRequest(error)) => {
            let work = service::visible_work(&state, &viewer, work_id).await?;
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &BookmarkFormTemplate {
                    l: Layout::new(&state, "Bookmark"),
                    work_id,
                    work_title: work.title,
                    pseud_id: fields.pseud_id,
                    notes: fields.notes,
                    tags: fields.tags,
                    private: fields.private,
                    error,
                },
            )
        }
        Err(e) => Err(e),
    }
}

/// A refused bookmark, shown again with what was typed and why (422).
#[derive(Template)]
#[template(path = "responding/bookmark_form.html")]
pub struct BookmarkFormTemplate {
    pub l: Layout,
    pub work_id: i64,
    pub work_title: String,
    pub pseud_id: Option<i64>,
    pub notes: String,
    pub tags: String,
    pub private: bool,
    pub error: String,
}

pub async fn destroy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RequireUser(user): RequireUser,
    CsrfForm(_form): CsrfForm<BookmarkForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    service::delete_bookmark(&state, &user, id).await?;
    Ok(see_other(&format!("/users/{}/bookmarks", user.login)))
}

/// A bookmark as its page prints it.
pub struct BookmarkView {
    pub id: i64,
    pub blurb: BlurbView,
    pub notes_html: Option<String>,
    pub tags: Vec<String>,
    pub private: bool,
}

#[derive(Template)]
#[template(path = "responding/bookmarks.html")]
pub struct BookmarksTemplate {
    pub l: Layout,
    pub login: String,
    pub own: bool,
    /// "3 Bookmarks" or "21 - 40 of 45 Bookmarks".
    pub heading: String,
    pub bookmarks: Vec<BookmarkView>,
    pub pager: Pager,
}

/// `/users/{login}/bookmarks?page=N`: the bookmarks the viewer may see, a page at a time
/// (filtered in the store's query by the one visibility rule); a page past the end is a
/// 404.
pub async fn index(
    State(state): State<AppState>,
    Path(login): Path<String>,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let u = find(&state, &login).await?;
    let own = viewer.user_id() == Some(u.id);
    let page = page_number(&query);
    let per_page = state.config().per_page;
    let (items, total) = state
        .store()
        .user_bookmarks(u.id, &reader(&viewer), page, per_page)
        .await?;
    if page > 1 && items.is_empty() {
        return Err(WebError::NotFound);
    }
    let heading = range_heading(total, page, per_page, items.len(), "Bookmark", "Bookmarks");
    let pager = Pager::for_path(
        page_count(total, per_page),
        page,
        &format!("/users/{}/bookmarks", u.login),
    );
    let bookmarks = items
        .into_iter()
        .map(|b| {
            let mut work = b.work;
            work.creators = shown_creators(&viewer, &work);
            BookmarkView {
                id: b.bookmark.id,
                blurb: BlurbView::of(&work),
                notes_html: b.bookmark.notes_html.map(|n| tome_text::sanitize_html(&n)),
                tags: b.bookmark.tags,
                private: b.bookmark.private,
            }
        })
        .collect();
    render(&BookmarksTemplate {
        l: Layout::new(&state, format!("Bookmarks by {}", u.login)),
        login: u.login,
        own,
        heading,
        bookmarks,
        pager,
    })
}

/// A bookmark on a work's bookmarks page: who kept it, their tags and notes.
pub struct WorkBookmarkView {
    pub id: i64,
    pub login: String,
    /// The pseud it was made under, when not the login.
    pub pseud: Option<String>,
    pub date: String,
    pub notes_html: Option<String>,
    pub tags: Vec<String>,
    pub private: bool,
}

#[derive(Template)]
#[template(path = "responding/work_bookmarks.html")]
pub struct WorkBookmarksTemplate {
    pub l: Layout,
    pub work_id: i64,
    pub work_title: String,
    /// "2 Bookmarks" or "21 - 40 of 45 Bookmarks".
    pub heading: String,
    pub bookmarks: Vec<WorkBookmarkView>,
    pub pager: Pager,
}

/// `GET /works/{id}/bookmarks?page=N`: a work's bookmarks (AO3's address), those the
/// viewer may see (private ones only their owner's; none of a work they may not open:
/// "doesn't exist", or "log in" for a guest at a restricted work). A page past the end
/// is a 404.
pub async fn work_index(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let work_id = parse_id(&id)?;
    let work = service::readable_work(&state, &viewer, work_id).await?;
    let page = page_number(&query);
    let per_page = state.config().per_page;
    let (items, total) = state
        .store()
        .work_bookmarks(work_id, &reader(&viewer), page, per_page)
        .await?;
    if page > 1 && items.is_empty() {
        return Err(WebError::NotFound);
    }
    let heading = range_heading(total, page, per_page, items.len(), "Bookmark", "Bookmarks");
    let pager = Pager::for_path(
        page_count(total, per_page),
        page,
        &format!("/works/{work_id}/bookmarks"),
    );
    let bookmarks = items
        .into_iter()
        .map(|b| WorkBookmarkView {
            id: b.id,
            pseud: b.pseud_name.filter(|p| *p != b.login),
            login: b.login,
            date: crate::posting::date_of(b.updated_at),
            notes_html: b.notes_html.map(|n| tome_text::sanitize_html(&n)),
            tags: b.tags,
            private: b.private,
        })
        .collect();
    render(&WorkBookmarksTemplate {
        l: Layout::new(&state, format!("Bookmarks of {}", work.title)),
        work_id,
        work_title: work.title,
        heading,
        bookmarks,
        pager,
    })
}
