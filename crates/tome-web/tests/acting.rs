//! Where people act (issue 12): the flows that were wrong. A draft's own page says it is a
//! draft and offers "Post Draft", not kudos, bookmarks or comments; a guest opening a
//! restricted work is asked to log in (and nothing of it shows); `GET
//! /works/ID/comments` leads to the work's comments; sign-up ends with a word of
//! success; refused fields are marked for assistive technology; the filter sidebar
//! folds (include groups open, Exclude folded until used).

mod support;

use reqwest::StatusCode;
use support::{Browser, Fields, attr, set, set_all, start, texts, user};

/// The new-work form as the browser got it, filled with a valid one-chapter work.
async fn filled_form(b: &mut Browser<'_>, title: &str) -> Fields {
    let page = b.get("/works/new").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut f = page.form("form#work-form");
    set(&mut f, "work[title]", title);
    set(&mut f, "work[rating]", "teen");
    set_all(&mut f, "work[warnings][]", &["no_warnings"]);
    set(&mut f, "work[fandoms]", "Good Omens");
    set(
        &mut f,
        "chapters[0][body]",
        "<p>The secret text of this work.</p>",
    );
    f
}

async fn submit(b: &mut Browser<'_>, f: &Fields, commit: &str) -> support::Page {
    let mut all = f.clone();
    all.push(("commit".into(), commit.into()));
    b.post_raw("/works", &all).await
}

#[tokio::test]
async fn a_draft_says_so_and_offers_post_draft_not_feedback() {
    let site = start().await;
    user(&site, "alice").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let f = filled_form(&mut alice, "Half Done").await;
    let r = submit(&mut alice, &f, "Save As Draft").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.work_id();

    let page = alice.get(&format!("/works/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = page.doc();
    let notice = texts(&doc, "#draft-notice p strong");
    assert_eq!(notice, ["This work is a draft and has not been posted."]);
    assert_eq!(
        attr(&doc, "#draft-notice form.post-draft", "action").as_deref(),
        Some(format!("/works/{id}/post_draft").as_str())
    );
    // No kudos, bookmark, subscription or comment forms on a draft.
    for absent in [
        "form#new_kudo",
        "form#bookmark_form",
        "form#subscribe_work",
        "form.new_comment",
        "#comments_placeholder",
    ] {
        assert!(!page.has(absent), "a draft offers {absent}");
    }
    // Its Post Draft button posts it; the page then offers feedback and no notice.
    let form = page.form("#draft-notice form.post-draft");
    let r = alice
        .post_raw(&format!("/works/{id}/post_draft"), &form)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = alice.get(&format!("/works/{id}")).await;
    assert!(!page.has("#draft-notice"));
    assert!(page.has("form#bookmark_form"));
    assert!(page.has("#comments_placeholder"));
}

#[tokio::test]
async fn a_guest_is_asked_to_log_in_to_a_restricted_work() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut f = filled_form(&mut alice, "Members Only Title").await;
    set(&mut f, "work[restricted]", "1");
    let r = submit(&mut alice, &f, "Post").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.work_id();
    let chapter = site
        .store
        .work(id)
        .await
        .expect("work")
        .expect("there")
        .chapters[0]
        .id;

    let mut guest = Browser::new(&site);
    for (path, back) in [
        (format!("/works/{id}"), format!("/works/{id}")),
        (
            format!("/works/{id}?view_full_work=true"),
            format!("/works/{id}"),
        ),
        (
            format!("/works/{id}/chapters/{chapter}"),
            format!("/works/{id}/chapters/{chapter}"),
        ),
    ] {
        let p = guest.get(&path).await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            p.texts("h2.heading"),
            ["Log in to read this work"],
            "{path}"
        );
        // Nothing of the work: not its title, not its text, not its creator.
        for secret in ["Members Only Title", "secret text", "alice"] {
            assert!(!p.body.contains(secret), "{path} shows {secret:?}");
        }
        let href = attr(
            &p.doc(),
            "#login-required a[href^=\"/users/login\"]",
            "href",
        )
        .expect("a log-in link");
        let q = serde_urlencoded::to_string([("return_to", back.as_str())]).expect("qs");
        assert!(href.ends_with(&q), "{href} returns to {back}");
        // The log-in page says why, and logging in there returns to the work.
        let login = guest.get(&href).await;
        assert_eq!(login.status, StatusCode::OK);
        assert_eq!(
            login.texts("#login-notice p"),
            ["This work is only available to registered users of the archive. Log in to read it."]
        );
        assert_eq!(
            attr(&login.doc(), "input[name=return_to]", "value").as_deref(),
            Some(back.as_str())
        );
    }
    // Downloads and the chapter index still answer "doesn't exist" to guests.
    for path in [
        format!("/works/{id}/download.epub"),
        format!("/works/{id}/navigate"),
    ] {
        let p = guest.get(&path).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!p.body.contains("Members Only Title"));
    }
    // Logging in through the form lands on the work, which a member reads.
    let login = guest
        .get(&format!(
            "/users/login?restricted=true&return_to=/works/{id}"
        ))
        .await;
    let mut fields = login.form("form#new_user_session_small");
    set(&mut fields, "user[login]", "bob");
    set(&mut fields, "user[password]", "password1");
    let r = guest.post_raw("/users/login", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/works/{id}"));
    let p = guest.get(&format!("/works/{id}")).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("secret text"));

    // A draft or a missing work is still "doesn't exist" for guests, not "log in".
    let f = filled_form(&mut alice, "Secret Draft").await;
    let r = submit(&mut alice, &f, "Save As Draft").await;
    let draft = r.work_id();
    let mut guest = Browser::new(&site);
    for path in [format!("/works/{draft}"), "/works/987654".to_string()] {
        let p = guest.get(&path).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!p.has("#login-required"), "{path}");
    }
}

#[tokio::test]
async fn get_comments_leads_to_the_works_comments() {
    let site = start().await;
    user(&site, "alice").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let f = filled_form(&mut alice, "Talked About").await;
    let id = submit(&mut alice, &f, "Post").await.work_id();
    let mut guest = Browser::new(&site);
    let r = guest.get(&format!("/works/{id}/comments")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/works/{id}#comments_placeholder"));
    let page = guest.get(&format!("/works/{id}")).await;
    assert!(page.has("#comments_placeholder"));
    // Not a number: not a page.
    assert_eq!(
        guest.get("/works/abc/comments").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn sign_up_ends_with_a_word_of_success() {
    let site = start().await;
    let mut b = Browser::new(&site);
    let r = b
        .post(
            "/users/new",
            "/users",
            &[
                ("user[login]", "newcomer"),
                ("user[email]", "newcomer@example.org"),
                ("user[password]", "password1"),
                ("user[password_confirmation]", "password1"),
                ("user[age_over_13]", "1"),
                ("user[terms_of_service]", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let next = r.location().to_string();
    let page = b.get(&next).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts("#login-notice p"),
        ["Your account was created. Log in with your user name and password to start."]
    );
    // The plain log-in page says nothing of the sort.
    assert!(!b.get("/users/login").await.has("#login-notice"));
}

#[tokio::test]
async fn refused_fields_are_marked_and_described() {
    let site = start().await;
    user(&site, "alice").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut f = filled_form(&mut alice, "").await;
    set(&mut f, "work[fandoms]", "");
    let r = submit(&mut alice, &f, "Post").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let doc = r.doc();
    for (input, field) in [("work_title", "title"), ("work_fandoms", "fandoms")] {
        let s = format!("#{input}");
        assert_eq!(
            attr(&doc, &s, "aria-invalid").as_deref(),
            Some("true"),
            "{input}"
        );
        let described = attr(&doc, &s, "aria-describedby").expect("described");
        assert_eq!(described, format!("{field}-error"));
        assert!(
            !texts(&doc, &format!("p#{described}")).is_empty(),
            "the message {described} is there"
        );
    }
    // A field that was fine is not marked.
    assert_eq!(attr(&doc, "#work_rating", "aria-invalid"), None);

    // Sign-up marks its refused fields the same way.
    let mut b = Browser::new(&site);
    let r = b
        .post(
            "/users/new",
            "/users",
            &[
                ("user[login]", "x"),
                ("user[email]", "ok@example.org"),
                ("user[password]", "password1"),
                ("user[password_confirmation]", "password1"),
                ("user[age_over_13]", "1"),
                ("user[terms_of_service]", "1"),
            ],
        )
        .await;
    let doc = r.doc();
    assert_eq!(
        attr(&doc, "#user_login", "aria-describedby").as_deref(),
        Some("login-error")
    );
    assert_eq!(attr(&doc, "#user_email", "aria-invalid"), None);
}

#[tokio::test]
async fn the_filter_sidebar_folds_exclude_until_used() {
    let site = support::start_indexed(async |_| {}).await;
    user(&site, "alice").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let f = filled_form(&mut alice, "Filtered").await;
    submit(&mut alice, &f, "Post").await.work_id();
    let mut guest = Browser::new(&site);
    let path = "/tags/Good%20Omens/works";
    // The indexer picks the work up a moment later.
    let mut p = guest.get(path).await;
    for _ in 0..100 {
        if p.has("ol.work.index li.blurb") && p.has("form#work-filters") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        p = guest.get(&format!("{path}?page=1")).await;
    }
    assert_eq!(p.status, StatusCode::OK);
    let doc = p.doc();
    // The sidebar comes before the results in the page (beside them by CSS) and folds
    // into a "Filters" button on phones.
    assert!(
        p.has(".filtered-listing > form#work-filters + .filtered-results"),
        "{}",
        p.body
    );
    assert_eq!(
        texts(&doc, "form#work-filters details#filters-toggle > summary"),
        ["Filters"]
    );
    // Include groups are open; each tag appears once among them.
    assert!(p.has("details#include_rating_tags[open]"));
    let ratings = texts(&doc, "details#include_rating_tags li label span:last-child");
    assert_eq!(ratings, ["Teen And Up Audiences (1)"]);
    // Exclude starts folded, and opens once something is excluded.
    assert!(p.has("details#exclude-filters:not([open])"));
    assert!(p.has("details#exclude-filters details#exclude_rating_tags"));
    let name = attr(&doc, "#exclude_rating_tags input", "name").expect("name");
    let value = attr(&doc, "#exclude_rating_tags input", "value").expect("value");
    let q = serde_urlencoded::to_string([(name, value)]).expect("qs");
    let p = guest.get(&format!("{path}?{q}")).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.has("details#exclude-filters[open]"));
    assert!(p.has("details#exclude_rating_tags[open] input[checked]"));
    assert!(p.texts("h2.heading").iter().any(|h| h.starts_with("0 ")));
    // More Options start folded unless one is set.
    assert!(!p.has("details#more-filters[open]"));
    let p = guest
        .get(&format!("{path}?work_search%5Bwords_from%5D=1"))
        .await;
    assert!(p.has("details#more-filters[open]"));
}

#[tokio::test]
async fn a_works_bookmarks_page_lists_what_each_reader_may_see() {
    let site = start().await;
    for u in ["alice", "bob", "cat"] {
        user(&site, u).await;
    }
    let mut alice = Browser::logged_in(&site, "alice").await;
    let f = filled_form(&mut alice, "Well Kept").await;
    let id = submit(&mut alice, &f, "Post").await.work_id();
    let mut bob = Browser::logged_in(&site, "bob").await;
    let mut cat = Browser::logged_in(&site, "cat").await;
    let work = format!("/works/{id}");
    let r = bob
        .post(
            &work,
            &format!("/works/{id}/bookmarks"),
            &[
                ("bookmark[bookmarker_notes]", "Bob's <em>favourite</em>"),
                ("bookmark[tag_string]", "reread, comfort"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = cat
        .post(
            &work,
            &format!("/works/{id}/bookmarks"),
            &[
                ("bookmark[bookmarker_notes]", "Cat's secret note"),
                ("bookmark[private]", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let path = format!("/works/{id}/bookmarks");
    let mut guest = Browser::new(&site);
    let p = guest.get(&path).await;
    assert_eq!(p.status, StatusCode::OK);
    let doc = p.doc();
    assert_eq!(texts(&doc, "h2.heading"), ["1 Bookmark of Well Kept"]);
    assert_eq!(
        texts(&doc, "ol.bookmark.index li h4.byline a"),
        ["bob"],
        "the private bookmark is not listed"
    );
    assert_eq!(
        texts(&doc, "ol.bookmark.index li ul.tags li"),
        ["reread", "comfort"]
    );
    assert!(p.body.contains("<em>favourite</em>"));
    assert!(!p.body.contains("Cat's secret"));
    // Cat sees her own private one as well.
    let p = cat.get(&path).await;
    assert!(p.body.contains("Cat's secret note"));
    assert!(p.has("li.private"));
    // The work page's bookmark count links here.
    let page = guest.get(&work).await;
    assert_eq!(
        attr(&page.doc(), "dl.stats dd.bookmarks a", "href").as_deref(),
        Some(path.as_str())
    );
    assert_eq!(page.texts("dl.stats dd.bookmarks"), ["1"]);
    // Past the last page, and a missing work: not found.
    assert_eq!(
        guest.get(&format!("{path}?page=2")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        guest.get("/works/987654/bookmarks").await.status,
        StatusCode::NOT_FOUND
    );

    // A draft's bookmarks are nobody's business; a restricted work's ask guests to log in.
    let f = filled_form(&mut alice, "Draft Kept").await;
    let draft = submit(&mut alice, &f, "Save As Draft").await.work_id();
    assert_eq!(
        bob.get(&format!("/works/{draft}/bookmarks")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut f = filled_form(&mut alice, "Closed Kept").await;
    set(&mut f, "work[restricted]", "1");
    let closed = submit(&mut alice, &f, "Post").await.work_id();
    let p = guest.get(&format!("/works/{closed}/bookmarks")).await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(!p.body.contains("Closed Kept"));
    assert_eq!(
        bob.get(&format!("/works/{closed}/bookmarks")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn people_and_profiles_with_a_bio_the_member_edits() {
    let site = start().await;
    for u in ["alice", "bob"] {
        user(&site, u).await;
    }
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut f = filled_form(&mut alice, "Open One").await;
    submit(&mut alice, &f, "Post").await.work_id();
    f = filled_form(&mut alice, "Closed One").await;
    set(&mut f, "work[restricted]", "1");
    submit(&mut alice, &f, "Post").await.work_id();

    let mut guest = Browser::new(&site);
    let p = guest.get("/people").await;
    assert_eq!(p.status, StatusCode::OK);
    let doc = p.doc();
    assert_eq!(texts(&doc, "h2.heading"), ["2 People"]);
    assert_eq!(texts(&doc, "ol#people li h4 a"), ["alice", "bob"]);
    // A guest counts alice's open work only.
    assert_eq!(texts(&doc, "ol#people li p.works a")[0], "1 work");
    let mut bob = Browser::logged_in(&site, "bob").await;
    assert_eq!(
        texts(&bob.get("/people").await.doc(), "ol#people li p.works a")[0],
        "2 works"
    );
    assert_eq!(
        guest.get("/people?page=2").await.status,
        StatusCode::NOT_FOUND
    );

    // Alice writes her bio; everyone reads it; the form is hers alone.
    let p = alice.get("/users/alice/profile").await;
    assert_eq!(p.status, StatusCode::OK);
    let mut form = p.form("form#edit_profile");
    set(
        &mut form,
        "profile[about_me]",
        "I write *lighthouses*. <script>alert(1)</script>",
    );
    let r = alice.post_raw("/users/alice/profile", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.has("#profile-saved"));
    let p = guest.get("/users/alice/profile").await;
    assert!(p.body.contains("<em>lighthouses</em>"), "{}", p.body);
    assert!(!p.body.contains("<script>alert"));
    assert!(!p.has("form#edit_profile"));
    assert_eq!(p.texts("dd.works a"), ["1"]);
    // The form shows what she typed.
    let p = alice.get("/users/alice/profile").await;
    assert!(
        p.form("form#edit_profile")
            .iter()
            .any(|(k, v)| k == "profile[about_me]" && v.contains("*lighthouses*"))
    );
    // Bob cannot write it; a guest is sent to log in; without a token, refused.
    let r = bob
        .post(
            "/users/bob/profile",
            "/users/alice/profile",
            &[("profile[about_me]", "hacked")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = guest
        .post_raw("/users/alice/profile", &[("profile[about_me]", "hacked")])
        .await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(
        !guest
            .get("/users/alice/profile")
            .await
            .body
            .contains("hacked")
    );
    // Too long: refused beside the field, what was typed kept.
    let long = "x".repeat(5001);
    set(&mut form, "profile[about_me]", &long);
    let r = alice.post_raw("/users/alice/profile", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        attr(&r.doc(), "#profile_about_me", "aria-describedby").as_deref(),
        Some("bio-error")
    );
    assert_eq!(
        guest.get("/users/nobody/profile").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn preferences_are_saved_and_honoured() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let p = alice.get("/users/alice/preferences").await;
    assert_eq!(p.status, StatusCode::OK);
    let doc = p.doc();
    assert_eq!(
        attr(&doc, "#user_email", "value").as_deref(),
        Some("alice@example.org")
    );
    // The posting form starts in HTML.
    let form = alice.get("/works/new").await;
    assert_eq!(
        texts(&form.doc(), "#work_text_format option[selected]"),
        ["Rich text (HTML)"]
    );
    let mut f = p.form("form#preference_form");
    set(&mut f, "user[email]", "alice.new@example.org");
    set(&mut f, "preference[text_format]", "markdown");
    f.retain(|(k, _)| k != "preference[adult]");
    f.push(("preference[disable_work_skins]".into(), "1".into()));
    let r = alice.post_raw("/users/alice/preferences", &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/users/alice/preferences?saved=1");
    let p = alice.get(r.location()).await;
    let doc = p.doc();
    assert!(p.has("#preferences-saved"));
    assert_eq!(
        attr(&doc, "#user_email", "value").as_deref(),
        Some("alice.new@example.org")
    );
    assert!(p.has("#preference_email_notifications[checked]"));
    assert!(!p.has("#preference_adult[checked]"));
    assert!(p.has("#preference_disable_work_skins[checked]"));
    // Honoured: the posting form now starts in Markdown; the store has the new address.
    let form = alice.get("/works/new").await;
    assert_eq!(
        texts(&form.doc(), "#work_text_format option[selected]"),
        ["Markdown"]
    );
    let id = site
        .store
        .user_by_login("alice")
        .await
        .expect("user")
        .expect("alice")
        .id;
    assert_eq!(
        site.store
            .account(id)
            .await
            .expect("account")
            .expect("alice")
            .email
            .as_deref(),
        Some("alice.new@example.org")
    );
    // Bob's address is refused beside the field, and nothing is saved.
    set(&mut f, "user[email]", "bob@example.org");
    set(&mut f, "preference[text_format]", "html");
    let r = alice.post_raw("/users/alice/preferences", &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        attr(&r.doc(), "#user_email", "aria-describedby").as_deref(),
        Some("email-error")
    );
    assert_eq!(
        site.store.preferences(id).await.expect("prefs").text_format,
        "markdown"
    );
    // A made-up format is refused.
    set(&mut f, "user[email]", "alice.new@example.org");
    set(&mut f, "preference[text_format]", "bbcode");
    let r = alice.post_raw("/users/alice/preferences", &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Only hers.
    let mut bob = Browser::logged_in(&site, "bob").await;
    assert_eq!(
        bob.get("/users/alice/preferences").await.status,
        StatusCode::FORBIDDEN
    );
    let r = Browser::new(&site).get("/users/alice/preferences").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/users/login"));
}

#[tokio::test]
async fn sign_up_asks_for_age_and_the_terms_of_service() {
    let site = start().await;
    let mut b = Browser::new(&site);
    let form = b.get("/users/new").await;
    assert_eq!(
        attr(&form.doc(), "a#tos-link", "href").as_deref(),
        Some("/tos")
    );
    let tos = b.get("/tos").await;
    assert_eq!(tos.status, StatusCode::OK);
    assert_eq!(tos.texts("h2.heading"), ["Terms of Service"]);
    assert!(tos.text().contains("at least 13 years old"));
    let fields = [
        ("user[login]", "younger"),
        ("user[email]", "younger@example.org"),
        ("user[password]", "password1"),
        ("user[password_confirmation]", "password1"),
    ];
    // Neither box ticked: refused, each beside its box, no account made.
    let r = b.post("/users/new", "/users", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let doc = r.doc();
    for (input, err) in [
        ("user_age_over_13", "age_over_13-error"),
        ("user_terms_of_service", "terms_of_service-error"),
    ] {
        assert_eq!(
            attr(&doc, &format!("#{input}"), "aria-describedby").as_deref(),
            Some(err)
        );
        assert!(!texts(&doc, &format!("p#{err}")).is_empty());
    }
    assert!(
        site.store
            .user_by_login("younger")
            .await
            .expect("lookup")
            .is_none()
    );
    // Only the terms ticked: still refused for age; the ticked box stays ticked.
    let mut some: Vec<(&str, &str)> = fields.to_vec();
    some.push(("user[terms_of_service]", "1"));
    let r = b.post("/users/new", "/users", &some).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has("#user_terms_of_service[checked]"));
    assert!(r.has("p#age_over_13-error"));
    assert!(!r.has("p#terms_of_service-error"));
    // Both: the account is made.
    some.push(("user[age_over_13]", "1"));
    let r = b.post("/users/new", "/users", &some).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_creator_orphans_a_work_keeping_or_removing_the_pseud() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let f = filled_form(&mut alice, "Let It Go").await;
    let gone = submit(&mut alice, &f, "Post").await.work_id();
    let f = filled_form(&mut alice, "Keep The Name").await;
    let kept = submit(&mut alice, &f, "Post").await.work_id();
    // Her edit page offers it.
    let edit = alice.get(&format!("/works/{gone}/edit")).await;
    assert!(edit.has(&format!("a[href=\"/orphans/new?work_id={gone}\"]")));

    // Bob cannot orphan her work; a guest is sent to log in.
    let mut bob = Browser::logged_in(&site, "bob").await;
    assert_eq!(
        bob.get(&format!("/orphans/new?work_id={gone}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = bob
        .post(
            "/",
            "/orphans",
            &[
                ("work_id", gone.to_string().as_str()),
                ("use_default", "true"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = Browser::new(&site)
        .get(&format!("/orphans/new?work_id={gone}"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        alice.get("/orphans/new?work_id=987654").await.status,
        StatusCode::NOT_FOUND
    );

    // Taking the pseud off: orphan_account on the byline, off her works page.
    let page = alice.get(&format!("/orphans/new?work_id={gone}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let mut form = page.form("form#new_orphan");
    set(&mut form, "use_default", "true");
    let r = alice.post_raw("/orphans", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/works/{gone}"));
    let mut guest = Browser::new(&site);
    let w = guest.get(&format!("/works/{gone}")).await;
    assert_eq!(w.texts("h3.byline a[rel=author]"), ["orphan_account"]);
    assert!(
        !guest
            .get("/users/alice/works")
            .await
            .body
            .contains("Let It Go")
    );
    // It is no longer hers to edit or orphan again.
    assert_ne!(
        alice.get(&format!("/works/{gone}/edit")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        alice.post_raw("/orphans", &form).await.status,
        StatusCode::FORBIDDEN
    );

    // Keeping the pseud (the form's default): her pseud's name under orphan_account.
    let page = alice.get(&format!("/orphans/new?work_id={kept}")).await;
    let form = page.form("form#new_orphan");
    assert!(form.contains(&("use_default".to_string(), "false".to_string())));
    let r = alice.post_raw("/orphans", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let w = guest.get(&format!("/works/{kept}")).await;
    let href = attr(&w.doc(), "h3.byline a[rel=author]", "href").expect("byline");
    assert_eq!(href, "/users/orphan_account/pseuds/alice");
}

#[tokio::test]
async fn a_report_reaches_the_moderators_queue() {
    use tome_model::Role;
    let site = start().await;
    user(&site, "alice").await;
    tome_web::accounts::service::create_account(
        &site.store,
        "mod",
        "mod@example.org",
        "password1",
        &[Role::Moderator],
        None,
    )
    .await
    .expect("moderator");

    // A guest reports, from the form the footer links.
    let mut guest = Browser::new(&site);
    let home = guest.get("/").await;
    assert!(home.has("#footer a[href=\"/abuse_reports/new\"]"));
    let form = guest.get("/abuse_reports/new?url=/works/1").await;
    assert_eq!(form.status, StatusCode::OK);
    let mut f = form.form("form#new_abuse_report");
    assert!(f.contains(&("abuse_report[url]".to_string(), "/works/1".to_string())));
    // Empty: refused beside each field.
    let r = guest.post_raw("/abuse_reports", &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        attr(&r.doc(), "#abuse_report_summary", "aria-describedby").as_deref(),
        Some("summary-error")
    );
    set(&mut f, "abuse_report[summary]", "Spam <b>now</b>");
    set(&mut f, "abuse_report[comment]", "An advert for a shop.");
    set(&mut f, "abuse_report[email]", "guest@example.org");
    let r = guest.post_raw("/abuse_reports", &f).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.has("#report-sent"));
    // Without a token: refused.
    let r = guest
        .post_raw(
            "/abuse_reports",
            &[
                ("abuse_report[url]", "/x"),
                ("abuse_report[summary]", "s"),
                ("abuse_report[comment]", "c"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A member's report names them.
    let mut alice = Browser::logged_in(&site, "alice").await;
    let r = alice
        .post(
            "/abuse_reports/new",
            "/abuse_reports",
            &[
                ("abuse_report[url]", "/users/someone"),
                ("abuse_report[summary]", "Harassment"),
                ("abuse_report[comment]", "Rude comments everywhere."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // The queue: only for moderators.
    assert_eq!(
        alice.get("/admin/abuse_reports").await.status,
        StatusCode::FORBIDDEN
    );
    let mut moderator = Browser::logged_in(&site, "mod").await;
    let q = moderator.get("/admin/abuse_reports").await;
    assert_eq!(q.status, StatusCode::OK);
    let doc = q.doc();
    assert_eq!(
        texts(&doc, "table#abuse-reports tbody th.summary"),
        ["Spam <b>now</b>", "Harassment"],
        "oldest first, the text escaped"
    );
    assert_eq!(
        texts(&doc, "table#abuse-reports td.reporter"),
        ["Guest (guest@example.org)", "alice"]
    );
    assert!(q.has("#header a[href=\"/admin/abuse_reports\"]"));
    // Resolved: off the open queue, on the full list.
    let form_sel = "table#abuse-reports tbody tr:first-child form";
    let action = attr(&doc, form_sel, "action").expect("resolve form");
    let f = q.form(form_sel);
    let r = moderator.post_raw(&action, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let q = moderator.get("/admin/abuse_reports").await;
    assert_eq!(
        texts(&q.doc(), "table#abuse-reports tbody th.summary"),
        ["Harassment"]
    );
    let q = moderator.get("/admin/abuse_reports?all=1").await;
    assert_eq!(
        texts(&q.doc(), "table#abuse-reports td.status"),
        ["", "Resolved"],
        "the open one first (its cell holds the button), then the resolved one"
    );
}
