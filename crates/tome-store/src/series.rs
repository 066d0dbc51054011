//! A series as its page shows it: title, description, notes, complete flag, and its
//! works in order (the works themselves come from [`Store::series_works`] and
//! [`Store::blurbs_by_ids`]; the caller decides which the viewer may see).

use sqlx::Row;

use crate::sql::flag;
use crate::{Result, Store};

/// A series' own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub id: i64,
    pub title: String,
    /// Sanitized HTML, if the series has a description.
    pub summary_html: Option<String>,
    /// Sanitized HTML, if the series has notes.
    pub notes_html: Option<String>,
    pub complete: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Store {
    /// A series by id, `None` if there is none.
    pub async fn series(&self, id: i64) -> Result<Option<Series>> {
        let Some(r) = sqlx::query(
            "SELECT id, title, summary_html, notes_html, complete, created_at, updated_at \
             FROM series WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(Series {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            summary_html: r.try_get("summary_html")?,
            notes_html: r.try_get("notes_html")?,
            complete: flag(r.try_get("complete")?),
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        }))
    }
}
