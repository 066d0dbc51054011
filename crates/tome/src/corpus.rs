//! Generated sample works: `tome serve --demo` fills an empty archive with a few dozen
//! works across several invented fandoms so a newcomer sees a living archive at once.
//! Deterministic for a seed; no real story text is ever used. The search issue grows
//! this into `tome gen-corpus`.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use tome_model::{
    Category, ChapterDraft, Rating, TagKind, VocabEntry, VocabularyFile, Warning, WorkDraft,
    count_words,
};
use tome_store::Store;

/// An invented fandom with its cast.
struct Fandom {
    name: &'static str,
    abbrev: &'static str,
    characters: &'static [&'static str],
}

const FANDOMS: &[Fandom] = &[
    Fandom {
        name: "The Lantern Keepers (TV)",
        abbrev: "TLK",
        characters: &[
            "Maren Vale",
            "Tobias Wren",
            "Ines Calder",
            "Old Hollis",
            "Pike",
        ],
    },
    Fandom {
        name: "Starfall Academy (Anime)",
        abbrev: "SFA",
        characters: &["Aiko Minase", "Ren Takagi", "Professor Oda", "Sora Kanzaki"],
    },
    Fandom {
        name: "Saltwater Kingdoms - R. L. Marsh",
        abbrev: "Saltwater",
        characters: &[
            "Queen Ysolde",
            "Captain Dray",
            "Nell Fisher",
            "The Cartographer",
        ],
    },
    Fandom {
        name: "Nightshift Precinct (TV)",
        abbrev: "NSP",
        characters: &[
            "Detective Rosa Quill",
            "Sam Okafor",
            "Lieutenant Marsh",
            "Benny",
        ],
    },
    Fandom {
        name: "Ember & Ash (Video Game)",
        abbrev: "E&A",
        characters: &["Kestrel", "Vashti", "The Warden", "Oswin Grey"],
    },
];

const FREEFORMS: &[&str] = &[
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
    "Coffee Shop AU",
    "Happy Ending",
];

const NOUNS: &[&str] = &[
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
];
const VERBS: &[&str] = &[
    "watched",
    "remembered",
    "carried",
    "followed",
    "opened",
    "crossed",
    "ignored",
    "mended",
    "counted",
    "traced",
    "kept",
    "lost",
    "found",
    "guarded",
    "answered",
    "waited for",
];
const ADJECTIVES: &[&str] = &[
    "quiet",
    "golden",
    "broken",
    "patient",
    "salt-stained",
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
];
const TITLE_WORDS: &[&str] = &[
    "Tides",
    "Lanterns",
    "What Remains",
    "Salt",
    "Small Hours",
    "The Long Way Home",
    "Embers",
    "Between the Lines",
    "Paper Boats",
    "Northbound",
    "A Quiet Kind of Brave",
    "Undertow",
    "Borrowed Light",
    "Keeping Time",
    "The Weight of Stars",
    "Harbour Lights",
    "Second Chances",
];

/// Generates `n` works deterministically from `seed`, with the vocabulary they use.
pub fn generate(n: usize, seed: u64) -> (VocabularyFile, Vec<WorkDraft>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let vocab = vocabulary();
    // 1 Jan 2024 00:00 UTC: fixed so the same seed gives the same archive.
    let base: i64 = 1_704_067_200;
    let authors = [
        "quillfeather",
        "moth_and_lamp",
        "saltwitch",
        "ren_writes",
        "the_cartographer",
        "nightowl42",
        "paperboats",
    ];
    let works = (0..n)
        .map(|i| {
            let fandom = &FANDOMS[zipf_index(&mut rng, FANDOMS.len())];
            let crossover = rng
                .random_bool(0.08)
                .then(|| &FANDOMS[rng.random_range(0..FANDOMS.len())])
                .filter(|f| f.name != fandom.name);
            let cast_size = rng.random_range(1..=3);
            let mut cast: Vec<&str> = fandom
                .characters
                .choose_multiple(&mut rng, cast_size)
                .copied()
                .collect();
            if let Some(other) = crossover {
                cast.extend(other.characters.choose(&mut rng));
            }
            let mut tags = vec![(TagKind::Fandom, fandom.name.to_string())];
            if let Some(other) = crossover {
                tags.push((TagKind::Fandom, other.name.to_string()));
            }
            if cast.len() >= 2 && rng.random_bool(0.6) {
                tags.push((TagKind::Relationship, format!("{}/{}", cast[0], cast[1])));
            }
            tags.extend(cast.iter().map(|c| (TagKind::Character, c.to_string())));
            let freeform_count = rng.random_range(1..=4);
            tags.extend(
                FREEFORMS
                    .choose_multiple(&mut rng, freeform_count)
                    .map(|t| (TagKind::Freeform, t.to_string())),
            );

            let chapter_count = if rng.random_bool(0.55) {
                1
            } else {
                rng.random_range(2..=6)
            };
            let complete = chapter_count == 1 || rng.random_bool(0.6);
            let chapters = (0..chapter_count)
                .map(|c| {
                    let paragraphs = rng.random_range(4..=14);
                    let (html, words) = prose(&mut rng, &cast, paragraphs);
                    ChapterDraft {
                        title: (chapter_count > 1 && rng.random_bool(0.7)).then(|| title(&mut rng)),
                        body_html: html,
                        word_count: words,
                        notes_end_html: (c == 0 && chapter_count > 1 && rng.random_bool(0.3))
                            .then(|| "<p>More soon — thank you for reading!</p>".to_string()),
                        ..Default::default()
                    }
                })
                .collect();
            let published_at = base + rng.random_range(0..(2 * 365 * 86_400));
            let rating = *[
                Rating::General,
                Rating::General,
                Rating::Teen,
                Rating::Teen,
                Rating::Mature,
                Rating::Explicit,
                Rating::NotRated,
            ]
            .choose(&mut rng)
            .unwrap_or(&Rating::General);
            let warning = *[
                Warning::NoWarnings,
                Warning::NoWarnings,
                Warning::ChoseNotToUse,
                Warning::GraphicViolence,
                Warning::MajorCharacterDeath,
            ]
            .choose(&mut rng)
            .unwrap_or(&Warning::NoWarnings);
            let category = if tags.iter().any(|(k, _)| *k == TagKind::Relationship) {
                *[Category::FM, Category::MM, Category::FF, Category::Multi]
                    .choose(&mut rng)
                    .unwrap_or(&Category::Other)
            } else {
                Category::Gen
            };
            WorkDraft {
                title: title(&mut rng),
                authors: vec![authors[i % authors.len()].to_string()],
                rating: Some(rating),
                warnings: vec![warning],
                categories: vec![category],
                tags,
                language: "en".into(),
                summary_html: Some(format!("<p>{}</p>", sentence(&mut rng, &cast))),
                notes_begin_html: rng.random_bool(0.3).then(|| {
                    "<p>Written for a prompt exchange. Generated sample text.</p>".to_string()
                }),
                notes_end_html: None,
                chapters,
                complete: Some(complete),
                expected_chapters: complete
                    .then_some(chapter_count)
                    .or_else(|| rng.random_bool(0.5).then_some(chapter_count + 2)),
                published_at: Some(published_at),
                restricted: false,
                anonymous: rng.random_bool(0.05),
            }
        })
        .collect();
    (vocab, works)
}

/// Adds the demo vocabulary and works to an archive; returns how many works were added.
pub async fn fill_demo(store: &Store) -> Result<usize, tome_store::StoreError> {
    let (vocab, works) = generate(36, 2026);
    store.import_vocabulary(&vocab).await?;
    for w in &works {
        store.create_work(w).await?;
    }
    Ok(works.len())
}

fn vocabulary() -> VocabularyFile {
    let mut tags = Vec::new();
    for f in FANDOMS {
        tags.push(entry(TagKind::Fandom, f.name, &[f.abbrev], &[]));
        for c in f.characters {
            tags.push(entry(TagKind::Character, c, &[], &[f.name]));
        }
    }
    for t in FREEFORMS {
        tags.push(entry(TagKind::Freeform, t, &[], &[]));
    }
    VocabularyFile {
        about: Some("tome demo vocabulary (invented fandoms)".into()),
        tags,
    }
}

fn entry(kind: TagKind, name: &str, synonyms: &[&str], fandoms: &[&str]) -> VocabEntry {
    VocabEntry {
        kind,
        name: name.into(),
        synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
        fandoms: fandoms.iter().map(|s| s.to_string()).collect(),
        characters: vec![],
        metatags: vec![],
        media: Vec::new(),
        uses: 0,
    }
}

/// An index skewed towards the front, so some fandoms are much more popular than others.
fn zipf_index(rng: &mut StdRng, n: usize) -> usize {
    let weights: Vec<f64> = (1..=n).map(|r| 1.0 / r as f64).collect();
    let total: f64 = weights.iter().sum();
    let mut x = rng.random_range(0.0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    n - 1
}

fn title(rng: &mut StdRng) -> String {
    let a = TITLE_WORDS.choose(rng).copied().unwrap_or("Untitled");
    if rng.random_bool(0.3) {
        format!("{a} and {}", NOUNS.choose(rng).copied().unwrap_or("salt"))
    } else {
        a.to_string()
    }
}

fn sentence(rng: &mut StdRng, cast: &[&str]) -> String {
    let who = cast.choose(rng).copied().unwrap_or("Someone");
    let verb = VERBS.choose(rng).copied().unwrap_or("kept");
    let adj = ADJECTIVES.choose(rng).copied().unwrap_or("quiet");
    let noun = NOUNS.choose(rng).copied().unwrap_or("door");
    let tail = NOUNS.choose(rng).copied().unwrap_or("tide");
    match rng.random_range(0..4) {
        0 => format!("{who} {verb} the {adj} {noun} until the {tail} turned."),
        1 => format!("“Not yet,” {who} said, and {verb} the {noun} anyway."),
        2 => {
            format!("There was a {adj} {noun} by the {tail}, and {who} {verb} it for a long time.")
        }
        _ => format!("Later, {who} would say the {noun} had always been {adj}."),
    }
}

/// Paragraphs of generated prose as HTML, with their word count; sometimes a scene break.
fn prose(rng: &mut StdRng, cast: &[&str], paragraphs: usize) -> (String, u64) {
    let mut html = String::new();
    let mut words = 0;
    for p in 0..paragraphs {
        if p > 0 && rng.random_bool(0.08) {
            html.push_str("<hr>");
        }
        let text: Vec<String> = (0..rng.random_range(2..=6))
            .map(|_| sentence(rng, cast))
            .collect();
        let text = text.join(" ");
        words += count_words(&text);
        html.push_str("<p>");
        html.push_str(&tome_text::escape_html(&text));
        html.push_str("</p>");
    }
    (html, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_archive() {
        let (_, a) = generate(10, 7);
        let (_, b) = generate(10, 7);
        assert_eq!(a, b);
        let (_, c) = generate(10, 8);
        assert_ne!(a, c);
    }

    #[test]
    fn works_are_complete_drafts() {
        let (vocab, works) = generate(36, 2026);
        assert_eq!(works.len(), 36);
        let fandoms: std::collections::HashSet<_> = works
            .iter()
            .flat_map(|w| {
                w.tags
                    .iter()
                    .filter(|(k, _)| *k == TagKind::Fandom)
                    .map(|(_, n)| n.clone())
            })
            .collect();
        assert!(fandoms.len() >= 3, "several fandoms: {fandoms:?}");
        for w in &works {
            assert!(!w.title.is_empty() && !w.chapters.is_empty());
            assert!(
                w.chapters
                    .iter()
                    .all(|c| c.word_count > 0 && c.body_html.starts_with("<p>"))
            );
        }
        assert!(vocab.tags.iter().any(|t| t.kind == TagKind::Character));
    }
}
