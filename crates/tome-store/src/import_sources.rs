//! Where imported works came from: a fingerprint of each imported file's bytes and the
//! work made of it, so `tome import` run again (after an interruption, or over a folder
//! that gained files) skips what it already imported.
//!
//! The fingerprint row is written in the work's own transaction, so a work without its
//! row (or the reverse) never exists. Two imports of the same file racing each other are
//! decided by the table's primary key: the second one's `INSERT ... ON CONFLICT DO
//! NOTHING` writes nothing, and its whole transaction (its work included) is rolled back.

use sqlx::Row;
use tome_model::WorkDraft;

use crate::works::insert_work;
use crate::{Result, Store, StoreError, now};

/// What [`Store::create_imported_work`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedWork {
    /// A new work was stored.
    Created(i64),
    /// The same file was imported before, as this work; nothing was written.
    Already(i64),
}

impl ImportedWork {
    pub fn work_id(self) -> i64 {
        match self {
            ImportedWork::Created(id) | ImportedWork::Already(id) => id,
        }
    }
}

impl Store {
    /// The work a file with this fingerprint was imported as, if any (and not deleted since).
    pub async fn imported_as(&self, fingerprint: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT work_id FROM import_sources WHERE fingerprint = $1")
            .bind(fingerprint)
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get::<i64, _>("work_id")?),
            None => None,
        })
    }

    /// Stores an imported work and its source's fingerprint in one transaction.
    ///
    /// If the fingerprint is already known the work is not stored and the earlier work
    /// is returned as [`ImportedWork::Already`], unless `again` is set: then the work is
    /// stored anyway and the fingerprint points at the new work from then on.
    pub async fn create_imported_work(
        &self,
        draft: &WorkDraft,
        fingerprint: &str,
        file_name: &str,
        again: bool,
    ) -> Result<ImportedWork> {
        // A retry only when the earlier work is deleted between our two statements.
        for _ in 0..3 {
            let mut tx = self.begin_write().await?;
            let work_id = insert_work(&mut tx, draft).await?;
            let sql = if again {
                "INSERT INTO import_sources (fingerprint, work_id, file_name, imported_at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (fingerprint) DO UPDATE SET work_id = excluded.work_id, \
                    file_name = excluded.file_name, imported_at = excluded.imported_at \
                 RETURNING work_id"
            } else {
                "INSERT INTO import_sources (fingerprint, work_id, file_name, imported_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (fingerprint) DO NOTHING RETURNING work_id"
            };
            let written = sqlx::query(sql)
                .bind(fingerprint)
                .bind(work_id)
                .bind(file_name)
                .bind(now())
                .fetch_optional(&mut *tx)
                .await?;
            if written.is_some() {
                tx.commit().await?;
                return Ok(ImportedWork::Created(work_id));
            }
            // Imported before (perhaps a moment ago, by a run racing this one): keep nothing.
            tx.rollback().await?;
            if let Some(earlier) = self.imported_as(fingerprint).await? {
                return Ok(ImportedWork::Already(earlier));
            }
        }
        Err(StoreError::Conflict(format!(
            "{file_name}: its earlier import kept changing; try again"
        )))
    }
}
