//! Works and chapters: posting, reading, listing, counters.

use tome_model::WorkDraft;

use crate::{ChapterFull, Result, Store, StoreError, WorkListFilter, WorkPage, WorkView};

impl Store {
    /// Stores a new work in one transaction; returns its id.
    pub async fn create_work(&self, draft: &WorkDraft) -> Result<i64> {
        let _ = draft;
        Err(StoreError::Invalid("not yet".into()))
    }

    /// Deletes a work and everything hanging off it.
    pub async fn delete_work(&self, id: i64) -> Result<()> {
        let _ = id;
        Err(StoreError::Invalid("not yet".into()))
    }

    /// A work page.
    pub async fn work(&self, id: i64) -> Result<Option<WorkView>> {
        let _ = id;
        Err(StoreError::Invalid("not yet".into()))
    }

    /// One chapter of a work.
    pub async fn chapter(&self, work_id: i64, chapter_id: i64) -> Result<Option<ChapterFull>> {
        let _ = (work_id, chapter_id);
        Err(StoreError::Invalid("not yet".into()))
    }

    /// All chapters of a work, in order.
    pub async fn chapters_full(&self, work_id: i64) -> Result<Vec<ChapterFull>> {
        let _ = work_id;
        Err(StoreError::Invalid("not yet".into()))
    }

    /// The work's version, for page-cache validation.
    pub async fn work_version(&self, id: i64) -> Result<Option<i64>> {
        let _ = id;
        Err(StoreError::Invalid("not yet".into()))
    }

    /// A page of works, newest update first.
    pub async fn list_works(
        &self,
        filter: &WorkListFilter,
        page: u32,
        per_page: u32,
    ) -> Result<WorkPage> {
        let _ = (filter, page, per_page);
        Err(StoreError::Invalid("not yet".into()))
    }

    /// Number of works.
    pub async fn work_count(&self) -> Result<u64> {
        Err(StoreError::Invalid("not yet".into()))
    }

    /// Adds batched hits.
    pub async fn add_hits(&self, hits: &[(i64, u64)]) -> Result<()> {
        let _ = hits;
        Err(StoreError::Invalid("not yet".into()))
    }

    /// Leaves kudos; false if already left.
    pub async fn add_kudos(
        &self,
        work_id: i64,
        user_id: Option<i64>,
        guest_key: Option<&str>,
    ) -> Result<bool> {
        let _ = (work_id, user_id, guest_key);
        Err(StoreError::Invalid("not yet".into()))
    }
}
