//! Sorting: one `u64` key per sort column, so the top-k collector compares one number.
//!
//! Every order of the engine is "column, then work id, both in the chosen direction"
//! (the SQL `ORDER BY col, id`). Sorting by two fast fields reads the second one whenever
//! the first ties with the current threshold, and counters such as kudos or bookmarks
//! tie a lot. So each numeric column is indexed once more as a combined key:
//! the value in the high 32 bits, the work id in the low 32 bits ([`combined`]).
//! Comparing two combined keys is comparing (value, id), exactly.
//!
//! Titles and creators cannot fit in 64 bits. Their key is the first 8 bytes of the sort
//! string, big-endian ([`prefix_rank`]): if two strings differ within 8 bytes the keys
//! order them; if not, the keys tie and the collector goes on to the full string (a
//! string fast field) and then the id. The three-part order (prefix, string, id) is the
//! order (string, id), and the string column is only read for documents whose prefix ties
//! with the current k-th result.
//!
//! Limits: values saturate at 2^32 - 1 (four billion hits) and dates before 1970 count
//! as 1970; ids must stay below 2^32 for the tie-break to be exact.

use tantivy::collector::sort_key::{
    ComparatorEnum, SortBySimilarityScore, SortByStaticFastValue, SortByString,
};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Searcher};
use tome_model::filter::{Direction, SortColumn};

use crate::Result;
use crate::facets::FacetCollector;

/// `value` in the high 32 bits (saturating), `id` in the low 32 bits.
pub fn combined(value: u64, id: u64) -> u64 {
    (value.min(u64::from(u32::MAX)) << 32) | (id & u64::from(u32::MAX))
}

/// [`combined`] for unix seconds (before 1970 counts as 0).
pub fn combined_time(secs: i64, id: u64) -> u64 {
    combined(u64::try_from(secs).unwrap_or(0), id)
}

/// The first 8 bytes of `s`, big-endian, zero-padded: `a < b` implies
/// `prefix_rank(a) <= prefix_rank(b)`, and unequal ranks order the strings.
pub fn prefix_rank(s: &str) -> u64 {
    let mut b = [0u8; 8];
    for (d, s) in b.iter_mut().zip(s.as_bytes()) {
        *d = *s;
    }
    u64::from_be_bytes(b)
}

/// The fast fields a column sorts by: the combined (or prefix) key, and for strings the
/// full sort string that breaks prefix ties.
pub fn key_fields(col: SortColumn) -> Option<(&'static str, Option<&'static str>)> {
    Some(match col {
        SortColumn::BestMatch => return None,
        SortColumn::Updated => ("by_updated", None),
        SortColumn::Posted => ("by_published", None),
        SortColumn::Kudos => ("by_kudos", None),
        SortColumn::Hits => ("by_hits", None),
        SortColumn::Bookmarks => ("by_bookmarks", None),
        SortColumn::Comments => ("by_comments", None),
        SortColumn::WordCount => ("by_words", None),
        SortColumn::Title => ("by_title", Some("title_sort")),
        SortColumn::Creator => ("by_creator", Some("creator_sort")),
    })
}

/// Total matches, this page's documents in order, and facet counts when asked.
pub type Sorted = (usize, Vec<DocAddress>, Option<crate::facets::TagCounts>);

/// Runs the query with the count, the sorted top docs and maybe facets in one pass.
pub fn sorted(
    searcher: &Searcher,
    q: &dyn Query,
    (limit, offset): (usize, usize),
    col: SortColumn,
    dir: Direction,
    facets: Option<FacetCollector>,
) -> Result<Sorted> {
    let order = match dir {
        Direction::Asc => Order::Asc,
        Direction::Desc => Order::Desc,
    };
    let cmp = ComparatorEnum::from(order);
    let top = || TopDocs::with_limit(limit).and_offset(offset);
    let key = |field: &str| (SortByStaticFastValue::<u64>::for_field(field), cmp);
    match key_fields(col) {
        None => run(
            searcher,
            q,
            top().order_by((
                (SortBySimilarityScore, ComparatorEnum::from(Order::Desc)),
                (
                    SortByStaticFastValue::<u64>::for_field("id"),
                    ComparatorEnum::from(Order::Desc),
                ),
            )),
            facets,
        ),
        Some((k, None)) => run(searcher, q, top().order_by(key(k)), facets),
        Some((k, Some(s))) => run(
            searcher,
            q,
            top().order_by((key(k), (SortByString::for_field(s), cmp), key("id"))),
            facets,
        ),
    }
}

fn run<K, C>(
    searcher: &Searcher,
    q: &dyn Query,
    top: C,
    facets: Option<FacetCollector>,
) -> Result<Sorted>
where
    C: Collector<Fruit = Vec<(K, DocAddress)>>,
{
    match facets {
        Some(fc) => {
            let (n, (docs, counts)) = searcher.search(q, &(Count, (top, fc)))?;
            Ok((n, docs.into_iter().map(|(_, d)| d).collect(), Some(counts)))
        }
        None => {
            let (n, docs) = searcher.search(q, &(Count, top))?;
            Ok((n, docs.into_iter().map(|(_, d)| d).collect(), None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_keys_order_by_value_then_id() {
        assert!(combined(5, 9) < combined(6, 1));
        assert!(combined(5, 1) < combined(5, 2));
        assert_eq!(combined(u64::MAX, 3) >> 32, u64::from(u32::MAX));
        assert_eq!(combined_time(-5, 7), combined(0, 7));
    }

    #[test]
    fn prefix_ranks_agree_with_string_order() {
        let mut words = vec![
            "falcon 1",
            "falcon 10",
            "falcon",
            "falco",
            "",
            "zephyr",
            "a",
            "ab",
            "ab ",
            "été",
            "falcon 100 and more",
        ];
        words.sort_unstable();
        for w in words.windows(2) {
            assert!(prefix_rank(w[0]) <= prefix_rank(w[1]), "{w:?}");
            if prefix_rank(w[0]) == prefix_rank(w[1]) {
                assert_eq!(&w[0].as_bytes()[..8], &w[1].as_bytes()[..8]);
            }
        }
    }
}
