//! Keys for guests' kudos: keyed hashes (HMAC-SHA256) of the guest's address, under a
//! random key made for each UTC day and kept in the database's settings (so every node
//! uses the same one). Keys older than yesterday's are deleted, so an old guest key cannot
//! be turned back into an address by trying every IPv4 address: the key it needs is gone.
//! Today's and yesterday's keys are both used for "already left kudos", so a guest cannot
//! leave kudos twice on a work within a day or two of the first.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tome_store::Store;

use crate::error::WebError;

/// One day, in seconds: how often the key changes.
pub const ROTATION: i64 = 24 * 3600;
const SETTING_PREFIX: &str = "guest_kudos_key:";

/// The keys a kudos is checked against: the current day's first.
#[derive(Clone)]
pub struct DayKeys {
    pub day: i64,
    pub current: Vec<u8>,
    pub previous: Vec<u8>,
}

/// The node's copy of the day keys (made or read once per day).
#[derive(Default)]
pub struct GuestKeys {
    cached: std::sync::Mutex<Option<DayKeys>>,
}

impl std::fmt::Debug for GuestKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GuestKeys")
    }
}

async fn day_key(store: &Store, day: i64) -> Result<Vec<u8>, WebError> {
    let fresh: [u8; 32] = rand::random();
    let hex = crate::accounts::hex(&fresh);
    // Several nodes may make one at once: the first stored wins, all use it.
    let stored = store
        .setting_or_insert(&format!("{SETTING_PREFIX}{day}"), &hex)
        .await?;
    Ok(stored.into_bytes())
}

impl GuestKeys {
    /// Today's and yesterday's keys (unix seconds `now`), made when missing; keys of
    /// earlier days are deleted.
    pub async fn keys(&self, store: &Store, now: i64) -> Result<DayKeys, WebError> {
        let day = now.div_euclid(ROTATION);
        if let Some(k) = self
            .cached
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|k| k.day == day)
        {
            return Ok(k.clone());
        }
        let keys = DayKeys {
            day,
            current: day_key(store, day).await?,
            previous: day_key(store, day - 1).await?,
        };
        store
            .delete_settings_with_prefix_before(SETTING_PREFIX, day - 1)
            .await?;
        *self.cached.lock().unwrap_or_else(|e| e.into_inner()) = Some(keys.clone());
        Ok(keys)
    }
}

/// HMAC-SHA256 of the parts (each followed by a NUL), first 8 bytes as hex.
pub fn keyed_hex8(key: &[u8], parts: &[&[u8]]) -> String {
    // HMAC takes keys of any length; the error case cannot happen.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    for p in parts {
        mac.update(p);
        mac.update(b"\0");
    }
    crate::accounts::hex(&mac.finalize().into_bytes()[..8])
}
