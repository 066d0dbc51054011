//! Synonyms: a tag merged into a canonical tag of the same kind, and back.

use sqlx::AnyConnection;

use super::log::{Entry, last_old_value, record_change};
use super::ops::{canonical_named, exec, flag_word, in_cycle, load, load_wrangled};
use crate::sql::int;
use crate::tags::affected_works;
use crate::{Result, StoreError};

pub(super) async fn make_synonym(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    canonical_name: &str,
) -> Result<bool> {
    let t = load_wrangled(&mut *conn, tag_id).await?;
    let target = canonical_named(&mut *conn, canonical_name).await?;
    if target.id == t.id {
        return Err(StoreError::Invalid(format!(
            "\"{}\" can't be a synonym of itself.",
            t.name
        )));
    }
    if target.kind != t.kind {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is a {} tag and \"{}\" a {} tag: a synonym must be of the same kind.",
            target.name,
            target.kind.as_str(),
            t.name,
            t.kind.as_str()
        )));
    }
    if t.merger_id == Some(target.id) {
        return Ok(false);
    }
    // What unsynonymize restores: the flag it had before it first became a synonym.
    let old = match t.merger_id {
        Some(_) => last_old_value(&mut *conn, t.id, "synonym")
            .await?
            .unwrap_or_else(|| flag_word(false).into()),
        None => flag_word(t.canonical).into(),
    };
    let mut works = affected_works(&mut *conn, &[t.id]).await?;
    if t.canonical {
        move_to(&mut *conn, t.id, target.id).await?;
        if in_cycle(&mut *conn, target.id).await? {
            return Err(StoreError::Invalid(format!(
                "Making \"{}\" a synonym of \"{}\" would make a metatag cycle: \"{}\" is under \
                 a subtag of \"{}\". Remove that parent first.",
                t.name, target.name, target.name, t.name
            )));
        }
    }
    sqlx::query("UPDATE tags SET canonical = 0, merger_id = $1 WHERE id = $2")
        .bind(target.id)
        .bind(t.id)
        .execute(&mut *conn)
        .await?;
    works.extend(affected_works(&mut *conn, &[target.id]).await?);
    record_change(
        conn,
        &works,
        Entry {
            by,
            tag_id: t.id,
            action: "synonym",
            other: Some(target.id),
            old: Some(old),
            new: Some(target.name.clone()),
            description: format!("made {} a synonym of {}", t.name, target.name),
        },
    )
    .await
}

/// Moves what hangs off canonical tag `from` to canonical tag `to` (AO3's merge): its
/// synonyms, parents, subtags and child tags, characters, the relationships naming it,
/// its media.
async fn move_to(conn: &mut AnyConnection, from: i64, to: i64) -> Result<()> {
    // ($1 = to, $2 = from)
    let copy: [&'static str; 7] = [
        "UPDATE tags SET merger_id = $1 WHERE merger_id = $2",
        "INSERT INTO tag_parents (child_id, parent_id) \
         SELECT CAST($1 AS BIGINT), parent_id FROM tag_parents WHERE child_id = $2 \
            AND parent_id <> $1 ON CONFLICT DO NOTHING",
        "INSERT INTO tag_parents (child_id, parent_id) \
         SELECT child_id, CAST($1 AS BIGINT) FROM tag_parents WHERE parent_id = $2 \
            AND child_id <> $1 ON CONFLICT DO NOTHING",
        "INSERT INTO relationship_characters (relationship_id, character_id) \
         SELECT CAST($1 AS BIGINT), character_id FROM relationship_characters \
            WHERE relationship_id = $2 ON CONFLICT DO NOTHING",
        "INSERT INTO relationship_characters (relationship_id, character_id) \
         SELECT relationship_id, CAST($1 AS BIGINT) FROM relationship_characters \
            WHERE character_id = $2 ON CONFLICT DO NOTHING",
        "INSERT INTO fandom_media (fandom_id, media_id) \
         SELECT CAST($1 AS BIGINT), media_id FROM fandom_media WHERE fandom_id = $2 \
            ON CONFLICT DO NOTHING",
        // Its old names now lead to the tag that took its works.
        "UPDATE tag_redirects SET tag_id = $1 WHERE tag_id = $2",
    ];
    for sql in copy {
        exec(&mut *conn, sql, to, from).await?;
    }
    let clear: [&'static str; 3] = [
        "DELETE FROM tag_parents WHERE child_id = $1 OR parent_id = $1",
        "DELETE FROM relationship_characters WHERE relationship_id = $1 OR character_id = $1",
        "DELETE FROM fandom_media WHERE fandom_id = $1",
    ];
    for sql in clear {
        sqlx::query(sql).bind(from).execute(&mut *conn).await?;
    }
    Ok(())
}

pub(super) async fn unsynonymize(conn: &mut AnyConnection, by: i64, tag_id: i64) -> Result<bool> {
    let t = load(&mut *conn, tag_id).await?;
    let Some(m) = t.merger_id else {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is not a synonym.",
            t.name
        )));
    };
    let m = load(&mut *conn, m).await?;
    let canonical = last_old_value(&mut *conn, t.id, "synonym")
        .await?
        .as_deref()
        == Some(flag_word(true));
    let works = affected_works(&mut *conn, &[t.id]).await?;
    sqlx::query("UPDATE tags SET merger_id = NULL, canonical = $1 WHERE id = $2")
        .bind(int(canonical))
        .bind(t.id)
        .execute(&mut *conn)
        .await?;
    record_change(
        conn,
        &works,
        Entry {
            by,
            tag_id: t.id,
            action: "unsynonym",
            other: Some(m.id),
            old: Some(m.name.clone()),
            new: Some(flag_word(canonical).into()),
            description: format!("made {} no longer a synonym of {}", t.name, m.name),
        },
    )
    .await
}
