//! End-to-end import tests: bad inputs, encodings, formats. Fixture files are written by
//! the tests into temporary directories (a 200 MB file is sparse: `set_len`, never written).

use super::*;
use std::fs::File;
use std::io::Write;
use tome_model::TagKind;

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
        "tags",
    ] {
        assert!(j.get(k).is_some(), "{k}");
    }
    assert_eq!(j["notes_begin"], "hi");
    assert_eq!(j["suggested"]["character"], serde_json::json!([]));
    for kind in [
        "fandom",
        "relationship",
        "character",
        "freeform",
        "warning",
        "category",
    ] {
        assert_eq!(j["tags"][kind], serde_json::json!([]), "{kind}");
    }
    // A header's Characters:/Pairing: lines are stated tags, as written, and the work's.
    let imp = import(
        "a.txt",
        b"Title: T\nPairing: Buffy/Spike\nCharacters: Buffy, Spike.\nFandom: BtVS\n\nStory.\n",
    )
    .unwrap();
    let j = imp.to_json();
    assert_eq!(
        j["tags"]["relationship"],
        serde_json::json!(["Buffy/Spike"])
    );
    assert_eq!(
        j["tags"]["character"],
        serde_json::json!(["Buffy", "Spike."])
    );
    assert_eq!(j["tags"]["fandom"], serde_json::json!(["BtVS"]));
    assert!(
        imp.draft
            .tags
            .contains(&(TagKind::Character, "Spike".to_string()))
    );
    assert!(
        imp.draft
            .tags
            .contains(&(TagKind::Relationship, "Buffy/Spike".to_string()))
    );
}

const AO3_DOWNLOAD: &[u8] = include_bytes!("../../tests/fixtures/import/ao3_download.html");
const SAVED_PAGE: &[u8] = include_bytes!("../../tests/fixtures/import/saved_page.html");

fn all_html(imp: &Imported) -> String {
    let d = &imp.draft;
    let mut all: Vec<String> = vec![];
    all.extend(d.summary_html.clone());
    all.extend(d.notes_begin_html.clone());
    all.extend(d.notes_end_html.clone());
    for c in &d.chapters {
        all.push(c.body_html.clone());
        all.extend(c.notes_begin_html.clone());
        all.extend(c.notes_end_html.clone());
    }
    all.join("\n")
}

#[test]
fn ao3_download_maps_metadata_into_the_draft() {
    use tome_model::{Category, TagKind, Warning};
    let imp = import("night_shift.html", AO3_DOWNLOAD).unwrap();
    assert_eq!(imp.format, Format::Html);
    assert_eq!(imp.title.as_deref(), Some("Night Shift"));
    assert_eq!(imp.draft.authors, ["tomewriter"]);
    assert_eq!(imp.rating, Some(Rating::Teen));
    assert_eq!(
        imp.draft.warnings,
        [Warning::GraphicViolence, Warning::MajorCharacterDeath]
    );
    assert_eq!(imp.draft.categories, [Category::FM, Category::Gen]);
    let tags: Vec<(TagKind, &str)> = imp
        .draft
        .tags
        .iter()
        .map(|(k, n)| (*k, n.as_str()))
        .collect();
    assert_eq!(
        tags,
        [
            (TagKind::Fandom, "Buffy the Vampire Slayer (TV)"),
            (TagKind::Relationship, "Buffy Summers/Spike"),
            (TagKind::Character, "Buffy Summers"),
            (TagKind::Character, "Spike"),
            (TagKind::Character, "Dawn Summers"),
            (TagKind::Freeform, "Angst"),
            (TagKind::Freeform, "Hurt/Comfort"),
            (TagKind::Freeform, "Patrolling"),
        ]
    );
    assert_eq!(imp.draft.language, "en");
    // Summary: two paragraphs, italics kept in the HTML, plain in the report.
    assert_eq!(
        imp.summary.as_deref(),
        Some("Buffy patrols. Spike insists on coming along.\n\nSet after Once More, with Feeling.")
    );
    assert_eq!(
        imp.draft.summary_html.as_deref(),
        Some(
            "<p>Buffy patrols. Spike <em>insists</em> on coming along.</p>\n<p>Set after <em>Once More, with Feeling</em>.</p>\n"
        )
    );
    assert_eq!(
        imp.notes_begin.as_deref(),
        Some("Written for the Halloween exchange.")
    );
    assert!(
        imp.draft
            .notes_begin_html
            .as_deref()
            .is_some_and(|n| n.contains("<strong>Halloween</strong>"))
    );
    assert_eq!(imp.notes_end.as_deref(), Some("Comments make my day."));
    // Chapters: titles from the h2 headings; "Morning" after a bare heading stays story.
    let titles: Vec<_> = imp.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("The Cemetery"), None]);
    let one = &imp.chapters[0];
    assert_eq!(one.notes_begin.as_deref(), Some("Thanks to my beta."));
    assert_eq!(one.notes_end.as_deref(), Some("More soon!"));
    assert_eq!(
        one.text,
        "The cemetery was quiet. Too quiet, Buffy thought.\n\nNot again, she told herself, and ran.\n\n\nSpike was waiting by the crypt, smoking."
    );
    assert_eq!(
        one.html,
        "<p>The cemetery was <em>quiet</em>. Too quiet, Buffy thought.</p>\n<p><em>Not again,</em> she told herself, and <strong>ran</strong>.</p>\n<hr>\n<p>Spike was waiting by the crypt, smoking.</p>\n"
    );
    assert_eq!(one.scene_breaks, 1);
    let two = &imp.chapters[1];
    assert!(two.text.starts_with("Morning\n\nDawn was"), "{}", two.text);
    assert!(
        two.html.contains("<em>Vampyr</em>")
            && two
                .html
                .contains("<blockquote>\n<p>Slayers are chosen, not made.</p>\n</blockquote>")
            && two
                .html
                .contains("<ul>\n<li>Stakes</li>\n<li>Holy water</li>\n</ul>"),
        "{}",
        two.html
    );
    // "Chapters: 2/?" in the stats: a work in progress.
    assert_eq!(imp.complete, Some(false));
    assert_eq!(
        imp.draft.chapters[0].notes_end_html.as_deref(),
        Some("<p>More soon!</p>\n")
    );
    // Nothing of the preface or afterword chrome is story or notes.
    let j = imp.to_json().to_string();
    for bad in [
        "Posted originally",
        "drop by the archive",
        "See the end",
        "Chapter Notes",
    ] {
        assert!(
            !j.contains(bad) || !format!("{:?}", imp.chapters).contains(bad),
            "{bad}"
        );
        assert!(!all_html(&imp).contains(bad), "{bad}");
    }
    // Words: the story text only, markers and notes excluded.
    let words: u64 = imp
        .chapters
        .iter()
        .map(|c| tome_model::count_words(&c.text))
        .sum();
    assert_eq!(imp.words, words);
    for c in &imp.draft.chapters {
        assert_eq!(c.word_count, crate::html_word_count(&c.body_html));
    }
}

#[test]
fn saved_page_keeps_formatting_and_drops_scripts_and_chrome() {
    let imp = import("rain.htm", SAVED_PAGE).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Rain"));
    assert_eq!(imp.rating, Rating::from_archive_text("PG"));
    let c = &imp.chapters[0];
    assert_eq!(
        c.text,
        "It was raining, and nobody came.\n\nShe said, “Maybe tomorrow.” click next\n\nA2 and H2O, underlined, struck.\nSecond line.\n\nThe end of the day."
    );
    let html = &c.html;
    for good in [
        "<em>raining</em>",
        "<strong>nobody</strong>",
        "<em>“Maybe tomorrow.”</em>",
        "<a href=\"https://example.org/next\" rel=\"nofollow noopener noreferrer\">next</a>",
        "A<sup>2</sup>",
        "H<sub>2</sub>O",
        "<u>underlined</u>",
        "<s>struck</s>",
        ".<br>\nSecond line.",
    ] {
        assert!(html.contains(good), "{good} missing in {html}");
    }
    let everything = format!("{}\n{}", all_html(&imp), imp.to_json());
    for bad in [
        "<script",
        "alert",
        "onerror",
        "onclick",
        "javascript:",
        "tracker",
        "steal",
        "Home",
        "Browse",
        "Powered by",
        "Back to index",
        "Copyright",
        "color: red",
    ] {
        assert!(!everything.contains(bad), "{bad} survived: {everything}");
    }
    assert_eq!(imp.complete, Some(true));
    assert!(imp.set_aside.iter().any(|s| s == "Fin."));
    // Markers add no words: the count is the text's.
    assert_eq!(imp.words, tome_model::count_words(&c.text));
    assert_eq!(c.words, crate::html_word_count(html));
    assert!(!c.text.chars().any(inline::is_marker));
}

#[test]
fn end_markers_and_chrome_per_chapter() {
    let text = "Title: Parts\n\nChapter 1\n\nShe left.\n\nTo be continued...\n\nPlease review!\n\nChapter 2\n\nDisclaimer: not mine.\n\nA/N: thanks for the reviews!\n\nShe came back.\n\nR&R\n\nChapter 3\n\nShe stayed.\n\nThe End\n\nReviews are welcome!";
    let imp = import("parts.txt", text.as_bytes()).unwrap();
    let texts: Vec<_> = imp.chapters.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["She left.", "She came back.", "She stayed."]);
    assert_eq!(
        imp.chapters[1].notes_begin.as_deref(),
        Some("thanks for the reviews!")
    );
    // Only the last chapter's marker decides.
    assert_eq!(imp.complete, Some(true));
    for s in ["To be continued...", "Disclaimer: not mine.", "The End"] {
        assert!(imp.set_aside.iter().any(|a| a == s), "{s} not set aside");
    }
    // Closing pleas are the author's word to readers: end notes, the chapter's or the work's.
    assert_eq!(imp.chapters[0].notes_end.as_deref(), Some("Please review!"));
    assert_eq!(imp.chapters[1].notes_end.as_deref(), Some("R&R"));
    assert_eq!(imp.notes_end.as_deref(), Some("Reviews are welcome!"));
    let wip = "Chapter 1\n\nOne.\n\nThe End\n\nChapter 2\n\nTwo.\n\nTBC\n";
    assert_eq!(
        import("w.txt", wip.as_bytes()).unwrap().complete,
        Some(false)
    );
    let middle_note =
        "Chapter 1\n\nOne.\n\nMore one.\n\nA/N: next chapter soon.\n\nChapter 2\n\nTwo.\n";
    let imp = import("m.txt", middle_note.as_bytes()).unwrap();
    assert_eq!(imp.chapters[0].text, "One.\n\nMore one.");
    assert_eq!(
        imp.chapters[0].notes_end.as_deref(),
        Some("next chapter soon.")
    );
    assert_eq!(imp.notes_end, None);
}

#[test]
fn plain_text_emphasis_becomes_italics() {
    let text = "Title: Stars\n\nShe was *so* tired. _Why now?_ she thought.\n\n* * *\n\nHe said **no**, and 5 * 3 is still 15; snake_case stays.\n";
    let imp = import("stars.txt", text.as_bytes()).unwrap();
    let c = &imp.chapters[0];
    assert_eq!(
        c.text,
        "She was so tired. Why now? she thought.\n\n\nHe said no, and 5 * 3 is still 15; snake_case stays."
    );
    assert_eq!(
        c.html,
        "<p>She was <em>so</em> tired. <em>Why now?</em> she thought.</p>\n<hr>\n<p>He said <strong>no</strong>, and 5 * 3 is still 15; snake_case stays.</p>\n"
    );
    assert_eq!(imp.scene_breaks, 1);
    assert_eq!(c.words, 20);
}

#[test]
fn formatted_labels_and_headings_still_read() {
    let html = br#"<html><body>
        <p><b>Title:</b> <i>Bold Move</i></p>
        <p><b>Summary:</b> A <i>very</i> short one.</p>
        <p><strong>A/N:</strong> <em>Thanks</em> to all.</p>
        <h2><b>Chapter 1:</b> <i>Start</i></h2>
        <p>Story <em>text</em>.</p>
        <p><i>~ To be continued ~</i></p>
        </body></html>"#;
    let imp = import("f.html", html).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Bold Move"));
    assert_eq!(imp.summary.as_deref(), Some("A very short one."));
    assert_eq!(
        imp.draft.summary_html.as_deref(),
        Some("<p>A <em>very</em> short one.</p>\n")
    );
    assert_eq!(imp.notes_begin.as_deref(), Some("Thanks to all."));
    assert_eq!(
        imp.draft.notes_begin_html.as_deref(),
        Some("<p><em>Thanks</em> to all.</p>\n")
    );
    assert_eq!(imp.chapters[0].title.as_deref(), Some("Start"));
    assert_eq!(imp.chapters[0].html, "<p>Story <em>text</em>.</p>\n");
    assert_eq!(imp.complete, Some(false));
}

#[test]
fn markdown_formatting_survives() {
    let md = "# Tale\n\nShe was *very* late, **again**. See [the map](https://example.org/map).\n\n> Slayers are chosen.\n\n- stakes\n- water\n\n---\n\n<script>alert(1)</script>He <img src=x onerror=alert(2)>waited.\n";
    let imp = import("tale.md", md.as_bytes()).unwrap();
    let c = &imp.chapters[0];
    for good in [
        "<em>very</em>",
        "<strong>again</strong>",
        "<a href=\"https://example.org/map\" rel=\"nofollow noopener noreferrer\">the map</a>",
        "<blockquote>",
        "<li>stakes</li>",
        "<hr>",
    ] {
        assert!(c.html.contains(good), "{good} missing in {}", c.html);
    }
    for bad in ["<script", "alert", "onerror"] {
        assert!(!c.html.contains(bad), "{bad} in {}", c.html);
    }
    assert!(
        c.text.starts_with("She was very late, again. See the map."),
        "{}",
        c.text
    );
    assert_eq!(imp.scene_breaks, 1);
}

#[test]
fn private_use_characters_in_the_source_are_not_markup() {
    let text = "Title: X\n\nA \u{E000}strange\u{E001} glyph.\n";
    let imp = import("pua.txt", text.as_bytes()).unwrap();
    assert_eq!(imp.chapters[0].html, "<p>A strange glyph.</p>\n");
    assert!(imp.warnings.iter().any(|w| w.contains("private-use")));
}

#[test]
fn tags_the_archive_cannot_hold_are_left_out_with_a_warning_not_the_whole_work() {
    let long = "word ".repeat(40);
    let mut tags = vec![long.trim().to_string(), "Kept Tag".to_string()];
    tags.extend((0..80).map(|i| format!("Tag {i}")));
    let o = ImportOptions { tags, ..opts() };
    let text = b"Title: Keeper\n\nOnce upon a time there was a lighthouse.\n";
    let imported = import_bytes("keeper.txt", text, &vocab(), &o).expect("imported");
    let names: Vec<&str> = imported
        .draft
        .tags
        .iter()
        .map(|(_, n)| n.as_str())
        .collect();
    assert!(names.contains(&"Kept Tag"), "{names:?}");
    assert!(!names.iter().any(|n| n.len() > tome_model::limits::TAG_NAME));
    assert_eq!(names.len(), tome_model::limits::TAGS_PER_WORK);
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.starts_with("left out the freeform tag \"word word")),
        "{:?}",
        imported.warnings
    );
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.ends_with("a work holds at most 75 tags")),
        "{:?}",
        imported.warnings
    );
    // The store takes what is left.
    tome_model::limits::check_work_tags(imported.draft.tags.iter().map(|(k, n)| (*k, n.as_str())))
        .expect("within the limits");
}
