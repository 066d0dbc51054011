//! End-to-end tests of the structured formats (front matter, AO3 and generic HTML, the
//! closing of a work in progress, refusals), each on a file laid out the way the program
//! that writes it lays it out, checking every field a reader sees.

use super::*;
use tome_model::{Category, TagKind, Warning};

fn import(name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    import_bytes(name, bytes, &Vocabulary::empty(), &ImportOptions::default())
}

fn tags(imp: &Imported, kind: TagKind) -> Vec<&str> {
    imp.draft
        .tags
        .iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, n)| n.as_str())
        .collect()
}

/// Everything a reader sees of the work, as HTML and text.
fn everything(imp: &Imported) -> String {
    let d = &imp.draft;
    let mut out = vec![d.title.clone()];
    out.extend(d.summary_html.clone());
    out.extend(d.notes_begin_html.clone());
    out.extend(d.notes_end_html.clone());
    for c in &d.chapters {
        out.extend(c.title.clone());
        out.push(c.body_html.clone());
        out.extend(c.notes_begin_html.clone());
        out.extend(c.notes_end_html.clone());
    }
    for c in &imp.chapters {
        out.push(c.text.clone());
    }
    out.extend(d.tags.iter().map(|(_, t)| t.clone()));
    out.join("\n")
}

fn assert_clean(imp: &Imported) {
    let all = everything(imp).to_lowercase();
    for bad in [
        "<script",
        "<style",
        "alert(",
        "onerror",
        "javascript:",
        "log in",
        "kudos",
        "menu",
        "---",
        "+++",
    ] {
        assert!(!all.contains(bad), "{bad:?} reached the work:\n{all}");
    }
}

const OBSIDIAN: &str = "---
title: The Long Night
author:
  - Ann Writer
  - bob_co
rating: Mature
fandom: [Buffy the Vampire Slayer, Angel (TV)]
relationships:
  - Buffy Summers/Spike
characters: [Buffy Summers, Spike, Rupert Giles]
tags:
  - Angst
  - Hurt/Comfort
warnings: Graphic Depictions Of Violence
category: F/M
summary: |
  Sunnydale, after.

  *Nobody* sleeps.
notes: Written for the winter exchange.
language: English
series:
  name: Long Nights
  part: 2
complete: false
---

# The Long Night

## Dusk

The sun went down over the crater.

She did not *move*.

## Dark

Spike lit a cigarette.

Nobody spoke until dawn.
";

#[test]
fn markdown_with_yaml_front_matter() {
    let imp = import("night.md", OBSIDIAN.as_bytes()).unwrap();
    assert_eq!(imp.format, Format::Markdown);
    assert_eq!(imp.title.as_deref(), Some("The Long Night"));
    assert_eq!(imp.draft.authors, ["Ann Writer", "bob_co"]);
    assert_eq!(imp.rating, Some(Rating::Mature));
    assert_eq!(imp.draft.warnings, [Warning::GraphicViolence]);
    assert_eq!(imp.draft.categories, [Category::parse("F/M").unwrap()]);
    assert_eq!(
        tags(&imp, TagKind::Fandom),
        ["Buffy the Vampire Slayer", "Angel (TV)"]
    );
    assert_eq!(tags(&imp, TagKind::Relationship), ["Buffy Summers/Spike"]);
    assert_eq!(
        tags(&imp, TagKind::Character),
        ["Buffy Summers", "Spike", "Rupert Giles"]
    );
    assert_eq!(tags(&imp, TagKind::Freeform), ["Angst", "Hurt/Comfort"]);
    let summary = imp.draft.summary_html.as_deref().unwrap();
    assert!(summary.contains("<em>Nobody</em> sleeps."), "{summary}");
    assert_eq!(
        imp.notes_begin.as_deref(),
        Some("Written for the winter exchange.")
    );
    assert_eq!(imp.draft.language, "en");
    assert_eq!(imp.series, Some(("Long Nights".to_string(), Some(2))));
    assert_eq!(imp.complete, Some(false));
    let titles: Vec<_> = imp.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("Dusk"), Some("Dark")]);
    assert!(imp.chapters[0].text.starts_with("The sun went down"));
    assert!(imp.chapters[1].text.ends_with("Nobody spoke until dawn."));
    assert!(imp.chapters[0].html.contains("<em>move</em>"));
    let json = imp.to_json();
    assert_eq!(json["tags"]["character"][1], "Spike");
    assert_eq!(json["tags"]["warning"][0], "Graphic Depictions Of Violence");
    assert_eq!(json["tags"]["category"][0], "F/M");
    assert_eq!(json["series"]["part"], 2);
    let all = everything(&imp);
    for leaked in ["title:", "characters:", "Long Nights", "complete: false"] {
        assert!(!all.contains(leaked), "{leaked:?} stayed in the story");
    }
    assert_clean(&imp);
}

#[test]
fn markdown_with_toml_front_matter_and_chapter_headings() {
    let md = "+++
title = \"Warp\"
authors = [\"Kim\"]
rating = \"General Audiences\"
fandoms = [\"Star Trek\"]
characters = [\"Kathryn Janeway\"]
relationships = []
status = \"Complete\"
[extra]
deep = { a = 1 }
+++
# Chapter 1

Engage.

# Chapter 2

The end of the beginning.
";
    let imp = import("warp.txt", md.as_bytes()).unwrap();
    assert_eq!(imp.format, Format::Markdown);
    assert_eq!(imp.title.as_deref(), Some("Warp"));
    assert_eq!(imp.draft.authors, ["Kim"]);
    assert_eq!(imp.rating, Some(Rating::General));
    assert_eq!(tags(&imp, TagKind::Fandom), ["Star Trek"]);
    assert_eq!(tags(&imp, TagKind::Character), ["Kathryn Janeway"]);
    assert_eq!(imp.complete, Some(true));
    assert_eq!(imp.chapters.len(), 2);
    assert_eq!(imp.chapters[0].title, None);
    assert_eq!(imp.chapters[0].text, "Engage.");
    assert_eq!(imp.chapters[1].text, "The end of the beginning.");
    assert_clean(&imp);
}

#[test]
fn front_matter_hard_cases() {
    // Missing fields: only a title; the body's heuristics still run (a TBC ends it).
    let imp = import(
        "a.md",
        b"---\ntitle: Only\n---\nShe ran.\n\nTo be continued\n",
    )
    .unwrap();
    assert_eq!(imp.title.as_deref(), Some("Only"));
    assert_eq!(imp.complete, Some(false));
    assert!(imp.draft.tags.is_empty());
    // A YAML error names the line.
    let e = import("a.md", b"---\ntitle: x\ncharacters: [a, b\n---\nText.\n").unwrap_err();
    assert!(matches!(e, ImportError::FrontMatter { .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with("a.md: the YAML front matter could not be read (line"),
        "{e}"
    );
    // Nested past the limit.
    let deep = format!(
        "---\ntitle: x\ntags: {}a{}\n---\nText.\n",
        "[".repeat(30),
        "]".repeat(30)
    );
    let e = import("a.md", deep.as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "a.md: the front matter nests deeper than 16 levels"
    );
    // A story that opens with a rule is not front matter.
    let imp = import("a.txt", b"---\n\nShe ran.\n\n---\n\nShe stopped.\n").unwrap();
    assert!(imp.chapters[0].text.starts_with("She ran."));
    // Windows line ends and a BOM.
    let crlf = "\u{feff}---\r\ntitle: Crlf\r\ncharacters: Spike\r\n---\r\nText.\r\n";
    let imp = import("a.md", crlf.as_bytes()).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Crlf"));
    assert_eq!(tags(&imp, TagKind::Character), ["Spike"]);
    // A rating the archive does not know is a warning, not a failure.
    let imp = import("a.md", b"---\ntitle: x\nrating: banana\n---\nText.\n").unwrap();
    assert_eq!(imp.rating, None);
    assert!(imp.warnings.iter().any(|w| w.contains("banana")));
    // Script in front matter does not survive.
    let imp = import(
        "a.md",
        b"---\ntitle: x\nsummary: \"<script>alert(1)</script>Hi <b onclick=x>there</b>\"\n---\nText.\n",
    )
    .unwrap();
    assert_clean(&imp);
    assert!(imp.draft.summary_html.as_deref().unwrap().contains("there"));
}

const AO3_WORK_PAGE: &[u8] = include_bytes!("../../tests/fixtures/import/ao3_work_page.html");
const ARCHIVE_PAGE: &[u8] = include_bytes!("../../tests/fixtures/import/archive_page.html");

fn assert_absent(imp: &Imported, words: &[&str]) {
    // The report's header list keeps the source's fields as read (AO3's stats count kudos).
    let mut json = imp.to_json();
    json["header"] = serde_json::Value::Null;
    let all = format!("{}\n{json}", everything(imp));
    for w in words {
        assert!(!all.contains(w), "{w:?} reached the work:\n{all}");
    }
}

#[test]
fn saved_ao3_work_page_is_read_by_its_structure() {
    let imp = import("Lantern Light - Chapter 1.html", AO3_WORK_PAGE).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Lantern Light"));
    assert_eq!(imp.draft.authors, ["lampwright", "co_writer"]);
    assert_eq!(imp.rating, Some(Rating::Mature));
    assert_eq!(imp.draft.warnings, [Warning::ChoseNotToUse]);
    assert_eq!(
        imp.draft.categories,
        [
            Category::parse("F/F").unwrap(),
            Category::parse("Gen").unwrap()
        ]
    );
    assert_eq!(
        tags(&imp, TagKind::Fandom),
        ["Buffy the Vampire Slayer (TV)"]
    );
    assert_eq!(
        tags(&imp, TagKind::Relationship),
        ["Faith Lehane/Buffy Summers"]
    );
    assert_eq!(
        tags(&imp, TagKind::Character),
        ["Faith Lehane", "Buffy Summers", "Willow Rosenberg"]
    );
    assert_eq!(tags(&imp, TagKind::Freeform), ["Slow Burn", "Candles"]);
    assert_eq!(imp.draft.language, "en");
    assert_eq!(imp.series, Some(("Lights Out".to_string(), Some(3))));
    assert_eq!(imp.complete, Some(false), "Chapters: 2/3");
    assert_eq!(imp.summary.as_deref(), Some("Faith keeps a lantern lit."));
    assert!(
        imp.draft
            .summary_html
            .as_deref()
            .unwrap()
            .contains("<em>lantern</em>")
    );
    assert_eq!(imp.notes_begin.as_deref(), Some("For the winter swap."));
    assert_eq!(
        imp.notes_end.as_deref(),
        Some("The last part is coming in March.")
    );
    let titles: Vec<_> = imp.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("Wick"), Some("Flame")]);
    assert_eq!(
        imp.chapters[0].notes_begin.as_deref(),
        Some("Thanks to my beta.")
    );
    assert_eq!(
        imp.chapters[0].text,
        "The wick caught on the third match.\n\nFaith did not look away."
    );
    assert!(imp.chapters[0].html.contains("<strong>look</strong>"));
    assert_eq!(
        imp.chapters[1].text,
        "Morning came and the lantern was still burning."
    );
    let json = imp.to_json();
    assert_eq!(
        json["tags"]["warning"],
        serde_json::json!(["Creator Chose Not To Use Archive Warnings"])
    );
    assert_eq!(json["tags"]["category"], serde_json::json!(["F/F", "Gen"]));
    assert_clean(&imp);
    assert_absent(
        &imp,
        &[
            "Log In",
            "Fandoms",
            "Browse",
            "Entire Work",
            "Next Chapter",
            "Kudos",
            "left kudos",
            "Terms of Service",
            "Chapter Text",
            "injected",
            "steal",
            "Main Content",
            "color: red",
        ],
    );
}

#[test]
fn archive_page_with_a_metadata_list_and_chapter_blocks() {
    let imp = import("winter.html", ARCHIVE_PAGE).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Winter Roads"));
    assert_eq!(imp.draft.authors, ["quill"]);
    assert_eq!(imp.rating, Some(Rating::Teen));
    assert_eq!(tags(&imp, TagKind::Fandom), ["Supernatural"]);
    assert_eq!(
        tags(&imp, TagKind::Relationship),
        ["Dean Winchester/Castiel"]
    );
    assert_eq!(
        tags(&imp, TagKind::Character),
        ["Dean Winchester", "Castiel", "Sam Winchester"]
    );
    assert_eq!(tags(&imp, TagKind::Freeform), ["Road Trip", "Snow"]);
    assert_eq!(imp.summary.as_deref(), Some("Snow shuts the interstate."));
    assert!(
        imp.draft
            .summary_html
            .as_deref()
            .unwrap()
            .contains("<em>interstate</em>")
    );
    assert_eq!(imp.complete, Some(true));
    let titles: Vec<_> = imp.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("Snowfall"), Some("Thaw")]);
    assert!(
        imp.chapters[0]
            .text
            .starts_with("The Impala slid to a stop")
    );
    assert_eq!(imp.chapters[0].scene_breaks, 1);
    assert!(
        imp.chapters[1]
            .text
            .ends_with("They drove on, warmer than before.")
    );
    assert_clean(&imp);
    assert_absent(
        &imp,
        &[
            "Home",
            "Login",
            "Sign in",
            "Other stories",
            "Another",
            "Powered by",
            "alert",
            "margin",
            "© 2009",
        ],
    );
}

#[test]
fn pages_without_chapter_blocks_and_one_shot_work_pages() {
    // A metadata list without classes, and the story in an article beside a menu.
    let page = r#"<html><body><ul class="menu"><li>Home</li><li>Log in</li></ul>
        <article><h1>Short Walk</h1><dl><dt>Author:</dt><dd>pen</dd><dt>Characters:</dt><dd>Spike</dd>
        <dt>Rating:</dt><dd>G</dd></dl><p>He walked.</p><p>He stopped.</p><p>Please review!</p></article>
        <script>alert(1)</script></body></html>"#;
    let imp = import("walk.html", page.as_bytes()).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Short Walk"));
    assert_eq!(imp.draft.authors, ["pen"]);
    assert_eq!(imp.rating, Some(Rating::General));
    assert_eq!(tags(&imp, TagKind::Character), ["Spike"]);
    assert_eq!(imp.chapters.len(), 1);
    assert_eq!(imp.chapters[0].text, "He walked.\n\nHe stopped.");
    assert_eq!(imp.notes_end.as_deref(), Some("Please review!"));
    assert_clean(&imp);
    assert_absent(&imp, &["Home", "Log in", "Short Walk\n\nHe", "Author"]);
    // A one-shot's work page: the text right in #chapters, no chapter prefaces.
    let page = r#"<html><body><dl class="work meta group"><dt class="rating tags">Rating:</dt>
        <dd class="rating tags"><ul class="commas"><li><a class="tag">Explicit</a></li></ul></dd>
        <dt class="stats">Stats:</dt><dd class="stats"><dl class="stats"><dt>Chapters:</dt><dd>1/1</dd></dl></dd></dl>
        <div id="workskin"><div class="preface group"><h2 class="title heading">Once</h2>
        <h3 class="byline heading"><a rel="author" href="/users/a">a</a></h3></div>
        <div id="chapters" role="article"><h3 class="landmark heading" id="work">Work Text:</h3>
        <div class="userstuff"><p>Only once.</p></div></div></div>
        <div id="feedback"><p>Kudos</p></div></body></html>"#;
    let imp = import("once.html", page.as_bytes()).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Once"));
    assert_eq!(imp.rating, Some(Rating::Explicit));
    assert_eq!(imp.complete, Some(true));
    assert_eq!(imp.chapters.len(), 1);
    assert_eq!(imp.chapters[0].text, "Only once.");
    assert_absent(&imp, &["Work Text", "Kudos"]);
}
