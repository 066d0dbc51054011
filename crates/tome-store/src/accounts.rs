//! Accounts: users who can log in, their pseuds, roles, login attempts and invitations.
//!
//! Password hashes are made and checked by the web layer (argon2id); the store only keeps
//! the PHC string. Authors brought in by an import are users without a password hash.

use serde::Serialize;
use sqlx::{AnyConnection, Row};
use tome_model::Role;

use crate::sql::{lower, placeholders};
use crate::users::ORPHAN_ACCOUNT;
use crate::{PseudRef, Result, Store, StoreError, now};

/// An account as the accounts code sees it (never shown to other readers as is).
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub email: Option<String>,
    /// The argon2id PHC string; `None` for imported authors, who cannot log in.
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub roles: Vec<Role>,
    pub created_at: i64,
}

impl Account {
    pub fn has_role(&self, role: Role) -> bool {
        role == Role::User || self.roles.contains(&role)
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub login: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub roles: &'a [Role],
    /// Consumed in the same transaction; an unknown or used code refuses the account.
    pub invitation: Option<&'a str>,
}

/// What happens to a deleted account's works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorksOnDelete {
    /// Re-signed with the `orphan_account` pseud; they stay on the archive.
    Orphan,
    /// Deleted, unless a co-creator remains (then only this account's name comes off).
    Delete,
}

/// An invitation code for invite-only sign-up.
#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub code: String,
    pub created_at: i64,
    /// Login of the account that used it.
    pub used_by: Option<String>,
    pub used_at: Option<i64>,
}

/// Failed logins in a window: how many, and when the oldest of them happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u64,
    pub oldest: Option<i64>,
}

const ACCOUNT_COLUMNS: &str = "id, login, email, password_hash, roles, created_at";

fn account(r: &sqlx::any::AnyRow) -> Result<Account> {
    let roles: String = r.try_get("roles")?;
    Ok(Account {
        id: r.try_get("id")?,
        login: r.try_get("login")?,
        email: r.try_get("email")?,
        password_hash: r.try_get("password_hash")?,
        roles: Role::parse_list(&roles),
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    /// An account by login (case-insensitive).
    pub async fn account_by_login(&self, login: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE login_lower = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(lower(login))
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(account)
            .transpose()
    }

    /// An account by id.
    pub async fn account(&self, id: i64) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE id = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(account)
            .transpose()
    }

    /// Whether an account uses this email (case-insensitive).
    pub async fn email_taken(&self, email: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email_lower = $1")
            .bind(lower(email.trim()))
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }

    /// Every account that can log in (has a password), by login.
    pub async fn list_accounts(&self) -> Result<Vec<Account>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM users WHERE password_hash IS NOT NULL ORDER BY login_lower"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(account)
            .collect()
    }

    /// Whether any account has the admin role.
    pub async fn has_admin(&self) -> Result<bool> {
        let rows: Vec<String> = sqlx::query_scalar("SELECT roles FROM users WHERE roles <> ''")
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .iter()
            .any(|r| Role::parse_list(r).contains(&Role::Admin)))
    }

    /// Creates an account with its default pseud (named like the login). A taken login
    /// or email is a [`StoreError::Conflict`]; a bad invitation is [`StoreError::Invalid`].
    pub async fn create_account(&self, new: &NewAccount<'_>) -> Result<Account> {
        let login = new.login.trim();
        if login.is_empty() {
            return Err(StoreError::Invalid("A login is required.".into()));
        }
        let key = lower(login);
        let email = new.email.map(str::trim).filter(|e| !e.is_empty());
        let t = now();
        let mut tx = self.begin_write().await?;
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE login_lower = $1")
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            tx.rollback().await?;
            return Err(StoreError::Conflict(format!("login {login} is taken")));
        }
        if let Some(e) = email {
            let taken: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email_lower = $1")
                    .bind(lower(e))
                    .fetch_one(&mut *tx)
                    .await?;
            if taken > 0 {
                tx.rollback().await?;
                return Err(StoreError::Conflict(format!("email {e} is taken")));
            }
        }
        let roles = Role::join(new.roles);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (login, login_lower, email, email_lower, password_hash, roles, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(login)
        .bind(&key)
        .bind(email)
        .bind(email.map(lower))
        .bind(new.password_hash)
        .bind(&roles)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO pseuds (user_id, name, name_lower, is_default, created_at) \
             VALUES ($1, $2, $3, 1, $4)",
        )
        .bind(id)
        .bind(login)
        .bind(&key)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        if let Some(code) = new.invitation {
            let used = sqlx::query(
                "UPDATE invitations SET used_by = $1, used_at = $2 \
                 WHERE code = $3 AND used_by IS NULL AND used_at IS NULL",
            )
            .bind(id)
            .bind(t)
            .bind(code.trim())
            .execute(&mut *tx)
            .await?;
            if used.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Invalid(
                    "That invitation code is not valid or has already been used.".into(),
                ));
            }
        }
        tx.commit().await?;
        Ok(Account {
            id,
            login: login.to_string(),
            email: email.map(str::to_string),
            password_hash: new.password_hash.map(str::to_string),
            roles: Role::parse_list(&roles),
            created_at: t,
        })
    }

    /// Replaces an account's password hash.
    pub async fn set_password_hash(&self, user_id: i64, hash: &str) -> Result<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {user_id}")));
        }
        self.note_members(&[user_id]).await
    }

    /// Replaces an account's roles.
    pub async fn set_roles(&self, user_id: i64, roles: &[Role]) -> Result<()> {
        let done = sqlx::query("UPDATE users SET roles = $1 WHERE id = $2")
            .bind(Role::join(roles))
            .bind(user_id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {user_id}")));
        }
        self.note_members(&[user_id]).await
    }

    /// An account's pseuds, default first.
    pub async fn pseuds_of(&self, user_id: i64) -> Result<Vec<PseudRef>> {
        sqlx::query(
            "SELECT p.id, p.name, u.login FROM pseuds p JOIN users u ON u.id = p.user_id \
             WHERE p.user_id = $1 ORDER BY p.is_default DESC, p.name_lower",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(PseudRef {
                id: r.try_get("id")?,
                user_id,
                login: r.try_get("login")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
    }

    /// Adds a pseud to an account; a name the account already has is a conflict.
    pub async fn add_pseud(&self, user_id: i64, name: &str) -> Result<PseudRef> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("A pseud needs a name.".into()));
        }
        let mut tx = self.begin_write().await?;
        let login: Option<String> = sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(login) = login else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("user {user_id}")));
        };
        let taken: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pseuds WHERE user_id = $1 AND name_lower = $2",
        )
        .bind(user_id)
        .bind(lower(name))
        .fetch_one(&mut *tx)
        .await?;
        if taken > 0 {
            tx.rollback().await?;
            return Err(StoreError::Conflict(format!(
                "You already have a pseud named {name}."
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pseuds (user_id, name, name_lower, is_default, created_at) \
             VALUES ($1, $2, $3, 0, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(lower(name))
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        crate::member_changes::note(&mut tx, &[user_id]).await?;
        tx.commit().await?;
        Ok(PseudRef {
            id,
            user_id,
            login,
            name: name.to_string(),
        })
    }

    /// Deletes an account, its pseuds, sessions and kudos authorship; its works are
    /// orphaned or deleted as asked. Search is told about every work touched.
    pub async fn delete_account(&self, user_id: i64, works: WorksOnDelete) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        match exists.as_deref() {
            None => {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("user {user_id}")));
            }
            Some(l) if lower(l) == ORPHAN_ACCOUNT => {
                tx.rollback().await?;
                return Err(StoreError::Invalid(
                    "The orphan account cannot be deleted.".into(),
                ));
            }
            Some(_) => {}
        }
        let work_ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT c.work_id FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
             WHERE p.user_id = $1 ORDER BY c.work_id",
        )
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
        match works {
            WorksOnDelete::Orphan => {
                let orphan = orphan_pseud(&mut tx).await?;
                for &w in &work_ids {
                    sqlx::query(
                        "INSERT INTO creatorships (work_id, pseud_id, position) \
                         SELECT $1, $2, MIN(c.position) FROM creatorships c \
                         JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = $1 AND p.user_id = $3 \
                         AND NOT EXISTS (SELECT 1 FROM creatorships x WHERE x.work_id = $1 AND x.pseud_id = $2) \
                         GROUP BY c.work_id",
                    )
                    .bind(w)
                    .bind(orphan)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            WorksOnDelete::Delete => {
                // Works someone else also signed keep going under their names.
                let solo: Vec<i64> = if work_ids.is_empty() {
                    Vec::new()
                } else {
                    let sql = format!(
                        "SELECT c.work_id FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
                         WHERE c.work_id IN ({}) GROUP BY c.work_id \
                         HAVING SUM(CASE WHEN p.user_id = $1 THEN 0 ELSE 1 END) = 0",
                        placeholders(2, work_ids.len())
                    );
                    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(user_id);
                    for w in &work_ids {
                        q = q.bind(*w);
                    }
                    q.fetch_all(&mut *tx).await?
                };
                for &w in &solo {
                    sqlx::query("DELETE FROM works WHERE id = $1")
                        .bind(w)
                        .execute(&mut *tx)
                        .await?;
                    crate::outbox::push(&mut tx, w, crate::outbox::DELETE).await?;
                }
            }
        }
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // Deleting the user removed its pseuds and their creatorships; what remains of
        // the works changed.
        for &w in &work_ids {
            let left = sqlx::query("UPDATE works SET version = version + 1 WHERE id = $1")
                .bind(w)
                .execute(&mut *tx)
                .await?;
            if left.rows_affected() > 0 {
                crate::outbox::push(&mut tx, w, crate::outbox::UPSERT).await?;
            }
        }
        crate::member_changes::note(&mut tx, &[user_id]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Notes a failed login for `login` (as typed) from `ip`, and forgets attempts older
    /// than `keep_since`.
    pub async fn record_login_failure(&self, login: &str, ip: &str, keep_since: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_attempts WHERE created_at < $1")
            .bind(keep_since)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO login_attempts (login_lower, ip, created_at) VALUES ($1, $2, $3)")
            .bind(lower(login.trim()))
            .bind(ip)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Failed logins for `login` since `since`.
    pub async fn login_failures(&self, login: &str, since: i64) -> Result<Failures> {
        self.failures("login_lower", &lower(login.trim()), since)
            .await
    }

    /// Failed logins from `ip` since `since`.
    pub async fn ip_failures(&self, ip: &str, since: i64) -> Result<Failures> {
        self.failures("ip", ip, since).await
    }

    async fn failures(&self, column: &'static str, key: &str, since: i64) -> Result<Failures> {
        let sql = format!(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM login_attempts \
             WHERE {column} = $1 AND created_at >= $2"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .bind(since)
            .fetch_one(self.pool())
            .await?;
        let n: i64 = row.try_get("n")?;
        let oldest: Option<i64> = row.try_get("oldest")?;
        Ok(Failures {
            count: u64::try_from(n).unwrap_or(0),
            oldest,
        })
    }

    /// Forgets the failed logins of an account (after it logs in).
    pub async fn clear_login_failures(&self, login: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_attempts WHERE login_lower = $1")
            .bind(lower(login.trim()))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Stores a new invitation code.
    pub async fn create_invitation(&self, code: &str, created_by: Option<i64>) -> Result<()> {
        sqlx::query("INSERT INTO invitations (code, created_by, created_at) VALUES ($1, $2, $3)")
            .bind(code)
            .bind(created_by)
            .bind(now())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Every invitation, newest first.
    pub async fn list_invitations(&self) -> Result<Vec<Invitation>> {
        sqlx::query(
            "SELECT i.code, i.created_at, i.used_at, u.login FROM invitations i \
             LEFT JOIN users u ON u.id = i.used_by ORDER BY i.id DESC",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Invitation {
                code: r.try_get("code")?,
                created_at: r.try_get("created_at")?,
                used_by: r.try_get("login")?,
                used_at: r.try_get("used_at")?,
            })
        })
        .collect()
    }
}

/// The `orphan_account` pseud, created (as a user without password) on first use.
async fn orphan_pseud(conn: &mut AnyConnection) -> Result<i64> {
    crate::users::find_or_create_creator(conn, ORPHAN_ACCOUNT).await
}
