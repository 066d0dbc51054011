//! The EPUB download must pass `epubcheck` (the W3C/DAISY validator) with no errors.
//!
//! Built from awkward input on purpose: entities XML does not know, void elements,
//! unclosed paragraphs, a remote image, links, non-ASCII titles and `&` in tag names.
//! Needs the Debian package `epubcheck`; without it the test fails rather than
//! passing silently.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use tome_model::Rating;
use tome_text::{ExportChapter, ExportWork, to_epub};

const EPUBCHECK: &str = "/usr/bin/epubcheck";

fn awkward_work() -> ExportWork {
    ExportWork {
        id: 42,
        title: "Café — naïve ‘quotes’…".into(),
        authors: vec!["Ann & Bee".into(), "Zoë".into()],
        language: "en".into(),
        rating: Rating::Mature,
        warnings: vec!["Creator Chose Not To Use Archive Warnings".into()],
        categories: vec!["F/F".into()],
        fandoms: vec!["Pride & Prejudice - Jane Austen".into()],
        relationships: vec!["Elizabeth Bennet/Charlotte Lucas".into()],
        characters: vec!["Elizabeth Bennet".into(), "Charlotte <Lucas>".into()],
        freeforms: vec!["Fluff & Angst".into(), "Hurt/Comfort".into()],
        summary_html: Some("<p>She said &ldquo;no&rdquo;&nbsp;&mdash; twice.<br>Then <em>yes</em>.</p>".into()),
        notes_begin_html: Some("<p>For <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\">my beta</a>.</p>".into()),
        notes_end_html: Some("<p>Thanks for reading!<p>Unclosed too".into()),
        published_at: 1_577_836_800,
        updated_at: 1_580_515_200,
        complete: true,
        chapter_count: 3,
        expected_chapters: Some(3),
        words: 120,
        url: Some("http://127.0.0.1:8080/works/42".into()),
        archive_name: "Test & Archive".into(),
        chapters: vec![
            ExportChapter {
                position: 1,
                title: Some("Tea & “Sympathy”".into()),
                summary_html: Some("<p>Chapter summary &hellip;</p>".into()),
                notes_begin_html: None,
                notes_end_html: Some("<p>See you&nbsp;soon.".into()),
                body_html: "<p>First&nbsp;paragraph &mdash; with &amp; and &lt;tags&gt;.<p>Unclosed paragraph<br>with a break.<hr><p>After the break.</p>".into(),
            },
            ExportChapter {
                position: 2,
                title: None,
                summary_html: None,
                notes_begin_html: Some("<p>Mind the image.</p>".into()),
                notes_end_html: None,
                body_html: "<p><img src=\"https://example.com/pic.png\" alt=\"A picture\" width=\"50%\"> and <a href=\"https://example.com/\">a link</a> and <a href=\"#fn1\">a footnote</a>.</p><center>Centred</center><p align=\"right\">Right.</p><ul><li>one<li>two</ul><table><tr><td colspan=\"2\">cell</td></tr></table>".into(),
            },
            ExportChapter {
                position: 3,
                title: Some("日本語の章".into()),
                summary_html: None,
                notes_begin_html: None,
                notes_end_html: None,
                body_html: "<blockquote><p>Quoted <strike>old</strike> <tt>mono</tt> <big>big</big></p></blockquote><p lang=\"ja\">終わり。</p>".into(),
            },
        ],
    }
}

fn one_shot() -> ExportWork {
    let mut w = awkward_work();
    w.id = 43;
    w.title = "A One-Shot".into();
    w.authors = vec!["Anonymous".into()];
    w.chapters.truncate(1);
    w.chapters[0].title = None;
    w.chapter_count = 1;
    w.expected_chapters = Some(1);
    w.summary_html = None;
    w.notes_begin_html = None;
    w.notes_end_html = None;
    w.url = None;
    w.fandoms.clear();
    w.relationships.clear();
    w.characters.clear();
    w.freeforms.clear();
    w
}

/// Runs epubcheck on the file; returns (errors + fatals, warnings, the messages).
fn epubcheck(path: &Path) -> (u64, u64, Vec<String>) {
    assert!(
        Path::new(EPUBCHECK).exists(),
        "{EPUBCHECK} not found: install the Debian package epubcheck (run scripts/test.sh)"
    );
    // Debian's /usr/bin/epubcheck is the jar itself, runnable only where binfmt_misc
    // hands jars to Java (not in most containers): fall back to `java -jar`.
    let run = |cmd: &mut Command| cmd.arg(path).arg("--json").arg("-").output();
    let out = match run(&mut Command::new(EPUBCHECK)) {
        Err(e) if e.raw_os_error() == Some(8) => run(Command::new("java").arg("-jar").arg(EPUBCHECK)),
        other => other,
    }
    .unwrap_or_else(|e| {
        panic!("could not run {EPUBCHECK}: {e}; install the Debian package epubcheck (run scripts/test.sh)")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let start = stdout.find('{').unwrap_or(0);
    let report: serde_json::Value = serde_json::from_str(&stdout[start..]).unwrap_or_else(|e| {
        panic!(
            "epubcheck output is not JSON ({e}); exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            out.status
        )
    });
    let checker = &report["checker"];
    let count = |k: &str| checker[k].as_u64().unwrap_or(0);
    let mut messages = Vec::new();
    for m in report["messages"].as_array().into_iter().flatten() {
        let locations: Vec<String> = m["locations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                format!(
                    "{}:{}:{}",
                    l["path"].as_str().unwrap_or("?"),
                    l["line"],
                    l["column"]
                )
            })
            .collect();
        messages.push(format!(
            "{} {} {} at {}",
            m["severity"].as_str().unwrap_or("?"),
            m["ID"].as_str().unwrap_or("?"),
            m["message"].as_str().unwrap_or("?"),
            locations.join(", ")
        ));
    }
    let errors = count("nFatal") + count("nError");
    if errors == 0 {
        assert!(
            out.status.success(),
            "epubcheck exited {:?} with no errors counted:\n{stderr}",
            out.status
        );
    }
    (errors, count("nWarning"), messages)
}

fn check(work: &ExportWork, name: &str) -> Vec<u8> {
    let bytes = to_epub(work).expect("EPUB builds");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).expect("write EPUB");
    let (errors, warnings, messages) = epubcheck(&path);
    eprintln!("epubcheck {name}: {errors} errors/fatals, {warnings} warnings");
    for m in &messages {
        eprintln!("  {m}");
    }
    assert_eq!(
        errors,
        0,
        "epubcheck found errors in {name}:\n{}",
        messages.join("\n")
    );
    assert_eq!(
        warnings,
        0,
        "epubcheck warnings in {name}:\n{}",
        messages.join("\n")
    );
    bytes
}

fn read_entry(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut f = zip
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} missing: {e}"));
    let mut s = String::new();
    f.read_to_string(&mut s).expect("UTF-8 entry");
    s
}

#[test]
fn multi_chapter_epub_passes_epubcheck_and_carries_metadata() {
    let bytes = check(&awkward_work(), "awkward.epub");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    {
        let first = zip.by_index(0).expect("first entry");
        assert_eq!(first.name(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    }
    assert_eq!(read_entry(&mut zip, "mimetype"), "application/epub+zip");

    let opf = read_entry(&mut zip, "OEBPS/content.opf");
    assert!(
        opf.contains("<dc:title>Café — naïve ‘quotes’…</dc:title>"),
        "{opf}"
    );
    assert!(opf.contains(">Ann &amp; Bee</dc:creator>"), "{opf}");
    assert!(opf.contains(">Zoë</dc:creator>"), "{opf}");
    assert!(opf.contains("<dc:language>en</dc:language>"), "{opf}");
    assert!(
        opf.contains("<dc:publisher>Test &amp; Archive</dc:publisher>"),
        "{opf}"
    );
    assert!(
        opf.contains("<dc:source>http://127.0.0.1:8080/works/42</dc:source>"),
        "{opf}"
    );
    assert!(
        opf.contains("<dc:date>2020-01-01T00:00:00Z</dc:date>"),
        "{opf}"
    );
    assert!(
        opf.contains("<meta property=\"dcterms:modified\">2020-02-01T00:00:00Z</meta>"),
        "{opf}"
    );
    assert!(
        opf.contains("<dc:description>She said “no”\u{a0}— twice. Then yes.</dc:description>"),
        "{opf}"
    );
    for subject in [
        "Pride &amp; Prejudice - Jane Austen",
        "Elizabeth Bennet/Charlotte Lucas",
        "Charlotte &lt;Lucas&gt;",
        "Fluff &amp; Angst",
        "Hurt/Comfort",
    ] {
        assert!(
            opf.contains(&format!("<dc:subject>{subject}</dc:subject>")),
            "{subject} in {opf}"
        );
    }
    // The identifier is stable: the same work gives the same book.
    let again = to_epub(&awkward_work()).expect("EPUB builds");
    let mut zip2 = zip::ZipArchive::new(std::io::Cursor::new(again)).expect("a zip");
    let id_line = |s: &str| {
        s.lines()
            .find(|l| l.contains("<dc:identifier"))
            .map(str::to_string)
    };
    assert_eq!(
        id_line(&opf),
        id_line(&read_entry(&mut zip2, "OEBPS/content.opf"))
    );
    assert!(id_line(&opf).is_some_and(|l| l.contains("urn:uuid:")));

    let nav = read_entry(&mut zip, "OEBPS/nav.xhtml");
    for entry in [
        "Title Page",
        "Chapter 1: Tea &amp; “Sympathy”",
        "Chapter 2",
        "Chapter 3: 日本語の章",
        "Afterword",
    ] {
        assert!(nav.contains(&format!(">{entry}</a>")), "{entry} in {nav}");
    }
    let ncx = read_entry(&mut zip, "OEBPS/toc.ncx");
    assert!(ncx.contains("Chapter 3: 日本語の章"));

    let ch1 = read_entry(&mut zip, "OEBPS/chapter-001.xhtml");
    assert!(
        ch1.contains("<h2>Chapter 1: Tea &amp; “Sympathy”</h2>"),
        "{ch1}"
    );
    assert!(
        ch1.contains("First\u{a0}paragraph — with &amp; and &lt;tags&gt;."),
        "{ch1}"
    );
    assert!(ch1.contains("<br/>") && ch1.contains("<hr/>"), "{ch1}");
    assert!(!ch1.contains("&nbsp;") && !ch1.contains("&mdash;"));
    let ch2 = read_entry(&mut zip, "OEBPS/chapter-002.xhtml");
    assert!(!ch2.contains("<img"), "remote image dropped: {ch2}");
    assert!(ch2.contains("[A picture]"), "alt text kept: {ch2}");
    assert!(ch2.contains("<a href=\"https://example.com/\""), "{ch2}");
    let title = read_entry(&mut zip, "OEBPS/title.xhtml");
    assert!(
        title.contains("<dt>Rating:</dt>\n<dd>Mature</dd>"),
        "{title}"
    );
    assert!(title.contains("Chapters: 3/3"), "{title}");
    let after = read_entry(&mut zip, "OEBPS/afterword.xhtml");
    assert!(after.contains("Unclosed too"), "{after}");
}

#[test]
fn one_shot_epub_passes_epubcheck() {
    let bytes = check(&one_shot(), "one-shot.epub");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let ch = read_entry(&mut zip, "OEBPS/chapter-001.xhtml");
    assert!(
        !ch.contains("<h2>Chapter"),
        "a one-shot has no chapter heading: {ch}"
    );
    let nav = read_entry(&mut zip, "OEBPS/nav.xhtml");
    assert!(nav.contains(">A One-Shot</a>"), "{nav}");
    assert!(
        zip.by_name("OEBPS/toc.xhtml").is_err(),
        "no contents page for a one-shot"
    );
}
