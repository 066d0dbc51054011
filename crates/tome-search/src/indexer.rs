//! Keeping the index in step with the database.
//!
//! [`Search::catch_up`] reads outbox rows after the index's position (an
//! [`OutboxPos`], see `tome_store::outbox` for why it is `(txid, seq)` and not `seq`),
//! re-reads those works, replaces their documents and commits them together with the new
//! position (the commit's payload): the index and its position never disagree, a crash
//! re-does nothing or one batch, and several nodes can each keep their own index of one
//! database. When the outbox was pruned past the index's position, the index refills
//! itself from the works ([`Search::refill`]).
//! [`rebuild`] builds a fresh index beside the old one from every work and swaps it in.
//!
//! Outbox rows are kept [`OUTBOX_RETENTION`]; every indexer task prunes older ones about
//! once an hour. An index stopped for longer than that refills when it starts again.

use std::path::Path;
use std::time::Duration;

use tantivy::{Index, IndexWriter, Term};
use tome_store::{IndexWork, OutboxPos, Store, TagGraph};

use crate::document::document;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::{Result, Search, SearchError};

/// Outbox rows read per batch (one commit each).
const BATCH: u32 = 1_000;
/// Works read per page during a rebuild.
const REBUILD_PAGE: u32 = 2_000;
/// How long outbox rows are kept: an index behind by more than this refills itself.
pub const OUTBOX_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
/// How long a catch-up waits for committed rows held back by an open transaction.
const PENDING_WAIT: Duration = Duration::from_secs(2);
const PENDING_POLL: Duration = Duration::from_millis(10);
/// How often the indexer task prunes the outbox.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Commits `writer` with `pos` as the commit's payload.
fn commit_at(writer: &mut IndexWriter, pos: OutboxPos) -> Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&pos.encode());
    prepared.commit()?;
    Ok(())
}

impl Search {
    /// The outbox position of the last commit (zero for an index never committed).
    pub fn position(&self) -> Result<OutboxPos> {
        Ok(self
            .inner
            .index
            .load_metas()?
            .payload
            .as_deref()
            .and_then(OutboxPos::parse)
            .unwrap_or_default())
    }

    /// Applies every outbox row not yet indexed; returns how many rows were applied (and
    /// works re-read, when the index had to refill itself).
    pub async fn catch_up(&self) -> Result<u64> {
        let _one = self.inner.catching_up.lock().await;
        let store = self.store().clone();
        let mut pos = self.position()?;
        let mut applied = 0;
        let mut waited = Duration::ZERO;
        loop {
            let rows = store.outbox_page(pos, BATCH).await?;
            // Read after the page: if nothing past `pos` had been pruned by then, the
            // page is complete (pruning moves the horizon in the same transaction).
            if store.outbox_horizon().await? > pos {
                tracing::warn!(
                    "search index: the outbox was pruned past this index's position; \
                     refilling it from the works"
                );
                applied += self.refill_locked().await?;
                pos = self.position()?;
                continue;
            }
            let Some(last) = rows.last().map(|r| r.position()) else {
                // Committed rows held back by another open transaction: they usually
                // become readable within milliseconds, so wait a little for them.
                if waited < PENDING_WAIT && store.outbox_waiting(pos).await? {
                    tokio::time::sleep(PENDING_POLL).await;
                    waited += PENDING_POLL;
                    continue;
                }
                break;
            };
            let mut ids: Vec<i64> = rows.iter().map(|r| r.work_id).collect();
            ids.sort_unstable();
            ids.dedup();
            // Tags may have been created or re-wrangled along with these works.
            let graph = store.tag_graph().await?;
            let works = store.works_for_index(&ids).await?;
            // Their blurbs change with them: forgotten before the new index is visible,
            // so a page of it never shows a blurb older than the page.
            self.inner.blurbs.forget(&ids);
            let me = self.clone();
            let graph = tokio::task::spawn_blocking(move || {
                me.replace(&ids, &works, &graph, last).map(|()| graph)
            })
            .await
            .map_err(|e| SearchError::Task(e.to_string()))??;
            self.set_graph(graph);
            self.forget_facets();
            // Names resolve against the new graph from now on.
            self.forget_results();
            applied += rows.len() as u64;
            pos = last;
        }
        Ok(applied)
    }

    /// Empties the index and fills it again from every work, in place (searches keep
    /// the old contents until the final commit). Returns the number of works read.
    pub async fn refill(&self) -> Result<u64> {
        let _one = self.inner.catching_up.lock().await;
        self.refill_locked().await
    }

    async fn refill_locked(&self) -> Result<u64> {
        let store = self.store().clone();
        // Changes visible from here on are in the works read below; later ones come
        // after this position and are applied by the next catch-up.
        let from = store.outbox_frontier().await?;
        let graph = std::sync::Arc::new(store.tag_graph().await?);
        {
            let w = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
            w.delete_all_documents()?;
        }
        let mut after = 0;
        let mut read = 0;
        let outcome: Result<()> = async {
            loop {
                let page = store.works_for_index_after(after, REBUILD_PAGE).await?;
                let Some(last) = page.last().map(|w| w.id) else {
                    break;
                };
                after = last;
                read += page.len() as u64;
                let me = self.clone();
                let graph = graph.clone();
                tokio::task::spawn_blocking(move || -> Result<()> {
                    let f = &me.inner.fields;
                    let w = me.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
                    for work in page.iter().filter(|w| w.listed) {
                        w.add_document(document(f, work, &graph))?;
                    }
                    Ok(())
                })
                .await
                .map_err(|e| SearchError::Task(e.to_string()))??;
            }
            let me = self.clone();
            tokio::task::spawn_blocking(move || -> Result<()> {
                let mut w = me.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
                commit_at(&mut w, from)?;
                drop(w);
                me.inner.reader.reload()?;
                Ok(())
            })
            .await
            .map_err(|e| SearchError::Task(e.to_string()))?
        }
        .await;
        if let Err(e) = outcome {
            // Drop the half-made refill (the delete and the added documents) so the next
            // attempt starts from the last commit.
            let mut w = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
            let _ = w.rollback();
            return Err(e);
        }
        let graph = std::sync::Arc::try_unwrap(graph).unwrap_or_else(|g| (*g).clone());
        self.inner.blurbs.clear();
        self.set_graph(graph);
        self.forget_facets();
        self.forget_results();
        Ok(read)
    }

    /// Replaces the documents of `ids` by those of the listed `works`, commits at `pos`
    /// and reloads.
    fn replace(
        &self,
        ids: &[i64],
        works: &[IndexWork],
        graph: &TagGraph,
        pos: OutboxPos,
    ) -> Result<()> {
        let f = &self.inner.fields;
        let mut w = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        for id in ids {
            w.delete_term(Term::from_field_u64(f.id, u64::try_from(*id).unwrap_or(0)));
        }
        for work in works.iter().filter(|w| w.listed) {
            w.add_document(document(f, work, graph))?;
        }
        commit_at(&mut w, pos)?;
        drop(w);
        self.inner.reader.reload()?;
        self.forget_results();
        Ok(())
    }

    /// Starts the indexer task: catch up now, then poll the outbox every `every`; prune
    /// outbox rows older than [`OUTBOX_RETENTION`] about once an hour.
    pub fn spawn_indexer(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            let mut last_prune: Option<std::time::Instant> = None;
            loop {
                match me.catch_up().await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!("search index: applied {n} outbox rows"),
                    Err(e) => tracing::warn!("search index: {e}"),
                }
                if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
                    last_prune = Some(std::time::Instant::now());
                    let before = unix_now() - OUTBOX_RETENTION.as_secs() as i64;
                    match me.store().prune_outbox(before).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!("search outbox: pruned {n} rows"),
                        Err(e) => tracing::warn!("search outbox: cannot prune: {e}"),
                    }
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Rebuilds the index in `dir` from every work in `store`; `progress(done, total)` is
/// called after each page. The old index stays in place until the new one is complete.
/// Returns the number of works indexed.
pub async fn rebuild(dir: &Path, store: &Store, mut progress: impl FnMut(u64, u64)) -> Result<u64> {
    let io = |e| SearchError::Io(dir.to_path_buf(), e);
    // Changes made during the rebuild come after this position and are applied by catch-up.
    let head = store.outbox_frontier().await?;
    let total = store.work_count().await?;
    let graph = std::sync::Arc::new(store.tag_graph().await?);
    let tmp = dir.with_extension("new");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io)?;
    }
    std::fs::create_dir_all(&tmp).map_err(io)?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(&tmp, schema)?;
    let writer = index.writer_with_num_threads(2, 400_000_000)?;

    // Reading (async, the database) and indexing (blocking, tantivy) overlap.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<IndexWork>>(4);
    let indexer = {
        let graph = graph.clone();
        tokio::task::spawn_blocking(move || -> Result<u64> {
            let f: Fields = fields;
            let mut writer = writer;
            let mut n = 0;
            for page in rx {
                for w in page.iter().filter(|w| w.listed) {
                    writer.add_document(document(&f, w, &graph))?;
                    n += 1;
                }
            }
            commit_at(&mut writer, head)?;
            writer.wait_merging_threads()?;
            Ok(n)
        })
    };
    let mut after = 0;
    let mut done = 0;
    loop {
        let page = store.works_for_index_after(after, REBUILD_PAGE).await?;
        let Some(last) = page.last().map(|w| w.id) else {
            break;
        };
        after = last;
        done += page.iter().filter(|w| w.listed).count() as u64;
        if tx.send(page).is_err() {
            break;
        }
        progress(done, total);
    }
    drop(tx);
    let n = indexer
        .await
        .map_err(|e| SearchError::Task(e.to_string()))??;
    std::fs::write(tmp.join("tome-schema-version"), SCHEMA_VERSION.to_string()).map_err(io)?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io)?;
    }
    std::fs::rename(&tmp, dir).map_err(io)?;
    Ok(n)
}
