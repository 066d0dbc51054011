//! Members' profiles (a bio they write), their preferences, and the archive's people.
//!
//! Both per-member tables hold at most one row a member, written with
//! `INSERT … ON CONFLICT (user_id) DO UPDATE`: two saves at once never clash, and no row
//! means the defaults.

use sqlx::{AssertSqlSafe, Row};
use tome_model::visibility::{self, Reader, Surface};

use crate::sql::{count, flag, int, lower};
use crate::users::ORPHAN_ACCOUNT;
use crate::{Result, Store, StoreError, now};

/// A member's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    /// As they typed it (Markdown or HTML; pages show it through the sanitizer), empty
    /// when they wrote none.
    pub bio: String,
    /// When the bio was last saved (0: never).
    pub updated_at: i64,
}

/// A member's preferences.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Preferences {
    /// Inbox notifications are also e-mailed (when the archive sends mail).
    pub email_notifications: bool,
    /// Ask before showing works rated Mature or Explicit.
    pub show_adult_warnings: bool,
    /// Others' work skins are not applied.
    pub hide_work_skins: bool,
    /// The posting form's text format (`html`, `markdown`, ...); empty: the archive's.
    pub text_format: String,
}

impl Default for Preferences {
    fn default() -> Preferences {
        Preferences {
            email_notifications: true,
            show_adult_warnings: true,
            hide_work_skins: false,
            text_format: String::new(),
        }
    }
}

/// A row of the archive's people.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    pub id: i64,
    pub login: String,
    /// Their pseuds' names, default first.
    pub pseuds: Vec<String>,
    /// Works on their pages the reader may see.
    pub works: u64,
    pub created_at: i64,
}

impl Store {
    /// A member's profile (the defaults when they never saved one).
    pub async fn profile(&self, user_id: i64) -> Result<Profile> {
        let row = sqlx::query("SELECT bio, updated_at FROM user_profiles WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        match row {
            None => Ok(Profile::default()),
            Some(r) => Ok(Profile {
                bio: r.try_get("bio")?,
                updated_at: r.try_get("updated_at")?,
            }),
        }
    }

    /// Saves a member's bio, as typed.
    pub async fn set_bio(&self, user_id: i64, bio: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO user_profiles (user_id, bio, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET bio = $2, updated_at = $3",
        )
        .bind(user_id)
        .bind(bio)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A member's preferences (the defaults when they never saved any).
    pub async fn preferences(&self, user_id: i64) -> Result<Preferences> {
        let row = sqlx::query(
            "SELECT email_notifications, show_adult_warnings, hide_work_skins, text_format \
             FROM user_preferences WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        match row {
            None => Ok(Preferences::default()),
            Some(r) => Ok(Preferences {
                email_notifications: flag(r.try_get("email_notifications")?),
                show_adult_warnings: flag(r.try_get("show_adult_warnings")?),
                hide_work_skins: flag(r.try_get("hide_work_skins")?),
                text_format: r.try_get("text_format")?,
            }),
        }
    }

    /// Saves a member's preferences.
    pub async fn save_preferences(&self, user_id: i64, p: &Preferences) -> Result<()> {
        sqlx::query(
            "INSERT INTO user_preferences \
             (user_id, email_notifications, show_adult_warnings, hide_work_skins, text_format, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id) DO UPDATE SET email_notifications = $2, \
             show_adult_warnings = $3, hide_work_skins = $4, text_format = $5, updated_at = $6",
        )
        .bind(user_id)
        .bind(int(p.email_notifications))
        .bind(int(p.show_adult_warnings))
        .bind(int(p.hide_work_skins))
        .bind(&p.text_format)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Changes a member's e-mail address. One in use by another account is a
    /// [`StoreError::Conflict`] (the unique index decides, so two members asking for the
    /// same address at once cannot both get it).
    pub async fn set_email(&self, user_id: i64, email: &str) -> Result<()> {
        let email = email.trim();
        if email.is_empty() {
            return Err(StoreError::Invalid("An e-mail address is required.".into()));
        }
        let done = sqlx::query("UPDATE users SET email = $1, email_lower = $2 WHERE id = $3")
            .bind(email)
            .bind(lower(email))
            .bind(user_id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {user_id}")));
        }
        Ok(())
    }

    /// One page (1-based) of the archive's people, by login, with the number of works on
    /// their pages `reader` may see (the byline predicate their works page uses), and how
    /// many people there are. The `orphan_account` is nobody's and is left out.
    pub async fn people(
        &self,
        reader: &Reader,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<Person>, u64)> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE login_lower <> $1")
            .bind(ORPHAN_ACCOUNT)
            .fetch_one(self.pool())
            .await?;
        let seen = visibility::sql_predicate(reader, Surface::Byline, "w");
        let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
        let sql = format!(
            "SELECT u.id, u.login, u.created_at, \
             (SELECT COUNT(*) FROM works w WHERE w.id IN (SELECT c.work_id FROM creatorships c \
              JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = u.id) AND {seen}) AS works \
             FROM users u WHERE u.login_lower <> $1 ORDER BY u.login_lower LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(ORPHAN_ACCOUNT)
            .bind(i64::from(per_page))
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        let mut people = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("id")?;
            people.push(Person {
                id,
                login: r.try_get("login")?,
                pseuds: Vec::new(),
                works: count(r.try_get("works")?),
                created_at: r.try_get("created_at")?,
            });
        }
        if !people.is_empty() {
            let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
            let sql = format!(
                "SELECT user_id, name FROM pseuds WHERE user_id IN ({}) \
                 ORDER BY is_default DESC, name_lower",
                crate::sql::placeholders(1, ids.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in &ids {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.pool()).await? {
                let uid: i64 = r.try_get("user_id")?;
                if let Some(p) = people.iter_mut().find(|p| p.id == uid) {
                    p.pseuds.push(r.try_get("name")?);
                }
            }
        }
        Ok((people, count(total)))
    }
}
