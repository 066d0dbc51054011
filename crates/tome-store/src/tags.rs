//! Tags and their wrangling: canonical tags, synonyms (`merger_id`), parents (fandoms and
//! metatags in `tag_parents`) and relationship characters.
//!
//! Names are unique across kinds, case-insensitively, as on AO3: a name typed on a work is
//! looked up first whatever kind the author gave it.

use std::collections::{BTreeSet, HashMap, HashSet};

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, Row};
use tome_model::tag::normalize_tag_name;
use tome_model::visibility::{self, Audience};
use tome_model::{TagKind, VocabEntry, VocabularyFile};

use crate::sql::{count, flag, int, kind, lower, placeholders};
use crate::{Result, Store, StoreError, TagInfo, TagRef, VocabularyReport, WorkListFilter, now};

/// A tags row.
#[derive(Debug, Clone)]
pub(crate) struct TagRow {
    pub(crate) id: i64,
    pub(crate) kind: TagKind,
    pub(crate) name: String,
    pub(crate) canonical: bool,
    pub(crate) merger_id: Option<i64>,
}

/// The kinds a vocabulary holds (the fixed sets are seeded by the migrations).
pub(crate) const FREE_KINDS: &str = "('fandom', 'relationship', 'character', 'freeform')";

impl Store {
    /// Imports a wrangled vocabulary in one transaction. Idempotent: a second run changes
    /// nothing. Listed names become canonical; synonyms are merged into them (an existing
    /// unwrangled tag of that name becomes the synonym); fandoms, metatags and characters
    /// missing from the archive are created canonical. Parents are only added, never
    /// removed. Works whose filtering changed are queued for re-indexing.
    pub async fn import_vocabulary(&self, file: &VocabularyFile) -> Result<VocabularyReport> {
        let mut tx = self.begin_write().await?;
        let mut created: HashSet<i64> = HashSet::new();
        let mut touched: HashSet<i64> = HashSet::new();
        let mut canon: HashMap<String, i64> = HashMap::new();

        // Pass 1: every listed name is a canonical tag (so pass 2 can refer forward).
        for e in &file.tags {
            let name = tidy(&e.name)?;
            // By its own name only: a listed name that is a renamed tag's old name is
            // a tag of its own again, not a reason to rename that tag back.
            let id = match get_tag_exact(&mut tx, &name).await? {
                None => {
                    let id = insert_tag(&mut tx, e.kind, &name, true, None).await?;
                    created.insert(id);
                    id
                }
                Some(t) => {
                    if !t.canonical || t.merger_id.is_some() || t.kind != e.kind || t.name != name {
                        sqlx::query(
                            "UPDATE tags SET canonical = 1, merger_id = NULL, kind = $1, name = $2 \
                             WHERE id = $3",
                        )
                        .bind(e.kind.as_str())
                        .bind(&name)
                        .bind(t.id)
                        .execute(&mut *tx)
                        .await?;
                        touched.insert(t.id);
                    }
                    t.id
                }
            };
            canon.insert(lower(&name), id);
        }

        // Pass 2: synonyms, parents, characters.
        for e in &file.tags {
            let name = tidy(&e.name)?;
            let Some(&id) = canon.get(&lower(&name)) else {
                continue;
            };
            for syn in &e.synonyms {
                let syn = tidy(syn)?;
                // A synonym spelled like a canonical tag (including its own, in another case)
                // is that tag: skip it rather than merge a canonical tag away.
                if canon.contains_key(&lower(&syn)) {
                    continue;
                }
                match get_tag(&mut tx, &syn).await? {
                    None => {
                        let sid = insert_tag(&mut tx, e.kind, &syn, false, Some(id)).await?;
                        created.insert(sid);
                    }
                    Some(t) if t.canonical || t.merger_id != Some(id) || t.kind != e.kind => {
                        sqlx::query(
                            "UPDATE tags SET canonical = 0, merger_id = $1, kind = $2 WHERE id = $3",
                        )
                        .bind(id)
                        .bind(e.kind.as_str())
                        .bind(t.id)
                        .execute(&mut *tx)
                        .await?;
                        // Its own synonyms follow it to the new canonical tag.
                        sqlx::query("UPDATE tags SET merger_id = $1 WHERE merger_id = $2")
                            .bind(id)
                            .bind(t.id)
                            .execute(&mut *tx)
                            .await?;
                        touched.insert(t.id);
                    }
                    Some(_) => {}
                }
            }
            let parents = e
                .fandoms
                .iter()
                .map(|f| (TagKind::Fandom, f))
                .chain(e.metatags.iter().map(|m| (e.kind, m)));
            for (pkind, pname) in parents {
                let pname = tidy(pname)?;
                let (pid, new) = find_or_create_tag(&mut tx, pkind, &pname, true).await?;
                if new {
                    created.insert(pid);
                }
                if pid == id {
                    continue;
                }
                let done = sqlx::query(
                    "INSERT INTO tag_parents (child_id, parent_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(pid)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() > 0 {
                    touched.insert(id);
                }
            }
            for cname in &e.characters {
                let cname = tidy(cname)?;
                let (cid, new) =
                    find_or_create_tag(&mut tx, TagKind::Character, &cname, true).await?;
                if new {
                    created.insert(cid);
                }
                let done = sqlx::query(
                    "INSERT INTO relationship_characters (relationship_id, character_id) \
                     VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(cid)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() > 0 {
                    touched.insert(id);
                }
            }
            // A fandom's media (they change no work's filtering).
            if e.kind == TagKind::Fandom {
                for m in &e.media {
                    let mid = crate::wrangling::media_id(&mut tx, m).await?;
                    sqlx::query(
                        "INSERT INTO fandom_media (fandom_id, media_id) VALUES ($1, $2) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(mid)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }

        // Works tagged with a changed tag, its synonyms or its descendants filter differently now.
        let affected: Vec<i64> = touched
            .iter()
            .copied()
            .filter(|id| !created.contains(id))
            .collect();
        let works = affected_works(&mut tx, &affected).await?;
        queue_works(&mut tx, &works).await?;
        tx.commit().await?;
        Ok(VocabularyReport {
            created: created.len() as u64,
            updated: affected.len() as u64,
            works_reindexed: works.len() as u64,
        })
    }

    /// The whole wrangled vocabulary as a `tags.json` file (without use counts, so exports
    /// of the same vocabulary compare equal).
    pub async fn export_vocabulary(&self) -> Result<VocabularyFile> {
        let mut tags = self.vocabulary().await?;
        for t in &mut tags {
            t.uses = 0;
        }
        Ok(VocabularyFile {
            about: Some("Exported from tome.".into()),
            tags,
        })
    }

    /// Canonical fandom, relationship, character and free tags, each with its synonyms,
    /// parent fandoms, characters (relationships), metatags, media (fandoms) and uses (listed works tagged
    /// with it or a synonym). Ordered by kind, then name.
    pub async fn vocabulary(&self) -> Result<Vec<VocabEntry>> {
        let pool = self.pool();
        let sql =
            format!("SELECT id, kind, name FROM tags WHERE canonical = 1 AND kind IN {FREE_KINDS}");
        let mut entries: Vec<(i64, VocabEntry)> = Vec::new();
        let mut index: HashMap<i64, usize> = HashMap::new();
        for r in sqlx::query(AssertSqlSafe(sql)).fetch_all(pool).await? {
            let id: i64 = r.try_get("id")?;
            index.insert(id, entries.len());
            entries.push((
                id,
                VocabEntry {
                    kind: kind(&r.try_get::<String, _>("kind")?)?,
                    name: r.try_get("name")?,
                    synonyms: Vec::new(),
                    fandoms: Vec::new(),
                    characters: Vec::new(),
                    metatags: Vec::new(),
                    media: Vec::new(),
                    uses: 0,
                },
            ));
        }
        attach_names(
            pool,
            "SELECT merger_id AS owner, name FROM tags WHERE merger_id IS NOT NULL ORDER BY name_lower",
            &mut entries,
            &index,
            |e| &mut e.synonyms,
        )
        .await?;
        let parents = sqlx::query(
            "SELECT tp.child_id AS owner, p.kind, p.name FROM tag_parents tp \
             JOIN tags p ON p.id = tp.parent_id ORDER BY p.name_lower",
        )
        .fetch_all(pool)
        .await?;
        for r in parents {
            if let Some(&i) = index.get(&r.try_get::<i64, _>("owner")?) {
                let pkind = kind(&r.try_get::<String, _>("kind")?)?;
                let e = &mut entries[i].1;
                if pkind == e.kind {
                    e.metatags.push(r.try_get("name")?);
                } else if pkind == TagKind::Fandom {
                    e.fandoms.push(r.try_get("name")?);
                }
            }
        }
        attach_names(
            pool,
            "SELECT rc.relationship_id AS owner, c.name FROM relationship_characters rc \
             JOIN tags c ON c.id = rc.character_id ORDER BY c.name_lower",
            &mut entries,
            &index,
            |e| &mut e.characters,
        )
        .await?;
        attach_names(
            pool,
            "SELECT fm.fandom_id AS owner, m.name FROM fandom_media fm \
             JOIN media m ON m.id = fm.media_id ORDER BY m.position",
            &mut entries,
            &index,
            |e| &mut e.media,
        )
        .await?;
        let uses = format!(
            "SELECT COALESCE(t.merger_id, t.id) AS owner, COUNT(DISTINCT wt.work_id) AS n \
             FROM work_tags wt JOIN tags t ON t.id = wt.tag_id \
             JOIN works w ON w.id = wt.work_id WHERE {} \
             GROUP BY COALESCE(t.merger_id, t.id)",
            // The vocabulary feeds the posting form's suggestions: members post.
            visibility::listing_sql(Audience::Member, "w")
        );
        let uses = sqlx::query(AssertSqlSafe(uses)).fetch_all(pool).await?;
        for r in uses {
            if let Some(&i) = index.get(&r.try_get::<i64, _>("owner")?) {
                entries[i].1.uses = count(r.try_get("n")?);
            }
        }
        let mut out: Vec<VocabEntry> = entries.into_iter().map(|(_, e)| e).collect();
        out.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        });
        Ok(out)
    }

    /// A tag by name (case-insensitive) with its wrangling. `works_count` is the number of
    /// works its tag listing shows a guest: tagged with it, a synonym or a subtag
    /// ([`Store::tag_by_name_for`] for another audience).
    pub async fn tag_by_name(&self, name: &str) -> Result<Option<TagInfo>> {
        self.tag_by_name_for(name, Audience::Guest).await
    }

    /// [`Store::tag_by_name`] with `works_count` counted for `audience`.
    pub async fn tag_by_name_for(&self, name: &str, audience: Audience) -> Result<Option<TagInfo>> {
        let Some(mut t) = self.tag_uncounted(name).await? else {
            return Ok(None);
        };
        t.works_count = self
            .list_works(&WorkListFilter::Tag(t.id), audience, 1, 1)
            .await?
            .total;
        Ok(Some(t))
    }

    /// [`Store::tag_by_name`] with `works_count` left 0: for a tag's works page, whose
    /// count is the search engine's. (Counting a popular tag's works in SQL reads every
    /// row of it: about a second for a fandom of 167,000 works.)
    pub async fn tag_uncounted(&self, name: &str) -> Result<Option<TagInfo>> {
        let pool = self.pool();
        let mut conn = pool.acquire().await?;
        let Some(t) = get_tag(&mut conn, name.trim()).await? else {
            return Ok(None);
        };
        drop(conn);
        let merger = match t.merger_id {
            Some(m) => sqlx::query("SELECT id, kind, name FROM tags WHERE id = $1")
                .bind(m)
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(tag_ref)
                .transpose()?,
            None => None,
        };
        let synonyms =
            sqlx::query("SELECT id, kind, name FROM tags WHERE merger_id = $1 ORDER BY name_lower")
                .bind(t.id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(tag_ref)
                .collect::<Result<Vec<_>>>()?;
        let parents = sqlx::query(
            "SELECT p.id, p.kind, p.name FROM tag_parents tp JOIN tags p ON p.id = tp.parent_id \
             WHERE tp.child_id = $1 ORDER BY p.name_lower",
        )
        .bind(t.id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(tag_ref)
        .collect::<Result<Vec<_>>>()?;
        let children = sqlx::query(
            "SELECT c.id, c.kind, c.name FROM tag_parents tp JOIN tags c ON c.id = tp.child_id \
             WHERE tp.parent_id = $1 ORDER BY c.name_lower",
        )
        .bind(t.id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(tag_ref)
        .collect::<Result<Vec<_>>>()?;
        Ok(Some(TagInfo {
            id: t.id,
            kind: t.kind,
            name: t.name,
            canonical: t.canonical,
            merger,
            synonyms,
            parents,
            children,
            works_count: 0,
        }))
    }
}

pub(crate) fn tidy(name: &str) -> Result<String> {
    normalize_tag_name(name).ok_or_else(|| {
        StoreError::Invalid(format!(
            "The tag \"{name}\" is empty, too long or contains a comma."
        ))
    })
}

pub(crate) fn tag_ref(r: &AnyRow) -> Result<TagRef> {
    Ok(TagRef {
        id: r.try_get("id")?,
        kind: kind(&r.try_get::<String, _>("kind")?)?,
        name: r.try_get("name")?,
    })
}

/// The tag of that name (case-insensitive), or the canonical tag it is an old name of.
pub(crate) async fn get_tag(conn: &mut AnyConnection, name: &str) -> Result<Option<TagRow>> {
    if let Some(t) = get_tag_exact(&mut *conn, name).await? {
        return Ok(Some(t));
    }
    let row = sqlx::query(
        "SELECT t.id, t.kind, t.name, t.canonical, t.merger_id FROM tag_redirects r \
         JOIN tags t ON t.id = r.tag_id WHERE r.old_name_lower = $1",
    )
    .bind(lower(name))
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(tag_row).transpose()
}

/// The tag called that now (case-insensitive), ignoring old names.
pub(crate) async fn get_tag_exact(conn: &mut AnyConnection, name: &str) -> Result<Option<TagRow>> {
    let row =
        sqlx::query("SELECT id, kind, name, canonical, merger_id FROM tags WHERE name_lower = $1")
            .bind(lower(name))
            .fetch_optional(conn)
            .await?;
    row.as_ref().map(tag_row).transpose()
}

/// A tags row by id.
pub(crate) async fn tag_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<TagRow>> {
    let row = sqlx::query("SELECT id, kind, name, canonical, merger_id FROM tags WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(tag_row).transpose()
}

pub(crate) fn tag_row(r: &AnyRow) -> Result<TagRow> {
    Ok(TagRow {
        id: r.try_get("id")?,
        kind: kind(&r.try_get::<String, _>("kind")?)?,
        name: r.try_get("name")?,
        canonical: flag(r.try_get("canonical")?),
        merger_id: r.try_get("merger_id")?,
    })
}

async fn insert_tag(
    conn: &mut AnyConnection,
    kind: TagKind,
    name: &str,
    canonical: bool,
    merger_id: Option<i64>,
) -> Result<i64> {
    // A new tag of a renamed tag's old name takes the name over.
    sqlx::query("DELETE FROM tag_redirects WHERE old_name_lower = $1")
        .bind(lower(name))
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO tags (kind, name, name_lower, canonical, merger_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(name)
    .bind(lower(name))
    .bind(int(canonical))
    .bind(merger_id)
    .bind(now())
    .fetch_one(conn)
    .await?)
}

/// The tag of that name whatever its kind, else a new one of `kind`; `true` when created.
pub(crate) async fn find_or_create_tag(
    conn: &mut AnyConnection,
    kind: TagKind,
    name: &str,
    canonical: bool,
) -> Result<(i64, bool)> {
    if let Some(t) = get_tag(conn, name).await? {
        return Ok((t.id, false));
    }
    // Another transaction may be creating the same name right now (two posts with one
    // new tag): the unique name decides, and the loser takes the winner's tag.
    sqlx::query("DELETE FROM tag_redirects WHERE old_name_lower = $1")
        .bind(lower(name))
        .execute(&mut *conn)
        .await?;
    let made: Option<i64> = sqlx::query_scalar(
        "INSERT INTO tags (kind, name, name_lower, canonical, merger_id, created_at) \
         VALUES ($1, $2, $3, $4, NULL, $5) ON CONFLICT (name_lower) DO NOTHING RETURNING id",
    )
    .bind(kind.as_str())
    .bind(name)
    .bind(lower(name))
    .bind(int(canonical))
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = made {
        return Ok((id, true));
    }
    match get_tag_exact(conn, name).await? {
        Some(t) => Ok((t.id, false)),
        None => Err(crate::StoreError::Conflict(
            "A tag of that name was being changed at the same moment; please try again.".into(),
        )),
    }
}

/// Listed or not, the works whose filtering depends on these tags: tagged with one of
/// them or with a tag that expands to one (a synonym, a subtag or child tag, transitively,
/// a relationship naming a character), so a change to these tags re-indexes exactly them.
pub(crate) async fn affected_works(
    conn: &mut AnyConnection,
    tag_ids: &[i64],
) -> Result<BTreeSet<i64>> {
    let mut works: BTreeSet<i64> = BTreeSet::new();
    for chunk in tag_ids.chunks(crate::sql::CHUNK) {
        let sql = format!(
            "WITH RECURSIVE aff(id) AS ( \
                SELECT id FROM tags WHERE id IN ({}) \
                UNION SELECT x.id FROM aff JOIN ( \
                    SELECT child_id AS id, parent_id AS up FROM tag_parents \
                    UNION ALL SELECT id, merger_id AS up FROM tags WHERE merger_id IS NOT NULL \
                    UNION ALL SELECT relationship_id AS id, character_id AS up \
                        FROM relationship_characters \
                ) x ON x.up = aff.id \
             ) SELECT DISTINCT wt.work_id FROM work_tags wt WHERE wt.tag_id IN (SELECT id FROM aff)",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        works.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(works)
}

/// Queues these works for re-indexing, inside the caller's transaction.
/// Runs `sql` (rows of `owner`, `name`) and appends each name, in row order, to the list
/// `field` picks out of its owner's vocabulary entry; owners not in `index` are skipped.
async fn attach_names(
    pool: &AnyPool,
    sql: &'static str,
    entries: &mut [(i64, VocabEntry)],
    index: &HashMap<i64, usize>,
    field: fn(&mut VocabEntry) -> &mut Vec<String>,
) -> Result<()> {
    for r in sqlx::query(sql).fetch_all(pool).await? {
        if let Some(&i) = index.get(&r.try_get::<i64, _>("owner")?) {
            field(&mut entries[i].1).push(r.try_get("name")?);
        }
    }
    Ok(())
}

pub(crate) async fn queue_works(conn: &mut AnyConnection, works: &BTreeSet<i64>) -> Result<()> {
    for w in works {
        crate::outbox::push(&mut *conn, *w, crate::outbox::UPSERT).await?;
    }
    Ok(())
}

impl Store {
    /// Which of these tags are canonical (for lists that must offer only filterable tags).
    pub async fn canonical_ids(&self, ids: &[i64]) -> Result<HashSet<i64>> {
        let mut out = HashSet::new();
        for chunk in ids.chunks(crate::sql::CHUNK) {
            let sql = format!(
                "SELECT id FROM tags WHERE canonical = 1 AND id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            out.extend(q.fetch_all(self.pool()).await?);
        }
        Ok(out)
    }
}
