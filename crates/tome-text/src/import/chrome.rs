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

/// A work in progress, however its author says so at the end of a chapter or the story.
/// Matched against the whole line with its decoration ("~*~", "...", "!!") trimmed.
static TO_BE_CONTINUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            to\s+be\s+cont(?:inued|\.)?(?:\s+(?:in|with)\s+.{1,60})?
          | t\.?\s?b\.?\s?c | (?:to\s+be\s+)?continued | cont(?:inued)?\s+next\s+(?:time|chapter|part)
          | continued\s+in\s+(?:the\s+)?next\s+(?:chapter|part|installment)
          | end\s+(?:of\s+)?(?:chapter|part|ch\.?)\s*(?:\d+|[ivxlc]+|[a-z]+(?:[\s-][a-z]+)?)
          | (?:the\s+)?(?:next|new)\s+(?:chapter|part|update|installment)\s+(?:is\s+|will\s+be\s+(?:up\s+|out\s+)?)?(?:coming\s+)?(?:soon(?:ish)?|shortly|next\s+week|tomorrow)
          | (?:chapter|part)\s+(?:\d+|[a-z]+)\s+(?:is\s+)?(?:coming\s+)?soon
          | more\s+(?:soon|to\s+come|coming(?:\s+soon)?|later)
          | (?:i'?ll\s+|will\s+)?update\s+soon | updates?\s+(?:coming\s+)?soon | coming\s+soon
          | wip | w\.i\.p | work\s+in\s+progress | (?:story\s+|fic\s+)?(?:still\s+)?in\s+progress
        )$",
    )
    .expect("tbc pattern")
});

/// A closing plea for feedback: the author's word to readers, so the end notes, never
/// story. Read only at a chapter's or the story's end, on a short paragraph that opens with
/// the plea ("Please review!", "Reviews make me write faster", "Let me know what you think").
static PLEA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:(?:so|as\s+always|anyway|oh|and|again|now|also|ps|p\.s\.)[,:]?\s+(?:and\s+)?)?(?:
            (?:please\s+)?(?:do\s+)?(?:read\s+(?:and|&|n)\s+)?review(?:\s+(?:please|if\s+you|and|so)\b.*|[.!:)\s]*)$
          | please\s+(?:leave\s+|drop\s+|send\s+)?(?:a\s+|me\s+a\s+)?(?:review|comment|kudos|feedback|note)
          | (?:please\s+)?r\s*(?:&|/|and|n)\s*r\b
          | (?:leave|drop|send)\s+(?:a\s+|me\s+a\s+|some\s+)?(?:review|comment|kudos|feedback|line)
          | reviews?\s+(?:make|makes|are|is|keep|keeps|help|helps|feed|fuel|motivate|inspire|mean|=)
          | (?:feedback|comments?|concrit|kudos(?:\s+and\s+comments)?|comments\s+and\s+kudos)\s+(?:is|are|make|makes|keep|keeps|help|helps|feed|fuel|mean|means|=|always|very|highly|welcome|appreciated|loved)
          | (?:please\s+)?(?:do\s+)?(?:let\s+me\s+know|tell\s+me)\s+(?:what\s+you\s+(?:think|thought)|if\s+you\s+(?:liked|enjoyed|like|want)|how\s+(?:i\s+did|you\s+liked))
          | what\s+did\s+you\s+think | thoughts\?
          | (?:thanks?|thank\s+you)\s+(?:so\s+much\s+|all\s+)?for\s+(?:reading|the\s+reviews|all\s+the\s+reviews|your\s+reviews)
          | (?:i\s+)?hope\s+you\s+(?:all\s+)?(?:enjoyed|liked)
          | you\s+know\s+what\s+to\s+do
        )",
    )
    .expect("plea pattern")
});

/// Whether a paragraph is a closing plea for reviews (see [`PLEA`]).
pub fn is_plea(paragraph: &str) -> bool {
    let plain = super::inline::plain(paragraph);
    let p = plain.trim();
    p.chars().count() <= 200 && PLEA.is_match(p)
}

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
        for wip in [
            "TBC...",
            "T.B.C.",
            "To be continued in part two",
            "~ Continued ~",
            "End of chapter 3",
            "End of Part One",
            "Next chapter soon!",
            "Next chapter coming soon",
            "The next chapter will be up soon.",
            "Chapter 4 coming soon!",
            "More soon!",
            "(WIP)",
            "Work in progress",
            "Will update soon",
        ] {
            assert_eq!(end_marker(wip), Some(EndMarker::ToBeContinued), "{wip}");
        }
        for story in [
            "She continued walking.",
            "More of the same.",
            "Soon.",
            "The next chapter of her life began.",
            "End of story, he said.",
        ] {
            assert_eq!(end_marker(story), None, "{story}");
        }
    }

    #[test]
    fn pleas() {
        for p in [
            "Please review!",
            "Please review and tell me what you think",
            "Reviews make me write faster!",
            "Let me know what you think!",
            "As always, please review.",
            "R&R please :)",
            "Please leave a comment if you liked it",
            "Comments and kudos make my day <3",
            "Feedback is love!",
            "Thanks for reading!",
            "Hope you enjoyed it!",
            "So, what did you think?",
            "Review!",
        ] {
            assert!(is_plea(p), "{p}");
        }
        for p in [
            "Spike reviewed the situation.",
            "Review the facts, she told herself, and think.",
            "\"Let me know when you get there,\" he said.",
            "Please, Buffy, review your options before you go.",
            "Comments from the peanut gallery were not wanted.",
            "She hoped he would come back.",
        ] {
            assert!(!is_plea(p), "{p}");
        }
    }
}
