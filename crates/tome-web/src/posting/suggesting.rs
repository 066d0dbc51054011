//! Tag suggestions on the new-work form, from the archive's wrangled vocabulary.
//!
//! - The [`Vocabulary`] comes from [`AppState::vocabulary`](crate::AppState::vocabulary),
//!   cached like the other aggregates over all works ([`crate::counts`]).
//! - [`input_of`] is what the author typed (title, summary, notes, chapter text) as the
//!   suggester reads it: plain text, whatever the work's text format.
//! - [`apply`] adds each suggested canonical tag to its form field unless the field names
//!   it already (or one of its synonyms), and lists every suggestion with its evidence,
//!   so the author sees why and can remove any before posting.

use tome_model::TagKind;
use tome_text::{SuggestInput, Suggestions, Vocabulary};

use super::{WorkFormValues, split_tags};

/// One suggestion as the form lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestedTag {
    /// "Fandom", "Relationship", "Character", "Additional Tag".
    pub kind: &'static str,
    pub name: String,
    /// Why, e.g. "'Spuffy' in the summary; Spike: 25 mentions in the story".
    pub evidence: String,
    /// Whether it was added to its field now (else the field named it already).
    pub added: bool,
}

/// Typed text as plain text: Markdown rendered first, HTML tags dropped.
fn plain(format: &str, typed: &str) -> String {
    if typed.trim().is_empty() {
        return String::new();
    }
    let html = if format == "markdown" {
        tome_text::markdown_to_html(typed)
    } else if typed.contains('<') {
        typed.to_string()
    } else {
        return typed.replace("\r\n", "\n");
    };
    tome_text::html_to_plain(&html)
}

/// What the suggester reads of the form: title, summary, notes (the work's and the
/// chapters'), and the chapters' text.
pub fn input_of(v: &WorkFormValues) -> SuggestInput {
    let f = v.text_format.as_str();
    let join = |parts: Vec<String>| {
        parts
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let mut notes = vec![plain(f, &v.notes_begin), plain(f, &v.notes_end)];
    for c in &v.chapters {
        notes.push(plain(f, &c.notes_begin));
        notes.push(plain(f, &c.notes_end));
    }
    SuggestInput {
        title: v.title.trim().to_string(),
        summary: plain(f, &v.summary),
        header: Vec::new(),
        notes: join(notes),
        text: join(v.chapters.iter().map(|c| plain(f, &c.body)).collect()),
    }
}

/// Adds the suggested tags missing from the form's tag fields and lists every
/// suggestion (fandoms, relationships, characters, additional tags) with its evidence.
pub fn apply(v: &mut WorkFormValues, vocab: &Vocabulary, s: &Suggestions) -> Vec<SuggestedTag> {
    let mut out = Vec::new();
    for (kind, sug) in s.all() {
        let (label, field) = match kind {
            TagKind::Fandom => ("Fandom", &mut v.fandoms),
            TagKind::Relationship => ("Relationship", &mut v.relationships),
            TagKind::Character => ("Character", &mut v.characters),
            TagKind::Freeform => ("Additional Tag", &mut v.freeforms),
            _ => continue,
        };
        let typed = split_tags(field);
        let named = typed.iter().any(|t| {
            t.to_lowercase() == sug.name.to_lowercase()
                || vocab.find(kind, t).is_some_and(|e| e.name == sug.name)
        });
        if !named {
            let mut all = typed;
            all.push(sug.name.clone());
            *field = all.join(", ");
        }
        out.push(SuggestedTag {
            kind: label,
            name: sug.name.clone(),
            evidence: sug.evidence.join("; "),
            added: !named,
        });
    }
    out
}

/// Runs the suggester over what is typed, adds what is missing, and lists it all.
pub fn suggest_for_form(v: &mut WorkFormValues, vocab: &Vocabulary) -> Vec<SuggestedTag> {
    let s = tome_text::suggest(vocab, &input_of(v));
    apply(v, vocab, &s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary::from_json(
            r#"{"tags":[
            {"kind":"fandom","name":"Buffy the Vampire Slayer","synonyms":["BtVS"]},
            {"kind":"character","name":"Buffy Summers","synonyms":["Buffy"],"fandoms":["Buffy the Vampire Slayer"]},
            {"kind":"character","name":"Spike","synonyms":[],"fandoms":["Buffy the Vampire Slayer"]},
            {"kind":"relationship","name":"Buffy Summers/Spike","synonyms":["Spuffy"],"fandoms":["Buffy the Vampire Slayer"],"characters":["Buffy Summers","Spike"]}
            ]}"#,
        )
        .expect("vocabulary")
    }

    #[test]
    fn a_synonym_in_the_summary_suggests_its_canonical_tag_once() {
        let mut v = WorkFormValues {
            summary: "<p>A <em>Spuffy</em> story.</p>".into(),
            text_format: "html".into(),
            ..WorkFormValues::default()
        };
        let list = suggest_for_form(&mut v, &vocab());
        let rel = list
            .iter()
            .find(|s| s.name == "Buffy Summers/Spike")
            .expect("relationship suggested");
        assert!(rel.evidence.contains("'Spuffy' in the summary"), "{rel:?}");
        assert!(rel.added);
        assert_eq!(v.relationships, "Buffy Summers/Spike");
        assert!(v.fandoms.contains("Buffy the Vampire Slayer"), "{v:?}");
        // Suggesting again adds nothing twice.
        let again = suggest_for_form(&mut v, &vocab());
        assert!(again.iter().all(|s| !s.added), "{again:?}");
        assert_eq!(v.relationships, "Buffy Summers/Spike");
    }

    #[test]
    fn a_field_naming_a_synonym_is_not_given_the_canonical_tag_too() {
        let mut v = WorkFormValues {
            summary: "Spuffy.".into(),
            relationships: "Spuffy".into(),
            fandoms: "BtVS".into(),
            text_format: "markdown".into(),
            ..WorkFormValues::default()
        };
        let list = suggest_for_form(&mut v, &vocab());
        assert!(
            list.iter()
                .any(|s| s.name == "Buffy Summers/Spike" && !s.added)
        );
        assert_eq!(v.relationships, "Spuffy");
        assert_eq!(v.fandoms, "BtVS");
    }
}
