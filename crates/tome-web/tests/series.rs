//! The series page over real HTTP against a real SQLite archive: works in order with
//! their part numbers, drafts kept from others, anonymous creators, unknown series,
//! the subscribe button, and a deleted work's gap closed.

mod support;

use reqwest::StatusCode;
use support::{Browser, Fields, Site, attr, set, set_all, start, texts, user};

/// The new-work form filled with a valid one-chapter work in `series` (`new`, with
/// `new_title`, or an existing series id).
async fn series_work(b: &mut Browser<'_>, title: &str, series: &str, new_title: &str) -> Fields {
    let page = b.get("/works/new").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut f = page.form("form#work-form");
    set(&mut f, "work[title]", title);
    set(&mut f, "work[rating]", "teen");
    set_all(&mut f, "work[warnings][]", &["no_warnings"]);
    set(&mut f, "work[fandoms]", "Good Omens");
    set(&mut f, "chapters[0][body]", "<p>Three words here.</p>");
    set(&mut f, "work[series]", series);
    set(&mut f, "work[series_title]", new_title);
    f
}

/// Submits a filled form with the given button; returns the new work's id.
async fn submit(b: &mut Browser<'_>, f: &Fields, commit: &str) -> i64 {
    let mut all = f.clone();
    all.push(("commit".into(), commit.into()));
    let r = b.post_raw("/works", &all).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.work_id()
}

/// The series a work is in (the first), from the store.
async fn series_of(site: &Site, work: i64) -> i64 {
    site.store
        .series_places(work)
        .await
        .expect("places")
        .first()
        .expect("in a series")
        .id
}

/// Titles of the blurbs on a series page, in order.
fn titles(doc: &scraper::Html) -> Vec<String> {
    texts(
        doc,
        "ul.series.work.index.group > li.work.blurb.group h4.heading > a:first-child",
    )
}

fn parts(doc: &scraper::Html) -> Vec<String> {
    texts(doc, "li.work.blurb.group ul.series li")
}

#[tokio::test]
async fn works_in_order_drafts_hidden_and_deleting_renumbers() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let f = series_work(&mut alice, "First Part", "new", "The Long Game").await;
    let first = submit(&mut alice, &f, "Post").await;
    let sid = series_of(&site, first).await;
    let f = series_work(&mut alice, "Second Part", &sid.to_string(), "").await;
    let second = submit(&mut alice, &f, "Post").await;
    let f = series_work(&mut alice, "Draft Part", &sid.to_string(), "").await;
    let draft = submit(&mut alice, &f, "Save As Draft").await;
    let f = series_work(&mut alice, "Fourth Part", &sid.to_string(), "").await;
    submit(&mut alice, &f, "Post").await;

    let path = format!("/series/{sid}");
    let mut guest = Browser::new(&site);
    let page = guest.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let doc = page.doc();
    assert_eq!(texts(&doc, "h2.heading"), ["The Long Game"]);
    assert_eq!(titles(&doc), ["First Part", "Second Part", "Fourth Part"]);
    assert_eq!(
        parts(&doc),
        [
            "Part 1 of The Long Game",
            "Part 2 of The Long Game",
            "Part 4 of The Long Game"
        ]
    );
    assert_eq!(
        attr(&doc, "li.work.blurb.group ul.series a", "href"),
        Some(path.clone())
    );
    assert_eq!(texts(&doc, "dl.series.meta dd a[rel=author]"), ["alice"]);
    assert_eq!(texts(&doc, "dl.series.meta dl.stats dd.works"), ["3"]);
    assert_eq!(texts(&doc, "dl.series.meta dl.stats dd.words"), ["9"]);
    assert_eq!(texts(&doc, "dl.series.meta dl.stats dd.complete"), ["No"]);
    // Guests get no subscribe button; nor does the page mention the draft.
    assert!(texts(&doc, "form#subscribe_series").is_empty());
    assert!(!page.body.contains("Draft Part"));

    // Another reader doesn't see the draft either; its creator does.
    let mut bob = Browser::logged_in(&site, "bob").await;
    let doc = bob.get(&path).await.doc();
    assert_eq!(titles(&doc), ["First Part", "Second Part", "Fourth Part"]);
    let doc = alice.get(&path).await.doc();
    assert_eq!(
        titles(&doc),
        ["First Part", "Second Part", "Draft Part", "Fourth Part"]
    );
    assert_eq!(texts(&doc, "dl.series.meta dl.stats dd.works"), ["4"]);

    // Logged-in readers may subscribe, with the form's token.
    let page = bob.get(&path).await;
    let form = page.form("form#subscribe_series");
    assert_eq!(
        attr(&page.doc(), "form#subscribe_series", "action"),
        Some(format!("/series/{sid}/subscriptions"))
    );
    let r = bob
        .post_raw(&format!("/series/{sid}/subscriptions"), &form)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = bob.get(&path).await.doc();
    assert_eq!(
        attr(&doc, "form#subscribe_series input[type=submit]", "value").as_deref(),
        Some("Unsubscribe")
    );

    // Deleting the second work closes its gap: the later parts move up.
    let confirm = alice.get(&format!("/works/{second}/confirm_delete")).await;
    let f = confirm.form("form.delete");
    let r = alice.post_raw(&format!("/works/{second}/delete"), &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = guest.get(&path).await.doc();
    assert_eq!(titles(&doc), ["First Part", "Fourth Part"]);
    assert_eq!(
        parts(&doc),
        ["Part 1 of The Long Game", "Part 3 of The Long Game"]
    );
    let order: Vec<u32> = site
        .store
        .series_works(sid)
        .await
        .expect("order")
        .iter()
        .map(|(_, p)| *p)
        .collect();
    assert_eq!(order, [1, 2, 3]);
    assert_eq!(
        site.store.series_places(draft).await.expect("places")[0].position,
        2
    );
    // The work page of a later part says where it now is.
    let doc = guest.get(&format!("/works/{first}")).await.doc();
    assert_eq!(
        texts(&doc, "dd.series span.position"),
        ["Part 1 of The Long Game"]
    );
}

#[tokio::test]
async fn anonymous_series_unknown_and_draft_only_series() {
    let site = start().await;
    user(&site, "alice").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut f = series_work(&mut alice, "Secret", "new", "Masks").await;
    set(&mut f, "work[anonymous]", "1");
    let anon = submit(&mut alice, &f, "Post").await;
    let sid = series_of(&site, anon).await;
    let f = series_work(&mut alice, "Named", &sid.to_string(), "").await;
    submit(&mut alice, &f, "Post").await;

    let path = format!("/series/{sid}");
    let mut guest = Browser::new(&site);
    let page = guest.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let doc = page.doc();
    // One anonymous work makes the series anonymous, so the named one can't give it away.
    assert_eq!(
        texts(&doc, "dl.series.meta dd").first().map(String::as_str),
        Some("Anonymous")
    );
    assert!(!page.body.contains("/users/alice"), "{}", page.body);
    assert_eq!(titles(&doc), ["Secret", "Named"]);
    assert!(texts(&doc, "li.work.blurb.group a[rel=author]").is_empty());
    assert!(
        texts(&doc, "li.work.blurb.group h4.heading")
            .iter()
            .all(|h| h.ends_with("Anonymous"))
    );
    // Its creator sees themselves.
    let doc = alice.get(&path).await.doc();
    assert_eq!(texts(&doc, "dl.series.meta dd a[rel=author]"), ["alice"]);

    // Unknown and malformed series.
    assert_eq!(guest.get("/series/999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(guest.get("/series/abc").await.status, StatusCode::NOT_FOUND);

    // A series holding only a draft is not there for anyone else.
    let f = series_work(&mut alice, "Not Yet", "new", "Unborn").await;
    let d = submit(&mut alice, &f, "Save As Draft").await;
    let unborn = series_of(&site, d).await;
    assert_eq!(
        guest.get(&format!("/series/{unborn}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        alice.get(&format!("/series/{unborn}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn header_search_box() {
    let site = start().await;
    let mut guest = Browser::new(&site);
    let doc = guest.get("/works").await.doc();
    assert_eq!(
        attr(&doc, "header form[role=search]", "action").as_deref(),
        Some("/works/search")
    );
    assert_eq!(
        attr(&doc, "header form[role=search]", "method").as_deref(),
        Some("get")
    );
    let id = attr(
        &doc,
        "header form[role=search] input[name=\"work_search[query]\"]",
        "id",
    )
    .expect("query field");
    assert_eq!(
        attr(&doc, "header form[role=search] label", "for"),
        Some(id)
    );
}
