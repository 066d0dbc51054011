//! A work as it stands before it is stored: what an importer or a posting form produces.

use crate::{Category, Rating, TagKind, Warning};
use serde::{Deserialize, Serialize};

/// One chapter, with its body as sanitized HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ChapterDraft {
    pub title: Option<String>,
    /// Sanitized HTML.
    pub body_html: String,
    /// Words in the body's text (markup excluded), as `tome_text::html_word_count` counts them.
    pub word_count: u64,
    pub summary_html: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
}

/// A whole work, ready to store. All HTML fields are sanitized by `tome_text::sanitize`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct WorkDraft {
    pub title: String,
    /// Pseud names of the creators; empty means the archive's default creator.
    pub authors: Vec<String>,
    pub rating: Option<Rating>,
    pub warnings: Vec<Warning>,
    pub categories: Vec<Category>,
    /// Free tags: fandoms, relationships, characters, additional tags, as typed.
    pub tags: Vec<(TagKind, String)>,
    pub language: String,
    pub summary_html: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    pub chapters: Vec<ChapterDraft>,
    /// `Some(true)` complete, `Some(false)` in progress, `None` unknown (stored as complete
    /// when all expected chapters are present).
    pub complete: Option<bool>,
    /// AO3's "n/m": `None` is "?".
    pub expected_chapters: Option<u32>,
    /// Unix seconds; `None` means now.
    pub published_at: Option<i64>,
    /// Only logged-in readers may see it.
    pub restricted: bool,
    /// Its creators are shown as "Anonymous" everywhere.
    pub anonymous: bool,
}
