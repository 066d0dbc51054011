//! Comments on a work or one of its chapters: threads, edits, deletion, freezing and
//! approval of guests' comments. `works.comments_count` counts approved comments that
//! are not deleted, and is kept in the same transaction as every change; every change
//! bumps the work's `version` (its page shows the comments).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::sql::{flag, int};
use crate::{Result, Store, StoreError, now};

/// A stored comment, with its author's names.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comment {
    pub id: i64,
    pub work_id: i64,
    pub chapter_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub user_id: Option<i64>,
    pub login: Option<String>,
    pub pseud_id: Option<i64>,
    pub pseud_name: Option<String>,
    pub guest_name: Option<String>,
    pub body_html: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// Guests' comments wait for the creator's approval.
    pub approved: bool,
    /// No replies below a frozen comment.
    pub frozen: bool,
    /// Deleted but kept as a placeholder for its replies.
    pub deleted: bool,
}

/// What a new comment carries. The body is already sanitized HTML.
#[derive(Debug, Clone, Default)]
pub struct NewComment {
    pub work_id: i64,
    pub chapter_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub user_id: Option<i64>,
    pub pseud_id: Option<i64>,
    pub guest_name: Option<String>,
    pub guest_email: Option<String>,
    pub body_html: String,
    pub approved: bool,
}

const COLUMNS: &str = "c.id, c.work_id, c.chapter_id, c.parent_id, c.user_id, u.login, \
    c.pseud_id, p.name AS pseud_name, c.guest_name, c.body_html, c.created_at, c.edited_at, \
    c.approved, c.frozen, c.deleted";
const FROM: &str = "FROM comments c LEFT JOIN users u ON u.id = c.user_id \
    LEFT JOIN pseuds p ON p.id = c.pseud_id";

fn comment(r: &AnyRow) -> Result<Comment> {
    Ok(Comment {
        id: r.try_get("id")?,
        work_id: r.try_get("work_id")?,
        chapter_id: r.try_get("chapter_id")?,
        parent_id: r.try_get("parent_id")?,
        user_id: r.try_get("user_id")?,
        login: r.try_get("login")?,
        pseud_id: r.try_get("pseud_id")?,
        pseud_name: r.try_get("pseud_name")?,
        guest_name: r.try_get("guest_name")?,
        body_html: r.try_get("body_html")?,
        created_at: r.try_get("created_at")?,
        edited_at: r.try_get("edited_at")?,
        approved: flag(r.try_get("approved")?),
        frozen: flag(r.try_get("frozen")?),
        deleted: flag(r.try_get("deleted")?),
    })
}

/// Adds `delta` to a work's comment count and bumps its version.
async fn touch_work(conn: &mut AnyConnection, work_id: i64, delta: i64) -> Result<()> {
    sqlx::query(
        "UPDATE works SET comments_count = comments_count + $1, version = version + 1 \
         WHERE id = $2",
    )
    .bind(delta)
    .bind(work_id)
    .execute(&mut *conn)
    .await?;
    if delta != 0 {
        crate::outbox::push(conn, work_id, crate::outbox::UPSERT).await?;
    }
    Ok(())
}

/// Longest comment HTML the store keeps (`tome_model::limits::COMMENT_HTML`): the typed
/// text is held to `limits::COMMENT` characters, as on AO3, before it is rendered; the
/// rendered HTML is longer (`&amp;`, `<br />`, `<p>`) and must not be refused for that.
pub const MAX_COMMENT_LEN: usize = tome_model::limits::COMMENT_HTML;
/// Deepest reply (see `tome_model::limits::REPLY_DEPTH`).
pub const MAX_REPLY_DEPTH: usize = tome_model::limits::REPLY_DEPTH;

impl Store {
    /// Stores a comment and returns its id. A reply must be to a comment of the same
    /// work that is neither deleted nor frozen; a chapter must belong to the work.
    pub async fn add_comment(&self, c: &NewComment) -> Result<i64> {
        if c.body_html.trim().is_empty() {
            return Err(StoreError::Invalid("Comment cannot be blank.".into()));
        }
        if c.body_html.chars().count() > MAX_COMMENT_LEN {
            return Err(StoreError::Invalid(format!(
                "Comment must be less than {} characters long.",
                tome_model::limits::COMMENT
            )));
        }
        if c.user_id.is_none() && c.guest_name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(StoreError::Invalid("Please enter your name.".into()));
        }
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM works WHERE id = $1")
            .bind(c.work_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {}", c.work_id)));
        }
        let mut chapter_id = c.chapter_id;
        if let Some(parent) = c.parent_id {
            let row = sqlx::query(
                "SELECT work_id, chapter_id, frozen, deleted, approved FROM comments WHERE id = $1",
            )
            .bind(parent)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("comment {parent}")));
            };
            let work: i64 = row.try_get("work_id")?;
            if work != c.work_id || flag(row.try_get("deleted")?) {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("comment {parent}")));
            }
            if flag(row.try_get("frozen")?) {
                tx.rollback().await?;
                return Err(StoreError::Invalid(
                    "This comment thread is frozen; no new replies can be added.".into(),
                ));
            }
            if !flag(row.try_get("approved")?) {
                tx.rollback().await?;
                return Err(StoreError::Invalid(
                    "This comment is awaiting approval; it cannot be replied to yet.".into(),
                ));
            }
            chapter_id = row.try_get("chapter_id")?;
            // The parent's depth (a root is 1), counted no further than the bound: a
            // reply chain must not grow without limit (every thread is rendered nested).
            let depth: i64 = sqlx::query_scalar(
                "WITH RECURSIVE up(id, parent_id, n) AS ( \
                    SELECT id, parent_id, CAST(1 AS BIGINT) FROM comments WHERE id = $1 \
                    UNION ALL \
                    SELECT c.id, c.parent_id, up.n + 1 FROM comments c \
                    JOIN up ON c.id = up.parent_id WHERE up.n <= $2 \
                 ) SELECT MAX(n) FROM up",
            )
            .bind(parent)
            .bind(MAX_REPLY_DEPTH as i64)
            .fetch_one(&mut *tx)
            .await?;
            if depth >= MAX_REPLY_DEPTH as i64 {
                tx.rollback().await?;
                return Err(StoreError::Invalid(format!(
                    "This thread is {MAX_REPLY_DEPTH} replies deep, the most the archive keeps; \
                     please reply to an earlier comment or start a new thread."
                )));
            }
        } else if let Some(ch) = chapter_id {
            let ok: Option<i64> =
                sqlx::query_scalar("SELECT id FROM chapters WHERE id = $1 AND work_id = $2")
                    .bind(ch)
                    .bind(c.work_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if ok.is_none() {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("chapter {ch}")));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (work_id, chapter_id, parent_id, user_id, pseud_id, guest_name, \
                guest_email, body_html, created_at, approved) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(c.work_id)
        .bind(chapter_id)
        .bind(c.parent_id)
        .bind(c.user_id)
        .bind(c.pseud_id)
        .bind(c.guest_name.as_deref().map(str::trim))
        .bind(c.guest_email.as_deref().map(str::trim))
        .bind(c.body_html.as_str())
        .bind(now())
        .bind(int(c.approved))
        .fetch_one(&mut *tx)
        .await?;
        touch_work(&mut tx, c.work_id, if c.approved { 1 } else { 0 }).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One comment (deleted placeholders included).
    pub async fn comment(&self, id: i64) -> Result<Option<Comment>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE c.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(comment).transpose()
    }

    /// Every comment of a work, oldest first (threads are built by the caller).
    pub async fn work_comments(&self, work_id: i64) -> Result<Vec<Comment>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE c.work_id = $1 ORDER BY c.id");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(work_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(comment)
            .collect()
    }

    /// Replaces a comment's text and marks it edited.
    pub async fn edit_comment(&self, id: i64, body_html: &str) -> Result<()> {
        if body_html.trim().is_empty() {
            return Err(StoreError::Invalid("Comment cannot be blank.".into()));
        }
        if body_html.chars().count() > MAX_COMMENT_LEN {
            return Err(StoreError::Invalid(format!(
                "Comment must be less than {} characters long.",
                tome_model::limits::COMMENT
            )));
        }
        let mut tx = self.begin_write().await?;
        let work: Option<i64> =
            sqlx::query_scalar("SELECT work_id FROM comments WHERE id = $1 AND deleted = 0")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(work) = work else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("comment {id}")));
        };
        sqlx::query("UPDATE comments SET body_html = $1, edited_at = $2 WHERE id = $3")
            .bind(body_html)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        touch_work(&mut tx, work, 0).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a comment: removed outright without replies, else kept as a placeholder.
    /// The first statement marks it deleted only if it was not already (on PostgreSQL it
    /// also locks the row), so two deletions at once count it off once: the second finds
    /// nothing to delete.
    pub async fn delete_comment(&self, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE comments SET deleted = 1, body_html = '' WHERE id = $1 AND deleted = 0 \
             RETURNING work_id, approved",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("comment {id}")));
        };
        let work: i64 = row.try_get("work_id")?;
        let approved = flag(row.try_get("approved")?);
        // Without replies nothing needs the placeholder.
        sqlx::query(
            "DELETE FROM comments WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        touch_work(&mut tx, work, if approved { -1 } else { 0 }).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Freezes (or unfreezes) a comment and every reply below it.
    pub async fn set_comment_frozen(&self, id: i64, frozen: bool) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let work: Option<i64> = sqlx::query_scalar("SELECT work_id FROM comments WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(work) = work else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("comment {id}")));
        };
        sqlx::query(
            "UPDATE comments SET frozen = $1 WHERE id IN ( \
                WITH RECURSIVE sub(id) AS ( \
                    SELECT CAST($2 AS BIGINT) \
                    UNION SELECT c.id FROM comments c JOIN sub ON c.parent_id = sub.id \
                ) SELECT id FROM sub)",
        )
        .bind(int(frozen))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        touch_work(&mut tx, work, 0).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Approves a guest's comment held for the creator. `false` if it was approved already.
    /// The update itself checks "not yet approved", so two approvals at once count once.
    pub async fn approve_comment(&self, id: i64) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let work: Option<i64> = sqlx::query_scalar(
            "UPDATE comments SET approved = 1 WHERE id = $1 AND deleted = 0 AND approved = 0 \
             RETURNING work_id",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(work) = work else {
            let known: Option<i64> =
                sqlx::query_scalar("SELECT id FROM comments WHERE id = $1 AND deleted = 0")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            tx.rollback().await?;
            return match known {
                Some(_) => Ok(false),
                None => Err(StoreError::NotFound(format!("comment {id}"))),
            };
        };
        touch_work(&mut tx, work, 1).await?;
        tx.commit().await?;
        Ok(true)
    }
}
