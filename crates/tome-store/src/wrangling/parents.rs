//! Parents (fandoms and metatags) and a relationship's characters.

use std::collections::BTreeSet;

use sqlx::AnyConnection;
use tome_model::TagKind;

use super::log::{Entry, record_change};
use super::ops::{canonical_named, exec, load, load_canonical_of, load_wrangled, reaches};
use crate::tags::{TagRow, affected_works};
use crate::{Result, StoreError};

pub(super) async fn add_parent(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    parent_name: &str,
    fandom_only: bool,
) -> Result<bool> {
    let t = load_wrangled(&mut *conn, tag_id).await?;
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
    let works = if metatag {
        affected_works(&mut *conn, &[t.id]).await?
    } else {
        BTreeSet::new()
    };
    let description = if metatag {
        format!("added metatag {} to {}", p.name, t.name)
    } else {
        format!("added fandom {} to {}", p.name, t.name)
    };
    record_change(
        conn,
        &works,
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
    .await
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
    record_change(
        conn,
        &works,
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
    .await
}

pub(super) async fn set_characters(
    conn: &mut AnyConnection,
    by: i64,
    tag_id: i64,
    names: &[String],
) -> Result<bool> {
    let t = load_canonical_of(
        &mut *conn,
        tag_id,
        TagKind::Relationship,
        "relationships",
        "have characters",
    )
    .await?;
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
    record_change(
        conn,
        &works,
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
    .await
}
