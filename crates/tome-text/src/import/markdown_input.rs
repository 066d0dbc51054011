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
}
