//! Tag autocomplete: an in-memory index over the archive's tag names.
//!
//! [`TagIndex::build`] takes every tag name the store offers ([`TagNameRow`]: canonical
//! tags, synonyms and unwrangled tags with their uses on listed works) and
//! [`TagIndex::search`] answers a typed term with the best `limit` tags:
//!
//! - **What is offered**: canonical tags, synonyms, and unwrangled tags used on at least
//!   one work listed for the audience the index is built for ([`TagIndex::build_for`]).
//!   An unwrangled tag used only on drafts or hidden works is left out, and one used only
//!   on restricted works is left out of the guests' index, so autocomplete never reveals
//!   what a work someone may not see is tagged with; uses and ranks are the audience's.
//! - **Matching**: names and terms are *folded* ([`fold`]: lower case, accents dropped,
//!   `ß` → `ss` and a few such letters). The term is split into words at spaces and `/`;
//!   each word must be the start of a word of the name (a word starts at a letter or digit
//!   that follows anything else), so `sum` finds "Buffy Summers" and `buf sp` finds
//!   "Buffy Summers/Spike". Punctuation inside a word counts: `100%` finds "100% Fluff" but
//!   not "100 Words".
//! - **Synonyms**: a name that matches only through a synonym answers with its canonical
//!   tag, once, and [`Hit::synonym`] says which synonym matched (a page can show
//!   "Spuffy → Buffy Summers/Spike"); the canonical tag itself matching clears it.
//! - **Ranking**: by uses (listed works tagged with the tag or one of its synonyms), then
//!   name. Optionally one kind only.
//!
//! The structure, per kind: a suffix array of the folded names cut at every word start,
//! sorted, so the names matching a word prefix are one contiguous range found by binary
//! search. Each suffix carries the rank of the tag it answers with (0 = most used), and a
//! range-minimum table over those ranks (a sparse table over blocks of [`BLOCK`]
//! suffixes, scanned inside a block) hands out the range's best suffixes one by one
//! without reading the whole range: a query costs a binary search plus
//! O(limit · log) work whatever the prefix, even `a` over millions of names. Kinds are
//! merged by rank, so a query without a kind filter costs about the same. With several
//! words, the word starting the fewest names finds the range and every candidate is
//! checked for all the words, at most [`MAX_CANDIDATES`] of them: exact when that word
//! starts fewer names than that, else the best answers among its most used names.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use tome_model::TagKind;
use tome_model::visibility::Audience;
use tome_store::TagNameRow;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Answers per query when the caller does not say.
pub const DEFAULT_LIMIT: usize = 15;
/// Suffixes per block of the range-minimum table.
const BLOCK: usize = 32;
/// Candidates looked at for one term before giving up: only a several-word term whose
/// rarest word starts more than this many names can reach it.
pub const MAX_CANDIDATES: usize = 4_096;

/// One answer: the tag to use (the canonical tag when a synonym matched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: i64,
    pub name: String,
    pub kind: TagKind,
    /// Listed works tagged with it or one of its synonyms.
    pub uses: u64,
    /// The synonym that matched, when the tag's own name did not.
    pub synonym: Option<String>,
}

/// The index. Immutable once built: rebuild and swap to change it.
#[derive(Debug, Default)]
pub struct TagIndex {
    /// Folded names, each followed by a NUL byte.
    keys: Vec<u8>,
    /// Start of each entry's folded name in `keys`, plus the end.
    key_off: Vec<u32>,
    /// Display names, back to back.
    names: String,
    name_off: Vec<u32>,
    ids: Vec<i64>,
    kinds: Vec<TagKind>,
    /// The entry each entry answers with: its canonical tag for a synonym, else itself.
    target: Vec<u32>,
    /// Uses of an entry answering for itself (its own plus its synonyms').
    uses: Vec<u64>,
    /// Entries by rank (best first); only entries answering for themselves.
    by_rank: Vec<u32>,
    /// One suffix array per kind, in `TagKind::ALL` order.
    parts: Vec<Part>,
    /// Largest tag id indexed (rows above it are newer than the index).
    max_id: i64,
}

/// A kind's sorted suffixes and the range-minimum table over their ranks.
#[derive(Debug, Default)]
struct Part {
    /// Start of each suffix in `keys`.
    pos: Vec<u32>,
    /// The rank of the entry each suffix answers with.
    rank: Vec<u32>,
    /// `levels[k][b]`: the suffix with the least rank among blocks `b .. b + 2^k`.
    levels: Vec<Vec<u32>>,
}

/// Folds a name or a term for matching: lower case, compatibility-decomposed, combining
/// marks dropped, a few letters without a decomposition spelled out (`ß` → `ss`,
/// `ø` → `o`, `æ` → `ae`, …), control characters as spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Byte offsets of the word starts of a folded name.
fn word_starts(key: &str) -> impl Iterator<Item = usize> + '_ {
    let mut prev_word = false;
    key.char_indices().filter_map(move |(i, c)| {
        let word = c.is_alphanumeric();
        let start = word && !prev_word;
        prev_word = word;
        start.then_some(i)
    })
}

/// The words of a typed term, folded: split at white space and `/`, leading punctuation
/// dropped, empty ones left out.
fn term_words(term: &str) -> Vec<String> {
    fold(term)
        .split(|c: char| c.is_whitespace() || c == '/')
        .map(|w| w.trim_start_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn kind_slot(kind: TagKind) -> usize {
    TagKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl TagIndex {
    /// Builds the members' index from the store's rows (any order).
    pub fn build(rows: &[TagNameRow]) -> TagIndex {
        TagIndex::build_for(rows, Audience::Member)
    }

    /// Builds the index an audience is answered from: uses counted on the works listed
    /// for it ([`TagNameRow::uses_for`]).
    pub fn build_for(rows: &[TagNameRow], audience: Audience) -> TagIndex {
        let mut ix = TagIndex::default();
        let offered: Vec<&TagNameRow> = rows
            .iter()
            .filter(|r| r.canonical || r.merger_id.is_some() || r.uses_for(audience) > 0)
            .collect();
        let n = offered.len();
        ix.key_off.reserve(n + 1);
        ix.name_off.reserve(n + 1);
        ix.ids.reserve(n);
        ix.kinds.reserve(n);
        let mut by_id: HashMap<i64, u32> = HashMap::with_capacity(n);
        for (i, r) in offered.iter().enumerate() {
            ix.key_off.push(ix.keys.len() as u32);
            ix.keys.extend_from_slice(fold(&r.name).as_bytes());
            ix.keys.push(0);
            ix.name_off.push(ix.names.len() as u32);
            ix.names.push_str(&r.name);
            ix.ids.push(r.id);
            ix.kinds.push(r.kind);
            by_id.insert(r.id, i as u32);
            ix.max_id = ix.max_id.max(r.id);
        }
        ix.key_off.push(ix.keys.len() as u32);
        ix.name_off.push(ix.names.len() as u32);

        // A synonym answers with its canonical tag when that is here and not itself a
        // synonym; otherwise it stands for itself.
        ix.target = (0..n as u32).collect();
        for (i, r) in offered.iter().enumerate() {
            if let Some(&t) = r.merger_id.and_then(|m| by_id.get(&m))
                && offered[t as usize].merger_id.is_none()
            {
                ix.target[i] = t;
            }
        }
        ix.uses = vec![0; n];
        for (i, r) in offered.iter().enumerate() {
            ix.uses[ix.target[i] as usize] += r.uses_for(audience);
        }

        let mut by_rank: Vec<u32> = (0..n as u32)
            .filter(|&i| ix.target[i as usize] == i)
            .collect();
        by_rank.sort_unstable_by(|&a, &b| {
            ix.uses[b as usize]
                .cmp(&ix.uses[a as usize])
                .then_with(|| ix.key(a).cmp(ix.key(b)))
                .then_with(|| ix.name(a).cmp(ix.name(b)))
                .then_with(|| ix.ids[a as usize].cmp(&ix.ids[b as usize]))
        });
        let mut rank_of = vec![0u32; n];
        for (r, &e) in by_rank.iter().enumerate() {
            rank_of[e as usize] = r as u32;
        }
        ix.by_rank = by_rank;

        let mut parts: Vec<Vec<(u32, u32)>> = vec![Vec::new(); TagKind::ALL.len()];
        for i in 0..n {
            let start = ix.key_off[i];
            let rank = rank_of[ix.target[i] as usize];
            let part = &mut parts[kind_slot(ix.kinds[i])];
            for w in word_starts(ix.key(i as u32)) {
                part.push((start + w as u32, rank));
            }
        }
        let keys = &ix.keys;
        ix.parts = parts
            .into_iter()
            .map(|mut sfx| {
                sfx.sort_unstable_by(|a, b| suffix_cmp(keys, a.0, b.0));
                Part::new(sfx)
            })
            .collect();
        ix.keys.shrink_to_fit();
        ix.names.shrink_to_fit();
        ix
    }

    /// Number of names indexed (tags and synonyms).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Number of word-start suffixes indexed.
    pub fn suffixes(&self) -> usize {
        self.parts.iter().map(|p| p.pos.len()).sum()
    }

    /// Largest tag id indexed (0 when empty).
    pub fn max_id(&self) -> i64 {
        self.max_id
    }

    /// Heap memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.keys.capacity()
            + self.key_off.capacity() * 4
            + self.names.capacity()
            + self.name_off.capacity() * 4
            + self.ids.capacity() * 8
            + self.kinds.capacity() * size_of::<TagKind>()
            + self.target.capacity() * 4
            + self.uses.capacity() * 8
            + self.by_rank.capacity() * 4
            + self
                .parts
                .iter()
                .map(|p| {
                    p.pos.capacity() * 4
                        + p.rank.capacity() * 4
                        + p.levels.iter().map(|l| l.capacity() * 4).sum::<usize>()
                })
                .sum::<usize>()
    }

    fn key(&self, e: u32) -> &str {
        let (a, b) = (
            self.key_off[e as usize] as usize,
            self.key_off[e as usize + 1] as usize - 1,
        );
        // Keys are built from whole `String`s, so the bytes are UTF-8.
        std::str::from_utf8(&self.keys[a..b]).unwrap_or("")
    }

    fn name(&self, e: u32) -> &str {
        &self.names[self.name_off[e as usize] as usize..self.name_off[e as usize + 1] as usize]
    }

    /// The entry whose key holds byte `pos`.
    fn entry_at(&self, pos: u32) -> u32 {
        (self.key_off.partition_point(|&o| o <= pos) - 1) as u32
    }

    /// Whether every word is the start of a word of entry `e`'s name.
    fn matches_all(&self, e: u32, words: &[String]) -> bool {
        let key = self.key(e);
        words
            .iter()
            .all(|w| word_starts(key).any(|s| key[s..].starts_with(w.as_str())))
    }

    /// The best `limit` tags for a typed term, of one kind or any.
    pub fn search(&self, term: &str, kind: Option<TagKind>, limit: usize) -> Vec<Hit> {
        let words = term_words(term);
        if words.is_empty() || limit == 0 || self.is_empty() {
            return Vec::new();
        }
        let slots: Vec<usize> = match kind {
            Some(k) => vec![kind_slot(k)],
            None => (0..self.parts.len()).collect(),
        };
        // Per kind, the suffixes starting with the word that has the fewest, best first;
        // ranks are global, so merging the kinds by rank keeps the order.
        let mut streams: Vec<_> = slots
            .iter()
            .map(|&s| {
                let part = &self.parts[s];
                let (lo, hi) = words
                    .iter()
                    .map(|w| part.range(&self.keys, w.as_bytes()))
                    .min_by_key(|(lo, hi)| hi - lo)
                    .unwrap_or((0, 0));
                part.best(lo, hi).peekable()
            })
            .collect();
        // (rank, matched entry) per answering entry, best first.
        let mut found: Vec<(u32, u32)> = Vec::new();
        let mut seen: HashSet<u32> = HashSet::new();
        let mut checked = 0usize;
        while found.len() < limit && checked < MAX_CANDIDATES {
            let next = (0..streams.len())
                .filter_map(|i| streams[i].peek().map(|&(rank, _)| (rank, i)))
                .min();
            let Some((rank, pos)) = next.and_then(|(_, i)| streams[i].next()) else {
                break;
            };
            checked += 1;
            let target = self.by_rank[rank as usize];
            if seen.contains(&target) {
                continue;
            }
            let e = self.entry_at(pos);
            if words.len() > 1 && !self.matches_all(e, &words) {
                continue;
            }
            seen.insert(target);
            found.push((rank, e));
        }
        let own = &words;
        found
            .into_iter()
            .map(|(rank, e)| {
                let t = self.by_rank[rank as usize];
                let synonym =
                    (e != t && !self.matches_all(t, own)).then(|| self.name(e).to_owned());
                Hit {
                    id: self.ids[t as usize],
                    name: self.name(t).to_owned(),
                    kind: self.kinds[t as usize],
                    uses: self.uses[t as usize],
                    synonym,
                }
            })
            .collect()
    }
}

/// Orders two NUL-terminated suffixes of `keys`.
fn suffix_cmp(keys: &[u8], a: u32, b: u32) -> Ordering {
    let (a, b) = (&keys[a as usize..], &keys[b as usize..]);
    for (x, y) in a.iter().zip(b) {
        match x.cmp(y) {
            Ordering::Equal if *x == 0 => return Ordering::Equal,
            Ordering::Equal => {}
            o => return o,
        }
    }
    a.len().cmp(&b.len())
}

impl Part {
    fn new(sfx: Vec<(u32, u32)>) -> Part {
        let (pos, rank): (Vec<u32>, Vec<u32>) = sfx.into_iter().unzip();
        let blocks = rank.len().div_ceil(BLOCK);
        let mut levels: Vec<Vec<u32>> = Vec::new();
        let first: Vec<u32> = (0..blocks)
            .map(|b| {
                let (lo, hi) = (b * BLOCK, ((b + 1) * BLOCK).min(rank.len()));
                scan_min(&rank, lo, hi) as u32
            })
            .collect();
        levels.push(first);
        let mut width = 1;
        while width * 2 <= blocks {
            let prev = &levels[levels.len() - 1];
            let next: Vec<u32> = (0..=blocks - width * 2)
                .map(|b| better(&rank, prev[b], prev[b + width]))
                .collect();
            levels.push(next);
            width *= 2;
        }
        Part { pos, rank, levels }
    }

    /// The suffixes starting with `prefix`: `lo..hi`.
    fn range(&self, keys: &[u8], prefix: &[u8]) -> (usize, usize) {
        let head = |p: u32| {
            let s = &keys[p as usize..];
            &s[..prefix.len().min(s.len())]
        };
        let lo = self.pos.partition_point(|&p| head(p) < prefix);
        let hi = lo + self.pos[lo..].partition_point(|&p| head(p) == prefix);
        (lo, hi)
    }

    /// The suffix with the least rank in `lo..hi` (not empty).
    fn argmin(&self, lo: usize, hi: usize) -> usize {
        let (bl, bh) = (lo / BLOCK, (hi - 1) / BLOCK);
        if bh - bl <= 1 {
            return scan_min(&self.rank, lo, hi);
        }
        let mut best = scan_min(&self.rank, lo, (bl + 1) * BLOCK);
        best = better(
            &self.rank,
            best as u32,
            scan_min(&self.rank, bh * BLOCK, hi) as u32,
        ) as usize;
        let count = bh - bl - 1;
        let k = count.ilog2() as usize;
        let level = &self.levels[k];
        best = better(&self.rank, best as u32, level[bl + 1]) as usize;
        better(&self.rank, best as u32, level[bh - (1 << k)]) as usize
    }

    /// `(rank, suffix start)` of the suffixes in `lo..hi`, best rank first.
    fn best(&self, lo: usize, hi: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut heap: BinaryHeap<Span> = BinaryHeap::new();
        if lo < hi {
            heap.push(self.span(lo, hi));
        }
        std::iter::from_fn(move || {
            let s = heap.pop()?;
            if s.lo < s.at {
                heap.push(self.span(s.lo, s.at));
            }
            if s.at + 1 < s.hi {
                heap.push(self.span(s.at + 1, s.hi));
            }
            Some((self.rank[s.at], self.pos[s.at]))
        })
    }

    fn span(&self, lo: usize, hi: usize) -> Span {
        let at = self.argmin(lo, hi);
        Span {
            rank: self.rank[at],
            at,
            lo,
            hi,
        }
    }
}

/// A range of suffixes and where its best one is; the heap pops the least rank first.
#[derive(PartialEq, Eq)]
struct Span {
    rank: u32,
    at: usize,
    lo: usize,
    hi: usize,
}

impl Ord for Span {
    fn cmp(&self, other: &Span) -> Ordering {
        other
            .rank
            .cmp(&self.rank)
            .then_with(|| other.at.cmp(&self.at))
    }
}

impl PartialOrd for Span {
    fn partial_cmp(&self, other: &Span) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn scan_min(rank: &[u32], lo: usize, hi: usize) -> usize {
    let mut best = lo;
    for i in lo + 1..hi {
        if rank[i] < rank[best] {
            best = i;
        }
    }
    best
}

fn better(rank: &[u32], a: u32, b: u32) -> u32 {
    if rank[b as usize] < rank[a as usize] {
        b
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        id: i64,
        kind: TagKind,
        name: &str,
        canonical: bool,
        merger: Option<i64>,
        uses: u64,
    ) -> TagNameRow {
        TagNameRow {
            id,
            kind,
            name: name.into(),
            canonical,
            merger_id: merger,
            uses,
            guest_uses: uses,
        }
    }

    fn names(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.name.as_str()).collect()
    }

    fn sample() -> TagIndex {
        use TagKind::*;
        TagIndex::build(&[
            row(1, Character, "Buffy Summers", true, None, 50),
            row(
                2,
                Character,
                "Spike (Buffy the Vampire Slayer)",
                true,
                None,
                40,
            ),
            row(3, Relationship, "Buffy Summers/Spike", true, None, 30),
            row(4, Relationship, "Spuffy", false, Some(3), 5),
            row(5, Fandom, "Buffy the Vampire Slayer (TV)", true, None, 100),
            row(6, Freeform, "Fluff", true, None, 500),
            row(7, Freeform, "100% Fluff", false, None, 2),
            row(8, Freeform, "100 Words", false, None, 3),
            row(9, Freeform, "secret draft tag", false, None, 0),
            row(10, Character, "Zoë Washburne", true, None, 7),
            row(11, Fandom, "Pokémon", true, None, 0),
            row(12, Character, "Summer Roberts", false, None, 1),
        ])
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Zoë ÉCOLE Straße Ørsted"), "zoe ecole strasse orsted");
        assert_eq!(fold("ＡＢＣ"), "abc");
    }

    #[test]
    fn word_starts_split_at_anything_but_letters_and_digits() {
        let k = "buffy summers/spike (btvs)";
        let starts: Vec<&str> = word_starts(k).map(|i| &k[i..]).collect();
        assert_eq!(
            starts,
            [
                "buffy summers/spike (btvs)",
                "summers/spike (btvs)",
                "spike (btvs)",
                "btvs)"
            ]
        );
    }

    #[test]
    fn prefix_and_word_start_ranked_by_uses() {
        let ix = sample();
        assert_eq!(
            names(&ix.search("buf", None, 15)),
            [
                "Buffy the Vampire Slayer (TV)",
                "Buffy Summers",
                "Spike (Buffy the Vampire Slayer)",
                "Buffy Summers/Spike"
            ]
        );
        assert_eq!(
            names(&ix.search("sum", None, 15)),
            ["Buffy Summers", "Buffy Summers/Spike", "Summer Roberts"]
        );
        assert_eq!(
            names(&ix.search("buf", None, 2)),
            ["Buffy the Vampire Slayer (TV)", "Buffy Summers"]
        );
        assert!(ix.search("uffy", None, 15).is_empty(), "not inside a word");
    }

    #[test]
    fn several_words() {
        let ix = sample();
        assert_eq!(
            names(&ix.search("buf sp", None, 15)),
            ["Spike (Buffy the Vampire Slayer)", "Buffy Summers/Spike"]
        );
        assert_eq!(
            names(&ix.search("buf sp", Some(TagKind::Relationship), 15)),
            ["Buffy Summers/Spike"]
        );
        assert_eq!(
            names(&ix.search("summers/sp", Some(TagKind::Relationship), 15)),
            ["Buffy Summers/Spike"]
        );
        assert_eq!(
            names(&ix.search("vampire buffy", None, 15)),
            [
                "Buffy the Vampire Slayer (TV)",
                "Spike (Buffy the Vampire Slayer)"
            ]
        );
        assert!(ix.search("buffy xyz", None, 15).is_empty());
    }

    #[test]
    fn synonyms_answer_with_their_canonical_tag() {
        let ix = sample();
        let hits = ix.search("spuf", None, 15);
        assert_eq!(names(&hits), ["Buffy Summers/Spike"]);
        assert_eq!(hits[0].synonym.as_deref(), Some("Spuffy"));
        assert_eq!(
            hits[0].uses, 35,
            "the synonym's uses count for the canonical tag"
        );
        assert_eq!(hits[0].id, 3);
        // Matched by its own name as well: once, no synonym shown.
        let hits = ix.search("sp", Some(TagKind::Relationship), 15);
        assert_eq!(names(&hits), ["Buffy Summers/Spike"]);
        assert_eq!(hits[0].synonym, None);
    }

    #[test]
    fn kind_filter_case_accents_and_punctuation() {
        let ix = sample();
        assert_eq!(
            names(&ix.search("BUF", Some(TagKind::Fandom), 15)),
            ["Buffy the Vampire Slayer (TV)"]
        );
        assert_eq!(names(&ix.search("zoe", None, 15)), ["Zoë Washburne"]);
        assert_eq!(names(&ix.search("ZOË", None, 15)), ["Zoë Washburne"]);
        assert_eq!(
            names(&ix.search("pokemon", None, 15)),
            ["Pokémon"],
            "canonical, unused"
        );
        assert_eq!(names(&ix.search("100%", None, 15)), ["100% Fluff"]);
        assert_eq!(
            names(&ix.search("100", None, 15)),
            ["100 Words", "100% Fluff"]
        );
        assert_eq!(names(&ix.search("flu", None, 15)), ["Fluff", "100% Fluff"]);
        assert_eq!(
            names(&ix.search("(tv", None, 15)),
            ["Buffy the Vampire Slayer (TV)"]
        );
        assert!(ix.search("", None, 15).is_empty());
        assert!(ix.search(" / ", None, 15).is_empty());
        assert!(ix.search("%", None, 15).is_empty());
    }

    #[test]
    fn draft_only_tags_are_not_offered() {
        let ix = sample();
        assert!(ix.search("secret", None, 15).is_empty());
        assert_eq!(ix.len(), 11);
        assert_eq!(ix.max_id(), 12);
    }

    #[test]
    fn guests_are_not_offered_tags_used_only_on_restricted_works() {
        use TagKind::*;
        let restricted_only = TagNameRow {
            guest_uses: 0,
            ..row(1, Freeform, "Members Only Secret", false, None, 3)
        };
        let both = TagNameRow {
            guest_uses: 1,
            ..row(2, Freeform, "Members and guests", false, None, 9)
        };
        let rows = [restricted_only, both];
        let guest = TagIndex::build_for(&rows, Audience::Guest);
        let member = TagIndex::build_for(&rows, Audience::Member);
        assert!(guest.search("secret", None, 15).is_empty());
        assert_eq!(
            names(&member.search("secret", None, 15)),
            ["Members Only Secret"]
        );
        // Uses shown are the audience's.
        assert_eq!(guest.search("guests", None, 15)[0].uses, 1);
        assert_eq!(member.search("guests", None, 15)[0].uses, 9);
    }

    /// The range-minimum extraction against a plain sort of the whole range.
    #[test]
    fn best_first_agrees_with_a_full_sort() {
        let mut rows = Vec::new();
        let mut x: u64 = 7;
        for id in 1..=5000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let a = (b'a' + (x >> 60) as u8 % 4) as char;
            let b = (b'a' + (x >> 52) as u8 % 26) as char;
            let name = format!("{a}{b}{} x{id}", id % 7);
            rows.push(row(
                id,
                TagKind::Freeform,
                &name,
                id % 3 == 0,
                None,
                (x >> 40) % 50 + 1,
            ));
        }
        let ix = TagIndex::build(&rows);
        for term in ["a", "b", "ab", "c", "x1", "x", "d3"] {
            let got = ix.search(term, None, 15);
            let words = term_words(term);
            let mut want: Vec<&TagNameRow> = rows
                .iter()
                .filter(|r| {
                    let k = fold(&r.name);
                    word_starts(&k).any(|s| k[s..].starts_with(words[0].as_str()))
                })
                .collect();
            want.sort_by(|a, b| {
                b.uses
                    .cmp(&a.uses)
                    .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
                    .then(a.id.cmp(&b.id))
            });
            let want: Vec<&str> = want.iter().take(15).map(|r| r.name.as_str()).collect();
            assert_eq!(names(&got), want, "{term}");
        }
    }
}
