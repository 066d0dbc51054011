//! Story import: a file from an old archive (plain text, Markdown or HTML) becomes a
//! [`WorkDraft`] with its metadata found, its chrome set aside, and a report of what was
//! uncertain. Every rule lives in a small module named for it; this module checks the
//! input and assembles the result.

pub mod blocks;
pub mod chapters;
pub mod chrome;
pub mod epub;
pub mod error;
pub mod format;
pub mod front_matter;
pub mod header;
pub mod html_input;
pub mod inline;
pub mod markdown_input;
pub mod notes;
pub mod office;
mod output;
pub mod scene_breaks;
pub mod story;

use std::path::Path;

use serde::Serialize;
use tome_model::{Rating, WorkDraft};

use crate::decode::{DecodeError, decode};
use crate::nesting::{self, Mode};
use crate::suggest::{Suggestions, Vocabulary};

pub use error::ImportError;
pub use format::Format;
pub use output::error_json;

/// The largest file accepted (checked from metadata before reading).
pub const MAX_IMPORT_BYTES: u64 = 20 * 1024 * 1024;

/// What the user said on the command line or the form; overrides what the text says.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub rating: Option<Rating>,
    pub fandoms: Vec<String>,
    /// Free tags to add.
    pub tags: Vec<String>,
    /// Add the suggested tags to the draft.
    pub accept_suggestions: bool,
    pub language: Option<String>,
}

/// One chapter as imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedChapter {
    pub title: Option<String>,
    /// Plain text; paragraphs separated by a blank line, a scene break by two.
    pub text: String,
    /// Sanitized HTML, scene breaks as `<hr>`.
    pub html: String,
    pub words: u64,
    pub scene_breaks: usize,
    /// The chapter's own notes (plain text), after its heading and at its end.
    pub notes_begin: Option<String>,
    pub notes_end: Option<String>,
    /// The same notes as sanitized HTML.
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
}

/// An imported story and the report of how it was read.
#[derive(Debug, Clone)]
pub struct Imported {
    pub file: String,
    /// "sha256:" and the hex digest of the file's bytes: the same file, whatever its
    /// name, has the same fingerprint (`tome import` skips files imported before).
    pub fingerprint: String,
    pub format: Format,
    pub encoding: &'static str,
    /// Found in the text (`None` if none).
    pub title: Option<String>,
    pub author: Option<String>,
    pub rating: Option<Rating>,
    pub summary: Option<String>,
    pub notes_begin: Option<String>,
    pub notes_end: Option<String>,
    pub chapters: Vec<ImportedChapter>,
    pub scene_breaks: usize,
    pub complete: Option<bool>,
    /// Story text only (notes and headers excluded).
    pub words: u64,
    pub header: Vec<(String, String)>,
    pub set_aside: Vec<String>,
    pub warnings: Vec<String>,
    pub suggested: Suggestions,
    /// The tags the file itself states, each as written (beside `suggested`).
    pub tags: StatedTags,
    /// The series the file names, and the work's place in it.
    pub series: Option<(String, Option<u32>)>,
    pub draft: WorkDraft,
}

/// The tags a file states (a structured tag block, front matter, a header's
/// "Characters:" or "Pairing:" line), by kind, each as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatedTags {
    pub fandom: Vec<String>,
    pub relationship: Vec<String>,
    pub character: Vec<String>,
    pub freeform: Vec<String>,
    pub warning: Vec<String>,
    pub category: Vec<String>,
}

/// Imports a file from disk. Size, type and emptiness are checked from metadata before
/// anything is read, so a 200 MB file or a directory costs nothing.
pub fn import_path(
    path: &Path,
    vocab: &Vocabulary,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let file = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ImportError::Missing { file });
        }
        Err(e) => {
            return Err(ImportError::Io {
                file,
                message: e.to_string(),
            });
        }
    };
    if meta.is_dir() {
        return Err(ImportError::Directory { file });
    }
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            file,
            bytes: meta.len(),
        });
    }
    if meta.len() == 0 {
        return Err(ImportError::Empty { file });
    }
    let bytes = std::fs::read(path).map_err(|e| ImportError::Io {
        file: file.clone(),
        message: e.to_string(),
    })?;
    import_bytes(&file, &bytes, vocab, opts)
}

/// Imports a file's bytes; `file_name` names it in messages and decides the format
/// together with the content.
pub fn import_bytes(
    file_name: &str,
    bytes: &[u8],
    vocab: &Vocabulary,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let file = file_name.to_string();
    if bytes.is_empty() {
        return Err(ImportError::Empty { file });
    }
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            file,
            bytes: bytes.len() as u64,
        });
    }
    // Files that are not text are known by their first bytes, whatever their name.
    let head = &bytes[..bytes.len().min(1024)];
    let trimmed = head.trim_ascii_start();
    if trimmed.starts_with(b"%PDF-") {
        return Err(ImportError::Pdf { file });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(ImportError::OldWord { file });
    }
    if trimmed.starts_with(b"{\\rtf") {
        return Err(ImportError::Rtf { file });
    }
    if epub::is_zip(bytes) {
        return import_package(file, bytes, vocab, opts);
    }
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ImportError::Binary {
            file,
            why: format!("NUL bytes at offset {offset}"),
        });
    }
    let decoded = decode(bytes).map_err(|source: DecodeError| ImportError::Undecodable {
        file: file.clone(),
        source,
    })?;
    let controls = decoded
        .text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\t' | '\u{c}'))
        .count();
    let total = decoded.text.chars().count().max(1);
    if controls * 100 > total || (utf16 && decoded.text.contains('\0')) {
        return Err(ImportError::Binary {
            file,
            why: format!("{controls} control characters in {total}"),
        });
    }
    let mut format = format::detect(file_name, &decoded.text);
    // Formatting travels as private-use markers (see `inline`): the source's own are dropped.
    let (cleaned, stray) = inline::remove_markers(&decoded.text);
    // Front matter is structure: read by a parser, and never story text.
    let (stated, source) = if format == Format::Html {
        (None, cleaned.as_ref())
    } else {
        match front_matter::split(&cleaned) {
            Ok(Some((stated, body))) => {
                format = Format::Markdown;
                (Some(stated), body)
            }
            Ok(None) => (None, cleaned.as_ref()),
            Err(source) => return Err(ImportError::FrontMatter { file, source }),
        }
    };
    // Nesting is checked before anything builds a tree (see `crate::nesting`). A Markdown
    // file's raw HTML is parsed as HTML later, so it is checked as HTML too.
    match format {
        Format::Html => nesting::check_html_as(source, Mode::Document),
        Format::Markdown => {
            nesting::check_markdown(source).and_then(|()| nesting::check_html(source))
        }
        Format::Text | Format::Epub | Format::Docx | Format::Odt => Ok(()),
    }
    .map_err(|source| ImportError::TooDeep {
        file: file.clone(),
        source,
    })?;
    let mut ao3 = false;
    let text = match format {
        // `detect` never says EPUB: an EPUB is known by its bytes, above.
        Format::Html | Format::Epub | Format::Docx | Format::Odt => {
            let page = html_input::read(source);
            ao3 = page.ao3;
            page.text
        }
        Format::Markdown => match &stated {
            Some(st) => markdown_input::preprocess_structured(source, st.title.is_some()),
            None => markdown_input::preprocess(source),
        },
        Format::Text => source
            .split('\n')
            .map(inline::plain_emphasis)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let mut story = story::read(blocks::split(&text))
        .ok_or(ImportError::NoParagraphs { file: file.clone() })?;
    story.typed_tags_are_tags = ao3;
    if let Some(st) = stated {
        st.apply(&mut story);
    }
    let mut warnings = Vec::new();
    if stray > 0 {
        warnings.push(format!("{stray} private-use characters removed"));
    }
    if decoded.encoding != "UTF-8" {
        warnings.push(format!("not UTF-8; read as {}", decoded.encoding));
    }
    if decoded.replaced > 0 {
        warnings.push(format!(
            "{} malformed characters replaced",
            decoded.replaced
        ));
    }
    let mut imported = output::build(file, format, decoded.encoding, story, warnings, vocab, opts);
    imported.fingerprint = fingerprint(bytes);
    Ok(imported)
}

/// An EPUB, `.docx` or `.odt`: its documents laid into one page (see [`epub`] and
/// [`office`]) and read by structure, through the same nesting check, walk and sanitizer
/// as an HTML file.
fn import_package(
    file: String,
    bytes: &[u8],
    vocab: &Vocabulary,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let book = epub::read(bytes).map_err(|source| ImportError::Epub {
        file: file.clone(),
        source,
    })?;
    let (source, stray) = inline::remove_markers(&book.html);
    nesting::check_html_as(&source, Mode::Document).map_err(|source| ImportError::TooDeep {
        file: file.clone(),
        source,
    })?;
    let page = html_input::read_structured(&source);
    let mut story = story::read(blocks::split(&page.text))
        .ok_or(ImportError::NoParagraphs { file: file.clone() })?;
    story.typed_tags_are_tags = true;
    let mut warnings = Vec::new();
    if stray > 0 {
        warnings.push(format!("{stray} private-use characters removed"));
    }
    warnings.push(format!("read as {} {}", book.layout, book.format.as_str()));
    let mut imported = output::build(file, book.format, "UTF-8", story, warnings, vocab, opts);
    imported.fingerprint = fingerprint(bytes);
    Ok(imported)
}

/// "sha256:" and the hex digest of `bytes`.
pub fn fingerprint(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod formats_tests;

#[cfg(test)]
mod epub_tests;

#[cfg(test)]
mod office_tests;
