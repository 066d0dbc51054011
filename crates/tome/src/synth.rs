//! The synthetic corpus of `tome gen-corpus`: an archive shaped like AO3's, for search
//! benchmarks and tests at any size.
//!
//! - 300 fandoms with Zipf popularity (some grouped under franchise metatags, some with a
//!   synonym), 6–30 characters each, relationships from pairs of them;
//! - 2,000 canonical free tags with Zipf use, plus a long tail of unwrangled ones;
//! - word counts lognormal around a median of 4,000 (some over 100,000), split in chapters;
//! - ratings, warnings and categories in roughly AO3's proportions;
//! - posted over 15 years; kudos, hits, bookmarks and comments grow with age and fandom
//!   popularity;
//! - text drawn from a vocabulary of about 6,000 words with Zipf frequencies (a few
//!   hundred English words, then invented ones growing rarer), so a text query matches
//!   anything from most of the archive to a handful of works.
//!
//! Bodies are short whatever the word count says: one paragraph of 20–60 words per
//! chapter (two for the first), so a million works fit on a laptop. `word_count` is the
//! story's nominal length (what listings show, filter and sort on); the stored text is a
//! shorter generated stand-in.
//!
//! Each work comes from its own RNG seeded by (seed, index), so any slice of the corpus
//! can be generated alone and the result is the same for a seed whatever the batch size.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tome_model::{
    Category, ChapterDraft, Rating, TagKind, VocabEntry, VocabularyFile, Warning, WorkDraft,
};
use tome_store::BulkWork;

pub const FANDOMS: usize = 300;
const FREEFORMS: usize = 2_000;
/// Words of the text vocabulary: `WORDS` first, then invented ones.
const VOCABULARY: usize = 6_000;
/// `WORDS[..CONTENT_WORDS]` are nouns and adjectives (titles, unwrangled tags).
const CONTENT_WORDS: usize = 54;
/// 1 Jan 2026: the corpus's "now", fixed so a seed always gives the same archive.
pub const NOW: i64 = 1_767_225_600;
const YEARS: i64 = 15;

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mir", "ta", "ven", "sol", "ri", "an", "dor", "el", "tha", "gri", "mo", "nea",
    "zu", "bel", "cor", "fi", "ha", "ith", "jo", "lu", "pe", "quin", "sa", "ul", "wy", "xe",
];
const MEDIA: &[&str] = &["TV", "Anime", "Video Game", "Movies", "Comics", "Podcast"];
const WORDS: &[&str] = &[
    "lantern",
    "harbour",
    "letter",
    "storm",
    "window",
    "map",
    "ember",
    "river",
    "bridge",
    "promise",
    "stair",
    "kettle",
    "lighthouse",
    "garden",
    "coat",
    "train",
    "song",
    "blade",
    "candle",
    "tide",
    "archive",
    "shadow",
    "door",
    "silence",
    "morning",
    "market",
    "street",
    "rooftop",
    "crown",
    "key",
    "falcon",
    "meadow",
    "copper",
    "violet",
    "winter",
    "orchard",
    "compass",
    "thread",
    "mirror",
    "feather",
    "quiet",
    "golden",
    "broken",
    "patient",
    "bright",
    "narrow",
    "familiar",
    "restless",
    "distant",
    "warm",
    "crooked",
    "silver",
    "endless",
    "careful",
    "watched",
    "remembered",
    "carried",
    "followed",
    "opened",
    "crossed",
    "mended",
    "counted",
    "traced",
    "kept",
    "lost",
    "found",
    "guarded",
    "answered",
    "the",
    "and",
    "of",
    "a",
    "to",
    "in",
    "was",
    "she",
    "he",
    "they",
    "it",
    "with",
    "for",
    "again",
    "never",
];
const FREE_WORDS: &[&str] = &[
    "Angst",
    "Fluff",
    "Hurt/Comfort",
    "Alternate Universe",
    "Slow Burn",
    "Friends to Lovers",
    "Found Family",
    "Enemies to Lovers",
    "Canon Divergence",
    "Post-Canon",
    "Missing Scene",
    "Humor",
    "Established Relationship",
    "Road Trip",
    "Coffee Shop",
    "Happy Ending",
    "Pining",
    "Time Travel",
    "Soulmates",
    "Whump",
    "Domestic",
    "Mystery",
    "Smut",
    "Drama",
    "Romance",
];

/// A pronounceable invented name from a number: distinct numbers below
/// `SYLLABLES.len().pow(parts)` give distinct names (the number is scrambled by an
/// invertible affine map, then written in base `SYLLABLES.len()`).
fn name(n: usize, parts: usize) -> String {
    let base = SYLLABLES.len();
    let modulus = base.pow(parts as u32);
    // 1_000_003 is coprime to 28 = 2² × 7, so this is a bijection modulo 28^parts.
    let mut n = (n % modulus * 1_000_003 + 11) % modulus;
    let mut s = String::new();
    for _ in 0..parts {
        s.push_str(SYLLABLES[n % base]);
        n /= base;
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// The fixed shape of the corpus: fandoms, their casts, free tags.
pub struct World {
    fandoms: Vec<FandomSpec>,
    freeforms: Vec<String>,
    /// The text vocabulary, most frequent first.
    words: Vec<String>,
    /// Cumulative Zipf weights for fandoms, free tags and words.
    fandom_cdf: Vec<f64>,
    free_cdf: Vec<f64>,
    word_cdf: Vec<f64>,
}

struct FandomSpec {
    name: String,
    characters: Vec<String>,
    /// Popularity rank from 1.
    rank: usize,
}

fn cdf(n: usize, s: f64) -> Vec<f64> {
    let mut acc = 0.0;
    let mut v: Vec<f64> = (1..=n)
        .map(|r| {
            acc += 1.0 / (r as f64).powf(s);
            acc
        })
        .collect();
    for x in &mut v {
        *x /= acc;
    }
    v
}

fn pick(cdf: &[f64], rng: &mut StdRng) -> usize {
    let x: f64 = rng.random();
    cdf.partition_point(|c| *c < x).min(cdf.len() - 1)
}

/// A standard normal sample (Box–Muller).
fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

impl World {
    pub fn new(seed: u64) -> World {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
        let fandoms = (0..FANDOMS)
            .map(|i| {
                let media = MEDIA[i % MEDIA.len()];
                let cast = rng.random_range(6..=30);
                FandomSpec {
                    name: format!("{} {} ({media})", name(i, 2), name(i * 31 + 7, 2)),
                    characters: (0..cast)
                        .map(|c| format!("{} {}", name(i * 97 + c, 2), name(i * 13 + c * 5, 3)))
                        .collect(),
                    rank: i + 1,
                }
            })
            .collect();
        let freeforms = (0..FREEFORMS)
            .map(|i| {
                if i < FREE_WORDS.len() {
                    FREE_WORDS[i].to_string()
                } else {
                    format!("{} {}", FREE_WORDS[i % FREE_WORDS.len()], name(i, 2))
                }
            })
            .collect();
        // Function words lead the frequency ranking, then the English nouns and
        // adjectives, then invented words, rarer and rarer.
        let mut words: Vec<String> = WORDS[CONTENT_WORDS..]
            .iter()
            .chain(&WORDS[..CONTENT_WORDS])
            .map(|w| w.to_string())
            .collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        let mut k = 0;
        while words.len() < VOCABULARY {
            let w = name(k, 3).to_lowercase();
            k += 1;
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        World {
            fandoms,
            freeforms,
            words,
            fandom_cdf: cdf(FANDOMS, 1.0),
            free_cdf: cdf(FREEFORMS, 1.05),
            word_cdf: cdf(VOCABULARY, 1.0),
        }
    }

    /// The wrangled vocabulary: canonical fandoms (every 20th under a franchise metatag
    /// with its neighbour, every 7th with a synonym), characters, free tags (the first
    /// few with a metatag and a synonym).
    pub fn vocabulary(&self) -> VocabularyFile {
        let mut tags = Vec::new();
        for (i, f) in self.fandoms.iter().enumerate() {
            let mut e = entry(TagKind::Fandom, &f.name);
            if i % 7 == 3 {
                e.synonyms.push(format!("{} (alt)", f.name));
            }
            if i % 20 == 0 || i % 20 == 1 {
                e.metatags.push(format!("{} Franchise", name(i / 20, 2)));
            }
            tags.push(e);
            for c in &f.characters {
                let mut e = entry(TagKind::Character, c);
                e.fandoms.push(f.name.clone());
                tags.push(e);
            }
        }
        for (i, t) in self.freeforms.iter().enumerate() {
            let mut e = entry(TagKind::Freeform, t);
            if i < FREE_WORDS.len() {
                e.synonyms.push(format!("{t} (syn)"));
            } else if i < 200 {
                e.metatags
                    .push(FREE_WORDS[i % FREE_WORDS.len()].to_string());
            }
            tags.push(e);
        }
        VocabularyFile {
            about: Some("tome synthetic corpus".into()),
            tags,
        }
    }

    /// Work number `i` of the corpus for `seed`.
    pub fn work(&self, seed: u64, i: u64) -> BulkWork {
        let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i);
        let f = &self.fandoms[pick(&self.fandom_cdf, &mut rng)];
        let mut fandoms = vec![f];
        if rng.random_bool(0.06) {
            fandoms.push(&self.fandoms[pick(&self.fandom_cdf, &mut rng)]);
        }
        let mut tags: Vec<(TagKind, String)> = Vec::new();
        for (k, fd) in fandoms.iter().enumerate() {
            let idx = fd.rank - 1;
            let alt = idx % 7 == 3 && rng.random_bool(0.3);
            if k == 0 || fd.name != f.name {
                tags.push((
                    TagKind::Fandom,
                    if alt {
                        format!("{} (alt)", fd.name)
                    } else {
                        fd.name.clone()
                    },
                ));
            }
        }
        let cast_n = rng.random_range(1..=4).min(f.characters.len());
        let mut cast: Vec<&String> = Vec::new();
        while cast.len() < cast_n {
            // Main characters are written about more: square the uniform draw.
            let u: f64 = rng.random();
            let c = &f.characters[((u * u) * f.characters.len() as f64) as usize];
            if !cast.contains(&c) {
                cast.push(c);
            }
        }
        let category = if cast.len() >= 2 && rng.random_bool(0.75) {
            let sep = if rng.random_bool(0.8) { "/" } else { " & " };
            tags.push((
                TagKind::Relationship,
                format!("{}{sep}{}", cast[0], cast[1]),
            ));
            *pick_weighted(
                &mut rng,
                &[
                    (Category::MM, 45),
                    (Category::FM, 30),
                    (Category::FF, 12),
                    (Category::Multi, 8),
                    (Category::Other, 5),
                ],
            )
        } else {
            Category::Gen
        };
        // About one work in ten has a second category (AO3 allows several).
        let mut categories = vec![category];
        if rng.random_bool(0.1) {
            let more = if category == Category::Gen {
                Category::FM
            } else {
                Category::Gen
            };
            categories.push(more);
        }
        tags.extend(cast.iter().map(|c| (TagKind::Character, c.to_string())));
        for _ in 0..rng.random_range(1..=8) {
            let t = if rng.random_bool(0.12) {
                // The long tail: tags nobody wrangled, most of them used once or twice.
                format!(
                    "{} {}",
                    capitalized(WORDS[rng.random_range(0..40)]),
                    name(rng.random_range(0..21_952), 3)
                )
            } else {
                let p = pick(&self.free_cdf, &mut rng);
                let t = &self.freeforms[p];
                if p < FREE_WORDS.len() && rng.random_bool(0.1) {
                    format!("{t} (syn)")
                } else {
                    t.clone()
                }
            };
            if !tags.iter().any(|(_, n)| n.eq_ignore_ascii_case(&t)) {
                tags.push((TagKind::Freeform, t));
            }
        }

        let words = ((4_000f64).ln() + 1.1 * normal(&mut rng))
            .exp()
            .clamp(100.0, 600_000.0) as u64;
        let chapters_n = if words < 3_000 && rng.random_bool(0.8) {
            1
        } else {
            (words / rng.random_range(1_500..5_000)).clamp(1, 120) as usize
        };
        let complete = chapters_n == 1 || rng.random_bool(0.55);
        let per = (words / chapters_n as u64).max(1);
        let chapters = (0..chapters_n)
            .map(|k| ChapterDraft {
                body_html: self.paragraphs(&mut rng, &cast, if k == 0 { 2 } else { 1 }),
                word_count: per,
                ..Default::default()
            })
            .collect();
        // The archive grows: recent years have more works than early ones.
        let u: f64 = rng.random();
        let age = (u.powf(1.5) * (YEARS * 365 * 86_400) as f64) as i64;
        let published = NOW - age;
        let updated = if chapters_n > 1 {
            (published + rng.random_range(0..(age.max(1)))).min(NOW)
        } else {
            published
        };
        // Popularity: the fandom's, the work's own luck, and time to gather readers.
        let pop = 1.0 / (f.rank as f64).sqrt();
        let years = (age as f64 / (365.0 * 86_400.0)).max(0.05);
        let luck = (1.3 * normal(&mut rng)).exp();
        let kudos = (60.0 * pop * luck * years.sqrt()) as u64;
        let hits = kudos * rng.random_range(8..25) + rng.random_range(10..200);
        let bookmarks = kudos / rng.random_range(5..15);
        let comments = kudos / rng.random_range(3..12) + u64::from(rng.random_bool(0.3));
        let rating = *pick_weighted(
            &mut rng,
            &[
                (Rating::General, 24),
                (Rating::Teen, 30),
                (Rating::Mature, 15),
                (Rating::Explicit, 21),
                (Rating::NotRated, 10),
            ],
        );
        let warning = *pick_weighted(
            &mut rng,
            &[
                (Warning::NoWarnings, 55),
                (Warning::ChoseNotToUse, 30),
                (Warning::GraphicViolence, 9),
                (Warning::MajorCharacterDeath, 4),
                (Warning::NonCon, 1),
                (Warning::Underage, 1),
            ],
        );
        let mut warnings = vec![warning];
        if warning == Warning::GraphicViolence && rng.random_bool(0.25) {
            warnings.push(Warning::MajorCharacterDeath);
        }
        let title_len = rng.random_range(1..=4);
        let title: Vec<String> = (0..title_len)
            .map(|_| capitalized(WORDS[rng.random_range(0..CONTENT_WORDS)]))
            .collect();
        BulkWork {
            draft: WorkDraft {
                title: title.join(" "),
                authors: vec![format!(
                    "{}{}",
                    name(rng.random_range(0..50_000), 2).to_lowercase(),
                    rng.random_range(0..100)
                )],
                rating: Some(rating),
                warnings,
                categories,
                tags,
                language: if rng.random_bool(0.9) {
                    "en".into()
                } else {
                    ["es", "fr", "de", "zh", "ru"][rng.random_range(0..5)].into()
                },
                summary_html: Some(format!("<p>{}</p>", self.sentence(&mut rng, &cast, 14))),
                notes_begin_html: rng
                    .random_bool(0.2)
                    .then(|| format!("<p>{}</p>", self.sentence(&mut rng, &cast, 8))),
                notes_end_html: None,
                chapters,
                complete: Some(complete),
                expected_chapters: if complete {
                    None
                } else {
                    rng.random_bool(0.5).then_some(chapters_n as u32 + 3)
                },
                published_at: Some(published),
                restricted: rng.random_bool(0.05),
                anonymous: rng.random_bool(0.02),
            },
            updated_at: updated,
            hits,
            kudos,
            bookmarks,
            comments,
        }
    }
}

fn entry(kind: TagKind, name: &str) -> VocabEntry {
    VocabEntry {
        kind,
        name: name.into(),
        synonyms: vec![],
        fandoms: vec![],
        characters: vec![],
        metatags: vec![],
        media: Vec::new(),
        uses: 0,
    }
}

fn pick_weighted<'a, T>(rng: &mut StdRng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (t, w) in items {
        if x < *w {
            return t;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

fn capitalized(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl World {
    /// A sentence: maybe a character's name, then `n` words drawn by frequency.
    fn sentence(&self, rng: &mut StdRng, cast: &[&String], n: usize) -> String {
        let mut s = String::with_capacity(n * 7 + 20);
        if let Some(c) = cast.get(rng.random_range(0..cast.len().max(1))) {
            s.push_str(c);
        }
        for _ in 0..n {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&self.words[pick(&self.word_cdf, rng)]);
        }
        s.push('.');
        s
    }

    /// `n` paragraphs of two or three sentences (20–60 words each).
    fn paragraphs(&self, rng: &mut StdRng, cast: &[&String], n: usize) -> String {
        let mut out = String::new();
        for _ in 0..n {
            out.push_str("<p>");
            for k in 0..rng.random_range(2..=3) {
                if k > 0 {
                    out.push(' ');
                }
                let len = rng.random_range(9..=19);
                out.push_str(&self.sentence(rng, cast, len));
            }
            out.push_str("</p>");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Everything a work is made of, comparable.
    fn key(w: &BulkWork) -> (WorkDraft, i64, u64, u64, u64, u64) {
        (
            w.draft.clone(),
            w.updated_at,
            w.hits,
            w.kudos,
            w.bookmarks,
            w.comments,
        )
    }

    #[test]
    fn the_same_seed_gives_the_same_works() {
        let a: Vec<_> = (0..300).map(|i| key(&World::new(7).work(7, i))).collect();
        let w = World::new(7);
        // In any order, one at a time or in a slice: work i depends only on (seed, i).
        let b: Vec<_> = (0..300).rev().map(|i| key(&w.work(7, i))).rev().collect();
        assert_eq!(a, b);
        assert_eq!(World::new(7).vocabulary(), w.vocabulary());
        let c: Vec<_> = (0..300).map(|i| key(&World::new(8).work(8, i))).collect();
        assert_ne!(a, c, "another seed gives other works");
    }

    #[test]
    fn names_are_distinct() {
        let n: std::collections::HashSet<String> = (0..784).map(|i| name(i, 2)).collect();
        assert_eq!(n.len(), 784);
        let v = World::new(1).vocabulary();
        let mut fandoms: Vec<_> = v
            .tags
            .iter()
            .filter(|t| t.kind == TagKind::Fandom)
            .map(|t| t.name.to_lowercase())
            .collect();
        fandoms.sort();
        fandoms.dedup();
        assert_eq!(fandoms.len(), FANDOMS);
    }

    /// The shape of 20,000 works: lengths, fandom popularity, ratings, tags, dates, text.
    #[test]
    fn distributions_look_like_ao3() {
        const N: u64 = 20_000;
        let w = World::new(1);
        let works: Vec<_> = (0..N).map(|i| w.work(1, i)).collect();
        let n = works.len() as f64;

        let mut words: Vec<u64> = works
            .iter()
            .map(|b| b.draft.chapters.iter().map(|c| c.word_count).sum())
            .collect();
        words.sort_unstable();
        let median = words[words.len() / 2];
        assert!((3_500..=4_500).contains(&median), "median words {median}");
        let long = words.iter().filter(|w| **w > 100_000).count();
        assert!((5..=200).contains(&long), "{long} works over 100,000 words");
        let multi = works.iter().filter(|b| b.draft.chapters.len() > 1).count() as f64;
        assert!(
            (0.3..0.8).contains(&(multi / n)),
            "multi-chapter share {}",
            multi / n
        );

        // Fandoms: Zipf-like, a long tail, every work has one.
        let mut per_fandom: HashMap<String, usize> = HashMap::new();
        for b in &works {
            let fandoms: Vec<_> = b
                .draft
                .tags
                .iter()
                .filter(|(k, _)| *k == TagKind::Fandom)
                .collect();
            assert!(!fandoms.is_empty());
            *per_fandom
                .entry(fandoms[0].1.trim_end_matches(" (alt)").to_string())
                .or_default() += 1;
        }
        let mut counts: Vec<usize> = per_fandom.values().copied().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let top10: usize = counts.iter().take(10).sum();
        assert!(counts.len() > 250, "{} fandoms used", counts.len());
        assert!(
            counts[0] > 20 * counts[counts.len() / 2],
            "top {} vs median {}",
            counts[0],
            counts[counts.len() / 2]
        );
        assert!(
            (0.3..0.6).contains(&(top10 as f64 / n)),
            "top 10 fandoms share {}",
            top10 as f64 / n
        );

        // Ratings in AO3's rough proportions.
        let share =
            |r: Rating| works.iter().filter(|b| b.draft.rating == Some(r)).count() as f64 / n;
        assert!((0.27..0.33).contains(&share(Rating::Teen)));
        assert!((0.18..0.24).contains(&share(Rating::Explicit)));
        assert!((0.07..0.13).contains(&share(Rating::NotRated)));

        // Free tags: a few very common ones, a long tail used once.
        let mut per_tag: HashMap<&str, usize> = HashMap::new();
        for b in &works {
            for (k, t) in &b.draft.tags {
                if *k == TagKind::Freeform {
                    *per_tag.entry(t.as_str()).or_default() += 1;
                }
            }
        }
        let once = per_tag.values().filter(|c| **c == 1).count();
        let top = per_tag.values().max().copied().unwrap_or(0);
        assert!(once > 1_000, "{once} free tags used once");
        assert!(top as f64 > 0.05 * n, "most used free tag on {top} works");

        // Dates over 15 years, more of them recent; feedback grows with age and popularity.
        let published: Vec<i64> = works.iter().filter_map(|b| b.draft.published_at).collect();
        let oldest = published.iter().min().copied().unwrap_or(NOW);
        assert!(NOW - oldest > 14 * 365 * 86_400);
        let last5 = published
            .iter()
            .filter(|p| **p > NOW - 5 * 365 * 86_400)
            .count() as f64;
        assert!(last5 / n > 0.4, "share of the last 5 years {}", last5 / n);
        let mean_kudos = |f: &dyn Fn(&BulkWork) -> bool| {
            let v: Vec<u64> = works.iter().filter(|b| f(b)).map(|b| b.kudos).collect();
            v.iter().sum::<u64>() as f64 / v.len().max(1) as f64
        };
        let top_name = per_fandom
            .iter()
            .max_by_key(|(_, c)| **c)
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        let in_top = |b: &BulkWork| b.draft.tags.iter().any(|(_, t)| t.starts_with(&top_name));
        assert!(
            mean_kudos(&in_top) > 2.0 * mean_kudos(&|b| !in_top(b)),
            "popular fandoms get more kudos"
        );
        let old = |b: &BulkWork| b.draft.published_at.unwrap_or(NOW) < NOW - 8 * 365 * 86_400;
        assert!(
            mean_kudos(&old) > mean_kudos(&|b| !old(b)),
            "older works have more kudos"
        );
        assert!(works.iter().all(|b| b.hits >= b.kudos));

        // Text: common words everywhere, rare ones in a few works, so searches differ.
        let with = |word: &str| {
            works
                .iter()
                .filter(|b| {
                    b.draft.chapters.iter().any(|c| {
                        c.body_html
                            .split(|ch: char| !ch.is_alphanumeric())
                            .any(|t| t == word)
                    })
                })
                .count()
        };
        assert!(with(&w.words[0]) as f64 > 0.9 * n);
        let rare = with(&w.words[3_000]);
        assert!(
            (1..(n as usize / 50)).contains(&rare),
            "a rare word in {rare} works"
        );
    }
}
