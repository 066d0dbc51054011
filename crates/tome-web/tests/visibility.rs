//! Who may see what, over real HTTP against a real SQLite archive: drafts (their
//! creators only), restricted works (logged-in readers only), works hidden by a moderator
//! (their creators, moderators and admins only) and anonymous works (everyone, with the
//! creator shown as "Anonymous"). For each case and each kind of viewer, every surface is
//! asked: the work page, each chapter, the chapter index, the entire work, the three
//! downloads (the EPUB unzipped), the home page, the works index, the tag's pages, the
//! creator's user and pseud pages, bookmarks, history, comments, kudos and search.

mod support;

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

use reqwest::StatusCode;
use tome_model::{Rating, Role, TagKind};
use tome_store::{ChapterInput, Store, TextField, WorkInput};
use tome_web::{AppState, PageConfig};

const FANDOM: &str = "Lantern Fandom";

struct Site {
    base: String,
    client: reqwest::Client,
    store: Store,
    state: AppState,
    _dir: support::DataDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn start() -> Site {
    let (dir, store) = support::archive().await;
    let config = PageConfig {
        // Pages are cached for guests: a version change must be seen at once.
        revalidate: Duration::from_millis(0),
        ..support::test_config()
    };
    let state = AppState::with_config(store.clone(), "Test Archive", config);
    let support::Served { base, client, stop } = support::serve(state.clone()).await;
    Site {
        base,
        client,
        store,
        state,
        _dir: dir,
        _stop: stop,
    }
}

/// A response, read (an EPUB's text is its unzipped entries).
struct Page {
    status: StatusCode,
    location: String,
    body: String,
}

/// A reader with a cookie jar.
struct Reader<'a> {
    site: &'a Site,
    name: &'static str,
    cookies: BTreeMap<String, String>,
}

impl<'a> Reader<'a> {
    fn guest(site: &'a Site) -> Reader<'a> {
        Reader {
            site,
            name: "guest",
            cookies: BTreeMap::new(),
        }
    }

    async fn logged_in(site: &'a Site, login: &'static str) -> Reader<'a> {
        let mut r = Reader {
            site,
            name: login,
            cookies: BTreeMap::new(),
        };
        let p = r
            .post(
                "/users/login",
                "/users/login",
                &[("user[login]", login), ("user[password]", "password1")],
            )
            .await;
        assert_eq!(
            p.status,
            StatusCode::SEE_OTHER,
            "log in {login}: {}",
            p.body
        );
        r
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let r = req.header("cookie", cookie).send().await.expect("request");
        for c in r.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap_or("");
            if let Some((k, v)) = c.split(';').next().and_then(|p| p.split_once('=')) {
                if v.is_empty() || c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let epub = r
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/epub+zip"));
        let bytes = r.bytes().await.expect("body");
        let body = if epub {
            epub_text(&bytes)
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        Page {
            status,
            location,
            body,
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let req = self.site.client.get(format!("{}{path}", self.site.base));
        self.send(req).await
    }

    /// Takes a CSRF token from `form_page` and posts the fields with it.
    async fn post(&mut self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(form_page).await;
        let token = token(&page.body).unwrap_or_else(|| panic!("no token on {form_page}"));
        let mut all = vec![("authenticity_token", token.as_str())];
        all.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&all).expect("form");
        let req = self
            .site
            .client
            .post(format!("{}{path}", self.site.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(req).await
    }
}

fn token(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("input[name=authenticity_token]").expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_string))
}

/// Every file of an EPUB, unzipped and joined (names and contents).
fn epub_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an EPUB is a zip");
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("zip entry");
        out.push_str(f.name());
        out.push('\n');
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("unzip");
        out.push_str(&String::from_utf8_lossy(&data));
        out.push('\n');
    }
    out
}

/// A work in the archive, with the markers that must (or must not) show.
#[derive(Debug, Clone)]
struct Work {
    id: i64,
    chapters: Vec<i64>,
    /// Unique text in the title (listings print titles).
    title: String,
    /// Unique text in the second chapter (only the work's own pages print it).
    text: String,
}

#[derive(Default, Clone, Copy)]
struct Flags {
    draft: bool,
    restricted: bool,
    anonymous: bool,
}

/// Posts a two-chapter work by `login`'s default pseud, tagged with [`FANDOM`].
async fn post_work(site: &Site, login: &str, marker: &str, flags: Flags) -> Work {
    let user = site
        .store
        .account_by_login(login)
        .await
        .expect("account")
        .expect("exists");
    let pseud = site.store.pseuds_of(user.id).await.expect("pseuds")[0].id;
    let title = format!("{marker} Title");
    let input = WorkInput {
        title: title.clone(),
        pseud_ids: vec![pseud],
        rating: Some(Rating::General),
        tags: vec![
            (TagKind::Fandom, FANDOM.into()),
            (TagKind::Freeform, format!("{marker} Tag")),
        ],
        language: "en".into(),
        summary: html(&format!("<p>{marker} summary</p>")),
        text_format: "html".into(),
        expected_chapters: Some(2),
        restricted: flags.restricted,
        anonymous: flags.anonymous,
        ..Default::default()
    };
    let chapter = |body: String| ChapterInput {
        title: Some(format!("{marker} chapter")),
        body: html(&body),
        word_count: 3,
        ..Default::default()
    };
    let text = format!("{marker} second chapter words");
    let id = site
        .store
        .create_posted_work(
            &input,
            &[chapter(format!("<p>{marker} first chapter words</p>"))],
            flags.draft,
        )
        .await
        .expect("work");
    site.store
        .add_chapter(id, &chapter(format!("<p>{text}</p>")))
        .await
        .expect("chapter 2");
    let chapters = site
        .store
        .work_for_edit(id)
        .await
        .expect("work")
        .expect("exists")
        .chapters
        .iter()
        .map(|c| c.id)
        .collect();
    Work {
        id,
        chapters,
        title,
        text,
    }
}

fn html(s: &str) -> TextField {
    TextField {
        html: Some(s.to_string()),
        source: None,
    }
}

/// The pages of the work itself.
fn work_pages(w: &Work) -> Vec<String> {
    let id = w.id;
    let mut v = vec![
        format!("/works/{id}"),
        format!("/works/{id}/navigate"),
        format!("/works/{id}?view_full_work=true"),
        format!("/works/{id}/download.epub"),
        format!("/works/{id}/download.html"),
        format!("/works/{id}/download.txt"),
    ];
    v.extend(
        w.chapters
            .iter()
            .map(|c| format!("/works/{id}/chapters/{c}")),
    );
    v
}

/// Pages that list works (or bookmarks, or history) and could name this one.
fn listings(creator: &str) -> Vec<String> {
    let tag = FANDOM.replace(' ', "%20");
    vec![
        "/".into(),
        "/works".into(),
        "/works?page=1".into(),
        format!("/tags/{tag}"),
        format!("/tags/{tag}/works"),
        format!("/users/{creator}"),
        format!("/users/{creator}/works"),
        format!("/users/{creator}/pseuds/{creator}"),
        format!("/users/{creator}/pseuds/{creator}/works"),
        "/users/bobreader/bookmarks".into(),
        format!("/works/search?work_search%5Bquery%5D={}", "Lantern"),
        format!("/works/search?work_search%5Bfandom_names%5D={tag}"),
    ]
}

/// The viewer can open none of the work's pages, no listing names it, and they can
/// neither comment, kudos, bookmark nor mark it for later.
async fn assert_unseen(r: &mut Reader<'_>, w: &Work, creator: &str) {
    unseen(r, w, creator, false).await;
}

/// As [`assert_unseen`], for a guest at a restricted work: its reading pages ask them to
/// log in (401) instead of "doesn't exist", still showing nothing of it.
async fn assert_unseen_asked_to_log_in(r: &mut Reader<'_>, w: &Work, creator: &str) {
    unseen(r, w, creator, true).await;
}

async fn unseen(r: &mut Reader<'_>, w: &Work, creator: &str, login_asked: bool) {
    for path in work_pages(w) {
        let p = r.get(&path).await;
        let reading = !path.contains("/navigate") && !path.contains("/download.");
        let want = if login_asked && reading {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(p.status, want, "{} got {path}", r.name);
        assert!(
            !p.body.contains(&w.title),
            "{} saw the title on {path}",
            r.name
        );
        assert!(
            !p.body.contains(&w.text),
            "{} saw the text on {path}",
            r.name
        );
    }
    for path in listings(creator) {
        let p = r.get(&path).await;
        assert!(
            !p.body.contains(&w.title) && !p.body.contains(&w.text),
            "{} saw {} on {path}",
            r.name,
            w.title
        );
    }
    if r.name != "guest" {
        let p = r.get("/users/bobreader/readings").await;
        assert!(!p.body.contains(&w.title), "{} history lists it", r.name);
    }
    let id = w.id;
    let posts: [(String, Vec<(&str, &str)>); 4] = [
        (
            format!("/works/{id}/comments"),
            vec![
                ("comment[comment_content]", "Let me in"),
                ("comment[name]", "Guest"),
                ("comment[email]", "guest@example.org"),
            ],
        ),
        (format!("/works/{id}/kudos"), vec![]),
        (
            format!("/works/{id}/bookmarks"),
            vec![("bookmark[bookmarker_notes]", "mine")],
        ),
        (format!("/works/{id}/mark_for_later"), vec![]),
    ];
    let form_page = if r.name == "guest" {
        "/users/login"
    } else {
        "/"
    };
    for (path, fields) in posts {
        let p = r.post(form_page, &path, &fields).await;
        if r.name == "guest" && !path.ends_with("/comments") && !path.ends_with("/kudos") {
            // Members-only actions send guests to log in first.
            assert_eq!(p.status, StatusCode::SEE_OTHER, "{} posted {path}", r.name);
            assert!(p.location.starts_with("/users/login"), "{}", p.location);
        } else {
            assert_eq!(p.status, StatusCode::NOT_FOUND, "{} posted {path}", r.name);
        }
    }
}

/// The viewer opens every page of the work, and the listings that show it do.
async fn assert_seen(r: &mut Reader<'_>, w: &Work) {
    for path in work_pages(w) {
        let p = r.get(&path).await;
        assert_eq!(
            p.status,
            StatusCode::OK,
            "{} got {path}: {}",
            r.name,
            p.body
        );
        assert!(
            p.body.contains(&w.title),
            "{} misses the title on {path}",
            r.name
        );
    }
    let p = r.get(&format!("/works/{}?view_full_work=true", w.id)).await;
    assert!(p.body.contains(&w.text));
    for ext in ["epub", "html", "txt"] {
        let p = r.get(&format!("/works/{}/download.{ext}", w.id)).await;
        assert!(p.body.contains(&w.text), "{} download.{ext}", r.name);
    }
}

async fn assert_listed(r: &mut Reader<'_>, w: &Work, paths: &[String]) {
    for path in paths {
        let p = r.get(path).await;
        assert!(
            p.body.contains(&w.title),
            "{} does not see {} on {path}",
            r.name,
            w.title
        );
    }
}

async fn comment(r: &mut Reader<'_>, w: &Work, text: &str) -> Page {
    r.post(
        &format!("/works/{}", w.id),
        &format!("/works/{}/comments", w.id),
        &[("comment[comment_content]", text)],
    )
    .await
}

async fn bookmark(r: &mut Reader<'_>, w: &Work) -> Page {
    r.post(
        &format!("/works/{}", w.id),
        &format!("/works/{}/bookmarks", w.id),
        &[("bookmark[bookmarker_notes]", "A favourite")],
    )
    .await
}

async fn kudos(r: &mut Reader<'_>, w: &Work) -> Page {
    r.post(
        &format!("/works/{}", w.id),
        &format!("/works/{}/kudos", w.id),
        &[],
    )
    .await
}

async fn people(site: &Site) {
    support::account(&site.store, "inkwellalice", &[]).await;
    support::account(&site.store, "bobreader", &[]).await;
    support::account(&site.store, "modmira", &[Role::Moderator]).await;
    support::account(&site.store, "adminada", &[Role::Admin]).await;
}

#[tokio::test]
async fn drafts_are_for_their_creators_only() {
    let site = start().await;
    people(&site).await;
    let open = post_work(&site, "inkwellalice", "Openlamp", Flags::default()).await;
    let draft = post_work(
        &site,
        "inkwellalice",
        "Draftlamp",
        Flags {
            draft: true,
            ..Flags::default()
        },
    )
    .await;

    let mut guest = Reader::guest(&site);
    assert_seen(&mut guest, &open).await;
    assert_unseen(&mut guest, &draft, "inkwellalice").await;
    for login in ["bobreader", "modmira", "adminada"] {
        let mut r = Reader::logged_in(&site, login).await;
        assert_seen(&mut r, &open).await;
        assert_unseen(&mut r, &draft, "inkwellalice").await;
        // A moderator cannot hide what is not published.
        let p = r.post("/", &format!("/works/{}/hide", draft.id), &[]).await;
        assert!(
            p.status == StatusCode::NOT_FOUND || p.status == StatusCode::FORBIDDEN,
            "{login}: {}",
            p.status
        );
    }
    // Its creator reads it everywhere it can be read, and finds it among their drafts,
    // never in public listings.
    let mut alice = Reader::logged_in(&site, "inkwellalice").await;
    assert_seen(&mut alice, &draft).await;
    let drafts = alice.get("/users/inkwellalice/works/drafts").await;
    assert!(drafts.body.contains(&draft.title));
    for path in ["/", "/works", "/users/inkwellalice/works"] {
        let p = alice.get(path).await;
        assert!(p.body.contains(&open.title), "{path}");
        assert!(!p.body.contains(&draft.title), "{path} lists a draft");
    }
}

#[tokio::test]
async fn restricted_works_are_for_logged_in_readers() {
    let site = start().await;
    people(&site).await;
    let closed = post_work(
        &site,
        "inkwellalice",
        "Gatelamp",
        Flags {
            restricted: true,
            ..Flags::default()
        },
    )
    .await;
    let mut bob = Reader::logged_in(&site, "bobreader").await;
    assert_seen(&mut bob, &closed).await;
    assert_listed(
        &mut bob,
        &closed,
        &[
            "/".into(),
            "/works".into(),
            format!("/tags/{}/works", FANDOM.replace(' ', "%20")),
            "/users/inkwellalice/works".into(),
            "/users/inkwellalice/pseuds/inkwellalice/works".into(),
        ],
    )
    .await;
    assert_eq!(
        comment(&mut bob, &closed, "Members-only remark")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(kudos(&mut bob, &closed).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bookmark(&mut bob, &closed).await.status,
        StatusCode::SEE_OTHER
    );
    let p = bob.get(&format!("/works/{}", closed.id)).await;
    assert!(p.body.contains("Members-only remark"));
    assert!(
        bob.get("/users/bobreader/bookmarks")
            .await
            .body
            .contains(&closed.title)
    );
    assert!(
        bob.get("/users/bobreader/readings")
            .await
            .body
            .contains(&closed.title)
    );

    // Guests see nothing of it, its comments or bob's bookmark of it.
    let mut guest = Reader::guest(&site);
    assert_unseen_asked_to_log_in(&mut guest, &closed, "inkwellalice").await;
    let bookmarks = guest.get("/users/bobreader/bookmarks").await;
    assert!(!bookmarks.body.contains("A favourite"));

    for login in ["inkwellalice", "modmira"] {
        let mut r = Reader::logged_in(&site, login).await;
        assert_seen(&mut r, &closed).await;
    }
}

#[tokio::test]
async fn hidden_works_are_for_creators_and_moderators() {
    let site = start().await;
    people(&site).await;
    let w = post_work(&site, "inkwellalice", "Shadelamp", Flags::default()).await;
    let work_path = format!("/works/{}", w.id);
    let hide = format!("/works/{}/hide", w.id);
    let unhide = format!("/works/{}/unhide", w.id);

    // Bob reads, comments, leaves kudos, bookmarks it while it is public.
    let mut bob = Reader::logged_in(&site, "bobreader").await;
    assert_seen(&mut bob, &w).await;
    assert_eq!(
        comment(&mut bob, &w, "Shadowed remark").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(kudos(&mut bob, &w).await.status, StatusCode::SEE_OTHER);
    assert_eq!(bookmark(&mut bob, &w).await.status, StatusCode::SEE_OTHER);
    let mut guest = Reader::guest(&site);
    assert_seen(&mut guest, &w).await; // and the guest copy is cached now

    // Only moderators and admins get the button, and only they may use the routes.
    assert!(!bob.get(&work_path).await.body.contains(&hide));
    assert!(!guest.get(&work_path).await.body.contains(&hide));
    let p = bob.post(&work_path, &hide, &[]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = guest.post(&work_path, &hide, &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(p.location.starts_with("/users/login"));
    let mut alice = Reader::logged_in(&site, "inkwellalice").await;
    assert!(!alice.get(&work_path).await.body.contains(&hide));
    assert_eq!(
        alice.post(&work_path, &hide, &[]).await.status,
        StatusCode::FORBIDDEN,
        "creators cannot hide their own work"
    );

    let mut mira = Reader::logged_in(&site, "modmira").await;
    let page = mira.get(&work_path).await;
    assert!(
        page.body.contains(&format!("action=\"{hide}\"")),
        "{}",
        page.body
    );
    // Without the CSRF token: refused.
    let raw = site
        .client
        .post(format!("{}{hide}", site.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header(
            "cookie",
            format!("tome_session={}", mira.cookies["tome_session"]),
        )
        .body("")
        .send()
        .await
        .expect("post");
    assert_eq!(raw.status(), StatusCode::FORBIDDEN);
    let before = site
        .store
        .outbox_after(0, 1000)
        .await
        .expect("outbox")
        .len();
    let p = mira.post(&work_path, &hide, &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location, work_path);
    let outbox = site.store.outbox_after(0, 1000).await.expect("outbox");
    assert_eq!(outbox.len(), before + 1, "hiding tells search");
    assert_eq!(outbox.last().map(|r| r.work_id), Some(w.id));

    // Guests (even with a cached copy) and other readers: nothing at all.
    assert_unseen(&mut guest, &w, "inkwellalice").await;
    assert_unseen(&mut bob, &w, "inkwellalice").await;
    assert!(
        !bob.get("/users/bobreader/bookmarks")
            .await
            .body
            .contains(&w.title)
    );

    // The creator, moderators and admins read it, told that it is hidden.
    for r in [&mut alice, &mut mira] {
        assert_seen(r, &w).await;
        let p = r.get(&work_path).await;
        assert!(p.body.contains("hidden by a moderator"), "{}", r.name);
        assert!(p.body.contains("Shadowed remark"), "{}", r.name);
    }
    let mut ada = Reader::logged_in(&site, "adminada").await;
    assert_seen(&mut ada, &w).await;
    let page = ada.get(&work_path).await;
    assert!(page.body.contains(&format!("action=\"{unhide}\"")));
    assert!(!page.body.contains(&format!("action=\"{hide}\"")));
    // Hidden works stay out of every listing, for those who may open them too.
    for path in ["/", "/works", "/users/inkwellalice/works"] {
        assert!(!mira.get(path).await.body.contains(&w.title), "{path}");
    }

    // Shown again by an admin: public again, bookmark and all.
    assert_eq!(
        bob.post(&work_path, &unhide, &[]).await.status,
        StatusCode::FORBIDDEN,
        "not a moderator (whether or not the work exists)"
    );
    let p = ada.post(&work_path, &unhide, &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_seen(&mut guest, &w).await;
    assert_listed(
        &mut guest,
        &w,
        &[
            "/".into(),
            "/works".into(),
            "/users/bobreader/bookmarks".into(),
        ],
    )
    .await;
    assert!(
        !guest
            .get(&work_path)
            .await
            .body
            .contains("hidden by a moderator")
    );
}

#[tokio::test]
async fn anonymous_creators_are_never_named() {
    let site = start().await;
    people(&site).await;
    support::account(&site.store, "maskedmaker", &[]).await;
    let w = post_work(
        &site,
        "maskedmaker",
        "Veillamp",
        Flags {
            anonymous: true,
            ..Flags::default()
        },
    )
    .await;
    // Bob follows the creator: their anonymous work must not reach him as theirs.
    let mut bob = Reader::logged_in(&site, "bobreader").await;
    let sub = bob
        .post(
            "/users/maskedmaker",
            "/users/maskedmaker/subscriptions",
            &[],
        )
        .await;
    assert_eq!(sub.status, StatusCode::SEE_OTHER, "{}", sub.body);

    let mut maker = Reader::logged_in(&site, "maskedmaker").await;
    assert_eq!(
        comment(&mut maker, &w, "Thanks for reading").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        comment(&mut bob, &w, "Who wrote this?").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(bookmark(&mut bob, &w).await.status, StatusCode::SEE_OTHER);
    assert_eq!(kudos(&mut bob, &w).await.status, StatusCode::SEE_OTHER);
    tome_web::responding::notify_new_work(&site.state, w.id)
        .await
        .expect("notify");

    let mut guest = Reader::guest(&site);
    let mut mira = Reader::logged_in(&site, "modmira").await;
    let tag = FANDOM.replace(' ', "%20");
    for r in [&mut guest, &mut bob, &mut mira] {
        assert_seen(r, &w).await;
        for path in work_pages(&w).into_iter().chain([
            "/".to_string(),
            "/works".into(),
            format!("/tags/{tag}/works"),
            format!("/tags/{tag}"),
            "/users/bobreader/bookmarks".into(),
            "/works/search?work_search%5Bquery%5D=Veillamp".to_string(),
        ]) {
            let p = r.get(&path).await;
            let body = p.body.to_lowercase();
            assert!(
                !body.contains("maskedmaker"),
                "{} sees the creator's name on {path}: {}",
                r.name,
                p.body
            );
        }
        let p = r.get(&format!("/works/{}", w.id)).await;
        assert!(p.body.contains("Anonymous"), "{}", r.name);
        assert!(
            p.body.contains("Anonymous Creator"),
            "{}: the creator's comment",
            r.name
        );
        // The creator's own pages do not list it (that would name them).
        for path in [
            "/users/maskedmaker",
            "/users/maskedmaker/works",
            "/users/maskedmaker/pseuds/maskedmaker",
            "/users/maskedmaker/pseuds/maskedmaker/works",
        ] {
            let p = r.get(path).await;
            assert!(!p.body.contains(&w.title), "{} sees it on {path}", r.name);
        }
    }
    for ext in ["epub", "html", "txt"] {
        let p = guest.get(&format!("/works/{}/download.{ext}", w.id)).await;
        assert!(p.body.contains("Anonymous"), "download.{ext}");
    }
    let inbox = bob.get("/users/bobreader/inbox").await;
    assert!(!inbox.body.to_lowercase().contains("maskedmaker"));
    assert!(
        !inbox.body.contains(&w.title),
        "a follower is not told of it"
    );

    // The creator sees their own name on it.
    let p = maker.get(&format!("/works/{}", w.id)).await;
    assert!(p.body.contains("/users/maskedmaker/pseuds/maskedmaker"));
}

/// A site like [`start`] with a real search index fed by the indexer task, as
/// `tome serve` runs it.
async fn start_indexed() -> Site {
    let (dir, store) = support::archive().await;
    let search = tome_search::Search::open(&dir.path().join(tome_search::INDEX_DIR), store.clone())
        .await
        .expect("index");
    search.catch_up().await.expect("catch up");
    search.spawn_indexer(Duration::from_millis(20));
    let config = PageConfig {
        revalidate: Duration::from_millis(0),
        ..support::test_config()
    };
    let state = AppState::with_config(store.clone(), "Test Archive", config).with_search(search);
    let support::Served { base, client, stop } = support::serve(state.clone()).await;
    Site {
        base,
        client,
        store,
        state,
        _dir: dir,
        _stop: stop,
    }
}

/// Searches until `title` is found (the indexer runs behind posting), answering the
/// last page; every answer must come from the engine (200, never a 503).
async fn search_until(r: &mut Reader<'_>, q: &str, title: &str) -> Page {
    let path = format!("/works/search?work_search%5Bquery%5D={q}");
    for _ in 0..100 {
        let p = r.get(&path).await;
        assert_eq!(
            p.status,
            StatusCode::OK,
            "{}: search answered {}",
            r.name,
            p.body
        );
        if p.body.contains(title) {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{}: the engine never found {title}", r.name);
}

#[tokio::test]
async fn search_and_feeds_follow_the_same_rule() {
    let site = start_indexed().await;
    people(&site).await;
    let open = post_work(&site, "inkwellalice", "Searchlamp Open", Flags::default()).await;
    let closed = post_work(
        &site,
        "inkwellalice",
        "Searchlamp Gate",
        Flags {
            restricted: true,
            ..Flags::default()
        },
    )
    .await;
    let draft = post_work(
        &site,
        "inkwellalice",
        "Searchlamp Draft",
        Flags {
            draft: true,
            ..Flags::default()
        },
    )
    .await;
    // A member finds the restricted work: the index holds it, so a guest not finding
    // it below is the audience filter at work, not an empty index.
    let mut bob = Reader::logged_in(&site, "bobreader").await;
    let p = search_until(&mut bob, "Searchlamp", &closed.title).await;
    assert!(p.body.contains(&open.title));
    assert!(!p.body.contains(&draft.title), "drafts are never indexed");
    let mut guest = Reader::guest(&site);
    let p = search_until(&mut guest, "Searchlamp", &open.title).await;
    assert!(!p.body.contains(&closed.title), "{}", p.body);
    assert!(!p.body.contains(&draft.title));
    let mut alice = Reader::logged_in(&site, "inkwellalice").await;
    let p = search_until(&mut alice, "Searchlamp", &open.title).await;
    assert!(
        !p.body.contains(&draft.title),
        "not even for its creator: search lists"
    );
}
