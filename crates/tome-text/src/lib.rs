//! Text in and out: everything that turns bytes into a work and a work into bytes.
//!
//! - [`sanitize`]: the one allowlist policy every piece of user-written HTML passes.
//! - `decode`, `import`: bytes -> text -> [`tome_model::WorkDraft`], metadata found and kept.
//! - `suggest`: tag suggestions from the archive's own vocabulary.
//! - `markdown`, `export`: Markdown in; EPUB, HTML and TXT out.

pub mod sanitize;

pub use sanitize::{escape_html, sanitize_html};
