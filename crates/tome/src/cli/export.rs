//! `tome export ID`: a work as EPUB, HTML or TXT, the same files the website serves.

use crate::archive::Location;
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Epub,
    Html,
    Txt,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The work's id (as in /works/ID).
    id: i64,
    #[arg(long, short, value_enum, default_value = "epub")]
    format: Format,
    /// Output file or folder (default: the work's file name in the current folder; "-" for stdout).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Archive name written into the file.
    #[arg(long, env = "TOME_NAME", default_value = "tome")]
    name: String,
}

pub async fn run(archive: &Location, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = archive.open().await?;
    let Some(work) = tome_web::downloads::export_work(&store, args.id, &args.name, None).await?
    else {
        bail!("there is no work {}", args.id);
    };
    let (bytes, ext) = match args.format {
        Format::Epub => (
            tome_text::export::to_epub(&work).context("cannot build the EPUB")?,
            "epub",
        ),
        Format::Html => (tome_text::export::to_html(&work).into_bytes(), "html"),
        Format::Txt => (tome_text::export::to_txt(&work).into_bytes(), "txt"),
    };
    let file_name = tome_text::export::download_file_name(&work, ext);
    let path = match args.out {
        Some(p) if p.as_os_str() == "-" => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(p) if p.is_dir() => p.join(file_name),
        Some(p) => p,
        None => PathBuf::from(file_name),
    };
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
