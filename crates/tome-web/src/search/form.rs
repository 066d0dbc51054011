//! AO3's "Work Search" form as a view: every field filled with what the reader typed, so a
//! rejected search comes back ready to correct.

use tome_model::filter::SortColumn;
use tome_model::{Category, Rating, Warning};
use tome_store::TagGraph;

use super::params::Parsed;
use super::sidebar::Choice;

/// A checkbox of the warnings or categories lists.
#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub value: i64,
    pub label: &'static str,
    pub checked: bool,
}

/// The search form's fields.
#[derive(Debug, Clone)]
pub struct SearchForm {
    pub query: String,
    pub title: String,
    pub creators: String,
    pub revised_at: String,
    pub complete: Vec<Choice>,
    pub crossover: Vec<Choice>,
    pub single_chapter: bool,
    pub words_from: String,
    pub words_to: String,
    pub language: String,
    pub fandoms: String,
    pub ratings: Vec<Choice>,
    pub warnings: Vec<Check>,
    pub categories: Vec<Check>,
    pub characters: String,
    pub relationships: String,
    pub freeforms: String,
    pub sorts: Vec<Choice>,
    pub directions: Vec<Choice>,
}

fn choices(typed: &str, opts: &[(&str, &str)]) -> Vec<Choice> {
    opts.iter()
        .map(|(v, l)| Choice {
            value: (*v).into(),
            label: (*l).into(),
            selected: typed == *v,
            id: String::new(),
        })
        .collect()
}

/// The form as typed (`parsed` may be empty: a blank form). Rating, warning and category
/// choices are the archive's own tags (ids from the tag graph).
pub fn search_form(parsed: &Parsed, graph: &TagGraph) -> SearchForm {
    let t = |k: &str| parsed.typed(k).to_string();
    let checks = |key: &str, prefix: &str, names: Vec<&'static str>| -> Vec<Check> {
        let chosen = parsed.typed_all(key);
        names
            .into_iter()
            .filter_map(|name| {
                let id = graph.by_name(name)?;
                Some(Check {
                    id: format!("work_search_{prefix}_ids_{id}"),
                    value: id,
                    label: name,
                    checked: chosen.iter().any(|c| c.trim() == id.to_string()),
                })
            })
            .collect()
    };
    let rating_typed = t("work_search[rating_ids]");
    let mut ratings = vec![Choice {
        value: String::new(),
        label: String::new(),
        selected: rating_typed.is_empty(),
        id: String::new(),
    }];
    for r in Rating::ALL {
        if let Some(id) = graph.by_name(r.name()) {
            ratings.push(Choice {
                value: id.to_string(),
                label: r.name().into(),
                selected: rating_typed == id.to_string(),
                id: String::new(),
            });
        }
    }
    let sort_typed = t("work_search[sort_column]");
    let mut sort_opts: Vec<(&str, &str)> = SortColumn::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect();
    sort_opts.insert(0, ("", ""));
    let mut sorts = choices(&sort_typed, &sort_opts);
    if let Some(c) = sorts.first_mut() {
        c.label = "Best Match (with words) or Date Updated".into();
    }
    let single = parsed.typed("work_search[single_chapter]");
    SearchForm {
        query: t("work_search[query]"),
        title: t("work_search[title]"),
        creators: t("work_search[creators]"),
        revised_at: t("work_search[revised_at]"),
        complete: choices(
            &t("work_search[complete]"),
            &[
                ("", "All works"),
                ("T", "Complete works only"),
                ("F", "Works in progress only"),
            ],
        ),
        crossover: choices(
            &t("work_search[crossover]"),
            &[
                ("", "Include crossovers"),
                ("F", "Exclude crossovers"),
                ("T", "Only crossovers"),
            ],
        ),
        single_chapter: matches!(single, "1" | "T" | "true"),
        words_from: t("work_search[words_from]"),
        words_to: t("work_search[words_to]"),
        language: t("work_search[language_id]"),
        fandoms: t("work_search[fandom_names]"),
        ratings,
        warnings: checks(
            "work_search[archive_warning_ids][]",
            "archive_warning",
            Warning::ALL.iter().map(|w| w.name()).collect(),
        ),
        categories: checks(
            "work_search[category_ids][]",
            "category",
            Category::ALL.iter().map(|c| c.name()).collect(),
        ),
        characters: t("work_search[character_names]"),
        relationships: t("work_search[relationship_names]"),
        freeforms: t("work_search[freeform_names]"),
        sorts,
        directions: choices(
            &t("work_search[sort_direction]"),
            &[("", ""), ("desc", "Descending"), ("asc", "Ascending")],
        ),
    }
}
