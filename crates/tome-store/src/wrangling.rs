//! Tag wrangling: canonical flags, synonyms, renames with redirects, kinds, parents
//! (fandoms and metatags), relationship characters, fandom media, bulk actions, the
//! wranglers' queue and log, tag pages and the fandom index by media.

use serde::Serialize;
use tome_model::TagKind;

use crate::{
    BulkReport, FandomQueueCount, LogEntry, MediaFandoms, QueuePage, Result, Store, StoreError,
    TagLookup,
};

/// The media fandoms belong to, in menu order. A canonical fandom with none is listed
/// under [`UNCATEGORIZED`].
pub const MEDIA: [&str; 12] = [
    "Anime & Manga",
    "Books & Literature",
    "Cartoons & Comics",
    "Celebrities & Real People",
    "Comics",
    "Movies",
    "Music & Bands",
    "Other Media",
    "Theater",
    "TV Shows",
    "Video Games",
    "Uncategorized Fandoms",
];

/// Where fandoms without a medium are listed.
pub const UNCATEGORIZED: &str = "Uncategorized Fandoms";

/// One action applied to many tags from the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum BulkAction {
    MakeCanonical,
    /// Make each tag a synonym of the canonical tag of that name.
    MakeSynonymOf(String),
    /// Add the canonical fandom of that name as a parent of each tag.
    AddFandom(String),
    /// Change the kind of each (unwrangled) tag.
    SetKind(TagKind),
}

/// Which tags the queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum QueueStatus {
    /// Neither canonical nor a synonym.
    #[default]
    Unwrangled,
    /// Canonical or a synonym but without a fandom parent (characters, relationships,
    /// free tags only).
    Unfilterable,
    Canonical,
    Synonym,
    All,
}

/// The queue's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum QueueSort {
    Name,
    #[default]
    Uses,
    CreatedAt,
}

/// A page of the wrangling queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueQuery {
    /// Tags used on listed works of this canonical fandom (through the work's fandom tags,
    /// canonicalized); `None`: tags on works with no canonical fandom.
    pub fandom_id: Option<i64>,
    /// One kind only (None: character, relationship and free tags... and fandoms for None).
    pub kind: Option<TagKind>,
    pub status: QueueStatus,
    pub sort: QueueSort,
    pub descending: bool,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Default for QueueQuery {
    fn default() -> Self {
        QueueQuery {
            fandom_id: None,
            kind: None,
            status: QueueStatus::Unwrangled,
            sort: QueueSort::Uses,
            descending: true,
            page: 1,
            per_page: 50,
        }
    }
}

fn todo_err() -> StoreError {
    StoreError::Invalid("wrangling: not implemented yet".into())
}

impl Store {
    /// Makes a tag canonical, or not (an uncanonical tag keeps no synonyms or subtags).
    pub async fn set_tag_canonical(&self, by: i64, tag_id: i64, canonical: bool) -> Result<()> {
        let _ = (by, tag_id, canonical);
        Err(todo_err())
    }

    /// Makes a tag a synonym of the canonical tag `canonical_name` (same kind).
    pub async fn make_synonym(&self, by: i64, tag_id: i64, canonical_name: &str) -> Result<()> {
        let _ = (by, tag_id, canonical_name);
        Err(todo_err())
    }

    /// Undoes a synonym: the tag stands alone again, canonical if it was before.
    pub async fn unsynonymize(&self, by: i64, tag_id: i64) -> Result<()> {
        let _ = (by, tag_id);
        Err(todo_err())
    }

    /// Renames a tag; a canonical tag's old name keeps redirecting to it.
    pub async fn rename_tag(&self, by: i64, tag_id: i64, new_name: &str) -> Result<()> {
        let _ = (by, tag_id, new_name);
        Err(todo_err())
    }

    /// Changes the kind of an unwrangled free tag.
    pub async fn set_tag_kind(&self, by: i64, tag_id: i64, kind: TagKind) -> Result<()> {
        let _ = (by, tag_id, kind);
        Err(todo_err())
    }

    /// Adds a parent: a canonical fandom for a character, relationship or free tag, or a
    /// canonical tag of the same kind (a metatag; cycles refused).
    pub async fn add_tag_parent(&self, by: i64, tag_id: i64, parent_name: &str) -> Result<()> {
        let _ = (by, tag_id, parent_name);
        Err(todo_err())
    }

    /// Removes a parent.
    pub async fn remove_tag_parent(&self, by: i64, tag_id: i64, parent_id: i64) -> Result<()> {
        let _ = (by, tag_id, parent_id);
        Err(todo_err())
    }

    /// Sets a relationship's characters (canonical character tags, by name).
    pub async fn set_relationship_characters(
        &self,
        by: i64,
        tag_id: i64,
        names: &[String],
    ) -> Result<()> {
        let _ = (by, tag_id, names);
        Err(todo_err())
    }

    /// Sets a canonical fandom's media (names from [`MEDIA`]).
    pub async fn set_fandom_media(&self, by: i64, fandom_id: i64, media: &[String]) -> Result<()> {
        let _ = (by, fandom_id, media);
        Err(todo_err())
    }

    /// Applies one action to many tags, each in its own transaction.
    pub async fn bulk_wrangle(
        &self,
        by: i64,
        tag_ids: &[i64],
        action: &BulkAction,
    ) -> Result<BulkReport> {
        let _ = (by, tag_ids, action);
        Err(todo_err())
    }

    /// A page of the wrangling queue.
    pub async fn wrangling_queue(&self, q: &QueueQuery) -> Result<QueuePage> {
        let _ = q;
        Err(todo_err())
    }

    /// The wrangler's home: canonical fandoms with their unwrangled tags per kind.
    pub async fn wrangling_fandoms(&self) -> Result<Vec<FandomQueueCount>> {
        Err(todo_err())
    }

    /// The wrangling log, newest first, of one tag or all.
    pub async fn wrangling_log(
        &self,
        tag_id: Option<i64>,
        page: u32,
        per_page: u32,
    ) -> Result<Vec<LogEntry>> {
        let _ = (tag_id, page, per_page);
        Err(todo_err())
    }

    /// A tag page by name (following renames).
    pub async fn tag_detail(&self, name: &str) -> Result<Option<TagLookup>> {
        let _ = name;
        Err(todo_err())
    }

    /// Every medium with its canonical fandoms and their counts of listed works.
    pub async fn media_index(&self) -> Result<Vec<MediaFandoms>> {
        Err(todo_err())
    }

    /// One medium with its fandoms.
    pub async fn media_fandoms(&self, media_name: &str) -> Result<Option<MediaFandoms>> {
        let _ = media_name;
        Err(todo_err())
    }
}
