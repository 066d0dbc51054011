//! Markdown in: headings become header/chapter lines the text rules understand, and
//! each paragraph's inline Markdown (emphasis, links) is rendered for the HTML and
//! stripped for the plain text.

use pulldown_cmark::{Event, Parser, html};

/// Rewrites ATX headings: a first-level heading before any text is the title
/// ("Title: ..."); other headings keep only their words (so "## Chapter 2" is a heading line).
pub fn preprocess(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut seen_text = false;
    for line in text.split('\n') {
        let t = line.trim_start();
        let rest = t.trim_start_matches('#');
        let level = t.len() - rest.len();
        if (1..=6).contains(&level)
            && rest.starts_with(' ')
            && rest.chars().any(char::is_alphanumeric)
        {
            let words = rest.trim().trim_end_matches('#').trim();
            if level == 1 && !seen_text && super::chapters::heading(words).is_none() {
                out.push_str(&format!("Title: {words}\n"));
            } else {
                out.push_str(words);
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
        if !t.is_empty() && level == 0 && super::header::parse_field(t).is_none() {
            seen_text = true;
        }
    }
    out
}

/// Rewrites ATX headings of a file whose metadata came from front matter: the headings
/// are its structure. A first-level heading before any text that is the only one of its
/// level is the title (dropped: the front matter's title wins; else it becomes "Title:");
/// every heading of the highest remaining level starts a chapter, its words the chapter's
/// whole title; deeper headings keep only their words. Fenced code is left alone.
pub fn preprocess_structured(text: &str, has_title: bool) -> String {
    let headings = atx_headings(text);
    let title_line = headings.first().and_then(|&(line, level, before_text)| {
        let ones = headings.iter().filter(|h| h.1 == 1).count();
        let words = text
            .split('\n')
            .nth(line)
            .map(heading_words)
            .unwrap_or_default();
        (level == 1 && !before_text && ones == 1 && super::chapters::heading(&words).is_none())
            .then_some(line)
    });
    let chapter_level = headings
        .iter()
        .filter(|h| Some(h.0) != title_line)
        .map(|h| h.1)
        .min();
    let mut out = String::with_capacity(text.len() + 64);
    let mut next = headings.iter().peekable();
    let mut number = 0;
    for (n, line) in text.split('\n').enumerate() {
        let Some(&(_, level, _)) = next.next_if(|h| h.0 == n) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let words = heading_words(line);
        if Some(n) == title_line {
            if !has_title {
                out.push_str(&format!("Title: {words}\n"));
            }
        } else if Some(level) == chapter_level {
            number += 1;
            match super::chapters::heading(&words) {
                Some(h) if h.bare => {
                    out.push_str(&format!("{words}{}\n", super::inline::HEADING_DONE))
                }
                Some(_) => out.push_str(&format!("{words}\n")),
                None => out.push_str(&format!("Chapter {number}: {words}\n")),
            }
        } else {
            out.push_str(&words);
            out.push('\n');
        }
    }
    out
}

/// The ATX headings outside fenced code: line number, level, and whether text came before.
fn atx_headings(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut seen_text = false;
    for (n, line) in text.split('\n').enumerate() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        let rest = t.trim_start_matches('#');
        let level = t.len() - rest.len();
        if (1..=6).contains(&level)
            && rest.starts_with(' ')
            && rest.chars().any(char::is_alphanumeric)
        {
            out.push((n, level, seen_text));
        } else if !t.is_empty() {
            seen_text = true;
        }
    }
    out
}

fn heading_words(line: &str) -> String {
    line.trim_start()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim()
        .to_string()
}

/// A paragraph's inline Markdown as HTML (one `<p>`), unsanitized.
pub fn para_html(md: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new(md));
    out
}

/// A paragraph's words without Markdown syntax.
pub fn para_plain(md: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_inline() {
        assert_eq!(
            preprocess("# My Story\n\nText\n\n## Chapter 2\n"),
            "Title: My Story\n\nText\n\nChapter 2\n\n"
        );
        assert_eq!(
            para_plain("She was **very** [late](http://x)."),
            "She was very late."
        );
        assert!(para_html("She was **very** late.").contains("<strong>very</strong>"));
    }

    #[test]
    fn structured_headings() {
        let md = "# Steps\n\n## The Night\n\nText.\n\n### Aside\n\n## Chapter 2\n\nShort line\n\n```\n## not\n```\n";
        let out = preprocess_structured(md, true);
        assert_eq!(
            out,
            "\nChapter 1: The Night\n\nText.\n\nAside\n\nChapter 2\u{E014}\n\nShort line\n\n```\n## not\n```\n\n"
        );
        assert!(
            preprocess_structured("# Chapter 1\n\nA.\n\n# Chapter 2\n\nB.\n", true)
                .starts_with("Chapter 1\u{E014}\n")
        );
        assert!(preprocess_structured("# Steps\n\nA.\n", false).starts_with("Title: Steps\n"));
    }
}
