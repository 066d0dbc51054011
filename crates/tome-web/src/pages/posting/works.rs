//! The work forms: `/works/new` (POST `/works`: preview, save as draft, post),
//! `/works/ID/edit` (POST `/works/ID`), deletion with a confirmation page, posting a
//! draft, and filling the new-work form from an uploaded file.
//!
//! Tag suggestions: an upload fills the new-work form's tag fields with the tags the file
//! names plus the canonical tags suggested from the archive's wrangled vocabulary, and
//! the "Suggest tags" button (`suggest` in the POST to `/works`) does the same for what
//! is typed; either way the form lists each suggestion with its evidence and nothing is
//! saved.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use tome_model::{Category, Rating, Warning};
use tome_store::{ChapterInput, SeriesRef, WorkEdit, WorkInput};

use crate::AppState;
use crate::accounts::{FORM_EXPIRED, FieldErrors, RequestAuth, RequireUser, SessionUser};
use crate::error::WebError;
use crate::layout::Layout;
use crate::pages::account::login::see_other;
use crate::pages::posting::{commit, read_form};
use crate::pages::{parse_id, render, render_status};
use crate::posting::multipart;
use crate::posting::suggesting::{self, SuggestedTag};
use crate::posting::{WorkFormValues, editable, field, values_from_import};

/// A checkbox or radio choice.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// What readers will see, shown before anything is saved.
pub struct Preview {
    pub title: String,
    pub creators: Vec<String>,
    pub rating: String,
    pub warnings: Vec<String>,
    pub categories: Vec<String>,
    pub tags: Vec<(String, Vec<String>)>,
    pub summary_html: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    pub chapters: Vec<PreviewChapter>,
    pub words: u64,
}

pub struct PreviewChapter {
    pub position: usize,
    pub title: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    pub body_html: String,
}

#[derive(Template)]
#[template(path = "posting/work_form.html")]
pub struct WorkFormTemplate {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    /// `Some` when editing.
    pub work_id: Option<i64>,
    /// Editing a draft: the page offers to post it.
    pub draft: bool,
    pub v: WorkFormValues,
    pub errors: FieldErrors,
    /// A message over the form (an expired form, a file that could not be read).
    pub message: Option<String>,
    pub pseuds: Vec<Choice>,
    pub ratings: Vec<Choice>,
    pub warnings: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub series: Vec<Choice>,
    pub formats: Vec<Choice>,
    pub preview: Option<Preview>,
    /// Tags suggested from the vocabulary, with their evidence (new works).
    pub suggested: Vec<SuggestedTag>,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(tome_text::sanitize_html)
}

/// The preview of validated input: the same sanitized HTML the work page prints.
pub fn preview(
    w: &WorkInput,
    chapters: &[ChapterInput],
    names: Vec<String>,
    offset: usize,
) -> Preview {
    use tome_model::TagKind;
    let tags = [
        (TagKind::Fandom, "Fandom"),
        (TagKind::Relationship, "Relationship"),
        (TagKind::Character, "Characters"),
        (TagKind::Freeform, "Additional Tags"),
    ]
    .into_iter()
    .map(|(k, label)| {
        (
            label.to_string(),
            w.tags
                .iter()
                .filter(|(kk, _)| *kk == k)
                .map(|(_, n)| n.clone())
                .collect::<Vec<_>>(),
        )
    })
    .filter(|(_, v)| !v.is_empty())
    .collect();
    Preview {
        title: w.title.clone(),
        creators: if w.anonymous {
            vec!["Anonymous".into()]
        } else {
            names
        },
        rating: w.rating.unwrap_or(Rating::NotRated).name().to_string(),
        warnings: w.warnings.iter().map(|x| x.name().to_string()).collect(),
        categories: w.categories.iter().map(|x| x.name().to_string()).collect(),
        tags,
        summary_html: clean(&w.summary.html),
        notes_begin_html: clean(&w.notes_begin.html),
        notes_end_html: clean(&w.notes_end.html),
        words: chapters.iter().map(|c| c.word_count).sum(),
        chapters: chapters
            .iter()
            .enumerate()
            .map(|(i, c)| PreviewChapter {
                position: offset + i + 1,
                title: c.title.clone(),
                notes_begin_html: clean(&c.notes_begin.html),
                notes_end_html: clean(&c.notes_end.html),
                body_html: tome_text::sanitize_html(c.body.html.as_deref().unwrap_or("")),
            })
            .collect(),
    }
}

/// Everything a work form needs besides the values.
pub struct FormCtx {
    pub work: Option<WorkEdit>,
    pub series: Vec<SeriesRef>,
}

impl FormCtx {
    pub async fn load(
        state: &AppState,
        user: &SessionUser,
        work: Option<WorkEdit>,
    ) -> Result<FormCtx, WebError> {
        Ok(FormCtx {
            series: state.store().series_of_user(user.id).await?,
            work,
        })
    }
}

fn choices<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    checked: &[String],
) -> Vec<Choice> {
    all.iter()
        .map(|x| Choice {
            value: value(*x).to_string(),
            label: label(*x).to_string(),
            checked: checked.iter().any(|c| c == value(*x)),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub fn form_page(
    state: &AppState,
    user: &SessionUser,
    ctx: &FormCtx,
    v: WorkFormValues,
    errors: FieldErrors,
    message: Option<String>,
    preview: Option<Preview>,
) -> WorkFormTemplate {
    let mut pseuds: Vec<Choice> = user
        .pseuds
        .iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name.clone(),
            checked: v.pseud_ids.contains(&p.id.to_string()),
        })
        .collect();
    if let Some(w) = &ctx.work {
        for p in &w.creators {
            if !user.pseuds.iter().any(|o| o.id == p.id) {
                pseuds.push(Choice {
                    value: p.id.to_string(),
                    label: format!("{} ({})", p.name, p.login),
                    checked: v.pseud_ids.contains(&p.id.to_string()),
                });
            }
        }
    }
    let mut series = vec![Choice {
        value: String::new(),
        label: "None".into(),
        checked: v.series.is_empty(),
    }];
    series.extend(ctx.series.iter().map(|s| Choice {
        value: s.id.to_string(),
        label: s.title.clone(),
        checked: v.series == s.id.to_string(),
    }));
    series.push(Choice {
        value: "new".into(),
        label: "New series:".into(),
        checked: v.series == "new",
    });
    let formats = [("html", "Rich text (HTML)"), ("markdown", "Markdown")]
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.into(),
            label: label.into(),
            checked: v.text_format == value,
        })
        .collect();
    let (heading, action) = match &ctx.work {
        Some(w) => (
            format!("Edit Work: {}", w.input.title),
            format!("/works/{}", w.id),
        ),
        None => ("Post New Work".to_string(), "/works".to_string()),
    };
    WorkFormTemplate {
        l: Layout::new(state, heading.clone()),
        heading,
        action,
        work_id: ctx.work.as_ref().map(|w| w.id),
        draft: ctx.work.as_ref().is_some_and(|w| w.draft),
        ratings: choices(
            Rating::ALL,
            Rating::as_str,
            Rating::name,
            std::slice::from_ref(&v.rating),
        ),
        warnings: choices(Warning::ALL, Warning::as_str, Warning::name, &v.warnings),
        categories: choices(
            Category::ALL,
            Category::as_str,
            Category::name,
            &v.categories,
        ),
        pseuds,
        series,
        formats,
        v,
        errors,
        message,
        preview,
        suggested: Vec::new(),
    }
}

/// `GET /works/new`.
pub async fn new(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
) -> Result<Response, WebError> {
    let ctx = FormCtx::load(&state, &user, None).await?;
    let mut v = WorkFormValues::blank(&user);
    // The member's preferred text format (Preferences) is the form's.
    v.text_format = crate::accounts::profile::default_text_format(&state, user.id).await?;
    render(&form_page(
        &state,
        &user,
        &ctx,
        v,
        FieldErrors::default(),
        None,
        None,
    ))
}

/// What the "Suggest tags" button says when nothing is found.
pub const NOTHING_TO_SUGGEST: &str =
    "No tags to suggest yet: the archive's tags are not named in what you typed.";

/// `POST /works`: suggest tags, preview, save as a draft, or post.
pub async fn create(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    body: Bytes,
) -> Result<Response, WebError> {
    let (pairs, csrf_ok) = read_form(&auth, &body)?;
    let mut v = WorkFormValues::from_pairs(&pairs);
    if v.chapters.is_empty() {
        v.chapters.push(Default::default());
    }
    let ctx = FormCtx::load(&state, &user, None).await?;
    if !csrf_ok {
        return render_status(
            StatusCode::FORBIDDEN,
            &form_page(
                &state,
                &user,
                &ctx,
                v,
                FieldErrors::default(),
                Some(FORM_EXPIRED.into()),
                None,
            ),
        );
    }
    if !field(&pairs, "suggest").is_empty() {
        let vocab = state.vocabulary().await?;
        let suggested = suggesting::suggest_for_form(&mut v, &vocab);
        let message = suggested.is_empty().then(|| NOTHING_TO_SUGGEST.to_string());
        let mut page = form_page(
            &state,
            &user,
            &ctx,
            v,
            FieldErrors::default(),
            message,
            None,
        );
        page.suggested = suggested;
        return render(&page);
    }
    let store = state.store();
    let (input, chapters) = match v.validate(store, &user.pseuds, &[], &ctx.series, 0).await {
        Ok(ok) => ok,
        Err(errors) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &user, &ctx, v, errors, None, None),
            );
        }
    };
    match commit(&pairs) {
        "Preview" => {
            let names = creator_names(&state, &input).await;
            let p = preview(&input, &chapters, names, 0);
            render(&form_page(
                &state,
                &user,
                &ctx,
                v,
                FieldErrors::default(),
                None,
                Some(p),
            ))
        }
        c => {
            let draft = c != "Post";
            let id = store.create_posted_work(&input, &chapters, draft).await?;
            crate::pages::creatorships::tell_invited(
                &state,
                id,
                &input.title,
                &input.invited_pseud_ids,
            )
            .await;
            if !draft {
                crate::responding::announce_new_work(&state, id).await;
            }
            Ok(see_other(&format!("/works/{id}")))
        }
    }
}

async fn creator_names(state: &AppState, input: &WorkInput) -> Vec<String> {
    let mut names = Vec::new();
    for id in &input.pseud_ids {
        if let Ok(Some(n)) = state.store().pseud_name(*id).await {
            names.push(n);
        }
    }
    names
}

/// `POST /works/import`: a file fills the new-work form for review (nothing is saved).
pub async fn import(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let ctx = FormCtx::load(&state, &user, None).await?;
    let vocab = state.vocabulary().await?;
    let filled =
        fill_from_upload_with(&auth, &headers, &body, WorkFormValues::blank(&user), &vocab)?;
    let status = filled.status();
    let mut page = form_page(
        &state,
        &user,
        &ctx,
        filled.values,
        FieldErrors::default(),
        Some(filled.message),
        None,
    );
    page.suggested = filled.suggested;
    render_status(status, &page)
}

/// A form filled from an uploaded file, or left as it was with the reason.
pub struct Filled {
    pub values: WorkFormValues,
    /// What happened, shown over the form.
    pub message: String,
    /// Whether the file was read.
    pub ok: bool,
    /// The tags suggested for it (already added to `values`), with their evidence.
    pub suggested: Vec<SuggestedTag>,
}

impl Filled {
    /// 200 when the file filled the form, 422 when it did not.
    pub fn status(&self) -> StatusCode {
        if self.ok {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}

/// Reads an upload form: the values filled from the file, or the base values and a
/// message saying why not. No tags are suggested (see [`fill_from_upload_with`]).
pub fn fill_from_upload(
    auth: &RequestAuth,
    headers: &HeaderMap,
    body: &Bytes,
    base: WorkFormValues,
) -> Result<Filled, WebError> {
    fill_from_upload_with(auth, headers, body, base, &tome_text::Vocabulary::empty())
}

/// [`fill_from_upload`], importing with the archive's vocabulary: the tag fields get the
/// tags the file names plus the suggested canonical tags they lack.
pub fn fill_from_upload_with(
    auth: &RequestAuth,
    headers: &HeaderMap,
    body: &Bytes,
    base: WorkFormValues,
    vocab: &tome_text::Vocabulary,
) -> Result<Filled, WebError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = multipart::parse(ct, body).map_err(|e| WebError::BadRequest(e.to_string()))?;
    auth.verify_csrf(multipart::text(&parts, crate::accounts::CSRF_FIELD).as_deref())?;
    let Some(file) = parts
        .iter()
        .find(|p| p.name == "file" && p.file_name.is_some())
    else {
        return Ok(Filled {
            values: base,
            message: "Please choose a file to upload.".into(),
            ok: false,
            suggested: Vec::new(),
        });
    };
    let name = file.file_name.clone().unwrap_or_default();
    Ok(
        match values_from_import(&name, &file.data, base.clone(), vocab) {
            Ok((mut values, suggestions)) => {
                let suggested = suggesting::apply(&mut values, vocab, &suggestions);
                Filled {
                    values,
                    message: format!(
                        "Filled in from {name}: check everything, then preview or post."
                    ),
                    ok: true,
                    suggested,
                }
            }
            Err(e) => Filled {
                values: base,
                message: format!("The file could not be read: {e}"),
                ok: false,
                suggested: Vec::new(),
            },
        },
    )
}

/// `GET /works/ID/edit`.
pub async fn edit(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    let v = WorkFormValues::of(&work);
    let ctx = FormCtx::load(&state, &user, Some(work)).await?;
    render(&form_page(
        &state,
        &user,
        &ctx,
        v,
        FieldErrors::default(),
        None,
        None,
    ))
}

/// `POST /works/ID`: saves the edited metadata.
pub async fn update(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let work = editable(state.store(), &user, id).await?;
    let (pairs, csrf_ok) = read_form(&auth, &body)?;
    let mut v = WorkFormValues::from_pairs(&pairs);
    v.chapters.clear();
    let creators = work.creators.clone();
    let chapters_now = work.chapters.len();
    let ctx = FormCtx::load(&state, &user, Some(work)).await?;
    if !csrf_ok {
        return render_status(
            StatusCode::FORBIDDEN,
            &form_page(
                &state,
                &user,
                &ctx,
                v,
                FieldErrors::default(),
                Some(FORM_EXPIRED.into()),
                None,
            ),
        );
    }
    let (input, _) = match v
        .validate(
            state.store(),
            &user.pseuds,
            &creators,
            &ctx.series,
            chapters_now,
        )
        .await
    {
        Ok(ok) => ok,
        Err(errors) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &user, &ctx, v, errors, None, None),
            );
        }
    };
    state.store().update_work(id, &input).await?;
    state.pages().invalidate(id);
    crate::pages::creatorships::tell_invited(&state, id, &input.title, &input.invited_pseud_ids)
        .await;
    Ok(see_other(&format!("/works/{id}")))
}

#[derive(Template)]
#[template(path = "posting/confirm.html")]
pub struct ConfirmTemplate {
    pub l: Layout,
    pub heading: String,
    pub question: String,
    pub action: String,
    pub button: String,
    pub back: String,
}

/// `GET /works/ID/confirm_delete`.
pub async fn confirm_delete(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let work = editable(state.store(), &user, parse_id(&id)?).await?;
    render(&ConfirmTemplate {
        l: Layout::new(&state, "Delete Work"),
        heading: "Delete Work".into(),
        question: format!(
            "Are you sure you want to delete \"{}\"? This deletes all its chapters and cannot be undone.",
            work.input.title
        ),
        action: format!("/works/{}/delete", work.id),
        button: "Yes, Delete Work".into(),
        back: format!("/works/{}", work.id),
    })
}

/// `POST /works/ID/delete`.
pub async fn destroy(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let (_, csrf_ok) = read_form(&auth, &body)?;
    if !csrf_ok {
        return Err(WebError::Forbidden(FORM_EXPIRED.into()));
    }
    editable(state.store(), &user, id).await?;
    state.store().delete_work(id).await?;
    state.pages().invalidate(id);
    Ok(see_other(&format!("/users/{}/works", user.login)))
}

/// `POST /works/ID/post_draft`: the "Post" button of a draft.
pub async fn post_draft(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    auth: RequestAuth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let (_, csrf_ok) = read_form(&auth, &body)?;
    if !csrf_ok {
        return Err(WebError::Forbidden(FORM_EXPIRED.into()));
    }
    editable(state.store(), &user, id).await?;
    state.store().post_draft(id).await?;
    state.pages().invalidate(id);
    crate::responding::announce_new_work(&state, id).await;
    Ok(see_other(&format!("/works/{id}")))
}
