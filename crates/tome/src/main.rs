//! `tome`: a fan fiction archive in one binary.
//!
//! Thin CLI: each subcommand parses its arguments, opens the archive and calls the
//! library crates; the rules live there.

mod archive;
mod cli;
mod corpus;
mod synth;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

// The system allocator showed as about a tenth of a served page's CPU under load
// (malloc, free and their consolidation); mimalloc serves the same small, short-lived
// allocations several times faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "tome",
    version,
    about = "A fan fiction archive: import, keep, read and download stories."
)]
pub struct Cli {
    /// The archive's data folder (SQLite database, search index). Created on first use.
    #[arg(long, global = true, env = "TOME_DATA", default_value = "tome-data")]
    data: PathBuf,
    /// Use this database instead of DATA/tome.db, e.g. postgres://user@host/db.
    #[arg(long, global = true, env = "TOME_DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the archive website.
    Serve(cli::serve::ServeArgs),
    /// Import stories (plain text, Markdown, HTML) into the archive.
    Import(cli::import::ImportArgs),
    /// Move a whole eFiction archive in (its mysqldump file or its MySQL database).
    ImportEfiction(cli::import_efiction::ImportEfictionArgs),
    /// After an eFiction import: claim links for its authors.
    Efiction {
        #[command(subcommand)]
        command: cli::import_efiction::EfictionCommand,
    },
    /// Write a work as EPUB, HTML or TXT.
    Export(cli::export::ExportArgs),
    /// Fill the archive with generated works (for benchmarks and demos).
    GenCorpus(cli::gen_corpus::GenCorpusArgs),
    /// Rebuild the search index from the database.
    Reindex(cli::reindex::ReindexArgs),
    /// Load or save the wrangled tag vocabulary.
    Tags {
        #[command(subcommand)]
        command: cli::tags::TagsCommand,
    },
    /// Manage accounts: add, list, roles.
    Users {
        #[command(subcommand)]
        command: cli::users::UsersCommand,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let archive = archive::Location {
        data: cli.data.clone(),
        database_url: cli.database_url.clone(),
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => cli::serve::run(&archive, args).await,
            Command::Import(args) => cli::import::run(&archive, args).await,
            Command::ImportEfiction(args) => cli::import_efiction::run(&archive, args).await,
            Command::Efiction { command } => {
                cli::import_efiction::run_command(&archive, command).await
            }
            Command::Export(args) => cli::export::run(&archive, args).await,
            Command::GenCorpus(args) => cli::gen_corpus::run(&archive, args).await,
            Command::Reindex(args) => cli::reindex::run(&archive, args).await,
            Command::Tags { command } => cli::tags::run(&archive, command).await,
            Command::Users { command } => cli::users::run(&archive, command).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
