//! Pages rendered once and served to many: a [`Frame`] is a rendered page cut at its
//! **slots**, the few places where what one viewer sees differs from what every other
//! viewer of the same audience sees (their CSRF token, a flash message, the header's
//! user links, their bookmark and subscription buttons, their pseuds in the comment
//! form).
//!
//! - A template writes a slot's [`marker`] where the viewer's part goes; [`Frame::cut`]
//!   finds every marker in one pass and keeps the page as the bytes between them. A
//!   cached page is cut once, when it is stored.
//! - [`Frame::fill`] writes the page for one viewer: the kept bytes with the viewer's
//!   [`Fills`] between them, one allocation, no scanning.
//! - **Markers cannot be forged by what users write.** Each holds a nonce drawn at
//!   random when the process starts and never sent to anyone (every marker is replaced
//!   before a page leaves the server), so a work, comment or tag that contains
//!   marker-like text is just text.

use std::sync::OnceLock;

use axum::http::HeaderValue;
use bytes::Bytes;
use sha2::{Digest, Sha256};

/// Where a viewer's own part of a page goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The CSRF token of the viewer's forms (inside `value="…"`).
    Csrf,
    /// A one-time flash message.
    Flash,
    /// The header's user links: "Log In / Sign Up" or "Hi, NAME!" and the member's menu.
    UserNav,
    /// A work page's subscribe, mark-for-later and bookmark forms, with the member's state.
    MemberActions,
    /// A work page's "Comment as" pseud choice.
    CommentAs,
}

impl Slot {
    const ALL: [Slot; 5] = [
        Slot::Csrf,
        Slot::Flash,
        Slot::UserNav,
        Slot::MemberActions,
        Slot::CommentAs,
    ];

    fn code(self) -> u8 {
        match self {
            Slot::Csrf => b'c',
            Slot::Flash => b'f',
            Slot::UserNav => b'u',
            Slot::MemberActions => b'm',
            Slot::CommentAs => b'p',
        }
    }

    fn of_code(code: u8) -> Option<Slot> {
        Slot::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// `__tome_slot_NONCE_`: what every marker starts with.
fn prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let nonce: [u8; 8] = rand::random();
        format!("__tome_slot_{}_", crate::accounts::hex(&nonce))
    })
}

/// The marker a template writes where `slot` goes (letters, digits and underscores
/// only, so it is the same escaped or not, in text or in an attribute).
pub fn marker(slot: Slot) -> &'static str {
    static MARKERS: OnceLock<Vec<String>> = OnceLock::new();
    let all = MARKERS.get_or_init(|| {
        Slot::ALL
            .iter()
            .map(|s| format!("{}{}__", prefix(), s.code() as char))
            .collect()
    });
    let i = Slot::ALL.iter().position(|s| *s == slot).unwrap_or(0);
    all[i].as_str()
}

/// A viewer's part of a page, slot by slot (empty where not given).
#[derive(Debug, Clone, Copy, Default)]
pub struct Fills<'a> {
    pub csrf: &'a str,
    pub flash: &'a str,
    pub user_nav: &'a str,
    pub member_actions: &'a str,
    pub comment_as: &'a str,
}

impl<'a> Fills<'a> {
    fn get(&self, slot: Slot) -> &'a str {
        match slot {
            Slot::Csrf => self.csrf,
            Slot::Flash => self.flash,
            Slot::UserNav => self.user_nav,
            Slot::MemberActions => self.member_actions,
            Slot::CommentAs => self.comment_as,
        }
    }
}

/// A rendered page cut at its slots: `pieces[0] slots[0] pieces[1] … pieces[n]`.
#[derive(Debug, Clone)]
pub struct Frame {
    pieces: Vec<Bytes>,
    slots: Vec<Slot>,
    /// A strong validator of the shared bytes (the slots' contents not included).
    etag: HeaderValue,
}

impl Frame {
    /// Cuts a rendered page at its markers, in one pass.
    pub fn cut(html: &str) -> Frame {
        let pre = prefix().as_bytes();
        let bytes = html.as_bytes();
        let finder = memchr::memmem::Finder::new(pre);
        let mut pieces = Vec::new();
        let mut slots = Vec::new();
        let mut start = 0;
        let mut at = 0;
        while let Some(found) = finder.find(&bytes[at..]) {
            let m = at + found;
            let code_at = m + pre.len();
            let slot = bytes
                .get(code_at..code_at + 3)
                .filter(|t| &t[1..] == b"__")
                .and_then(|t| Slot::of_code(t[0]));
            match slot {
                Some(slot) => {
                    pieces.push(Bytes::copy_from_slice(&bytes[start..m]));
                    slots.push(slot);
                    start = code_at + 3;
                    at = start;
                }
                None => at = m + 1,
            }
        }
        pieces.push(Bytes::copy_from_slice(&bytes[start..]));
        let mut hasher = Sha256::new();
        for (i, p) in pieces.iter().enumerate() {
            hasher.update(p);
            if let Some(s) = slots.get(i) {
                hasher.update([0, s.code()]);
            }
        }
        let hex = crate::accounts::hex(&hasher.finalize()[..12]);
        let etag = HeaderValue::from_str(&format!("\"{hex}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        Frame {
            pieces,
            slots,
            etag,
        }
    }

    /// The page for one viewer.
    pub fn fill(&self, fills: &Fills<'_>) -> Bytes {
        if self.slots.is_empty() {
            return self.pieces[0].clone();
        }
        let len: usize = self.pieces.iter().map(Bytes::len).sum::<usize>()
            + self
                .slots
                .iter()
                .map(|s| fills.get(*s).len())
                .sum::<usize>();
        let mut out = Vec::with_capacity(len);
        for (i, p) in self.pieces.iter().enumerate() {
            out.extend_from_slice(p);
            if let Some(s) = self.slots.get(i) {
                out.extend_from_slice(fills.get(*s).as_bytes());
            }
        }
        Bytes::from(out)
    }

    /// Whether the page has a place for `slot`.
    pub fn has(&self, slot: Slot) -> bool {
        self.slots.contains(&slot)
    }

    /// The validator of the shared bytes.
    pub fn etag(&self) -> &HeaderValue {
        &self.etag
    }

    /// Bytes held in memory, roughly.
    pub fn weight(&self) -> usize {
        std::mem::size_of::<Frame>()
            + self.pieces.iter().map(|p| p.len() + 32).sum::<usize>()
            + self.slots.len()
            + self.etag.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_every_marker_and_fills_per_viewer() {
        let html = format!(
            "<a>{}</a><form value=\"{}\"></form>{}<i value=\"{}\">end",
            marker(Slot::UserNav),
            marker(Slot::Csrf),
            marker(Slot::Flash),
            marker(Slot::Csrf)
        );
        let f = Frame::cut(&html);
        assert!(f.has(Slot::Csrf) && f.has(Slot::UserNav) && !f.has(Slot::MemberActions));
        let out = f.fill(&Fills {
            csrf: "TOKEN",
            user_nav: "<nav>me</nav>",
            ..Fills::default()
        });
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            "<a><nav>me</nav></a><form value=\"TOKEN\"></form><i value=\"TOKEN\">end"
        );
    }

    #[test]
    fn marker_like_text_is_text() {
        // What a user could write: the prefix without the nonce, or a wrong code.
        let html = format!(
            "__tome_slot_0000000000000000_c__ {}x__ {}",
            prefix(),
            marker(Slot::Csrf)
        );
        let f = Frame::cut(&html);
        let out = f.fill(&Fills {
            csrf: "T",
            ..Fills::default()
        });
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            format!("__tome_slot_0000000000000000_c__ {}x__ T", prefix())
        );
    }

    #[test]
    fn the_etag_follows_the_shared_bytes_only() {
        let a = Frame::cut(&format!("x{}y", marker(Slot::Csrf)));
        let b = Frame::cut(&format!("x{}y", marker(Slot::Csrf)));
        let c = Frame::cut(&format!("x{}z", marker(Slot::Csrf)));
        assert_eq!(a.etag(), b.etag());
        assert_ne!(a.etag(), c.etag());
        let plain = Frame::cut("no slots");
        assert_eq!(&plain.fill(&Fills::default())[..], b"no slots");
    }
}
