//! The wrangling log: one row per change, written inside the change's transaction, and
//! read back newest first for the wranglers' pages.

use std::collections::BTreeSet;

use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::sql::kind;
use crate::tags::queue_works;
use crate::{LogEntry, Result, Store, TagRef, now};

/// One change to record.
pub(crate) struct Entry<'a> {
    /// The wrangler.
    pub by: i64,
    pub tag_id: i64,
    /// Machine name (see [`LogEntry::action`]).
    pub action: &'a str,
    /// The other tag involved (the canonical tag, the parent), if any.
    pub other: Option<i64>,
    /// What an undo needs, and what it became.
    pub old: Option<String>,
    pub new: Option<String>,
    /// A sentence: "made Spuffy a synonym of Buffy Summers/Spike".
    pub description: String,
}

/// Writes `e` inside the caller's transaction.
pub(crate) async fn record(conn: &mut AnyConnection, e: Entry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO wrangling_log \
            (at, user_id, tag_id, action, other_tag_id, old_value, new_value, description) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now())
    .bind(e.by)
    .bind(e.tag_id)
    .bind(e.action)
    .bind(e.other)
    .bind(e.old)
    .bind(e.new)
    .bind(e.description)
    .execute(conn)
    .await?;
    Ok(())
}

/// Finishes a change: an outbox row for each work whose filtering changed, then the log
/// row. Answers `true` (something changed).
pub(crate) async fn record_change(
    conn: &mut AnyConnection,
    works: &BTreeSet<i64>,
    e: Entry<'_>,
) -> Result<bool> {
    queue_works(&mut *conn, works).await?;
    record(conn, e).await?;
    Ok(true)
}

/// The `old_value` of the tag's latest log row with `action`, if any.
pub(crate) async fn last_old_value(
    conn: &mut AnyConnection,
    tag_id: i64,
    action: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT old_value FROM wrangling_log WHERE tag_id = $1 AND action = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(tag_id)
    .bind(action)
    .fetch_optional(conn)
    .await?
    .flatten())
}

impl Store {
    /// The wrangling log, newest first: one tag's changes or everyone's. `page` is 1-based.
    pub async fn wrangling_log(
        &self,
        tag_id: Option<i64>,
        page: u32,
        per_page: u32,
    ) -> Result<Vec<LogEntry>> {
        let per_page = i64::from(per_page.clamp(1, 1000));
        let offset = (i64::from(page.max(1)) - 1) * per_page;
        let (cond, first) = match tag_id {
            Some(_) => ("WHERE l.tag_id = $1", 2),
            None => ("", 1),
        };
        let sql = format!(
            "SELECT l.id, l.at, u.login, t.id AS tag_id, t.kind, t.name, l.action, l.description \
             FROM wrangling_log l JOIN tags t ON t.id = l.tag_id \
             LEFT JOIN users u ON u.id = l.user_id {cond} \
             ORDER BY l.id DESC LIMIT ${first} OFFSET ${}",
            first + 1
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        if let Some(t) = tag_id {
            q = q.bind(t);
        }
        q.bind(per_page)
            .bind(offset)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(LogEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    by_login: r.try_get("login")?,
                    tag: TagRef {
                        id: r.try_get("tag_id")?,
                        kind: kind(&r.try_get::<String, _>("kind")?)?,
                        name: r.try_get("name")?,
                    },
                    action: r.try_get("action")?,
                    description: r.try_get("description")?,
                })
            })
            .collect()
    }
}
