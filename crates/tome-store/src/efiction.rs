//! eFiction rescue: the rows an eFiction archive becomes, written through the same
//! paths as every import (`insert_work`, `find_or_create_tag`, the outbox), with a map
//! from each eFiction id to what it became (`efiction_ids`, migration 0013) so that a
//! second run updates instead of duplicating and old links can be answered.
//!
//! Every story is one transaction: its work, chapters, tags, creators, reviews and their
//! map rows commit together or not at all. Whether a row exists is decided by the map's
//! primary key (`INSERT … ON CONFLICT DO NOTHING RETURNING`), never by a look-up first.

use sqlx::{AnyConnection, Row};
use tome_model::WorkDraft;

use crate::sql::{int, lower};
use crate::works::insert_work;
use crate::{Result, Store, StoreError, now};

/// An eFiction author to find or make an account for.
#[derive(Debug, Clone)]
pub struct EfAuthor<'a> {
    pub archive: &'a str,
    pub uid: i64,
    pub penname: &'a str,
    pub email: Option<&'a str>,
    /// Put this author's works on an existing account (the archivist's plan says so).
    pub merge_into: Option<&'a str>,
}

/// The account an eFiction author has in tome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EfAuthorSaved {
    pub user_id: i64,
    pub login: String,
    pub created: bool,
    /// The e-mail address belongs to another account; the new one has none.
    pub email_taken: bool,
}

/// A review becoming a comment.
#[derive(Debug, Clone)]
pub struct EfReview {
    pub reviewid: i64,
    /// Index into the story's chapters.
    pub chapter: Option<usize>,
    pub user_id: Option<i64>,
    pub guest_name: Option<String>,
    pub body_html: String,
    pub created_at: i64,
    /// The author's response eFiction appended to the review: (account, HTML).
    pub reply: Option<(i64, String)>,
}

/// A story becoming a work.
#[derive(Debug, Clone)]
pub struct EfStory<'a> {
    pub archive: &'a str,
    pub sid: i64,
    /// Authors are logins of accounts made by [`Store::efiction_author`].
    pub draft: WorkDraft,
    /// Not validated in eFiction: a draft of its authors.
    pub pending: bool,
    pub hits: u64,
    pub updated_at: i64,
    /// eFiction chapter id of each chapter of the draft.
    pub chapter_ids: Vec<i64>,
    /// Chapters not validated in eFiction (kept as draft chapters).
    pub chapter_pending: Vec<bool>,
    pub reviews: Vec<EfReview>,
    pub fingerprint: String,
    pub meta: String,
}

/// What [`Store::efiction_story`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EfOutcome {
    Created(i64),
    Updated(i64),
    Unchanged(i64),
    /// Imported before, deleted in tome since: left deleted.
    Deleted,
}

impl EfOutcome {
    pub fn work_id(self) -> Option<i64> {
        match self {
            EfOutcome::Created(id) | EfOutcome::Updated(id) | EfOutcome::Unchanged(id) => Some(id),
            EfOutcome::Deleted => None,
        }
    }
}

/// An imported author's claim record.
#[derive(Debug, Clone)]
pub struct EfClaim {
    pub user_id: i64,
    pub login: String,
    pub archive: String,
    pub archive_name: String,
    pub old_uid: i64,
    pub penname: String,
    pub email: Option<String>,
    pub claimed: bool,
}

async fn mapped(
    conn: &mut AnyConnection,
    archive: &str,
    kind: &str,
    old_id: i64,
) -> Result<Option<(i64, String)>> {
    let row = sqlx::query(
        "SELECT new_id, fingerprint FROM efiction_ids WHERE archive = $1 AND kind = $2 AND old_id = $3",
    )
    .bind(archive)
    .bind(kind)
    .bind(old_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(r) => Some((r.try_get("new_id")?, r.try_get("fingerprint")?)),
        None => None,
    })
}

/// Writes a map row; `false` when one was there already (another run's).
async fn map(
    conn: &mut AnyConnection,
    archive: &str,
    kind: &str,
    old_id: i64,
    new_id: i64,
    fingerprint: &str,
    meta: Option<&str>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO efiction_ids (archive, kind, old_id, new_id, fingerprint, meta, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (archive, kind, old_id) DO NOTHING",
    )
    .bind(archive)
    .bind(kind)
    .bind(old_id)
    .bind(new_id)
    .bind(fingerprint)
    .bind(meta)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn default_pseud(conn: &mut AnyConnection, user_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM pseuds WHERE user_id = $1 ORDER BY is_default DESC, id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?)
}

impl Store {
    /// The kinds of the tags tome already has among these lower-cased names.
    pub async fn efiction_tag_kinds(
        &self,
        names: &[String],
    ) -> Result<std::collections::HashMap<String, tome_model::TagKind>> {
        let mut out = std::collections::HashMap::new();
        for chunk in names.chunks(crate::sql::CHUNK) {
            let sql = format!(
                "SELECT name_lower, kind FROM tags WHERE name_lower IN ({})",
                crate::sql::placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for n in chunk {
                q = q.bind(lower(n));
            }
            for r in q.fetch_all(self.pool()).await? {
                let kind: String = r.try_get("kind")?;
                out.insert(r.try_get("name_lower")?, crate::sql::kind(&kind)?);
            }
        }
        Ok(out)
    }

    /// How an eFiction author clashes with accounts tome has (other than the one an
    /// earlier run made for them): a login or pseud of the same name, the same e-mail.
    pub async fn efiction_account_clashes(
        &self,
        archive: &str,
        uid: i64,
        penname: &str,
        email: Option<&str>,
    ) -> Result<Vec<String>> {
        let mut conn = self.pool().acquire().await?;
        let ours = mapped(&mut conn, archive, "author", uid)
            .await?
            .map(|(id, _)| id);
        let mut out = vec![];
        let rows = sqlx::query(
            "SELECT u.id, u.login FROM users u WHERE u.login_lower = $1 \
             UNION SELECT u.id, u.login FROM users u JOIN pseuds p ON p.user_id = u.id \
                WHERE p.name_lower = $1",
        )
        .bind(lower(penname))
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let id: i64 = r.try_get("id")?;
            if Some(id) != ours {
                let login: String = r.try_get("login")?;
                out.push(format!(
                    "penname {penname} is a name of the account {login}"
                ));
            }
        }
        if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
            let row = sqlx::query("SELECT id, login FROM users WHERE email_lower = $1")
                .bind(lower(email))
                .fetch_optional(&mut *conn)
                .await?;
            if let Some(r) = row {
                let id: i64 = r.try_get("id")?;
                if Some(id) != ours {
                    let login: String = r.try_get("login")?;
                    out.push(format!("e-mail {email} is the account {login}'s"));
                }
            }
        }
        out.dedup();
        Ok(out)
    }

    /// A user's login, for links.
    pub async fn efiction_login(&self, user_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// A tag's name, for links.
    pub async fn efiction_tag_name(&self, tag_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT name FROM tags WHERE id = $1")
            .bind(tag_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Remembers the tag an eFiction category became (for its old browse link); the tag
    /// must exist (made by a story's import). `false` when it does not.
    pub async fn efiction_map_category(
        &self,
        archive: &str,
        catid: i64,
        tag_name: &str,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let tag: Option<i64> = sqlx::query_scalar("SELECT id FROM tags WHERE name_lower = $1")
            .bind(lower(tag_name))
            .fetch_optional(&mut *tx)
            .await?;
        let Some(tag) = tag else {
            tx.rollback().await?;
            return Ok(false);
        };
        sqlx::query(
            "INSERT INTO efiction_ids (archive, kind, old_id, new_id, fingerprint, imported_at) \
             VALUES ($1, 'category', $2, $3, '', $4) \
             ON CONFLICT (archive, kind, old_id) DO UPDATE SET new_id = excluded.new_id",
        )
        .bind(archive)
        .bind(catid)
        .bind(tag)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records an archive and where it lived (its old URL, for redirects).
    pub async fn efiction_archive(
        &self,
        archive: &str,
        name: &str,
        old_url: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO efiction_archives (archive, name, old_url, imported_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (archive) DO UPDATE SET name = excluded.name, \
                old_url = COALESCE(excluded.old_url, efiction_archives.old_url), \
                imported_at = excluded.imported_at",
        )
        .bind(archive)
        .bind(name)
        .bind(old_url)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Archives imported: (key, name, old URL).
    pub async fn efiction_archives(&self) -> Result<Vec<(String, String, Option<String>)>> {
        sqlx::query("SELECT archive, name, old_url FROM efiction_archives ORDER BY archive")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("archive")?,
                    r.try_get("name")?,
                    r.try_get("old_url")?,
                ))
            })
            .collect()
    }

    /// What an eFiction id became (`kind`: author, story, chapter, series, category, review).
    pub async fn efiction_target(
        &self,
        archive: &str,
        kind: &str,
        old_id: i64,
    ) -> Result<Option<i64>> {
        let mut conn = self.pool().acquire().await?;
        Ok(mapped(&mut conn, archive, kind, old_id)
            .await?
            .map(|(id, _)| id))
    }

    /// Finds or makes the account of an eFiction author: a user without a password and
    /// a default pseud named as the penname. The login is the penname when free, else the
    /// penname with the archive's key, else with a number. The e-mail address is kept
    /// when no other account has it.
    pub async fn efiction_author(&self, a: &EfAuthor<'_>) -> Result<EfAuthorSaved> {
        let penname = a.penname.trim();
        if penname.is_empty() {
            return Err(StoreError::Invalid(format!(
                "author {} has no penname",
                a.uid
            )));
        }
        let mut tx = self.begin_write().await?;
        if let Some((user_id, _)) = mapped(&mut tx, a.archive, "author", a.uid).await? {
            let login: Option<String> = sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(login) = login {
                tx.commit().await?;
                return Ok(EfAuthorSaved {
                    user_id,
                    login,
                    created: false,
                    email_taken: false,
                });
            }
            // The account was deleted since: make a new one below.
            sqlx::query(
                "DELETE FROM efiction_ids WHERE archive = $1 AND kind = 'author' AND old_id = $2",
            )
            .bind(a.archive)
            .bind(a.uid)
            .execute(&mut *tx)
            .await?;
        }
        let t = now();
        if let Some(login) = a.merge_into {
            let row = sqlx::query("SELECT id, login FROM users WHERE login_lower = $1")
                .bind(lower(login))
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                tx.rollback().await?;
                return Err(StoreError::Invalid(format!(
                    "the plan puts {penname} on the account {login}, which does not exist"
                )));
            };
            let user_id: i64 = row.try_get("id")?;
            let login: String = row.try_get("login")?;
            // Works go under a pseud named as the penname on that account.
            sqlx::query(
                "INSERT INTO pseuds (user_id, name, name_lower, is_default, created_at) \
                 VALUES ($1, $2, $3, 0, $4) ON CONFLICT (user_id, name_lower) DO NOTHING",
            )
            .bind(user_id)
            .bind(penname)
            .bind(lower(penname))
            .bind(t)
            .execute(&mut *tx)
            .await?;
            map(&mut tx, a.archive, "author", a.uid, user_id, "", None).await?;
            tx.commit().await?;
            return Ok(EfAuthorSaved {
                user_id,
                login,
                created: false,
                email_taken: false,
            });
        }
        let mut candidates = vec![penname.to_string(), format!("{penname}_{}", a.archive)];
        candidates.extend((2..50).map(|n| format!("{penname}_{}{n}", a.archive)));
        let mut made = None;
        for login in candidates {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO users (login, login_lower, roles, created_at) VALUES ($1, $2, '', $3) \
                 ON CONFLICT (login_lower) DO NOTHING RETURNING id",
            )
            .bind(&login)
            .bind(lower(&login))
            .bind(t)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                made = Some((id, login));
                break;
            }
        }
        let Some((user_id, login)) = made else {
            tx.rollback().await?;
            return Err(StoreError::Conflict(format!(
                "no free login for {penname} (50 tried)"
            )));
        };
        sqlx::query(
            "INSERT INTO pseuds (user_id, name, name_lower, is_default, created_at) VALUES ($1, $2, $3, 1, $4)",
        )
        .bind(user_id)
        .bind(penname)
        .bind(lower(penname))
        .bind(t)
        .execute(&mut *tx)
        .await?;
        let mut email_taken = false;
        let email = a.email.map(str::trim).filter(|e| e.contains('@'));
        if let Some(email) = email {
            let set = sqlx::query(
                "UPDATE users SET email = $1, email_lower = $2 WHERE id = $3 \
                 AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email_lower = $2)",
            )
            .bind(email)
            .bind(lower(email))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            email_taken = set.rows_affected() == 0;
        }
        sqlx::query(
            "INSERT INTO efiction_claims (user_id, archive, old_uid, penname, email) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(a.archive)
        .bind(a.uid)
        .bind(penname)
        .bind(email)
        .execute(&mut *tx)
        .await?;
        if !map(&mut tx, a.archive, "author", a.uid, user_id, "", None).await? {
            // Another run made this author a moment ago: theirs stands.
            tx.rollback().await?;
            return Box::pin(self.efiction_author(a)).await;
        }
        tx.commit().await?;
        Ok(EfAuthorSaved {
            user_id,
            login,
            created: true,
            email_taken,
        })
    }

    /// Imports one story in one transaction: a new work, or the work it became before
    /// updated when what eFiction holds changed (same fingerprint: nothing is written).
    pub async fn efiction_story(&self, s: &EfStory<'_>) -> Result<EfOutcome> {
        if s.chapter_ids.len() != s.draft.chapters.len()
            || s.chapter_pending.len() != s.draft.chapters.len()
        {
            return Err(StoreError::Invalid(
                "chapter ids do not match the chapters".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let before = mapped(&mut tx, s.archive, "story", s.sid).await?;
        let result = match before {
            Some((work_id, fp)) => {
                let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM works WHERE id = $1")
                    .bind(work_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_none() {
                    EfOutcome::Deleted
                } else if fp == s.fingerprint {
                    EfOutcome::Unchanged(work_id)
                } else {
                    update_story(&mut tx, s, work_id).await?;
                    EfOutcome::Updated(work_id)
                }
            }
            None => {
                let work_id = insert_work(&mut tx, &s.draft).await?;
                finish_story(&mut tx, s, work_id).await?;
                if !map(
                    &mut tx,
                    s.archive,
                    "story",
                    s.sid,
                    work_id,
                    &s.fingerprint,
                    Some(&s.meta),
                )
                .await?
                {
                    // Another run imported it meanwhile: keep theirs.
                    tx.rollback().await?;
                    let mut conn = self.pool().acquire().await?;
                    let theirs = mapped(&mut conn, s.archive, "story", s.sid).await?;
                    return Ok(EfOutcome::Unchanged(theirs.map(|(id, _)| id).unwrap_or(0)));
                }
                EfOutcome::Created(work_id)
            }
        };
        match result {
            EfOutcome::Unchanged(_) | EfOutcome::Deleted => tx.rollback().await?,
            _ => tx.commit().await?,
        }
        Ok(result)
    }

    /// Makes (or finds) the series an eFiction series became and puts its works in it
    /// in eFiction's order; works already in it stay where they are.
    pub async fn efiction_series(
        &self,
        archive: &str,
        seriesid: i64,
        title: &str,
        summary_html: Option<&str>,
        complete: bool,
        works: &[i64],
    ) -> Result<(i64, bool)> {
        let title = title.trim();
        if title.is_empty() {
            return Err(StoreError::Invalid(format!(
                "series {seriesid} has no title"
            )));
        }
        let t = now();
        let mut tx = self.begin_write().await?;
        let (series_id, created) = match mapped(&mut tx, archive, "series", seriesid).await? {
            Some((id, _)) => (id, false),
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO series (title, summary_html, complete, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $4) RETURNING id",
                )
                .bind(title)
                .bind(summary_html)
                .bind(int(complete))
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
                map(&mut tx, archive, "series", seriesid, id, "", None).await?;
                (id, true)
            }
        };
        let mut next: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM series_works WHERE series_id = $1",
        )
        .bind(series_id)
        .fetch_one(&mut *tx)
        .await?;
        for work_id in works {
            let done = sqlx::query(
                "INSERT INTO series_works (series_id, work_id, position) VALUES ($1, $2, $3) \
                 ON CONFLICT (series_id, work_id) DO NOTHING",
            )
            .bind(series_id)
            .bind(*work_id)
            .bind(next + 1)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                next += 1;
                sqlx::query("UPDATE works SET version = version + 1 WHERE id = $1")
                    .bind(*work_id)
                    .execute(&mut *tx)
                    .await?;
                crate::outbox::push(&mut tx, *work_id, crate::outbox::UPSERT).await?;
            }
        }
        tx.commit().await?;
        Ok((series_id, created))
    }

    /// A comment from the old archive on a work (an eFiction series review, kept on the
    /// series' first work), once per review id.
    pub async fn efiction_work_comment(
        &self,
        archive: &str,
        review: &EfReview,
        work_id: i64,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        if mapped(&mut tx, archive, "review", review.reviewid)
            .await?
            .is_some()
        {
            tx.rollback().await?;
            return Ok(false);
        }
        let n = insert_review(&mut tx, archive, review, work_id, None).await?;
        bump_comments(&mut tx, work_id, n).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// An eFiction favourite story as a bookmark (public, with the favourite's comment
    /// as its notes); `false` if the reader had bookmarked the work already.
    pub async fn efiction_bookmark(
        &self,
        user_id: i64,
        work_id: i64,
        notes_html: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let pseud = default_pseud(&mut tx, user_id).await?;
        let t = now();
        let done = sqlx::query(
            "INSERT INTO bookmarks (user_id, pseud_id, work_id, notes_html, tags, private, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, '', 0, $5, $5) ON CONFLICT (user_id, work_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(pseud)
        .bind(work_id)
        .bind(notes_html)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        let added = done.rows_affected() == 1;
        if added {
            sqlx::query(
                "UPDATE works SET bookmarks_count = bookmarks_count + 1, version = version + 1 WHERE id = $1",
            )
            .bind(work_id)
            .execute(&mut *tx)
            .await?;
            crate::outbox::push(&mut tx, work_id, crate::outbox::UPSERT).await?;
            crate::member_changes::note(&mut tx, &[user_id]).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// An eFiction favourite author as a subscription to that author.
    pub async fn efiction_subscription(&self, user_id: i64, author_id: i64) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO subscriptions (user_id, kind, target_id, created_at) VALUES ($1, 'user', $2, $3) \
             ON CONFLICT (user_id, kind, target_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(author_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let added = done.rows_affected() == 1;
        if added {
            crate::member_changes::note(&mut tx, &[user_id]).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// The claim record of an imported account, if it is one.
    pub async fn efiction_claim_of(&self, user_id: i64) -> Result<Option<EfClaim>> {
        let row = sqlx::query(
            "SELECT c.user_id, u.login, c.archive, a.name, c.old_uid, c.penname, c.email, c.claimed_at \
             FROM efiction_claims c JOIN users u ON u.id = c.user_id \
             LEFT JOIN efiction_archives a ON a.archive = c.archive WHERE c.user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(claim_from_row).transpose()
    }

    /// Imported accounts not claimed yet.
    pub async fn efiction_unclaimed(&self, archive: Option<&str>) -> Result<Vec<EfClaim>> {
        sqlx::query(
            "SELECT c.user_id, u.login, c.archive, a.name, c.old_uid, c.penname, c.email, c.claimed_at \
             FROM efiction_claims c JOIN users u ON u.id = c.user_id \
             LEFT JOIN efiction_archives a ON a.archive = c.archive \
             WHERE c.claimed_at IS NULL AND ($1 IS NULL OR c.archive = $1) ORDER BY c.archive, c.old_uid",
        )
        .bind(archive)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(claim_from_row)
        .collect()
    }

    /// Stores the hash of a new claim token for an unclaimed account (replacing an
    /// earlier one). `false` when the account is claimed already or not imported.
    pub async fn efiction_set_claim_token(&self, user_id: i64, token_hash: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE efiction_claims SET token_hash = $1, token_at = $2 \
             WHERE user_id = $3 AND claimed_at IS NULL",
        )
        .bind(token_hash)
        .bind(now())
        .bind(user_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The unclaimed account a claim token's hash opens, if the token is no older than
    /// `max_age` seconds.
    pub async fn efiction_claim_by_token(
        &self,
        token_hash: &str,
        max_age: i64,
    ) -> Result<Option<EfClaim>> {
        let row = sqlx::query(
            "SELECT c.user_id, u.login, c.archive, a.name, c.old_uid, c.penname, c.email, c.claimed_at \
             FROM efiction_claims c JOIN users u ON u.id = c.user_id \
             LEFT JOIN efiction_archives a ON a.archive = c.archive \
             WHERE c.token_hash = $1 AND c.claimed_at IS NULL AND c.token_at >= $2",
        )
        .bind(token_hash)
        .bind(now() - max_age)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(claim_from_row).transpose()
    }

    /// Claims an imported account with its token: sets its password hash (the account
    /// becomes a working login). `false` when the token was used or replaced meanwhile.
    pub async fn efiction_claim_with_password(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<Option<i64>> {
        let mut tx = self.begin_write().await?;
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE efiction_claims SET claimed_at = $1, token_hash = NULL \
             WHERE token_hash = $2 AND claimed_at IS NULL RETURNING user_id",
        )
        .bind(now())
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user_id) = user_id else {
            tx.rollback().await?;
            return Ok(None);
        };
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE efiction_claims SET claimed_by = $1 WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        crate::member_changes::note(&mut tx, &[user_id]).await?;
        tx.commit().await?;
        Ok(Some(user_id))
    }

    /// Claims an imported account with its token into an existing account `into`: the
    /// imported pseuds move there (keeping their names), so the works, comments and
    /// bookmarks follow; the imported account is left without pseuds.
    pub async fn efiction_claim_into(&self, token_hash: &str, into: i64) -> Result<Option<i64>> {
        let mut tx = self.begin_write().await?;
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE efiction_claims SET claimed_at = $1, token_hash = NULL, claimed_by = $2 \
             WHERE token_hash = $3 AND claimed_at IS NULL AND user_id <> $2 RETURNING user_id",
        )
        .bind(now())
        .bind(into)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user_id) = user_id else {
            tx.rollback().await?;
            return Ok(None);
        };
        // A pseud name the account already has: that pseud keeps the works.
        let pseuds = sqlx::query("SELECT id, name_lower FROM pseuds WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
        for p in pseuds {
            let id: i64 = p.try_get("id")?;
            let name_lower: String = p.try_get("name_lower")?;
            let theirs: Option<i64> =
                sqlx::query_scalar("SELECT id FROM pseuds WHERE user_id = $1 AND name_lower = $2")
                    .bind(into)
                    .bind(&name_lower)
                    .fetch_optional(&mut *tx)
                    .await?;
            match theirs {
                Some(target) => {
                    sqlx::query(
                        "INSERT INTO creatorships (work_id, pseud_id, position) \
                         SELECT work_id, $1, position FROM creatorships WHERE pseud_id = $2 \
                         ON CONFLICT (work_id, pseud_id) DO NOTHING",
                    )
                    .bind(target)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM pseuds WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    sqlx::query("UPDATE pseuds SET user_id = $1, is_default = 0 WHERE id = $2")
                        .bind(into)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        for table in ["comments", "bookmarks"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET user_id = $1 WHERE user_id = $2"
            )))
            .bind(into)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE efiction_ids SET new_id = $1 WHERE kind = 'author' AND new_id = $2")
            .bind(into)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let works: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT c.work_id FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id \
             WHERE p.user_id = $1",
        )
        .bind(into)
        .fetch_all(&mut *tx)
        .await?;
        for w in works {
            sqlx::query("UPDATE works SET version = version + 1 WHERE id = $1")
                .bind(w)
                .execute(&mut *tx)
                .await?;
            crate::outbox::push(&mut tx, w, crate::outbox::UPSERT).await?;
        }
        crate::member_changes::note(&mut tx, &[user_id, into]).await?;
        tx.commit().await?;
        Ok(Some(user_id))
    }
}

fn claim_from_row(r: &sqlx::any::AnyRow) -> Result<EfClaim> {
    let archive: String = r.try_get("archive")?;
    let name: Option<String> = r.try_get("name")?;
    Ok(EfClaim {
        user_id: r.try_get("user_id")?,
        login: r.try_get("login")?,
        archive_name: name.unwrap_or_else(|| archive.clone()),
        archive,
        old_uid: r.try_get("old_uid")?,
        penname: r.try_get("penname")?,
        email: r.try_get("email")?,
        claimed: r.try_get::<Option<i64>, _>("claimed_at")?.is_some(),
    })
}

async fn bump_comments(conn: &mut AnyConnection, work_id: i64, n: i64) -> Result<()> {
    if n > 0 {
        sqlx::query(
            "UPDATE works SET comments_count = comments_count + $1, version = version + 1 WHERE id = $2",
        )
        .bind(n)
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A review as a comment (and the author's response as its reply); returns how many
/// comments were written.
async fn insert_review(
    conn: &mut AnyConnection,
    archive: &str,
    r: &EfReview,
    work_id: i64,
    chapter_id: Option<i64>,
) -> Result<i64> {
    let pseud = match r.user_id {
        Some(u) => default_pseud(conn, u).await?,
        None => None,
    };
    let user_id = r.user_id.filter(|_| pseud.is_some());
    let guest = if user_id.is_some() {
        None
    } else {
        Some(r.guest_name.clone().unwrap_or_else(|| "Anonymous".into()))
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (work_id, chapter_id, parent_id, user_id, pseud_id, guest_name, \
            body_html, created_at, approved) VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, 1) RETURNING id",
    )
    .bind(work_id)
    .bind(chapter_id)
    .bind(user_id)
    .bind(pseud)
    .bind(guest)
    .bind(&r.body_html)
    .bind(r.created_at)
    .fetch_one(&mut *conn)
    .await?;
    let mut n = 1;
    if let Some((author, reply)) = &r.reply {
        let apseud = default_pseud(conn, *author).await?;
        if apseud.is_some() {
            sqlx::query(
                "INSERT INTO comments (work_id, chapter_id, parent_id, user_id, pseud_id, \
                    body_html, created_at, approved) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
            )
            .bind(work_id)
            .bind(chapter_id)
            .bind(id)
            .bind(*author)
            .bind(apseud)
            .bind(reply)
            .bind(r.created_at)
            .execute(&mut *conn)
            .await?;
            n += 1;
        }
    }
    map(conn, archive, "review", r.reviewid, id, "", None).await?;
    Ok(n)
}

/// What `insert_work` does not set: dates, hits, draft state, pending chapters, and
/// the map rows of chapters and reviews.
async fn finish_story(conn: &mut AnyConnection, s: &EfStory<'_>, work_id: i64) -> Result<()> {
    let published = s.draft.published_at.unwrap_or_else(now);
    let updated = s.updated_at.max(published);
    sqlx::query(
        "UPDATE works SET draft = $1, hits = $2, updated_at = $3, revised_at = $3 WHERE id = $4",
    )
    .bind(int(s.pending))
    .bind(i64::try_from(s.hits).unwrap_or(i64::MAX))
    .bind(updated)
    .bind(work_id)
    .execute(&mut *conn)
    .await?;
    let chapter_rows: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM chapters WHERE work_id = $1 ORDER BY position")
            .bind(work_id)
            .fetch_all(&mut *conn)
            .await?;
    for ((cid, old), pending) in chapter_rows
        .iter()
        .zip(&s.chapter_ids)
        .zip(&s.chapter_pending)
    {
        // Re-runs after a chapter moved to another story: the newest mapping wins.
        sqlx::query(
            "DELETE FROM efiction_ids WHERE archive = $1 AND kind = 'chapter' AND old_id = $2",
        )
        .bind(s.archive)
        .bind(*old)
        .execute(&mut *conn)
        .await?;
        map(conn, s.archive, "chapter", *old, *cid, "", None).await?;
        if *pending && !s.pending {
            sqlx::query("UPDATE chapters SET draft = 1 WHERE id = $1")
                .bind(*cid)
                .execute(&mut *conn)
                .await?;
        }
    }
    if !s.pending && s.chapter_pending.iter().any(|p| *p) {
        // Counts of posted chapters only, as for a work with draft chapters.
        sqlx::query(
            "UPDATE works SET chapter_count = (SELECT COUNT(*) FROM chapters c WHERE c.work_id = works.id AND c.draft = 0), \
                word_count = (SELECT CAST(COALESCE(SUM(word_count), 0) AS BIGINT) FROM chapters c \
                    WHERE c.work_id = works.id AND c.draft = 0) WHERE id = $1",
        )
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
    }
    let mut comments = 0;
    for r in &s.reviews {
        if mapped(conn, s.archive, "review", r.reviewid)
            .await?
            .is_some()
        {
            continue;
        }
        let chapter = r.chapter.and_then(|i| chapter_rows.get(i)).copied();
        comments += insert_review(conn, s.archive, r, work_id, chapter).await?;
    }
    bump_comments(conn, work_id, comments).await?;
    Ok(())
}

/// A story that changed in eFiction since it was imported: the work's fields, chapters,
/// tags and creators are written again in place (the work keeps its id, comments,
/// kudos and bookmarks), new reviews are added.
async fn update_story(conn: &mut AnyConnection, s: &EfStory<'_>, work_id: i64) -> Result<()> {
    // The new version is built as a work of its own by the one insert path, then its
    // rows are moved onto the old work and the scaffold is deleted.
    let scaffold = insert_work(conn, &s.draft).await?;
    for col in [
        "title",
        "summary_html",
        "notes_begin_html",
        "notes_end_html",
        "language",
        "rating",
        "complete",
        "expected_chapters",
        "chapter_count",
        "word_count",
        "published_at",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE works SET {col} = (SELECT {col} FROM works s WHERE s.id = $1) WHERE id = $2"
        )))
        .bind(scaffold)
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE works SET version = version + 1 WHERE id = $1")
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
    // Chapters: the old rows keep their ids (and comments) by position; new ones move over.
    let old: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM chapters WHERE work_id = $1 ORDER BY position")
            .bind(work_id)
            .fetch_all(&mut *conn)
            .await?;
    let new: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM chapters WHERE work_id = $1 ORDER BY position")
            .bind(scaffold)
            .fetch_all(&mut *conn)
            .await?;
    // Out of the way of the unique (work, position) while positions are rewritten.
    sqlx::query("UPDATE chapters SET position = -position WHERE work_id = $1")
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
    for (i, nid) in new.iter().enumerate() {
        match old.get(i) {
            Some(oid) => {
                for col in [
                    "title",
                    "summary_html",
                    "notes_begin_html",
                    "notes_end_html",
                    "body_html",
                    "word_count",
                    "published_at",
                    "position",
                ] {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "UPDATE chapters SET {col} = (SELECT {col} FROM chapters n WHERE n.id = $1) WHERE id = $2"
                    )))
                    .bind(*nid)
                    .bind(*oid)
                    .execute(&mut *conn)
                    .await?;
                }
                sqlx::query("UPDATE chapters SET draft = 0 WHERE id = $1")
                    .bind(*oid)
                    .execute(&mut *conn)
                    .await?;
            }
            None => {
                sqlx::query("UPDATE chapters SET work_id = $1 WHERE id = $2")
                    .bind(work_id)
                    .bind(*nid)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    if old.len() > new.len() {
        for oid in &old[new.len()..] {
            sqlx::query("DELETE FROM chapters WHERE id = $1")
                .bind(*oid)
                .execute(&mut *conn)
                .await?;
        }
    }
    for table in ["work_tags", "creatorships"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE work_id = $1"
        )))
        .bind(work_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET work_id = $1 WHERE work_id = $2"
        )))
        .bind(work_id)
        .bind(scaffold)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM works WHERE id = $1")
        .bind(scaffold)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM outbox WHERE work_id = $1")
        .bind(scaffold)
        .execute(&mut *conn)
        .await?;
    finish_story(conn, s, work_id).await?;
    sqlx::query(
        "UPDATE efiction_ids SET fingerprint = $1, meta = $2, imported_at = $3 \
         WHERE archive = $4 AND kind = 'story' AND old_id = $5",
    )
    .bind(&s.fingerprint)
    .bind(&s.meta)
    .bind(now())
    .bind(s.archive)
    .bind(s.sid)
    .execute(&mut *conn)
    .await?;
    crate::outbox::push(conn, work_id, crate::outbox::UPSERT).await?;
    Ok(())
}
