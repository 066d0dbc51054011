//! `tome gen-corpus`: fill an archive with a synthetic corpus shaped like AO3's
//! (see [`crate::synth`]), fast: works are generated on a thread of their own while
//! the store writes big multi-row batches (see `tome_store::BulkLoader`), each batch
//! in one transaction that writes all of it or nothing.

use crate::archive::Location;
use crate::synth::World;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::Instant;

/// Options of `tome gen-corpus`; the help text below says what the corpus looks like.
#[derive(Args, Debug)]
#[command(
    after_help = "The corpus: 300 invented fandoms with Zipf popularity, their \
characters and relationships, free tags with a long tail, lognormal lengths (median about \
4,000 words, some over 100,000), AO3-like ratings, warnings and categories, 15 years of \
dates, kudos/hits/bookmarks/comments that grow with age and popularity. The same seed gives \
the same works.\n\nword_count is each story's nominal length (what listings show, filter \
and sort on); the stored text is a shorter generated stand-in, a paragraph or two per \
chapter drawn from a 6,000-word vocabulary, so a million works fit on a laptop.\n\nRun \
`tome reindex` afterwards to build the search index."
)]
pub struct GenCorpusArgs {
    /// How many works to generate.
    #[arg(long, default_value_t = 1000)]
    works: u64,
    /// Random seed: the same seed gives the same works.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Works written per transaction.
    #[arg(long, default_value_t = 5000)]
    batch: u64,
}

pub async fn run(archive: &Location, args: GenCorpusArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let store = archive.open().await?;
    let world = World::new(args.seed);
    store.import_vocabulary(&world.vocabulary()).await?;
    let bar = ProgressBar::new(args.works);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} works {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    let (n, seed, batch) = (args.works, args.seed, args.batch.max(1));
    let generator = std::thread::spawn(move || {
        let mut i = 0;
        while i < n {
            let end = (i + batch).min(n);
            let works: Vec<_> = (i..end).map(|k| world.work(seed, k)).collect();
            if tx.blocking_send(works).is_err() {
                break;
            }
            i = end;
        }
    });
    let mut loader = store.bulk_loader().await?;
    while let Some(works) = rx.recv().await {
        loader.load(&works).await?;
        bar.inc(works.len() as u64);
    }
    generator
        .join()
        .map_err(|_| anyhow::anyhow!("the corpus generator failed"))?;
    bar.finish_and_clear();
    eprintln!(
        "generated {} works (seed {}) in {:.1}s; run `tome reindex` to build the search index",
        args.works,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
