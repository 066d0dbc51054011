//! `tome reindex`: rebuild the search index from the database, with a progress bar.
//! The old index serves until the new one is complete; changes made meanwhile are
//! applied from the outbox afterwards.

use crate::archive::Location;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct ReindexArgs {}

pub async fn run(archive: &Location, _args: ReindexArgs) -> anyhow::Result<ExitCode> {
    let store = archive.open().await?;
    let dir = archive.data.join(tome_search::INDEX_DIR);
    let started = Instant::now();
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} works {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let n = tome_search::indexer::rebuild(&dir, &store, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    let size = dir_size(&dir);
    eprintln!(
        "indexed {n} works in {:.1}s; index {} is {:.1} MB",
        started.elapsed().as_secs_f64(),
        dir.display(),
        size as f64 / 1_000_000.0
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
