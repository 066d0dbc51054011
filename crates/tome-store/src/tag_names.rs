//! Every tag name with its wrangling and its uses on listed works, for the autocomplete
//! index (`tome_search::autocomplete`), and the cheap stamp that tells when to rebuild it.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use tome_model::TagKind;
use tome_model::visibility::{self, Audience};

use crate::sql::{count, flag, kind};
use crate::{Result, Store};

/// A tag as autocomplete sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagNameRow {
    pub id: i64,
    pub kind: TagKind,
    pub name: String,
    pub canonical: bool,
    /// The canonical tag this is a synonym of.
    pub merger_id: Option<i64>,
    /// Works listed for members tagged with this very tag.
    pub uses: u64,
    /// Works listed for guests tagged with this very tag (restricted ones left out).
    pub guest_uses: u64,
}

impl TagNameRow {
    /// The uses an audience may be told of.
    pub fn uses_for(&self, audience: Audience) -> u64 {
        match audience {
            Audience::Guest => self.guest_uses,
            Audience::Member => self.uses,
        }
    }
}

/// What changes when autocomplete's answers may: a new tag (`max_tag_id`), a work posted,
/// edited, hidden or deleted, or re-wrangled (`outbox`, [`Store::outbox_stamp`], which
/// also moves when a transaction holding a lower sequence commits late on PostgreSQL), a
/// wrangling action (`wrangling_head`, 0 while the archive has no wrangling log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagNamesStamp {
    pub max_tag_id: i64,
    pub outbox: (i64, i64),
    pub wrangling_head: i64,
}

impl Store {
    /// Every tag, with its uses on listed works: two statements (the tags, then the uses
    /// per tag through `work_tags_tag`), joined here.
    pub async fn tag_names(&self) -> Result<Vec<TagNameRow>> {
        let mut uses: HashMap<(Audience, i64), u64> = HashMap::new();
        for audience in Audience::ALL {
            let sql = format!(
                "SELECT wt.tag_id, COUNT(*) AS n FROM work_tags wt \
                 JOIN works w ON w.id = wt.work_id WHERE {} GROUP BY wt.tag_id",
                visibility::listing_sql(audience, "w")
            );
            for r in sqlx::query(AssertSqlSafe(sql))
                .fetch_all(self.pool())
                .await?
            {
                uses.insert((audience, r.try_get("tag_id")?), count(r.try_get("n")?));
            }
        }
        sqlx::query("SELECT id, kind, name, canonical, merger_id FROM tags")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                let mut row = tag_name(r)?;
                row.uses = uses.get(&(Audience::Member, row.id)).copied().unwrap_or(0);
                row.guest_uses = uses.get(&(Audience::Guest, row.id)).copied().unwrap_or(0);
                Ok(row)
            })
            .collect()
    }

    /// Tags with ids above `after_id` (made since an index was built), oldest first, at
    /// most `limit`, with their uses on listed works. Synonyms are left out: a tag only
    /// becomes one through wrangling, which the next rebuild picks up.
    pub async fn tag_names_after(&self, after_id: i64, limit: u32) -> Result<Vec<TagNameRow>> {
        let used = |audience| {
            format!(
                "(SELECT COUNT(*) FROM work_tags wt JOIN works w ON w.id = wt.work_id \
                 WHERE wt.tag_id = t.id AND {})",
                visibility::listing_sql(audience, "w")
            )
        };
        sqlx::query(AssertSqlSafe(format!(
            "SELECT t.id, t.kind, t.name, t.canonical, t.merger_id, {} AS uses, \
             {} AS guest_uses \
             FROM tags t WHERE t.id > $1 AND t.merger_id IS NULL ORDER BY t.id LIMIT $2",
            used(Audience::Member),
            used(Audience::Guest)
        )))
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let mut row = tag_name(r)?;
            row.uses = count(r.try_get("uses")?);
            row.guest_uses = count(r.try_get("guest_uses")?);
            Ok(row)
        })
        .collect()
    }

    /// The id of the last wrangling action (0: none yet). Every rename, synonym, merge
    /// and other wrangling change writes a log row, so this moves whenever a tag name
    /// shown on a page may have changed (the work page cache stamps pages with it).
    pub async fn wrangling_head(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM wrangling_log")
                .fetch_one(self.pool())
                .await?
                .unwrap_or(0),
        )
    }

    /// The current [`TagNamesStamp`]: a few index-only look-ups.
    pub async fn tag_names_stamp(&self) -> Result<TagNamesStamp> {
        let max = |sql: &'static str| async move {
            sqlx::query_scalar::<_, Option<i64>>(sql)
                .fetch_one(self.pool())
                .await
                .map(|v| v.unwrap_or(0))
        };
        Ok(TagNamesStamp {
            max_tag_id: max("SELECT MAX(id) FROM tags").await?,
            outbox: self.outbox_stamp().await?,
            // The wrangling log may not exist in this archive's schema yet.
            wrangling_head: max("SELECT MAX(id) FROM wrangling_log").await.unwrap_or(0),
        })
    }
}

fn tag_name(r: &AnyRow) -> Result<TagNameRow> {
    Ok(TagNameRow {
        id: r.try_get("id")?,
        kind: kind(&r.try_get::<String, _>("kind")?)?,
        name: r.try_get("name")?,
        canonical: flag(r.try_get("canonical")?),
        merger_id: r.try_get("merger_id")?,
        uses: 0,
        guest_uses: 0,
    })
}
