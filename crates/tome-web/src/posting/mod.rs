//! Posting: the rules behind the work and chapter forms, kept out of the handlers.
//!
//! - [`WorkFormValues`] / [`ChapterFormValues`] are what the forms send, kept as typed
//!   (strings, checkbox lists), so a form shown again with errors loses nothing.
//! - [`WorkFormValues::validate`] turns them into the store's [`WorkInput`] and
//!   [`ChapterInput`]s, or [`FieldErrors`] beside each field.
//! - [`render_text`] turns what was typed (HTML or Markdown, chosen per work) into what
//!   readers see, through the archive's one sanitizer.
//! - [`may_edit`] is the one rule of who may change a work: its creators and admins.
//! - [`multipart`] reads uploads (a file to fill a form).
//! - [`suggesting`] suggests tags for the form from the archive's wrangled vocabulary.

pub mod multipart;
pub mod suggesting;

use tome_model::limits::{self, check_len};
use tome_model::{Category, Rating, TagKind, Warning};
use tome_store::{
    ChapterInput, PseudRef, SeriesChoice, SeriesRef, Store, TextField, WorkEdit, WorkInput,
};

use crate::accounts::{FieldErrors, SessionUser};
use crate::error::WebError;
use tome_text::nesting::NestingError;

/// Longest chapter text, in characters (see `tome_model::limits`).
pub const MAX_TEXT: usize = limits::CHAPTER_TEXT;
/// Longest summary or note, in characters (AO3: 1,250 and 5,000).
pub const MAX_SUMMARY: usize = limits::SUMMARY;
pub const MAX_NOTES: usize = limits::NOTES;

/// What a refused editor is told.
pub const NOT_YOURS: &str = "Sorry, you don't have permission to edit this work.";

/// Whether the user may edit or delete the work: one of its creators, or an admin.
pub fn may_edit(user: &SessionUser, work: &WorkEdit) -> bool {
    user.is_admin() || work.is_creator(user.id)
}

/// The work for editing by `user`: 404 when missing (or a draft of someone else's, so
/// drafts do not leak), 403 when posted but not theirs.
pub async fn editable(
    store: &Store,
    user: &SessionUser,
    work_id: i64,
) -> Result<WorkEdit, WebError> {
    let work = store
        .work_for_edit(work_id)
        .await?
        .ok_or(WebError::NotFound)?;
    if may_edit(user, &work) {
        Ok(work)
    } else if work.draft {
        Err(WebError::NotFound)
    } else {
        Err(WebError::Forbidden(NOT_YOURS.into()))
    }
}

/// What readers see of typed text: Markdown rendered, HTML (or plain text with blank
/// lines between paragraphs) sanitized. The source is kept for Markdown only: for HTML
/// the sanitized HTML is what the editor shows again.
pub fn render_text(format: &str, typed: &str) -> Result<TextField, NestingError> {
    let typed = typed.replace("\r\n", "\n");
    if typed.trim().is_empty() {
        return Ok(TextField::default());
    }
    if format == "markdown" {
        Ok(TextField {
            html: Some(tome_text::try_markdown_to_html(&typed)?),
            source: Some(typed),
        })
    } else {
        let html = if typed.contains('<') {
            typed
        } else {
            plain_paragraphs(&typed)
        };
        Ok(TextField {
            html: Some(tome_text::try_sanitize_html(&html)?),
            source: None,
        })
    }
}

/// [`render_text`] for a form field: text nested past the bound is refused beside the
/// field (`key`) with the reason, and nothing of it is rendered.
fn render_field(
    errors: &mut FieldErrors,
    key: &'static str,
    label: &str,
    format: &str,
    typed: &str,
) -> TextField {
    render_text(format, typed).unwrap_or_else(|err| {
        errors.add(key, format!("{label}: {err}."));
        TextField::default()
    })
}

/// Plain text as paragraphs: blank lines part them, single newlines are `<br>`.
fn plain_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(tome_text::escape_html).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The value of a field in submitted pairs.
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Every value of a repeated field (checkboxes).
pub fn fields(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Comma-separated tags, tidied; empty pieces dropped.
pub fn split_tags(s: &str) -> Vec<String> {
    s.split(',')
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect()
}

/// One chapter's fields, as typed.
#[derive(Debug, Clone, Default)]
pub struct ChapterFormValues {
    pub title: String,
    pub summary: String,
    pub notes_begin: String,
    pub notes_end: String,
    pub body: String,
}

impl ChapterFormValues {
    /// Reads `{prefix}[title]` etc.
    pub fn from_pairs(pairs: &[(String, String)], prefix: &str) -> ChapterFormValues {
        let f = |n: &str| field(pairs, &format!("{prefix}[{n}]")).to_string();
        ChapterFormValues {
            title: f("title"),
            summary: f("summary"),
            notes_begin: f("notes_begin"),
            notes_end: f("notes_end"),
            body: f("body"),
        }
    }

    /// A stored chapter, for its edit form.
    pub fn of(c: &ChapterInput) -> ChapterFormValues {
        ChapterFormValues {
            title: c.title.clone().unwrap_or_default(),
            summary: c.summary.for_editing(),
            notes_begin: c.notes_begin.for_editing(),
            notes_end: c.notes_end.for_editing(),
            body: c.body.for_editing(),
        }
    }

    /// The store's chapter, or messages (keyed `{key}_body` etc.).
    pub fn validate(
        &self,
        format: &str,
        key: &'static str,
        errors: &mut FieldErrors,
    ) -> ChapterInput {
        // Past a bound nothing is rendered: the sanitizer's work grows with the text.
        let over = [
            check_len("The chapter text", &self.body, MAX_TEXT),
            check_len("The chapter title", &self.title, limits::TITLE),
            check_len("The chapter summary", &self.summary, MAX_SUMMARY),
            check_len(
                "The chapter's beginning notes",
                &self.notes_begin,
                MAX_NOTES,
            ),
            check_len("The chapter's end notes", &self.notes_end, MAX_NOTES),
        ];
        if over.iter().any(Result::is_err) {
            for e in over.into_iter().filter_map(Result::err) {
                errors.add(key, e.to_string());
            }
            return ChapterInput::default();
        }
        let body = render_field(errors, key, "The chapter text", format, &self.body);
        let summary = render_field(errors, key, "The chapter summary", format, &self.summary);
        let notes_begin = render_field(
            errors,
            key,
            "The chapter's beginning notes",
            format,
            &self.notes_begin,
        );
        let notes_end = render_field(
            errors,
            key,
            "The chapter's end notes",
            format,
            &self.notes_end,
        );
        let words = body
            .html
            .as_deref()
            .map(tome_text::html_word_count)
            .unwrap_or(0);
        if body.html.as_deref().is_none_or(|h| h.trim().is_empty())
            || (words == 0 && !body.html.as_deref().is_some_and(|h| h.contains("<img")))
        {
            errors.add(key, "The chapter text can't be blank.");
        }
        ChapterInput {
            title: Some(self.title.trim().to_string()).filter(|t| !t.is_empty()),
            summary,
            notes_begin,
            notes_end,
            body,
            word_count: words,
        }
    }
}

/// The work form as typed.
#[derive(Debug, Clone, Default)]
pub struct WorkFormValues {
    pub title: String,
    /// Ids (as typed) of the user's own pseuds ticked.
    pub pseud_ids: Vec<String>,
    /// Other users' pseud names, comma-separated.
    pub co_creators: String,
    pub rating: String,
    pub warnings: Vec<String>,
    pub categories: Vec<String>,
    pub fandoms: String,
    pub relationships: String,
    pub characters: String,
    pub freeforms: String,
    pub summary: String,
    pub notes_begin: String,
    pub notes_end: String,
    pub language: String,
    pub text_format: String,
    /// "", "new" or a series id.
    pub series: String,
    pub series_title: String,
    pub series_position: String,
    /// Expected number of chapters: "?" or a number.
    pub expected: String,
    pub restricted: bool,
    pub anonymous: bool,
    /// Backdated publication date, `YYYY-MM-DD`, or empty.
    pub published: String,
    /// The chapters typed in the form (new works; one unless a file filled more).
    pub chapters: Vec<ChapterFormValues>,
}

impl WorkFormValues {
    /// An empty form for `user`: their default pseud ticked, HTML, "?" chapters.
    pub fn blank(user: &SessionUser) -> WorkFormValues {
        WorkFormValues {
            pseud_ids: user
                .pseuds
                .first()
                .map(|p| p.id.to_string())
                .into_iter()
                .collect(),
            language: "en".into(),
            text_format: "html".into(),
            expected: "?".into(),
            chapters: vec![ChapterFormValues::default()],
            ..WorkFormValues::default()
        }
    }

    /// Reads the form's fields (`work[...]`, `chapters[N][...]`).
    pub fn from_pairs(pairs: &[(String, String)]) -> WorkFormValues {
        let f = |n: &str| field(pairs, &format!("work[{n}]")).to_string();
        let mut chapters = Vec::new();
        for i in 0..limits::CHAPTERS_PER_FORM {
            let prefix = format!("chapters[{i}]");
            if !pairs
                .iter()
                .any(|(k, _)| k.starts_with(&format!("{prefix}[")))
            {
                break;
            }
            chapters.push(ChapterFormValues::from_pairs(pairs, &prefix));
        }
        WorkFormValues {
            title: f("title"),
            pseud_ids: fields(pairs, "work[pseud_ids][]"),
            co_creators: f("co_creators"),
            rating: f("rating"),
            warnings: fields(pairs, "work[warnings][]"),
            categories: fields(pairs, "work[categories][]"),
            fandoms: f("fandoms"),
            relationships: f("relationships"),
            characters: f("characters"),
            freeforms: f("freeforms"),
            summary: f("summary"),
            notes_begin: f("notes_begin"),
            notes_end: f("notes_end"),
            language: f("language"),
            text_format: if f("text_format") == "markdown" {
                "markdown".into()
            } else {
                "html".into()
            },
            series: f("series"),
            series_title: f("series_title"),
            series_position: f("series_position"),
            expected: f("expected"),
            restricted: !f("restricted").is_empty(),
            anonymous: !f("anonymous").is_empty(),
            published: f("published"),
            chapters,
        }
    }

    /// A stored work, for its edit form (no chapters: they have their own forms).
    pub fn of(w: &WorkEdit) -> WorkFormValues {
        let i = &w.input;
        let tags = |k: TagKind| {
            i.tags
                .iter()
                .filter(|(kk, _)| *kk == k)
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        WorkFormValues {
            title: i.title.clone(),
            pseud_ids: w.creators.iter().map(|p| p.id.to_string()).collect(),
            co_creators: String::new(),
            rating: i.rating.map(|r| r.as_str().to_string()).unwrap_or_default(),
            warnings: i.warnings.iter().map(|x| x.as_str().to_string()).collect(),
            categories: i
                .categories
                .iter()
                .map(|x| x.as_str().to_string())
                .collect(),
            fandoms: tags(TagKind::Fandom),
            relationships: tags(TagKind::Relationship),
            characters: tags(TagKind::Character),
            freeforms: tags(TagKind::Freeform),
            summary: i.summary.for_editing(),
            notes_begin: i.notes_begin.for_editing(),
            notes_end: i.notes_end.for_editing(),
            language: i.language.clone(),
            text_format: i.text_format.clone(),
            series: w
                .series
                .first()
                .map(|s| s.id.to_string())
                .unwrap_or_default(),
            series_title: String::new(),
            series_position: w
                .series
                .first()
                .map(|s| s.position.to_string())
                .unwrap_or_default(),
            expected: i
                .expected_chapters
                .map(|e| e.to_string())
                .unwrap_or_else(|| "?".into()),
            restricted: i.restricted,
            anonymous: i.anonymous,
            published: i.published_at.map(date_of).unwrap_or_default(),
            chapters: Vec::new(),
        }
    }

    /// Checks everything and builds the store's input. `own` are the user's pseuds;
    /// `existing` the creators of the work being edited (kept when still ticked);
    /// `chapters_now` how many chapters the work will have.
    pub async fn validate(
        &self,
        store: &Store,
        own: &[PseudRef],
        existing: &[PseudRef],
        series: &[SeriesRef],
        chapters_now: usize,
    ) -> Result<(WorkInput, Vec<ChapterInput>), FieldErrors> {
        let mut e = FieldErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            e.add("title", "Please enter a title.");
        } else if let Err(err) = check_len("The title", title, limits::TITLE) {
            e.add("title", err.to_string());
        }

        // Creators: ticked pseuds (the user's own, or a co-creator already on the work),
        // then co-creators by name.
        let mut pseud_ids: Vec<i64> = Vec::new();
        for v in &self.pseud_ids {
            match v.trim().parse::<i64>() {
                Ok(id) if own.iter().chain(existing).any(|p| p.id == id) => {
                    if !pseud_ids.contains(&id) {
                        pseud_ids.push(id);
                    }
                }
                _ => e.add("pseuds", "Please choose only your own pseuds."),
            }
        }
        if !pseud_ids.iter().any(|id| own.iter().any(|p| p.id == *id)) && !own.is_empty() {
            // Not necessarily an error for admins editing another's work; callers pass the
            // work's creators as `existing`, so keep it only when no creator is left.
            if pseud_ids.is_empty() {
                e.add("pseuds", "Please choose at least one of your pseuds.");
            }
        }
        // Another user's pseud named as co-creator is invited, never put on the byline:
        // they join it when they accept (their own pseuds and the work's creators go
        // on at once).
        let mut invited_pseud_ids: Vec<i64> = Vec::new();
        let co_creators = split_tags(&self.co_creators);
        if let Err(err) = limits::check_count("Co-creators", co_creators.len(), limits::CO_CREATORS)
        {
            e.add("co_creators", err.to_string());
        }
        // Each name is looked up: never more than the bound.
        for name in co_creators.into_iter().take(limits::CO_CREATORS) {
            match store.pseuds_named(&name).await {
                Ok(found) => match found.iter().find(|p| p.user_id != 0) {
                    Some(p) if own.iter().chain(existing).any(|o| o.id == p.id) => {
                        if !pseud_ids.contains(&p.id) {
                            pseud_ids.push(p.id);
                        }
                    }
                    Some(p) => {
                        if !invited_pseud_ids.contains(&p.id) {
                            invited_pseud_ids.push(p.id);
                        }
                    }
                    None => e.add(
                        "co_creators",
                        format!("There is no pseud named \"{name}\"."),
                    ),
                },
                Err(err) => {
                    tracing::error!(error = %err, "pseud lookup failed");
                    e.add(
                        "co_creators",
                        "Co-creators could not be checked; try again.",
                    );
                }
            }
        }

        let rating = if self.rating.is_empty() {
            e.add("rating", "Please choose a rating.");
            None
        } else {
            let r = Rating::ALL
                .iter()
                .copied()
                .find(|r| r.as_str() == self.rating);
            if r.is_none() {
                e.add("rating", "Please choose a rating from the list.");
            }
            r
        };
        let mut warnings = Vec::new();
        for w in &self.warnings {
            match Warning::ALL.iter().copied().find(|x| x.as_str() == w) {
                Some(x) => warnings.push(x),
                None => e.add("warnings", "Please choose warnings from the list."),
            }
        }
        if warnings.is_empty() {
            e.add("warnings", "Please choose at least one archive warning (or \"Creator Chose Not To Use Archive Warnings\").");
        }
        let mut categories = Vec::new();
        for c in &self.categories {
            match Category::ALL.iter().copied().find(|x| x.as_str() == c) {
                Some(x) => categories.push(x),
                None => e.add("categories", "Please choose categories from the list."),
            }
        }
        let mut tags = Vec::new();
        let mut too_many = false;
        for (kind, typed, key) in [
            (TagKind::Fandom, &self.fandoms, "fandoms"),
            (TagKind::Relationship, &self.relationships, "relationships"),
            (TagKind::Character, &self.characters, "characters"),
            (TagKind::Freeform, &self.freeforms, "freeforms"),
        ] {
            for t in split_tags(typed) {
                if tags.len() >= limits::TAGS_PER_WORK {
                    // Counted on, not checked: the message says how many there are.
                    too_many = true;
                    tags.push((kind, t));
                } else if let Err(err) = check_len("Tag", &t, limits::TAG_NAME) {
                    e.add(
                        key,
                        format!("{err} The tag begins \u{201c}{}\u{201d}.", short(&t)),
                    );
                } else if tome_model::tag::normalize_tag_name(&t).is_none() {
                    e.add(key, format!("The tag \"{t}\" can't be used."));
                } else {
                    tags.push((kind, t));
                }
            }
        }
        if too_many {
            let err = limits::check_work_tags(tags.iter().map(|(k, n)| (*k, n.as_str())));
            if let Err(err) = err {
                // Beside the last tag field: the count is of all four together.
                e.add("freeforms", err.to_string());
            }
        }
        if !tags.iter().any(|(k, _)| *k == TagKind::Fandom) {
            e.add("fandoms", "Please fill in at least one fandom.");
        }
        for (key, what, text, max) in [
            ("summary", "The summary", &self.summary, MAX_SUMMARY),
            (
                "notes_begin",
                "The beginning notes",
                &self.notes_begin,
                MAX_NOTES,
            ),
            ("notes_end", "The end notes", &self.notes_end, MAX_NOTES),
        ] {
            if let Err(err) = check_len(what, text, max) {
                e.add(key, err.to_string());
            }
        }
        let language = self.language.trim();
        if language.chars().count() > limits::LANGUAGE
            || !language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            e.add("language", "Please choose a language code such as \"en\".");
        }

        let chapters_total = chapters_now.max(self.chapters.len()).max(1);
        let expected = match self.expected.trim() {
            "" | "?" => None,
            n => match n.parse::<u32>() {
                Ok(n) if n as usize >= chapters_total && n <= 10_000 => Some(n),
                Ok(_) => {
                    e.add(
                        "expected",
                        "The expected number of chapters can't be fewer than the chapters posted.",
                    );
                    None
                }
                Err(_) => {
                    e.add("expected", "Please enter a number of chapters or \"?\".");
                    None
                }
            },
        };
        let published_at = match self.published.trim() {
            "" => None,
            d => match parse_date(d) {
                Some(t) if t <= crate::accounts::now() => Some(t),
                Some(_) => {
                    e.add("published", "The publication date can't be in the future.");
                    None
                }
                None => {
                    e.add("published", "Please enter the date as YYYY-MM-DD.");
                    None
                }
            },
        };
        let series_choice = match self.series.trim() {
            "" => None,
            "new" => {
                let t = self.series_title.trim();
                if let Err(err) = check_len("The series title", t, limits::TITLE) {
                    e.add("series", err.to_string());
                    None
                } else if t.is_empty() {
                    e.add("series", "Please give the new series a title.");
                    None
                } else {
                    Some(SeriesChoice::New(t.to_string()))
                }
            }
            id => match id.parse::<i64>() {
                Ok(id) if series.iter().any(|s| s.id == id) => Some(SeriesChoice::Existing(id)),
                _ => {
                    e.add("series", "Please choose one of your series.");
                    None
                }
            },
        };
        let series_position = match self.series_position.trim() {
            "" => None,
            p => match p.parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    e.add(
                        "series",
                        "The position in the series must be a number from 1.",
                    );
                    None
                }
            },
        };

        let format = self.text_format.as_str();
        let chapters: Vec<ChapterInput> = self
            .chapters
            .iter()
            .map(|c| c.validate(format, "body", &mut e))
            .collect();
        let summary = render_field(&mut e, "summary", "The summary", format, &self.summary);
        let notes_begin = render_field(
            &mut e,
            "notes_begin",
            "The beginning notes",
            format,
            &self.notes_begin,
        );
        let notes_end = render_field(
            &mut e,
            "notes_end",
            "The end notes",
            format,
            &self.notes_end,
        );
        if !e.is_empty() {
            // Nothing past a bound is rendered.
            return Err(e);
        }
        let input = WorkInput {
            title: title.to_string(),
            pseud_ids,
            rating,
            warnings,
            categories,
            tags,
            language: if language.is_empty() {
                "en".into()
            } else {
                language.to_string()
            },
            summary,
            notes_begin,
            notes_end,
            text_format: format.to_string(),
            expected_chapters: expected,
            published_at,
            restricted: self.restricted,
            anonymous: self.anonymous,
            series: series_choice,
            series_position,
            invited_pseud_ids,
            invited_by: own.first().map(|p| p.user_id),
        };
        Ok((input, chapters))
    }
}

/// The first few words of a long value, for a message.
fn short(s: &str) -> String {
    let head: String = s.chars().take(40).collect();
    if head.len() < s.len() {
        format!("{head}\u{2026}")
    } else {
        head
    }
}

/// `YYYY-MM-DD` to unix seconds (midnight UTC).
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject 31 February and friends: the date must come back the same.
    if date_of(days * 86_400) != format!("{y:04}-{m:02}-{d:02}") {
        return None;
    }
    Some(days * 86_400)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds to `YYYY-MM-DD` (UTC).
pub fn date_of(t: i64) -> String {
    let z = t.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A file to fill a form from: the importer's reading of it, as form values (HTML), and
/// its tag suggestions from `vocab` (not yet added to the values: see
/// [`suggesting::apply`]).
pub fn values_from_import(
    file_name: &str,
    bytes: &[u8],
    base: WorkFormValues,
    vocab: &tome_text::Vocabulary,
) -> Result<(WorkFormValues, tome_text::Suggestions), String> {
    let imported = tome_text::import::import_bytes(
        file_name,
        bytes,
        vocab,
        &tome_text::import::ImportOptions::default(),
    )
    .map_err(|e| e.to_string())?;
    let d = imported.draft;
    let mut v = base;
    v.text_format = "html".into();
    if !d.title.trim().is_empty() {
        v.title = d.title.clone();
    }
    if let Some(r) = d.rating {
        v.rating = r.as_str().to_string();
    }
    if !d.warnings.is_empty() {
        v.warnings = d.warnings.iter().map(|w| w.as_str().to_string()).collect();
    }
    if !d.categories.is_empty() {
        v.categories = d
            .categories
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
    }
    for (kind, target) in [
        (TagKind::Fandom, &mut v.fandoms),
        (TagKind::Relationship, &mut v.relationships),
        (TagKind::Character, &mut v.characters),
        (TagKind::Freeform, &mut v.freeforms),
    ] {
        let names: Vec<&str> = d
            .tags
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.as_str())
            .collect();
        if !names.is_empty() {
            *target = names.join(", ");
        }
    }
    // Header fields ("Fandom: ...", "Pairing: ...") become tags on import only when the
    // archive knows them; here the creator reviews the form, so what the file typed
    // fills the fields still empty.
    for (label, value) in &imported.header {
        let target = match label.trim().to_lowercase().as_str() {
            "fandom" | "fandoms" => &mut v.fandoms,
            "relationship" | "relationships" | "pairing" | "pairings" | "ship" | "ships" => {
                &mut v.relationships
            }
            "character" | "characters" => &mut v.characters,
            "tags" | "additional tags" | "keywords" => &mut v.freeforms,
            _ => continue,
        };
        let typed = split_tags(&value.replace(';', ",")).join(", ");
        if target.trim().is_empty() && !typed.is_empty() {
            *target = typed;
        }
    }
    if let Some(s) = d.summary_html {
        v.summary = s;
    }
    if let Some(s) = d.notes_begin_html {
        v.notes_begin = s;
    }
    if let Some(s) = d.notes_end_html {
        v.notes_end = s;
    }
    if !d.language.trim().is_empty() {
        v.language = d.language.clone();
    }
    v.chapters = d
        .chapters
        .iter()
        .map(|c| ChapterFormValues {
            title: c.title.clone().unwrap_or_default(),
            summary: c.summary_html.clone().unwrap_or_default(),
            notes_begin: c.notes_begin_html.clone().unwrap_or_default(),
            notes_end: c.notes_end_html.clone().unwrap_or_default(),
            body: c.body_html.clone(),
        })
        .collect();
    if v.chapters.is_empty() {
        v.chapters.push(ChapterFormValues::default());
    }
    if d.complete == Some(true) {
        v.expected = v.chapters.len().to_string();
    }
    Ok((v, imported.suggested))
}

/// Whether a work page shows its "Edit" links to this header user: admins, and the
/// creators (whose own pseuds are among the creators shown to them, anonymous works
/// included). A convenience only: every edit page checks [`editable`] again.
pub fn shows_edit(
    user: Option<&crate::layout::HeaderUser>,
    creators: &[crate::views::CreatorLink],
) -> bool {
    let Some(u) = user else { return false };
    let own = crate::views::pseud_href(&u.login, "");
    u.is_admin || creators.iter().any(|c| c.href.starts_with(&own))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(
            parse_date("2020-02-29").map(date_of).as_deref(),
            Some("2020-02-29")
        );
        assert_eq!(parse_date("2021-02-29"), None);
        assert_eq!(parse_date("2021-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn text_is_sanitized_in_both_formats() {
        let h = render_text("html", "<p onclick=\"x()\">Hi<script>alert(1)</script></p>")
            .expect("shallow");
        let html = h.html.unwrap_or_default();
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        let m = render_text(
            "markdown",
            "*hi* <script>alert(1)</script> [x](javascript:alert(1))",
        )
        .expect("shallow");
        let html = m.html.unwrap_or_default();
        assert!(html.contains("<em>hi</em>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("javascript:"),
            "{html}"
        );
        assert_eq!(
            m.source.as_deref(),
            Some("*hi* <script>alert(1)</script> [x](javascript:alert(1))")
        );
        let p = render_text("html", "One line\nnext\n\nTwo & more").expect("shallow");
        assert!(
            p.html
                .unwrap_or_default()
                .starts_with("<p>One line<br>next</p>")
        );
    }

    #[test]
    fn text_nested_past_the_bound_is_refused_in_both_formats() {
        let deep_html = "<div>".repeat(10_000);
        assert!(render_text("html", &deep_html).is_err());
        let deep_md = ">".repeat(10_000) + " hi";
        assert!(render_text("markdown", &deep_md).is_err());
        let mut e = FieldErrors::default();
        let t = render_field(
            &mut e,
            "body",
            "The chapter text",
            "html",
            &"<b>".repeat(5_000),
        );
        assert!(t.html.is_none());
        assert!(!e.is_empty());
    }
}
