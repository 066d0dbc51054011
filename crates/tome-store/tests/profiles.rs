//! Profiles, preferences, e-mail changes and the archive's people, on SQLite and on a
//! fresh PostgreSQL database.

use tome_model::visibility::Reader;
use tome_model::{ChapterDraft, WorkDraft};
use tome_store::profiles::Preferences;
use tome_store::reports::NewAbuseReport;
use tome_store::{Store, StoreError};

#[macro_use]
mod support;
use support::TestDb;

on_both!(
    a_bio_is_saved_and_saved_again,
    preferences_default_save_and_silence_mail,
    an_email_in_use_is_refused,
    people_are_listed_by_login_with_the_works_a_reader_sees,
    orphaning_moves_a_work_to_orphan_account_with_or_without_the_pseud,
    reports_reach_the_queue_and_are_resolved_once,
);

async fn work(store: &Store, title: &str, author: &str, restricted: bool) -> i64 {
    let draft = WorkDraft {
        title: title.into(),
        authors: vec![author.into()],
        language: "en".into(),
        restricted,
        chapters: vec![ChapterDraft {
            body_html: "<p>Words.</p>".into(),
            word_count: 1,
            ..Default::default()
        }],
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

async fn a_bio_is_saved_and_saved_again(db: &TestDb) {
    let s = &db.store;
    work(s, "Mine", "writer", false).await;
    let id = uid(s, "writer").await;
    assert_eq!(s.profile(id).await.expect("profile").bio, "");
    s.set_bio(id, "<p>I write.</p>").await.expect("save");
    s.set_bio(id, "<p>I write lighthouses.</p>")
        .await
        .expect("save again");
    let p = s.profile(id).await.expect("profile");
    assert_eq!(p.bio, "<p>I write lighthouses.</p>");
    assert!(p.updated_at > 0);
}

async fn preferences_default_save_and_silence_mail(db: &TestDb) {
    let s = &db.store;
    work(s, "Mine", "writer", false).await;
    work(s, "Theirs", "other", false).await;
    let id = uid(s, "writer").await;
    let other = uid(s, "other").await;
    assert_eq!(
        s.preferences(id).await.expect("prefs"),
        Preferences::default()
    );
    assert!(Preferences::default().email_notifications);
    let quiet = Preferences {
        email_notifications: false,
        show_adult_warnings: false,
        hide_work_skins: true,
        text_format: "markdown".into(),
    };
    s.save_preferences(id, &quiet).await.expect("save");
    assert_eq!(s.preferences(id).await.expect("prefs"), quiet);
    // Saved twice: one row, the second wins.
    let loud = Preferences {
        email_notifications: true,
        ..quiet.clone()
    };
    s.save_preferences(id, &loud).await.expect("save again");
    assert_eq!(s.preferences(id).await.expect("prefs"), loud);
    // Mail goes only to those who want it.
    s.save_preferences(id, &quiet).await.expect("quiet");
    let to: Vec<i64> = s
        .recipients(&[id, other])
        .await
        .expect("recipients")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(to, [other]);
}

async fn an_email_in_use_is_refused(db: &TestDb) {
    let s = &db.store;
    work(s, "A", "first", false).await;
    work(s, "B", "second", false).await;
    let a = uid(s, "first").await;
    let b = uid(s, "second").await;
    s.set_email(a, "shared@example.org").await.expect("first");
    assert!(matches!(
        s.set_email(b, "SHARED@example.org").await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.set_email(b, "  ").await,
        Err(StoreError::Invalid(_))
    ));
    s.set_email(b, "own@example.org").await.expect("second");
    // Setting one's own address again is fine.
    s.set_email(a, "shared@example.org").await.expect("again");
}

async fn people_are_listed_by_login_with_the_works_a_reader_sees(db: &TestDb) {
    let s = &db.store;
    work(s, "Open", "zed", false).await;
    work(s, "Closed", "zed", true).await;
    work(s, "Hers", "amy", false).await;
    work(s, "Also", "Bea", false).await;
    let (people, total) = s.people(&Reader::GUEST, 1, 20).await.expect("people");
    assert_eq!(total, 3);
    let logins: Vec<&str> = people.iter().map(|p| p.login.as_str()).collect();
    assert_eq!(logins, ["amy", "Bea", "zed"]);
    assert_eq!(
        people[2].works, 1,
        "a guest does not count the restricted work"
    );
    assert_eq!(people[2].pseuds, ["zed"]);
    let amy = uid(s, "amy").await;
    let (people, _) = s
        .people(&Reader::member(amy, false), 1, 20)
        .await
        .expect("people");
    assert_eq!(people[2].works, 2, "a member does");
    // Pages.
    let (page2, total) = s.people(&Reader::GUEST, 2, 2).await.expect("page 2");
    assert_eq!(total, 3);
    assert_eq!(page2.len(), 1);
    assert_eq!(page2[0].login, "zed");
}

async fn byline(store: &Store, work: i64) -> Vec<(String, String)> {
    let w = store.work(work).await.expect("work").expect("exists");
    w.blurb
        .creators
        .iter()
        .map(|p| (p.login.clone(), p.name.clone()))
        .collect()
}

async fn orphaning_moves_a_work_to_orphan_account_with_or_without_the_pseud(db: &TestDb) {
    let s = &db.store;
    let gone = work(s, "Let Go", "writer", false).await;
    let kept = work(s, "Named Still", "writer", false).await;
    let theirs = work(s, "Not Mine", "other", false).await;
    let writer = uid(s, "writer").await;
    let v0 = s.work(gone).await.expect("w").expect("w").version;

    s.orphan_work(writer, gone, false).await.expect("orphan");
    assert_eq!(
        byline(s, gone).await,
        [("orphan_account".to_string(), "orphan_account".to_string())]
    );
    assert!(s.work(gone).await.expect("w").expect("w").version > v0);
    // Keeping the pseud: a pseud of orphan_account with the writer's name.
    s.orphan_work(writer, kept, true)
        .await
        .expect("orphan, keep");
    assert_eq!(
        byline(s, kept).await,
        [("orphan_account".to_string(), "writer".to_string())]
    );
    // Not theirs, or already orphaned: nothing moves.
    assert!(matches!(
        s.orphan_work(writer, theirs, false).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.orphan_work(writer, gone, false).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(byline(s, theirs).await[0].0, "other");
    // Their pages no longer count the works.
    assert_eq!(
        s.user_work_count(writer, &Reader::GUEST).await.expect("n"),
        0
    );
}

async fn reports_reach_the_queue_and_are_resolved_once(db: &TestDb) {
    let s = &db.store;
    work(s, "Reported", "writer", false).await;
    let writer = uid(s, "writer").await;
    let a = s
        .create_abuse_report(&NewAbuseReport {
            url: "/works/1".into(),
            summary: "Spam".into(),
            comment: "It is an advert.".into(),
            user_id: Some(writer),
            email: None,
        })
        .await
        .expect("report");
    let b = s
        .create_abuse_report(&NewAbuseReport {
            url: "/works/2".into(),
            summary: "Harassment".into(),
            comment: "A guest's report.".into(),
            user_id: None,
            email: Some("guest@example.org".into()),
        })
        .await
        .expect("guest report");
    let open = s.abuse_reports(false, 50).await.expect("queue");
    let ids: Vec<i64> = open.iter().map(|r| r.id).collect();
    assert_eq!(ids, [a, b], "oldest first");
    assert_eq!(open[0].reporter_login.as_deref(), Some("writer"));
    assert_eq!(open[1].email.as_deref(), Some("guest@example.org"));
    s.resolve_abuse_report(a).await.expect("resolve");
    s.resolve_abuse_report(a)
        .await
        .expect("resolve again changes nothing");
    let open = s.abuse_reports(false, 50).await.expect("queue");
    assert_eq!(open.iter().map(|r| r.id).collect::<Vec<_>>(), [b]);
    let all = s.abuse_reports(true, 50).await.expect("all");
    assert_eq!(all.len(), 2);
    assert!(all[1].resolved_at.is_some());
    assert!(matches!(
        s.resolve_abuse_report(9999).await,
        Err(StoreError::NotFound(_))
    ));
}
