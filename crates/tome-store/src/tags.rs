//! Tags and their wrangling: canonical tags, synonyms, parents, relationship characters.

use tome_model::{VocabEntry, VocabularyFile};

use crate::{Result, Store, StoreError, TagInfo, VocabularyReport};

impl Store {
    /// Imports a wrangled vocabulary (idempotent, one transaction).
    pub async fn import_vocabulary(&self, file: &VocabularyFile) -> Result<VocabularyReport> {
        let _ = file;
        Err(StoreError::Invalid("not yet".into()))
    }

    /// The whole wrangled vocabulary, as a `tags.json` file.
    pub async fn export_vocabulary(&self) -> Result<VocabularyFile> {
        Err(StoreError::Invalid("not yet".into()))
    }

    /// Canonical free tags with synonyms, fandoms, characters, metatags and uses.
    pub async fn vocabulary(&self) -> Result<Vec<VocabEntry>> {
        Err(StoreError::Invalid("not yet".into()))
    }

    /// A tag by name, case-insensitive.
    pub async fn tag_by_name(&self, name: &str) -> Result<Option<TagInfo>> {
        let _ = name;
        Err(StoreError::Invalid("not yet".into()))
    }
}
