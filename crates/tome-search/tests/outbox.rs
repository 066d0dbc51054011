//! The indexer against the outbox's hard cases: a transaction that took a lower `seq`
//! but commits later (PostgreSQL, driven for real with two connections), pruning past an
//! index's position (the index refills itself), and several indexes of one database.

#[path = "../../tome-web/tests/support/database.rs"]
mod database;

use sqlx::{AnyConnection, Connection, Executor, Row};
use tome_model::filter::WorkFilter;
use tome_model::{ChapterDraft, WorkDraft};
use tome_search::{Search, SearchRequest};
use tome_store::Store;

fn draft(title: &str) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        language: "en".into(),
        chapters: vec![ChapterDraft {
            body_html: "<p>Some words.</p>".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The ids of works matching the text query `q`.
async fn find(search: &Search, q: &str) -> Vec<i64> {
    search
        .search(SearchRequest {
            filter: WorkFilter {
                query: q.into(),
                ..Default::default()
            },
            member: true,
            per_page: 50,
            facets: false,
            now: 0,
        })
        .await
        .expect("search")
        .ids
}

/// Sets a work's title and queues it for the index, on `conn`, returning the outbox seq.
async fn retitle(conn: &mut AnyConnection, id: i64, title: &str) -> i64 {
    sqlx::query("UPDATE works SET title = $1 WHERE id = $2")
        .bind(title)
        .bind(id)
        .execute(&mut *conn)
        .await
        .expect("update");
    sqlx::query(
        "INSERT INTO outbox (work_id, op, created_at) VALUES ($1, 'upsert', 0) RETURNING seq",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .expect("outbox")
    .try_get("seq")
    .expect("seq")
}

#[tokio::test]
async fn a_transaction_committing_after_a_later_seq_is_still_indexed_on_postgres() {
    if std::env::var("TOME_SKIP_POSTGRES").is_ok_and(|v| v == "1") {
        return;
    }
    let db = database::TestDatabase::postgres();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = db.open(dir.path()).await;
    let early = store
        .create_work(&draft("First draft"))
        .await
        .expect("work");
    let other = store
        .create_work(&draft("Second draft"))
        .await
        .expect("work");
    let search = Search::open(&dir.path().join("index"), store.clone())
        .await
        .expect("index");
    search.catch_up().await.expect("catch up");
    assert_eq!(find(&search, "lighthouse").await, Vec::<i64>::new());

    let url = db.url().expect("postgres url").to_string();
    // A begins, writes its outbox row (the lower seq) and holds its transaction open.
    let mut a = AnyConnection::connect(&url).await.expect("connect a");
    a.execute("BEGIN").await.expect("begin a");
    let seq_a = retitle(&mut a, early, "Lighthouse").await;
    // B writes a later row and commits first.
    let mut b = AnyConnection::connect(&url).await.expect("connect b");
    b.execute("BEGIN").await.expect("begin b");
    let seq_b = retitle(&mut b, other, "Harbour").await;
    b.execute("COMMIT").await.expect("commit b");
    assert!(seq_a < seq_b, "A holds the lower seq ({seq_a} < {seq_b})");

    // The indexer runs while A is open: it may not move past A's row.
    search.catch_up().await.expect("catch up while A is open");
    let pos = search.position().expect("position");
    assert!(
        find(&search, "lighthouse").await.is_empty(),
        "A is not committed"
    );

    // The caches' stamp (autocomplete, counts) read now, with A still open...
    let stamp_before = store.tag_names_stamp().await.expect("stamp");
    a.execute("COMMIT").await.expect("commit a");
    // ...must move when A commits, although A's seq is below the highest one.
    let stamp_after = store.tag_names_stamp().await.expect("stamp");
    assert_ne!(
        stamp_before, stamp_after,
        "a late commit with a lower seq must move the cache stamp"
    );
    search.catch_up().await.expect("catch up after A");
    assert_eq!(
        find(&search, "lighthouse").await,
        vec![early],
        "A's change reached the index"
    );
    assert_eq!(
        find(&search, "harbour").await,
        vec![other],
        "B's change reached the index"
    );
    assert!(search.position().expect("position") > pos);
    a.close().await.expect("close a");
    b.close().await.expect("close b");
    store.close().await;
}

/// On the backend the environment asks for (SQLite by default).
async fn store_from_env(dir: &std::path::Path) -> (database::TestDatabase, Store) {
    let db = database::TestDatabase::from_env();
    let store = db.open(dir).await;
    (db, store)
}

#[tokio::test]
async fn an_index_behind_the_pruned_outbox_refills_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_db, store) = store_from_env(dir.path()).await;
    let kept = store.create_work(&draft("Ember")).await.expect("work");
    // A second index, as a second node would keep, indexes the first work now.
    let other_dir = tempfile::tempdir().expect("tempdir");
    let lagging = Search::open(&other_dir.path().join("index"), store.clone())
        .await
        .expect("index");
    lagging.catch_up().await.expect("catch up");
    assert_eq!(find(&lagging, "ember").await, vec![kept]);

    let later = store.create_work(&draft("Kettle")).await.expect("work");
    let search = Search::open(&dir.path().join("index"), store.clone())
        .await
        .expect("index");
    search.catch_up().await.expect("catch up");
    assert_eq!(find(&search, "kettle").await, vec![later]);
    // Every row is older than "the future": all are pruned, the horizon moves past both.
    let gone = store.prune_outbox(i64::MAX).await.expect("prune");
    assert_eq!(gone, 2);
    assert!(
        store
            .outbox_page(Default::default(), 10)
            .await
            .expect("page")
            .is_empty()
    );
    // The up-to-date index has nothing to do; the lagging one has missed "Kettle" from the
    // outbox and must refill from the works.
    assert_eq!(search.catch_up().await.expect("catch up"), 0);
    assert!(lagging.catch_up().await.expect("refill") >= 2);
    assert_eq!(find(&lagging, "kettle").await, vec![later]);
    assert_eq!(find(&lagging, "ember").await, vec![kept]);
    // And it carries on from the outbox afterwards.
    let third = store.create_work(&draft("Falcon")).await.expect("work");
    lagging.catch_up().await.expect("catch up");
    assert_eq!(find(&lagging, "falcon").await, vec![third]);
    // Two indexes of one database keep their own positions.
    search.catch_up().await.expect("catch up");
    assert_eq!(find(&search, "falcon").await, vec![third]);
    store.close().await;
}

#[tokio::test]
async fn a_fresh_index_over_a_pruned_outbox_holds_every_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_db, store) = store_from_env(dir.path()).await;
    let id = store.create_work(&draft("Copper")).await.expect("work");
    store.prune_outbox(i64::MAX).await.expect("prune");
    let search = Search::open(&dir.path().join("index"), store.clone())
        .await
        .expect("index");
    search.catch_up().await.expect("catch up");
    assert_eq!(find(&search, "copper").await, vec![id]);
    store.close().await;
}
