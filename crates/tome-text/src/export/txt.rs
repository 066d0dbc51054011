//! The TXT download: the metadata block, then the text, one paragraph per line with a
//! blank line between, scene breaks as "* * *". Not wrapped: readers wrap better than
//! a fixed column does, and unwrapped paragraphs survive re-import.

use super::ExportWork;
use super::meta::{self, chapter_heading};
use crate::plain::html_to_txt_export;

/// Renders the work as plain text (LF line endings, ends with a newline).
pub fn to_txt(work: &ExportWork) -> String {
    let mut t = String::new();
    t.push_str(&work.title);
    t.push('\n');
    t.push_str(&format!("by {}\n\n", meta::authors_text(work)));
    for (label, values) in meta::tag_rows(work) {
        t.push_str(&format!("{label}: {}\n", values.join(", ")));
    }
    t.push_str(&format!(
        "Language: {}\n",
        meta::language_name(&work.language)
    ));
    t.push_str(&format!("Stats: {}\n", meta::stats_line(work)));
    section(&mut t, "Summary", work.summary_html.as_deref());
    section(&mut t, "Notes", work.notes_begin_html.as_deref());

    for ch in &work.chapters {
        t.push_str("\n\n");
        if let Some(heading) = chapter_heading(work, ch) {
            t.push_str(&heading);
            t.push_str("\n\n");
        }
        section(&mut t, "Chapter Summary", ch.summary_html.as_deref());
        section(&mut t, "Chapter Notes", ch.notes_begin_html.as_deref());
        if ch.summary_html.is_some() || ch.notes_begin_html.is_some() {
            t.push('\n');
        }
        let body = html_to_txt_export(&ch.body_html);
        if !body.is_empty() {
            t.push_str(&body);
            t.push('\n');
        }
        section(&mut t, "Chapter End Notes", ch.notes_end_html.as_deref());
    }

    t.push_str("\n\n");
    if let Some(notes) = non_empty(work.notes_end_html.as_deref()) {
        t.push_str("End Notes\n\n");
        t.push_str(&notes);
        t.push_str("\n\n");
    }
    t.push_str(&meta::posted_on(work));
    t.push('\n');
    t
}

fn non_empty(html: Option<&str>) -> Option<String> {
    html.map(html_to_txt_export).filter(|s| !s.is_empty())
}

/// "\nLabel\n\ntext\n" when the stored HTML has any text.
fn section(t: &mut String, label: &str, html: Option<&str>) {
    if let Some(text) = non_empty(html) {
        if !t.ends_with("\n\n") {
            t.push('\n');
        }
        t.push_str(label);
        t.push_str("\n\n");
        t.push_str(&text);
        t.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_work::sample;
    use super::*;

    #[test]
    fn metadata_headings_and_scene_breaks() {
        let txt = to_txt(&sample());
        assert!(txt.starts_with("Tea & Sympathy\nby Anonymous\n\nRating: Teen And Up Audiences\n"));
        assert!(txt.contains("Additional Tags: Fluff & Angst\n"));
        assert!(txt.contains(
            "Stats: Published: 2020-01-01 Updated: 2020-02-01 Words: 1,234 Chapters: 2/?\n"
        ));
        assert!(txt.contains("Summary\n\nA cup of tea.\n"));
        assert!(
            txt.contains("Chapter 1: Beginnings\n\nFirst scene.\n\n* * *\n\nSecond\u{a0}scene.\n")
        );
        assert!(txt.contains("Chapter 2\n\nChapter Notes\n\nChapter note.\n\nMore.\n"));
        assert!(txt.contains("End Notes\n\nThe end notes.\n"));
        assert!(
            txt.ends_with("Posted originally on Test Archive at http://127.0.0.1:8080/works/7.\n")
        );
        assert!(!txt.contains('<'));
    }

    #[test]
    fn one_shot_has_no_chapter_heading() {
        let mut w = sample();
        w.chapters.truncate(1);
        w.expected_chapters = Some(1);
        w.complete = true;
        assert!(!to_txt(&w).contains("Chapter 1"));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(to_txt(&sample()));
    }
}
