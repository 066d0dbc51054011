//! `tome import FILE...`: stories into the archive, one transaction per work.
//!
//! Every file is read, decoded and parsed on its own; a file that fails is reported in
//! one line (file and why) and the rest of the batch still imports. The exit status is
//! non-zero when any file failed.
//!
//! Running it again is safe: a file whose bytes were imported before (its fingerprint is
//! in the store, see `tome_store::import_sources`) is skipped with "already imported as
//! work N", so an interrupted import of a folder is finished by running the same command.
//! `--again` imports such files anyway.

use crate::archive::Location;
use anyhow::bail;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use tome_model::Rating;
use tome_store::ImportedWork;
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
    /// Import files even if the same file (the same bytes) was imported before.
    #[arg(long)]
    again: bool,
}

/// What happened to one file.
struct Outcome {
    file: String,
    result: Result<(Imported, Saved), Failure>,
}

/// What became of a file that imported.
#[derive(Clone, Copy)]
enum Saved {
    /// `--dry-run`: nothing written; `Some` if the file was imported before, as that work.
    DryRun(Option<i64>),
    Created(i64),
    /// Imported before, as this work; skipped.
    Already(i64),
}

impl Saved {
    fn work_id(self) -> Option<i64> {
        match self {
            Saved::DryRun(earlier) => earlier,
            Saved::Created(id) | Saved::Already(id) => Some(id),
        }
    }
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
            Ok(imported) => save(&store, imported, &file, &args).await,
        };
        if args.json {
            let line = match &result {
                Ok((imported, saved)) => {
                    let mut v = imported.to_json();
                    if let Some(obj) = v.as_object_mut() {
                        if let Some(id) = saved.work_id() {
                            obj.insert("work_id".into(), id.into());
                        }
                        let already = matches!(saved, Saved::Already(_) | Saved::DryRun(Some(_)));
                        obj.insert("already_imported".into(), already.into());
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

/// Stores an imported file unless the same file was imported before (or `--dry-run`).
async fn save(
    store: &tome_store::Store,
    imported: Imported,
    file: &str,
    args: &ImportArgs,
) -> Result<(Imported, Saved), Failure> {
    let not_saved = |e: tome_store::StoreError| Failure::Store(format!("{file}: not saved: {e}"));
    if args.dry_run || !args.again {
        let earlier = store
            .imported_as(&imported.fingerprint)
            .await
            .map_err(not_saved)?;
        if args.dry_run {
            return Ok((imported, Saved::DryRun(earlier.filter(|_| !args.again))));
        }
        if let Some(id) = earlier {
            return Ok((imported, Saved::Already(id)));
        }
    }
    // The look-up above spares building a work for nothing; the store decides for sure
    // (two runs over the same files at once import each file once).
    let saved = store
        .create_imported_work(&imported.draft, &imported.fingerprint, file, args.again)
        .await
        .map_err(not_saved)?;
    Ok((
        imported,
        match saved {
            ImportedWork::Created(id) => Saved::Created(id),
            ImportedWork::Already(id) => Saved::Already(id),
        },
    ))
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
            Ok((_, Saved::Already(id))) => {
                notes.push(format!(
                    "  {}: already imported as work {id}; skipped (--again imports it anyway)",
                    o.file
                ));
            }
            Ok((imp, saved)) => {
                if let Saved::DryRun(Some(id)) = saved {
                    notes.push(format!(
                        "  {}: already imported as work {id}; would be skipped",
                        o.file
                    ));
                }
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
                let id = match saved {
                    Saved::Created(id) => Some(id),
                    _ => None,
                };
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
    let already = outcomes
        .iter()
        .filter(|o| {
            matches!(
                o.result,
                Ok((_, Saved::Already(_) | Saved::DryRun(Some(_))))
            )
        })
        .count();
    let ok = outcomes.iter().filter(|o| o.result.is_ok()).count() - already;
    let failed = outcomes.len() - ok - already;
    println!();
    let skipped = if already > 0 {
        format!(", {already} already imported (skipped)")
    } else {
        String::new()
    };
    if dry_run {
        println!("dry run: {ok} would be imported, {failed} failed{skipped}; nothing was written");
    } else {
        println!("{ok} imported, {failed} failed{skipped}");
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
