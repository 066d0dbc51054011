//! The blurbs cache against the database it stands in for: a kept blurb is served only at
//! its work's current version (so kudos or hiding shows on the next read, before any
//! indexer runs), a change outside the works row (a tag renamed) shows once the indexer
//! has applied it, and what is served is what the store reads afresh.

#[path = "../../tome-web/tests/support/database.rs"]
mod database;

use tome_model::{ChapterDraft, Role, TagKind, WorkDraft};
use tome_search::{CacheBudget, Search};
use tome_store::{NewAccount, Store};

fn draft(title: &str, tag: &str) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        language: "en".into(),
        tags: vec![
            (TagKind::Fandom, "Harbour Lights".into()),
            (TagKind::Freeform, tag.into()),
        ],
        summary_html: Some(format!("<p>About {title}.</p>")),
        chapters: vec![ChapterDraft {
            body_html: "<p>Some words.</p>".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// Kept blurbs and fresh ones, compared by their debug text (every field).
async fn same_as_store(search: &Search, store: &Store, ids: &[i64]) {
    let kept = search.blurbs(ids).await.expect("kept blurbs");
    let fresh = store.blurbs_by_ids(ids).await.expect("fresh blurbs");
    assert_eq!(format!("{kept:?}"), format!("{fresh:?}"));
}

#[tokio::test]
async fn kept_blurbs_follow_every_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database::TestDatabase::from_env();
    let store = db.open(dir.path()).await;
    let a = store
        .create_work(&draft("Ember", "slow burn"))
        .await
        .expect("work");
    let b = store
        .create_work(&draft("Kettle", "slow burn"))
        .await
        .expect("work");
    let c = store
        .create_work(&draft("Falcon", "fluff"))
        .await
        .expect("work");
    let search = Search::open_with(
        &dir.path().join("index"),
        store.clone(),
        CacheBudget::default(),
    )
    .await
    .expect("index");
    search.catch_up().await.expect("catch up");
    let ids = [c, a, b];

    // First read: from the store, in the order asked; missing ids are skipped.
    let first = search.blurbs(&[c, 999_999, a, b]).await.expect("blurbs");
    assert_eq!(first.iter().map(|b| b.id).collect::<Vec<_>>(), ids);
    let s = search.blurb_cache_stats();
    assert_eq!((s.hits, s.misses, s.entries), (0, 3, 3), "{s:?}");
    // Second read: from memory, the same blurbs.
    same_as_store(&search, &store, &ids).await;
    let s = search.blurb_cache_stats();
    assert_eq!((s.hits, s.misses), (3, 3), "{s:?}");

    // Kudos bump the work's version: the next read has them, with no indexer run.
    assert!(
        store
            .add_kudos(a, None, Some("guest-1"))
            .await
            .expect("kudos")
    );
    let read = search.blurbs(&ids).await.expect("blurbs");
    assert_eq!(read[1].kudos, 1);
    let s = search.blurb_cache_stats();
    assert_eq!((s.hits, s.misses), (5, 4), "{s:?}");
    same_as_store(&search, &store, &ids).await;

    // Hidden by a moderator: the kept blurb is not served; the fresh one says hidden.
    store.set_work_hidden(b, true).await.expect("hide");
    let read = search.blurbs(&ids).await.expect("blurbs");
    assert!(read[2].hidden);
    same_as_store(&search, &store, &ids).await;

    // A tag renamed changes no works row: the kept blurbs keep the old name until the
    // indexer applies the rename's outbox rows, then every one of them has the new name.
    let wrangler = store
        .create_account(&NewAccount {
            login: "wrangler",
            email: None,
            password_hash: None,
            roles: &[Role::TagWrangler],
            invitation: None,
        })
        .await
        .expect("account");
    let tag = store
        .tag_by_name("slow burn")
        .await
        .expect("tag")
        .expect("the tag exists");
    store
        .rename_tag(wrangler.id, tag.id, "Slow Burn (Romance)")
        .await
        .expect("rename");
    let stale = search.blurbs(&[a]).await.expect("blurbs");
    assert_eq!(
        stale[0].freeforms[0].name, "slow burn",
        "kept until indexed"
    );
    search.catch_up().await.expect("catch up");
    let read = search.blurbs(&ids).await.expect("blurbs");
    assert_eq!(read[1].freeforms[0].name, "Slow Burn (Romance)");
    assert_eq!(read[2].freeforms[0].name, "Slow Burn (Romance)");
    same_as_store(&search, &store, &ids).await;

    // Shown again: the version moves once more.
    store.set_work_hidden(b, false).await.expect("unhide");
    same_as_store(&search, &store, &ids).await;
    store.close().await;
}

#[tokio::test]
async fn no_budget_means_no_keeping() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database::TestDatabase::from_env();
    let store = db.open(dir.path()).await;
    let a = store
        .create_work(&draft("Ember", "fluff"))
        .await
        .expect("work");
    let search = Search::open_with(
        &dir.path().join("index"),
        store.clone(),
        CacheBudget {
            blurbs_bytes: 0,
            ..CacheBudget::default()
        },
    )
    .await
    .expect("index");
    for _ in 0..3 {
        assert_eq!(search.blurbs(&[a]).await.expect("blurbs").len(), 1);
    }
    let s = search.blurb_cache_stats();
    assert_eq!((s.hits, s.entries), (0, 0), "{s:?}");
    store.close().await;
}
