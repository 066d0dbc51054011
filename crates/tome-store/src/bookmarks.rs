//! Bookmarks: a reader's note on a work, with their own tags, public or private.
//! `works.bookmarks_count` counts public bookmarks and is kept in the same transaction.

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use tome_model::visibility::{self, Reader};

use crate::sql::{count, flag, int};
use crate::works::BLURB_COLUMNS;
use crate::{Result, Store, StoreError, WorkBlurb, now};

/// A stored bookmark.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Bookmark {
    pub id: i64,
    pub user_id: i64,
    pub login: String,
    pub pseud_name: Option<String>,
    pub work_id: i64,
    pub notes_html: Option<String>,
    /// The reader's own tags.
    pub tags: Vec<String>,
    pub private: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A bookmark with the work it points at.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BookmarkedWork {
    pub bookmark: Bookmark,
    pub work: WorkBlurb,
}

/// What a bookmark form gives. Notes are sanitized HTML.
#[derive(Debug, Clone, Default)]
pub struct BookmarkInput {
    pub pseud_id: Option<i64>,
    pub notes_html: Option<String>,
    pub tags: Vec<String>,
    pub private: bool,
}

const COLUMNS: &str = "b.id AS bookmark_id, b.user_id, u.login, p.name AS pseud_name, b.work_id, \
    b.notes_html, b.tags, b.private, b.created_at AS bookmark_created_at, \
    b.updated_at AS bookmark_updated_at";
const FROM: &str = "FROM bookmarks b JOIN users u ON u.id = b.user_id \
    LEFT JOIN pseuds p ON p.id = b.pseud_id";

fn bookmark(r: &AnyRow) -> Result<Bookmark> {
    let tags: String = r.try_get("tags")?;
    Ok(Bookmark {
        id: r.try_get("bookmark_id")?,
        user_id: r.try_get("user_id")?,
        login: r.try_get("login")?,
        pseud_name: r.try_get("pseud_name")?,
        work_id: r.try_get("work_id")?,
        notes_html: r.try_get("notes_html")?,
        tags: split_tags(&tags),
        private: flag(r.try_get("private")?),
        created_at: r.try_get("bookmark_created_at")?,
        updated_at: r.try_get("bookmark_updated_at")?,
    })
}

pub(crate) fn split_tags(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Tidies a reader's tags: trimmed, no empties, no duplicates (case-insensitive), at
/// most 100 characters each.
pub fn tidy_tags(tags: &[String]) -> Result<Vec<String>> {
    use tome_model::limits;
    let mut out: Vec<String> = Vec::new();
    // Lower-cased names seen: one set lookup per tag, never a scan of the list.
    let mut seen = std::collections::HashSet::new();
    for t in tags.iter().flat_map(|t| t.split(',')) {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > limits::TAG_NAME {
            return Err(StoreError::Invalid(format!(
                "A bookmark tag may be at most {} characters long.",
                limits::TAG_NAME
            )));
        }
        if seen.insert(t.to_lowercase()) {
            out.push(t);
        }
        if out.len() > limits::BOOKMARK_TAGS {
            return Err(StoreError::Invalid(format!(
                "A bookmark may have at most {} tags.",
                limits::BOOKMARK_TAGS
            )));
        }
    }
    Ok(out)
}

impl Store {
    /// Creates or updates the user's bookmark of a work; returns its id.
    pub async fn save_bookmark(
        &self,
        user_id: i64,
        work_id: i64,
        input: &BookmarkInput,
    ) -> Result<i64> {
        let tags = tidy_tags(&input.tags)?.join(", ");
        if input
            .notes_html
            .as_deref()
            .is_some_and(|n| n.chars().count() > tome_model::limits::BOOKMARK_NOTES)
        {
            return Err(StoreError::Invalid(format!(
                "Bookmark notes must be at most {} characters long.",
                tome_model::limits::BOOKMARK_NOTES
            )));
        }
        let notes = input
            .notes_html
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM works WHERE id = $1")
            .bind(work_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("work {work_id}")));
        }
        // Locked: two saves at once must not both count a change of `private`.
        let old = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, private FROM bookmarks WHERE user_id = $1 AND work_id = $2{}",
            self.for_update()
        )))
        .bind(user_id)
        .bind(work_id)
        .fetch_optional(&mut *tx)
        .await?;
        let t = now();
        let (id, delta) = match old {
            Some(row) => {
                let id: i64 = row.try_get("id")?;
                let was_private = flag(row.try_get("private")?);
                sqlx::query(
                    "UPDATE bookmarks SET pseud_id = $1, notes_html = $2, tags = $3, private = $4, \
                        updated_at = $5 WHERE id = $6",
                )
                .bind(input.pseud_id)
                .bind(notes)
                .bind(&tags)
                .bind(int(input.private))
                .bind(t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let delta = match (was_private, input.private) {
                    (true, false) => 1,
                    (false, true) => -1,
                    _ => 0,
                };
                (id, delta)
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO bookmarks (user_id, pseud_id, work_id, notes_html, tags, private, \
                        created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                )
                .bind(user_id)
                .bind(input.pseud_id)
                .bind(work_id)
                .bind(notes)
                .bind(&tags)
                .bind(int(input.private))
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
                (id, if input.private { 0 } else { 1 })
            }
        };
        if delta != 0 {
            sqlx::query(
                "UPDATE works SET bookmarks_count = bookmarks_count + $1, version = version + 1 \
                 WHERE id = $2",
            )
            .bind(delta)
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
            crate::outbox::push(&mut tx, work_id, crate::outbox::UPSERT).await?;
        }
        crate::member_changes::note(&mut tx, &[user_id]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One bookmark.
    pub async fn bookmark(&self, id: i64) -> Result<Option<Bookmark>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE b.id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(bookmark).transpose()
    }

    /// The user's bookmark of a work, if any.
    pub async fn bookmark_of(&self, user_id: i64, work_id: i64) -> Result<Option<Bookmark>> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE b.user_id = $1 AND b.work_id = $2");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(user_id)
            .bind(work_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(bookmark).transpose()
    }

    /// Deletes a bookmark.
    pub async fn delete_bookmark(&self, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        // Deleting and reading what was deleted in one statement: of two deletions at
        // once only one gets the row back and counts it off.
        let row =
            sqlx::query("DELETE FROM bookmarks WHERE id = $1 RETURNING work_id, private, user_id")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("bookmark {id}")));
        };
        let work_id: i64 = row.try_get("work_id")?;
        let owner: i64 = row.try_get("user_id")?;
        crate::member_changes::note(&mut tx, &[owner]).await?;
        if !flag(row.try_get("private")?) {
            sqlx::query(
                "UPDATE works SET bookmarks_count = bookmarks_count - 1, version = version + 1 \
                 WHERE id = $1",
            )
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
            crate::outbox::push(&mut tx, work_id, crate::outbox::UPSERT).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One page (1-based, `per_page` long) of the bookmarks of `user_id` that `reader`
    /// may see ([`visibility::bookmark_sql_predicate`]: private ones only to their owner,
    /// none of a work the reader may not open), newest first, and how many there are in
    /// all. Filtered in the query, so every page is full and the total is exact.
    pub async fn user_bookmarks(
        &self,
        user_id: i64,
        reader: &Reader,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<BookmarkedWork>, u64)> {
        let seen = visibility::bookmark_sql_predicate(reader, "b", "w");
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM bookmarks b JOIN works w ON w.id = b.work_id \
             WHERE b.user_id = $1 AND {seen}"
        )))
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
        let sql = format!(
            "SELECT {COLUMNS}, {BLURB_COLUMNS} {FROM} JOIN works w ON w.id = b.work_id \
             WHERE b.user_id = $1 AND {seen} ORDER BY b.updated_at DESC, b.id DESC \
             LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(user_id)
            .bind(i64::from(per_page))
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        let works = self.blurbs(&rows).await?;
        let items = rows
            .iter()
            .zip(works)
            .map(|(r, work)| {
                Ok(BookmarkedWork {
                    bookmark: bookmark(r)?,
                    work,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((items, count(total)))
    }

    /// One page (1-based, `per_page` long) of the bookmarks of work `work_id` that
    /// `reader` may see (the same [`visibility::bookmark_sql_predicate`]: private ones
    /// only to their owner, none at all of a work the reader may not open), newest first,
    /// and how many there are in all: AO3's `/works/ID/bookmarks`.
    pub async fn work_bookmarks(
        &self,
        work_id: i64,
        reader: &Reader,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<Bookmark>, u64)> {
        let seen = visibility::bookmark_sql_predicate(reader, "b", "w");
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM bookmarks b JOIN works w ON w.id = b.work_id \
             WHERE b.work_id = $1 AND {seen}"
        )))
        .bind(work_id)
        .fetch_one(self.pool())
        .await?;
        let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
        let sql = format!(
            "SELECT {COLUMNS} {FROM} JOIN works w ON w.id = b.work_id \
             WHERE b.work_id = $1 AND {seen} ORDER BY b.updated_at DESC, b.id DESC \
             LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(work_id)
            .bind(i64::from(per_page))
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        let items = rows.iter().map(bookmark).collect::<Result<Vec<_>>>()?;
        Ok((items, count(total)))
    }
}
