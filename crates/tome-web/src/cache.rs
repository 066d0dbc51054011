//! In-memory caches that keep a warm work page off the database.
//!
//! - [`PageCache`] holds rendered work, chapter and chapter-index pages, keyed by
//!   (work id, variant) and stamped with the work's `version`. A page is served while its
//!   stamp equals the work's current version.
//! - The current version of each work is itself remembered for `revalidate` (one second
//!   by default): within that window a warm hit touches no database at all. **Staleness
//!   bound:** an edit made through another process or node shows up at most `revalidate`
//!   (plus one `work_version` query) later; edits made through this process (kudos)
//!   invalidate at once. Counters that change without a version bump (hits) may lag
//!   until the next version change.
//! - [`HitCounter`] counts hits in memory; a background task flushes them with
//!   `Store::add_hits` every few seconds and on shutdown.
//!
//! Both caches are bounded: when full, the least recently used eighth is dropped.
//!
//! **Only guests' renders are cached.** A page rendered for a logged-in reader carries
//! their header (name, links, their CSRF token) and may show what guests must not see
//! (restricted works, a creator's own anonymous work), so `serve_work_page` renders it
//! fresh and never stores it. Cached guest pages carry a CSRF slot, filled with each
//! guest's own token as the page is served.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::http::HeaderValue;
use bytes::Bytes;
use tome_store::Store;

/// Which rendering of a work a cached page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// `/works/ID`: the first chapter (or the one-shot).
    First,
    /// `/works/ID?view_full_work=true`.
    Full,
    /// `/works/ID/chapters/CID`.
    Chapter(i64),
    /// `/works/ID/navigate`.
    Navigate,
}

/// A cache key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub work_id: i64,
    pub variant: Variant,
}

/// A rendered page, split where a per-visitor flash message goes.
#[derive(Debug)]
pub struct CachedPage {
    pub version: i64,
    /// HTML before the flash slot.
    pub head: Bytes,
    /// HTML after the flash slot.
    pub tail: Bytes,
    pub etag: HeaderValue,
    pub last_modified: Option<HeaderValue>,
    /// Unix seconds of the last change, for `If-Modified-Since`.
    pub modified_unix: i64,
}

impl CachedPage {
    /// The full page without a flash message.
    pub fn body(&self) -> Bytes {
        if self.tail.is_empty() {
            return self.head.clone();
        }
        let mut out = Vec::with_capacity(self.head.len() + self.tail.len());
        out.extend_from_slice(&self.head);
        out.extend_from_slice(&self.tail);
        Bytes::from(out)
    }

    /// The full page with `flash` (HTML) in the flash slot.
    pub fn body_with_flash(&self, flash: &str) -> Bytes {
        let mut out = Vec::with_capacity(self.head.len() + flash.len() + self.tail.len());
        out.extend_from_slice(&self.head);
        out.extend_from_slice(flash.as_bytes());
        out.extend_from_slice(&self.tail);
        Bytes::from(out)
    }
}

struct Entry {
    page: Arc<CachedPage>,
    last_used: AtomicU64,
}

struct Stamp {
    version: Option<i64>,
    checked: Instant,
}

/// Rendered pages and the work versions they were rendered at.
pub struct PageCache {
    pages: RwLock<HashMap<PageKey, Entry>>,
    versions: RwLock<HashMap<i64, Stamp>>,
    capacity: usize,
    revalidate: Duration,
    tick: AtomicU64,
}

impl PageCache {
    /// A cache of at most `capacity` pages, trusting a known work version for `revalidate`.
    pub fn new(capacity: usize, revalidate: Duration) -> PageCache {
        PageCache {
            pages: RwLock::new(HashMap::new()),
            versions: RwLock::new(HashMap::new()),
            capacity: capacity.max(1),
            revalidate,
            tick: AtomicU64::new(0),
        }
    }

    /// The work's current version (`None`: no such work), from memory when checked
    /// within the revalidation window, else from the store.
    pub async fn version(&self, store: &Store, work_id: i64) -> tome_store::Result<Option<i64>> {
        let now = Instant::now();
        {
            let versions = self.versions.read().unwrap_or_else(|e| e.into_inner());
            if let Some(s) = versions.get(&work_id)
                && now.duration_since(s.checked) < self.revalidate
            {
                return Ok(s.version);
            }
        }
        let version = store.work_version(work_id).await?;
        let mut versions = self.versions.write().unwrap_or_else(|e| e.into_inner());
        if versions.len() >= self.capacity.saturating_mul(4) {
            let window = self.revalidate;
            versions.retain(|_, s| now.duration_since(s.checked) < window);
        }
        versions.insert(
            work_id,
            Stamp {
                version,
                checked: Instant::now(),
            },
        );
        Ok(version)
    }

    /// A cached page rendered at `version`.
    pub fn get(&self, key: &PageKey, version: i64) -> Option<Arc<CachedPage>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        let entry = pages.get(key)?;
        if entry.page.version != version {
            return None;
        }
        entry
            .last_used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(entry.page.clone())
    }

    /// Remembers a rendered page (and the version it was rendered at).
    pub fn insert(&self, key: PageKey, page: Arc<CachedPage>) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if pages.len() >= self.capacity && !pages.contains_key(&key) {
            evict_oldest(&mut pages, self.capacity / 8 + 1);
        }
        let tick = self.tick.fetch_add(1, Ordering::Relaxed);
        pages.insert(
            key,
            Entry {
                page,
                last_used: AtomicU64::new(tick),
            },
        );
    }

    /// Forgets everything about a work (after a change made through this process).
    pub fn invalidate(&self, work_id: i64) {
        self.versions
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&work_id);
        self.pages
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|k, _| k.work_id != work_id);
    }

    /// Forgets every page (after a change every page shows, such as the archive's name,
    /// or an account deletion that re-signs or removes works).
    pub fn clear(&self) {
        self.versions
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.pages
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Number of cached pages.
    pub fn len(&self) -> usize {
        self.pages.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no page is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn evict_oldest(pages: &mut HashMap<PageKey, Entry>, n: usize) {
    let mut ticks: Vec<u64> = pages
        .values()
        .map(|e| e.last_used.load(Ordering::Relaxed))
        .collect();
    if ticks.is_empty() {
        return;
    }
    let n = n.min(ticks.len());
    let (_, cut, _) = ticks.select_nth_unstable(n - 1);
    let cut = *cut;
    pages.retain(|_, e| e.last_used.load(Ordering::Relaxed) > cut);
}

/// Hits counted in memory between flushes.
#[derive(Default)]
pub struct HitCounter {
    counts: Mutex<HashMap<i64, u64>>,
}

impl HitCounter {
    /// Counts one hit on a work.
    pub fn record(&self, work_id: i64) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        *counts.entry(work_id).or_insert(0) += 1;
    }

    /// Takes the counts gathered so far, leaving zero.
    pub fn take(&self) -> Vec<(i64, u64)> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.drain().collect()
    }

    /// Writes the gathered hits to the store; on failure they are kept for the next flush.
    pub async fn flush(&self, store: &Store) {
        let batch = self.take();
        if batch.is_empty() {
            return;
        }
        if let Err(e) = store.add_hits(&batch).await {
            tracing::warn!(error = %e, works = batch.len(), "could not store hits; will retry");
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            for (id, n) in batch {
                *counts.entry(id).or_insert(0) += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(version: i64) -> Arc<CachedPage> {
        Arc::new(CachedPage {
            version,
            head: Bytes::from_static(b"a"),
            tail: Bytes::from_static(b"b"),
            etag: HeaderValue::from_static("\"x\""),
            last_modified: None,
            modified_unix: 0,
        })
    }

    #[test]
    fn pages_match_their_version_and_stay_bounded() {
        let cache = PageCache::new(16, Duration::from_secs(1));
        let key = |id| PageKey {
            work_id: id,
            variant: Variant::First,
        };
        cache.insert(key(1), page(3));
        assert!(cache.get(&key(1), 3).is_some());
        assert!(cache.get(&key(1), 4).is_none());
        for id in 2..100 {
            cache.insert(key(id), page(1));
        }
        assert!(cache.len() <= 16);
        assert!(cache.get(&key(99), 1).is_some());
        cache.invalidate(99);
        assert!(cache.get(&key(99), 1).is_none());
    }

    #[test]
    fn flash_goes_between_head_and_tail() {
        let p = page(1);
        assert_eq!(&p.body()[..], b"ab");
        assert_eq!(&p.body_with_flash("!")[..], b"a!b");
    }

    #[test]
    fn hits_accumulate_and_drain() {
        let h = HitCounter::default();
        h.record(1);
        h.record(1);
        h.record(2);
        let mut t = h.take();
        t.sort();
        assert_eq!(t, vec![(1, 2), (2, 1)]);
        assert!(h.take().is_empty());
    }
}
