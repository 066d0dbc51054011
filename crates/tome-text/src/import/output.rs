//! Assembling the result: plain text and sanitized HTML per chapter, the draft with the
//! user's overrides, tag suggestions, and the JSON report.

use serde_json::{Value, json};
use tome_model::{Category, ChapterDraft, TagKind, Warning, WorkDraft, count_words};

use super::inline::{self, HtmlBlocks};
use super::story::{Item, RawChapter, Story};
use super::{
    Format, ImportError, ImportOptions, Imported, ImportedChapter, StatedTags, markdown_input,
};
use crate::sanitize_html;
use crate::suggest::{SuggestInput, Suggestion, Suggestions, Vocabulary, suggest};

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
    let notes_begin = join_paras(&story.notes_begin, format);
    let notes_end = join_paras(&story.notes_end, format);
    let summary = story.summary.as_deref().map(|s| plain_para(s, format));
    let suggested = suggest(
        vocab,
        &SuggestInput {
            title: story.title.clone().unwrap_or_default(),
            summary: summary.clone().unwrap_or_default(),
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
    let (archive_warnings, categories) = fixed_tags(&story);
    let tags = stated_tags(&story);
    let draft = WorkDraft {
        title,
        authors: if !opts.authors.is_empty() {
            opts.authors.clone()
        } else if story.typed_tags_are_tags {
            // An AO3 byline lists co-creators comma-separated (pseuds hold no commas).
            story
                .author
                .iter()
                .flat_map(|a| a.split(", "))
                .map(str::to_string)
                .collect()
        } else {
            story.author.iter().cloned().collect()
        },
        warnings: archive_warnings,
        categories,
        rating: opts.rating.or(story.rating),
        tags: draft_tags(&story, &suggested, vocab, opts, &mut warnings),
        language: opts
            .language
            .clone()
            .or(story.language.as_deref().map(language_code))
            .unwrap_or_else(|| "en".to_string()),
        summary_html: story
            .summary
            .as_deref()
            .map(|s| paras_html(&[s.to_string()], format)),
        notes_begin_html: (!story.notes_begin.is_empty())
            .then(|| paras_html(&story.notes_begin, format)),
        notes_end_html: (!story.notes_end.is_empty()).then(|| paras_html(&story.notes_end, format)),
        chapters: chapters
            .iter()
            .map(|c| ChapterDraft {
                title: c.title.clone(),
                body_html: c.html.clone(),
                word_count: c.words,
                summary_html: None,
                notes_begin_html: c.notes_begin_html.clone(),
                notes_end_html: c.notes_end_html.clone(),
            })
            .collect(),
        complete,
        expected_chapters: (complete == Some(true)).then_some(chapters.len() as u32),
        ..Default::default()
    };
    Imported {
        file,
        fingerprint: String::new(),
        format,
        encoding,
        title: story.title,
        author: story.author,
        rating: story.rating,
        summary,
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
        tags,
        series: story.series,
        draft,
    }
}

/// The tags the file states, by kind, each as written.
fn stated_tags(story: &Story) -> StatedTags {
    let mut t = StatedTags::default();
    for (label, items) in &story.typed_tags {
        let list = match tag_kind_of_label(label) {
            Some(LabelKind::Warning) => &mut t.warning,
            Some(LabelKind::Category) => &mut t.category,
            Some(LabelKind::Free(TagKind::Fandom)) => &mut t.fandom,
            Some(LabelKind::Free(TagKind::Relationship)) => &mut t.relationship,
            Some(LabelKind::Free(TagKind::Character)) => &mut t.character,
            Some(LabelKind::Free(_)) => &mut t.freeform,
            None => continue,
        };
        for i in items {
            if !list.contains(i) {
                list.push(i.clone());
            }
        }
    }
    t
}

/// A chapter's plain text (markers removed, so word counts are the text's alone) and its
/// sanitized HTML (markers as tags, breaks as `<hr>`).
fn chapter(c: &RawChapter, format: Format) -> ImportedChapter {
    let mut text = String::new();
    let mut blocks = HtmlBlocks::default();
    let mut md_html = String::new();
    let mut breaks = 0;
    let mut pending_break = false;
    for item in &c.items {
        match item {
            Item::Break => {
                breaks += 1;
                pending_break = true;
                blocks.hr();
                md_html.push_str("<hr>\n");
            }
            Item::Para(p) => {
                let plain = match format {
                    Format::Markdown => {
                        md_html.push_str(&markdown_input::para_html(p));
                        markdown_input::para_plain(p)
                    }
                    _ => {
                        blocks.para(p);
                        inline::plain(p).into_owned()
                    }
                };
                if !text.is_empty() {
                    text.push_str(if pending_break { "\n\n\n" } else { "\n\n" });
                }
                pending_break = false;
                text.push_str(&plain);
            }
        }
    }
    let html = match format {
        Format::Markdown => md_html,
        _ => blocks.finish(),
    };
    let notes = |n: &[String]| (!n.is_empty()).then(|| paras_html(n, format));
    ImportedChapter {
        title: c
            .title
            .as_deref()
            .map(|t| inline::plain(t).trim().to_string()),
        words: count_words(&text),
        text,
        html: sanitize_html(&html),
        scene_breaks: breaks,
        notes_begin: join_paras(&c.notes_begin, format),
        notes_end: join_paras(&c.notes_end, format),
        notes_begin_html: notes(&c.notes_begin),
        notes_end_html: notes(&c.notes_end),
    }
}

/// One marked paragraph as plain text (Markdown syntax removed for Markdown files).
fn plain_para(p: &str, format: Format) -> String {
    match format {
        Format::Markdown => markdown_input::para_plain(p),
        _ => inline::plain(p).into_owned(),
    }
}

/// Note paragraphs as plain text, separated by blank lines.
fn join_paras(paras: &[String], format: Format) -> Option<String> {
    (!paras.is_empty()).then(|| {
        paras
            .iter()
            .map(|p| plain_para(p, format))
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

/// Note or summary paragraphs as sanitized HTML.
fn paras_html(paras: &[String], format: Format) -> String {
    match format {
        Format::Markdown => sanitize_html(
            &paras
                .iter()
                .map(|p| markdown_input::para_html(p))
                .collect::<String>(),
        ),
        _ => inline::paras_html(paras),
    }
}

/// AO3's archive warnings and categories from the source's tag list (AO3 downloads only:
/// an old archive's "Warning: ANGST!" is a free tag for suggestion, not an archive warning).
fn fixed_tags(story: &Story) -> (Vec<Warning>, Vec<Category>) {
    let mut warnings = Vec::new();
    let mut categories = Vec::new();
    if !story.typed_tags_are_tags {
        return (warnings, categories);
    }
    for (label, items) in &story.typed_tags {
        match tag_kind_of_label(label) {
            Some(LabelKind::Warning) => {
                for w in items.iter().filter_map(|i| warning(i)) {
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                }
            }
            Some(LabelKind::Category) => {
                for c in items.iter().filter_map(|i| Category::parse(i)) {
                    if !categories.contains(&c) {
                        categories.push(c);
                    }
                }
            }
            _ => {}
        }
    }
    (warnings, categories)
}

/// AO3's warning names, including the short "Choose Not To Use Archive Warnings" and "Underage".
fn warning(name: &str) -> Option<Warning> {
    Warning::parse(name).or_else(|| {
        let n = name.to_lowercase();
        if n.contains("not to use") {
            Some(Warning::ChoseNotToUse)
        } else if n.starts_with("underage") {
            Some(Warning::Underage)
        } else if n.contains("violence") {
            Some(Warning::GraphicViolence)
        } else if n.contains("non-con") || n.starts_with("rape") {
            Some(Warning::NonCon)
        } else if n.contains("no archive warnings") {
            Some(Warning::NoWarnings)
        } else {
            None
        }
    })
}

enum LabelKind {
    Warning,
    Category,
    Free(TagKind),
}

/// What an AO3 tag-list label holds.
fn tag_kind_of_label(label: &str) -> Option<LabelKind> {
    Some(match label.trim().to_lowercase().as_str() {
        "archive warning" | "archive warnings" | "warning" | "warnings" => LabelKind::Warning,
        "category" | "categories" | "ao3 categories" => LabelKind::Category,
        "fandom" | "fandoms" => LabelKind::Free(TagKind::Fandom),
        "relationship" | "relationships" | "pairing" | "pairings" => {
            LabelKind::Free(TagKind::Relationship)
        }
        "character" | "characters" => LabelKind::Free(TagKind::Character),
        "additional tags" | "additional tag" | "freeform" | "freeforms" | "freeform tags"
        | "tags" => LabelKind::Free(TagKind::Freeform),
        _ => return None,
    })
}

/// A language as a BCP 47 tag: "English" -> "en"; a value that already is a tag stays.
fn language_code(name: &str) -> String {
    let n = name.trim();
    let lower = n.to_lowercase();
    let english_names = [
        ("english", "en"),
        ("german", "de"),
        ("french", "fr"),
        ("spanish", "es"),
        ("italian", "it"),
        ("portuguese", "pt"),
        ("dutch", "nl"),
        ("polish", "pl"),
        ("russian", "ru"),
        ("ukrainian", "uk"),
        ("japanese", "ja"),
        ("chinese", "zh"),
        ("korean", "ko"),
        ("swedish", "sv"),
        ("finnish", "fi"),
        ("danish", "da"),
        ("norwegian", "no"),
        ("czech", "cs"),
        ("turkish", "tr"),
        ("arabic", "ar"),
        ("hebrew", "he"),
        ("indonesian", "id"),
        ("vietnamese", "vi"),
        ("thai", "th"),
    ];
    if let Some((_, code)) = english_names.iter().find(|(name, _)| *name == lower) {
        return code.to_string();
    }
    // AO3 shows each language by its own name ("Deutsch", "Français", "日本語").
    if let Some((_, code)) = english_names
        .iter()
        .find(|(_, code)| crate::export::meta::language_name(code).to_lowercase() == lower)
    {
        return code.to_string();
    }
    if (2..=3).contains(&n.len()) && n.chars().all(|c| c.is_ascii_alphabetic()) {
        return lower;
    }
    crate::export::meta::language_tag(n)
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
    warnings: &mut Vec<String>,
) -> Vec<(TagKind, String)> {
    let mut tags: Vec<(TagKind, String)> = Vec::new();
    let mut add = |kind: TagKind, name: &str| {
        let name = name.trim();
        if name.is_empty() || tags.iter().any(|(k, n)| *k == kind && n == name) {
            return;
        }
        // A tag the archive cannot hold (too long, a comma) would refuse the whole work:
        // leave it out and say so (the source keeps it; the header stays in the report).
        if tome_model::tag::normalize_tag_name(name).is_none() {
            let shown: String = name.chars().take(60).collect();
            warnings.push(format!(
                "left out the {kind} tag \"{shown}…\": over {} characters or holding a comma",
                tome_model::limits::TAG_NAME
            ));
            return;
        }
        if tags.len() >= tome_model::limits::TAGS_PER_WORK {
            warnings.push(format!(
                "left out the {kind} tag \"{name}\": a work holds at most {} tags",
                tome_model::limits::TAGS_PER_WORK
            ));
            return;
        }
        tags.push((kind, name.to_string()));
    };
    opts.fandoms.iter().for_each(|f| add(TagKind::Fandom, f));
    // The tags the file states are the work's: a structured format's tag block, front
    // matter, or a header's "Characters:"/"Pairing:"/"Fandom:" line, as written.
    for (label, items) in &story.typed_tags {
        if let Some(LabelKind::Free(kind)) = tag_kind_of_label(label) {
            // A header line's sentence stop is not the tag's ("Characters: Buffy, Spike."),
            // an initial's is ("Bella S."); an archive's own tag list is kept as it is.
            items.iter().for_each(|i| {
                let i = i.trim();
                if story.typed_tags_are_tags {
                    add(kind, i);
                } else {
                    add(kind, strip_stop(i));
                }
            });
        }
    }
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

/// "Spike." → "Spike", "Spike!" → "Spike"; "Bella S." and "Dr." keep their stop.
fn strip_stop(item: &str) -> &str {
    let bare = item.trim_end_matches(['.', '!']);
    let last_word = bare.rsplit(' ').next().unwrap_or("");
    if item.ends_with('.')
        && (last_word.chars().count() <= 2 || last_word == "Mr" || last_word == "Mrs")
    {
        item
    } else {
        bare
    }
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
                "notes_begin": c.notes_begin, "notes_end": c.notes_end,
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
            "tags": {
                "fandom": self.tags.fandom,
                "relationship": self.tags.relationship,
                "character": self.tags.character,
                "freeform": self.tags.freeform,
                "warning": self.tags.warning,
                "category": self.tags.category,
            },
            "series": self.series.as_ref().map(|(name, part)| json!({"name": name, "part": part})),
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
        "tags": null,
    })
}
