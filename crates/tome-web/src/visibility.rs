//! Who may see what: the one place pages, listings and downloads ask.
//!
//! There are no accounts yet, so every reader is a guest: restricted works (for
//! logged-in readers only) are hidden, and anonymous works never show their creators
//! nor appear on their creators' user and pseud pages.
//!
//! Drafts and hidden works: listings leave them out in the store; `Store::work` returns
//! them but its `WorkBlurb` does not carry the flags yet, so single-work pages cannot
//! refuse them here (reported to the store's owner).

use tome_store::{WorkBlurb, WorkListFilter};

/// Whether a guest may open the work.
pub fn guest_can_view(b: &WorkBlurb) -> bool {
    !b.restricted
}

/// Whether a guest may see the work in this listing.
pub fn guest_can_list(b: &WorkBlurb, filter: &WorkListFilter) -> bool {
    let reveals_creator = matches!(filter, WorkListFilter::User(_) | WorkListFilter::Pseud(_));
    guest_can_view(b) && !(reveals_creator && b.anonymous)
}
