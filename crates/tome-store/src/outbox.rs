//! The search outbox: every change that alters what search must see writes a row here in
//! the same transaction, so an indexer that crashes can resume from its last `seq`.

use sqlx::{AnyConnection, Row};

use crate::{OutboxRow, Result, Store, now};

/// The work was created or changed: re-read and re-index it.
pub const UPSERT: &str = "upsert";
/// The work is gone: drop it from the index.
pub const DELETE: &str = "delete";

impl Store {
    /// Outbox rows with `seq` greater than `seq`, oldest first, at most `limit`.
    pub async fn outbox_after(&self, seq: i64, limit: u32) -> Result<Vec<OutboxRow>> {
        sqlx::query(
            "SELECT seq, work_id, op, created_at FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(OutboxRow {
                seq: r.try_get("seq")?,
                work_id: r.try_get("work_id")?,
                op: r.try_get("op")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
    }
}

/// Queues `op` for a work, inside the caller's transaction.
pub(crate) async fn push(conn: &mut AnyConnection, work_id: i64, op: &str) -> Result<()> {
    sqlx::query("INSERT INTO outbox (work_id, op, created_at) VALUES ($1, $2, $3)")
        .bind(work_id)
        .bind(op)
        .bind(now())
        .execute(conn)
        .await?;
    Ok(())
}
