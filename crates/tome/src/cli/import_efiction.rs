//! `tome import-efiction SOURCE`: a whole eFiction archive moved in, from its
//! `mysqldump` file or its live MySQL/MariaDB database (`mysql://…`).
//!
//! `--plan FILE` writes how everything will be mapped and stops; `--apply-plan FILE`
//! follows an edited plan; `--dry-run` maps and reports without writing. Running the
//! same import again updates what changed and leaves the rest (eFiction ids are kept).
//! The exit status is non-zero when any story failed.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use tome_efiction::{ImportOptions, Plan, Report, Source};

use crate::archive::Location;

#[derive(Args, Debug)]
pub struct ImportEfictionArgs {
    /// The archive: a mysqldump file, or mysql://user:password@host/database.
    source: String,
    /// Table prefix (e.g. fanfiction_); found by itself when the source holds one archive.
    #[arg(long)]
    prefix: Option<String>,
    /// eFiction's stories folder, when chapters are stored in files (STORIES/AUTHOR/CHAPTER.txt).
    #[arg(long)]
    stories: Option<PathBuf>,
    /// Where the old archive lived (e.g. https://old.example.org/efiction/): its links are
    /// answered with redirects to the new pages.
    #[arg(long)]
    old_url: Option<String>,
    /// Write the mapping plan to FILE (nothing is imported).
    #[arg(long, conflicts_with = "apply_plan")]
    plan: Option<PathBuf>,
    /// Import following an edited plan.
    #[arg(long)]
    apply_plan: Option<PathBuf>,
    /// Map and report, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The archive's key in tome (default: eFiction's site key).
    #[arg(long)]
    archive: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(location: &Location, args: ImportEfictionArgs) -> anyhow::Result<ExitCode> {
    if let Some(url) = &args.old_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        bail!("--old-url {url:?} must start with http:// or https://");
    }
    if let Some(dir) = &args.stories
        && !dir.is_dir()
    {
        bail!("--stories {}: not a folder", dir.display());
    }
    let source = if args.source.starts_with("mysql://") || args.source.starts_with("mariadb://") {
        let url = args.source.replacen("mariadb://", "mysql://", 1);
        Source::from_mysql(&url, args.prefix.as_deref(), args.stories.as_deref())
            .await
            .context("reading the eFiction database")?
    } else {
        let path = PathBuf::from(&args.source);
        let prefix = args.prefix.clone();
        let stories = args.stories.clone();
        tokio::task::spawn_blocking(move || {
            Source::from_dump(&path, prefix.as_deref(), stories.as_deref())
        })
        .await
        .context("reading the dump")?
        .with_context(|| format!("reading {}", args.source))?
    };
    if source.archive.settings.store.eq_ignore_ascii_case("files") && !source.files_store() {
        bail!(
            "this archive stores chapters in files (store = files): give its stories folder with --stories DIR"
        );
    }
    let plan = match &args.apply_plan {
        Some(p) => Some(Plan::read(p)?),
        None => None,
    };
    let opts = ImportOptions {
        archive: args.archive.clone(),
        old_url: args.old_url.clone(),
        plan,
        dry_run: args.dry_run || args.plan.is_some(),
    };
    let store = location.open().await?;
    if let Some(path) = &args.plan {
        let plan = tome_efiction::import::plan_for(&store, &source, &opts).await?;
        let text = serde_json::to_string_pretty(&plan)?;
        std::fs::write(path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!(
            "plan written to {}: {} ratings, {} categories, {} characters, {} classes, {} authors ({} with conflicts), {} skipped; nothing imported",
            path.display(),
            plan.ratings.len(),
            plan.categories.len(),
            plan.characters.len(),
            plan.classes.len(),
            plan.authors.len(),
            plan.authors
                .values()
                .filter(|a| !a.conflicts.is_empty())
                .count(),
            plan.skipped.len()
        );
        source.close().await;
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    let total = source.archive.stories.len() as u64;
    let bar = if !args.json && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} stories {per_sec} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let progress = |done: u64, _total: u64| bar.set_position(done);
    let report = tome_efiction::run(&store, &source, &opts, &progress).await?;
    bar.finish_and_clear();
    source.close().await;
    store.close().await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_report(r: &Report) {
    let verb = if r.dry_run {
        "would import"
    } else {
        "imported"
    };
    println!(
        "eFiction archive {:?} (tables {:?}): {verb}",
        r.archive, r.table_prefix
    );
    println!(
        "  authors: {} new, {} already here",
        r.authors_created, r.authors_existing
    );
    println!(
        "  stories: {} new ({} as drafts), {} updated, {} unchanged, {} failed",
        r.stories_created,
        r.stories_as_drafts,
        r.stories_updated,
        r.stories_unchanged,
        r.failed.len()
    );
    println!(
        "  chapters: {}, reviews: {}, series: {}, bookmarks: {}, subscriptions: {}",
        r.chapters, r.reviews, r.series, r.bookmarks, r.subscriptions
    );
    println!(
        "  repairs: {} double-encoded UTF-8, {} magic-quotes backslashes, {} latin1 statements",
        r.mojibake_repairs, r.slash_repairs, r.latin1_statements
    );
    for x in &r.repaired {
        println!("    repaired {x}");
    }
    if !r.skipped.is_empty() {
        println!("  skipped:");
        for s in &r.skipped {
            println!("    {}: {}", s.what, s.why);
        }
    }
    if !r.notes.is_empty() {
        println!("  notes:");
        for n in &r.notes {
            println!("    {n}");
        }
    }
    if !r.failed.is_empty() {
        println!("  FAILED:");
        for f in &r.failed {
            println!("    story {} {:?}: {}", f.sid, f.title, f.error);
        }
    }
    if r.dry_run {
        println!("dry run: nothing was written");
    }
}

/// `tome efiction …`: after an import.
#[derive(clap::Subcommand, Debug)]
pub enum EfictionCommand {
    /// Make claim links for imported authors who have not claimed their account: printed,
    /// and e-mailed with --send through the SMTP server (TOME_SMTP_URL, TOME_SMTP_FROM).
    Invite {
        /// Only this archive's authors (its key).
        #[arg(long)]
        archive: Option<String>,
        /// Only this account (its login).
        #[arg(long)]
        user: Option<String>,
        /// The archive's public address, for the links.
        #[arg(long, default_value = "http://localhost:3000")]
        base_url: String,
        /// E-mail each author their link (authors without an address are listed).
        #[arg(long)]
        send: bool,
    },
}

pub async fn run_command(
    location: &Location,
    command: EfictionCommand,
) -> anyhow::Result<ExitCode> {
    let EfictionCommand::Invite {
        archive,
        user,
        base_url,
        send,
    } = command;
    let store = location.open().await?;
    let mail = tome_web::responding::mail::MailConfig::from_env();
    if send && !mail.enabled() {
        bail!("--send needs an SMTP server: set TOME_SMTP_URL (and TOME_SMTP_FROM)");
    }
    let mut claims = store.efiction_unclaimed(archive.as_deref()).await?;
    if let Some(login) = &user {
        claims.retain(|c| c.login.eq_ignore_ascii_case(login));
        if claims.is_empty() {
            bail!("{login} is not an imported account waiting to be claimed");
        }
    }
    let base = base_url.trim_end_matches('/');
    let mut failed = 0;
    for c in &claims {
        let (token, hash) = tome_efiction::claim_token();
        if !store.efiction_set_claim_token(c.user_id, &hash).await? {
            continue;
        }
        let link = format!("{base}/claim/{token}");
        let email = c.email.as_deref().unwrap_or("-");
        println!("{}\t{}\t{email}\t{link}", c.login, c.penname);
        if send {
            match &c.email {
                Some(to) => {
                    let body = format!(
                        "Hello {},\n\nYour stories from {} have moved to a new archive. \
                         They are waiting for you; follow this link to set a password for \
                         your account {} or to put them on an account you already have:\n\n{link}\n\n\
                         The link works for 30 days.\n",
                        c.penname, c.archive_name, c.login
                    );
                    if let Err(e) = mail
                        .send(to, &format!("Your stories from {}", c.archive_name), &body)
                        .await
                    {
                        eprintln!("{}: not sent: {e}", c.login);
                        failed += 1;
                    }
                }
                None => eprintln!("{}: no e-mail address; give them the link", c.login),
            }
        }
    }
    store.close().await;
    eprintln!("{} claim link(s) made", claims.len());
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
