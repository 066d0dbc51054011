//! Who may see what: the one place pages, listings and downloads ask.
//!
//! There are no accounts yet, so every reader is a guest: drafts, works hidden by a
//! moderator and restricted works (for logged-in readers only) are refused, and
//! anonymous works never show their creators. Listings apply the same rule in the store's
//! SQL (see [`audience`]), so totals and pages agree; a creator's user and pseud pages
//! never list the works they posted anonymously.

use tome_store::{Audience, WorkBlurb};

/// Whether a guest may open the work (its page, chapters, index and downloads).
pub fn guest_can_view(b: &WorkBlurb) -> bool {
    !b.restricted && !b.draft && !b.hidden
}

/// The audience listings are built for.
pub fn audience() -> Audience {
    Audience::Guest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blurb() -> WorkBlurb {
        WorkBlurb {
            id: 1,
            title: "t".into(),
            summary_html: None,
            language: "en".into(),
            rating: tome_model::Rating::General,
            warnings: vec![],
            categories: vec![],
            fandoms: vec![],
            relationships: vec![],
            characters: vec![],
            freeforms: vec![],
            creators: vec![],
            anonymous: false,
            restricted: false,
            draft: false,
            hidden: false,
            complete: true,
            chapter_count: 1,
            expected_chapters: Some(1),
            word_count: 1,
            published_at: 0,
            updated_at: 0,
            hits: 0,
            kudos: 0,
            comments: 0,
            bookmarks: 0,
        }
    }

    #[test]
    fn guests_see_only_posted_public_works() {
        assert!(guest_can_view(&blurb()));
        assert!(!guest_can_view(&WorkBlurb {
            restricted: true,
            ..blurb()
        }));
        assert!(!guest_can_view(&WorkBlurb {
            draft: true,
            ..blurb()
        }));
        assert!(!guest_can_view(&WorkBlurb {
            hidden: true,
            ..blurb()
        }));
        assert!(guest_can_view(&WorkBlurb {
            anonymous: true,
            ..blurb()
        }));
    }
}
