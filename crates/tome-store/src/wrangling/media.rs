//! Media and the fandom index: which media a canonical fandom belongs to, and every
//! medium with its fandoms and their work counts (AO3's "Fandoms" menu).

use std::collections::{BTreeSet, HashMap};

use sqlx::{AnyConnection, AssertSqlSafe, Row};
use tome_model::TagKind;
use tome_model::visibility::{self, Audience};

use super::UNCATEGORIZED;
use super::log::{Entry, record_change};
use super::ops::load_canonical_of;
use crate::sql::{count, lower};
use crate::tags::tag_ref;
use crate::{MediaFandoms, Result, Store, StoreError, TagRef};

/// The id of a medium by name (case-insensitive); refused when there is none.
pub(crate) async fn media_id(conn: &mut AnyConnection, name: &str) -> Result<i64> {
    let all: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM media ORDER BY position")
        .fetch_all(conn)
        .await?;
    let want = lower(name.trim());
    all.iter()
        .find(|(_, n)| lower(n) == want)
        .map(|(id, _)| *id)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|(_, n)| n.as_str()).collect();
            StoreError::Invalid(format!(
                "\"{}\" is not a medium; the media are: {}.",
                name.trim(),
                names.join(", ")
            ))
        })
}

pub(super) async fn set_media(
    conn: &mut AnyConnection,
    by: i64,
    fandom_id: i64,
    media: &[String],
) -> Result<bool> {
    let t = load_canonical_of(
        &mut *conn,
        fandom_id,
        TagKind::Fandom,
        "fandoms",
        "belong to media",
    )
    .await?;
    let mut new: BTreeSet<i64> = BTreeSet::new();
    for m in media.iter().filter(|m| !m.trim().is_empty()) {
        new.insert(media_id(&mut *conn, m).await?);
    }
    let old: BTreeSet<i64> =
        sqlx::query_scalar::<_, i64>("SELECT media_id FROM fandom_media WHERE fandom_id = $1")
            .bind(t.id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    if old == new {
        return Ok(false);
    }
    let old_names = media_names(&mut *conn, t.id).await?;
    sqlx::query("DELETE FROM fandom_media WHERE fandom_id = $1")
        .bind(t.id)
        .execute(&mut *conn)
        .await?;
    for m in &new {
        sqlx::query("INSERT INTO fandom_media (fandom_id, media_id) VALUES ($1, $2)")
            .bind(t.id)
            .bind(*m)
            .execute(&mut *conn)
            .await?;
    }
    let new_names = media_names(&mut *conn, t.id).await?;
    let description = if new_names.is_empty() {
        format!("removed the media of {}", t.name)
    } else {
        format!("set the media of {} to {}", t.name, new_names.join(", "))
    };
    record_change(
        conn,
        &BTreeSet::new(),
        Entry {
            by,
            tag_id: t.id,
            action: "media",
            other: None,
            old: Some(old_names.join(", ")),
            new: Some(new_names.join(", ")),
            description,
        },
    )
    .await
}

/// A fandom's media, in menu order.
pub(super) async fn media_names(conn: &mut AnyConnection, fandom_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT m.name FROM fandom_media fm JOIN media m ON m.id = fm.media_id \
         WHERE fm.fandom_id = $1 ORDER BY m.position",
    )
    .bind(fandom_id)
    .fetch_all(conn)
    .await?)
}

impl Store {
    /// Every medium in menu order with its canonical fandoms (by name), each with the
    /// number of listed works tagged with it, a synonym or a subtag (transitively) or a
    /// subtag's synonym, counted for `audience`. Fandoms without a medium are under
    /// "Uncategorized Fandoms".
    pub async fn media_index(&self, audience: Audience) -> Result<Vec<MediaFandoms>> {
        let pool = self.pool();
        let media: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM media ORDER BY position")
                .fetch_all(pool)
                .await?;
        let fandoms: Vec<TagRef> = sqlx::query(
            "SELECT id, kind, name FROM tags WHERE kind = 'fandom' AND canonical = 1 \
             ORDER BY name_lower",
        )
        .fetch_all(pool)
        .await?
        .iter()
        .map(tag_ref)
        .collect::<Result<_>>()?;
        let mut works: HashMap<i64, u64> = HashMap::new();
        for r in sqlx::query(AssertSqlSafe(format!(
            "WITH RECURSIVE fam(root, id) AS ( \
                SELECT id, id FROM tags WHERE kind = 'fandom' AND canonical = 1 \
                UNION SELECT fam.root, tp.child_id FROM tag_parents tp \
                    JOIN fam ON tp.parent_id = fam.id \
                    JOIN tags c ON c.id = tp.child_id WHERE c.kind = 'fandom' \
             ), tagset(root, id) AS ( \
                SELECT root, id FROM fam \
                UNION SELECT fam.root, t.id FROM tags t JOIN fam ON t.merger_id = fam.id \
             ) SELECT ts.root, COUNT(DISTINCT wt.work_id) AS n FROM tagset ts \
                JOIN work_tags wt ON wt.tag_id = ts.id JOIN works w ON w.id = wt.work_id \
                WHERE {} GROUP BY ts.root",
            visibility::listing_sql(audience, "w")
        )))
        .fetch_all(pool)
        .await?
        {
            works.insert(r.try_get("root")?, count(r.try_get("n")?));
        }
        let mut of_media: HashMap<i64, Vec<i64>> = HashMap::new();
        for (f, m) in
            sqlx::query_as::<_, (i64, i64)>("SELECT fandom_id, media_id FROM fandom_media")
                .fetch_all(pool)
                .await?
        {
            of_media.entry(f).or_default().push(m);
        }
        let mut out: Vec<MediaFandoms> = media
            .iter()
            .map(|(_, name)| MediaFandoms {
                name: name.clone(),
                fandoms: Vec::new(),
            })
            .collect();
        let slot: HashMap<i64, usize> = media
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        let uncategorized = media.iter().position(|(_, n)| n == UNCATEGORIZED);
        for f in fandoms {
            let n = works.get(&f.id).copied().unwrap_or(0);
            let mut places: Vec<usize> = of_media
                .get(&f.id)
                .map(|ms| ms.iter().filter_map(|m| slot.get(m).copied()).collect())
                .unwrap_or_default();
            if places.is_empty() {
                places.extend(uncategorized);
            }
            for i in places {
                out[i].fandoms.push((f.clone(), n));
            }
        }
        Ok(out)
    }

    /// One medium (by name, case-insensitive) with its fandoms counted for `audience`;
    /// `None` for no such medium.
    pub async fn media_fandoms(
        &self,
        media_name: &str,
        audience: Audience,
    ) -> Result<Option<MediaFandoms>> {
        let want = lower(media_name.trim());
        Ok(self
            .media_index(audience)
            .await?
            .into_iter()
            .find(|m| lower(&m.name) == want))
    }
}
