//! Tag autocomplete over real HTTP against a real SQLite archive, answered from the
//! in-memory index the server builds at startup and refreshes when tags change: word
//! starts, synonyms, ranking by uses on listed works, draft-only tags kept out, the kind
//! filter, and tags made after startup.

mod support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use support::{Browser, Fields, Site, set, set_all, start_indexed, user};
use tome_model::VocabularyFile;

const WORK_FORM: &str = "form#work-form";

/// A wrangled vocabulary: canonical tags, "Spuffy" a synonym of "Buffy Summers/Spike".
const VOCABULARY: &str = r#"{"tags": [
  {"kind": "fandom", "name": "Buffy the Vampire Slayer", "synonyms": ["BtVS"]},
  {"kind": "character", "name": "Buffy Summers", "fandoms": ["Buffy the Vampire Slayer"]},
  {"kind": "character", "name": "Spike", "synonyms": ["William the Bloody"], "fandoms": ["Buffy the Vampire Slayer"]},
  {"kind": "character", "name": "Dawn Summers", "fandoms": ["Buffy the Vampire Slayer"]},
  {"kind": "relationship", "name": "Buffy Summers/Spike", "synonyms": ["Spuffy"], "characters": ["Buffy Summers", "Spike"], "fandoms": ["Buffy the Vampire Slayer"]},
  {"kind": "relationship", "name": "Buffy Summers/Angel", "synonyms": ["Bangel"], "characters": ["Buffy Summers"], "fandoms": ["Buffy the Vampire Slayer"]}
]}"#;

async fn site() -> Site {
    start_indexed(async |store| {
        let file: VocabularyFile = serde_json::from_str(VOCABULARY).expect("vocabulary");
        store.import_vocabulary(&file).await.expect("import");
    })
    .await
}

/// Posts (or saves as a draft, with `commit`) a work with these tags as alice.
async fn work(b: &mut Browser<'_>, title: &str, tags: &[(&str, &str)], commit: &str) {
    let page = b.get("/works/new").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut f: Fields = page.form(WORK_FORM);
    set(&mut f, "work[title]", title);
    set(&mut f, "work[rating]", "teen");
    set_all(&mut f, "work[warnings][]", &["no_warnings"]);
    set(&mut f, "work[fandoms]", "Buffy the Vampire Slayer");
    set(
        &mut f,
        "chapters[0][body]",
        "<p>Once more, with feeling.</p>",
    );
    for (field, value) in tags {
        set(&mut f, field, value);
    }
    f.push(("commit".into(), commit.into()));
    let r = b.post_raw("/works", &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn names(b: &mut Browser<'_>, kind: &str, term: &str) -> Vec<String> {
    let r = b
        .get(&format!(
            "/autocomplete/tag?kind={kind}&term={}",
            term.replace(' ', "%20").replace('/', "%2F")
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["content-type"], "application/json");
    serde_json::from_str(&r.body).expect("json")
}

/// Asks until the answer is `want` (the index is rebuilt in the background).
async fn eventually(b: &mut Browser<'_>, kind: &str, term: &str, want: &[&str]) {
    let started = Instant::now();
    loop {
        let got = names(b, kind, term).await;
        if got == want {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{kind} {term:?}: still {got:?}, want {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn autocomplete_from_the_index() {
    let site = site().await;
    user(&site, "alice").await;
    let mut alice = Browser::logged_in(&site, "alice").await;
    let mut guest = Browser::new(&site);

    // Built at startup: word starts, case and synonyms, before any work exists
    // (canonical tags are offered unused).
    assert_eq!(
        names(&mut guest, "character", "sum").await,
        ["Buffy Summers", "Dawn Summers"]
    );
    assert_eq!(
        names(&mut guest, "relationship", "SPUF").await,
        ["Buffy Summers/Spike"],
        "a synonym answers with its canonical tag"
    );
    assert_eq!(
        names(&mut guest, "relationship", "buf sp").await,
        ["Buffy Summers/Spike"]
    );
    assert_eq!(names(&mut guest, "character", "william").await, ["Spike"]);
    // The kind filter: the fandom is not a character, the characters not relationships.
    assert_eq!(
        names(&mut guest, "fandom", "buf").await,
        ["Buffy the Vampire Slayer"]
    );
    assert_eq!(
        names(&mut guest, "fandom", "summ").await,
        Vec::<String>::new()
    );

    // New tags typed on a posted work show at once; a tag used only on a draft never.
    work(
        &mut alice,
        "Posted",
        &[
            ("work[freeforms]", "Summer Vacation, Angst"),
            ("work[characters]", "Dawn Summers"),
        ],
        "Post",
    )
    .await;
    work(
        &mut alice,
        "Draft",
        &[("work[freeforms]", "Summer Secret Draft Tag")],
        "Save As Draft",
    )
    .await;
    assert_eq!(
        names(&mut guest, "freeform", "summer").await,
        ["Summer Vacation"]
    );
    assert_eq!(
        names(&mut guest, "freeform", "sec").await,
        Vec::<String>::new(),
        "draft-only tag"
    );
    assert_eq!(names(&mut guest, "freeform", "ang").await, ["Angst"]);

    // Ranking by uses on listed works: once the index is rebuilt, Dawn (one posted work)
    // comes before Buffy (none); a relationship tagged through its synonym ranks by the
    // canonical tag's uses.
    eventually(
        &mut guest,
        "character",
        "sum",
        &["Dawn Summers", "Buffy Summers"],
    )
    .await;
    assert_eq!(
        names(&mut guest, "relationship", "buffy").await,
        ["Buffy Summers/Angel", "Buffy Summers/Spike"],
        "equal uses: by name"
    );
    work(
        &mut alice,
        "Spuffy one",
        &[("work[relationships]", "Spuffy")],
        "Post",
    )
    .await;
    eventually(
        &mut guest,
        "relationship",
        "buffy",
        &["Buffy Summers/Spike", "Buffy Summers/Angel"],
    )
    .await;
    // Still never the draft's tag, after the rebuild too.
    assert_eq!(
        names(&mut guest, "freeform", "sec").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn tags_made_after_startup_appear_after_the_refresh() {
    let site = site().await;
    // Written straight to the database (as another process would): no request of this
    // server sees it made, only the refresher's look at the tags.
    let file: VocabularyFile = serde_json::from_str(
        r#"{"tags": [{"kind": "character", "name": "Faith Lehane", "synonyms": ["Slayer Faith"]}]}"#,
    )
    .expect("vocabulary");
    site.store.import_vocabulary(&file).await.expect("import");
    let mut guest = Browser::new(&site);
    // The new canonical tag at once (newer than the index), its synonym after the rebuild.
    assert_eq!(
        names(&mut guest, "character", "leh").await,
        ["Faith Lehane"]
    );
    eventually(&mut guest, "character", "slayer f", &["Faith Lehane"]).await;
    // No kind: any kind a reader filters by (the sidebar's "Other tags to include").
    let any: Vec<String> =
        serde_json::from_str(&guest.get("/autocomplete/tag?term=faith%20leh").await.body)
            .expect("json");
    assert_eq!(any, ["Faith Lehane"]);
    assert_eq!(
        guest
            .get("/autocomplete/tag?kind=warning&term=x")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
