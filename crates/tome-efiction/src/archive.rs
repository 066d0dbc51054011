//! An eFiction 3.x archive as read from its tables: the rows tome needs, typed.
//!
//! Chapter and review texts (the bulk of a dump) are not kept in memory: a dump's are
//! written to a temporary file as they are read ([`Spill`]), a live database's are read
//! per story, and file-stored chapters are read from `stories/AUTHOR/CHAPTER.txt`.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Write;

use crate::EfictionError;
use crate::dump::Cell;

/// The eFiction tables tome reads, by their name without prefix. Longer names first:
/// a table is matched by the longest of these its name ends with ("inseries" before
/// "series", "coauthors" before "authors").
pub const TABLES: &[&str] = &[
    "authorprefs",
    "categories",
    "characters",
    "classtypes",
    "coauthors",
    "favorites",
    "inseries",
    "chapters",
    "settings",
    "authors",
    "classes",
    "ratings",
    "reviews",
    "stories",
    "series",
];

/// Splits a table name into (prefix, eFiction table), e.g. `efic_fanfiction_inseries`
/// into (`efic_fanfiction_`, `inseries`).
pub fn split_table(name: &str) -> Option<(&str, &'static str)> {
    let lower = name.to_ascii_lowercase();
    TABLES.iter().find_map(|t| {
        lower
            .ends_with(t)
            .then(|| (&name[..name.len() - t.len()], *t))
    })
}

/// Where a text is.
#[derive(Debug, Clone, Copy)]
pub enum TextRef {
    None,
    /// In the spill file: offset and length.
    Spilled(u64, u32),
    /// In the live database or a file: read when needed.
    External,
}

/// A temporary file holding texts read from a dump.
pub struct Spill {
    file: File,
    len: u64,
}

impl Spill {
    pub fn new() -> Result<Spill, EfictionError> {
        Ok(Spill {
            file: tempfile::tempfile()
                .map_err(|e| EfictionError::Io(format!("cannot make a temporary file: {e}")))?,
            len: 0,
        })
    }

    pub fn put(&mut self, text: &str) -> Result<TextRef, EfictionError> {
        if text.is_empty() {
            return Ok(TextRef::None);
        }
        let n = u32::try_from(text.len())
            .map_err(|_| EfictionError::Invalid("a text longer than 4 GB".into()))?;
        self.file
            .write_all(text.as_bytes())
            .map_err(|e| EfictionError::Io(format!("writing the temporary file: {e}")))?;
        let at = self.len;
        self.len += u64::from(n);
        Ok(TextRef::Spilled(at, n))
    }

    pub fn get(&self, r: TextRef) -> Result<String, EfictionError> {
        use std::os::unix::fs::FileExt;
        match r {
            TextRef::Spilled(at, n) => {
                let mut buf = vec![0; n as usize];
                self.file
                    .read_exact_at(&mut buf, at)
                    .map_err(|e| EfictionError::Io(format!("reading the temporary file: {e}")))?;
                String::from_utf8(buf)
                    .map_err(|_| EfictionError::Io("temporary file corrupted".into()))
            }
            _ => Ok(String::new()),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub sitekey: String,
    pub sitename: String,
    pub url: String,
    /// "mysql" or "files".
    pub store: String,
    pub storiespath: String,
}

#[derive(Debug, Clone)]
pub struct Author {
    pub uid: i64,
    pub penname: String,
    pub realname: String,
    pub email: String,
    pub bio: String,
    pub date: i64,
    pub level: i64,
}

#[derive(Debug, Clone)]
pub struct CategoryRow {
    pub catid: i64,
    pub parent: i64,
    pub name: String,
    pub order: i64,
}

#[derive(Debug, Clone)]
pub struct CharacterRow {
    pub charid: i64,
    pub catid: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct ClassType {
    pub id: i64,
    pub name: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Class {
    pub id: i64,
    pub class_type: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct RatingRow {
    pub rid: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Story {
    pub sid: i64,
    pub title: String,
    pub summary: String,
    pub notes: String,
    pub catids: Vec<i64>,
    /// Class ids, or names when the archive stored names.
    pub classes: Vec<String>,
    pub charids: Vec<String>,
    pub rid: String,
    pub date: i64,
    pub updated: i64,
    pub uid: i64,
    pub validated: bool,
    pub completed: bool,
    pub wordcount: i64,
    pub reviews: i64,
    pub hits: i64,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub chapid: i64,
    pub sid: i64,
    pub uid: i64,
    pub inorder: i64,
    pub title: String,
    pub notes: String,
    pub endnotes: String,
    pub validated: bool,
    pub wordcount: i64,
    pub text: TextRef,
}

#[derive(Debug, Clone)]
pub struct SeriesRow {
    pub seriesid: i64,
    pub title: String,
    pub summary: String,
    pub uid: i64,
    pub isopen: i64,
}

#[derive(Debug, Clone)]
pub struct InSeries {
    pub seriesid: i64,
    pub sid: i64,
    pub inorder: i64,
}

#[derive(Debug, Clone)]
pub struct Review {
    pub reviewid: i64,
    pub item: i64,
    pub chapid: i64,
    pub reviewer: String,
    pub uid: i64,
    pub text: TextRef,
    /// The text itself when it was not spilled (live source).
    pub inline: Option<String>,
    pub date: i64,
    pub rating: i64,
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct Favorite {
    pub uid: i64,
    pub item: i64,
    pub kind: String,
    pub comments: String,
}

/// Everything read from the archive's tables.
#[derive(Default)]
pub struct Archive {
    pub prefix: String,
    pub settings: Settings,
    pub authors: BTreeMap<i64, Author>,
    pub categories: BTreeMap<i64, CategoryRow>,
    pub characters: BTreeMap<i64, CharacterRow>,
    pub classtypes: BTreeMap<i64, ClassType>,
    pub classes: BTreeMap<i64, Class>,
    pub ratings: BTreeMap<i64, RatingRow>,
    pub stories: BTreeMap<i64, Story>,
    /// Chapters by story id, in `inorder` (then chapter id) order once [`Archive::finish`] ran.
    pub chapters: HashMap<i64, Vec<Chapter>>,
    pub coauthors: BTreeMap<i64, Vec<i64>>,
    pub series: BTreeMap<i64, SeriesRow>,
    pub inseries: Vec<InSeries>,
    /// Reviews by story id (`type` ST); series reviews by series id in `series_reviews`.
    pub reviews: HashMap<i64, Vec<Review>>,
    pub series_reviews: BTreeMap<i64, Vec<Review>>,
    pub favorites: Vec<Favorite>,
    /// Things read but not understood, for the report.
    pub notes: Vec<String>,
    pub spill: Option<Spill>,
}

/// Column access for one row.
pub struct Row<'a> {
    pub columns: &'a [String],
    pub cells: Vec<Cell>,
}

impl Row<'_> {
    fn take(&mut self, name: &str) -> Cell {
        match self
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
        {
            Some(i) if i < self.cells.len() => std::mem::replace(&mut self.cells[i], Cell::Null),
            _ => Cell::Null,
        }
    }
    fn int(&mut self, name: &str) -> i64 {
        self.take(name).as_i64().unwrap_or(0)
    }
    fn text(&mut self, name: &str) -> String {
        self.take(name).into_text()
    }
    fn flag(&mut self, name: &str) -> bool {
        self.int(name) != 0
    }
}

/// A comma-separated list of ids as eFiction keeps them ("1,5,7"), "0" or "" for none.
pub fn id_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty() && *x != "0")
        .map(str::to_string)
        .collect()
}

impl Archive {
    /// Takes one row of an eFiction table (name without prefix).
    pub fn add_row(&mut self, table: &str, mut r: Row<'_>) -> Result<(), EfictionError> {
        match table {
            "settings" => {
                self.settings = Settings {
                    sitekey: r.text("sitekey"),
                    sitename: r.text("sitename"),
                    url: r.text("url"),
                    store: r.text("store"),
                    storiespath: r.text("storiespath"),
                }
            }
            "authors" => {
                let uid = r.int("uid");
                self.authors.insert(
                    uid,
                    Author {
                        uid,
                        penname: r.text("penname"),
                        realname: r.text("realname"),
                        email: r.text("email"),
                        bio: r.text("bio"),
                        date: r.int("date"),
                        level: 0,
                    },
                );
            }
            "authorprefs" => {
                let uid = r.int("uid");
                let level = r.int("level");
                if let Some(a) = self.authors.get_mut(&uid) {
                    a.level = level;
                }
            }
            "categories" => {
                let catid = r.int("catid");
                self.categories.insert(
                    catid,
                    CategoryRow {
                        catid,
                        parent: r.int("parentcatid"),
                        name: r.text("category"),
                        order: r.int("displayorder"),
                    },
                );
            }
            "characters" => {
                let charid = r.int("charid");
                self.characters.insert(
                    charid,
                    CharacterRow {
                        charid,
                        catid: r.int("catid"),
                        name: r.text("charname"),
                    },
                );
            }
            "classtypes" => {
                let id = r.int("classtype_id");
                self.classtypes.insert(
                    id,
                    ClassType {
                        id,
                        name: r.text("classtype_name"),
                        title: r.text("classtype_title"),
                    },
                );
            }
            "classes" => {
                let id = r.int("class_id");
                self.classes.insert(
                    id,
                    Class {
                        id,
                        class_type: r.int("class_type"),
                        name: r.text("class_name"),
                    },
                );
            }
            "ratings" => {
                let rid = r.int("rid");
                self.ratings.insert(
                    rid,
                    RatingRow {
                        rid,
                        name: r.text("rating"),
                    },
                );
            }
            "stories" => {
                let sid = r.int("sid");
                let catids = id_list(&r.text("catid"))
                    .iter()
                    .filter_map(|c| c.parse().ok())
                    .collect();
                self.stories.insert(
                    sid,
                    Story {
                        sid,
                        title: r.text("title"),
                        summary: r.text("summary"),
                        notes: r.text("storynotes"),
                        catids,
                        classes: id_list(&r.text("classes")),
                        charids: id_list(&r.text("charid")),
                        rid: r.text("rid"),
                        date: r.int("date"),
                        updated: r.int("updated"),
                        uid: r.int("uid"),
                        validated: r.flag("validated"),
                        completed: r.flag("completed"),
                        wordcount: r.int("wordcount"),
                        reviews: r.int("reviews"),
                        hits: r.int("count"),
                    },
                );
            }
            "chapters" => {
                let text = r.text("storytext");
                let text = match &mut self.spill {
                    Some(s) => s.put(&text)?,
                    None => TextRef::External,
                };
                let ch = Chapter {
                    chapid: r.int("chapid"),
                    sid: r.int("sid"),
                    uid: r.int("uid"),
                    inorder: r.int("inorder"),
                    title: r.text("title"),
                    notes: r.text("notes"),
                    endnotes: r.text("endnotes"),
                    validated: r.flag("validated"),
                    wordcount: r.int("wordcount"),
                    text,
                };
                self.chapters.entry(ch.sid).or_default().push(ch);
            }
            "coauthors" => {
                let sid = r.int("sid");
                let uid = r.int("uid");
                self.coauthors.entry(sid).or_default().push(uid);
            }
            "series" => {
                let seriesid = r.int("seriesid");
                self.series.insert(
                    seriesid,
                    SeriesRow {
                        seriesid,
                        title: r.text("title"),
                        summary: r.text("summary"),
                        uid: r.int("uid"),
                        isopen: r.int("isopen"),
                    },
                );
            }
            "inseries" => {
                // Sub-series (subseriesid) are series in series; tome keeps works only.
                let sid = r.int("sid");
                if sid > 0 {
                    self.inseries.push(InSeries {
                        seriesid: r.int("seriesid"),
                        sid,
                        inorder: r.int("inorder"),
                    });
                }
            }
            "reviews" => {
                let body = r.text("review");
                let (text, inline) = match &mut self.spill {
                    Some(s) => (s.put(&body)?, None),
                    None => (TextRef::External, Some(body)),
                };
                let rv = Review {
                    reviewid: r.int("reviewid"),
                    item: r.int("item"),
                    chapid: r.int("chapid"),
                    reviewer: r.text("reviewer"),
                    uid: r.int("uid"),
                    text,
                    inline,
                    date: r.int("date"),
                    rating: r.int("rating"),
                    kind: r.text("type").trim().to_ascii_uppercase(),
                };
                match rv.kind.as_str() {
                    "ST" | "" => self.reviews.entry(rv.item).or_default().push(rv),
                    "SE" => self.series_reviews.entry(rv.item).or_default().push(rv),
                    other => self.notes.push(format!(
                        "review {} is of a {other:?} item (not a story or a series); skipped",
                        rv.reviewid
                    )),
                }
            }
            "favorites" => self.favorites.push(Favorite {
                uid: r.int("uid"),
                item: r.int("item"),
                kind: r.text("type").trim().to_ascii_uppercase(),
                comments: r.text("comments"),
            }),
            _ => {}
        }
        Ok(())
    }

    /// Orders chapters and series entries once every row is in.
    pub fn finish(&mut self) {
        for list in self.chapters.values_mut() {
            list.sort_by_key(|c| (c.inorder, c.chapid));
        }
        self.inseries
            .sort_by_key(|s| (s.seriesid, s.inorder, s.sid));
        for list in self.reviews.values_mut() {
            list.sort_by_key(|r| r.reviewid);
        }
    }

    /// The text of a review kept in memory or in the spill file.
    pub fn review_text(&self, r: &Review) -> Result<String, EfictionError> {
        if let Some(t) = &r.inline {
            return Ok(t.clone());
        }
        match (&self.spill, r.text) {
            (Some(s), t @ TextRef::Spilled(..)) => s.get(t),
            _ => Ok(String::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_split_into_prefix_and_table() {
        assert_eq!(
            split_table("fanfiction_stories"),
            Some(("fanfiction_", "stories"))
        );
        assert_eq!(
            split_table("efic_fanfiction_inseries"),
            Some(("efic_fanfiction_", "inseries"))
        );
        assert_eq!(
            split_table("fanfiction_series"),
            Some(("fanfiction_", "series"))
        );
        assert_eq!(split_table("x_coauthors"), Some(("x_", "coauthors")));
        assert_eq!(split_table("fanfiction_log"), None);
        assert_eq!(id_list("1, 5,0,,7"), ["1", "5", "7"]);
        assert!(id_list("0").is_empty());
    }
}
