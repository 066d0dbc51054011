//! Users and their pseuds (author names).
//!
//! Authors brought in by an import get a user with no password and one default pseud of
//! the same name, so their works list under a real profile they can claim later.

use sqlx::{AnyConnection, AssertSqlSafe, Row};
use tome_model::visibility::{self, Reader, Surface};

use crate::sql::{count, lower};
use crate::{PseudRef, Result, Store, UserInfo, now};

/// The pseud works without a named creator are filed under, as on AO3.
pub const ORPHAN_ACCOUNT: &str = "orphan_account";

impl Store {
    /// A user by login (case-insensitive), with pseuds (default first) and the number of
    /// works a guest sees on their pages ([`Store::user_work_count`] for another reader).
    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserInfo>> {
        let Some(row) = sqlx::query("SELECT id, login FROM users WHERE login_lower = $1")
            .bind(lower(login))
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let login: String = row.try_get("login")?;
        let pseuds = sqlx::query(
            "SELECT id, name FROM pseuds WHERE user_id = $1 ORDER BY is_default DESC, name_lower",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(PseudRef {
                id: r.try_get("id")?,
                user_id: id,
                login: login.clone(),
                name: r.try_get("name")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let works_count = self.user_work_count(id, &Reader::GUEST).await?;
        Ok(Some(UserInfo {
            id,
            login,
            pseuds,
            works_count,
        }))
    }

    /// How many of the user's works `reader` sees on the user's pages: the same
    /// predicate as their works listing (anonymous works only for their creators,
    /// restricted ones only for members, never drafts or hidden works).
    pub async fn user_work_count(&self, user_id: i64, reader: &Reader) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM works w WHERE w.id IN (SELECT c.work_id FROM creatorships c \
             JOIN pseuds p ON p.id = c.pseud_id WHERE p.user_id = $1) AND {}",
            visibility::sql_predicate(reader, Surface::Byline, "w")
        );
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_one(self.pool())
            .await?;
        Ok(count(n))
    }

    /// A pseud of a user, both names case-insensitive.
    pub async fn pseud(&self, login: &str, pseud: &str) -> Result<Option<PseudRef>> {
        let row = sqlx::query(
            "SELECT p.id, p.user_id, u.login, p.name FROM pseuds p JOIN users u ON u.id = p.user_id \
             WHERE u.login_lower = $1 AND p.name_lower = $2",
        )
        .bind(lower(login))
        .bind(lower(pseud))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(PseudRef::from_row).transpose()
    }
}

/// The pseud a typed author name stands for, created (user + default pseud) when no one
/// has it: the user whose login is the name (their pseud of that name, else their default
/// pseud), else any pseud of that name, else a new passwordless user.
pub(crate) async fn find_or_create_creator(conn: &mut AnyConnection, name: &str) -> Result<i64> {
    let key = lower(name);
    let by_login = sqlx::query(
        "SELECT p.id FROM users u JOIN pseuds p ON p.user_id = u.id WHERE u.login_lower = $1 \
         ORDER BY CASE WHEN p.name_lower = $1 THEN 0 ELSE 1 END, p.is_default DESC, p.id LIMIT 1",
    )
    .bind(&key)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(r) = by_login {
        return Ok(r.try_get("id")?);
    }
    let by_pseud = sqlx::query("SELECT id FROM pseuds WHERE name_lower = $1 ORDER BY id LIMIT 1")
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(r) = by_pseud {
        return Ok(r.try_get("id")?);
    }
    let t = now();
    // Two imports naming one new author at once: the unique login decides, the loser
    // takes the winner's pseud.
    let user_id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (login, login_lower, roles, created_at) VALUES ($1, $2, '', $3) \
         ON CONFLICT (login_lower) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(&key)
    .bind(t)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(user_id) = user_id else {
        let theirs: Option<i64> = sqlx::query_scalar(
            "SELECT p.id FROM users u JOIN pseuds p ON p.user_id = u.id WHERE u.login_lower = $1 \
             ORDER BY p.is_default DESC, p.id LIMIT 1",
        )
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?;
        return theirs.ok_or_else(|| {
            crate::StoreError::Conflict(format!(
                "The author {name} was being created at the same moment; please try again."
            ))
        });
    };
    let pseud_id: i64 = sqlx::query_scalar(
        "INSERT INTO pseuds (user_id, name, name_lower, is_default, created_at) \
         VALUES ($1, $2, $3, 1, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(&key)
    .bind(t)
    .fetch_one(&mut *conn)
    .await?;
    Ok(pseud_id)
}
