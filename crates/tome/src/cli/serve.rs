//! `tome serve`: the website.

use crate::archive::Location;
use crate::corpus;
use anyhow::Context;
use clap::Args;
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TOME_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The archive's name, shown in the header and in downloads.
    #[arg(long, env = "TOME_NAME", default_value = "tome")]
    name: String,
    /// Mark cookies Secure (serve over TLS). Also automatic per request behind a proxy
    /// sending `X-Forwarded-Proto: https`.
    #[arg(long, env = "TOME_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Fill an empty archive with a small generated sample first (never touches a non-empty one).
    #[arg(long)]
    demo: bool,
}

pub async fn run(archive: &Location, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let store = archive.open().await?;
    if args.demo {
        if store.work_count().await? == 0 {
            let n = corpus::fill_demo(&store)
                .await
                .context("cannot generate the demo sample")?;
            eprintln!("demo: added {n} generated works");
        } else {
            eprintln!("demo: the archive already has works; leaving it as it is");
        }
    }
    let state =
        tome_web::AppState::new(store.clone(), args.name).with_secure_cookies(args.secure_cookies);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    tome_web::serve(state, args.addr, shutdown)
        .await
        .with_context(|| format!("cannot serve on {}", args.addr))?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
