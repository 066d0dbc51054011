//! Author's notes under their many spellings: "Author's Note:", "Authors note:",
//! "A/N:", "AN:", "Note:", "Notes:", and "PS:" (whose label is part of what it says,
//! so it is kept).

use super::inline;
use regex::Regex;
use std::sync::LazyLock;

static NOTE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:the\s+)?authors?['’]?s?['’]?\s*notes?|a\s*/\s*n|(?-i:AN)|(?-i:A\.N\.)|notes?|end\s+notes?|p\.?\s?s\.?)\s*(?:[:\-–—]|\.\s)\s*",
    )
    .expect("note label pattern")
});

/// How a paragraph opens as a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteStart {
    /// The paragraph without its label ("PS:" paragraphs keep theirs).
    pub text: String,
    pub is_ps: bool,
}

/// Recognises a note paragraph and removes its label.
/// The label is read from the plain text; the note keeps its formatting markers.
pub fn note_start(paragraph: &str) -> Option<NoteStart> {
    let marked = paragraph.trim();
    let plain = inline::plain(marked);
    let p = plain.trim();
    let m = NOTE_LABEL.find(p)?;
    let label = m.as_str().trim().to_ascii_lowercase();
    let is_ps = label.starts_with('p') && !label.starts_with("note");
    if p[m.end()..].trim().is_empty() && !is_ps {
        // A label on a line of its own: the note is what follows.
        return Some(NoteStart {
            text: String::new(),
            is_ps,
        });
    }
    let p = marked;
    let rest = inline::skip_plain(marked, m.end()).trim();
    Some(NoteStart {
        text: if is_ps {
            p.to_string()
        } else {
            rest.to_string()
        },
        is_ps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling() {
        for s in [
            "Author's Note: hi",
            "Authors note: hi",
            "Author’s note: hi",
            "Authors' Notes: hi",
            "A/N: hi",
            "a/n - hi",
            "AN: hi",
            "Note: hi",
            "Notes: hi",
            "Author's note: hi",
            "End Notes: hi",
        ] {
            assert_eq!(note_start(s).map(|n| n.text), Some("hi".into()), "{s}");
        }
        let ps = note_start("PS: I don't normally do this").unwrap();
        assert!(ps.is_ps);
        assert_eq!(ps.text, "PS: I don't normally do this");
        assert_eq!(note_start("P.S. more").map(|n| n.is_ps), Some(true));
        for s in [
            "Anna walked.",
            "an apple: red",
            "Nothing: at all",
            "Psychic: no",
        ] {
            assert_eq!(note_start(s), None, "{s}");
        }
    }
}
