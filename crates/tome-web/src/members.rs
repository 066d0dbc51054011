//! Members kept in memory, so that a logged-in reader's page needs no database round trip
//! to know who they are: their session (with their pseuds, mutes and blocks) and their
//! own state on the works they read (bookmark, subscription, mark for later).
//!
//! - **Invalidation.** Every member has a *generation* here. An entry is served only
//!   while it carries the member's current generation; it is read again otherwise.
//!   The generation moves (a) at once, on this node, after any form a member submits
//!   (logging out, changing a password, muting, bookmarking…: [`Members::changed`] from
//!   the request middleware), and (b) within about a second on every node, when
//!   [`Members::poll`] reads the store's member-change notes
//!   ([`tome_store::member_changes`]), which every such write leaves, whichever node or
//!   command made it (`tome users role` included).
//! - **Backstop:** an entry also expires [`MEMBER_TTL`] after it was read.
//! - **Race:** the generation is read *before* the database, so an answer read before
//!   a change and stored after it carries the old generation and is never served.
//! - **Bound:** entries are counted ([`SESSIONS_KEPT`], [`STATES_KEPT`]); each is small
//!   (a member's pseuds, mutes and blocks are bounded by the forms that make them).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tome_store::member_state::{MemberFilters, MemberWorkState};
use tome_store::{PseudRef, SessionRecord, Store};

/// How long an entry is trusted at most without a change note.
pub const MEMBER_TTL: Duration = Duration::from_secs(60);
/// Sessions kept at most.
pub const SESSIONS_KEPT: u64 = 100_000;
/// (member, work) states kept at most.
pub const STATES_KEPT: u64 = 200_000;

/// A session as kept: the store's record, the member's pseuds and filters.
#[derive(Debug, Clone)]
pub struct KnownSession {
    pub record: SessionRecord,
    pub pseuds: Vec<PseudRef>,
    pub filters: Arc<MemberFilters>,
}

#[derive(Clone)]
struct Kept<T> {
    generation: u64,
    value: Arc<T>,
}

/// What the change poller has applied: the newest note time seen, and the ids applied
/// within the overlap window before it.
#[derive(Default)]
struct Seen {
    newest_at: i64,
    applied: HashMap<i64, i64>,
}

/// The members' in-memory state (see the module docs).
pub struct Members {
    sessions: moka::sync::Cache<String, Kept<KnownSession>>,
    states: moka::sync::Cache<(i64, i64), Kept<MemberWorkState>>,
    generations: RwLock<HashMap<i64, u64>>,
    seen: Mutex<Seen>,
}

impl Default for Members {
    fn default() -> Members {
        Members::new()
    }
}

impl Members {
    pub fn new() -> Members {
        Members {
            sessions: moka::sync::Cache::builder()
                .max_capacity(SESSIONS_KEPT)
                .time_to_live(MEMBER_TTL)
                .build(),
            states: moka::sync::Cache::builder()
                .max_capacity(STATES_KEPT)
                .time_to_live(MEMBER_TTL)
                .build(),
            generations: RwLock::new(HashMap::new()),
            seen: Mutex::new(Seen {
                newest_at: crate::accounts::now(),
                applied: HashMap::new(),
            }),
        }
    }

    fn generation(&self, user_id: i64) -> u64 {
        self.generations
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&user_id)
            .copied()
            .unwrap_or(0)
    }

    /// Forgets what is kept of these members (they changed something).
    pub fn changed(&self, users: &[i64]) {
        let mut g = self.generations.write().unwrap_or_else(|e| e.into_inner());
        for u in users {
            *g.entry(*u).or_insert(0) += 1;
        }
    }

    /// The live session with this id hash, from memory when current, else from the store
    /// (with the member's pseuds and filters). `None`: no such live session.
    pub async fn session(
        &self,
        store: &Store,
        id_hash: &str,
    ) -> tome_store::Result<Option<Arc<KnownSession>>> {
        let now = crate::accounts::now();
        if let Some(k) = self.sessions.get(id_hash)
            && k.generation == self.generation(k.value.record.user_id)
            && k.value.record.expires_at > now
        {
            return Ok(Some(k.value));
        }
        let Some(record) = store.session(id_hash).await? else {
            self.sessions.invalidate(id_hash);
            return Ok(None);
        };
        let user = record.user_id;
        let generation = self.generation(user);
        let pseuds = store.pseuds_of(user).await?;
        let filters = Arc::new(store.member_filters(user).await?);
        let known = Arc::new(KnownSession {
            record,
            pseuds,
            filters,
        });
        self.sessions.insert(
            id_hash.to_string(),
            Kept {
                generation,
                value: known.clone(),
            },
        );
        Ok(Some(known))
    }

    /// Remembers that a kept session's activity was written back at `at`.
    pub fn touched(&self, id_hash: &str, at: i64, expires_at: i64) {
        if let Some(k) = self.sessions.get(id_hash) {
            let mut s = (*k.value).clone();
            s.record.last_seen_at = at;
            s.record.expires_at = expires_at;
            self.sessions.insert(
                id_hash.to_string(),
                Kept {
                    generation: k.generation,
                    value: Arc::new(s),
                },
            );
        }
    }

    /// The member's bookmark, subscription and mark for later on a work, from memory
    /// when current, else in one query.
    pub async fn work_state(
        &self,
        store: &Store,
        user_id: i64,
        work_id: i64,
    ) -> tome_store::Result<Arc<MemberWorkState>> {
        let generation = self.generation(user_id);
        if let Some(k) = self.states.get(&(user_id, work_id))
            && k.generation == generation
        {
            return Ok(k.value);
        }
        let state = Arc::new(store.member_work_state(user_id, work_id).await?);
        self.states.insert(
            (user_id, work_id),
            Kept {
                generation,
                value: state.clone(),
            },
        );
        Ok(state)
    }

    /// Reads the store's member-change notes made since the last poll (with the
    /// overlap that late commits need) and forgets those members. Returns how many
    /// members changed.
    pub async fn poll(&self, store: &Store) -> tome_store::Result<usize> {
        use tome_store::member_changes::CHANGE_OVERLAP;
        let since = {
            let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.newest_at - CHANGE_OVERLAP
        };
        let notes = store.member_changes_since(since, 10_000).await?;
        let mut users = HashSet::new();
        {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            for n in &notes {
                if seen.applied.insert(n.id, n.at).is_none() {
                    users.insert(n.user_id);
                }
                seen.newest_at = seen.newest_at.max(n.at);
            }
            let keep_from = seen.newest_at - CHANGE_OVERLAP;
            seen.applied.retain(|_, at| *at >= keep_from);
        }
        let users: Vec<i64> = users.into_iter().collect();
        self.changed(&users);
        Ok(users.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_moves_only_that_members_generation() {
        let m = Members::new();
        assert_eq!(m.generation(1), 0);
        m.changed(&[1, 1, 2]);
        assert_eq!(m.generation(1), 2);
        assert_eq!(m.generation(2), 1);
        assert_eq!(m.generation(3), 0);
    }
}
