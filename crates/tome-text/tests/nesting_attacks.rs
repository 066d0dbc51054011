//! The attacks of issue 10 against every parser and tree walk: deep nesting and huge
//! runs of entities. Each runs on a thread with a small stack, so any recursion on the
//! depth fails the test instead of passing on a big main-thread stack. No timings here:
//! a quadratic case shows as a test that does not finish.

use tome_text::export::{ExportChapter, ExportWork, to_epub, to_html, to_txt};
use tome_text::import::{ImportError, ImportOptions, import_bytes};
use tome_text::nesting::{MAX_NESTING, NestingError, html_depth};
use tome_text::suggest::Vocabulary;
use tome_text::{
    html_to_plain, html_to_txt_export, html_word_count, markdown_to_html, sanitize_html,
    try_markdown_to_html, try_sanitize_html,
};

const STACK: usize = 256 * 1024;

fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the thread panicked or overflowed its stack")
}

fn nested(open: &str, close: &str, n: usize) -> String {
    format!("{}deep words{}", open.repeat(n), close.repeat(n))
}

fn html_attacks() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for n in [5_000, 10_000] {
        v.push((format!("{n} divs"), nested("<div>", "</div>", n)));
        v.push((format!("{n} b"), nested("<b>", "</b>", n)));
        v.push((
            format!("{n} unclosed b"),
            format!("{}deep words", "<b>".repeat(n)),
        ));
        v.push((
            format!("{n} blockquotes"),
            nested("<blockquote>", "</blockquote>", n),
        ));
        v.push((format!("{n} lists"), nested("<ul><li>", "</li></ul>", n)));
    }
    v
}

fn assert_shallow(what: &str, html: &str) {
    assert!(
        html_depth(html, MAX_NESTING).is_some(),
        "{what}: output nested past the limit"
    );
}

#[test]
fn sanitizer_refuses_deep_input_and_bounds_stored_text() {
    small_stack(|| {
        for (what, html) in html_attacks() {
            assert_eq!(
                try_sanitize_html(&html),
                Err(NestingError::HtmlTooDeep { limit: MAX_NESTING }),
                "{what}"
            );
            let clean = sanitize_html(&html);
            assert!(clean.contains("deep words"), "{what}: text lost");
            assert_shallow(&what, &clean);
        }
    });
}

#[test]
fn sanitizer_accepts_nesting_up_to_the_limit() {
    small_stack(|| {
        let html = nested("<div>", "</div>", MAX_NESTING);
        let clean = try_sanitize_html(&html).expect("within the limit");
        assert_eq!(clean.matches("<div>").count(), MAX_NESTING);
    });
}

#[test]
fn markdown_refuses_deep_quotes_lists_and_raw_html() {
    small_stack(|| {
        let too_deep = [
            (">".repeat(10_000) + " deep words", true),
            ("> ".repeat(5_000) + "deep words", true),
            (">\n".repeat(0) + &">".repeat(50 * 1024), true),
            ("- ".repeat(10_000) + "deep words", true),
            ("1. ".repeat(5_000) + "deep words", true),
            (nested("<b>", "</b>", 10_000), false),
            (nested("<div>", "</div>", 5_000), false),
        ];
        for (md, markdown_nesting) in too_deep {
            let err = try_markdown_to_html(&md).unwrap_err();
            let want = if markdown_nesting {
                NestingError::MarkdownTooDeep { limit: MAX_NESTING }
            } else {
                NestingError::HtmlTooDeep { limit: MAX_NESTING }
            };
            assert_eq!(err, want, "{}", &md[..20]);
            let html = markdown_to_html(&md);
            assert_shallow("markdown", &html);
        }
        // Quotes nested one line at a time.
        let stairs: String = (1..=5_000)
            .map(|i| format!("{} q\n", ">".repeat(i % 300 + 1)))
            .collect();
        assert!(try_markdown_to_html(&stairs).is_err());
        assert_shallow("stairs", &markdown_to_html(&stairs));
    });
}

#[test]
fn markdown_within_the_limit_renders() {
    small_stack(|| {
        let md = format!("{} deep words", "> ".repeat(50));
        let html = try_markdown_to_html(&md).expect("50 levels are fine");
        assert_eq!(html.matches("<blockquote>").count(), 50);
        assert!(html.contains("deep words"));
    });
}

#[test]
fn plain_text_and_word_counts_survive_deep_stored_html() {
    small_stack(|| {
        for (what, html) in html_attacks() {
            assert!(html_to_plain(&html).contains("deep words"), "{what}");
            assert!(html_to_txt_export(&html).contains("deep words"), "{what}");
            assert_eq!(html_word_count(&html), 2, "{what}");
        }
    });
}

fn import(name: &str, bytes: Vec<u8>) -> Result<tome_text::Imported, ImportError> {
    import_bytes(
        name,
        &bytes,
        &Vocabulary::empty(),
        &ImportOptions::default(),
    )
}

fn assert_too_deep(name: &str, body: String) {
    match import(name, body.into_bytes()) {
        Err(ImportError::TooDeep { file, source }) => {
            assert_eq!(file, name);
            assert!(matches!(
                source,
                NestingError::HtmlTooDeep { .. } | NestingError::MarkdownTooDeep { .. }
            ));
        }
        other => panic!("{name}: expected TooDeep, got {:?}", other.map(|i| i.title)),
    }
}

#[test]
fn import_refuses_deep_html_and_markdown() {
    small_stack(|| {
        for (what, html) in html_attacks() {
            let page = format!("<html><body><p>Intro.</p>{html}</body></html>");
            assert_too_deep(&format!("{what}.html"), page);
        }
        assert_too_deep(
            "quotes.md",
            format!("# Title\n\n{} deep words\n", ">".repeat(10_000)),
        );
        assert_too_deep(
            "lists.md",
            format!("# Title\n\n{} deep words\n", "* ".repeat(10_000)),
        );
        assert_too_deep(
            "raw.md",
            format!("# Title\n\n{}\n", nested("<b>", "</b>", 10_000)),
        );
    });
}

#[test]
fn import_refuses_a_million_nested_elements() {
    small_stack(|| {
        assert_too_deep(
            "b.html",
            format!("<html><body>{}x</body></html>", "<b>".repeat(1_000_000)),
        );
        assert_too_deep(
            "div.html",
            format!("<html><body>{}x</body></html>", "<div>".repeat(1_000_000)),
        );
    });
}

#[test]
fn import_of_ten_megabytes_of_entities_finishes() {
    small_stack(|| {
        let body = "&amp;".repeat(2 * 1024 * 1024);
        // As text (no tags): the entities are the story's characters.
        let imported = import("amp.txt", body.clone().into_bytes()).expect("imports");
        assert!(imported.words > 0);
        // As HTML.
        let page = format!("<html><body><p>{body}</p></body></html>");
        let imported = import("amp.html", page.into_bytes()).expect("imports");
        assert!(imported.chapters[0].text.starts_with("&&&"));
    });
}

fn work_with_body(body: String) -> ExportWork {
    ExportWork {
        id: 1,
        title: "Deep".into(),
        authors: vec!["a".into()],
        language: "en".into(),
        rating: tome_model::Rating::General,
        warnings: vec![],
        categories: vec![],
        fandoms: vec!["F".into()],
        relationships: vec![],
        characters: vec![],
        freeforms: vec![],
        summary_html: Some(body.clone()),
        notes_begin_html: Some(body.clone()),
        notes_end_html: None,
        published_at: 0,
        updated_at: 0,
        complete: true,
        chapter_count: 1,
        expected_chapters: Some(1),
        words: 2,
        url: None,
        archive_name: "Test".into(),
        chapters: vec![ExportChapter {
            position: 1,
            body_html: body,
            ..Default::default()
        }],
    }
}

#[test]
fn exports_of_deep_stored_chapters_complete() {
    small_stack(|| {
        for (what, html) in html_attacks() {
            let work = work_with_body(html);
            let epub = to_epub(&work).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(epub.len() > 1000, "{what}");
            assert!(to_txt(&work).contains("deep words"), "{what}");
            assert!(to_html(&work).contains("deep words"), "{what}");
        }
    });
}
