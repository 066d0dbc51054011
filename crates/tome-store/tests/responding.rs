//! Responding in the store (comments, bookmarks, subscriptions, notifications, history,
//! mutes), run once on a SQLite file and once on a fresh PostgreSQL database (see
//! tests/support for the PostgreSQL set-up).

use tome_model::{ChapterDraft, WorkDraft};
use tome_store::bookmarks::BookmarkInput;
use tome_store::comments::NewComment;
use tome_store::mutes::MuteKind;
use tome_store::notifications::NewNotification;
use tome_store::subscriptions::SubscriptionKind;
use tome_store::{Store, StoreError};

#[macro_use]
mod support;
use support::TestDb;
use tome_model::visibility::Reader;

on_both!(
    comments_threads_counts_and_freezing,
    bookmarks_count_public_ones,
    a_works_bookmarks_as_each_reader_may_see_them,
    subscriptions_and_inbox,
    history_and_later,
    mutes_and_blocks,
);

async fn work(store: &Store, title: &str, author: &str) -> i64 {
    tagged_work(store, title, author, "Fluff").await
}

async fn tagged_work(store: &Store, title: &str, author: &str, tag: &str) -> i64 {
    let draft = WorkDraft {
        title: title.into(),
        authors: vec![author.into()],
        language: "en".into(),
        chapters: vec![ChapterDraft {
            body_html: "<p>Words.</p>".into(),
            word_count: 1,
            ..Default::default()
        }],
        tags: vec![(tome_model::TagKind::Freeform, tag.into())],
        ..Default::default()
    };
    store.create_work(&draft).await.expect("work")
}

async fn uid(store: &Store, login: &str) -> i64 {
    store
        .user_by_login(login)
        .await
        .expect("user")
        .expect("exists")
        .id
}

async fn counts(store: &Store, id: i64) -> (u64, u64, i64) {
    let w = store.work(id).await.expect("work").expect("exists");
    (w.blurb.comments, w.blurb.bookmarks, w.version)
}

fn comment(work_id: i64, user: Option<i64>, parent: Option<i64>, body: &str) -> NewComment {
    NewComment {
        work_id,
        parent_id: parent,
        user_id: user,
        guest_name: user.is_none().then(|| "Guest".to_string()),
        body_html: body.into(),
        approved: user.is_some(),
        ..Default::default()
    }
}

async fn comments_threads_counts_and_freezing(db: &TestDb) {
    let s = &db.store;
    let w = work(s, "Talked About", "author").await;
    work(s, "Other", "reader").await;
    let reader = uid(s, "reader").await;
    let (_, _, v0) = counts(s, w).await;
    let root = s
        .add_comment(&comment(w, Some(reader), None, "<p>Hi</p>"))
        .await
        .expect("root");
    let reply = s
        .add_comment(&comment(w, Some(reader), Some(root), "<p>Re</p>"))
        .await
        .expect("reply");
    let (c, _, v1) = counts(s, w).await;
    assert_eq!(c, 2);
    assert!(v1 > v0, "comments bump the version");
    // A guest's comment is held: not counted until approved.
    let held = s
        .add_comment(&comment(w, None, None, "<p>Guest</p>"))
        .await
        .expect("guest");
    assert_eq!(counts(s, w).await.0, 2);
    assert!(!s.comment(held).await.expect("get").expect("held").approved);
    assert!(s.approve_comment(held).await.expect("approve"));
    assert!(!s.approve_comment(held).await.expect("again"));
    assert_eq!(counts(s, w).await.0, 3);
    // Blank and unknown parents are refused, writing nothing.
    assert!(matches!(
        s.add_comment(&comment(w, Some(reader), None, "  ")).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.add_comment(&comment(w, Some(reader), Some(9999), "x"))
            .await,
        Err(StoreError::NotFound(_))
    ));
    // Freezing the root freezes its replies.
    s.set_comment_frozen(root, true).await.expect("freeze");
    assert!(s.comment(reply).await.expect("get").expect("reply").frozen);
    assert!(matches!(
        s.add_comment(&comment(w, Some(reader), Some(reply), "x"))
            .await,
        Err(StoreError::Invalid(_))
    ));
    s.set_comment_frozen(root, false).await.expect("unfreeze");
    s.add_comment(&comment(w, Some(reader), Some(reply), "<p>Again</p>"))
        .await
        .expect("reply after unfreeze");
    assert_eq!(counts(s, w).await.0, 4);
    // Edit marks it edited.
    s.edit_comment(root, "<p>Hi again</p>").await.expect("edit");
    let r = s.comment(root).await.expect("get").expect("root");
    assert!(r.edited_at.is_some());
    assert_eq!(r.login.as_deref(), Some("reader"));
    // Deleting a comment with replies leaves a placeholder; a leaf goes.
    s.delete_comment(root).await.expect("delete root");
    assert!(
        s.comment(root)
            .await
            .expect("get")
            .expect("placeholder")
            .deleted
    );
    s.delete_comment(held).await.expect("delete leaf");
    assert!(s.comment(held).await.expect("get").is_none());
    assert_eq!(counts(s, w).await.0, 2);
    assert_eq!(s.work_comments(w).await.expect("list").len(), 3);
    assert!(matches!(
        s.delete_comment(root).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn bookmarks_count_public_ones(db: &TestDb) {
    let s = &db.store;
    let w = work(s, "Kept", "author").await;
    work(s, "Other", "reader").await;
    let reader = uid(s, "reader").await;
    let input = BookmarkInput {
        notes_html: Some("<p>Great</p>".into()),
        tags: vec!["comfort read, Comfort Read".into(), "reread".into()],
        private: true,
        ..Default::default()
    };
    let id = s.save_bookmark(reader, w, &input).await.expect("bookmark");
    assert_eq!(counts(s, w).await.1, 0, "private bookmarks are not counted");
    let b = s.bookmark(id).await.expect("get").expect("exists");
    assert_eq!(b.tags, vec!["comfort read", "reread"]);
    assert!(b.private);
    assert!(
        s.user_bookmarks(reader, &Reader::GUEST, 1, 20)
            .await
            .expect("public")
            .0
            .is_empty()
    );
    assert_eq!(
        s.user_bookmarks(reader, &Reader::member(reader, false), 1, 20)
            .await
            .expect("all")
            .0
            .len(),
        1
    );
    let public = BookmarkInput {
        private: false,
        ..input
    };
    assert_eq!(
        s.save_bookmark(reader, w, &public).await.expect("update"),
        id
    );
    assert_eq!(counts(s, w).await.1, 1);
    let (listed, _) = s
        .user_bookmarks(reader, &Reader::GUEST, 1, 20)
        .await
        .expect("public");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].work.title, "Kept");
    assert_eq!(listed[0].work.bookmarks, 1);
    s.delete_bookmark(id).await.expect("delete");
    assert_eq!(counts(s, w).await.1, 0);
    assert!(matches!(
        s.save_bookmark(reader, 9999, &public).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.save_bookmark(
            reader,
            w,
            &BookmarkInput {
                tags: vec!["x".repeat(151)],
                ..Default::default()
            }
        )
        .await,
        Err(StoreError::Invalid(_))
    ));
}

async fn subscriptions_and_inbox(db: &TestDb) {
    let s = &db.store;
    let w = work(s, "Followed", "author").await;
    work(s, "Other", "reader").await;
    let reader = uid(s, "reader").await;
    let author = uid(s, "author").await;
    assert!(
        s.subscribe(reader, SubscriptionKind::Work, w)
            .await
            .expect("sub")
    );
    assert!(
        !s.subscribe(reader, SubscriptionKind::Work, w)
            .await
            .expect("again")
    );
    assert!(
        s.subscribe(reader, SubscriptionKind::User, author)
            .await
            .expect("sub user")
    );
    assert!(matches!(
        s.subscribe(reader, SubscriptionKind::Series, 9999).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.subscribers(SubscriptionKind::Work, w)
            .await
            .expect("subs"),
        vec![reader]
    );
    let subs = s.subscriptions_of(reader).await.expect("list");
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0].name, "Followed");
    assert_eq!(subs[1].name, "author");
    assert!(
        s.is_subscribed(reader, SubscriptionKind::Work, w)
            .await
            .expect("is")
    );
    assert!(
        s.unsubscribe(reader, SubscriptionKind::Work, w)
            .await
            .expect("unsub")
    );
    assert!(
        !s.is_subscribed(reader, SubscriptionKind::Work, w)
            .await
            .expect("is not")
    );

    let n = NewNotification {
        kind: "new_chapter".into(),
        work_id: Some(w),
        text: "New chapter".into(),
        link: format!("/works/{w}"),
        ..Default::default()
    };
    s.notify(&[reader], &n).await.expect("notify");
    assert_eq!(s.unread_notifications(reader).await.expect("unread"), 1);
    assert!(
        s.notify_kudos_digest(author, w, "1 kudos", "/works/1")
            .await
            .expect("digest")
    );
    assert!(
        !s.notify_kudos_digest(author, w, "2 kudos", "/works/1")
            .await
            .expect("digest again")
    );
    let inbox = s.notifications(author, 50).await.expect("inbox");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].text, "2 kudos");
    s.mark_notifications_read(reader).await.expect("read");
    assert_eq!(s.unread_notifications(reader).await.expect("unread"), 0);
    assert!(s.notifications(reader, 50).await.expect("inbox")[0].read);
    let r = s.recipients(&[reader, author]).await.expect("recipients");
    assert_eq!(r.len(), 2);

    s.add_kudos(w, Some(reader), None).await.expect("kudos");
    s.add_kudos(w, None, Some("guestkey"))
        .await
        .expect("guest kudos");
    let g = s.kudos_givers(w).await.expect("givers");
    assert_eq!(g.users, vec!["reader"]);
    assert_eq!(g.guests, 1);
    // Guests' kudos counted by key prefix (one address's), hex prefixes only.
    for k in ["abcd0001", "abcd0002", "ef000001"] {
        s.add_kudos(w, None, Some(k)).await.expect("guest kudos");
    }
    assert_eq!(s.guest_kudos_with_prefix(w, "abcd").await.expect("n"), 2);
    assert_eq!(s.guest_kudos_with_prefix(w, "ef").await.expect("n"), 1);
    assert_eq!(s.guest_kudos_with_prefix(w, "%").await.expect("n"), 0);
    assert_eq!(s.guest_kudos_with_prefix(w, "").await.expect("n"), 0);
}

async fn history_and_later(db: &TestDb) {
    let s = &db.store;
    let a = work(s, "First", "author").await;
    let b = work(s, "Second", "reader").await;
    let reader = uid(s, "reader").await;
    s.record_reading(reader, a).await.expect("read");
    s.record_reading(reader, a).await.expect("read again");
    // A batch (as the web layer flushes them): views add up, the latest time wins, and
    // a view of a work deleted meanwhile is dropped rather than failing the batch.
    s.record_readings(&[(reader, a, 3, 1), (reader, 9999, 1, 1)])
        .await
        .expect("batch");
    s.mark_for_later(reader, b, true).await.expect("later");
    let me = Reader::member(reader, false);
    let (all, _) = s
        .readings(reader, &me, false, 1, 20)
        .await
        .expect("history");
    assert_eq!(all.len(), 2);
    let first = all.iter().find(|r| r.work.id == a).expect("a");
    assert_eq!(first.views, 5);
    assert!(first.last_read_at > 1, "the later time is kept");
    let (later, _) = s.readings(reader, &me, true, 1, 20).await.expect("later");
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].work.title, "Second");
    assert!(s.is_marked_for_later(reader, b).await.expect("later?"));
    assert!(!s.is_marked_for_later(reader, a).await.expect("later?"));
    s.mark_for_later(reader, b, false).await.expect("unmark");
    assert!(!s.is_marked_for_later(reader, b).await.expect("later?"));
    assert!(
        s.readings(reader, &me, true, 1, 20)
            .await
            .expect("later")
            .0
            .is_empty()
    );
    assert!(matches!(
        s.mark_for_later(reader, 9999, true).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn mutes_and_blocks(db: &TestDb) {
    let s = &db.store;
    work(s, "One", "author").await;
    work(s, "Two", "reader").await;
    let reader = uid(s, "reader").await;
    let author = uid(s, "author").await;
    assert!(
        s.add_user_mute(author, "READER", MuteKind::Block)
            .await
            .expect("block")
    );
    assert!(
        !s.add_user_mute(author, "reader", MuteKind::Block)
            .await
            .expect("again")
    );
    assert!(matches!(
        s.add_user_mute(author, "author", MuteKind::Mute).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.add_user_mute(author, "nobody", MuteKind::Mute).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        s.is_blocked_by_any(&[author], reader)
            .await
            .expect("blocked")
    );
    assert!(
        !s.is_blocked_by_any(&[reader], author)
            .await
            .expect("not blocked")
    );
    assert_eq!(
        s.user_mutes(author, MuteKind::Block).await.expect("list")[0].login,
        "reader"
    );
    assert!(
        s.user_mutes(author, MuteKind::Mute)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(
        s.remove_user_mute(author, reader, MuteKind::Block)
            .await
            .expect("unblock")
    );
    assert!(
        !s.is_blocked_by_any(&[author], reader)
            .await
            .expect("unblocked")
    );
    assert!(s.mute_tag(reader, "fluff").await.expect("mute tag"));
    let tags = s.muted_tags(reader).await.expect("tags");
    assert_eq!(tags[0].0.name, "Fluff");
    assert!(tags[0].1.is_empty(), "no synonyms yet: {tags:?}");
    // A synonym of a muted tag is muted with it (read in one query for every muted tag).
    let fluff = tags[0].0.id;
    tagged_work(s, "Three", "author", "Fluffy Stuff").await;
    let fluffy = s
        .tag_by_name("Fluffy Stuff")
        .await
        .expect("tag")
        .expect("exists")
        .id;
    s.set_tag_canonical(author, fluff, true)
        .await
        .expect("canonical");
    s.make_synonym(author, fluffy, "Fluff")
        .await
        .expect("synonym");
    let tags = s.muted_tags(reader).await.expect("tags");
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].1, vec![fluffy]);
    assert!(matches!(
        s.mute_tag(reader, "no such tag").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(s.unmute_tag(reader, tags[0].0.id).await.expect("unmute"));
}

async fn a_works_bookmarks_as_each_reader_may_see_them(db: &TestDb) {
    let s = &db.store;
    let w = work(s, "Much Kept", "author").await;
    let mut ids = Vec::new();
    for login in ["ann", "ben", "cat"] {
        // Authors of a work of their own are users.
        work(s, &format!("By {login}"), login).await;
        ids.push(uid(s, login).await);
    }
    let public = |note: &str| BookmarkInput {
        notes_html: Some(format!("<p>{note}</p>")),
        tags: vec!["reread".into()],
        ..Default::default()
    };
    s.save_bookmark(ids[0], w, &public("Ann's note"))
        .await
        .expect("ann");
    s.save_bookmark(ids[1], w, &public("Ben's note"))
        .await
        .expect("ben");
    s.save_bookmark(
        ids[2],
        w,
        &BookmarkInput {
            private: true,
            ..public("Cat's secret")
        },
    )
    .await
    .expect("cat");
    let other = work(s, "Elsewhere", "author").await;
    s.save_bookmark(ids[0], other, &public("not this work"))
        .await
        .expect("other");

    // A guest: the two public ones, newest first; the total agrees.
    let (list, total) = s
        .work_bookmarks(w, &Reader::GUEST, 1, 20)
        .await
        .expect("guest");
    assert_eq!(total, 2);
    let logins: Vec<&str> = list.iter().map(|b| b.login.as_str()).collect();
    assert_eq!(logins, ["ben", "ann"]);
    assert!(list.iter().all(|b| b.work_id == w && !b.private));
    // Cat sees her private one too; Ann does not.
    let (list, total) = s
        .work_bookmarks(w, &Reader::member(ids[2], false), 1, 20)
        .await
        .expect("cat");
    assert_eq!(total, 3);
    assert!(list.iter().any(|b| b.login == "cat" && b.private));
    let (_, total) = s
        .work_bookmarks(w, &Reader::member(ids[0], false), 1, 20)
        .await
        .expect("ann");
    assert_eq!(total, 2);
    // Pages: one a page, the second is Ann's; past the end, none.
    let (list, total) = s
        .work_bookmarks(w, &Reader::GUEST, 2, 1)
        .await
        .expect("page 2");
    assert_eq!((list.len(), total), (1, 2));
    assert_eq!(list[0].login, "ann");
    assert!(
        s.work_bookmarks(w, &Reader::GUEST, 3, 1)
            .await
            .expect("page 3")
            .0
            .is_empty()
    );
}
