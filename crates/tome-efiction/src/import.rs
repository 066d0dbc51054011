//! The move: authors, stories (one transaction each), series, favourites, with a report.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};
use tome_model::{Category, ChapterDraft, Rating, TagKind, Warning, WorkDraft};
use tome_store::Store;
use tome_store::efiction::{EfAuthor, EfOutcome, EfReview, EfStory};

use crate::EfictionError;
use crate::archive::{Review, Story};
use crate::plan::{Plan, Skip, default_plan, parse_tag};
use crate::source::Source;
use crate::text::{Repairs, html_field, plain_line, repair};

/// What the archivist asked for.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The archive's key in tome; default: eFiction's site key, else the table prefix.
    pub archive: Option<String>,
    pub old_url: Option<String>,
    /// An edited plan to follow instead of the defaults.
    pub plan: Option<Plan>,
    /// Map and report, write nothing.
    pub dry_run: bool,
}

/// A story that did not import.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub sid: i64,
    pub title: String,
    pub error: String,
}

/// What a run did (or, dry, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub archive: String,
    pub table_prefix: String,
    pub dry_run: bool,
    pub authors_created: u64,
    pub authors_existing: u64,
    pub stories_created: u64,
    pub stories_updated: u64,
    pub stories_unchanged: u64,
    pub stories_as_drafts: u64,
    pub chapters: u64,
    pub reviews: u64,
    pub series: u64,
    pub bookmarks: u64,
    pub subscriptions: u64,
    /// Texts whose double-encoded UTF-8 was repaired.
    pub mojibake_repairs: u64,
    /// Texts whose magic-quotes backslashes were removed.
    pub slash_repairs: u64,
    /// Dump statements read as Windows-1252 (not UTF-8).
    pub latin1_statements: u64,
    /// Where repairs were made (story ids and fields), for checking by hand.
    pub repaired: Vec<String>,
    pub skipped: Vec<Skip>,
    pub failed: Vec<Failure>,
    pub notes: Vec<String>,
}

/// Called after each story with (done, total).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

fn archive_key(src: &Source, opts: &ImportOptions) -> String {
    if let Some(a) = &opts.archive {
        return a.clone();
    }
    let key = src.archive.settings.sitekey.trim();
    if !key.is_empty() {
        return key.to_string();
    }
    let p = src.archive.prefix.trim_end_matches('_');
    if p.is_empty() {
        "efiction".into()
    } else {
        p.to_string()
    }
}

/// The plan this run follows: the edited one (filled in where the archive has more), or
/// the defaults; with author clashes against existing accounts found.
pub async fn plan_for(
    store: &Store,
    src: &Source,
    opts: &ImportOptions,
) -> Result<Plan, EfictionError> {
    let key = archive_key(src, opts);
    let names: Vec<String> = src
        .archive
        .categories
        .values()
        .map(|c| c.name.to_lowercase())
        .chain(
            src.archive
                .characters
                .values()
                .map(|c| c.name.to_lowercase()),
        )
        .collect();
    let existing = store.efiction_tag_kinds(&names).await?;
    let defaults = default_plan(&src.archive, &key, &existing);
    let mut plan = match &opts.plan {
        Some(p) => {
            let mut p = p.clone();
            p.fill_from(&defaults);
            p
        }
        None => defaults,
    };
    for (uid, a) in plan.authors.iter_mut() {
        a.conflicts = store
            .efiction_account_clashes(&key, *uid, &a.penname, a.email.as_deref())
            .await?;
    }
    plan.skipped = skipped(src, &plan);
    Ok(plan)
}

/// What will not come over, and why.
fn skipped(src: &Source, plan: &Plan) -> Vec<Skip> {
    let a = &src.archive;
    let mut out = vec![];
    for s in a.stories.values() {
        if plan.skip_stories.contains(&s.sid) {
            out.push(Skip {
                what: format!("story {} {:?}", s.sid, s.title),
                why: "listed in skip_stories".into(),
            });
        } else if plan.authors.get(&s.uid).is_some_and(|au| !au.import) {
            out.push(Skip {
                what: format!("story {} {:?}", s.sid, s.title),
                why: "its author is marked import: false".into(),
            });
        }
    }
    let needed = needed_authors(src);
    for (uid, au) in &a.authors {
        if !needed.contains(uid) {
            out.push(Skip {
                what: format!("author {uid} {:?}", au.penname),
                why: "no stories, reviews or favourites".into(),
            });
        }
    }
    for (sid, list) in &a.reviews {
        if !a.stories.contains_key(sid) {
            out.push(Skip {
                what: format!("{} review(s) of story {sid}", list.len()),
                why: "the story is not in the archive".into(),
            });
        }
    }
    for note in &a.notes {
        out.push(Skip {
            what: note.clone(),
            why: "not a story or series review".into(),
        });
    }
    out.push(Skip {
        what: "author bios, real names, site news, statistics, challenges, logs".into(),
        why: "tome has no place for them".into(),
    });
    out
}

/// The authors who get an account: they wrote, reviewed, favourited or were favourited.
fn needed_authors(src: &Source) -> HashSet<i64> {
    let a = &src.archive;
    let mut out: HashSet<i64> = a.stories.values().map(|s| s.uid).collect();
    out.extend(a.coauthors.values().flatten());
    out.extend(a.reviews.values().flatten().map(|r| r.uid));
    out.extend(a.series_reviews.values().flatten().map(|r| r.uid));
    for f in &a.favorites {
        out.insert(f.uid);
        if f.kind == "AU" {
            out.insert(f.item);
        }
    }
    out
}

/// A story mapped, before it is stored.
struct Mapped {
    draft: WorkDraft,
    pending: bool,
    chapter_ids: Vec<i64>,
    chapter_pending: Vec<bool>,
    reviews: Vec<EfReview>,
    meta: String,
    repairs: Repairs,
    notes: Vec<String>,
}

/// The author's response eFiction appends to a review: (review, response).
fn split_response(text: &str) -> (&str, Option<&str>) {
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower.find("author's response:") else {
        return (text, None);
    };
    // Back over "<br><br><i>" (in any of eFiction's spellings).
    let head = &text[..at];
    let mut cut = head.len();
    let trimmed = head.trim_end();
    let lower_head = trimmed.to_ascii_lowercase();
    if lower_head.ends_with("<i>") {
        cut = trimmed.len() - 3;
        let before = text[..cut].trim_end();
        let mut b = before.len();
        loop {
            let l = text[..b].to_ascii_lowercase();
            let l = l.trim_end();
            if let Some(x) = ["<br />", "<br/>", "<br>"].iter().find(|t| l.ends_with(*t)) {
                b = l.len() - x.len();
            } else {
                break;
            }
        }
        cut = b;
    }
    let response = &text[at + "author's response:".len()..];
    let response = response
        .trim()
        .trim_end_matches("</i>")
        .trim_end_matches("</I>")
        .trim();
    (&text[..cut], Some(response))
}

fn rating_of(plan: &Plan, rid: &str) -> Rating {
    rid.split(',')
        .filter_map(|x| x.trim().parse::<i64>().ok())
        .find_map(|id| plan.ratings.get(&id))
        .and_then(|r| Rating::parse(&r.rating))
        .unwrap_or(Rating::NotRated)
}

/// Ids, or names where the archive stored names.
fn resolve<'a, T>(
    list: &'a [String],
    by_id: &'a BTreeMap<i64, T>,
    name_of: impl Fn(&T) -> &str,
) -> Vec<i64> {
    list.iter()
        .filter_map(|x| match x.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => by_id
                .iter()
                .find(|(_, v)| name_of(v).eq_ignore_ascii_case(x))
                .map(|(k, _)| *k),
        })
        .collect()
}

async fn map_story(
    src: &Source,
    plan: &Plan,
    s: &Story,
    logins: &HashMap<i64, (i64, String)>,
) -> Result<Mapped, EfictionError> {
    let a = &src.archive;
    let mut repairs = Repairs::default();
    let mut notes = vec![];
    let mut authors = vec![];
    match logins.get(&s.uid) {
        Some((_, l)) => authors.push(l.clone()),
        None => notes.push(format!(
            "story {}: its author (uid {}) is not in the archive; filed under orphan_account",
            s.sid, s.uid
        )),
    }
    for co in a.coauthors.get(&s.sid).into_iter().flatten() {
        if let Some((_, l)) = logins.get(co)
            && !authors.contains(l)
        {
            authors.push(l.clone());
        }
    }
    let mut title = plain_line(&s.title, &mut repairs);
    if title.is_empty() {
        title = "Untitled".into();
    }
    let title: String = title.chars().take(tome_model::limits::TITLE).collect();

    let mut tags: Vec<(TagKind, String)> = vec![];
    let mut warnings: Vec<Warning> = vec![];
    let mut categories: Vec<Category> = vec![];
    let mut add = |list: &[String]| -> Result<(), EfictionError> {
        for t in list {
            let (kind, name) = parse_tag(t)?;
            match kind {
                TagKind::Warning => warnings.extend(Warning::parse(&name)),
                TagKind::Category => categories.extend(Category::parse(&name)),
                _ => {
                    if !tags.iter().any(|(_, n)| n.eq_ignore_ascii_case(&name)) {
                        tags.push((kind, name));
                    }
                }
            }
        }
        Ok(())
    };
    for c in &s.catids {
        if let Some(p) = plan.categories.get(c) {
            add(&p.tags)?;
        }
    }
    for c in resolve(&s.charids, &a.characters, |c| &c.name) {
        if let Some(p) = plan.characters.get(&c) {
            add(&p.tags)?;
        }
    }
    for c in resolve(&s.classes, &a.classes, |c| &c.name) {
        if let Some(p) = plan.classes.get(&c) {
            add(&p.tags)?;
        }
    }
    warnings.sort();
    warnings.dedup();
    categories.sort();
    categories.dedup();
    // "No Archive Warnings Apply" beside a real warning says nothing.
    if warnings.len() > 1 {
        warnings.retain(|w| *w != Warning::NoWarnings && *w != Warning::ChoseNotToUse);
    }
    if tags.len() > tome_model::limits::TAGS_PER_WORK {
        notes.push(format!(
            "story {}: {} tags, more than tome's {}; the rest left out",
            s.sid,
            tags.len(),
            tome_model::limits::TAGS_PER_WORK
        ));
        tags.truncate(tome_model::limits::TAGS_PER_WORK);
    }

    let n = a.chapters.get(&s.sid).map_or(0, Vec::len);
    if n > tome_model::limits::CHAPTERS_PER_WORK {
        return Err(EfictionError::Invalid(format!(
            "{n} chapters, more than a work may have ({})",
            tome_model::limits::CHAPTERS_PER_WORK
        )));
    }
    let mut chapters = vec![];
    let mut chapter_ids = vec![];
    let mut chapter_pending = vec![];
    let mut stored_words = vec![];
    for ch in a.chapters.get(&s.sid).into_iter().flatten() {
        let text = match src.chapter_text(ch).await? {
            Some(t) => t,
            None => {
                notes.push(format!(
                    "story {}: chapter {} has no file {}/{}.txt; imported empty",
                    s.sid, ch.chapid, ch.uid, ch.chapid
                ));
                String::new()
            }
        };
        let before = repairs;
        let body = html_field(&text, &mut repairs)
            .unwrap_or_else(|| "<p>(This chapter was empty in the old archive.)</p>".into());
        if repairs.mojibake > before.mojibake {
            notes.push(format!(
                "story {} chapter {}: double-encoded UTF-8 repaired",
                s.sid, ch.chapid
            ));
        }
        let ctitle = plain_line(&ch.title, &mut repairs);
        chapters.push(ChapterDraft {
            title: Some(ctitle).filter(|t| !t.is_empty()),
            word_count: tome_text::html_word_count(&body),
            body_html: body,
            summary_html: None,
            notes_begin_html: html_field(&ch.notes, &mut repairs),
            notes_end_html: html_field(&ch.endnotes, &mut repairs),
        });
        chapter_ids.push(ch.chapid);
        chapter_pending.push(!ch.validated);
        stored_words
            .push(serde_json::json!({"chapid": ch.chapid, "wordcount_stored": ch.wordcount}));
    }
    let mut pending = !s.validated || chapter_pending.iter().all(|p| *p);
    if chapters.is_empty() {
        notes.push(format!(
            "story {} {:?} has no chapters; kept as a draft of its author",
            s.sid, title
        ));
        pending = true;
        chapters.push(ChapterDraft {
            title: None,
            body_html: "<p>(This story had no chapters in the old archive.)</p>".into(),
            word_count: 0,
            summary_html: None,
            notes_begin_html: None,
            notes_end_html: None,
        });
        chapter_ids.push(0);
        chapter_pending.push(false);
    }
    if pending {
        // A draft shows every chapter to its creators.
        chapter_pending.iter_mut().for_each(|p| *p = false);
    }

    let story_author = logins.get(&s.uid).map(|(id, _)| *id);
    let mut reviews = vec![];
    for r in a.reviews.get(&s.sid).into_iter().flatten() {
        reviews.push(map_review(
            src,
            r,
            &chapter_ids,
            logins,
            story_author,
            &mut repairs,
        )?);
    }
    let published = if s.date > 0 { s.date } else { s.updated };
    let draft = WorkDraft {
        title,
        authors,
        rating: Some(rating_of(plan, &s.rid)),
        warnings,
        categories,
        tags,
        language: "en".into(),
        summary_html: html_field(&s.summary, &mut repairs),
        notes_begin_html: html_field(&s.notes, &mut repairs),
        notes_end_html: None,
        chapters,
        complete: Some(s.completed),
        expected_chapters: None,
        published_at: (published > 0).then_some(published),
        restricted: false,
        anonymous: false,
    };
    let meta = serde_json::json!({
        "sid": s.sid,
        "wordcount_stored": s.wordcount,
        "reviews_stored": s.reviews,
        "chapters": stored_words,
    })
    .to_string();
    Ok(Mapped {
        draft,
        pending,
        chapter_ids,
        chapter_pending,
        reviews,
        meta,
        repairs,
        notes,
    })
}

fn map_review(
    src: &Source,
    r: &Review,
    chapter_ids: &[i64],
    logins: &HashMap<i64, (i64, String)>,
    story_author: Option<i64>,
    repairs: &mut Repairs,
) -> Result<EfReview, EfictionError> {
    let text = src.archive.review_text(r)?;
    let (body, response) = split_response(&text);
    let mut body_html = html_field(body, repairs).unwrap_or_else(|| "<p>(no text)</p>".into());
    if r.rating >= 0 {
        body_html.push_str(&format!("<p><em>Review rating: {}</em></p>", r.rating));
    }
    let body_html: String = if body_html.len() > tome_model::limits::COMMENT_HTML {
        tome_text::sanitize_html(
            &body_html
                .chars()
                .take(tome_model::limits::COMMENT)
                .collect::<String>(),
        )
    } else {
        body_html
    };
    let user_id = (r.uid > 0)
        .then(|| logins.get(&r.uid).map(|(id, _)| *id))
        .flatten();
    let name = plain_line(&r.reviewer, repairs);
    Ok(EfReview {
        reviewid: r.reviewid,
        chapter: chapter_ids
            .iter()
            .position(|c| *c == r.chapid && r.chapid > 0),
        user_id,
        guest_name: if user_id.is_some() {
            None
        } else if name.is_empty() {
            Some("Anonymous".into())
        } else {
            Some(name)
        },
        body_html,
        created_at: r.date,
        reply: match (response, story_author) {
            (Some(t), Some(author)) => html_field(t, repairs).map(|h| (author, h)),
            _ => None,
        },
    })
}

fn fingerprint(m: &Mapped, s: &Story) -> String {
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(&m.draft).unwrap_or_default());
    h.update(format!(
        "|{}|{}|{}|{:?}|{:?}|",
        m.pending, s.hits, s.updated, m.chapter_ids, m.chapter_pending
    ));
    for r in &m.reviews {
        h.update(format!(
            "{}|{:?}|{:?}|{:?}|{}|{}|{:?}\n",
            r.reviewid, r.chapter, r.user_id, r.guest_name, r.body_html, r.created_at, r.reply
        ));
    }
    let d = h.finalize();
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Imports (or, dry, maps) the whole archive.
pub async fn run(
    store: &Store,
    src: &Source,
    opts: &ImportOptions,
    progress: Progress<'_>,
) -> Result<Report, EfictionError> {
    let plan = plan_for(store, src, opts).await?;
    let key = plan.archive.clone();
    let a = &src.archive;
    let mut report = Report {
        archive: key.clone(),
        table_prefix: a.prefix.clone(),
        dry_run: opts.dry_run,
        latin1_statements: src.latin1_statements,
        skipped: plan.skipped.clone(),
        ..Default::default()
    };
    if !opts.dry_run {
        let name = if plan.archive_name.is_empty() {
            key.clone()
        } else {
            plan.archive_name.clone()
        };
        store
            .efiction_archive(&key, &name, opts.old_url.as_deref())
            .await?;
    }

    // Accounts first: stories, reviews and favourites point at them.
    let mut logins: HashMap<i64, (i64, String)> = HashMap::new();
    let needed = needed_authors(src);
    for (uid, au) in &a.authors {
        if !needed.contains(uid) {
            continue;
        }
        let ap = plan.authors.get(uid);
        let mut r = Repairs::default();
        let penname = ap
            .map(|p| p.penname.clone())
            .unwrap_or_else(|| plain_line(&au.penname, &mut r));
        let penname = if penname.is_empty() {
            format!("author{uid}")
        } else {
            penname
        };
        if opts.dry_run {
            logins.insert(*uid, (0, penname));
            continue;
        }
        let saved = store
            .efiction_author(&EfAuthor {
                archive: &key,
                uid: *uid,
                penname: &penname,
                email: Some(au.email.as_str()),
                merge_into: ap.and_then(|p| p.account.as_deref()),
            })
            .await;
        match saved {
            Ok(s) => {
                if s.created {
                    report.authors_created += 1;
                } else {
                    report.authors_existing += 1;
                }
                if s.email_taken {
                    report.notes.push(format!(
                        "author {uid} {penname}: the e-mail address is another account's; the new account has none"
                    ));
                }
                logins.insert(*uid, (s.user_id, s.login));
            }
            Err(e) => report
                .notes
                .push(format!("author {uid} {penname}: not imported: {e}")),
        }
    }

    let total = a.stories.len() as u64;
    let mut works: HashMap<i64, (i64, bool)> = HashMap::new();
    let skip: HashSet<i64> = plan.skip_stories.iter().copied().collect();
    for (done, s) in a.stories.values().enumerate() {
        progress(done as u64, total);
        if skip.contains(&s.sid) || plan.authors.get(&s.uid).is_some_and(|au| !au.import) {
            continue;
        }
        let mapped = match map_story(src, &plan, s, &logins).await {
            Ok(m) => m,
            Err(e) => {
                report.failed.push(Failure {
                    sid: s.sid,
                    title: s.title.clone(),
                    error: e.to_string(),
                });
                continue;
            }
        };
        report.mojibake_repairs += u64::from(mapped.repairs.mojibake);
        report.slash_repairs += u64::from(mapped.repairs.slashes);
        if mapped.repairs.any() {
            report.repaired.push(format!(
                "story {} {:?}: {} mojibake, {} magic-quotes repair(s)",
                s.sid, mapped.draft.title, mapped.repairs.mojibake, mapped.repairs.slashes
            ));
        }
        report.notes.extend(mapped.notes.iter().cloned());
        if opts.dry_run {
            report.stories_created += 1;
            report.chapters += mapped.draft.chapters.len() as u64;
            report.reviews += mapped.reviews.len() as u64;
            if mapped.pending {
                report.stories_as_drafts += 1;
            }
            continue;
        }
        let fp = fingerprint(&mapped, s);
        let story = EfStory {
            archive: &key,
            sid: s.sid,
            draft: mapped.draft,
            pending: mapped.pending,
            hits: u64::try_from(s.hits).unwrap_or(0),
            updated_at: s.updated,
            chapter_ids: mapped.chapter_ids,
            chapter_pending: mapped.chapter_pending,
            reviews: mapped.reviews,
            fingerprint: fp,
            meta: mapped.meta,
        };
        match store.efiction_story(&story).await {
            Ok(outcome) => {
                match outcome {
                    EfOutcome::Created(_) => {
                        report.stories_created += 1;
                        report.chapters += story.draft.chapters.len() as u64;
                        report.reviews += story.reviews.len() as u64;
                        if story.pending {
                            report.stories_as_drafts += 1;
                        }
                    }
                    EfOutcome::Updated(_) => report.stories_updated += 1,
                    EfOutcome::Unchanged(_) => report.stories_unchanged += 1,
                    EfOutcome::Deleted => report.skipped.push(Skip {
                        what: format!("story {} {:?}", s.sid, story.draft.title),
                        why: "imported before and deleted in tome since; left deleted".into(),
                    }),
                }
                if let Some(w) = outcome.work_id() {
                    works.insert(s.sid, (w, story.pending));
                }
            }
            Err(e) => report.failed.push(Failure {
                sid: s.sid,
                title: story.draft.title.clone(),
                error: e.to_string(),
            }),
        }
    }
    progress(total, total);
    if opts.dry_run {
        report.series = a.series.len() as u64;
        report.bookmarks = a.favorites.iter().filter(|f| f.kind == "ST").count() as u64;
        report.subscriptions = a.favorites.iter().filter(|f| f.kind == "AU").count() as u64;
        return Ok(report);
    }

    // Series, in eFiction's order; drafts are not shown in series.
    let mut in_series: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for e in &a.inseries {
        if let Some((w, false)) = works.get(&e.sid) {
            let list = in_series.entry(e.seriesid).or_default();
            if !list.contains(w) {
                list.push(*w);
            }
        }
    }
    for se in a.series.values() {
        let mut r = Repairs::default();
        let title = plain_line(&se.title, &mut r);
        let summary = html_field(&se.summary, &mut r);
        let list = in_series.get(&se.seriesid).cloned().unwrap_or_default();
        if list.is_empty() {
            report.skipped.push(Skip {
                what: format!("series {} {:?}", se.seriesid, title),
                why: "none of its stories is a public work".into(),
            });
            continue;
        }
        match store
            .efiction_series(&key, se.seriesid, &title, summary.as_deref(), false, &list)
            .await
        {
            Ok((_, created)) => {
                if created {
                    report.series += 1;
                }
            }
            Err(e) => report
                .notes
                .push(format!("series {}: not imported: {e}", se.seriesid)),
        }
        // Series reviews: tome has no comments on series; they go on its first work.
        for rv in a.series_reviews.get(&se.seriesid).into_iter().flatten() {
            let mut rr = Repairs::default();
            let mut m = map_review(src, rv, &[], &logins, None, &mut rr)?;
            m.body_html = format!(
                "<p><em>A review of the series {}:</em></p>{}",
                tome_text::escape_html(&title),
                m.body_html
            );
            if store.efiction_work_comment(&key, &m, list[0]).await? {
                report.reviews += 1;
            }
        }
    }

    // Categories' old browse links go to the most specific tag each became.
    for (catid, c) in &plan.categories {
        if let Some(last) = c.tags.last()
            && let Ok((_, name)) = parse_tag(last)
        {
            store.efiction_map_category(&key, *catid, &name).await?;
        }
    }

    for f in &a.favorites {
        let Some((reader, _)) = logins.get(&f.uid) else {
            continue;
        };
        match f.kind.as_str() {
            "ST" => {
                let Some((work, false)) = works.get(&f.item) else {
                    continue;
                };
                let mut r = Repairs::default();
                let notes = html_field(&repair(&f.comments, &mut r), &mut r);
                if store
                    .efiction_bookmark(*reader, *work, notes.as_deref())
                    .await?
                {
                    report.bookmarks += 1;
                }
            }
            "AU" => {
                if let Some((author, _)) = logins.get(&f.item)
                    && store.efiction_subscription(*reader, *author).await?
                {
                    report.subscriptions += 1;
                }
            }
            _ => {}
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::split_response;

    #[test]
    fn author_responses_are_split_from_reviews() {
        let (r, a) = split_response(
            "Lovely.<br><br><i>Author's Response: Thank you! Spike deserves better.</i>",
        );
        assert_eq!(r, "Lovely.");
        assert_eq!(a, Some("Thank you! Spike deserves better."));
        let (r, a) = split_response("No response here.");
        assert_eq!((r, a), ("No response here.", None));
    }
}
