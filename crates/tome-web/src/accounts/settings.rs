//! Per-node account state: the server secret (kept in the database's `settings`, made on
//! first run) and a short-lived copy of the archive settings, so every page can read them
//! without a query. Changes made on this node show at once; changes made on another
//! node show within [`SETTINGS_TTL`].

use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tome_store::settings::keys;
use tome_store::{ArchiveSettings, Store};

use crate::error::WebError;

/// How long a node trusts its copy of the archive settings.
pub const SETTINGS_TTL: Duration = Duration::from_secs(5);

/// The accounts part of the application state.
pub struct AccountsState {
    secret: tokio::sync::OnceCell<Vec<u8>>,
    settings: RwLock<(Option<Instant>, ArchiveSettings)>,
    secure_cookies: AtomicBool,
    /// Peers whose `X-Forwarded-For` is believed (see [`super::client_addr`]).
    trusted_proxies: RwLock<Vec<super::client_addr::Cidr>>,
}

impl Default for AccountsState {
    fn default() -> AccountsState {
        AccountsState {
            secret: tokio::sync::OnceCell::new(),
            settings: RwLock::new((None, ArchiveSettings::default())),
            secure_cookies: AtomicBool::new(false),
            trusted_proxies: RwLock::new(Vec::new()),
        }
    }
}

impl AccountsState {
    /// The server secret (HMAC key for CSRF tokens), made and stored on first use.
    pub async fn secret(&self, store: &Store) -> Result<&[u8], WebError> {
        self.secret
            .get_or_try_init(|| async {
                let fresh: [u8; 32] = rand::random();
                let stored = store
                    .setting_or_insert(keys::SERVER_SECRET, &super::hex(&fresh))
                    .await?;
                Ok::<Vec<u8>, WebError>(stored.into_bytes())
            })
            .await
            .map(Vec::as_slice)
    }

    /// The archive settings as last read.
    pub fn settings(&self) -> ArchiveSettings {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .clone()
    }

    /// Re-reads the settings when the copy is older than [`SETTINGS_TTL`] (or `force`).
    pub async fn refresh_settings(&self, store: &Store, force: bool) {
        let stale = {
            let s = self.settings.read().unwrap_or_else(|e| e.into_inner());
            force || s.0.is_none_or(|at| at.elapsed() >= SETTINGS_TTL)
        };
        if !stale {
            return;
        }
        match store.archive_settings().await {
            Ok(fresh) => {
                *self.settings.write().unwrap_or_else(|e| e.into_inner()) =
                    (Some(Instant::now()), fresh);
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the archive settings"),
        }
    }

    /// Whether cookies always get the `Secure` flag (`--secure-cookies`).
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies.load(Ordering::Relaxed)
    }

    pub fn set_secure_cookies(&self, on: bool) {
        self.secure_cookies.store(on, Ordering::Relaxed);
    }

    /// The reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub fn trusted_proxies(&self) -> Vec<super::client_addr::Cidr> {
        self.trusted_proxies
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_trusted_proxies(&self, proxies: Vec<super::client_addr::Cidr>) {
        *self
            .trusted_proxies
            .write()
            .unwrap_or_else(|e| e.into_inner()) = proxies;
    }
}
