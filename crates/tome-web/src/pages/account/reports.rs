//! `/orphans/new?work_id=ID` and `POST /orphans` (orphan one's work), `/abuse_reports/new`
//! and `POST /abuse_reports` (report to the moderators), `/admin/abuse_reports` (the
//! moderators' queue) and `POST /admin/abuse_reports/{id}/resolve`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::reports::{self, ReportInput};
use crate::accounts::{AccountError, CsrfForm, FieldErrors, RequireUser, Viewer};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::responding::see_other;
use crate::pages::{QueryPairs, parse_id, query_value, render, render_status};

#[derive(Template)]
#[template(path = "account/orphan.html")]
pub struct OrphanTemplate {
    pub l: Layout,
    pub work_id: i64,
    pub work_title: String,
}

/// `GET /orphans/new?work_id=ID`: what orphaning means, and the choice of pseud.
pub async fn new_orphan(
    State(state): State<AppState>,
    RequireUser(_user): RequireUser,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let work_id = parse_id(query_value(&query, "work_id").unwrap_or(""))?;
    let work = reports::orphanable_work(&state, &viewer, work_id).await?;
    render(&OrphanTemplate {
        l: Layout::new(&state, "Orphan Work"),
        work_id,
        work_title: work.title,
    })
}

#[derive(Debug, Deserialize)]
pub struct OrphanForm {
    #[serde(default)]
    pub work_id: String,
    /// AO3's `use_default`: `true` takes the pseud off too, `false` leaves a copy.
    #[serde(default)]
    pub use_default: String,
}

/// `POST /orphans`.
pub async fn orphan(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<OrphanForm>,
) -> Result<Response, WebError> {
    let work_id = parse_id(form.work_id.trim())?;
    let keep_pseud = form.use_default.trim() == "false";
    reports::orphan(&state, &viewer, &user, work_id, keep_pseud).await?;
    Ok(see_other(&format!("/works/{work_id}")))
}

#[derive(Template)]
#[template(path = "account/report.html")]
pub struct ReportTemplate {
    pub l: Layout,
    pub url: String,
    pub summary: String,
    pub comment: String,
    pub email: String,
    pub guest: bool,
    pub sent: bool,
    pub errors: FieldErrors,
}

fn report_page(
    state: &AppState,
    viewer: &Viewer,
    v: &ReportInput,
    sent: bool,
    errors: FieldErrors,
) -> ReportTemplate {
    ReportTemplate {
        l: Layout::new(state, "Report Abuse"),
        url: v.url.clone(),
        summary: v.summary.clone(),
        comment: v.comment.clone(),
        email: v.email.clone(),
        guest: viewer.user.is_none(),
        sent,
        errors,
    }
}

/// `GET /abuse_reports/new?url=…`.
pub async fn new_report(
    State(state): State<AppState>,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let v = ReportInput {
        url: query_value(&query, "url").unwrap_or("").to_string(),
        ..ReportInput::default()
    };
    render(&report_page(
        &state,
        &viewer,
        &v,
        false,
        FieldErrors::default(),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    #[serde(rename = "abuse_report[url]", default)]
    pub url: String,
    #[serde(rename = "abuse_report[summary]", default)]
    pub summary: String,
    #[serde(rename = "abuse_report[comment]", default)]
    pub comment: String,
    #[serde(rename = "abuse_report[email]", default)]
    pub email: String,
}

/// `POST /abuse_reports`: filed, and the page says so; refused fields come back.
pub async fn create_report(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> Result<Response, WebError> {
    let v = ReportInput {
        url: form.url,
        summary: form.summary,
        comment: form.comment,
        email: form.email,
    };
    match reports::report(&state, &viewer, &v).await {
        Ok(_) => render(&report_page(
            &state,
            &viewer,
            &ReportInput::default(),
            true,
            FieldErrors::default(),
        )),
        Err(AccountError::Invalid(errors)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &report_page(&state, &viewer, &v, false, errors),
        ),
        Err(e) => Err(e.into()),
    }
}

/// A report as the queue shows it.
pub struct ReportRow {
    pub id: i64,
    pub url: String,
    /// The address as a link when it is a local path or an http(s) URL.
    pub href: Option<String>,
    pub summary: String,
    pub comment: String,
    pub reporter: String,
    pub date: String,
    pub resolved: bool,
}

#[derive(Template)]
#[template(path = "moderation/abuse_reports.html")]
pub struct QueueTemplate {
    pub l: Layout,
    pub reports: Vec<ReportRow>,
    pub all: bool,
}

/// `GET /admin/abuse_reports` (`?all=1` with the resolved ones).
pub async fn queue(
    State(state): State<AppState>,
    RequireUser(_user): RequireUser,
    viewer: Viewer,
    query: QueryPairs,
) -> Result<Response, WebError> {
    let all = query_value(&query, "all").is_some_and(|v| v == "1");
    let rows = reports::queue(&state, &viewer, all).await?;
    let reports = rows
        .into_iter()
        .map(|r| ReportRow {
            id: r.id,
            href: (r.url.starts_with('/') && !r.url.starts_with("//")
                || r.url.starts_with("https://")
                || r.url.starts_with("http://"))
            .then(|| r.url.clone()),
            url: r.url,
            summary: r.summary,
            comment: r.comment,
            reporter: match (r.reporter_login, r.email) {
                (Some(l), _) => l,
                (None, Some(e)) => format!("Guest ({e})"),
                (None, None) => "Guest".into(),
            },
            date: crate::posting::date_of(r.created_at),
            resolved: r.resolved_at.is_some(),
        })
        .collect();
    render(&QueueTemplate {
        l: Layout::new(&state, "Abuse Reports"),
        reports,
        all,
    })
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// `POST /admin/abuse_reports/{id}/resolve`.
pub async fn resolve(
    State(state): State<AppState>,
    RequireUser(_user): RequireUser,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    reports::resolve(&state, &viewer, id).await?;
    Ok(see_other("/admin/abuse_reports"))
}
