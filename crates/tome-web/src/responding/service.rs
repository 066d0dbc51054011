//! What readers do with a work, as functions the handlers (and other code) call: each
//! checks who may do it, writes through the store, invalidates the work's cached pages
//! and tells the people concerned (inbox, and e-mail when SMTP is configured).

use std::collections::HashSet;

use tome_model::limits::{self, check_count, check_len};
use tome_store::WorkBlurb;
use tome_store::bookmarks::BookmarkInput;
use tome_store::comments::{Comment, NewComment};
use tome_store::mutes::MuteKind;
use tome_store::notifications::NewNotification;
use tome_store::subscriptions::SubscriptionKind;

use crate::AppState;
use crate::accounts::{SessionUser, Viewer};
use crate::error::WebError;
use crate::visibility::{can_view_comment, can_view_work, comment_author_hidden, is_creator};

/// What guests are told when guest comments are off.
pub const GUESTS_CANNOT_COMMENT: &str = "Log in or sign up to comment.";
/// What a blocked user is told on the blocker's work.
pub const BLOCKED_ON_WORK: &str =
    "Sorry, you have been blocked by one of this work's creators and cannot comment on it.";
/// What a blocked user is told leaving kudos on the blocker's work.
pub const BLOCKED_KUDOS: &str =
    "Sorry, you have been blocked by one of this work's creators and cannot leave kudos on it.";
/// What a blocked user is told replying to the blocker.
pub const BLOCKED_REPLY: &str =
    "Sorry, you have been blocked by that user and cannot reply to them.";
/// What the editor of someone else's comment is told.
pub const NOT_YOURS: &str = "Sorry, you don't have permission to change that comment.";

/// A comment as typed.
#[derive(Debug, Clone, Default)]
pub struct CommentInput {
    /// Markdown (raw HTML allowed), cleaned by the sanitizer.
    pub text: String,
    pub chapter_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub pseud_id: Option<i64>,
    pub guest_name: Option<String>,
    pub guest_email: Option<String>,
}

/// What happened to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    /// Shown now.
    Published(i64),
    /// A guest's comment waiting for the creator's approval.
    Held(i64),
}

/// The comment text as stored: Markdown (or HTML) through the sanitizer; text nested
/// past the bound is refused with the reason.
pub fn comment_html(text: &str) -> Result<String, WebError> {
    tome_text::try_markdown_to_html(text)
        .map_err(|e| WebError::BadRequest(format!("Comment: {e}.")))
}

/// A work the viewer may open.
pub async fn visible_work(
    state: &AppState,
    viewer: &Viewer,
    work_id: i64,
) -> Result<WorkBlurb, WebError> {
    state
        .store()
        .work(work_id)
        .await?
        .map(|v| v.blurb)
        .filter(|b| can_view_work(viewer, b))
        .ok_or(WebError::NotFound)
}

/// Like [`visible_work`], for a page that reads the work's own parts (its bookmarks): a
/// guest at a restricted work is asked to log in, as on the work page.
pub async fn readable_work(
    state: &AppState,
    viewer: &Viewer,
    work_id: i64,
) -> Result<WorkBlurb, WebError> {
    let b = state
        .store()
        .work(work_id)
        .await?
        .map(|v| v.blurb)
        .ok_or(WebError::NotFound)?;
    if can_view_work(viewer, &b) {
        Ok(b)
    } else if crate::visibility::opens_after_login(viewer, &b) {
        Err(WebError::LoginRequired(format!(
            "/works/{work_id}/bookmarks"
        )))
    } else {
        Err(WebError::NotFound)
    }
}

/// A comment with its work, both visible to the viewer.
pub async fn visible_comment(
    state: &AppState,
    viewer: &Viewer,
    comment_id: i64,
) -> Result<(Comment, WorkBlurb), WebError> {
    let c = state
        .store()
        .comment(comment_id)
        .await?
        .filter(|c| !c.deleted)
        .ok_or(WebError::NotFound)?;
    let work = visible_work(state, viewer, c.work_id).await?;
    if !can_view_comment(viewer, &work, &c) {
        return Err(WebError::NotFound);
    }
    Ok((c, work))
}

fn creator_ids(work: &WorkBlurb) -> Vec<i64> {
    let mut ids: Vec<i64> = work.creators.iter().map(|p| p.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// How a comment's author is named in notifications.
fn author_name(work: &WorkBlurb, c: &Comment) -> String {
    if comment_author_hidden(work, c) {
        return "Anonymous Creator".into();
    }
    c.pseud_name
        .clone()
        .or_else(|| c.login.clone())
        .or_else(|| c.guest_name.clone().map(|g| format!("{g} (Guest)")))
        .unwrap_or_else(|| "Someone".into())
}

/// Whether the user has been blocked by the work's creators.
pub(crate) async fn blocked_on(
    state: &AppState,
    work: &WorkBlurb,
    user_id: i64,
) -> Result<bool, WebError> {
    Ok(state
        .store()
        .is_blocked_by_any(&creator_ids(work), user_id)
        .await?)
}

/// Whether the viewer may comment on the work, and if not, why.
pub async fn comment_refusal(
    state: &AppState,
    viewer: &Viewer,
    work: &WorkBlurb,
) -> Result<Option<&'static str>, WebError> {
    match &viewer.user {
        None if !state.settings().guest_comments => Ok(Some(GUESTS_CANNOT_COMMENT)),
        None => Ok(None),
        Some(u) if blocked_on(state, work, u.id).await? => Ok(Some(BLOCKED_ON_WORK)),
        Some(_) => Ok(None),
    }
}

/// Posts a comment or reply. Guests only when the archive allows it (held for the
/// creator's approval); blocked users not on their blocker's works nor to their
/// blocker's comments; no replies in frozen threads.
pub async fn post_comment(
    state: &AppState,
    viewer: &Viewer,
    work_id: i64,
    input: &CommentInput,
) -> Result<Posted, WebError> {
    let work = visible_work(state, viewer, work_id).await?;
    if let Some(why) = comment_refusal(state, viewer, &work).await? {
        return Err(WebError::Forbidden(why.into()));
    }
    check_comment(&input.text)?;
    let parent = match input.parent_id {
        Some(pid) => {
            let (p, _) = visible_comment(state, viewer, pid).await?;
            if p.work_id != work_id {
                return Err(WebError::NotFound);
            }
            if let (Some(u), Some(author)) = (viewer.user_id(), p.user_id)
                && state.store().is_blocked_by_any(&[author], u).await?
            {
                return Err(WebError::Forbidden(BLOCKED_REPLY.into()));
            }
            Some(p)
        }
        None => None,
    };
    let body_html = comment_html(&input.text)?;
    let mut new = NewComment {
        work_id,
        chapter_id: input.chapter_id,
        parent_id: input.parent_id,
        body_html,
        ..NewComment::default()
    };
    match &viewer.user {
        Some(u) => {
            new.user_id = Some(u.id);
            new.pseud_id = Some(pick_pseud(u, input.pseud_id)?);
            new.approved = true;
        }
        None => {
            // One line each: these end up in inbox lines and e-mail subjects.
            let name = one_line(input.guest_name.as_deref().unwrap_or(""));
            let email = one_line(input.guest_email.as_deref().unwrap_or(""));
            let (name, email) = (name.as_str(), email.as_str());
            if name.is_empty() {
                return Err(WebError::BadRequest("Please enter your name.".into()));
            }
            if !email.contains('@')
                || email.len() > limits::EMAIL
                || name.chars().count() > limits::GUEST_NAME
            {
                return Err(WebError::BadRequest(
                    "Please enter your name and a valid e-mail address.".into(),
                ));
            }
            new.guest_name = Some(name.to_string());
            new.guest_email = Some(email.to_string());
            new.approved = false;
        }
    }
    let id = state.store().add_comment(&new).await?;
    state.pages().invalidate(work_id);
    let stored = state.store().comment(id).await?.ok_or(WebError::NotFound)?;
    let who = author_name(&work, &stored);
    // A chapter's comments are shown on that chapter's page.
    let link = match stored.chapter_id {
        Some(ch) => format!("/works/{work_id}/chapters/{ch}#comment_{id}"),
        None => format!("/works/{work_id}#comment_{id}"),
    };
    let me = viewer.user_id();
    let mut told: HashSet<i64> = HashSet::new();
    if let Some(p) = &parent
        && let Some(author) = p.user_id
        && Some(author) != me
    {
        told.insert(author);
        tell(
            state,
            &[author],
            NewNotification {
                kind: "reply".into(),
                work_id: Some(work_id),
                comment_id: Some(id),
                text: format!("{who} replied to your comment on {}", work.title),
                link: link.clone(),
            },
        )
        .await;
    }
    let creators: Vec<i64> = creator_ids(&work)
        .into_iter()
        .filter(|c| Some(*c) != me && !told.contains(c))
        .collect();
    let text = if stored.approved {
        format!("{who} left a comment on {}", work.title)
    } else {
        format!(
            "{who} left a comment on {} that awaits your approval",
            work.title
        )
    };
    tell(
        state,
        &creators,
        NewNotification {
            kind: "comment".into(),
            work_id: Some(work_id),
            comment_id: Some(id),
            text,
            link,
        },
    )
    .await;
    Ok(if stored.approved {
        Posted::Published(id)
    } else {
        Posted::Held(id)
    })
}

/// A comment's typed text within [`limits::COMMENT`] (checked before it is rendered; the
/// store checks the stored HTML against the same bound).
fn check_comment(text: &str) -> Result<(), WebError> {
    check_len("Comment", text, limits::COMMENT).map_err(|e| WebError::BadRequest(e.to_string()))
}

/// Whitespace (line breaks included) collapsed to single spaces, trimmed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pick_pseud(user: &SessionUser, wanted: Option<i64>) -> Result<i64, WebError> {
    match wanted {
        Some(p) => user
            .pseuds
            .iter()
            .find(|x| x.id == p)
            .map(|x| x.id)
            .ok_or_else(|| WebError::BadRequest("That pseud is not yours.".into())),
        None => user
            .pseuds
            .first()
            .map(|p| p.id)
            .ok_or_else(|| WebError::BadRequest("Your account has no pseud.".into())),
    }
}

/// The comment, if the logged-in user wrote it (403 otherwise).
pub async fn own_comment(
    state: &AppState,
    viewer: &Viewer,
    comment_id: i64,
) -> Result<(Comment, WorkBlurb), WebError> {
    let (c, work) = visible_comment(state, viewer, comment_id).await?;
    if c.user_id.is_none() || c.user_id != viewer.user_id() {
        return Err(WebError::Forbidden(NOT_YOURS.into()));
    }
    Ok((c, work))
}

/// Edits one's own comment (marked "Last Edited").
pub async fn edit_comment(
    state: &AppState,
    viewer: &Viewer,
    comment_id: i64,
    text: &str,
) -> Result<Comment, WebError> {
    let (c, _) = own_comment(state, viewer, comment_id).await?;
    check_comment(text)?;
    state
        .store()
        .edit_comment(comment_id, &comment_html(text)?)
        .await?;
    state.pages().invalidate(c.work_id);
    Ok(c)
}

/// Deletes a comment: its author's, or any on the work of the work's creator.
pub async fn delete_comment(
    state: &AppState,
    viewer: &Viewer,
    comment_id: i64,
) -> Result<Comment, WebError> {
    let (c, work) = visible_comment(state, viewer, comment_id).await?;
    let own = c.user_id.is_some() && c.user_id == viewer.user_id();
    if !own && !is_creator(viewer, &work) {
        return Err(WebError::Forbidden(NOT_YOURS.into()));
    }
    state.store().delete_comment(comment_id).await?;
    state.pages().invalidate(c.work_id);
    Ok(c)
}

/// Freezes or unfreezes a thread (the work's creator only).
pub async fn freeze_comment(
    state: &AppState,
    viewer: &Viewer,
    comment_id: i64,
    frozen: bool,
) -> Result<Comment, WebError> {
    let (c, work) = visible_comment(state, viewer, comment_id).await?;
    if !is_creator(viewer, &work) {
        return Err(WebError::Forbidden(NOT_YOURS.into()));
    }
    state.store().set_comment_frozen(comment_id, frozen).await?;
    state.pages().invalidate(c.work_id);
    Ok(c)
}

/// Approves a guest's comment (the work's creator only).
pub async fn approve_comment(
    state: &AppState,
    viewer: &Viewer,
    comment_id: i64,
) -> Result<Comment, WebError> {
    let (c, work) = visible_comment(state, viewer, comment_id).await?;
    if !is_creator(viewer, &work) {
        return Err(WebError::Forbidden(NOT_YOURS.into()));
    }
    state.store().approve_comment(comment_id).await?;
    state.pages().invalidate(c.work_id);
    Ok(c)
}

/// A bookmark as typed.
#[derive(Debug, Clone, Default)]
pub struct BookmarkFields {
    pub notes: String,
    pub tags: String,
    pub private: bool,
    pub pseud_id: Option<i64>,
}

/// Creates or updates the user's bookmark of a work.
pub async fn save_bookmark(
    state: &AppState,
    viewer: &Viewer,
    user: &SessionUser,
    work_id: i64,
    f: &BookmarkFields,
) -> Result<i64, WebError> {
    visible_work(state, viewer, work_id).await?;
    let notes = f.notes.trim();
    let bad = |e: limits::LimitError| WebError::BadRequest(e.to_string());
    check_len("Bookmark notes", notes, limits::BOOKMARK_NOTES).map_err(bad)?;
    let tags = f.tags.split(',').filter(|t| !t.trim().is_empty()).count();
    check_count("Bookmark tags", tags, limits::BOOKMARK_TAGS).map_err(bad)?;
    let input = BookmarkInput {
        pseud_id: Some(pick_pseud(user, f.pseud_id)?),
        notes_html: if notes.is_empty() {
            None
        } else {
            Some(comment_html(notes)?)
        },
        tags: vec![f.tags.clone()],
        private: f.private,
    };
    let id = state
        .store()
        .save_bookmark(user.id, work_id, &input)
        .await?;
    state.pages().invalidate(work_id);
    Ok(id)
}

/// Deletes one's own bookmark.
pub async fn delete_bookmark(
    state: &AppState,
    user: &SessionUser,
    bookmark_id: i64,
) -> Result<(), WebError> {
    let b = state
        .store()
        .bookmark(bookmark_id)
        .await?
        .ok_or(WebError::NotFound)?;
    if b.user_id != user.id {
        return Err(WebError::Forbidden(
            "Sorry, you don't have permission to change that bookmark.".into(),
        ));
    }
    state.store().delete_bookmark(bookmark_id).await?;
    state.pages().invalidate(b.work_id);
    Ok(())
}

/// Subscribes to (or unsubscribes from) a work, series or user.
pub async fn set_subscription(
    state: &AppState,
    viewer: &Viewer,
    user: &SessionUser,
    kind: SubscriptionKind,
    target_id: i64,
    on: bool,
) -> Result<(), WebError> {
    if kind == SubscriptionKind::Work {
        visible_work(state, viewer, target_id).await?;
    }
    if kind == SubscriptionKind::User && target_id == user.id {
        return Err(WebError::BadRequest(
            "You can't subscribe to yourself.".into(),
        ));
    }
    if on {
        state.store().subscribe(user.id, kind, target_id).await?;
    } else {
        state.store().unsubscribe(user.id, kind, target_id).await?;
    }
    Ok(())
}

/// Mutes or blocks a user by login.
pub async fn add_mute(
    state: &AppState,
    user: &SessionUser,
    login: &str,
    kind: MuteKind,
) -> Result<(), WebError> {
    state
        .store()
        .add_user_mute(user.id, login, kind)
        .await
        .map_err(|e| match e {
            tome_store::StoreError::NotFound(_) => {
                WebError::BadRequest(format!("There is no user called {}.", login.trim()))
            }
            other => other.into(),
        })?;
    // Muting changes what this user's work pages show; they are never cached.
    Ok(())
}

/// Hides works by muted users or carrying muted tags from a logged-in reader's listing
/// (their mutes are kept in memory with their session: no query).
pub fn hide_muted(viewer: &Viewer, works: &mut Vec<WorkBlurb>) {
    let Some(u) = &viewer.user else {
        return;
    };
    if u.filters.mutes_nothing() {
        return;
    }
    works.retain(|w| !muted_out(&u.filters, &ListedWork::of(w)));
}

/// What a listing needs to know of a work to leave it out for a member's mutes.
#[derive(Debug, Clone, Default)]
pub struct ListedWork {
    pub creators: Vec<i64>,
    pub tags: Vec<i64>,
    pub state: tome_model::visibility::WorkState,
}

impl ListedWork {
    pub fn of(w: &WorkBlurb) -> ListedWork {
        ListedWork {
            creators: w.creators.iter().map(|p| p.user_id).collect(),
            tags: w
                .fandoms
                .iter()
                .chain(&w.relationships)
                .chain(&w.characters)
                .chain(&w.freeforms)
                .map(|t| t.id)
                .collect(),
            state: crate::visibility::state(w),
        }
    }
}

/// Whether a member's mutes leave this work out of their listings: by a muted user
/// (as the one visibility rule says of anonymous works), or carrying a muted tag.
pub fn muted_out(f: &tome_store::member_state::MemberFilters, w: &ListedWork) -> bool {
    let by_muted = tome_model::visibility::muted_out(
        tome_model::visibility::Surface::Listing,
        w.creators
            .iter()
            .any(|c| f.muted_users.binary_search(c).is_ok()),
        &w.state,
    );
    by_muted || w.tags.iter().any(|t| f.muted_tags.binary_search(t).is_ok())
}

/// Puts a notification in each user's inbox and e-mails it when SMTP is configured.
/// Failures are logged: a notification must never fail the action that caused it.
pub async fn tell(state: &AppState, users: &[i64], n: NewNotification) {
    if users.is_empty() {
        return;
    }
    if let Err(e) = state.store().notify(users, &n).await {
        tracing::warn!(error = %e, "cannot store notifications");
        return;
    }
    email(state, users, &n).await;
}

async fn email(state: &AppState, users: &[i64], n: &NewNotification) {
    if !state.responding().mail.enabled() {
        return;
    }
    let recipients = match state.store().recipients(users).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "cannot load e-mail recipients");
            return;
        }
    };
    let site = state.archive_name();
    let subject = one_line(&format!("[{site}] {}", n.text));
    for r in recipients {
        let Some(to) = r.email.filter(|e| !e.trim().is_empty()) else {
            continue;
        };
        let body = format!(
            "Hi, {}!\n\n{}\n\n{}\n\n-- {site}\n",
            r.login, n.text, n.link
        );
        let state = state.clone();
        let subject = subject.clone();
        tokio::spawn(async move {
            if let Err(e) = state.responding().mail.send(&to, &subject, &body).await {
                tracing::warn!(error = %e, "cannot send a notification e-mail");
            }
        });
    }
}

/// Tells subscribers of a work, its series and (unless anonymous) its creators that a
/// chapter was posted. Call after the chapter is stored and published. Returns how
/// many users were told. Drafts and hidden works tell no one.
pub async fn notify_new_chapter(
    state: &AppState,
    work_id: i64,
    chapter_id: i64,
) -> Result<usize, WebError> {
    let Some(view) = state.store().work(work_id).await? else {
        return Err(WebError::NotFound);
    };
    let work = view.blurb;
    // Subscribers are members: told of what members find listed.
    if !tome_model::visibility::listed(
        tome_model::Audience::Member,
        &crate::visibility::state(&work),
    ) {
        return Ok(0);
    }
    let position = view
        .chapters
        .iter()
        .find(|c| c.id == chapter_id)
        .map(|c| c.position)
        .ok_or(WebError::NotFound)?;
    let users = followers(state, &work, true).await?;
    let n = users.len();
    tell(
        state,
        &users,
        NewNotification {
            kind: "new_chapter".into(),
            work_id: Some(work_id),
            comment_id: None,
            text: format!(
                "{} posted Chapter {position} of {}",
                byline(&work),
                work.title
            ),
            link: format!("/works/{work_id}/chapters/{chapter_id}"),
        },
    )
    .await;
    Ok(n)
}

/// Tells subscribers of a work's creators (unless it is anonymous) and of its series
/// that the work was posted. Call after a work is published. Returns how many users
/// were told.
pub async fn notify_new_work(state: &AppState, work_id: i64) -> Result<usize, WebError> {
    let Some(view) = state.store().work(work_id).await? else {
        return Err(WebError::NotFound);
    };
    let work = view.blurb;
    // Subscribers are members: told of what members find listed.
    if !tome_model::visibility::listed(
        tome_model::Audience::Member,
        &crate::visibility::state(&work),
    ) {
        return Ok(0);
    }
    let users = followers(state, &work, false).await?;
    let n = users.len();
    tell(
        state,
        &users,
        NewNotification {
            kind: "new_work".into(),
            work_id: Some(work_id),
            comment_id: None,
            text: format!("{} posted a new work: {}", byline(&work), work.title),
            link: format!("/works/{work_id}"),
        },
    )
    .await;
    Ok(n)
}

/// [`notify_new_chapter`] for the posting handlers: a failure is logged, never returned,
/// so telling subscribers cannot fail the chapter that was just saved.
pub async fn announce_new_chapter(state: &AppState, work_id: i64, chapter_id: i64) {
    if let Err(e) = notify_new_chapter(state, work_id, chapter_id).await {
        tracing::warn!(error = %e, work_id, chapter_id, "cannot tell subscribers of a new chapter");
    }
}

/// [`notify_new_work`] for the posting handlers: a failure is logged, never returned.
pub async fn announce_new_work(state: &AppState, work_id: i64) {
    if let Err(e) = notify_new_work(state, work_id).await {
        tracing::warn!(error = %e, work_id, "cannot tell subscribers of a new work");
    }
}

fn byline(work: &WorkBlurb) -> String {
    if work.anonymous || work.creators.is_empty() {
        "Anonymous".into()
    } else {
        work.creators
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Subscribers to the work (when `work_subs`), its series and its creators (not for an
/// anonymous work: that would name them), less the creators themselves.
async fn followers(
    state: &AppState,
    work: &WorkBlurb,
    work_subs: bool,
) -> Result<Vec<i64>, WebError> {
    let store = state.store();
    let mut users: Vec<i64> = Vec::new();
    if work_subs {
        users.extend(store.subscribers(SubscriptionKind::Work, work.id).await?);
    }
    for s in store.series_of_work(work.id).await? {
        users.extend(store.subscribers(SubscriptionKind::Series, s).await?);
    }
    let creators = creator_ids(work);
    if !work.anonymous {
        for c in &creators {
            users.extend(store.subscribers(SubscriptionKind::User, *c).await?);
        }
    }
    users.sort_unstable();
    users.dedup();
    users.retain(|u| !creators.contains(u));
    Ok(users)
}

/// "X, Y and 12 guests left kudos on this work!" (names as given).
pub fn kudos_sentence(users: &[String], guests: u64) -> Option<String> {
    let mut parts: Vec<String> = users.to_vec();
    if guests > 0 {
        parts.push(if guests == 1 {
            "1 guest".to_string()
        } else {
            format!("{guests} guests")
        });
    }
    let who = match parts.len() {
        0 => return None,
        1 => parts.remove(0),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{} and {last}", parts.join(", "))
        }
    };
    Some(format!("{who} left kudos on this work!"))
}

/// The kudos digest: after kudos, each creator's unread kudos line for the work is
/// rewritten with who left kudos; a new line is e-mailed.
pub async fn notify_kudos(state: &AppState, work_id: i64) -> Result<(), WebError> {
    let Some(view) = state.store().work(work_id).await? else {
        return Ok(());
    };
    let work = view.blurb;
    let g = state.store().kudos_givers(work_id).await?;
    let Some(sentence) = kudos_sentence(&g.users, g.guests) else {
        return Ok(());
    };
    let text = sentence.replace("this work!", &format!("{}!", work.title));
    let link = format!("/works/{work_id}");
    for c in creator_ids(&work) {
        let added = state
            .store()
            .notify_kudos_digest(c, work_id, &text, &link)
            .await?;
        if added {
            email(
                state,
                &[c],
                &NewNotification {
                    kind: "kudos".into(),
                    work_id: Some(work_id),
                    comment_id: None,
                    text: text.clone(),
                    link: link.clone(),
                },
            )
            .await;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kudos_sentences() {
        assert_eq!(kudos_sentence(&[], 0), None);
        assert_eq!(
            kudos_sentence(&["X".into(), "Y".into()], 12).as_deref(),
            Some("X, Y and 12 guests left kudos on this work!")
        );
        assert_eq!(
            kudos_sentence(&["X".into()], 0).as_deref(),
            Some("X left kudos on this work!")
        );
        assert_eq!(
            kudos_sentence(&[], 1).as_deref(),
            Some("1 guest left kudos on this work!")
        );
    }

    #[test]
    fn comment_text_is_sanitized() {
        let html = comment_html("*hi* <script>alert(1)</script><a href=\"javascript:x\">l</a>")
            .expect("shallow");
        assert!(html.contains("<em>hi</em>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
    }
}
