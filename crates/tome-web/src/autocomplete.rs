//! Tag autocomplete as a service: the in-memory [`TagIndex`] the pages ask, kept fresh.
//!
//! - The index is built when the server starts (the refresher's first round; a request
//!   arriving before that waits for the same build) and swapped whole afterwards, so a
//!   query never waits for a rebuild.
//! - The refresher looks at [`TagNamesStamp`] (newest tag, outbox head, wrangling log
//!   head: three index look-ups) every `every` and rebuilds when it moved — at most once
//!   per `every`, and never more often than ten times the last build took, so a big
//!   archive that changes all the time spends at most a tenth of a core on it.
//! - Tags made since the build (a new tag typed on a posted work) are answered at once
//!   anyway: each query also reads the tags with ids above the build's (one range look-up
//!   on the primary key, empty most of the time) and merges them in. Changes to existing
//!   tags (uses, synonyms, renames) show after the next rebuild.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tome_model::TagKind;
use tome_model::visibility::Audience;
use tome_search::autocomplete::{Hit, TagIndex, fold};
use tome_store::{Result, Store, TagNamesStamp};

/// How often the refresher looks for changes, unless told otherwise.
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);
/// Newer tags merged into one answer, at most.
const NEWER_TAGS: u32 = 200;

/// A built index and what it was built from.
pub struct Built {
    /// Members' answers.
    pub index: TagIndex,
    /// Guests' answers: uses on works listed for guests only (no tag used only on
    /// restricted works).
    pub guest: TagIndex,
    pub stamp: TagNamesStamp,
    /// How long reading the tags and building took.
    pub took: Duration,
    at: Instant,
}

/// The current index, shared by handlers and the refresher.
pub struct Autocomplete {
    current: RwLock<Option<Arc<Built>>>,
    building: tokio::sync::Mutex<()>,
    every: RwLock<Duration>,
}

impl Default for Autocomplete {
    fn default() -> Autocomplete {
        Autocomplete {
            current: RwLock::new(None),
            building: tokio::sync::Mutex::new(()),
            every: RwLock::new(REFRESH_EVERY),
        }
    }
}

impl Autocomplete {
    /// Sets how often the refresher looks for changes (before serving).
    pub fn set_refresh_every(&self, every: Duration) {
        if let Ok(mut e) = self.every.write() {
            *e = every;
        }
    }

    pub fn refresh_every(&self) -> Duration {
        self.every.read().map_or(REFRESH_EVERY, |e| *e)
    }

    /// The index in use, if built.
    pub fn current(&self) -> Option<Arc<Built>> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    /// The index in use, building it first when there is none yet.
    pub async fn index(&self, store: &Store) -> Result<Arc<Built>> {
        if let Some(b) = self.current() {
            return Ok(b);
        }
        let _one = self.building.lock().await;
        if let Some(b) = self.current() {
            return Ok(b);
        }
        self.build_locked(store).await
    }

    /// Builds a new index now and swaps it in.
    pub async fn rebuild(&self, store: &Store) -> Result<Arc<Built>> {
        let _one = self.building.lock().await;
        self.build_locked(store).await
    }

    async fn build_locked(&self, store: &Store) -> Result<Arc<Built>> {
        let started = Instant::now();
        // The stamp first: whatever changes while the rows are read moves it again.
        let stamp = store.tag_names_stamp().await?;
        let rows = store.tag_names().await?;
        let (index, guest) = tokio::task::spawn_blocking(move || {
            (
                TagIndex::build_for(&rows, Audience::Member),
                TagIndex::build_for(&rows, Audience::Guest),
            )
        })
        .await
        .map_err(|e| tome_store::StoreError::Invalid(format!("autocomplete build: {e}")))?;
        let built = Arc::new(Built {
            index,
            guest,
            stamp,
            took: started.elapsed(),
            at: Instant::now(),
        });
        tracing::debug!(
            "autocomplete: {} names indexed in {:.0} ms",
            built.index.len(),
            built.took.as_secs_f64() * 1000.0
        );
        if let Ok(mut c) = self.current.write() {
            *c = Some(built.clone());
        }
        Ok(built)
    }

    /// Rebuilds when the stamp moved and the last build is old enough (see the module
    /// docs). Returns whether it rebuilt.
    pub async fn refresh_if_changed(&self, store: &Store) -> Result<bool> {
        let Some(built) = self.current() else {
            self.index(store).await?;
            return Ok(true);
        };
        if built.at.elapsed() < built.took * 10 {
            return Ok(false);
        }
        if store.tag_names_stamp().await? == built.stamp {
            return Ok(false);
        }
        self.rebuild(store).await?;
        Ok(true)
    }

    /// Runs the refresher until aborted: builds at once, then looks every
    /// [`Autocomplete::refresh_every`].
    pub fn spawn_refresher(self: &Arc<Self>, store: Store) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = me.refresh_if_changed(&store).await {
                    tracing::warn!("autocomplete: cannot refresh the tag index: {e}");
                }
                tokio::time::sleep(me.refresh_every()).await;
            }
        })
    }

    /// The best `limit` tags for `term` as `audience` may be told of them: the index's,
    /// plus tags made since it was built.
    pub async fn search(
        &self,
        store: &Store,
        term: &str,
        kind: Option<TagKind>,
        limit: usize,
        audience: Audience,
    ) -> Result<Vec<Hit>> {
        let built = self.index(store).await?;
        let index = match audience {
            Audience::Member => &built.index,
            Audience::Guest => &built.guest,
        };
        let mut hits = index.search(term, kind, limit);
        if hits.is_empty() && term.trim().is_empty() {
            return Ok(hits);
        }
        let newer = store
            .tag_names_after(built.stamp.max_tag_id, NEWER_TAGS)
            .await?;
        if newer.is_empty() {
            return Ok(hits);
        }
        hits.extend(TagIndex::build_for(&newer, audience).search(term, kind, limit));
        hits.sort_by_cached_key(|h| (std::cmp::Reverse(h.uses), fold(&h.name), h.id));
        let mut seen = std::collections::HashSet::new();
        hits.retain(|h| seen.insert(h.id));
        hits.truncate(limit);
        Ok(hits)
    }
}
