//! Subscriptions to a work, a series or a user (an author).

use sqlx::Row;

use crate::{Result, Store, StoreError, now};

/// What a subscription follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SubscriptionKind {
    Work,
    Series,
    User,
}

impl SubscriptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionKind::Work => "work",
            SubscriptionKind::Series => "series",
            SubscriptionKind::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<SubscriptionKind> {
        match s {
            "work" | "Work" => Some(SubscriptionKind::Work),
            "series" | "Series" => Some(SubscriptionKind::Series),
            "user" | "User" => Some(SubscriptionKind::User),
            _ => None,
        }
    }
}

/// A stored subscription, with the name of what it follows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Subscription {
    pub id: i64,
    pub kind: SubscriptionKind,
    pub target_id: i64,
    /// The work's or series' title, or the user's login.
    pub name: String,
}

impl Store {
    /// Subscribes a user; `false` if already subscribed. The target must exist.
    pub async fn subscribe(
        &self,
        user_id: i64,
        kind: SubscriptionKind,
        target_id: i64,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let check = match kind {
            SubscriptionKind::Work => "SELECT id FROM works WHERE id = $1",
            SubscriptionKind::Series => "SELECT id FROM series WHERE id = $1",
            SubscriptionKind::User => "SELECT id FROM users WHERE id = $1",
        };
        let found: Option<i64> = sqlx::query_scalar(check)
            .bind(target_id)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!(
                "{} {target_id}",
                kind.as_str()
            )));
        }
        let done = sqlx::query(
            "INSERT INTO subscriptions (user_id, kind, target_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(kind.as_str())
        .bind(target_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        crate::member_changes::note(&mut tx, &[user_id]).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends a subscription; `false` if there was none.
    pub async fn unsubscribe(
        &self,
        user_id: i64,
        kind: SubscriptionKind,
        target_id: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "DELETE FROM subscriptions WHERE user_id = $1 AND kind = $2 AND target_id = $3",
        )
        .bind(user_id)
        .bind(kind.as_str())
        .bind(target_id)
        .execute(self.pool())
        .await?;
        self.note_members(&[user_id]).await?;
        Ok(done.rows_affected() > 0)
    }

    /// Whether the user follows this.
    pub async fn is_subscribed(
        &self,
        user_id: i64,
        kind: SubscriptionKind,
        target_id: i64,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM subscriptions WHERE user_id = $1 AND kind = $2 AND target_id = $3",
        )
        .bind(user_id)
        .bind(kind.as_str())
        .bind(target_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// A user's subscriptions, with names, oldest first.
    pub async fn subscriptions_of(&self, user_id: i64) -> Result<Vec<Subscription>> {
        let rows = sqlx::query(
            "SELECT s.id, s.kind, s.target_id, \
                COALESCE(w.title, se.title, u.login, '') AS name \
             FROM subscriptions s \
             LEFT JOIN works w ON s.kind = 'work' AND w.id = s.target_id \
             LEFT JOIN series se ON s.kind = 'series' AND se.id = s.target_id \
             LEFT JOIN users u ON s.kind = 'user' AND u.id = s.target_id \
             WHERE s.user_id = $1 ORDER BY s.id",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            let Some(kind) = SubscriptionKind::parse(&kind) else {
                continue;
            };
            out.push(Subscription {
                id: r.try_get("id")?,
                kind,
                target_id: r.try_get("target_id")?,
                name: r.try_get("name")?,
            });
        }
        Ok(out)
    }

    /// Who follows this.
    pub async fn subscribers(&self, kind: SubscriptionKind, target_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT user_id FROM subscriptions WHERE kind = $1 AND target_id = $2 ORDER BY user_id",
        )
        .bind(kind.as_str())
        .bind(target_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// The series a work belongs to.
    pub async fn series_of_work(&self, work_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT series_id FROM series_works WHERE work_id = $1 ORDER BY series_id",
        )
        .bind(work_id)
        .fetch_all(self.pool())
        .await?)
    }
}
