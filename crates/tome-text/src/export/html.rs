//! The HTML download: one self-contained HTML5 file, laid out like AO3's.
//!
//! Preface (metadata, title, byline, summary, notes), the chapters, then an afterword
//! with the end notes and the link back. The stylesheet is inline because the file is
//! read offline, not served under our Content-Security-Policy. Stored HTML is already
//! sanitized and is embedded as it is; every other string is escaped.

use super::ExportWork;
use super::meta::{self, chapter_heading};
use crate::escape_html;

const STYLE: &str = "body{font-family:Georgia,serif;line-height:1.5;max-width:42em;margin:1em auto;padding:0 1em;color:#222;background:#fff}\
#preface .meta{border:1px solid #ddd;padding:.5em 1em;margin-bottom:1em}\
dl.tags dt{font-weight:bold;float:left;clear:left;margin-right:.5em}\
dl.tags dd{margin:0 0 .3em 0}\
h1{text-align:center}.byline{text-align:center;margin-bottom:1.5em}\
blockquote.userstuff{margin:.5em 1.5em}\
.chapter{margin-top:3em}h2.heading{text-align:center}\
hr{border:0;text-align:center;margin:1.5em 0}hr:after{content:\"* * *\"}\
.center{text-align:center}\
#afterword{margin-top:3em;border-top:1px solid #ddd}";

/// Renders the work as a standalone HTML5 document.
pub fn to_html(work: &ExportWork) -> String {
    let mut h = String::with_capacity(
        4096 + work
            .chapters
            .iter()
            .map(|c| c.body_html.len() + 256)
            .sum::<usize>(),
    );
    let title = escape_html(&work.title);
    let lang = escape_html(&meta::language_tag(&work.language));
    h.push_str("<!DOCTYPE html>\n");
    h.push_str(&format!(
        "<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
    ));
    h.push_str(&format!("<title>{title}</title>\n"));
    h.push_str(&format!(
        "<meta name=\"author\" content=\"{}\">\n",
        escape_html(&meta::authors_text(work))
    ));
    h.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));

    preface(work, &mut h);

    h.push_str("<div id=\"chapters\">\n");
    for ch in &work.chapters {
        h.push_str(&format!(
            "<div class=\"chapter\" id=\"chapter-{}\">\n",
            ch.position
        ));
        if let Some(heading) = chapter_heading(work, ch) {
            h.push_str(&format!(
                "<h2 class=\"heading\">{}</h2>\n",
                escape_html(&heading)
            ));
        }
        section(&mut h, "Chapter Summary", ch.summary_html.as_deref());
        section(&mut h, "Chapter Notes", ch.notes_begin_html.as_deref());
        h.push_str("<div class=\"userstuff\">\n");
        h.push_str(&ch.body_html);
        h.push_str("\n</div>\n");
        section(&mut h, "Chapter End Notes", ch.notes_end_html.as_deref());
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n");

    h.push_str("<div id=\"afterword\">\n");
    section(&mut h, "End Notes", work.notes_end_html.as_deref());
    let archive = escape_html(&work.archive_name);
    match &work.url {
        Some(url) => h.push_str(&format!(
            "<p class=\"message\">Posted originally on {archive} at {}.</p>\n",
            link(url)
        )),
        None => h.push_str(&format!(
            "<p class=\"message\">Posted originally on {archive}.</p>\n"
        )),
    }
    if let Some(url) = &work.url {
        h.push_str(&format!(
            "<p>Please <a href=\"{}\">drop by the archive and comment</a> to let the creator know if you enjoyed their work!</p>\n",
            escape_html(url)
        ));
    }
    h.push_str("</div>\n</body>\n</html>\n");
    h
}

fn link(url: &str) -> String {
    let u = escape_html(url);
    format!("<a href=\"{u}\">{u}</a>")
}

fn preface(work: &ExportWork, h: &mut String) {
    h.push_str("<div id=\"preface\">\n<div class=\"meta\">\n<dl class=\"tags\">\n");
    for (label, values) in meta::tag_rows(work) {
        let joined: Vec<String> = values.iter().map(|v| escape_html(v)).collect();
        h.push_str(&format!(
            "<dt>{label}:</dt>\n<dd>{}</dd>\n",
            joined.join(", ")
        ));
    }
    h.push_str(&format!(
        "<dt>Language:</dt>\n<dd>{}</dd>\n<dt>Stats:</dt>\n<dd>{}</dd>\n</dl>\n</div>\n",
        escape_html(&meta::language_name(&work.language)),
        escape_html(&meta::stats_line(work)),
    ));
    h.push_str(&format!("<h1>{}</h1>\n", escape_html(&work.title)));
    h.push_str(&format!(
        "<div class=\"byline\">by {}</div>\n",
        escape_html(&meta::authors_text(work))
    ));
    section(h, "Summary", work.summary_html.as_deref());
    section(h, "Notes", work.notes_begin_html.as_deref());
    h.push_str("</div>\n");
}

/// A labelled block of stored HTML ("Summary", "Notes", ...), left out when empty.
fn section(h: &mut String, label: &str, html: Option<&str>) {
    let Some(html) = html.filter(|s| !s.trim().is_empty()) else {
        return;
    };
    h.push_str(&format!(
        "<p class=\"section-label\"><strong>{label}</strong></p>\n<blockquote class=\"userstuff\">\n{html}\n</blockquote>\n"
    ));
}

#[cfg(test)]
mod tests {
    use super::super::test_work::sample;
    use super::*;

    #[test]
    fn has_preface_chapters_and_afterword() {
        let html = to_html(&sample());
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<title>Tea &amp; Sympathy</title>"));
        assert!(html.contains("<dt>Rating:</dt>\n<dd>Teen And Up Audiences</dd>"));
        assert!(html.contains("<dt>Additional Tags:</dt>\n<dd>Fluff &amp; Angst</dd>"));
        assert!(html.contains("<dt>Language:</dt>\n<dd>English</dd>"));
        assert!(html.contains("Chapters: 2/?"));
        assert!(html.contains("by Anonymous"));
        assert!(html.contains("<h2 class=\"heading\">Chapter 1: Beginnings</h2>"));
        assert!(html.contains("<h2 class=\"heading\">Chapter 2</h2>"));
        assert!(html.contains("<p>First scene.</p><hr><p>Second&nbsp;scene.</p>"));
        assert!(html.contains("<strong>Chapter Notes</strong>"));
        assert!(html.contains("<strong>End Notes</strong>"));
        assert!(html.contains(
            "Posted originally on Test Archive at <a href=\"http://127.0.0.1:8080/works/7\">http://127.0.0.1:8080/works/7</a>."
        ));
        assert!(!html.contains("Relationship:</dt>\n<dd></dd>"));
    }

    #[test]
    fn one_shot_has_no_chapter_heading() {
        let mut w = sample();
        w.chapters.truncate(1);
        w.chapter_count = 1;
        w.expected_chapters = Some(1);
        w.complete = true;
        let html = to_html(&w);
        assert!(!html.contains("class=\"heading\""));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(to_html(&sample()));
    }
}
