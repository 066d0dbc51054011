//! The work page template, shared by `/works/ID` (first chapter or entire work) and
//! `/works/ID/chapters/CID` (one chapter).

use askama::Template;
use tome_store::{ChapterFull, ChapterMeta, WorkView};

use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::{RenderFor, Rendered};
use crate::views::{CreatorLink, MetaRow, Stats, creators, meta_rows};

/// One chapter as the work page prints it.
pub struct ChapterBlock {
    pub id: i64,
    pub position: u32,
    pub title: Option<String>,
    pub summary_html: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    pub body_html: String,
}

impl ChapterBlock {
    fn of(c: ChapterFull) -> ChapterBlock {
        ChapterBlock {
            id: c.meta.id,
            position: c.meta.position,
            title: c.meta.title.filter(|t| !t.trim().is_empty()),
            summary_html: non_empty(c.summary_html),
            notes_begin_html: non_empty(c.notes_begin_html),
            notes_end_html: non_empty(c.notes_end_html),
            body_html: tome_text::sanitize_html(&c.body_html),
        }
    }
}

/// An entry of the chapter select.
pub struct ChapterOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

/// Links between chapters.
pub struct ChapterNav {
    pub first_href: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub options: Vec<ChapterOption>,
}

#[derive(Template)]
#[template(path = "work.html")]
pub struct WorkTemplate {
    pub l: Layout,
    pub work_id: i64,
    pub title: String,
    pub creators: Vec<CreatorLink>,
    pub summary_html: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    pub meta: Vec<MetaRow>,
    pub stats: Stats,
    /// More than one chapter: chapters get their own headings and navigation.
    pub multi: bool,
    /// Showing every chapter.
    pub full: bool,
    /// Chapters in `div.chapter#chapter-N` blocks: multi-chapter works, and every
    /// `/works/ID/chapters/CID` page (FanFicFare reads one-shots' text from there).
    pub chapter_form: bool,
    pub chapters: Vec<ChapterBlock>,
    pub nav: ChapterNav,
    /// Kudos, bookmark, subscription and comments (`div#feedback`, `#comments_placeholder`).
    pub feedback: crate::responding::Feedback,
    /// The work is hidden by a moderator (only its creators and moderators get here).
    pub hidden: bool,
    /// The work is an unposted draft (only its creators get here): the page says so,
    /// offers "Post Draft" and no kudos, bookmark or comments.
    pub draft: bool,
    /// Hide/unhide buttons, for moderators only.
    pub moderation: Option<crate::pages::moderation::ModerationActions>,
    /// The series the work is in, with its place in each.
    pub series: Vec<tome_store::SeriesPlace>,
}

/// "N. Title" (or "N. Chapter N"), as chapter lists show a chapter.
pub fn chapter_label(c: &ChapterMeta) -> String {
    match c.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => format!("{}. {t}", c.position),
        None => format!("{}. Chapter {}", c.position, c.position),
    }
}

/// Stored HTML, cleaned once more by the archive's sanitizer policy (defence in depth:
/// importers sanitize, but a page must not trust the database), `None` when blank.
fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
        .map(|s| tome_text::sanitize_html(&s))
}

/// Which chapters a work page shows.
#[derive(Debug, Clone, Copy)]
pub enum Show {
    First,
    Full,
    Chapter(i64),
}

/// Loads and renders a work page for a viewer or a whole audience; a work they may not
/// open is `WebError::NotFound`.
pub async fn render_work(
    state: &AppState,
    r: RenderFor,
    work_id: i64,
    show: Show,
) -> Result<Rendered, WebError> {
    let store = state.store();
    let viewer = &r.viewer();
    let view = store.work(work_id).await?.ok_or(WebError::NotFound)?;
    if !crate::visibility::can_view_work(viewer, &view.blurb) {
        return Err(
            if crate::visibility::opens_after_login(viewer, &view.blurb) {
                WebError::LoginRequired(match show {
                    Show::Chapter(cid) => format!("/works/{work_id}/chapters/{cid}"),
                    _ => format!("/works/{work_id}"),
                })
            } else {
                WebError::NotFound
            },
        );
    }
    let full = matches!(show, Show::Full);
    let chapter_page = matches!(show, Show::Chapter(_));
    let chapters: Vec<ChapterFull> = match show {
        Show::Full => store.chapters_full(work_id).await?,
        Show::First => match view.chapters.first() {
            Some(first) => store
                .chapter(work_id, first.id)
                .await?
                .into_iter()
                .collect(),
            None => Vec::new(),
        },
        Show::Chapter(cid) => vec![
            store
                .chapter(work_id, cid)
                .await?
                .ok_or(WebError::NotFound)?,
        ],
    };
    let current = chapters.first().map(|c| c.meta.id);
    let comments_on = (!full && view.chapters.len() > 1)
        .then_some(current)
        .flatten();
    let feedback =
        crate::responding::feedback::feedback(state, viewer, r.shared(), &view.blurb, comments_on)
            .await?;
    if !r.shared()
        && let Some(u) = viewer.user_id()
    {
        state.record_reading(u, work_id);
    }
    let creators = view.blurb.creators.iter().map(|p| p.user_id).collect();
    let commenters = feedback.commenters.clone();
    let mut tpl = work_template(state, &r, view, chapters, full, chapter_page, current);
    link_external_images(&mut tpl.0, &state.config().image_hosts);
    tpl.0.feedback = feedback;
    tpl.0.series = store.series_places(work_id).await?;
    tpl.0.moderation = crate::pages::moderation::actions_for(viewer, tpl.0.hidden);
    Ok(Rendered {
        html: tpl.0.render()?,
        version: tpl.1,
        modified_unix: tpl.2,
        creators,
        commenters,
    })
}

/// The work's text with images on hosts the archive does not allow turned into links
/// (see [`crate::images`]).
fn link_external_images(tpl: &mut WorkTemplate, hosts: &[String]) {
    let fix = |h: &mut String| *h = crate::images::link_external_images(h, hosts);
    for h in [
        &mut tpl.summary_html,
        &mut tpl.notes_begin_html,
        &mut tpl.notes_end_html,
    ]
    .into_iter()
    .flatten()
    {
        fix(h);
    }
    for c in &mut tpl.chapters {
        fix(&mut c.body_html);
        for h in [
            &mut c.summary_html,
            &mut c.notes_begin_html,
            &mut c.notes_end_html,
        ]
        .into_iter()
        .flatten()
        {
            fix(h);
        }
    }
}

fn work_template(
    state: &AppState,
    r: &RenderFor,
    view: WorkView,
    chapters: Vec<ChapterFull>,
    full: bool,
    chapter_page: bool,
    current: Option<i64>,
) -> (WorkTemplate, i64, i64) {
    let b = &view.blurb;
    let work_id = b.id;
    let multi = view.chapters.len() > 1 || b.expected_chapters.is_some_and(|e| e > 1);
    let pos = current.and_then(|id| view.chapters.iter().position(|c| c.id == id));
    let href = |c: &ChapterMeta| format!("/works/{work_id}/chapters/{}", c.id);
    let nav = ChapterNav {
        first_href: view
            .chapters
            .first()
            .map(href)
            .unwrap_or_else(|| format!("/works/{work_id}")),
        prev: pos
            .filter(|p| *p > 0)
            .and_then(|p| view.chapters.get(p - 1))
            .map(href),
        next: pos.and_then(|p| view.chapters.get(p + 1)).map(href),
        options: view
            .chapters
            .iter()
            .map(|c| ChapterOption {
                id: c.id,
                label: chapter_label(c),
                selected: Some(c.id) == current,
            })
            .collect(),
    };
    // Work end notes close the work: shown with its last chapter or the whole work.
    let at_end = full || !multi || pos.is_some_and(|p| p + 1 == view.chapters.len());
    let title = b.title.clone();
    let page_title = match (multi && !full, pos.and_then(|p| view.chapters.get(p))) {
        (true, Some(c)) => format!("{title} - Chapter {}", c.position),
        _ => title.clone(),
    };
    let l: Layout = r.layout_with_flash(state, page_title);
    let tpl = WorkTemplate {
        l,
        work_id,
        title,
        creators: creators(b),
        summary_html: non_empty(b.summary_html.clone()),
        notes_begin_html: non_empty(view.notes_begin_html.clone()),
        notes_end_html: if at_end {
            non_empty(view.notes_end_html.clone())
        } else {
            None
        },
        meta: meta_rows(b),
        stats: Stats::of(b),
        multi,
        full,
        chapter_form: multi || chapter_page,
        chapters: chapters.into_iter().map(ChapterBlock::of).collect(),
        nav,
        feedback: crate::responding::Feedback::default(),
        hidden: b.hidden,
        draft: b.draft,
        moderation: None,
        series: Vec::new(),
    };
    (tpl, view.version, view.blurb.updated_at)
}
