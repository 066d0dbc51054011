//! What every page's base layout needs: the archive's name, the page title, a flash
//! message, and who is logged in (for the header's links and its Log Out form).
//!
//! The viewer is read from the current request ([`crate::accounts::current`]), so every
//! page gets the right header without threading it through. Guests get [`CSRF_SLOT`]
//! as their token: guest pages may be cached for every guest, and the slot is filled in
//! as each response is served.

use std::sync::Arc;

use askama::Template;
use tome_model::visibility::Audience;

use crate::AppState;
use crate::frame::{Slot, marker};

/// The logged-in user as the header shows them.
#[derive(Debug, Clone)]
pub struct HeaderUser {
    pub login: String,
    pub is_admin: bool,
    /// Tag wranglers and admins: the header links to the wrangling pages.
    pub is_wrangler: bool,
    /// Moderators and admins: the header links to the reports queue.
    pub is_moderator: bool,
}

/// Where a cached page's per-visitor flash message goes: rendered into cached pages and
/// filled as each copy is served (see [`crate::frame`]).
pub fn flash_slot() -> String {
    marker(Slot::Flash).to_string()
}

/// The header's user links (`nav#greeting` or `nav#login`).
#[derive(Template)]
#[template(path = "partials/user_nav.html")]
pub struct UserNav<'a> {
    pub user: Option<&'a HeaderUser>,
    pub csrf: &'a str,
}

impl UserNav<'_> {
    /// The header's links for a guest (the same for every guest).
    pub fn guest() -> &'static str {
        static GUEST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        GUEST.get_or_init(|| {
            UserNav {
                user: None,
                csrf: "",
            }
            .render()
            .unwrap_or_default()
        })
    }

    /// The header's links for the current request's viewer.
    pub fn for_current() -> String {
        let auth = crate::accounts::current();
        match &auth.viewer.user {
            Some(u) => {
                let h = HeaderUser::of(u);
                UserNav {
                    user: Some(&h),
                    csrf: &u.csrf_token,
                }
                .render()
                .unwrap_or_default()
            }
            None => UserNav::guest().to_string(),
        }
    }
}

impl HeaderUser {
    pub fn of(u: &crate::accounts::SessionUser) -> HeaderUser {
        HeaderUser {
            login: u.login.clone(),
            is_admin: u.is_admin(),
            is_wrangler: crate::pages::wrangling::is_wrangler(u),
            is_moderator: u.is_moderator(),
        }
    }
}

/// The base layout's data.
#[derive(Debug, Clone)]
pub struct Layout {
    pub site: Arc<str>,
    pub title: String,
    /// Ready HTML (built by [`flash_html`] or [`FLASH_SLOT`]), or empty.
    pub flash: String,
    /// The logged-in user, `None` for guests (and in pages shared by every member).
    pub user: Option<HeaderUser>,
    /// The header's user links, ready HTML (or their slot, in pages shared by members).
    pub user_nav: String,
    /// The CSRF token for forms on this page (the slot for guests and shared pages).
    pub csrf: String,
}

impl Layout {
    /// A layout titled "`title` | Archive".
    pub fn new(state: &AppState, title: impl Into<String>) -> Layout {
        let auth = crate::accounts::current();
        let (user, csrf, user_nav) = match &auth.viewer.user {
            Some(u) => {
                let h = HeaderUser::of(u);
                let nav = UserNav {
                    user: Some(&h),
                    csrf: &u.csrf_token,
                }
                .render()
                .unwrap_or_default();
                (Some(h), u.csrf_token.clone(), nav)
            }
            None => (
                None,
                marker(Slot::Csrf).to_string(),
                UserNav::guest().to_string(),
            ),
        };
        Layout {
            site: state.archive_name(),
            title: title.into(),
            flash: String::new(),
            user,
            user_nav,
            csrf,
        }
    }

    /// A layout for a page rendered once for a whole audience: every guest, or every
    /// member (then the header's user links and the CSRF token are slots, filled per
    /// member as the page is served; see [`crate::frame`]).
    pub fn shared(state: &AppState, title: impl Into<String>, audience: Audience) -> Layout {
        let user_nav = match audience {
            Audience::Guest => UserNav::guest().to_string(),
            Audience::Member => marker(Slot::UserNav).to_string(),
        };
        Layout {
            site: state.archive_name(),
            title: title.into(),
            flash: String::new(),
            user: None,
            user_nav,
            csrf: marker(Slot::Csrf).to_string(),
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
