//! A wrangled tag vocabulary: canonical tags with their synonyms, fandom parents and,
//! for relationships, their characters. This is the shape of `tags.json` files
//! (`tome tags import` / `tome tags export`), what the store hands the tag suggester,
//! and what the suggester matches story text against.

use crate::TagKind;
use serde::{Deserialize, Serialize};

/// One canonical tag and what hangs off it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VocabEntry {
    pub kind: TagKind,
    pub name: String,
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Parent fandoms (for characters, relationships, free tags).
    #[serde(default)]
    pub fandoms: Vec<String>,
    /// For a relationship: the characters in it.
    #[serde(default)]
    pub characters: Vec<String>,
    /// Parent canonical tags of the same kind (metatags).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metatags: Vec<String>,
    /// For a fandom: the media it belongs to ("TV Shows", "Books & Literature", ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<String>,
    /// How many works use the tag or a synonym (filled by the store; ignored on import).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub uses: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A `tags.json` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct VocabularyFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    pub tags: Vec<VocabEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_tags_json_shape() {
        let json = r#"{"about":"x","tags":[
            {"kind":"fandom","name":"Buffy the Vampire Slayer","synonyms":["BtVS"]},
            {"kind":"relationship","name":"Buffy Summers/Spike","synonyms":["Spuffy"],"characters":["Buffy Summers","Spike"],"fandoms":["Buffy the Vampire Slayer"]},
            {"kind":"freeform","name":"Angst"},
            {"kind":"fandom","name":"Angel: the Series","media":["TV Shows"]}]}"#;
        let v: VocabularyFile = serde_json::from_str(json).unwrap();
        assert_eq!(v.tags.len(), 4);
        assert_eq!(v.tags[3].media, ["TV Shows"]);
        assert!(v.tags[0].media.is_empty());
        assert!(!serde_json::to_string(&v.tags[0]).unwrap().contains("media"));
        assert_eq!(v.tags[1].kind, TagKind::Relationship);
        assert_eq!(v.tags[1].characters, ["Buffy Summers", "Spike"]);
        assert!(v.tags[2].synonyms.is_empty());
    }
}
