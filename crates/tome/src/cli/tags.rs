//! `tome tags import|export FILE`: the wrangled vocabulary in the `tags.json` format.

use crate::archive::Location;
use anyhow::Context;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;
use tome_model::VocabularyFile;

#[derive(Subcommand, Debug)]
pub enum TagsCommand {
    /// Load canonical tags, synonyms, fandom parents and relationship characters from a JSON file.
    Import { file: PathBuf },
    /// Write the archive's canonical tags with their synonyms and parents to a JSON file ("-" for stdout).
    Export { file: PathBuf },
}

pub async fn run(archive: &Location, command: TagsCommand) -> anyhow::Result<ExitCode> {
    match command {
        TagsCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{}: cannot read", file.display()))?;
            let vocab: VocabularyFile = serde_json::from_str(&text)
                .with_context(|| format!("{}: not a tag set", file.display()))?;
            let store = archive.open().await?;
            let report = store
                .import_vocabulary(&vocab)
                .await
                .with_context(|| format!("{}: import failed", file.display()))?;
            println!(
                "{}: {} tags created, {} updated, {} works to re-index",
                file.display(),
                report.created,
                report.updated,
                report.works_reindexed
            );
            store.close().await;
        }
        TagsCommand::Export { file } => {
            let store = archive.open().await?;
            let vocab = store.export_vocabulary().await?;
            let json = serde_json::to_string_pretty(&vocab)?;
            if file.as_os_str() == "-" {
                println!("{json}");
            } else {
                std::fs::write(&file, json + "\n")
                    .with_context(|| format!("{}: cannot write", file.display()))?;
                eprintln!("wrote {} tags to {}", vocab.tags.len(), file.display());
            }
            store.close().await;
        }
    }
    Ok(ExitCode::SUCCESS)
}
