//! `/users/{login}` (profile: pseuds, works count, recent works) and
//! `/users/{login}/works?page=N`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use tome_store::{UserInfo, WorkListFilter};

use crate::AppState;
use crate::error::WebError;
use crate::format::commas;
use crate::layout::Layout;
use crate::pages::listing_cache::{self, Lookup};
use crate::pages::works_index::{ListingContext, ListingTemplate, load, load_for};
use crate::pages::{QueryPairs, RenderFor, page_number, render};
use crate::views::{Listing, pseud_href, user_href};

/// A pseud link on a profile.
pub struct PseudLink {
    pub name: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "user.html")]
pub struct UserTemplate {
    pub l: Layout,
    pub login: String,
    pub works_href: String,
    pub works_count: String,
    pub pseuds: Vec<PseudLink>,
    pub recent: Option<Listing>,
    /// For an account an eFiction import made and nobody claimed yet: where from.
    pub imported: Option<String>,
}

pub async fn find(state: &AppState, login: &str) -> Result<UserInfo, WebError> {
    state
        .store()
        .user_by_login(login)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    Path(login): Path<String>,
) -> Result<Response, WebError> {
    let u = find(&state, &login).await?;
    let works = load(&state, WorkListFilter::User(u.id), 1).await?;
    let base = format!("{}/works", user_href(&u.login));
    let imported = state.store().efiction_claim_of(u.id).await?.filter(|c| !c.claimed).map(|c| {
        format!(
            "These works were imported from {}, where they were posted by {}; they are shown under that penname until the author claims them.",
            c.archive_name, c.penname
        )
    });
    render(&UserTemplate {
        imported,
        l: Layout::new(&state, u.login.clone()),
        works_href: base.clone(),
        // Counted under the same predicate as the listing: what this viewer may see.
        works_count: commas(works.total),
        pseuds: u
            .pseuds
            .iter()
            .map(|p| PseudLink {
                name: p.name.clone(),
                href: pseud_href(&u.login, &p.name),
            })
            .collect(),
        recent: (works.total > 0).then(|| Listing::of(&works, &base)),
        login: u.login,
    })
}

pub async fn works(
    State(state): State<AppState>,
    Path(login): Path<String>,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let page = page_number(&query);
    // Keyed by the name as asked, so that a kept page needs no query at all. A rename
    // or a deleted account re-indexes the user's works, which empties the cache.
    let key = format!("/users/{}/works?page={page}", login.to_lowercase());
    let slot = match listing_cache::lookup(&state, &key) {
        Lookup::Hit(r) => return Ok(r),
        Lookup::Miss(slot) => slot,
    };
    let u = find(&state, &login).await?;
    let who = RenderFor::for_listing(slot.as_ref());
    let works = load_for(&state, &who, WorkListFilter::User(u.id), page).await?;
    let tpl = ListingTemplate {
        l: who.layout(&state, format!("{} - Works", u.login)),
        context: Some(ListingContext {
            before: "Works by ".into(),
            href: Some(user_href(&u.login)),
            name: u.login.clone(),
        }),
        listing: Listing::of(&works, &format!("{}/works", user_href(&u.login))),
    };
    match slot {
        // Kept only while it lists works: deleting an account re-indexes its works,
        // which empties the cache; an empty page would have nothing to empty it.
        Some(slot) if !works.items.is_empty() => Ok(slot.keep(&state, tpl.render()?, &works.items)),
        Some(slot) => Ok(slot.pass(tpl.render()?)),
        None => render(&tpl),
    }
}
