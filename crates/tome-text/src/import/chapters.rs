//! Chapter headings: "Chapter 1", "Chapter One: Title", "Chapter 2 - Title", "Part 2",
//! "Ch. 3", "Chapter IV", "Prologue", "Epilogue". A heading line is never story text.

use super::inline;
use regex::Regex;
use std::sync::LazyLock;

const NUMBER_WORDS: &str = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final";

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:chapter|chap\.?|ch\.?|part|book)\s*(?:\d+|[ivxlc]+|(?:{NUMBER_WORDS})(?:[\s-](?:{NUMBER_WORDS}))?)\b\s*(?:[:.\-–—)]\s*(.*))?$"
    ))
    .expect("heading pattern")
});

static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(prologue|epilogue|interlude|afterword|foreword)\b\s*(?:[:.\-–—]\s*(.*))?$")
        .expect("named heading")
});

/// A parsed heading: its own title if it has one ("The Beginning"), or the heading's
/// name for Prologue/Epilogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub title: Option<String>,
    /// Whether the heading is only a number ("Chapter 1"), so a title may follow on the next line.
    pub bare: bool,
}

/// Recognises a chapter heading line.
/// A line ending in [`inline::HEADING_DONE`] is never bare: its source (an AO3 download's
/// chapter heading) says no title follows.
pub fn heading(line: &str) -> Option<Heading> {
    let done = line.trim_end().ends_with(inline::HEADING_DONE);
    let plain = inline::plain(line);
    let l = plain
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == '#')
        .trim();
    if l.chars().count() > 100 {
        return None;
    }
    if let Some(c) = NUMBERED.captures(l) {
        let title = c
            .get(1)
            .map(|m| m.as_str().trim().to_string())
            .filter(|t| !t.is_empty());
        return Some(Heading {
            bare: title.is_none() && !done,
            title,
        });
    }
    if let Some(c) = NAMED.captures(l) {
        let name = c.get(1).map_or("", |m| m.as_str());
        let title = match c
            .get(2)
            .map(|m| m.as_str().trim())
            .filter(|t| !t.is_empty())
        {
            Some(sub) => format!("{}: {sub}", capitalise(name)),
            None => capitalise(name),
        };
        return Some(Heading {
            title: Some(title),
            bare: false,
        });
    }
    None
}

fn capitalise(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut cs = lower.chars();
    cs.next()
        .map(|f| f.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

/// Whether a line right after a bare heading reads as that chapter's title ("oneshot",
/// "The Morning After"): short, and not ending like a sentence.
pub fn is_title_line(line: &str) -> bool {
    let plain = inline::plain(line);
    let t = plain.trim();
    let words = t.split_whitespace().count();
    (1..=10).contains(&words)
        && t.chars().count() <= 60
        && !t.ends_with(['.', ',', ';', '!', '?', '…', '"', '”', '’', '\'', ')', ':'])
        && !super::scene_breaks::is_break_line(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(s: &str) -> Option<Option<String>> {
        heading(s).map(|h| h.title)
    }

    #[test]
    fn headings() {
        assert_eq!(title(" Chapter 1"), Some(None));
        assert_eq!(
            title("Chapter One: The Beginning"),
            Some(Some("The Beginning".into()))
        );
        assert_eq!(title("Chapter 2 - Fire"), Some(Some("Fire".into())));
        assert_eq!(title("CHAPTER XII"), Some(None));
        assert_eq!(title("Part 2"), Some(None));
        assert_eq!(title("Chapter Twenty-One"), Some(None));
        assert_eq!(title("Prologue"), Some(Some("Prologue".into())));
        assert_eq!(
            title("Epilogue: After"),
            Some(Some("Epilogue: After".into()))
        );
        assert_eq!(title("**Chapter 3**"), Some(None));
        assert_eq!(
            title("Chapter 1 was the worst part of the book, she thought."),
            None
        );
        assert_eq!(title("Partly cloudy."), None);
        assert_eq!(title("Prologues are boring."), None);
    }

    #[test]
    fn title_lines() {
        assert!(is_title_line("oneshot"));
        assert!(is_title_line("The Morning After"));
        assert!(!is_title_line("First comes the jealousy."));
    }
}
