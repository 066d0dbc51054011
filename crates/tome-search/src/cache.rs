//! A bounded cache of search results, as a busy archive keeps one: the same searches
//! (a fandom's first page, the front page's sorts, a link everyone follows) come back
//! far more often than the index changes.
//!
//! - Key: the whole request as the engine sees it: every field of the filter (its
//!   `Debug` text, which names every field, so two different filters never share a
//!   key), page size, whether facets were asked for, and the audience class (guest or
//!   logged-in member: restricted works are in one and not the other). Filters with a
//!   relative date ("updated in the last 2 weeks") also key on the minute, so they
//!   move with the clock. Nothing per user is ever stored: muted works and tags are
//!   taken out of each page afterwards, per viewer, by the web layer.
//! - Value: what the engine answered (ids, total, snippets, facets).
//! - Invalidation: every reload of the index reader bumps a generation and empties the
//!   cache; a search that started before a reload does not store its (stale) answer.
//! - Bound: a budget in **bytes** (the weight of each entry: its key, its ids, snippets,
//!   facets, or a rendered page's HTML), not in entries, so a few searches whose pages are
//!   large (works with many tags) cannot grow memory past the budget. Eviction is
//!   moka's (least recently used, with a frequency sketch deciding admission).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{SearchRequest, SearchResults};

/// The cache key of a request.
pub fn key(req: &SearchRequest) -> String {
    let f = &req.filter;
    let clock = if f.updated.is_some() || f.posted.is_some() {
        req.now / 60
    } else {
        0
    };
    format!(
        "{}|{}|{}|{clock}|{:?}",
        u8::from(req.member),
        req.per_page,
        u8::from(req.facets),
        f
    )
}

/// Hit and miss counts since the start, and the memory held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    pub generation: u64,
    /// Bytes held (the entries' weights), after pending evictions have run.
    pub weighted_bytes: u64,
    /// The budget in bytes (0: caching off).
    pub max_bytes: u64,
}

/// What an entry weighs in memory, roughly: its heap bytes plus its fixed size.
pub trait Weigh {
    fn weigh(&self) -> usize;
}

impl Weigh for SearchResults {
    fn weigh(&self) -> usize {
        let facets = self.facets.as_ref().map_or(0, |f| {
            f.kinds
                .iter()
                .flat_map(|(_, v)| v)
                .map(|c| std::mem::size_of_val(c) + c.name.len())
                .sum::<usize>()
                + f.kinds.len() * 32
        });
        std::mem::size_of::<SearchResults>()
            + self.ids.len() * 8
            + self.snippets.values().map(|s| s.len() + 48).sum::<usize>()
            + self
                .unknown_tags
                .iter()
                .map(|t| t.len() + 24)
                .sum::<usize>()
            + facets
    }
}

impl Weigh for std::sync::Arc<str> {
    fn weigh(&self) -> usize {
        self.len() + 16
    }
}

/// A page the web layer rendered from results and keeps in [`Cache`] so that it goes
/// with them when the index reloads. Opaque to the engine: the web layer decides what it
/// holds, and says what it weighs.
#[derive(Clone)]
pub struct KeptPage {
    value: std::sync::Arc<dyn std::any::Any + Send + Sync>,
    weight: usize,
}

impl KeptPage {
    /// Keeps `value`, which weighs `weight` bytes.
    pub fn new<T: std::any::Any + Send + Sync>(value: std::sync::Arc<T>, weight: usize) -> Self {
        KeptPage { value, weight }
    }

    /// The value, if it is a `T`.
    pub fn get<T: std::any::Any + Send + Sync>(&self) -> Option<std::sync::Arc<T>> {
        self.value.clone().downcast::<T>().ok()
    }
}

impl Weigh for KeptPage {
    fn weigh(&self) -> usize {
        self.weight
    }
}

/// The results cache (see the module docs).
pub type ResultsCache = Cache<SearchResults>;

/// A byte-bounded, generation-stamped cache of values by string key (see the module docs).
pub struct Cache<V> {
    max_bytes: u64,
    generation: AtomicU64,
    /// Values with the generation they were computed at: an entry of an older
    /// generation is never served, whatever moka's lazy `invalidate_all` still holds.
    entries: moka::sync::Cache<String, (u64, V)>,
    /// Orders `put`'s generation check against `invalidate`'s bump and clear.
    writes: Mutex<()>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<V: Clone + Weigh + Send + Sync + 'static> Cache<V> {
    /// A cache holding at most `max_bytes` (0: caching off).
    pub fn new(max_bytes: u64) -> Cache<V> {
        let entries = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|k: &String, v: &(u64, V)| {
                u32::try_from(k.len() + v.1.weigh() + 64).unwrap_or(u32::MAX)
            })
            .build();
        Cache {
            max_bytes,
            generation: AtomicU64::new(0),
            entries,
            writes: Mutex::new(()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.writes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The generation to pass to [`ResultsCache::put`] for a search starting now.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The cached answer for `key`, if any.
    pub fn get(&self, key: &str) -> Option<V> {
        if self.max_bytes == 0 {
            return None;
        }
        let generation = self.generation();
        let found = self
            .entries
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| v);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores an answer computed on the index as it was at `generation`; dropped when
    /// the index has been reloaded since.
    pub fn put(&self, key: String, generation: u64, results: &V) {
        if self.max_bytes == 0 {
            return;
        }
        let _w = self.lock();
        // Checked under the lock: `invalidate` bumps the generation under it too.
        if generation != self.generation() {
            return;
        }
        self.entries.insert(key, (generation, results.clone()));
    }

    /// Forgets everything: the index reader has reloaded.
    pub fn invalidate(&self) {
        let _w = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate_all();
    }

    pub fn stats(&self) -> CacheStats {
        // Evictions are applied lazily; apply them so the figures are what is held.
        self.entries.run_pending_tasks();
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: usize::try_from(self.entries.entry_count()).unwrap_or(usize::MAX),
            generation: self.generation(),
            weighted_bytes: self.entries.weighted_size(),
            max_bytes: self.max_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tome_model::filter::WorkFilter;

    fn req(pairs: &[(&str, &str)], member: bool) -> SearchRequest {
        SearchRequest {
            filter: WorkFilter::from_pairs(pairs),
            member,
            per_page: 20,
            facets: true,
            now: 1_000_000,
        }
    }

    fn results(total: u64) -> SearchResults {
        SearchResults {
            total,
            ids: vec![1, 2, 3],
            ..Default::default()
        }
    }

    #[test]
    fn keys_separate_audiences_and_filters() {
        let a = req(&[("work_search[query]", "sea")], false);
        let b = req(&[("work_search[query]", "sea")], true);
        let c = req(&[("work_search[query]", "sea"), ("page", "2")], false);
        assert_ne!(key(&a), key(&b));
        assert_ne!(key(&a), key(&c));
        assert_eq!(key(&a), key(&req(&[("work_search[query]", "sea")], false)));
        // Relative dates move with the clock; other filters do not.
        let mut later = a.clone();
        later.now += 3_600;
        assert_eq!(key(&a), key(&later));
        let d = req(&[("work_search[revised_at]", "< 2 weeks")], false);
        let mut d_later = d.clone();
        d_later.now += 3_600;
        assert_ne!(key(&d), key(&d_later));
    }

    #[test]
    fn reload_invalidates_and_stale_answers_are_dropped() {
        let c = ResultsCache::new(1 << 20);
        let g = c.generation();
        c.put("a".into(), g, &results(5));
        assert_eq!(c.get("a").map(|r| r.total), Some(5));
        c.invalidate();
        assert!(c.get("a").is_none());
        // Computed before the reload, stored after: not kept.
        c.put("b".into(), g, &results(6));
        assert!(c.get("b").is_none());
        c.put("b".into(), c.generation(), &results(7));
        assert_eq!(c.get("b").map(|r| r.total), Some(7));
        let s = c.stats();
        assert_eq!((s.hits, s.misses, s.entries), (2, 2, 1));
    }

    fn big(total: u64, bytes: usize) -> SearchResults {
        let mut r = results(total);
        r.snippets.insert(1, "x".repeat(bytes));
        r
    }

    #[test]
    fn bounded_in_bytes_and_keeps_what_is_used() {
        let budget = 100_000;
        let c = ResultsCache::new(budget);
        let g = c.generation();
        c.put("keep".into(), g, &big(1, 1_000));
        for i in 0..500 {
            c.put(format!("k{i}"), g, &big(i, 5_000));
            // Used all along: never evicted.
            assert!(c.get("keep").is_some(), "after {i}");
        }
        let s = c.stats();
        assert!(s.weighted_bytes <= budget, "{s:?}");
        assert!(s.entries < 25, "{s:?}");
        assert_eq!(s.max_bytes, budget);
        // An answer larger than the whole budget is not kept at all.
        c.put("huge".into(), g, &big(0, 200_000));
        c.stats();
        assert!(c.get("huge").is_none());
        assert!(c.stats().weighted_bytes <= budget);
    }

    #[test]
    fn zero_capacity_is_off() {
        let c = ResultsCache::new(0);
        c.put("a".into(), c.generation(), &results(1));
        assert!(c.get("a").is_none());
    }
}
