//! Login limits kept in the database (so they hold across nodes): per key (the web layer
//! uses one per account and address, one per address), a count of consecutive failures,
//! the time before which no attempt is allowed, and the attempts under way.
//!
//! An attempt first takes a slot on every key in one statement per key that checks and
//! counts at once ([`Store::take_login_slot`]), before the slow password check: slots are
//! limited to the tries left, so N parallel guesses cannot all pass a check made before any
//! of them has failed. Its outcome is then recorded ([`Store::finish_login_attempt`]):
//! a failure counts, and past the free tries each failure doubles the wait.

use sqlx::Row;

use crate::{Result, Store, now};

/// How one kind of key is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitRule {
    /// Failures allowed before waiting is required.
    pub free: i64,
    /// The wait after the last free failure, in seconds; doubled by each later failure.
    pub base_wait: i64,
    /// The longest wait, in seconds.
    pub max_wait: i64,
    /// Failures are forgotten this long after the last one (and after any wait ended).
    pub forget_after: i64,
}

impl LimitRule {
    /// The wait after the `failures`-th consecutive failure (0 while tries are free).
    pub fn wait_after(&self, failures: i64) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = u32::try_from(failures - self.free)
            .unwrap_or(u32::MAX)
            .min(40);
        self.base_wait
            .saturating_mul(1_i64 << doublings)
            .min(self.max_wait)
    }
}

/// A key that refused an attempt: which one (its index in the list given) and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub key: usize,
    /// Unix seconds; 0 when the key is only busy with attempts under way.
    pub until: i64,
}

/// Attempts under way longer than this are taken to have died with their node.
const STALE_PENDING: i64 = 120;

impl Store {
    /// Takes an attempt slot on every key, all or none. `Err(refusal)` names the first key
    /// that refused: it is waiting out a failure, or as many attempts as it has tries left
    /// are already under way.
    pub async fn take_login_slot(
        &self,
        keys: &[(&str, LimitRule)],
    ) -> Result<std::result::Result<(), Refusal>> {
        let t = now();
        let mut tx = self.begin_write().await?;
        for (i, (key, rule)) in keys.iter().enumerate() {
            // Forget what is old: attempts that never finished, failures long past.
            sqlx::query(
                "UPDATE login_limits SET pending = 0, \
                    failures = CASE WHEN updated_at < $2 AND blocked_until < $2 THEN 0 \
                               ELSE failures END \
                 WHERE limit_key = $1 AND updated_at < $3",
            )
            .bind(key)
            .bind(t - rule.forget_after)
            .bind(t - STALE_PENDING)
            .execute(&mut *tx)
            .await?;
            let took = sqlx::query(
                "INSERT INTO login_limits (limit_key, failures, pending, blocked_until, updated_at) \
                 VALUES ($1, 0, 1, 0, $2) \
                 ON CONFLICT (limit_key) DO UPDATE SET pending = login_limits.pending + 1, \
                    updated_at = $2 \
                 WHERE login_limits.blocked_until <= $2 AND login_limits.pending < \
                    CASE WHEN login_limits.failures < $3 THEN $3 - login_limits.failures ELSE 1 END \
                 RETURNING failures",
            )
            .bind(key)
            .bind(t)
            .bind(rule.free)
            .fetch_optional(&mut *tx)
            .await?;
            if took.is_none() {
                let until: Option<i64> = sqlx::query_scalar(
                    "SELECT blocked_until FROM login_limits WHERE limit_key = $1",
                )
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
                tx.rollback().await?;
                let until = until.unwrap_or(0);
                return Ok(Err(Refusal {
                    key: i,
                    until: if until > t { until } else { 0 },
                }));
            }
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Records how an attempt that took a slot on `keys` ended. On success the keys named
    /// in `reset_on_success` start afresh (the others only give their slot back); on
    /// failure every key counts it and waits as its rule says.
    pub async fn finish_login_attempt(
        &self,
        keys: &[(&str, LimitRule)],
        success: bool,
        reset_on_success: &[bool],
    ) -> Result<()> {
        let t = now();
        let mut tx = self.begin_write().await?;
        for (i, (key, rule)) in keys.iter().enumerate() {
            if success {
                if reset_on_success.get(i).copied().unwrap_or(false) {
                    sqlx::query("DELETE FROM login_limits WHERE limit_key = $1")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                } else {
                    sqlx::query(
                        "UPDATE login_limits SET pending = CASE WHEN pending > 0 THEN pending - 1 \
                            ELSE 0 END WHERE limit_key = $1",
                    )
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                }
                continue;
            }
            let row = sqlx::query(
                "UPDATE login_limits SET failures = failures + 1, updated_at = $2, \
                    pending = CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END \
                 WHERE limit_key = $1 RETURNING failures",
            )
            .bind(key)
            .bind(t)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else { continue };
            let failures: i64 = row.try_get("failures")?;
            let wait = rule.wait_after(failures);
            if wait > 0 {
                sqlx::query(
                    "UPDATE login_limits SET blocked_until = $2 WHERE limit_key = $1 AND blocked_until < $2",
                )
                .bind(key)
                .bind(t + wait)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Consecutive failures counted on a key (0 when unknown), for tests and admins.
    pub async fn login_limit_failures(&self, key: &str) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT failures FROM login_limits WHERE limit_key = $1")
                .bind(key)
                .fetch_optional(self.pool())
                .await?
                .unwrap_or(0),
        )
    }
}
