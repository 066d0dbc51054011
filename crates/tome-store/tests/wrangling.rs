//! Tag wrangling on both backends: synonyms, renames, kinds, parents and metatags,
//! relationship characters, media, bulk actions, the queue, the log and tag pages; each
//! change re-queues exactly the works whose filtering changed.

use std::collections::BTreeSet;

use tome_model::{ChapterDraft, TagKind, VocabEntry, VocabularyFile, WorkDraft};
use tome_store::{
    Audience, BulkAction, QueuePage, QueueQuery, QueueSort, QueueStatus, Store, StoreError,
    TagDetail, TagInfo, TagLookup, WorkListFilter,
};

#[macro_use]
mod support;
use support::TestDb;

on_both!(
    synonym_moves_filtering_and_unsynonymize_restores_it,
    merging_a_canonical_tag_moves_its_synonyms_and_subtags,
    metatags_are_transitive_and_cycles_refused,
    synonyms_must_be_canonical_of_the_same_kind,
    rename_keeps_the_old_name,
    relationship_implies_its_characters,
    log_records_who_did_what,
    queue_lists_unwrangled_tags_per_fandom,
    bulk_actions_report_refusals,
    media_index_and_vocabulary_round_trip,
    kinds_and_canonical_flags,
    tag_detail_shows_the_wrangling,
);

fn entry(kind: TagKind, name: &str) -> VocabEntry {
    VocabEntry {
        kind,
        name: name.into(),
        synonyms: Vec::new(),
        fandoms: Vec::new(),
        characters: Vec::new(),
        metatags: Vec::new(),
        media: Vec::new(),
        uses: 0,
    }
}

/// BtVS (synonym BtVS) and Angel, Buffy Summers and Spike, the canonical ship between
/// them with its characters, and Angel/Buffy Summers. No "Spuffy".
fn vocabulary() -> VocabularyFile {
    let btvs = "Buffy the Vampire Slayer";
    let fandom = |name: &str| vec![name.to_string()];
    VocabularyFile {
        about: None,
        tags: vec![
            VocabEntry {
                synonyms: vec!["BtVS".into()],
                ..entry(TagKind::Fandom, btvs)
            },
            entry(TagKind::Fandom, "Angel: the Series"),
            VocabEntry {
                fandoms: fandom(btvs),
                ..entry(TagKind::Character, "Buffy Summers")
            },
            VocabEntry {
                fandoms: fandom(btvs),
                ..entry(TagKind::Character, "Spike")
            },
            VocabEntry {
                fandoms: fandom(btvs),
                ..entry(TagKind::Character, "Angel")
            },
            VocabEntry {
                fandoms: fandom(btvs),
                characters: vec!["Buffy Summers".into(), "Spike".into()],
                ..entry(TagKind::Relationship, "Buffy Summers/Spike")
            },
            VocabEntry {
                fandoms: fandom(btvs),
                characters: vec!["Angel".into(), "Buffy Summers".into()],
                ..entry(TagKind::Relationship, "Angel/Buffy Summers")
            },
        ],
    }
}

fn work(title: &str, author: &str, tags: &[(TagKind, &str)]) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        authors: vec![author.into()],
        tags: tags.iter().map(|(k, n)| (*k, n.to_string())).collect(),
        language: "en".into(),
        chapters: vec![ChapterDraft {
            body_html: "<p>Hello.</p>".into(),
            word_count: 1,
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The vocabulary imported and a wrangler's user id.
async fn setup(s: &Store) -> i64 {
    s.import_vocabulary(&vocabulary()).await.expect("import");
    post(s, "Wrangler's own", "wrangler", &[]).await;
    s.user_by_login("wrangler")
        .await
        .expect("user")
        .expect("wrangler")
        .id
}

/// Posts a one-chapter work; its id.
async fn post(s: &Store, title: &str, author: &str, tags: &[(TagKind, &str)]) -> i64 {
    s.create_work(&work(title, author, tags))
        .await
        .expect("create")
}

/// Posts one work per name, tagged with that free tag, and makes each tag canonical; the
/// works' ids in order.
async fn canonical_freeforms(s: &Store, by: i64, author: &str, names: &[&str]) -> Vec<i64> {
    let mut works = Vec::new();
    for &n in names {
        works.push(post(s, n, author, &[(TagKind::Freeform, n)]).await);
        make_canonical(s, by, n).await;
    }
    works
}

async fn make_canonical(s: &Store, by: i64, name: &str) {
    s.set_tag_canonical(by, id(s, name).await, true)
        .await
        .expect("canonical");
}

async fn tag_info(s: &Store, name: &str) -> TagInfo {
    s.tag_by_name(name)
        .await
        .expect("lookup")
        .unwrap_or_else(|| panic!("no tag {name}"))
}

/// The tag page of `name`, which must be found (not a redirect).
async fn found(s: &Store, name: &str) -> TagDetail {
    match s.tag_detail(name).await.expect("detail") {
        Some(TagLookup::Found(d)) => d,
        other => panic!("expected the tag {name}, got {other:?}"),
    }
}

async fn queue(s: &Store, q: &QueueQuery) -> QueuePage {
    s.wrangling_queue(q).await.expect("queue")
}

/// The queue page's tag names, in order.
fn names(page: &QueuePage) -> Vec<&str> {
    page.tags.iter().map(|t| t.name.as_str()).collect()
}

async fn id(s: &Store, name: &str) -> i64 {
    s.tag_by_name(name)
        .await
        .expect("lookup")
        .unwrap_or_else(|| panic!("no tag {name}"))
        .id
}

/// Works the tag's listing shows (the tag, its synonyms, subtags), in id order.
async fn listed(s: &Store, name: &str) -> Vec<i64> {
    let page = s
        .list_works(
            &WorkListFilter::Tag(id(s, name).await),
            Audience::Member,
            1,
            100,
        )
        .await
        .expect("list");
    let mut ids: Vec<i64> = page.items.iter().map(|b| b.id).collect();
    ids.sort();
    ids
}

/// Ids the search index would give a work tagged `name` alone.
async fn expanded(s: &Store, name: &str) -> BTreeSet<i64> {
    let g = s.tag_graph().await.expect("graph");
    let mut out = BTreeSet::new();
    g.expand(id(s, name).await, &mut out);
    out
}

async fn head(s: &Store) -> i64 {
    s.outbox_head().await.expect("head")
}

/// Works queued for re-indexing after `seq`.
async fn queued(s: &Store, seq: i64) -> BTreeSet<i64> {
    s.outbox_after(seq, 1000)
        .await
        .expect("outbox")
        .iter()
        .map(|r| r.work_id)
        .collect()
}

fn refused(r: Result<(), StoreError>, needle: &str) {
    match r {
        Err(StoreError::Invalid(m)) => assert!(m.contains(needle), "{m:?} lacks {needle:?}"),
        other => panic!("expected a refusal with {needle:?}, got {other:?}"),
    }
}

async fn synonym_moves_filtering_and_unsynonymize_restores_it(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    let w = post(
        s,
        "Only Spuffy",
        "a",
        &[(TagKind::Fandom, "BtVS"), (TagKind::Relationship, "Spuffy")],
    )
    .await;
    let other = post(
        s,
        "Bangel",
        "b",
        &[(TagKind::Relationship, "Angel/Buffy Summers")],
    )
    .await;
    let ship = "Buffy Summers/Spike";
    assert!(listed(s, ship).await.is_empty());
    let spuffy = id(s, "Spuffy").await;
    assert!(!expanded(s, "Spuffy").await.contains(&id(s, ship).await));

    let seq = head(s).await;
    s.make_synonym(by, spuffy, "buffy summers/spike")
        .await
        .expect("synonym");
    assert_eq!(listed(s, ship).await, [w]);
    assert_eq!(
        queued(s, seq).await,
        BTreeSet::from([w]),
        "only the Spuffy work"
    );
    let info = tag_info(s, "Spuffy").await;
    assert_eq!(info.merger.as_ref().map(|m| m.name.as_str()), Some(ship));
    assert!(!info.canonical);
    // The search engine's expansion: the ship and, through it, both characters.
    let ids = expanded(s, "Spuffy").await;
    for name in [ship, "Buffy Summers", "Spike"] {
        assert!(ids.contains(&id(s, name).await), "{name} missing");
    }
    // Filtering by the character finds the work tagged only "Spuffy" (index side).
    assert!(
        expanded(s, "Angel/Buffy Summers")
            .await
            .contains(&id(s, "Buffy Summers").await)
    );
    let _ = other;

    // A second time changes nothing and queues nothing.
    let seq = head(s).await;
    s.make_synonym(by, spuffy, ship).await.expect("again");
    assert!(queued(s, seq).await.is_empty());

    s.unsynonymize(by, spuffy).await.expect("unsynonymize");
    assert!(listed(s, ship).await.is_empty());
    assert_eq!(queued(s, seq).await, BTreeSet::from([w]));
    let info = tag_info(s, "Spuffy").await;
    assert!(info.merger.is_none() && !info.canonical);
    refused(s.unsynonymize(by, spuffy).await, "not a synonym");

    // A canonical tag made a synonym is canonical again afterwards.
    let sb = post(
        s,
        "Spike/Buffy",
        "c",
        &[(TagKind::Relationship, "Spike/Buffy")],
    )
    .await;
    let t = id(s, "Spike/Buffy").await;
    s.set_tag_canonical(by, t, true).await.expect("canonical");
    s.make_synonym(by, t, ship).await.expect("synonym");
    assert_eq!(listed(s, ship).await, [sb]);
    s.unsynonymize(by, t).await.expect("unsynonymize");
    let info = tag_info(s, "Spike/Buffy").await;
    assert!(info.canonical && info.merger.is_none());
    assert!(listed(s, ship).await.is_empty());
    assert_eq!(listed(s, "Spike/Buffy").await, [sb]);
}

async fn merging_a_canonical_tag_moves_its_synonyms_and_subtags(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    let a = post(s, "B/A", "a", &[(TagKind::Relationship, "B/A")]).await;
    let b = post(s, "Bangel", "b", &[(TagKind::Relationship, "Bangel")]).await;
    let bangel = id(s, "Bangel").await;
    s.set_tag_canonical(by, bangel, true)
        .await
        .expect("canonical");
    s.make_synonym(by, id(s, "B/A").await, "Bangel")
        .await
        .expect("synonym");
    s.add_tag_parent(by, bangel, "Buffy the Vampire Slayer")
        .await
        .expect("fandom");
    assert_eq!(listed(s, "Bangel").await, [a, b]);

    let seq = head(s).await;
    s.make_synonym(by, bangel, "Angel/Buffy Summers")
        .await
        .expect("merge");
    assert_eq!(listed(s, "Angel/Buffy Summers").await, [a, b]);
    assert_eq!(queued(s, seq).await, BTreeSet::from([a, b]));
    let ba = tag_info(s, "B/A").await;
    assert_eq!(
        ba.merger.map(|m| m.name),
        Some("Angel/Buffy Summers".to_string()),
        "B/A follows Bangel to the new canonical tag"
    );
    // Un-synonymizing gives Bangel its flag back, not what moved away.
    s.unsynonymize(by, bangel).await.expect("unsynonymize");
    assert_eq!(listed(s, "Bangel").await, [b]);
    assert_eq!(listed(s, "Angel/Buffy Summers").await, [a]);

    // A canonical freeform with a subtag: the subtag moves to the new canonical tag.
    canonical_freeforms(s, by, "c", &["Whump", "Owie", "Hurt/Comfort"]).await;
    s.add_tag_parent(by, id(s, "Owie").await, "Whump")
        .await
        .expect("metatag");
    s.make_synonym(by, id(s, "Whump").await, "Hurt/Comfort")
        .await
        .expect("merge");
    let hc = tag_info(s, "Hurt/Comfort").await;
    assert!(hc.children.iter().any(|c| c.name == "Owie"));
    assert_eq!(listed(s, "Hurt/Comfort").await.len(), 3);

    // Merging a tag into its own subtag would make a cycle: refused, nothing changed.
    canonical_freeforms(s, by, "d", &["Top", "Bottom"]).await;
    s.add_tag_parent(by, id(s, "Bottom").await, "Top")
        .await
        .expect("metatag");
    s.add_tag_parent(by, id(s, "Top").await, "Hurt/Comfort")
        .await
        .expect("metatag");
    refused(
        s.make_synonym(by, id(s, "Hurt/Comfort").await, "Bottom")
            .await,
        "cycle",
    );
    let hc = tag_info(s, "Hurt/Comfort").await;
    assert!(hc.canonical && hc.merger.is_none());
}

async fn metatags_are_transitive_and_cycles_refused(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    let works = canonical_freeforms(s, by, "a", &["A", "B", "C"]).await;
    let (a, b, c) = (id(s, "A").await, id(s, "B").await, id(s, "C").await);
    let seq = head(s).await;
    s.add_tag_parent(by, a, "B").await.expect("A under B");
    assert_eq!(queued(s, seq).await, BTreeSet::from([works[0]]));
    s.add_tag_parent(by, b, "C").await.expect("B under C");
    // C finds the works of A two levels down, in the listing and in the index.
    assert_eq!(listed(s, "C").await, works);
    assert!(expanded(s, "A").await.contains(&c));
    refused(s.add_tag_parent(by, c, "A").await, "cycle");
    refused(s.add_tag_parent(by, c, "C").await, "its own metatag");
    // A parent already there is no change.
    let seq = head(s).await;
    s.add_tag_parent(by, a, "B").await.expect("again");
    assert!(queued(s, seq).await.is_empty());
    // Kinds that don't fit, fandoms for free tags.
    refused(s.add_tag_parent(by, a, "Spike").await, "character tag");
    s.add_tag_parent(by, a, "BtVS")
        .await
        .expect("fandom via synonym");
    let info = tag_info(s, "A").await;
    let parents: Vec<&str> = info.parents.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(parents, ["B", "Buffy the Vampire Slayer"]);
    refused(
        s.add_tag_parent(by, a, "Nothing Such").await,
        "no tag called",
    );
    // Removing B from A: C no longer finds A's work.
    let seq = head(s).await;
    s.remove_tag_parent(by, a, b).await.expect("remove");
    assert_eq!(listed(s, "C").await, works[1..]);
    assert_eq!(queued(s, seq).await, BTreeSet::from([works[0]]));
    refused(s.remove_tag_parent(by, a, b).await, "not under");
    assert!(matches!(
        s.remove_tag_parent(by, 999_999, b).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn synonyms_must_be_canonical_of_the_same_kind(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    post(
        s,
        "W",
        "a",
        &[
            (TagKind::Freeform, "Spike fluff"),
            (TagKind::Freeform, "fluffy"),
        ],
    )
    .await;
    let t = id(s, "Spike fluff").await;
    refused(s.make_synonym(by, t, "Spike").await, "same kind");
    refused(s.make_synonym(by, t, "fluffy").await, "not canonical");
    refused(
        s.make_synonym(by, id(s, "Spike").await, "spike").await,
        "itself",
    );
    refused(s.make_synonym(by, t, "Nowhere").await, "no tag called");
    refused(
        s.make_synonym(by, id(s, "General Audiences").await, "Mature")
            .await,
        "fixed",
    );
    // A synonym's name stands for its canonical tag.
    make_canonical(s, by, "fluffy").await;
    post(s, "W2", "a", &[(TagKind::Freeform, "floof")]).await;
    s.make_synonym(by, id(s, "floof").await, "fluffy")
        .await
        .expect("synonym");
    s.make_synonym(by, t, "floof").await.expect("via synonym");
    let info = tag_info(s, "Spike fluff").await;
    assert_eq!(info.merger.map(|m| m.name), Some("fluffy".to_string()));
}

async fn rename_keeps_the_old_name(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    let w = post(
        s,
        "W",
        "a",
        &[(TagKind::Relationship, "Buffy Summers/Spike")],
    )
    .await;
    let ship = id(s, "Buffy Summers/Spike").await;
    let seq = head(s).await;
    s.rename_tag(by, ship, "Spike/Buffy Summers")
        .await
        .expect("rename");
    assert_eq!(queued(s, seq).await, BTreeSet::from([w]));
    match s.tag_detail("buffy summers/spike").await.expect("detail") {
        Some(TagLookup::Renamed { to }) => assert_eq!(to, "Spike/Buffy Summers"),
        other => panic!("expected a redirect, got {other:?}"),
    }
    assert_eq!(found(s, "Spike/Buffy Summers").await.info.id, ship);
    // The old name still resolves, for listings, the index and new works.
    assert_eq!(id(s, "Buffy Summers/Spike").await, ship);
    assert_eq!(listed(s, "Buffy Summers/Spike").await, [w]);
    let g = s.tag_graph().await.expect("graph");
    assert_eq!(g.by_name("Buffy Summers/Spike"), Some(ship));
    let w2 = post(
        s,
        "W2",
        "b",
        &[(TagKind::Relationship, "Buffy Summers/Spike")],
    )
    .await;
    assert_eq!(listed(s, "Spike/Buffy Summers").await, [w, w2]);
    // Names are unique; a case change is a rename without a redirect.
    refused(s.rename_tag(by, ship, "spike").await, "already exists");
    s.rename_tag(by, ship, "spike/buffy summers")
        .await
        .expect("case");
    assert_eq!(
        tag_info(s, "SPIKE/BUFFY SUMMERS").await.name,
        "spike/buffy summers"
    );
    assert!(s.tag_detail("Nobody Here").await.expect("detail").is_none());
}

async fn relationship_implies_its_characters(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    let w = post(
        s,
        "W",
        "a",
        &[(TagKind::Relationship, "Buffy Summers/Spike")],
    )
    .await;
    let (ship, buffy, spike) = (
        id(s, "Buffy Summers/Spike").await,
        id(s, "Buffy Summers").await,
        id(s, "Spike").await,
    );
    let ids = expanded(s, "Buffy Summers/Spike").await;
    assert!(ids.contains(&buffy) && ids.contains(&spike));
    // A character's metatag comes along too.
    post(s, "Slayers", "b", &[(TagKind::Character, "The Slayers")]).await;
    let slayers = id(s, "The Slayers").await;
    s.set_tag_canonical(by, slayers, true)
        .await
        .expect("canonical");
    let seq = head(s).await;
    s.add_tag_parent(by, buffy, "The Slayers")
        .await
        .expect("metatag");
    assert!(
        queued(s, seq).await.contains(&w),
        "the ship's work re-indexed when its character changes"
    );
    assert!(expanded(s, "Buffy Summers/Spike").await.contains(&slayers));

    let seq = head(s).await;
    s.set_relationship_characters(by, ship, &["Spike".into(), "William the Bloody".into()])
        .await
        .map_err(|e| e.to_string())
        .expect_err("unknown character");
    s.set_relationship_characters(by, ship, &["spike".into()])
        .await
        .expect("characters");
    assert_eq!(queued(s, seq).await, BTreeSet::from([w]));
    let g = s.tag_graph().await.expect("graph");
    assert_eq!(g.characters(ship), [spike]);
    assert!(!expanded(s, "Buffy Summers/Spike").await.contains(&buffy));
    refused(
        s.set_relationship_characters(by, ship, &["Buffy the Vampire Slayer".into()])
            .await,
        "not a character",
    );
    refused(
        s.set_relationship_characters(by, spike, &["Spike".into()])
            .await,
        "only relationships",
    );
    let _ = w;
}

async fn log_records_who_did_what(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    post(s, "W", "a", &[(TagKind::Relationship, "Spuffy")]).await;
    let spuffy = id(s, "Spuffy").await;
    s.make_synonym(by, spuffy, "Buffy Summers/Spike")
        .await
        .expect("synonym");
    s.unsynonymize(by, spuffy).await.expect("unsynonymize");
    s.set_tag_canonical(by, spuffy, true)
        .await
        .expect("canonical");
    s.add_tag_parent(by, spuffy, "Buffy the Vampire Slayer")
        .await
        .expect("parent");
    s.rename_tag(by, spuffy, "Spuffy (ship)")
        .await
        .expect("rename");
    let log = s.wrangling_log(Some(spuffy), 1, 50).await.expect("log");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "rename",
            "parent_added",
            "canonical",
            "unsynonym",
            "synonym"
        ],
        "newest first"
    );
    assert!(
        log.iter()
            .all(|e| e.by_login.as_deref() == Some("wrangler"))
    );
    assert!(log.iter().all(|e| e.tag.id == spuffy && e.at > 0));
    assert_eq!(
        log[4].description,
        "made Spuffy a synonym of Buffy Summers/Spike"
    );
    assert_eq!(log[0].description, "renamed Spuffy to Spuffy (ship)");
    assert_eq!(log[0].tag.name, "Spuffy (ship)");
    // Everyone's log, paged; a refused change writes nothing.
    refused(s.add_tag_parent(by, spuffy, "Spike").await, "character tag");
    let all = s.wrangling_log(None, 1, 2).await.expect("log");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].action, "rename");
    let page3 = s.wrangling_log(None, 3, 2).await.expect("log");
    assert_eq!(page3.len(), 1);
}

async fn queue_lists_unwrangled_tags_per_fandom(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    let f = |n| (TagKind::Fandom, n);
    let ff = |n| (TagKind::Freeform, n);
    let rel = |n| (TagKind::Relationship, n);
    for (i, tags) in [
        vec![f("Buffy the Vampire Slayer"), ff("angst"), rel("Spuffy")],
        vec![f("BtVS"), ff("angst"), rel("Spuffy"), ff("fluff")],
        vec![f("BtVS"), ff("angst"), rel("Buffy Summers/Spike")],
        vec![f("Random Fandom"), ff("crack")],
        vec![f("Angel: the Series"), ff("angst")],
    ]
    .into_iter()
    .enumerate()
    {
        post(s, &format!("W{i}"), "a", &tags).await;
    }
    let btvs = id(s, "Buffy the Vampire Slayer").await;
    let q = QueueQuery {
        fandom_id: Some(btvs),
        ..QueueQuery::default()
    };
    let page = queue(s, &q).await;
    let got: Vec<(&str, u64)> = page
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.uses))
        .collect();
    assert_eq!(got, [("angst", 3), ("Spuffy", 2), ("fluff", 1)]);
    assert_eq!(page.total, 3);
    let by_name = queue(
        s,
        &QueueQuery {
            sort: QueueSort::Name,
            descending: false,
            ..q.clone()
        },
    )
    .await;
    assert_eq!(names(&by_name), ["angst", "fluff", "Spuffy"]);
    let page2 = queue(
        s,
        &QueueQuery {
            sort: QueueSort::Name,
            descending: false,
            page: 2,
            per_page: 2,
            ..q.clone()
        },
    )
    .await;
    assert_eq!(page2.total, 3);
    assert_eq!(page2.tags.len(), 1);
    assert_eq!(page2.tags[0].name, "Spuffy");
    let ships = queue(
        s,
        &QueueQuery {
            kind: Some(TagKind::Relationship),
            ..q.clone()
        },
    )
    .await;
    assert_eq!(ships.tags.len(), 1);
    assert_eq!(ships.tags[0].kind, TagKind::Relationship);
    // Works with no canonical fandom: their unwrangled fandom tags too.
    let none = queue(
        s,
        &QueueQuery {
            sort: QueueSort::Name,
            descending: false,
            ..QueueQuery::default()
        },
    )
    .await;
    assert_eq!(names(&none), ["crack", "Random Fandom"]);

    // The home page: per fandom, unwrangled tags per kind.
    let home = s.wrangling_fandoms().await.expect("home");
    let b = home.iter().find(|c| c.fandom.id == btvs).expect("btvs");
    assert_eq!(
        b.unwrangled,
        [(TagKind::Relationship, 1), (TagKind::Freeform, 2)]
    );
    let angel = home
        .iter()
        .find(|c| c.fandom.name == "Angel: the Series")
        .expect("angel");
    assert_eq!(angel.unwrangled, [(TagKind::Freeform, 1)]);

    // Wrangled tags leave the unwrangled queue and show under their status.
    make_canonical(s, by, "angst").await;
    s.make_synonym(by, id(s, "Spuffy").await, "Buffy Summers/Spike")
        .await
        .expect("synonym");
    let page = queue(s, &q).await;
    assert_eq!(names(&page), ["fluff"]);
    let syn = queue(
        s,
        &QueueQuery {
            status: QueueStatus::Synonym,
            ..q.clone()
        },
    )
    .await;
    assert_eq!(syn.tags.len(), 1);
    assert_eq!(
        syn.tags[0].merger.as_ref().map(|m| m.name.as_str()),
        Some("Buffy Summers/Spike")
    );
    // Unfilterable: no fandom parent ("angst" is canonical without one; the ship has one).
    let unf = queue(
        s,
        &QueueQuery {
            status: QueueStatus::Unfilterable,
            sort: QueueSort::Name,
            descending: false,
            ..q.clone()
        },
    )
    .await;
    assert_eq!(names(&unf), ["angst", "fluff", "Spuffy"]);
    s.add_tag_parent(by, id(s, "angst").await, "BtVS")
        .await
        .expect("fandom");
    let canon = queue(
        s,
        &QueueQuery {
            status: QueueStatus::Canonical,
            ..q.clone()
        },
    )
    .await;
    let angst = canon
        .tags
        .iter()
        .find(|t| t.name == "angst")
        .expect("angst");
    assert_eq!(angst.fandoms.len(), 1);
    assert_eq!(angst.fandoms[0].id, btvs);
}

async fn bulk_actions_report_refusals(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    post(
        s,
        "W",
        "a",
        &[
            (TagKind::Relationship, "Spuffy"),
            (TagKind::Relationship, "Spike x Buffy"),
            (TagKind::Freeform, "spuffy fluff"),
        ],
    )
    .await;
    let ids = [
        id(s, "Spuffy").await,
        id(s, "Spike x Buffy").await,
        id(s, "spuffy fluff").await,
        424_242,
    ];
    let report = s
        .bulk_wrangle(
            by,
            &ids,
            &BulkAction::MakeSynonymOf("Buffy Summers/Spike".into()),
        )
        .await
        .expect("bulk");
    assert_eq!(report.changed, 2);
    assert_eq!(report.refused.len(), 2);
    assert_eq!(report.refused[0].0, "spuffy fluff");
    assert!(
        report.refused[0].1.contains("same kind"),
        "{:?}",
        report.refused
    );
    assert_eq!(report.refused[1].0, "#424242");
    let ship = tag_info(s, "Buffy Summers/Spike").await;
    assert_eq!(ship.synonyms.len(), 2);

    let report = s
        .bulk_wrangle(by, &ids[..3], &BulkAction::AddFandom("BtVS".into()))
        .await
        .expect("bulk");
    assert_eq!((report.changed, report.refused.len()), (3, 0));
    let report = s
        .bulk_wrangle(by, &ids[..1], &BulkAction::AddFandom("Spike".into()))
        .await
        .expect("bulk");
    assert!(report.refused[0].1.contains("not a fandom"));
    let report = s
        .bulk_wrangle(by, &ids[..3], &BulkAction::MakeCanonical)
        .await
        .expect("bulk");
    assert_eq!(report.changed, 1, "the free tag; the synonyms are refused");
    assert_eq!(report.refused.len(), 2);
    assert!(report.refused[0].1.contains("un-synonymize"));
    let report = s
        .bulk_wrangle(by, &ids[2..3], &BulkAction::SetKind(TagKind::Character))
        .await
        .expect("bulk");
    assert!(report.refused[0].1.contains("canonical"), "{report:?}");
}

async fn media_index_and_vocabulary_round_trip(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    for (t, tags) in [
        ("W1", vec![(TagKind::Fandom, "BtVS")]),
        ("W2", vec![(TagKind::Fandom, "Buffy the Vampire Slayer")]),
        ("W3", vec![(TagKind::Fandom, "Buffy (Comics)")]),
        ("W4", vec![(TagKind::Fandom, "Angel: the Series")]),
    ] {
        post(s, t, "a", &tags).await;
    }
    let btvs = id(s, "Buffy the Vampire Slayer").await;
    let comics = id(s, "Buffy (Comics)").await;
    s.set_tag_canonical(by, comics, true)
        .await
        .expect("canonical");
    s.add_tag_parent(by, comics, "Buffy the Vampire Slayer")
        .await
        .expect("metatag");
    s.set_fandom_media(by, btvs, &["tv shows".into()])
        .await
        .expect("media");
    s.set_fandom_media(by, comics, &["Comics".into(), "Books & Literature".into()])
        .await
        .expect("media");
    refused(
        s.set_fandom_media(by, btvs, &["Podcasts".into()]).await,
        "not a medium",
    );
    refused(
        s.set_fandom_media(by, id(s, "Spike").await, &["Comics".into()])
            .await,
        "only fandoms",
    );
    let index = s.media_index(Audience::Member).await.expect("index");
    assert_eq!(index.len(), 12);
    assert_eq!(
        index.last().map(|m| m.name.as_str()),
        Some("Uncategorized Fandoms")
    );
    let of = |name: &str| -> Vec<(String, u64)> {
        index
            .iter()
            .find(|m| m.name == name)
            .expect("medium")
            .fandoms
            .iter()
            .map(|(f, n)| (f.name.clone(), *n))
            .collect()
    };
    // BtVS counts its synonym's work and its subtag's.
    assert_eq!(
        of("TV Shows"),
        [("Buffy the Vampire Slayer".to_string(), 3)]
    );
    assert_eq!(of("Comics"), [("Buffy (Comics)".to_string(), 1)]);
    assert_eq!(of("Books & Literature"), of("Comics"));
    assert_eq!(
        of("Uncategorized Fandoms"),
        [("Angel: the Series".to_string(), 1)]
    );
    assert!(of("Movies").is_empty());
    let tv = s
        .media_fandoms("TV SHOWS", Audience::Member)
        .await
        .expect("media")
        .expect("tv");
    assert_eq!(tv.fandoms.len(), 1);
    assert!(
        s.media_fandoms("Podcasts", Audience::Member)
            .await
            .expect("media")
            .is_none()
    );

    // Export carries media and metatags; importing it back changes nothing.
    let file = s.export_vocabulary().await.expect("export");
    let e = file
        .tags
        .iter()
        .find(|e| e.name == "Buffy (Comics)")
        .expect("entry");
    assert_eq!(e.media, ["Books & Literature", "Comics"]);
    assert_eq!(e.metatags, ["Buffy the Vampire Slayer"]);
    let json = serde_json::to_string(&file).expect("json");
    let back: VocabularyFile = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, file);
    let seq = head(s).await;
    let report = s.import_vocabulary(&back).await.expect("import");
    assert_eq!(
        (report.created, report.updated, report.works_reindexed),
        (0, 0, 0)
    );
    assert!(queued(s, seq).await.is_empty());
    assert_eq!(s.export_vocabulary().await.expect("export"), file);
    // An import adds media; an unknown medium refuses the whole file.
    let mut more = VocabularyFile {
        about: None,
        tags: vec![VocabEntry {
            media: vec!["Movies".into()],
            ..entry(TagKind::Fandom, "Angel: the Series")
        }],
    };
    s.import_vocabulary(&more).await.expect("import");
    let index = s.media_index(Audience::Member).await.expect("index");
    let movies = index.iter().find(|m| m.name == "Movies").expect("movies");
    assert_eq!(movies.fandoms[0].0.name, "Angel: the Series");
    more.tags[0].media = vec!["Radio".into()];
    assert!(matches!(
        s.import_vocabulary(&more).await,
        Err(StoreError::Invalid(_))
    ));
}

async fn kinds_and_canonical_flags(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    let w = post(s, "W", "a", &[(TagKind::Freeform, "Willow Rosenberg")]).await;
    let t = id(s, "Willow Rosenberg").await;
    refused(
        s.set_tag_kind(by, id(s, "Spike").await, TagKind::Freeform)
            .await,
        "canonical",
    );
    refused(s.set_tag_kind(by, t, TagKind::Rating).await, "fixed");
    let seq = head(s).await;
    s.set_tag_kind(by, t, TagKind::Character)
        .await
        .expect("kind");
    assert_eq!(queued(s, seq).await, BTreeSet::from([w]));
    let blurb = s.work(w).await.expect("work").expect("w").blurb;
    assert_eq!(blurb.characters.len(), 1);
    assert!(blurb.freeforms.is_empty());
    // Canonical flags: a tag with synonyms, children or relationships stays canonical.
    refused(
        s.set_tag_canonical(by, id(s, "Buffy the Vampire Slayer").await, false)
            .await,
        "synonym",
    );
    refused(
        s.set_tag_canonical(by, id(s, "Spike").await, false).await,
        "relationship",
    );
    s.set_tag_canonical(by, t, true).await.expect("canonical");
    s.set_tag_canonical(by, t, false)
        .await
        .expect("uncanonical");
    assert!(!tag_info(s, "Willow Rosenberg").await.canonical);
    refused(
        s.set_tag_canonical(by, id(s, "Mature").await, false).await,
        "fixed",
    );
}

async fn tag_detail_shows_the_wrangling(db: &TestDb) {
    let s = &db.store;
    let by = setup(s).await;
    for (i, extra) in ["Angst", "Angst", "Fluff"].iter().enumerate() {
        post(
            s,
            &format!("W{i}"),
            "a",
            &[
                (TagKind::Fandom, "BtVS"),
                (TagKind::Relationship, "Spuffy"),
                (TagKind::Freeform, extra),
            ],
        )
        .await;
    }
    for n in ["Angst", "Fluff"] {
        make_canonical(s, by, n).await;
    }
    let spuffy = id(s, "Spuffy").await;
    s.make_synonym(by, spuffy, "Buffy Summers/Spike")
        .await
        .expect("synonym");
    s.set_fandom_media(
        by,
        id(s, "Buffy the Vampire Slayer").await,
        &["TV Shows".into()],
    )
    .await
    .expect("media");
    let d = found(s, "Buffy Summers/Spike").await;
    assert_eq!(d.uses, 3);
    assert!(d.created_at > 0);
    let chars: Vec<&str> = d.characters.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(chars, ["Buffy Summers", "Spike"]);
    assert_eq!(d.fandoms.len(), 1);
    assert!(d.metatags.is_empty() && d.subtags.is_empty());
    assert_eq!(d.info.synonyms.len(), 1);
    let related: Vec<(&str, u64)> = d
        .related
        .iter()
        .map(|(t, n)| (t.name.as_str(), *n))
        .collect();
    assert_eq!(
        related,
        [("Buffy the Vampire Slayer", 3), ("Angst", 2), ("Fluff", 1)]
    );
    let c = found(s, "Spike").await;
    let rels: Vec<&str> = c.relationships.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(rels, ["Buffy Summers/Spike"]);
    let f = found(s, "buffy the vampire slayer").await;
    assert_eq!(f.media, ["TV Shows"]);
    assert_eq!(f.uses, 3);
    assert!(f.fandoms.is_empty());
}
