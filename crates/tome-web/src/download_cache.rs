//! Downloaded files (EPUB, HTML, TXT) built once per work version and kept in memory.
//!
//! - **Key:** (work, format, the host the file links back to). **Stamp:** the work's
//!   version and the wrangling head, read through the page cache's versions (trusted for
//!   `PageConfig::revalidate`), so an edit, a kudos, a hide or a re-wrangled tag makes the
//!   next download a fresh build, within the same bound as the work page.
//! - **Who may have it:** a file is the same for every reader allowed to open the work
//!   (it never names an anonymous work's creators), so one copy serves them all; the
//!   entry keeps the work's flags and creators at that version, and each request is
//!   checked against them with the one visibility rule before the bytes go out.
//! - **Bound:** `TOME_DOWNLOAD_CACHE_BYTES` (64 MiB by default), each file weighing its
//!   bytes; moka evicts the least used.
//! - Each file carries a strong `ETag` (a hash of its bytes); `If-None-Match` gets 304 and
//!   a single `Range` gets 206 (see [`crate::pages::download`]).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use bytes::Bytes;
use tome_model::visibility::{self, Reader, Relation, Surface, WorkState};

/// Default memory budget of kept files: 64 MiB.
pub const DOWNLOAD_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Which file of which work, linking back to which host.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileKey {
    pub work_id: i64,
    pub ext: &'static str,
    pub url: Option<String>,
}

/// A built file and what it was built from.
#[derive(Debug)]
pub struct KeptFile {
    pub version: i64,
    pub tags: i64,
    pub bytes: Bytes,
    pub name: String,
    /// `"…"`, quoted.
    pub etag: String,
    pub state: WorkState,
    /// The users on the work's byline at this version.
    pub creators: Vec<i64>,
}

impl KeptFile {
    pub fn new(
        version: i64,
        tags: i64,
        bytes: Vec<u8>,
        name: String,
        state: WorkState,
        creators: Vec<i64>,
    ) -> KeptFile {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        let etag = format!("\"d{version}-{:016x}\"", h.finish());
        KeptFile {
            version,
            tags,
            bytes: Bytes::from(bytes),
            name,
            etag,
            state,
            creators,
        }
    }

    /// Whether `reader` may open the work this file is of (the rule of a work's own
    /// pages).
    pub fn admits(&self, reader: &Reader) -> bool {
        let relation = match reader.user_id {
            Some(u) if self.creators.contains(&u) => Relation::Creator,
            _ => Relation::Other,
        };
        visibility::can_see(reader, relation, Surface::Open, &self.state)
    }
}

/// The kept files.
pub struct DownloadCache {
    files: moka::sync::Cache<FileKey, Arc<KeptFile>>,
}

impl DownloadCache {
    pub fn new(max_bytes: u64) -> DownloadCache {
        DownloadCache {
            files: moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|k: &FileKey, f: &Arc<KeptFile>| {
                    let w = f.bytes.len() + f.name.len() + k.url.as_ref().map_or(0, String::len);
                    u32::try_from(w + 128).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }

    /// The file built at `version` under wrangling head `tags`, if kept.
    pub fn get(&self, key: &FileKey, version: i64, tags: i64) -> Option<Arc<KeptFile>> {
        self.files
            .get(key)
            .filter(|f| f.version == version && f.tags == tags)
    }

    pub fn insert(&self, key: FileKey, file: Arc<KeptFile>) {
        self.files.insert(key, file);
    }

    /// Files kept and their bytes (after pending evictions).
    pub fn stats(&self) -> (u64, u64) {
        self.files.run_pending_tasks();
        (self.files.entry_count(), self.files.weighted_size())
    }
}

/// A `Range` header that no part of the body satisfies (answered 416).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsatisfiable;

/// A single byte range of a `Range` header against a body of `len` bytes: `Ok(None)`
/// for no header or one this does not serve (several ranges, other units: the whole
/// body is sent, as RFC 9110 allows), `Err(Unsatisfiable)` for a range that cannot be
/// satisfied.
pub fn byte_range(header: Option<&str>, len: u64) -> Result<Option<(u64, u64)>, Unsatisfiable> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let (a, b) = spec.split_once('-').ok_or(Unsatisfiable)?;
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        // The last `b` bytes.
        let n: u64 = b.parse().map_err(|_| Unsatisfiable)?;
        if n == 0 || len == 0 {
            return Err(Unsatisfiable);
        }
        (len.saturating_sub(n), len - 1)
    } else {
        let start: u64 = a.parse().map_err(|_| Unsatisfiable)?;
        let end: u64 = if b.is_empty() {
            len.saturating_sub(1)
        } else {
            b.parse::<u64>()
                .map_err(|_| Unsatisfiable)?
                .min(len.saturating_sub(1))
        };
        if start >= len || end < start {
            return Err(Unsatisfiable);
        }
        (start, end)
    };
    Ok(Some(range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_rfc_9110_reads_them() {
        assert_eq!(byte_range(None, 10), Ok(None));
        assert_eq!(byte_range(Some("bytes=0-3"), 10), Ok(Some((0, 3))));
        assert_eq!(byte_range(Some("bytes=4-"), 10), Ok(Some((4, 9))));
        assert_eq!(byte_range(Some("bytes=-3"), 10), Ok(Some((7, 9))));
        assert_eq!(byte_range(Some("bytes=5-100"), 10), Ok(Some((5, 9))));
        assert_eq!(byte_range(Some("bytes=-30"), 10), Ok(Some((0, 9))));
        assert_eq!(byte_range(Some("bytes=0-1,4-5"), 10), Ok(None));
        assert_eq!(byte_range(Some("items=0-1"), 10), Ok(None));
        assert_eq!(byte_range(Some("bytes=10-"), 10), Err(Unsatisfiable));
        assert_eq!(byte_range(Some("bytes=5-2"), 10), Err(Unsatisfiable));
        assert_eq!(byte_range(Some("bytes=x-2"), 10), Err(Unsatisfiable));
        assert_eq!(byte_range(Some("bytes=-0"), 10), Err(Unsatisfiable));
    }

    #[test]
    fn a_kept_file_admits_whom_the_rule_admits() {
        let draft = WorkState {
            draft: true,
            ..WorkState::default()
        };
        let f = KeptFile::new(1, 0, b"x".to_vec(), "f".into(), draft, vec![7]);
        assert!(f.admits(&Reader::member(7, false)));
        assert!(!f.admits(&Reader::member(8, true)));
        assert!(!f.admits(&Reader::GUEST));
        let restricted = WorkState {
            restricted: true,
            ..WorkState::default()
        };
        let f = KeptFile::new(1, 0, b"x".to_vec(), "f".into(), restricted, vec![7]);
        assert!(f.admits(&Reader::member(8, false)));
        assert!(!f.admits(&Reader::GUEST));
    }
}
