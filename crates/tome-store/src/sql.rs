//! Small helpers shared by the aggregate modules: placeholder lists, flag and kind decoding.

use tome_model::TagKind;

use crate::{Result, StoreError};

/// `$start, $start+1, …` for `n` values, for `IN (…)` lists built at run time
/// (`QueryBuilder<Any>` emits `?`, which PostgreSQL rejects).
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stored 0/1 flag.
pub(crate) fn flag(v: i64) -> bool {
    v != 0
}

/// A flag to store.
pub(crate) fn int(b: bool) -> i64 {
    i64::from(b)
}

/// A stored tag kind.
pub(crate) fn kind(s: &str) -> Result<TagKind> {
    TagKind::parse(s)
        .ok_or_else(|| StoreError::Invalid(format!("unknown tag kind in database: {s}")))
}

/// A stored non-negative count.
pub(crate) fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Lower-cased key for case-insensitive names; computed here so both backends agree.
pub(crate) fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Largest number of ids bound in one `IN (…)` list (well under both backends' limits).
pub(crate) const CHUNK: usize = 500;

impl crate::Store {
    /// ` FOR UPDATE` on PostgreSQL (row locks for a read-then-write), nothing on SQLite,
    /// where a write transaction (`BEGIN IMMEDIATE`) already holds the whole database.
    pub(crate) fn for_update(&self) -> &'static str {
        match self.backend() {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        }
    }
}
