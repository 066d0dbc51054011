//! Text in and out: everything that turns bytes into a work and a work into bytes.
//!
//! - [`sanitize`]: the one allowlist policy every piece of user-written HTML passes.
//! - `decode`, `import`: bytes -> text -> [`tome_model::WorkDraft`], metadata found and kept.
//! - `suggest`: tag suggestions from the archive's own vocabulary.
//! - `markdown`, `export`: Markdown in; EPUB, HTML and TXT out.

pub mod decode;
pub mod export;
pub mod import;
mod long_text;
pub mod markdown;
mod markup;
pub mod nesting;
pub mod plain;
pub mod sanitize;
pub mod suggest;

pub use decode::{DecodeError, Decoded, decode};
pub use export::{
    ExportChapter, ExportError, ExportWork, download_file_name, to_epub, to_html, to_txt,
};
pub use import::{
    ImportError, ImportOptions, Imported, ImportedChapter, MAX_IMPORT_BYTES, error_json,
    import_bytes, import_path,
};
pub use markdown::{markdown_to_html, try_markdown_to_html};
pub use nesting::{MAX_NESTING, NestingError};
pub use plain::{html_to_plain, html_to_txt_export, html_word_count};
pub use sanitize::{escape_html, sanitize_html, try_sanitize_html};
pub use suggest::{SuggestInput, Suggestion, Suggestions, Vocabulary, suggest};
