//! Tag wrangling: canonical flags, synonyms, renames with redirects, kinds, parents
//! (fandoms and metatags), relationship characters, fandom media, bulk actions, the
//! wranglers' queue and log, tag pages and the fandom index by media.

//!
//! Every change runs in one transaction that also writes a `wrangling_log` row and an
//! outbox row for each work whose filtering changed (see [`crate::tags::affected_works`]).
//! Refusals are [`StoreError::Invalid`] with a sentence for the wrangler; an unknown tag id
//! is [`StoreError::NotFound`], an unknown tag *name* typed into a form is `Invalid`.
//!
//! Making a canonical tag a synonym moves what hung off it to the new canonical tag, as
//! AO3 does: its synonyms, parents, subtags and child tags, characters, the relationships
//! naming it and its media (refused only when that would make a metatag cycle).
//! Un-synonymizing gives the tag back the canonical flag it had before (kept in the log's
//! `old_value`), not what was moved away from it.

mod detail;
mod log;
mod media;
mod ops;
mod parents;
mod queue;
mod synonym;

use serde::Serialize;
use tome_model::TagKind;

use crate::{BulkReport, Result, Store, StoreError};

pub(crate) use media::media_id;

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

impl Store {
    /// Makes a tag canonical, or not. A tag with synonyms, child tags or relationships
    /// naming it stays canonical (refused); one made non-canonical loses its metatags,
    /// characters and media.
    pub async fn set_tag_canonical(&self, by: i64, tag_id: i64, canonical: bool) -> Result<()> {
        let mut tx = self.begin_write().await?;
        ops::set_canonical(&mut tx, by, tag_id, canonical).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes a tag a synonym of the canonical tag `canonical_name` (same kind; a synonym's
    /// name stands for its canonical tag). Its works then filter under that tag.
    pub async fn make_synonym(&self, by: i64, tag_id: i64, canonical_name: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        synonym::make_synonym(&mut tx, by, tag_id, canonical_name).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Undoes a synonym: the tag stands alone again, canonical if it was before.
    pub async fn unsynonymize(&self, by: i64, tag_id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        synonym::unsynonymize(&mut tx, by, tag_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Renames a tag; a canonical tag's old name keeps leading to it.
    pub async fn rename_tag(&self, by: i64, tag_id: i64, new_name: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        ops::rename(&mut tx, by, tag_id, new_name).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the kind of an unwrangled tag (neither canonical nor a synonym).
    pub async fn set_tag_kind(&self, by: i64, tag_id: i64, kind: TagKind) -> Result<()> {
        let mut tx = self.begin_write().await?;
        ops::set_kind(&mut tx, by, tag_id, kind).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a parent: a canonical fandom for a character, relationship or free tag, or a
    /// canonical tag of the same kind (a metatag of a canonical tag; cycles refused).
    pub async fn add_tag_parent(&self, by: i64, tag_id: i64, parent_name: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        parents::add_parent(&mut tx, by, tag_id, parent_name, false).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a parent (refused when it is not one).
    pub async fn remove_tag_parent(&self, by: i64, tag_id: i64, parent_id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        parents::remove_parent(&mut tx, by, tag_id, parent_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a canonical relationship's characters (canonical character tags by name; a
    /// synonym's name stands for its canonical tag). Works tagged with the relationship
    /// then filter under its characters too.
    pub async fn set_relationship_characters(
        &self,
        by: i64,
        tag_id: i64,
        names: &[String],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        parents::set_characters(&mut tx, by, tag_id, names).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a canonical fandom's media (names from [`MEDIA`], case-insensitive).
    pub async fn set_fandom_media(&self, by: i64, fandom_id: i64, media: &[String]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        media::set_media(&mut tx, by, fandom_id, media).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies one action to many tags, each in its own transaction: a refusal for one
    /// tag (reported with its reason) leaves the others' changes in place. Tags the action
    /// leaves as they were are neither changed nor refused.
    pub async fn bulk_wrangle(
        &self,
        by: i64,
        tag_ids: &[i64],
        action: &BulkAction,
    ) -> Result<BulkReport> {
        let mut report = BulkReport::default();
        for &id in tag_ids {
            let mut tx = self.begin_write().await?;
            let done = match action {
                BulkAction::MakeCanonical => ops::set_canonical(&mut tx, by, id, true).await,
                BulkAction::MakeSynonymOf(name) => {
                    synonym::make_synonym(&mut tx, by, id, name).await
                }
                BulkAction::AddFandom(name) => {
                    parents::add_parent(&mut tx, by, id, name, true).await
                }
                BulkAction::SetKind(kind) => ops::set_kind(&mut tx, by, id, *kind).await,
            };
            match done {
                Ok(changed) => {
                    tx.commit().await?;
                    if changed {
                        report.changed += 1;
                    }
                }
                Err(StoreError::Invalid(why) | StoreError::NotFound(why)) => {
                    drop(tx);
                    let name =
                        sqlx::query_scalar::<_, String>("SELECT name FROM tags WHERE id = $1")
                            .bind(id)
                            .fetch_optional(self.pool())
                            .await?
                            .unwrap_or_else(|| format!("#{id}"));
                    report.refused.push((name, why));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }
}
