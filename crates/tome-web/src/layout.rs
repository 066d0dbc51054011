//! What every page's base layout needs: the archive's name, the page title, a flash message.

use std::sync::Arc;

use crate::AppState;

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
}

impl Layout {
    /// A layout titled "`title` | Archive".
    pub fn new(state: &AppState, title: impl Into<String>) -> Layout {
        Layout {
            site: state.inner.site_name.clone(),
            title: title.into(),
            flash: String::new(),
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
}

impl Flash {
    pub fn code(self) -> &'static str {
        match self {
            Flash::KudosThanks => "kudos_thanks",
            Flash::KudosAlready => "kudos_already",
        }
    }

    pub fn from_code(code: &str) -> Option<Flash> {
        match code {
            "kudos_thanks" => Some(Flash::KudosThanks),
            "kudos_already" => Some(Flash::KudosAlready),
            _ => None,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Flash::KudosThanks => "Thank you for leaving kudos!",
            Flash::KudosAlready => "You have already left kudos here. :)",
        }
    }
}

/// The flash message's HTML.
pub fn flash_html(flash: Flash) -> String {
    let class = match flash {
        Flash::KudosThanks => "flash notice",
        Flash::KudosAlready => "flash error",
    };
    format!(
        "<div class=\"{class}\" role=\"status\">{}</div>",
        tome_text::escape_html(flash.message())
    )
}
