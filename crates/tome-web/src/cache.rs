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
//! - Pages also show tag names, which wrangling changes (renames, synonyms, merges)
//!   without bumping any work's version. Every page is therefore stamped with the
//!   archive's **wrangling head** (the last `wrangling_log` row) as it stood before the
//!   page was rendered, and served only while the head is unchanged; the head is
//!   remembered for `revalidate` like versions, and forgotten at once when this process
//!   wrangles ([`PageCache::tags_changed`]).
//! - [`HitCounter`] counts hits in memory; a background task flushes them with
//!   `Store::add_hits` every few seconds and on shutdown.
//!
//! **Bound:** pages are held within a budget in **bytes** (`PageConfig::cache_bytes`,
//! each page weighing its HTML), not a number of pages, so large pages (works with many
//! tags, long chapters) cannot grow memory past it; eviction is moka's (least recently
//! used, with frequency-based admission). The versions remembered are bounded in number
//! ([`VERSIONS_KEPT`]; a few dozen bytes each).
//!
//! **One render per audience.** A page is rendered once for every guest and once for
//! every member (restricted works are members' only), as a [`Frame`] whose slots
//! (CSRF token, flash, the header's user links, the member's bookmark and subscription
//! forms, their pseuds) are filled per viewer as the page is served. A member whose view
//! of the page differs beyond those slots (a creator of the work, a moderator, someone
//! who commented on it or muted a commenter, someone a creator blocked) gets a page
//! rendered for them alone, never stored (see `pages::serve_work_page`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::http::HeaderValue;
use tome_model::visibility::Audience;
use tome_store::Store;

use crate::frame::{Fills, Frame};

/// Work versions remembered at most (the oldest-checked are dropped past it).
pub const VERSIONS_KEPT: usize = 65_536;

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

/// A cache key: the work, which rendering, and for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub work_id: i64,
    pub variant: Variant,
    pub audience: Audience,
}

/// A rendered page, cut at its per-viewer slots.
#[derive(Debug)]
pub struct CachedPage {
    pub version: i64,
    pub frame: Frame,
    pub last_modified: Option<HeaderValue>,
    /// Unix seconds of the last change, for `If-Modified-Since`.
    pub modified_unix: i64,
    /// The work's creators (user ids; invited co-creators too): their page differs.
    pub creators: Vec<i64>,
    /// Members who commented on the work: their page shows their own comments'
    /// controls (and their comments awaiting approval).
    pub commenters: Vec<i64>,
}

impl CachedPage {
    /// The page for one viewer.
    pub fn body(&self, fills: &Fills<'_>) -> bytes::Bytes {
        self.frame.fill(fills)
    }

    /// The validator of the page's shared bytes.
    pub fn etag(&self) -> &HeaderValue {
        self.frame.etag()
    }

    /// Bytes the page holds in memory, roughly.
    pub fn weight(&self) -> usize {
        std::mem::size_of::<CachedPage>()
            + self.frame.weight()
            + self.last_modified.as_ref().map_or(0, HeaderValue::len)
            + (self.creators.len() + self.commenters.len()) * 8
    }
}

/// A cached page with the wrangling head it was rendered under.
#[derive(Clone)]
struct Entry {
    page: Arc<CachedPage>,
    tags: i64,
}

struct Stamp {
    version: Option<i64>,
    checked: Instant,
}

/// Rendered pages and the work versions they were rendered at.
pub struct PageCache {
    pages: moka::sync::Cache<PageKey, Entry>,
    max_bytes: u64,
    versions: RwLock<HashMap<i64, Stamp>>,
    /// The wrangling head and when it was read (`None`: read it again).
    tags: RwLock<Option<(i64, Instant)>>,
    revalidate: Duration,
}

/// How much the page cache holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCacheStats {
    pub pages: u64,
    /// Bytes held (the pages' weights), after pending evictions have run.
    pub weighted_bytes: u64,
    pub max_bytes: u64,
}

impl PageCache {
    /// A cache of at most `max_bytes` of pages, trusting a known work version (and the
    /// wrangling head) for `revalidate`.
    pub fn new(max_bytes: u64, revalidate: Duration) -> PageCache {
        let pages = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|_: &PageKey, e: &Entry| {
                u32::try_from(e.page.weight() + 64).unwrap_or(u32::MAX)
            })
            .build();
        PageCache {
            pages,
            max_bytes,
            versions: RwLock::new(HashMap::new()),
            tags: RwLock::new(None),
            revalidate,
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
        if versions.len() >= VERSIONS_KEPT {
            let window = self.revalidate;
            versions.retain(|_, s| now.duration_since(s.checked) < window);
            if versions.len() >= VERSIONS_KEPT {
                versions.clear();
            }
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

    /// The archive's wrangling head (see the module docs), from memory when read within
    /// the revalidation window. Read it *before* rendering, and store the page with it.
    pub async fn tags_head(&self, store: &Store) -> tome_store::Result<i64> {
        let now = Instant::now();
        if let Some((head, checked)) = *self.tags.read().unwrap_or_else(|e| e.into_inner())
            && now.duration_since(checked) < self.revalidate
        {
            return Ok(head);
        }
        let head = store.wrangling_head().await?;
        *self.tags.write().unwrap_or_else(|e| e.into_inner()) = Some((head, now));
        Ok(head)
    }

    /// Tags were wrangled through this process: read the head again on the next page.
    pub fn tags_changed(&self) {
        *self.tags.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// A cached page rendered at `version` under wrangling head `tags`.
    pub fn get(&self, key: &PageKey, version: i64, tags: i64) -> Option<Arc<CachedPage>> {
        let e = self.pages.get(key)?;
        (e.page.version == version && e.tags == tags).then_some(e.page)
    }

    /// Remembers a page rendered under wrangling head `tags` (read before rendering).
    pub fn insert(&self, key: PageKey, page: Arc<CachedPage>, tags: i64) {
        self.pages.insert(key, Entry { page, tags });
    }

    /// Forgets everything about a work (after a change made through this process).
    pub fn invalidate(&self, work_id: i64) {
        self.versions
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&work_id);
        for variant in [Variant::First, Variant::Full, Variant::Navigate] {
            for audience in Audience::ALL {
                self.pages.invalidate(&PageKey {
                    work_id,
                    variant,
                    audience,
                });
            }
        }
        // Chapter pages: every cached one of this work (a scan, as before; pages of
        // other works are untouched).
        let chapters: Vec<PageKey> = self
            .pages
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| k.work_id == work_id)
            .collect();
        for k in chapters {
            self.pages.invalidate(&k);
        }
    }

    /// Forgets every page (after a change every page shows, such as the archive's name,
    /// or an account deletion that re-signs or removes works).
    pub fn clear(&self) {
        self.versions
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.pages.invalidate_all();
    }

    /// Number of cached pages (after pending evictions).
    pub fn len(&self) -> usize {
        self.pages.run_pending_tasks();
        usize::try_from(self.pages.entry_count()).unwrap_or(usize::MAX)
    }

    /// Whether no page is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Pages held, their bytes and the budget.
    pub fn stats(&self) -> PageCacheStats {
        self.pages.run_pending_tasks();
        PageCacheStats {
            pages: self.pages.entry_count(),
            weighted_bytes: self.pages.weighted_size(),
            max_bytes: self.max_bytes,
        }
    }
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
        sized_html(
            version,
            &format!("a{}b", crate::frame::marker(crate::frame::Slot::Flash)),
        )
    }

    fn sized_html(version: i64, html: &str) -> Arc<CachedPage> {
        Arc::new(CachedPage {
            version,
            frame: Frame::cut(html),
            last_modified: None,
            modified_unix: 0,
            creators: Vec::new(),
            commenters: Vec::new(),
        })
    }

    #[test]
    fn pages_match_their_version_and_stay_within_bytes() {
        let budget = 64 * 1024;
        let cache = PageCache::new(budget, Duration::from_secs(1));
        let key = |id| PageKey {
            work_id: id,
            variant: Variant::First,
            audience: Audience::Guest,
        };
        cache.insert(key(1), page(3), 7);
        assert!(cache.get(&key(1), 3, 7).is_some());
        assert!(cache.get(&key(1), 4, 7).is_none());
        // Wrangled since: not served.
        assert!(cache.get(&key(1), 3, 8).is_none());
        for id in 2..400 {
            cache.insert(key(id), sized(1, 4_000), 7);
        }
        let s = cache.stats();
        assert!(s.weighted_bytes <= budget, "{s:?}");
        assert!(s.pages < 20, "{s:?}");
        cache.insert(key(999), page(1), 7);
        assert!(cache.get(&key(999), 1, 7).is_some());
        cache.invalidate(999);
        assert!(cache.get(&key(999), 1, 7).is_none());
    }

    fn sized(version: i64, bytes: usize) -> Arc<CachedPage> {
        sized_html(version, &"x".repeat(bytes))
    }

    #[test]
    fn flash_goes_in_its_slot() {
        let p = page(1);
        assert_eq!(&p.body(&Fills::default())[..], b"ab");
        let with = Fills {
            flash: "!",
            ..Fills::default()
        };
        assert_eq!(&p.body(&with)[..], b"a!b");
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
