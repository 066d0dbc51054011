//! What a member's own view of the archive depends on, read in as few queries as it
//! takes, for the web layer to keep in memory: their mutes and blocks
//! ([`MemberFilters`], three queries) and their state on one work ([`MemberWorkState`],
//! one query).

use sqlx::Row;

use crate::bookmarks::split_tags;
use crate::sql::flag;
use crate::subscriptions::SubscriptionKind;
use crate::{Result, Store};

/// Whom and what a member has muted, and who has blocked them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFilters {
    /// Users the member muted (their works and comments stay out of the member's view).
    pub muted_users: Vec<i64>,
    /// Tags the member muted, with each one's synonyms and canonical tag.
    pub muted_tags: Vec<i64>,
    /// Users who blocked the member (the member may not comment on their works).
    pub blocked_by: Vec<i64>,
    /// The member created a work that shows them more than other members: one posted
    /// anonymously (its creators' names, and its place on their bylines, are for them
    /// alone). No page listing works is then shared with them.
    pub sees_beyond_members: bool,
}

impl MemberFilters {
    /// Whether the member muted nobody and nothing.
    pub fn mutes_nothing(&self) -> bool {
        self.muted_users.is_empty() && self.muted_tags.is_empty()
    }
}

/// A member's own state on one work: their bookmark, subscription and mark for later.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberWorkState {
    pub bookmark: Option<OwnBookmark>,
    pub subscribed: bool,
    pub later: bool,
}

/// The member's bookmark of the work, as its form shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnBookmark {
    pub notes_html: Option<String>,
    pub tags: Vec<String>,
    pub private: bool,
}

impl Store {
    /// The member's mutes and blocks, and who blocked them.
    pub async fn member_filters(&self, user_id: i64) -> Result<MemberFilters> {
        let rows = sqlx::query(
            "SELECT user_id, target_id, kind FROM user_mutes \
             WHERE user_id = $1 OR (target_id = $1 AND kind = 'block')",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        let mut f = MemberFilters::default();
        for r in &rows {
            let who: i64 = r.try_get("user_id")?;
            let target: i64 = r.try_get("target_id")?;
            let kind: String = r.try_get("kind")?;
            if who == user_id && kind == "mute" {
                f.muted_users.push(target);
            } else if target == user_id && kind == "block" {
                f.blocked_by.push(who);
            }
        }
        f.muted_tags = sqlx::query_scalar(
            "SELECT m.tag_id FROM tag_mutes m WHERE m.user_id = $1 \
             UNION SELECT t.id FROM tag_mutes m JOIN tags t ON t.merger_id = m.tag_id \
                WHERE m.user_id = $1 \
             UNION SELECT t.merger_id FROM tag_mutes m JOIN tags t ON t.id = m.tag_id \
                WHERE m.user_id = $1 AND t.merger_id IS NOT NULL",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        f.sees_beyond_members = self
            .sees_beyond_members(user_id, tome_model::visibility::Surface::Byline)
            .await?;
        f.muted_users.sort_unstable();
        f.muted_tags.sort_unstable();
        f.blocked_by.sort_unstable();
        Ok(f)
    }

    /// The member's bookmark of, subscription to and mark for later on a work, in one
    /// query.
    pub async fn member_work_state(&self, user_id: i64, work_id: i64) -> Result<MemberWorkState> {
        let row = sqlx::query(
            "SELECT b.id AS bookmark_id, b.notes_html, b.tags, b.private, \
               (SELECT COUNT(*) FROM subscriptions s \
                  WHERE s.user_id = $1 AND s.kind = $3 AND s.target_id = $2) AS subscribed, \
               (SELECT COUNT(*) FROM readings r \
                  WHERE r.user_id = $1 AND r.work_id = $2 AND r.later = 1) AS later \
             FROM (SELECT 1 AS one) one \
             LEFT JOIN bookmarks b ON b.user_id = $1 AND b.work_id = $2",
        )
        .bind(user_id)
        .bind(work_id)
        .bind(SubscriptionKind::Work.as_str())
        .fetch_one(self.pool())
        .await?;
        let bookmark_id: Option<i64> = row.try_get("bookmark_id")?;
        let bookmark = match bookmark_id {
            Some(_) => {
                let tags: Option<String> = row.try_get("tags")?;
                Some(OwnBookmark {
                    notes_html: row.try_get("notes_html")?,
                    tags: split_tags(tags.as_deref().unwrap_or("")),
                    private: flag(row.try_get::<Option<i64>, _>("private")?.unwrap_or(0)),
                })
            }
            None => None,
        };
        let subscribed: i64 = row.try_get("subscribed")?;
        let later: i64 = row.try_get("later")?;
        Ok(MemberWorkState {
            bookmark,
            subscribed: subscribed > 0,
            later: later > 0,
        })
    }
}
