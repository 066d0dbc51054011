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
//! - Bound: at most `capacity` entries, in two generations ("hot" and "cold"): a hit in
//!   the cold half moves to the hot half; when the hot half is full the cold half is
//!   dropped and the hot half becomes the cold one. Entries not used within about
//!   `capacity / 2` insertions go (an approximation of least-recently-used in O(1)).

use std::collections::HashMap;
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

/// Hit and miss counts since the start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    pub generation: u64,
}

struct Halves<V> {
    hot: HashMap<String, V>,
    cold: HashMap<String, V>,
}

/// The results cache (see the module docs).
pub type ResultsCache = Cache<SearchResults>;

/// A bounded, generation-stamped cache of values by string key (see the module docs).
pub struct Cache<V> {
    capacity: usize,
    generation: AtomicU64,
    halves: Mutex<Halves<V>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<V: Clone> Cache<V> {
    /// A cache of at most `capacity` entries (0: caching off).
    pub fn new(capacity: usize) -> Cache<V> {
        Cache {
            capacity,
            generation: AtomicU64::new(0),
            halves: Mutex::new(Halves {
                hot: HashMap::new(),
                cold: HashMap::new(),
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Halves<V>> {
        self.halves.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The generation to pass to [`ResultsCache::put`] for a search starting now.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The cached answer for `key`, if any.
    pub fn get(&self, key: &str) -> Option<V> {
        if self.capacity == 0 {
            return None;
        }
        let mut h = self.lock();
        let found = if let Some(r) = h.hot.get(key) {
            Some(r.clone())
        } else if let Some((k, r)) = h.cold.remove_entry(key) {
            let out = r.clone();
            self.insert_hot(&mut h, k, r);
            Some(out)
        } else {
            None
        };
        drop(h);
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
        if self.capacity == 0 {
            return;
        }
        let mut h = self.lock();
        // Checked under the lock: `invalidate` bumps the generation under it too.
        if generation != self.generation() {
            return;
        }
        h.cold.remove(&key);
        self.insert_hot(&mut h, key, results.clone());
    }

    fn insert_hot(&self, h: &mut Halves<V>, key: String, r: V) {
        let half = self.capacity.div_ceil(2);
        if h.hot.len() >= half && !h.hot.contains_key(&key) {
            h.cold = std::mem::take(&mut h.hot);
        }
        h.hot.insert(key, r);
    }

    /// Forgets everything: the index reader has reloaded.
    pub fn invalidate(&self) {
        let mut h = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        h.hot.clear();
        h.cold.clear();
    }

    pub fn stats(&self) -> CacheStats {
        let h = self.lock();
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: h.hot.len() + h.cold.len(),
            generation: self.generation(),
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
        let c = ResultsCache::new(10);
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

    #[test]
    fn bounded_and_keeps_what_is_used() {
        let c = ResultsCache::new(4);
        let g = c.generation();
        c.put("keep".into(), g, &results(1));
        for i in 0..20 {
            c.put(format!("k{i}"), g, &results(i));
            // Used all along: never evicted.
            assert!(c.get("keep").is_some(), "after {i}");
            assert!(c.stats().entries <= 4);
        }
        assert!(c.get("k0").is_none());
        assert!(c.get("k19").is_some());
    }

    #[test]
    fn zero_capacity_is_off() {
        let c = ResultsCache::new(0);
        c.put("a".into(), c.generation(), &results(1));
        assert!(c.get("a").is_none());
    }
}
