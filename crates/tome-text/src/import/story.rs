//! The reading of a text: header and notes at the top, markers, chrome and notes at the
//! end, chapters and scene breaks in between. Works on [`Block`]s so every format (text,
//! Markdown, HTML turned to text) follows the same rules.

use super::blocks::Block;
use super::chrome::{self, EndMarker};
use super::header::{self, FieldKind};
use super::{chapters, notes, scene_breaks};
use regex::Regex;
use std::sync::LazyLock;
use tome_model::Rating;

/// One piece of a chapter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Para(String),
    Break,
}

#[derive(Debug, Clone, Default)]
pub struct RawChapter {
    pub title: Option<String>,
    pub items: Vec<Item>,
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
    /// A "Status:"/"Completed:" header field's verdict.
    pub status: Option<bool>,
}

/// How many blocks from the end an end note may start (notes are short; a "Note:" deep
/// inside the story is story).
const END_NOTES_WINDOW: usize = 12;

/// Reads blocks into a [`Story`]. `None` when no story paragraphs remain.
pub fn read(mut blocks: Vec<Block>) -> Option<Story> {
    let mut s = Story::default();
    let start = s.read_top(&blocks);
    let mut end = blocks.len();
    s.strip_end(&mut blocks, start, &mut end);
    if let Some(j) = (start + 1..end)
        .find(|&j| j + END_NOTES_WINDOW >= end && notes::note_start(&blocks[j].joined()).is_some())
    {
        for (k, b) in blocks[j..end].iter().enumerate() {
            for p in b.paragraphs() {
                if k > 0 && chrome::is_chrome(&p) {
                    s.set_aside.push(p);
                } else if k == 0 {
                    if let Some(n) = notes::note_start(&p) {
                        s.notes_end.extend(Some(n.text).filter(|t| !t.is_empty()));
                    }
                } else {
                    s.notes_end.push(p);
                }
            }
        }
        end = j;
        s.strip_end(&mut blocks, start, &mut end);
    }
    s.chapters = split_chapters(&blocks[start..end]);
    if s.chapters.iter().all(|c| c.items.is_empty()) {
        return None;
    }
    Some(s)
}

impl Story {
    /// Header fields, note paragraphs and chrome at the top; returns where the story starts.
    fn read_top(&mut self, blocks: &[Block]) -> usize {
        let mut i = 0;
        while i < blocks.len() {
            let b = &blocks[i];
            let joined = b.joined();
            if chrome::is_chrome(&joined) {
                self.set_aside.push(joined);
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

    fn field(&mut self, label: String, value: String, kind: FieldKind) {
        self.header.push((label.clone(), value.clone()));
        let set = |slot: &mut Option<String>| {
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.clone());
            }
        };
        match kind {
            FieldKind::Title => set(&mut self.title),
            FieldKind::Author => set(&mut self.author),
            FieldKind::Summary => set(&mut self.summary),
            FieldKind::Language => set(&mut self.language),
            FieldKind::Rating => match Rating::from_archive_text(&value) {
                Some(r) => self.rating = self.rating.or(Some(r)),
                None => self
                    .warnings
                    .push(format!("rating '{value}' not understood")),
            },
            FieldKind::Tagging => self.tagging.push((label, value)),
            FieldKind::Disclaimer => self.set_aside.push(format!("{label}: {value}")),
            FieldKind::Status => {
                let v = value.to_lowercase();
                let done = ["complete", "completed", "yes", "finished", "done"];
                let wip = [
                    "wip",
                    "in progress",
                    "incomplete",
                    "no",
                    "ongoing",
                    "work in progress",
                ];
                let v = v.trim_end_matches(['.', '!']);
                if done.contains(&v) {
                    self.status = Some(true);
                } else if wip.contains(&v) {
                    self.status = Some(false);
                }
            }
            FieldKind::Info => {}
            FieldKind::ForNotes => self.notes_begin.push(format!("{label}: {value}")),
        }
    }

    /// Sets aside end markers and chrome at the end of `blocks[start..end]`, line by line.
    fn strip_end(&mut self, blocks: &mut [Block], start: usize, end: &mut usize) {
        while *end > start {
            let b = &mut blocks[*end - 1];
            let Some(last) = b.lines.last() else {
                *end -= 1;
                continue;
            };
            if let Some(m) = chrome::end_marker(last) {
                self.marker = self.marker.or(Some(m));
                self.set_aside.push(last.clone());
                b.lines.pop();
            } else if chrome::is_chrome(&b.joined()) {
                self.set_aside.push(b.joined());
                b.lines.clear();
            } else if b.lines.len() > 1 && chrome::is_chrome(last) {
                self.set_aside.push(last.clone());
                b.lines.pop();
            } else {
                break;
            }
            if b.lines.is_empty() {
                *end -= 1;
            }
        }
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

/// Whether a work is complete, from what its text says:
///
/// 1. An explicit marker wins: "To be continued"/"TBC" → `Some(false)`, "The End"/"Fin" →
///    `Some(true)`; a "Status:"/"Completed:" header field counts as a marker.
/// 2. Otherwise, notes that speak of other chapters or of continuing ("next chapter",
///    "previous chapter", "ch. 2", "sequel", "more soon") → `None`: the file is probably
///    one part of something longer and cannot tell whether that is finished.
/// 3. Otherwise a single-chapter text (a one-shot saved whole) → `Some(true)`.
/// 4. Several chapters and no marker → `None`: more may follow.
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
        .any(|n| MORE_TO_COME.is_match(n))
    {
        return None;
    }
    (chapters <= 1).then_some(true)
}

/// Splits story blocks at chapter headings and marks scene breaks.
fn split_chapters(blocks: &[Block]) -> Vec<RawChapter> {
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
                current.0 = Some(rest.remove(0));
            } else if rest.is_empty()
                && k + 1 < blocks.len()
                && blocks[k].lines.len() == 1
                && chapters::is_title_line(blocks[k].first())
                && chapters::heading(blocks[k + 1].first()).is_none()
            {
                current.0 = Some(blocks[k].first().to_string());
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
    let normal = normal_gap(raw.iter().map(|(_, b)| b.as_slice()));
    raw.into_iter()
        .map(|(title, blocks)| RawChapter {
            title,
            items: items(&blocks, normal),
        })
        .filter(|c| !c.items.is_empty())
        .collect()
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
        let s = story("One.\n\nTwo.\n\nAuthor's note: the next chapter is coming.\n");
        assert_eq!(s.complete(), None);
        assert_eq!(s.notes_end, ["the next chapter is coming."]);
        assert_eq!(story("One.\n\nTwo.\n").complete(), Some(true));
        let s = story("Status: WIP\n\nOne.\n");
        assert_eq!(s.complete(), Some(false));
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
