//! Where an archive is read from: a dump file, a live MySQL/MariaDB database, and chapter
//! files (`--stories DIR`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sqlx::mysql::{MySqlPoolOptions, MySqlRow};
use sqlx::{Column, MySqlPool, Row as _, TypeInfo};

use crate::EfictionError;
use crate::archive::{Archive, Chapter, Row, Spill, TextRef, split_table};
use crate::dump::{Cell, DumpReader, Item};

/// Largest chapter file read (`--stories`); eFiction's own limit is far lower.
pub const MAX_CHAPTER_FILE: u64 = 64 * 1024 * 1024;

/// An archive read, with what is needed to fetch chapter texts later.
pub struct Source {
    pub archive: Archive,
    live: Option<(MySqlPool, String)>,
    stories_dir: Option<PathBuf>,
    /// Statements of the dump that were not UTF-8 (read as Windows-1252).
    pub latin1_statements: u64,
}

/// Picks the prefix among those found: the one asked for, else the only one with a
/// stories table.
fn choose_prefix(found: &[String], asked: Option<&str>) -> Result<String, EfictionError> {
    if let Some(p) = asked {
        return if found.iter().any(|f| f == p) {
            Ok(p.to_string())
        } else {
            Err(EfictionError::Invalid(format!(
                "no eFiction tables with the prefix {p:?}; found: {}",
                if found.is_empty() {
                    "none".to_string()
                } else {
                    found
                        .iter()
                        .map(|f| format!("{f:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )))
        };
    }
    match found {
        [] => Err(EfictionError::Invalid(
            "no eFiction stories table found (is this an eFiction 3 archive?)".into(),
        )),
        [one] => Ok(one.clone()),
        many => Err(EfictionError::Invalid(format!(
            "several eFiction archives in one source (prefixes {}); choose one with --prefix",
            many.iter()
                .map(|f| format!("{f:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

impl Source {
    /// Reads a `mysqldump` file once, keeping the rows of one archive (`prefix`, or the
    /// only one in the file). Texts go to a temporary file.
    pub fn from_dump(
        path: &Path,
        prefix: Option<&str>,
        stories_dir: Option<&Path>,
    ) -> Result<Source, EfictionError> {
        let file = std::fs::File::open(path)
            .map_err(|e| EfictionError::Io(format!("cannot open {}: {e}", path.display())))?;
        let mut reader = DumpReader::new(file);
        // One archive per prefix until the end, when one is chosen; texts of all of them
        // share the spill file (a dump rarely holds more than one).
        let mut archives: BTreeMap<String, Archive> = BTreeMap::new();
        let mut spill = Some(Spill::new()?);
        let mut settings: Vec<(String, crate::archive::Settings)> = Vec::new();
        let wanted = |t: &str| match split_table(t) {
            Some((p, _)) => prefix.is_none_or(|want| want == p) || t.ends_with("settings"),
            None => false,
        };
        while let Some(item) = reader.next_item(&wanted)? {
            let Item::Rows {
                table,
                columns,
                rows,
            } = item
            else {
                continue;
            };
            let Some((p, base)) = split_table(&table) else {
                continue;
            };
            if columns.is_empty() {
                return Err(EfictionError::Invalid(format!(
                    "rows of {table} without column names and no CREATE TABLE before them \
                     (dump with mysqldump, which writes the tables' definitions)"
                )));
            }
            if base == "settings" {
                // eFiction's settings table has a prefix of its own ($settingsprefix).
                for cells in rows {
                    let mut tmp = Archive::default();
                    tmp.add_row(
                        base,
                        Row {
                            columns: &columns,
                            cells,
                        },
                    )?;
                    settings.push((p.to_string(), tmp.settings));
                }
                continue;
            }
            let archive = archives.entry(p.to_string()).or_insert_with(|| Archive {
                prefix: p.to_string(),
                ..Default::default()
            });
            if archive.spill.is_none() {
                archive.spill = spill.take();
            }
            // The spill file goes to the first archive seen; with --prefix that is the
            // only one, and without it several archives are refused below.
            for cells in rows {
                archive.add_row(
                    base,
                    Row {
                        columns: &columns,
                        cells,
                    },
                )?;
            }
        }
        let with_stories: Vec<String> = archives
            .iter()
            .filter(|(_, a)| !a.stories.is_empty() || !a.authors.is_empty())
            .map(|(p, _)| p.clone())
            .collect();
        let chosen = choose_prefix(&with_stories, prefix)?;
        let mut archive = archives
            .remove(&chosen)
            .ok_or_else(|| EfictionError::Invalid("no archive chosen".into()))?;
        if archive.spill.is_none() {
            // Its texts went to another archive's spill file.
            for other in archives.values_mut() {
                if other.spill.is_some() {
                    archive.spill = other.spill.take();
                }
            }
        }
        if let Some((_, s)) = settings
            .iter()
            .find(|(p, _)| *p == chosen)
            .or_else(|| settings.first())
        {
            archive.settings = s.clone();
        }
        archive.finish();
        Ok(Source {
            archive,
            live: None,
            stories_dir: stories_dir.map(Path::to_path_buf),
            latin1_statements: reader.latin1_statements,
        })
    }

    /// Reads a live eFiction database (`mysql://user:pass@host/db`). Chapter texts are
    /// read per story later, so memory holds only the other rows.
    pub async fn from_mysql(
        url: &str,
        prefix: Option<&str>,
        stories_dir: Option<&Path>,
    ) -> Result<Source, EfictionError> {
        let db = |e: sqlx::Error| EfictionError::Source(format!("MySQL: {e}"));
        let pool = MySqlPoolOptions::new()
            .max_connections(2)
            .connect(url)
            .await
            .map_err(db)?;
        let tables: Vec<String> = sqlx::query_scalar::<_, Vec<u8>>("SHOW TABLES")
            .fetch_all(&pool)
            .await
            .map_err(db)?
            .into_iter()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect();
        let mut prefixes: Vec<String> = tables
            .iter()
            .filter_map(|t| split_table(t))
            .filter(|(_, base)| *base == "stories")
            .map(|(p, _)| p.to_string())
            .collect();
        prefixes.sort();
        prefixes.dedup();
        let chosen = choose_prefix(&prefixes, prefix)?;
        let mut archive = Archive {
            prefix: chosen.clone(),
            ..Default::default()
        };
        // Authors before authorprefs (levels are set on authors).
        let mut ours: Vec<(&str, &'static str)> = tables
            .iter()
            .filter_map(|t| {
                let (p, base) = split_table(t)?;
                (p == chosen
                    || (base == "settings"
                        && !tables.iter().any(|x| x == &format!("{chosen}settings"))))
                .then_some((t.as_str(), base))
            })
            .collect();
        ours.sort_by_key(|(_, base)| *base == "authorprefs");
        for (table, base) in ours {
            if !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(EfictionError::Invalid(format!("odd table name {table:?}")));
            }
            let sql = if base == "chapters" {
                format!(
                    "SELECT chapid, title, inorder, notes, endnotes, validated, wordcount, sid, uid \
                     FROM `{table}`"
                )
            } else {
                format!("SELECT * FROM `{table}`")
            };
            use futures_util::StreamExt;
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&pool);
            let mut columns: Option<Vec<String>> = None;
            while let Some(row) = rows.next().await {
                let row = row.map_err(db)?;
                let cols = columns.get_or_insert_with(|| {
                    row.columns().iter().map(|c| c.name().to_string()).collect()
                });
                let cells = (0..row.len()).map(|i| mysql_cell(&row, i)).collect();
                archive.add_row(
                    base,
                    Row {
                        columns: cols,
                        cells,
                    },
                )?;
            }
        }
        archive.finish();
        Ok(Source {
            archive,
            live: Some((pool, format!("{chosen}chapters"))),
            stories_dir: stories_dir.map(Path::to_path_buf),
            latin1_statements: 0,
        })
    }

    /// Whether chapter texts are to be read from files.
    pub fn files_store(&self) -> bool {
        self.stories_dir.is_some()
    }

    /// A chapter's text (`None`: the chapter's file is missing).
    pub async fn chapter_text(&self, ch: &Chapter) -> Result<Option<String>, EfictionError> {
        if let Some(dir) = &self.stories_dir {
            let path = dir
                .join(ch.uid.to_string())
                .join(format!("{}.txt", ch.chapid));
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(_) => return Ok(None),
            };
            if meta.len() > MAX_CHAPTER_FILE {
                return Err(EfictionError::Invalid(format!(
                    "{} is larger than {} MB",
                    path.display(),
                    MAX_CHAPTER_FILE >> 20
                )));
            }
            let bytes = std::fs::read(&path)
                .map_err(|e| EfictionError::Io(format!("{}: {e}", path.display())))?;
            return Ok(Some(match String::from_utf8(bytes) {
                Ok(s) => s,
                // Chapter files of old archives are often Windows-1252.
                Err(e) => encoding_rs::WINDOWS_1252
                    .decode(e.as_bytes())
                    .0
                    .into_owned(),
            }));
        }
        match ch.text {
            TextRef::None => Ok(Some(String::new())),
            TextRef::Spilled(..) => match &self.archive.spill {
                Some(s) => s.get(ch.text).map(Some),
                None => Ok(Some(String::new())),
            },
            TextRef::External => match &self.live {
                Some((pool, table)) => {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT storytext FROM `{table}` WHERE chapid = ?"
                    )))
                    .bind(ch.chapid)
                    .fetch_optional(pool)
                    .await
                    .map_err(|e| EfictionError::Source(format!("MySQL: {e}")))?;
                    Ok(Some(match row {
                        Some(r) => mysql_cell(&r, 0).into_text(),
                        None => String::new(),
                    }))
                }
                None => Ok(Some(String::new())),
            },
        }
    }

    pub async fn close(&self) {
        if let Some((pool, _)) = &self.live {
            pool.close().await;
        }
    }
}

/// One column of a MySQL row as a [`Cell`], whatever its type.
fn mysql_cell(row: &MySqlRow, i: usize) -> Cell {
    let ty = row.columns()[i].type_info().name().to_ascii_uppercase();
    if ty.contains("INT") {
        if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            return v.map_or(Cell::Null, Cell::Int);
        }
        if let Ok(v) = row.try_get::<Option<u64>, _>(i) {
            return v.map_or(Cell::Null, |u| {
                Cell::Int(i64::try_from(u).unwrap_or(i64::MAX))
            });
        }
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.map_or(Cell::Null, Cell::Text);
    }
    if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
        return v.map_or(Cell::Null, |b| {
            Cell::Text(match String::from_utf8(b) {
                Ok(s) => s,
                Err(e) => encoding_rs::WINDOWS_1252
                    .decode(e.as_bytes())
                    .0
                    .into_owned(),
            })
        });
    }
    if let Ok(Some(f)) = row.try_get::<Option<f64>, _>(i) {
        return Cell::Num(f.to_string());
    }
    Cell::Null
}
