//! Posting over real HTTP against a real SQLite archive: the new-work form with every
//! field, HTML and Markdown text, preview, drafts, chapters, editing and deleting,
//! filling forms from files, tag autocomplete, validation that keeps what was typed, and
//! every refusal (CSRF, another user's work, guests).

mod support;

use reqwest::StatusCode;
use support::{
    Browser, Fields, Site, attr, inner, set, set_all, start, texts, user, values, work_ids,
};

const WORK_FORM: &str = "form#work-form";
const CHAPTER_FORM: &str = "form#chapter-form";

/// The new-work form as the browser got it, filled with a valid one-chapter work.
async fn filled_form(b: &mut Browser<'_>, title: &str) -> Fields {
    let page = b.get("/works/new").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut f = page.form(WORK_FORM);
    set(&mut f, "work[title]", title);
    set(&mut f, "work[rating]", "teen");
    set_all(&mut f, "work[warnings][]", &["no_warnings"]);
    set(&mut f, "work[fandoms]", "Good Omens");
    set(
        &mut f,
        "chapters[0][body]",
        "<p>Once upon a time there was a story to test.</p>",
    );
    f
}

/// Posts a filled form with the given button; returns the response.
async fn submit(b: &mut Browser<'_>, path: &str, f: &Fields, commit: &str) -> support::Page {
    let mut all = f.clone();
    all.push(("commit".into(), commit.into()));
    b.post_raw(path, &all).await
}

/// Posts a simple work as `b`'s user; returns its id.
async fn post_work(b: &mut Browser<'_>, title: &str) -> i64 {
    let f = filled_form(b, title).await;
    let r = submit(b, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.work_id()
}

fn dd(doc: &scraper::Html, class: &str) -> Vec<String> {
    texts(doc, &format!("dl.work.meta.group dd.{class} a.tag"))
}

/// The form with its CSRF token blanked, for snapshots.
fn stable(form_html: &str, token: &str) -> String {
    form_html.replace(token, "TOKEN")
}

#[tokio::test]
async fn new_work_form() {
    let site = start().await;
    user(&site, "alice").await;
    let mut b = Browser::logged_in(&site, "alice").await;
    let page = b.get("/works/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["cache-control"], "private, no-store");
    let doc = page.doc();
    let token = page.token();
    let form = doc
        .select(&support::sel(WORK_FORM))
        .next()
        .expect("work form")
        .html();
    insta::assert_snapshot!("new_work_form", stable(&form, &token));
    // The upload form sits beside it, with its own token.
    assert_eq!(
        attr(&doc, "form#work-import", "enctype").as_deref(),
        Some("multipart/form-data")
    );
    // Every archive warning and category AO3 has is offered.
    assert_eq!(
        texts(&doc, "dd.warning li label"),
        [
            "Creator Chose Not To Use Archive Warnings",
            "Graphic Depictions Of Violence",
            "Major Character Death",
            "No Archive Warnings Apply",
            "Rape/Non-Con",
            "Underage Sex"
        ]
    );
    assert_eq!(
        texts(&doc, "dd.category li label"),
        ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
    );
    // The script is served separately (the CSP forbids inline script).
    let js = b.get("/static/posting.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(
        js.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/javascript")
    );
    assert!(js.body.contains("/autocomplete/tag"));
}

#[tokio::test]
async fn post_a_work_with_every_field() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let mut alice = Browser::logged_in(&site, "alice").await;

    let mut f = filled_form(&mut alice, "The Long Way Round").await;
    set(&mut f, "work[co_creators]", "bob");
    set(&mut f, "work[rating]", "mature");
    set_all(
        &mut f,
        "work[warnings][]",
        &[
            "choose_not_to_use",
            "graphic_violence",
            "major_character_death",
            "no_warnings",
            "rape_non_con",
            "underage",
        ],
    );
    set_all(
        &mut f,
        "work[categories][]",
        &["ff", "fm", "gen", "mm", "multi", "other"],
    );
    set(&mut f, "work[fandoms]", "Good Omens, Discworld");
    set(&mut f, "work[relationships]", "Aziraphale/Crowley");
    set(&mut f, "work[characters]", "Aziraphale, Crowley");
    set(
        &mut f,
        "work[freeforms]",
        "Fluff,  slow   burn , Hurt/Comfort,",
    );
    set(&mut f, "work[summary]", "<p>A <em>summary</em> of it.</p>");
    set(&mut f, "work[notes_begin]", "Notes before the story.");
    set(&mut f, "work[notes_end]", "Notes after the story.");
    set(&mut f, "work[language]", "de");
    set(&mut f, "work[series]", "new");
    set(&mut f, "work[series_title]", "The Long Game");
    set(&mut f, "work[series_position]", "1");
    set(&mut f, "work[expected]", "3");
    set(&mut f, "work[published]", "2015-06-01");
    set(&mut f, "chapters[0][title]", "Beginnings");
    let r = submit(&mut alice, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.work_id();
    assert_eq!(r.location(), format!("/works/{id}"));
    // Named as co-creator, bob is invited: on the byline once he accepts.
    let mut bob = Browser::logged_in(&site, "bob").await;
    let r = bob
        .post(
            "/users/bob/creatorships",
            &format!("/users/bob/creatorships/{id}/accept"),
            &[] as &[(&str, &str)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut carol = Browser::logged_in(&site, "carol").await;
    let page = carol.get(&format!("/works/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = page.doc();
    assert_eq!(texts(&doc, "h2.title.heading"), ["The Long Way Round"]);
    assert_eq!(
        texts(&doc, "h3.byline.heading a[rel=author]"),
        ["alice", "bob"]
    );
    assert_eq!(
        attr(&doc, "h3.byline.heading a[rel=author]", "href").as_deref(),
        Some("/users/alice/pseuds/alice")
    );
    assert_eq!(dd(&doc, "rating.tags"), ["Mature"]);
    assert_eq!(
        dd(&doc, "warning.tags"),
        [
            "Creator Chose Not To Use Archive Warnings",
            "Graphic Depictions Of Violence",
            "Major Character Death",
            "No Archive Warnings Apply",
            "Rape/Non-Con",
            "Underage Sex"
        ]
    );
    assert_eq!(
        dd(&doc, "category.tags"),
        ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
    );
    assert_eq!(dd(&doc, "fandom.tags"), ["Good Omens", "Discworld"]);
    assert_eq!(dd(&doc, "relationship.tags"), ["Aziraphale/Crowley"]);
    assert_eq!(dd(&doc, "character.tags"), ["Aziraphale", "Crowley"]);
    assert_eq!(
        dd(&doc, "freeform.tags"),
        ["Fluff", "slow burn", "Hurt/Comfort"]
    );
    assert_eq!(
        inner(
            &doc,
            "div.preface.group div.summary.module blockquote.userstuff"
        )
        .as_deref(),
        Some("<p>A <em>summary</em> of it.</p>")
    );
    assert_eq!(
        texts(
            &doc,
            "div.preface.group:not(.afterword) > div.notes.module blockquote"
        ),
        ["Notes before the story."]
    );
    assert_eq!(
        texts(&doc, "div#work_endnotes blockquote.userstuff"),
        ["Notes after the story."]
    );
    assert_eq!(attr(&doc, "dd.language", "lang").as_deref(), Some("de"));
    assert_eq!(texts(&doc, "dl.stats dd.published"), ["2015-06-01"]);
    assert_eq!(texts(&doc, "dl.stats dd.chapters"), ["1/3"]);
    assert_eq!(texts(&doc, "dl.stats dd.words"), ["10"]);
    assert_eq!(
        texts(&doc, "dd.series span.series span.position"),
        ["Part 1 of The Long Game"]
    );
    assert_eq!(
        texts(&doc, "div#chapters div.chapter h3.title"),
        ["Chapter 1: Beginnings"]
    );
    assert!(
        page.body
            .contains("Once upon a time there was a story to test.")
    );

    // A second work joins the existing series at its front.
    let form = alice.get("/works/new").await;
    let doc = form.doc();
    let series_id = support::attr(
        &doc,
        "dd.series input[type=radio]:not([value=\"\"]):not([value=new])",
        "value",
    )
    .expect("the existing series is offered");
    let mut f = filled_form(&mut alice, "The Prequel").await;
    set(&mut f, "work[series]", &series_id);
    set(&mut f, "work[series_position]", "1");
    let r = submit(&mut alice, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let prequel = r.work_id();
    let mut guest = Browser::new(&site);
    let doc = guest.get(&format!("/works/{prequel}")).await.doc();
    assert_eq!(
        texts(&doc, "dd.series span.position"),
        ["Part 1 of The Long Game"]
    );
    assert_eq!(
        attr(&doc, "dd.series a", "href"),
        Some(format!("/series/{series_id}"))
    );
    let doc = guest.get(&format!("/works/{id}")).await.doc();
    assert_eq!(
        texts(&doc, "dd.series span.position"),
        ["Part 2 of The Long Game"],
        "the first work moved down, also in a guest's cached page"
    );
    assert_eq!(
        site.store
            .series_works(series_id.parse().expect("id"))
            .await
            .expect("series"),
        [(prequel, 1), (id, 2)]
    );

    // Restricted and anonymous.
    let mut f = filled_form(&mut alice, "Members Only, No Name").await;
    set(&mut f, "work[restricted]", "1");
    set(&mut f, "work[anonymous]", "1");
    let r = submit(&mut alice, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let hidden = r.work_id();
    assert_eq!(
        guest.get(&format!("/works/{hidden}")).await.status,
        StatusCode::UNAUTHORIZED,
        "a guest is asked to log in for a restricted work"
    );
    assert!(!guest.get("/").await.body.contains("Members Only, No Name"));
    let page = carol.get(&format!("/works/{hidden}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = page.doc();
    assert_eq!(texts(&doc, "h3.byline.heading"), ["Anonymous"]);
    assert!(texts(&doc, "h3.byline.heading a").is_empty());
    assert!(!page.body.contains("/users/alice/pseuds/alice"));
    // Its creator still sees her own name, and the Edit links.
    let doc = alice.get(&format!("/works/{hidden}")).await.doc();
    assert_eq!(texts(&doc, "h3.byline.heading a[rel=author]"), ["alice"]);
    assert_eq!(
        attr(&doc, "ul.edit a", "href"),
        Some(format!("/works/{hidden}/edit"))
    );
}

#[tokio::test]
async fn html_is_sanitized_and_markdown_rendered_per_work() {
    let site = start().await;
    user(&site, "alice").await;
    let mut b = Browser::logged_in(&site, "alice").await;

    let mut f = filled_form(&mut b, "Rich Text").await;
    set(
        &mut f,
        "chapters[0][body]",
        "<p onclick=\"steal()\">Hello <strong>bold</strong> <a href=\"javascript:alert(1)\">link</a></p>\
         <script>alert(1)</script><iframe src=\"https://evil.example/\"></iframe>\
         <p style=\"color:red\">Second <em>paragraph</em> <a href=\"https://example.org/\">out</a>.</p>",
    );
    set(
        &mut f,
        "work[summary]",
        "<p>Sum<script>x()</script>mary</p>",
    );
    let id = {
        let r = submit(&mut b, "/works", &f, "Post").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.work_id()
    };
    let page = b.get(&format!("/works/{id}")).await;
    let doc = page.doc();
    let body = inner(&doc, "div#chapters div.userstuff").expect("text");
    for bad in [
        "<script",
        "onclick",
        "javascript:",
        "<iframe",
        "style=",
        "steal",
    ] {
        assert!(!page.body.contains(bad), "{bad} reached the page: {body}");
    }
    assert!(body.contains("<strong>bold</strong>"), "{body}");
    assert!(body.contains("<em>paragraph</em>"), "{body}");
    assert!(
        body.contains("href=\"https://example.org/\"") && body.contains("nofollow"),
        "{body}"
    );
    assert_eq!(
        texts(&doc, "div.summary.module blockquote.userstuff"),
        ["Summary"]
    );

    // Plain text in an HTML work: blank lines make paragraphs.
    let mut f = filled_form(&mut b, "Plain").await;
    set(
        &mut f,
        "chapters[0][body]",
        "First line\nsame paragraph.\n\nSecond & last.",
    );
    let r = submit(&mut b, "/works", &f, "Post").await;
    let doc = b.get(&format!("/works/{}", r.work_id())).await.doc();
    assert_eq!(
        inner(&doc, "div#chapters div.userstuff").as_deref(),
        Some("<p>First line<br>same paragraph.</p>\n<p>Second &amp; last.</p>")
    );

    // Markdown, chosen for this work: summary, notes and text.
    let mut f = filled_form(&mut b, "Marked Down").await;
    set(&mut f, "work[text_format]", "markdown");
    set(&mut f, "work[summary]", "A *marked* summary");
    set(&mut f, "work[notes_begin]", "**Note** first");
    let md = "\n    a code block first\n\nSome *emphasis* and **bold**.\n\n- one\n- two\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))";
    set(&mut f, "chapters[0][body]", md);
    let r = submit(&mut b, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let md_id = r.work_id();
    let page = b.get(&format!("/works/{md_id}")).await;
    let doc = page.doc();
    let body = inner(&doc, "div#chapters div.userstuff").expect("text");
    assert!(body.contains("<em>emphasis</em>"), "{body}");
    assert!(body.contains("<strong>bold</strong>"), "{body}");
    assert!(body.contains("<li>one</li>"), "{body}");
    assert!(!page.body.contains("<script>alert") && !page.body.contains("javascript:"));
    assert_eq!(
        inner(&doc, "div.summary.module blockquote.userstuff").as_deref(),
        Some("<p>A <em>marked</em> summary</p>")
    );
    assert_eq!(
        inner(
            &doc,
            "div.preface.group:not(.afterword) > div.notes.module blockquote"
        )
        .as_deref(),
        Some("<p><strong>Note</strong> first</p>")
    );
    // Editing shows the Markdown as typed, not the HTML.
    let edit = b.get(&format!("/works/{md_id}/edit")).await.form(WORK_FORM);
    assert_eq!(values(&edit, "work[text_format]"), ["markdown"]);
    assert_eq!(values(&edit, "work[summary]"), ["A *marked* summary"]);
    let cid = site
        .store
        .work_for_edit(md_id)
        .await
        .expect("work")
        .expect("work")
        .chapters[0]
        .id;
    let ch = b
        .get(&format!("/works/{md_id}/chapters/{cid}/edit"))
        .await
        .form(CHAPTER_FORM);
    assert_eq!(values(&ch, "chapter[body]"), [md]);
    // The HTML work's editor shows the sanitized HTML.
    let edit = b.get(&format!("/works/{id}/edit")).await.form(WORK_FORM);
    assert_eq!(values(&edit, "work[text_format]"), ["html"]);
    assert_eq!(values(&edit, "work[summary]"), ["<p>Summary</p>"]);
}

#[tokio::test]
async fn preview_shows_what_readers_see_and_writes_nothing() {
    let site = start().await;
    user(&site, "alice").await;
    let mut b = Browser::logged_in(&site, "alice").await;
    let mut f = filled_form(&mut b, "Seen Before").await;
    set(&mut f, "work[summary]", "<p>The <em>summary</em>.</p>");
    set(&mut f, "work[notes_end]", "End notes.");
    set(&mut f, "work[freeforms]", "Preview Tag Zeta");
    set(
        &mut f,
        "chapters[0][body]",
        "<p>Text with <b>bold</b><script>alert(1)</script>.</p>",
    );
    let r = submit(&mut b, "/works", &f, "Preview").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let doc = r.doc();
    assert_eq!(
        texts(&doc, "div#preview p.notice"),
        ["Preview: this is what readers will see. Nothing has been saved yet."]
    );
    assert!(!r.body.contains("<script>alert"));
    let preview_body = inner(&doc, "div#preview div.userstuff.module").expect("preview text");
    let preview_summary = inner(&doc, "div#preview div.summary blockquote").expect("summary");
    let preview_end = inner(&doc, "div#preview div#work_endnotes blockquote").expect("end notes");
    assert_eq!(texts(&doc, "div#preview h3.byline"), ["alice"]);
    // Nothing was written: no work, no new tag.
    assert!(work_ids(&site.store).await.is_empty());
    assert_eq!(
        b.get("/autocomplete/tag?kind=freeform&term=preview")
            .await
            .body,
        "[]"
    );
    // The form comes back as typed, ready to post.
    let again = r.form(WORK_FORM);
    for name in [
        "work[title]",
        "work[summary]",
        "chapters[0][body]",
        "work[freeforms]",
    ] {
        assert_eq!(values(&again, name), values(&f, name), "{name}");
    }
    let r = submit(&mut b, "/works", &again, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = b.get(&format!("/works/{}", r.work_id())).await.doc();
    let posted = inner(&doc, "div#chapters div.userstuff").expect("text");
    assert_eq!(
        preview_body.replace("<h3 class=\"landmark heading\">Chapter Text</h3>", ""),
        posted
    );
    assert_eq!(
        inner(&doc, "div.summary.module blockquote").as_deref(),
        Some(preview_summary.as_str())
    );
    assert_eq!(
        inner(&doc, "div#work_endnotes blockquote").as_deref(),
        Some(preview_end.as_str())
    );
}

#[tokio::test]
async fn drafts_are_kept_listed_and_posted() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let empty = alice.get("/users/alice/works/drafts").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(texts(&empty.doc(), "p.empty"), ["You have no drafts."]);

    let f = filled_form(&mut alice, "Work In Progress").await;
    let r = submit(&mut alice, "/works", &f, "Save As Draft").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.work_id();
    // Its creator reads it; nobody else can, and no listing shows it.
    assert_eq!(
        alice.get(&format!("/works/{id}")).await.status,
        StatusCode::OK
    );
    let mut guest = Browser::new(&site);
    let mut bob = Browser::logged_in(&site, "bob").await;
    assert_eq!(
        guest.get(&format!("/works/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.get(&format!("/works/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!guest.get("/").await.body.contains("Work In Progress"));
    assert!(
        !bob.get("/users/alice/works")
            .await
            .body
            .contains("Work In Progress")
    );
    // Listed among her drafts, with Edit and Post.
    let drafts = alice.get("/users/alice/works/drafts").await;
    let doc = drafts.doc();
    assert_eq!(
        texts(&doc, "ol.work.index.group h4.heading a[href^=\"/works/\"]"),
        ["Work In Progress"]
    );
    assert!(
        attr(
            &doc,
            &format!("form[action=\"/works/{id}/post_draft\"]"),
            "action"
        )
        .is_some()
    );
    // Only for her.
    assert_eq!(
        bob.get("/users/alice/works/drafts").await.status,
        StatusCode::FORBIDDEN
    );
    let r = guest.get("/users/alice/works/drafts").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/users/login"));
    // Bob can't post it.
    let r = bob
        .post("/", &format!("/works/{id}/post_draft"), &[("x", "")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Posting it publishes it today.
    let r = alice
        .post(
            "/users/alice/works/drafts",
            &format!("/works/{id}/post_draft"),
            &[("x", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/works/{id}"));
    let page = guest.get(&format!("/works/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let today = tome_web::posting::date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    );
    assert_eq!(texts(&page.doc(), "dl.stats dd.published"), [today]);
    assert!(guest.get("/").await.body.contains("Work In Progress"));
    let drafts = alice.get("/users/alice/works/drafts").await;
    assert_eq!(texts(&drafts.doc(), "p.empty"), ["You have no drafts."]);
    // A second press is refused, not a second publication.
    let r = alice
        .post("/", &format!("/works/{id}/post_draft"), &[("x", "")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // A backdated draft keeps its date when posted.
    let mut f = filled_form(&mut alice, "Old Draft").await;
    set(&mut f, "work[published]", "2010-03-04");
    let r = submit(&mut alice, "/works", &f, "Save As Draft").await;
    let old = r.work_id();
    // Its edit page offers to post it.
    let edit = alice.get(&format!("/works/{old}/edit")).await;
    assert!(edit.body.contains("This work is a draft"));
    let f = edit.form("form.post-draft");
    let r = alice
        .post_raw(&format!("/works/{old}/post_draft"), &f)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        !alice
            .get(&format!("/works/{old}/edit"))
            .await
            .body
            .contains("This work is a draft")
    );
    let page = guest.get(&format!("/works/{old}")).await;
    assert_eq!(texts(&page.doc(), "dl.stats dd.published"), ["2010-03-04"]);
}

async fn chapter_ids(site: &Site, work: i64) -> Vec<i64> {
    site.store
        .work_for_edit(work)
        .await
        .expect("work")
        .expect("work")
        .chapters
        .iter()
        .map(|c| c.id)
        .collect()
}

/// Adds a chapter through its form; returns its id.
async fn add_chapter(b: &mut Browser<'_>, work: i64, title: &str, body: &str) -> i64 {
    let mut f = b
        .get(&format!("/works/{work}/chapters/new"))
        .await
        .form(CHAPTER_FORM);
    set(&mut f, "chapter[title]", title);
    set(&mut f, "chapter[body]", body);
    let r = submit(b, &format!("/works/{work}/chapters"), &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().to_string();
    loc.rsplit('/')
        .next()
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("chapter redirect {loc}"))
}

#[tokio::test]
async fn chapters_are_added_edited_reordered_and_deleted() {
    let site = start().await;
    user(&site, "alice").await;
    let mut b = Browser::logged_in(&site, "alice").await;
    let id = post_work(&mut b, "Chaptered").await;
    let first = chapter_ids(&site, id).await[0];
    let mut guest = Browser::new(&site);
    assert_eq!(
        texts(
            &guest.get(&format!("/works/{id}")).await.doc(),
            "dd.chapters"
        ),
        ["1/?"]
    );

    // A chapter preview writes nothing.
    let mut f = b
        .get(&format!("/works/{id}/chapters/new"))
        .await
        .form(CHAPTER_FORM);
    set(&mut f, "chapter[title]", "Second");
    set(
        &mut f,
        "chapter[body]",
        "<p>The second chapter's words.</p>",
    );
    let r = submit(&mut b, &format!("/works/{id}/chapters"), &f, "Preview").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        texts(&r.doc(), "div#preview div.chapter h3.title"),
        ["Chapter 2: Second"]
    );
    assert_eq!(
        values(&r.form(CHAPTER_FORM), "chapter[body]"),
        ["<p>The second chapter's words.</p>"]
    );
    assert_eq!(chapter_ids(&site, id).await.len(), 1);

    let second = add_chapter(&mut b, id, "Second", "<p>The second chapter's words.</p>").await;
    let third = add_chapter(&mut b, id, "Third", "<p>Three little words here.</p>").await;
    let page = guest.get(&format!("/works/{id}/chapters/{second}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The second chapter's words."));
    let doc = guest.get(&format!("/works/{id}")).await.doc();
    assert_eq!(texts(&doc, "dd.chapters"), ["3/?"]);
    assert_eq!(texts(&doc, "dd.words"), ["18"]);
    let nav = guest.get(&format!("/works/{id}/navigate")).await.doc();
    assert_eq!(
        texts(&nav, "ol.chapter.index.group li a"),
        ["1. Chapter 1", "2. Second", "3. Third"]
    );

    // Edit the second: the form holds what is stored.
    let edit = b.get(&format!("/works/{id}/chapters/{second}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    let mut f = edit.form(CHAPTER_FORM);
    assert_eq!(values(&f, "chapter[title]"), ["Second"]);
    assert_eq!(
        values(&f, "chapter[body]"),
        ["<p>The second chapter's words.</p>"]
    );
    set(&mut f, "chapter[title]", "Second, Revised");
    set(&mut f, "chapter[body]", "<p>Revised words only.</p>");
    set(&mut f, "chapter[notes_end]", "A chapter end note.");
    let r = submit(
        &mut b,
        &format!("/works/{id}/chapters/{second}"),
        &f,
        "Update",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/works/{id}/chapters/{second}"));
    let page = guest.get(&format!("/works/{id}/chapters/{second}")).await;
    let doc = page.doc();
    assert!(page.body.contains("Revised words only.") && !page.body.contains("second chapter's"));
    assert_eq!(
        texts(&doc, "div.chapter h3.title"),
        ["Chapter 2: Second, Revised"]
    );
    assert_eq!(
        texts(&doc, "div.end.notes blockquote"),
        ["A chapter end note."]
    );
    assert_eq!(
        texts(&guest.get(&format!("/works/{id}")).await.doc(), "dd.words"),
        ["17"]
    );

    // Reorder: third first, then the first, then the second.
    let manage = b.get(&format!("/works/{id}/chapters/manage")).await;
    assert_eq!(manage.status, StatusCode::OK);
    let mut f = manage.form("form#manage-chapters");
    assert_eq!(values(&f, &format!("chapters[{first}]")), ["1"]);
    set(&mut f, &format!("chapters[{third}]"), "1");
    set(&mut f, &format!("chapters[{first}]"), "2");
    set(&mut f, &format!("chapters[{second}]"), "3");
    let r = b
        .post_raw(&format!("/works/{id}/chapters/manage"), &f)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let nav = guest.get(&format!("/works/{id}/navigate")).await.doc();
    assert_eq!(
        texts(&nav, "ol.chapter.index.group li a"),
        ["1. Third", "2. Chapter 2", "3. Second, Revised"]
    );
    assert_eq!(chapter_ids(&site, id).await, [third, first, second]);
    // A bad position is shown again with the numbers typed.
    let mut f = b
        .get(&format!("/works/{id}/chapters/manage"))
        .await
        .form("form#manage-chapters");
    set(&mut f, &format!("chapters[{first}]"), "zero");
    let r = b
        .post_raw(&format!("/works/{id}/chapters/manage"), &f)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        values(
            &r.form("form#manage-chapters"),
            &format!("chapters[{first}]")
        ),
        ["zero"]
    );
    assert_eq!(chapter_ids(&site, id).await, [third, first, second]);

    // Delete the (now first) third chapter, through its confirmation page.
    let confirm = b
        .get(&format!("/works/{id}/chapters/{third}/confirm_delete"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let f = confirm.form("form.delete");
    let r = b
        .post_raw(&format!("/works/{id}/chapters/{third}/delete"), &f)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(chapter_ids(&site, id).await, [first, second]);
    assert_eq!(
        guest
            .get(&format!("/works/{id}/chapters/{third}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let doc = guest.get(&format!("/works/{id}")).await.doc();
    assert_eq!(texts(&doc, "dd.chapters"), ["2/?"]);
    assert_eq!(texts(&doc, "dd.words"), ["13"]);
    let nav = guest.get(&format!("/works/{id}/navigate")).await.doc();
    assert_eq!(
        texts(&nav, "ol.chapter.index.group li a"),
        ["1. Chapter 1", "2. Second, Revised"]
    );
    // The last chapter can't go: delete the work instead.
    b.post(
        "/",
        &format!("/works/{id}/chapters/{second}/delete"),
        &[("x", "")],
    )
    .await;
    let r = b
        .post(
            "/",
            &format!("/works/{id}/chapters/{first}/delete"),
            &[("x", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(chapter_ids(&site, id).await, [first]);
}

#[tokio::test]
async fn works_are_edited_and_deleted() {
    let site = start().await;
    user(&site, "alice").await;
    let mut b = Browser::logged_in(&site, "alice").await;
    let id = post_work(&mut b, "First Title").await;
    let mut guest = Browser::new(&site);
    // Read once as a guest so the page is in the cache.
    assert!(
        guest
            .get(&format!("/works/{id}"))
            .await
            .body
            .contains("First Title")
    );

    let edit = b.get(&format!("/works/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    let mut f = edit.form(WORK_FORM);
    assert_eq!(values(&f, "work[title]"), ["First Title"]);
    assert_eq!(values(&f, "work[fandoms]"), ["Good Omens"]);
    assert_eq!(values(&f, "work[rating]"), ["teen"]);
    assert_eq!(values(&f, "work[warnings][]"), ["no_warnings"]);
    assert_eq!(values(&f, "work[expected]"), ["?"]);
    // The edit form has no chapter text and no upload.
    assert!(values(&f, "chapters[0][body]").is_empty());
    assert!(
        edit.doc()
            .select(&support::sel("form#work-import"))
            .next()
            .is_none()
    );
    set(&mut f, "work[title]", "Second Title");
    set(&mut f, "work[rating]", "general");
    set(&mut f, "work[fandoms]", "Discworld");
    set(&mut f, "work[expected]", "1");
    set(&mut f, "work[summary]", "Now with a summary.");
    let r = submit(&mut b, &format!("/works/{id}"), &f, "Update").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/works/{id}"));
    let page = guest.get(&format!("/works/{id}")).await;
    let doc = page.doc();
    assert_eq!(texts(&doc, "h2.title.heading"), ["Second Title"]);
    assert_eq!(dd(&doc, "rating.tags"), ["General Audiences"]);
    assert_eq!(dd(&doc, "fandom.tags"), ["Discworld"]);
    assert_eq!(texts(&doc, "dd.chapters"), ["1/1"]);
    assert_eq!(
        texts(&doc, "div.summary blockquote"),
        ["Now with a summary."]
    );
    // Chapters were left alone.
    assert!(
        page.body
            .contains("Once upon a time there was a story to test.")
    );

    // Series: join a new one through the edit form, then leave it by choosing None.
    let mut f = b.get(&format!("/works/{id}/edit")).await.form(WORK_FORM);
    set(&mut f, "work[series]", "new");
    set(&mut f, "work[series_title]", "Edited Into");
    let r = submit(&mut b, &format!("/works/{id}"), &f, "Update").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = guest.get(&format!("/works/{id}")).await.doc();
    assert_eq!(
        texts(&doc, "dd.series span.position"),
        ["Part 1 of Edited Into"]
    );
    let f = b.get(&format!("/works/{id}/edit")).await.form(WORK_FORM);
    let chosen = values(&f, "work[series]");
    assert!(chosen[0].parse::<i64>().is_ok(), "{chosen:?}");
    assert_eq!(values(&f, "work[series_position]"), ["1"]);
    let mut f = f;
    set(&mut f, "work[series]", "");
    set(&mut f, "work[series_position]", "");
    let r = submit(&mut b, &format!("/works/{id}"), &f, "Update").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = guest.get(&format!("/works/{id}")).await.doc();
    assert!(texts(&doc, "dd.series").is_empty());

    // Delete, through its confirmation page.
    let confirm = b.get(&format!("/works/{id}/confirm_delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Are you sure you want to delete"));
    let f = confirm.form("form.delete");
    let r = b.post_raw(&format!("/works/{id}/delete"), &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/users/alice/works");
    assert_eq!(
        guest.get(&format!("/works/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(work_ids(&site.store).await.is_empty());
    assert_eq!(
        b.get(&format!("/works/{id}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn files_fill_the_work_and_chapter_forms() {
    let site = start().await;
    user(&site, "alice").await;
    let mut b = Browser::logged_in(&site, "alice").await;

    // A plain text file fills the new-work form; nothing is saved yet.
    let token = b.get("/works/new").await.token();
    let txt = "Title: The Uploaded Tale\nAuthor: alice\nRating: PG-13\nFandom: Discworld\nSummary: Told from a file.\n\nIt was a dark and stormy night.\n\nThe rain fell in torrents.\n";
    let r = b
        .post_file(
            "/works/import",
            &[("authenticity_token", &token)],
            Some(("tale.txt", "text/plain", txt.as_bytes())),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        texts(&r.doc(), "p#form-message"),
        ["Filled in from tale.txt: check everything, then preview or post."]
    );
    let mut f = r.form(WORK_FORM);
    assert_eq!(values(&f, "work[title]"), ["The Uploaded Tale"]);
    assert_eq!(values(&f, "work[rating]"), ["teen"]);
    assert_eq!(values(&f, "work[fandoms]"), ["Discworld"]);
    let body = values(&f, "chapters[0][body]").concat();
    assert!(body.contains("It was a dark and stormy night."), "{body}");
    assert!(work_ids(&site.store).await.is_empty());
    set_all(&mut f, "work[warnings][]", &["no_warnings"]);
    let r = submit(&mut b, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.work_id();
    let page = b.get(&format!("/works/{id}")).await;
    let doc = page.doc();
    assert_eq!(texts(&doc, "h2.title.heading"), ["The Uploaded Tale"]);
    assert_eq!(
        texts(&doc, "div#chapters div.userstuff p"),
        [
            "It was a dark and stormy night.",
            "The rain fell in torrents."
        ]
    );
    assert_eq!(texts(&doc, "div.summary blockquote"), ["Told from a file."]);

    // An HTML file fills the new-chapter form.
    let token = b.get(&format!("/works/{id}/chapters/new")).await.token();
    let html = "<html><head><title>Next</title><script>alert(1)</script></head><body>\
        <h1>Chapter Two</h1><p>The <em>storm</em> passed.</p><p onclick=\"x()\">Morning came.</p>\
        </body></html>";
    let r = b
        .post_file(
            &format!("/works/{id}/chapters/import"),
            &[("authenticity_token", &token)],
            Some(("next.html", "text/html", html.as_bytes())),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f = r.form(CHAPTER_FORM);
    let body = values(&f, "chapter[body]").concat();
    assert!(body.contains("<em>storm</em>"), "{body}");
    assert!(
        !body.contains("script") && !body.contains("onclick"),
        "{body}"
    );
    assert_eq!(chapter_ids(&site, id).await.len(), 1, "nothing saved yet");
    let r = submit(&mut b, &format!("/works/{id}/chapters"), &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = b.get(r.location()).await;
    assert!(page.body.contains("<em>storm</em>"));
    assert!(page.body.contains("Morning came."));

    // No file, or a file the importer can't read: the form again, with a message.
    let token = b.get("/works/new").await.token();
    let r = b
        .post_file("/works/import", &[("authenticity_token", &token)], None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&r.doc(), "p#form-message"),
        ["Please choose a file to upload."]
    );
    let r = b
        .post_file(
            "/works/import",
            &[("authenticity_token", &token)],
            Some(("empty.txt", "text/plain", b"")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        texts(&r.doc(), "p#form-message")
            .concat()
            .starts_with("The file could not be read"),
        "{}",
        r.body
    );
    // Without the token: refused.
    let r = b
        .post_file(
            "/works/import",
            &[],
            Some(("tale.txt", "text/plain", txt.as_bytes())),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(work_ids(&site.store).await, [id]);
}

#[tokio::test]
async fn tag_autocomplete_by_prefix() {
    let site = start().await;
    user(&site, "alice").await;
    let mut b = Browser::logged_in(&site, "alice").await;
    let mut f = filled_form(&mut b, "Tagged").await;
    set(
        &mut f,
        "work[fandoms]",
        "Harry Potter - J. K. Rowling, Hamilton - Miranda",
    );
    set(&mut f, "work[characters]", "Harry Potter");
    set(&mut f, "work[freeforms]", "100% Fluff, 100 Words");
    let r = submit(&mut b, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut guest = Browser::new(&site);
    let r = guest.get("/autocomplete/tag?kind=fandom&term=ha").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/json");
    let names: Vec<String> = serde_json::from_str(&r.body).expect("json");
    assert_eq!(
        names,
        ["Hamilton - Miranda", "Harry Potter - J. K. Rowling"]
    );
    let names: Vec<String> = serde_json::from_str(
        &guest
            .get("/autocomplete/tag?kind=fandom&term=HARRY")
            .await
            .body,
    )
    .expect("json");
    assert_eq!(names, ["Harry Potter - J. K. Rowling"]);
    // By kind: the character of the same name, not the fandom.
    let names: Vec<String> = serde_json::from_str(
        &guest
            .get("/autocomplete/tag?kind=character&term=har")
            .await
            .body,
    )
    .expect("json");
    assert_eq!(names, ["Harry Potter"]);
    // % is a character, not a wildcard.
    let names: Vec<String> = serde_json::from_str(
        &guest
            .get("/autocomplete/tag?kind=freeform&term=100%25")
            .await
            .body,
    )
    .expect("json");
    assert_eq!(names, ["100% Fluff"]);
    assert_eq!(
        guest
            .get("/autocomplete/tag?kind=fandom&term=zz")
            .await
            .body,
        "[]"
    );
    assert_eq!(
        guest.get("/autocomplete/tag?kind=fandom&term=").await.body,
        "[]"
    );
    assert_eq!(
        guest
            .get("/autocomplete/tag?kind=rating&term=ge")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn validation_errors_keep_what_was_typed() {
    let site = start().await;
    user(&site, "alice").await;
    let mut b = Browser::logged_in(&site, "alice").await;
    let mut f = filled_form(&mut b, "").await;
    set(&mut f, "work[fandoms]", "");
    set(&mut f, "work[relationships]", "Typed/Relationship");
    set(&mut f, "work[freeforms]", "kept tag one, kept tag two");
    set(&mut f, "work[summary]", "A summary I typed.");
    set(&mut f, "work[notes_begin]", "Notes I typed.");
    set(&mut f, "work[published]", "2019-02-30");
    set(&mut f, "work[co_creators]", "nobody_by_that_name");
    set(&mut f, "work[expected]", "many");
    set(&mut f, "work[series]", "new");
    set(&mut f, "work[series_title]", "A Series Typed");
    set(&mut f, "work[restricted]", "1");
    set(&mut f, "chapters[0][title]", "Typed chapter title");
    set(&mut f, "chapters[0][body]", "   ");
    set_all(&mut f, "work[categories][]", &["gen", "mm"]);
    let r = submit(&mut b, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let doc = r.doc();
    // A message beside each field.
    for (id, msg) in [
        ("title-error", "Please enter a title."),
        ("fandoms-error", "Please fill in at least one fandom."),
        ("published-error", "Please enter the date as YYYY-MM-DD."),
        (
            "co_creators-error",
            "There is no pseud named \"nobody_by_that_name\".",
        ),
        (
            "expected-error",
            "Please enter a number of chapters or \"?\".",
        ),
        ("body-error", "The chapter text can't be blank."),
    ] {
        assert_eq!(texts(&doc, &format!("p.error#{id}")), [msg], "{id}");
    }
    assert!(!texts(&doc, "div#error li").is_empty());
    // Everything typed is back in the form.
    let again = r.form(WORK_FORM);
    for (name, _) in &f {
        if name == "authenticity_token" {
            continue;
        }
        assert_eq!(values(&again, name), values(&f, name), "{name}");
    }
    // And nothing was written: no work, no series, no tag.
    assert!(work_ids(&site.store).await.is_empty());
    assert!(
        site.store
            .series_of_user(1)
            .await
            .expect("series")
            .is_empty()
    );
    assert_eq!(
        b.get("/autocomplete/tag?kind=freeform&term=kept")
            .await
            .body,
        "[]"
    );

    // A future date, a count below the chapters, a bad rating.
    let mut f = filled_form(&mut b, "Dated").await;
    set(&mut f, "work[published]", "2999-01-01");
    set(&mut f, "work[expected]", "0");
    set(&mut f, "work[rating]", "");
    set_all(&mut f, "work[warnings][]", &[]);
    let r = submit(&mut b, "/works", &f, "Save As Draft").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = r.doc();
    assert_eq!(
        texts(&doc, "p.error#published-error"),
        ["The publication date can't be in the future."]
    );
    assert_eq!(
        texts(&doc, "p.error#expected-error"),
        ["The expected number of chapters can't be fewer than the chapters posted."]
    );
    assert_eq!(
        texts(&doc, "p.error#rating-error"),
        ["Please choose a rating."]
    );
    assert_eq!(texts(&doc, "p.error#warnings-error").len(), 1);
    assert_eq!(
        values(&r.form(WORK_FORM), "work[published]"),
        ["2999-01-01"]
    );
    assert!(work_ids(&site.store).await.is_empty());

    // Creators: none ticked, or someone else's pseud id forged into the form.
    user(&site, "mallory").await;
    let mallory_pseud = site.store.pseuds_named("mallory").await.expect("pseuds")[0]
        .id
        .to_string();
    let mut f = filled_form(&mut b, "Whose").await;
    set_all(&mut f, "work[pseud_ids][]", &[]);
    let r = submit(&mut b, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&r.doc(), "p.error#pseuds-error"),
        ["Please choose at least one of your pseuds."]
    );
    set_all(&mut f, "work[pseud_ids][]", &[&mallory_pseud]);
    let r = submit(&mut b, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&r.doc(), "p.error#pseuds-error")
            .contains(&"Please choose only your own pseuds.".to_string())
    );
    assert!(work_ids(&site.store).await.is_empty());

    // Editing: errors keep the typed values and change nothing.
    let id = post_work(&mut b, "Stored Title").await;
    let mut f = b.get(&format!("/works/{id}/edit")).await.form(WORK_FORM);
    set(&mut f, "work[title]", "  ");
    set(&mut f, "work[fandoms]", "New Fandom Typed");
    let r = submit(&mut b, &format!("/works/{id}"), &f, "Update").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&r.doc(), "p.error#title-error"),
        ["Please enter a title."]
    );
    assert_eq!(
        values(&r.form(WORK_FORM), "work[fandoms]"),
        ["New Fandom Typed"]
    );
    let stored = site
        .store
        .work_for_edit(id)
        .await
        .expect("work")
        .expect("work");
    assert_eq!(stored.input.title, "Stored Title");

    // A chapter with no text.
    let mut f = b
        .get(&format!("/works/{id}/chapters/new"))
        .await
        .form(CHAPTER_FORM);
    set(&mut f, "chapter[title]", "Empty one");
    set(&mut f, "chapter[body]", "<p> </p>");
    let r = submit(&mut b, &format!("/works/{id}/chapters"), &f, "Post").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = r.doc();
    assert_eq!(
        texts(&doc, "p.error#body-error"),
        ["The chapter text can't be blank."]
    );
    assert_eq!(
        values(&r.form(CHAPTER_FORM), "chapter[title]"),
        ["Empty one"]
    );
    assert_eq!(chapter_ids(&site, id).await.len(), 1);
}

#[tokio::test]
async fn refusals_without_token_for_others_and_guests() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let id = post_work(&mut alice, "Alice's Own").await;
    let first = chapter_ids(&site, id).await[0];
    let second = add_chapter(&mut alice, id, "Two", "<p>Second words.</p>").await;
    let before = site
        .store
        .work_for_edit(id)
        .await
        .expect("work")
        .expect("work");

    // No CSRF token: refused, the form shown again as typed, nothing written.
    let mut f = filled_form(&mut alice, "Tokenless").await;
    f.retain(|(k, _)| k != "authenticity_token");
    let r = submit(&mut alice, "/works", &f, "Post").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(values(&r.form(WORK_FORM), "work[title]"), ["Tokenless"]);
    assert!(
        texts(&r.doc(), "p#form-message")
            .concat()
            .contains("expired"),
        "{}",
        r.body
    );
    let mut f2 = f.clone();
    f2.push(("authenticity_token".into(), "forged".into()));
    assert_eq!(
        submit(&mut alice, "/works", &f2, "Post").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(work_ids(&site.store).await, [id]);
    let mut f = alice
        .get(&format!("/works/{id}/edit"))
        .await
        .form(WORK_FORM);
    f.retain(|(k, _)| k != "authenticity_token");
    set(&mut f, "work[title]", "Changed Without Token");
    assert_eq!(
        submit(&mut alice, &format!("/works/{id}"), &f, "Update")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for (path, fields) in [
        (format!("/works/{id}/delete"), vec![]),
        (format!("/works/{id}/chapters/{second}/delete"), vec![]),
        (
            format!("/works/{id}/chapters"),
            vec![("chapter[body]".to_string(), "<p>No token.</p>".to_string())],
        ),
        (
            format!("/works/{id}/chapters/{first}"),
            vec![("chapter[body]".to_string(), "<p>No token.</p>".to_string())],
        ),
        (
            format!("/works/{id}/chapters/manage"),
            vec![
                (format!("chapters[{first}]"), "2".to_string()),
                (format!("chapters[{second}]"), "1".to_string()),
            ],
        ),
    ] {
        let r = alice.post_raw(&path, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }

    // Bob: none of alice's edit pages, none of her changes.
    let mut bob = Browser::logged_in(&site, "bob").await;
    for path in [
        format!("/works/{id}/edit"),
        format!("/works/{id}/confirm_delete"),
        format!("/works/{id}/chapters/new"),
        format!("/works/{id}/chapters/manage"),
        format!("/works/{id}/chapters/{first}/edit"),
        format!("/works/{id}/chapters/{first}/confirm_delete"),
    ] {
        let r = bob.get(&path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            !r.body.contains("id=\"work-form\"") && !r.body.contains("id=\"chapter-form\""),
            "{path}"
        );
    }
    let edit_fields = {
        let mut f = alice
            .get(&format!("/works/{id}/edit"))
            .await
            .form(WORK_FORM);
        f.retain(|(k, _)| k != "authenticity_token");
        set(&mut f, "work[title]", "Bob Was Here");
        f.push(("commit".into(), "Update".into()));
        f
    };
    let chapter = vec![(
        "chapter[body]".to_string(),
        "<p>Bob's words.</p>".to_string(),
    )];
    let order = vec![
        (format!("chapters[{first}]"), "2".to_string()),
        (format!("chapters[{second}]"), "1".to_string()),
    ];
    for (path, fields) in [
        (format!("/works/{id}"), edit_fields.clone()),
        (format!("/works/{id}/delete"), vec![]),
        (format!("/works/{id}/chapters"), chapter.clone()),
        (format!("/works/{id}/chapters/{first}"), chapter.clone()),
        (format!("/works/{id}/chapters/{second}/delete"), vec![]),
        (format!("/works/{id}/chapters/manage"), order.clone()),
    ] {
        // With bob's own valid token.
        let r = bob.post("/", &path, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
    }
    let token = bob.get("/").await.token();
    let r = bob
        .post_file(
            &format!("/works/{id}/chapters/import"),
            &[("authenticity_token", &token)],
            Some(("x.txt", "text/plain", b"Some words.")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Bob's drafts are his alone: alice's draft is a 404 to him.
    let f = filled_form(&mut alice, "Alice's Draft").await;
    let draft = submit(&mut alice, "/works", &f, "Save As Draft")
        .await
        .work_id();
    assert_eq!(
        bob.get(&format!("/works/{draft}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.post("/", &format!("/works/{draft}/delete"), &[("x", "")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A guest is sent to log in, and nothing is written.
    let mut guest = Browser::new(&site);
    for path in [
        "/works/new".to_string(),
        format!("/works/{id}/edit"),
        format!("/works/{id}/chapters/new"),
        format!("/works/{id}/chapters/manage"),
    ] {
        let r = guest.get(&path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            r.location().starts_with("/users/login?return_to="),
            "{path}"
        );
    }
    let r = guest
        .post(
            "/users/login",
            "/works",
            &filled_form(&mut alice, "Guest Post").await,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/users/login"));
    for (path, fields) in [
        (format!("/works/{id}/delete"), vec![]),
        (format!("/works/{id}/chapters"), chapter.clone()),
        (format!("/works/{id}/chapters/manage"), order.clone()),
    ] {
        let r = guest.post("/users/login", &path, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(r.location().starts_with("/users/login"), "{path}");
    }

    // Alice's work is exactly as it was.
    let after = site
        .store
        .work_for_edit(id)
        .await
        .expect("work")
        .expect("work");
    assert_eq!(after.input.title, "Alice's Own");
    assert_eq!(after.version, before.version);
    assert_eq!(
        after
            .chapters
            .iter()
            .map(|c| (c.id, c.input.body.html.clone()))
            .collect::<Vec<_>>(),
        before
            .chapters
            .iter()
            .map(|c| (c.id, c.input.body.html.clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(work_ids(&site.store).await, [id, draft]);
}
