//! Which kind of file this is: judged by content as well as by extension, because
//! archive downloads are often saved as `.txt` whatever they hold.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Markdown,
    Html,
    /// An EPUB e-book (read by `super::epub`, never detected from text).
    Epub,
    /// A Word `.docx` (read by `super::office`).
    Docx,
    /// An OpenDocument `.odt` (read by `super::office`).
    Odt,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Epub => "epub",
            Format::Docx => "docx",
            Format::Odt => "odt",
        }
    }
}

/// Decides the format. Content that is unmistakably HTML wins over any extension; an
/// `.html`/`.md` extension is trusted otherwise; a `.txt` file with Markdown headings and
/// emphasis is read as Markdown.
pub fn detect(file_name: &str, text: &str) -> Format {
    let lower_name = file_name.to_ascii_lowercase();
    if looks_like_html(text) {
        return Format::Html;
    }
    if lower_name.ends_with(".html")
        || lower_name.ends_with(".htm")
        || lower_name.ends_with(".xhtml")
    {
        return Format::Html;
    }
    if lower_name.ends_with(".md") || lower_name.ends_with(".markdown") {
        return Format::Markdown;
    }
    if looks_like_markdown(text) {
        Format::Markdown
    } else {
        Format::Text
    }
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
    {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    let tags = [
        "<p>", "<p ", "</p>", "<br>", "<br/>", "<br />", "<div", "</div>", "<body",
    ];
    let count: usize = tags.iter().map(|t| lower.matches(t).count()).sum();
    count >= 4
}

/// Markdown signals: an ATX heading with words, and emphasis or links; or several headings.
fn looks_like_markdown(text: &str) -> bool {
    let headings = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            let rest = t.trim_start_matches('#');
            let level = t.len() - rest.len();
            (1..=6).contains(&level)
                && rest.starts_with(' ')
                && rest.chars().any(char::is_alphabetic)
        })
        .count();
    let strong = text.matches("**").count() / 2 + text.matches("](").count();
    headings >= 2 || (headings >= 1 && strong >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_and_extension() {
        assert_eq!(
            detect("a.txt", "<!DOCTYPE html><html><body><p>x</p></body></html>"),
            Format::Html
        );
        assert_eq!(detect("a.htm", "just text"), Format::Html);
        assert_eq!(detect("a.md", "just text"), Format::Markdown);
        assert_eq!(
            detect("a.txt", "# The Title\n\nShe was **very** late.\n"),
            Format::Markdown
        );
        assert_eq!(detect("a.txt", "# # #\n\nShe was late.\n"), Format::Text);
        assert_eq!(detect("a.txt", "Plain story text.\n\nMore."), Format::Text);
    }
}
