//! Co-creator invitations, as on AO3: naming another user's pseud as co-creator of a
//! work invites them. Until they accept they are not on the byline (no row in
//! `creatorships`): the work is not on their pages and they have no rights over it.
//! Accepting moves the invitation onto the byline in one statement pair inside one
//! transaction (the invitation row is deleted with `RETURNING`, so two concurrent
//! accepts cannot both add it); declining deletes it.

use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::sql::count;
use crate::{PseudRef, Result, Store, StoreError, now};

/// Most pending invitations one work may hold (a bound on what one form can create).
pub const MAX_INVITATIONS_PER_WORK: usize = tome_model::limits::CO_CREATORS;

/// A pending invitation, as the invited user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatorInvitation {
    pub work_id: i64,
    pub title: String,
    /// The invited pseud (one of the user's).
    pub pseud: PseudRef,
    /// Who named them, if that account still exists.
    pub invited_by: Option<String>,
    pub created_at: i64,
}

/// Invites pseuds to co-create a work: those already on its byline are skipped, as are
/// pending ones (`ON CONFLICT DO NOTHING`). Runs inside the caller's transaction.
pub(crate) async fn invite(
    conn: &mut AnyConnection,
    work_id: i64,
    pseud_ids: &[i64],
    invited_by: Option<i64>,
) -> Result<()> {
    if pseud_ids.len() > MAX_INVITATIONS_PER_WORK {
        return Err(StoreError::Invalid(format!(
            "At most {MAX_INVITATIONS_PER_WORK} co-creators can be invited at once."
        )));
    }
    let t = now();
    for id in pseud_ids {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM pseuds WHERE id = $1")
            .bind(*id)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(StoreError::Invalid(format!("There is no pseud {id}.")));
        }
        sqlx::query(
            "INSERT INTO creator_invitations (work_id, pseud_id, invited_by, created_at) \
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS \
                (SELECT 1 FROM creatorships WHERE work_id = $1 AND pseud_id = $2) \
             ON CONFLICT (work_id, pseud_id) DO NOTHING",
        )
        .bind(work_id)
        .bind(*id)
        .bind(invited_by)
        .bind(t)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl Store {
    /// The user's pending invitations, newest first (at most 500).
    pub async fn creator_invitations(&self, user_id: i64) -> Result<Vec<CreatorInvitation>> {
        sqlx::query(
            "SELECT i.work_id, w.title, i.created_at, p.id AS pseud_id, p.name, u.login, \
                 b.login AS invited_by \
             FROM creator_invitations i JOIN pseuds p ON p.id = i.pseud_id \
             JOIN users u ON u.id = p.user_id JOIN works w ON w.id = i.work_id \
             LEFT JOIN users b ON b.id = i.invited_by \
             WHERE p.user_id = $1 ORDER BY i.created_at DESC, i.work_id DESC LIMIT 500",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(CreatorInvitation {
                work_id: r.try_get("work_id")?,
                title: r.try_get("title")?,
                pseud: PseudRef {
                    id: r.try_get("pseud_id")?,
                    user_id,
                    login: r.try_get("login")?,
                    name: r.try_get("name")?,
                },
                invited_by: r.try_get("invited_by")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
    }

    /// How many invitations the user has pending.
    pub async fn creator_invitation_count(&self, user_id: i64) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM creator_invitations i JOIN pseuds p ON p.id = i.pseud_id \
             WHERE p.user_id = $1",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(count(n))
    }

    /// The pseuds invited to co-create a work and not answered yet.
    pub async fn invited_pseuds(&self, work_id: i64) -> Result<Vec<PseudRef>> {
        sqlx::query(
            "SELECT p.id, p.user_id, u.login, p.name FROM creator_invitations i \
             JOIN pseuds p ON p.id = i.pseud_id JOIN users u ON u.id = p.user_id \
             WHERE i.work_id = $1 ORDER BY i.created_at, p.id",
        )
        .bind(work_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(PseudRef::from_row)
        .collect()
    }

    /// Invites pseuds to co-create an existing work (see [`invite`]).
    pub async fn invite_creators(
        &self,
        work_id: i64,
        pseud_ids: &[i64],
        invited_by: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        invite(&mut tx, work_id, pseud_ids, invited_by).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Accepts the user's invitation to a work: their invited pseud(s) join the end of
    /// the byline, the work's version moves (cached pages show the new byline) and the
    /// search index is told. `false` when there was no such invitation (already
    /// answered, or never made).
    pub async fn accept_creator_invitation(&self, user_id: i64, work_id: i64) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let taken: Vec<i64> = sqlx::query_scalar(
            "DELETE FROM creator_invitations WHERE work_id = $1 \
             AND pseud_id IN (SELECT id FROM pseuds WHERE user_id = $2) RETURNING pseud_id",
        )
        .bind(work_id)
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
        if taken.is_empty() {
            tx.rollback().await?;
            return Ok(false);
        }
        for pseud_id in taken {
            sqlx::query(
                "INSERT INTO creatorships (work_id, pseud_id, position) \
                 SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM creatorships \
                 WHERE work_id = $1 \
                 ON CONFLICT (work_id, pseud_id) DO NOTHING",
            )
            .bind(work_id)
            .bind(pseud_id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE works SET version = version + 1 WHERE id = $1")
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
        crate::outbox::push(&mut tx, work_id, crate::outbox::UPSERT).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Declines (deletes) the user's invitation to a work; `false` when there was none.
    pub async fn decline_creator_invitation(&self, user_id: i64, work_id: i64) -> Result<bool> {
        let done = sqlx::query(
            "DELETE FROM creator_invitations WHERE work_id = $1 \
             AND pseud_id IN (SELECT id FROM pseuds WHERE user_id = $2)",
        )
        .bind(work_id)
        .bind(user_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
