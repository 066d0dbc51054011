//! Bulk loading for generated corpora and migrations: many works per transaction with
//! multi-row INSERTs, ids assigned in memory, tags and creators looked up in maps.
//!
//! `create_work` costs a dozen statements per work; at a million works that is hours.
//! Here a batch of thousands of works is a handful of statements per table, new tags,
//! users and pseuds included. The same rows are written as `create_work` would (tag names
//! normalized and found whatever their kind, creators found by login then by pseud, the
//! outbox row that tells the search index), so everything downstream (listings, the
//! indexer) sees no difference.
//!
//! A batch is all or nothing: everything is checked before the transaction starts, any
//! error inside it rolls the transaction back explicitly, and the loader's maps and id
//! counters only take in a batch's new tags and creators once it has committed.
//!
//! Ids are given explicitly, counting up from the tables' largest ids when the loader is
//! made: only one loader may write at a time, and nothing else should create works, tags
//! or accounts meanwhile (a clash fails the batch, which then writes nothing).

use std::collections::HashMap;

use sqlx::{AssertSqlSafe, Row};
use tome_model::tag::normalize_tag_name;
use tome_model::{Rating, TagKind, Warning, WorkDraft};

use crate::sql::{int, lower};
use crate::users::ORPHAN_ACCOUNT;
use crate::works::MAX_TITLE_LEN;
use crate::{Backend, Result, Store, StoreError, now};

/// A work to load, with the counters and update time a live archive would have.
#[derive(Debug, Clone)]
pub struct BulkWork {
    pub draft: WorkDraft,
    pub updated_at: i64,
    pub hits: u64,
    pub kudos: u64,
    pub bookmarks: u64,
    pub comments: u64,
}

/// Loads works in batches; remembers tag and creator ids between batches.
pub struct BulkLoader {
    store: Store,
    /// `name_lower` -> tag id.
    tags: HashMap<String, i64>,
    /// Lower-cased creator name -> the pseud `create_work` would credit.
    pseuds: HashMap<String, i64>,
    next: NextIds,
}

/// The next free id of each table the loader numbers itself.
#[derive(Debug, Clone, Copy)]
struct NextIds {
    work: i64,
    tag: i64,
    user: i64,
    pseud: i64,
}

/// A value bound into a multi-row INSERT.
enum V<'a> {
    I(i64),
    N(Option<i64>),
    S(&'a str),
    O(Option<&'a str>),
    /// An owned string (lower-cased keys).
    T(String),
}

/// A work checked and tidied before anything is written.
struct Checked<'a> {
    work: &'a BulkWork,
    /// Every tag in display order, names normalized: rating, warnings, categories, the rest.
    tags: Vec<(TagKind, String)>,
    /// Creators, trimmed, without case-insensitive repeats; `orphan_account` when none.
    authors: Vec<&'a str>,
}

/// What a batch adds to the loader once it commits.
struct Fresh {
    tags: Vec<(String, i64)>,
    pseuds: Vec<(String, i64)>,
    next: NextIds,
}

async fn max_id(store: &Store, table: &str) -> Result<i64> {
    let max: Option<i64> =
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT MAX(id) FROM {table}")))
            .fetch_one(store.pool())
            .await?;
    Ok(max.unwrap_or(0))
}

impl Store {
    /// A loader over this store, primed with its existing tags and creators.
    pub async fn bulk_loader(&self) -> Result<BulkLoader> {
        let mut tags = HashMap::new();
        for r in sqlx::query("SELECT id, name_lower FROM tags")
            .fetch_all(self.pool())
            .await?
        {
            tags.insert(r.try_get("name_lower")?, r.try_get("id")?);
        }
        // As `find_or_create_creator` resolves a name: a login first (its pseud of the same
        // name, else its default, else its first), else the oldest pseud of that name.
        // Rows come worst first so the best one is inserted last and stays.
        let mut pseuds = HashMap::new();
        for r in sqlx::query("SELECT id, name_lower FROM pseuds ORDER BY id DESC")
            .fetch_all(self.pool())
            .await?
        {
            pseuds.insert(r.try_get("name_lower")?, r.try_get("id")?);
        }
        for r in sqlx::query(
            "SELECT u.login_lower, p.id FROM users u JOIN pseuds p ON p.user_id = u.id \
             ORDER BY u.id, CASE WHEN p.name_lower = u.login_lower THEN 1 ELSE 0 END, \
                p.is_default, p.id DESC",
        )
        .fetch_all(self.pool())
        .await?
        {
            pseuds.insert(r.try_get("login_lower")?, r.try_get("id")?);
        }
        Ok(BulkLoader {
            store: self.clone(),
            tags,
            pseuds,
            next: NextIds {
                work: max_id(self, "works").await? + 1,
                tag: max_id(self, "tags").await? + 1,
                user: max_id(self, "users").await? + 1,
                pseud: max_id(self, "pseuds").await? + 1,
            },
        })
    }
}

impl BulkLoader {
    /// Writes `works` in one transaction and returns their ids. On any error nothing of
    /// the batch is written and the loader is as it was.
    pub async fn load(&mut self, works: &[BulkWork]) -> Result<Vec<i64>> {
        let checked = works.iter().map(check).collect::<Result<Vec<_>>>()?;
        let mut tx = self.store.begin_write().await?;
        match self.write(&mut tx, &checked).await {
            Ok((ids, fresh)) => {
                tx.commit().await?;
                self.tags.extend(fresh.tags);
                self.pseuds.extend(fresh.pseuds);
                self.next = fresh.next;
                Ok(ids)
            }
            Err(e) => {
                tx.rollback().await?;
                Err(e)
            }
        }
    }

    /// Every statement of a batch, inside the caller's transaction.
    async fn write(
        &self,
        tx: &mut sqlx::AnyConnection,
        works: &[Checked<'_>],
    ) -> Result<(Vec<i64>, Fresh)> {
        let t = now();
        let mut next = self.next;
        let mut new_tags: HashMap<String, i64> = HashMap::new();
        let mut new_pseuds: HashMap<String, i64> = HashMap::new();
        let mut keep_tags = Vec::new();
        let mut keep_pseuds = Vec::new();
        let mut tag_rows = Vec::new();
        let mut user_rows = Vec::new();
        let mut pseud_rows = Vec::new();
        // Tags and creators not seen before get the next ids.
        for w in works {
            for (kind, name) in &w.tags {
                let key = lower(name);
                if !self.tags.contains_key(&key) && !new_tags.contains_key(&key) {
                    let id = next.tag;
                    next.tag += 1;
                    tag_rows.push(vec![
                        V::I(id),
                        V::S(kind.as_str()),
                        V::S(name.as_str()),
                        V::T(key.clone()),
                        V::I(0),
                        V::I(t),
                    ]);
                    keep_tags.push((key.clone(), id));
                    new_tags.insert(key, id);
                }
            }
            for a in &w.authors {
                let key = lower(a);
                if !self.pseuds.contains_key(&key) && !new_pseuds.contains_key(&key) {
                    let (user, pseud) = (next.user, next.pseud);
                    next.user += 1;
                    next.pseud += 1;
                    user_rows.push(vec![
                        V::I(user),
                        V::S(a),
                        V::T(key.clone()),
                        V::S(""),
                        V::I(t),
                    ]);
                    pseud_rows.push(vec![
                        V::I(pseud),
                        V::I(user),
                        V::S(a),
                        V::T(key.clone()),
                        V::I(1),
                        V::I(t),
                    ]);
                    keep_pseuds.push((key.clone(), pseud));
                    new_pseuds.insert(key, pseud);
                }
            }
        }
        let tag_id = |name: &str| {
            let key = lower(name);
            self.tags.get(&key).or_else(|| new_tags.get(&key)).copied()
        };
        let pseud_id = |name: &str| {
            let key = lower(name);
            self.pseuds
                .get(&key)
                .or_else(|| new_pseuds.get(&key))
                .copied()
        };

        let ids: Vec<i64> = (0..works.len() as i64).map(|i| next.work + i).collect();
        next.work += works.len() as i64;
        let mut work_rows = Vec::with_capacity(works.len());
        let mut chapter_rows = Vec::new();
        let mut work_tag_rows = Vec::new();
        let mut creator_rows = Vec::new();
        let mut outbox_rows = Vec::with_capacity(works.len());
        for (w, id) in works.iter().zip(&ids) {
            let (d, bw) = (&w.work.draft, w.work);
            let n = d.chapters.len() as i64;
            let complete = d
                .complete
                .unwrap_or_else(|| d.expected_chapters.is_none_or(|e| i64::from(e) <= n));
            let expected = if complete {
                Some(n)
            } else {
                d.expected_chapters.map(i64::from).filter(|e| *e > n)
            };
            let words: u64 = d.chapters.iter().map(|c| c.word_count).sum();
            let published = d.published_at.unwrap_or(t);
            let updated = bw.updated_at.max(published);
            let c = |v: u64| V::I(i64::try_from(v).unwrap_or(i64::MAX));
            let language = d.language.trim();
            work_rows.push(vec![
                V::I(*id),
                V::S(d.title.trim()),
                V::O(d.summary_html.as_deref()),
                V::O(d.notes_begin_html.as_deref()),
                V::O(d.notes_end_html.as_deref()),
                V::S(if language.is_empty() { "en" } else { language }),
                V::S(d.rating.unwrap_or(Rating::NotRated).as_str()),
                V::I(int(complete)),
                V::N(expected),
                V::I(n),
                c(words),
                V::I(published),
                V::I(updated),
                V::I(updated),
                V::I(int(d.restricted)),
                V::I(int(d.anonymous)),
                c(bw.hits),
                c(bw.kudos),
                c(bw.comments),
                c(bw.bookmarks),
            ]);
            for (i, ch) in d.chapters.iter().enumerate() {
                chapter_rows.push(vec![
                    V::I(*id),
                    V::I(i as i64 + 1),
                    V::O(ch.title.as_deref()),
                    V::O(ch.summary_html.as_deref()),
                    V::O(ch.notes_begin_html.as_deref()),
                    V::O(ch.notes_end_html.as_deref()),
                    V::S(ch.body_html.as_str()),
                    c(ch.word_count),
                    V::I(published),
                ]);
            }
            let mut seen = Vec::new();
            for (_, name) in &w.tags {
                if let Some(tag) = tag_id(name)
                    && !seen.contains(&tag)
                {
                    seen.push(tag);
                    work_tag_rows.push(vec![V::I(*id), V::I(tag), V::I(seen.len() as i64)]);
                }
            }
            let mut seen = Vec::new();
            for a in &w.authors {
                if let Some(p) = pseud_id(a)
                    && !seen.contains(&p)
                {
                    seen.push(p);
                    creator_rows.push(vec![V::I(*id), V::I(p), V::I(seen.len() as i64)]);
                }
            }
            outbox_rows.push(vec![V::I(*id), V::S(crate::outbox::UPSERT), V::I(t)]);
        }
        insert(
            tx,
            "tags (id, kind, name, name_lower, canonical, created_at)",
            &tag_rows,
        )
        .await?;
        insert(
            tx,
            "users (id, login, login_lower, roles, created_at)",
            &user_rows,
        )
        .await?;
        insert(
            tx,
            "pseuds (id, user_id, name, name_lower, is_default, created_at)",
            &pseud_rows,
        )
        .await?;
        insert(
            tx,
            "works (id, title, summary_html, notes_begin_html, notes_end_html, language, rating, \
             complete, expected_chapters, chapter_count, word_count, published_at, updated_at, \
             revised_at, restricted, anonymous, hits, kudos_count, comments_count, bookmarks_count)",
            &work_rows,
        )
        .await?;
        insert(
            tx,
            "chapters (work_id, position, title, summary_html, notes_begin_html, notes_end_html, \
             body_html, word_count, published_at)",
            &chapter_rows,
        )
        .await?;
        insert(tx, "work_tags (work_id, tag_id, position)", &work_tag_rows).await?;
        insert(
            tx,
            "creatorships (work_id, pseud_id, position)",
            &creator_rows,
        )
        .await?;
        insert(tx, "outbox (work_id, op, created_at)", &outbox_rows).await?;
        if self.store.backend() == Backend::Postgres {
            // Ids were given explicitly: move the sequences past them.
            for (table, last) in [
                ("works", next.work - 1),
                ("tags", next.tag - 1),
                ("users", next.user - 1),
                ("pseuds", next.pseud - 1),
            ] {
                if last > 0 {
                    sqlx::query(AssertSqlSafe(format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), $1)"
                    )))
                    .bind(last)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        Ok((
            ids,
            Fresh {
                tags: keep_tags,
                pseuds: keep_pseuds,
                next,
            },
        ))
    }
}

/// Checks a work as `create_work` would and lists its tags and creators.
fn check(w: &BulkWork) -> Result<Checked<'_>> {
    let d = &w.draft;
    let title = d.title.trim();
    if title.is_empty() {
        return Err(StoreError::Invalid("A work needs a title.".into()));
    }
    if title.chars().count() > MAX_TITLE_LEN {
        return Err(StoreError::Invalid(format!(
            "The title \"{title}\" is too long (at most {MAX_TITLE_LEN} characters)."
        )));
    }
    if d.chapters.is_empty() {
        return Err(StoreError::Invalid(format!(
            "Work \"{title}\" needs at least one chapter."
        )));
    }
    let mut tags = vec![(
        TagKind::Rating,
        d.rating.unwrap_or(Rating::NotRated).name().to_string(),
    )];
    if d.warnings.is_empty() {
        tags.push((TagKind::Warning, Warning::ChoseNotToUse.name().to_string()));
    }
    tags.extend(
        d.warnings
            .iter()
            .map(|w| (TagKind::Warning, w.name().to_string())),
    );
    tags.extend(
        d.categories
            .iter()
            .map(|c| (TagKind::Category, c.name().to_string())),
    );
    tome_model::limits::check_work_tags(d.tags.iter().map(|(k, n)| (*k, n.as_str())))
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    for (k, name) in &d.tags {
        let tidy = normalize_tag_name(name).ok_or_else(|| {
            StoreError::Invalid(format!(
                "The tag \"{name}\" is empty, too long or contains a comma."
            ))
        })?;
        tags.push((*k, tidy));
    }
    let mut authors: Vec<&str> = Vec::new();
    for a in &d.authors {
        let a = a.trim();
        if !a.is_empty() && !authors.iter().any(|b| lower(b) == lower(a)) {
            authors.push(a);
        }
    }
    if authors.is_empty() {
        authors.push(ORPHAN_ACCOUNT);
    }
    Ok(Checked {
        work: w,
        tags,
        authors,
    })
}

/// `INSERT INTO {table} VALUES (…), (…)` with the values written as SQL literals, in
/// statements of at most half a MB. Literals rather than bound parameters: binding tens of
/// thousands of `$N` parameters through sqlx's `Any` driver costs seconds per statement,
/// while SQLite and PostgreSQL parse literal rows at memory speed. Integers are printed;
/// strings are quoted with `'` doubled (standard SQL, PostgreSQL's
/// `standard_conforming_strings`) and NUL characters dropped (neither backend stores them).
async fn insert(conn: &mut sqlx::AnyConnection, table: &str, rows: &[Vec<V<'_>>]) -> Result<()> {
    // Small enough that a statement stays well under sqlx's 1 s slow-statement alert (which
    // would log the whole statement) even when the tables hold millions of rows.
    const MAX_SQL: usize = 500_000;
    let mut sql = String::new();
    let mut flush = async |sql: &mut String| -> Result<()> {
        if !sql.is_empty() {
            sqlx::raw_sql(AssertSqlSafe(std::mem::take(sql)))
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    };
    for row in rows {
        if sql.is_empty() {
            sql.push_str("INSERT INTO ");
            sql.push_str(table);
            sql.push_str(" VALUES ");
        } else {
            sql.push(',');
        }
        sql.push('(');
        for (j, v) in row.iter().enumerate() {
            if j > 0 {
                sql.push(',');
            }
            match v {
                V::I(x) | V::N(Some(x)) => sql.push_str(&x.to_string()),
                V::N(None) | V::O(None) => sql.push_str("NULL"),
                V::S(x) | V::O(Some(x)) => quote(&mut sql, x),
                V::T(x) => quote(&mut sql, x),
            }
        }
        sql.push(')');
        if sql.len() > MAX_SQL {
            flush(&mut sql).await?;
        }
    }
    flush(&mut sql).await
}

/// Appends `s` as a SQL string literal.
fn quote(sql: &mut String, s: &str) {
    sql.push('\'');
    for c in s.chars() {
        match c {
            '\'' => sql.push_str("\'\'"),
            '\0' => {}
            c => sql.push(c),
        }
    }
    sql.push('\'');
}

#[cfg(test)]
mod tests {
    #[test]
    fn literals_are_quoted() {
        let mut s = String::new();
        super::quote(&mut s, "it's\0 fine");
        assert_eq!(s, "'it''s fine'");
    }
}
