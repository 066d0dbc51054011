//! The search outbox: every change that alters what search must see writes a row here in
//! the same transaction, so an indexer that crashes can resume from its last position.
//!
//! # Positions: why not `seq` alone
//!
//! On PostgreSQL `seq` is handed out when a row is inserted, not when its transaction
//! commits: a transaction that took seq 10 (a tag rename touching thousands of works, a
//! bulk batch) may commit after one that took seq 11. A reader that remembered "11" would
//! never see 10. So on PostgreSQL each row also records the id of the transaction that
//! wrote it (`txid`, the column default `pg_current_xact_id()`), and a reader only reads
//! rows whose `txid` is below the `xmin` of its snapshot: every transaction below `xmin`
//! has finished, so no row can appear there later. Its position is the keyset
//! `(txid, seq)` of the last row it applied ([`OutboxPos`]), and the next page is the rows
//! after it in `(txid, seq)` order. Rows of a transaction still open (or of one that
//! started before another still-open transaction) wait until it ends; they are late, never
//! lost. On SQLite one writer at a time holds the database (`BEGIN IMMEDIATE`), so seq order
//! is commit order; `txid` stays 0 and the keyset reduces to `seq`.
//!
//! Several indexers (one per `tome serve` node) may read one database, each with its own
//! position (kept by the reader, not here), so rows are not claimed or deleted by reading.
//!
//! # Pruning
//!
//! [`Store::prune_outbox`] deletes finished rows older than a retention window and raises
//! the outbox's horizon ([`Store::outbox_horizon`]) to the last row deleted. A reader whose
//! position is below the horizon may have missed a deleted row: it must rebuild its index
//! from the works themselves (tome-search does so by itself), then carry on from
//! [`Store::outbox_frontier`].

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::{Backend, OutboxRow, Result, Store, now};

/// The work was created or changed: re-read and re-index it.
pub const UPSERT: &str = "upsert";
/// The work is gone: drop it from the index.
pub const DELETE: &str = "delete";

/// `xmin` of the statement's snapshot as a bigint: every transaction id below it has ended.
const PG_XMIN: &str = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

/// A reader's place in the outbox: every row at or before it (in `(txid, seq)` order) has
/// been applied. The zero position is "nothing read yet".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutboxPos {
    /// The writing transaction's id (PostgreSQL; 0 on SQLite).
    pub txid: i64,
    pub seq: i64,
}

impl OutboxPos {
    /// The position as text, `TXID:SEQ` (kept with an index's commit).
    pub fn encode(&self) -> String {
        format!("{}:{}", self.txid, self.seq)
    }

    /// Reads [`OutboxPos::encode`]'s form; `None` for anything else.
    pub fn parse(s: &str) -> Option<OutboxPos> {
        let (t, s) = s.trim().split_once(':')?;
        Some(OutboxPos {
            txid: t.parse().ok()?,
            seq: s.parse().ok()?,
        })
    }
}

impl OutboxRow {
    /// This row's place in reading order.
    pub fn position(&self) -> OutboxPos {
        OutboxPos {
            txid: self.txid,
            seq: self.seq,
        }
    }
}

fn row(r: &AnyRow) -> Result<OutboxRow> {
    Ok(OutboxRow {
        seq: r.try_get("seq")?,
        txid: r.try_get("txid")?,
        work_id: r.try_get("work_id")?,
        op: r.try_get("op")?,
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    /// Every stored outbox row with `seq` greater than `seq`, by `seq`, at most `limit`,
    /// whether or not its transaction has finished: for looking, not for indexing (an
    /// indexer reads [`Store::outbox_page`]).
    pub async fn outbox_after(&self, seq: i64, limit: u32) -> Result<Vec<OutboxRow>> {
        sqlx::query(
            "SELECT seq, txid, work_id, op, created_at FROM outbox WHERE seq > $1 \
             ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(row)
        .collect()
    }

    /// The next rows after `after` in reading order, at most `limit`, only rows that can no
    /// longer be preceded by a row committed later (see the module notes). Reading the
    /// returned rows and moving to the last one's [`OutboxRow::position`] never skips one.
    pub async fn outbox_page(&self, after: OutboxPos, limit: u32) -> Result<Vec<OutboxRow>> {
        let finished = match self.backend() {
            Backend::Sqlite => String::new(),
            Backend::Postgres => format!("txid < {PG_XMIN} AND "),
        };
        // Two index ranges, not one `txid > $1 OR (txid = $1 AND seq > $2)`: SQLite
        // reads an OR (or a row-value comparison) as the range `txid >= $1` and filters
        // it, and on SQLite every row has txid 0, so a caught-up indexer's poll read the
        // whole outbox (0.1-0.3 s a poll at 1,000,000 rows, a core kept busy for nothing).
        let cols = "seq, txid, work_id, op, created_at";
        let sql = format!(
            "SELECT {cols} FROM (SELECT {cols} FROM outbox \
               WHERE {finished}txid = $1 AND seq > $2 ORDER BY seq LIMIT $3) same_tx \
             UNION ALL \
             SELECT {cols} FROM (SELECT {cols} FROM outbox \
               WHERE {finished}txid > $1 ORDER BY txid, seq LIMIT $3) later_tx \
             ORDER BY txid, seq LIMIT $3"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after.txid)
            .bind(after.seq)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(row)
            .collect()
    }

    /// Whether rows after `after` are visible but not yet readable by [`Store::outbox_page`]
    /// (PostgreSQL: some transaction below theirs is still open). Always `false` on SQLite.
    pub async fn outbox_waiting(&self, after: OutboxPos) -> Result<bool> {
        if self.backend() == Backend::Sqlite {
            return Ok(false);
        }
        Ok(sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE txid > $1 OR (txid = $1 AND seq > $2))",
        )
        .bind(after.txid)
        .bind(after.seq)
        .fetch_one(self.pool())
        .await?)
    }

    /// A position every change already visible now is at or before: an index built from
    /// the works read after this call and positioned here misses nothing (rows after it are
    /// re-applied, which is harmless).
    pub async fn outbox_frontier(&self) -> Result<OutboxPos> {
        match self.backend() {
            Backend::Postgres => {
                let xmin: i64 =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {PG_XMIN}")))
                        .fetch_one(self.pool())
                        .await?;
                // Every transaction below xmin has ended and its rows are visible; rows
                // of xmin itself and later come after (xmin, 0).
                Ok(OutboxPos { txid: xmin, seq: 0 })
            }
            Backend::Sqlite => {
                let head = self.outbox_head().await?;
                let horizon = self.outbox_horizon().await?;
                Ok(OutboxPos {
                    txid: 0,
                    seq: head.max(horizon.seq),
                })
            }
        }
    }

    /// What the outbox holds now, in a form that changes whenever a row becomes visible:
    /// for caches that must be rebuilt after any change to the works (the autocomplete
    /// and count caches), not for reading rows.
    ///
    /// `MAX(seq)` would not do on PostgreSQL: a transaction that took a lower `seq` and
    /// commits later leaves it unchanged. Instead the stamp is the newest finished
    /// transaction that wrote rows (`txid` below the snapshot's `xmin`; a row becomes
    /// finished only by `xmin` passing it, and every row finished later has a higher
    /// `txid` than every row finished before) and the number of rows visible but not yet
    /// finished. Between two reads, either some row finished (the first moves) or rows
    /// only appeared (the second grows). On SQLite rows commit in `seq` order, so it is
    /// `(MAX(seq), 0)`.
    pub async fn outbox_stamp(&self) -> Result<(i64, i64)> {
        match self.backend() {
            Backend::Sqlite => Ok((self.outbox_head().await?, 0)),
            Backend::Postgres => {
                let r = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "WITH s AS (SELECT {PG_XMIN} AS xmin) SELECT \
                     (SELECT MAX(txid) FROM outbox, s WHERE txid < s.xmin) AS settled, \
                     (SELECT COUNT(*) FROM outbox, s WHERE txid >= s.xmin) AS pending"
                )))
                .fetch_one(self.pool())
                .await?;
                Ok((
                    r.try_get::<Option<i64>, _>("settled")?.unwrap_or(0),
                    r.try_get("pending")?,
                ))
            }
        }
    }

    /// The last row pruned away: a reader positioned before it may have missed rows and
    /// must rebuild. The zero position when nothing was ever pruned.
    pub async fn outbox_horizon(&self) -> Result<OutboxPos> {
        let r = sqlx::query("SELECT txid, seq FROM outbox_horizon WHERE id = 1")
            .fetch_optional(self.pool())
            .await?;
        Ok(match r {
            Some(r) => OutboxPos {
                txid: r.try_get("txid")?,
                seq: r.try_get("seq")?,
            },
            None => OutboxPos::default(),
        })
    }

    /// Deletes the finished outbox rows written before `before` (unix seconds) and raises
    /// the horizon to the last of them, in one transaction. Returns how many went.
    pub async fn prune_outbox(&self, before: i64) -> Result<u64> {
        let finished = match self.backend() {
            Backend::Sqlite => String::new(),
            Backend::Postgres => format!(" AND txid < {PG_XMIN}"),
        };
        let mut tx = self.begin_write().await?;
        let last = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT txid, seq FROM outbox WHERE created_at < $1{finished} \
             ORDER BY txid DESC, seq DESC LIMIT 1"
        )))
        .bind(before)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(last) = last else {
            return Ok(0);
        };
        let (txid, seq): (i64, i64) = (last.try_get("txid")?, last.try_get("seq")?);
        // Only rows at or before `last`: the horizon covers exactly what is deleted.
        let gone = sqlx::query(
            "DELETE FROM outbox WHERE created_at < $1 AND (txid < $2 OR (txid = $2 AND seq <= $3))",
        )
        .bind(before)
        .bind(txid)
        .bind(seq)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Two nodes may prune at once: the horizon only moves forward.
        sqlx::query(
            "UPDATE outbox_horizon SET txid = $1, seq = $2 \
             WHERE id = 1 AND (txid < $1 OR (txid = $1 AND seq < $2))",
        )
        .bind(txid)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(gone)
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
