//! Orphaning one's work and reporting to the moderators: the checks between the forms
//! and the store.

use tome_store::reports::{AbuseReport, NewAbuseReport};

use crate::AppState;
use crate::accounts::service::{AccountError, FieldErrors, check_email};
use crate::accounts::{SessionUser, Viewer};
use crate::error::WebError;

/// A work its creator may orphan: theirs (on the byline) and visible to them.
pub async fn orphanable_work(
    state: &AppState,
    viewer: &Viewer,
    work_id: i64,
) -> Result<tome_store::WorkBlurb, WebError> {
    let work = crate::responding::service::visible_work(state, viewer, work_id).await?;
    if !crate::visibility::is_creator(viewer, &work) {
        return Err(WebError::Forbidden(
            "Sorry, only a work's creators can orphan it.".into(),
        ));
    }
    Ok(work)
}

/// Orphans the user's work: their name comes off, `orphan_account` goes on (with a copy
/// of their pseud's name when `keep_pseud`).
pub async fn orphan(
    state: &AppState,
    viewer: &Viewer,
    user: &SessionUser,
    work_id: i64,
    keep_pseud: bool,
) -> Result<(), WebError> {
    orphanable_work(state, viewer, work_id).await?;
    state
        .store()
        .orphan_work(user.id, work_id, keep_pseud)
        .await?;
    Ok(())
}

/// Longest summary and description of a report.
pub const SUMMARY: usize = 150;
pub const COMMENT: usize = 2_000;
/// Longest reported address.
pub const URL: usize = 2_000;

/// What the report form gives.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub url: String,
    pub summary: String,
    pub comment: String,
    pub email: String,
}

/// Checks and files a report; each refused field gets its message.
pub async fn report(
    state: &AppState,
    viewer: &Viewer,
    input: &ReportInput,
) -> Result<i64, AccountError> {
    let mut errors = FieldErrors::default();
    let url = input.url.trim();
    let summary = input.summary.trim();
    let comment = input.comment.trim();
    let email = input.email.trim();
    if url.is_empty() {
        errors.add("url", "Please give the address of what you are reporting.");
    } else if url.chars().count() > URL {
        errors.add(
            "url",
            format!("The address may be at most {URL} characters long."),
        );
    }
    if summary.is_empty() {
        errors.add("summary", "Please sum up the problem.");
    } else if summary.chars().count() > SUMMARY {
        errors.add(
            "summary",
            format!("The summary may be at most {SUMMARY} characters long."),
        );
    }
    if comment.is_empty() {
        errors.add("comment", "Please describe the problem.");
    } else if comment.chars().count() > COMMENT {
        errors.add(
            "comment",
            format!("The description may be at most {COMMENT} characters long."),
        );
    }
    if !email.is_empty() {
        check_email(email, &mut errors);
    }
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    Ok(state
        .store()
        .create_abuse_report(&NewAbuseReport {
            url: url.to_string(),
            summary: summary.to_string(),
            comment: comment.to_string(),
            user_id: viewer.user_id(),
            email: (!email.is_empty()).then(|| email.to_string()),
        })
        .await?)
}

/// The moderators' queue (moderators and admins only).
pub async fn queue(
    state: &AppState,
    viewer: &Viewer,
    with_resolved: bool,
) -> Result<Vec<AbuseReport>, WebError> {
    must_moderate(viewer)?;
    Ok(state.store().abuse_reports(with_resolved, 200).await?)
}

/// Marks a report done.
pub async fn resolve(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), WebError> {
    must_moderate(viewer)?;
    Ok(state.store().resolve_abuse_report(id).await?)
}

fn must_moderate(viewer: &Viewer) -> Result<(), WebError> {
    if crate::visibility::can_moderate(viewer) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "Sorry, only the archive's moderators can read reports.".into(),
        ))
    }
}
