//! The store's behaviour, run once on a SQLite file and once on a fresh PostgreSQL database.
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432` (override with
//! `TOME_TEST_POSTGRES`); each test creates its own database through the `test` database
//! and drops it at the end. Set `TOME_SKIP_POSTGRES=1` to skip those runs.

use std::path::PathBuf;

use sqlx::{AnyPool, AssertSqlSafe, Executor};
use tome_model::{
    Category, ChapterDraft, Rating, TagKind, VocabEntry, VocabularyFile, Warning, WorkDraft,
};
use tome_store::{Audience, Backend, StoreError, VocabularyReport, WorkListFilter};

#[macro_use]
mod support;
use support::TestDb;

on_both!(
    vocabulary_import_is_idempotent,
    create_work_round_trip,
    failed_create_writes_nothing,
    tag_filter_follows_synonyms_and_subtags,
    paging_and_creator_listings,
    kudos_are_unique,
    hits_are_batched_without_touching_the_version,
    outbox_follows_changes,
    users_and_pseuds,
);

fn seeds() -> VocabularyFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/tags.json");
    let text = std::fs::read_to_string(&path).expect("read shared/seeds/tags.json");
    serde_json::from_str(&text).expect("parse tags.json")
}

fn chapter(body: &str, words: u64) -> ChapterDraft {
    ChapterDraft {
        body_html: body.into(),
        word_count: words,
        ..Default::default()
    }
}

fn simple(title: &str, author: &str, tags: &[(TagKind, &str)]) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        authors: vec![author.into()],
        tags: tags.iter().map(|(k, n)| (*k, n.to_string())).collect(),
        language: "en".into(),
        chapters: vec![chapter("<p>Hello.</p>", 1)],
        ..Default::default()
    }
}

/// Row counts of every table a work touches.
async fn table_counts(url: &str) -> Vec<(String, i64)> {
    let pool = AnyPool::connect(url).await.expect("side connection");
    let mut out = Vec::new();
    for t in [
        "users",
        "pseuds",
        "works",
        "creatorships",
        "chapters",
        "tags",
        "work_tags",
        "outbox",
    ] {
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {t}")))
            .fetch_one(&pool)
            .await
            .expect("count");
        out.push((t.to_string(), n));
    }
    pool.close().await;
    out
}

async fn vocabulary_import_is_idempotent(db: &TestDb) {
    let s = &db.store;
    let file = seeds();
    let first = s.import_vocabulary(&file).await.expect("first import");
    assert!(first.created >= file.tags.len() as u64, "{first:?}");
    let second = s.import_vocabulary(&file).await.expect("second import");
    assert_eq!(second, VocabularyReport::default());

    let spuffy = s
        .tag_by_name("spuffy")
        .await
        .expect("lookup")
        .expect("Spuffy exists");
    assert!(!spuffy.canonical);
    assert_eq!(
        spuffy.merger.as_ref().map(|m| m.name.as_str()),
        Some("Buffy Summers/Spike")
    );
    let ship = s
        .tag_by_name("Buffy Summers/Spike")
        .await
        .expect("lookup")
        .expect("ship");
    assert!(ship.canonical);
    assert_eq!(ship.kind, TagKind::Relationship);
    assert!(ship.synonyms.iter().any(|t| t.name == "Spuffy"));
    assert!(
        ship.parents
            .iter()
            .any(|t| t.name == "Buffy the Vampire Slayer")
    );
    // "BtVS" and "BTVS" are one name; "angst" is Angst itself.
    let btvs = s.tag_by_name("btvs").await.expect("lookup").expect("BtVS");
    assert_eq!(
        btvs.merger.map(|m| m.name),
        Some("Buffy the Vampire Slayer".into())
    );
    let angst = s
        .tag_by_name("ANGST")
        .await
        .expect("lookup")
        .expect("Angst");
    assert!(angst.canonical && angst.merger.is_none());
    let fandom = s
        .tag_by_name("Buffy the Vampire Slayer")
        .await
        .expect("lookup")
        .expect("f");
    assert!(fandom.children.iter().any(|t| t.name == "Buffy Summers"));

    let vocab = s.vocabulary().await.expect("vocabulary");
    assert_eq!(vocab.len(), file.tags.len());
    let spike: &VocabEntry = vocab.iter().find(|e| e.name == "Spike").expect("Spike");
    assert_eq!(spike.fandoms.len(), 2);
    assert!(spike.synonyms.contains(&"William the Bloody".to_string()));
    let rel = vocab
        .iter()
        .find(|e| e.name == "Buffy Summers/Spike")
        .expect("rel");
    assert_eq!(rel.characters, ["Buffy Summers", "Spike"]);

    // An export re-imports as a no-op.
    let exported = s.export_vocabulary().await.expect("export");
    assert_eq!(
        s.import_vocabulary(&exported).await.expect("re-import"),
        VocabularyReport::default()
    );
}

async fn create_work_round_trip(db: &TestDb) {
    let s = &db.store;
    s.import_vocabulary(&seeds()).await.expect("import");
    let draft = WorkDraft {
        title: "  Once More, With Feeling  ".into(),
        authors: vec!["Tara".into(), "willow_r".into(), "tara".into()],
        rating: Some(Rating::Teen),
        warnings: vec![Warning::NoWarnings],
        categories: vec![Category::FM, Category::FF],
        tags: vec![
            (TagKind::Fandom, "BtVS".into()),
            (TagKind::Relationship, "Spuffy".into()),
            (TagKind::Character, "Spike".into()),
            (TagKind::Character, "Buffy Summers".into()),
            (TagKind::Freeform, "Musical  Episode".into()),
            (TagKind::Freeform, "Angst".into()),
        ],
        language: "en".into(),
        summary_html: Some("<p>Sunnydale sings.</p>".into()),
        notes_begin_html: Some("<p>Begin.</p>".into()),
        notes_end_html: Some("<p>End.</p>".into()),
        chapters: vec![
            ChapterDraft {
                title: Some("Going Through the Motions".into()),
                body_html: "<p>One two three.</p>".into(),
                word_count: 3,
                summary_html: Some("<p>s1</p>".into()),
                notes_begin_html: Some("<p>nb1</p>".into()),
                notes_end_html: Some("<p>ne1</p>".into()),
            },
            chapter("<p>Four five.</p>", 2),
            chapter("<p>Six.</p>", 1),
        ],
        complete: Some(false),
        expected_chapters: Some(5),
        published_at: Some(1_000_000),
        restricted: true,
        anonymous: true,
    };
    let id = s.create_work(&draft).await.expect("create");
    let w = s.work(id).await.expect("read").expect("exists");
    let b = &w.blurb;
    assert!(b.restricted && b.anonymous && !b.draft && !b.hidden);
    // Guests never get restricted works in a listing; members do. A creator's pages
    // never list a work they posted anonymously, whoever asks.
    let guest = s
        .list_works(&WorkListFilter::All, Audience::Guest, 1, 20)
        .await
        .unwrap();
    assert!(guest.items.iter().all(|w| w.id != id) && guest.total == 0);
    let member = s
        .list_works(&WorkListFilter::All, Audience::Member, 1, 20)
        .await
        .unwrap();
    assert!(member.items.iter().any(|w| w.id == id) && member.total == 1);
    let creator = &b.creators[0];
    let theirs = s
        .list_works(&WorkListFilter::Pseud(creator.id), Audience::Member, 1, 20)
        .await
        .unwrap();
    assert_eq!(
        theirs.total, 0,
        "anonymous works stay off their creator's pages"
    );
    assert_eq!(b.title, "Once More, With Feeling");
    assert_eq!(b.summary_html.as_deref(), Some("<p>Sunnydale sings.</p>"));
    assert_eq!(w.notes_begin_html.as_deref(), Some("<p>Begin.</p>"));
    assert_eq!(w.notes_end_html.as_deref(), Some("<p>End.</p>"));
    assert_eq!(b.language, "en");
    assert_eq!(b.rating, Rating::Teen);
    assert_eq!(b.warnings, [Warning::NoWarnings]);
    assert_eq!(b.categories, [Category::FM, Category::FF]);
    let names = |v: &[tome_store::TagRef]| v.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    // Tags keep the spelling the author typed (a synonym stays a synonym on the work).
    assert_eq!(names(&b.fandoms), ["BtVS"]);
    assert_eq!(names(&b.relationships), ["Spuffy"]);
    assert_eq!(names(&b.characters), ["Spike", "Buffy Summers"]);
    assert_eq!(names(&b.freeforms), ["Musical Episode", "Angst"]);
    let creators: Vec<_> = b.creators.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(creators, ["Tara", "willow_r"]);
    assert!(!b.complete);
    assert_eq!(b.chapter_count, 3);
    assert_eq!(b.expected_chapters, Some(5));
    assert_eq!(b.word_count, 6);
    assert_eq!(b.published_at, 1_000_000);
    assert_eq!(b.updated_at, 1_000_000);
    assert_eq!((b.hits, b.kudos, b.comments, b.bookmarks), (0, 0, 0, 0));
    assert_eq!(w.version, 1);
    assert_eq!(s.work_version(id).await.expect("version"), Some(1));
    let positions: Vec<u32> = w.chapters.iter().map(|c| c.position).collect();
    assert_eq!(positions, [1, 2, 3]);
    assert_eq!(
        w.chapters[0].title.as_deref(),
        Some("Going Through the Motions")
    );

    let c1 = s
        .chapter(id, w.chapters[0].id)
        .await
        .expect("chapter")
        .expect("exists");
    assert_eq!(c1.body_html, "<p>One two three.</p>");
    assert_eq!(c1.summary_html.as_deref(), Some("<p>s1</p>"));
    assert_eq!(c1.notes_begin_html.as_deref(), Some("<p>nb1</p>"));
    assert_eq!(c1.notes_end_html.as_deref(), Some("<p>ne1</p>"));
    assert_eq!(c1.meta.word_count, 3);
    assert!(
        s.chapter(id + 1000, w.chapters[0].id)
            .await
            .expect("chapter")
            .is_none()
    );
    let all = s.chapters_full(id).await.expect("chapters");
    assert_eq!(all.len(), 3);
    assert_eq!(all[2].body_html, "<p>Six.</p>");

    // Defaults: no rating, warnings or authors; completeness from the chapter count.
    let plain = s
        .create_work(&WorkDraft {
            authors: vec![],
            ..simple("Plain", "x", &[])
        })
        .await
        .expect("create plain");
    let p = s.work(plain).await.expect("read").expect("exists").blurb;
    assert_eq!(p.rating, Rating::NotRated);
    assert_eq!(p.warnings, [Warning::ChoseNotToUse]);
    assert!(p.complete);
    assert_eq!(p.expected_chapters, Some(1));
    assert_eq!(p.creators[0].name, "orphan_account");
    // Unknown typed tags are created unwrangled.
    let musical = s
        .tag_by_name("musical episode")
        .await
        .expect("lookup")
        .expect("tag");
    assert!(!musical.canonical);
    assert_eq!(musical.kind, TagKind::Freeform);
    assert_eq!(s.work_count().await.expect("count"), 2);
    assert!(s.work(plain + 1000).await.expect("read").is_none());
}

async fn failed_create_writes_nothing(db: &TestDb) {
    let s = &db.store;
    s.create_work(&simple("Existing", "anya", &[(TagKind::Freeform, "Fluff")]))
        .await
        .expect("create");
    let before = table_counts(&db.url).await;

    let invalid = [
        simple("   ", "a", &[]),
        WorkDraft {
            chapters: vec![],
            ..simple("No chapters", "a", &[])
        },
        simple(&"x".repeat(256), "a", &[]),
        simple("Bad tag", "a", &[(TagKind::Freeform, "one, two")]),
    ];
    for d in &invalid {
        match s.create_work(d).await {
            Err(StoreError::Invalid(msg)) => assert!(!msg.is_empty()),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
    assert_eq!(table_counts(&db.url).await, before);

    // A database failure at the very end (the outbox insert) rolls back everything before it.
    let side = AnyPool::connect(&db.url).await.expect("side connection");
    let trigger: &[&str] = match s.backend() {
        Backend::Sqlite => &[
            "CREATE TRIGGER outbox_fail BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'boom'); END",
        ],
        Backend::Postgres => &[
            "CREATE FUNCTION outbox_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER outbox_fail BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_fail()",
        ],
    };
    for sql in trigger {
        side.execute(*sql).await.expect("install trigger");
    }
    let d = simple(
        "Doomed",
        "new_author",
        &[(TagKind::Freeform, "Brand New Tag")],
    );
    match s.create_work(&d).await {
        Err(StoreError::Db(_)) => {}
        other => panic!("expected a database error, got {other:?}"),
    }
    side.execute("DROP TRIGGER outbox_fail ON outbox")
        .await
        .ok();
    side.execute("DROP TRIGGER IF EXISTS outbox_fail")
        .await
        .ok();
    side.close().await;
    assert_eq!(table_counts(&db.url).await, before);
    assert!(
        s.user_by_login("new_author")
            .await
            .expect("lookup")
            .is_none()
    );
    assert!(
        s.tag_by_name("Brand New Tag")
            .await
            .expect("lookup")
            .is_none()
    );
}

async fn tag_filter_follows_synonyms_and_subtags(db: &TestDb) {
    let s = &db.store;
    // Tagged before the vocabulary knows "Spuffy": the import must make it a synonym.
    let early = s
        .create_work(&simple("Early", "a", &[(TagKind::Relationship, "Spuffy")]))
        .await
        .expect("create");
    let seq = s
        .outbox_after(0, 100)
        .await
        .expect("outbox")
        .last()
        .map_or(0, |r| r.seq);
    let report = s.import_vocabulary(&seeds()).await.expect("import");
    assert!(
        report.updated >= 1 && report.works_reindexed == 1,
        "{report:?}"
    );
    let after = s.outbox_after(seq, 100).await.expect("outbox");
    assert_eq!(after.len(), 1);
    assert_eq!((after[0].work_id, after[0].op.as_str()), (early, "upsert"));

    let direct = s
        .create_work(&simple(
            "Direct",
            "b",
            &[(TagKind::Relationship, "Buffy Summers/Spike")],
        ))
        .await
        .expect("create");
    let other = s
        .create_work(&simple("Other", "c", &[(TagKind::Relationship, "Bangel")]))
        .await
        .expect("create");
    let ship = s
        .tag_by_name("Buffy Summers/Spike")
        .await
        .expect("lookup")
        .expect("ship");
    let page = s
        .list_works(&WorkListFilter::Tag(ship.id), Audience::Member, 1, 20)
        .await
        .expect("list");
    let mut ids: Vec<i64> = page.items.iter().map(|b| b.id).collect();
    ids.sort();
    assert_eq!(ids, [early, direct]);
    assert_eq!(page.total, 2);
    assert_eq!(ship.works_count, 2);
    let bangel = s
        .tag_by_name("Angel/Buffy Summers")
        .await
        .expect("lookup")
        .expect("t");
    let page = s
        .list_works(&WorkListFilter::Tag(bangel.id), Audience::Member, 1, 20)
        .await
        .expect("list");
    assert_eq!(page.items.iter().map(|b| b.id).collect::<Vec<_>>(), [other]);

    // Metatags: Hurt/Comfort > Whump > Sick Fic (synonym "Sickfic").
    let meta = VocabularyFile {
        about: None,
        tags: vec![
            VocabEntry {
                kind: TagKind::Freeform,
                name: "Hurt/Comfort".into(),
                synonyms: vec![],
                fandoms: vec![],
                characters: vec![],
                metatags: vec![],
                media: Vec::new(),
                uses: 0,
            },
            VocabEntry {
                kind: TagKind::Freeform,
                name: "Whump".into(),
                synonyms: vec![],
                fandoms: vec![],
                characters: vec![],
                metatags: vec!["Hurt/Comfort".into()],
                media: Vec::new(),
                uses: 0,
            },
            VocabEntry {
                kind: TagKind::Freeform,
                name: "Sick Fic".into(),
                synonyms: vec!["Sickfic".into()],
                fandoms: vec![],
                characters: vec![],
                metatags: vec!["Whump".into()],
                media: Vec::new(),
                uses: 0,
            },
        ],
    };
    s.import_vocabulary(&meta).await.expect("import metatags");
    let sick = s
        .create_work(&simple("Sick", "d", &[(TagKind::Freeform, "sickfic")]))
        .await
        .expect("create");
    let hc = s
        .tag_by_name("hurt/comfort")
        .await
        .expect("lookup")
        .expect("hc");
    let page = s
        .list_works(&WorkListFilter::Tag(hc.id), Audience::Member, 1, 20)
        .await
        .expect("list");
    assert_eq!(page.items.iter().map(|b| b.id).collect::<Vec<_>>(), [sick]);
    assert_eq!(
        hc.children
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["Whump"]
    );
    // The fandom's listing is its own works, not its characters'.
    let fandom = s
        .tag_by_name("Buffy the Vampire Slayer")
        .await
        .expect("lookup")
        .expect("f");
    assert_eq!(
        s.list_works(&WorkListFilter::Tag(fandom.id), Audience::Member, 1, 20)
            .await
            .expect("l")
            .total,
        0
    );
}

async fn paging_and_creator_listings(db: &TestDb) {
    let s = &db.store;
    let mut ids = Vec::new();
    for i in 0..23 {
        let author = if i % 2 == 0 { "even" } else { "odd" };
        let mut d = simple(
            &format!("Work {i}"),
            author,
            &[(TagKind::Freeform, "Fluff")],
        );
        d.published_at = Some(1_000 + i);
        ids.push(s.create_work(&d).await.expect("create"));
    }
    let p1 = s
        .list_works(&WorkListFilter::All, Audience::Member, 1, 10)
        .await
        .expect("page 1");
    assert_eq!((p1.total, p1.pages(), p1.items.len()), (23, 3, 10));
    assert_eq!((p1.first_index(), p1.last_index()), (1, 10));
    assert_eq!(p1.items[0].id, ids[22], "newest first");
    assert_eq!(p1.items[0].freeforms[0].name, "Fluff");
    assert_eq!(p1.items[0].creators[0].name, "even");
    let p3 = s
        .list_works(&WorkListFilter::All, Audience::Member, 3, 10)
        .await
        .expect("page 3");
    assert_eq!(
        (p3.items.len(), p3.first_index(), p3.last_index()),
        (3, 21, 23)
    );
    assert_eq!(p3.items[2].id, ids[0]);
    let p9 = s
        .list_works(&WorkListFilter::All, Audience::Member, 9, 10)
        .await
        .expect("page 9");
    assert!(p9.items.is_empty());
    assert_eq!(p9.total, 23);

    let even = s.user_by_login("even").await.expect("user").expect("even");
    assert_eq!(even.works_count, 12);
    let by_user = s
        .list_works(&WorkListFilter::User(even.id), Audience::Member, 1, 5)
        .await
        .expect("user");
    assert_eq!((by_user.total, by_user.items.len()), (12, 5));
    let pseud = s.pseud("ODD", "odd").await.expect("pseud").expect("odd");
    let by_pseud = s
        .list_works(&WorkListFilter::Pseud(pseud.id), Audience::Member, 2, 10)
        .await
        .expect("pseud");
    assert_eq!((by_pseud.total, by_pseud.items.len()), (11, 1));
    assert!(by_pseud.items.iter().all(|b| b.creators[0].id == pseud.id));
}

async fn kudos_are_unique(db: &TestDb) {
    let s = &db.store;
    let id = s
        .create_work(&simple("Kudos", "giles", &[]))
        .await
        .expect("create");
    let user = s
        .user_by_login("giles")
        .await
        .expect("user")
        .expect("giles");
    assert!(s.add_kudos(id, Some(user.id), None).await.expect("kudos"));
    assert!(!s.add_kudos(id, Some(user.id), None).await.expect("again"));
    assert!(s.add_kudos(id, None, Some("guest-1")).await.expect("guest"));
    assert!(
        !s.add_kudos(id, None, Some("guest-1"))
            .await
            .expect("guest again")
    );
    assert!(
        s.add_kudos(id, None, Some("guest-2"))
            .await
            .expect("guest 2")
    );
    assert!(matches!(
        s.add_kudos(id, None, None).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.add_kudos(id + 99, None, Some("g")).await,
        Err(StoreError::NotFound(_))
    ));
    let w = s.work(id).await.expect("read").expect("work");
    assert_eq!(w.blurb.kudos, 3);
    assert_eq!(w.version, 4);
}

async fn hits_are_batched_without_touching_the_version(db: &TestDb) {
    let s = &db.store;
    let a = s.create_work(&simple("A", "x", &[])).await.expect("create");
    let b = s.create_work(&simple("B", "x", &[])).await.expect("create");
    let before = s.work(a).await.expect("read").expect("a");
    s.add_hits(&[(a, 3), (b, 1), (a, 2), (b + 100, 7)])
        .await
        .expect("hits");
    s.add_hits(&[]).await.expect("no hits");
    let after = s.work(a).await.expect("read").expect("a");
    assert_eq!(after.blurb.hits, 5);
    assert_eq!(s.work(b).await.expect("read").expect("b").blurb.hits, 1);
    assert_eq!(after.version, before.version);
    assert_eq!(after.blurb.updated_at, before.blurb.updated_at);
}

async fn outbox_follows_changes(db: &TestDb) {
    let s = &db.store;
    assert!(s.outbox_after(0, 10).await.expect("outbox").is_empty());
    let a = s.create_work(&simple("A", "x", &[])).await.expect("create");
    let b = s.create_work(&simple("B", "x", &[])).await.expect("create");
    s.delete_work(a).await.expect("delete");
    assert!(matches!(
        s.delete_work(a).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(s.work(a).await.expect("read").is_none());
    // Chapters went with the work (foreign keys are on, also on SQLite).
    assert!(s.chapters_full(a).await.expect("chapters").is_empty());
    let rows = s.outbox_after(0, 10).await.expect("outbox");
    let ops: Vec<(i64, &str)> = rows.iter().map(|r| (r.work_id, r.op.as_str())).collect();
    assert_eq!(ops, [(a, "upsert"), (b, "upsert"), (a, "delete")]);
    assert!(rows.windows(2).all(|w| w[0].seq < w[1].seq));
    let rest = s.outbox_after(rows[0].seq, 1).await.expect("outbox");
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].seq, rows[1].seq);
    assert_eq!(s.work_count().await.expect("count"), 1);
}

async fn users_and_pseuds(db: &TestDb) {
    let s = &db.store;
    let id = s
        .create_work(&simple("W", "Faith", &[]))
        .await
        .expect("create");
    s.create_work(&WorkDraft {
        authors: vec!["FAITH".into()],
        ..simple("W2", "x", &[])
    })
    .await
    .expect("create");
    let u = s
        .user_by_login("faith")
        .await
        .expect("user")
        .expect("Faith");
    assert_eq!(u.login, "Faith");
    assert_eq!(u.works_count, 2);
    assert_eq!(u.pseuds.len(), 1);
    assert_eq!(u.pseuds[0].name, "Faith");
    let p = s
        .pseud("Faith", "FAITH")
        .await
        .expect("pseud")
        .expect("pseud");
    assert_eq!((p.user_id, p.login.as_str()), (u.id, "Faith"));
    let w = s.work(id).await.expect("read").expect("w");
    assert_eq!(w.blurb.creators, [p]);
    assert!(s.user_by_login("nobody").await.expect("user").is_none());
    assert!(s.pseud("Faith", "nobody").await.expect("pseud").is_none());
}

/// SQLite runs in WAL mode, and a listing at 1,000 works stays three cheap queries.
#[tokio::test]
async fn sqlite_is_wal_and_listing_1000_works_is_fast() {
    let db = TestDb::sqlite().await;
    let s = &db.store;
    let side = AnyPool::connect(&db.url).await.expect("side connection");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&side)
        .await
        .expect("pragma");
    assert_eq!(mode.to_lowercase(), "wal");
    side.close().await;
    s.import_vocabulary(&seeds()).await.expect("import");
    for i in 0..1000 {
        let tags = [
            (TagKind::Fandom, "BtVS"),
            (
                TagKind::Relationship,
                if i % 3 == 0 { "Spuffy" } else { "Bangel" },
            ),
            (TagKind::Character, "Spike"),
            (TagKind::Freeform, "Angst"),
        ];
        let mut d = simple(&format!("Work {i}"), &format!("author{}", i % 50), &tags);
        d.published_at = Some(10_000 + i);
        s.create_work(&d).await.expect("create");
    }
    let ship = s
        .tag_by_name("Buffy Summers/Spike")
        .await
        .expect("lookup")
        .expect("ship");
    let start = std::time::Instant::now();
    let rounds = 20;
    for page in 1..=rounds {
        let all = s
            .list_works(&WorkListFilter::All, Audience::Member, page, 20)
            .await
            .expect("list");
        assert_eq!(all.items.len(), 20);
        let tagged = s
            .list_works(
                &WorkListFilter::Tag(ship.id),
                Audience::Member,
                page % 5 + 1,
                20,
            )
            .await
            .expect("list");
        assert_eq!(tagged.total, 334);
    }
    let per = start.elapsed() / (2 * rounds);
    eprintln!("listing of 20 blurbs at 1,000 works: {per:?}");
    assert!(
        per < std::time::Duration::from_millis(250),
        "listing too slow: {per:?}"
    );
    db.finish().await;
}
