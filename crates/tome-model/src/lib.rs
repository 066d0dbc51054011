//! tome's domain: the types every other layer speaks, and the rules that need no IO.
//!
//! Nothing here touches a file, a socket or a database; that keeps the rules testable
//! and lets the store, the importer and the web layer agree on one vocabulary.

pub mod filter;
pub mod limits;
pub mod rating;
pub mod role;
pub mod tag;
pub mod tag_path;
pub mod visibility;
pub mod vocabulary;
pub mod words;
pub mod work;

pub use rating::{Category, Rating, Warning};
pub use role::Role;
pub use tag::TagKind;
pub use tag_path::{tag_from_path, tag_to_path};
pub use visibility::Audience;
pub use vocabulary::{VocabEntry, VocabularyFile};
pub use words::count_words;
pub use work::{ChapterDraft, WorkDraft};
