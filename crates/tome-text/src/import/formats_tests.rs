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
