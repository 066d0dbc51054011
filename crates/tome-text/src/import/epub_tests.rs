//! EPUB import tests on books laid out the way AO3 and FanFicFare lay theirs out, and on
//! the zips that must be refused.

use super::*;
use std::io::Write;
use tome_model::{Category, TagKind, Warning};
use zip::write::SimpleFileOptions;

fn import(name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    import_bytes(name, bytes, &Vocabulary::empty(), &ImportOptions::default())
}

/// A zip of `files`, in order, `mimetype` stored first as the EPUB container asks.
fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in files {
        let opts = if *name == "mimetype" {
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
        } else {
            SimpleFileOptions::default()
        };
        w.start_file(*name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const CONTAINER: &str = r#"<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"#;

fn xhtml(title: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title>
<link rel="stylesheet" type="text/css" href="stylesheet.css"/>
<style type="text/css">p {{ color: red; }}</style></head>
<body>{body}</body></html>"#
    )
}

/// An AO3 download EPUB: the package, a preface document with the tag list, one document
/// per chapter with its meta block, and the afterword.
fn ao3_epub() -> Vec<u8> {
    let opf = r#"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>Salt &amp; Iron</dc:title>
    <dc:creator opf:role="aut">ironquill</dc:creator>
    <dc:creator opf:role="aut">saltlick</dc:creator>
    <dc:language>en</dc:language>
    <dc:publisher>Archive of Our Own</dc:publisher>
    <dc:subject>Fanworks</dc:subject>
    <dc:subject>Supernatural</dc:subject>
    <dc:description>&lt;p&gt;Two hunters, one motel.&lt;/p&gt;</dc:description>
    <dc:identifier id="uid">urn:uuid:1</dc:identifier>
    <meta name="calibre:series" content="Roadside"/>
    <meta name="calibre:series_index" content="2"/>
  </metadata>
  <manifest>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="stylesheet.css" media-type="text/css"/>
    <item id="preface" href="preface.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch1" href="chapter1.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch2" href="chapter2.xhtml" media-type="application/xhtml+xml"/>
    <item id="after" href="afterword.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine toc="ncx">
    <itemref idref="preface"/><itemref idref="ch1"/><itemref idref="ch2"/><itemref idref="after"/>
  </spine>
</package>"#;
    let ncx = r#"<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
<navPoint id="p0" playOrder="1"><navLabel><text>Preface</text></navLabel><content src="preface.xhtml"/></navPoint>
<navPoint id="p1" playOrder="2"><navLabel><text>1. Salt</text></navLabel><content src="chapter1.xhtml"/></navPoint>
<navPoint id="p2" playOrder="3"><navLabel><text>2. Iron</text></navLabel><content src="chapter2.xhtml"/></navPoint>
</navMap></ncx>"#;
    let preface = xhtml(
        "Salt &amp; Iron",
        r#"<div id="preface">
<p class="message"><b>Salt &amp; Iron</b><br/>Posted originally on the <a href="http://archiveofourown.org/">Archive of Our Own</a>.</p>
<div class="meta"><dl class="tags">
<dt>Rating:</dt><dd><a href="http://archiveofourown.org/tags/Explicit">Explicit</a></dd>
<dt>Archive Warning:</dt><dd><a href="http://archiveofourown.org/tags/x">No Archive Warnings Apply</a></dd>
<dt>Category:</dt><dd><a href="http://archiveofourown.org/tags/x">M/M</a></dd>
<dt>Fandom:</dt><dd><a href="http://archiveofourown.org/tags/x">Supernatural (TV 2005)</a></dd>
<dt>Relationship:</dt><dd><a href="http://archiveofourown.org/tags/x">Castiel/Dean Winchester</a></dd>
<dt>Character:</dt><dd><a href="http://archiveofourown.org/tags/x">Dean Winchester</a>, <a href="http://archiveofourown.org/tags/x">Castiel</a></dd>
<dt>Additional Tags:</dt><dd><a href="http://archiveofourown.org/tags/x">Motels</a>, <a href="http://archiveofourown.org/tags/x">One Bed</a></dd>
<dt>Language:</dt><dd>English</dd>
<dt>Series:</dt><dd>Part 2 of <a href="http://archiveofourown.org/series/1">Roadside</a></dd>
<dt>Stats:</dt><dd>Published: 2020-01-01 Completed: 2020-02-02 Words: 30 Chapters: 2/2</dd>
</dl>
<h1>Salt &amp; Iron</h1>
<div class="byline">by <a rel="author" href="http://archiveofourown.org/users/ironquill">ironquill</a>, <a rel="author" href="http://archiveofourown.org/users/saltlick">saltlick</a></div>
<p>Summary</p><blockquote class="userstuff"><p>Two hunters, <em>one</em> motel.</p></blockquote>
<p>Notes</p><blockquote class="userstuff"><p>For the road trip fest.</p></blockquote>
</div></div><script>alert("preface")</script>"#,
    );
    let ch1 = xhtml(
        "Salt",
        r#"<div class="meta group"><h2 class="heading">Chapter 1: Salt</h2>
<p>Chapter Notes</p><blockquote class="userstuff"><p>Here we go.</p></blockquote></div>
<div class="userstuff"><p>Dean lined the sill with salt.</p><p>Cas watched him do it.</p></div>"#,
    );
    let ch2 = xhtml(
        "Iron",
        r#"<div class="meta group"><h2 class="heading">Chapter 2: Iron</h2></div>
<div class="userstuff"><p>The iron was cold.</p><hr/><p>Morning, finally.</p></div>
<div class="meta group"><p>Chapter End Notes</p><blockquote class="userstuff"><p>Almost done.</p></blockquote></div>"#,
    );
    let after = xhtml(
        "Afterword",
        r#"<div id="afterword"><h2 class="toc-heading">Afterword</h2>
<div class="meta"><p>End Notes</p><blockquote class="userstuff"><p>Thank you, beta!</p></blockquote></div>
<p class="message">Please drop by the <a href="http://archiveofourown.org/">Archive</a> and comment to let the creator know if you enjoyed their work!</p></div>"#,
    );
    zip_of(&[
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", opf),
        ("OEBPS/toc.ncx", ncx),
        ("OEBPS/stylesheet.css", "body { color: red; }"),
        ("OEBPS/preface.xhtml", &preface),
        ("OEBPS/chapter1.xhtml", &ch1),
        ("OEBPS/chapter2.xhtml", &ch2),
        ("OEBPS/afterword.xhtml", &after),
    ])
}

fn tags(imp: &Imported, kind: TagKind) -> Vec<&str> {
    imp.draft
        .tags
        .iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, n)| n.as_str())
        .collect()
}

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
    out.join("\n")
}

fn assert_absent(imp: &Imported, words: &[&str]) {
    let all = everything(imp);
    for w in words {
        assert!(!all.contains(w), "{w:?} reached the work:\n{all}");
    }
}

#[test]
fn ao3_epub_is_read_by_its_structure() {
    let imp = import("salt.epub", &ao3_epub()).unwrap();
    assert_eq!(imp.format, Format::Epub);
    assert_eq!(imp.title.as_deref(), Some("Salt & Iron"));
    assert_eq!(imp.draft.authors, ["ironquill", "saltlick"]);
    assert_eq!(imp.rating, Some(Rating::Explicit));
    assert_eq!(imp.draft.warnings, [Warning::NoWarnings]);
    assert_eq!(imp.draft.categories, [Category::parse("M/M").unwrap()]);
    assert_eq!(tags(&imp, TagKind::Fandom), ["Supernatural (TV 2005)"]);
    assert_eq!(
        tags(&imp, TagKind::Relationship),
        ["Castiel/Dean Winchester"]
    );
    assert_eq!(
        tags(&imp, TagKind::Character),
        ["Dean Winchester", "Castiel"]
    );
    assert_eq!(tags(&imp, TagKind::Freeform), ["Motels", "One Bed"]);
    assert_eq!(imp.draft.language, "en");
    assert_eq!(imp.series, Some(("Roadside".to_string(), Some(2))));
    assert_eq!(imp.complete, Some(true));
    assert_eq!(imp.summary.as_deref(), Some("Two hunters, one motel."));
    assert!(
        imp.draft
            .summary_html
            .as_deref()
            .unwrap()
            .contains("<em>one</em>")
    );
    assert_eq!(imp.notes_begin.as_deref(), Some("For the road trip fest."));
    assert_eq!(imp.notes_end.as_deref(), Some("Thank you, beta!"));
    let titles: Vec<_> = imp.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("Salt"), Some("Iron")]);
    assert_eq!(imp.chapters[0].notes_begin.as_deref(), Some("Here we go."));
    assert_eq!(imp.chapters[1].notes_end.as_deref(), Some("Almost done."));
    assert!(imp.chapters[0].text.starts_with("Dean lined the sill"));
    assert!(imp.chapters[1].text.ends_with("Morning, finally."));
    assert_eq!(imp.chapters[1].scene_breaks, 1);
    let json = imp.to_json();
    assert_eq!(json["format"], "epub");
    assert_eq!(
        json["tags"]["fandom"],
        serde_json::json!(["Supernatural (TV 2005)"])
    );
    assert_eq!(json["tags"]["category"], serde_json::json!(["M/M"]));
    assert_absent(
        &imp,
        &[
            "<script",
            "alert",
            "<style",
            "color: red",
            "Posted originally",
            "Please drop by",
            "Afterword",
            "Preface",
            "Chapter Notes",
        ],
    );
}

/// A FanFicFare EPUB: a title page of `<b>Label:</b> value<br/>` lines, a table of
/// contents page, one `fileNNNN.xhtml` per chapter with its title as a heading.
fn fanficfare_epub(status: &str) -> Vec<u8> {
    let opf = r#"<?xml version="1.0" encoding="UTF-8"?>
<package version="2.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="fanficfare-uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:identifier id="fanficfare-uid">Anthology@ffnet</dc:identifier>
<dc:title>The Quiet Year</dc:title>
<dc:creator opf:role="aut">mossy</dc:creator>
<dc:contributor opf:role="bkp">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
<dc:language>en</dc:language>
<dc:subject>Drama</dc:subject>
<dc:subject>In-Progress</dc:subject>
<dc:description>A year passes in Forks.</dc:description>
</metadata>
<manifest>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="style" href="OEBPS/stylesheet.css" media-type="text/css"/>
<item id="title_page" href="OEBPS/title_page.xhtml" media-type="application/xhtml+xml"/>
<item id="toc_page" href="OEBPS/toc_page.xhtml" media-type="application/xhtml+xml"/>
<item id="file0001" href="OEBPS/file0001.xhtml" media-type="application/xhtml+xml"/>
<item id="file0002" href="OEBPS/file0002.xhtml" media-type="application/xhtml+xml"/>
<item id="log_page" href="OEBPS/log_page.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine toc="ncx">
<itemref idref="title_page" linear="yes"/><itemref idref="toc_page" linear="yes"/>
<itemref idref="file0001" linear="yes"/><itemref idref="file0002" linear="yes"/>
<itemref idref="log_page" linear="yes"/>
</spine></package>"#;
    let ncx = r#"<?xml version="1.0" encoding="UTF-8"?><ncx version="2005-1" xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>
<navPoint id="title_page" playOrder="0"><navLabel><text>Title Page</text></navLabel><content src="OEBPS/title_page.xhtml"/></navPoint>
<navPoint id="file0001" playOrder="1"><navLabel><text>Winter</text></navLabel><content src="OEBPS/file0001.xhtml"/></navPoint>
<navPoint id="file0002" playOrder="2"><navLabel><text>Spring</text></navLabel><content src="OEBPS/file0002.xhtml"/></navPoint>
</navMap></ncx>"#;
    let title_page = xhtml(
        "The Quiet Year by mossy",
        &format!(
            r#"<h3><a href="https://www.fanfiction.net/s/1/1/">The Quiet Year</a> by <a class="authorlink" href="https://www.fanfiction.net/u/2/">mossy</a></h3>
<div>
<b>Category:</b> Twilight<br />
<b>Genre:</b> Drama, Hurt/Comfort<br />
<b>Language:</b> English<br />
<b>Characters:</b> Bella S., Charlie S.<br />
<b>Relationships:</b> Bella S./Charlie S.<br />
<b>Rating:</b> T<br />
<b>Status:</b> {status}<br />
<b>Published:</b> 2011-01-01<br />
<b>Story URL:</b> <a href="https://www.fanfiction.net/s/1/1/">https://www.fanfiction.net/s/1/1/</a><br />
<b>Summary:</b> A year <i>passes</i> in Forks.<br />
</div>"#
        ),
    );
    let toc_page = xhtml(
        "Table of Contents",
        r#"<div><h3>Table of Contents</h3><a href="file0001.xhtml">Winter</a><br /><a href="file0002.xhtml">Spring</a><br /></div>"#,
    );
    let ch = |title: &str, body: &str| {
        xhtml(
            title,
            &format!(
                r#"<h3 class="fff_chapter_title">{title}</h3><div id="storytext">{body}</div>"#
            ),
        )
    };
    zip_of(&[
        ("mimetype", "application/epub+zip"),
        (
            "META-INF/container.xml",
            &CONTAINER.replace("OEBPS/content.opf", "content.opf"),
        ),
        ("content.opf", opf),
        ("toc.ncx", ncx),
        ("OEBPS/stylesheet.css", "p { color: red }"),
        ("OEBPS/title_page.xhtml", &title_page),
        ("OEBPS/toc_page.xhtml", &toc_page),
        (
            "OEBPS/file0001.xhtml",
            &ch(
                "Winter",
                "<p>Snow fell on the house.</p><p>Charlie shovelled.</p><script>alert(1)</script>",
            ),
        ),
        (
            "OEBPS/file0002.xhtml",
            &ch(
                "Spring",
                "<p>The thaw came.</p><p>TBC</p><p>Please review!</p>",
            ),
        ),
        (
            "OEBPS/log_page.xhtml",
            &xhtml("Update Log", "<p>Updated: 2011-02-02</p>"),
        ),
    ])
}

#[test]
fn fanficfare_epub_title_page_and_chapter_files() {
    let imp = import("quiet.epub", &fanficfare_epub("In-Progress")).unwrap();
    assert_eq!(imp.title.as_deref(), Some("The Quiet Year"));
    assert_eq!(imp.draft.authors, ["mossy"]);
    assert_eq!(imp.rating, Some(Rating::Teen));
    assert_eq!(tags(&imp, TagKind::Fandom), ["Twilight"]);
    assert_eq!(tags(&imp, TagKind::Character), ["Bella S.", "Charlie S."]);
    assert_eq!(tags(&imp, TagKind::Relationship), ["Bella S./Charlie S."]);
    assert_eq!(imp.summary.as_deref(), Some("A year passes in Forks."));
    assert_eq!(imp.complete, Some(false));
    let titles: Vec<_> = imp.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("Winter"), Some("Spring")]);
    assert_eq!(
        imp.chapters[0].text,
        "Snow fell on the house.\n\nCharlie shovelled."
    );
    assert_eq!(imp.chapters[1].text, "The thaw came.");
    assert_eq!(imp.notes_end.as_deref(), Some("Please review!"));
    assert_absent(
        &imp,
        &[
            "alert",
            "color: red",
            "Table of Contents",
            "Update Log",
            "Updated:",
            "Story URL",
            "fanfiction.net",
            "Title Page",
        ],
    );
    let done = import("quiet.epub", &fanficfare_epub("Completed")).unwrap();
    // The text's "TBC" is the last chapter's marker, and it wins over the title page.
    assert_eq!(done.complete, Some(false));
}

#[test]
fn epub_refusals_and_hard_cases() {
    let e = |bytes: &[u8]| import("x.epub", bytes).unwrap_err().to_string();
    // DRM.
    let mut files = vec![
        ("mimetype", "application/epub+zip".to_string()),
        ("META-INF/container.xml", CONTAINER.to_string()),
        ("META-INF/rights.xml", "<rights/>".to_string()),
    ];
    let as_refs = |f: &Vec<(&'static str, String)>| {
        zip_of(&f.iter().map(|(n, b)| (*n, b.as_str())).collect::<Vec<_>>())
    };
    assert!(
        e(&as_refs(&files)).contains("protected by DRM (META-INF/rights.xml)"),
        "{}",
        e(&as_refs(&files))
    );
    files.pop();
    files.push((
        "META-INF/encryption.xml",
        r#"<encryption><EncryptedData><EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><CipherData><CipherReference URI="OEBPS/chapter1.xhtml"/></CipherData></EncryptedData></encryption>"#.to_string(),
    ));
    assert!(e(&as_refs(&files)).contains("protected by DRM (META-INF/encryption.xml)"));
    // Zips that are not EPUBs, whatever their name.
    let ods = zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", "<office:document-content/>"),
    ]);
    assert_eq!(e(&ods), "x.epub: this is a spreadsheet, not an EPUB");
    let plain = zip_of(&[("story.txt", "Once upon a time.")]);
    assert_eq!(e(&plain), "x.epub: this is a zip archive, not an EPUB");
    // A damaged zip.
    let mut broken = ao3_epub();
    broken.truncate(broken.len() / 2);
    assert!(
        e(&broken).starts_with("x.epub: the zip archive is damaged"),
        "{}",
        e(&broken)
    );
    // No container, no package.
    let no_opf = zip_of(&[
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
    ]);
    assert_eq!(
        e(&no_opf),
        "x.epub: the EPUB has no package file OEBPS/content.opf"
    );
    // Too many entries.
    let names: Vec<String> = (0..MAX_ENTRIES_FOR_TEST).map(|i| format!("f{i}")).collect();
    let many: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
    assert!(e(&zip_of(&many)).contains("the limit is 5000"));
    // A zip bomb: a small file that inflates past the per-entry limit.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "mimetype",
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored),
    )
    .unwrap();
    w.write_all(b"application/epub+zip").unwrap();
    w.start_file("META-INF/container.xml", SimpleFileOptions::default())
        .unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..21 {
        w.write_all(&zeros).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
    assert_eq!(
        e(&bomb),
        "x.epub: the EPUB's file META-INF/container.xml is over 20 MB uncompressed"
    );
    // Nested past the limit inside a chapter: refused before any tree is built.
    let deep = ao3_epub_with_chapter(&"<div>".repeat(600));
    assert!(e(&deep).contains("nest"), "{}", e(&deep));
}

const MAX_ENTRIES_FOR_TEST: usize = epub::MAX_ENTRIES + 1;

fn ao3_epub_with_chapter(body: &str) -> Vec<u8> {
    let opf = r#"<package xmlns="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title></metadata>
<manifest><item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c"/></spine></package>"#;
    zip_of(&[
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", opf),
        ("OEBPS/c.xhtml", &xhtml("c", body)),
    ])
}

#[test]
fn other_binary_files_are_refused_by_their_bytes() {
    let e = |name: &str, bytes: &[u8]| import(name, bytes).unwrap_err().to_string();
    let pdf = e("story.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n");
    assert!(pdf.starts_with("story.txt: this is a PDF"), "{pdf}");
    assert!(pdf.contains("plain text, HTML or EPUB"));
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend([0u8; 64]);
    let doc = e("story.doc", &doc);
    assert!(doc.contains("old binary Word document (.doc)"), "{doc}");
    let rtf = e("story.rtf", br"{\rtf1\ansi Hello}");
    assert!(rtf.contains("RTF document"), "{rtf}");
    // A single chapter EPUB with no table of contents still imports, titled by its <title>.
    let imp = import(
        "one.epub",
        &ao3_epub_with_chapter("<h1>Only</h1><p>Words here.</p>"),
    )
    .unwrap();
    assert_eq!(imp.chapters.len(), 1);
    assert_eq!(imp.chapters[0].text, "Words here.");
}
