//! The wranglers' queue: tags used on the listed works of a fandom (or of no canonical
//! fandom), with use counts, by status and kind, sorted and paged; and the home page's
//! canonical fandoms with their unwrangled tags per kind.

use std::collections::HashMap;

use sqlx::{AssertSqlSafe, Row};
use tome_model::TagKind;
use tome_model::visibility::{self, Audience};

use super::{QueueQuery, QueueSort, QueueStatus};
use crate::sql::{count, flag, kind, placeholders};
use crate::tags::{FREE_KINDS, tag_ref};
use crate::{FandomQueueCount, QueuePage, QueueTag, Result, Store, TagRef};

/// Kinds a fandom's queue lists by default.
const FANDOM_CHILD_KINDS: &str = "('relationship', 'character', 'freeform')";

impl Store {
    /// A page of the queue. The works are the listed ones whose fandom tags include the
    /// fandom `q.fandom_id` or a synonym of it (`None`: works with no canonical or
    /// synonym fandom tag, whose unwrangled fandom tags are listed too). `uses` counts
    /// those works tagged with each tag. `Unfilterable` means: a character, relationship
    /// or free tag without a fandom parent, whatever its status.
    pub async fn wrangling_queue(&self, q: &QueueQuery) -> Result<QueuePage> {
        let mut next = 1;
        // The works in scope, computed once (MATERIALIZED: both SQLite and PostgreSQL
        // would otherwise fold the CTE into the outer query and, with a kind bound,
        // drive it from every tag of that kind: minutes on a million works). A
        // fandom's works come from the tag index of the fandom and its synonyms.
        let scope = match q.fandom_id {
            Some(_) => {
                next = 2;
                "SELECT DISTINCT fw.work_id FROM work_tags fw \
                 WHERE fw.tag_id IN (SELECT id FROM tags WHERE id = $1 OR merger_id = $1)"
            }
            None => {
                "SELECT w.id AS work_id FROM works w WHERE NOT EXISTS ( \
                    SELECT 1 FROM work_tags fw JOIN tags f ON f.id = fw.tag_id \
                    WHERE fw.work_id = w.id AND f.kind = 'fandom' \
                    AND (f.canonical = 1 OR f.merger_id IS NOT NULL))"
            }
        };
        let kinds = match (q.kind, q.fandom_id) {
            (Some(_), _) => {
                let c = format!("t.kind = ${next}");
                next += 1;
                c
            }
            (None, Some(_)) => format!("t.kind IN {FANDOM_CHILD_KINDS}"),
            (None, None) => format!("t.kind IN {FREE_KINDS}"),
        };
        let status = match q.status {
            QueueStatus::Unwrangled => "t.canonical = 0 AND t.merger_id IS NULL",
            QueueStatus::Unfilterable => {
                "t.kind <> 'fandom' AND NOT EXISTS (SELECT 1 FROM tag_parents tp \
                    JOIN tags p ON p.id = tp.parent_id \
                    WHERE tp.child_id = t.id AND p.kind = 'fandom')"
            }
            QueueStatus::Canonical => "t.canonical = 1",
            QueueStatus::Synonym => "t.merger_id IS NOT NULL",
            QueueStatus::All => "1 = 1",
        };
        // Wranglers are members: their queues count what members see.
        let listed = visibility::listing_sql(Audience::Member, "w");
        let from = format!(
            "WITH scope(work_id) AS MATERIALIZED ({scope}), \
             used(tag_id, n) AS MATERIALIZED ( \
                SELECT wt.tag_id, COUNT(*) FROM scope s JOIN works w ON w.id = s.work_id \
                JOIN work_tags wt ON wt.work_id = s.work_id \
                WHERE {listed} GROUP BY wt.tag_id \
             ) "
        );
        let body = format!("FROM used u JOIN tags t ON t.id = u.tag_id WHERE {kinds} AND {status}");
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = match q.sort {
            QueueSort::Name => format!("t.name_lower {dir}, t.id {dir}"),
            QueueSort::Uses => format!("u.n {dir}, t.name_lower, t.id"),
            QueueSort::CreatedAt => format!("t.created_at {dir}, t.id {dir}"),
        };
        let bind_args = |sql: String| {
            let mut query = sqlx::query(AssertSqlSafe(sql));
            if let Some(f) = q.fandom_id {
                query = query.bind(f);
            }
            if let Some(k) = q.kind {
                query = query.bind(k.as_str());
            }
            query
        };
        let pool = self.pool();
        let total: i64 = bind_args(format!("{from}SELECT COUNT(*) AS n {body}"))
            .fetch_one(pool)
            .await?
            .try_get("n")?;
        let per_page = i64::from(q.per_page.clamp(1, 1000));
        let offset = (i64::from(q.page.max(1)) - 1) * per_page;
        let rows = bind_args(format!(
            "{from}SELECT t.id, t.kind, t.name, t.canonical, t.merger_id, t.created_at, u.n \
             {body} ORDER BY {order} LIMIT ${next} OFFSET ${}",
            next + 1
        ))
        .bind(per_page)
        .bind(offset)
        .fetch_all(pool)
        .await?;
        let mut tags = Vec::with_capacity(rows.len());
        let mut mergers: Vec<i64> = Vec::new();
        for r in &rows {
            let merger_id: Option<i64> = r.try_get("merger_id")?;
            mergers.extend(merger_id);
            tags.push((
                merger_id,
                QueueTag {
                    id: r.try_get("id")?,
                    kind: kind(&r.try_get::<String, _>("kind")?)?,
                    name: r.try_get("name")?,
                    canonical: flag(r.try_get("canonical")?),
                    merger: None,
                    fandoms: Vec::new(),
                    uses: count(r.try_get("n")?),
                    created_at: r.try_get("created_at")?,
                },
            ));
        }
        let ids: Vec<i64> = tags.iter().map(|(_, t)| t.id).collect();
        let mut merger_refs: HashMap<i64, TagRef> = HashMap::new();
        let mut fandoms: HashMap<i64, Vec<TagRef>> = HashMap::new();
        if !ids.is_empty() {
            if !mergers.is_empty() {
                let sql = format!(
                    "SELECT id, kind, name FROM tags WHERE id IN ({})",
                    placeholders(1, mergers.len())
                );
                let mut mq = sqlx::query(AssertSqlSafe(sql));
                for m in &mergers {
                    mq = mq.bind(*m);
                }
                for r in mq.fetch_all(pool).await? {
                    let t = tag_ref(&r)?;
                    merger_refs.insert(t.id, t);
                }
            }
            let sql = format!(
                "SELECT tp.child_id AS owner, p.id, p.kind, p.name FROM tag_parents tp \
                 JOIN tags p ON p.id = tp.parent_id \
                 WHERE tp.child_id IN ({}) AND p.kind = 'fandom' ORDER BY p.name_lower",
                placeholders(1, ids.len())
            );
            let mut fq = sqlx::query(AssertSqlSafe(sql));
            for id in &ids {
                fq = fq.bind(*id);
            }
            for r in fq.fetch_all(pool).await? {
                fandoms
                    .entry(r.try_get("owner")?)
                    .or_default()
                    .push(tag_ref(&r)?);
            }
        }
        let tags = tags
            .into_iter()
            .map(|(m, mut t)| {
                t.merger = m.and_then(|m| merger_refs.get(&m).cloned());
                if t.kind != TagKind::Fandom {
                    t.fandoms = fandoms.remove(&t.id).unwrap_or_default();
                }
                t
            })
            .collect();
        Ok(QueuePage {
            tags,
            total: count(total),
        })
    }

    /// Every canonical fandom (by name) with, per kind (relationship, character, free
    /// tag), how many unwrangled tags its listed works use. Kinds with none are left out.
    pub async fn wrangling_fandoms(&self) -> Result<Vec<FandomQueueCount>> {
        let pool = self.pool();
        // Wranglers are members: their home counts what members see.
        let listed = visibility::listing_sql(Audience::Member, "w");
        let sql = format!(
            "SELECT COALESCE(f.merger_id, f.id) AS fandom, t.kind, COUNT(DISTINCT t.id) AS n \
             FROM works w \
             JOIN work_tags fw ON fw.work_id = w.id \
             JOIN tags f ON f.id = fw.tag_id \
             JOIN work_tags wt ON wt.work_id = w.id \
             JOIN tags t ON t.id = wt.tag_id \
             WHERE {listed} \
               AND f.kind = 'fandom' AND (f.canonical = 1 OR f.merger_id IS NOT NULL) \
               AND t.canonical = 0 AND t.merger_id IS NULL AND t.kind IN {FANDOM_CHILD_KINDS} \
             GROUP BY COALESCE(f.merger_id, f.id), t.kind"
        );
        let mut counts: HashMap<i64, Vec<(TagKind, u64)>> = HashMap::new();
        for r in sqlx::query(AssertSqlSafe(sql)).fetch_all(pool).await? {
            counts.entry(r.try_get("fandom")?).or_default().push((
                kind(&r.try_get::<String, _>("kind")?)?,
                count(r.try_get("n")?),
            ));
        }
        let fandoms = sqlx::query(
            "SELECT id, kind, name FROM tags WHERE kind = 'fandom' AND canonical = 1 \
             ORDER BY name_lower",
        )
        .fetch_all(pool)
        .await?;
        fandoms
            .iter()
            .map(|r| {
                let fandom = tag_ref(r)?;
                let mut unwrangled = counts.remove(&fandom.id).unwrap_or_default();
                unwrangled.sort();
                Ok(FandomQueueCount { fandom, unwrangled })
            })
            .collect()
    }
}
