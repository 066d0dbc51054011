//! `tome gen-corpus`: fill an archive with generated works (benchmarks, demos).
//!
//! Today this is the demo generator at any size; the search issue grows it into the
//! full synthetic corpus (hundreds of fandoms, lognormal lengths, 15 years of dates).

use crate::archive::Location;
use crate::corpus;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct GenCorpusArgs {
    /// How many works to generate.
    #[arg(long, default_value_t = 1000)]
    works: usize,
    /// Random seed: the same seed gives the same works.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub async fn run(archive: &Location, args: GenCorpusArgs) -> anyhow::Result<ExitCode> {
    let store = archive.open().await?;
    let (vocab, works) = corpus::generate(args.works, args.seed);
    store.import_vocabulary(&vocab).await?;
    let bar = ProgressBar::new(works.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} works {per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    for w in &works {
        store.create_work(w).await?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    eprintln!("generated {} works (seed {})", works.len(), args.seed);
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
