//! Works and chapters: posting, reading, listing, counters.
//!
//! A listing is three queries whatever the page size: the page of works, all their tags,
//! all their creators. What a listing and its count hold is decided by tome-model's
//! `visibility` rules, written into the SQL by `visibility::sql_predicate`.

use std::collections::{HashMap, HashSet};

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use tome_model::tag::normalize_tag_name;
use tome_model::visibility::{self, Reader, Surface};
use tome_model::{Category, Rating, TagKind, Warning, WorkDraft};

use crate::sql::{count, flag, int, kind, placeholders};
use crate::tags::find_or_create_tag;
use crate::users::{ORPHAN_ACCOUNT, find_or_create_creator};
use crate::{
    Audience, ChapterFull, ChapterMeta, PseudRef, Result, Store, StoreError, TagRef, WorkBlurb,
    WorkListFilter, WorkPage, WorkView, now,
};

/// Longest title accepted, as on AO3.
pub const MAX_TITLE_LEN: usize = tome_model::limits::TITLE;

/// Columns a blurb is read from (prefix `w.`).
pub(crate) const BLURB_COLUMNS: &str = "w.id, w.title, w.summary_html, w.language, w.rating, w.complete, \
    w.expected_chapters, w.chapter_count, w.word_count, w.published_at, w.updated_at, \
    w.restricted, w.anonymous, w.draft, w.hidden, w.hits, w.kudos_count, w.comments_count, \
    w.bookmarks_count";

/// The ids of a tag, its synonyms, its subtags of the same kind (transitively) and their
/// synonyms, as a CTE named `tagset`; the tag id is `$1`. Fandom parents of other kinds are
/// not followed: a fandom's listing is the works tagged with the fandom, as on AO3.
const TAGSET_CTE: &str = "WITH RECURSIVE fam(id) AS ( \
        SELECT CAST($1 AS BIGINT) \
        UNION SELECT tp.child_id FROM tag_parents tp \
            JOIN fam ON tp.parent_id = fam.id \
            JOIN tags c ON c.id = tp.child_id \
            JOIN tags p ON p.id = tp.parent_id \
            WHERE c.kind = p.kind \
    ), tagset(id) AS ( \
        SELECT id FROM fam UNION SELECT t.id FROM tags t JOIN fam ON t.merger_id = fam.id \
    ) ";

impl Store {
    /// Stores a new work in one transaction and returns its id. Creators are found or
    /// created by name (no names: `orphan_account`); tags are found by name whatever their
    /// kind, or created unwrangled with the kind given. On any error nothing is written.
    pub async fn create_work(&self, draft: &WorkDraft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let work_id = insert_work(&mut tx, draft).await?;
        tx.commit().await?;
        Ok(work_id)
    }

    /// Deletes a work with its chapters, tags, creatorships and kudos, and tells search.
    pub async fn delete_work(&self, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        // Its series close the gap it leaves (later parts move up one).
        crate::posting::leave_other_series(&mut tx, id, None).await?;
        let done = sqlx::query("DELETE FROM works WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {id}")));
        }
        crate::outbox::push(&mut tx, id, crate::outbox::DELETE).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A work page: blurb, notes, version and chapter index. Drafts and hidden works are
    /// returned too (the caller decides who may see them).
    pub async fn work(&self, id: i64) -> Result<Option<WorkView>> {
        let sql = format!(
            "SELECT {BLURB_COLUMNS}, w.notes_begin_html, w.notes_end_html, w.version \
             FROM works w WHERE w.id = $1"
        );
        let Some(row) = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let mut blurbs = self.blurbs(std::slice::from_ref(&row)).await?;
        let Some(blurb) = blurbs.pop() else {
            return Ok(None);
        };
        let chapters = sqlx::query(
            "SELECT id, position, title, word_count, published_at FROM chapters \
             WHERE work_id = $1 AND draft = 0 ORDER BY position",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(chapter_meta)
        .collect::<Result<Vec<_>>>()?;
        Ok(Some(WorkView {
            blurb,
            notes_begin_html: row.try_get("notes_begin_html")?,
            notes_end_html: row.try_get("notes_end_html")?,
            version: row.try_get("version")?,
            chapters,
        }))
    }

    /// One chapter of a work (`None` if the chapter is not in that work).
    pub async fn chapter(&self, work_id: i64, chapter_id: i64) -> Result<Option<ChapterFull>> {
        let row = sqlx::query(
            "SELECT id, position, title, word_count, published_at, summary_html, \
                notes_begin_html, notes_end_html, body_html \
             FROM chapters WHERE work_id = $1 AND id = $2 AND draft = 0",
        )
        .bind(work_id)
        .bind(chapter_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(chapter_full).transpose()
    }

    /// All chapters of a work, in order (for "entire work" and downloads).
    pub async fn chapters_full(&self, work_id: i64) -> Result<Vec<ChapterFull>> {
        sqlx::query(
            "SELECT id, position, title, word_count, published_at, summary_html, \
                notes_begin_html, notes_end_html, body_html \
             FROM chapters WHERE work_id = $1 AND draft = 0 ORDER BY position",
        )
        .bind(work_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(chapter_full)
        .collect()
    }

    /// The work's version: one indexed lookup, for page-cache validation.
    pub async fn work_version(&self, id: i64) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT version FROM works WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// The versions of these works (missing ids absent): one indexed read for a page of
    /// kept blurbs.
    pub async fn work_versions(&self, ids: &[i64]) -> Result<HashMap<i64, i64>> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(crate::sql::CHUNK) {
            let sql = format!(
                "SELECT id, version FROM works WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.pool()).await? {
                out.insert(r.try_get("id")?, r.try_get("version")?);
            }
        }
        Ok(out)
    }

    /// Whether member `user_id` sees anything on `surface` that a member who neither
    /// created it nor moderates does not ([`visibility::sql_sees_beyond_members`]): then
    /// a page on that surface is theirs alone, else the members' shared copy is theirs
    /// too. Only their own works can be beyond: on listings and bylines moderating
    /// admits nothing more (the model's tests hold it to that). One indexed query.
    pub async fn sees_beyond_members(&self, user_id: i64, surface: Surface) -> Result<bool> {
        let reader = Reader::member(user_id, false);
        let beyond = visibility::sql_sees_beyond_members(&reader, surface, "w");
        let sql = format!(
            "SELECT COUNT(*) FROM works w WHERE w.id IN (SELECT c.work_id FROM creatorships c \
             JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = $1) AND {beyond}"
        );
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }

    /// A page (1-based) of listed works for an audience, most recently updated first
    /// ([`Store::list_works_for`] with a reader standing for the whole audience: a user's
    /// or pseud's pages then never list anonymous works).
    pub async fn list_works(
        &self,
        filter: &WorkListFilter,
        audience: Audience,
        page: u32,
        per_page: u32,
    ) -> Result<WorkPage> {
        self.list_works_for(
            filter,
            &visibility::audience_reader(audience),
            page,
            per_page,
        )
        .await
    }

    /// A page (1-based) of the works `reader` sees in a listing, most recently updated
    /// first. All works and a tag's are a [`Surface::Listing`]; a user's or pseud's a
    /// [`Surface::Byline`] (anonymous works only for their creators). The total counts
    /// under the same predicate as the page.
    pub async fn list_works_for(
        &self,
        filter: &WorkListFilter,
        reader: &Reader,
        page: u32,
        per_page: u32,
    ) -> Result<WorkPage> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, 1000);
        let (cte, cond, arg) = match *filter {
            WorkListFilter::All => ("", String::new(), None),
            WorkListFilter::Tag(tag) => (
                TAGSET_CTE,
                " AND w.id IN (SELECT wt.work_id FROM work_tags wt \
                    WHERE wt.tag_id IN (SELECT id FROM tagset))"
                    .to_string(),
                Some(tag),
            ),
            WorkListFilter::Pseud(p) => (
                "",
                " AND w.id IN (SELECT work_id FROM creatorships WHERE pseud_id = $1)".to_string(),
                Some(p),
            ),
            WorkListFilter::User(u) => (
                "",
                " AND w.id IN (SELECT c.work_id FROM creatorships c \
                    JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = $1)"
                    .to_string(),
                Some(u),
            ),
        };
        // Who is asking decides what is listed, in SQL, so totals and pages agree.
        let surface = match filter {
            WorkListFilter::All | WorkListFilter::Tag(_) => Surface::Listing,
            WorkListFilter::Pseud(_) | WorkListFilter::User(_) => Surface::Byline,
        };
        let listed = visibility::sql_predicate(reader, surface, "w");
        let next = if arg.is_some() { 2 } else { 1 };
        let count_sql = format!("{cte}SELECT COUNT(*) FROM works w WHERE {listed}{cond}");
        let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql));
        if let Some(a) = arg {
            q = q.bind(a);
        }
        let total = count(q.fetch_one(self.pool()).await?);

        let page_sql = format!(
            "{cte}SELECT {BLURB_COLUMNS} FROM works w WHERE {listed}{cond} \
             ORDER BY w.updated_at DESC, w.id DESC LIMIT ${next} OFFSET ${}",
            next + 1
        );
        let mut q = sqlx::query(AssertSqlSafe(page_sql));
        if let Some(a) = arg {
            q = q.bind(a);
        }
        let offset = (u64::from(page) - 1) * u64::from(per_page);
        let rows = q
            .bind(i64::from(per_page))
            .bind(offset as i64)
            .fetch_all(self.pool())
            .await?;
        let items = self.blurbs(&rows).await?;
        Ok(WorkPage {
            total,
            page,
            per_page,
            items,
        })
    }

    /// Number of works listed for members (all the search index holds).
    pub async fn work_count(&self) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM works w WHERE {}",
            visibility::listing_sql(Audience::Member, "w")
        );
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_one(self.pool())
            .await?;
        Ok(count(n))
    }

    /// Adds hits counted in memory by the web layer, in one transaction. Hits change
    /// neither `version` nor `updated_at`: a hit must not invalidate page caches.
    pub async fn add_hits(&self, hits: &[(i64, u64)]) -> Result<()> {
        if hits.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (work_id, n) in hits {
            if *n == 0 {
                continue;
            }
            sqlx::query("UPDATE works SET hits = hits + $1 WHERE id = $2")
                .bind(i64::try_from(*n).unwrap_or(i64::MAX))
                .bind(*work_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Leaves kudos from a user or a guest (by key). `false` if they already left kudos on
    /// this work. Bumps `kudos_count` and `version` (the page shows the count) and tells
    /// search (kudos is a sort key); `updated_at` is unchanged.
    pub async fn add_kudos(
        &self,
        work_id: i64,
        user_id: Option<i64>,
        guest_key: Option<&str>,
    ) -> Result<bool> {
        let guest_key = if user_id.is_some() { None } else { guest_key };
        if user_id.is_none() && guest_key.is_none_or(str::is_empty) {
            return Err(StoreError::Invalid(
                "Kudos need a user or a guest key.".into(),
            ));
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
        let done = sqlx::query(
            "INSERT INTO kudos (work_id, user_id, guest_key, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(work_id)
        .bind(user_id)
        .bind(guest_key)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "UPDATE works SET kudos_count = kudos_count + 1, version = version + 1 WHERE id = $1",
        )
        .bind(work_id)
        .execute(&mut *tx)
        .await?;
        crate::outbox::push(&mut tx, work_id, crate::outbox::UPSERT).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Builds blurbs for rows selected with [`BLURB_COLUMNS`], keeping the rows' order:
    /// one query for all their tags and one for all their creators.
    pub(crate) async fn blurbs(&self, rows: &[AnyRow]) -> Result<Vec<WorkBlurb>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut blurbs = rows.iter().map(blurb_base).collect::<Result<Vec<_>>>()?;
        let ids: Vec<i64> = blurbs.iter().map(|b| b.id).collect();
        let mut index: HashMap<i64, usize> = HashMap::new();
        for (i, b) in blurbs.iter().enumerate() {
            index.insert(b.id, i);
        }
        for chunk in ids.chunks(crate::sql::CHUNK) {
            let list = placeholders(1, chunk.len());
            let sql = format!(
                "SELECT wt.work_id, t.id, t.kind, t.name FROM work_tags wt \
                 JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id IN ({list}) \
                 ORDER BY wt.work_id, wt.position"
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.pool()).await? {
                let work_id: i64 = r.try_get("work_id")?;
                let Some(b) = index.get(&work_id).and_then(|i| blurbs.get_mut(*i)) else {
                    continue;
                };
                let tag = TagRef {
                    id: r.try_get("id")?,
                    kind: kind(&r.try_get::<String, _>("kind")?)?,
                    name: r.try_get("name")?,
                };
                match tag.kind {
                    TagKind::Rating => {}
                    TagKind::Warning => b.warnings.extend(Warning::parse(&tag.name)),
                    TagKind::Category => b.categories.extend(Category::parse(&tag.name)),
                    TagKind::Fandom => b.fandoms.push(tag),
                    TagKind::Relationship => b.relationships.push(tag),
                    TagKind::Character => b.characters.push(tag),
                    TagKind::Freeform => b.freeforms.push(tag),
                }
            }
            let sql = format!(
                "SELECT c.work_id, p.id, p.user_id, u.login, p.name FROM creatorships c \
                 JOIN pseuds p ON p.id = c.pseud_id JOIN users u ON u.id = p.user_id \
                 WHERE c.work_id IN ({list}) ORDER BY c.work_id, c.position"
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.pool()).await? {
                let work_id: i64 = r.try_get("work_id")?;
                let Some(b) = index.get(&work_id).and_then(|i| blurbs.get_mut(*i)) else {
                    continue;
                };
                b.creators.push(PseudRef {
                    id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    login: r.try_get("login")?,
                    name: r.try_get("name")?,
                });
            }
        }
        Ok(blurbs)
    }
}

/// The works row part of a blurb; tags and creators are filled in by [`Store::blurbs`].
fn blurb_base(r: &AnyRow) -> Result<WorkBlurb> {
    let rating: String = r.try_get("rating")?;
    Ok(WorkBlurb {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        summary_html: r.try_get("summary_html")?,
        language: r.try_get("language")?,
        rating: Rating::parse(&rating).unwrap_or(Rating::NotRated),
        warnings: Vec::new(),
        categories: Vec::new(),
        fandoms: Vec::new(),
        relationships: Vec::new(),
        characters: Vec::new(),
        freeforms: Vec::new(),
        creators: Vec::new(),
        anonymous: flag(r.try_get("anonymous")?),
        restricted: flag(r.try_get("restricted")?),
        draft: flag(r.try_get("draft")?),
        hidden: flag(r.try_get("hidden")?),
        complete: flag(r.try_get("complete")?),
        chapter_count: u32::try_from(r.try_get::<i64, _>("chapter_count")?).unwrap_or(0),
        expected_chapters: r
            .try_get::<Option<i64>, _>("expected_chapters")?
            .and_then(|e| u32::try_from(e).ok()),
        word_count: count(r.try_get("word_count")?),
        published_at: r.try_get("published_at")?,
        updated_at: r.try_get("updated_at")?,
        hits: count(r.try_get("hits")?),
        kudos: count(r.try_get("kudos_count")?),
        comments: count(r.try_get("comments_count")?),
        bookmarks: count(r.try_get("bookmarks_count")?),
    })
}

fn chapter_meta(r: &AnyRow) -> Result<ChapterMeta> {
    Ok(ChapterMeta {
        id: r.try_get("id")?,
        position: u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0),
        title: r.try_get("title")?,
        word_count: count(r.try_get("word_count")?),
        published_at: r.try_get("published_at")?,
    })
}

fn chapter_full(r: &AnyRow) -> Result<ChapterFull> {
    Ok(ChapterFull {
        meta: chapter_meta(r)?,
        summary_html: r.try_get("summary_html")?,
        notes_begin_html: r.try_get("notes_begin_html")?,
        notes_end_html: r.try_get("notes_end_html")?,
        body_html: r.try_get("body_html")?,
    })
}

/// Writes a new work in the caller's transaction (see [`Store::create_work`]), so
/// other rows can join the same transaction (an import's source, `import_sources`).
pub(crate) async fn insert_work(conn: &mut sqlx::AnyConnection, draft: &WorkDraft) -> Result<i64> {
    let title = draft.title.trim();
    if title.is_empty() {
        return Err(StoreError::Invalid("A work needs a title.".into()));
    }
    if title.chars().count() > MAX_TITLE_LEN {
        return Err(StoreError::Invalid(format!(
            "The title is too long (at most {MAX_TITLE_LEN} characters)."
        )));
    }
    if draft.chapters.is_empty() {
        return Err(StoreError::Invalid(
            "A work needs at least one chapter.".into(),
        ));
    }
    // Every tag the work carries, in display order: rating, warnings, categories, free tags.
    let rating = draft.rating.unwrap_or(Rating::NotRated);
    let mut tags: Vec<(TagKind, String)> = vec![(TagKind::Rating, rating.name().to_string())];
    if draft.warnings.is_empty() {
        tags.push((TagKind::Warning, Warning::ChoseNotToUse.name().to_string()));
    }
    tags.extend(
        draft
            .warnings
            .iter()
            .map(|w| (TagKind::Warning, w.name().to_string())),
    );
    tags.extend(
        draft
            .categories
            .iter()
            .map(|c| (TagKind::Category, c.name().to_string())),
    );
    tome_model::limits::check_work_tags(draft.tags.iter().map(|(k, n)| (*k, n.as_str())))
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    for (k, name) in &draft.tags {
        let tidy = normalize_tag_name(name).ok_or_else(|| {
            StoreError::Invalid(format!(
                "The tag \"{name}\" is empty, too long or contains a comma."
            ))
        })?;
        tags.push((*k, tidy));
    }

    let n = draft.chapters.len();
    let n32 = u32::try_from(n).map_err(|_| StoreError::Invalid("Too many chapters.".into()))?;
    let complete = draft
        .complete
        .unwrap_or_else(|| draft.expected_chapters.is_none_or(|e| e <= n32));
    let expected = if complete {
        Some(n32)
    } else {
        draft.expected_chapters.filter(|e| *e > n32)
    };
    let words: u64 = draft.chapters.iter().map(|c| c.word_count).sum();
    let t = now();
    let published = draft.published_at.unwrap_or(t);
    let language = if draft.language.trim().is_empty() {
        "en"
    } else {
        draft.language.trim()
    };

    let work_id: i64 = sqlx::query_scalar(
        "INSERT INTO works (title, summary_html, notes_begin_html, notes_end_html, language, \
            rating, complete, expected_chapters, chapter_count, word_count, published_at, \
            updated_at, revised_at, version, restricted, anonymous) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, 1, $13, $14) RETURNING id",
    )
    .bind(title)
    .bind(draft.summary_html.as_deref())
    .bind(draft.notes_begin_html.as_deref())
    .bind(draft.notes_end_html.as_deref())
    .bind(language)
    .bind(rating.as_str())
    .bind(int(complete))
    .bind(expected.map(i64::from))
    .bind(n as i64)
    .bind(words as i64)
    .bind(published)
    .bind(t)
    .bind(int(draft.restricted))
    .bind(int(draft.anonymous))
    .fetch_one(&mut *conn)
    .await?;

    let mut authors: Vec<&str> = Vec::new();
    for a in &draft.authors {
        let a = a.trim();
        if !a.is_empty() && !authors.iter().any(|b| b.to_lowercase() == a.to_lowercase()) {
            authors.push(a);
        }
    }
    if authors.is_empty() {
        authors.push(ORPHAN_ACCOUNT);
    }
    let mut seen_pseuds = HashSet::new();
    for name in authors {
        let pseud_id = find_or_create_creator(conn, name).await?;
        if seen_pseuds.insert(pseud_id) {
            sqlx::query(
                "INSERT INTO creatorships (work_id, pseud_id, position) VALUES ($1, $2, $3)",
            )
            .bind(work_id)
            .bind(pseud_id)
            .bind(seen_pseuds.len() as i64)
            .execute(&mut *conn)
            .await?;
        }
    }

    for (i, ch) in draft.chapters.iter().enumerate() {
        sqlx::query(
            "INSERT INTO chapters (work_id, position, title, summary_html, notes_begin_html, \
                notes_end_html, body_html, word_count, published_at, draft) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)",
        )
        .bind(work_id)
        .bind(i as i64 + 1)
        .bind(ch.title.as_deref())
        .bind(ch.summary_html.as_deref())
        .bind(ch.notes_begin_html.as_deref())
        .bind(ch.notes_end_html.as_deref())
        .bind(ch.body_html.as_str())
        .bind(ch.word_count as i64)
        .bind(published)
        .execute(&mut *conn)
        .await?;
    }

    // New tags in name order (see posting: no deadlock between two imports).
    let mut tag_ids: HashMap<String, i64> = HashMap::new();
    let mut by_name: Vec<&(TagKind, String)> = tags.iter().collect();
    by_name.sort_by_key(|(_, n)| crate::sql::lower(n));
    for (k, name) in by_name {
        if !tag_ids.contains_key(name) {
            let (tag_id, _) = find_or_create_tag(conn, *k, name, false).await?;
            tag_ids.insert(name.clone(), tag_id);
        }
    }
    let mut seen_tags = HashSet::new();
    for (_, name) in &tags {
        let Some(&tag_id) = tag_ids.get(name) else {
            continue;
        };
        if seen_tags.insert(tag_id) {
            sqlx::query("INSERT INTO work_tags (work_id, tag_id, position) VALUES ($1, $2, $3)")
                .bind(work_id)
                .bind(tag_id)
                .bind(seen_tags.len() as i64)
                .execute(&mut *conn)
                .await?;
        }
    }

    crate::outbox::push(conn, work_id, crate::outbox::UPSERT).await?;
    Ok(work_id)
}
