//! Archive chrome and end-of-story markers: lines the archive or the author added around
//! a story that are neither story nor notes. They are set aside (reported), never kept.

use regex::Regex;
use std::sync::LazyLock;

/// Site chrome and boilerplate, matched against a whole paragraph (case-insensitive).
static CHROME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            you\s+must\s+(?:login|log\s+in|sign\s+in).*review.*
          | (?:as\s+always,?\s+)?(?:please\s+)?(?:read\s+and\s+)?review(?:\s+please)?[.!]*
          | (?:as\s+always,?\s+)?please\s+(?:read\s+and\s+)?review[.!:)\s]*
          | (?:reviews?|feedback|comments?|concrit)\s+(?:is\s+|are\s+)?(?:always\s+|very\s+|highly\s+)?(?:welcome|welcomed|appreciated|loved)[.!:)\s]*
          | (?:please\s+)?r\s*(?:&|/|and)\s*r(?:\s+please)?[.!:)\s]*
          | (?:thanks?|thank\s+you)\s+(?:so\s+much\s+)?for\s+reading[.!:)\s]*
          | end\s+(?:of\s+)?(?:chapter|part|ch\.?)\s*(?:\d+|[ivxlc]+|[a-z]+)?[.!:\s]*
          | disclaimer\s*[:\-].*
          | back\s+to\s+(?:index|top|story|stories|chapter\s+list|the\s+top)
          | print(?:er\s+friendly)?(?:\s+(?:chapter|story))?
          | story\s+by\s+.{1,60}
          | table\s+of\s+contents | (?:next|previous)\s+chapter | skip\s+to\s+.*
          | (?:report\s+this|add\s+to\s+favou?rites|add\s+review|read\s+reviews?).*
          | powered\s+by\s+efiction.* | copyright\s+.* | ©.*
        )$",
    )
    .expect("chrome pattern")
});

static TO_BE_CONTINUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:to\s+be\s+cont(?:inued|\.)?|tbc|continued\s+in\s+(?:the\s+)?next\s+(?:chapter|part))$")
        .expect("tbc pattern")
});

static THE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:the\s+end|fin|finis|end|the\s+end\s+for\s+now)$").expect("end pattern")
});

/// Whether a paragraph is archive chrome or boilerplate.
pub fn is_chrome(paragraph: &str) -> bool {
    CHROME.is_match(super::inline::plain(paragraph).trim())
}

/// A marker at the end of a story saying whether more is to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndMarker {
    ToBeContinued,
    TheEnd,
}

/// Recognises "To be continued...", "TBC", "~*~ The End ~*~", "Fin." and the like.
pub fn end_marker(line: &str) -> Option<EndMarker> {
    let plain = super::inline::plain(line);
    let core = plain.trim_matches(|c: char| !c.is_alphanumeric()).trim();
    if TO_BE_CONTINUED.is_match(core) {
        Some(EndMarker::ToBeContinued)
    } else if THE_END.is_match(core) {
        Some(EndMarker::TheEnd)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_lines() {
        for s in [
            "You must login (register) to review.",
            "Please review",
            "As always, please review.",
            "Reviews are welcome!",
            "Disclaimer: I own nothing. Joss does.",
            "Back to index",
            "Print",
            "Story by someone",
            "R&R!",
            "Please R/R",
            "Thanks for reading!",
            "End of Chapter 3",
            "end chapter one.",
        ] {
            assert!(is_chrome(s), "{s}");
        }
        assert!(!is_chrome("Spike reviewed the situation."));
        assert!(!is_chrome("The end of the chapter was near, she thought."));
        assert!(!is_chrome(
            "Please, Buffy, review your options before you go."
        ));
    }

    #[test]
    fn markers() {
        assert_eq!(
            end_marker("To be continued..."),
            Some(EndMarker::ToBeContinued)
        );
        assert_eq!(end_marker("TBC"), Some(EndMarker::ToBeContinued));
        assert_eq!(end_marker("(to be cont.)"), Some(EndMarker::ToBeContinued));
        assert_eq!(end_marker("~*~ The End ~*~"), Some(EndMarker::TheEnd));
        assert_eq!(end_marker("Fin."), Some(EndMarker::TheEnd));
        assert_eq!(end_marker("END"), Some(EndMarker::TheEnd));
        assert_eq!(end_marker("The end of the world."), None);
    }
}
