//! Posting through the website: works written by their creators (by pseud id), drafts,
//! chapters added, edited, reordered and deleted, and series.
//!
//! Every change runs in one write transaction that also recomputes the work's chapter
//! and word counts, bumps `version` and `updated_at`, and writes a search-outbox row, so
//! a reader, a page cache and the indexer never see half a change.

use std::collections::{HashMap, HashSet};

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use tome_model::tag::normalize_tag_name;
use tome_model::{Category, Rating, TagKind, Warning};

use crate::sql::{flag, int, kind, lower};
use crate::tags::find_or_create_tag;
use crate::works::{BLURB_COLUMNS, MAX_TITLE_LEN};
use crate::{PseudRef, Result, Store, StoreError, WorkBlurb, now};

/// What readers see (`html`, sanitized by the caller) and what the creator typed
/// (`source`, shown again for editing; `None` when the HTML is the source).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    pub html: Option<String>,
    pub source: Option<String>,
}

impl TextField {
    /// The text to put back in an edit form: the source, else the HTML.
    pub fn for_editing(&self) -> String {
        self.source
            .clone()
            .or_else(|| self.html.clone())
            .unwrap_or_default()
    }
}

/// Which series a work joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeriesChoice {
    /// A new series of this title.
    New(String),
    /// An existing series, by id.
    Existing(i64),
}

/// A work's metadata as its creator posts or edits it.
#[derive(Debug, Clone, Default)]
pub struct WorkInput {
    pub title: String,
    /// Creators, in byline order; at least one.
    pub pseud_ids: Vec<i64>,
    pub rating: Option<Rating>,
    pub warnings: Vec<Warning>,
    pub categories: Vec<Category>,
    /// Fandoms, relationships, characters and additional tags, as typed.
    pub tags: Vec<(TagKind, String)>,
    pub language: String,
    pub summary: TextField,
    pub notes_begin: TextField,
    pub notes_end: TextField,
    /// `html` or `markdown`.
    pub text_format: String,
    /// AO3's "n/m"; `None` is "?".
    pub expected_chapters: Option<u32>,
    /// A backdated publication date (unix seconds); `None` means when posted.
    pub published_at: Option<i64>,
    pub restricted: bool,
    pub anonymous: bool,
    /// Join a series (at `series_position`, else at its end).
    pub series: Option<SeriesChoice>,
    pub series_position: Option<u32>,
    /// Other users' pseuds named as co-creators: invited, on the byline only once they
    /// accept ([`crate::creatorships`]).
    pub invited_pseud_ids: Vec<i64>,
    /// Who invites them (the user posting or editing).
    pub invited_by: Option<i64>,
}

/// One chapter as its creator writes it.
#[derive(Debug, Clone, Default)]
pub struct ChapterInput {
    pub title: Option<String>,
    pub summary: TextField,
    pub notes_begin: TextField,
    pub notes_end: TextField,
    /// The chapter text; `html` is required.
    pub body: TextField,
    /// Words of the body (the caller counts them from the HTML).
    pub word_count: u64,
}

/// A chapter as its edit form shows it.
#[derive(Debug, Clone)]
pub struct ChapterEdit {
    pub id: i64,
    pub position: u32,
    pub input: ChapterInput,
}

/// A series a work is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPlace {
    pub id: i64,
    pub title: String,
    pub position: u32,
}

/// A series, for choosing one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRef {
    pub id: i64,
    pub title: String,
}

/// Everything the edit form of a work needs, drafts included.
#[derive(Debug, Clone)]
pub struct WorkEdit {
    pub id: i64,
    pub creators: Vec<PseudRef>,
    pub input: WorkInput,
    pub draft: bool,
    pub chapter_count: u32,
    pub word_count: u64,
    pub version: i64,
    pub series: Vec<SeriesPlace>,
    pub chapters: Vec<ChapterEdit>,
}

impl WorkEdit {
    /// Whether the user is one of the creators.
    pub fn is_creator(&self, user_id: i64) -> bool {
        self.creators.iter().any(|p| p.user_id == user_id)
    }
}

fn check_title(title: &str) -> Result<&str> {
    let t = title.trim();
    if t.is_empty() {
        return Err(StoreError::Invalid("A work needs a title.".into()));
    }
    if t.chars().count() > MAX_TITLE_LEN {
        return Err(StoreError::Invalid(format!(
            "The title is too long (at most {MAX_TITLE_LEN} characters)."
        )));
    }
    Ok(t)
}

fn check_format(f: &str) -> &'static str {
    if f == "markdown" { "markdown" } else { "html" }
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.trim().is_empty())
}

impl Store {
    /// Creates a work written on the website, by pseud ids, with its chapters (at least
    /// one), as a draft (only its creators see it) or posted. Returns its id.
    pub async fn create_posted_work(
        &self,
        w: &WorkInput,
        chapters: &[ChapterInput],
        draft: bool,
    ) -> Result<i64> {
        let title = check_title(&w.title)?;
        if w.pseud_ids.is_empty() {
            return Err(StoreError::Invalid("A work needs a creator.".into()));
        }
        if chapters.is_empty() || chapters.iter().any(|c| blank(&c.body.html).is_none()) {
            return Err(StoreError::Invalid("A chapter needs some text.".into()));
        }
        let t = now();
        let published = w.published_at.unwrap_or(t);
        let mut tx = self.begin_write().await?;
        let work_id: i64 = sqlx::query_scalar(
            "INSERT INTO works (title, language, rating, published_at, updated_at, revised_at, \
                version, draft, backdated) \
             VALUES ($1, 'en', 'not_rated', $2, $3, $3, 1, $4, $5) RETURNING id",
        )
        .bind(title)
        .bind(published)
        .bind(t)
        .bind(int(draft))
        .bind(int(w.published_at.is_some()))
        .fetch_one(&mut *tx)
        .await?;
        if let Err(e) = write_work(&mut tx, work_id, w).await {
            tx.rollback().await?;
            return Err(e);
        }
        for (i, c) in chapters.iter().enumerate() {
            insert_chapter(&mut tx, work_id, i as i64 + 1, c, published).await?;
        }
        if let Err(e) = refresh(&mut tx, work_id, false).await {
            tx.rollback().await?;
            return Err(e);
        }
        tx.commit().await?;
        Ok(work_id)
    }

    /// Replaces a work's metadata, tags, creators and series (chapters are untouched):
    /// the work ends up in the one series chosen, or in none.
    pub async fn update_work(&self, work_id: i64, w: &WorkInput) -> Result<()> {
        let title = check_title(&w.title)?;
        if w.pseud_ids.is_empty() {
            return Err(StoreError::Invalid("A work needs a creator.".into()));
        }
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE works SET title = $1 WHERE id = $2")
            .bind(title)
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {work_id}")));
        }
        if let Some(p) = w.published_at {
            sqlx::query("UPDATE works SET published_at = $1, backdated = 1 WHERE id = $2")
                .bind(p)
                .bind(work_id)
                .execute(&mut *tx)
                .await?;
        }
        let keep = match &w.series {
            Some(SeriesChoice::Existing(id)) => Some(*id),
            _ => None,
        };
        if let Err(e) = leave_other_series(&mut tx, work_id, keep).await {
            tx.rollback().await?;
            return Err(e);
        }
        if let Err(e) = write_work(&mut tx, work_id, w).await {
            tx.rollback().await?;
            return Err(e);
        }
        refresh(&mut tx, work_id, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a chapter at the end of a work; returns its id.
    pub async fn add_chapter(&self, work_id: i64, c: &ChapterInput) -> Result<i64> {
        if blank(&c.body.html).is_none() {
            return Err(StoreError::Invalid("A chapter needs some text.".into()));
        }
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM works WHERE id = $1")
            .bind(work_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {work_id}")));
        }
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(position) FROM chapters WHERE work_id = $1")
                .bind(work_id)
                .fetch_one(&mut *tx)
                .await?;
        let id = insert_chapter(&mut tx, work_id, last.unwrap_or(0) + 1, c, now()).await?;
        refresh(&mut tx, work_id, true).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces a chapter's title, notes and text.
    pub async fn update_chapter(
        &self,
        work_id: i64,
        chapter_id: i64,
        c: &ChapterInput,
    ) -> Result<()> {
        if blank(&c.body.html).is_none() {
            return Err(StoreError::Invalid("A chapter needs some text.".into()));
        }
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE chapters SET title = $1, summary_html = $2, summary_source = $3, \
                notes_begin_html = $4, notes_begin_source = $5, notes_end_html = $6, \
                notes_end_source = $7, body_html = $8, body_source = $9, word_count = $10 \
             WHERE id = $11 AND work_id = $12",
        )
        .bind(blank(&c.title).map(str::trim))
        .bind(blank(&c.summary.html))
        .bind(blank(&c.summary.source))
        .bind(blank(&c.notes_begin.html))
        .bind(blank(&c.notes_begin.source))
        .bind(blank(&c.notes_end.html))
        .bind(blank(&c.notes_end.source))
        .bind(c.body.html.as_deref().unwrap_or(""))
        .bind(blank(&c.body.source))
        .bind(c.word_count as i64)
        .bind(chapter_id)
        .bind(work_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("chapter {chapter_id}")));
        }
        refresh(&mut tx, work_id, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a chapter (not a work's only one) and closes the gap in the numbering.
    pub async fn delete_chapter(&self, work_id: i64, chapter_id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let ids = chapter_ids(&mut tx, work_id).await?;
        if !ids.contains(&chapter_id) {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("chapter {chapter_id}")));
        }
        if ids.len() == 1 {
            tx.rollback().await?;
            return Err(StoreError::Invalid(
                "You can't delete the only chapter of a work; delete the work instead.".into(),
            ));
        }
        sqlx::query("DELETE FROM chapters WHERE id = $1 AND work_id = $2")
            .bind(chapter_id)
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
        let rest: Vec<i64> = ids.into_iter().filter(|id| *id != chapter_id).collect();
        renumber(&mut tx, work_id, &rest).await?;
        refresh(&mut tx, work_id, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts a work's chapters in the order given (every chapter id exactly once).
    pub async fn reorder_chapters(&self, work_id: i64, order: &[i64]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let ids = chapter_ids(&mut tx, work_id).await?;
        let have: HashSet<i64> = ids.iter().copied().collect();
        let want: HashSet<i64> = order.iter().copied().collect();
        if ids.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {work_id}")));
        }
        if have != want || want.len() != order.len() {
            tx.rollback().await?;
            return Err(StoreError::Invalid(
                "The new order must list every chapter of the work once.".into(),
            ));
        }
        renumber(&mut tx, work_id, order).await?;
        refresh(&mut tx, work_id, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Posts a draft: readers can see it from now on, dated now unless it was backdated.
    pub async fn post_draft(&self, work_id: i64) -> Result<()> {
        let t = now();
        let mut tx = self.begin_write().await?;
        // Locked: of two "post" clicks at once only one finds a draft (and announces it).
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT draft, backdated, published_at FROM works WHERE id = $1{}",
            self.for_update()
        )))
        .bind(work_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {work_id}")));
        };
        if !flag(row.try_get("draft")?) {
            tx.rollback().await?;
            return Err(StoreError::Conflict("This work is already posted.".into()));
        }
        let published = if flag(row.try_get("backdated")?) {
            row.try_get("published_at")?
        } else {
            t
        };
        sqlx::query("UPDATE works SET draft = 0, published_at = $1 WHERE id = $2")
            .bind(published)
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE chapters SET draft = 0, published_at = $1 WHERE work_id = $2")
            .bind(published)
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
        refresh(&mut tx, work_id, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user's drafts, most recently changed first.
    pub async fn drafts_of(&self, user_id: i64) -> Result<Vec<WorkBlurb>> {
        let sql = format!(
            "SELECT {BLURB_COLUMNS} FROM works w WHERE w.draft = 1 AND w.id IN \
                (SELECT c.work_id FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
                 WHERE p.user_id = $1) \
             ORDER BY w.updated_at DESC, w.id DESC"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_all(self.pool())
            .await?;
        self.blurbs(&rows).await
    }

    /// Creates an empty series; returns its id.
    pub async fn create_series(&self, title: &str) -> Result<i64> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE_LEN {
            return Err(StoreError::Invalid(
                "A series needs a title of at most 255 characters.".into(),
            ));
        }
        let t = now();
        let mut tx = self.begin_write().await?;
        let id = new_series(&mut tx, title, t).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Puts a work in a series at `position` (1-based; `None`: at the end), moving later
    /// works down.
    pub async fn add_to_series(
        &self,
        series_id: i64,
        work_id: i64,
        position: Option<u32>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if let Err(e) = join_series(&mut tx, series_id, work_id, position).await {
            tx.rollback().await?;
            return Err(e);
        }
        refresh(&mut tx, work_id, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The series a user's works are in, by title.
    pub async fn series_of_user(&self, user_id: i64) -> Result<Vec<SeriesRef>> {
        sqlx::query(
            "SELECT DISTINCT s.id, s.title FROM series s \
             JOIN series_works sw ON sw.series_id = s.id \
             JOIN creatorships c ON c.work_id = sw.work_id \
             JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = $1 ORDER BY s.title, s.id",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(SeriesRef {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
            })
        })
        .collect()
    }

    /// The works of a series in order: (work id, position).
    pub async fn series_works(&self, series_id: i64) -> Result<Vec<(i64, u32)>> {
        sqlx::query(
            "SELECT work_id, position FROM series_works WHERE series_id = $1 ORDER BY position",
        )
        .bind(series_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("work_id")?,
                u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0),
            ))
        })
        .collect()
    }

    /// The series a work is in, with its place in each ("Part 2 of ...").
    pub async fn series_places(&self, work_id: i64) -> Result<Vec<SeriesPlace>> {
        sqlx::query(
            "SELECT s.id, s.title, sw.position FROM series_works sw \
             JOIN series s ON s.id = sw.series_id WHERE sw.work_id = $1 ORDER BY s.id",
        )
        .bind(work_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(SeriesPlace {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                position: u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0),
            })
        })
        .collect()
    }

    /// A work as its edit forms show it, drafts included (the caller decides who may
    /// edit it).
    pub async fn work_for_edit(&self, work_id: i64) -> Result<Option<WorkEdit>> {
        let Some(r) = sqlx::query(
            "SELECT id, title, language, rating, expected_chapters, chapter_count, word_count, \
                published_at, backdated, restricted, anonymous, draft, version, text_format, \
                summary_html, summary_source, notes_begin_html, notes_begin_source, \
                notes_end_html, notes_end_source FROM works WHERE id = $1",
        )
        .bind(work_id)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let creators = sqlx::query(
            "SELECT p.id, p.user_id, u.login, p.name FROM creatorships c \
             JOIN pseuds p ON p.id = c.pseud_id JOIN users u ON u.id = p.user_id \
             WHERE c.work_id = $1 ORDER BY c.position",
        )
        .bind(work_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(PseudRef::from_row)
        .collect::<Result<Vec<_>>>()?;
        let mut input = WorkInput {
            title: r.try_get("title")?,
            pseud_ids: creators.iter().map(|p| p.id).collect(),
            rating: Rating::parse(&r.try_get::<String, _>("rating")?),
            language: r.try_get("language")?,
            summary: text(&r, "summary")?,
            notes_begin: text(&r, "notes_begin")?,
            notes_end: text(&r, "notes_end")?,
            text_format: r.try_get("text_format")?,
            expected_chapters: r
                .try_get::<Option<i64>, _>("expected_chapters")?
                .and_then(|e| u32::try_from(e).ok()),
            published_at: if flag(r.try_get("backdated")?) {
                Some(r.try_get("published_at")?)
            } else {
                None
            },
            restricted: flag(r.try_get("restricted")?),
            anonymous: flag(r.try_get("anonymous")?),
            ..WorkInput::default()
        };
        for t in sqlx::query(
            "SELECT t.kind, t.name FROM work_tags wt JOIN tags t ON t.id = wt.tag_id \
             WHERE wt.work_id = $1 ORDER BY wt.position",
        )
        .bind(work_id)
        .fetch_all(self.pool())
        .await?
        {
            let name: String = t.try_get("name")?;
            match kind(&t.try_get::<String, _>("kind")?)? {
                TagKind::Rating => {}
                TagKind::Warning => input.warnings.extend(Warning::parse(&name)),
                TagKind::Category => input.categories.extend(Category::parse(&name)),
                k => input.tags.push((k, name)),
            }
        }
        let series = self.series_places(work_id).await?;
        let chapters = sqlx::query(
            "SELECT id, position, title, word_count, summary_html, summary_source, \
                notes_begin_html, notes_begin_source, notes_end_html, notes_end_source, \
                body_html, body_source FROM chapters WHERE work_id = $1 ORDER BY position",
        )
        .bind(work_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|c| {
            Ok(ChapterEdit {
                id: c.try_get("id")?,
                position: u32::try_from(c.try_get::<i64, _>("position")?).unwrap_or(0),
                input: ChapterInput {
                    title: c.try_get("title")?,
                    summary: text(c, "summary")?,
                    notes_begin: text(c, "notes_begin")?,
                    notes_end: text(c, "notes_end")?,
                    body: TextField {
                        html: Some(c.try_get("body_html")?),
                        source: c.try_get("body_source")?,
                    },
                    word_count: crate::sql::count(c.try_get("word_count")?),
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(Some(WorkEdit {
            id: r.try_get("id")?,
            creators,
            input,
            draft: flag(r.try_get("draft")?),
            chapter_count: u32::try_from(r.try_get::<i64, _>("chapter_count")?).unwrap_or(0),
            word_count: crate::sql::count(r.try_get("word_count")?),
            version: r.try_get("version")?,
            series,
            chapters,
        }))
    }

    /// A pseud's name, by id.
    pub async fn pseud_name(&self, pseud_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT name FROM pseuds WHERE id = $1")
            .bind(pseud_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Pseuds by name (case-insensitive), for naming co-creators: every pseud of that
    /// name, oldest first.
    pub async fn pseuds_named(&self, name: &str) -> Result<Vec<PseudRef>> {
        sqlx::query(
            "SELECT p.id, p.user_id, u.login, p.name FROM pseuds p \
             JOIN users u ON u.id = p.user_id WHERE p.name_lower = $1 ORDER BY p.id",
        )
        .bind(lower(name.trim()))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(PseudRef::from_row)
        .collect()
    }
}

fn text(r: &AnyRow, name: &str) -> Result<TextField> {
    Ok(TextField {
        html: r.try_get(format!("{name}_html").as_str())?,
        source: r.try_get(format!("{name}_source").as_str())?,
    })
}

/// Writes everything of a work but its title and chapters: columns, creators, tags and
/// series.
async fn write_work(conn: &mut AnyConnection, work_id: i64, w: &WorkInput) -> Result<()> {
    let rating = w.rating.unwrap_or(Rating::NotRated);
    let language = match w.language.trim() {
        "" => "en",
        l => l,
    };
    sqlx::query(
        "UPDATE works SET summary_html = $1, summary_source = $2, notes_begin_html = $3, \
            notes_begin_source = $4, notes_end_html = $5, notes_end_source = $6, language = $7, \
            rating = $8, expected_chapters = $9, restricted = $10, anonymous = $11, \
            text_format = $12 WHERE id = $13",
    )
    .bind(blank(&w.summary.html))
    .bind(blank(&w.summary.source))
    .bind(blank(&w.notes_begin.html))
    .bind(blank(&w.notes_begin.source))
    .bind(blank(&w.notes_end.html))
    .bind(blank(&w.notes_end.source))
    .bind(language)
    .bind(rating.as_str())
    .bind(w.expected_chapters.map(i64::from))
    .bind(int(w.restricted))
    .bind(int(w.anonymous))
    .bind(check_format(&w.text_format))
    .bind(work_id)
    .execute(&mut *conn)
    .await?;

    sqlx::query("DELETE FROM creatorships WHERE work_id = $1")
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
    let mut seen = HashSet::new();
    for id in &w.pseud_ids {
        if !seen.insert(*id) {
            continue;
        }
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM pseuds WHERE id = $1")
            .bind(*id)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(StoreError::Invalid(format!("There is no pseud {id}.")));
        }
        sqlx::query("INSERT INTO creatorships (work_id, pseud_id, position) VALUES ($1, $2, $3)")
            .bind(work_id)
            .bind(*id)
            .bind(seen.len() as i64)
            .execute(&mut *conn)
            .await?;
    }

    crate::creatorships::invite(&mut *conn, work_id, &w.invited_pseud_ids, w.invited_by).await?;

    let mut tags: Vec<(TagKind, String)> = vec![(TagKind::Rating, rating.name().to_string())];
    if w.warnings.is_empty() {
        tags.push((TagKind::Warning, Warning::ChoseNotToUse.name().to_string()));
    }
    tags.extend(
        w.warnings
            .iter()
            .map(|x| (TagKind::Warning, x.name().to_string())),
    );
    tags.extend(
        w.categories
            .iter()
            .map(|c| (TagKind::Category, c.name().to_string())),
    );
    tome_model::limits::check_work_tags(w.tags.iter().map(|(k, n)| (*k, n.as_str())))
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    for (k, name) in &w.tags {
        let tidy = normalize_tag_name(name).ok_or_else(|| {
            StoreError::Invalid(format!(
                "The tag \"{name}\" is empty, too long or contains a comma."
            ))
        })?;
        tags.push((*k, tidy));
    }
    sqlx::query("DELETE FROM work_tags WHERE work_id = $1")
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
    // New tags are made in name order: two posts making the same two new tags in
    // opposite orders would otherwise wait on each other's unique-index entries
    // (a deadlock on PostgreSQL).
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut by_name: Vec<&(TagKind, String)> = tags.iter().collect();
    by_name.sort_by_key(|(_, n)| crate::sql::lower(n));
    for (k, name) in by_name {
        if !ids.contains_key(name) {
            let (tag_id, _) = find_or_create_tag(&mut *conn, *k, name, false).await?;
            ids.insert(name.clone(), tag_id);
        }
    }
    let mut seen = HashSet::new();
    for (_, name) in &tags {
        let Some(&tag_id) = ids.get(name) else {
            continue;
        };
        if seen.insert(tag_id) {
            sqlx::query("INSERT INTO work_tags (work_id, tag_id, position) VALUES ($1, $2, $3)")
                .bind(work_id)
                .bind(tag_id)
                .bind(seen.len() as i64)
                .execute(&mut *conn)
                .await?;
        }
    }

    match &w.series {
        None => {}
        Some(SeriesChoice::New(title)) => {
            let title = title.trim();
            if title.is_empty() || title.chars().count() > MAX_TITLE_LEN {
                return Err(StoreError::Invalid(
                    "A series needs a title of at most 255 characters.".into(),
                ));
            }
            let id = new_series(conn, title, now()).await?;
            join_series(conn, id, work_id, w.series_position).await?;
        }
        Some(SeriesChoice::Existing(id)) => {
            join_series(conn, *id, work_id, w.series_position).await?;
        }
    }
    Ok(())
}

async fn new_series(conn: &mut AnyConnection, title: &str, t: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO series (title, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id",
    )
    .bind(title)
    .bind(t)
    .fetch_one(&mut *conn)
    .await?)
}

/// Puts a work into a series (moving it if already there).
async fn join_series(
    conn: &mut AnyConnection,
    series_id: i64,
    work_id: i64,
    position: Option<u32>,
) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM series WHERE id = $1")
        .bind(series_id)
        .fetch_optional(&mut *conn)
        .await?;
    if found.is_none() {
        return Err(StoreError::Invalid("There is no such series.".into()));
    }
    let mut order: Vec<i64> = sqlx::query_scalar(
        "SELECT work_id FROM series_works WHERE series_id = $1 AND work_id <> $2 ORDER BY position",
    )
    .bind(series_id)
    .bind(work_id)
    .fetch_all(&mut *conn)
    .await?;
    let at = position
        .map(|p| (p.max(1) as usize - 1).min(order.len()))
        .unwrap_or(order.len());
    order.insert(at, work_id);
    write_series_order(conn, series_id, &order, work_id).await
}

/// Takes a work out of every series but `keep` (the edit form holds one series: what
/// is not chosen there any more is left), closing the gaps it leaves.
pub(crate) async fn leave_other_series(
    conn: &mut AnyConnection,
    work_id: i64,
    keep: Option<i64>,
) -> Result<()> {
    let series: Vec<i64> =
        sqlx::query_scalar("SELECT series_id FROM series_works WHERE work_id = $1")
            .bind(work_id)
            .fetch_all(&mut *conn)
            .await?;
    for series_id in series.into_iter().filter(|s| Some(*s) != keep) {
        let order: Vec<i64> = sqlx::query_scalar(
            "SELECT work_id FROM series_works WHERE series_id = $1 AND work_id <> $2 \
             ORDER BY position",
        )
        .bind(series_id)
        .bind(work_id)
        .fetch_all(&mut *conn)
        .await?;
        write_series_order(conn, series_id, &order, work_id).await?;
    }
    Ok(())
}

/// Writes a series' works in order (positions 1..), stamps the series, and bumps the
/// version of its works other than `changed` (whose own change bumps it): their pages
/// show their place ("Part 2 of ..."), which may have moved, so page caches must render
/// them again.
async fn write_series_order(
    conn: &mut AnyConnection,
    series_id: i64,
    order: &[i64],
    changed: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM series_works WHERE series_id = $1")
        .bind(series_id)
        .execute(&mut *conn)
        .await?;
    for (i, w) in order.iter().enumerate() {
        sqlx::query("INSERT INTO series_works (series_id, work_id, position) VALUES ($1, $2, $3)")
            .bind(series_id)
            .bind(*w)
            .bind(i as i64 + 1)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE series SET updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(series_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE works SET version = version + 1 WHERE id <> $1 AND id IN \
            (SELECT work_id FROM series_works WHERE series_id = $2)",
    )
    .bind(changed)
    .bind(series_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn insert_chapter(
    conn: &mut AnyConnection,
    work_id: i64,
    position: i64,
    c: &ChapterInput,
    published: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO chapters (work_id, position, title, summary_html, summary_source, \
            notes_begin_html, notes_begin_source, notes_end_html, notes_end_source, body_html, \
            body_source, word_count, published_at, draft) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0) RETURNING id",
    )
    .bind(work_id)
    .bind(position)
    .bind(blank(&c.title).map(str::trim))
    .bind(blank(&c.summary.html))
    .bind(blank(&c.summary.source))
    .bind(blank(&c.notes_begin.html))
    .bind(blank(&c.notes_begin.source))
    .bind(blank(&c.notes_end.html))
    .bind(blank(&c.notes_end.source))
    .bind(c.body.html.as_deref().unwrap_or(""))
    .bind(blank(&c.body.source))
    .bind(c.word_count as i64)
    .bind(published)
    .fetch_one(&mut *conn)
    .await?)
}

async fn chapter_ids(conn: &mut AnyConnection, work_id: i64) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM chapters WHERE work_id = $1 ORDER BY position")
            .bind(work_id)
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// Numbers chapters 1.. in the given order. Two passes (through negative positions)
/// keep the (work, position) index unique at every step.
async fn renumber(conn: &mut AnyConnection, work_id: i64, order: &[i64]) -> Result<()> {
    for (i, id) in order.iter().enumerate() {
        sqlx::query("UPDATE chapters SET position = $1 WHERE id = $2 AND work_id = $3")
            .bind(-(i as i64) - 1)
            .bind(*id)
            .bind(work_id)
            .execute(&mut *conn)
            .await?;
    }
    for (i, id) in order.iter().enumerate() {
        sqlx::query("UPDATE chapters SET position = $1 WHERE id = $2 AND work_id = $3")
            .bind(i as i64 + 1)
            .bind(*id)
            .bind(work_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Recomputes a work's chapter and word counts and completeness from its chapters,
/// stamps the change (`updated_at`, `version` when `bump`) and queues it for search.
async fn refresh(conn: &mut AnyConnection, work_id: i64, bump: bool) -> Result<()> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(word_count), 0) AS BIGINT) AS words \
         FROM chapters WHERE work_id = $1 AND draft = 0",
    )
    .bind(work_id)
    .fetch_one(&mut *conn)
    .await?;
    let n: i64 = row.try_get("n")?;
    let words: i64 = row.try_get("words")?;
    let expected: Option<i64> =
        sqlx::query_scalar("SELECT expected_chapters FROM works WHERE id = $1")
            .bind(work_id)
            .fetch_one(&mut *conn)
            .await?;
    // "n/m" with fewer than n: the work has grown past what was planned.
    let expected = expected.map(|e| e.max(n));
    let complete = expected == Some(n);
    let t = now();
    let sql = if bump {
        "UPDATE works SET chapter_count = $1, word_count = $2, expected_chapters = $3, \
            complete = $4, updated_at = $5, revised_at = $5, version = version + 1 WHERE id = $6"
    } else {
        "UPDATE works SET chapter_count = $1, word_count = $2, expected_chapters = $3, \
            complete = $4, updated_at = $5, revised_at = $5 WHERE id = $6"
    };
    sqlx::query(sql)
        .bind(n)
        .bind(words)
        .bind(expected)
        .bind(int(complete))
        .bind(t)
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
    crate::outbox::push(conn, work_id, crate::outbox::UPSERT).await?;
    Ok(())
}
