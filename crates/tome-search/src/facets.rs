//! Facets: the top tags of each kind among a search's results, with counts.
//!
//! Tag ids are unique across kinds and dense, so one `Vec<u32>` indexed by tag id counts
//! every kind at once (no hashing per value); kinds are split when the counts are read.
//! The dense counters are kept between searches and only the touched ids are read,
//! summed and reset, so a search costs what its results carry, not the tag space.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};
use tome_model::TagKind;
use tome_store::TagGraph;

/// One tag of a facet with the number of results carrying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub id: i64,
    pub name: String,
    pub count: u64,
}

/// Top tags per kind, in [`TagKind::ALL`] order; kinds with no tag are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub kinds: Vec<(TagKind, Vec<FacetCount>)>,
}

/// Counts the `facets` field's values of matching documents.
pub struct FacetCollector {
    pub field: String,
    /// One more than the largest tag id.
    pub bound: usize,
}

/// The tags a search's results carry, each once, with how many results carry it (in the
/// order first met; [`top`] sorts).
pub type TagCounts = Vec<(u32, u32)>;

/// Dense counters as large as the tag space, kept between searches. Allocating and
/// zeroing one per segment per search (2 MB at 500,000 tags, times the segments) and
/// summing them whole cost more than the counting at 1,000,000 works; a counter comes
/// back zeroed at the entries it touched, so taking one costs nothing.
static COUNTERS: std::sync::Mutex<Vec<Vec<u32>>> = std::sync::Mutex::new(Vec::new());
/// Counters kept at most (two per core is what concurrent searches use).
const COUNTERS_KEPT: usize = 8;

/// A dense counter over ids below `bound` that remembers which ids it touched.
struct Counter {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Counter {
    fn take(bound: usize) -> Counter {
        let pooled = COUNTERS.lock().ok().and_then(|mut p| p.pop());
        let mut counts = pooled.unwrap_or_default();
        // Every kept counter is all zeros; growing adds zeros, shrinking keeps them.
        counts.resize(bound, 0);
        Counter {
            counts,
            touched: Vec::new(),
        }
    }

    fn add(&mut self, id: u32, n: u32) {
        if let Some(c) = usize::try_from(id)
            .ok()
            .and_then(|i| self.counts.get_mut(i))
        {
            if *c == 0 {
                self.touched.push(id);
            }
            *c += n;
        }
    }

    /// The counts of the touched ids; the counter goes back to the pool zeroed.
    fn finish(mut self) -> TagCounts {
        let out = self
            .touched
            .iter()
            .map(|&id| {
                let c = &mut self.counts[id as usize];
                let n = *c;
                *c = 0;
                (id, n)
            })
            .collect();
        if let Ok(mut p) = COUNTERS.lock()
            && p.len() < COUNTERS_KEPT
        {
            p.push(std::mem::take(&mut self.counts));
        }
        out
    }
}

pub struct FacetSegment {
    column: Column<u64>,
    counter: Counter,
}

impl Collector for FacetCollector {
    type Fruit = TagCounts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        Ok(FacetSegment {
            column: segment.fast_fields().u64(&self.field)?,
            counter: Counter::take(self.bound),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TagCounts>) -> tantivy::Result<TagCounts> {
        if fruits.len() <= 1 {
            return Ok(fruits.into_iter().next().unwrap_or_default());
        }
        let mut total = Counter::take(self.bound);
        for (id, n) in fruits.into_iter().flatten() {
            total.add(id, n);
        }
        Ok(total.finish())
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = TagCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for v in self.column.values_for_doc(doc) {
            if let Ok(id) = u32::try_from(v) {
                self.counter.add(id, 1);
            }
        }
    }

    fn harvest(self) -> TagCounts {
        self.counter.finish()
    }
}

/// Every tag's kind by id, dense: what [`top`] splits counts by. Built once per tag
/// graph (a hash lookup per counted tag cost a fifth of a broad search's time).
#[derive(Debug, Clone, Default)]
pub struct Kinds {
    /// Index into [`TagKind::ALL`], or `NONE` for ids that are not tags.
    kinds: Vec<u8>,
}

const NONE: u8 = u8::MAX;

impl Kinds {
    pub fn of(graph: &TagGraph) -> Kinds {
        let bound = graph.id_bound();
        let kinds = (0..bound)
            .map(|id| {
                graph
                    .kind(id as i64)
                    .and_then(|k| TagKind::ALL.iter().position(|a| *a == k))
                    .and_then(|i| u8::try_from(i).ok())
                    .unwrap_or(NONE)
            })
            .collect();
        Kinds { kinds }
    }

    /// One more than the largest tag id.
    pub fn bound(&self) -> usize {
        self.kinds.len()
    }

    /// The kind's index in [`TagKind::ALL`].
    fn slot(&self, id: usize) -> Option<usize> {
        match self.kinds.get(id) {
            Some(&k) if k != NONE => Some(usize::from(k)),
            _ => None,
        }
    }
}

/// The `top` most frequent tags of each kind (ties by id). Names are looked up for the
/// winners only: a broad search touches tens of thousands of tags.
pub fn top(counts: &[(u32, u32)], kinds: &Kinds, graph: &TagGraph, top: usize) -> Facets {
    let mut per: Vec<(TagKind, Vec<(u32, i64)>)> =
        TagKind::ALL.iter().map(|k| (*k, Vec::new())).collect();
    for &(id, c) in counts {
        if c == 0 {
            continue;
        }
        let Some(slot) = kinds.slot(id as usize) else {
            continue;
        };
        if let Some((_, list)) = per.get_mut(slot) {
            list.push((c, i64::from(id)));
        }
    }
    let order = |a: &(u32, i64), b: &(u32, i64)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    let kinds = per
        .into_iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(kind, mut list)| {
            if list.len() > top && top > 0 {
                list.select_nth_unstable_by(top - 1, order);
            }
            list.truncate(top);
            list.sort_unstable_by(order);
            let list = list
                .into_iter()
                .map(|(count, id)| FacetCount {
                    id,
                    name: graph.name(id).unwrap_or_default().to_string(),
                    count: u64::from(count),
                })
                .collect();
            (kind, list)
        })
        .collect();
    Facets { kinds }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut c: TagCounts) -> TagCounts {
        c.sort_unstable();
        c
    }

    #[test]
    fn a_counter_counts_what_it_touched_and_goes_back_zeroed() {
        for round in 0..3 {
            let mut c = Counter::take(10);
            assert!(
                c.counts.iter().all(|&n| n == 0),
                "round {round}: a dirty counter"
            );
            for id in [3, 7, 3, 9, 3, 42] {
                c.add(id, 1);
            }
            // 42 is outside the tag space: left out.
            assert_eq!(sorted(c.finish()), vec![(3, 3), (7, 1), (9, 1)]);
        }
        // A larger and a smaller tag space reuse the kept counters, still zeroed.
        for bound in [1000, 4] {
            let mut c = Counter::take(bound);
            assert_eq!(c.counts.len(), bound);
            assert!(c.counts.iter().all(|&n| n == 0));
            c.add(2, 5);
            assert_eq!(c.finish(), vec![(2, 5)]);
        }
    }

    #[test]
    fn merged_segments_sum_per_tag() {
        let fc = FacetCollector {
            field: "facets".into(),
            bound: 16,
        };
        let merged = fc
            .merge_fruits(vec![vec![(1, 2), (5, 1)], vec![(5, 3), (8, 1)], vec![]])
            .expect("merge");
        assert_eq!(sorted(merged), vec![(1, 2), (5, 4), (8, 1)]);
        assert_eq!(fc.merge_fruits(vec![]).expect("none"), Vec::new());
    }
}
