//! Import of an AO3 "Download → HTML" page: the fuzzed bytes become the preface and the
//! chapters of a page with AO3's structure, so the AO3 reader (not the generic HTML one)
//! is what runs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tome_text::import::{ImportOptions, import_bytes};
use tome_text::nesting::{MAX_NESTING, html_depth};
use tome_text::suggest::Vocabulary;

fuzz_target!(|input: (&str, &str, &str)| {
    let (preface, chapters, afterword) = input;
    let page = format!(
        "<!DOCTYPE html><html><body><div id=\"preface\"><div class=\"meta\"><dl class=\"tags\">\
         <dt>Rating:</dt><dd><a>General Audiences</a></dd>{preface}</dl></div></div>\
         <div id=\"chapters\" class=\"userstuff\">{chapters}</div>\
         <div id=\"afterword\">{afterword}</div></body></html>"
    );
    let opts = ImportOptions::default();
    if let Ok(imported) = import_bytes("work.html", page.as_bytes(), &Vocabulary::empty(), &opts) {
        for c in &imported.chapters {
            assert!(html_depth(&c.html, MAX_NESTING).is_some(), "chapter HTML too deep");
        }
    }
});
