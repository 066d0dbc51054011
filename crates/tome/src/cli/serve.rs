//! `tome serve`: the website.

use crate::archive::Location;
use crate::corpus;
use anyhow::Context;
use clap::Args;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How often the indexer looks at the outbox for changes to index.
const INDEXER_POLL: Duration = Duration::from_millis(500);

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
    /// A reverse proxy whose `X-Forwarded-For` header names the client (an address or a
    /// CIDR block; repeatable, or comma-separated in TOME_TRUSTED_PROXY). Without one, the
    /// header is ignored and the connection's address counts (login limits, kudos).
    #[arg(
        long = "trusted-proxy",
        env = "TOME_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    trusted_proxy: Vec<tome_web::accounts::client_addr::Cidr>,
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
    let search = open_search(archive, &store).await?;
    let indexer = search.spawn_indexer(INDEXER_POLL);
    let state = tome_web::AppState::new(store.clone(), args.name)
        .with_secure_cookies(args.secure_cookies)
        .with_trusted_proxies(args.trusted_proxy)
        .with_search(search);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    tome_web::serve(state, args.addr, shutdown)
        .await
        .with_context(|| format!("cannot serve on {}", args.addr))?;
    indexer.abort();
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Opens the search index in the data folder, building it from the database first when
/// the folder is missing, then applies every outbox row not yet indexed. The indexer
/// records its position only after each commit, so whatever happened before (a crash, a
/// copy of the database restored) is caught up here.
async fn open_search(
    archive: &Location,
    store: &tome_store::Store,
) -> anyhow::Result<tome_search::Search> {
    let dir = archive.data.join(tome_search::INDEX_DIR);
    if !dir.exists() {
        tracing::info!(
            "no search index in {}: building it from the database",
            dir.display()
        );
        let started = Instant::now();
        let n = tome_search::indexer::rebuild(&dir, store, |_, _| {})
            .await
            .with_context(|| format!("cannot build the search index in {}", dir.display()))?;
        tracing::info!(
            "search index built: {n} works in {:.1}s",
            started.elapsed().as_secs_f64()
        );
    }
    let search = tome_search::Search::open(&dir, store.clone())
        .await
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    let applied = search
        .catch_up()
        .await
        .context("cannot bring the search index up to date")?;
    if applied > 0 {
        tracing::info!("search index: applied {applied} changes made while it was stopped");
    }
    Ok(search)
}
