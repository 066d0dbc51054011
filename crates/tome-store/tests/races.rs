//! Writes that race: many at once through separate connections, on a SQLite file and on
//! a fresh PostgreSQL database. On PostgreSQL (READ COMMITTED) a check made with a plain
//! `SELECT` does not hold: these tests make the checks lose the race for real, and the
//! outcome must still be one account, one tag, one count change, and clear refusals.

use std::sync::Arc;

use tome_model::{Category, ChapterDraft, Rating, TagKind, Warning, WorkDraft};
use tome_store::bookmarks::BookmarkInput;
use tome_store::comments::NewComment;
use tome_store::{ChapterInput, NewAccount, Store, StoreError, TextField, WorkInput};
#[macro_use]
mod support;
use support::TestDb;

on_both!(
    fifty_sign_ups_with_one_name_make_one_account,
    two_posts_making_one_new_tag_share_it,
    a_comment_deleted_twice_at_once_counts_off_once,
    a_comment_approved_twice_at_once_counts_once,
    a_bookmark_deleted_twice_at_once_counts_off_once,
    two_imports_naming_one_new_author_share_them,
);

async fn work(store: &Store, title: &str) -> i64 {
    store
        .create_work(&WorkDraft {
            title: title.into(),
            authors: vec!["someone".into()],
            language: "en".into(),
            chapters: vec![ChapterDraft {
                body_html: "<p>Words.</p>".into(),
                word_count: 1,
                ..Default::default()
            }],
            ..Default::default()
        })
        .await
        .expect("work")
}

async fn comments_count(store: &Store, id: i64) -> u64 {
    store
        .work(id)
        .await
        .expect("work")
        .expect("exists")
        .blurb
        .comments
}

/// Runs `n` copies of `f(i)` at once on the runtime's threads and returns their results.
async fn all_at_once<T, F, Fut>(n: usize, f: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let start = Arc::new(tokio::sync::Barrier::new(n));
    let mut tasks = Vec::new();
    for i in 0..n {
        let fut = f(i);
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            fut.await
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

async fn fifty_sign_ups_with_one_name_make_one_account(db: &TestDb) {
    let s = db.store.clone();
    let results = all_at_once(50, |i| {
        let s = s.clone();
        async move {
            s.create_account(&NewAccount {
                login: if i % 2 == 0 { "Lantern" } else { "lantern" },
                email: Some(&format!("keeper{i}@example.org")),
                password_hash: Some("x"),
                roles: &[],
                invitation: None,
            })
            .await
        }
    })
    .await;
    let made = results.iter().filter(|r| r.is_ok()).count();
    let refused: Vec<String> = results
        .iter()
        .filter_map(|r| match r {
            Err(StoreError::Conflict(m)) => Some(m.clone()),
            _ => None,
        })
        .collect();
    let other: Vec<String> = results
        .iter()
        .filter_map(|r| match r {
            Ok(_) | Err(StoreError::Conflict(_)) => None,
            Err(e) => Some(e.to_string()),
        })
        .collect();
    assert!(other.is_empty(), "no other errors: {other:?}");
    assert_eq!(made, 1, "exactly one account");
    assert_eq!(refused.len(), 49, "49 clear refusals");
    assert!(
        refused.iter().all(|m| m.starts_with("login")),
        "each says the login is taken: {refused:?}"
    );
    let accounts = db.store.list_accounts().await.expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        db.store
            .pseuds_of(accounts[0].id)
            .await
            .expect("pseuds")
            .len(),
        1
    );

    // One e-mail for two logins: the same, by e-mail.
    let results = all_at_once(10, |i| {
        let s = s.clone();
        async move {
            s.create_account(&NewAccount {
                login: &format!("reader{i}"),
                email: Some("Same@Example.org"),
                password_hash: Some("x"),
                roles: &[],
                invitation: None,
            })
            .await
        }
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| matches!(e, StoreError::Conflict(m) if m.starts_with("email"))),
        "{results:?}"
    );
}

fn html(s: &str) -> TextField {
    TextField {
        html: Some(s.into()),
        source: None,
    }
}

async fn two_posts_making_one_new_tag_share_it(db: &TestDb) {
    let s = db.store.clone();
    let a = s
        .create_account(&NewAccount {
            login: "poster",
            email: None,
            password_hash: None,
            roles: &[],
            invitation: None,
        })
        .await
        .expect("account");
    let pseud = s.pseuds_of(a.id).await.expect("pseuds").remove(0);
    let pool = sqlx::AnyPool::connect(&db.url)
        .await
        .expect("side connection");
    for round in 0..5 {
        // Two new tags, typed in opposite orders by the two posts.
        let first = format!("Brand New Tag {round}");
        let second = format!("Another New Tag {round}");
        let results = all_at_once(2, |i| {
            let s = s.clone();
            let tags = if i == 0 {
                vec![
                    (TagKind::Freeform, first.clone()),
                    (TagKind::Freeform, second.clone()),
                ]
            } else {
                vec![
                    (TagKind::Freeform, second.clone()),
                    (TagKind::Freeform, first.clone()),
                ]
            };
            let w = WorkInput {
                title: format!("Post {round}.{i}"),
                pseud_ids: vec![pseud.id],
                rating: Some(Rating::Teen),
                warnings: vec![Warning::NoWarnings],
                categories: vec![Category::Gen],
                tags,
                language: "en".into(),
                text_format: "html".into(),
                ..Default::default()
            };
            async move {
                let ch = ChapterInput {
                    body: html("<p>a b</p>"),
                    word_count: 2,
                    ..Default::default()
                };
                s.create_posted_work(&w, &[ch], false).await
            }
        })
        .await;
        let ids: Vec<i64> = results
            .into_iter()
            .map(|r| r.expect("both posts succeed"))
            .collect();
        assert_eq!(ids.len(), 2);
        for name in [&first, &second] {
            let tag = s
                .tag_by_name(name)
                .await
                .expect("lookup")
                .unwrap_or_else(|| panic!("tag {name} exists"));
            let uses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM work_tags WHERE tag_id = $1")
                .bind(tag.id)
                .fetch_one(&pool)
                .await
                .expect("count");
            assert_eq!(uses, 2, "both works carry the one {name:?} tag");
        }
    }
}

async fn a_comment_deleted_twice_at_once_counts_off_once(db: &TestDb) {
    let s = db.store.clone();
    let w = work(&s, "Commented").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            s.add_comment(&NewComment {
                work_id: w,
                guest_name: Some(format!("Guest {i}")),
                body_html: "<p>Hello</p>".into(),
                approved: true,
                ..Default::default()
            })
            .await
            .expect("comment"),
        );
    }
    assert_eq!(comments_count(&s, w).await, 3);
    for id in &ids[..2] {
        let id = *id;
        let results = all_at_once(8, |_| {
            let s = s.clone();
            async move { s.delete_comment(id).await }
        })
        .await;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
        assert!(
            results
                .iter()
                .filter_map(|r| r.as_ref().err())
                .all(|e| matches!(e, StoreError::NotFound(_))),
            "the others find nothing to delete: {results:?}"
        );
    }
    assert_eq!(
        comments_count(&s, w).await,
        1,
        "two deletions counted once each"
    );
}

async fn a_comment_approved_twice_at_once_counts_once(db: &TestDb) {
    let s = db.store.clone();
    let w = work(&s, "Held").await;
    let id = s
        .add_comment(&NewComment {
            work_id: w,
            guest_name: Some("Guest".into()),
            body_html: "<p>Held for approval</p>".into(),
            approved: false,
            ..Default::default()
        })
        .await
        .expect("comment");
    assert_eq!(comments_count(&s, w).await, 0);
    let results = all_at_once(8, |_| {
        let s = s.clone();
        async move { s.approve_comment(id).await }
    })
    .await;
    let approved = results.iter().filter(|r| matches!(r, Ok(true))).count();
    assert_eq!(approved, 1, "{results:?}");
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    assert_eq!(comments_count(&s, w).await, 1);
    // Approve and delete at once: whatever the order, the count ends at 0.
    let id2 = s
        .add_comment(&NewComment {
            work_id: w,
            guest_name: Some("Guest".into()),
            body_html: "<p>Another</p>".into(),
            approved: false,
            ..Default::default()
        })
        .await
        .expect("comment");
    let (s1, s2) = (s.clone(), s.clone());
    let (a, d) = tokio::join!(
        tokio::spawn(async move { s1.approve_comment(id2).await }),
        tokio::spawn(async move { s2.delete_comment(id2).await })
    );
    let _ = a.expect("task");
    d.expect("task").expect("deleted");
    assert_eq!(comments_count(&s, w).await, 1);
}

async fn a_bookmark_deleted_twice_at_once_counts_off_once(db: &TestDb) {
    let s = db.store.clone();
    let w = work(&s, "Bookmarked").await;
    let reader = s
        .create_account(&NewAccount {
            login: "reader",
            email: None,
            password_hash: None,
            roles: &[],
            invitation: None,
        })
        .await
        .expect("account");
    let pseud = s.pseuds_of(reader.id).await.expect("pseuds").remove(0);
    let b = s
        .save_bookmark(
            reader.id,
            w,
            &BookmarkInput {
                pseud_id: Some(pseud.id),
                ..Default::default()
            },
        )
        .await
        .expect("bookmark");
    let bookmarks = |s: Store| async move {
        s.work(w)
            .await
            .expect("work")
            .expect("exists")
            .blurb
            .bookmarks
    };
    assert_eq!(bookmarks(s.clone()).await, 1);
    let results = all_at_once(8, |_| {
        let s = s.clone();
        async move { s.delete_bookmark(b).await }
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert_eq!(bookmarks(s.clone()).await, 0);
}

async fn two_imports_naming_one_new_author_share_them(db: &TestDb) {
    let s = db.store.clone();
    let results = all_at_once(6, |i| {
        let s = s.clone();
        async move {
            s.create_work(&WorkDraft {
                title: format!("Import {i}"),
                authors: vec!["Newcomer".into()],
                language: "en".into(),
                tags: vec![(TagKind::Freeform, "Fresh Import Tag".into())],
                chapters: vec![ChapterDraft {
                    body_html: "<p>Words.</p>".into(),
                    word_count: 1,
                    ..Default::default()
                }],
                ..Default::default()
            })
            .await
        }
    })
    .await;
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let user = s
        .user_by_login("newcomer")
        .await
        .expect("lookup")
        .expect("one author made");
    assert_eq!(s.pseuds_of(user.id).await.expect("pseuds").len(), 1);
}
