//! What every page's base layout needs: the archive's name, the page title, a flash
//! message, and who is logged in (for the header's links and its Log Out form).
//!
//! The viewer is read from the current request ([`crate::accounts::current`]), so every
//! page gets the right header without threading it through. Guests get [`CSRF_SLOT`]
//! as their token: guest pages may be cached for every guest, and the slot is filled in
//! as each response is served.

use std::sync::Arc;

use crate::AppState;
use crate::accounts::CSRF_SLOT;

/// The logged-in user as the header shows them.
#[derive(Debug, Clone)]
pub struct HeaderUser {
    pub login: String,
    pub is_admin: bool,
    /// Tag wranglers and admins: the header links to the wrangling pages.
    pub is_wrangler: bool,
}

/// Where a cached page's per-visitor flash message goes. Rendered into cached pages and
/// cut out again (see [`crate::cache::CachedPage`]).
pub const FLASH_SLOT: &str = "<!--tome:flash-->";

/// The base layout's data.
#[derive(Debug, Clone)]
pub struct Layout {
    pub site: Arc<str>,
    pub title: String,
    /// Ready HTML (built by [`flash_html`] or [`FLASH_SLOT`]), or empty.
    pub flash: String,
    /// The logged-in user, `None` for guests.
    pub user: Option<HeaderUser>,
    /// The CSRF token for forms on this page (the slot for guests).
    pub csrf: String,
}

impl Layout {
    /// A layout titled "`title` | Archive".
    pub fn new(state: &AppState, title: impl Into<String>) -> Layout {
        let auth = crate::accounts::current();
        let (user, csrf) = match &auth.viewer.user {
            Some(u) => (
                Some(HeaderUser {
                    login: u.login.clone(),
                    is_admin: u.is_admin(),
                    is_wrangler: crate::pages::wrangling::is_wrangler(u),
                }),
                u.csrf_token.clone(),
            ),
            None => (None, CSRF_SLOT.to_string()),
        };
        Layout {
            site: state.archive_name(),
            title: title.into(),
            flash: String::new(),
            user,
            csrf,
        }
    }

    /// The text of the `<title>` element.
    pub fn full_title(&self) -> String {
        if self.title.is_empty() {
            self.site.to_string()
        } else {
            format!("{} | {}", self.title, self.site)
        }
    }
}

/// Flash messages, by the code carried in the `tome_flash` cookie. Only known codes
/// are shown, so the cookie cannot inject text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    KudosThanks,
    KudosAlready,
    /// A creator pressed Kudos on their own work.
    KudosOwn,
}

impl Flash {
    pub fn code(self) -> &'static str {
        match self {
            Flash::KudosThanks => "kudos_thanks",
            Flash::KudosAlready => "kudos_already",
            Flash::KudosOwn => "kudos_own",
        }
    }

    pub fn from_code(code: &str) -> Option<Flash> {
        match code {
            "kudos_thanks" => Some(Flash::KudosThanks),
            "kudos_already" => Some(Flash::KudosAlready),
            "kudos_own" => Some(Flash::KudosOwn),
            _ => None,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Flash::KudosThanks => "Thank you for leaving kudos!",
            Flash::KudosAlready => "You have already left kudos here. :)",
            Flash::KudosOwn => "You can't leave kudos on your own work.",
        }
    }
}

/// The flash message's HTML.
pub fn flash_html(flash: Flash) -> String {
    let class = match flash {
        Flash::KudosThanks => "flash notice",
        Flash::KudosAlready | Flash::KudosOwn => "flash error",
    };
    format!(
        "<div class=\"{class}\" role=\"status\">{}</div>",
        tome_text::escape_html(flash.message())
    )
}
