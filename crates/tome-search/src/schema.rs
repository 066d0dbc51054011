//! The index's shape. Filtering is by terms on a few indexed fields; everything that
//! sorts or counts is a fast (columnar) field; text fields keep positions for phrases.
//! Each sort column has one `u64` key field (`by_*`, see [`crate::sort`]).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bumped when the schema changes: an index of another version is rebuilt.
/// 2: combined `by_*` sort keys instead of separate counter fields.
pub const SCHEMA_VERSION: u32 = 2;

/// Handles on every field.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    /// Tag ids with synonyms' canonical tags and metatags expanded: one term per filter tag.
    pub tags: Field,
    /// Canonical ids of the tags as typed, all kinds: what facets count.
    pub facets: Field,
    pub restricted: Field,
    pub complete: Field,
    pub language: Field,
    pub chapters: Field,
    pub words: Field,
    pub fandoms: Field,
    pub published: Field,
    pub updated: Field,
    /// Sort keys: the column's value and the work id in one `u64` ([`crate::sort`]).
    pub by_updated: Field,
    pub by_published: Field,
    pub by_kudos: Field,
    pub by_hits: Field,
    pub by_bookmarks: Field,
    pub by_comments: Field,
    pub by_words: Field,
    /// First 8 bytes of the title and creator sort strings (ties go to the strings).
    pub by_title: Field,
    pub by_creator: Field,
    pub title_sort: Field,
    pub creator_sort: Field,
    pub title: Field,
    pub summary: Field,
    pub notes: Field,
    pub tag_names: Field,
    pub creator: Field,
    pub body: Field,
    /// The start of the body, stored for highlighted snippets.
    pub excerpt: Field,
}

/// The schema and its fields.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("default")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let sort_key = TextOptions::default().set_fast("raw");
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST | STORED),
        tags: b.add_u64_field("tags", INDEXED),
        facets: b.add_u64_field("facets", FAST),
        restricted: b.add_u64_field("restricted", INDEXED),
        complete: b.add_u64_field("complete", INDEXED),
        language: b.add_text_field("language", STRING),
        chapters: b.add_u64_field("chapters", FAST),
        words: b.add_u64_field("words", FAST),
        fandoms: b.add_u64_field("fandoms", FAST),
        published: b.add_i64_field("published", FAST),
        updated: b.add_i64_field("updated", FAST),
        by_updated: b.add_u64_field("by_updated", FAST),
        by_published: b.add_u64_field("by_published", FAST),
        by_kudos: b.add_u64_field("by_kudos", FAST),
        by_hits: b.add_u64_field("by_hits", FAST),
        by_bookmarks: b.add_u64_field("by_bookmarks", FAST),
        by_comments: b.add_u64_field("by_comments", FAST),
        by_words: b.add_u64_field("by_words", FAST),
        by_title: b.add_u64_field("by_title", FAST),
        by_creator: b.add_u64_field("by_creator", FAST),
        title_sort: b.add_text_field("title_sort", sort_key.clone()),
        creator_sort: b.add_text_field("creator_sort", sort_key),
        title: b.add_text_field("title", text(true)),
        summary: b.add_text_field("summary", text(true)),
        notes: b.add_text_field("notes", text(false)),
        tag_names: b.add_text_field("tag", text(false)),
        creator: b.add_text_field("creator", text(false)),
        body: b.add_text_field("body", text(false)),
        excerpt: b.add_text_field("excerpt", STORED),
    };
    (b.build(), fields)
}
