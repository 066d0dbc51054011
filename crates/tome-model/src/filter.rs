//! What a reader asks of the archive's works: AO3's filter sidebar and work search as one
//! value, [`WorkFilter`], read from and written to AO3's query strings.
//!
//! AO3's URLs are the interface readers' bookmarks and tools already use
//! (`/works/search?work_search[query]=…&work_search[sort_column]=kudos_count`), so this
//! module speaks them exactly. Parsing is lenient, as AO3's is: a value that cannot be
//! understood is dropped rather than turned into an error page, and [`WorkFilter::to_pairs`]
//! writes back only what was understood, so a round trip normalises a URL.
//!
//! Tags are named two ways in AO3's URLs: by id per kind (`include_work_search[fandom_ids][]`)
//! and by name (`work_search[other_tag_names]`, comma-separated). Both are kept; the search
//! layer resolves names to ids. Everything here is pure: relative dates are resolved
//! against a `now` the caller passes.

use crate::TagKind;

/// Works a page shows at most when no `per_page` is asked (AO3: 20).
pub const PER_PAGE: u32 = 20;

/// A tag named by id, with the kind its URL parameter carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagId {
    pub kind: Option<TagKind>,
    pub id: i64,
}

/// Crossover works: those in more than one fandom (fandoms under one metatag count once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Crossover {
    /// Crossovers and single-fandom works alike.
    #[default]
    Include,
    /// No crossovers (`work_search[crossover]=F`).
    Exclude,
    /// Only crossovers (`work_search[crossover]=T`).
    Only,
}

/// A sort key of AO3's work search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    BestMatch,
    Updated,
    Posted,
    Kudos,
    Hits,
    Bookmarks,
    Comments,
    WordCount,
    Title,
    Creator,
}

impl SortColumn {
    pub const ALL: &'static [SortColumn] = &[
        SortColumn::BestMatch,
        SortColumn::Creator,
        SortColumn::Title,
        SortColumn::Posted,
        SortColumn::Updated,
        SortColumn::WordCount,
        SortColumn::Hits,
        SortColumn::Kudos,
        SortColumn::Comments,
        SortColumn::Bookmarks,
    ];

    /// AO3's `work_search[sort_column]` value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortColumn::BestMatch => "_score",
            SortColumn::Updated => "revised_at",
            SortColumn::Posted => "created_at",
            SortColumn::Kudos => "kudos_count",
            SortColumn::Hits => "hits",
            SortColumn::Bookmarks => "bookmarks_count",
            SortColumn::Comments => "comments_count",
            SortColumn::WordCount => "word_count",
            SortColumn::Title => "title_to_sort_on",
            SortColumn::Creator => "authors_to_sort_on",
        }
    }

    /// The label AO3's sort menu shows.
    pub fn label(self) -> &'static str {
        match self {
            SortColumn::BestMatch => "Best Match",
            SortColumn::Updated => "Date Updated",
            SortColumn::Posted => "Date Posted",
            SortColumn::Kudos => "Kudos",
            SortColumn::Hits => "Hits",
            SortColumn::Bookmarks => "Bookmarks",
            SortColumn::Comments => "Comments",
            SortColumn::WordCount => "Word Count",
            SortColumn::Title => "Title",
            SortColumn::Creator => "Creator",
        }
    }

    pub fn parse(s: &str) -> Option<SortColumn> {
        let s = s.trim();
        Some(match s {
            "_score" | "score" | "best_match" => SortColumn::BestMatch,
            "revised_at" | "updated_at" | "date_updated" => SortColumn::Updated,
            "created_at" | "date_posted" | "published_at" => SortColumn::Posted,
            "kudos_count" | "kudos" => SortColumn::Kudos,
            "hits" => SortColumn::Hits,
            "bookmarks_count" | "bookmarks" => SortColumn::Bookmarks,
            "comments_count" | "comments" => SortColumn::Comments,
            "word_count" | "words" => SortColumn::WordCount,
            "title_to_sort_on" | "title" => SortColumn::Title,
            "authors_to_sort_on" | "author" | "creator" => SortColumn::Creator,
            _ => return None,
        })
    }

    /// AO3's default direction: alphabetical sorts ascend, the rest descend.
    pub fn default_direction(self) -> Direction {
        match self {
            SortColumn::Title | SortColumn::Creator => Direction::Asc,
            _ => Direction::Desc,
        }
    }
}

/// Sort direction (`work_search[sort_direction]` = `asc` | `desc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Asc,
    Desc,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim().to_ascii_lowercase().as_str() {
            "asc" => Some(Direction::Asc),
            "desc" => Some(Direction::Desc),
            _ => None,
        }
    }
}

/// A unit of AO3's relative dates ("2 weeks").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateUnit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl DateUnit {
    /// Seconds in one unit (months are 30 days and years 365, as AO3 counts them).
    pub fn seconds(self) -> i64 {
        match self {
            DateUnit::Hour => 3_600,
            DateUnit::Day => 86_400,
            DateUnit::Week => 7 * 86_400,
            DateUnit::Month => 30 * 86_400,
            DateUnit::Year => 365 * 86_400,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            DateUnit::Hour => "hours",
            DateUnit::Day => "days",
            DateUnit::Week => "weeks",
            DateUnit::Month => "months",
            DateUnit::Year => "years",
        }
    }

    fn parse(s: &str) -> Option<DateUnit> {
        let s = s.trim().to_ascii_lowercase();
        let s = s.trim_end_matches('s');
        Some(match s {
            "hour" | "h" => DateUnit::Hour,
            "day" | "d" => DateUnit::Day,
            "week" | "w" => DateUnit::Week,
            "month" => DateUnit::Month,
            "year" | "y" => DateUnit::Year,
            _ => return None,
        })
    }
}

/// AO3's relative date filters, as typed in `work_search[revised_at]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeDate {
    /// `< 2 weeks`: within the last two weeks.
    Within(u32, DateUnit),
    /// `> 1 year`: longer ago than a year.
    OlderThan(u32, DateUnit),
    /// `3 days`: between 3 and 4 days ago.
    Ago(u32, DateUnit),
    /// `1-2 weeks`: between 1 and 3 weeks ago (AO3 counts the whole last unit).
    Between(u32, u32, DateUnit),
}

impl RelativeDate {
    /// Parses `< 2 weeks`, `> 1 year`, `3 days`, `1-2 weeks` (an optional trailing `ago`).
    pub fn parse(s: &str) -> Option<RelativeDate> {
        let s = s.trim();
        let s = s.strip_suffix("ago").unwrap_or(s).trim();
        let (op, rest) = if let Some(r) = s.strip_prefix('<') {
            ('<', r)
        } else if let Some(r) = s.strip_prefix('>') {
            ('>', r)
        } else {
            ('=', s)
        };
        let rest = rest.trim();
        let split = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == ' '))
            .unwrap_or(rest.len());
        let (num, unit) = rest.split_at(split);
        let unit = DateUnit::parse(unit)?;
        let num = num.trim();
        match op {
            '<' => Some(RelativeDate::Within(num.parse().ok()?, unit)),
            '>' => Some(RelativeDate::OlderThan(num.parse().ok()?, unit)),
            _ => match num.split_once('-') {
                Some((a, b)) => {
                    let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                    Some(RelativeDate::Between(a.min(b), a.max(b), unit))
                }
                None => Some(RelativeDate::Ago(num.parse().ok()?, unit)),
            },
        }
    }

    /// The inclusive range of unix times it means at `now`: `(from, to)`.
    pub fn resolve(self, now: i64) -> (Option<i64>, Option<i64>) {
        let ago =
            |n: u32, u: DateUnit| now.saturating_sub(i64::from(n).saturating_mul(u.seconds()));
        match self {
            RelativeDate::Within(n, u) => (Some(ago(n, u)), None),
            RelativeDate::OlderThan(n, u) => (None, Some(ago(n, u))),
            RelativeDate::Ago(n, u) => (Some(ago(n + 1, u)), Some(ago(n, u))),
            RelativeDate::Between(a, b, u) => (Some(ago(b + 1, u)), Some(ago(a, u))),
        }
    }
}

impl std::fmt::Display for RelativeDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RelativeDate::Within(n, u) => write!(f, "< {n} {}", u.as_str()),
            RelativeDate::OlderThan(n, u) => write!(f, "> {n} {}", u.as_str()),
            RelativeDate::Ago(n, u) => write!(f, "{n} {}", u.as_str()),
            RelativeDate::Between(a, b, u) => write!(f, "{a}-{b} {}", u.as_str()),
        }
    }
}

/// Every filter, sort and page of AO3's work search and tag works pages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkFilter {
    /// Full-text query: words, `"phrases"`, `-excluded`, `title:`, `summary:`, `creator:`.
    pub query: String,
    /// Works must carry every one of these (synonyms and subtags count).
    pub include: Vec<TagId>,
    /// Works must carry none of these.
    pub exclude: Vec<TagId>,
    /// Included by name (`work_search[other_tag_names]`).
    pub include_names: Vec<String>,
    /// Excluded by name (`work_search[excluded_tag_names]`).
    pub exclude_names: Vec<String>,
    /// Each group: the work carries at least one of these.
    pub any_of: Vec<Vec<i64>>,
    pub crossover: Crossover,
    /// At most this many fandoms (metatag-collapsed).
    pub max_fandoms: Option<u32>,
    /// `Some(true)` complete only, `Some(false)` in progress only.
    pub complete: Option<bool>,
    pub single_chapter: bool,
    pub words_from: Option<u64>,
    pub words_to: Option<u64>,
    /// Updated within / before (AO3's `revised_at`).
    pub updated: Option<RelativeDate>,
    /// Posted within / before (`created_at`).
    pub posted: Option<RelativeDate>,
    /// Language code (`en`).
    pub language: Option<String>,
    /// `None`: AO3's default (best match with a query, else date updated).
    pub sort: Option<SortColumn>,
    pub direction: Option<Direction>,
    /// 1-based.
    pub page: u32,
}

/// The per-kind id parameter names of AO3 (`include_work_search[fandom_ids][]`).
fn ids_param(kind: Option<TagKind>) -> &'static str {
    match kind {
        Some(TagKind::Rating) => "rating_ids",
        Some(TagKind::Warning) => "archive_warning_ids",
        Some(TagKind::Category) => "category_ids",
        Some(TagKind::Fandom) => "fandom_ids",
        Some(TagKind::Character) => "character_ids",
        Some(TagKind::Relationship) => "relationship_ids",
        Some(TagKind::Freeform) => "freeform_ids",
        None => "tag_ids",
    }
}

fn kind_of_ids_param(p: &str) -> Option<Option<TagKind>> {
    Some(match p {
        "rating_ids" => Some(TagKind::Rating),
        "archive_warning_ids" | "warning_ids" => Some(TagKind::Warning),
        "category_ids" => Some(TagKind::Category),
        "fandom_ids" => Some(TagKind::Fandom),
        "character_ids" => Some(TagKind::Character),
        "relationship_ids" => Some(TagKind::Relationship),
        "freeform_ids" => Some(TagKind::Freeform),
        "tag_ids" => None,
        _ => return None,
    })
}

/// Splits `prefix[name]` or `prefix[name][]` into `(prefix, name)`.
fn bracket(key: &str) -> Option<(&str, &str)> {
    let key = key.strip_suffix("[]").unwrap_or(key);
    let (prefix, rest) = key.split_once('[')?;
    Some((prefix, rest.strip_suffix(']')?))
}

fn tag_names(v: &str) -> impl Iterator<Item = String> + '_ {
    v.split(',')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
}

fn ids(v: &str) -> impl Iterator<Item = i64> + '_ {
    v.split(',')
        .filter_map(|s| s.trim().parse::<i64>().ok())
        .filter(|n| *n > 0)
}

fn flag(v: &str) -> Option<bool> {
    match v.trim() {
        "T" | "t" | "true" | "1" | "yes" => Some(true),
        "F" | "f" | "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

fn number(v: &str) -> Option<u64> {
    // AO3 readers type "10,000".
    let digits: String = v.chars().filter(|c| *c != ',' && *c != '_').collect();
    digits.trim().parse().ok()
}

impl WorkFilter {
    /// Reads a filter from query pairs (already percent-decoded), AO3's names first.
    /// Unknown keys and values that cannot be understood are ignored.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> WorkFilter {
        let mut f = WorkFilter {
            page: 1,
            ..WorkFilter::default()
        };
        for (k, v) in pairs {
            let (k, v) = (k.as_ref(), v.as_ref());
            if k == "page" {
                f.page = v.trim().parse().ok().filter(|p| *p >= 1).unwrap_or(1);
                continue;
            }
            if k == "tag_id" {
                // AO3's `/works?tag_id=NAME` form.
                f.include_names.extend(tag_names(v));
                continue;
            }
            let Some((prefix, name)) = bracket(k) else {
                continue;
            };
            match (prefix, name) {
                ("include_work_search", p) | ("exclude_work_search", p) => {
                    let Some(kind) = kind_of_ids_param(p) else {
                        continue;
                    };
                    let list = if prefix == "include_work_search" {
                        &mut f.include
                    } else {
                        &mut f.exclude
                    };
                    for id in ids(v) {
                        let t = TagId { kind, id };
                        if !list.contains(&t) {
                            list.push(t);
                        }
                    }
                }
                ("work_search", field) => f.set_field(field, v),
                _ => {}
            }
        }
        f
    }

    fn set_field(&mut self, field: &str, v: &str) {
        match field {
            "query" => self.query = v.trim().to_string(),
            "other_tag_names" => {
                for n in tag_names(v) {
                    if !self.include_names.contains(&n) {
                        self.include_names.push(n);
                    }
                }
            }
            "excluded_tag_names" => {
                for n in tag_names(v) {
                    if !self.exclude_names.contains(&n) {
                        self.exclude_names.push(n);
                    }
                }
            }
            "any_tag_ids" => {
                let group: Vec<i64> = ids(v).collect();
                if !group.is_empty() {
                    self.any_of.push(group);
                }
            }
            "crossover" => {
                self.crossover = match flag(v) {
                    Some(true) => Crossover::Only,
                    Some(false) => Crossover::Exclude,
                    None => Crossover::Include,
                }
            }
            "max_fandoms" => self.max_fandoms = number(v).and_then(|n| u32::try_from(n).ok()),
            "complete" => self.complete = flag(v),
            "single_chapter" => self.single_chapter = flag(v).unwrap_or(false),
            "words_from" => self.words_from = number(v),
            "words_to" => self.words_to = number(v),
            "revised_at" => self.updated = RelativeDate::parse(v),
            "created_at" => self.posted = RelativeDate::parse(v),
            "language_id" => {
                let v = v.trim();
                self.language = (!v.is_empty()).then(|| v.to_ascii_lowercase());
            }
            "sort_column" => self.sort = SortColumn::parse(v),
            "sort_direction" => self.direction = Direction::parse(v),
            _ => {}
        }
    }

    /// The query pairs that mean this filter, in a stable order; defaults are left out.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: String| out.push((k.to_string(), v));
        if !self.query.is_empty() {
            push("work_search[query]", self.query.clone());
        }
        for t in &self.include {
            push(
                &format!("include_work_search[{}][]", ids_param(t.kind)),
                t.id.to_string(),
            );
        }
        for t in &self.exclude {
            push(
                &format!("exclude_work_search[{}][]", ids_param(t.kind)),
                t.id.to_string(),
            );
        }
        if !self.include_names.is_empty() {
            push("work_search[other_tag_names]", self.include_names.join(","));
        }
        if !self.exclude_names.is_empty() {
            push(
                "work_search[excluded_tag_names]",
                self.exclude_names.join(","),
            );
        }
        for g in &self.any_of {
            let list: Vec<String> = g.iter().map(i64::to_string).collect();
            push("work_search[any_tag_ids][]", list.join(","));
        }
        match self.crossover {
            Crossover::Include => {}
            Crossover::Exclude => push("work_search[crossover]", "F".into()),
            Crossover::Only => push("work_search[crossover]", "T".into()),
        }
        if let Some(n) = self.max_fandoms {
            push("work_search[max_fandoms]", n.to_string());
        }
        if let Some(c) = self.complete {
            push("work_search[complete]", if c { "T" } else { "F" }.into());
        }
        if self.single_chapter {
            push("work_search[single_chapter]", "1".into());
        }
        if let Some(n) = self.words_from {
            push("work_search[words_from]", n.to_string());
        }
        if let Some(n) = self.words_to {
            push("work_search[words_to]", n.to_string());
        }
        if let Some(d) = self.updated {
            push("work_search[revised_at]", d.to_string());
        }
        if let Some(d) = self.posted {
            push("work_search[created_at]", d.to_string());
        }
        if let Some(l) = &self.language {
            push("work_search[language_id]", l.clone());
        }
        if let Some(s) = self.sort {
            push("work_search[sort_column]", s.as_str().into());
        }
        if let Some(d) = self.direction {
            push("work_search[sort_direction]", d.as_str().into());
        }
        if self.page > 1 {
            push("page", self.page.to_string());
        }
        out
    }

    /// The filter as a URL query string (percent-encoded, without the `?`).
    pub fn to_query_string(&self) -> String {
        encode_pairs(&self.to_pairs())
    }

    /// The sort actually used: AO3 sorts by best match when there is a query, else by date updated.
    pub fn effective_sort(&self) -> (SortColumn, Direction) {
        let col = match self.sort {
            Some(SortColumn::BestMatch) if self.query.trim().is_empty() => SortColumn::Updated,
            Some(c) => c,
            None if self.query.trim().is_empty() => SortColumn::Updated,
            None => SortColumn::BestMatch,
        };
        (col, self.direction.unwrap_or(col.default_direction()))
    }

    /// The filter on another page.
    pub fn with_page(&self, page: u32) -> WorkFilter {
        WorkFilter {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Whether anything narrows the works (a sort or page alone does not).
    pub fn narrows(&self) -> bool {
        let plain = WorkFilter {
            sort: self.sort,
            direction: self.direction,
            page: self.page,
            ..WorkFilter::default()
        };
        *self != plain
    }
}

/// `k=v&k=v`, percent-encoding everything but unreserved characters.
pub fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query component (spaces as `+`, as HTML forms do).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &[(&str, &str)]) -> WorkFilter {
        WorkFilter::from_pairs(q)
    }

    #[test]
    fn ao3_search_url_parses() {
        let f = parse(&[
            ("work_search[query]", " dragons \"slow burn\" -angst "),
            ("work_search[sort_column]", "kudos_count"),
            ("work_search[sort_direction]", "asc"),
            ("work_search[complete]", "T"),
            ("work_search[crossover]", "F"),
            ("work_search[single_chapter]", "1"),
            ("work_search[words_from]", "1,000"),
            ("work_search[words_to]", "50000"),
            ("work_search[revised_at]", "< 2 weeks"),
            ("work_search[language_id]", "EN"),
            ("include_work_search[rating_ids][]", "11"),
            ("include_work_search[fandom_ids][]", "27"),
            ("exclude_work_search[freeform_ids][]", "5"),
            ("exclude_work_search[freeform_ids][]", "6"),
            ("work_search[other_tag_names]", "Fluff, Hurt/Comfort,,"),
            ("work_search[excluded_tag_names]", "Angst"),
            ("page", "3"),
        ]);
        assert_eq!(f.query, "dragons \"slow burn\" -angst");
        assert_eq!(f.sort, Some(SortColumn::Kudos));
        assert_eq!(f.direction, Some(Direction::Asc));
        assert_eq!(f.complete, Some(true));
        assert_eq!(f.crossover, Crossover::Exclude);
        assert!(f.single_chapter);
        assert_eq!((f.words_from, f.words_to), (Some(1000), Some(50000)));
        assert_eq!(f.updated, Some(RelativeDate::Within(2, DateUnit::Week)));
        assert_eq!(f.language.as_deref(), Some("en"));
        assert_eq!(
            f.include,
            vec![
                TagId {
                    kind: Some(TagKind::Rating),
                    id: 11
                },
                TagId {
                    kind: Some(TagKind::Fandom),
                    id: 27
                }
            ]
        );
        assert_eq!(f.exclude.len(), 2);
        assert_eq!(f.include_names, vec!["Fluff", "Hurt/Comfort"]);
        assert_eq!(f.exclude_names, vec!["Angst"]);
        assert_eq!(f.page, 3);
    }

    #[test]
    fn round_trip_is_stable() {
        let f = parse(&[
            ("work_search[query]", "title:lantern"),
            ("include_work_search[character_ids][]", "4"),
            ("work_search[any_tag_ids][]", "1,2"),
            ("work_search[crossover]", "T"),
            ("work_search[max_fandoms]", "3"),
            ("work_search[complete]", "F"),
            ("work_search[created_at]", "1-2 years ago"),
            ("work_search[sort_column]", "title_to_sort_on"),
            ("page", "2"),
        ]);
        let pairs = f.to_pairs();
        assert_eq!(WorkFilter::from_pairs(&pairs), f);
        assert!(pairs.contains(&("work_search[created_at]".into(), "1-2 years".into())));
        let qs = f.to_query_string();
        assert!(
            qs.starts_with("work_search%5Bquery%5D=title%3Alantern&"),
            "{qs}"
        );
    }

    #[test]
    fn garbage_is_ignored() {
        let f = parse(&[
            ("work_search[words_from]", "lots"),
            ("work_search[sort_column]", "DROP TABLE"),
            ("include_work_search[fandom_ids][]", "-3"),
            ("include_work_search[bogus_ids][]", "3"),
            ("work_search[revised_at]", "soon"),
            ("page", "0"),
            ("nonsense", "x"),
        ]);
        assert_eq!(
            f,
            WorkFilter {
                page: 1,
                ..Default::default()
            }
        );
        assert!(!f.narrows());
    }

    #[test]
    fn relative_dates_resolve() {
        let now = 1_000_000_000;
        let week = 7 * 86_400;
        assert_eq!(
            RelativeDate::parse("< 2 weeks").map(|d| d.resolve(now)),
            Some((Some(now - 2 * week), None))
        );
        assert_eq!(
            RelativeDate::parse(">1 year").map(|d| d.resolve(now)),
            Some((None, Some(now - 365 * 86_400)))
        );
        assert_eq!(
            RelativeDate::parse("3 days ago").map(|d| d.resolve(now)),
            Some((Some(now - 4 * 86_400), Some(now - 3 * 86_400)))
        );
        assert_eq!(
            RelativeDate::parse("2-1 weeks"),
            Some(RelativeDate::Between(1, 2, DateUnit::Week))
        );
        assert_eq!(RelativeDate::parse("< two weeks"), None);
    }

    #[test]
    fn default_sort_follows_the_query() {
        let mut f = WorkFilter::default();
        assert_eq!(f.effective_sort(), (SortColumn::Updated, Direction::Desc));
        f.query = "x".into();
        assert_eq!(f.effective_sort(), (SortColumn::BestMatch, Direction::Desc));
        f.sort = Some(SortColumn::Title);
        assert_eq!(f.effective_sort(), (SortColumn::Title, Direction::Asc));
        for s in SortColumn::ALL {
            assert_eq!(SortColumn::parse(s.as_str()), Some(*s));
        }
    }
}
