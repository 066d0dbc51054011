//! Posting through the website (store side), run once on a SQLite file and once on a
//! fresh PostgreSQL database.
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432` (override with
//! `TOME_TEST_POSTGRES`); each test creates its own database through the `test` database
//! and drops it at the end. Set `TOME_SKIP_POSTGRES=1` to skip those runs.

use sqlx::AnyPool;
use tome_model::{Category, Rating, TagKind, Warning};
use tome_store::{
    Audience, ChapterInput, NewAccount, PseudRef, SeriesChoice, Store, StoreError, TextField,
    WorkInput, WorkListFilter,
};
#[macro_use]
mod support;
use support::TestDb;

on_both!(
    draft_then_post,
    chapters_add_edit_reorder_delete,
    update_work_replaces_metadata,
    series_and_autocomplete,
    refused_changes_write_nothing,
);

async fn author(s: &Store, login: &str) -> PseudRef {
    let a = s
        .create_account(&NewAccount {
            login,
            email: None,
            password_hash: None,
            roles: &[],
            invitation: None,
        })
        .await
        .expect("account");
    s.pseuds_of(a.id).await.expect("pseuds").remove(0)
}

fn html(s: &str) -> TextField {
    TextField {
        html: Some(s.into()),
        source: None,
    }
}

fn chapter(body: &str, words: u64) -> ChapterInput {
    ChapterInput {
        body: html(body),
        word_count: words,
        ..Default::default()
    }
}

fn input(title: &str, pseud: &PseudRef) -> WorkInput {
    WorkInput {
        title: title.into(),
        pseud_ids: vec![pseud.id],
        rating: Some(Rating::Teen),
        warnings: vec![Warning::NoWarnings],
        categories: vec![Category::Gen],
        tags: vec![
            (TagKind::Fandom, "Posting Fandom".into()),
            (TagKind::Freeform, "Fluff".into()),
        ],
        language: "en".into(),
        summary: TextField {
            html: Some("<p><em>Sum</em></p>".into()),
            source: Some("*Sum*".into()),
        },
        text_format: "markdown".into(),
        expected_chapters: None,
        ..Default::default()
    }
}

async fn outbox_len(s: &Store) -> usize {
    s.outbox_after(0, 10_000).await.expect("outbox").len()
}

async fn draft_then_post(db: &TestDb) {
    let s = &db.store;
    let me = author(s, "writer").await;
    let id = s
        .create_posted_work(
            &input("Drafted", &me),
            &[chapter("<p>one two</p>", 2)],
            true,
        )
        .await
        .expect("create");
    let all = s
        .list_works(&WorkListFilter::All, Audience::Member, 1, 20)
        .await
        .expect("list");
    assert_eq!(all.total, 0, "drafts are not listed");
    let drafts = s.drafts_of(me.user_id).await.expect("drafts");
    assert_eq!(drafts.len(), 1);
    assert!(drafts[0].draft);
    let other = author(s, "reader").await;
    assert!(s.drafts_of(other.user_id).await.expect("drafts").is_empty());

    let e = s.work_for_edit(id).await.expect("edit").expect("work");
    assert!(e.draft && e.is_creator(me.user_id) && !e.is_creator(other.user_id));
    assert_eq!(e.input.text_format, "markdown");
    assert_eq!(e.input.summary.for_editing(), "*Sum*");
    assert_eq!(e.input.rating, Some(Rating::Teen));
    assert_eq!(e.input.warnings, [Warning::NoWarnings]);
    assert_eq!(e.input.categories, [Category::Gen]);
    assert_eq!(e.input.tags.len(), 2);
    assert_eq!((e.chapter_count, e.word_count), (1, 2));

    let before = outbox_len(s).await;
    s.post_draft(id).await.expect("post");
    assert_eq!(outbox_len(s).await, before + 1);
    assert!(matches!(
        s.post_draft(id).await,
        Err(StoreError::Conflict(_))
    ));
    let all = s
        .list_works(&WorkListFilter::All, Audience::Guest, 1, 20)
        .await
        .expect("list");
    assert_eq!(all.total, 1);
    assert!(s.drafts_of(me.user_id).await.expect("drafts").is_empty());
    let w = s.work(id).await.expect("work").expect("work");
    assert!(!w.blurb.draft);
    assert_eq!(w.blurb.creators, [me]);
    assert_eq!(w.chapters.len(), 1);
}

async fn chapters_add_edit_reorder_delete(db: &TestDb) {
    let s = &db.store;
    let me = author(s, "writer").await;
    let mut w = input("Chaptered", &me);
    w.expected_chapters = Some(3);
    let id = s
        .create_posted_work(&w, &[chapter("<p>a b c</p>", 3)], false)
        .await
        .expect("create");
    let v0 = s.work_version(id).await.expect("v").expect("v");
    let c2 = s
        .add_chapter(id, &chapter("<p>d e</p>", 2))
        .await
        .expect("add");
    let c3 = s
        .add_chapter(id, &chapter("<p>f</p>", 1))
        .await
        .expect("add");
    let view = s.work(id).await.expect("work").expect("work");
    assert_eq!(view.blurb.word_count, 6);
    assert_eq!(view.blurb.chapter_count, 3);
    assert!(view.blurb.complete, "3/3 is complete");
    assert!(view.version > v0);

    s.update_chapter(
        id,
        c2,
        &ChapterInput {
            title: Some("Middle".into()),
            ..chapter("<p>d e f g</p>", 4)
        },
    )
    .await
    .expect("update");
    let view = s.work(id).await.expect("work").expect("work");
    assert_eq!(view.blurb.word_count, 8);
    assert_eq!(view.chapters[1].title.as_deref(), Some("Middle"));

    let c1 = view.chapters[0].id;
    s.reorder_chapters(id, &[c3, c1, c2])
        .await
        .expect("reorder");
    let order: Vec<i64> = s
        .work(id)
        .await
        .expect("work")
        .expect("work")
        .chapters
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(order, [c3, c1, c2]);
    assert!(matches!(
        s.reorder_chapters(id, &[c3, c1]).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.reorder_chapters(id, &[c3, c1, c1]).await,
        Err(StoreError::Invalid(_))
    ));

    s.delete_chapter(id, c1).await.expect("delete");
    let view = s.work(id).await.expect("work").expect("work");
    assert_eq!(view.chapters.len(), 2);
    assert_eq!(
        view.chapters.iter().map(|c| c.position).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(view.blurb.word_count, 5);
    assert!(!view.blurb.complete, "2/3 is in progress");
    s.delete_chapter(id, c3).await.expect("delete");
    assert!(matches!(
        s.delete_chapter(id, c2).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.delete_chapter(id, 999_999).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.update_chapter(id, c1, &chapter("<p>x</p>", 1)).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn update_work_replaces_metadata(db: &TestDb) {
    let s = &db.store;
    let me = author(s, "writer").await;
    let co = author(s, "cowriter").await;
    let id = s
        .create_posted_work(&input("Old", &me), &[chapter("<p>x</p>", 1)], false)
        .await
        .expect("create");
    let v0 = s.work_version(id).await.expect("v").expect("v");
    let mut w = input("New", &me);
    w.pseud_ids.push(co.id);
    w.rating = Some(Rating::Explicit);
    w.warnings = vec![];
    w.tags = vec![(TagKind::Character, "Someone".into())];
    w.restricted = true;
    w.published_at = Some(1_000_000);
    s.update_work(id, &w).await.expect("update");
    let b = s.work(id).await.expect("work").expect("work").blurb;
    assert_eq!(b.title, "New");
    assert_eq!(b.rating, Rating::Explicit);
    assert_eq!(b.warnings, [Warning::ChoseNotToUse]);
    assert!(b.fandoms.is_empty());
    assert_eq!(b.characters[0].name, "Someone");
    assert!(b.restricted);
    assert_eq!(b.published_at, 1_000_000);
    assert_eq!(b.creators, [me, co]);
    assert!(s.work_version(id).await.expect("v").expect("v") > v0);
    let listed = s
        .list_works(&WorkListFilter::All, Audience::Guest, 1, 20)
        .await
        .expect("list");
    assert_eq!(listed.total, 0, "restricted: not for guests");
}

async fn series_and_autocomplete(db: &TestDb) {
    let s = &db.store;
    let me = author(s, "writer").await;
    let mut w = input("First", &me);
    w.series = Some(SeriesChoice::New("My Series".into()));
    let a = s
        .create_posted_work(&w, &[chapter("<p>x</p>", 1)], false)
        .await
        .expect("create");
    let series = s.series_of_user(me.user_id).await.expect("series");
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].title, "My Series");
    let mut w = input("Second", &me);
    w.series = Some(SeriesChoice::Existing(series[0].id));
    w.series_position = Some(1);
    let b = s
        .create_posted_work(&w, &[chapter("<p>x</p>", 1)], false)
        .await
        .expect("create");
    assert_eq!(
        s.series_works(series[0].id).await.expect("works"),
        [(b, 1), (a, 2)]
    );
    let e = s.work_for_edit(b).await.expect("edit").expect("work");
    assert_eq!(e.series[0].position, 1);
    let places = s.series_places(a).await.expect("places");
    assert_eq!(places.len(), 1);
    assert_eq!(
        (places[0].title.as_str(), places[0].position),
        ("My Series", 2)
    );

    // Editing: the work ends up in the series chosen, or none; the others close up, and
    // their versions move so cached pages show their new place.
    let va = s.work_version(a).await.expect("v").expect("v");
    let mut w = input("Second", &me);
    w.series = None;
    s.update_work(b, &w).await.expect("update");
    assert_eq!(s.series_works(series[0].id).await.expect("works"), [(a, 1)]);
    assert!(s.series_places(b).await.expect("places").is_empty());
    assert!(s.work_version(a).await.expect("v").expect("v") > va);
    let mut w = input("Second", &me);
    w.series = Some(SeriesChoice::New("Other Series".into()));
    s.update_work(b, &w).await.expect("update");
    let mut w = input("Second", &me);
    w.series = Some(SeriesChoice::Existing(series[0].id));
    w.series_position = Some(1);
    s.update_work(b, &w).await.expect("update");
    let places = s.series_places(b).await.expect("places");
    assert_eq!(places.len(), 1, "left the other series: {places:?}");
    assert_eq!((places[0].id, places[0].position), (series[0].id, 1));
    assert_eq!(
        s.series_works(series[0].id).await.expect("works"),
        [(b, 1), (a, 2)]
    );
}

async fn refused_changes_write_nothing(db: &TestDb) {
    let s = &db.store;
    let me = author(s, "writer").await;
    let before = outbox_len(s).await;
    let mut w = input("Bad", &me);
    w.tags.push((TagKind::Freeform, "a, b".into()));
    assert!(matches!(
        s.create_posted_work(&w, &[chapter("<p>x</p>", 1)], false)
            .await,
        Err(StoreError::Invalid(_))
    ));
    let mut w = input("Bad", &me);
    w.pseud_ids = vec![987_654];
    assert!(matches!(
        s.create_posted_work(&w, &[chapter("<p>x</p>", 1)], false)
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.create_posted_work(&input(" ", &me), &[chapter("<p>x</p>", 1)], false)
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.create_posted_work(&input("T", &me), &[chapter(" ", 0)], false)
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(outbox_len(s).await, before);
    assert_eq!(s.work_count().await.expect("count"), 0);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM works")
        .fetch_one(&AnyPool::connect(&db.url).await.expect("pool"))
        .await
        .expect("count");
    assert_eq!(n, 0);
    assert!(matches!(
        s.post_draft(424_242).await,
        Err(StoreError::NotFound(_))
    ));
}
