//! Property tests for every parser, in the normal test suite (the long runs are the
//! cargo-fuzz targets in fuzz/): random mixes of markup, and runs of one construct
//! thousands deep. Whatever the input: no panic, no stack overflow (each case runs on a
//! small stack), and every HTML produced is within the nesting limit.

use proptest::prelude::*;
use tome_text::export::{ExportChapter, ExportWork, to_epub, to_html, to_txt};
use tome_text::import::{ImportOptions, import_bytes};
use tome_text::nesting::{MAX_NESTING, check_html, html_depth};
use tome_text::suggest::Vocabulary;

const PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<p>",
    "</p>",
    "<span>",
    "</span>",
    "<blockquote>",
    "</blockquote>",
    "<ul>",
    "<li>",
    "</ul>",
    "<table>",
    "<td>",
    "<tr>",
    "</table>",
    "<a href=\"https://e.com/\">",
    "</a>",
    "<b id=\"1\">",
    "<font>",
    "<svg>",
    "<math>",
    "<template>",
    "<textarea>",
    "<!--",
    "-->",
    "<br>",
    "<hr>",
    "&amp;",
    "&lt;",
    "&#x1F600;",
    "&",
    "<",
    ">",
    "> ",
    "- ",
    "1. ",
    "  ",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "[",
    "](",
    ")",
    "`",
    "# ",
    "text ",
    "Chapter 2\n\n",
    "Title: T\n",
    "* * *",
    "é",
    "日本",
];

fn mixed() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..300).prop_map(|v| v.concat())
}

/// One piece repeated thousands of times, between a head and a tail of random pieces.
fn deep() -> impl Strategy<Value = String> {
    (
        mixed(),
        prop::sample::select(PIECES),
        1_000usize..6_000,
        mixed(),
    )
        .prop_map(|(head, piece, n, tail)| format!("{head}{}{tail}", piece.repeat(n)))
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![mixed(), deep()]
}

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("panicked or overflowed its stack");
}

fn shallow(html: &str) -> bool {
    html_depth(html, MAX_NESTING).is_some()
}

fn work(body: String) -> ExportWork {
    ExportWork {
        id: 1,
        title: "T".into(),
        authors: vec!["a".into()],
        language: "en".into(),
        rating: tome_model::Rating::General,
        warnings: vec![],
        categories: vec![],
        fandoms: vec![],
        relationships: vec![],
        characters: vec![],
        freeforms: vec![],
        summary_html: Some(body.clone()),
        notes_begin_html: None,
        notes_end_html: None,
        published_at: 0,
        updated_at: 0,
        complete: true,
        chapter_count: 1,
        expected_chapters: Some(1),
        words: 1,
        url: None,
        archive_name: "A".into(),
        chapters: vec![ExportChapter {
            position: 1,
            body_html: body,
            ..Default::default()
        }],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn sanitizer(text in any_text()) {
        on_small_stack(move || {
            let clean = tome_text::sanitize_html(&text);
            assert!(shallow(&clean));
            match tome_text::try_sanitize_html(&text) {
                Ok(c) => assert!(check_html(&text).is_ok() && shallow(&c)),
                Err(_) => assert!(check_html(&text).is_err()),
            }
            let plain = tome_text::html_to_plain(&text);
            assert!(plain.len() <= text.len() * 4 + 16);
        });
    }

    #[test]
    fn markdown(text in any_text()) {
        on_small_stack(move || {
            assert!(shallow(&tome_text::markdown_to_html(&text)));
            if let Ok(html) = tome_text::try_markdown_to_html(&text) {
                assert!(shallow(&html));
            }
        });
    }

    #[test]
    fn importers(text in any_text(), name in prop::sample::select(&["a.txt", "a.md", "a.html"][..])) {
        on_small_stack(move || {
            let r = import_bytes(name, text.as_bytes(), &Vocabulary::empty(), &ImportOptions::default());
            if let Ok(imported) = r {
                for c in &imported.chapters {
                    assert!(shallow(&c.html));
                    assert!(c.html.len() <= text.len() * 8 + 64, "output bounded by input");
                }
            }
        });
    }

    #[test]
    fn exporters(text in any_text()) {
        on_small_stack(move || {
            let w = work(text);
            to_epub(&w).expect("EPUB");
            let _ = to_html(&w);
            let _ = to_txt(&w);
        });
    }
}
