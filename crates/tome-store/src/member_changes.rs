//! What changed about a member, for the nodes that keep members in memory.
//!
//! Every write that changes what a node may remember of a member (their sessions,
//! password, roles, pseuds, mutes and blocks, and their own state on a work: bookmark,
//! subscription, mark for later) notes the member here, in the same transaction where
//! the write has one. Each web node reads the notes newer than it has seen about once a
//! second ([`Store::member_changes_since`]) and forgets those members, so a logout or a
//! password change on one node reaches every other within about a second.
//!
//! Ids are handed out before commit on PostgreSQL, so a note can commit after a later
//! one has been read. Readers therefore read by time with an overlap
//! ([`CHANGE_OVERLAP`]) and skip the ids they have already applied.

use sqlx::Row;

use crate::{Result, Store, now};

/// How far back (seconds) each read reaches before the newest note already seen: a
/// transaction that took its id before a later one but committed after it is still read
/// if it committed within this long.
pub const CHANGE_OVERLAP: i64 = 10;

/// Notes older than this (seconds) are pruned.
pub const CHANGE_KEPT: i64 = 24 * 3600;

/// One note: this member changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberChange {
    pub id: i64,
    pub user_id: i64,
    pub at: i64,
}

/// Notes that `users` changed, on `conn` (inside the writing transaction, where there is
/// one).
pub(crate) async fn note(conn: &mut sqlx::AnyConnection, users: &[i64]) -> Result<()> {
    let t = now();
    for u in users {
        sqlx::query("INSERT INTO member_changes (user_id, at) VALUES ($1, $2)")
            .bind(*u)
            .bind(t)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Notes that a member changed (for writes made outside the store's own functions,
    /// and for tests).
    pub async fn note_member_change(&self, user_id: i64) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        note(&mut conn, &[user_id]).await
    }

    /// Notes that members changed, on a connection of the pool (for writes of one
    /// statement, which have no transaction of their own).
    pub(crate) async fn note_members(&self, users: &[i64]) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        note(&mut conn, users).await
    }

    /// Notes made at or after `since` (unix seconds), oldest first, at most `limit`.
    pub async fn member_changes_since(&self, since: i64, limit: i64) -> Result<Vec<MemberChange>> {
        sqlx::query(
            "SELECT id, user_id, at FROM member_changes WHERE at >= $1 ORDER BY at, id LIMIT $2",
        )
        .bind(since)
        .bind(limit)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(MemberChange {
                id: r.try_get("id")?,
                user_id: r.try_get("user_id")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
    }

    /// Drops notes older than [`CHANGE_KEPT`]; returns how many.
    pub async fn prune_member_changes(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM member_changes WHERE at < $1")
            .bind(now() - CHANGE_KEPT)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
