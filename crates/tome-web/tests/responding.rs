//! Responding over real HTTP against a real SQLite archive: kudos, comments (threads,
//! edits, placeholders, creators' moderation, guests' comments held for approval, the
//! sanitizer), bookmarks, subscriptions and the inbox, e-mail through a real SMTP
//! conversation, history and "Mark for later", mutes and blocks, and every refusal.

mod responding_support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use responding_support::*;
use tome_model::{Role, TagKind};
use tome_store::comments::Comment;
use tome_web::responding::service::{
    BLOCKED_ON_WORK, BLOCKED_REPLY, GUESTS_CANNOT_COMMENT, NOT_YOURS,
};

async fn comments_of(site: &Site, work: i64) -> Vec<Comment> {
    site.store.work_comments(work).await.expect("comments")
}

async fn kudos_count(site: &Site, work: i64) -> u64 {
    site.store
        .work(work)
        .await
        .expect("work")
        .expect("exists")
        .blurb
        .kudos
}

#[tokio::test]
async fn kudos_once_per_account_and_per_guest_listed_on_the_work() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let w = work(&site, "alice", "Kudos Magnet", 1, &[]).await;
    let page = format!("/works/{w}");

    // The creator is told, nothing is written.
    let mut alice = Browser::logged_in(&site, "alice").await;
    let r = alice.kudos(w).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), page);
    assert_eq!(
        alice.get(&page).await.texts("div.flash"),
        ["You can't leave kudos on your own work."]
    );
    assert_eq!(kudos_count(&site, w).await, 0);

    // One per account: the second is refused politely.
    let mut bob = Browser::logged_in(&site, "bob").await;
    bob.kudos(w).await;
    assert_eq!(
        bob.get(&page).await.texts("div.flash.notice"),
        ["Thank you for leaving kudos!"]
    );
    bob.kudos(w).await;
    assert_eq!(
        bob.get(&page).await.texts("div.flash.error"),
        ["You have already left kudos here. :)"]
    );
    Browser::logged_in(&site, "carol").await.kudos(w).await;

    // One per guest (address and cookie): two guests count twice, one guest once.
    let mut guest1 = Browser::new(&site);
    let mut guest2 = Browser::new(&site);
    guest1.kudos(w).await;
    assert!(guest1.cookies.contains_key("tome_guest"));
    guest1.kudos(w).await;
    assert_eq!(
        guest1.get(&page).await.texts("div.flash"),
        ["You have already left kudos here. :)"]
    );
    guest2.kudos(w).await;
    assert_eq!(kudos_count(&site, w).await, 4);

    // Counted and listed, for guests (cached page) and members alike.
    for mut b in [Browser::new(&site), alice] {
        let p = b.get(&page).await;
        assert_eq!(p.status, StatusCode::OK);
        assert_eq!(
            p.texts("p#kudos_summary"),
            ["bob, carol and 2 guests left kudos on this work!"]
        );
        assert!(p.has("p#kudos_summary a[href=\"/users/bob\"]"));
        assert_eq!(p.texts("p#kudos"), ["4 kudos"]);
    }

    // A guest who drops the cookie counts as a new guest, but one address gives at
    // most GUEST_KUDOS_PER_ADDRESS guests' kudos on a work.
    for _ in 0..4 {
        Browser::new(&site).kudos(w).await;
    }
    let mut last = Browser::new(&site);
    last.kudos(w).await;
    assert_eq!(
        last.get(&page).await.texts("div.flash"),
        ["You have already left kudos here. :)"]
    );
    assert_eq!(
        kudos_count(&site, w).await,
        2 + tome_web::pages::kudos::GUEST_KUDOS_PER_ADDRESS
    );
    assert_eq!(
        Browser::new(&site)
            .get(&page)
            .await
            .texts("p#kudos_summary"),
        ["bob, carol and 5 guests left kudos on this work!"]
    );
}

#[tokio::test]
async fn comment_threads_edits_and_deletion_placeholders() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let w = work(&site, "alice", "Talked About", 1, &[]).await;
    let page = format!("/works/{w}");
    let mut bob = Browser::logged_in(&site, "bob").await;
    let mut carol = Browser::logged_in(&site, "carol").await;

    let r = bob.comment(w, None, "First! This is *great*.").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let top = comment_id(r.location());
    let r = carol.comment(w, Some(top), "Agreed.").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let reply = comment_id(r.location());
    let r = bob.comment(w, Some(reply), "Thanks!").await;
    let deeper = comment_id(r.location());

    // Threaded as AO3 nests them; counted.
    let p = Browser::new(&site).get(&page).await;
    assert_eq!(p.texts("#comments_placeholder > h3"), ["Comments (3)"]);
    assert!(p.has(&format!(
        "ol.thread > li#comment_{top} + li > ol.thread > li#comment_{reply} + li > ol.thread > li#comment_{deeper}"
    )));
    assert_eq!(
        p.texts(&format!("li#comment_{top} blockquote")),
        ["First! This is great."]
    );
    assert!(p.has(&format!("li#comment_{top} blockquote em")));
    assert_eq!(
        p.texts(&format!("li#comment_{reply} h4.byline a")),
        ["carol"]
    );

    // Edit one's own: marked as edited.
    let edit = bob.get(&format!("/comments/{top}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.has(&format!("textarea#comment_content_for_{top}")));
    let r = bob
        .post(
            &format!("/comments/{top}/edit"),
            &format!("/comments/{top}/edit"),
            &[("comment[comment_content]", "First! (edited)")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = Browser::new(&site).get(&page).await;
    assert_eq!(
        p.texts(&format!("li#comment_{top} blockquote")),
        ["First! (edited)"]
    );
    assert_eq!(p.texts(&format!("li#comment_{top} p.edited")).len(), 1);
    assert!(p.texts(&format!("li#comment_{top} p.edited"))[0].starts_with("Last Edited"));

    // Delete one's own with replies: a placeholder keeps the thread.
    let r = bob
        .post(&page, &format!("/comments/{top}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = Browser::new(&site).get(&page).await;
    assert_eq!(
        p.texts(&format!("li#comment_{top} p.message")),
        ["(Previous comment deleted.)"]
    );
    assert!(!p.body.contains("First! (edited)"));
    assert!(p.has(&format!(
        "li#comment_{top} + li > ol.thread > li#comment_{reply}"
    )));
    assert_eq!(p.texts("#comments_placeholder > h3"), ["Comments (2)"]);

    // Deleting the last replies removes the placeholder too.
    bob.post(&page, &format!("/comments/{deeper}/delete"), &[])
        .await;
    carol
        .post(&page, &format!("/comments/{reply}/delete"), &[])
        .await;
    let p = Browser::new(&site).get(&page).await;
    assert!(!p.has("li.comment"), "{}", p.body);
    assert_eq!(p.texts("#comments_placeholder > h3"), ["Comments (0)"]);

    // A blank comment is refused with the text kept... there is none to keep; the
    // message says why.
    let r = bob.comment(w, None, "   ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.text().contains("Comment cannot be blank."), "{}", r.body);
}

#[tokio::test]
async fn comments_on_a_chapter_show_on_that_chapter() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let w = work(&site, "alice", "Two Parts", 2, &[]).await;
    let ch = chapter_ids(&site, w).await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    let second = format!("/works/{w}/chapters/{}", ch[1]);
    let chapter_field = ch[1].to_string();
    let form = bob.get(&second).await;
    assert_eq!(
        attr(
            &form.doc(),
            "form.new_comment input[name=\"comment[chapter_id]\"]",
            "value"
        )
        .as_deref(),
        Some(chapter_field.as_str())
    );
    let r = bob
        .post(
            &second,
            &format!("/works/{w}/comments"),
            &[
                ("comment[chapter_id]", chapter_field.as_str()),
                ("comment[comment_content]", "About chapter two."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with(&second), "{}", r.location());
    let on_second = Browser::new(&site).get(&second).await;
    assert!(on_second.body.contains("About chapter two."));
    let on_first = Browser::new(&site)
        .get(&format!("/works/{w}/chapters/{}", ch[0]))
        .await;
    assert!(!on_first.body.contains("About chapter two."));
    let whole = Browser::new(&site)
        .get(&format!("/works/{w}?view_full_work=true"))
        .await;
    assert!(whole.body.contains("About chapter two."));
    let stored = &comments_of(&site, w).await[0];
    assert_eq!(stored.chapter_id, Some(ch[1]));
    // The creator's inbox links to the comment on its chapter's page.
    let mut alice = Browser::logged_in(&site, "alice").await;
    let inbox = alice.get("/users/alice/inbox").await;
    let href = format!("{second}#comment_{}", stored.id);
    assert!(
        inbox.has(&format!("li.notification.comment a[href=\"{href}\"]")),
        "{}",
        inbox.body
    );
    // Deleting it leads back to that chapter.
    let r = bob
        .post(&second, &format!("/comments/{}/delete", stored.id), &[])
        .await;
    assert_eq!(r.location(), format!("{second}#comments_placeholder"));
}

#[tokio::test]
async fn creator_deletes_and_freezes_comments_on_their_work() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let w = work(&site, "alice", "Moderated", 1, &[]).await;
    let page = format!("/works/{w}");
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    let mut carol = Browser::logged_in(&site, "carol").await;
    let first = comment_id(bob.comment(w, None, "Hot take.").await.location());
    let second = comment_id(bob.comment(w, None, "Rude words.").await.location());

    // The creator sees moderation buttons, readers do not.
    let p = alice.get(&page).await;
    assert!(p.has(&format!("li#comment_{first} form.freeze_comment")));
    assert!(p.has(&format!("li#comment_{first} form.delete_comment")));
    let p = carol.get(&page).await;
    assert!(!p.has(&format!("li#comment_{first} form.freeze_comment")));
    assert!(!p.has(&format!("li#comment_{first} form.delete_comment")));

    // Frozen: no reply form, and a reply is refused.
    let r = alice
        .post(
            &page,
            &format!("/comments/{first}/freeze"),
            &[("frozen", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = carol.get(&page).await;
    assert!(p.has(&format!("li#comment_{first}.frozen")));
    assert!(!p.has(&format!("form#reply_to_{first}")));
    assert!(p.has(&format!("form#reply_to_{second}")));
    let r = carol.comment(w, Some(first), "But wait").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.text().contains("This comment thread is frozen"),
        "{}",
        r.body
    );
    assert_eq!(r.texts("textarea#comment_content"), ["But wait"]);
    assert_eq!(
        attr(&r.doc(), "input[name=\"comment[parent_id]\"]", "value"),
        Some(first.to_string())
    );
    assert_eq!(comments_of(&site, w).await.len(), 2);

    // Unfrozen: replies again.
    alice
        .post(
            &page,
            &format!("/comments/{first}/freeze"),
            &[("frozen", "0")],
        )
        .await;
    let r = carol.comment(w, Some(first), "But wait").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // A reader may not freeze or delete someone else's comment; the creator may delete.
    let r = carol
        .post(
            &page,
            &format!("/comments/{second}/freeze"),
            &[("frozen", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = carol
        .post(&page, &format!("/comments/{second}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains(NOT_YOURS), "{}", r.body);
    let r = alice
        .post(&page, &format!("/comments/{second}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !Browser::new(&site)
            .get(&page)
            .await
            .body
            .contains("Rude words.")
    );
    assert!(!comments_of(&site, w).await.iter().any(|c| c.id == second));
}

#[tokio::test]
async fn guest_comments_held_for_approval_when_the_archive_allows_them() {
    let site = start().await;
    user_with_roles(&site, "boss", &[Role::Admin]).await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let w = work(&site, "alice", "Open Door", 1, &[]).await;
    let page = format!("/works/{w}");

    let mut admin = Browser::logged_in(&site, "boss").await;
    let r = admin
        .post(
            "/admin/settings",
            "/admin/settings",
            &[("guest_comments", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut guest = Browser::new(&site);
    let p = guest.get(&page).await;
    assert!(p.has("form.new_comment input[name=\"comment[name]\"]"));
    assert!(p.has("form.new_comment input[name=\"comment[email]\"]"));
    // Name and e-mail are required.
    let r = guest
        .post(
            &page,
            &format!("/works/{w}/comments"),
            &[("comment[comment_content]", "Hello from outside")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.text().contains("Please enter your name."), "{}", r.body);
    assert_eq!(r.texts("textarea#comment_content"), ["Hello from outside"]);
    assert!(r.has("input#comment_email"));
    let r = guest
        .post(
            &page,
            &format!("/works/{w}/comments"),
            &[
                ("comment[name]", " Wanderer\r\nBcc: x@example.org"),
                ("comment[email]", "wanderer@example.org"),
                ("comment[comment_content]", "Hello from outside"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.texts("p#comment_notice"),
        ["Your comment was received. It will appear once the creator approves it."]
    );
    let held = comments_of(&site, w).await;
    assert_eq!(held.len(), 1);
    assert!(!held[0].approved);
    let id = held[0].id;

    // Invisible to guests and other readers; the creator sees it and is told.
    assert!(!guest.get(&page).await.body.contains("Hello from outside"));
    let mut bob = Browser::logged_in(&site, "bob").await;
    assert!(!bob.get(&page).await.body.contains("Hello from outside"));
    let mut alice = Browser::logged_in(&site, "alice").await;
    let p = alice.get(&page).await;
    assert!(p.has(&format!("li#comment_{id}.unreviewed form.approve_comment")));
    assert_eq!(
        p.texts(&format!("li#comment_{id} h4.byline")),
        [format!(
            "Wanderer Bcc: x@example.org (Guest) {}",
            p.texts(&format!("li#comment_{id} span.posted"))[0]
        )]
    );
    let inbox = alice.get("/users/alice/inbox").await;
    assert!(
        inbox.texts("li.notification.comment").iter().any(|t| t
            .contains("Wanderer Bcc: x@example.org (Guest) left a comment on Open Door that awaits your approval")),
        "{}",
        inbox.body
    );
    // Only the creator approves.
    let r = bob
        .post(&page, &format!("/comments/{id}/approve"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = alice
        .post(&page, &format!("/comments/{id}/approve"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = guest.get(&page).await;
    assert!(p.body.contains("Hello from outside"));
    assert_eq!(p.texts("#comments_placeholder > h3"), ["Comments (1)"]);
}

#[tokio::test]
async fn guests_cannot_comment_when_guest_comments_are_off() {
    let site = start().await;
    user(&site, "alice").await;
    let w = work(&site, "alice", "Members Only Chat", 1, &[]).await;
    let page = format!("/works/{w}");
    let mut guest = Browser::new(&site);
    let p = guest.get(&page).await;
    assert_eq!(
        p.texts("p#comment_refusal"),
        ["Log in or sign up to comment."]
    );
    assert!(!p.has("form.new_comment"));
    let r = guest
        .post(
            &page,
            &format!("/works/{w}/comments"),
            &[
                ("comment[name]", "Sneaky"),
                ("comment[email]", "sneaky@example.org"),
                ("comment[comment_content]", "Let me in"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains(GUESTS_CANNOT_COMMENT), "{}", r.body);
    assert!(comments_of(&site, w).await.is_empty());
}

#[tokio::test]
async fn comment_markup_goes_through_the_sanitizer() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let w = work(&site, "alice", "Careful", 1, &[]).await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    let r = bob
        .comment(
            w,
            None,
            "**Bold** and <i>HTML</i>\n\n[link](javascript:alert(2)) and \
             <a href=\"https://example.org/\">ok</a>\n\n<script>alert('x')</script>\
             <img src=\"x.png\" onerror=\"alert(1)\"><a href=\"javascript:alert(4)\">x</a>",
        )
        .await;
    let id = comment_id(r.location());
    let p = Browser::new(&site).get(&format!("/works/{w}")).await;
    let doc = p.doc();
    let block = doc
        .select(&sel(&format!("li#comment_{id} blockquote")))
        .next()
        .expect("the comment")
        .inner_html();
    assert!(block.contains("<strong>Bold</strong>"), "{block}");
    assert!(block.contains("<i>HTML</i>"), "{block}");
    assert!(block.contains("href=\"https://example.org/\""), "{block}");
    assert!(block.contains("link"), "{block}");
    for bad in [
        "<script",
        "alert('x')",
        "onerror",
        "href=\"javascript:",
        "alert(4)",
    ] {
        assert!(!block.contains(bad), "{bad} in {block}");
        assert!(!p.body.contains(bad), "{bad} on the page");
    }
    let stored = &comments_of(&site, w).await[0];
    assert!(!stored.body_html.contains("<script"));
    // An edit goes through it too.
    bob.post(
        &format!("/comments/{id}/edit"),
        &format!("/comments/{id}/edit"),
        &[("comment[comment_content]", "<script>alert(3)</script>Fine")],
    )
    .await;
    let p = Browser::new(&site).get(&format!("/works/{w}")).await;
    assert!(!p.body.contains("alert(3)"));
    assert!(p.body.contains("Fine"));
}

#[tokio::test]
async fn bookmarks_public_and_private_with_notes_and_own_tags() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let open = work(&site, "alice", "Open Book", 1, &[]).await;
    let secret = work(&site, "alice", "Guilty Pleasure", 1, &[]).await;
    let mut bob = Browser::logged_in(&site, "bob").await;

    let r = bob
        .post(
            &format!("/works/{open}"),
            &format!("/works/{open}/bookmarks"),
            &[
                ("bookmark[bookmarker_notes]", "Loved *this*."),
                (
                    "bookmark[tag_string]",
                    "comfort read, reread,  Comfort Read ",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/users/bob/bookmarks");
    bob.post(
        &format!("/works/{secret}"),
        &format!("/works/{secret}/bookmarks"),
        &[
            ("bookmark[bookmarker_notes]", "Nobody needs to know."),
            ("bookmark[private]", "1"),
        ],
    )
    .await;

    // The owner sees both, the private one marked.
    let own = bob.get("/users/bob/bookmarks").await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.texts("h2.heading"), ["2 Bookmarks by bob"]);
    assert_eq!(
        own.texts("li.bookmark h4.heading a[href^=\"/works/\"]")
            .len(),
        2
    );
    assert!(own.has("li.bookmark.private"));
    assert!(own.body.contains("Nobody needs to know."));
    let open_li = format!("li#bookmark_{}", bookmark_id(&site, "bob", open).await);
    assert_eq!(
        own.texts(&format!("{open_li} ul.tags li")),
        ["comfort read", "reread"]
    );
    assert!(own.has(&format!("{open_li} blockquote.notes em")));

    // Others (and guests) see only the public one.
    for mut b in [
        Browser::logged_in(&site, "carol").await,
        Browser::new(&site),
    ] {
        let p = b.get("/users/bob/bookmarks").await;
        assert_eq!(p.status, StatusCode::OK);
        assert_eq!(p.texts("h2.heading"), ["1 Bookmark by bob"]);
        assert!(p.body.contains("Open Book"));
        assert!(!p.body.contains("Guilty Pleasure"));
        assert!(!p.body.contains("Nobody needs to know."));
        assert!(!p.has("form[action$=\"/delete\"]"));
    }
    // Counted: public bookmarks only.
    let count = |w: i64| {
        let store = site.store.clone();
        async move { store.work(w).await.unwrap().unwrap().blurb.bookmarks }
    };
    assert_eq!(count(open).await, 1);
    assert_eq!(count(secret).await, 0);

    // The work page shows the reader's bookmark for editing; an update keeps one.
    let p = bob.get(&format!("/works/{open}")).await;
    assert_eq!(p.texts("div#bookmark-form h4"), ["Edit Bookmark"]);
    assert_eq!(
        attr(&p.doc(), "input#bookmark_tag_string", "value").as_deref(),
        Some("comfort read, reread")
    );
    bob.post(
        &format!("/works/{open}"),
        &format!("/works/{open}/bookmarks"),
        &[
            ("bookmark[bookmarker_notes]", "Still love it."),
            ("bookmark[tag_string]", "comfort read"),
            ("bookmark[private]", "1"),
        ],
    )
    .await;
    assert_eq!(count(open).await, 0);
    let p = Browser::new(&site).get("/users/bob/bookmarks").await;
    assert_eq!(p.texts("h2.heading"), ["0 Bookmarks by bob"]);

    // Deleting: the owner only.
    let id = bookmark_id(&site, "bob", open).await;
    let mut carol = Browser::logged_in(&site, "carol").await;
    let r = carol
        .post(
            "/users/carol/bookmarks",
            &format!("/bookmarks/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(site.store.bookmark(id).await.unwrap().is_some());
    let r = bob
        .post(
            "/users/bob/bookmarks",
            &format!("/bookmarks/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(site.store.bookmark(id).await.unwrap().is_none());

    // A refused bookmark (a tag over 150 characters) comes back with everything typed.
    let long = "x".repeat(151);
    let r = bob
        .post(
            &format!("/works/{open}"),
            &format!("/works/{open}/bookmarks"),
            &[
                ("bookmark[bookmarker_notes]", "Keep these notes."),
                ("bookmark[tag_string]", long.as_str()),
                ("bookmark[private]", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.text().contains("at most 150 characters"), "{}", r.body);
    let doc = r.doc();
    assert_eq!(
        texts(&doc, "textarea#bookmark_notes"),
        ["Keep these notes."]
    );
    assert_eq!(
        attr(&doc, "input#bookmark_tag_string", "value").as_deref(),
        Some(long.as_str())
    );
    assert!(r.has("input#bookmark_private[checked]"));
    let own = bob.get("/users/bob/bookmarks").await;
    assert_eq!(own.texts("h2.heading"), ["1 Bookmark by bob"]);
}

async fn bookmark_id(site: &Site, login: &str, work: i64) -> i64 {
    let a = site.store.account_by_login(login).await.unwrap().unwrap();
    site.store
        .bookmark_of(a.id, work)
        .await
        .unwrap()
        .expect("a bookmark")
        .id
}

/// Adds a chapter through the posting form, as its creator.
async fn post_chapter(b: &mut Browser<'_>, work: i64, text: &str) {
    let r = b
        .post(
            &format!("/works/{work}/chapters/new"),
            &format!("/works/{work}/chapters"),
            &[("chapter[body]", text), ("commit", "Post")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// The inbox lines of a kind.
async fn inbox(b: &mut Browser<'_>, login: &str, kind: &str) -> Vec<String> {
    let p = b.get(&format!("/users/{login}/inbox")).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    p.texts(&format!("li.notification.{kind} a"))
}

#[tokio::test]
async fn subscriptions_fill_the_inbox_which_only_its_owner_opens() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    user(&site, "dave").await;
    let w = work(&site, "alice", "Serial", 1, &[]).await;
    let series = site.store.create_series("The Saga").await.unwrap();
    site.store.add_to_series(series, w, None).await.unwrap();
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    let mut carol = Browser::logged_in(&site, "carol").await;
    let mut dave = Browser::logged_in(&site, "dave").await;

    // bob follows the work, carol the series, dave the author.
    let r = bob
        .post(
            &format!("/works/{w}"),
            &format!("/works/{w}/subscriptions"),
            &[("subscribe", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        bob.get(&format!("/works/{w}"))
            .await
            .texts("form#subscribe_work input[type=submit]")
            .len(),
        1
    );
    assert_eq!(
        attr(
            &bob.get(&format!("/works/{w}")).await.doc(),
            "form#subscribe_work input[type=submit]",
            "value"
        )
        .as_deref(),
        Some("Unsubscribe")
    );
    let r = carol
        .post(
            "/users/carol/subscriptions",
            &format!("/series/{series}/subscriptions"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = dave
        .post(
            "/users/dave/subscriptions",
            "/users/alice/subscriptions",
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let subs = dave.get("/users/dave/subscriptions").await;
    assert_eq!(subs.texts("dl.subscription dt"), ["alice (User)"]);
    let subs = carol.get("/users/carol/subscriptions").await;
    assert_eq!(subs.texts("dl.subscription dt"), ["The Saga (Series)"]);

    // A new chapter: all three are told, the creator is not.
    post_chapter(&mut alice, w, "<p>The plot thickens.</p>").await;
    let ch2 = chapter_ids(&site, w).await[1];
    for (b, login) in [
        (&mut bob, "bob"),
        (&mut carol, "carol"),
        (&mut dave, "dave"),
    ] {
        let lines = inbox(b, login, "new_chapter").await;
        assert_eq!(lines, ["alice posted Chapter 2 of Serial"], "{login}");
        let p = b.get(&format!("/users/{login}/inbox")).await;
        assert!(p.has(&format!(
            "li.notification.new_chapter.unread a[href=\"/works/{w}/chapters/{ch2}\"]"
        )));
    }
    assert!(inbox(&mut alice, "alice", "new_chapter").await.is_empty());

    // A new work (a draft posted): the author's and the series' followers are told.
    let draft = {
        let pseud = site
            .store
            .pseuds_of(
                site.store
                    .account_by_login("alice")
                    .await
                    .unwrap()
                    .unwrap()
                    .id,
            )
            .await
            .unwrap()[0]
            .id;
        let input = tome_store::posting::WorkInput {
            title: "Sequel".into(),
            pseud_ids: vec![pseud],
            language: "en".into(),
            text_format: "html".into(),
            ..Default::default()
        };
        let ch = tome_store::posting::ChapterInput {
            body: tome_store::posting::TextField {
                html: Some("<p>Again.</p>".into()),
                source: None,
            },
            word_count: 1,
            ..Default::default()
        };
        let id = site
            .store
            .create_posted_work(&input, &[ch], true)
            .await
            .unwrap();
        site.store.add_to_series(series, id, None).await.unwrap();
        id
    };
    assert!(inbox(&mut dave, "dave", "new_work").await.is_empty());
    let r = alice
        .post(
            &format!("/works/{draft}"),
            &format!("/works/{draft}/post_draft"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        inbox(&mut dave, "dave", "new_work").await,
        ["alice posted a new work: Sequel"]
    );
    assert_eq!(
        inbox(&mut carol, "carol", "new_work").await,
        ["alice posted a new work: Sequel"]
    );
    assert!(inbox(&mut bob, "bob", "new_work").await.is_empty());

    // Replies to one's comments; comments to the creator.
    let top = comment_id(bob.comment(w, None, "Can't wait for more").await.location());
    carol.comment(w, Some(top), "Same here").await;
    assert_eq!(
        inbox(&mut bob, "bob", "reply").await,
        ["carol replied to your comment on Serial"]
    );
    let comments = inbox(&mut alice, "alice", "comment").await;
    assert!(comments.contains(&"bob left a comment on Serial".to_string()));
    assert!(comments.contains(&"carol left a comment on Serial".to_string()));

    // The kudos digest: one line per work, rewritten while unread.
    bob.kudos(w).await;
    Browser::new(&site).kudos(w).await;
    assert_eq!(
        inbox(&mut alice, "alice", "kudos").await,
        ["bob and 1 guest left kudos on Serial!"]
    );

    // Mark read.
    let p = bob.get("/users/bob/inbox").await;
    assert_eq!(p.texts("p.unread"), ["2 unread"]);
    let r = bob
        .post("/users/bob/inbox", "/users/bob/inbox/read", &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let p = bob.get("/users/bob/inbox").await;
    assert_eq!(p.texts("p.unread"), ["0 unread"]);
    assert!(!p.has("li.notification.unread"));
    assert_eq!(p.texts("li.notification.read").len(), 2);

    // Only the owner opens an inbox.
    let r = carol.get("/users/bob/inbox").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("Can't wait"));
    let r = Browser::new(&site).get("/users/bob/inbox").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/users/login"));
    let r = carol
        .post("/users/carol/inbox", "/users/bob/inbox/read", &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Unsubscribing stops the news.
    bob.post(
        &format!("/works/{w}"),
        &format!("/works/{w}/subscriptions"),
        &[("subscribe", "0")],
    )
    .await;
    post_chapter(&mut alice, w, "<p>Part three.</p>").await;
    assert_eq!(inbox(&mut bob, "bob", "new_chapter").await.len(), 1);
    assert_eq!(inbox(&mut dave, "dave", "new_chapter").await.len(), 2);
}

#[tokio::test]
async fn notifications_are_emailed_when_smtp_is_configured() {
    let (url, mut mails) = smtp_sink().await;
    let site = start_with(Some(url)).await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let w = work(&site, "alice", "Mailed", 1, &[]).await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    let mut carol = Browser::logged_in(&site, "carol").await;
    bob.post(
        &format!("/works/{w}"),
        &format!("/works/{w}/subscriptions"),
        &[],
    )
    .await;

    post_chapter(&mut alice, w, "<p>More.</p>").await;
    let m = next_mail(&mut mails).await;
    assert_eq!(m.to, ["bob@example.org"]);
    assert_eq!(m.from, "archive@example.org");
    assert_eq!(
        m.header("Subject").as_deref(),
        Some("[Test Archive] alice posted Chapter 2 of Mailed")
    );
    assert!(m.data.contains("Hi, bob!"), "{}", m.data);
    let ch2 = chapter_ids(&site, w).await[1];
    assert!(m.data.contains(&format!("/works/{w}/chapters/{ch2}")));

    // A reply: the comment's author gets one, the creator gets one about the comment.
    let top = comment_id(bob.comment(w, None, "Nice").await.location());
    let m = next_mail(&mut mails).await;
    assert_eq!(m.to, ["alice@example.org"]);
    assert_eq!(
        m.header("Subject").as_deref(),
        Some("[Test Archive] bob left a comment on Mailed")
    );
    carol.comment(w, Some(top), "Indeed").await;
    let mut got: Vec<(Vec<String>, Option<String>)> = Vec::new();
    for _ in 0..2 {
        let m = next_mail(&mut mails).await;
        got.push((m.to.clone(), m.header("Subject")));
    }
    got.sort();
    assert_eq!(
        got,
        [
            (
                vec!["alice@example.org".to_string()],
                Some("[Test Archive] carol left a comment on Mailed".to_string())
            ),
            (
                vec!["bob@example.org".to_string()],
                Some("[Test Archive] carol replied to your comment on Mailed".to_string())
            ),
        ]
    );
}

#[tokio::test]
async fn a_dead_mail_server_never_blocks_or_fails_the_request() {
    // A server that accepts connections and never says a word.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", silent.local_addr().unwrap());
    let held = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let keep = held.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = silent.accept().await {
            keep.lock().await.push(sock);
        }
    });
    // And one where nothing listens at all.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        drop(l);
        format!("smtp://{a}")
    };
    for url in [url, closed] {
        let site = start_with(Some(url.clone())).await;
        user(&site, "alice").await;
        user(&site, "bob").await;
        let w = work(&site, "alice", "Quiet", 1, &[]).await;
        let mut bob = Browser::logged_in(&site, "bob").await;
        let token = bob.get(&format!("/works/{w}")).await.token();
        let started = Instant::now();
        let r = bob
            .post_raw(
                &format!("/works/{w}/comments"),
                &[
                    ("authenticity_token", token.as_str()),
                    ("comment[comment_content]", "Hello?"),
                ],
            )
            .await;
        let took = started.elapsed();
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{url}: {}", r.body);
        assert!(took < Duration::from_secs(3), "{url}: took {took:?}");
        assert_eq!(comments_of(&site, w).await.len(), 1);
        let mut alice = Browser::logged_in(&site, "alice").await;
        assert_eq!(
            inbox(&mut alice, "alice", "comment").await,
            ["bob left a comment on Quiet"]
        );
    }
}

#[tokio::test]
async fn history_and_mark_for_later_for_logged_in_readers() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let first = work(&site, "alice", "Read Twice", 1, &[]).await;
    let second = work(&site, "alice", "Read Once", 1, &[]).await;
    let later = work(&site, "alice", "Someday", 1, &[]).await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    bob.get(&format!("/works/{first}")).await;
    bob.get(&format!("/works/{second}")).await;
    bob.get(&format!("/works/{first}")).await;
    let r = bob
        .post(
            &format!("/works/{later}"),
            &format!("/works/{later}/mark_for_later"),
            &[("later", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let p = bob.get("/users/bob/readings").await;
    assert_eq!(p.status, StatusCode::OK);
    let titles = p.texts("li.reading h4.heading:not(.viewed) a[href^=\"/works/\"]");
    assert!(titles.contains(&"Read Twice".to_string()), "{titles:?}");
    assert!(titles.contains(&"Read Once".to_string()), "{titles:?}");
    assert!(titles.contains(&"Someday".to_string()), "{titles:?}");
    assert!(
        p.texts(&format!("li#work_{first} h4.viewed"))[0].contains("(Visited 2 times)"),
        "{}",
        p.body
    );
    assert!(p.texts(&format!("li#work_{later} h4.viewed"))[0].contains("(Marked for Later.)"));

    let p = bob.get("/users/bob/readings?show=to-read").await;
    assert_eq!(
        p.texts("li.reading h4.heading:not(.viewed) a[href^=\"/works/\"]"),
        ["Someday"]
    );
    // The work page offers to take it off the list; doing so empties it.
    let w = bob.get(&format!("/works/{later}")).await;
    assert_eq!(
        attr(&w.doc(), "form#mark_for_later input[type=submit]", "value").as_deref(),
        Some("Mark as Read")
    );
    bob.post(
        &format!("/works/{later}"),
        &format!("/works/{later}/mark_for_later"),
        &[("later", "0")],
    )
    .await;
    let p = bob.get("/users/bob/readings?show=to-read").await;
    assert!(!p.has("li.reading"));

    // Guests have no history; nobody opens another's.
    let r = Browser::new(&site).get("/users/bob/readings").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut carol = Browser::logged_in(&site, "carol").await;
    assert_eq!(
        carol.get("/users/bob/readings").await.status,
        StatusCode::FORBIDDEN
    );
    let r = Browser::new(&site)
        .post(
            &format!("/works/{first}"),
            &format!("/works/{first}/mark_for_later"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/users/login"));
}

#[tokio::test]
async fn muting_a_user_or_a_tag_hides_them_from_my_listings_and_threads() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "troll").await;
    let nice = work(
        &site,
        "alice",
        "Nice Story",
        1,
        &[(TagKind::Freeform, "Fluff")],
    )
    .await;
    let sad = work(
        &site,
        "alice",
        "Sad Story",
        1,
        &[(TagKind::Freeform, "Angst")],
    )
    .await;
    let trolls = work(
        &site,
        "troll",
        "Troll Story",
        1,
        &[(TagKind::Freeform, "Fluff")],
    )
    .await;
    let mut troll = Browser::logged_in(&site, "troll").await;
    let tc = comment_id(
        troll
            .comment(nice, None, "Bad take incoming")
            .await
            .location(),
    );
    let mut alice = Browser::logged_in(&site, "alice").await;
    alice.comment(nice, Some(tc), "Please be kind").await;

    let mut bob = Browser::logged_in(&site, "bob").await;
    let r = bob
        .post(
            "/users/bob/muted",
            "/users/bob/muted",
            &[("mute[login]", "troll")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = bob
        .post(
            "/users/bob/muted",
            "/users/bob/muted",
            &[("mute[tag]", "angst")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = bob.get("/users/bob/muted").await;
    assert_eq!(p.texts("ul.muted.users li a"), ["troll"]);
    assert_eq!(
        p.texts("ul.muted.tags li")[0].split(' ').next(),
        Some("Angst")
    );
    // An unknown user is refused with what was typed kept in the message.
    let r = bob
        .post(
            "/users/bob/muted",
            "/users/bob/muted",
            &[("mute[login]", "nobody")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.texts("p#mute-error"), ["There is no user called nobody."]);

    let titles = |p: &Page| p.texts("li.work.blurb h4.heading a[href^=\"/works/\"]");
    for path in ["/works", "/tags/Fluff/works", "/users/troll/works"] {
        let mine = titles(&bob.get(path).await);
        let theirs = titles(&Browser::new(&site).get(path).await);
        assert!(
            !mine.contains(&"Troll Story".to_string()),
            "{path}: {mine:?}"
        );
        assert!(!mine.contains(&"Sad Story".to_string()), "{path}: {mine:?}");
        if path != "/users/troll/works" {
            assert!(mine.contains(&"Nice Story".to_string()), "{path}: {mine:?}");
        }
        if path != "/tags/Fluff/works" {
            assert!(
                theirs.contains(&"Troll Story".to_string()),
                "{path}: {theirs:?}"
            );
        }
    }
    let home: Vec<String> = bob
        .get("/")
        .await
        .texts("li.work.blurb h4.heading a[href^=\"/works/\"]");
    assert!(!home.contains(&"Troll Story".to_string()), "{home:?}");
    assert!(!home.contains(&"Sad Story".to_string()), "{home:?}");
    assert!(home.contains(&"Nice Story".to_string()), "{home:?}");

    // The muted user's comments leave my threads (replies to them with them).
    let p = bob.get(&format!("/works/{nice}")).await;
    assert!(!p.body.contains("Bad take incoming"));
    assert!(!p.body.contains("Please be kind"));
    let p = Browser::new(&site).get(&format!("/works/{nice}")).await;
    assert!(p.body.contains("Bad take incoming"));
    assert!(p.body.contains("Please be kind"));
    let _ = (sad, trolls);

    // Unmuting brings them back.
    let troll_id = site
        .store
        .account_by_login("troll")
        .await
        .unwrap()
        .unwrap()
        .id;
    let r = bob
        .post(
            "/users/bob/muted",
            "/users/bob/muted/remove",
            &[("user_id", troll_id.to_string().as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(titles(&bob.get("/works").await).contains(&"Troll Story".to_string()));
    // Nobody opens another's muted list.
    assert_eq!(
        troll.get("/users/bob/muted").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn blocked_users_cannot_comment_on_my_works_or_reply_to_me() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "dave").await;
    user(&site, "pest").await;
    let mine = work(&site, "alice", "Alice's Garden", 1, &[]).await;
    let other = work(&site, "dave", "Dave's Yard", 1, &[]).await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let r = alice
        .post(
            "/users/alice/blocked",
            "/users/alice/blocked",
            &[("mute[login]", "pest")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        alice
            .get("/users/alice/blocked")
            .await
            .texts("ul.blocked.users li a"),
        ["pest"]
    );
    let alices = comment_id(alice.comment(other, None, "Lovely yard").await.location());

    let mut pest = Browser::logged_in(&site, "pest").await;
    // On the blocker's work: told why, no form, a POST refused.
    let p = pest.get(&format!("/works/{mine}")).await;
    assert_eq!(p.texts("p#comment_refusal"), [BLOCKED_ON_WORK]);
    assert!(!p.has("form.new_comment"));
    let r = pest.comment(mine, None, "Let me in").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains(BLOCKED_ON_WORK), "{}", r.body);
    assert!(comments_of(&site, mine).await.is_empty());
    // A reply to the blocker's comment elsewhere: refused; other comments are fine.
    let r = pest.comment(other, Some(alices), "Actually...").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains(BLOCKED_REPLY), "{}", r.body);
    let r = pest.comment(other, None, "Nice yard, Dave").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(comments_of(&site, other).await.len(), 2);
    // Others still comment on alice's work.
    let mut bob = Browser::logged_in(&site, "bob").await;
    assert_eq!(
        bob.comment(mine, None, "Pretty").await.status,
        StatusCode::SEE_OTHER
    );

    // Unblocked: allowed again.
    let pest_id = site
        .store
        .account_by_login("pest")
        .await
        .unwrap()
        .unwrap()
        .id;
    alice
        .post(
            "/users/alice/blocked",
            "/users/alice/blocked/remove",
            &[("user_id", pest_id.to_string().as_str())],
        )
        .await;
    assert_eq!(
        pest.comment(mine, None, "Thanks").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn state_changing_forms_without_a_csrf_token_write_nothing() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let w = work(&site, "alice", "Guarded", 1, &[]).await;
    let series = site.store.create_series("Guarded Saga").await.unwrap();
    site.store.add_to_series(series, w, None).await.unwrap();
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    let c = comment_id(bob.comment(w, None, "Original").await.location());
    bob.post(
        &format!("/works/{w}"),
        &format!("/works/{w}/bookmarks"),
        &[],
    )
    .await;
    let bm = bookmark_id(&site, "bob", w).await;
    let bob_id = site
        .store
        .account_by_login("bob")
        .await
        .unwrap()
        .unwrap()
        .id;
    let alice_id = site
        .store
        .account_by_login("alice")
        .await
        .unwrap()
        .unwrap()
        .id;
    // Something unread for bob.
    let reply = alice.comment(w, Some(c), "Thanks").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    let snapshot = |site: &Site| {
        let store = site.store.clone();
        async move {
            let view = store.work(w).await.unwrap().unwrap();
            let comments: Vec<(i64, String, bool, bool)> = store
                .work_comments(w)
                .await
                .unwrap()
                .into_iter()
                .map(|c| (c.id, c.body_html, c.frozen, c.deleted))
                .collect();
            let bm = store
                .bookmark(bm)
                .await
                .unwrap()
                .map(|b| (b.notes_html, b.private));
            (
                view.blurb.kudos,
                comments,
                bm,
                store.subscriptions_of(bob_id).await.unwrap().len(),
                store.unread_notifications(bob_id).await.unwrap(),
                store
                    .readings(
                        bob_id,
                        &tome_model::visibility::Reader::member(bob_id, false),
                        true,
                        1,
                        1000,
                    )
                    .await
                    .unwrap()
                    .0
                    .len(),
                store
                    .user_mutes(bob_id, tome_store::mutes::MuteKind::Mute)
                    .await
                    .unwrap()
                    .len(),
                store
                    .user_mutes(alice_id, tome_store::mutes::MuteKind::Block)
                    .await
                    .unwrap()
                    .len(),
                store.muted_tags(bob_id).await.unwrap().len(),
            )
        }
    };
    let before = snapshot(&site).await;
    let bad = "not-the-token";
    let cs = c.to_string();
    let bob_forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/works/{w}/kudos"), vec![]),
        (
            format!("/works/{w}/comments"),
            vec![("comment[comment_content]", "Forged")],
        ),
        (
            format!("/works/{w}/comments"),
            vec![
                ("comment[comment_content]", "Forged reply"),
                ("comment[parent_id]", cs.as_str()),
            ],
        ),
        (
            format!("/comments/{c}/edit"),
            vec![("comment[comment_content]", "Forged edit")],
        ),
        (format!("/comments/{c}/delete"), vec![]),
        (
            format!("/works/{w}/bookmarks"),
            vec![
                ("bookmark[bookmarker_notes]", "Forged"),
                ("bookmark[private]", "1"),
            ],
        ),
        (format!("/bookmarks/{bm}/delete"), vec![]),
        (format!("/works/{w}/subscriptions"), vec![]),
        (format!("/series/{series}/subscriptions"), vec![]),
        ("/users/alice/subscriptions".into(), vec![]),
        ("/users/bob/inbox/read".into(), vec![]),
        (format!("/works/{w}/mark_for_later"), vec![]),
        ("/users/bob/muted".into(), vec![("mute[login]", "alice")]),
        ("/users/bob/muted".into(), vec![("mute[tag]", "Guarded")]),
        ("/users/bob/blocked".into(), vec![("mute[login]", "alice")]),
    ];
    for (path, fields) in &bob_forms {
        for token in [None, Some(bad)] {
            let mut all = fields.clone();
            if let Some(t) = token {
                all.push(("authenticity_token", t));
            }
            let r = bob.post_raw(path, &all).await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{path} with {token:?}: {}",
                r.body
            );
        }
    }
    let alice_forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/comments/{c}/freeze"), vec![("frozen", "1")]),
        (format!("/comments/{c}/delete"), vec![]),
        ("/users/alice/blocked".into(), vec![("mute[login]", "bob")]),
    ];
    for (path, fields) in &alice_forms {
        let r = alice.post_raw(path, fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
    }
    // A guest's kudos and comment need the guest's token too.
    let mut guest = Browser::new(&site);
    guest.get(&format!("/works/{w}")).await;
    assert_eq!(
        guest
            .post_raw(&format!("/works/{w}/kudos"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(snapshot(&site).await, before);

    // The un-forms: with mutes and a block in place, removal needs the token as well.
    bob.post(
        "/users/bob/muted",
        "/users/bob/muted",
        &[("mute[login]", "alice")],
    )
    .await;
    alice
        .post(
            "/users/alice/blocked",
            "/users/alice/blocked",
            &[("mute[login]", "bob")],
        )
        .await;
    let ids = alice_id.to_string();
    let bob_ids = bob_id.to_string();
    let r = bob
        .post_raw("/users/bob/muted/remove", &[("user_id", ids.as_str())])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = alice
        .post_raw(
            "/users/alice/blocked/remove",
            &[("user_id", bob_ids.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        site.store
            .user_mutes(bob_id, tome_store::mutes::MuteKind::Mute)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        site.store
            .user_mutes(alice_id, tome_store::mutes::MuteKind::Block)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn nobody_changes_someone_elses_comment_or_bookmark() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let w = work(&site, "alice", "Contested", 1, &[]).await;
    let page = format!("/works/{w}");
    let mut bob = Browser::logged_in(&site, "bob").await;
    let mut carol = Browser::logged_in(&site, "carol").await;
    let c = comment_id(bob.comment(w, None, "Bob's words").await.location());
    bob.post(
        &page,
        &format!("/works/{w}/bookmarks"),
        &[("bookmark[bookmarker_notes]", "Bob's note")],
    )
    .await;
    let bm = bookmark_id(&site, "bob", w).await;

    // Carol sees no edit link and cannot open or post the edit form.
    let p = carol.get(&page).await;
    assert!(!p.has(&format!("a#edit_comment_link_{c}")));
    assert!(
        bob.get(&page)
            .await
            .has(&format!("a#edit_comment_link_{c}"))
    );
    let r = carol.get(&format!("/comments/{c}/edit")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains(NOT_YOURS));
    let r = carol
        .post(
            &page,
            &format!("/comments/{c}/edit"),
            &[("comment[comment_content]", "Carol's now")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = carol
        .post(&page, &format!("/comments/{c}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Even the work's creator edits no one's words (deleting is theirs to do).
    let mut alice = Browser::logged_in(&site, "alice").await;
    let r = alice
        .post(
            &page,
            &format!("/comments/{c}/edit"),
            &[("comment[comment_content]", "Alice's now")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Guests neither.
    let mut guest = Browser::new(&site);
    assert_eq!(
        guest.get(&format!("/comments/{c}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = guest
        .post(&page, &format!("/comments/{c}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let stored = site.store.comment(c).await.unwrap().unwrap();
    assert!(
        stored.body_html.contains("Bob's words") && !stored.deleted && stored.edited_at.is_none()
    );

    // Bookmarks: carol cannot delete bob's; saving hers makes her own.
    let r = carol
        .post(&page, &format!("/bookmarks/{bm}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    carol
        .post(
            &page,
            &format!("/works/{w}/bookmarks"),
            &[("bookmark[bookmarker_notes]", "Carol's note")],
        )
        .await;
    let b = site.store.bookmark(bm).await.unwrap().unwrap();
    assert!(b.notes_html.unwrap().contains("Bob's note"));
    assert_ne!(bookmark_id(&site, "carol", w).await, bm);
    // A pseud that is not yours is refused.
    let alices_pseud = site
        .store
        .pseuds_of(
            site.store
                .account_by_login("alice")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()[0]
        .id
        .to_string();
    let r = carol
        .post(
            &page,
            &format!("/works/{w}/comments"),
            &[
                ("comment[comment_content]", "As alice"),
                ("comment[pseud_id]", alices_pseud.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("That pseud is not yours."));
    assert_eq!(
        attr(&r.doc(), "textarea#comment_content", "value")
            .or_else(|| r.texts("textarea#comment_content").into_iter().next())
            .as_deref(),
        Some("As alice")
    );
}

/// The comments section with its dates replaced, for snapshots.
fn comments_markup(p: &Page) -> String {
    let doc = p.doc();
    let html = doc
        .select(&sel("div#comments_placeholder"))
        .next()
        .expect("the comments section")
        .html();
    let mut out = String::new();
    let mut rest = html.as_str();
    let open = "<span class=\"posted datetime\">";
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at + open.len()]);
        rest = &rest[at + open.len()..];
        let end = rest.find("</span>").unwrap_or(0);
        out.push_str("DATE");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn comment_thread_markup_as_guests_see_it() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    user(&site, "carol").await;
    let w = work(&site, "alice", "Snapshot", 1, &[]).await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    let mut carol = Browser::logged_in(&site, "carol").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let top = comment_id(bob.comment(w, None, "A *first* thought.").await.location());
    let reply = comment_id(carol.comment(w, Some(top), "A reply.").await.location());
    alice.comment(w, Some(reply), "The creator answers.").await;
    let gone = comment_id(carol.comment(w, None, "Soon deleted.").await.location());
    carol
        .comment(w, Some(gone), "Kept below a placeholder.")
        .await;
    carol
        .post(
            &format!("/works/{w}"),
            &format!("/comments/{gone}/delete"),
            &[],
        )
        .await;
    let p = Browser::new(&site).get(&format!("/works/{w}")).await;
    insta::assert_snapshot!("comment_thread", comments_markup(&p));
}

#[tokio::test]
async fn blocked_readers_cannot_leave_kudos_on_the_blockers_works() {
    let site = start().await;
    user(&site, "alice").await;
    user(&site, "pest").await;
    user(&site, "dave").await;
    let mine = work(&site, "alice", "Alice's Garden", 1, &[]).await;
    let other = work(&site, "dave", "Dave's Yard", 1, &[]).await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let r = alice
        .post(
            "/users/alice/blocked",
            "/users/alice/blocked",
            &[("mute[login]", "pest")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut pest = Browser::logged_in(&site, "pest").await;
    let r = pest.kudos(mine).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        r.text()
            .contains(tome_web::responding::service::BLOCKED_KUDOS),
        "{}",
        r.body
    );
    assert_eq!(kudos_count(&site, mine).await, 0, "nothing written");
    // Other creators' works are fine.
    assert_eq!(pest.kudos(other).await.status, StatusCode::SEE_OTHER);
    assert_eq!(kudos_count(&site, other).await, 1);
}

#[tokio::test]
async fn guest_kudos_keys_are_keyed_hashes_of_the_address() {
    use sha2::{Digest, Sha256};
    let site = start().await;
    user(&site, "alice").await;
    let w = work(&site, "alice", "Kudos Magnet", 1, &[]).await;
    let mut guest = Browser::new(&site);
    guest.kudos(w).await;
    assert_eq!(kudos_count(&site, w).await, 1);
    // Still once per guest.
    guest.kudos(w).await;
    assert_eq!(
        guest.get(&format!("/works/{w}")).await.texts("div.flash"),
        ["You have already left kudos here. :)"]
    );
    assert_eq!(kudos_count(&site, w).await, 1);

    // The key's first half is not the plain SHA-256 of the address (which anyone could
    // find by trying every IPv4 address) but an HMAC under the day's random key.
    let mut plain = Sha256::new();
    plain.update(b"tome-guest-address\x00127.0.0.1\x00");
    let plain: String = plain.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        site.store
            .guest_kudos_with_prefix(w, &plain)
            .await
            .expect("count"),
        0
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let day = now / tome_web::responding::guest_keys::ROTATION;
    let key = site
        .store
        .setting(&format!("guest_kudos_key:{day}"))
        .await
        .expect("setting")
        .expect("today's key was made");
    assert_eq!(key.len(), 64, "32 random bytes");
    let keyed = tome_web::pages::kudos::address_key(key.as_bytes(), "127.0.0.1");
    assert_ne!(keyed, plain);
    assert_eq!(
        site.store
            .guest_kudos_with_prefix(w, &keyed)
            .await
            .expect("count"),
        1,
        "stored under the keyed hash"
    );
    // Keys older than yesterday are deleted (they could reverse old keys).
    site.store
        .set_setting(&format!("guest_kudos_key:{}", day - 5), "old")
        .await
        .expect("old key");
    let fresh = tome_web::responding::guest_keys::GuestKeys::default();
    fresh.keys(&site.store, now).await.expect("keys");
    assert_eq!(
        site.store
            .setting(&format!("guest_kudos_key:{}", day - 5))
            .await
            .expect("setting"),
        None
    );
}

#[tokio::test]
async fn a_member_who_turns_off_email_notifications_gets_none() {
    let (url, mut mails) = smtp_sink().await;
    let site = start_with(Some(url)).await;
    user(&site, "alice").await;
    user(&site, "bob").await;
    let w = work(&site, "alice", "Quiet Please", 1, &[]).await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut bob = Browser::logged_in(&site, "bob").await;
    let prefs = alice.get("/users/alice/preferences").await;
    assert_eq!(prefs.status, StatusCode::OK);
    assert!(
        prefs
            .doc()
            .select(
                &scraper::Selector::parse("#preference_email_notifications[checked]").expect("sel")
            )
            .next()
            .is_some(),
        "on by default"
    );
    let base = [
        ("user[email]", "alice@example.org"),
        ("preference[adult]", "1"),
        ("preference[text_format]", "html"),
    ];
    let r = alice
        .post(
            "/users/alice/preferences",
            "/users/alice/preferences",
            &base,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Bob comments: alice's inbox has it, her mailbox does not.
    bob.comment(w, None, "Shh").await;
    assert!(
        tokio::time::timeout(Duration::from_millis(1500), mails.recv())
            .await
            .is_err(),
        "no mail for alice"
    );
    assert!(
        alice
            .get("/users/alice/inbox")
            .await
            .body
            .contains("bob left a comment on Quiet Please")
    );
    // Turned on again: the next comment is mailed.
    let mut on = base.to_vec();
    on.push(("preference[email_notifications]", "1"));
    let r = alice
        .post("/users/alice/preferences", "/users/alice/preferences", &on)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    bob.comment(w, None, "Louder").await;
    let m = next_mail(&mut mails).await;
    assert_eq!(m.to, ["alice@example.org"]);
}
