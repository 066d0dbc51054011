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
//! - text drawn from a vocabulary, so full-text search finds things. Bodies are short
//!   (a paragraph or two per chapter) whatever the word count says, so a million works
//!   fit on a laptop; the word count column carries the lognormal length.
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

/// A pronounceable invented name from a number.
fn name(mut n: usize, parts: usize) -> String {
    let mut s = String::new();
    for _ in 0..parts {
        s.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        n = n.wrapping_mul(7).wrapping_add(3);
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
    /// Cumulative Zipf weights for fandoms and free tags.
    fandom_cdf: Vec<f64>,
    free_cdf: Vec<f64>,
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
        World {
            fandoms,
            freeforms,
            fandom_cdf: cdf(FANDOMS, 1.0),
            free_cdf: cdf(FREEFORMS, 1.05),
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
        tags.extend(cast.iter().map(|c| (TagKind::Character, c.to_string())));
        for _ in 0..rng.random_range(1..=8) {
            let t = if rng.random_bool(0.12) {
                // The long tail: tags nobody wrangled.
                format!(
                    "{} {}",
                    WORDS[rng.random_range(0..40)],
                    name(rng.random_range(0..200_000), 2)
                )
            } else {
                let t = &self.freeforms[pick(&self.free_cdf, &mut rng)];
                if rng.random_bool(0.1)
                    && self
                        .freeforms
                        .iter()
                        .position(|x| x == t)
                        .is_some_and(|p| p < FREE_WORDS.len())
                {
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
            (words / rng.random_range(2_000..6_000)).clamp(1, 120) as usize
        };
        let complete = chapters_n == 1 || rng.random_bool(0.55);
        let per = (words / chapters_n as u64).max(1);
        let chapters = (0..chapters_n)
            .map(|_| ChapterDraft {
                body_html: paragraph(&mut rng, &cast),
                word_count: per,
                ..Default::default()
            })
            .collect();
        let age = rng.random_range(0..YEARS * 365 * 86_400);
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
        let title_len = rng.random_range(1..=4);
        let title: Vec<String> = (0..title_len)
            .map(|_| {
                let w = WORDS[rng.random_range(0..54)];
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            })
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
                warnings: vec![warning],
                categories: vec![category],
                tags,
                language: if rng.random_bool(0.9) {
                    "en".into()
                } else {
                    ["es", "fr", "de", "zh", "ru"][rng.random_range(0..5)].into()
                },
                summary_html: Some(format!("<p>{}</p>", sentence(&mut rng, &cast, 14))),
                notes_begin_html: rng
                    .random_bool(0.2)
                    .then(|| format!("<p>{}</p>", sentence(&mut rng, &cast, 8))),
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

fn sentence(rng: &mut StdRng, cast: &[&String], n: usize) -> String {
    let mut s: Vec<String> = Vec::with_capacity(n + 1);
    if let Some(c) = cast.get(rng.random_range(0..cast.len().max(1))) {
        s.push(c.to_string());
    }
    for _ in 0..n {
        s.push(WORDS[rng.random_range(0..WORDS.len())].to_string());
    }
    format!("{}.", s.join(" "))
}

fn paragraph(rng: &mut StdRng, cast: &[&String]) -> String {
    let n = rng.random_range(1..=2);
    (0..n)
        .map(|_| format!("<p>{}</p>", sentence(rng, cast, 30)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_shaped() {
        let w = World::new(1);
        let a: Vec<_> = (0..200).map(|i| w.work(1, i).draft).collect();
        let b: Vec<_> = (0..200).map(|i| World::new(1).work(1, i).draft).collect();
        assert_eq!(a, b);
        let mut words: Vec<u64> = a
            .iter()
            .map(|d| d.chapters.iter().map(|c| c.word_count).sum())
            .collect();
        words.sort_unstable();
        let median = words[words.len() / 2];
        assert!((1_500..10_000).contains(&median), "median {median}");
        assert!(w.vocabulary().tags.len() > 3_000);
    }
}
