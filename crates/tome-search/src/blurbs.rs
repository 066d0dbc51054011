//! Work blurbs kept in memory, per work, so that a page of results never seen before
//! (a search with new words, a listing re-rendered after the index moved) reads only the
//! works' versions from the database, not their rows, tags and creators.
//!
//! - **Key:** the work id. **Value:** its blurb as the store builds it (the works row,
//!   its tags and its creators) and the work's version read *before* it.
//! - **Validity:** a kept blurb is served only while its work's version is the one it
//!   was kept with; the versions of a whole page are read in one indexed query. Every
//!   change to the works row bumps the version (an edit, a chapter, posting, hiding,
//!   kudos, bookmarks, comments, a creator added or removed), so such a change shows on
//!   the next page on every node, as on a work page, and a work hidden a moment ago is
//!   never shown from memory. Changes outside the row (a tag renamed or re-wrangled, a
//!   creator renamed or merged) write outbox rows: the indexer forgets those works'
//!   blurbs before the new index is visible, the staleness bound of every listing. Hits
//!   are counted without either, so a kept blurb also expires after [`BLURB_TTL`].
//! - **Races:** the version is read before the blurb, so a blurb is never labelled newer
//!   than it is; and a blurb is kept only if no work was forgotten while it was read (an
//!   epoch counter, bumped by every forget under the lock that guards the insert).
//! - **Bound:** a budget in bytes (each blurb weighed by its strings); eviction is moka's.
//! - The visibility of each blurb is decided by the caller, per viewer, as for a blurb
//!   read from the database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tome_store::{Store, WorkBlurb};

use crate::cache::CacheStats;

/// How long a kept blurb may be served: the bound on its hit count's staleness.
pub const BLURB_TTL: Duration = Duration::from_secs(300);

/// Blurbs by work id (see the module docs).
pub struct BlurbCache {
    max_bytes: u64,
    entries: moka::sync::Cache<i64, Kept>,
    /// Bumped by every forget; a read that saw another value is not kept.
    epoch: AtomicU64,
    /// Orders [`BlurbCache::keep`]'s epoch check against the forgets' bump and invalidation.
    writes: Mutex<()>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// A blurb and the version of its work read before it.
#[derive(Clone)]
struct Kept {
    version: i64,
    blurb: Arc<WorkBlurb>,
}

/// What a blurb weighs: its strings and its fixed size.
fn weigh(b: &WorkBlurb) -> usize {
    let tags = b
        .fandoms
        .iter()
        .chain(&b.relationships)
        .chain(&b.characters)
        .chain(&b.freeforms)
        .map(|t| t.name.len() + std::mem::size_of_val(t))
        .sum::<usize>();
    let creators = b
        .creators
        .iter()
        .map(|c| c.login.len() + c.name.len() + std::mem::size_of_val(c))
        .sum::<usize>();
    std::mem::size_of::<WorkBlurb>()
        + b.title.len()
        + b.summary_html.as_ref().map_or(0, String::len)
        + b.language.len()
        + b.warnings.len() * 8
        + b.categories.len() * 8
        + tags
        + creators
        + 64
}

impl BlurbCache {
    /// A cache holding at most `max_bytes` of blurbs (0: off).
    pub fn new(max_bytes: u64) -> BlurbCache {
        BlurbCache {
            max_bytes,
            entries: moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .time_to_live(BLURB_TTL)
                .weigher(|_: &i64, k: &Kept| u32::try_from(weigh(&k.blurb)).unwrap_or(u32::MAX))
                .build(),
            epoch: AtomicU64::new(0),
            writes: Mutex::new(()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The blurbs of `ids` in the order given, from memory where kept at the work's
    /// current version and from `store` (one read for all the others) where not; ids of
    /// works that no longer exist are skipped.
    pub async fn blurbs(&self, store: &Store, ids: &[i64]) -> tome_store::Result<Vec<WorkBlurb>> {
        if self.max_bytes == 0 || ids.is_empty() {
            return store.blurbs_by_ids(ids).await;
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let versions = store.work_versions(ids).await?;
        let mut found: Vec<Option<Arc<WorkBlurb>>> = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            let Some(&version) = versions.get(id) else {
                found.push(None);
                continue;
            };
            match self.entries.get(id).filter(|k| k.version == version) {
                Some(k) => found.push(Some(k.blurb)),
                None => {
                    found.push(None);
                    missing.push(*id);
                }
            }
        }
        self.hits
            .fetch_add((versions.len() - missing.len()) as u64, Ordering::Relaxed);
        self.misses
            .fetch_add(missing.len() as u64, Ordering::Relaxed);
        if !missing.is_empty() {
            let mut read: HashMap<i64, Arc<WorkBlurb>> = store
                .blurbs_by_ids(&missing)
                .await?
                .into_iter()
                .map(|b| (b.id, Arc::new(b)))
                .collect();
            self.keep(epoch, &versions, read.values());
            for (id, slot) in ids.iter().zip(found.iter_mut()) {
                if slot.is_none() {
                    *slot = read.remove(id);
                }
            }
        }
        Ok(found
            .into_iter()
            .flatten()
            .map(|b| WorkBlurb::clone(&b))
            .collect())
    }

    /// Keeps blurbs read after `versions` at `epoch`, unless a work was forgotten since.
    fn keep<'a>(
        &self,
        epoch: u64,
        versions: &HashMap<i64, i64>,
        blurbs: impl Iterator<Item = &'a Arc<WorkBlurb>>,
    ) {
        let _w = self.writes.lock().unwrap_or_else(|p| p.into_inner());
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        for b in blurbs {
            if let Some(&version) = versions.get(&b.id) {
                self.entries.insert(
                    b.id,
                    Kept {
                        version,
                        blurb: b.clone(),
                    },
                );
            }
        }
    }

    /// Forgets the blurbs of `ids` (the indexer is about to show their change).
    pub fn forget(&self, ids: &[i64]) {
        let _w = self.writes.lock().unwrap_or_else(|p| p.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        for id in ids {
            self.entries.invalidate(id);
        }
    }

    /// Forgets every blurb (the index was refilled).
    pub fn clear(&self) {
        let _w = self.writes.lock().unwrap_or_else(|p| p.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate_all();
    }

    /// Hits and misses (counted per blurb), entries and bytes held.
    pub fn stats(&self) -> CacheStats {
        self.entries.run_pending_tasks();
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.entries.entry_count() as usize,
            generation: self.epoch.load(Ordering::Relaxed),
            weighted_bytes: self.entries.weighted_size(),
            max_bytes: self.max_bytes,
        }
    }
}
