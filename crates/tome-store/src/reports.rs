//! Orphaning a work (its creator's name comes off; it stays on the archive under
//! `orphan_account`) and abuse reports (anyone's report, the moderators' queue).

use sqlx::Row;

use crate::sql::lower;
use crate::users::ORPHAN_ACCOUNT;
use crate::{Result, Store, StoreError, now};

/// A report to the moderators.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AbuseReport {
    pub id: i64,
    /// The address reported (a local path or a full URL, as given).
    pub url: String,
    pub summary: String,
    pub comment: String,
    /// The reporter's account, when logged in.
    pub user_id: Option<i64>,
    pub reporter_login: Option<String>,
    /// An address to answer (guests may leave one).
    pub email: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

/// What the report form gives.
#[derive(Debug, Clone, Default)]
pub struct NewAbuseReport {
    pub url: String,
    pub summary: String,
    pub comment: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
}

impl Store {
    /// Takes `user_id`'s name off work `work_id`: their creatorships move to
    /// `orphan_account`, under its default pseud (`keep_pseud` false) or under a pseud of
    /// `orphan_account` named like theirs (`keep_pseud` true: "orphan_account (name)" on
    /// AO3). Not a creator of the work (or no such work): [`StoreError::NotFound`].
    /// One transaction; the delete decides, so two orphanings at once move it once.
    pub async fn orphan_work(&self, user_id: i64, work_id: i64, keep_pseud: bool) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query(
            "DELETE FROM creatorships WHERE work_id = $1 AND pseud_id IN \
             (SELECT id FROM pseuds WHERE user_id = $2) RETURNING pseud_id, position",
        )
        .bind(work_id)
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
        if taken.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!(
                "work {work_id} by user {user_id}"
            )));
        }
        let orphan = crate::users::find_or_create_creator(&mut tx, ORPHAN_ACCOUNT).await?;
        let orphan_user: i64 = sqlx::query_scalar("SELECT user_id FROM pseuds WHERE id = $1")
            .bind(orphan)
            .fetch_one(&mut *tx)
            .await?;
        for r in &taken {
            let pseud_id: i64 = r.try_get("pseud_id")?;
            let position: i64 = r.try_get("position")?;
            let target = if keep_pseud {
                let name: String = sqlx::query_scalar("SELECT name FROM pseuds WHERE id = $1")
                    .bind(pseud_id)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO pseuds (user_id, name, name_lower, is_default, created_at) \
                     VALUES ($1, $2, $3, 0, $4) ON CONFLICT (user_id, name_lower) DO NOTHING",
                )
                .bind(orphan_user)
                .bind(&name)
                .bind(lower(&name))
                .bind(now())
                .execute(&mut *tx)
                .await?;
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM pseuds WHERE user_id = $1 AND name_lower = $2",
                )
                .bind(orphan_user)
                .bind(lower(&name))
                .fetch_one(&mut *tx)
                .await?
            } else {
                orphan
            };
            sqlx::query(
                "INSERT INTO creatorships (work_id, pseud_id, position) VALUES ($1, $2, $3) \
                 ON CONFLICT (work_id, pseud_id) DO NOTHING",
            )
            .bind(work_id)
            .bind(target)
            .bind(position)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE works SET version = version + 1 WHERE id = $1")
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
        crate::outbox::push(&mut tx, work_id, crate::outbox::UPSERT).await?;
        crate::member_changes::note(&mut tx, &[user_id]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Files a report for the moderators; returns its id.
    pub async fn create_abuse_report(&self, r: &NewAbuseReport) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO abuse_reports (url, summary, comment, user_id, email, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&r.url)
        .bind(&r.summary)
        .bind(&r.comment)
        .bind(r.user_id)
        .bind(r.email.as_deref())
        .bind(now())
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    /// The moderators' queue: open reports oldest first, then (`with_resolved`) the
    /// resolved ones newest first; at most `limit`.
    pub async fn abuse_reports(&self, with_resolved: bool, limit: u32) -> Result<Vec<AbuseReport>> {
        let filter = if with_resolved {
            ""
        } else {
            "WHERE r.resolved_at IS NULL"
        };
        let sql = format!(
            "SELECT r.id, r.url, r.summary, r.comment, r.user_id, u.login, r.email, r.created_at, \
             r.resolved_at FROM abuse_reports r LEFT JOIN users u ON u.id = r.user_id {filter} \
             ORDER BY CASE WHEN r.resolved_at IS NULL THEN 0 ELSE 1 END, \
             CASE WHEN r.resolved_at IS NULL THEN r.id ELSE -r.id END LIMIT $1"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AbuseReport {
                    id: r.try_get("id")?,
                    url: r.try_get("url")?,
                    summary: r.try_get("summary")?,
                    comment: r.try_get("comment")?,
                    user_id: r.try_get("user_id")?,
                    reporter_login: r.try_get("login")?,
                    email: r.try_get("email")?,
                    created_at: r.try_get("created_at")?,
                    resolved_at: r.try_get("resolved_at")?,
                })
            })
            .collect()
    }

    /// Marks a report resolved (once: resolving it again changes nothing). An unknown
    /// report is [`StoreError::NotFound`].
    pub async fn resolve_abuse_report(&self, id: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE abuse_reports SET resolved_at = $1 WHERE id = $2 AND resolved_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            let there: Option<i64> =
                sqlx::query_scalar("SELECT id FROM abuse_reports WHERE id = $1")
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?;
            if there.is_none() {
                return Err(StoreError::NotFound(format!("report {id}")));
            }
        }
        Ok(())
    }
}
