//! Tag kinds. A tag is a name of one kind; the store decides canonical status and synonyms.

use serde::{Deserialize, Serialize};

/// What a tag names. Ratings, warnings and categories are fixed sets (see [`crate::rating`]);
/// the other kinds are typed freely by authors and wrangled into a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    Rating,
    Warning,
    Category,
    Fandom,
    Relationship,
    Character,
    Freeform,
}

impl TagKind {
    pub const ALL: &'static [TagKind] = &[
        TagKind::Rating,
        TagKind::Warning,
        TagKind::Category,
        TagKind::Fandom,
        TagKind::Relationship,
        TagKind::Character,
        TagKind::Freeform,
    ];

    /// Stable machine name (database, JSON, tags.json).
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Rating => "rating",
            TagKind::Warning => "warning",
            TagKind::Category => "category",
            TagKind::Fandom => "fandom",
            TagKind::Relationship => "relationship",
            TagKind::Character => "character",
            TagKind::Freeform => "freeform",
        }
    }

    pub fn parse(s: &str) -> Option<TagKind> {
        let s = s.trim().to_ascii_lowercase();
        let s = match s.as_str() {
            "additional" | "additional tags" | "free" | "freeforms" | "additional_tags" => {
                "freeform"
            }
            "characters" => "character",
            "relationships" | "pairing" | "pairings" => "relationship",
            "fandoms" => "fandom",
            "warnings" | "archive warnings" => "warning",
            "categories" => "category",
            "ratings" => "rating",
            other => other,
        }
        .to_string();
        TagKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// The English heading AO3 gives a list of tags of this kind, plural.
    pub fn heading(self) -> &'static str {
        match self {
            TagKind::Rating => "Rating",
            TagKind::Warning => "Archive Warnings",
            TagKind::Category => "Categories",
            TagKind::Fandom => "Fandoms",
            TagKind::Relationship => "Relationships",
            TagKind::Character => "Characters",
            TagKind::Freeform => "Additional Tags",
        }
    }

    /// The class word AO3 uses on work-page `dd` elements ("fandom tags", "freeform tags").
    pub fn meta_class(self) -> &'static str {
        self.as_str()
    }

    /// The class AO3 uses on blurb tag list items (`li.relationships`, `li.freeforms`).
    pub fn blurb_class(self) -> &'static str {
        match self {
            TagKind::Rating => "rating",
            TagKind::Warning => "warnings",
            TagKind::Category => "category",
            TagKind::Fandom => "fandoms",
            TagKind::Relationship => "relationships",
            TagKind::Character => "characters",
            TagKind::Freeform => "freeforms",
        }
    }

    /// Whether authors type tags of this kind freely (wranglable), rather than pick from a fixed set.
    pub fn is_free(self) -> bool {
        matches!(
            self,
            TagKind::Fandom | TagKind::Relationship | TagKind::Character | TagKind::Freeform
        )
    }
}

impl std::fmt::Display for TagKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Longest tag name accepted, as on AO3 (see [`crate::limits::TAG_NAME`]).
pub const MAX_TAG_LEN: usize = crate::limits::TAG_NAME;

/// Tidies a typed tag name: trims, folds runs of white space. `None` when nothing is left
/// or the name is too long or uses a comma (AO3's separator).
pub fn normalize_tag_name(name: &str) -> Option<String> {
    let folded = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() || folded.chars().count() > MAX_TAG_LEN || folded.contains(',') {
        None
    } else {
        Some(folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_their_names_and_plurals() {
        for k in TagKind::ALL {
            assert_eq!(TagKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(TagKind::parse("Additional Tags"), Some(TagKind::Freeform));
        assert_eq!(TagKind::parse("pairings"), Some(TagKind::Relationship));
    }

    #[test]
    fn names_are_tidied() {
        assert_eq!(
            normalize_tag_name("  Buffy   Summers "),
            Some("Buffy Summers".into())
        );
        assert_eq!(normalize_tag_name("   "), None);
        assert_eq!(normalize_tag_name("a, b"), None);
    }
}
