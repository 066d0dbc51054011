//! `tome import FILE...`: stories into the archive, one transaction per work.
//!
//! Every file is read, decoded and parsed on its own; a file that fails is reported in
//! one line (file and why) and the rest of the batch still imports. The exit status is
//! non-zero when any file failed.

use crate::archive::Location;
use anyhow::bail;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use tome_model::Rating;
use tome_text::import::{ImportError, ImportOptions, Imported, error_json, import_path};
use tome_text::suggest::Vocabulary;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Story files: .txt, .md, .html (the format is detected from the content too).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Show what would be imported without writing anything.
    #[arg(long)]
    dry_run: bool,
    /// Print one JSON object per file (for scripts) instead of the table.
    #[arg(long)]
    json: bool,
    /// Use this title instead of the one found in the text.
    #[arg(long)]
    title: Option<String>,
    /// Creator name (repeat for co-creators); default: the "Author:" line, else orphan_account.
    #[arg(long = "author")]
    authors: Vec<String>,
    /// Rating: general, teen, mature, explicit, not_rated (or PG-13, R, NC-17, ...).
    #[arg(long)]
    rating: Option<String>,
    /// Add a fandom tag (repeatable).
    #[arg(long = "fandom")]
    fandoms: Vec<String>,
    /// Add an additional (free) tag (repeatable).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Language code of the stories (default en).
    #[arg(long)]
    language: Option<String>,
    /// Tag the works with the suggested canonical tags too.
    #[arg(long)]
    accept_suggestions: bool,
}

/// What happened to one file.
struct Outcome {
    file: String,
    result: Result<(Imported, Option<i64>), Failure>,
}

/// Why a file did not import: the importer refused it, or the store did.
enum Failure {
    Import(ImportError),
    Store(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Import(e) => write!(f, "{e}"),
            Failure::Store(msg) => f.write_str(msg),
        }
    }
}

pub async fn run(archive: &Location, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let rating = match &args.rating {
        Some(r) => match Rating::parse(r).or_else(|| Rating::from_archive_text(r)) {
            Some(r) => Some(r),
            None => bail!(
                "--rating {r:?} is not a rating; use general, teen, mature, explicit or not_rated"
            ),
        },
        None => None,
    };
    let opts = ImportOptions {
        title: args.title.clone(),
        authors: args.authors.clone(),
        rating,
        fandoms: args.fandoms.clone(),
        tags: args.tags.clone(),
        accept_suggestions: args.accept_suggestions,
        language: args.language.clone(),
    };
    let store = archive.open().await?;
    let vocab = Vocabulary::new(store.vocabulary().await?);

    let bar = if !args.json && args.files.len() > 1 && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(args.files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut outcomes = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let file = path.display().to_string();
        bar.set_message(file.clone());
        let result = match import_path(path, &vocab, &opts) {
            Err(e) => Err(Failure::Import(e)),
            Ok(imported) if args.dry_run => Ok((imported, None)),
            Ok(imported) => match store.create_work(&imported.draft).await {
                Ok(id) => Ok((imported, Some(id))),
                Err(e) => Err(Failure::Store(format!("{file}: not saved: {e}"))),
            },
        };
        if args.json {
            let line = match &result {
                Ok((imported, id)) => {
                    let mut v = imported.to_json();
                    if let (Some(obj), Some(id)) = (v.as_object_mut(), id) {
                        obj.insert("work_id".into(), (*id).into());
                    }
                    v
                }
                Err(Failure::Import(e)) => error_json(&file, e),
                Err(Failure::Store(msg)) => {
                    let mut v = error_json(
                        &file,
                        &ImportError::Io {
                            file: file.clone(),
                            message: String::new(),
                        },
                    );
                    v["error"] = msg.as_str().into();
                    v
                }
            };
            println!("{line}");
        }
        outcomes.push(Outcome { file, result });
        bar.inc(1);
    }
    bar.finish_and_clear();
    store.close().await;

    if !args.json {
        print_summary(&outcomes, args.dry_run);
    }
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(outcomes: &[Outcome], dry_run: bool) {
    let mut rows = vec![[
        "work".to_string(),
        "title".into(),
        "ch".into(),
        "words".into(),
        "rating".into(),
        "suggested tags".into(),
    ]];
    let mut notes = Vec::new();
    for o in outcomes {
        match &o.result {
            Ok((imp, id)) => {
                let d = &imp.draft;
                let suggested: Vec<String> = [
                    &imp.suggested.fandom,
                    &imp.suggested.relationship,
                    &imp.suggested.character,
                    &imp.suggested.freeform,
                ]
                .into_iter()
                .flatten()
                .map(|s| s.name.clone())
                .collect();
                rows.push([
                    id.map(|i| i.to_string()).unwrap_or_else(|| "-".into()),
                    truncate(&d.title, 40),
                    d.chapters.len().to_string(),
                    imp.words.to_string(),
                    d.rating
                        .map(|r| r.as_str().to_string())
                        .unwrap_or_else(|| "not_rated".into()),
                    truncate(&suggested.join(", "), 60),
                ]);
                for w in &imp.warnings {
                    notes.push(format!("  {}: {w}", o.file));
                }
            }
            Err(e) => notes.push(format!("  FAILED {e}")),
        }
    }
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
    let ok = outcomes.iter().filter(|o| o.result.is_ok()).count();
    let failed = outcomes.len() - ok;
    println!();
    if dry_run {
        println!("dry run: {ok} would be imported, {failed} failed; nothing was written");
    } else {
        println!("{ok} imported, {failed} failed");
    }
    if !notes.is_empty() {
        println!("\nnotes:");
        for n in notes {
            println!("{n}");
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
