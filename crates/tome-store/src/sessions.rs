//! Login sessions. The cookie carries a random id; only its SHA-256 (hex) is stored,
//! computed by the caller, so a copy of the database gives no live sessions.

use sqlx::Row;
use tome_model::Role;

use crate::{Result, Store, now};

/// A live session and who it belongs to.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user_id: i64,
    pub login: String,
    pub roles: Vec<Role>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

impl Store {
    /// Stores a new session.
    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        expires_at: i64,
        user_agent: Option<&str>,
    ) -> Result<()> {
        let t = now();
        let agent = user_agent.map(|a| a.chars().take(255).collect::<String>());
        let mut tx = self.begin_write().await?;
        // A good moment to drop what has expired.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(t)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent) \
             VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(t)
        .bind(expires_at)
        .bind(agent)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session with this id hash, unless it has expired.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>> {
        let row = sqlx::query(
            "SELECT s.user_id, u.login, u.roles, s.created_at, s.last_seen_at, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.password_hash IS NOT NULL",
        )
        .bind(id_hash)
        .bind(now())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            let roles: String = r.try_get("roles")?;
            Ok(SessionRecord {
                user_id: r.try_get("user_id")?,
                login: r.try_get("login")?,
                roles: Role::parse_list(&roles),
                created_at: r.try_get("created_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// Notes activity on a session and extends it to `expires_at`.
    pub async fn touch_session(&self, id_hash: &str, expires_at: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
            .bind(now())
            .bind(expires_at)
            .bind(id_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends one session (log out). `false` if there was none.
    pub async fn delete_session(&self, id_hash: &str) -> Result<bool> {
        let user: Option<i64> =
            sqlx::query_scalar("DELETE FROM sessions WHERE id_hash = $1 RETURNING user_id")
                .bind(id_hash)
                .fetch_optional(self.pool())
                .await?;
        match user {
            Some(u) => {
                self.note_members(&[u]).await?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Ends every session of a user except `keep` (after a password change). Returns how
    /// many were ended.
    pub async fn delete_user_sessions(&self, user_id: i64, keep: Option<&str>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or(""))
            .execute(self.pool())
            .await?;
        self.note_members(&[user_id]).await?;
        Ok(done.rows_affected())
    }

    /// Number of live sessions of a user.
    pub async fn session_count(&self, user_id: i64) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2",
        )
        .bind(user_id)
        .bind(now())
        .fetch_one(self.pool())
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
