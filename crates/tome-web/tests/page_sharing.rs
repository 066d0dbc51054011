//! Pages rendered once per audience and kept (work pages, listings, results) against the
//! reference: the same archive served by a node that renders every page for its viewer
//! (`share_pages: false`, `TOME_SHARE_PAGES=0`). For every kind of viewer the kept page,
//! its first render and its second (cached) serving, equals the reference byte for byte
//! but for the CSRF token. Then changes made on one node (or by another process, straight
//! through the store) reach the next page on every node within the documented bounds:
//! within the page cache's revalidation window (one second) for the work's own page, within the member poll (about a second) for a
//! member's mutes, blocks and session, within the indexer's catch-up for listings.

mod support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use support::{Browser, DataDir, Page, Site};
use tome_model::{Rating, Role, TagKind};
use tome_store::Store;
use tome_store::posting::{ChapterInput, TextField, WorkInput};
use tome_web::{AppState, PageConfig};

/// A node over `store` with its own search index in `dir/name` and its own caches.
async fn node(dir: &DataDir, store: &Store, name: &str, share_pages: bool) -> AppState {
    let search = tome_search::Search::open(&dir.path().join(name), store.clone())
        .await
        .expect("index");
    search.catch_up().await.expect("catch up");
    search.spawn_indexer(Duration::from_millis(20));
    let config = PageConfig {
        share_pages,
        ..support::test_config()
    };
    AppState::with_config(store.clone(), "Test Archive", config)
        .with_search(search)
        .with_counts_refresh(Duration::ZERO)
}

async fn post(store: &Store, login: &str, title: &str, tags: &[(TagKind, &str)]) -> i64 {
    post_by(store, &[login], title, tags, false).await
}

/// A work by these users' default pseuds, anonymous or not.
async fn post_by(
    store: &Store,
    logins: &[&str],
    title: &str,
    tags: &[(TagKind, &str)],
    anonymous: bool,
) -> i64 {
    let mut pseud_ids = Vec::new();
    for login in logins {
        let a = store
            .account_by_login(login)
            .await
            .expect("account")
            .expect("exists");
        pseud_ids.push(store.pseuds_of(a.id).await.expect("pseuds")[0].id);
    }
    let input = WorkInput {
        title: title.into(),
        pseud_ids,
        anonymous,
        rating: Some(Rating::General),
        tags: tags.iter().map(|(k, n)| (*k, n.to_string())).collect(),
        language: "en".into(),
        text_format: "html".into(),
        ..WorkInput::default()
    };
    let chapters: Vec<ChapterInput> = (1..=2)
        .map(|i| ChapterInput {
            title: Some(format!("Part {i}")),
            body: TextField {
                html: Some(format!("<p>Chapter {i} of {title}, lantern words.</p>")),
                source: None,
            },
            word_count: 5,
            ..ChapterInput::default()
        })
        .collect();
    store
        .create_posted_work(&input, &chapters, false)
        .await
        .expect("work")
}

/// The page with every CSRF token (they are per session or per guest cookie, and the two
/// nodes hand guests different ones) replaced by one placeholder.
fn normalized(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    const MARK: &str = "name=\"authenticity_token\" value=\"";
    while let Some(at) = rest.find(MARK) {
        let start = at + MARK.len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        out.push_str("TOKEN");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The first line where two pages part, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    for (n, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  kept:      {x}\n  reference: {y}", n + 1);
        }
    }
    format!("lengths {} and {}", a.len(), b.len())
}

/// Waits (up to `within`) until `check` holds for the page at `path`; the time it took.
async fn until(
    b: &mut Browser<'_>,
    path: &str,
    within: Duration,
    check: impl Fn(&Page) -> bool,
) -> Duration {
    let start = Instant::now();
    loop {
        let p = b.get(path).await;
        if check(&p) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "{path} did not change within {within:?}: {}",
            p.text()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn titles(p: &Page) -> Vec<String> {
    p.texts("li.work.blurb h4.heading a[href^=\"/works/\"]")
}

#[tokio::test]
async fn kept_pages_equal_a_fresh_render_for_every_kind_of_viewer() {
    let (dir, store) = support::archive().await;
    support::account(&store, "author", &[]).await;
    support::account(&store, "other", &[]).await;
    support::account(&store, "troll", &[]).await;
    support::account(&store, "reader", &[]).await;
    support::account(&store, "plain", &[]).await;
    support::account(&store, "commenter", &[]).await;
    support::account(&store, "pest", &[]).await;
    support::account(&store, "moderator", &[Role::Moderator]).await;
    let fandom = (TagKind::Fandom, "Lantern Fandom");
    let shared = post(
        &store,
        "author",
        "Shared Work",
        &[fandom, (TagKind::Freeform, "Fluff")],
    )
    .await;
    let angsty = post(
        &store,
        "other",
        "Angsty Work",
        &[fandom, (TagKind::Freeform, "Angst")],
    )
    .await;
    post(&store, "other", "Other Work", &[fandom]).await;
    post(&store, "troll", "Troll Work", &[fandom]).await;
    // Posted anonymously by "other" with "author": their bylines show it to the two of
    // them alone, so on /users/other/works the author's page is their own.
    post_by(&store, &["other", "author"], "Masked Work", &[fandom], true).await;

    let s = support::serve(node(&dir, &store, "index-s", true).await).await;
    let r = support::serve(node(&dir, &store, "index-r", false).await).await;
    let kept = Site::beside(s, &store);
    let reference = Site::beside(r, &store);

    // The reader mutes a tag and a user; the author blocks a pest; a commenter comments.
    let mut reader = Browser::logged_in(&kept, "reader").await;
    for (field, value) in [("mute[tag]", "Angst"), ("mute[login]", "troll")] {
        let p = reader
            .post(
                "/users/reader/muted",
                "/users/reader/muted",
                &[(field, value)],
            )
            .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    }
    let mut author = Browser::logged_in(&kept, "author").await;
    let p = author
        .post(
            "/users/author/blocked",
            "/users/author/blocked",
            &[("mute[login]", "pest")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let mut commenter = Browser::logged_in(&kept, "commenter").await;
    let path = format!("/works/{shared}/comments");
    let p = commenter
        .post(
            &format!("/works/{shared}"),
            &path,
            &[("comment[comment_content]", "<p>Lovely lanterns.</p>")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);

    let chapters = store
        .work(shared)
        .await
        .expect("work")
        .expect("exists")
        .chapters;
    // Everything in the index before anything is compared.
    let mut guest = Browser::new(&kept);
    until(&mut guest, "/works", Duration::from_secs(10), |p| {
        titles(p).len() == 5
    })
    .await;
    let mut guest_r = Browser::new(&reference);
    until(&mut guest_r, "/works", Duration::from_secs(10), |p| {
        titles(p).len() == 5
    })
    .await;

    let pages = [
        format!("/works/{shared}"),
        format!("/works/{shared}?view_full_work=true"),
        format!("/works/{shared}/chapters/{}", chapters[1].id),
        format!("/works/{angsty}"),
        "/".to_string(),
        "/works".to_string(),
        "/tags/Lantern%20Fandom/works".to_string(),
        "/works/search?work_search%5Bquery%5D=lantern".to_string(),
        "/users/other/works".to_string(),
        "/users/troll/works".to_string(),
    ];
    let viewers = [
        None,
        Some("plain"),
        Some("other"),
        Some("reader"),
        Some("author"),
        Some("commenter"),
        Some("pest"),
        Some("moderator"),
    ];
    let mut compared = 0;
    for viewer in viewers {
        let (mut a, mut b) = match viewer {
            None => (Browser::new(&kept), Browser::new(&reference)),
            Some(login) => (
                Browser::logged_in(&kept, login).await,
                Browser::logged_in(&reference, login).await,
            ),
        };
        for path in &pages {
            let want = b.get(path).await;
            assert_eq!(want.status, StatusCode::OK, "{viewer:?} {path}");
            for serving in ["first", "kept"] {
                let got = a.get(path).await;
                assert_eq!(got.status, want.status, "{viewer:?} {path} ({serving})");
                let (g, w) = (normalized(&got.body), normalized(&want.body));
                assert!(
                    g == w,
                    "{viewer:?} {path} ({serving}) differs from the reference render: {}",
                    first_difference(&g, &w)
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, viewers.len() * pages.len() * 2);

    // The comparison can fail: each viewer's page is their own where it should be.
    let mut reader = Browser::logged_in(&kept, "reader").await;
    let mine = titles(&reader.get("/works").await);
    assert!(!mine.contains(&"Angsty Work".to_string()), "{mine:?}");
    assert!(!mine.contains(&"Troll Work".to_string()), "{mine:?}");
    assert!(titles(&Browser::new(&kept).get("/works").await).contains(&"Troll Work".into()));
    // A user's works: the anonymous work only for its creators, the rest shared.
    let masked = |p: &Page| titles(p).contains(&"Masked Work".to_string());
    assert!(masked(&author.get("/users/other/works").await));
    assert!(masked(
        &Browser::logged_in(&kept, "other")
            .await
            .get("/users/other/works")
            .await
    ));
    let mut plain_viewer = Browser::logged_in(&kept, "plain").await;
    assert!(!masked(&plain_viewer.get("/users/other/works").await));
    assert!(!masked(
        &Browser::new(&kept).get("/users/other/works").await
    ));
    let mut pest = Browser::logged_in(&kept, "pest").await;
    assert!(
        !pest
            .get(&format!("/works/{shared}"))
            .await
            .has("form.new_comment")
    );
    let mut plain = Browser::logged_in(&kept, "plain").await;
    let p = plain.get(&format!("/works/{shared}")).await;
    assert!(p.has("form.new_comment"));
    assert!(p.body.contains("Lovely lanterns."));
    let p = author.get(&format!("/works/{shared}")).await;
    assert!(
        p.has(&format!("a[href=\"/works/{shared}/edit\"]")),
        "creator's Edit link"
    );
    assert!(
        !plain
            .get(&format!("/works/{shared}"))
            .await
            .has(&format!("a[href=\"/works/{shared}/edit\"]"))
    );
}

#[tokio::test]
async fn changes_reach_the_next_page_on_every_node_within_the_bound() {
    let (dir, store) = support::archive().await;
    let author_id = support::account(&store, "author", &[]).await;
    support::account(&store, "reader", &[]).await;
    let fandom = (TagKind::Fandom, "Lantern Fandom");
    let work = post(
        &store,
        "author",
        "First Title",
        &[fandom, (TagKind::Freeform, "Slow Burn")],
    )
    .await;
    let one = support::serve(node(&dir, &store, "index-1", true).await).await;
    let two = support::serve(node(&dir, &store, "index-2", true).await).await;
    let one = Site::beside(one, &store);
    let two = Site::beside(two, &store);
    let page = format!("/works/{work}");
    let heading = |p: &Page| p.texts("h2.title.heading").join(" ");
    let freeforms = |p: &Page| p.texts("dd.freeform.tags li a.tag");

    let mut guests = [Browser::new(&one), Browser::new(&two)];
    let mut readers = [
        Browser::logged_in(&one, "reader").await,
        Browser::logged_in(&two, "reader").await,
    ];
    // Warm every node's kept copies for both audiences.
    for b in guests.iter_mut().chain(readers.iter_mut()) {
        for _ in 0..2 {
            assert_eq!(heading(&b.get(&page).await), "First Title");
            until(b, "/works", Duration::from_secs(10), |p| {
                titles(p) == ["First Title"]
            })
            .await;
        }
    }

    // The work changed by another process: the next work page on every node, at once.
    let mut input = store
        .work_for_edit(work)
        .await
        .expect("work")
        .expect("exists")
        .input;
    input.title = "Second Title".into();
    store.update_work(work, &input).await.expect("update");
    // A kept work page trusts its version for `PageConfig::revalidate` (1 s) at most.
    for b in guests.iter_mut().chain(readers.iter_mut()) {
        let took = until(b, &page, Duration::from_millis(2_500), |p| {
            heading(p) == "Second Title"
        })
        .await;
        eprintln!("retitled work on its page after {took:?}");
    }
    // Listings once the indexer has caught up (a few seconds at most).
    for b in guests.iter_mut().chain(readers.iter_mut()) {
        let took = until(b, "/works", Duration::from_secs(5), |p| {
            titles(p) == ["Second Title"]
        })
        .await;
        eprintln!("retitled work in /works after {took:?}");
    }

    // Its tag renamed straight through the store: within the revalidation window.
    let tag = store
        .tag_by_name("Slow Burn")
        .await
        .expect("tag")
        .expect("exists");
    store
        .rename_tag(author_id, tag.id, "Slowest Burn")
        .await
        .expect("rename");
    for b in guests.iter_mut().chain(readers.iter_mut()) {
        let took = until(b, &page, Duration::from_secs(3), |p| {
            freeforms(p) == ["Slowest Burn"]
        })
        .await;
        eprintln!("renamed tag on the work page after {took:?}");
    }

    // A mute made on node one: at once there, within the member poll on node two.
    let p = readers[0]
        .post(
            "/users/reader/muted",
            "/users/reader/muted",
            &[("mute[tag]", "Slowest Burn")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(titles(&readers[0].get("/works").await).is_empty());
    let took = until(&mut readers[1], "/works", Duration::from_secs(3), |p| {
        titles(p).is_empty()
    })
    .await;
    eprintln!("mute on the other node after {took:?}");
    for g in guests.iter_mut() {
        assert_eq!(titles(&g.get("/works").await), ["Second Title"]);
    }

    // A block made by the author on node one: the reader's page on node two loses the
    // comment form within the member poll.
    for r in readers.iter_mut() {
        assert!(r.get(&page).await.has("form.new_comment"));
    }
    let mut author = Browser::logged_in(&one, "author").await;
    let p = author
        .post(
            "/users/author/blocked",
            "/users/author/blocked",
            &[("mute[login]", "reader")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let took = until(&mut readers[1], &page, Duration::from_secs(3), |p| {
        !p.has("form.new_comment") && p.has("p#comment_refusal")
    })
    .await;
    eprintln!("block on the other node after {took:?}");

    // Logging out on node one ends the session on node two within the poll.
    let mut here = Browser::logged_in(&one, "reader").await;
    let mut there = Browser::new(&two);
    there.cookies = here.cookies.clone();
    let logged_in = |p: &Page| p.has("a[href=\"/users/reader\"]");
    assert!(logged_in(&there.get("/").await));
    let p = here
        .post("/", "/users/logout", &[] as &[(&str, &str)])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let took = until(&mut there, "/", Duration::from_secs(3), |p| !logged_in(p)).await;
    eprintln!("log-out on the other node after {took:?}");
    let _ = author;
}
