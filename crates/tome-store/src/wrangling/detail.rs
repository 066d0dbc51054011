//! A tag page's wrangling: the tag, its fandoms, metatags and subtags, characters or
//! relationships, media, uses and related tags; or where a renamed tag's old name leads.

use sqlx::{AssertSqlSafe, Row};
use tome_model::TagKind;
use tome_model::visibility::{self, Audience};

use super::media::media_names;
use crate::sql::{count, lower};
use crate::tags::{FREE_KINDS, get_tag_exact, tag_ref};
use crate::{Result, Store, TagDetail, TagLookup, TagRef};

impl Store {
    /// A tag page by name (case-insensitive), counted as members (wranglers) see it. A
    /// canonical tag's old name answers [`TagLookup::Renamed`] with its current name; an
    /// unknown name `None`.
    pub async fn tag_detail(&self, name: &str) -> Result<Option<TagLookup>> {
        self.tag_detail_with(name, true, Audience::Member).await
    }

    /// [`Store::tag_detail`], with `related` left empty unless asked for: counting the
    /// tags on every work of a popular tag joins millions of rows (about 2 s for a fandom
    /// of 160,000 works), so pages with a search index take them from its facets. Every
    /// count (works, uses, related tags) is computed for `audience`: a guest is never
    /// counted a restricted work.
    pub async fn tag_detail_with(
        &self,
        name: &str,
        related: bool,
        audience: Audience,
    ) -> Result<Option<TagLookup>> {
        let listed = visibility::listing_sql(audience, "w");
        let pool = self.pool();
        let name = name.trim();
        let mut conn = pool.acquire().await?;
        let Some(t) = get_tag_exact(&mut conn, name).await? else {
            let to: Option<String> = sqlx::query_scalar(
                "SELECT t.name FROM tag_redirects r JOIN tags t ON t.id = r.tag_id \
                 WHERE r.old_name_lower = $1",
            )
            .bind(lower(name))
            .fetch_optional(&mut *conn)
            .await?;
            return Ok(to.map(|to| TagLookup::Renamed { to }));
        };
        let media = if t.kind == TagKind::Fandom {
            media_names(&mut conn, t.id).await?
        } else {
            Vec::new()
        };
        drop(conn);
        let Some(info) = self.tag_by_name_for(&t.name, audience).await? else {
            return Ok(None);
        };
        let refs = |sql: &'static str| async move {
            sqlx::query(sql)
                .bind(t.id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(tag_ref)
                .collect::<Result<Vec<TagRef>>>()
        };
        let characters = refs(
            "SELECT c.id, c.kind, c.name FROM relationship_characters rc \
             JOIN tags c ON c.id = rc.character_id WHERE rc.relationship_id = $1 \
             ORDER BY c.name_lower",
        )
        .await?;
        let relationships = refs(
            "SELECT r.id, r.kind, r.name FROM relationship_characters rc \
             JOIN tags r ON r.id = rc.relationship_id \
             WHERE rc.character_id = $1 AND r.canonical = 1 ORDER BY r.name_lower",
        )
        .await?;
        let created_at: i64 = sqlx::query_scalar("SELECT created_at FROM tags WHERE id = $1")
            .bind(t.id)
            .fetch_one(pool)
            .await?;
        let uses: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(DISTINCT wt.work_id) FROM work_tags wt \
             JOIN works w ON w.id = wt.work_id \
             WHERE wt.tag_id IN (SELECT id FROM tags WHERE id = $1 OR merger_id = $1) \
               AND {listed}"
        )))
        .bind(t.id)
        .fetch_one(pool)
        .await?;
        // Canonical tags on the same listed works, counted once per work (a synonym
        // counts for its canonical tag), the tag itself and its canonical tag left out.
        let related_sql = format!(
            "SELECT r.id, r.kind, r.name, x.n FROM ( \
                SELECT COALESCE(o.merger_id, o.id) AS rid, COUNT(DISTINCT wt.work_id) AS n \
                FROM work_tags wt \
                JOIN works w ON w.id = wt.work_id \
                JOIN work_tags ow ON ow.work_id = wt.work_id \
                JOIN tags o ON o.id = ow.tag_id \
                WHERE wt.tag_id IN (SELECT id FROM tags WHERE id = $1 OR merger_id = $1) \
                  AND {listed} \
                  AND (o.canonical = 1 OR o.merger_id IS NOT NULL) AND o.kind IN {FREE_KINDS} \
                GROUP BY COALESCE(o.merger_id, o.id) \
             ) x JOIN tags r ON r.id = x.rid \
             WHERE r.canonical = 1 AND r.id <> $1 AND r.id <> $2 \
             ORDER BY x.n DESC, r.name_lower LIMIT 10"
        );
        let related = if !related {
            Vec::new()
        } else {
            sqlx::query(AssertSqlSafe(related_sql))
                .bind(t.id)
                .bind(t.merger_id.unwrap_or(t.id))
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| Ok((tag_ref(r)?, count(r.try_get("n")?))))
                .collect::<Result<Vec<_>>>()?
        };
        let same = |r: &&TagRef| r.kind == t.kind;
        let metatags = info.parents.iter().filter(same).cloned().collect();
        let fandoms = info
            .parents
            .iter()
            .filter(|r| r.kind == TagKind::Fandom && t.kind != TagKind::Fandom)
            .cloned()
            .collect();
        let subtags = info.children.iter().filter(same).cloned().collect();
        Ok(Some(TagLookup::Found(TagDetail {
            info,
            fandoms,
            metatags,
            subtags,
            characters,
            relationships,
            media,
            related,
            uses: count(uses),
            created_at,
        })))
    }
}
