//! How much any one form may hold, defined once: every path that writes these fields
//! (the posting and chapter forms, comments, bookmarks, series, pseuds, and the store
//! under the importers) checks against these numbers, and the reader is told which
//! bound a value is past. AO3's own limits where it has them.
//!
//! Lengths are in characters (Unicode scalar values) of what was typed, counted in one
//! pass; counts are of items after tidying (empty pieces dropped).

/// Longest work, chapter or series title.
pub const TITLE: usize = 255;
/// Longest summary of a work, chapter or series (AO3: 1,250).
pub const SUMMARY: usize = 1_250;
/// Longest notes (beginning or end) of a work, chapter or series (AO3: 5,000).
pub const NOTES: usize = 5_000;
/// Longest chapter text (AO3: 500,000-odd).
pub const CHAPTER_TEXT: usize = 500_000;
/// Most chapters one posting form (or one imported work) may bring at once.
pub const CHAPTERS_PER_FORM: usize = 200;
/// Most chapters a work may have.
pub const CHAPTERS_PER_WORK: usize = 5_000;
/// Most fandom, relationship, character and additional tags on one work, together
/// (AO3: 75).
pub const TAGS_PER_WORK: usize = 75;
/// Longest tag name (AO3: "try using less than 150 characters"); older archives'
/// category and character names fit.
pub const TAG_NAME: usize = 150;
/// Longest comment (AO3: 10,000).
pub const COMMENT: usize = 10_000;
/// Most characters of a comment's stored HTML: what [`COMMENT`] typed characters can
/// become once rendered (`&` as `&amp;`, a line break as `<br />`, paragraphs wrapped in
/// `<p>`), with room to spare. The typed text is what a commenter is held to; this only
/// bounds what the store keeps.
pub const COMMENT_HTML: usize = 8 * COMMENT;
/// Deepest reply: a reply to a comment this deep is refused (threads render at most
/// this deep; deeper replies from before the bound are shown at this depth).
pub const REPLY_DEPTH: usize = 50;
/// Longest bookmark notes (AO3: 5,000).
pub const BOOKMARK_NOTES: usize = 5_000;
/// Most tags on one bookmark.
pub const BOOKMARK_TAGS: usize = 75;
/// Most co-creators named in one form.
pub const CO_CREATORS: usize = 50;
/// Longest pseud name (AO3: 40).
pub const PSEUD_NAME: usize = 40;
/// Longest pseud description (AO3: 500).
pub const PSEUD_DESCRIPTION: usize = 500;
/// Longest guest name on a comment.
pub const GUEST_NAME: usize = 100;
/// Longest e-mail address (RFC 5321 path limit).
pub const EMAIL: usize = 254;
/// Longest language code.
pub const LANGUAGE: usize = 20;

/// A value past its bound: the message says which field, how much and the bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("{what} is too long ({len} characters; at most {max}).")]
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{what}: {count} is too many (at most {max}).")]
    TooMany {
        what: &'static str,
        count: usize,
        max: usize,
    },
}

/// Characters in `s`, counted no further than `max + 1` (enough to know it is past).
fn chars_upto(s: &str, max: usize) -> usize {
    s.chars().take(max.saturating_add(1)).count()
}

/// Checks `text` (called `what` in the message) against `max` characters.
pub fn check_len(what: &'static str, text: &str, max: usize) -> Result<(), LimitError> {
    if chars_upto(text, max) > max {
        return Err(LimitError::TooLong {
            what,
            len: text.chars().count(),
            max,
        });
    }
    Ok(())
}

/// Checks a number of items (called `what` in the message) against `max`.
pub fn check_count(what: &'static str, count: usize, max: usize) -> Result<(), LimitError> {
    if count > max {
        return Err(LimitError::TooMany { what, count, max });
    }
    Ok(())
}

/// Checks the free tags of a work: at most [`TAGS_PER_WORK`] of the wranglable kinds
/// together (ratings, warnings and categories are fixed sets and not counted).
pub fn check_work_tags<'a>(
    tags: impl IntoIterator<Item = (crate::TagKind, &'a str)>,
) -> Result<(), LimitError> {
    let count = tags.into_iter().filter(|(k, _)| k.is_free()).count();
    check_count(
        "Fandoms, relationships, characters and additional tags",
        count,
        TAGS_PER_WORK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TagKind;

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(check_len("Title", &"é".repeat(TITLE), TITLE).is_ok());
        let e = check_len("Title", &"é".repeat(TITLE + 1), TITLE).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Title is too long (256 characters; at most 255)."
        );
    }

    #[test]
    fn work_tags_count_only_free_kinds() {
        let mut tags: Vec<(TagKind, &str)> = vec![(TagKind::Freeform, "x"); TAGS_PER_WORK];
        tags.push((TagKind::Rating, "General Audiences"));
        assert!(check_work_tags(tags.iter().copied()).is_ok());
        tags.push((TagKind::Character, "y"));
        let e = check_work_tags(tags.iter().copied()).unwrap_err();
        assert!(e.to_string().contains("76 is too many (at most 75)"), "{e}");
    }
}
