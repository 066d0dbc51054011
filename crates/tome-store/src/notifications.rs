//! The inbox: notifications of new chapters and works, comments and replies, and a
//! kudos digest (one unread line per work, rewritten as kudos come in).

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::sql::{count, placeholders};
use crate::{Result, Store, now};

/// One inbox line.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    /// "new_chapter" | "new_work" | "comment" | "reply" | "kudos".
    pub kind: String,
    pub work_id: Option<i64>,
    pub comment_id: Option<i64>,
    /// Plain text (escaped when shown).
    pub text: String,
    /// A local path.
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

/// Something to tell one or more users.
#[derive(Debug, Clone, Default)]
pub struct NewNotification {
    pub kind: String,
    pub work_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub text: String,
    pub link: String,
}

/// Who left kudos on a work: logged-in users' logins (oldest first) and how many guests.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct KudosGivers {
    pub users: Vec<String>,
    pub guests: u64,
}

/// A user to e-mail.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub id: i64,
    pub login: String,
    pub email: Option<String>,
}

fn notification(r: &AnyRow) -> Result<Notification> {
    Ok(Notification {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        kind: r.try_get("kind")?,
        work_id: r.try_get("work_id")?,
        comment_id: r.try_get("comment_id")?,
        text: r.try_get("text")?,
        link: r.try_get("link")?,
        created_at: r.try_get("created_at")?,
        read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
    })
}

impl Store {
    /// Adds the same notification to each user's inbox, in one transaction.
    pub async fn notify(&self, user_ids: &[i64], n: &NewNotification) -> Result<()> {
        if user_ids.is_empty() {
            return Ok(());
        }
        let t = now();
        let mut tx = self.begin_write().await?;
        for u in user_ids {
            sqlx::query(
                "INSERT INTO notifications (user_id, kind, work_id, comment_id, text, link, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(*u)
            .bind(n.kind.as_str())
            .bind(n.work_id)
            .bind(n.comment_id)
            .bind(n.text.as_str())
            .bind(n.link.as_str())
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The kudos digest: rewrites the user's unread kudos line for the work, or adds one.
    /// `true` when a new line was added (worth an e-mail), `false` when one was rewritten.
    pub async fn notify_kudos_digest(
        &self,
        user_id: i64,
        work_id: i64,
        text: &str,
        link: &str,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let t = now();
        let done = sqlx::query(
            "UPDATE notifications SET text = $1, created_at = $2 \
             WHERE user_id = $3 AND work_id = $4 AND kind = 'kudos' AND read_at IS NULL",
        )
        .bind(text)
        .bind(t)
        .bind(user_id)
        .bind(work_id)
        .execute(&mut *tx)
        .await?;
        let added = done.rows_affected() == 0;
        if added {
            sqlx::query(
                "INSERT INTO notifications (user_id, kind, work_id, text, link, created_at) \
                 VALUES ($1, 'kudos', $2, $3, $4, $5)",
            )
            .bind(user_id)
            .bind(work_id)
            .bind(text)
            .bind(link)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// A user's inbox, newest first.
    pub async fn notifications(&self, user_id: i64, limit: u32) -> Result<Vec<Notification>> {
        sqlx::query(
            "SELECT id, user_id, kind, work_id, comment_id, text, link, created_at, read_at \
             FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(i64::from(limit.clamp(1, 1000)))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(notification)
        .collect()
    }

    /// Number of unread notifications.
    pub async fn unread_notifications(&self, user_id: i64) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(count(n))
    }

    /// Marks every notification of the user read.
    pub async fn mark_notifications_read(&self, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now())
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Logins and e-mail addresses of users, by id: those who want notifications
    /// e-mailed (the default; `user_preferences.email_notifications` turns it off).
    pub async fn recipients(&self, user_ids: &[i64]) -> Result<Vec<Recipient>> {
        let mut out = Vec::new();
        for chunk in user_ids.chunks(crate::sql::CHUNK) {
            let sql = format!(
                "SELECT u.id, u.login, u.email FROM users u \
                 LEFT JOIN user_preferences p ON p.user_id = u.id \
                 WHERE u.id IN ({}) AND COALESCE(p.email_notifications, 1) <> 0 ORDER BY u.id",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.pool()).await? {
                out.push(Recipient {
                    id: r.try_get("id")?,
                    login: r.try_get("login")?,
                    email: r.try_get("email")?,
                });
            }
        }
        Ok(out)
    }

    /// How many guests' kudos on a work have keys starting with `key_prefix` (the web
    /// layer puts a hash of the guest's address first, so this counts one address's).
    pub async fn guest_kudos_with_prefix(&self, work_id: i64, key_prefix: &str) -> Result<u64> {
        // Only hex prefixes are asked for; anything else could carry LIKE wildcards.
        if key_prefix.is_empty() || !key_prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(0);
        }
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM kudos WHERE work_id = $1 AND user_id IS NULL \
             AND guest_key LIKE $2",
        )
        .bind(work_id)
        .bind(format!("{key_prefix}%"))
        .fetch_one(self.pool())
        .await?;
        Ok(count(n))
    }

    /// Who left kudos on a work.
    pub async fn kudos_givers(&self, work_id: i64) -> Result<KudosGivers> {
        let users: Vec<String> = sqlx::query_scalar(
            "SELECT u.login FROM kudos k JOIN users u ON u.id = k.user_id \
             WHERE k.work_id = $1 ORDER BY k.id",
        )
        .bind(work_id)
        .fetch_all(self.pool())
        .await?;
        let guests: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM kudos WHERE work_id = $1 AND user_id IS NULL")
                .bind(work_id)
                .fetch_one(self.pool())
                .await?;
        Ok(KudosGivers {
            users,
            guests: count(guests),
        })
    }
}
