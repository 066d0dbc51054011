//! Moderation: moderators hide a work from everyone but its creators and the archive's
//! moderators, and show it again. Like every change search must see, the flag and an
//! outbox row are written in one transaction; the work's `version` moves so cached pages
//! of it are dropped, while `updated_at` stays (hiding is not an edit by the author).

use crate::{Result, Store, StoreError};

impl Store {
    /// Sets (`true`) or clears a work's `hidden` flag. A work that is already in that
    /// state is left as it is (no new version, no outbox row). Unknown work: `NotFound`.
    pub async fn set_work_hidden(&self, work_id: i64, hidden: bool) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let current: Option<i64> = sqlx::query_scalar("SELECT hidden FROM works WHERE id = $1")
            .bind(work_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(current) = current else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {work_id}")));
        };
        if (current != 0) == hidden {
            tx.rollback().await?;
            return Ok(());
        }
        sqlx::query("UPDATE works SET hidden = $1, version = version + 1 WHERE id = $2")
            .bind(i64::from(hidden))
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
        crate::outbox::push(&mut tx, work_id, crate::outbox::UPSERT).await?;
        tx.commit().await?;
        Ok(())
    }
}
