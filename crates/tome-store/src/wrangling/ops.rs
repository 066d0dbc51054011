//! The changes themselves and their helpers, each inside the caller's transaction: canonical
//! flags, renames and kinds here, synonyms and parents next door. Each returns whether it
//! changed anything (a change to what already is, is no change and writes nothing).

use std::collections::BTreeSet;

use sqlx::AnyConnection;
use tome_model::TagKind;

use super::log::{Entry, record_change};
use crate::sql::{int, lower};
use crate::tags::{TagRow, affected_works, get_tag, get_tag_exact, tag_by_id, tidy};
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

/// The tag with this id, refused unless it is wrangled: fandom, character, relationship
/// and free tags are; the others are fixed.
pub(super) async fn load_wrangled(conn: &mut AnyConnection, id: i64) -> Result<TagRow> {
    let t = load(conn, id).await?;
    if is_free(t.kind) {
        Ok(t)
    } else {
        Err(StoreError::Invalid(format!(
            "\"{}\" is a {} tag: ratings, warnings and categories are fixed.",
            t.name,
            t.kind.as_str()
        )))
    }
}

/// The tag with this id, refused unless it is a canonical tag of `kind`: "only
/// canonical {plural} {what}" (e.g. "relationships", "have characters").
pub(super) async fn load_canonical_of(
    conn: &mut AnyConnection,
    id: i64,
    kind: TagKind,
    plural: &str,
    what: &str,
) -> Result<TagRow> {
    let t = load(conn, id).await?;
    if t.kind != kind {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is a {} tag: only {plural} {what}.",
            t.name,
            t.kind.as_str()
        )));
    }
    if !t.canonical {
        return Err(StoreError::Invalid(format!(
            "\"{}\" is not canonical: only canonical {plural} {what}.",
            t.name
        )));
    }
    Ok(t)
}

pub(super) fn is_free(k: TagKind) -> bool {
    matches!(
        k,
        TagKind::Fandom | TagKind::Character | TagKind::Relationship | TagKind::Freeform
    )
}

pub(super) async fn scalar(conn: &mut AnyConnection, sql: &'static str, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_one(conn)
        .await?)
}

pub(super) async fn exec(
    conn: &mut AnyConnection,
    sql: &'static str,
    a: i64,
    b: i64,
) -> Result<u64> {
    Ok(sqlx::query(sql)
        .bind(a)
        .bind(b)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Whether `to` is `from` or one of its ancestors (parents, transitively).
pub(super) async fn reaches(conn: &mut AnyConnection, from: i64, to: i64) -> Result<bool> {
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
pub(super) async fn in_cycle(conn: &mut AnyConnection, id: i64) -> Result<bool> {
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
    let t = load_wrangled(&mut *conn, tag_id).await?;
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
        // What hangs off it, as "{verb} {n} {things}".
        let holds: [(&'static str, &str, &str); 3] = [
            (
                "SELECT COUNT(*) FROM tags WHERE merger_id = $1",
                "has",
                "synonym(s)",
            ),
            (
                "SELECT COUNT(*) FROM tag_parents WHERE parent_id = $1",
                "has",
                "subtag(s) or child tag(s)",
            ),
            (
                "SELECT COUNT(*) FROM relationship_characters WHERE character_id = $1",
                "is a character of",
                "relationship(s)",
            ),
        ];
        for (sql, verb, things) in holds {
            let n = scalar(&mut *conn, sql, t.id).await?;
            if n > 0 {
                return Err(StoreError::Invalid(format!(
                    "\"{}\" {verb} {n} {things}: it must stay canonical until they are moved.",
                    t.name
                )));
            }
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
    let (action, description) = if canonical {
        ("canonical", format!("made {} canonical", t.name))
    } else {
        ("uncanonical", format!("made {} not canonical", t.name))
    };
    record_change(
        conn,
        &works,
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
    .await
}

pub(super) fn flag_word(canonical: bool) -> &'static str {
    if canonical { "canonical" } else { "unwrangled" }
}

pub(super) async fn rename(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    new_name: &str,
) -> Result<bool> {
    let t = load_wrangled(&mut *conn, tag_id).await?;
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
    record_change(
        conn,
        &works,
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
    .await
}

pub(super) async fn set_kind(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    kind: TagKind,
) -> Result<bool> {
    let t = load_wrangled(&mut *conn, tag_id).await?;
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
    record_change(
        conn,
        &works,
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
    .await
}
