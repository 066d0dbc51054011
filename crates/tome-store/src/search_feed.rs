//! What the search index is built from: works read in bulk with their tags expanded,
//! the tag graph, name lookups, blurbs by id and the indexer's position in the outbox.
//!
//! Tag expansion happens here, at index time, so a query stays one term per tag: a work
//! tagged "TLK" (a synonym of "The Lantern Keepers (TV)", itself under a metatag) is
//! indexed with all three ids. Only same-kind parents (metatags) are followed, as the tag
//! works listing does; a character's parent fandom is not added. A relationship implies
//! its characters: a work tagged "Spuffy" (a synonym of "Buffy Summers/Spike") is also
//! indexed under "Buffy Summers" and "Spike", with their canonical tags and metatags.

use std::collections::{BTreeSet, HashMap};

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use tome_model::TagKind;

use crate::sql::{flag, kind, lower, placeholders};
use crate::{Result, Store, WorkBlurb};

/// Every tag's kind, merger and parents, small enough to hold in memory (one entry per tag).
#[derive(Debug, Clone, Default)]
pub struct TagGraph {
    kinds: HashMap<i64, TagKind>,
    names: HashMap<i64, String>,
    by_name: HashMap<String, i64>,
    merger: HashMap<i64, i64>,
    /// Same-kind parents (metatags) only.
    parents: HashMap<i64, Vec<i64>>,
    /// A relationship's characters.
    characters: HashMap<i64, Vec<i64>>,
}

impl TagGraph {
    /// The kind of a tag, if it exists.
    pub fn kind(&self, id: i64) -> Option<TagKind> {
        self.kinds.get(&id).copied()
    }

    /// A tag's name.
    pub fn name(&self, id: i64) -> Option<&str> {
        self.names.get(&id).map(String::as_str)
    }

    /// A tag's id by name, case-insensitively.
    pub fn by_name(&self, name: &str) -> Option<i64> {
        self.by_name.get(&lower(name.trim())).copied()
    }

    /// One more than the largest tag id (for dense per-tag counters).
    pub fn id_bound(&self) -> usize {
        self.kinds
            .keys()
            .copied()
            .max()
            .map_or(0, |m| usize::try_from(m).unwrap_or(0) + 1)
    }

    /// The canonical tag a synonym is merged into, or the tag itself.
    pub fn canonical(&self, id: i64) -> i64 {
        self.merger.get(&id).copied().unwrap_or(id)
    }

    /// The tag, its canonical tag and all their metatags, transitively; and for every
    /// relationship reached, its characters expanded the same way.
    pub fn expand(&self, id: i64, out: &mut BTreeSet<i64>) {
        let mut stack = vec![id, self.canonical(id)];
        while let Some(t) = stack.pop() {
            if !out.insert(t) {
                continue;
            }
            if let Some(ps) = self.parents.get(&t) {
                stack.extend(ps.iter().copied());
            }
            if let Some(cs) = self.characters.get(&t) {
                for c in cs {
                    stack.push(*c);
                    stack.push(self.canonical(*c));
                }
            }
        }
    }

    /// A relationship's characters (empty for other tags).
    pub fn characters(&self, id: i64) -> &[i64] {
        self.characters.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The top of a fandom's metatag chain (the smallest id when there are several), so
    /// fandoms under one metatag count as one for crossovers.
    pub fn fandom_root(&self, id: i64) -> i64 {
        let mut seen = BTreeSet::new();
        let mut roots = BTreeSet::new();
        let mut stack = vec![self.canonical(id)];
        while let Some(t) = stack.pop() {
            if !seen.insert(t) {
                continue;
            }
            match self.parents.get(&t) {
                Some(ps) if !ps.is_empty() => stack.extend(ps.iter().copied()),
                _ => {
                    roots.insert(t);
                }
            }
        }
        roots.into_iter().next().unwrap_or(id)
    }
}

/// A work as the index sees it.
#[derive(Debug, Clone)]
pub struct IndexWork {
    pub id: i64,
    /// Whether the index holds it: listed for some audience (`visibility::indexed`).
    pub listed: bool,
    pub title: String,
    pub summary_html: Option<String>,
    pub notes_html: String,
    /// Chapter bodies, in order, as stored (sanitized HTML).
    pub chapters_html: Vec<String>,
    pub creators: Vec<String>,
    pub anonymous: bool,
    pub restricted: bool,
    pub language: String,
    pub complete: bool,
    pub chapter_count: u32,
    pub word_count: u64,
    pub published_at: i64,
    pub updated_at: i64,
    pub hits: u64,
    pub kudos: u64,
    pub comments: u64,
    pub bookmarks: u64,
    /// The tags as typed: (id, kind, name).
    pub tags: Vec<(i64, TagKind, String)>,
}

impl IndexWork {
    /// The ids a query can match: each tag, its canonical tag and their metatags.
    pub fn expanded_tag_ids(&self, graph: &TagGraph) -> Vec<i64> {
        let mut out = BTreeSet::new();
        for (id, _, _) in &self.tags {
            graph.expand(*id, &mut out);
        }
        out.into_iter().collect()
    }

    /// The canonical form of each tag, per kind, for facets.
    pub fn facet_ids(&self, graph: &TagGraph) -> Vec<(TagKind, i64)> {
        let mut out: Vec<(TagKind, i64)> = self
            .tags
            .iter()
            .map(|(id, k, _)| (*k, graph.canonical(*id)))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Fandoms, counting those under one metatag once.
    pub fn fandom_count(&self, graph: &TagGraph) -> u32 {
        let roots: BTreeSet<i64> = self
            .tags
            .iter()
            .filter(|(_, k, _)| *k == TagKind::Fandom)
            .map(|(id, _, _)| graph.fandom_root(*id))
            .collect();
        roots.len() as u32
    }
}

const WORK_COLUMNS: &str = "w.id, w.title, w.summary_html, w.notes_begin_html, \
    w.notes_end_html, w.language, w.complete, w.chapter_count, w.word_count, w.published_at, \
    w.updated_at, w.restricted, w.anonymous, w.draft, w.hidden, w.hits, w.kudos_count, \
    w.comments_count, w.bookmarks_count";

impl Store {
    /// The whole tag graph (kinds, mergers, metatag parents, relationships' characters;
    /// renamed tags' old names resolve by name).
    pub async fn tag_graph(&self) -> Result<TagGraph> {
        let mut g = TagGraph::default();
        for r in sqlx::query("SELECT id, kind, name, merger_id FROM tags")
            .fetch_all(self.pool())
            .await?
        {
            let id: i64 = r.try_get("id")?;
            g.kinds.insert(id, kind(&r.try_get::<String, _>("kind")?)?);
            let name: String = r.try_get("name")?;
            g.by_name.insert(lower(&name), id);
            g.names.insert(id, name);
            if let Some(m) = r.try_get::<Option<i64>, _>("merger_id")? {
                g.merger.insert(id, m);
            }
        }
        for r in sqlx::query(
            "SELECT tp.child_id, tp.parent_id FROM tag_parents tp \
             JOIN tags c ON c.id = tp.child_id JOIN tags p ON p.id = tp.parent_id \
             WHERE c.kind = p.kind",
        )
        .fetch_all(self.pool())
        .await?
        {
            g.parents
                .entry(r.try_get("child_id")?)
                .or_default()
                .push(r.try_get("parent_id")?);
        }
        for r in sqlx::query("SELECT relationship_id, character_id FROM relationship_characters")
            .fetch_all(self.pool())
            .await?
        {
            g.characters
                .entry(r.try_get("relationship_id")?)
                .or_default()
                .push(r.try_get("character_id")?);
        }
        for r in sqlx::query("SELECT old_name_lower, tag_id FROM tag_redirects")
            .fetch_all(self.pool())
            .await?
        {
            g.by_name
                .entry(r.try_get("old_name_lower")?)
                .or_insert(r.try_get("tag_id")?);
        }
        Ok(g)
    }

    /// Up to `limit` works with ids above `after_id`, in id order (for a full rebuild).
    pub async fn works_for_index_after(&self, after_id: i64, limit: u32) -> Result<Vec<IndexWork>> {
        let sql =
            format!("SELECT {WORK_COLUMNS} FROM works w WHERE w.id > $1 ORDER BY w.id LIMIT $2");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(after_id)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        let mut works = rows.iter().map(base).collect::<Result<Vec<_>>>()?;
        let (Some(lo), Some(hi)) = (works.first().map(|w| w.id), works.last().map(|w| w.id)) else {
            return Ok(works);
        };
        self.fill_details(&mut works, "BETWEEN $1 AND $2", &[lo, hi])
            .await?;
        Ok(works)
    }

    /// These works (those that still exist), in id order.
    pub async fn works_for_index(&self, ids: &[i64]) -> Result<Vec<IndexWork>> {
        let mut all = Vec::new();
        for chunk in ids.chunks(crate::sql::CHUNK) {
            let list = placeholders(1, chunk.len());
            let sql =
                format!("SELECT {WORK_COLUMNS} FROM works w WHERE w.id IN ({list}) ORDER BY w.id");
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            let rows = q.fetch_all(self.pool()).await?;
            let mut works = rows.iter().map(base).collect::<Result<Vec<_>>>()?;
            self.fill_details(&mut works, &format!("IN ({list})"), chunk)
                .await?;
            all.extend(works);
        }
        Ok(all)
    }

    /// Tags, creators and chapter text for `works`, selected by `work_id {cond}`.
    async fn fill_details(&self, works: &mut [IndexWork], cond: &str, binds: &[i64]) -> Result<()> {
        let index: HashMap<i64, usize> = works.iter().enumerate().map(|(i, w)| (w.id, i)).collect();
        let run = |sql: String| {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for b in binds {
                q = q.bind(*b);
            }
            q
        };
        let rows = run(format!(
            "SELECT wt.work_id, t.id, t.kind, t.name FROM work_tags wt JOIN tags t ON t.id = wt.tag_id \
             WHERE wt.work_id {cond} ORDER BY wt.work_id, wt.position"
        ))
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            if let Some(w) = index
                .get(&r.try_get::<i64, _>("work_id")?)
                .map(|i| &mut works[*i])
            {
                w.tags.push((
                    r.try_get("id")?,
                    kind(&r.try_get::<String, _>("kind")?)?,
                    r.try_get("name")?,
                ));
            }
        }
        let rows = run(format!(
            "SELECT c.work_id, p.name FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
             WHERE c.work_id {cond} ORDER BY c.work_id, c.position"
        ))
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            if let Some(w) = index
                .get(&r.try_get::<i64, _>("work_id")?)
                .map(|i| &mut works[*i])
            {
                w.creators.push(r.try_get("name")?);
            }
        }
        let rows = run(format!(
            "SELECT work_id, body_html FROM chapters WHERE work_id {cond} AND draft = 0 \
             ORDER BY work_id, position"
        ))
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            if let Some(w) = index
                .get(&r.try_get::<i64, _>("work_id")?)
                .map(|i| &mut works[*i])
            {
                w.chapters_html.push(r.try_get("body_html")?);
            }
        }
        Ok(())
    }

    /// Ids of tags by name (case-insensitive), for `work_search[other_tag_names]`.
    pub async fn tag_ids_by_names(&self, names: &[String]) -> Result<HashMap<String, i64>> {
        let mut out = HashMap::new();
        for chunk in names.chunks(crate::sql::CHUNK) {
            let sql = format!(
                "SELECT id, name_lower FROM tags WHERE name_lower IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for n in chunk {
                q = q.bind(lower(n));
            }
            for r in q.fetch_all(self.pool()).await? {
                out.insert(r.try_get("name_lower")?, r.try_get("id")?);
            }
        }
        Ok(out)
    }

    /// Blurbs of these works in the order given (missing ids are skipped).
    pub async fn blurbs_by_ids(&self, ids: &[i64]) -> Result<Vec<WorkBlurb>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows = Vec::new();
        for chunk in ids.chunks(crate::sql::CHUNK) {
            let sql = format!(
                "SELECT {} FROM works w WHERE w.id IN ({})",
                crate::works::BLURB_COLUMNS,
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            rows.extend(q.fetch_all(self.pool()).await?);
        }
        let pos: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut keyed: Vec<(usize, AnyRow)> = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("id")?;
            keyed.push((pos.get(&id).copied().unwrap_or(usize::MAX), r));
        }
        keyed.sort_by_key(|(i, _)| *i);
        let rows: Vec<AnyRow> = keyed.into_iter().map(|(_, r)| r).collect();
        self.blurbs(&rows).await
    }

    /// How far the indexer `name` has read the outbox (0: not at all).
    pub async fn index_seq(&self, name: &str) -> Result<i64> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT seq FROM index_state WHERE name = $1")
                .bind(name)
                .fetch_optional(self.pool())
                .await?
                .unwrap_or(0),
        )
    }

    /// Records how far the indexer `name` has read the outbox.
    pub async fn set_index_seq(&self, name: &str, seq: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO index_state (name, seq) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET seq = excluded.seq",
        )
        .bind(name)
        .bind(seq)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The newest outbox `seq` (0 when empty): a rebuild covers everything up to it.
    pub async fn outbox_head(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(seq) FROM outbox")
                .fetch_one(self.pool())
                .await?
                .unwrap_or(0),
        )
    }
}

fn base(r: &AnyRow) -> Result<IndexWork> {
    let notes: Vec<String> = [
        r.try_get::<Option<String>, _>("notes_begin_html")?,
        r.try_get::<Option<String>, _>("notes_end_html")?,
    ]
    .into_iter()
    .flatten()
    .collect();
    let u = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(IndexWork {
        id: r.try_get("id")?,
        listed: tome_model::visibility::indexed(&tome_model::visibility::WorkState {
            draft: flag(r.try_get("draft")?),
            hidden: flag(r.try_get("hidden")?),
            restricted: flag(r.try_get("restricted")?),
            anonymous: flag(r.try_get("anonymous")?),
        }),
        title: r.try_get("title")?,
        summary_html: r.try_get("summary_html")?,
        notes_html: notes.join("\n"),
        chapters_html: Vec::new(),
        creators: Vec::new(),
        anonymous: flag(r.try_get("anonymous")?),
        restricted: flag(r.try_get("restricted")?),
        language: r.try_get("language")?,
        complete: flag(r.try_get("complete")?),
        chapter_count: u32::try_from(r.try_get::<i64, _>("chapter_count")?).unwrap_or(0),
        word_count: u(r.try_get("word_count")?),
        published_at: r.try_get("published_at")?,
        updated_at: r.try_get("updated_at")?,
        hits: u(r.try_get("hits")?),
        kudos: u(r.try_get("kudos_count")?),
        comments: u(r.try_get("comments_count")?),
        bookmarks: u(r.try_get("bookmarks_count")?),
        tags: Vec::new(),
    })
}
