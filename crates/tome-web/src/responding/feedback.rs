//! The work page's responding parts: `div#feedback` (kudos, bookmark, subscribe, mark for
//! later) and the comments section (`div#comments_placeholder`, threads as AO3 nests
//! them: `ol.thread > li.comment`, replies in a following `li > ol.thread`).
//!
//! Pages are rendered once per audience and cached (see [`crate::cache`]), so what is
//! rendered here for an audience depends only on the work (and the archive's
//! guest-comment setting, which clears the cache when it changes). A member's own part
//! (their subscribe, mark-for-later and bookmark forms, their pseuds in the comment form)
//! is a slot of the shared page, filled per member by [`member_actions_html`] and
//! [`comment_as_html`]; a member whose comments, mutes or blocks change the rest gets a
//! page of their own.

use std::collections::{HashMap, HashSet};

use askama::Template;
use tome_store::member_state::MemberWorkState;

use tome_store::WorkBlurb;
use tome_store::comments::Comment;
use tome_text::escape_html;

use crate::AppState;
use crate::accounts::Viewer;
use crate::error::WebError;
use crate::format::blurb_date;
use crate::responding::service::{comment_refusal, kudos_sentence};
use crate::views::{pseud_href, user_href};
use crate::visibility::{can_view_comment, comment_author_hidden, is_creator};

/// One comment as printed.
#[derive(Debug, Clone, Default)]
pub struct CommentView {
    pub id: i64,
    /// The byline's name ("Anonymous Creator" for a creator of an anonymous work).
    pub name: String,
    pub href: Option<String>,
    /// Written by one of the work's creators (shown only when they are named).
    pub by_creator: bool,
    pub guest: bool,
    pub body_html: String,
    pub date: String,
    /// "Last Edited" date.
    pub edited: Option<String>,
    pub deleted: bool,
    /// Held for approval.
    pub pending: bool,
    pub frozen: bool,
    pub can_reply: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_moderate: bool,
    /// Replies follow: open `li > ol.thread` after this comment.
    pub open_after: bool,
    /// `</ol></li>` closing as many levels after this comment.
    pub close_after: String,
}

/// Everything the feedback area and the comments section need.
#[derive(Debug, Clone, Default)]
pub struct Feedback {
    pub work_id: i64,
    /// "X, Y and 12 guests left kudos on this work!" with links (escaped HTML).
    pub kudos_html: Option<String>,
    pub member: bool,
    /// Why the viewer cannot comment ("Log in or sign up to comment.").
    pub refusal: Option<String>,
    /// A guest may comment: ask for name and e-mail.
    pub guest_form: bool,
    /// The chapter new comments are about.
    pub chapter_id: Option<i64>,
    pub comments: Vec<CommentView>,
    pub comments_count: u64,
    /// The member's subscribe, mark-for-later and bookmark forms (ready HTML, or their
    /// slot in a page shared by members; empty for guests).
    pub member_actions: String,
    /// The comment form's "Comment as" choice (ready HTML, or its slot).
    pub comment_as: String,
    /// Members who commented on the work (pending and deleted comments too).
    pub commenters: Vec<i64>,
}

/// The member's own forms on a work page.
#[derive(Template)]
#[template(path = "responding/member_actions.html")]
struct MemberActions<'a> {
    work_id: i64,
    csrf: &'a str,
    subscribed: bool,
    later: bool,
    bookmarked: bool,
    bookmark_notes: &'a str,
    bookmark_tags: String,
    bookmark_private: bool,
}

/// The member's subscribe, mark-for-later and bookmark forms for a work, with their state.
pub fn member_actions_html(
    work_id: i64,
    csrf: &str,
    s: &MemberWorkState,
) -> Result<String, WebError> {
    let b = s.bookmark.as_ref();
    Ok(MemberActions {
        work_id,
        csrf,
        subscribed: s.subscribed,
        later: s.later,
        bookmarked: b.is_some(),
        bookmark_notes: b.and_then(|b| b.notes_html.as_deref()).unwrap_or(""),
        bookmark_tags: b.map(|b| b.tags.join(", ")).unwrap_or_default(),
        bookmark_private: b.is_some_and(|b| b.private),
    }
    .render()?)
}

/// The comment form's choice of pseud.
#[derive(Template)]
#[template(path = "responding/comment_as.html")]
struct CommentAs<'a> {
    pseuds: &'a [tome_store::PseudRef],
}

/// The comment form's "Comment as" choice (nothing for a member with one pseud).
pub fn comment_as_html(pseuds: &[tome_store::PseudRef]) -> Result<String, WebError> {
    if pseuds.len() < 2 {
        return Ok(String::new());
    }
    Ok(CommentAs { pseuds }.render()?)
}

/// Builds the feedback area for a work page showing `chapter` (None: the whole work),
/// for `viewer`, or (`shared`) for the whole audience `viewer` stands in for, with the
/// member's own parts as slots.
pub async fn feedback(
    state: &AppState,
    viewer: &Viewer,
    shared: bool,
    work: &WorkBlurb,
    chapter: Option<i64>,
) -> Result<Feedback, WebError> {
    let store = state.store();
    let work_id = work.id;
    let g = store.kudos_givers(work_id).await?;
    let links: Vec<String> = g
        .users
        .iter()
        .map(|u| {
            format!(
                "<a href=\"{}\">{}</a>",
                escape_html(&user_href(u)),
                escape_html(u)
            )
        })
        .collect();
    let kudos_html = kudos_sentence(&links, g.guests);
    let mut fb = Feedback {
        work_id,
        kudos_html,
        member: viewer.user.is_some(),
        chapter_id: chapter,
        comments_count: work.comments,
        ..Feedback::default()
    };
    // The stand-in for every member was blocked by nobody.
    let refusal = match (&viewer.user, shared) {
        (Some(_), true) => None,
        _ => comment_refusal(state, viewer, work).await?,
    };
    fb.refusal = refusal.map(str::to_string);
    fb.guest_form = viewer.is_guest() && refusal.is_none();
    let mut muted: HashSet<i64> = HashSet::new();
    match (&viewer.user, shared) {
        (Some(_), true) => {
            fb.member_actions = crate::frame::marker(crate::frame::Slot::MemberActions).into();
            fb.comment_as = crate::frame::marker(crate::frame::Slot::CommentAs).into();
        }
        (Some(u), false) => {
            let s = state.members().work_state(store, u.id, work_id).await?;
            fb.member_actions = member_actions_html(work_id, &u.csrf_token, &s)?;
            fb.comment_as = comment_as_html(&u.pseuds)?;
            muted = u.filters.muted_users.iter().copied().collect();
        }
        (None, _) => {}
    }
    let all = store.work_comments(work_id).await?;
    let mut commenters: Vec<i64> = all.iter().filter_map(|c| c.user_id).collect();
    commenters.sort_unstable();
    commenters.dedup();
    fb.commenters = commenters;
    fb.comments = threads(viewer, work, &all, chapter, &muted, fb.refusal.is_none());
    Ok(fb)
}

/// The visible comments in thread order, each with its nesting instructions.
fn threads(
    viewer: &Viewer,
    work: &WorkBlurb,
    all: &[Comment],
    chapter: Option<i64>,
    muted: &HashSet<i64>,
    may_comment: bool,
) -> Vec<CommentView> {
    let shown = |c: &Comment| {
        can_view_comment(viewer, work, c) && !c.user_id.is_some_and(|u| muted.contains(&u))
    };
    let mut children: HashMap<Option<i64>, Vec<&Comment>> = HashMap::new();
    for c in all.iter().filter(|c| shown(c)) {
        children.entry(c.parent_id).or_default().push(c);
    }
    // Roots: on this chapter, or on the whole work.
    let roots: Vec<&Comment> = children
        .get(&None)
        .map(|v| {
            v.iter()
                .copied()
                .filter(|c| chapter.is_none() || c.chapter_id.is_none() || c.chapter_id == chapter)
                .collect()
        })
        .unwrap_or_default();
    let mut order: Vec<(&Comment, usize)> = Vec::new();
    let mut stack: Vec<(&Comment, usize)> = roots.into_iter().rev().map(|c| (c, 0)).collect();
    while let Some((c, depth)) = stack.pop() {
        let kids = children.get(&Some(c.id)).cloned().unwrap_or_default();
        if c.deleted && kids.is_empty() {
            continue;
        }
        order.push((c, depth));
        // Replies past the bound (from before it, or imported) are shown at the
        // deepest level, one after another, rather than nested ever deeper.
        let below = (depth + 1).min(tome_model::limits::REPLY_DEPTH - 1);
        for k in kids.into_iter().rev() {
            stack.push((k, below));
        }
    }
    let me = viewer.user_id();
    let creator = is_creator(viewer, work);
    let mut out: Vec<CommentView> = Vec::with_capacity(order.len());
    for (i, (c, depth)) in order.iter().enumerate() {
        let next = order.get(i + 1).map_or(0, |(_, d)| *d);
        let hidden = comment_author_hidden(work, c);
        let by_creator = c
            .user_id
            .is_some_and(|u| work.creators.iter().any(|p| p.user_id == u));
        let (name, href, guest) = if hidden {
            ("Anonymous Creator".to_string(), None, false)
        } else if let (Some(login), Some(p)) = (&c.login, &c.pseud_name) {
            let name = if p.eq_ignore_ascii_case(login) {
                p.clone()
            } else {
                format!("{p} ({login})")
            };
            (name, Some(pseud_href(login, p)), false)
        } else if let Some(login) = &c.login {
            (login.clone(), Some(user_href(login)), false)
        } else if let Some(g) = &c.guest_name {
            (g.clone(), None, true)
        } else {
            ("Account deleted".to_string(), None, false)
        };
        let own = c.user_id.is_some() && c.user_id == me;
        out.push(CommentView {
            id: c.id,
            name,
            href,
            by_creator: by_creator && !hidden,
            guest,
            body_html: tome_text::sanitize_html(&c.body_html),
            date: blurb_date(c.created_at),
            edited: c.edited_at.map(blurb_date),
            deleted: c.deleted,
            pending: !c.approved,
            frozen: c.frozen,
            can_reply: may_comment && !c.frozen && !c.deleted && c.approved,
            can_edit: own && !c.deleted,
            can_delete: (own || creator) && !c.deleted,
            can_moderate: creator && !c.deleted,
            open_after: next > *depth,
            close_after: "</ol></li>".repeat(depth.saturating_sub(next)),
        });
    }
    out
}
