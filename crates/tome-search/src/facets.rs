//! Facets: the top tags of each kind among a search's results, with counts.
//!
//! Tag ids are unique across kinds and dense, so one `Vec<u32>` indexed by tag id counts
//! every kind at once (no hashing per value); kinds are split when the counts are read.

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

pub struct FacetSegment {
    column: Column<u64>,
    counts: Vec<u32>,
}

impl Collector for FacetCollector {
    type Fruit = Vec<u32>;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        Ok(FacetSegment {
            column: segment.fast_fields().u64(&self.field)?,
            counts: vec![0; self.bound],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u32>>) -> tantivy::Result<Vec<u32>> {
        let mut fruits = fruits.into_iter();
        let mut total = fruits.next().unwrap_or_else(|| vec![0u32; self.bound]);
        for f in fruits {
            for (t, c) in total.iter_mut().zip(f) {
                *t += c;
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Vec<u32>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for v in self.column.values_for_doc(doc) {
            if let Some(c) = usize::try_from(v).ok().and_then(|i| self.counts.get_mut(i)) {
                *c += 1;
            }
        }
    }

    fn harvest(self) -> Vec<u32> {
        self.counts
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

/// The `top` most frequent tags of each kind (ties by id), from dense counts. Names are
/// looked up for the winners only: a broad search touches tens of thousands of tags.
pub fn top(counts: &[u32], kinds: &Kinds, graph: &TagGraph, top: usize) -> Facets {
    let mut per: Vec<(TagKind, Vec<(u32, i64)>)> =
        TagKind::ALL.iter().map(|k| (*k, Vec::new())).collect();
    for (id, c) in counts.iter().enumerate() {
        if *c == 0 {
            continue;
        }
        let Some(slot) = kinds.slot(id) else { continue };
        if let Some((_, list)) = per.get_mut(slot) {
            list.push((*c, id as i64));
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
