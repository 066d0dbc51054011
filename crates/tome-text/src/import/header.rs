//! Header blocks: "Title:", "Author:", "Rating:", "Summary:" ... lines at the top of a
//! story, in any case, the way archives and authors wrote them for twenty years.

use super::inline;
use regex::Regex;
use std::sync::LazyLock;

/// What a header field is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Title,
    Author,
    Rating,
    Summary,
    /// Warning, Genre, Characters, Pairing, Fandom, Category, Tags: feed tag suggestion.
    Tagging,
    /// Disclaimer: boilerplate, set aside.
    Disclaimer,
    /// Status/Completed: says whether the work is finished.
    Status,
    Language,
    /// Stats, word counts, dates: kept in the header list only.
    Info,
    /// Anything else known (Setting, Spoilers, Beta, Dedication ...): into the beginning notes, labelled.
    ForNotes,
}

static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][A-Za-z '’/()]{0,30}?)\s*:\s*(.*)$").expect("field pattern")
});

/// Classifies a label (case-insensitive); `None` when it is not a header label we know.
pub fn field_kind(label: &str) -> Option<FieldKind> {
    let l = label.trim().to_lowercase().replace('’', "'");
    let kind = match l.as_str() {
        "title" | "story title" | "work title" => FieldKind::Title,
        "author" | "authors" | "by" | "written by" | "writer" | "creator" | "creators"
        | "pseud" => FieldKind::Author,
        "rating" | "rated" | "ratings" => FieldKind::Rating,
        "summary" | "summaries" | "description" | "blurb" => FieldKind::Summary,
        "warning" | "warnings" | "archive warning" | "archive warnings" | "genre" | "genres"
        | "category" | "categories" | "character" | "characters" | "pairing" | "pairings"
        | "relationship" | "relationships" | "fandom" | "fandoms" | "tags" | "additional tags"
        | "keywords" | "ship" | "ships" | "content warnings" | "freeform tags"
        | "ao3 categories" => FieldKind::Tagging,
        "disclaimer" | "disclaimers" => FieldKind::Disclaimer,
        "status" | "completed" | "complete" => FieldKind::Status,
        "language" => FieldKind::Language,
        "stats" | "words" | "word count" | "wordcount" | "length" | "chapters" | "published"
        | "updated" | "posted" | "date" | "hits" | "kudos" | "bookmarks" | "comments"
        | "series" | "collections" => FieldKind::Info,
        "setting" | "spoilers" | "spoiler" | "timeline" | "time line" | "beta" | "betas"
        | "beta reader" | "beta'd by" | "dedication" | "dedicated to" | "feedback" | "archive"
        | "archiving" | "distribution" | "author's website" | "website" | "email" | "e-mail"
        | "sequel to" | "prequel to" | "sequel" | "prequel" | "crossover" | "season"
        | "challenge" | "prompt" | "inspiration" | "thanks" | "credits" => FieldKind::ForNotes,
        _ => return None,
    };
    Some(kind)
}

/// Splits "Label: value" when the label is a header label we know. The label is read
/// from the plain text; the value keeps its formatting markers (a summary's italics).
pub fn parse_field(line: &str) -> Option<(String, String, FieldKind)> {
    let line = line.trim();
    // A value's paragraph and line breaks read as spaces here (same byte offsets).
    let plain = inline::plain(line).replace('\n', " ");
    let caps = FIELD.captures(&plain)?;
    let label = caps.get(1)?.as_str().trim();
    let kind = field_kind(label)?;
    let value = caps
        .get(2)
        .map_or("", |m| inline::skip_plain(line, m.start()));
    Some((label.to_string(), value.trim().to_string(), kind))
}

/// Parses a block's lines as header fields. Lines that are not fields continue the field
/// before them (a summary running over two lines). `None` when the first line is no field.
pub fn parse_block(lines: &[String]) -> Option<Vec<(String, String, FieldKind)>> {
    let mut fields: Vec<(String, String, FieldKind)> = Vec::new();
    for line in lines {
        match parse_field(line) {
            Some(f) => fields.push(f),
            None => {
                let last = fields.last_mut()?;
                if !last.1.is_empty() {
                    last.1.push(' ');
                }
                last.1.push_str(line.trim());
            }
        }
    }
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_in_any_case() {
        let lines: Vec<String> = [
            "TITLE: Steps",
            "rating: Teen",
            "Summary: Between the scenes",
            "of season 8.",
            "Warnings: ANGST!",
            "Setting: Season 8",
            "Author’s website: x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let f = parse_block(&lines).unwrap();
        assert_eq!(f[0], ("TITLE".into(), "Steps".into(), FieldKind::Title));
        assert_eq!(f[1].2, FieldKind::Rating);
        assert_eq!(f[2].1, "Between the scenes of season 8.");
        assert_eq!(f[3].2, FieldKind::Tagging);
        assert_eq!(f[4].2, FieldKind::ForNotes);
        assert_eq!(f[5].2, FieldKind::ForNotes);
        assert!(parse_block(&["Spike: I hate you.".to_string()]).is_none());
        assert!(parse_block(&["Buffy walked in.".to_string()]).is_none());
    }
}
