//! The bulk loader of `tome gen-corpus`, on a SQLite file and on a fresh PostgreSQL
//! database: it writes what `create_work` writes (outbox included, so the search index
//! sees the works), reuses tags and creators across batches, and a failed batch writes
//! nothing at all.
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432` (override with
//! `TOME_TEST_POSTGRES`); set `TOME_SKIP_POSTGRES=1` to skip those runs.

use sqlx::{AnyPool, AssertSqlSafe};
use tome_model::{ChapterDraft, Rating, TagKind, VocabEntry, VocabularyFile, Warning, WorkDraft};
use tome_store::{BulkWork, IndexWork, StoreError};

#[macro_use]
mod support;
use support::TestDb;

on_both!(
    bulk_works_read_like_created_works,
    failed_batch_writes_nothing,
);

fn draft(title: &str, authors: &[&str], tags: &[(TagKind, &str)]) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        authors: authors.iter().map(|a| a.to_string()).collect(),
        rating: Some(Rating::Teen),
        warnings: vec![Warning::NoWarnings],
        tags: tags.iter().map(|(k, n)| (*k, n.to_string())).collect(),
        summary_html: Some("<p>It's a summary.</p>".into()),
        chapters: vec![
            ChapterDraft {
                body_html: "<p>One.</p>".into(),
                word_count: 1_000,
                ..Default::default()
            },
            ChapterDraft {
                title: Some("Two".into()),
                body_html: "<p>Two.</p>".into(),
                word_count: 2_500,
                ..Default::default()
            },
        ],
        complete: Some(false),
        expected_chapters: Some(5),
        published_at: Some(1_600_000_000),
        ..Default::default()
    }
}

fn bulk(d: WorkDraft) -> BulkWork {
    BulkWork {
        draft: d,
        updated_at: 1_700_000_000,
        hits: 500,
        kudos: 40,
        bookmarks: 7,
        comments: 3,
    }
}

async fn counts(db: &TestDb) -> Vec<i64> {
    let side = AnyPool::connect(&db.url).await.expect("side connection");
    let mut out = Vec::new();
    for table in [
        "works",
        "chapters",
        "tags",
        "work_tags",
        "users",
        "pseuds",
        "creatorships",
        "outbox",
    ] {
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&side)
            .await
            .expect("count");
        out.push(n);
    }
    side.close().await;
    out
}

/// The parts of an indexed work that do not depend on how it was written.
fn shape(w: &IndexWork) -> String {
    format!(
        "{}|{:?}|{:?}|{:?}|{:?}|{}|{}|{}|{}|{}|{:?}",
        w.title,
        w.summary_html,
        w.chapters_html,
        w.creators,
        w.language,
        w.complete,
        w.chapter_count,
        w.word_count,
        w.published_at,
        w.listed,
        w.tags
    )
}

async fn bulk_works_read_like_created_works(db: &TestDb) {
    let store = &db.store;
    store
        .import_vocabulary(&VocabularyFile {
            about: None,
            tags: vec![VocabEntry {
                kind: TagKind::Fandom,
                name: "Known Fandom".into(),
                synonyms: vec![],
                fandoms: vec![],
                characters: vec![],
                metatags: vec![],
                media: Vec::new(),
                uses: 0,
            }],
        })
        .await
        .expect("vocabulary");
    // An existing account: bulk works by that login are credited to it.
    let existing = store
        .create_work(&draft("Before", &["Existing"], &[]))
        .await
        .expect("create");
    let mut loader = store.bulk_loader().await.expect("loader");
    let tags = [
        (TagKind::Fandom, "known fandom"),
        (TagKind::Relationship, "Ann/Bo"),
        (TagKind::Freeform, "  New   Tag "),
    ];
    let first = loader
        .load(&[
            bulk(draft("Bulk One", &["existing"], &tags)),
            bulk(draft("Bulk Two", &["Fresh Author", "fresh author"], &tags)),
        ])
        .await
        .expect("first batch");
    assert_eq!(first, vec![existing + 1, existing + 2]);
    // A second batch reuses the tags and creators the first one made.
    let second = loader
        .load(&[bulk(draft(
            "Bulk Three",
            &["Fresh Author"],
            &[(TagKind::Freeform, "new tag")],
        ))])
        .await
        .expect("second batch");
    let side = AnyPool::connect(&db.url).await.expect("side connection");
    let n_tags: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tags WHERE name_lower = 'new tag'")
        .fetch_one(&side)
        .await
        .expect("tags");
    assert_eq!(n_tags, 1);
    // The same draft through create_work reads back the same.
    let created = store
        .create_work(&draft("Bulk Two", &["Fresh Author"], &tags))
        .await
        .expect("create after bulk");
    assert_eq!(
        created,
        second[0] + 1,
        "the id sequence moved past the bulk ids"
    );
    let works = store
        .works_for_index(&[first[1], created])
        .await
        .expect("index feed");
    assert_eq!(works.len(), 2);
    assert_eq!(shape(&works[0]), shape(&works[1]));
    assert_eq!(
        (
            works[0].hits,
            works[0].kudos,
            works[0].bookmarks,
            works[0].comments
        ),
        (500, 40, 7, 3)
    );
    assert_eq!(works[0].updated_at, 1_700_000_000);
    assert_eq!(works[0].creators, vec!["Fresh Author".to_string()]);
    let one = store.works_for_index(&[first[0]]).await.expect("feed");
    assert_eq!(one[0].creators, vec!["Existing".to_string()]);
    assert!(
        one[0]
            .tags
            .iter()
            .any(|(_, k, n)| *k == TagKind::Fandom && n == "Known Fandom")
    );
    assert!(
        one[0]
            .tags
            .iter()
            .any(|(_, k, n)| *k == TagKind::Freeform && n == "New Tag")
    );
    // Every bulk work is in the outbox, so the search index picks it up.
    let outbox = store.outbox_after(0, 100).await.expect("outbox");
    for id in first.iter().chain(&second) {
        assert!(
            outbox.iter().any(|r| r.work_id == *id && r.op == "upsert"),
            "work {id} in the outbox"
        );
    }
    // New accounts made by the loader take the next ids; a later sign-up does not clash.
    let users: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE login_lower = 'fresh author'")
            .fetch_one(&side)
            .await
            .expect("users");
    assert_eq!(users, 1);
    side.close().await;
    store
        .create_work(&draft(
            "After",
            &["Someone Else"],
            &[(TagKind::Freeform, "Another")],
        ))
        .await
        .expect("create with new creator and tag after bulk");
}

async fn failed_batch_writes_nothing(db: &TestDb) {
    let store = &db.store;
    let mut loader = store.bulk_loader().await.expect("loader");
    loader
        .load(&[bulk(draft("Seed", &["seed"], &[]))])
        .await
        .expect("first batch");
    // Checked before anything is written: a work without chapters, a bad tag.
    let mut empty = draft("Empty", &["a"], &[]);
    empty.chapters.clear();
    let before = counts(db).await;
    let err = loader
        .load(&[
            bulk(draft(
                "Fine",
                &["new one"],
                &[(TagKind::Freeform, "brand new")],
            )),
            bulk(empty),
        ])
        .await;
    assert!(matches!(err, Err(StoreError::Invalid(_))), "{err:?}");
    let err = loader
        .load(&[bulk(draft("Comma", &["b"], &[(TagKind::Freeform, "a, b")]))])
        .await;
    assert!(matches!(err, Err(StoreError::Invalid(_))), "{err:?}");
    assert_eq!(counts(db).await, before);
    // A failure inside the transaction: another writer took the next work id, so the
    // works INSERT fails after the new tags, users and pseuds were written. All of it
    // is rolled back.
    store
        .create_work(&draft("Interloper", &["seed"], &[]))
        .await
        .expect("interloper");
    let before = counts(db).await;
    let err = loader
        .load(&[bulk(draft(
            "Clash",
            &["Brand New Author"],
            &[(TagKind::Freeform, "Brand New Tag")],
        ))])
        .await;
    // The clash is a unique index refusing the row: a conflict, said plainly.
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    assert_eq!(counts(db).await, before, "the failed batch wrote nothing");
    // A new loader starts after the interloper and writes the same batch in full.
    let mut loader = store.bulk_loader().await.expect("loader");
    let ids = loader
        .load(&[bulk(draft(
            "Clash",
            &["Brand New Author"],
            &[(TagKind::Freeform, "Brand New Tag")],
        ))])
        .await
        .expect("retry");
    let w = store.works_for_index(&ids).await.expect("feed");
    assert_eq!(w[0].creators, vec!["Brand New Author".to_string()]);
    assert!(w[0].tags.iter().any(|(_, _, n)| n == "Brand New Tag"));
}
