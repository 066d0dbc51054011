//! AO3's filter sidebar (`form#work-filters` > `dl.filters`) as a view: sort, include and
//! exclude tag lists with counts from the search's facets, and "more options" (crossovers,
//! completion, word count, date, search within results, language).
//!
//! Everything works without JavaScript: each tag is a checkbox (submit the form to apply
//! several at once) and also a link that includes or excludes it at once. Filters the
//! sidebar has no control for (tags by name, any-of groups, ...) ride along as hidden
//! fields, so submitting the form never drops them.

use tome_model::TagKind;
use tome_model::filter::{Crossover, SortColumn, TagId, WorkFilter};
use tome_search::Facets;
use tome_store::TagGraph;

use super::filter_href;
use super::params::Parsed;
use crate::format::commas;

/// An option of a select or radio group.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// The input's id (radio buttons).
    pub id: String,
}

/// One tag of an include or exclude list.
#[derive(Debug, Clone)]
pub struct FacetItem {
    pub input_id: String,
    /// `include_work_search[fandom_ids][]`.
    pub param: String,
    pub value: i64,
    /// "Alpha (12)".
    pub label: String,
    pub checked: bool,
    /// One click: include (or exclude) this tag, or take it out again when it is.
    pub toggle_href: String,
    /// What the link does, for its `aria-label` and `title`.
    pub toggle_title: String,
    /// The link's visible text.
    pub toggle_text: &'static str,
}

/// The tags of one kind in an include or exclude list.
#[derive(Debug, Clone)]
pub struct FacetGroup {
    /// `rating`, `archive_warning`, `category`, `fandom`, `character`, `relationship`, `freeform`.
    pub kind: &'static str,
    /// "Ratings", "Warnings", ...
    pub label: &'static str,
    /// `include_rating_tags`: the `dd`'s id.
    pub id: String,
    pub items: Vec<FacetItem>,
}

impl FacetGroup {
    /// Whether any of its tags is in use (its `<details>` starts open then).
    pub fn any_checked(&self) -> bool {
        self.items.iter().any(|i| i.checked)
    }
}

/// The sidebar.
#[derive(Debug, Clone)]
pub struct Sidebar {
    pub action: String,
    pub sorts: Vec<Choice>,
    pub directions: Vec<Choice>,
    pub include: Vec<FacetGroup>,
    pub exclude: Vec<FacetGroup>,
    pub crossover: Vec<Choice>,
    pub complete: Vec<Choice>,
    pub words_from: String,
    pub words_to: String,
    pub revised_at: String,
    pub query: String,
    pub language: String,
    /// "Other tags to include" / "Other tags to exclude", comma-separated names.
    pub other_tags: String,
    pub excluded_tags: String,
    /// Filters without a control here, kept as hidden fields.
    pub hidden: Vec<(String, String)>,
    pub clear_href: String,
}

impl Sidebar {
    /// Whether anything is excluded (the Exclude section starts folded otherwise).
    pub fn any_excluded(&self) -> bool {
        self.exclude.iter().any(FacetGroup::any_checked) || !self.excluded_tags.is_empty()
    }

    /// Whether any of "More Options" is set (the section starts folded otherwise).
    pub fn any_more(&self) -> bool {
        !(self.words_from.is_empty()
            && self.words_to.is_empty()
            && self.revised_at.is_empty()
            && self.query.is_empty()
            && self.language.is_empty()
            && self.other_tags.is_empty()
            && self.excluded_tags.is_empty())
            || self.crossover.iter().skip(1).any(|c| c.selected)
            || self.complete.iter().skip(1).any(|c| c.selected)
    }
}

/// AO3's order of the lists, with the kind's word in ids and URL parameters.
const KINDS: &[(TagKind, &str, &str)] = &[
    (TagKind::Rating, "rating", "Ratings"),
    (TagKind::Warning, "archive_warning", "Warnings"),
    (TagKind::Category, "category", "Categories"),
    (TagKind::Fandom, "fandom", "Fandoms"),
    (TagKind::Character, "character", "Characters"),
    (TagKind::Relationship, "relationship", "Relationships"),
    (TagKind::Freeform, "freeform", "Additional Tags"),
];

/// A tag in a list: its canonical id and its count among the results, when known.
type Listed = (i64, Option<u64>);

/// Whether `t` names the canonical tag `id`.
fn names(graph: &TagGraph, t: &TagId, id: i64) -> bool {
    graph.canonical(t.id) == id
}

fn name_is(graph: &TagGraph, name: &str, id: i64) -> bool {
    graph.by_name(name).map(|n| graph.canonical(n)) == Some(id)
}

/// The filter without tag `id` anywhere in its includes and excludes (page 1).
fn without(filter: &WorkFilter, graph: &TagGraph, id: i64) -> WorkFilter {
    let mut f = filter.with_page(1);
    f.include.retain(|t| !names(graph, t, id));
    f.exclude.retain(|t| !names(graph, t, id));
    f.include_names.retain(|n| !name_is(graph, n, id));
    f.exclude_names.retain(|n| !name_is(graph, n, id));
    f
}

/// Builds the sidebar for results of `filter` with `facets`. `action` is the listing's
/// path; `base` is the tag a tag listing is for (left out of its own lists).
pub fn sidebar(
    action: &str,
    parsed: &Parsed,
    filter: &WorkFilter,
    facets: Option<&Facets>,
    graph: &TagGraph,
    base: Option<i64>,
    total: u64,
) -> Sidebar {
    let included = |id: i64| {
        filter.include.iter().any(|t| names(graph, t, id))
            || filter.include_names.iter().any(|n| name_is(graph, n, id))
    };
    let excluded = |id: i64| {
        filter.exclude.iter().any(|t| names(graph, t, id))
            || filter.exclude_names.iter().any(|n| name_is(graph, n, id))
    };
    // Per kind: (id, count) from the facets, then chosen tags the facets do not list.
    let mut per_kind: Vec<(TagKind, Vec<Listed>)> =
        KINDS.iter().map(|(k, _, _)| (*k, Vec::new())).collect();
    let mut add = |kind: TagKind, id: i64, count: Option<u64>| {
        if Some(id) == base {
            return;
        }
        if let Some((_, list)) = per_kind.iter_mut().find(|(k, _)| *k == kind)
            && !list.iter().any(|(i, _)| *i == id)
        {
            list.push((id, count));
        }
    };
    if let Some(fs) = facets {
        for (kind, counts) in &fs.kinds {
            for c in counts {
                add(*kind, c.id, Some(c.count));
            }
        }
    }
    let mut hidden: Vec<(String, String)> = Vec::new();
    let chosen = filter
        .include
        .iter()
        .map(|t| (t, Some(total)))
        .chain(filter.exclude.iter().map(|t| (t, None)));
    for (t, count) in chosen {
        let id = graph.canonical(t.id);
        match graph.kind(id) {
            Some(kind) => add(kind, id, count),
            None => {
                let side = if count.is_some() {
                    "include"
                } else {
                    "exclude"
                };
                hidden.push((format!("{side}_work_search[tag_ids][]"), t.id.to_string()));
            }
        }
    }

    let group = |side: &str, kind: TagKind, list: &[Listed]| -> Option<FacetGroup> {
        let (_, word, label) = KINDS.iter().find(|(k, _, _)| *k == kind)?;
        if list.is_empty() {
            return None;
        }
        let is_include = side == "include";
        let items = list
            .iter()
            .map(|(id, count)| {
                let name = graph.name(*id).unwrap_or_default();
                let checked = if is_include {
                    included(*id)
                } else {
                    excluded(*id)
                };
                let mut f = without(filter, graph, *id);
                let tag = TagId {
                    kind: Some(kind),
                    id: *id,
                };
                let (toggle_title, toggle_text) = if checked {
                    (format!("Stop filtering by {name}"), "×")
                } else if is_include {
                    f.include.push(tag);
                    (format!("Only works tagged {name}"), "+")
                } else {
                    f.exclude.push(tag);
                    (format!("No works tagged {name}"), "−")
                };
                FacetItem {
                    input_id: format!("{side}_work_search_{word}_ids_{id}"),
                    param: format!("{side}_work_search[{word}_ids][]"),
                    value: *id,
                    label: match count {
                        Some(c) if is_include || !checked => format!("{name} ({})", commas(*c)),
                        _ => name.to_string(),
                    },
                    checked,
                    toggle_href: filter_href(action, &f),
                    toggle_title,
                    toggle_text,
                }
            })
            .collect();
        Some(FacetGroup {
            kind: word,
            label,
            id: format!("{side}_{word}_tags"),
            items,
        })
    };
    let include = per_kind
        .iter()
        .filter_map(|(k, l)| group("include", *k, l))
        .collect();
    let exclude = per_kind
        .iter()
        .filter_map(|(k, l)| group("exclude", *k, l))
        .collect();

    // Filters with no control of their own.
    for (k, v) in filter.to_pairs() {
        let kept = matches!(
            k.as_str(),
            "work_search[any_tag_ids][]"
                | "work_search[max_fandoms]"
                | "work_search[single_chapter]"
                | "work_search[created_at]"
        );
        if kept {
            hidden.push((k, v));
        }
    }

    let (col, dir) = filter.effective_sort();
    let sorts = SortColumn::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str().into(),
            label: s.label().into(),
            selected: *s == col,
            id: String::new(),
        })
        .collect();
    let directions = [("desc", "Descending"), ("asc", "Ascending")]
        .iter()
        .map(|(v, l)| Choice {
            value: (*v).into(),
            label: (*l).into(),
            selected: dir.as_str() == *v,
            id: String::new(),
        })
        .collect();
    let radio = |name: &str, opts: &[(&str, &str, bool)]| -> Vec<Choice> {
        opts.iter()
            .map(|(v, l, sel)| Choice {
                value: (*v).into(),
                label: (*l).into(),
                selected: *sel,
                id: format!(
                    "work_search_{name}_{}",
                    if v.is_empty() { "all" } else { v }
                ),
            })
            .collect()
    };
    let crossover = radio(
        "crossover",
        &[
            (
                "",
                "Include crossovers",
                filter.crossover == Crossover::Include,
            ),
            (
                "F",
                "Exclude crossovers",
                filter.crossover == Crossover::Exclude,
            ),
            ("T", "Only crossovers", filter.crossover == Crossover::Only),
        ],
    );
    let complete = radio(
        "complete",
        &[
            ("", "All works", filter.complete.is_none()),
            ("T", "Complete works only", filter.complete == Some(true)),
            (
                "F",
                "Works in progress only",
                filter.complete == Some(false),
            ),
        ],
    );
    // Text fields show what was typed (so a rejected value is there to correct), else
    // what the filter holds.
    let typed_or = |key: &str, v: Option<String>| {
        let t = parsed.typed(key);
        if t.trim().is_empty() {
            v.unwrap_or_default()
        } else {
            t.to_string()
        }
    };
    let clear = match base {
        Some(_) => WorkFilter::default(),
        None => WorkFilter {
            query: filter.query.clone(),
            ..WorkFilter::default()
        },
    };
    Sidebar {
        action: action.to_string(),
        sorts,
        directions,
        include,
        exclude,
        crossover,
        complete,
        words_from: typed_or(
            "work_search[words_from]",
            filter.words_from.map(|n| n.to_string()),
        ),
        words_to: typed_or(
            "work_search[words_to]",
            filter.words_to.map(|n| n.to_string()),
        ),
        revised_at: typed_or(
            "work_search[revised_at]",
            filter.updated.map(|d| d.to_string()),
        ),
        query: typed_or("work_search[query]", Some(filter.query.clone())),
        language: typed_or("work_search[language_id]", filter.language.clone()),
        other_tags: filter.include_names.join(", "),
        excluded_tags: filter.exclude_names.join(", "),
        hidden,
        clear_href: filter_href(action, &clear),
    }
}
