//! A stored work turned into an index document.

use tantivy::TantivyDocument;
use tome_model::TagKind;
use tome_store::{IndexWork, TagGraph};

use crate::schema::Fields;
use crate::sort::{combined, combined_time, prefix_rank};

/// Characters of the body kept for snippets.
const EXCERPT_CHARS: usize = 2_000;

/// The document for a listed work.
pub fn document(f: &Fields, w: &IndexWork, graph: &TagGraph) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    let id = u64::try_from(w.id).unwrap_or(0);
    d.add_u64(f.id, id);
    for t in w.expanded_tag_ids(graph) {
        d.add_u64(f.tags, u64::try_from(t).unwrap_or(0));
    }
    for (_, t) in w.facet_ids(graph) {
        d.add_u64(f.facets, u64::try_from(t).unwrap_or(0));
    }
    d.add_u64(f.restricted, u64::from(w.restricted));
    d.add_u64(f.complete, u64::from(w.complete));
    d.add_text(f.language, w.language.to_ascii_lowercase());
    d.add_u64(f.chapters, u64::from(w.chapter_count));
    d.add_u64(f.words, w.word_count);
    d.add_u64(f.fandoms, u64::from(w.fandom_count(graph)));
    d.add_i64(f.published, w.published_at);
    d.add_i64(f.updated, w.updated_at);
    d.add_u64(f.by_updated, combined_time(w.updated_at, id));
    d.add_u64(f.by_published, combined_time(w.published_at, id));
    d.add_u64(f.by_kudos, combined(w.kudos, id));
    d.add_u64(f.by_hits, combined(w.hits, id));
    d.add_u64(f.by_bookmarks, combined(w.bookmarks, id));
    d.add_u64(f.by_comments, combined(w.comments, id));
    d.add_u64(f.by_words, combined(w.word_count, id));
    let title_key = title_sort_key(&w.title);
    d.add_u64(f.by_title, prefix_rank(&title_key));
    d.add_text(f.title_sort, title_key);
    let creators = if w.anonymous {
        vec!["Anonymous".to_string()]
    } else {
        w.creators.clone()
    };
    let creator_key = creators.join(", ").to_lowercase();
    d.add_u64(f.by_creator, prefix_rank(&creator_key));
    d.add_text(f.creator_sort, creator_key);
    d.add_text(f.title, &w.title);
    if let Some(s) = &w.summary_html {
        d.add_text(f.summary, strip_html(s));
    }
    if !w.notes_html.is_empty() {
        d.add_text(f.notes, strip_html(&w.notes_html));
    }
    for (_, kind, name) in &w.tags {
        if *kind != TagKind::Rating || !name.is_empty() {
            d.add_text(f.tag_names, name);
        }
    }
    for c in &creators {
        d.add_text(f.creator, c);
    }
    // One value per chapter, so a phrase never runs across a chapter break.
    let mut excerpt = String::new();
    for html in &w.chapters_html {
        let text = strip_html(html);
        if excerpt.chars().count() < EXCERPT_CHARS {
            if !excerpt.is_empty() {
                excerpt.push(' ');
            }
            excerpt.extend(text.chars().take(EXCERPT_CHARS));
        }
        d.add_text(f.body, text);
    }
    d.add_text(f.excerpt, excerpt);
    d
}

/// AO3's `title_to_sort_on`: lower case, a leading article and punctuation dropped.
pub fn title_sort_key(title: &str) -> String {
    let t = title.trim().to_lowercase();
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    for article in ["the ", "a ", "an "] {
        if let Some(rest) = t.strip_prefix(article) {
            return rest.trim_start().to_string();
        }
    }
    t.to_string()
}

/// Text of sanitized HTML: tags dropped, a few entities decoded, blocks separated.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    if out.contains('&') {
        out = out
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&");
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_and_text() {
        assert_eq!(title_sort_key("The Long Way Home"), "long way home");
        assert_eq!(title_sort_key("\"Anything\""), "anything\"");
        assert_eq!(strip_html("<p>a &amp; b</p><p>c</p>"), "a & b c");
    }
}
