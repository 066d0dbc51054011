//! Guests' listing pages (home, `/works`, a tag's works, search results) served from the
//! search engine's page cache.
//!
//! - **Key:** the page's path and query as asked. **Stamp:** the index generation: the
//!   cache is emptied whenever the index reloads, which it does after every change the
//!   outbox carries (a work posted, edited, hidden, deleted, re-wrangled; kudos,
//!   bookmarks and comments, which listings count). **Staleness bound:** a change shows
//!   once the indexer has applied it (normally well under a second); a page rendered
//!   before a reload is refused by the cache, never stored under the new generation.
//! - **Only guests' pages, only 200s.** A member's page carries their header and their
//!   mutes; it is rendered fresh. A guest's copy gets the guest's own CSRF token in the
//!   slot as it is served.
//! - **Bound:** the search page cache's byte budget (`TOME_SEARCH_PAGES_BYTES`).
//! - Without a search index there is no cache: every page is rendered.

use std::sync::Arc;

use axum::response::Response;

use crate::AppState;
use crate::pages::html_response;

/// Where a guest's freshly rendered page goes.
pub struct Slot {
    key: String,
    generation: u64,
}

/// What the cache had for a request.
pub enum Lookup {
    /// A guest's page, ready to send.
    Hit(Response),
    /// Render it; for a guest, hand the HTML to the [`Slot`] to keep and serve.
    Miss(Option<Slot>),
}

/// Looks `key` up for the current request's viewer (members always miss, with no slot).
pub fn lookup(state: &AppState, key: String) -> Lookup {
    let guest = crate::accounts::current().viewer.user.is_none();
    let Some(search) = state.search().filter(|_| guest) else {
        return Lookup::Miss(None);
    };
    let pages = search.page_cache();
    if let Some(html) = pages.get(&key) {
        return Lookup::Hit(guest_page(&html));
    }
    Lookup::Miss(Some(Slot {
        generation: pages.generation(),
        key,
    }))
}

impl Slot {
    /// Keeps a guest's rendered page (unless the index reloaded while it was rendered)
    /// and serves it.
    pub fn keep(self, state: &AppState, html: String) -> Response {
        let html: Arc<str> = Arc::from(html);
        if let Some(search) = state.search() {
            search.page_cache().put(self.key, self.generation, &html);
        }
        guest_page(&html)
    }
}

/// A guest's copy of a cached page: their own CSRF token in the slot.
pub fn guest_page(html: &str) -> Response {
    let auth = crate::accounts::current();
    html_response(crate::accounts::csrf::fill_slot(html, &auth))
}
