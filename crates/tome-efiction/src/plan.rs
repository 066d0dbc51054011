//! The plan: how every rating, category, character and class of the archive becomes tome
//! tags, which authors clash with existing accounts, and what will be skipped. Written by
//! `--plan FILE` (with story counts) for the archivist to edit, read by `--apply-plan`.
//!
//! Tags are written "kind: name", e.g. `"fandom: Buffy the Vampire Slayer"`,
//! `"freeform: Season 5"`, `"warning: Graphic Depictions Of Violence"`, `"character:
//! Spike"`, `"relationship: Buffy/Spike"`, `"category: F/M"`; an empty list drops the
//! item from the works.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tome_model::{Rating, TagKind, Warning};

use crate::EfictionError;
use crate::archive::Archive;
use crate::text::{Repairs, plain_line};

/// The plan file's format version.
pub const PLAN_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RatingPlan {
    /// eFiction's name of the rating.
    pub name: String,
    pub stories: u64,
    /// tome's rating: general, teen, mature, explicit, not_rated.
    pub rating: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TagPlan {
    /// What eFiction calls it ("Parent > Child" for categories, "Type: name" for classes).
    pub name: String,
    pub stories: u64,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuthorPlan {
    pub penname: String,
    pub email: Option<String>,
    pub stories: u64,
    /// Existing tome accounts this author clashes with, and how.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// `null`: a new account (claimable); a login: the works go to that existing account.
    pub account: Option<String>,
    /// `false`: this author's stories are not imported (a "do not import" request).
    #[serde(default = "yes")]
    pub import: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Skip {
    pub what: String,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    pub version: u32,
    /// The archive's key in tome (eFiction's site key, or --archive).
    pub archive: String,
    pub archive_name: String,
    pub table_prefix: String,
    pub ratings: BTreeMap<i64, RatingPlan>,
    pub categories: BTreeMap<i64, TagPlan>,
    pub characters: BTreeMap<i64, TagPlan>,
    pub classes: BTreeMap<i64, TagPlan>,
    pub authors: BTreeMap<i64, AuthorPlan>,
    /// Stories left out (ids), e.g. on a do-not-import list.
    #[serde(default)]
    pub skip_stories: Vec<i64>,
    /// What will not come over, and why (for reading; not read back).
    #[serde(default)]
    pub skipped: Vec<Skip>,
}

/// A tag as the plan writes it.
pub fn tag_str(kind: TagKind, name: &str) -> String {
    format!("{}: {name}", kind.as_str())
}

/// Parses "kind: name".
pub fn parse_tag(s: &str) -> Result<(TagKind, String), EfictionError> {
    let (k, name) = s
        .split_once(':')
        .ok_or_else(|| EfictionError::Plan(format!("{s:?} is not \"kind: name\"")))?;
    let kind = TagKind::parse(k.trim())
        .ok_or_else(|| EfictionError::Plan(format!("{s:?}: {:?} is not a tag kind", k.trim())))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(EfictionError::Plan(format!("{s:?}: the name is empty")));
    }
    match kind {
        TagKind::Warning if Warning::parse(name).is_none() => {
            return Err(EfictionError::Plan(format!(
                "{s:?}: not one of AO3's archive warnings"
            )));
        }
        TagKind::Category if tome_model::Category::parse(name).is_none() => {
            return Err(EfictionError::Plan(format!(
                "{s:?}: not one of AO3's categories"
            )));
        }
        TagKind::Rating => {
            return Err(EfictionError::Plan(format!(
                "{s:?}: ratings are set in \"ratings\", not as tags"
            )));
        }
        _ => {}
    }
    Ok((kind, name.to_string()))
}

/// What an eFiction warning class means on AO3, if it means one.
pub fn warning_meaning(name: &str) -> Option<Warning> {
    let n = name.to_lowercase();
    let has = |w: &str| n.contains(w);
    if has("no warning") || n == "none" || has("no archive warning") {
        Some(Warning::NoWarnings)
    } else if has("death") {
        Some(Warning::MajorCharacterDeath)
    } else if has("rape") || has("non-con") || has("noncon") || has("non con") {
        Some(Warning::NonCon)
    } else if has("underage") || has("under age") {
        Some(Warning::Underage)
    } else if has("violence") || has("gore") {
        Some(Warning::GraphicViolence)
    } else if has("choose not") || has("chose not") {
        Some(Warning::ChoseNotToUse)
    } else {
        None
    }
}

fn is_warning_type(name: &str, title: &str) -> bool {
    let t = format!("{name} {title}").to_lowercase();
    t.contains("warn")
}

fn is_pairing_type(name: &str, title: &str) -> bool {
    let t = format!("{name} {title}").to_lowercase();
    t.contains("pairing") || t.contains("ship") || t.contains("relationship")
}

/// A tag name tome can hold: commas (tome splits tag lists on them) become " - ".
pub fn tidy_tag(name: &str) -> String {
    let name = name.replace(", ", " - ").replace(',', " -");
    name.chars()
        .take(tome_model::limits::TAG_NAME)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The default plan: ratings by their names, each category as the fandom it belongs to
/// (the nearest ancestor, itself included, that characters are filed under, else the
/// top of its tree) plus a free tag for a sub-category, characters as character tags
/// (named with their fandom when the name is also a fandom's), warning classes as AO3
/// warnings where they mean one, pairing classes as relationships, other classes as free
/// tags. `existing` holds the lower-cased names of tags tome already has, with kinds.
pub fn default_plan(a: &Archive, archive_key: &str, existing: &HashMap<String, TagKind>) -> Plan {
    let mut r = Repairs::default();
    let mut count_rating: HashMap<String, u64> = HashMap::new();
    let mut count_cat: HashMap<i64, u64> = HashMap::new();
    let mut count_char: HashMap<String, u64> = HashMap::new();
    let mut count_class: HashMap<String, u64> = HashMap::new();
    let mut count_author: HashMap<i64, u64> = HashMap::new();
    for s in a.stories.values() {
        *count_rating.entry(s.rid.trim().to_string()).or_default() += 1;
        for c in &s.catids {
            *count_cat.entry(*c).or_default() += 1;
        }
        for c in &s.charids {
            *count_char.entry(c.clone()).or_default() += 1;
        }
        for c in &s.classes {
            *count_class.entry(c.clone()).or_default() += 1;
        }
        *count_author.entry(s.uid).or_default() += 1;
        for co in a.coauthors.get(&s.sid).into_iter().flatten() {
            if *co != s.uid {
                *count_author.entry(*co).or_default() += 1;
            }
        }
    }
    let ratings = a
        .ratings
        .values()
        .map(|x| {
            let name = plain_line(&x.name, &mut r);
            let rating = Rating::from_archive_text(&name).unwrap_or(Rating::NotRated);
            (
                x.rid,
                RatingPlan {
                    stories: count_rating.get(&x.rid.to_string()).copied().unwrap_or(0),
                    name,
                    rating: rating.as_str().to_string(),
                },
            )
        })
        .collect();

    // Categories: which carry characters, the path of each.
    let with_chars: HashSet<i64> = a.characters.values().map(|c| c.catid).collect();
    let chain = |catid: i64| -> Vec<i64> {
        let mut out = vec![];
        let mut at = catid;
        while let Some(c) = a.categories.get(&at) {
            if out.contains(&at) || out.len() > 32 {
                break; // a loop in the tree
            }
            out.push(at);
            at = c.parent;
        }
        out
    };
    let cat_name = |id: i64, r: &mut Repairs| {
        a.categories
            .get(&id)
            .map(|c| plain_line(&c.name, r))
            .unwrap_or_default()
    };
    let fandom_of = |catid: i64| -> Option<i64> {
        let ch = chain(catid);
        ch.iter()
            .copied()
            .find(|c| with_chars.contains(c))
            .or(ch.last().copied())
    };
    let mut fandom_names: HashSet<String> = HashSet::new();
    let mut categories = BTreeMap::new();
    for c in a.categories.values() {
        let ch = chain(c.catid);
        let path: Vec<String> = ch.iter().rev().map(|id| cat_name(*id, &mut r)).collect();
        let mut tags = vec![];
        if let Some(f) = fandom_of(c.catid) {
            let fname = tidy_tag(&cat_name(f, &mut r));
            fandom_names.insert(fname.to_lowercase());
            tags.push(tag_str(TagKind::Fandom, &fname));
            if f != c.catid {
                tags.push(tag_str(
                    TagKind::Freeform,
                    &tidy_tag(&cat_name(c.catid, &mut r)),
                ));
            }
        }
        categories.insert(
            c.catid,
            TagPlan {
                name: path.join(" > "),
                stories: count_cat.get(&c.catid).copied().unwrap_or(0),
                tags,
            },
        );
    }
    let mut characters = BTreeMap::new();
    for c in a.characters.values() {
        let name = tidy_tag(&plain_line(&c.name, &mut r));
        let fandom = fandom_of(c.catid).map(|f| tidy_tag(&cat_name(f, &mut r)));
        let key = name.to_lowercase();
        let clash = fandom_names.contains(&key)
            || existing.get(&key).is_some_and(|k| *k != TagKind::Character);
        let tag = if clash {
            match &fandom {
                Some(f) if f.to_lowercase() != key => format!("{name} ({f})"),
                _ => format!("{name} (character)"),
            }
        } else {
            name.clone()
        };
        characters.insert(
            c.charid,
            TagPlan {
                name: match &fandom {
                    Some(f) => format!("{f}: {name}"),
                    None => name.clone(),
                },
                stories: count_char.get(&c.charid.to_string()).copied().unwrap_or(0),
                tags: vec![tag_str(TagKind::Character, &tidy_tag(&tag))],
            },
        );
    }
    let mut classes = BTreeMap::new();
    for c in a.classes.values() {
        let ty = a.classtypes.get(&c.class_type);
        let (tname, ttitle) = ty
            .map(|t| (t.name.clone(), plain_line(&t.title, &mut r)))
            .unwrap_or_default();
        let name = tidy_tag(&plain_line(&c.name, &mut r));
        let tag = if is_warning_type(&tname, &ttitle) {
            match warning_meaning(&name) {
                Some(w) => tag_str(TagKind::Warning, w.name()),
                None => tag_str(TagKind::Freeform, &name),
            }
        } else if is_pairing_type(&tname, &ttitle) {
            tag_str(TagKind::Relationship, &name)
        } else {
            tag_str(TagKind::Freeform, &name)
        };
        classes.insert(
            c.id,
            TagPlan {
                name: format!("{ttitle}: {name}"),
                stories: count_class.get(&c.id.to_string()).copied().unwrap_or(0),
                tags: vec![tag],
            },
        );
    }
    let authors = a
        .authors
        .values()
        .map(|au| {
            (
                au.uid,
                AuthorPlan {
                    penname: plain_line(&au.penname, &mut r),
                    email: Some(au.email.trim().to_string()).filter(|e| !e.is_empty()),
                    stories: count_author.get(&au.uid).copied().unwrap_or(0),
                    conflicts: vec![],
                    account: None,
                    import: true,
                },
            )
        })
        .collect();
    Plan {
        version: PLAN_VERSION,
        archive: archive_key.to_string(),
        archive_name: plain_line(&a.settings.sitename, &mut r),
        table_prefix: a.prefix.clone(),
        ratings,
        categories,
        characters,
        classes,
        authors,
        skip_stories: vec![],
        skipped: vec![],
    }
}

impl Plan {
    /// Checks an edited plan against the archive: every tag parses, every rating is one.
    pub fn check(&self) -> Result<(), EfictionError> {
        if self.version != PLAN_VERSION {
            return Err(EfictionError::Plan(format!(
                "plan version {} (this tome reads version {PLAN_VERSION})",
                self.version
            )));
        }
        for (id, r) in &self.ratings {
            if Rating::parse(&r.rating).is_none() {
                return Err(EfictionError::Plan(format!(
                    "rating {id} ({}): {:?} is not general, teen, mature, explicit or not_rated",
                    r.name, r.rating
                )));
            }
        }
        for (what, map) in [
            ("category", &self.categories),
            ("character", &self.characters),
            ("class", &self.classes),
        ] {
            for (id, t) in map {
                for tag in &t.tags {
                    parse_tag(tag).map_err(|e| {
                        EfictionError::Plan(format!("{what} {id} ({}): {e}", t.name))
                    })?;
                }
            }
        }
        Ok(())
    }

    /// Reads an edited plan; it must be of the same archive.
    pub fn read(path: &std::path::Path) -> Result<Plan, EfictionError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| EfictionError::Io(format!("cannot read {}: {e}", path.display())))?;
        if text.len() > 64 * 1024 * 1024 {
            return Err(EfictionError::Plan("the plan is larger than 64 MB".into()));
        }
        let plan: Plan = serde_json::from_str(&text)
            .map_err(|e| EfictionError::Plan(format!("{}: {e}", path.display())))?;
        plan.check()?;
        Ok(plan)
    }

    /// Missing entries (an archive that gained rows since the plan was written) are
    /// taken from the default plan.
    pub fn fill_from(&mut self, defaults: &Plan) {
        for (k, v) in &defaults.ratings {
            self.ratings.entry(*k).or_insert_with(|| v.clone());
        }
        for (k, v) in &defaults.categories {
            self.categories.entry(*k).or_insert_with(|| v.clone());
        }
        for (k, v) in &defaults.characters {
            self.characters.entry(*k).or_insert_with(|| v.clone());
        }
        for (k, v) in &defaults.classes {
            self.classes.entry(*k).or_insert_with(|| v.clone());
        }
        for (k, v) in &defaults.authors {
            self.authors.entry(*k).or_insert_with(|| v.clone());
        }
    }
}
