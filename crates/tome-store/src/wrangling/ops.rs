//! The changes themselves, each inside the caller's transaction. Each returns whether it
//! changed anything (a change to what already is, is no change and writes nothing).

use std::collections::BTreeSet;

use sqlx::AnyConnection;
use tome_model::TagKind;

use super::log::{Entry, last_old_value, record};
use crate::sql::{int, lower};
use crate::tags::{TagRow, affected_works, get_tag, get_tag_exact, queue_works, tag_by_id, tidy};
use crate::{Result, StoreError};

/// The tag with this id.
pub(super) async fn load(conn: &mut AnyConnection, id: i64) -> Result<TagRow> {
    tag_by_id(conn, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("There is no tag #{id}.")))
}

/// The canonical tag a typed name stands for: the tag of that name (or old name), or the
/// canonical tag it is a synonym of. Refused when unknown or not canonical.
pub(super) async fn canonical_named(conn: &mut AnyConnection, name: &str) -> Result<TagRow> {
    let name = name.trim();
    let t = get_tag(&mut *conn, name)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("There is no tag called \"{name}\".")))?;
    let t = match t.merger_id {
        Some(m) => load(conn, m).await?,
        None => t,
    };
    if !t.canonical {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is not canonical: make it canonical first.",
            t.name
        )));
    }
    Ok(t)
}

/// Fandom, character, relationship and free tags are wrangled; the others are fixed.
fn wrangled(t: &TagRow) -> Result<()> {
    if is_free(t.kind) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "\"{}\" is a {} tag: ratings, warnings and categories are fixed.",
            t.name,
            t.kind.as_str()
        )))
    }
}

pub(super) fn is_free(k: TagKind) -> bool {
    matches!(
        k,
        TagKind::Fandom | TagKind::Character | TagKind::Relationship | TagKind::Freeform
    )
}

async fn scalar(conn: &mut AnyConnection, sql: &'static str, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_one(conn)
        .await?)
}

async fn exec(conn: &mut AnyConnection, sql: &'static str, a: i64, b: i64) -> Result<u64> {
    Ok(sqlx::query(sql)
        .bind(a)
        .bind(b)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Whether `to` is `from` or one of its ancestors (parents, transitively).
async fn reaches(conn: &mut AnyConnection, from: i64, to: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "WITH RECURSIVE up(id) AS ( \
            SELECT CAST($1 AS BIGINT) \
            UNION SELECT tp.parent_id FROM tag_parents tp JOIN up ON tp.child_id = up.id \
         ) SELECT COUNT(*) FROM up WHERE id = $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Whether the tag is its own ancestor.
async fn in_cycle(conn: &mut AnyConnection, id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "WITH RECURSIVE up(id) AS ( \
            SELECT parent_id FROM tag_parents WHERE child_id = $1 \
            UNION SELECT tp.parent_id FROM tag_parents tp JOIN up ON tp.child_id = up.id \
         ) SELECT COUNT(*) FROM up WHERE id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub(super) async fn set_canonical(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    canonical: bool,
) -> Result<bool> {
    let t = load(&mut *conn, tag_id).await?;
    wrangled(&t)?;
    if t.canonical == canonical {
        return Ok(false);
    }
    let mut works = BTreeSet::new();
    if canonical {
        if let Some(m) = t.merger_id {
            let m = load(&mut *conn, m).await?;
            return Err(StoreError::Invalid(format!(
                "\"{}\" is a synonym of \"{}\": un-synonymize it first.",
                t.name, m.name
            )));
        }
    } else {
        let refuse = |what: String| {
            Err(StoreError::Invalid(format!(
                "\"{}\" {what}: it must stay canonical until they are moved.",
                t.name
            )))
        };
        let n = scalar(
            &mut *conn,
            "SELECT COUNT(*) FROM tags WHERE merger_id = $1",
            t.id,
        )
        .await?;
        if n > 0 {
            return refuse(format!("has {n} synonym(s)"));
        }
        let n = scalar(
            &mut *conn,
            "SELECT COUNT(*) FROM tag_parents WHERE parent_id = $1",
            t.id,
        )
        .await?;
        if n > 0 {
            return refuse(format!("has {n} subtag(s) or child tag(s)"));
        }
        let n = scalar(
            &mut *conn,
            "SELECT COUNT(*) FROM relationship_characters WHERE character_id = $1",
            t.id,
        )
        .await?;
        if n > 0 {
            return refuse(format!("is a character of {n} relationship(s)"));
        }
        works = affected_works(&mut *conn, &[t.id]).await?;
        // A non-canonical tag has no metatags, characters or media (fandom parents stay).
        exec(
            &mut *conn,
            "DELETE FROM tag_parents WHERE child_id = $1 \
             AND parent_id IN (SELECT id FROM tags WHERE kind = (SELECT kind FROM tags WHERE id = $2))",
            t.id,
            t.id,
        )
        .await?;
        for sql in [
            "DELETE FROM relationship_characters WHERE relationship_id = $1",
            "DELETE FROM fandom_media WHERE fandom_id = $1",
        ] {
            sqlx::query(sql).bind(t.id).execute(&mut *conn).await?;
        }
    }
    sqlx::query("UPDATE tags SET canonical = $1 WHERE id = $2")
        .bind(int(canonical))
        .bind(t.id)
        .execute(&mut *conn)
        .await?;
    queue_works(&mut *conn, &works).await?;
    let (action, description) = if canonical {
        ("canonical", format!("made {} canonical", t.name))
    } else {
        ("uncanonical", format!("made {} not canonical", t.name))
    };
    record(
        conn,
        Entry {
            by,
            tag_id: t.id,
            action,
            other: None,
            old: Some(flag_word(t.canonical).into()),
            new: Some(flag_word(canonical).into()),
            description,
        },
    )
    .await?;
    Ok(true)
}

fn flag_word(canonical: bool) -> &'static str {
    if canonical { "canonical" } else { "unwrangled" }
}

pub(super) async fn make_synonym(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    canonical_name: &str,
) -> Result<bool> {
    let t = load(&mut *conn, tag_id).await?;
    wrangled(&t)?;
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
    queue_works(&mut *conn, &works).await?;
    record(
        conn,
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
    .await?;
    Ok(true)
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
    queue_works(&mut *conn, &works).await?;
    record(
        conn,
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
    .await?;
    Ok(true)
}

pub(super) async fn rename(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    new_name: &str,
) -> Result<bool> {
    let t = load(&mut *conn, tag_id).await?;
    wrangled(&t)?;
    let new = tidy(new_name)?;
    if new == t.name {
        return Ok(false);
    }
    let case_only = lower(&new) == lower(&t.name);
    if !case_only && let Some(other) = get_tag_exact(&mut *conn, &new).await? {
        return Err(StoreError::Invalid(format!(
            "A tag called \"{}\" already exists: make \"{}\" its synonym instead.",
            other.name, t.name
        )));
    }
    sqlx::query("UPDATE tags SET name = $1, name_lower = $2 WHERE id = $3")
        .bind(&new)
        .bind(lower(&new))
        .bind(t.id)
        .execute(&mut *conn)
        .await?;
    if !case_only {
        sqlx::query("DELETE FROM tag_redirects WHERE old_name_lower = $1")
            .bind(lower(&new))
            .execute(&mut *conn)
            .await?;
        if t.canonical {
            sqlx::query(
                "INSERT INTO tag_redirects (old_name_lower, tag_id) VALUES ($1, $2) \
                 ON CONFLICT (old_name_lower) DO UPDATE SET tag_id = excluded.tag_id",
            )
            .bind(lower(&t.name))
            .bind(t.id)
            .execute(&mut *conn)
            .await?;
        }
    }
    // Tag names are indexed with the works.
    let works = affected_works(&mut *conn, &[t.id]).await?;
    queue_works(&mut *conn, &works).await?;
    record(
        conn,
        Entry {
            by,
            tag_id: t.id,
            action: "rename",
            other: None,
            old: Some(t.name.clone()),
            new: Some(new.clone()),
            description: format!("renamed {} to {}", t.name, new),
        },
    )
    .await?;
    Ok(true)
}

pub(super) async fn set_kind(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    kind: TagKind,
) -> Result<bool> {
    let t = load(&mut *conn, tag_id).await?;
    wrangled(&t)?;
    if !is_free(kind) {
        return Err(StoreError::Invalid(format!(
            "A tag can't become a {} tag: ratings, warnings and categories are fixed.",
            kind.as_str()
        )));
    }
    if t.kind == kind {
        return Ok(false);
    }
    if t.canonical || t.merger_id.is_some() {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is {}: only unwrangled tags change kind.",
            t.name,
            if t.canonical {
                "canonical"
            } else {
                "a synonym"
            }
        )));
    }
    if kind == TagKind::Fandom {
        // A fandom has no fandom parents (only canonical fandoms have metatags).
        sqlx::query("DELETE FROM tag_parents WHERE child_id = $1")
            .bind(t.id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE tags SET kind = $1 WHERE id = $2")
        .bind(kind.as_str())
        .bind(t.id)
        .execute(&mut *conn)
        .await?;
    let works = affected_works(&mut *conn, &[t.id]).await?;
    queue_works(&mut *conn, &works).await?;
    record(
        conn,
        Entry {
            by,
            tag_id: t.id,
            action: "kind",
            other: None,
            old: Some(t.kind.as_str().into()),
            new: Some(kind.as_str().into()),
            description: format!(
                "changed {} from a {} tag to a {} tag",
                t.name,
                t.kind.as_str(),
                kind.as_str()
            ),
        },
    )
    .await?;
    Ok(true)
}

pub(super) async fn add_parent(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    parent_name: &str,
    fandom_only: bool,
) -> Result<bool> {
    let t = load(&mut *conn, tag_id).await?;
    wrangled(&t)?;
    let p = canonical_named(&mut *conn, parent_name).await?;
    if fandom_only && p.kind != TagKind::Fandom {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is a {} tag, not a fandom.",
            p.name,
            p.kind.as_str()
        )));
    }
    let metatag = p.kind == t.kind;
    if metatag {
        if !t.canonical {
            return Err(StoreError::Invalid(format!(
                "\"{}\" is not canonical: only canonical tags have metatags.",
                t.name
            )));
        }
        if p.id == t.id {
            return Err(StoreError::Invalid(format!(
                "\"{}\" can't be its own metatag.",
                t.name
            )));
        }
        if reaches(&mut *conn, p.id, t.id).await? {
            return Err(StoreError::Invalid(format!(
                "\"{}\" is already under \"{}\": that would make a cycle.",
                p.name, t.name
            )));
        }
    } else if p.kind != TagKind::Fandom {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is a {} tag: a {} tag's parents are canonical fandoms or canonical {} tags.",
            p.name,
            p.kind.as_str(),
            t.kind.as_str(),
            t.kind.as_str()
        )));
    }
    let added = exec(
        &mut *conn,
        "INSERT INTO tag_parents (child_id, parent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        t.id,
        p.id,
    )
    .await?;
    if added == 0 {
        return Ok(false);
    }
    // Only metatags change filtering; a fandom parent files the tag under the fandom.
    if metatag {
        let works = affected_works(&mut *conn, &[t.id]).await?;
        queue_works(&mut *conn, &works).await?;
    }
    let description = if metatag {
        format!("added metatag {} to {}", p.name, t.name)
    } else {
        format!("added fandom {} to {}", p.name, t.name)
    };
    record(
        conn,
        Entry {
            by,
            tag_id: t.id,
            action: "parent_added",
            other: Some(p.id),
            old: None,
            new: Some(p.name.clone()),
            description,
        },
    )
    .await?;
    Ok(true)
}

pub(super) async fn remove_parent(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    parent_id: i64,
) -> Result<bool> {
    let t = load(&mut *conn, tag_id).await?;
    let p = load(&mut *conn, parent_id).await?;
    let metatag = p.kind == t.kind;
    let works = if metatag {
        affected_works(&mut *conn, &[t.id]).await?
    } else {
        BTreeSet::new()
    };
    let removed = exec(
        &mut *conn,
        "DELETE FROM tag_parents WHERE child_id = $1 AND parent_id = $2",
        t.id,
        p.id,
    )
    .await?;
    if removed == 0 {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is not under \"{}\".",
            t.name, p.name
        )));
    }
    queue_works(&mut *conn, &works).await?;
    record(
        conn,
        Entry {
            by,
            tag_id: t.id,
            action: "parent_removed",
            other: Some(p.id),
            old: Some(p.name.clone()),
            new: None,
            description: format!(
                "removed {} {} from {}",
                if metatag { "metatag" } else { "fandom" },
                p.name,
                t.name
            ),
        },
    )
    .await?;
    Ok(true)
}

pub(super) async fn set_characters(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    names: &[String],
) -> Result<bool> {
    let t = load(&mut *conn, tag_id).await?;
    if t.kind != TagKind::Relationship {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is a {} tag: only relationships have characters.",
            t.name,
            t.kind.as_str()
        )));
    }
    if !t.canonical {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is not canonical: only canonical relationships have characters.",
            t.name
        )));
    }
    let mut new: Vec<TagRow> = Vec::new();
    for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let c = canonical_named(&mut *conn, n).await?;
        if c.kind != TagKind::Character {
            return Err(StoreError::Invalid(format!(
                "\"{}\" is a {} tag, not a character.",
                c.name,
                c.kind.as_str()
            )));
        }
        if !new.iter().any(|x| x.id == c.id) {
            new.push(c);
        }
    }
    let old: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.name FROM relationship_characters rc JOIN tags c ON c.id = rc.character_id \
         WHERE rc.relationship_id = $1 ORDER BY c.name_lower",
    )
    .bind(t.id)
    .fetch_all(&mut *conn)
    .await?;
    let old_ids: BTreeSet<i64> = old.iter().map(|(id, _)| *id).collect();
    let new_ids: BTreeSet<i64> = new.iter().map(|c| c.id).collect();
    if old_ids == new_ids {
        return Ok(false);
    }
    // Works tagged with it filtered under the old characters and now under the new ones.
    let works = affected_works(&mut *conn, &[t.id]).await?;
    sqlx::query("DELETE FROM relationship_characters WHERE relationship_id = $1")
        .bind(t.id)
        .execute(&mut *conn)
        .await?;
    for c in &new {
        exec(
            &mut *conn,
            "INSERT INTO relationship_characters (relationship_id, character_id) VALUES ($1, $2)",
            t.id,
            c.id,
        )
        .await?;
    }
    queue_works(&mut *conn, &works).await?;
    let old_names: Vec<String> = old.into_iter().map(|(_, n)| n).collect();
    let new_names: Vec<String> = new.into_iter().map(|c| c.name).collect();
    let description = if new_names.is_empty() {
        format!("removed the characters of {}", t.name)
    } else {
        format!(
            "set the characters of {} to {}",
            t.name,
            new_names.join(", ")
        )
    };
    record(
        conn,
        Entry {
            by,
            tag_id: t.id,
            action: "characters",
            other: None,
            old: Some(old_names.join(", ")),
            new: Some(new_names.join(", ")),
            description,
        },
    )
    .await?;
    Ok(true)
}
