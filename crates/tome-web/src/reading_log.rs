//! Reading history gathered in memory and written in batches: a member's view of a work
//! page costs a map update, not a database write.
//!
//! - [`ReadingLog::record`] notes (member, work, time); repeated views of one work by
//!   one member between flushes add up.
//! - The background task that flushes hits flushes this too (every
//!   `PageConfig::hit_flush`, 5 s by default, and on shutdown), with one transaction
//!   per batch (`Store::record_readings`).
//! - A member's own history page flushes first, so it always shows the view that led
//!   there. **Staleness bound:** elsewhere (another node, the store read directly) a view
//!   shows up within one flush interval.
//! - **Bound:** at most [`PENDING_MAX`] (member, work) pairs wait; reaching it starts a
//!   flush at once. A failed flush keeps the batch for the next one.

use std::collections::HashMap;
use std::sync::Mutex;

use tome_store::Store;

/// Pairs held before a flush is started early.
pub const PENDING_MAX: usize = 50_000;

/// Views not yet written: (member, work) → (views, last viewed at, unix seconds).
#[derive(Default)]
pub struct ReadingLog {
    pending: Mutex<HashMap<(i64, i64), (u64, i64)>>,
}

impl ReadingLog {
    /// Notes one view; `true` when the log is full and should be flushed now.
    pub fn record(&self, user_id: i64, work_id: i64, at: i64) -> bool {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let e = pending.entry((user_id, work_id)).or_insert((0, at));
        e.0 += 1;
        e.1 = e.1.max(at);
        pending.len() >= PENDING_MAX
    }

    /// Writes what was gathered; on failure it is kept for the next flush.
    pub async fn flush(&self, store: &Store) {
        let batch: Vec<(i64, i64, u64, i64)> = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending
                .drain()
                .map(|((u, w), (n, at))| (u, w, n, at))
                .collect()
        };
        if batch.is_empty() {
            return;
        }
        if let Err(e) = store.record_readings(&batch).await {
            tracing::warn!(error = %e, views = batch.len(), "could not store readings; will retry");
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            for (u, w, n, at) in batch {
                let e = pending.entry((u, w)).or_insert((0, at));
                e.0 += n;
                e.1 = e.1.max(at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_of_one_work_add_up() {
        let log = ReadingLog::default();
        assert!(!log.record(1, 2, 100));
        assert!(!log.record(1, 2, 90));
        assert!(!log.record(1, 3, 95));
        let pending = log.pending.lock().unwrap();
        assert_eq!(pending[&(1, 2)], (2, 100));
        assert_eq!(pending[&(1, 3)], (1, 95));
    }
}
