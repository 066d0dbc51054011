//! Imported files' fingerprints: a file imported twice is one work, the fingerprint is
//! written with the work or not at all, and two imports of one file racing each other
//! (PostgreSQL, READ COMMITTED) still make one work.

use tome_model::{ChapterDraft, WorkDraft};
use tome_store::ImportedWork;

#[macro_use]
mod support;
use support::TestDb;

on_both!(
    a_file_imported_twice_is_one_work,
    again_imports_anyway_and_points_at_the_new_work,
    racing_imports_of_one_file_make_one_work,
    a_deleted_work_can_be_imported_again,
    a_refused_work_records_no_fingerprint,
);

fn draft(title: &str) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        authors: vec!["importer".into()],
        chapters: vec![ChapterDraft {
            body_html: "<p>Text.</p>".into(),
            word_count: 1,
            ..Default::default()
        }],
        ..Default::default()
    }
}

const FP: &str = "sha256:00aa";

async fn a_file_imported_twice_is_one_work(db: &TestDb) {
    let s = &db.store;
    assert_eq!(s.imported_as(FP).await.unwrap(), None);
    let first = s
        .create_imported_work(&draft("A"), FP, "a.txt", false)
        .await
        .unwrap();
    let ImportedWork::Created(id) = first else {
        panic!("{first:?}")
    };
    assert_eq!(s.imported_as(FP).await.unwrap(), Some(id));
    let second = s
        .create_imported_work(&draft("A"), FP, "copy.txt", false)
        .await
        .unwrap();
    assert_eq!(second, ImportedWork::Already(id));
    assert_eq!(s.work_count().await.unwrap(), 1);
}

async fn again_imports_anyway_and_points_at_the_new_work(db: &TestDb) {
    let s = &db.store;
    let first = s
        .create_imported_work(&draft("A"), FP, "a.txt", false)
        .await
        .unwrap();
    let again = s
        .create_imported_work(&draft("A"), FP, "a.txt", true)
        .await
        .unwrap();
    let ImportedWork::Created(new) = again else {
        panic!("{again:?}")
    };
    assert_ne!(new, first.work_id());
    assert_eq!(s.imported_as(FP).await.unwrap(), Some(new));
    assert_eq!(s.work_count().await.unwrap(), 2);
}

async fn racing_imports_of_one_file_make_one_work(db: &TestDb) {
    let s = &db.store;
    // The creator exists already: creating one creator from racing transactions is
    // users.rs's own (separate) race, not what this test is about.
    let other = s
        .create_imported_work(&draft("Other"), "sha256:other", "o.txt", false)
        .await
        .unwrap();
    let runs: Vec<_> = (0..8)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.create_imported_work(&draft("Race"), FP, &format!("run{i}.txt"), false)
                    .await
            })
        })
        .collect();
    let mut created = Vec::new();
    let mut already = Vec::new();
    for r in runs {
        match r.await.unwrap().unwrap() {
            ImportedWork::Created(id) => created.push(id),
            ImportedWork::Already(id) => already.push(id),
        }
    }
    assert_eq!(created.len(), 1, "created {created:?}, already {already:?}");
    assert!(already.iter().all(|id| *id == created[0]));
    assert_ne!(created[0], other.work_id());
    assert_eq!(s.work_count().await.unwrap(), 2);
}

async fn a_deleted_work_can_be_imported_again(db: &TestDb) {
    let s = &db.store;
    let first = s
        .create_imported_work(&draft("A"), FP, "a.txt", false)
        .await
        .unwrap();
    s.delete_work(first.work_id()).await.unwrap();
    assert_eq!(s.imported_as(FP).await.unwrap(), None);
    let second = s
        .create_imported_work(&draft("A"), FP, "a.txt", false)
        .await
        .unwrap();
    // (SQLite may give the new work the deleted one's id.)
    assert!(matches!(second, ImportedWork::Created(_)), "{second:?}");
    assert_eq!(s.work_count().await.unwrap(), 1);
}

async fn a_refused_work_records_no_fingerprint(db: &TestDb) {
    let s = &db.store;
    let err = s
        .create_imported_work(&draft("  "), FP, "a.txt", false)
        .await;
    assert!(err.is_err());
    assert_eq!(s.imported_as(FP).await.unwrap(), None);
    assert_eq!(s.work_count().await.unwrap(), 0);
}
