//! Who may see what: the one place pages, listings and downloads ask, a thin adapter
//! from the request's [`Viewer`] to tome-model's `visibility` rules (the table the
//! store's SQL predicate and the search filter are written from too).
//!
//! - Drafts: their creators only.
//! - Hidden by a moderator: their creators, moderators and admins.
//! - Restricted: logged-in readers only.
//! - Anonymous: everyone may read them, but the creators show as "Anonymous" to all but
//!   the creators themselves ([`shown_creators`]), and a user's or pseud's pages list
//!   and count them only for their creators.
//! - A co-creator named but not yet accepted is not a creator: not on the byline, no
//!   more rights than any reader.
//!
//! - Comments ([`can_view_comment`]) are as visible as their work; held ones only to the
//!   creators; bookmarks ([`can_view_bookmark`]) too, and private ones only to their owner.
//!
//! Listings apply the same rule in the store's SQL ([`reader`] / [`audience_for`]), so
//! totals and pages agree.

use tome_model::visibility::{self as rules, Reader, Relation, Surface, WorkState};
use tome_store::bookmarks::Bookmark;
use tome_store::comments::Comment;
use tome_store::{Audience, PseudRef, WorkBlurb};

use crate::accounts::Viewer;

/// Whether the viewer is one of the work's creators (accepted ones: the byline).
pub fn is_creator(viewer: &Viewer, work: &WorkBlurb) -> bool {
    viewer
        .user
        .as_ref()
        .is_some_and(|u| work.creators.iter().any(|p| p.user_id == u.id))
}

/// The viewer as the rules see them.
pub fn reader(viewer: &Viewer) -> Reader {
    match &viewer.user {
        Some(u) => Reader::member(u.id, u.is_moderator()),
        None => Reader::GUEST,
    }
}

/// The reader of the current request (a guest outside a request).
pub fn current_reader() -> Reader {
    reader(&crate::accounts::current().viewer)
}

/// The viewer's relation to the work.
pub fn relation(viewer: &Viewer, work: &WorkBlurb) -> Relation {
    if is_creator(viewer, work) {
        Relation::Creator
    } else {
        Relation::Other
    }
}

/// The work's flags.
pub fn state(work: &WorkBlurb) -> WorkState {
    WorkState {
        draft: work.draft,
        hidden: work.hidden,
        restricted: work.restricted,
        anonymous: work.anonymous,
    }
}

/// Whether the viewer may open the work (its page, chapters, index and downloads).
pub fn can_view_work(viewer: &Viewer, work: &WorkBlurb) -> bool {
    rules::can_see(
        &reader(viewer),
        relation(viewer, work),
        Surface::Open,
        &state(work),
    )
}

/// Whether a guest who may not open the work could once logged in, as any member who is
/// not its creator: a restricted work. Such a guest is asked to log in (AO3 sends them to
/// the log-in page, which tells that the work exists but nothing of it); everything else
/// a guest may not open stays "doesn't exist".
pub fn opens_after_login(viewer: &Viewer, work: &WorkBlurb) -> bool {
    viewer.user.is_none()
        && rules::can_see(
            &Reader::member(0, false),
            Relation::Other,
            Surface::Open,
            &state(work),
        )
}

/// Whether the viewer moderates the archive (moderators and admins): they may hide and
/// show works, and see hidden ones.
pub fn can_moderate(viewer: &Viewer) -> bool {
    viewer.user.as_ref().is_some_and(|u| u.is_moderator())
}

/// The creators the viewer is shown: none ("Anonymous") for an anonymous work, unless
/// the viewer is one of them.
pub fn shown_creators(viewer: &Viewer, work: &WorkBlurb) -> Vec<PseudRef> {
    if rules::shows_creators(&reader(viewer), relation(viewer, work), &state(work)) {
        work.creators.clone()
    } else {
        Vec::new()
    }
}

/// The audience listings are built for this viewer.
pub fn audience_for(viewer: &Viewer) -> Audience {
    reader(viewer).audience()
}

/// The audience of the current request's viewer (a guest outside a request).
pub fn audience() -> Audience {
    audience_for(&crate::accounts::current().viewer)
}

/// Whether a guest may open the work. Kept for callers without a viewer.
pub fn guest_can_view(b: &WorkBlurb) -> bool {
    can_view_work(&Viewer::guest(), b)
}

/// Whether the viewer may see a comment: never more than its work; a comment held for
/// approval only by the work's creators (and, logged in, its own author); a deleted one
/// only as a placeholder (the caller prints no text for it).
pub fn can_view_comment(viewer: &Viewer, work: &WorkBlurb, comment: &Comment) -> bool {
    if !can_view_work(viewer, work) {
        return false;
    }
    if comment.approved {
        return true;
    }
    is_creator(viewer, work) || (comment.user_id.is_some() && comment.user_id == viewer.user_id())
}

/// Whether the viewer may see a bookmark: private ones only by their owner, and none of
/// a work the viewer may not open.
pub fn can_view_bookmark(viewer: &Viewer, work: &WorkBlurb, bookmark: &Bookmark) -> bool {
    rules::can_see_bookmark(
        &reader(viewer),
        relation(viewer, work),
        &state(work),
        bookmark.user_id,
        bookmark.private,
    )
}

/// How a comment's author is shown: a creator of an anonymous work is "Anonymous
/// Creator" to everyone, never named.
pub fn comment_author_hidden(work: &WorkBlurb, comment: &Comment) -> bool {
    work.anonymous
        && comment
            .user_id
            .is_some_and(|u| work.creators.iter().any(|p| p.user_id == u))
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

    fn user(id: i64, roles: Vec<tome_model::Role>) -> Viewer {
        Viewer {
            user: Some(crate::accounts::SessionUser {
                id,
                login: format!("u{id}"),
                roles,
                pseuds: vec![],
                csrf_token: String::new(),
                filters: Default::default(),
            }),
        }
    }

    fn by(user_id: i64, b: WorkBlurb) -> WorkBlurb {
        WorkBlurb {
            creators: vec![PseudRef {
                id: user_id,
                user_id,
                login: format!("u{user_id}"),
                name: format!("u{user_id}"),
            }],
            ..b
        }
    }

    #[test]
    fn members_creators_and_moderators() {
        let reader = user(2, vec![]);
        let creator = user(1, vec![]);
        let moderator = user(3, vec![tome_model::Role::Moderator]);
        let restricted = by(
            1,
            WorkBlurb {
                restricted: true,
                ..blurb()
            },
        );
        assert!(can_view_work(&reader, &restricted));
        assert!(!can_view_work(&Viewer::guest(), &restricted));
        let draft = by(
            1,
            WorkBlurb {
                draft: true,
                ..blurb()
            },
        );
        assert!(can_view_work(&creator, &draft));
        assert!(!can_view_work(&reader, &draft));
        assert!(!can_view_work(&moderator, &draft));
        let hidden = by(
            1,
            WorkBlurb {
                hidden: true,
                ..blurb()
            },
        );
        assert!(can_view_work(&creator, &hidden));
        assert!(can_view_work(&moderator, &hidden));
        assert!(!can_view_work(&reader, &hidden));
        let anon = by(
            1,
            WorkBlurb {
                anonymous: true,
                ..blurb()
            },
        );
        assert!(can_view_work(&reader, &anon));
        assert!(shown_creators(&reader, &anon).is_empty());
        assert!(shown_creators(&Viewer::guest(), &anon).is_empty());
        assert_eq!(shown_creators(&creator, &anon).len(), 1);
        assert_eq!(audience_for(&reader), Audience::Member);
        assert_eq!(audience_for(&Viewer::guest()), Audience::Guest);
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

    fn a_comment(user_id: Option<i64>, approved: bool) -> Comment {
        Comment {
            id: 1,
            work_id: 1,
            chapter_id: None,
            parent_id: None,
            user_id,
            login: None,
            pseud_id: None,
            pseud_name: None,
            guest_name: None,
            body_html: String::new(),
            created_at: 0,
            edited_at: None,
            approved,
            frozen: false,
            deleted: false,
        }
    }

    #[test]
    fn comments_and_bookmarks_follow_their_work() {
        let creator = user(1, vec![]);
        let reader = user(2, vec![]);
        let restricted = by(
            1,
            WorkBlurb {
                restricted: true,
                ..blurb()
            },
        );
        let c = a_comment(Some(2), true);
        assert!(can_view_comment(&reader, &restricted, &c));
        assert!(!can_view_comment(&Viewer::guest(), &restricted, &c));
        let held = a_comment(None, false);
        let public = by(1, blurb());
        assert!(can_view_comment(&creator, &public, &held));
        assert!(!can_view_comment(&reader, &public, &held));
        assert!(!can_view_comment(&Viewer::guest(), &public, &held));
        let draft = by(
            1,
            WorkBlurb {
                draft: true,
                ..blurb()
            },
        );
        assert!(!can_view_comment(&reader, &draft, &c));
        let anon = by(
            1,
            WorkBlurb {
                anonymous: true,
                ..blurb()
            },
        );
        assert!(comment_author_hidden(&anon, &a_comment(Some(1), true)));
        assert!(!comment_author_hidden(&anon, &c));
        assert!(!comment_author_hidden(&public, &a_comment(Some(1), true)));

        let bm = Bookmark {
            id: 1,
            user_id: 2,
            login: "u2".into(),
            pseud_name: None,
            work_id: 1,
            notes_html: None,
            tags: vec![],
            private: true,
            created_at: 0,
            updated_at: 0,
        };
        assert!(can_view_bookmark(&reader, &public, &bm));
        assert!(!can_view_bookmark(&creator, &public, &bm));
        assert!(!can_view_bookmark(&Viewer::guest(), &public, &bm));
        let open = Bookmark {
            private: false,
            ..bm
        };
        assert!(can_view_bookmark(&Viewer::guest(), &public, &open));
        assert!(!can_view_bookmark(&Viewer::guest(), &restricted, &open));
    }
}
