//! The website: AO3-compatible pages (see `AO3-MARKUP.md`) rendered on the server with
//! askama, served by axum.
//!
//! - [`AppState`] holds the store, the archive's name, the page cache and the hit counter.
//! - [`router`] builds every route; [`serve`] binds, serves and flushes hits on shutdown.
//! - Pages live one per file under [`pages`]; errors map to statuses in [`error`].

pub mod accounts;
pub mod autocomplete;
pub mod cache;
pub mod counts;
pub mod download_cache;
pub mod downloads;
pub mod error;
pub mod format;
pub mod frame;
pub mod images;
pub mod layout;
pub mod limits;
pub mod members;
pub mod pages;
pub mod posting;
pub mod reading_log;
pub mod responding;
pub mod search;
pub mod security;
pub mod summaries;
pub mod views;
pub mod visibility;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tome_store::Store;
use tower_http::compression::CompressionLayer;

use crate::cache::{HitCounter, PageCache};

pub use error::WebError;

/// Tunables of the website. `PageConfig::default()` suits most archives.
#[derive(Debug, Clone)]
pub struct PageConfig {
    /// Works per listing page (AO3: 20).
    pub per_page: u32,
    /// Works on the front page.
    pub home_recent: u32,
    /// Memory budget of the rendered work pages kept for guests, in bytes
    /// ([`PAGE_CACHE_BYTES`] by default; `TOME_PAGE_CACHE_BYTES` overrides it).
    pub cache_bytes: u64,
    /// Memory budget of downloaded files kept between requests, in bytes
    /// ([`download_cache::DOWNLOAD_CACHE_BYTES`] by default;
    /// `TOME_DOWNLOAD_CACHE_BYTES` overrides it).
    pub download_cache_bytes: u64,
    /// How long a work's known version is trusted before the database is asked again:
    /// the staleness bound of cached pages for changes made by other processes.
    pub revalidate: Duration,
    /// How often hits counted in memory are written to the store.
    pub hit_flush: Duration,
    /// Longest any request may run before the reader is told to try again (503).
    pub request_timeout: Duration,
    /// Render work and listing pages once per audience and keep them (the default).
    /// `false` renders every page for its viewer alone and keeps nothing: the reference
    /// the cached pages are tested against (`TOME_SHARE_PAGES=0`).
    pub share_pages: bool,
    /// Hosts (lower case) whose images readers' browsers may load from work text; images
    /// elsewhere become links (see [`images`]). Empty by default; `TOME_IMAGE_HOSTS`
    /// (comma-separated) sets it.
    pub image_hosts: Vec<String>,
}

impl Default for PageConfig {
    fn default() -> PageConfig {
        PageConfig {
            per_page: 20,
            home_recent: 20,
            cache_bytes: PAGE_CACHE_BYTES,
            download_cache_bytes: download_cache::DOWNLOAD_CACHE_BYTES,
            revalidate: Duration::from_secs(1),
            hit_flush: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            share_pages: true,
            image_hosts: Vec::new(),
        }
    }
}

/// Default memory budget of the work page cache: 64 MiB.
pub const PAGE_CACHE_BYTES: u64 = 64 * 1024 * 1024;

impl PageConfig {
    /// The defaults with the environment's overrides (`TOME_PAGE_CACHE_BYTES`,
    /// `TOME_IMAGE_HOSTS`).
    pub fn from_env() -> PageConfig {
        let mut c = PageConfig::default();
        if let Some(n) = std::env::var("TOME_PAGE_CACHE_BYTES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
        {
            c.cache_bytes = n;
        }
        if let Some(n) = std::env::var("TOME_DOWNLOAD_CACHE_BYTES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
        {
            c.download_cache_bytes = n;
        }
        if std::env::var("TOME_SHARE_PAGES").is_ok_and(|v| v.trim() == "0") {
            c.share_pages = false;
        }
        if let Ok(hosts) = std::env::var("TOME_IMAGE_HOSTS") {
            c.image_hosts = images::parse_hosts(&hosts);
        }
        c
    }
}

/// The default [`PageConfig`], with the environment's overrides.
pub fn page_config() -> PageConfig {
    PageConfig::from_env()
}

/// Everything handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    site_name: Arc<str>,
    config: PageConfig,
    pages: PageCache,
    hits: HitCounter,
    readings: reading_log::ReadingLog,
    /// Members' sessions and own state kept in memory (see [`members`]).
    members: members::Members,
    downloads: download_cache::DownloadCache,
    accounts: accounts::AccountsState,
    responding: responding::RespondingState,
    /// The search index (unset: tag listings fall back to SQL and search is off).
    search: std::sync::OnceLock<tome_search::Search>,
    /// Tag autocomplete's in-memory index.
    autocomplete: Arc<autocomplete::Autocomplete>,
    /// The cached counts of `/media` and `/tag_wranglings` (see [`counts`]).
    counts: Arc<counts::Counts>,
    /// The Content-Security-Policy header (see [`security`]), made once.
    csp: axum::http::HeaderValue,
}

impl AppState {
    /// State for an archive named `site_name` over `store`, with default settings.
    pub fn new(store: Store, site_name: impl Into<String>) -> AppState {
        AppState::with_config(store, site_name, PageConfig::from_env())
    }

    /// State with explicit settings.
    pub fn with_config(store: Store, site_name: impl Into<String>, config: PageConfig) -> AppState {
        let site_name: String = site_name.into();
        AppState {
            inner: Arc::new(Inner {
                store,
                site_name: Arc::from(site_name.as_str()),
                pages: PageCache::new(config.cache_bytes, config.revalidate),
                hits: HitCounter::default(),
                readings: reading_log::ReadingLog::default(),
                members: members::Members::new(),
                downloads: download_cache::DownloadCache::new(config.download_cache_bytes),
                accounts: accounts::AccountsState::default(),
                responding: responding::RespondingState::default(),
                search: std::sync::OnceLock::new(),
                autocomplete: Arc::default(),
                counts: Arc::default(),
                csp: axum::http::HeaderValue::from_str(&security::content_security_policy(
                    &config.image_hosts,
                ))
                .unwrap_or_else(|_| {
                    axum::http::HeaderValue::from_static(
                        "default-src 'self'; img-src 'self' data:; object-src 'none'",
                    )
                }),
                config,
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn site_name(&self) -> &str {
        &self.inner.site_name
    }

    /// The archive's name as pages show it: the admin's setting, else `site_name`.
    pub fn archive_name(&self) -> Arc<str> {
        match self.inner.accounts.settings().archive_name {
            Some(n) => Arc::from(n.as_str()),
            None => self.inner.site_name.clone(),
        }
    }

    /// Accounts state: server secret, archive settings, cookie policy.
    pub fn accounts(&self) -> &accounts::AccountsState {
        &self.inner.accounts
    }

    /// The archive settings (as read at most a few seconds ago): `settings().guest_comments`,
    /// `settings().invite_only`, `settings().archive_name`.
    pub fn settings(&self) -> tome_store::ArchiveSettings {
        self.inner.accounts.settings()
    }

    /// Believe `X-Forwarded-For` from these reverse proxies (`--trusted-proxy`).
    pub fn with_trusted_proxies(self, proxies: Vec<accounts::client_addr::Cidr>) -> AppState {
        self.inner.accounts.set_trusted_proxies(proxies);
        self
    }

    /// Always mark cookies `Secure` (`--secure-cookies`; served over TLS).
    pub fn with_secure_cookies(self, on: bool) -> AppState {
        self.inner.accounts.set_secure_cookies(on);
        self
    }

    /// Responding's state: the SMTP settings for notification e-mails.
    pub fn responding(&self) -> &responding::RespondingState {
        &self.inner.responding
    }

    /// Sends notification e-mails through the SMTP server at `url` (`smtp://host:port`),
    /// or none with `None` (`TOME_SMTP_URL` is read when the state is made).
    pub fn with_smtp(self, url: Option<String>, from: Option<String>) -> AppState {
        self.inner.responding.mail.set(url, from);
        self
    }

    /// Serves search and the tag works listings from this index (set once, before serving).
    pub fn with_search(self, search: tome_search::Search) -> AppState {
        let _ = self.inner.search.set(search);
        self
    }

    /// The search index, when the server has one.
    pub fn search(&self) -> Option<&tome_search::Search> {
        self.inner.search.get()
    }

    /// Tag autocomplete (its index is built and refreshed while [`serve_on`] runs).
    pub fn autocomplete(&self) -> &autocomplete::Autocomplete {
        &self.inner.autocomplete
    }

    /// Looks for tag changes to rebuild autocomplete's index this often (default 2 s).
    pub fn with_autocomplete_refresh(self, every: Duration) -> AppState {
        self.inner.autocomplete.set_refresh_every(every);
        self
    }

    /// The cached counts of the media and wrangling pages (may be a few seconds stale).
    pub fn counts(&self) -> &counts::Counts {
        &self.inner.counts
    }

    /// Recomputes those counts after a change only once they are this old (default 2 s,
    /// served stale meanwhile); zero: before answering, whenever something changed.
    pub fn with_counts_refresh(self, min_age: Duration) -> AppState {
        self.inner.counts.set_min_age(min_age);
        self
    }

    /// The archive's wrangled vocabulary for tag suggestions (cached like the counts).
    pub async fn vocabulary(&self) -> tome_store::Result<Arc<tome_text::Vocabulary>> {
        self.inner.counts.vocabulary(&self.inner.store).await
    }

    /// The Content-Security-Policy every response carries.
    pub fn content_security_policy(&self) -> &axum::http::HeaderValue {
        &self.inner.csp
    }

    pub fn config(&self) -> &PageConfig {
        &self.inner.config
    }

    pub fn pages(&self) -> &PageCache {
        &self.inner.pages
    }

    pub fn downloads(&self) -> &download_cache::DownloadCache {
        &self.inner.downloads
    }

    /// Members' sessions and own state kept in memory.
    pub fn members(&self) -> &members::Members {
        &self.inner.members
    }

    pub fn hits(&self) -> &HitCounter {
        &self.inner.hits
    }

    /// Writes hits counted in memory to the store now, and the reading history
    /// gathered with them.
    pub async fn flush_hits(&self) {
        self.inner.hits.flush(&self.inner.store).await;
        self.flush_readings().await;
    }

    /// Notes that a member viewed a work (written with the next flush).
    pub fn record_reading(&self, user_id: i64, work_id: i64) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        if self.inner.readings.record(user_id, work_id, now) {
            let state = self.clone();
            tokio::spawn(async move { state.flush_readings().await });
        }
    }

    /// Writes the reading history gathered in memory now.
    pub async fn flush_readings(&self) {
        self.inner.readings.flush(&self.inner.store).await;
    }
}

/// Every route of the website.
pub fn router(state: AppState) -> Router {
    use pages::*;
    Router::new()
        .route("/", get(home::show))
        .route("/works", get(works_index::show))
        .route("/works/search", get(pages::search::show))
        .route("/works/{id}", get(work::show))
        .route("/works/{id}/chapters", get(chapter::select))
        .route("/works/{id}/chapters/{cid}", get(chapter::show))
        .route("/works/{id}/navigate", get(navigate::show))
        .route("/works/{id}/kudos", post(kudos::create))
        .route("/works/{id}/{file}", get(download::show))
        .route("/series/{id}", get(pages::series::show))
        .route("/tags/{tag}", get(tag::show))
        .route("/tags/{tag}/works", get(tag_works::show))
        .route("/users/{login}", get(user::show))
        .route("/users/{login}/works", get(user::works))
        .route("/users/{login}/pseuds/{pseud}", get(pseud::show))
        .route("/users/{login}/pseuds/{pseud}/works", get(pseud::works))
        .route("/static/tome.css", get(assets::stylesheet))
        .merge(account::routes())
        // Whole chapters and uploaded files: the larger body limit.
        .merge(pages::posting::routes().layer(DefaultBodyLimit::max(limits::POSTING_BODY_LIMIT)))
        .merge(pages::responding::routes())
        .merge(pages::moderation::routes())
        .merge(pages::wrangling::routes())
        .merge(pages::media::routes())
        .merge(pages::creatorships::routes())
        .merge(pages::efiction_redirects::routes())
        .merge(pages::claim::routes())
        .route("/favicon.ico", get(assets::favicon))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::timeout,
        ))
        .layer(DefaultBodyLimit::max(limits::FORM_BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            accounts::session::resolve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(CompressionLayer::new().gzip(true))
        .with_state(state)
}

/// Serves the website on `addr` until `shutdown` resolves, flushing counted hits every
/// few seconds and once more on the way out.
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(state, listener, shutdown).await
}

/// Like [`serve`], on a listener the caller has bound (tests bind `127.0.0.1:0`).
pub async fn serve_on(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    tracing::info!("{} is at http://{local}/", state.site_name());

    let flusher = {
        let state = state.clone();
        let every = state.config().hit_flush;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                state.flush_hits().await;
            }
        })
    };

    // Members changed through other nodes (or commands) are forgotten here within about
    // a second; old change notes are pruned now and then.
    let member_changes = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut n: u64 = 0;
            loop {
                tick.tick().await;
                if let Err(e) = state.members().poll(state.store()).await {
                    tracing::warn!(error = %e, "cannot read member changes");
                }
                if n.is_multiple_of(3600)
                    && let Err(e) = state.store().prune_member_changes().await
                {
                    tracing::warn!(error = %e, "cannot prune member changes");
                }
                n += 1;
            }
        })
    };

    let tag_index = state
        .inner
        .autocomplete
        .spawn_refresher(state.store().clone());
    let counts_warm = state.inner.counts.spawn_warm(state.store().clone());

    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    flusher.abort();
    member_changes.abort();
    tag_index.abort();
    counts_warm.abort();
    state.flush_hits().await;
    tracing::info!("stopped; hits flushed");
    result
}
