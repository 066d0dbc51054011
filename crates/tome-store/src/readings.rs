//! History (the works a logged-in reader opened) and "Mark for later".

use sqlx::{AssertSqlSafe, Row};

use tome_model::visibility::{self, Reader, Surface};

use crate::sql::{count, flag, int};
use crate::works::BLURB_COLUMNS;
use crate::{Result, Store, StoreError, WorkBlurb, now};

/// A history entry with its work.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reading {
    pub work: WorkBlurb,
    pub last_read_at: i64,
    pub views: u64,
    pub later: bool,
}

impl Store {
    /// Records that the user opened the work.
    pub async fn record_reading(&self, user_id: i64, work_id: i64) -> Result<()> {
        self.record_readings(&[(user_id, work_id, 1, now())]).await
    }

    /// Records views gathered in memory, `(user, work, views, last viewed at)`, in one
    /// transaction. Views of a work or by an account deleted meanwhile are dropped.
    pub async fn record_readings(&self, views: &[(i64, i64, u64, i64)]) -> Result<()> {
        if views.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (user_id, work_id, n, at) in views {
            sqlx::query(
                "INSERT INTO readings (user_id, work_id, last_read_at, views, later) \
                 SELECT $1, $2, $3, $4, 0 WHERE EXISTS (SELECT 1 FROM works WHERE id = $2) \
                 AND EXISTS (SELECT 1 FROM users WHERE id = $1) \
                 ON CONFLICT (user_id, work_id) DO UPDATE SET \
                 last_read_at = CASE WHEN readings.last_read_at > $3 \
                 THEN readings.last_read_at ELSE $3 END, views = readings.views + $4",
            )
            .bind(*user_id)
            .bind(*work_id)
            .bind(*at)
            .bind(i64::try_from(*n).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Marks (or unmarks) a work for later.
    pub async fn mark_for_later(&self, user_id: i64, work_id: i64, later: bool) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM works WHERE id = $1")
            .bind(work_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {work_id}")));
        }
        sqlx::query(
            "INSERT INTO readings (user_id, work_id, last_read_at, views, later) \
             VALUES ($1, $2, $3, 0, $4) \
             ON CONFLICT (user_id, work_id) DO UPDATE SET later = $4",
        )
        .bind(user_id)
        .bind(work_id)
        .bind(now())
        .bind(int(later))
        .execute(&mut *tx)
        .await?;
        crate::member_changes::note(&mut tx, &[user_id]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the user marked the work for later.
    pub async fn is_marked_for_later(&self, user_id: i64, work_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM readings WHERE user_id = $1 AND work_id = $2 AND later = 1",
        )
        .bind(user_id)
        .bind(work_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// One page (1-based) of a member's reading history (or only the works marked for
    /// later), last read first, and how many entries there are: only works `reader` (the
    /// member themself) may still open (`visibility::sql_predicate` on the work's own
    /// surface), filtered in the query so every page is full.
    pub async fn readings(
        &self,
        user_id: i64,
        reader: &Reader,
        later_only: bool,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<Reading>, u64)> {
        let cond = if later_only { " AND r.later = 1" } else { "" };
        let seen = visibility::sql_predicate(reader, Surface::Open, "w");
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM readings r JOIN works w ON w.id = r.work_id \
             WHERE r.user_id = $1{cond} AND {seen}"
        )))
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        let sql = format!(
            "SELECT {BLURB_COLUMNS}, r.last_read_at, r.views, r.later FROM readings r \
             JOIN works w ON w.id = r.work_id WHERE r.user_id = $1{cond} AND {seen} \
             ORDER BY r.last_read_at DESC, w.id DESC LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(user_id)
            .bind(i64::from(per_page))
            .bind(i64::from(page.max(1) - 1) * i64::from(per_page))
            .fetch_all(self.pool())
            .await?;
        let works = self.blurbs(&rows).await?;
        let items = rows
            .iter()
            .zip(works)
            .map(|(r, work)| {
                Ok(Reading {
                    work,
                    last_read_at: r.try_get("last_read_at")?,
                    views: count(r.try_get("views")?),
                    later: flag(r.try_get("later")?),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((items, count(total)))
    }
}
