//! The reading of a text: header and notes at the top, markers, chrome and notes at the
//! end, chapters and scene breaks in between. Works on [`Block`]s so every format (text,
//! Markdown, HTML turned to text) follows the same rules.

use super::blocks::Block;
use super::chrome::{self, EndMarker};
use super::header::{self, FieldKind};
use super::{chapters, inline, notes, scene_breaks};
use regex::Regex;
use std::sync::LazyLock;
use tome_model::Rating;

/// One piece of a chapter's text. Paragraphs keep their formatting markers ([`inline`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Para(String),
    Break,
}

#[derive(Debug, Clone, Default)]
pub struct RawChapter {
    pub title: Option<String>,
    pub items: Vec<Item>,
    /// Notes right after the chapter's heading ("A/N: ..."), and at the end of a chapter
    /// that is not the last (the last chapter's end notes are the work's).
    pub notes_begin: Vec<String>,
    pub notes_end: Vec<String>,
}

/// Everything read from a text.
#[derive(Debug, Clone, Default)]
pub struct Story {
    pub header: Vec<(String, String)>,
    /// Warning/Genre/Characters/Pairing/Fandom fields: tag suggestion input.
    pub tagging: Vec<(String, String)>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub rating: Option<Rating>,
    pub summary: Option<String>,
    pub language: Option<String>,
    pub notes_begin: Vec<String>,
    pub notes_end: Vec<String>,
    pub chapters: Vec<RawChapter>,
    pub set_aside: Vec<String>,
    pub warnings: Vec<String>,
    pub marker: Option<EndMarker>,
    /// A "Status:"/"Completed:" header field's verdict, or AO3's "Chapters: 2/?" stats.
    pub status: Option<bool>,
    /// Archive warnings, categories, fandoms, relationships, characters and additional
    /// tags as the source typed them (an AO3 download's tag list), by header label.
    pub typed_tags: Vec<(String, Vec<String>)>,
    /// Whether `typed_tags` are the work's tags as its archive had them (an AO3
    /// download), to be kept as they are; otherwise they only feed suggestions.
    pub typed_tags_are_tags: bool,
    /// The series the source names and the work's place in it (front matter, AO3's "Series:").
    pub series: Option<(String, Option<u32>)>,
}

/// How many blocks from a chapter's end (not the last chapter) its end notes may start.
const CHAPTER_NOTES_WINDOW: usize = 6;

/// How many blocks from the end an end note may start (notes are short; a "Note:" deep
/// inside the story is story).
const END_NOTES_WINDOW: usize = 12;

/// Reads blocks into a [`Story`]. `None` when no story paragraphs remain.
pub fn read(mut blocks: Vec<Block>) -> Option<Story> {
    let mut s = Story::default();
    let start = s.read_top(&blocks);
    let mut end = blocks.len();
    // Closing pleas after the end notes, and (below) before them: both are end notes.
    let pleas_after = s.strip_end(&mut blocks, start, &mut end);
    let mut pleas_before = Vec::new();
    let after_heading =
        |j: usize| (j - 1..end).any(|k| chapters::heading(blocks[k].first()).is_some());
    let chapter_note = |b: &Block| b.first().starts_with(inline::CHAPTER_NOTE);
    if let Some(j) = (start + 1..end).find(|&j| {
        j + END_NOTES_WINDOW >= end
            && notes::note_start(&blocks[j].joined()).is_some()
            && !chapter_note(&blocks[j])
            && !after_heading(j)
    }) {
        s.notes_end = end_notes(&blocks[j..end], &mut s.set_aside);
        end = j;
        pleas_before = s.strip_end(&mut blocks, start, &mut end);
    }
    s.notes_end.splice(0..0, pleas_before);
    s.notes_end.extend(pleas_after);
    s.chapters = s.split_chapters(&blocks[start..end]);
    if s.chapters.iter().all(|c| c.items.is_empty()) {
        return None;
    }
    Some(s)
}

/// The paragraphs of end notes starting at `blocks[0]` (a note label), chrome set aside.
fn end_notes(blocks: &[Block], set_aside: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, b) in blocks.iter().enumerate() {
        for p in b.paragraphs() {
            if k > 0 && chrome::is_chrome(&p) && !chrome::is_plea(&p) {
                set_aside.push(plain(&p));
            } else if let Some(n) = notes::note_start(&p) {
                // The opening label, or a second labelled note ("End Notes:" after a chapter's).
                out.extend(Some(n.text).filter(|t| !t.is_empty()));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn plain(s: &str) -> String {
    inline::plain(s).into_owned()
}

/// Sets aside end markers and chrome at the end of `blocks[start..end]`, line by line, and
/// moves closing pleas ("Please review!") to `pleas` (in reading order, with their
/// formatting: they are end notes); returns the end marker found closest to the end.
fn strip_tail(
    blocks: &mut [Block],
    start: usize,
    end: &mut usize,
    set_aside: &mut Vec<String>,
    pleas: &mut Vec<String>,
) -> Option<EndMarker> {
    let mut marker = None;
    let mut found: Vec<String> = Vec::new();
    while *end > start {
        let b = &mut blocks[*end - 1];
        let Some(last) = b.lines.last() else {
            *end -= 1;
            continue;
        };
        if let Some(m) = chrome::end_marker(last) {
            marker = marker.or(Some(m));
            set_aside.push(plain(last));
            b.lines.pop();
        } else if chrome::is_plea(&b.joined()) {
            found.push(b.joined());
            b.lines.clear();
        } else if b.lines.len() > 1 && chrome::is_plea(last) {
            found.extend(b.lines.pop());
        } else if chrome::is_chrome(&b.joined()) {
            set_aside.push(plain(&b.joined()));
            b.lines.clear();
        } else if b.lines.len() > 1 && chrome::is_chrome(last) {
            set_aside.push(plain(last));
            b.lines.pop();
        } else {
            break;
        }
        if b.lines.is_empty() {
            *end -= 1;
        }
    }
    pleas.extend(found.into_iter().rev());
    marker
}

/// A status as archives write it: "Complete", "Completed", "In-Progress", "WIP", ...
pub fn status_word(value: &str) -> Option<bool> {
    let v = value.trim().to_lowercase();
    let v = v.trim_end_matches(['.', '!']);
    let done = ["complete", "completed", "yes", "finished", "done"];
    let wip = [
        "wip",
        "in progress",
        "in-progress",
        "incomplete",
        "no",
        "ongoing",
        "work in progress",
    ];
    if done.contains(&v) {
        Some(true)
    } else if wip.contains(&v) {
        Some(false)
    } else {
        None
    }
}

static STATS_CHAPTERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bchapters:?\s*(\d+)\s*/\s*(\d+|\?)").expect("stats chapters pattern")
});

/// AO3's "Series: Part 2 of Steps" (the first series when there are several).
static SERIES_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^part\s+(\d+)\s+of\s+(.+?)(?:,\s*part\s+\d+\s+of\s+.*)?$")
        .expect("series pattern")
});

impl Story {
    /// Header fields, note paragraphs and chrome at the top; returns where the story starts.
    fn read_top(&mut self, blocks: &[Block]) -> usize {
        let mut i = 0;
        while i < blocks.len() {
            let b = &blocks[i];
            let joined = b.joined();
            if chrome::is_chrome(&joined) {
                self.set_aside.push(plain(&joined));
            } else if let Some(fields) = header::parse_block(&b.lines) {
                for (label, value, kind) in fields {
                    self.field(label, value, kind);
                }
            } else if let Some(n) = notes::note_start(&joined) {
                if n.text.is_empty() {
                    // A label on its own line: the note is the next block.
                    if let Some(next) = blocks.get(i + 1) {
                        self.notes_begin.extend(next.paragraphs());
                        i += 1;
                    }
                } else {
                    self.notes_begin.push(n.text);
                }
            } else {
                break;
            }
            i += 1;
        }
        i
    }

    /// One header field. `marked` keeps formatting markers: the summary and the fields
    /// that go into the notes keep them; every other value is read as plain text.
    fn field(&mut self, label: String, marked: String, kind: FieldKind) {
        let value = plain(&marked);
        self.header.push((label.clone(), value.clone()));
        let set = |slot: &mut Option<String>| {
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.clone());
            }
        };
        match kind {
            FieldKind::Title => set(&mut self.title),
            FieldKind::Author => set(&mut self.author),
            FieldKind::Summary => {
                if self.summary.is_none() && !value.is_empty() {
                    self.summary = Some(marked);
                }
            }
            FieldKind::Language => set(&mut self.language),
            FieldKind::Rating => match Rating::from_archive_text(&value) {
                Some(r) => self.rating = self.rating.or(Some(r)),
                None => self
                    .warnings
                    .push(format!("rating '{value}' not understood")),
            },
            FieldKind::Tagging => {
                let items = value
                    .split([',', ';'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect();
                self.typed_tags.push((label.clone(), items));
                self.tagging.push((label, value));
            }
            FieldKind::Disclaimer => self.set_aside.push(format!("{label}: {value}")),
            FieldKind::Status => {
                if let Some(done) = status_word(&value) {
                    self.status = Some(done);
                }
            }
            FieldKind::Info => {
                // AO3's stats: "Chapters: 2/2" is finished, "2/?" or "2/5" is not.
                if label.eq_ignore_ascii_case("series")
                    && self.series.is_none()
                    && let Some(c) = SERIES_PART.captures(&value)
                {
                    self.series = Some((c[2].trim().to_string(), c[1].parse().ok()));
                }
                let stats = format!("{label}: {value}");
                if let Some(c) = STATS_CHAPTERS.captures(&stats)
                    && self.status.is_none()
                {
                    let (done, of) = (&c[1], &c[2]);
                    self.status = Some(of != "?" && done == of);
                }
            }
            FieldKind::ForNotes => self.notes_begin.push(format!("{label}: {marked}")),
        }
    }

    /// Sets aside end markers and chrome at the end of the text; the marker found there
    /// (the last chapter's) is the one that decides whether the work is complete.
    /// Returns the closing pleas found there (see [`strip_tail`]).
    fn strip_end(&mut self, blocks: &mut [Block], start: usize, end: &mut usize) -> Vec<String> {
        let mut pleas = Vec::new();
        let m = strip_tail(blocks, start, end, &mut self.set_aside, &mut pleas);
        self.marker = self.marker.or(m);
        pleas
    }

    /// Whether the work is complete; see [`completion`].
    pub fn complete(&self) -> Option<bool> {
        completion(
            self.marker,
            self.status,
            &self.notes_begin,
            &self.notes_end,
            self.chapters.len(),
        )
    }
}

static MORE_TO_COME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:next|previous|last|first|second|third|final|new|this|upcoming)\s+(?:chapter|part|installment)s?|ch(?:apter)?\.?\s*\d+|to\s+be\s+continued|sequel|more\s+(?:soon|to\s+come)|will\s+update|updates?\s+soon)\b",
    )
    .expect("continuation pattern")
});

/// Notes that say plainly that more is coming: the work is in progress.
static WIP_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:the\s+)?(?:next|new)\s+(?:chapter|part|update|installment)\s+(?:is\s+|will\s+be\s+(?:up\s+|out\s+|posted\s+)?|should\s+be\s+(?:up\s+|out\s+)?)?(?:coming\s+)?(?:soon(?:ish)?|shortly|next\s+week|tomorrow)|more\s+(?:soon|to\s+come)|to\s+be\s+continued|(?:i'?ll|i\s+will)\s+update\s+soon|updates?\s+(?:coming\s+)?soon|this\s+is\s+(?:a|my)\s+(?:wip|work\s+in\s+progress)|still\s+(?:a\s+)?(?:wip|work\s+in\s+progress))\b",
    )
    .expect("wip note pattern")
});

/// Whether a work is complete, from what its text says:
///
/// 1. An explicit marker wins: "To be continued"/"TBC" → `Some(false)`, "The End"/"Fin" →
///    `Some(true)`; a "Status:"/"Completed:" header field counts as a marker.
/// 2. Otherwise, notes that say more is coming ("next chapter soon", "more to come", "I'll
///    update soon", "this is a WIP") → `Some(false)`.
/// 3. Otherwise, notes that speak of other chapters or of continuing ("next chapter",
///    "previous chapter", "ch. 2", "sequel", "more soon") → `None`: the file is probably
///    one part of something longer and cannot tell whether that is finished.
/// 4. Otherwise a single-chapter text (a one-shot saved whole) → `Some(true)`.
/// 5. Several chapters and no marker → `None`: more may follow.
pub fn completion(
    marker: Option<EndMarker>,
    status: Option<bool>,
    notes_begin: &[String],
    notes_end: &[String],
    chapters: usize,
) -> Option<bool> {
    match marker {
        Some(EndMarker::ToBeContinued) => return Some(false),
        Some(EndMarker::TheEnd) => return Some(true),
        None => {}
    }
    if status.is_some() {
        return status;
    }
    if notes_begin
        .iter()
        .chain(notes_end)
        .any(|n| WIP_NOTE.is_match(&plain(n)))
    {
        return Some(false);
    }
    if notes_begin
        .iter()
        .chain(notes_end)
        .any(|n| MORE_TO_COME.is_match(n))
    {
        return None;
    }
    (chapters <= 1).then_some(true)
}

impl Story {
    /// Splits story blocks at chapter headings and marks scene breaks. Each chapter's own
    /// beginning (chrome, "A/N:" notes after its heading) and end (chrome, end markers such
    /// as "TBC" or "The End", notes) are read like the work's: set aside or kept as the
    /// chapter's notes, never story text. Only the last chapter's marker counts for
    /// completion (see [`Story::strip_end`]).
    fn split_chapters(&mut self, blocks: &[Block]) -> Vec<RawChapter> {
        let mut raw: Vec<(Option<String>, Vec<Block>)> = Vec::new();
        let mut current: (Option<String>, Vec<Block>) = (None, Vec::new());
        let mut seen_heading = false;
        let mut k = 0;
        while k < blocks.len() {
            let b = &blocks[k];
            k += 1;
            let Some(h) = chapters::heading(b.first()) else {
                current.1.push(b.clone());
                continue;
            };
            if !current.1.is_empty() || seen_heading {
                raw.push(std::mem::take(&mut current));
            }
            seen_heading = true;
            current.0 = h.title;
            let mut rest: Vec<String> = b.lines[1..].to_vec();
            if h.bare {
                if rest.first().is_some_and(|l| chapters::is_title_line(l)) {
                    current.0 = Some(plain(&rest.remove(0)).trim().to_string());
                } else if rest.is_empty()
                    && k + 1 < blocks.len()
                    && blocks[k].lines.len() == 1
                    && chapters::is_title_line(blocks[k].first())
                    && chapters::heading(blocks[k + 1].first()).is_none()
                {
                    current.0 = Some(plain(blocks[k].first()).trim().to_string());
                    k += 1;
                }
            }
            if !rest.is_empty() {
                current.1.push(Block {
                    lines: rest,
                    gap: 0,
                });
            }
        }
        raw.push(current);
        let count = raw.len();
        let mut notes = Vec::with_capacity(count);
        for (i, (_, blocks)) in raw.iter_mut().enumerate() {
            let begin = if seen_heading {
                self.chapter_start(blocks)
            } else {
                Vec::new()
            };
            let end = if i + 1 < count {
                self.chapter_end(blocks)
            } else {
                self.structured_chapter_end(blocks)
            };
            notes.push((begin, end));
        }
        let normal = normal_gap(raw.iter().map(|(_, b)| b.as_slice()));
        raw.into_iter()
            .zip(notes)
            .map(|((title, blocks), (notes_begin, notes_end))| RawChapter {
                title,
                items: items(&blocks, normal),
                notes_begin,
                notes_end,
            })
            .filter(|c| !c.items.is_empty())
            .collect()
    }

    /// Chrome and notes right after a chapter heading: removed from `blocks`; returns the notes.
    fn chapter_start(&mut self, blocks: &mut Vec<Block>) -> Vec<String> {
        let mut notes = Vec::new();
        let mut i = 0;
        while i < blocks.len() {
            let joined = blocks[i].joined();
            if chrome::is_chrome(&joined) {
                self.set_aside.push(plain(&joined));
            } else if let Some(n) = notes::note_start(&joined) {
                if n.text.is_empty() {
                    if let Some(next) = blocks.get(i + 1) {
                        notes.extend(next.paragraphs());
                        i += 1;
                    }
                } else {
                    notes.push(n.text);
                }
            } else {
                break;
            }
            i += 1;
        }
        blocks.drain(..i.min(blocks.len()));
        notes
    }

    /// The last chapter's own end notes, when a structured source said so
    /// ([`inline::CHAPTER_NOTE`]): removed from `blocks`; returns the notes.
    fn structured_chapter_end(&mut self, blocks: &mut Vec<Block>) -> Vec<String> {
        let start = blocks.len().saturating_sub(CHAPTER_NOTES_WINDOW);
        let Some(j) =
            (start..blocks.len()).find(|&j| blocks[j].first().starts_with(inline::CHAPTER_NOTE))
        else {
            return Vec::new();
        };
        let notes = end_notes(&blocks[j..], &mut self.set_aside);
        blocks.truncate(j);
        notes
    }

    /// End markers, chrome and notes at the end of a chapter that is not the last: removed
    /// from `blocks` (markers and chrome set aside); returns the notes.
    fn chapter_end(&mut self, blocks: &mut Vec<Block>) -> Vec<String> {
        let mut end = blocks.len();
        let mut pleas_after = Vec::new();
        let mut pleas_before = Vec::new();
        strip_tail(blocks, 0, &mut end, &mut self.set_aside, &mut pleas_after);
        let mut notes = Vec::new();
        if let Some(j) = (1..end).find(|&j| {
            j + CHAPTER_NOTES_WINDOW >= end && notes::note_start(&blocks[j].joined()).is_some()
        }) {
            notes = end_notes(&blocks[j..end], &mut self.set_aside);
            end = j;
            strip_tail(blocks, 0, &mut end, &mut self.set_aside, &mut pleas_before);
        }
        blocks.truncate(end);
        notes.splice(0..0, pleas_before);
        notes.extend(pleas_after);
        notes
    }
}

/// The usual number of blank lines between paragraphs (the most common gap). Paragraphs
/// separated by single newlines count as gap 0.
fn normal_gap<'a>(chapters: impl Iterator<Item = &'a [Block]>) -> usize {
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    for blocks in chapters {
        for (i, b) in blocks.iter().enumerate() {
            if b.line_per_paragraph() {
                *counts.entry(0).or_default() += b.lines.len() - 1;
            }
            let is_break = |b: &Block| b.lines.iter().all(|l| scene_breaks::is_break_line(l));
            if i > 0 && !is_break(b) && !is_break(&blocks[i - 1]) {
                *counts.entry(b.gap).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(gap, n)| (n, std::cmp::Reverse(gap)))
        .map_or(1, |(gap, _)| gap)
}

/// Paragraphs and breaks: break rows, and gaps wider than usual. Breaks at the start or end
/// of a chapter, and runs of breaks, count once or not at all.
fn items(blocks: &[Block], normal: usize) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 && b.gap > normal {
            out.push(Item::Break);
        }
        let mut lines: Vec<String> = Vec::new();
        let flush = |lines: &mut Vec<String>, out: &mut Vec<Item>| {
            if !lines.is_empty() {
                let block = Block {
                    lines: std::mem::take(lines),
                    gap: 0,
                };
                out.extend(block.paragraphs().into_iter().map(Item::Para));
            }
        };
        for line in &b.lines {
            if scene_breaks::is_break_line(line) {
                flush(&mut lines, &mut out);
                out.push(Item::Break);
            } else {
                lines.push(line.clone());
            }
        }
        flush(&mut lines, &mut out);
    }
    out.dedup_by(|a, b| *a == Item::Break && *b == Item::Break);
    while out.first() == Some(&Item::Break) {
        out.remove(0);
    }
    while out.last() == Some(&Item::Break) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::split;

    fn story(text: &str) -> Story {
        read(split(text)).expect("a story")
    }

    fn breaks(s: &Story) -> usize {
        s.chapters
            .iter()
            .flat_map(|c| &c.items)
            .filter(|i| **i == Item::Break)
            .count()
    }

    #[test]
    fn each_break_style_counts_once() {
        for row in [
            "* * *", "-----", "~~~", "###", "=====", "_____", "oOo", "xXx", "o0o", "      §",
        ] {
            let s = story(&format!("One.\n\nTwo.\n\n{row}\n\nThree.\n\nFour.\n"));
            assert_eq!(breaks(&s), 1, "{row}");
        }
        let s = story("One.\n\nTwo.\n\n\nThree.\n\nFour.\n\n\n\nFive.\n\n\n");
        assert_eq!(breaks(&s), 2);
        let s = story("One.\n\n\n* * *\n\n\nTwo.\n");
        assert_eq!(breaks(&s), 1);
        let s = story("* * *\n\nOne.\n\nTwo.\n\n* * *\n");
        assert_eq!(breaks(&s), 0);
    }

    #[test]
    fn markers_and_completion() {
        let s = story("One.\n\nTwo.\nTo be continued...\n");
        assert_eq!(s.complete(), Some(false));
        assert_eq!(s.set_aside, ["To be continued..."]);
        let s = story("One.\n\nTwo.\n\nTBC\n");
        assert_eq!(s.complete(), Some(false));
        let s = story("One.\n\nTwo.\n\nThe End\n\nPlease review!\n");
        assert_eq!(s.complete(), Some(true));
        assert_eq!(s.notes_end, ["Please review!"]);
        assert_eq!(s.set_aside, ["The End"]);
        let s = story("One.\n\nTwo.\n\nAuthor's note: the next chapter is coming.\n");
        assert_eq!(s.complete(), None);
        assert_eq!(s.notes_end, ["the next chapter is coming."]);
        assert_eq!(story("One.\n\nTwo.\n").complete(), Some(true));
        let s = story("Status: WIP\n\nOne.\n");
        assert_eq!(s.complete(), Some(false));
    }

    #[test]
    fn work_in_progress_and_closing_pleas() {
        // The issue's case: "TBC" then a plea, at the end of the story.
        let s = story("One.\n\nTwo.\n\nTBC\n\nPlease review!\n");
        assert_eq!(s.complete(), Some(false));
        assert_eq!(s.notes_end, ["Please review!"]);
        assert_eq!(s.chapters[0].items.last(), Some(&Item::Para("Two.".into())));
        for end in [
            "End of chapter 3",
            "Next chapter soon!",
            "WIP",
            "To be continued...",
            "~TBC~",
        ] {
            let s = story(&format!("One.\n\nTwo.\n\n{end}\n"));
            assert_eq!(s.complete(), Some(false), "{end}");
            assert_eq!(s.chapters[0].items.len(), 2, "{end}");
        }
        // Pleas on the story's last lines, before and after labelled end notes, keep their order.
        let s = story(
            "One.\n\nTwo.\nReviews make me write faster!\n\nA/N: thanks to my beta.\n\nLet me know what you think!\n\nYou must login (register) to review.",
        );
        assert_eq!(
            s.notes_end,
            [
                "Reviews make me write faster!",
                "thanks to my beta.",
                "Let me know what you think!"
            ]
        );
        assert_eq!(s.set_aside, ["You must login (register) to review."]);
        assert_eq!(s.complete(), Some(true));
        // A note that says more is coming.
        let s = story("One.\n\nTwo.\n\nA/N: More soon, I promise!\n");
        assert_eq!(s.complete(), Some(false));
        // A chapter's own end: its plea is its end note, its TBC set aside; the last decides.
        let s =
            story("Chapter 1\n\nOne.\n\nTBC\n\nPlease review!\n\nChapter 2\n\nTwo.\n\nThe End\n");
        assert_eq!(s.chapters[0].notes_end, ["Please review!"]);
        assert_eq!(s.chapters[0].items, [Item::Para("One.".into())]);
        assert_eq!(s.complete(), Some(true));
        // A story whose last words merely look like these stays story.
        let s = story("One.\n\n\"Let me know when you get there,\" he said.\n");
        assert_eq!(s.chapters[0].items.len(), 2);
        assert!(s.notes_end.is_empty());
    }

    #[test]
    fn chrome_is_set_aside() {
        let s = story(
            "Back to index\n\nDisclaimer: not mine.\n\nStory.\n\nMore story.\n\nYou must login (register) to review.",
        );
        assert_eq!(
            s.set_aside,
            [
                "Back to index",
                "Disclaimer: not mine.",
                "You must login (register) to review."
            ]
        );
        assert_eq!(
            s.chapters[0].items,
            [
                Item::Para("Story.".into()),
                Item::Para("More story.".into())
            ]
        );
    }

    #[test]
    fn notes_at_both_ends() {
        let s = story(
            "A/N: hello.\n\nPS: also this.\n\nStory one.\n\nStory two.\n\nNote: bye.\n\nMore bye.",
        );
        assert_eq!(s.notes_begin, ["hello.", "PS: also this."]);
        assert_eq!(s.notes_end, ["bye.", "More bye."]);
        assert_eq!(s.chapters[0].items.len(), 2);
    }

    #[test]
    fn titled_chapters() {
        let text = "Title: Fire Story\n\nPrologue\n\nIt began.\n\nChapter One: The Beginning\n\nShe woke.\n\n* * *\n\nShe slept.\n\nChapter 2 - Fire\n\nIt burned.\n\nChapter 3\nAshes\n\nIt ended.\n\nEpilogue\n\nLater.\n\nThe End";
        let s = story(text);
        let titles: Vec<_> = s.chapters.iter().map(|c| c.title.as_deref()).collect();
        assert_eq!(
            titles,
            [
                Some("Prologue"),
                Some("The Beginning"),
                Some("Fire"),
                Some("Ashes"),
                Some("Epilogue")
            ]
        );
        assert_eq!(s.chapters[1].items.len(), 3);
        assert_eq!(s.chapters[4].items, [Item::Para("Later.".into())]);
        assert_eq!(s.complete(), Some(true));
    }

    #[test]
    fn line_per_paragraph_files() {
        let long = "word ".repeat(30);
        let s = story(&format!("{long}\n{long}\n{long}\n\n{long}\n{long}"));
        assert_eq!(s.chapters[0].items.len(), 6);
        assert_eq!(breaks(&s), 1);
    }
}
