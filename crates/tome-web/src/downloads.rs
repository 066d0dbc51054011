//! A stored work as `tome_text::export` lays it out: shared by the download pages and
//! the `tome export` command, so both make the same files. Anonymous works carry
//! "Anonymous" as their author; stored HTML is sanitized once more on the way out.

use tome_store::{ChapterFull, Store, StoreError, WorkView};
use tome_text::export::{ExportChapter, ExportWork};

/// The export model of work `id`, or `None` when there is no such work. No visibility
/// check: the website applies its own before calling; the CLI is the archivist's.
pub async fn export_work(
    store: &Store,
    id: i64,
    archive_name: &str,
    url: Option<String>,
) -> Result<Option<ExportWork>, StoreError> {
    let Some(view) = store.work(id).await? else {
        return Ok(None);
    };
    let chapters = store.chapters_full(id).await?;
    Ok(Some(build_export(view, chapters, archive_name, url)))
}

/// The export model of a stored work and its chapters.
pub fn build_export(
    view: WorkView,
    chapters: Vec<ChapterFull>,
    archive_name: &str,
    url: Option<String>,
) -> ExportWork {
    let b = view.blurb;
    let authors = if tome_model::visibility::file_names_creators(&crate::visibility::state(&b)) {
        b.creators.iter().map(|p| p.name.clone()).collect()
    } else {
        vec!["Anonymous".to_string()]
    };
    let clean = |h: Option<String>| h.map(|h| tome_text::sanitize_html(&h));
    let names = |tags: &[tome_store::TagRef]| tags.iter().map(|t| t.name.clone()).collect();
    ExportWork {
        id: b.id,
        title: b.title.clone(),
        authors,
        language: b.language.clone(),
        rating: b.rating,
        warnings: b.warnings.iter().map(|w| w.name().to_string()).collect(),
        categories: b.categories.iter().map(|c| c.name().to_string()).collect(),
        fandoms: names(&b.fandoms),
        relationships: names(&b.relationships),
        characters: names(&b.characters),
        freeforms: names(&b.freeforms),
        summary_html: clean(b.summary_html.clone()),
        notes_begin_html: clean(view.notes_begin_html),
        notes_end_html: clean(view.notes_end_html),
        published_at: b.published_at,
        updated_at: b.updated_at,
        complete: b.complete,
        chapter_count: b.chapter_count,
        expected_chapters: b.expected_chapters,
        words: b.word_count,
        url,
        archive_name: archive_name.to_string(),
        chapters: chapters
            .into_iter()
            .map(|c| ExportChapter {
                position: c.meta.position,
                title: c.meta.title,
                summary_html: clean(c.summary_html),
                notes_begin_html: clean(c.notes_begin_html),
                notes_end_html: clean(c.notes_end_html),
                body_html: tome_text::sanitize_html(&c.body_html),
            })
            .collect(),
    }
}
