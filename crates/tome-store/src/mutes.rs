//! Muting and blocking users, and muting tags.
//!
//! - Mute: the muter no longer sees the muted user's works and comments.
//! - Block: the blocked user cannot comment on the blocker's works or reply to them.
//! - Muted tags: works carrying them are left out of the muter's listings.

use std::collections::HashMap;

use sqlx::Row;

use crate::sql::lower;
use crate::{Result, Store, StoreError, TagRef, now};

/// Mute or block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum MuteKind {
    Mute,
    Block,
}

impl MuteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MuteKind::Mute => "mute",
            MuteKind::Block => "block",
        }
    }
}

/// A muted or blocked user.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MutedUser {
    pub id: i64,
    pub login: String,
}

impl Store {
    /// Mutes or blocks a user by login; `false` if already done. Nobody mutes themselves.
    pub async fn add_user_mute(
        &self,
        user_id: i64,
        target_login: &str,
        kind: MuteKind,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let target: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE login_lower = $1")
            .bind(lower(target_login.trim()))
            .fetch_optional(&mut *tx)
            .await?;
        let Some(target) = target else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("user {target_login}")));
        };
        if target == user_id {
            tx.rollback().await?;
            return Err(StoreError::Invalid(format!(
                "You cannot {} yourself.",
                kind.as_str()
            )));
        }
        let done = sqlx::query(
            "INSERT INTO user_mutes (user_id, target_id, kind, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(target)
        .bind(kind.as_str())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        // The muter's listings change; a block also changes what the blocked may do.
        crate::member_changes::note(&mut tx, &[user_id, target]).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Unmutes or unblocks a user by id; `false` if they were not.
    pub async fn remove_user_mute(
        &self,
        user_id: i64,
        target_id: i64,
        kind: MuteKind,
    ) -> Result<bool> {
        let done = sqlx::query(
            "DELETE FROM user_mutes WHERE user_id = $1 AND target_id = $2 AND kind = $3",
        )
        .bind(user_id)
        .bind(target_id)
        .bind(kind.as_str())
        .execute(self.pool())
        .await?;
        self.note_members(&[user_id, target_id]).await?;
        Ok(done.rows_affected() > 0)
    }

    /// The users someone muted or blocked, by login.
    pub async fn user_mutes(&self, user_id: i64, kind: MuteKind) -> Result<Vec<MutedUser>> {
        sqlx::query(
            "SELECT u.id, u.login FROM user_mutes m JOIN users u ON u.id = m.target_id \
             WHERE m.user_id = $1 AND m.kind = $2 ORDER BY u.login_lower",
        )
        .bind(user_id)
        .bind(kind.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(MutedUser {
                id: r.try_get("id")?,
                login: r.try_get("login")?,
            })
        })
        .collect()
    }

    /// Whether any of `blockers` has blocked `user_id`.
    pub async fn is_blocked_by_any(&self, blockers: &[i64], user_id: i64) -> Result<bool> {
        if blockers.is_empty() {
            return Ok(false);
        }
        let sql = format!(
            "SELECT COUNT(*) FROM user_mutes WHERE kind = 'block' AND target_id = $1 \
             AND user_id IN ({})",
            crate::sql::placeholders(2, blockers.len())
        );
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).bind(user_id);
        for b in blockers {
            q = q.bind(*b);
        }
        Ok(q.fetch_one(self.pool()).await? > 0)
    }

    /// Mutes a tag by name; `false` if already muted.
    pub async fn mute_tag(&self, user_id: i64, tag_name: &str) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let tag: Option<i64> = sqlx::query_scalar("SELECT id FROM tags WHERE name_lower = $1")
            .bind(lower(tag_name.trim()))
            .fetch_optional(&mut *tx)
            .await?;
        let Some(tag) = tag else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("tag {tag_name}")));
        };
        let done = sqlx::query(
            "INSERT INTO tag_mutes (user_id, tag_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(tag)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        crate::member_changes::note(&mut tx, &[user_id]).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Unmutes a tag by id.
    pub async fn unmute_tag(&self, user_id: i64, tag_id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM tag_mutes WHERE user_id = $1 AND tag_id = $2")
            .bind(user_id)
            .bind(tag_id)
            .execute(self.pool())
            .await?;
        self.note_members(&[user_id]).await?;
        Ok(done.rows_affected() > 0)
    }

    /// A user's muted tags, with the ids of their synonyms (a work tagged with a synonym
    /// of a muted tag is hidden too).
    pub async fn muted_tags(&self, user_id: i64) -> Result<Vec<(TagRef, Vec<i64>)>> {
        let rows = sqlx::query(
            "SELECT t.id, t.kind, t.name FROM tag_mutes m JOIN tags t ON t.id = m.tag_id \
             WHERE m.user_id = $1 ORDER BY t.name_lower",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        // Every muted tag's synonyms in one query: the tags merged into it, and the
        // canonical tag it is merged into.
        let mut synonyms: HashMap<i64, Vec<i64>> = HashMap::new();
        let pairs = sqlx::query(
            "SELECT m.tag_id AS muted, s.id FROM tag_mutes m JOIN tags t ON t.id = m.tag_id \
             JOIN tags s ON s.merger_id = t.id OR s.id = t.merger_id \
             WHERE m.user_id = $1 ORDER BY s.id",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        for p in &pairs {
            synonyms
                .entry(p.try_get("muted")?)
                .or_default()
                .push(p.try_get("id")?);
        }
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let kind: String = r.try_get("kind")?;
            out.push((
                TagRef {
                    id,
                    kind: crate::sql::kind(&kind)?,
                    name: r.try_get("name")?,
                },
                synonyms.remove(&id).unwrap_or_default(),
            ));
        }
        Ok(out)
    }
}
