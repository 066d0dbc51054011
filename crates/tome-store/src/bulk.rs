//! Bulk loading for generated corpora and migrations: many works per transaction with
//! multi-row INSERTs, ids assigned in memory, tags and creators looked up in maps.
//!
//! `create_work` costs a dozen statements per work; at a million works that is hours.
//! Here a batch of thousands of works is a handful of statements per table. The same
//! rows are written as `create_work` would (outbox included), so everything downstream
//! (listings, the indexer) sees no difference. Only one loader may write at a time.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use sqlx::{AssertSqlSafe, Row};
use tome_model::{Rating, TagKind, Warning, WorkDraft};

use crate::sql::{int, lower};
use crate::{Result, Store, StoreError, now};

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
    tags: HashMap<String, i64>,
    pseuds: HashMap<String, i64>,
    next_work: i64,
}

/// A value bound into a multi-row INSERT.
enum V<'a> {
    I(i64),
    N(Option<i64>),
    S(&'a str),
    O(Option<&'a str>),
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
        let mut pseuds = HashMap::new();
        for r in sqlx::query(
            "SELECT p.id, p.name_lower FROM pseuds p WHERE p.is_default = 1 ORDER BY p.id DESC",
        )
        .fetch_all(self.pool())
        .await?
        {
            pseuds.insert(r.try_get("name_lower")?, r.try_get("id")?);
        }
        let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM works")
            .fetch_one(self.pool())
            .await?;
        Ok(BulkLoader {
            store: self.clone(),
            tags,
            pseuds,
            next_work: max.unwrap_or(0) + 1,
        })
    }
}

impl BulkLoader {
    /// Writes `works` in one transaction; returns their ids.
    pub async fn load(&mut self, works: &[BulkWork]) -> Result<Vec<i64>> {
        let mut tx = self.store.begin_write().await?;
        let t = now();
        // Tags and creators not seen before, one statement each (rare after the first batches).
        for w in works {
            for (kind, name) in tag_list(&w.draft) {
                let key = lower(&name);
                if let Entry::Vacant(slot) = self.tags.entry(key.clone()) {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO tags (kind, name, name_lower, canonical, created_at) \
                         VALUES ($1, $2, $3, 0, $4) RETURNING id",
                    )
                    .bind(kind.as_str())
                    .bind(&name)
                    .bind(&key)
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await?;
                    slot.insert(id);
                }
            }
            for a in &w.draft.authors {
                let key = lower(a);
                if let Entry::Vacant(slot) = self.pseuds.entry(key.clone()) {
                    let user: i64 = sqlx::query_scalar(
                        "INSERT INTO users (login, login_lower, roles, created_at) \
                         VALUES ($1, $2, '', $3) RETURNING id",
                    )
                    .bind(a)
                    .bind(&key)
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await?;
                    let pseud: i64 = sqlx::query_scalar(
                        "INSERT INTO pseuds (user_id, name, name_lower, is_default, created_at) \
                         VALUES ($1, $2, $3, 1, $4) RETURNING id",
                    )
                    .bind(user)
                    .bind(a)
                    .bind(&key)
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await?;
                    slot.insert(pseud);
                }
            }
        }

        let ids: Vec<i64> = (0..works.len() as i64)
            .map(|i| self.next_work + i)
            .collect();
        let mut work_rows = Vec::with_capacity(works.len());
        let mut chapter_rows = Vec::new();
        let mut tag_rows = Vec::new();
        let mut creator_rows = Vec::new();
        let mut outbox_rows = Vec::with_capacity(works.len());
        for (w, id) in works.iter().zip(&ids) {
            let d = &w.draft;
            if d.chapters.is_empty() {
                return Err(StoreError::Invalid(format!(
                    "work \"{}\" has no chapters",
                    d.title
                )));
            }
            let n = d.chapters.len() as i64;
            let complete = d.complete.unwrap_or(true);
            let expected = if complete {
                Some(n)
            } else {
                d.expected_chapters.map(i64::from).filter(|e| *e > n)
            };
            let words: u64 = d.chapters.iter().map(|c| c.word_count).sum();
            let published = d.published_at.unwrap_or(t);
            let c = |v: u64| V::I(i64::try_from(v).unwrap_or(i64::MAX));
            work_rows.push(vec![
                V::I(*id),
                V::S(d.title.as_str()),
                V::O(d.summary_html.as_deref()),
                V::O(d.notes_begin_html.as_deref()),
                V::O(d.notes_end_html.as_deref()),
                V::S(if d.language.is_empty() {
                    "en"
                } else {
                    d.language.as_str()
                }),
                V::S(d.rating.unwrap_or(Rating::NotRated).as_str()),
                V::I(int(complete)),
                V::N(expected),
                V::I(n),
                c(words),
                V::I(published),
                V::I(w.updated_at.max(published)),
                V::I(w.updated_at.max(published)),
                V::I(int(d.restricted)),
                V::I(int(d.anonymous)),
                c(w.hits),
                c(w.kudos),
                c(w.comments),
                c(w.bookmarks),
            ]);
            for (i, ch) in d.chapters.iter().enumerate() {
                chapter_rows.push(vec![
                    V::I(*id),
                    V::I(i as i64 + 1),
                    V::O(ch.title.as_deref()),
                    V::S(ch.body_html.as_str()),
                    c(ch.word_count),
                    V::I(published),
                ]);
            }
            let mut seen = Vec::new();
            for (_, name) in tag_list(d) {
                if let Some(tag) = self.tags.get(&lower(&name)).copied()
                    && !seen.contains(&tag)
                {
                    seen.push(tag);
                    tag_rows.push(vec![V::I(*id), V::I(tag), V::I(seen.len() as i64)]);
                }
            }
            let mut seen = Vec::new();
            for a in &d.authors {
                if let Some(p) = self.pseuds.get(&lower(a)).copied()
                    && !seen.contains(&p)
                {
                    seen.push(p);
                    creator_rows.push(vec![V::I(*id), V::I(p), V::I(seen.len() as i64)]);
                }
            }
            outbox_rows.push(vec![V::I(*id), V::S(crate::outbox::UPSERT), V::I(t)]);
        }
        insert(
            &mut tx,
            "works (id, title, summary_html, notes_begin_html, notes_end_html, language, rating, \
             complete, expected_chapters, chapter_count, word_count, published_at, updated_at, \
             revised_at, restricted, anonymous, hits, kudos_count, comments_count, bookmarks_count)",
            &work_rows,
        )
        .await?;
        insert(
            &mut tx,
            "chapters (work_id, position, title, body_html, word_count, published_at)",
            &chapter_rows,
        )
        .await?;
        insert(&mut tx, "work_tags (work_id, tag_id, position)", &tag_rows).await?;
        insert(
            &mut tx,
            "creatorships (work_id, pseud_id, position)",
            &creator_rows,
        )
        .await?;
        insert(&mut tx, "outbox (work_id, op, created_at)", &outbox_rows).await?;
        if let (crate::Backend::Postgres, Some(last)) = (self.store.backend(), ids.last()) {
            // Ids were given explicitly: move the sequence past them.
            sqlx::query("SELECT setval(pg_get_serial_sequence('works', 'id'), $1)")
                .bind(*last)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.next_work += works.len() as i64;
        Ok(ids)
    }
}

/// The tags `create_work` would attach: rating, warnings (or "chose not to"), categories, free tags.
fn tag_list(d: &WorkDraft) -> Vec<(TagKind, String)> {
    let mut out = vec![(
        TagKind::Rating,
        d.rating.unwrap_or(Rating::NotRated).name().to_string(),
    )];
    if d.warnings.is_empty() {
        out.push((TagKind::Warning, Warning::ChoseNotToUse.name().to_string()));
    }
    out.extend(
        d.warnings
            .iter()
            .map(|w| (TagKind::Warning, w.name().to_string())),
    );
    out.extend(
        d.categories
            .iter()
            .map(|c| (TagKind::Category, c.name().to_string())),
    );
    out.extend(d.tags.iter().cloned());
    out
}

/// `INSERT INTO {table} VALUES (…), (…)` with the values written as SQL literals, in
/// statements of at most a few MB. Literals rather than bound parameters: binding tens of
/// thousands of `$N` parameters through sqlx's `Any` driver costs seconds per statement,
/// while SQLite and PostgreSQL parse literal rows at memory speed. Integers are printed;
/// strings are quoted with `'` doubled (standard SQL, PostgreSQL's
/// `standard_conforming_strings`) and NUL characters dropped (neither backend stores them).
async fn insert(conn: &mut sqlx::AnyConnection, table: &str, rows: &[Vec<V<'_>>]) -> Result<()> {
    const MAX_SQL: usize = 4_000_000;
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
