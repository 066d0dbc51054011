//! What the store hands out: plain, serializable read models shaped for pages and the API.
//!
//! They carry ids and display names only, so templates never need a second query.

use serde::Serialize;
use tome_model::{Category, Rating, TagKind, Warning};

/// A pointer to a tag, enough to print and link it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagRef {
    pub id: i64,
    pub kind: TagKind,
    pub name: String,
}

/// A tag with its wrangling: what it is merged into, its synonyms, parents and children.
#[derive(Debug, Clone, Serialize)]
pub struct TagInfo {
    pub id: i64,
    pub kind: TagKind,
    pub name: String,
    pub canonical: bool,
    /// The canonical tag this one is a synonym of.
    pub merger: Option<TagRef>,
    pub synonyms: Vec<TagRef>,
    /// Parent fandoms and metatags.
    pub parents: Vec<TagRef>,
    /// Subtags and child tags (characters of a fandom, ...).
    pub children: Vec<TagRef>,
    /// Works tagged with this tag itself (0 from [`crate::Store::tag_uncounted`]).
    pub works_count: u64,
}

/// What a vocabulary import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VocabularyReport {
    /// Tags that did not exist before.
    pub created: u64,
    /// Existing tags whose canonical flag, merger or parents changed.
    pub updated: u64,
    /// Works queued for re-indexing because their filtering changed.
    pub works_reindexed: u64,
}

/// A creator name as shown on a work: the pseud and the user's login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PseudRef {
    pub id: i64,
    pub user_id: i64,
    pub login: String,
    pub name: String,
}

impl PseudRef {
    /// A pseud read from a row with the columns `id`, `user_id`, `login` and `name`.
    pub(crate) fn from_row(r: &sqlx::any::AnyRow) -> crate::Result<PseudRef> {
        use sqlx::Row;
        Ok(PseudRef {
            id: r.try_get("id")?,
            user_id: r.try_get("user_id")?,
            login: r.try_get("login")?,
            name: r.try_get("name")?,
        })
    }
}

/// A user's public profile.
#[derive(Debug, Clone, Serialize)]
pub struct UserInfo {
    pub id: i64,
    pub login: String,
    pub pseuds: Vec<PseudRef>,
    pub works_count: u64,
}

/// A work as a listing shows it (AO3's "blurb").
#[derive(Debug, Clone, Serialize)]
pub struct WorkBlurb {
    pub id: i64,
    pub title: String,
    pub summary_html: Option<String>,
    pub language: String,
    pub rating: Rating,
    pub warnings: Vec<Warning>,
    pub categories: Vec<Category>,
    /// Free tags, each list in the author's order.
    pub fandoms: Vec<TagRef>,
    pub relationships: Vec<TagRef>,
    pub characters: Vec<TagRef>,
    pub freeforms: Vec<TagRef>,
    pub creators: Vec<PseudRef>,
    pub anonymous: bool,
    pub restricted: bool,
    /// Not yet posted: only its creators may see it.
    pub draft: bool,
    /// Hidden by a moderator.
    pub hidden: bool,
    pub complete: bool,
    pub chapter_count: u32,
    pub expected_chapters: Option<u32>,
    pub word_count: u64,
    pub published_at: i64,
    pub updated_at: i64,
    pub hits: u64,
    pub kudos: u64,
    pub comments: u64,
    pub bookmarks: u64,
}

/// A chapter's place in a work, without its text.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterMeta {
    pub id: i64,
    pub position: u32,
    pub title: Option<String>,
    pub word_count: u64,
    pub published_at: i64,
}

/// A whole chapter, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterFull {
    pub meta: ChapterMeta,
    pub summary_html: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    pub body_html: String,
}

/// A work page: the blurb plus notes, chapter index and the cache version.
#[derive(Debug, Clone, Serialize)]
pub struct WorkView {
    pub blurb: WorkBlurb,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    /// Bumped on every change; page caches compare it.
    pub version: i64,
    pub chapters: Vec<ChapterMeta>,
}

/// Which works a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum WorkListFilter {
    All,
    /// Works tagged with the tag, its synonyms, its subtags (transitively) and their synonyms.
    Tag(i64),
    Pseud(i64),
    User(i64),
}

/// Who a listing is for: the one definition lives in tome-model's `visibility`.
pub use tome_model::visibility::Audience;

/// One page of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct WorkPage {
    pub total: u64,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    pub items: Vec<WorkBlurb>,
}

impl WorkPage {
    /// Number of pages (at least 1, so "page 1 of 1" reads right on an empty listing).
    pub fn pages(&self) -> u32 {
        if self.per_page == 0 {
            return 1;
        }
        (self.total.div_ceil(self.per_page as u64)).max(1) as u32
    }

    /// 1-based index of the first item on this page (0 when the page is empty).
    pub fn first_index(&self) -> u64 {
        if self.items.is_empty() {
            0
        } else {
            (self.page.max(1) as u64 - 1) * self.per_page as u64 + 1
        }
    }

    /// 1-based index of the last item on this page (0 when the page is empty).
    pub fn last_index(&self) -> u64 {
        if self.items.is_empty() {
            0
        } else {
            self.first_index() + self.items.len() as u64 - 1
        }
    }
}

/// One search-outbox entry: "work N changed (op)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxRow {
    pub seq: i64,
    /// The writing transaction's id on PostgreSQL (0 on SQLite); see [`crate::outbox`].
    pub txid: i64,
    pub work_id: i64,
    /// "upsert" or "delete".
    pub op: String,
    pub created_at: i64,
}

/// What a bulk wrangling action did: how many tags changed and which were refused, why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkReport {
    pub changed: u64,
    /// (tag name, why it was refused).
    pub refused: Vec<(String, String)>,
}

/// One page of the wrangling queue.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueuePage {
    pub tags: Vec<QueueTag>,
    /// Tags matching the query, all pages.
    pub total: u64,
}

/// A tag in the wrangling queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueTag {
    pub id: i64,
    pub kind: TagKind,
    pub name: String,
    pub canonical: bool,
    /// The canonical tag this one is a synonym of.
    pub merger: Option<TagRef>,
    /// Its parent fandoms.
    pub fandoms: Vec<TagRef>,
    /// Listed works tagged with it (itself, not its synonyms).
    pub uses: u64,
    pub created_at: i64,
}

/// A canonical fandom on the wrangler's home page, with its unwrangled tags per kind.
#[derive(Debug, Clone, Serialize)]
pub struct FandomQueueCount {
    pub fandom: TagRef,
    /// (character, relationship, freeform) kinds with at least one unwrangled tag.
    pub unwrangled: Vec<(TagKind, u64)>,
}

/// One wrangling-log row: who changed what, when.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub at: i64,
    /// The wrangler's login (None once the account is deleted).
    pub by_login: Option<String>,
    pub tag: TagRef,
    /// Machine name: canonical, uncanonical, synonym, unsynonym, rename, kind,
    /// parent_added, parent_removed, characters, media.
    pub action: String,
    /// Human sentence: "made Spuffy a synonym of Buffy Summers/Spike".
    pub description: String,
}

/// What a tag name leads to. One per tag page, never held in bulk, so the detail is not
/// boxed (the web side matches `TagLookup::Found(detail)` directly).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
pub enum TagLookup {
    Found(TagDetail),
    /// The name was a canonical tag's old name: it is now called `to`.
    Renamed {
        to: String,
    },
}

/// A tag page's whole wrangling.
#[derive(Debug, Clone, Serialize)]
pub struct TagDetail {
    pub info: TagInfo,
    /// Parent fandoms.
    pub fandoms: Vec<TagRef>,
    /// Parents of the same kind.
    pub metatags: Vec<TagRef>,
    /// Children of the same kind.
    pub subtags: Vec<TagRef>,
    /// For a relationship: its characters.
    pub characters: Vec<TagRef>,
    /// For a character: the canonical relationships that name it.
    pub relationships: Vec<TagRef>,
    /// For a fandom: its media.
    pub media: Vec<String>,
    /// Canonical tags most often on the same works, with how many works share them (top 10).
    pub related: Vec<(TagRef, u64)>,
    /// Listed works tagged with it or a synonym.
    pub uses: u64,
    pub created_at: i64,
}

/// A medium and its canonical fandoms, each with its count of listed works.
#[derive(Debug, Clone, Serialize)]
pub struct MediaFandoms {
    pub name: String,
    pub fandoms: Vec<(TagRef, u64)>,
}
