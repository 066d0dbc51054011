//! Keeping the index in step with the database.
//!
//! [`Search::catch_up`] reads outbox rows after the recorded `seq`, re-reads those works,
//! replaces their documents, commits, and only then records the new `seq`: a crash at
//! any point re-does at most one batch (replacing a document is idempotent).
//! [`rebuild`] builds a fresh index beside the old one from every work and swaps it in.

use std::path::Path;
use std::time::Duration;

use tantivy::{Index, Term};
use tome_store::{IndexWork, Store, TagGraph};

use crate::document::document;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::{INDEXER_NAME, Result, Search, SearchError};

/// Outbox rows read per batch (one commit each).
const BATCH: u32 = 1_000;
/// Works read per page during a rebuild.
const REBUILD_PAGE: u32 = 2_000;

impl Search {
    /// Applies every outbox row not yet indexed; returns how many rows were applied.
    pub async fn catch_up(&self) -> Result<u64> {
        let store = self.store().clone();
        let mut seq = store.index_seq(INDEXER_NAME).await?;
        let mut applied = 0;
        loop {
            let rows = store.outbox_after(seq, BATCH).await?;
            let Some(last) = rows.last().map(|r| r.seq) else {
                break;
            };
            let mut ids: Vec<i64> = rows.iter().map(|r| r.work_id).collect();
            ids.sort_unstable();
            ids.dedup();
            // Tags may have been created or re-wrangled along with these works.
            let graph = store.tag_graph().await?;
            let works = store.works_for_index(&ids).await?;
            let me = self.clone();
            let graph = tokio::task::spawn_blocking(move || {
                me.replace(&ids, &works, &graph).map(|()| graph)
            })
            .await
            .map_err(|e| SearchError::Task(e.to_string()))??;
            self.set_graph(graph);
            self.forget_facets();
            // Names resolve against the new graph from now on.
            self.forget_results();
            store.set_index_seq(INDEXER_NAME, last).await?;
            applied += rows.len() as u64;
            seq = last;
        }
        Ok(applied)
    }

    /// Replaces the documents of `ids` by those of the listed `works`, commits and reloads.
    fn replace(&self, ids: &[i64], works: &[IndexWork], graph: &TagGraph) -> Result<()> {
        let f = &self.inner.fields;
        let mut w = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        for id in ids {
            w.delete_term(Term::from_field_u64(f.id, u64::try_from(*id).unwrap_or(0)));
        }
        for work in works.iter().filter(|w| w.listed) {
            w.add_document(document(f, work, graph))?;
        }
        w.commit()?;
        drop(w);
        self.inner.reader.reload()?;
        self.forget_results();
        Ok(())
    }

    /// Starts the indexer task: catch up now, then poll the outbox every `every`.
    pub fn spawn_indexer(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                match me.catch_up().await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!("search index: applied {n} outbox rows"),
                    Err(e) => tracing::warn!("search index: {e}"),
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}

/// Rebuilds the index in `dir` from every work in `store`; `progress(done, total)` is
/// called after each page. The old index stays in place until the new one is complete.
/// Returns the number of works indexed.
pub async fn rebuild(dir: &Path, store: &Store, mut progress: impl FnMut(u64, u64)) -> Result<u64> {
    let io = |e| SearchError::Io(dir.to_path_buf(), e);
    // Changes made during the rebuild come after this seq and are applied by catch-up.
    let head = store.outbox_head().await?;
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
            writer.commit()?;
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
    store.set_index_seq(INDEXER_NAME, head).await?;
    Ok(n)
}
