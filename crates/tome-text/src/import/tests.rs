//! End-to-end import tests: bad inputs, encodings, formats. Fixture files are written by
//! the tests into temporary directories (a 200 MB file is sparse: `set_len`, never written).

use super::*;
use std::fs::File;
use std::io::Write;

fn vocab() -> Vocabulary {
    Vocabulary::empty()
}

fn opts() -> ImportOptions {
    ImportOptions::default()
}

fn import(name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    import_bytes(name, bytes, &vocab(), &opts())
}

fn err(name: &str, bytes: &[u8]) -> String {
    import(name, bytes)
        .map(|_| ())
        .expect_err("should fail")
        .to_string()
}

#[test]
fn bad_inputs_have_one_line_messages() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt");
    let e = import_path(&missing, &vocab(), &opts()).unwrap_err();
    assert!(
        matches!(e, ImportError::Missing { .. })
            && e.to_string().ends_with("nope.txt: no such file"),
        "{e}"
    );

    let e = import_path(dir.path(), &vocab(), &opts()).unwrap_err();
    assert!(
        e.to_string().ends_with(": is a directory, not a file"),
        "{e}"
    );

    let big = dir.path().join("big.txt");
    File::create(&big)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let e = import_path(&big, &vocab(), &opts()).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("big.txt: the file is 200.0 MB; the limit is 20 MB"),
        "{e}"
    );

    let empty = dir.path().join("story.txt");
    File::create(&empty).unwrap();
    let e = import_path(&empty, &vocab(), &opts()).unwrap_err();
    assert!(
        e.to_string().ends_with("story.txt: the file is empty"),
        "{e}"
    );

    assert_eq!(err("story.txt", b""), "story.txt: the file is empty");
    assert_eq!(
        err("x.bin", b"Some text!! \x00\x01\x02\x03 more"),
        "x.bin: this looks like a binary file, not a story (NUL bytes at offset 12)"
    );
    assert!(
        err("c.txt", b"\x01\x02\x03\x04\x05 text \x06\x07")
            .starts_with("c.txt: this looks like a binary file")
    );
    let mut broken = "“one” “two” “three” ".as_bytes().to_vec();
    broken.extend_from_slice(&[0xFF, 0xFE, b'x']);
    assert_eq!(
        err("bad.txt", &broken),
        "bad.txt: invalid byte sequence at offset 32 that no text encoding explains"
    );
    assert_eq!(
        err("blank.txt", b"\n\n   \n\t\n"),
        "blank.txt: no paragraphs of story text found"
    );
    assert_eq!(
        err("chrome.txt", b"You must login (register) to review.\n"),
        "chrome.txt: no paragraphs of story text found"
    );
    for e in [
        ImportError::Empty { file: "a".into() },
        ImportError::Missing { file: "b".into() },
    ] {
        let j = output::error_json("a", &e);
        assert_eq!(j["ok"], false);
        assert!(j["error"].as_str().is_some_and(|m| !m.contains('\n')));
    }
}

#[test]
fn windows_1252_file_keeps_typography() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.txt");
    let mut f = File::create(&path).unwrap();
    f.write_all(b"Title: Old Story\r\n\r\n").unwrap();
    f.write_all(b"She said, \x93Wait\x85\x94 and he didn\x92t \x97 not then.\r\n\r\nThe End\r\n")
        .unwrap();
    drop(f);
    let imp = import_path(&path, &vocab(), &opts()).unwrap();
    assert_eq!(imp.encoding, "windows-1252");
    assert_eq!(imp.title.as_deref(), Some("Old Story"));
    assert_eq!(
        imp.chapters[0].text,
        "She said, “Wait…” and he didn’t — not then."
    );
    assert_eq!(imp.complete, Some(true));
    assert!(imp.warnings.iter().any(|w| w.contains("windows-1252")));
}

#[test]
fn utf16_and_bom_files() {
    let text = "Title: Sixteen\r\n\r\n“Hello,” she said.\r\n";
    let mut le = vec![0xFF, 0xFE];
    text.encode_utf16()
        .for_each(|u| le.extend_from_slice(&u.to_le_bytes()));
    let imp = import("w.txt", &le).unwrap();
    assert_eq!(
        (imp.encoding, imp.title.as_deref()),
        ("UTF-16LE", Some("Sixteen"))
    );
    assert_eq!(imp.chapters[0].text, "“Hello,” she said.");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(b"Title: Bom\n\nText.");
    assert_eq!(import("b.txt", &bom).unwrap().title.as_deref(), Some("Bom"));
}

#[test]
fn header_fields_rating_and_overrides() {
    let text = "TITLE: Night\nauthor: Someone\nRATING: Banana\nGenre: Angst\nSpoilers: Season 5\n\nShe ran.\n";
    let vocab = Vocabulary::from_json(r#"{"tags":[{"kind":"freeform","name":"Angst"}]}"#).unwrap();
    let o = ImportOptions {
        title: Some("Mine".into()),
        rating: Some(Rating::Teen),
        ..Default::default()
    };
    let imp = import_bytes("n.txt", text.as_bytes(), &vocab, &o).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Night"));
    assert_eq!(imp.author.as_deref(), Some("Someone"));
    assert_eq!(imp.draft.title, "Mine");
    assert_eq!(imp.draft.rating, Some(Rating::Teen));
    assert_eq!(imp.rating, None);
    assert!(
        imp.warnings
            .contains(&"rating 'Banana' not understood".to_string())
    );
    assert_eq!(imp.notes_begin.as_deref(), Some("Spoilers: Season 5"));
    assert_eq!(
        imp.draft.tags,
        [(tome_model::TagKind::Freeform, "Angst".to_string())]
    );
    assert_eq!(imp.words, 2);
    let untitled = import("my_old-story.txt", b"Just text.").unwrap();
    assert_eq!(untitled.draft.title, "My old story");
    assert!(
        untitled
            .warnings
            .contains(&"no title found; using the file name".to_string())
    );
}

#[test]
fn multi_chapter_fixture() {
    let text = "Title: Fire\n\nPrologue\n\nIt began.\n\nChapter One: The Beginning\n\nShe woke.\n\n* * *\n\nShe slept.\n\nChapter 2 - Fire\n\nIt burned.\n\nEpilogue\n\nLater.\n\nTBC\n";
    let imp = import("fire.txt", text.as_bytes()).unwrap();
    let titles: Vec<_> = imp
        .chapters
        .iter()
        .map(|c| c.title.clone().unwrap_or_default())
        .collect();
    assert_eq!(titles, ["Prologue", "The Beginning", "Fire", "Epilogue"]);
    assert_eq!(imp.scene_breaks, 1);
    assert_eq!(
        imp.chapters[1].html,
        "<p>She woke.</p>\n<hr>\n<p>She slept.</p>\n"
    );
    assert_eq!(imp.chapters[1].text, "She woke.\n\n\nShe slept.");
    assert_eq!(imp.complete, Some(false));
    assert_eq!(imp.draft.chapters.len(), 4);
    assert_eq!(imp.draft.expected_chapters, None);
    assert!(!imp.chapters.iter().any(|c| c.text.contains("Chapter")));
}

#[test]
fn html_import_strips_scripts_and_chrome() {
    let html = br#"<!DOCTYPE html><html><head><title>Archive</title><style>p{}</style></head><body>
        <div id="header"><a href="/">Home</a></div><nav>Browse | Search</nav>
        <h1>The Title</h1>
        <p>Rated: PG-13</p>
        <p>First <b>para</b> <img src=x onerror="alert(1)"> here.</p>
        <script>alert(2)</script>
        <hr><p>Second para.</p>
        <div class="footer">Back to index</div></body></html>"#;
    let imp = import("saved.txt", html).unwrap();
    assert_eq!(imp.format, Format::Html);
    assert_eq!(imp.title.as_deref(), Some("The Title"));
    assert_eq!(imp.rating, Some(Rating::Teen));
    assert_eq!(imp.chapters[0].text, "First para here.\n\n\nSecond para.");
    assert_eq!(imp.scene_breaks, 1);
    let all = format!("{:?}", imp.to_json());
    for bad in [
        "alert",
        "onerror",
        "Home",
        "Browse",
        "Back to index",
        "<script",
    ] {
        assert!(!all.contains(bad), "{bad} in {all}");
    }
}

#[test]
fn markdown_detection_and_rendering() {
    let md = "# The Title\n\nShe was **very** late.\n\n## Chapter 2\n\nHe *waited*.\n";
    let imp = import("story.txt", md.as_bytes()).unwrap();
    assert_eq!(imp.format, Format::Markdown);
    assert_eq!(imp.title.as_deref(), Some("The Title"));
    assert_eq!(imp.chapters.len(), 2);
    assert_eq!(imp.chapters[0].text, "She was very late.");
    assert!(imp.chapters[0].html.contains("<strong>very</strong>"));
    assert_eq!(imp.chapters[1].text, "He waited.");
}

#[test]
fn json_has_the_expected_keys() {
    let imp = import("a.txt", b"A/N: hi\n\nStory.\n").unwrap();
    let j = imp.to_json();
    for k in [
        "file",
        "ok",
        "error",
        "title",
        "rating",
        "summary",
        "notes_begin",
        "notes_end",
        "chapters",
        "scene_breaks",
        "complete",
        "words",
        "suggested",
    ] {
        assert!(j.get(k).is_some(), "{k}");
    }
    assert_eq!(j["notes_begin"], "hi");
    assert_eq!(j["suggested"]["character"], serde_json::json!([]));
}
