//! Counts over every work, cached: the media index (`GET /media`; one medium's fandoms
//! at `GET /media/{medium}/fandoms` are read from it) and the wrangler's home
//! (`GET /tag_wranglings`), and the vocabulary tag suggestions read. Each is an
//! aggregate over all works (seconds on a big archive), so pages answer the last result
//! and refresh it behind the request — stale-while-revalidate:
//!
//! - With a value, a request is answered it at once. When the value is older than
//!   max(10 × the time it took, the minimum age: [`MIN_AGE`] unless set) and
//!   [`TagNamesStamp`] (newest tag, outbox head, wrangling log head: three index
//!   look-ups) moved since, one background refresh starts (one per entry at a time); the
//!   request does not wait for it.
//! - Without a value yet, the request computes it; concurrent requests for the same
//!   entry wait for that one computation.
//! - [`serve_on`](crate::serve_on) warms the media index and the wrangler's home when the
//!   server starts.
//!
//! So **the counts on these pages may be a few seconds stale after a change** (longer on
//! an archive where they take long to compute: up to ten times that). A minimum age of
//! zero ([`AppState::with_counts_refresh`](crate::AppState::with_counts_refresh)) means
//! "recompute before answering whenever the stamp moved": exact counts, for tests.

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tome_store::{Audience, FandomQueueCount, MediaFandoms, Result, Store, TagNamesStamp};

/// The least age of a value before a change makes it recomputed, unless set.
pub const MIN_AGE: Duration = Duration::from_secs(2);

/// A computed value and what it was computed from.
struct Computed<T> {
    value: Arc<T>,
    stamp: TagNamesStamp,
    took: Duration,
    at: Instant,
}

/// One cached result.
pub struct Entry<T> {
    current: RwLock<Option<Arc<Computed<T>>>>,
    computing: Arc<tokio::sync::Mutex<()>>,
}

impl<T> Default for Entry<T> {
    fn default() -> Entry<T> {
        Entry {
            current: RwLock::new(None),
            computing: Arc::new(tokio::sync::Mutex::new(())),
        }
    }
}

impl<T: Send + Sync + 'static> Entry<T> {
    fn current(&self) -> Option<Arc<Computed<T>>> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    /// The value, as described in the module docs. `compute` is run at most once per
    /// call, and only when there is no value or the stamp moved.
    pub async fn get<F, Fut>(
        self: &Arc<Self>,
        store: &Store,
        min_age: Duration,
        compute: F,
    ) -> Result<Arc<T>>
    where
        F: FnOnce(Store) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let Some(c) = self.current() else {
            let _one = self.computing.lock().await;
            if let Some(c) = self.current() {
                return Ok(c.value.clone());
            }
            return Ok(self.compute_locked(store, compute).await?.value.clone());
        };
        if min_age.is_zero() {
            let stamp = store.tag_names_stamp().await?;
            if stamp == c.stamp {
                return Ok(c.value.clone());
            }
            let _one = self.computing.lock().await;
            match self.current() {
                Some(c) if c.stamp == stamp => return Ok(c.value.clone()),
                _ => {}
            }
            return Ok(self.compute_locked(store, compute).await?.value.clone());
        }
        if c.at.elapsed() < (c.took * 10).max(min_age) || self.computing.try_lock().is_err() {
            return Ok(c.value.clone());
        }
        if store.tag_names_stamp().await? != c.stamp {
            self.spawn_refresh(store.clone(), compute);
        }
        Ok(c.value.clone())
    }

    /// Computes in the background unless a computation is under way.
    fn spawn_refresh<F, Fut>(self: &Arc<Self>, store: Store, compute: F)
    where
        F: FnOnce(Store) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let Ok(one) = self.computing.clone().try_lock_owned() else {
            return;
        };
        let me = self.clone();
        tokio::spawn(async move {
            if let Err(e) = me.compute_locked(&store, compute).await {
                tracing::warn!("counts: cannot refresh: {e}");
            }
            drop(one);
        });
    }

    /// Computes and swaps the value in; the caller holds `computing`.
    async fn compute_locked<F, Fut>(&self, store: &Store, compute: F) -> Result<Arc<Computed<T>>>
    where
        F: FnOnce(Store) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let started = Instant::now();
        // The stamp first: whatever changes while computing moves it again.
        let stamp = store.tag_names_stamp().await?;
        let value = compute(store.clone()).await?;
        let c = Arc::new(Computed {
            value: Arc::new(value),
            stamp,
            took: started.elapsed(),
            at: Instant::now(),
        });
        if let Ok(mut cur) = self.current.write() {
            *cur = Some(c.clone());
        }
        Ok(c)
    }
}

/// The cached counts of the media and wrangling pages.
pub struct Counts {
    min_age: RwLock<Duration>,
    /// Per audience (guests' counts leave out restricted works): [guest, member].
    media: [Arc<Entry<Vec<MediaFandoms>>>; 2],
    wrangling: Arc<Entry<Vec<FandomQueueCount>>>,
    /// The wrangled vocabulary the posting form's tag suggestions come from (it carries
    /// every canonical tag's uses: an aggregate over all works too).
    vocabulary: Arc<Entry<tome_text::Vocabulary>>,
}

impl Default for Counts {
    fn default() -> Counts {
        Counts {
            min_age: RwLock::new(MIN_AGE),
            media: [Arc::default(), Arc::default()],
            wrangling: Arc::default(),
            vocabulary: Arc::default(),
        }
    }
}

impl Counts {
    /// Sets the minimum age (zero: recompute before answering whenever the stamp moved).
    pub fn set_min_age(&self, min_age: Duration) {
        if let Ok(mut m) = self.min_age.write() {
            *m = min_age;
        }
    }

    pub fn min_age(&self) -> Duration {
        self.min_age.read().map_or(MIN_AGE, |m| *m)
    }

    /// Every medium with its fandoms and their counts of works as `audience` may be
    /// told them ([`Store::media_index`]), cached per audience.
    pub async fn media_index(
        &self,
        store: &Store,
        audience: Audience,
    ) -> Result<Arc<Vec<MediaFandoms>>> {
        let slot = match audience {
            Audience::Guest => 0,
            Audience::Member => 1,
        };
        self.media[slot]
            .get(store, self.min_age(), move |s: Store| async move {
                s.media_index(audience).await
            })
            .await
    }

    /// One medium (by name, case-insensitive) with its fandoms; `None` for no such
    /// medium. Read from the cached media index, which holds every medium's fandoms
    /// ([`Store::media_fandoms`] computes the same index and keeps one).
    pub async fn media_fandoms(
        &self,
        store: &Store,
        name: &str,
        audience: Audience,
    ) -> Result<Option<MediaFandoms>> {
        let key = name.trim().to_lowercase();
        let index = self.media_index(store, audience).await?;
        Ok(index.iter().find(|m| m.name.to_lowercase() == key).cloned())
    }

    /// Every canonical fandom with its unwrangled tags per kind
    /// ([`Store::wrangling_fandoms`]).
    pub async fn wrangling_fandoms(&self, store: &Store) -> Result<Arc<Vec<FandomQueueCount>>> {
        self.wrangling
            .get(store, self.min_age(), |s: Store| async move {
                s.wrangling_fandoms().await
            })
            .await
    }

    /// The archive's wrangled vocabulary ([`Store::vocabulary`]) for tag suggestions.
    pub async fn vocabulary(&self, store: &Store) -> Result<Arc<tome_text::Vocabulary>> {
        self.vocabulary
            .get(store, self.min_age(), |s: Store| async move {
                Ok(tome_text::Vocabulary::new(s.vocabulary().await?))
            })
            .await
    }

    /// Computes the media index and the wrangler's home in the background (when the
    /// server starts), one after the other.
    pub fn spawn_warm(self: &Arc<Self>, store: Store) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            for audience in Audience::ALL {
                if let Err(e) = me.media_index(&store, audience).await {
                    tracing::warn!("counts: cannot compute the media index: {e}");
                }
            }
            if let Err(e) = me.wrangling_fandoms(&store).await {
                tracing::warn!("counts: cannot compute the wrangling counts: {e}");
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_data_dir(dir.path()).await.expect("store");
        (dir, store)
    }

    /// A compute closure that counts its runs and answers the run's number.
    fn counted(
        runs: &Arc<AtomicUsize>,
    ) -> impl FnOnce(Store) -> std::future::Ready<Result<usize>> + Send + 'static {
        let runs = runs.clone();
        move |_| std::future::ready(Ok(runs.fetch_add(1, Ordering::SeqCst) + 1))
    }

    async fn tag(store: &Store, name: &str) {
        let file = tome_model::VocabularyFile {
            about: None,
            tags: vec![tome_model::VocabEntry {
                kind: tome_model::TagKind::Freeform,
                name: name.into(),
                synonyms: vec![],
                fandoms: vec![],
                characters: vec![],
                metatags: vec![],
                media: vec![],
                uses: 0,
            }],
        };
        store.import_vocabulary(&file).await.expect("tag");
    }

    #[tokio::test]
    async fn a_second_request_is_answered_from_the_cache() {
        let (_dir, store) = store().await;
        let entry: Arc<Entry<usize>> = Arc::default();
        let runs = Arc::new(AtomicUsize::new(0));
        for _ in 0..3 {
            let v = entry
                .get(&store, MIN_AGE, counted(&runs))
                .await
                .expect("get");
            assert_eq!(*v, 1);
        }
        // Changed, but the value is younger than the minimum age: still the cached one,
        // and no refresh started.
        tag(&store, "Fluff").await;
        let v = entry
            .get(&store, MIN_AGE, counted(&runs))
            .await
            .expect("get");
        assert_eq!(*v, 1);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn concurrent_first_requests_share_one_computation() {
        let (_dir, store) = store().await;
        let entry: Arc<Entry<usize>> = Arc::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let slow = |runs: Arc<AtomicUsize>| {
            move |_: Store| async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(runs.fetch_add(1, Ordering::SeqCst) + 1)
            }
        };
        let (a, b) = tokio::join!(
            entry.get(&store, MIN_AGE, slow(runs.clone())),
            entry.get(&store, MIN_AGE, slow(runs.clone())),
        );
        assert_eq!((*a.expect("a"), *b.expect("b")), (1, 1));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_stale_value_is_answered_while_one_refresh_runs() {
        let (_dir, store) = store().await;
        let entry: Arc<Entry<usize>> = Arc::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let min_age = Duration::from_millis(20);
        entry
            .get(&store, min_age, counted(&runs))
            .await
            .expect("get");
        // Past both the minimum age and ten times the first computation (which is
        // longer than 2 ms on a busy machine).
        let took = entry.current().map_or(Duration::ZERO, |c| c.took);
        tokio::time::sleep((took * 10).max(min_age) + Duration::from_millis(20)).await;
        // Old enough but unchanged: no refresh.
        let v = entry
            .get(&store, min_age, counted(&runs))
            .await
            .expect("get");
        assert_eq!((*v, runs.load(Ordering::SeqCst)), (1, 1));
        tag(&store, "Angst").await;
        // Changed: the old value at once, the new one computed behind.
        let v = entry
            .get(&store, min_age, counted(&runs))
            .await
            .expect("get");
        assert_eq!(*v, 1);
        let _done = entry.computing.lock().await;
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        drop(_done);
        let v = entry
            .get(&store, min_age, counted(&runs))
            .await
            .expect("get");
        assert_eq!(*v, 2);
    }

    #[tokio::test]
    async fn a_zero_minimum_age_recomputes_whenever_the_stamp_moved() {
        let (_dir, store) = store().await;
        let entry: Arc<Entry<usize>> = Arc::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let zero = Duration::ZERO;
        assert_eq!(
            *entry.get(&store, zero, counted(&runs)).await.expect("get"),
            1
        );
        assert_eq!(
            *entry.get(&store, zero, counted(&runs)).await.expect("get"),
            1
        );
        tag(&store, "Hurt/Comfort").await;
        assert_eq!(
            *entry.get(&store, zero, counted(&runs)).await.expect("get"),
            2
        );
    }

    #[tokio::test]
    async fn media_fandoms_come_from_the_cached_index() {
        let (_dir, store) = store().await;
        let counts = Counts::default();
        let tv = counts
            .media_fandoms(&store, "tv shows", Audience::Guest)
            .await
            .expect("tv");
        assert_eq!(tv.map(|m| m.name), Some("TV Shows".to_string()));
        let index = counts
            .media_index(&store, Audience::Guest)
            .await
            .expect("index");
        let again = counts
            .media_index(&store, Audience::Guest)
            .await
            .expect("index");
        assert!(Arc::ptr_eq(&index, &again), "served from the cache");
        let member = counts
            .media_index(&store, Audience::Member)
            .await
            .expect("index");
        assert!(!Arc::ptr_eq(&index, &member), "one entry per audience");
        let none = counts
            .media_fandoms(&store, "Knitting", Audience::Member)
            .await
            .expect("none");
        assert!(none.is_none());
    }
}
