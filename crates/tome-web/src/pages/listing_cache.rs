//! Listing pages (home, `/works`, a tag's works, search results) rendered once per
//! audience and kept in the search engine's page cache.
//!
//! - **Key:** the audience and the page's path and query as asked. **Stamp:** the
//!   index generation: the cache is emptied whenever the index reloads, which it does
//!   after every change the outbox carries (a work posted, edited, hidden, deleted,
//!   re-wrangled; kudos, bookmarks and comments, which listings count). **Staleness
//!   bound:** a change shows once the indexer has applied it (normally well under a
//!   second); a page rendered before a reload is refused by the cache, never stored
//!   under the new generation.
//! - **Per audience, per viewer slots.** Listings show the same works to every guest
//!   and to every member (restricted works are members'), so each is rendered once per
//!   audience as a [`Frame`] whose slots (CSRF token, the header's user links) are filled
//!   per viewer. A member whose mutes leave out a work of the cached page gets the page
//!   rendered for them (their mutes applied); every other member is served the members'
//!   copy. Only 200s are kept.
//! - **Creators of anonymous works** see their names on them in every listing, and them
//!   on their bylines, so every listing is rendered for them alone
//!   (`MemberFilters::sees_beyond_members`, kept with the session: known at once on the
//!   node where they post, on the others within the member poll or its 60 s backstop;
//!   until then they see the work as everyone else does, never more).
//! - **Bylines.** A user's works pages are kept per audience like the rest. Their works
//!   are in the outbox like any other, so a change to one (or a rename of the user, which
//!   re-indexes their works) empties the cache.
//! - **Bound:** the search page cache's byte budget (`TOME_SEARCH_PAGES_BYTES`).
//! - Without a search index there is no cache: every page is rendered.

use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::Response;
use tome_model::visibility::Audience;
use tome_search::cache::KeptPage;
use tome_store::WorkBlurb;

use crate::AppState;
use crate::frame::{Fills, Frame};
use crate::layout::{Layout, UserNav};
use crate::pages::html_response;
use crate::responding::service::{ListedWork, muted_out};

/// A kept listing: the page, and what its works are (for members' mutes).
struct Listed {
    frame: Frame,
    works: Vec<ListedWork>,
}

impl Listed {
    fn weight(&self) -> usize {
        std::mem::size_of::<Listed>()
            + self.frame.weight()
            + self
                .works
                .iter()
                .map(|w| 48 + (w.creators.len() + w.tags.len()) * 8)
                .sum::<usize>()
    }
}

/// Where a freshly rendered shared page goes.
pub struct Slot {
    key: String,
    generation: u64,
    audience: Audience,
}

/// What the cache had for a request.
pub enum Lookup {
    /// The page, ready to send.
    Hit(Response),
    /// Render it: with `Some(slot)` once for the slot's audience (see [`Slot::layout`])
    /// and hand it to [`Slot::keep`]; with `None` for this viewer alone.
    Miss(Option<Slot>),
}

/// Looks `key` (path and query) up for the current request's viewer.
pub fn lookup(state: &AppState, key: &str) -> Lookup {
    let auth = crate::accounts::current();
    let audience = Audience::from_member(auth.viewer.user.is_some());
    // The creator of an anonymous work sees their names on it in every listing, and it
    // on their bylines: their pages are their own.
    if auth
        .viewer
        .user
        .as_ref()
        .is_some_and(|u| u.filters.sees_beyond_members)
    {
        return Lookup::Miss(None);
    }
    let Some(search) = state.search().filter(|_| state.config().share_pages) else {
        return Lookup::Miss(None);
    };
    let pages = search.page_cache();
    let key = format!("{}{key}", audience_prefix(audience));
    if let Some(listed) = pages.get(&key).and_then(|p| p.get::<Listed>()) {
        if let Some(u) = &auth.viewer.user
            && !u.filters.mutes_nothing()
            && listed.works.iter().any(|w| muted_out(&u.filters, w))
        {
            return Lookup::Miss(None);
        }
        return Lookup::Hit(serve(&listed.frame));
    }
    // The audience's copy is rendered without anyone's mutes: a member with mutes gets
    // their own page, and leaves the audience's copy to be rendered for the next.
    if auth
        .viewer
        .user
        .as_ref()
        .is_some_and(|u| !u.filters.mutes_nothing())
    {
        return Lookup::Miss(None);
    }
    Lookup::Miss(Some(Slot {
        generation: pages.generation(),
        key,
        audience,
    }))
}

fn audience_prefix(a: Audience) -> &'static str {
    match a {
        Audience::Guest => "g|",
        Audience::Member => "m|",
    }
}

impl Slot {
    /// The audience the page is rendered for.
    pub fn audience(&self) -> Audience {
        self.audience
    }

    /// The layout of a page rendered for the slot's audience.
    pub fn layout(&self, state: &AppState, title: impl Into<String>) -> Layout {
        Layout::shared(state, title, self.audience)
    }

    /// Keeps the rendered page (unless the index reloaded while it was rendered) with
    /// the works it lists, and serves it.
    pub fn keep(self, state: &AppState, html: String, works: &[WorkBlurb]) -> Response {
        let listed = Arc::new(Listed {
            frame: Frame::cut(&html),
            works: works.iter().map(ListedWork::of).collect(),
        });
        if let Some(search) = state.search() {
            let weight = listed.weight() + self.key.len();
            search.page_cache().put(
                self.key,
                self.generation,
                &KeptPage::new(listed.clone(), weight),
            );
        }
        serve(&listed.frame)
    }
}

impl Slot {
    /// Serves a page rendered for the slot's audience without keeping it (a listing that
    /// nothing would take out of the cache when it goes stale).
    pub fn pass(self, html: String) -> Response {
        serve(&Frame::cut(&html))
    }
}

/// The viewer's copy of a kept page.
fn serve(frame: &Frame) -> Response {
    let auth = crate::accounts::current();
    let nav;
    let user_nav = match &auth.viewer.user {
        Some(_) => {
            nav = UserNav::for_current();
            nav.as_str()
        }
        None => UserNav::guest(),
    };
    let mut resp = html_response(frame.fill(&Fills {
        csrf: auth.csrf_token(),
        user_nav,
        ..Fills::default()
    }));
    if auth.viewer.user.is_some() {
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    resp
}
