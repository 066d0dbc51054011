//! The EPUB download: EPUB 3 that `epubcheck` accepts without errors.
//!
//! Layout: `title.xhtml` (metadata, summary, notes), `toc.xhtml` (multi-chapter works),
//! one `chapter-NNN.xhtml` per chapter, `afterword.xhtml` (end notes, link back), plus
//! `nav.xhtml`, `toc.ncx` and `stylesheet.css` from epub-builder. All stored HTML goes
//! through [`html_to_xhtml`] first.
//!
//! Two epub-builder 0.8.3 details shape the metadata:
//! - its EPUB 3 template gives `<dc:language>` and `<dc:creator>` the same ids
//!   (`epub-creator-0`, ...), a duplicate-id error in `epubcheck`. So we do not use
//!   `add_language`; the language (and publisher, source) goes in through
//!   [`MetadataOpfV3`], whose content the library writes unescaped: we close its
//!   `<meta>` ourselves, write our `dc:` elements, and open a last `<meta>` that the
//!   library closes. Both metas are true accessibility metadata ("textual").
//!   `tests/epubcheck.rs` catches it if a new epub-builder changes this.
//! - its identifier is always a `urn:uuid:`. We make it stable, so a re-download is the
//!   same book to a reader app: a version-8 UUID from a hash of the archive name and
//!   the work id.

use chrono::{DateTime, Utc};
use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, ZipLibrary,
};

use super::meta::{self, chapter_heading};
use super::xhtml::{escape_xml, html_to_xhtml};
use super::{ExportError, ExportWork};
use crate::plain::html_to_plain;

const STYLESHEET: &str = "\
body { font-family: serif; line-height: 1.4; margin: 0 0.5em; }
h1, h2 { text-align: center; }
h1.title { margin-top: 2em; }
p.byline { text-align: center; margin-bottom: 2em; }
dl.tags dt { font-weight: bold; margin-top: 0.4em; }
dl.tags dd { margin-left: 1.5em; }
blockquote.userstuff { margin: 0.5em 1.5em; }
p.section-label { font-weight: bold; margin-top: 1.5em; }
hr { border: 0; margin: 1.5em 0; text-align: center; }
hr::after { content: \"* * *\"; }
.center, .align-center { text-align: center; }
.align-left { text-align: left; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
.big { font-size: larger; }
.image-alt { font-style: italic; }
p.message { margin-top: 2em; font-size: smaller; }
";

/// Renders the work as an EPUB 3 file.
pub fn to_epub(work: &ExportWork) -> Result<Vec<u8>, ExportError> {
    let lang = meta::language_tag(&work.language);
    let one_shot = meta::is_one_shot(work);

    let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
    b.epub_version(EpubVersion::V30);
    b.set_generator("tome");
    b.set_toc_name("Contents");
    b.set_title(work.title.clone());
    for author in &work.authors {
        b.add_author(author.clone());
    }
    b.add_metadata_opf(Box::new(extra_dc_metadata(work, &lang)));
    // One line: epub-builder indents every line of the metadata block, which would
    // put stray spaces into a multi-line description.
    if let Some(summary) = work.summary_html.as_deref().map(one_line_plain)
        && !summary.is_empty()
    {
        b.add_description(summary);
    }
    for tag in work
        .fandoms
        .iter()
        .chain(&work.relationships)
        .chain(&work.characters)
        .chain(&work.freeforms)
    {
        b.add_subject(tag.clone());
    }
    if let Some(d) = timestamp(work.published_at) {
        b.set_publication_date(d);
    }
    if let Some(d) = timestamp(work.updated_at.max(work.published_at)) {
        b.set_modified_date(d);
    }
    b.set_uuid(identifier(&work.archive_name, work.id));
    b.stylesheet(STYLESHEET.as_bytes())?;

    let title_page = page(&lang, &work.title, &title_page_body(work));
    b.add_content(
        EpubContent::new("title.xhtml", title_page.as_bytes())
            .title("Title Page")
            .reftype(ReferenceType::TitlePage),
    )?;
    if !one_shot {
        b.inline_toc();
    }
    for (i, ch) in work.chapters.iter().enumerate() {
        let heading = chapter_heading(work, ch);
        let toc_title = heading.clone().unwrap_or_else(|| work.title.clone());
        let xhtml = page(&lang, &toc_title, &chapter_body(heading.as_deref(), ch));
        let mut content = EpubContent::new(format!("chapter-{:03}.xhtml", i + 1), xhtml.as_bytes())
            .title(toc_title);
        if i == 0 {
            content = content.reftype(ReferenceType::Text);
        }
        b.add_content(content)?;
    }
    let afterword = page(&lang, "Afterword", &afterword_body(work));
    b.add_content(EpubContent::new("afterword.xhtml", afterword.as_bytes()).title("Afterword"))?;

    let mut out = Vec::new();
    b.generate(&mut out)?;
    Ok(out)
}

/// Plain text with every run of line breaks and spaces made one space.
fn one_line_plain(html: &str) -> String {
    html_to_plain(html)
        .split([' ', '\n', '\t', '\r'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn timestamp(unix: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(unix, 0)
}

/// A stable identifier: the same archive and work id give the same UUID every time.
pub(crate) fn identifier(archive_name: &str, work_id: i64) -> uuid::Uuid {
    // FNV-1a: tiny, stable across Rust versions (unlike `DefaultHasher`).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in archive_name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hash.to_be_bytes());
    bytes[8..].copy_from_slice(&work_id.to_be_bytes());
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// `dc:language`, `dc:publisher` and `dc:source`, smuggled through a `<meta>` whose
/// content epub-builder does not escape (see the module docs for why).
fn extra_dc_metadata(work: &ExportWork, lang: &str) -> MetadataOpfV3 {
    let mut dc = format!(
        "textual</meta>\n    <dc:language>{}</dc:language>\n    <dc:publisher>{}</dc:publisher>",
        escape_xml(lang),
        escape_xml(&work.archive_name)
    );
    if let Some(url) = &work.url {
        dc.push_str(&format!("\n    <dc:source>{}</dc:source>", escape_xml(url)));
    }
    dc.push_str("\n    <meta property=\"schema:accessModeSufficient\">textual");
    MetadataOpfV3::new("schema:accessMode".to_string(), dc)
}

/// A complete XHTML content document.
fn page(lang: &str, title: &str, body: &str) -> String {
    let lang = escape_xml(lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">\n\
<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n\
<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape_xml(title)
    )
}

fn title_page_body(work: &ExportWork) -> String {
    let mut h = String::from("<section epub:type=\"titlepage\" class=\"preface\">\n");
    h.push_str(&format!(
        "<h1 class=\"title\">{}</h1>\n",
        escape_xml(&work.title)
    ));
    h.push_str(&format!(
        "<p class=\"byline\">by {}</p>\n",
        escape_xml(&meta::authors_text(work))
    ));
    h.push_str("<dl class=\"tags\">\n");
    for (label, values) in meta::tag_rows(work) {
        h.push_str(&format!(
            "<dt>{label}:</dt>\n<dd>{}</dd>\n",
            escape_xml(&values.join(", "))
        ));
    }
    h.push_str(&format!(
        "<dt>Language:</dt>\n<dd>{}</dd>\n<dt>Stats:</dt>\n<dd>{}</dd>\n</dl>\n",
        escape_xml(&meta::language_name(&work.language)),
        escape_xml(&meta::stats_line(work))
    ));
    section(&mut h, "Summary", work.summary_html.as_deref());
    section(&mut h, "Notes", work.notes_begin_html.as_deref());
    h.push_str("</section>\n");
    h
}

fn chapter_body(heading: Option<&str>, ch: &super::ExportChapter) -> String {
    let mut h = String::from("<section epub:type=\"chapter\" class=\"chapter\">\n");
    if let Some(heading) = heading {
        h.push_str(&format!("<h2>{}</h2>\n", escape_xml(heading)));
    }
    section(&mut h, "Chapter Summary", ch.summary_html.as_deref());
    section(&mut h, "Chapter Notes", ch.notes_begin_html.as_deref());
    h.push_str("<div class=\"userstuff\">\n");
    h.push_str(&html_to_xhtml(&ch.body_html));
    h.push_str("\n</div>\n");
    section(&mut h, "Chapter End Notes", ch.notes_end_html.as_deref());
    h.push_str("</section>\n");
    h
}

fn afterword_body(work: &ExportWork) -> String {
    let mut h =
        String::from("<section epub:type=\"afterword\" class=\"afterword\">\n<h2>Afterword</h2>\n");
    section(&mut h, "End Notes", work.notes_end_html.as_deref());
    let archive = escape_xml(&work.archive_name);
    match work
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    {
        Some(url) => {
            let url = escape_xml(url);
            h.push_str(&format!(
                "<p class=\"message\">Posted originally on {archive} at <a href=\"{url}\">{url}</a>.</p>\n\
<p class=\"message\">Please <a href=\"{url}\">drop by the archive and comment</a> to let the creator know if you enjoyed their work!</p>\n"
            ));
        }
        None => h.push_str(&format!(
            "<p class=\"message\">Posted originally on {archive}.</p>\n"
        )),
    }
    h.push_str("</section>\n");
    h
}

/// A labelled block of stored HTML, converted to XHTML; left out when empty.
fn section(h: &mut String, label: &str, html: Option<&str>) {
    let Some(html) = html.filter(|s| !s.trim().is_empty()) else {
        return;
    };
    h.push_str(&format!(
        "<p class=\"section-label\">{label}</p>\n<blockquote class=\"userstuff\">\n{}\n</blockquote>\n",
        html_to_xhtml(html)
    ));
}

#[cfg(test)]
mod tests {
    use super::super::test_work::sample;
    use super::*;

    #[test]
    fn identifier_is_stable_and_distinct() {
        assert_eq!(identifier("A", 1), identifier("A", 1));
        assert_ne!(identifier("A", 1), identifier("A", 2));
        assert_ne!(identifier("A", 1), identifier("B", 1));
    }

    #[test]
    fn builds_a_zip() {
        let bytes = to_epub(&sample()).expect("epub");
        assert!(bytes.starts_with(b"PK"));
    }
}
