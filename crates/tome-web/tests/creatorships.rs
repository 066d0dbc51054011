//! Co-creator invitations over real HTTP: naming someone as co-creator invites them;
//! until they accept they are not on the byline, the work is not on their pages and
//! they may neither edit nor delete it; accepting puts them on the byline with a
//! creator's rights; declining removes the invitation for good. The answers are
//! CSRF-checked forms on `/users/NAME/creatorships`, for its owner only.

mod support;

use reqwest::StatusCode;
use support::{Browser, Fields, set, start, texts, user};

const WORK_FORM: &str = "form#work-form";
const NONE: &[(&str, &str)] = &[];

async fn post_with_co_creators(b: &mut Browser<'_>, title: &str, co: &str) -> i64 {
    let page = b.get("/works/new").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut f: Fields = page.form(WORK_FORM);
    set(&mut f, "work[title]", title);
    set(&mut f, "work[rating]", "teen");
    support::set_all(&mut f, "work[warnings][]", &["no_warnings"]);
    set(&mut f, "work[fandoms]", "Good Omens");
    set(
        &mut f,
        "chapters[0][body]",
        "<p>Written together, or not.</p>",
    );
    set(&mut f, "work[co_creators]", co);
    f.push(("commit".into(), "Post".into()));
    let r = b.post_raw("/works", &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.work_id()
}

async fn byline(b: &mut Browser<'_>, id: i64) -> Vec<String> {
    let p = b.get(&format!("/works/{id}")).await;
    assert_eq!(p.status, StatusCode::OK);
    texts(&p.doc(), "h3.byline.heading a[rel=author]")
}

#[tokio::test]
async fn invite_accept_decline() {
    let site = start().await;
    for u in ["alice", "dave", "erin", "mallory"] {
        user(&site, u).await;
    }
    let mut alice = Browser::logged_in(&site, "alice").await;
    let id = post_with_co_creators(&mut alice, "Two Hands", "dave, erin").await;
    let mut guest = Browser::new(&site);
    assert_eq!(
        byline(&mut guest, id).await,
        ["alice"],
        "invited, not named"
    );

    // Dave is told, and sees the request on his page, linked from his inbox.
    let mut dave = Browser::logged_in(&site, "dave").await;
    let inbox = dave.get("/users/dave/inbox").await;
    assert!(inbox.body.contains("/users/dave/creatorships"));
    assert!(
        inbox.body.contains("invited to be a co-creator of"),
        "{}",
        inbox.body
    );
    let page = dave.get("/users/dave/creatorships").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        texts(&page.doc(), "li.creatorship span.title"),
        ["Two Hands"]
    );
    // Nobody else reads or answers it.
    let mut mallory = Browser::logged_in(&site, "mallory").await;
    assert_eq!(
        mallory.get("/users/dave/creatorships").await.status,
        StatusCode::FORBIDDEN
    );
    let r = mallory
        .post(
            "/users/mallory/creatorships",
            &format!("/users/dave/creatorships/{id}/accept"),
            NONE,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = mallory
        .post(
            "/users/mallory/creatorships",
            &format!("/users/mallory/creatorships/{id}/accept"),
            NONE,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "mallory was not invited");

    // Before accepting: not on his pages, no editing, no deleting.
    for path in [
        "/users/dave",
        "/users/dave/works",
        "/users/dave/pseuds/dave/works",
    ] {
        assert!(!dave.get(path).await.body.contains("Two Hands"), "{path}");
    }
    assert_eq!(
        dave.get(&format!("/works/{id}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = dave
        .post(
            &format!("/works/{id}"),
            &format!("/works/{id}/delete"),
            NONE,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        dave.get(&format!("/works/{id}")).await.status,
        StatusCode::OK
    );

    // Without the CSRF token: refused, still pending.
    let r = dave
        .post_raw(&format!("/users/dave/creatorships/{id}/accept"), NONE)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(byline(&mut guest, id).await, ["alice"]);

    // Accepted: on the byline, on his pages, and he may edit.
    let r = dave
        .post(
            "/users/dave/creatorships",
            &format!("/users/dave/creatorships/{id}/accept"),
            NONE,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/works/{id}"));
    assert_eq!(byline(&mut guest, id).await, ["alice", "dave"]);
    assert!(
        dave.get("/users/dave/works")
            .await
            .body
            .contains("Two Hands")
    );
    assert_eq!(
        dave.get(&format!("/works/{id}/edit")).await.status,
        StatusCode::OK
    );
    let page = dave.get("/users/dave/creatorships").await;
    assert!(texts(&page.doc(), "li.creatorship").is_empty());

    // Erin declines: gone, never on the byline, no rights.
    let mut erin = Browser::logged_in(&site, "erin").await;
    let r = erin
        .post(
            "/users/erin/creatorships",
            &format!("/users/erin/creatorships/{id}/decline"),
            NONE,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        texts(
            &erin.get("/users/erin/creatorships").await.doc(),
            "li.creatorship"
        )
        .is_empty()
    );
    let r = erin
        .post(
            "/users/erin/creatorships",
            &format!("/users/erin/creatorships/{id}/accept"),
            NONE,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "declined is final");
    assert_eq!(byline(&mut guest, id).await, ["alice", "dave"]);
    assert_eq!(
        erin.get(&format!("/works/{id}/edit")).await.status,
        StatusCode::FORBIDDEN
    );

    // An accepted co-creator may delete it.
    let r = dave
        .post(
            &format!("/works/{id}/confirm_delete"),
            &format!("/works/{id}/delete"),
            NONE,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        guest.get(&format!("/works/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}
