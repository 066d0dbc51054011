//! Assembling the result: plain text and sanitized HTML per chapter, the draft with the
//! user's overrides, tag suggestions, and the JSON report.

use serde_json::{Value, json};
use tome_model::{ChapterDraft, TagKind, WorkDraft, count_words};

use super::story::{Item, RawChapter, Story};
use super::{Format, ImportError, ImportOptions, Imported, ImportedChapter, markdown_input};
use crate::suggest::{SuggestInput, Suggestion, Suggestions, Vocabulary, suggest};
use crate::{escape_html, sanitize_html};

pub(super) fn build(
    file: String,
    format: Format,
    encoding: &'static str,
    story: Story,
    mut warnings: Vec<String>,
    vocab: &Vocabulary,
    opts: &ImportOptions,
) -> Imported {
    warnings.extend(story.warnings.iter().cloned());
    let chapters: Vec<ImportedChapter> =
        story.chapters.iter().map(|c| chapter(c, format)).collect();
    let words = chapters.iter().map(|c| c.words).sum();
    let scene_breaks = chapters.iter().map(|c| c.scene_breaks).sum();
    let complete = story.complete();
    let notes_begin = join_paras(&story.notes_begin);
    let notes_end = join_paras(&story.notes_end);
    let suggested = suggest(
        vocab,
        &SuggestInput {
            title: story.title.clone().unwrap_or_default(),
            summary: story.summary.clone().unwrap_or_default(),
            header: story.tagging.clone(),
            notes: [notes_begin.as_deref(), notes_end.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n\n"),
            text: chapters
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n"),
        },
    );
    let title = match (&opts.title, &story.title) {
        (Some(t), _) => t.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => {
            warnings.push("no title found; using the file name".to_string());
            title_from_file(&file)
        }
    };
    let draft = WorkDraft {
        title,
        authors: if opts.authors.is_empty() {
            story.author.iter().cloned().collect()
        } else {
            opts.authors.clone()
        },
        rating: opts.rating.or(story.rating),
        tags: draft_tags(&story, &suggested, vocab, opts),
        language: opts
            .language
            .clone()
            .or(story.language.clone())
            .unwrap_or_else(|| "en".to_string()),
        summary_html: story
            .summary
            .as_deref()
            .map(|s| paras_html(&[s.to_string()])),
        notes_begin_html: (!story.notes_begin.is_empty()).then(|| paras_html(&story.notes_begin)),
        notes_end_html: (!story.notes_end.is_empty()).then(|| paras_html(&story.notes_end)),
        chapters: chapters
            .iter()
            .map(|c| ChapterDraft {
                title: c.title.clone(),
                body_html: c.html.clone(),
                word_count: c.words,
                ..Default::default()
            })
            .collect(),
        complete,
        expected_chapters: (complete == Some(true)).then_some(chapters.len() as u32),
        ..Default::default()
    };
    Imported {
        file,
        format,
        encoding,
        title: story.title,
        author: story.author,
        rating: story.rating,
        summary: story.summary,
        notes_begin,
        notes_end,
        chapters,
        scene_breaks,
        complete,
        words,
        header: story.header,
        set_aside: story.set_aside,
        warnings,
        suggested,
        draft,
    }
}

fn chapter(c: &RawChapter, format: Format) -> ImportedChapter {
    let mut text = String::new();
    let mut html = String::new();
    let mut breaks = 0;
    let mut pending_break = false;
    for item in &c.items {
        match item {
            Item::Break => {
                breaks += 1;
                pending_break = true;
                html.push_str("<hr>\n");
            }
            Item::Para(p) => {
                let (plain, h) = match format {
                    Format::Markdown => {
                        (markdown_input::para_plain(p), markdown_input::para_html(p))
                    }
                    _ => (
                        p.clone(),
                        format!("<p>{}</p>\n", escape_html(p).replace('\n', "<br>\n")),
                    ),
                };
                if !text.is_empty() {
                    text.push_str(if pending_break { "\n\n\n" } else { "\n\n" });
                }
                pending_break = false;
                text.push_str(&plain);
                html.push_str(&h);
            }
        }
    }
    ImportedChapter {
        title: c.title.clone(),
        words: count_words(&text),
        text,
        html: sanitize_html(&html),
        scene_breaks: breaks,
    }
}

fn join_paras(paras: &[String]) -> Option<String> {
    (!paras.is_empty()).then(|| paras.join("\n\n"))
}

fn paras_html(paras: &[String]) -> String {
    let html: String = paras
        .iter()
        .map(|p| format!("<p>{}</p>\n", escape_html(p).replace('\n', "<br>\n")))
        .collect();
    sanitize_html(&html)
}

/// "my_story-final.txt" -> "My story final".
fn title_from_file(file: &str) -> String {
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words = stem
        .replace(['_', '-', '.'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut cs = words.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => "Untitled".to_string(),
    }
}

/// The user's fandoms and tags, header values that are exactly a canonical tag, and the
/// suggestions when the user accepted them; each once.
fn draft_tags(
    story: &Story,
    suggested: &Suggestions,
    vocab: &Vocabulary,
    opts: &ImportOptions,
) -> Vec<(TagKind, String)> {
    let mut tags: Vec<(TagKind, String)> = Vec::new();
    let mut add = |kind: TagKind, name: &str| {
        let name = name.trim();
        if !name.is_empty() && !tags.iter().any(|(k, n)| *k == kind && n == name) {
            tags.push((kind, name.to_string()));
        }
    };
    opts.fandoms.iter().for_each(|f| add(TagKind::Fandom, f));
    for (_, value) in &story.tagging {
        for item in value.split([',', ';']) {
            let item = item.trim().trim_end_matches(['.', '!']);
            if let Some(e) = vocab
                .entries()
                .iter()
                .find(|e| e.name == item && e.kind.is_free())
            {
                add(e.kind, &e.name);
            }
        }
    }
    if opts.accept_suggestions {
        for (kind, s) in suggested.all() {
            add(kind, &s.name);
        }
    }
    opts.tags.iter().for_each(|t| add(TagKind::Freeform, t));
    tags
}

fn names(list: &[Suggestion]) -> Vec<&str> {
    list.iter().map(|s| s.name.as_str()).collect()
}

impl Imported {
    /// The JSON report (`tome import --json`): the keys expected.json uses, plus format,
    /// encoding, warnings, what was set aside, the header fields and suggestion evidence.
    pub fn to_json(&self) -> Value {
        let s = &self.suggested;
        json!({
            "file": self.file,
            "ok": true,
            "error": null,
            "title": self.title,
            "author": self.author,
            "rating": self.rating.map(|r| r.as_str()),
            "summary": self.summary,
            "notes_begin": self.notes_begin,
            "notes_end": self.notes_end,
            "chapters": self.chapters.iter().map(|c| json!({
                "title": c.title, "text": c.text, "words": c.words, "scene_breaks": c.scene_breaks,
            })).collect::<Vec<_>>(),
            "scene_breaks": self.scene_breaks,
            "complete": self.complete,
            "words": self.words,
            "suggested": {
                "fandom": names(&s.fandom),
                "character": names(&s.character),
                "relationship": names(&s.relationship),
                "freeform": names(&s.freeform),
            },
            "suggestion_evidence": s,
            "format": self.format.as_str(),
            "encoding": self.encoding,
            "header": self.header.iter().map(|(l, v)| json!([l, v])).collect::<Vec<_>>(),
            "set_aside": self.set_aside,
            "warnings": self.warnings,
            "draft_title": self.draft.title,
        })
    }
}

/// The JSON report of a failed import: the same keys, `ok: false`, the one-line error.
pub fn error_json(file: &str, err: &ImportError) -> Value {
    json!({
        "file": file,
        "ok": false,
        "error": err.to_string(),
        "title": null,
        "author": null,
        "rating": null,
        "summary": null,
        "notes_begin": null,
        "notes_end": null,
        "chapters": null,
        "scene_breaks": null,
        "complete": null,
        "words": null,
        "suggested": null,
    })
}
