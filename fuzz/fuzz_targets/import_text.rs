//! Import of a `story.txt` file: never panics; an import that succeeds has sanitized,
//! shallow HTML in every chapter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tome_text::import::{ImportOptions, import_bytes};
use tome_text::nesting::{MAX_NESTING, html_depth};
use tome_text::suggest::Vocabulary;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(imported) = import_bytes("story.txt", bytes, &Vocabulary::empty(), &ImportOptions::default()) {
        for c in &imported.chapters {
            assert!(html_depth(&c.html, MAX_NESTING).is_some(), "chapter HTML too deep");
        }
    }
});
