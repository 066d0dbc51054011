//! The wranglers' pages and the reader's tag and fandom pages over real HTTP, against a
//! real SQLite archive and a real search index fed by the indexer task: who may wrangle,
//! CSRF, the queue and its sorting, bulk actions with refusals, every edit-page action
//! as the reader's tag page then shows it, renames, cycles, and the fandom index.

mod support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use scraper::Html;
use support::*;
use tome_model::{ChapterDraft, Rating, Role, TagKind, VocabularyFile, WorkDraft};
use tome_store::Store;
use tome_web::accounts::service::create_account;

const BTVS: &str = "/tags/Buffy%20the%20Vampire%20Slayer";
const BUFFY_SPIKE: &str = "/tags/Buffy%20Summers*s*Spike";

/// The seeds' vocabulary without "Spuffy", so it starts as a free-typed tag.
fn vocabulary() -> VocabularyFile {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/tags.json");
    let json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the tests read ../shared)", path.display()));
    let mut vocab: VocabularyFile = serde_json::from_str(&json).expect("tags.json");
    for t in &mut vocab.tags {
        t.synonyms.retain(|s| s != "Spuffy");
    }
    vocab
}

fn work(title: &str, tags: &[(TagKind, &str)], day: i64) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        authors: vec!["scribe".into()],
        rating: Some(Rating::General),
        tags: tags.iter().map(|(k, n)| (*k, n.to_string())).collect(),
        language: "en".into(),
        summary_html: Some("<p>A story.</p>".into()),
        chapters: vec![ChapterDraft {
            body_html: "<p>Once upon a time in Sunnydale.</p>".into(),
            word_count: 5,
            ..Default::default()
        }],
        complete: Some(true),
        expected_chapters: Some(1),
        published_at: Some(1_704_153_600 + day * 86_400),
        ..Default::default()
    }
}

/// Works 1-3 in BtVS: two tagged only "Spuffy", one with "Buffy Summers/Spike", a
/// misspelt character and two free tags nobody has wrangled. Users: `reader` (plain), `wrangler` (tag wrangler).
async fn fill(store: &Store) {
    use TagKind::*;
    store
        .import_vocabulary(&vocabulary())
        .await
        .expect("vocabulary");
    let works = [
        work(
            "Bite Marks",
            &[
                (Fandom, "Buffy the Vampire Slayer"),
                (Relationship, "Spuffy"),
                (Freeform, "Slayer Angst"),
            ],
            0,
        ),
        work(
            "Crypt Talk",
            &[(Fandom, "BtVS"), (Relationship, "Spuffy")],
            1,
        ),
        work(
            "Little Sister",
            &[
                (Fandom, "Buffy the Vampire Slayer"),
                (Character, "Dawn Sumers"),
                (Relationship, "Buffy Summers/Spike"),
                (Freeform, "Zeppo Feels"),
                (Freeform, "Slayer Angst"),
            ],
            2,
        ),
    ];
    for (i, w) in works.iter().enumerate() {
        let id = store.create_work(w).await.expect("work");
        assert_eq!(id, i as i64 + 1);
    }
    for (login, roles) in [("reader", vec![]), ("wrangler", vec![Role::TagWrangler])] {
        create_account(
            store,
            login,
            &format!("{login}@example.org"),
            "password1",
            &roles,
            None,
        )
        .await
        .expect("account");
    }
}

async fn start() -> Site {
    start_indexed(async |store: &Store| fill(store).await).await
}

/// Work ids listed as blurbs on a page.
fn listed(doc: &Html) -> Vec<i64> {
    doc.select(&sel("ol.work.index.group > li.work.blurb"))
        .filter_map(|e| e.value().id())
        .filter_map(|id| id.strip_prefix("work_")?.parse().ok())
        .collect()
}

/// Polls `path` (as `b`) until its listed works satisfy `done` (10 seconds at most): the
/// index is updated by the indexer task, a moment after the change.
async fn poll(b: &mut Browser<'_>, path: &str, done: impl Fn(&[i64]) -> bool) -> Vec<i64> {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let p = b.get(path).await;
        assert_eq!(p.status, StatusCode::OK, "GET {path}: {}", p.body);
        let ids = listed(&p.doc());
        if done(&ids) || Instant::now() > until {
            return ids;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The queue row id (`tag_ID`) of the tag named `name` on a queue page.
fn row_id(doc: &Html, name: &str) -> String {
    doc.select(&sel("table#wrangulator tbody tr"))
        .find(|tr| {
            tr.select(&sel("th label"))
                .any(|l| l.text().collect::<String>().trim() == name)
        })
        .and_then(|tr| {
            tr.value()
                .id()
                .map(|id| id.trim_start_matches("tag_").to_string())
        })
        .unwrap_or_else(|| panic!("no row for {name}"))
}

/// Names in the queue, in order.
fn queue_names(doc: &Html) -> Vec<String> {
    texts(doc, "table#wrangulator tbody th label")
}

/// Posts one edit-page form (`do` = `action`) for `tag` with the page's token.
async fn edit(b: &mut Browser<'_>, tag: &str, action: &str, fields: &[(&str, &str)]) -> Page {
    let path = format!("{tag}/edit");
    let mut all = vec![("do", action)];
    all.extend_from_slice(fields);
    b.post(&path, &path, &all).await
}

#[tokio::test]
async fn only_wranglers_wrangle() {
    let site = start().await;
    let pages = [
        "/tag_wranglings".to_string(),
        "/tag_wranglings/log".to_string(),
        "/tag_wranglings/no_fandom".to_string(),
        format!("{BTVS}/wrangle"),
        "/tags/Spuffy/edit".to_string(),
    ];
    let mut guest = Browser::new(&site);
    for p in &pages {
        let r = guest.get(p).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "guest at {p}");
        assert!(r.location().starts_with("/users/login?return_to="), "{p}");
    }
    let mut reader = Browser::logged_in(&site, "reader").await;
    for p in &pages {
        assert_eq!(
            reader.get(p).await.status,
            StatusCode::FORBIDDEN,
            "reader at {p}"
        );
    }
    // A plain user's well-formed form is refused too, and changes nothing.
    let token = reader.get("/tags/Spuffy").await.token();
    let r = reader
        .post_raw(
            "/tags/Spuffy/edit",
            &[
                ("authenticity_token", token.as_str()),
                ("do", "synonym"),
                ("merger", "Buffy Summers/Spike"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let header = texts(&reader.get("/").await.doc(), "#header a");
    assert!(header.contains(&"Fandoms".to_string()), "{header:?}");
    assert!(!header.contains(&"Wrangling".to_string()), "{header:?}");

    let mut w = Browser::logged_in(&site, "wrangler").await;
    for p in &pages {
        let r = w.get(p).await;
        assert_eq!(r.status, StatusCode::OK, "wrangler at {p}: {}", r.body);
    }
    assert!(
        texts(&w.get("/").await.doc(), "#header a").contains(&"Wrangling".to_string()),
        "wranglers get a Wrangling link"
    );
    let info = site.store.tag_by_name("Spuffy").await.unwrap().unwrap();
    assert!(info.merger.is_none() && !info.canonical);
}

#[tokio::test]
async fn forms_without_a_valid_token_write_nothing() {
    let site = start().await;
    let mut w = Browser::logged_in(&site, "wrangler").await;
    let queue = w.get(&format!("{BTVS}/wrangle?show=relationships")).await;
    let spuffy = row_id(&queue.doc(), "Spuffy");
    for token in [None, Some("forged")] {
        let mut fields = vec![("do", "synonym"), ("merger", "Buffy Summers/Spike")];
        if let Some(t) = token {
            fields.push(("authenticity_token", t));
        }
        let r = w.post_raw("/tags/Spuffy/edit", &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{token:?}");
        let mut bulk = vec![
            ("selected_tags[]", spuffy.as_str()),
            ("bulk_action", "canonical"),
        ];
        if let Some(t) = token {
            bulk.push(("authenticity_token", t));
        }
        let r = w.post_raw(&format!("{BTVS}/mass_update"), &bulk).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{token:?}");
    }
    let info = site.store.tag_by_name("Spuffy").await.unwrap().unwrap();
    assert!(info.merger.is_none() && !info.canonical, "nothing written");
    assert!(
        site.store
            .wrangling_log(None, 1, 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing logged"
    );
}

#[tokio::test]
async fn the_queue_lists_counts_and_sorts() {
    let site = start().await;
    let mut w = Browser::logged_in(&site, "wrangler").await;

    // Home: BtVS with its unwrangled tags counted per kind, linking to the queue.
    let home = w.get("/tag_wranglings").await.doc();
    let row = texts(&home, "table#wrangulator tbody tr")
        .into_iter()
        .find(|r| r.contains("Buffy the Vampire Slayer"))
        .expect("BtVS on the home page");
    let cells: Vec<String> = row.split_whitespace().map(str::to_string).collect();
    assert!(
        cells.ends_with(&["1".into(), "1".into(), "2".into(), "Wrangle".into()]),
        "{row}"
    );

    let page = w
        .get(&format!(
            "{BTVS}/wrangle?show=freeforms&status=unwrangled&sort_column=name&sort_direction=ASC"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = page.doc();
    assert_eq!(queue_names(&doc), ["Slayer Angst", "Zeppo Feels"]);
    assert_eq!(texts(&doc, "table#wrangulator td.uses"), ["2", "1"]);
    assert_eq!(
        attr(&doc, "th[aria-sort]", "aria-sort").as_deref(),
        Some("ascending")
    );
    // The Name header now sorts the other way.
    let flip = attr(&doc, "th.sort.name a", "href").expect("sortable name");
    assert!(flip.contains("sort_direction=DESC"), "{flip}");
    let doc = w.get(&flip).await.doc();
    assert_eq!(queue_names(&doc), ["Zeppo Feels", "Slayer Angst"]);
    // By uses, most first (the default).
    let doc = w.get(&format!("{BTVS}/wrangle?show=freeforms")).await.doc();
    assert_eq!(queue_names(&doc), ["Slayer Angst", "Zeppo Feels"]);

    let doc = w
        .get(&format!("{BTVS}/wrangle?show=relationships"))
        .await
        .doc();
    assert_eq!(queue_names(&doc), ["Spuffy"]);
    assert_eq!(texts(&doc, "table#wrangulator td.uses"), ["2"]);
    let doc = w
        .get(&format!(
            "{BTVS}/wrangle?show=relationships&status=canonical"
        ))
        .await
        .doc();
    assert!(queue_names(&doc).contains(&"Buffy Summers/Spike".to_string()));
    // The synonym field offers autocomplete of the queue's kind, through the posting script.
    assert_eq!(
        attr(&doc, "input#syn_string", "data-autocomplete").as_deref(),
        Some("relationship")
    );
    assert_eq!(
        attr(&doc, "script[src]", "src").as_deref(),
        Some("/static/posting.js")
    );
}

#[tokio::test]
async fn bulk_synonym_reports_what_changed_and_what_was_refused() {
    let site = start().await;
    let mut w = Browser::logged_in(&site, "wrangler").await;
    let mut reader = Browser::new(&site);
    assert_eq!(listed(&reader.get(BUFFY_SPIKE).await.doc()), [3]);

    // Spuffy and the canonical tag itself: the second is refused.
    let queue = format!("{BTVS}/wrangle?show=relationships&status=all");
    let page = w.get(&queue).await;
    let doc = page.doc();
    let spuffy = row_id(&doc, "Spuffy");
    let itself = row_id(&doc, "Buffy Summers/Spike");
    let mut form = page.form("form#wrangle_form");
    set_all(&mut form, "selected_tags[]", &[&spuffy, &itself]);
    set(&mut form, "bulk_action", "synonym");
    set(&mut form, "syn_string", "Buffy Summers/Spike");
    let r = w.post_raw(&format!("{BTVS}/mass_update"), &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let doc = r.doc();
    let notice = texts(&doc, "#wrangle-notice").join(" ");
    assert!(
        notice.contains("Made 1 tag a synonym of Buffy Summers/Spike: Spuffy."),
        "{notice}"
    );
    let refused = texts(&doc, "#wrangle-refused li").join(" ");
    assert!(
        refused
            .contains("Buffy Summers/Spike: \"Buffy Summers/Spike\" can't be a synonym of itself."),
        "{refused}"
    );
    // What was typed stays, and the refused tag stays ticked.
    assert_eq!(
        attr(&doc, "input#syn_string", "value").as_deref(),
        Some("Buffy Summers/Spike")
    );
    assert_eq!(
        values(&r.form("form#wrangle_form"), "selected_tags[]"),
        [itself]
    );

    // A bulk form without a tag ticked is refused with the form kept.
    let mut form = w.get(&queue).await.form("form#wrangle_form");
    set(&mut form, "syn_string", "Buffy Summers/Spike");
    let r = w.post_raw(&format!("{BTVS}/mass_update"), &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&r.doc(), "#wrangle-error"),
        ["Choose at least one tag."]
    );

    // The reader's tag page of the canonical tag now lists both works tagged "Spuffy".
    let mut ids = poll(&mut reader, BUFFY_SPIKE, |ids| ids.len() == 3).await;
    ids.sort();
    assert_eq!(ids, [1, 2, 3], "works tagged only Spuffy are listed");
    let doc = reader.get(BUFFY_SPIKE).await.doc();
    assert!(texts(&doc, "div.synonym a.tag").contains(&"Spuffy".to_string()));
    let doc = reader.get("/tags/Spuffy").await.doc();
    assert_eq!(
        texts(&doc, "p.merger").join(""),
        "Spuffy is a synonym of Buffy Summers/Spike. Works tagged with it are listed under Buffy Summers/Spike."
    );
    // The log says who did it.
    let log = w.get("/tag_wranglings/log").await.doc();
    let rows = texts(&log, "table.log tbody tr");
    assert!(
        rows.iter()
            .any(|r| r.contains("wrangler") && r.contains("Spuffy")),
        "{rows:?}"
    );
}

#[tokio::test]
async fn edit_page_actions_show_on_the_reader_tag_page() {
    let site = start().await;
    let mut w = Browser::logged_in(&site, "wrangler").await;
    let mut reader = Browser::new(&site);

    // Make a free tag canonical and give it a fandom.
    let r = edit(
        &mut w,
        "/tags/Slayer%20Angst",
        "canonical",
        &[("canonical", "1")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/tags/Slayer%20Angst/edit?done=canonical");
    let r = edit(
        &mut w,
        "/tags/Slayer%20Angst",
        "fandom",
        &[("fandom", "Buffy the Vampire Slayer")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // ... and put it under Angst.
    let r = edit(
        &mut w,
        "/tags/Slayer%20Angst",
        "metatag",
        &[("metatag", "Angst")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w.get("/tags/Slayer%20Angst/edit?done=metatag").await;
    assert_eq!(
        texts(&page.doc(), "#edit-notice"),
        ["The metatag was added."]
    );
    assert!(texts(&page.doc(), "table.log td.description").len() >= 3);

    let doc = reader.get("/tags/Slayer%20Angst").await.doc();
    assert!(texts(&doc, "p.kind")[0].contains("It's a common tag"));
    assert_eq!(
        texts(&doc, "div.parent a.tag"),
        ["Buffy the Vampire Slayer"]
    );
    assert_eq!(texts(&doc, "div.meta a.tag"), ["Angst"]);
    let doc = reader.get("/tags/Angst").await.doc();
    assert!(texts(&doc, "div.sub a.tag").contains(&"Slayer Angst".to_string()));
    // Angst's works now include its subtag's (through the engine, once indexed).
    let mut ids = poll(&mut reader, "/tags/Angst", |ids| ids.len() == 2).await;
    ids.sort();
    assert_eq!(ids, [1, 3]);

    // A misspelt character: made a synonym of the canonical one.
    let r = edit(
        &mut w,
        "/tags/Dawn%20Sumers",
        "synonym",
        &[("merger", "Dawn Summers")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = reader.get("/tags/Dawn%20Summers").await.doc();
    assert!(texts(&doc, "div.synonym a.tag").contains(&"Dawn Sumers".to_string()));
    // ... and back.
    let r = edit(&mut w, "/tags/Dawn%20Sumers", "unsynonym", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = reader.get("/tags/Dawn%20Summers").await.doc();
    assert!(!texts(&doc, "div.synonym a.tag").contains(&"Dawn Sumers".to_string()));

    // A relationship's characters, and the character's relationships.
    let r = edit(
        &mut w,
        "/tags/Drusilla*s*Spike",
        "characters",
        &[("characters", "Drusilla, Spike, Dawn Summers")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = reader.get("/tags/Drusilla*s*Spike").await.doc();
    let mut chars = texts(&doc, "div.characters a.tag");
    chars.sort();
    assert_eq!(chars, ["Dawn Summers", "Drusilla", "Spike"]);
    let doc = reader.get("/tags/Dawn%20Summers").await.doc();
    assert!(texts(&doc, "div.relationships a.tag").contains(&"Drusilla/Spike".to_string()));

    // A fandom's media.
    let r = edit(
        &mut w,
        BTVS,
        "media",
        &[("media[]", "TV Shows"), ("media[]", "Comics")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = reader.get(BTVS).await.doc();
    let mut media = texts(&doc, "div.media a");
    media.sort();
    assert_eq!(media, ["Comics", "TV Shows"]);

    // Rename: the new name answers, the old one redirects (301), also for its works.
    let r = edit(
        &mut w,
        "/tags/Slayer%20Angst",
        "rename",
        &[("new_name", "Slayer Burden")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/tags/Slayer%20Burden/edit?done=rename");
    let old = reader.get("/tags/Slayer%20Angst").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), "/tags/Slayer%20Burden");
    let old = reader.get("/tags/Slayer%20Angst/works?page=1").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), "/tags/Slayer%20Burden/works?page=1");
    let doc = reader.get("/tags/Slayer%20Burden").await.doc();
    assert_eq!(texts(&doc, "h2.heading"), ["Slayer Burden"]);
    let edit_old = w.get("/tags/Slayer%20Angst/edit").await;
    assert_eq!(edit_old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(edit_old.location(), "/tags/Slayer%20Burden/edit");
}

#[tokio::test]
async fn a_cycle_is_refused_beside_the_form_with_the_typed_value_kept() {
    let site = start().await;
    let mut w = Browser::logged_in(&site, "wrangler").await;
    let r = edit(
        &mut w,
        "/tags/Hurt*s*Comfort",
        "metatag",
        &[("metatag", "Angst")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = edit(
        &mut w,
        "/tags/Angst",
        "metatag",
        &[("metatag", "Hurt/Comfort")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let doc = r.doc();
    let message = texts(&doc, "form#edit_metatag #metatag-error").join("");
    assert!(message.contains("cycle"), "{message}");
    assert_eq!(
        attr(&doc, "input#tag_metatag", "value").as_deref(),
        Some("Hurt/Comfort")
    );
    // Only the refused form carries a message.
    assert_eq!(texts(&doc, "p.error").len(), 1);
    let angst = site.store.tag_by_name("Angst").await.unwrap().unwrap();
    assert!(!angst.parents.iter().any(|p| p.name == "Hurt/Comfort"));

    // A synonym of a tag that does not exist: refused, typed name kept.
    let r = edit(&mut w, "/tags/Spuffy", "synonym", &[("merger", "Spoofy")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = r.doc();
    assert_eq!(texts(&doc, "#synonym-error").len(), 1);
    assert_eq!(
        attr(&doc, "input#tag_merger", "value").as_deref(),
        Some("Spoofy")
    );
}

#[tokio::test]
async fn the_fandom_index_counts_works_per_medium() {
    let site = start().await;
    let mut w = Browser::logged_in(&site, "wrangler").await;
    let r = edit(&mut w, BTVS, "media", &[("media[]", "TV Shows")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut reader = Browser::new(&site);
    // The fandom's page lists the canonical tags on its works, most used first, from
    // the engine's facets (the unwrangled "Slayer Angst" and "Spuffy" are left out).
    let doc = reader.get(BTVS).await.doc();
    assert_eq!(texts(&doc, "div.related li"), ["Buffy Summers/Spike (1)"]);
    let page = reader.get("/media").await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = page.doc();
    let tv = doc
        .select(&sel("li.medium"))
        .find(|li| {
            li.select(&sel("h3 a"))
                .any(|a| a.text().collect::<String>() == "TV Shows")
        })
        .expect("TV Shows on /media");
    let shown: Vec<String> = tv
        .select(&sel("ol li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(shown, ["Buffy the Vampire Slayer (3)"]);
    // Every medium is listed, the uncategorized fandoms last.
    let media = texts(&doc, "li.medium h3");
    assert_eq!(media.len(), tome_store::MEDIA.len(), "{media:?}");
    assert_eq!(
        media.last().map(String::as_str),
        Some("Uncategorized Fandoms")
    );

    let page = reader.get("/media/TV%20Shows/fandoms").await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = page.doc();
    assert_eq!(texts(&doc, "li.letter h3"), ["B"]);
    assert_eq!(
        attr(&doc, "li#letter-B a.tag", "href").as_deref(),
        Some("/tags/Buffy%20the%20Vampire%20Slayer/works")
    );
    assert_eq!(
        reader.get("/media/Knitting/fandoms").await.status,
        StatusCode::NOT_FOUND
    );
    insta::assert_snapshot!(
        "media_tv_shows",
        inner(&doc, "ol.alphabet").unwrap_or_default()
    );
}
