//! What the autocomplete index is fed: every tag with its wrangling and its uses on listed
//! works, the tags newer than an index, and the change stamp. Once on a SQLite file and
//! once on a fresh PostgreSQL database (see `support`).

use tome_model::{Rating, TagKind, VocabEntry, VocabularyFile, Warning};
use tome_store::{ChapterInput, NewAccount, PseudRef, Store, TagNameRow, TextField, WorkInput};
#[macro_use]
mod support;
use support::TestDb;

on_both!(names_uses_and_stamp);

async fn author(s: &Store) -> PseudRef {
    let a = s
        .create_account(&NewAccount {
            login: "writer",
            email: None,
            password_hash: None,
            roles: &[],
            invitation: None,
        })
        .await
        .expect("account");
    s.pseuds_of(a.id).await.expect("pseuds").remove(0)
}

async fn work(s: &Store, me: &PseudRef, tags: &[(TagKind, &str)], draft: bool) -> i64 {
    let w = WorkInput {
        title: "T".into(),
        pseud_ids: vec![me.id],
        rating: Some(Rating::Teen),
        warnings: vec![Warning::NoWarnings],
        tags: tags.iter().map(|(k, n)| (*k, (*n).to_owned())).collect(),
        language: "en".into(),
        text_format: "html".into(),
        ..Default::default()
    };
    let c = ChapterInput {
        body: TextField {
            html: Some("<p>x</p>".into()),
            source: None,
        },
        word_count: 1,
        ..Default::default()
    };
    s.create_posted_work(&w, &[c], draft).await.expect("work")
}

fn find<'a>(rows: &'a [TagNameRow], name: &str) -> &'a TagNameRow {
    rows.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("{name} not in {rows:?}"))
}

async fn names_uses_and_stamp(db: &TestDb) {
    let s = &db.store;
    let empty = s.tag_names_stamp().await.expect("stamp");
    let file = VocabularyFile {
        about: None,
        tags: vec![VocabEntry {
            kind: TagKind::Relationship,
            name: "Buffy Summers/Spike".into(),
            synonyms: vec!["Spuffy".into()],
            fandoms: Vec::new(),
            characters: Vec::new(),
            metatags: Vec::new(),
            media: Vec::new(),
            uses: 0,
        }],
    };
    s.import_vocabulary(&file).await.expect("import");
    let me = author(s).await;
    work(
        s,
        &me,
        &[(TagKind::Fandom, "BtVS"), (TagKind::Relationship, "Spuffy")],
        false,
    )
    .await;
    work(
        s,
        &me,
        &[(TagKind::Fandom, "BtVS"), (TagKind::Freeform, "Fluff")],
        false,
    )
    .await;
    work(
        s,
        &me,
        &[(TagKind::Fandom, "BtVS"), (TagKind::Freeform, "Secret")],
        true,
    )
    .await;

    let rows = s.tag_names().await.expect("names");
    let canonical = find(&rows, "Buffy Summers/Spike");
    assert!(canonical.canonical);
    assert_eq!(canonical.kind, TagKind::Relationship);
    assert_eq!(canonical.uses, 0, "its own uses; the synonym's are its own");
    let synonym = find(&rows, "Spuffy");
    assert_eq!(synonym.merger_id, Some(canonical.id));
    assert_eq!(synonym.uses, 1);
    assert_eq!(find(&rows, "BtVS").uses, 2, "the draft does not count");
    assert_eq!(find(&rows, "Fluff").uses, 1);
    assert_eq!(find(&rows, "Secret").uses, 0);

    let stamp = s.tag_names_stamp().await.expect("stamp");
    assert!(stamp.max_tag_id > empty.max_tag_id);
    assert_ne!(stamp.outbox, empty.outbox);
    let fluff = find(&rows, "Fluff").id;
    let newer = s.tag_names_after(fluff - 1, 10).await.expect("newer");
    let newer: Vec<(&str, u64)> = newer.iter().map(|r| (r.name.as_str(), r.uses)).collect();
    assert_eq!(newer, [("Fluff", 1), ("Secret", 0)]);
    assert!(
        s.tag_names_after(stamp.max_tag_id, 10)
            .await
            .expect("newer")
            .is_empty()
    );
    // Posting moves the stamp even when no tag is new (uses changed).
    work(s, &me, &[(TagKind::Fandom, "BtVS")], false).await;
    let later = s.tag_names_stamp().await.expect("stamp");
    assert_eq!(later.max_tag_id, stamp.max_tag_id);
    assert_ne!(later.outbox, stamp.outbox);
}
