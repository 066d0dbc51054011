//! The search outbox: every change that alters what search must see writes a row here in
//! the same transaction, so an indexer that crashes can resume from its last `seq`.

use crate::{OutboxRow, Result, Store, StoreError};

impl Store {
    /// Outbox rows with `seq` greater than `seq`, oldest first.
    pub async fn outbox_after(&self, seq: i64, limit: u32) -> Result<Vec<OutboxRow>> {
        let _ = (seq, limit);
        Err(StoreError::Invalid("not yet".into()))
    }
}
