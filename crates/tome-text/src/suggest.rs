//! Tag suggestions from the archive's own vocabulary.
//!
//! Nothing here knows a character or a fandom: every name comes from the wrangled
//! [`Vocabulary`] (a `tags.json`). Names and synonyms are matched case-sensitively as
//! whole words, as the vocabulary's wranglers intend ("Dawn" the character, not "dawn").
//!
//! Scoring, and why:
//! - Where a name appears matters. The title, summary and header fields ("Pairing:",
//!   "Warning:") are the author tagging the work in their own words, so one mention there
//!   is enough and weighs [`STRONG_WEIGHT`]. Story text and notes weigh 1 per mention.
//! - Characters and relationships named only in story text or notes need
//!   [`min_mentions`]: at least 3, and more for longer works (one per 1,500 words),
//!   so a name dropped in passing ("Riley said ...") is not a tag.
//! - Header fields are matched case-insensitively ("Warning: ANGST!" names Angst even in
//!   an archive that keeps no "ANGST" synonym, since tag names are unique whatever their
//!   case); title, summary, notes and story text are matched case-sensitively.
//! - Free tags ("Angst") come only from the title, summary and header: a story using
//!   the word "angst" is not thereby tagged Angst.
//! - A relationship is also suggested when none of its names appears but both (all) of
//!   its characters are prominent: each mentioned at least [`PROMINENT_FACTOR`] times
//!   the threshold and at least [`PROMINENT_SHARE`] as often as the most mentioned
//!   character, or named in the title, summary or header. Its evidence is the
//!   characters' mention counts ("Spike: 25 mentions in the story"). Two leads who carry
//!   a story are a pairing often enough to offer; the author removes a wrong one.
//! - Fandoms are the parents of the suggested characters and relationships (weighted by
//!   their scores), or named in the header/title/summary themselves.

use std::collections::BTreeMap;

use serde::Serialize;
use tome_model::{TagKind, VocabEntry, VocabularyFile, count_words};

/// Weight of one mention in the title, summary or a header field.
pub const STRONG_WEIGHT: f64 = 5.0;

/// A character is prominent with this many times [`min_mentions`] in text and notes...
pub const PROMINENT_FACTOR: f64 = 2.0;
/// ...and at least this share of the most mentioned character's mentions.
pub const PROMINENT_SHARE: f64 = 0.25;

/// The wrangled tags suggestions are drawn from.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    entries: Vec<VocabEntry>,
}

impl Vocabulary {
    pub fn new(entries: Vec<VocabEntry>) -> Self {
        Vocabulary { entries }
    }

    /// No tags: nothing is ever suggested.
    pub fn empty() -> Self {
        Vocabulary::default()
    }

    /// Reads a `tags.json` file's text.
    pub fn from_json(s: &str) -> Result<Self, serde_json::Error> {
        let file: VocabularyFile = serde_json::from_str(s)?;
        Ok(Vocabulary::new(file.tags))
    }

    pub fn entries(&self) -> &[VocabEntry] {
        &self.entries
    }

    /// The canonical entry whose name or synonym is exactly `name` (case-sensitive), of `kind`.
    pub fn find(&self, kind: TagKind, name: &str) -> Option<&VocabEntry> {
        let name = name.trim();
        self.entries
            .iter()
            .filter(|e| e.kind == kind)
            .find(|e| e.name == name || e.synonyms.iter().any(|s| s == name))
    }
}

/// One suggested canonical tag, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The canonical name.
    pub name: String,
    pub score: f64,
    /// Human-readable reasons: "'Spuffy' in the summary", "Spike: 25 mentions in the story".
    pub evidence: Vec<String>,
}

/// Suggestions by kind, best first.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Suggestions {
    pub fandom: Vec<Suggestion>,
    pub character: Vec<Suggestion>,
    pub relationship: Vec<Suggestion>,
    pub freeform: Vec<Suggestion>,
}

impl Suggestions {
    /// Every suggestion with its kind, fandoms first (AO3's order).
    pub fn all(&self) -> Vec<(TagKind, &Suggestion)> {
        let mut out = Vec::new();
        for (kind, list) in [
            (TagKind::Fandom, &self.fandom),
            (TagKind::Relationship, &self.relationship),
            (TagKind::Character, &self.character),
            (TagKind::Freeform, &self.freeform),
        ] {
            out.extend(list.iter().map(|s| (kind, s)));
        }
        out
    }

    /// Canonical names of one kind.
    pub fn names(list: &[Suggestion]) -> Vec<String> {
        list.iter().map(|s| s.name.clone()).collect()
    }
}

/// What the suggester reads. Header values are the fields authors used to tag by hand
/// (Warning, Genre, Characters, Pairing, Fandom ...), as `(label, value)`.
#[derive(Debug, Clone, Default)]
pub struct SuggestInput {
    pub title: String,
    pub summary: String,
    pub header: Vec<(String, String)>,
    pub notes: String,
    pub text: String,
}

/// Minimum weighted mentions in story text and notes for a character or relationship.
pub fn min_mentions(words: u64) -> f64 {
    (words as f64 / 1500.0).max(3.0)
}

/// Suggests canonical tags for a work; see the module docs for the scoring.
pub fn suggest(vocab: &Vocabulary, input: &SuggestInput) -> Suggestions {
    let words = count_words(&input.text);
    let threshold = min_mentions(words);
    let mut out = Suggestions::default();
    for entry in &vocab.entries {
        if entry.kind == TagKind::Fandom {
            continue;
        }
        let found = Found::gather(entry, input);
        let (score, ok) = match entry.kind {
            TagKind::Character | TagKind::Relationship => {
                let weak = found.text as f64 + found.notes as f64;
                (
                    found.strong_score() + weak,
                    found.strong_score() > 0.0 || weak >= threshold,
                )
            }
            TagKind::Freeform => (found.strong_score(), found.strong_score() > 0.0),
            _ => (0.0, false),
        };
        if !ok {
            continue;
        }
        let s = Suggestion {
            name: entry.name.clone(),
            score,
            evidence: found.evidence(entry),
        };
        match entry.kind {
            TagKind::Character => out.character.push(s),
            TagKind::Relationship => out.relationship.push(s),
            _ => out.freeform.push(s),
        }
    }
    out.relationship.extend(pairings_of_prominent_characters(
        vocab, input, threshold, &out,
    ));
    out.fandom = suggest_fandoms(vocab, input, &out);
    for list in [
        &mut out.fandom,
        &mut out.character,
        &mut out.relationship,
        &mut out.freeform,
    ] {
        list.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.name.cmp(&b.name))
        });
    }
    out
}

/// Relationships not named anywhere whose characters are all prominent (module docs).
fn pairings_of_prominent_characters(
    vocab: &Vocabulary,
    input: &SuggestInput,
    threshold: f64,
    found: &Suggestions,
) -> Vec<Suggestion> {
    // Mentions (text and notes) and whether named in a strong place, per character.
    let mut mentions: BTreeMap<&str, (usize, bool, Vec<String>)> = BTreeMap::new();
    for entry in vocab
        .entries
        .iter()
        .filter(|e| e.kind == TagKind::Character)
    {
        let f = Found::gather(entry, input);
        let weak = f.text + f.notes;
        if weak > 0 || f.strong_score() > 0.0 {
            mentions.insert(
                entry.name.as_str(),
                (weak, f.strong_score() > 0.0, f.evidence(entry)),
            );
        }
    }
    let most = mentions.values().map(|(n, _, _)| *n).max().unwrap_or(0) as f64;
    let prominent = |name: &str| {
        mentions.get(name).is_some_and(|(n, strong, _)| {
            *strong
                || (*n as f64 >= PROMINENT_FACTOR * threshold
                    && *n as f64 >= PROMINENT_SHARE * most)
        })
    };
    let mut out = Vec::new();
    for entry in vocab
        .entries
        .iter()
        .filter(|e| e.kind == TagKind::Relationship && e.characters.len() >= 2)
    {
        if found.relationship.iter().any(|s| s.name == entry.name)
            || !entry.characters.iter().all(|c| prominent(c))
        {
            continue;
        }
        let mut evidence = Vec::new();
        let mut score = f64::INFINITY;
        for c in &entry.characters {
            if let Some((n, strong, ev)) = mentions.get(c.as_str()) {
                evidence.extend(ev.iter().cloned());
                let s = *n as f64 + if *strong { STRONG_WEIGHT } else { 0.0 };
                score = score.min(s);
            }
        }
        out.push(Suggestion {
            name: entry.name.clone(),
            // Below a relationship named outright with as many mentions.
            score: score / 2.0,
            evidence,
        });
    }
    out
}

/// Fandoms named outright, plus parents of suggested characters and relationships.
fn suggest_fandoms(
    vocab: &Vocabulary,
    input: &SuggestInput,
    found: &Suggestions,
) -> Vec<Suggestion> {
    let mut by_name: BTreeMap<String, Suggestion> = BTreeMap::new();
    for entry in vocab.entries.iter().filter(|e| e.kind == TagKind::Fandom) {
        let f = Found::gather(entry, input);
        if f.strong_score() > 0.0 {
            by_name.insert(
                entry.name.clone(),
                Suggestion {
                    name: entry.name.clone(),
                    score: f.strong_score(),
                    evidence: f.evidence(entry),
                },
            );
        }
    }
    for s in found.character.iter().chain(&found.relationship) {
        let parents = vocab
            .entries
            .iter()
            .find(|e| {
                e.name == s.name && matches!(e.kind, TagKind::Character | TagKind::Relationship)
            })
            .map(|e| e.fandoms.clone())
            .unwrap_or_default();
        for fandom in parents {
            let entry = by_name.entry(fandom.clone()).or_insert_with(|| Suggestion {
                name: fandom.clone(),
                score: 0.0,
                evidence: Vec::new(),
            });
            entry.score += s.score;
            entry.evidence.push(format!("parent fandom of {}", s.name));
        }
    }
    by_name.into_values().collect()
}

/// Where one entry's names were found.
#[derive(Debug, Default)]
struct Found {
    /// (place, term) for title/summary/header hits.
    strong: Vec<(String, String)>,
    text: usize,
    notes: usize,
}

impl Found {
    fn gather(entry: &VocabEntry, input: &SuggestInput) -> Found {
        let mut f = Found::default();
        for term in std::iter::once(&entry.name).chain(&entry.synonyms) {
            if term.is_empty() {
                continue;
            }
            for (place, hay) in [("title", &input.title), ("summary", &input.summary)] {
                if count_whole_word(hay, term) > 0 {
                    f.strong.push((format!("the {place}"), term.clone()));
                }
            }
            for (label, value) in &input.header {
                if count_whole_word(value, term) > 0 {
                    f.strong.push((format!("the {label} field"), term.clone()));
                }
            }
            f.text += count_whole_word(&input.text, term);
            f.notes += count_whole_word(&input.notes, term);
        }
        // Header fields are the author's own tagging, typed in any case ("Warning:
        // ANGST!"); archives keep one spelling per tag, so a field that named none of the
        // terms exactly is matched again case-insensitively (one hit per field).
        for (label, value) in &input.header {
            let place = format!("the {label} field");
            if f.strong.iter().any(|(p, _)| *p == place) {
                continue;
            }
            let value = value.to_lowercase();
            let hit = std::iter::once(&entry.name)
                .chain(&entry.synonyms)
                .find(|t| !t.is_empty() && count_whole_word(&value, &t.to_lowercase()) > 0);
            if let Some(term) = hit {
                f.strong.push((place, term.clone()));
            }
        }
        f
    }

    fn strong_score(&self) -> f64 {
        self.strong.len() as f64 * STRONG_WEIGHT
    }

    fn evidence(&self, entry: &VocabEntry) -> Vec<String> {
        let mut ev: Vec<String> = self
            .strong
            .iter()
            .map(|(place, term)| format!("'{term}' in {place}"))
            .collect();
        if self.text > 0 {
            ev.push(format!(
                "{}: {} mention{} in the story",
                entry.name,
                self.text,
                plural(self.text)
            ));
        }
        if self.notes > 0 {
            ev.push(format!(
                "{}: {} mention{} in the notes",
                entry.name,
                self.notes,
                plural(self.notes)
            ));
        }
        ev
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Occurrences of `term` in `hay` not touching a letter, digit or underscore on either side.
pub fn count_whole_word(hay: &str, term: &str) -> usize {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    hay.match_indices(term)
        .filter(|(i, m)| {
            let before = hay[..*i].chars().next_back();
            let after = hay[i + m.len()..].chars().next();
            !before.is_some_and(is_word) && !after.is_some_and(is_word)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary::from_json(
            r#"{"tags":[
            {"kind":"fandom","name":"Buffy the Vampire Slayer","synonyms":["BtVS"]},
            {"kind":"character","name":"Buffy Summers","synonyms":["Buffy"],"fandoms":["Buffy the Vampire Slayer"]},
            {"kind":"character","name":"Spike","fandoms":["Buffy the Vampire Slayer"]},
            {"kind":"character","name":"Dawn Summers","synonyms":["Dawn"],"fandoms":["Buffy the Vampire Slayer"]},
            {"kind":"relationship","name":"Buffy Summers/Spike","synonyms":["Spuffy"],"fandoms":["Buffy the Vampire Slayer"]},
            {"kind":"freeform","name":"Angst","synonyms":["ANGST","angst"]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn whole_words_case_sensitive() {
        assert_eq!(
            count_whole_word("Spike, Spike's, Spiked, spike", "Spike"),
            2
        );
        assert_eq!(count_whole_word("at dawn Dawn woke", "Dawn"), 1);
        assert_eq!(count_whole_word("Buffy/Spike", "Spike"), 1);
    }

    #[test]
    fn both_characters_prominent_suggest_their_relationship() {
        let vocab = Vocabulary::from_json(
            r#"{"tags":[
            {"kind":"character","name":"Buffy Summers","synonyms":["Buffy"]},
            {"kind":"character","name":"Spike"},
            {"kind":"character","name":"Dawn Summers","synonyms":["Dawn"]},
            {"kind":"relationship","name":"Buffy Summers/Spike","synonyms":["Spuffy"],"characters":["Buffy Summers","Spike"]},
            {"kind":"relationship","name":"Dawn Summers/Spike","characters":["Dawn Summers","Spike"]}]}"#,
        )
        .unwrap();
        let text = |buffy: usize, spike: usize, dawn: usize| {
            let mut t = String::new();
            for (name, n) in [("Buffy", buffy), ("Spike", spike), ("Dawn", dawn)] {
                for _ in 0..n {
                    t.push_str(name);
                    t.push_str(" walked. ");
                }
            }
            t
        };
        // Buffy 8 and Spike 7 mentions (threshold 3, prominent from 6); Dawn 3 is not.
        let input = SuggestInput {
            text: text(8, 7, 3),
            ..Default::default()
        };
        let s = suggest(&vocab, &input);
        assert_eq!(Suggestions::names(&s.relationship), ["Buffy Summers/Spike"]);
        assert_eq!(
            s.relationship[0].evidence,
            [
                "Buffy Summers: 8 mentions in the story",
                "Spike: 7 mentions in the story"
            ]
        );
        // One lead alone, or a second character far behind the first, is no pairing.
        let alone = suggest(
            &vocab,
            &SuggestInput {
                text: text(40, 7, 0),
                ..Default::default()
            },
        );
        assert!(alone.relationship.is_empty(), "{:?}", alone.relationship);
        // Named outright, it is suggested once, with the naming as evidence.
        let named = suggest(
            &vocab,
            &SuggestInput {
                summary: "Spuffy.".into(),
                text: text(8, 7, 0),
                ..Default::default()
            },
        );
        assert_eq!(
            Suggestions::names(&named.relationship),
            ["Buffy Summers/Spike"]
        );
        assert_eq!(named.relationship[0].evidence, ["'Spuffy' in the summary"]);
    }

    #[test]
    fn header_summary_and_threshold() {
        let input = SuggestInput {
            summary: "A Spuffy tale.".into(),
            header: vec![("Warning".into(), "ANGST!".into())],
            text: "Spike ran. Spike stopped. Spike sighed. Dawn waved. Buffy laughed at dawn."
                .into(),
            ..Default::default()
        };
        let s = suggest(&vocab(), &input);
        assert_eq!(Suggestions::names(&s.character), ["Spike"]);
        assert_eq!(Suggestions::names(&s.relationship), ["Buffy Summers/Spike"]);
        assert_eq!(s.relationship[0].evidence, ["'Spuffy' in the summary"]);
        assert_eq!(Suggestions::names(&s.freeform), ["Angst"]);
        assert_eq!(s.freeform[0].evidence, ["'ANGST' in the Warning field"]);
        assert_eq!(Suggestions::names(&s.fandom), ["Buffy the Vampire Slayer"]);
        assert!(
            s.character[0]
                .evidence
                .contains(&"Spike: 3 mentions in the story".to_string())
        );
    }

    #[test]
    fn header_fields_match_whatever_the_case() {
        let v = Vocabulary::from_json(r#"{"tags":[{"kind":"freeform","name":"Angst"}]}"#)
            .expect("vocabulary");
        let s = suggest(
            &v,
            &SuggestInput {
                header: vec![("Warning".into(), "ANGST!".into())],
                text: "The angst of it all.".into(),
                ..Default::default()
            },
        );
        assert_eq!(Suggestions::names(&s.freeform), ["Angst"]);
        let s = suggest(
            &v,
            &SuggestInput {
                text: "ANGST angst Angst everywhere.".into(),
                ..Default::default()
            },
        );
        assert!(s.freeform.is_empty(), "story text never makes a free tag");
    }

    #[test]
    fn empty_vocabulary_suggests_nothing() {
        let input = SuggestInput {
            text: "Spike Spike Spike".into(),
            ..Default::default()
        };
        assert!(suggest(&Vocabulary::empty(), &input).all().is_empty());
    }
}
