//! The downloads (EPUB, HTML, TXT) of a work whose stored HTML is anything at all, as
//! text stored before the nesting limit may be: never a panic or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tome_text::export::{ExportChapter, ExportWork, to_epub, to_html, to_txt};

fuzz_target!(|input: (&str, &str, &str)| {
    let (body, notes, title) = input;
    let work = ExportWork {
        id: 1,
        title: title.to_string(),
        authors: vec!["a".into()],
        language: "en".into(),
        rating: tome_model::Rating::General,
        warnings: vec![],
        categories: vec![],
        fandoms: vec!["F".into()],
        relationships: vec![],
        characters: vec![],
        freeforms: vec![],
        summary_html: Some(notes.to_string()),
        notes_begin_html: None,
        notes_end_html: Some(notes.to_string()),
        published_at: 0,
        updated_at: 0,
        complete: true,
        chapter_count: 1,
        expected_chapters: Some(1),
        words: 1,
        url: None,
        archive_name: "Fuzz".into(),
        chapters: vec![ExportChapter {
            position: 1,
            title: Some(title.to_string()),
            notes_begin_html: Some(notes.to_string()),
            body_html: body.to_string(),
            ..Default::default()
        }],
    };
    to_epub(&work).expect("an EPUB is always built");
    let _ = to_html(&work);
    let _ = to_txt(&work);
});
