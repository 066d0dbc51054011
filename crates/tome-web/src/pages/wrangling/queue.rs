//! A fandom's wrangling queue: `GET /tags/{fandom}/wrangle?show=characters&status=
//! unwrangled&sort_column=uses&sort_direction=DESC&page=N` lists the fandom's tags of one
//! kind with their use counts, sortable by name, uses or age; `POST
//! /tags/{fandom}/mass_update` applies one bulk action to the ticked tags (make canonical,
//! make synonym of X, add a fandom, change kind) and shows the queue again with what
//! changed and what was refused. `/tag_wranglings/no_fandom` is the same for tags on
//! works that have no canonical fandom.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tome_model::TagKind;
use tome_store::{BulkAction, BulkReport, QueuePage, QueueQuery, QueueSort, QueueStatus, TagRef};

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser};
use crate::error::WebError;
use crate::format::{commas, iso_date};
use crate::layout::Layout;
use crate::pages::wrangling::{
    FREE_KINDS, QUEUE_KINDS, edit_href, kind_heading, kind_param, must_wrangle, wrangle_href,
};
use crate::pages::{QueryPairs, query_value, render, render_status};
use crate::views::{TagLink, tag_href};

/// Tags per queue page.
pub const PER_PAGE: u32 = 50;

/// Whose queue: a canonical fandom's, or that of tags on works without one.
#[derive(Debug, Clone)]
pub enum Scope {
    Fandom(TagRef),
    NoFandom,
}

impl Scope {
    fn fandom_id(&self) -> Option<i64> {
        match self {
            Scope::Fandom(f) => Some(f.id),
            Scope::NoFandom => None,
        }
    }

    fn title(&self) -> String {
        match self {
            Scope::Fandom(f) => f.name.clone(),
            Scope::NoFandom => "No Fandom".into(),
        }
    }

    /// The queue's own path.
    fn path(&self) -> String {
        match self {
            Scope::Fandom(f) => wrangle_href(&f.name),
            Scope::NoFandom => "/tag_wranglings/no_fandom".into(),
        }
    }

    /// Where its bulk form posts.
    fn action(&self) -> String {
        match self {
            Scope::Fandom(f) => format!("/tags/{}/mass_update", tome_model::tag_to_path(&f.name)),
            Scope::NoFandom => "/tag_wranglings/no_fandom/mass_update".into(),
        }
    }
}

/// What the queue shows: the parsed query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub kind: TagKind,
    pub status: QueueStatus,
    pub sort: QueueSort,
    pub descending: bool,
    pub page: u32,
}

const STATUSES: [(QueueStatus, &str, &str); 5] = [
    (QueueStatus::Unwrangled, "unwrangled", "Unwrangled"),
    (QueueStatus::Unfilterable, "unfilterable", "Unfilterable"),
    (QueueStatus::Canonical, "canonical", "Canonical"),
    (QueueStatus::Synonym, "synonymous", "Synonymous"),
    (QueueStatus::All, "all", "All"),
];

const SORTS: [(QueueSort, &str, &str); 3] = [
    (QueueSort::Name, "name", "Name"),
    (QueueSort::Uses, "uses", "Uses"),
    (QueueSort::CreatedAt, "created_at", "Created"),
];

impl View {
    /// Reads `show`, `status`, `sort_column`, `sort_direction` and `page`; anything
    /// missing or unknown takes its default (unwrangled characters, most used first).
    pub fn parse(q: &[(String, String)], scope: &Scope) -> View {
        let default_kind = match scope {
            Scope::Fandom(_) => TagKind::Character,
            Scope::NoFandom => TagKind::Fandom,
        };
        let kind = query_value(q, "show")
            .and_then(|s| QUEUE_KINDS.iter().find(|(_, p, _)| *p == s))
            .map(|(k, _, _)| *k)
            .filter(|k| *k != TagKind::Fandom || matches!(scope, Scope::NoFandom))
            .unwrap_or(default_kind);
        let status = query_value(q, "status")
            .and_then(|s| STATUSES.iter().find(|(_, p, _)| *p == s))
            .map_or(QueueStatus::Unwrangled, |(st, _, _)| *st);
        let sort = query_value(q, "sort_column")
            .and_then(|s| SORTS.iter().find(|(_, p, _)| *p == s))
            .map_or(QueueSort::Uses, |(so, _, _)| *so);
        let descending = match query_value(q, "sort_direction") {
            Some(d) if d.eq_ignore_ascii_case("asc") => false,
            Some(d) if d.eq_ignore_ascii_case("desc") => true,
            _ => default_descending(sort),
        };
        View {
            kind,
            status,
            sort,
            descending,
            page: crate::pages::page_number(q),
        }
    }

    fn status_param(self) -> &'static str {
        STATUSES
            .iter()
            .find(|(s, _, _)| *s == self.status)
            .map_or("unwrangled", |(_, p, _)| p)
    }

    fn sort_param(self) -> &'static str {
        SORTS
            .iter()
            .find(|(s, _, _)| *s == self.sort)
            .map_or("uses", |(_, p, _)| p)
    }

    /// The query string of this view.
    fn query(self) -> String {
        let mut q = format!(
            "show={}&status={}&sort_column={}&sort_direction={}",
            kind_param(self.kind),
            self.status_param(),
            self.sort_param(),
            if self.descending { "DESC" } else { "ASC" }
        );
        if self.page > 1 {
            q.push_str(&format!("&page={}", self.page));
        }
        q
    }

    fn query_struct(self, fandom_id: Option<i64>) -> QueueQuery {
        QueueQuery {
            fandom_id,
            kind: Some(self.kind),
            status: self.status,
            sort: self.sort,
            descending: self.descending,
            page: self.page,
            per_page: PER_PAGE,
        }
    }
}

/// Names sort A to Z first; counts and dates biggest/newest first.
fn default_descending(sort: QueueSort) -> bool {
    !matches!(sort, QueueSort::Name)
}

/// A tab or sortable column header link.
pub struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// A sortable column's header.
pub struct SortHeader {
    pub label: &'static str,
    pub href: String,
    /// `ascending`/`descending` for the current sort column (aria-sort), else empty.
    pub aria_sort: &'static str,
}

/// One tag in the queue.
pub struct QueueRow {
    pub id: i64,
    pub name: String,
    pub edit_href: String,
    pub href: String,
    pub canonical: bool,
    pub merger: Option<TagLink>,
    pub fandoms: Vec<TagLink>,
    pub uses: String,
    pub created: String,
    pub checked: bool,
}

/// What the bulk form had typed (kept when it is shown again).
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// `canonical`, `synonym`, `fandom` or `kind` (the chosen radio button), or empty.
    pub action: String,
    pub syn_string: String,
    pub fandom_string: String,
    pub new_kind: String,
    pub selected: Vec<i64>,
}

/// The outcome of a bulk action, as shown above the queue.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// What was done ("Made 2 tags canonical: A, B.").
    pub notice: Option<String>,
    /// Why the action as a whole was refused.
    pub error: Option<String>,
    /// Tags refused one by one: (name, why).
    pub refused: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "wrangling/queue.html")]
pub struct QueueTemplate {
    pub l: Layout,
    pub heading: String,
    pub fandom_href: Option<String>,
    pub action: String,
    pub kinds: Vec<Tab>,
    pub statuses: Vec<Tab>,
    pub columns: Vec<SortHeader>,
    pub kind_heading: &'static str,
    pub rows: Vec<QueueRow>,
    pub summary: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The view, carried through the bulk form so its result shows the same queue.
    pub hidden: Vec<(&'static str, String)>,
    /// The autocomplete kind of the synonym field (the queue's kind).
    pub autocomplete_kind: &'static str,
    pub kind_options: Vec<(&'static str, &'static str, bool)>,
    pub typed: Typed,
    pub outcome: Outcome,
}

/// `GET /tags/{fandom}/wrangle`.
pub async fn show(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(fandom): Path<String>,
    query: QueryPairs,
) -> Result<Response, WebError> {
    must_wrangle(&user)?;
    let scope = fandom_scope(&state, &fandom).await?;
    show_scope(&state, &scope, &query).await
}

/// `GET /tag_wranglings/no_fandom`.
pub async fn show_no_fandom(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    query: QueryPairs,
) -> Result<Response, WebError> {
    must_wrangle(&user)?;
    show_scope(&state, &Scope::NoFandom, &query).await
}

/// A queue page as asked for, with nothing typed yet.
async fn show_scope(
    state: &AppState,
    scope: &Scope,
    query: &QueryPairs,
) -> Result<Response, WebError> {
    let view = View::parse(query, scope);
    let page = load(state, scope, view).await?;
    render(&page_template(
        state,
        scope,
        view,
        &page,
        Typed::default(),
        Outcome::default(),
    ))
}

/// `POST /tags/{fandom}/mass_update`.
pub async fn mass_update(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(fandom): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    must_wrangle(&user)?;
    let scope = fandom_scope(&state, &fandom).await?;
    bulk(&state, user.id, &scope, &form).await
}

/// `POST /tag_wranglings/no_fandom/mass_update`.
pub async fn mass_update_no_fandom(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    must_wrangle(&user)?;
    bulk(&state, user.id, &Scope::NoFandom, &form).await
}

/// The canonical fandom a path names (a synonym's queue is its canonical fandom's).
async fn fandom_scope(state: &AppState, segment: &str) -> Result<Scope, WebError> {
    let t = crate::pages::tag::find(state, segment).await?;
    if t.kind != TagKind::Fandom {
        return Err(WebError::NotFound);
    }
    let t = match t.merger {
        Some(m) => m,
        None => TagRef {
            id: t.id,
            kind: t.kind,
            name: t.name,
        },
    };
    Ok(Scope::Fandom(t))
}

async fn load(state: &AppState, scope: &Scope, view: View) -> Result<QueuePage, WebError> {
    let page = state
        .store()
        .wrangling_queue(&view.query_struct(scope.fandom_id()))
        .await?;
    if view.page > 1 && page.tags.is_empty() {
        return Err(WebError::NotFound);
    }
    Ok(page)
}

/// Reads the bulk form, applies it, and shows the queue again with the outcome (422 when
/// anything was refused, with the form as typed).
async fn bulk(
    state: &AppState,
    by: i64,
    scope: &Scope,
    form: &[(String, String)],
) -> Result<Response, WebError> {
    let view = View::parse(form, scope);
    let field = |name: &str| query_value(form, name).unwrap_or("").trim().to_string();
    let mut typed = Typed {
        action: field("bulk_action"),
        syn_string: field("syn_string"),
        fandom_string: field("fandom_string"),
        new_kind: field("new_kind"),
        selected: form
            .iter()
            .filter(|(k, _)| k == "selected_tags[]" || k == "selected_tags")
            .filter_map(|(_, v)| v.trim().parse::<i64>().ok())
            .collect(),
    };
    // The names of the ticked tags, from the queue page they were ticked on.
    let before = state
        .store()
        .wrangling_queue(&view.query_struct(scope.fandom_id()))
        .await?;
    if typed.action.is_empty() {
        typed.action = implied_action(&typed).to_string();
    }
    let action = match parse_action(&typed) {
        Ok(a) => a,
        Err(msg) => return refused_page(state, scope, view, typed, msg).await,
    };
    if typed.selected.is_empty() {
        return refused_page(state, scope, view, typed, "Choose at least one tag.".into()).await;
    }
    let report = match state
        .store()
        .bulk_wrangle(by, &typed.selected, &action)
        .await
        .inspect(|_| state.pages().tags_changed())
    {
        Ok(r) => r,
        Err(tome_store::StoreError::Invalid(msg)) => {
            return refused_page(state, scope, view, typed, msg).await;
        }
        Err(e) => return Err(e.into()),
    };
    let names: Vec<String> = typed
        .selected
        .iter()
        .filter_map(|id| before.tags.iter().find(|t| t.id == *id))
        .map(|t| t.name.clone())
        .filter(|n| !report.refused.iter().any(|(r, _)| r == n))
        .collect();
    let outcome = Outcome {
        notice: Some(notice(&action, &report, &names)),
        error: None,
        refused: report.refused.clone(),
    };
    let mut kept = Typed::default();
    if !report.refused.is_empty() {
        // The refused tags stay ticked and the typed values stay, to fix and retry.
        kept = typed.clone();
        kept.selected.retain(|id| {
            before
                .tags
                .iter()
                .find(|t| t.id == *id)
                .is_some_and(|t| report.refused.iter().any(|(n, _)| *n == t.name))
        });
    }
    let page = reload(state, scope, view).await?;
    let tpl = page_template(state, scope, view, &page, kept, outcome);
    if report.refused.is_empty() {
        render(&tpl)
    } else {
        render_status(StatusCode::UNPROCESSABLE_ENTITY, &tpl)
    }
}

/// The queue after a change: the same view, or its last page when the change emptied it.
async fn reload(state: &AppState, scope: &Scope, mut view: View) -> Result<QueuePage, WebError> {
    loop {
        let page = state
            .store()
            .wrangling_queue(&view.query_struct(scope.fandom_id()))
            .await?;
        if view.page <= 1 || !page.tags.is_empty() {
            return Ok(page);
        }
        view.page -= 1;
    }
}

async fn refused_page(
    state: &AppState,
    scope: &Scope,
    view: View,
    typed: Typed,
    message: String,
) -> Result<Response, WebError> {
    let page = reload(state, scope, view).await?;
    let outcome = Outcome {
        notice: None,
        error: Some(message),
        refused: Vec::new(),
    };
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page_template(state, scope, view, &page, typed, outcome),
    )
}

/// The action a form without a chosen radio button means: the one field filled in, if
/// exactly one is.
fn implied_action(typed: &Typed) -> &'static str {
    let filled = [
        (!typed.syn_string.is_empty(), "synonym"),
        (!typed.fandom_string.is_empty(), "fandom"),
        (!typed.new_kind.is_empty(), "kind"),
    ];
    let mut chosen = filled.iter().filter(|(f, _)| *f).map(|(_, a)| *a);
    match (chosen.next(), chosen.next()) {
        (Some(a), None) => a,
        _ => "",
    }
}

/// The bulk action the form asks for, or why it cannot be done.
fn parse_action(typed: &Typed) -> Result<BulkAction, String> {
    match typed.action.as_str() {
        "canonical" => Ok(BulkAction::MakeCanonical),
        "synonym" if typed.syn_string.is_empty() => {
            Err("Enter the canonical tag to make the chosen tags synonyms of.".into())
        }
        "synonym" => Ok(BulkAction::MakeSynonymOf(typed.syn_string.clone())),
        "fandom" if typed.fandom_string.is_empty() => {
            Err("Enter the fandom to add to the chosen tags.".into())
        }
        "fandom" => Ok(BulkAction::AddFandom(typed.fandom_string.clone())),
        "kind" => TagKind::parse(&typed.new_kind)
            .filter(|k| FREE_KINDS.contains(k))
            .map(BulkAction::SetKind)
            .ok_or_else(|| "Choose the kind to change the chosen tags to.".into()),
        _ => Err("Choose what to do with the chosen tags.".into()),
    }
}

/// "Made 2 tags synonyms of X: A, B." and the like.
fn notice(action: &BulkAction, report: &BulkReport, names: &[String]) -> String {
    let n = report.changed;
    let tags = if n == 1 { "tag" } else { "tags" };
    let what = match action {
        BulkAction::MakeCanonical => format!("Made {n} {tags} canonical"),
        BulkAction::MakeSynonymOf(c) => {
            let syn = if n == 1 { "a synonym" } else { "synonyms" };
            format!("Made {n} {tags} {syn} of {c}")
        }
        BulkAction::AddFandom(f) => format!("Added the fandom {f} to {n} {tags}"),
        BulkAction::SetKind(k) => {
            format!("Changed {n} {tags} to {}", kind_heading(*k))
        }
    };
    if names.is_empty() || n == 0 {
        format!("{what}.")
    } else {
        format!("{what}: {}.", names.join(", "))
    }
}

fn page_template(
    state: &AppState,
    scope: &Scope,
    view: View,
    page: &QueuePage,
    typed: Typed,
    outcome: Outcome,
) -> QueueTemplate {
    let path = scope.path();
    let link = |v: View| format!("{path}?{}", v.query());
    let kinds = QUEUE_KINDS
        .iter()
        .filter(|(k, _, _)| *k != TagKind::Fandom || matches!(scope, Scope::NoFandom))
        .map(|(k, _, label)| Tab {
            label: label.to_string(),
            href: link(View {
                kind: *k,
                page: 1,
                ..view
            }),
            current: *k == view.kind,
        })
        .collect();
    let statuses = STATUSES
        .iter()
        .map(|(s, _, label)| Tab {
            label: label.to_string(),
            href: link(View {
                status: *s,
                page: 1,
                ..view
            }),
            current: *s == view.status,
        })
        .collect();
    let columns = SORTS
        .iter()
        .map(|(s, _, label)| {
            let current = *s == view.sort;
            SortHeader {
                label,
                href: link(View {
                    sort: *s,
                    descending: if current {
                        !view.descending
                    } else {
                        default_descending(*s)
                    },
                    page: 1,
                    ..view
                }),
                aria_sort: match (current, view.descending) {
                    (false, _) => "",
                    (true, true) => "descending",
                    (true, false) => "ascending",
                },
            }
        })
        .collect();
    let rows = page
        .tags
        .iter()
        .map(|t| QueueRow {
            id: t.id,
            name: t.name.clone(),
            edit_href: edit_href(&t.name),
            href: tag_href(&t.name),
            canonical: t.canonical,
            merger: t.merger.as_ref().map(TagLink::info),
            fandoms: t.fandoms.iter().map(TagLink::info).collect(),
            uses: commas(t.uses),
            created: iso_date(t.created_at),
            checked: typed.selected.contains(&t.id),
        })
        .collect();
    let pages = page.total.div_ceil(u64::from(PER_PAGE)).max(1);
    let first = u64::from(view.page.max(1) - 1) * u64::from(PER_PAGE);
    let summary = if page.tags.is_empty() {
        "No tags here.".to_string()
    } else {
        format!(
            "{} - {} of {} tags",
            commas(first + 1),
            commas(first + page.tags.len() as u64),
            commas(page.total)
        )
    };
    let prev = (view.page > 1).then(|| {
        link(View {
            page: view.page - 1,
            ..view
        })
    });
    let next = (u64::from(view.page) < pages).then(|| {
        link(View {
            page: view.page + 1,
            ..view
        })
    });
    let hidden = vec![
        ("show", kind_param(view.kind).to_string()),
        ("status", view.status_param().to_string()),
        ("sort_column", view.sort_param().to_string()),
        (
            "sort_direction",
            if view.descending { "DESC" } else { "ASC" }.to_string(),
        ),
        ("page", view.page.to_string()),
    ];
    let kind_options = FREE_KINDS
        .iter()
        .map(|k| (k.as_str(), kind_heading(*k), typed.new_kind == k.as_str()))
        .collect();
    let heading = scope.title();
    QueueTemplate {
        l: Layout::new(
            state,
            format!("{heading} - Wrangle {}", kind_heading(view.kind)),
        ),
        fandom_href: match scope {
            Scope::Fandom(f) => Some(tag_href(&f.name)),
            Scope::NoFandom => None,
        },
        heading,
        action: scope.action(),
        kinds,
        statuses,
        columns,
        kind_heading: kind_heading(view.kind),
        rows,
        summary,
        prev,
        next,
        hidden,
        autocomplete_kind: view.kind.as_str(),
        kind_options,
        typed,
        outcome,
    }
}
