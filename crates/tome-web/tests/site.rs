//! Every page over real HTTP against a real SQLite archive in a temporary folder.

mod support;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use scraper::{Html, Selector};
use tome_model::{Category, ChapterDraft, Rating, TagKind, VocabularyFile, Warning, WorkDraft};
use tome_store::Store;
use tome_web::AppState;

const JAN_2: i64 = 1_704_153_600; // 2024-01-02
const JAN_3: i64 = 1_704_240_000; // 2024-01-03

struct Site {
    base: String,
    client: reqwest::Client,
    store: Store,
    dir: support::DataDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Site {
    async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    async fn page(&self, path: &str) -> (StatusCode, HeaderMap, String) {
        let r = self.get(path).await;
        let status = r.status();
        let headers = r.headers().clone();
        (status, headers, r.text().await.expect("body"))
    }

    async fn ok(&self, path: &str) -> Html {
        let (status, _, body) = self.page(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        Html::parse_document(&body)
    }

    /// The page's HTML, with per-visitor CSRF tokens replaced by `[token]`.
    async fn body(&self, path: &str) -> String {
        let (status, _, body) = self.page(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}");
        redact_tokens(&body)
    }
}

fn chapter(title: Option<&str>, body: &str) -> ChapterDraft {
    ChapterDraft {
        title: title.map(str::to_string),
        body_html: body.to_string(),
        word_count: body.split_whitespace().count() as u64,
        ..Default::default()
    }
}

/// A multi-chapter work (id 1), a one-shot (id 2) and an anonymous work (id 3).
async fn fill(store: &Store) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/tags.json");
    let json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the tests read ../shared)", path.display()));
    let vocab: VocabularyFile = serde_json::from_str(&json).expect("tags.json");
    store.import_vocabulary(&vocab).await.expect("vocabulary");
    let multi = WorkDraft {
        title: "The Long Way Home".into(),
        authors: vec!["lanternwright".into()],
        rating: Some(Rating::Teen),
        warnings: vec![Warning::NoWarnings],
        categories: vec![Category::FM],
        tags: vec![
            (TagKind::Fandom, "Buffy the Vampire Slayer".into()),
            (TagKind::Relationship, "Spuffy".into()),
            (TagKind::Character, "Buffy Summers".into()),
            (TagKind::Character, "Spike".into()),
            (TagKind::Freeform, "Angst".into()),
        ],
        language: "en".into(),
        summary_html: Some("<p>A summary of <em>the</em> road.</p>".into()),
        notes_begin_html: Some("<p>Begin notes.</p>".into()),
        notes_end_html: Some("<p>End notes.</p>".into()),
        chapters: vec![
            chapter(Some("Embers"), "<p>The first chapter begins here.</p>"),
            chapter(
                Some("The Ferry"),
                "<p>Second chapter.<script>alert(1)</script><img src=\"x.png\" onerror=\"alert(2)\"></p>",
            ),
            chapter(Some("Home"), "<p>The third chapter ends it all.</p>"),
        ],
        complete: Some(true),
        expected_chapters: Some(3),
        published_at: Some(JAN_2),
        ..Default::default()
    };
    assert_eq!(store.create_work(&multi).await.expect("multi"), 1);
    let oneshot = WorkDraft {
        title: "A Single Night".into(),
        authors: vec!["inkwell".into()],
        rating: Some(Rating::General),
        tags: vec![
            (TagKind::Fandom, "BtVS".into()),
            (TagKind::Freeform, "Fluff".into()),
        ],
        language: "en".into(),
        summary_html: Some("<p>Just one night.</p>".into()),
        notes_end_html: Some("<p>Thanks for reading.</p>".into()),
        chapters: vec![chapter(None, "<p>Only one chapter, and it is short.</p>")],
        published_at: Some(JAN_3),
        ..Default::default()
    };
    assert_eq!(store.create_work(&oneshot).await.expect("oneshot"), 2);
    let secret = WorkDraft {
        title: "Nobody's Story".into(),
        authors: vec!["hiddenhand".into()],
        rating: Some(Rating::Mature),
        tags: vec![(TagKind::Fandom, "Angel: the Series".into())],
        language: "en".into(),
        chapters: vec![chapter(None, "<p>Who wrote this?</p>")],
        published_at: Some(JAN_2 - 86_400),
        anonymous: true,
        ..Default::default()
    };
    assert_eq!(store.create_work(&secret).await.expect("anon"), 3);
}

async fn start(filled: bool) -> Site {
    let (dir, store) = support::archive().await;
    if filled {
        fill(&store).await;
    }
    let state = AppState::with_config(store.clone(), "Test Archive", support::test_config());
    let support::Served { base, client, stop } = support::serve(state).await;
    Site {
        base,
        client,
        store,
        dir,
        _stop: stop,
    }
}

/// Replaces the values of `authenticity_token` fields (random per visitor).
fn redact_tokens(html: &str) -> String {
    const FIELD: &str = "name=\"authenticity_token\" value=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(FIELD) {
        out.push_str(&rest[..at + FIELD.len()]);
        rest = &rest[at + FIELD.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str("[token]");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The guest CSRF cookie a response set, as `name=value`.
fn guest_cookie(h: &HeaderMap) -> String {
    h.get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tome_csrf="))
        .and_then(|v| v.split(';').next())
        .expect("a guest CSRF cookie")
        .to_string()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn count(doc: &Html, s: &str) -> usize {
    doc.select(&sel(s)).count()
}

fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attr(doc: &Html, s: &str, name: &str) -> Option<String> {
    doc.select(&sel(s))
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

fn classes(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .filter_map(|e| e.value().attr("class").map(str::to_string))
        .collect()
}

#[tokio::test]
async fn work_page_follows_the_ao3_contract() {
    let site = start(true).await;
    let doc = site.ok("/works/1?view_adult=true&style=disable").await;

    assert_eq!(
        count(&doc, "div#main div.work div.wrapper dl.work.meta.group"),
        1
    );
    assert_eq!(classes(&doc, "dl.work.meta.group"), ["work meta group"]);
    let dd = classes(&doc, "dl.work.meta.group > dd");
    assert_eq!(
        dd,
        [
            "rating tags",
            "warning tags",
            "category tags",
            "fandom tags",
            "relationship tags",
            "character tags",
            "freeform tags",
            "language",
            "stats"
        ]
    );
    assert_eq!(
        texts(&doc, "dl.work.meta.group dd.fandom.tags ul.commas li a.tag"),
        ["Buffy the Vampire Slayer"]
    );
    assert_eq!(
        attr(&doc, "dd.fandom.tags a.tag", "href").as_deref(),
        Some("/tags/Buffy%20the%20Vampire%20Slayer/works")
    );
    assert_eq!(
        texts(&doc, "dd.rating.tags a.tag"),
        ["Teen And Up Audiences"]
    );
    assert_eq!(texts(&doc, "dd.relationship.tags a.tag"), ["Spuffy"]);
    assert_eq!(
        texts(&doc, "dd.character.tags a.tag"),
        ["Buffy Summers", "Spike"]
    );
    assert_eq!(texts(&doc, "dd.language"), ["English"]);
    assert_eq!(attr(&doc, "dd.language", "lang").as_deref(), Some("en"));
    let stats: Vec<String> = texts(&doc, "dd.stats dl.stats dt");
    assert_eq!(
        stats,
        [
            "Published:",
            "Words:",
            "Chapters:",
            "Comments:",
            "Kudos:",
            "Bookmarks:",
            "Hits:"
        ]
    );
    assert_eq!(texts(&doc, "dl.stats dd.published"), ["2024-01-02"]);
    assert_eq!(texts(&doc, "dl.stats dd.chapters"), ["3/3"]);

    assert_eq!(
        classes(&doc, "div#workskin > div.preface.group"),
        ["preface group", "afterword preface group"]
    );
    assert_eq!(texts(&doc, "h2.title.heading"), ["The Long Way Home"]);
    assert_eq!(classes(&doc, "h2.title.heading"), ["title heading"]);
    assert_eq!(
        attr(&doc, "h3.byline.heading a[rel=author]", "href").as_deref(),
        Some("/users/lanternwright/pseuds/lanternwright")
    );
    assert_eq!(
        count(
            &doc,
            "div.preface.group div.summary.module > blockquote.userstuff"
        ),
        1
    );
    assert_eq!(
        count(
            &doc,
            "div.preface.group div.notes.module > blockquote.userstuff"
        ),
        1
    );

    // First chapter only, with its heading and navigation.
    assert_eq!(
        attr(&doc, "div#chapters", "role").as_deref(),
        Some("article")
    );
    assert_eq!(count(&doc, "div#chapters > div.chapter"), 1);
    assert_eq!(count(&doc, "div#chapter-1"), 1);
    assert_eq!(
        classes(&doc, "div#chapter-1 > div.userstuff.module"),
        ["userstuff module"]
    );
    let heading = doc
        .select(&sel("div.chapter.preface.group > h3.title"))
        .next()
        .expect("chapter title");
    assert_eq!(heading.text().collect::<String>(), "Chapter 1: Embers");
    assert_eq!(
        attr(&doc, "div.chapter.preface.group > h3.title > a", "href").as_deref(),
        Some("/works/1/chapters/1")
    );
    assert!(
        doc.root_element()
            .html()
            .contains("The first chapter begins here.")
    );
    assert!(!doc.root_element().html().contains("Second chapter."));
    assert_eq!(
        attr(&doc, "li.chapter.next a", "href").as_deref(),
        Some("/works/1/chapters/2")
    );
    assert_eq!(
        attr(&doc, "li.chapter.entire a", "href").as_deref(),
        Some("/works/1?view_full_work=true")
    );
    assert_eq!(count(&doc, "li.bychapter"), 0);
    assert_eq!(count(&doc, "select#selected_id option"), 3);

    // End notes come with the last chapter, not the first.
    assert_eq!(
        classes(&doc, "div.afterword.preface.group"),
        ["afterword preface group"]
    );
    assert_eq!(count(&doc, "div#work_endnotes"), 0);

    assert_eq!(texts(&doc, "li.download ul li a"), ["EPUB", "HTML", "TXT"]);
    assert_eq!(
        attr(&doc, "li.download ul li a", "href").as_deref(),
        Some("/works/1/download.epub")
    );
    assert_eq!(
        count(
            &doc,
            "div#feedback form#new_kudo[method=post][action=\"/works/1/kudos\"]"
        ),
        1
    );
    assert_eq!(
        attr(&doc, "input#kudo_commentable_id", "value").as_deref(),
        Some("1")
    );

    // Accessible shell.
    assert_eq!(attr(&doc, "html", "lang").as_deref(), Some("en"));
    assert_eq!(attr(&doc, "a.skip", "href").as_deref(), Some("#main"));
    assert_eq!(count(&doc, "meta[name=viewport]"), 1);
    assert_eq!(count(&doc, "script"), 0);
    assert_eq!(count(&doc, "style"), 0);
}

#[tokio::test]
async fn full_work_and_chapter_pages() {
    let site = start(true).await;
    let doc = site
        .ok("/works/1?view_full_work=true&view_adult=true")
        .await;
    assert_eq!(count(&doc, "div#chapters > div.chapter"), 3);
    for n in 1..=3 {
        assert_eq!(count(&doc, &format!("div.chapter#chapter-{n}")), 1);
    }
    assert_eq!(count(&doc, "li.chapter.bychapter"), 1);
    assert_eq!(
        texts(
            &doc,
            "div#work_endnotes.end.notes.module blockquote.userstuff"
        ),
        ["End notes."]
    );

    let doc = site.ok("/works/1/chapters/2?view_adult=true").await;
    assert_eq!(
        texts(&doc, "div.chapter.preface.group > h3.title"),
        ["Chapter 2: The Ferry"]
    );
    assert_eq!(
        attr(&doc, "li.chapter.previous a", "href").as_deref(),
        Some("/works/1/chapters/1")
    );
    assert_eq!(
        attr(&doc, "li.chapter.next a", "href").as_deref(),
        Some("/works/1/chapters/3")
    );
    assert_eq!(count(&doc, "div#work_endnotes"), 0);
    let last = site.ok("/works/1/chapters/3").await;
    assert_eq!(count(&last, "li.chapter.next"), 0);
    assert_eq!(count(&last, "div#work_endnotes"), 1);

    // A chapter of another work is not found; the select form redirects.
    assert_eq!(
        site.get("/works/2/chapters/5").await.status(),
        StatusCode::NOT_FOUND
    );
    let r = site.get("/works/1/chapters?selected_id=3").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/works/1/chapters/3");
}

#[tokio::test]
async fn one_shot_forms() {
    let site = start(true).await;
    let doc = site.ok("/works/2").await;
    assert_eq!(count(&doc, "div#chapters > h3.landmark.heading#work"), 1);
    assert_eq!(classes(&doc, "div#chapters > div.userstuff"), ["userstuff"]);
    assert_eq!(count(&doc, "div.chapter"), 0);
    assert_eq!(count(&doc, "li.chapter"), 0);
    assert_eq!(texts(&doc, "dd.chapters"), ["1/1"]);
    assert_eq!(
        texts(&doc, "div#work_endnotes blockquote.userstuff"),
        ["Thanks for reading."]
    );
    // The synonym BtVS is what the author typed, and it links as typed.
    assert_eq!(texts(&doc, "dd.fandom.tags a.tag"), ["BtVS"]);

    // FanFicFare reads a one-shot's text from its chapter page: the chapter form.
    let doc = site.ok("/works/2/chapters/4?view_adult=true").await;
    assert_eq!(
        count(
            &doc,
            "div#chapters > div.chapter#chapter-1 > div.userstuff.module"
        ),
        1
    );
}

#[tokio::test]
async fn navigate_lists_chapters() {
    let site = start(true).await;
    let doc = site.ok("/works/1/navigate?view_adult=true").await;
    assert_eq!(
        classes(&doc, "ol.chapter.index.group"),
        ["chapter index group"]
    );
    assert_eq!(
        texts(&doc, "ol.chapter.index.group li a"),
        ["1. Embers", "2. The Ferry", "3. Home"]
    );
    assert_eq!(
        texts(&doc, "ol.chapter.index.group li span.datetime")[0],
        "(2024-01-02)"
    );
    let body = site.body("/works/1/navigate").await;
    assert!(body.contains(
        "<a href=\"/works/1/chapters/1\">1. Embers</a> <span class=\"datetime\">(2024-01-02)</span>"
    ));
    let first_work_link = doc
        .select(&sel("a[href^=\"/works/\"]"))
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_string));
    assert_eq!(first_work_link.as_deref(), Some("/works/1"));
    insta::assert_snapshot!("navigate", body);
}

#[tokio::test]
async fn downloads() {
    let site = start(true).await;
    for (ext, ct) in [
        ("epub", "application/epub+zip"),
        ("html", "text/html; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
    ] {
        let r = site.get(&format!("/works/1/download.{ext}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{ext}");
        assert_eq!(r.headers()[CONTENT_TYPE], ct);
        let cd = r.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .to_string();
        assert_eq!(
            cd,
            format!("attachment; filename=\"The_Long_Way_Home.{ext}\"")
        );
        let bytes = r.bytes().await.expect("body");
        assert!(!bytes.is_empty());
        if ext == "epub" {
            assert_eq!(&bytes[..2], b"PK");
        } else {
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("Second chapter."));
            assert!(!text.contains("alert("), "{ext}: {text}");
        }
    }
    let txt = String::from_utf8_lossy(
        &site
            .get("/works/3/download.txt")
            .await
            .bytes()
            .await
            .expect("b"),
    )
    .to_string();
    assert!(txt.contains("Anonymous"));
    assert!(!txt.contains("hiddenhand"));
    assert_eq!(
        site.get("/works/1/download.pdf").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        site.get("/works/99/download.epub").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn downloads_are_kept_with_etags_and_ranges_and_follow_changes() {
    let site = start(true).await;
    let path = "/works/1/download.epub";
    let first = site.get(path).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["accept-ranges"], "bytes");
    let etag = first.headers()["etag"].to_str().expect("ascii").to_string();
    let whole = first.bytes().await.expect("body");
    // The kept copy: the same bytes, the same tag.
    let again = site.get(path).await;
    assert_eq!(again.headers()["etag"].to_str().expect("ascii"), etag);
    assert_eq!(again.bytes().await.expect("body"), whole);
    let with = |name: &'static str, value: String| {
        site.client
            .get(format!("{}{path}", site.base))
            .header(name, value)
            .send()
    };
    let r = with("if-none-match", etag.clone()).await.expect("request");
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert!(r.bytes().await.expect("body").is_empty());
    let r = with("range", "bytes=0-1".into()).await.expect("request");
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 0-1/{}", whole.len()).as_str()
    );
    assert_eq!(&r.bytes().await.expect("body")[..], b"PK");
    let r = with("range", "bytes=-10".into()).await.expect("request");
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        r.bytes().await.expect("body"),
        whole.slice(whole.len() - 10..)
    );
    let r = with("range", format!("bytes={}-", whole.len()))
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    // A change to the work (made elsewhere: straight in the store) reaches the file
    // once the known version is revalidated (one second here).
    site.store
        .add_kudos(1, None, Some("some-guest-key"))
        .await
        .expect("kudos");
    site.store.set_work_hidden(1, true).await.expect("hide");
    tokio::time::sleep(support::test_config().revalidate + std::time::Duration::from_millis(50))
        .await;
    assert_eq!(
        site.get(path).await.status(),
        StatusCode::NOT_FOUND,
        "a hidden work's kept file is not served to a guest"
    );
    site.store.set_work_hidden(1, false).await.expect("show");
    tokio::time::sleep(support::test_config().revalidate + std::time::Duration::from_millis(50))
        .await;
    let r = site.get(path).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_ne!(
        r.headers()["etag"].to_str().expect("ascii"),
        etag,
        "a new version is a new file"
    );
}

#[tokio::test]
async fn stored_scripts_never_reach_the_page() {
    let site = start(true).await;
    for path in ["/works/1/chapters/2", "/works/1?view_full_work=true"] {
        let body = site.body(path).await;
        assert!(body.contains("Second chapter."));
        for bad in ["<script", "onerror", "alert("] {
            assert!(!body.contains(bad), "{bad} on {path}");
        }
    }
}

#[tokio::test]
async fn security_headers_head_and_assets() {
    let site = start(true).await;
    for path in ["/", "/works/1", "/nope"] {
        let r = site.get(path).await;
        assert_eq!(
            r.headers()["content-security-policy"],
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        );
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    }
    let head = site
        .client
        .head(format!("{}/works/1", site.base))
        .send()
        .await
        .expect("head");
    assert_eq!(head.status(), StatusCode::OK);
    assert!(head.bytes().await.expect("b").is_empty());

    let css = site.get("/static/tome.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(css.headers()[CONTENT_TYPE], "text/css; charset=utf-8");
    let css = css.text().await.expect("css");
    assert!(css.contains("prefers-color-scheme: dark"));
    let fav = site.get("/favicon.ico").await.status();
    assert!(fav == StatusCode::NO_CONTENT || fav == StatusCode::OK);
}

#[tokio::test]
async fn conditional_and_compressed() {
    let site = start(true).await;
    let r = site.get("/works/1").await;
    let etag = r.headers()["etag"].clone();
    assert!(r.headers().contains_key("last-modified"));
    // Guest pages carry the guest's CSRF token: the copy is current for that guest.
    let guest = guest_cookie(r.headers());
    let again = site
        .client
        .get(format!("{}/works/1", site.base))
        .header("if-none-match", etag.clone())
        .header("cookie", guest.clone())
        .send()
        .await
        .expect("conditional");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let plain = site.get("/works/1").await;
    assert!(!plain.headers().contains_key("content-encoding"));
    let gz = site
        .client
        .get(format!("{}/works/1", site.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("gzip");
    assert_eq!(gz.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn kudos_once_per_guest() {
    let site = start(true).await;
    let first = site.get("/works/1").await;
    let csrf = guest_cookie(first.headers());
    let doc = Html::parse_document(&first.text().await.expect("body"));
    let token = attr(
        &doc,
        "form#new_kudo input[name=authenticity_token]",
        "value",
    )
    .expect("kudos form carries a CSRF token");
    let post = |cookie: Option<String>| {
        let cookie = match cookie {
            Some(c) => format!("{c}; {csrf}"),
            None => csrf.clone(),
        };
        site.client
            .post(format!("{}/works/1/kudos", site.base))
            .header("referer", format!("{}/works/1/chapters/2", site.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .body(format!(
                "authenticity_token={token}&kudo%5Bcommentable_id%5D=1&kudo%5Bcommentable_type%5D=Work"
            ))
            .send()
    };
    // Without the token, or with another, kudos are refused.
    for body in ["kudo%5Bcommentable_id%5D=1", "authenticity_token=0123.4567"] {
        let r = site
            .client
            .post(format!("{}/works/1/kudos", site.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", csrf.clone())
            .body(body)
            .send()
            .await
            .expect("refused");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(
            r.text()
                .await
                .expect("body")
                .contains("This form has expired; reload the page and try again.")
        );
    }
    // Warm the cache first: kudos must show up anyway.
    site.body("/works/1").await;

    let r = post(None).await.expect("kudos");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/works/1/chapters/2");
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .collect();
    let guest = cookies
        .iter()
        .find(|c| c.starts_with("tome_guest="))
        .expect("guest cookie")
        .clone();
    let flash = cookies
        .iter()
        .find(|c| c.starts_with("tome_flash="))
        .expect("flash cookie")
        .clone();

    let page = site
        .client
        .get(format!("{}/works/1/chapters/2", site.base))
        .header("cookie", format!("{guest}; {flash}"))
        .send()
        .await
        .expect("page");
    assert!(
        page.headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.starts_with("tome_flash=;")))
    );
    let body = page.text().await.expect("body");
    assert!(body.contains("Thank you for leaving kudos!"));
    let doc = Html::parse_document(&site.body("/works/1").await);
    assert_eq!(texts(&doc, "dl.stats dd.kudos"), ["1"]);
    assert!(
        !doc.root_element()
            .html()
            .contains("Thank you for leaving kudos!")
    );

    let r = post(Some(guest.clone())).await.expect("again");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let flash = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tome_flash="))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .expect("flash");
    let body = site
        .client
        .get(format!("{}/works/1", site.base))
        .header("cookie", flash)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(body.contains("You have already left kudos here. :)"));

    assert_eq!(
        site.client
            .post(format!("{}/works/99/kudos", site.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", csrf.clone())
            .body(format!("authenticity_token={token}"))
            .send()
            .await
            .expect("404")
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn listings_and_blurbs() {
    let site = start(true).await;
    let doc = site.ok("/works").await;
    assert_eq!(texts(&doc, "h2.heading"), ["3 Works"]);
    assert_eq!(
        classes(&doc, "ol.work.index.group > li"),
        [
            "work blurb group work-2",
            "work blurb group work-1",
            "work blurb group work-3",
        ]
    );
    assert_eq!(attr(&doc, "li#work_1", "role").as_deref(), Some("article"));
    assert_eq!(
        texts(&doc, "li#work_1 div.header.module h4.heading a")[0],
        "The Long Way Home"
    );
    assert_eq!(
        attr(&doc, "li#work_1 h4.heading a[rel=author]", "href").as_deref(),
        Some("/users/lanternwright/pseuds/lanternwright")
    );
    assert_eq!(
        classes(&doc, "li#work_1 ul.required-tags li span[title]"),
        [
            "rating-teen rating",
            "warning-no warnings",
            "category-het category",
            "complete-yes iswip"
        ]
    );
    assert_eq!(
        attr(&doc, "li#work_1 ul.required-tags span.rating", "title").as_deref(),
        Some("Teen And Up Audiences")
    );
    assert_eq!(texts(&doc, "li#work_1 p.datetime"), ["02 Jan 2024"]);
    assert_eq!(
        texts(&doc, "li#work_1 h5.fandoms.heading a.tag"),
        ["Buffy the Vampire Slayer"]
    );
    assert_eq!(
        texts(&doc, "li#work_1 ul.tags.commas li.relationships a.tag"),
        ["Spuffy"]
    );
    assert_eq!(
        texts(&doc, "li#work_1 ul.tags.commas li.freeforms a.tag"),
        ["Angst"]
    );
    assert_eq!(count(&doc, "li#work_1 ul.tags.commas li.warnings a.tag"), 1);
    assert_eq!(count(&doc, "li#work_1 blockquote.userstuff.summary"), 1);
    assert_eq!(texts(&doc, "li#work_1 dl.stats dd.chapters"), ["3/3"]);
    // Anonymous works list without their creator.
    let anon = texts(&doc, "li#work_3 h4.heading")[0].clone();
    assert!(
        anon.contains("Anonymous") && !anon.contains("hiddenhand"),
        "{anon}"
    );
    assert_eq!(count(&doc, "li#work_3 a[rel=author]"), 0);
    assert_eq!(count(&doc, "ol.pagination"), 0);
}

#[tokio::test]
async fn pagination() {
    let site = start(true).await;
    for i in 0..22 {
        let draft = WorkDraft {
            title: format!("Filler {i}"),
            authors: vec!["filler".into()],
            language: "en".into(),
            chapters: vec![chapter(None, "<p>Filler text.</p>")],
            published_at: Some(JAN_2 - 1_000_000 + i),
            ..Default::default()
        };
        site.store.create_work(&draft).await.expect("filler");
    }
    let doc = site.ok("/works").await;
    assert_eq!(texts(&doc, "h2.heading"), ["1 - 20 of 25 Works"]);
    assert_eq!(count(&doc, "ol.work.index.group > li.blurb"), 20);
    assert_eq!(
        classes(&doc, "ol.pagination.actions"),
        ["pagination actions"]
    );
    assert_eq!(
        attr(&doc, "ol.pagination.actions a[rel=next]", "href").as_deref(),
        Some("/works?page=2")
    );
    let doc = site.ok("/works?page=2").await;
    assert_eq!(texts(&doc, "h2.heading"), ["21 - 25 of 25 Works"]);
    assert_eq!(count(&doc, "ol.work.index.group > li.blurb"), 5);
    assert_eq!(
        site.get("/works?page=9").await.status(),
        StatusCode::NOT_FOUND
    );
    // Nonsense page numbers read as page 1.
    assert_eq!(site.get("/works?page=abc").await.status(), StatusCode::OK);

    let doc = site.ok("/users/filler/works?page=2").await;
    assert_eq!(texts(&doc, "h2.heading"), ["21 - 22 of 22 Works"]);
}

#[tokio::test]
async fn tags_synonyms_and_subtags() {
    let site = start(true).await;
    let doc = site.ok("/tags/Buffy%20Summers*s*Spike").await;
    assert_eq!(texts(&doc, "h2.heading"), ["Buffy Summers/Spike"]);
    assert!(texts(&doc, "div.synonym a.tag").contains(&"Spuffy".to_string()));
    let doc = site.ok("/tags/Spuffy").await;
    assert_eq!(
        attr(&doc, "p.merger a.tag", "href").as_deref(),
        Some("/tags/Buffy%20Summers*s*Spike")
    );

    let r = site.get("/tags/Spuffy/works").await;
    assert_eq!(r.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        r.headers()["location"],
        "/tags/Buffy%20Summers*s*Spike/works"
    );

    let doc = site.ok("/tags/Buffy%20Summers*s*Spike/works").await;
    assert_eq!(texts(&doc, "h2.heading"), ["1 Work"]);
    assert_eq!(count(&doc, "li#work_1"), 1);
    // The fandom finds works tagged with it and with its synonym BtVS.
    let doc = site.ok("/tags/Buffy%20the%20Vampire%20Slayer/works").await;
    assert_eq!(count(&doc, "li#work_1"), 1);
    assert_eq!(count(&doc, "li#work_2"), 1);

    assert_eq!(
        site.get("/tags/No%20Such%20Tag").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        site.get("/tags/No%20Such%20Tag/works").await.status(),
        StatusCode::NOT_FOUND
    );
    insta::assert_snapshot!("tag", site.body("/tags/Buffy%20Summers*s*Spike").await);
}

#[tokio::test]
async fn users_and_pseuds() {
    let site = start(true).await;
    let doc = site.ok("/users/lanternwright").await;
    assert_eq!(
        texts(&doc, "div.primary.header h2.heading"),
        ["lanternwright"]
    );
    assert_eq!(
        attr(&doc, "ul.pseud.index a", "href").as_deref(),
        Some("/users/lanternwright/pseuds/lanternwright")
    );
    assert_eq!(count(&doc, "li#work_1"), 1);
    let doc = site.ok("/users/lanternwright/works").await;
    assert_eq!(texts(&doc, "h2.heading"), ["1 Work"]);
    let doc = site.ok("/users/lanternwright/pseuds/lanternwright").await;
    assert_eq!(count(&doc, "li#work_1"), 1);
    let doc = site
        .ok("/users/lanternwright/pseuds/lanternwright/works")
        .await;
    assert_eq!(count(&doc, "li#work_1"), 1);

    // An anonymous work never shows on its creator's pages.
    let doc = site.ok("/users/hiddenhand/works").await;
    assert_eq!(count(&doc, "li#work_3"), 0);
    let doc = site.ok("/users/hiddenhand/pseuds/hiddenhand").await;
    assert_eq!(count(&doc, "li#work_3"), 0);
    let doc = site.ok("/works/3").await;
    assert_eq!(texts(&doc, "h3.byline.heading"), ["Anonymous"]);
    assert!(!doc.root_element().html().contains("hiddenhand"));

    assert_eq!(
        site.get("/users/nobody").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        site.get("/users/lanternwright/pseuds/nobody")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn missing_pages_are_404_pages() {
    let site = start(true).await;
    for path in [
        "/nope",
        "/works/999",
        "/works/abc",
        "/works/-1",
        "/works/1/chapters/999",
        "/works/1/chapters/abc",
        "/works/999/navigate",
        "/works/1/whatever",
    ] {
        let (status, headers, body) = site.page(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[CONTENT_TYPE], "text/html; charset=utf-8", "{path}");
        assert!(body.contains("Error 404"), "{path}");
        assert!(body.contains("Test Archive"), "{path}");
    }
}

#[tokio::test]
async fn home_pages() {
    let empty = start(false).await;
    let body = empty.body("/").await;
    for hint in [
        "tome tags import tags.json",
        "tome import story.txt",
        "tome serve --demo",
    ] {
        assert!(body.contains(hint), "{hint}");
    }
    insta::assert_snapshot!("home_empty", body);

    let site = start(true).await;
    let body = site.body("/").await;
    let doc = Html::parse_document(&body);
    assert_eq!(count(&doc, "ol.work.index.group > li.work.blurb.group"), 3);
    assert!(!body.contains("tome serve --demo"));
    insta::assert_snapshot!("home", body);
    let _ = &site.dir;
}

#[tokio::test]
async fn page_snapshots() {
    let site = start(true).await;
    insta::assert_snapshot!("work_first_chapter", site.body("/works/1").await);
    insta::assert_snapshot!("work_one_shot", site.body("/works/2").await);
    insta::assert_snapshot!("chapter", site.body("/works/1/chapters/2").await);
}
