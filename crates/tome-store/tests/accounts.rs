//! Accounts in the store (sessions, login attempts, settings, invitations, deletion), run once on a SQLite file and once on a fresh PostgreSQL database.
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432` (override with
//! `TOME_TEST_POSTGRES`); each test creates its own database through the `test` database
//! and drops it at the end. Set `TOME_SKIP_POSTGRES=1` to skip those runs.

use tome_model::{ChapterDraft, Role, WorkDraft};
use tome_store::{NewAccount, StoreError, WorksOnDelete};

#[macro_use]
mod support;
use support::TestDb;

on_both!(
    accounts_and_pseuds,
    sessions_live_expire_and_end,
    login_failures_count_by_account_and_address,
    settings_and_secret,
    invitations_are_used_once,
    deleting_an_account_orphans_or_deletes,
);

fn new_account<'a>(login: &'a str, email: &'a str, roles: &'a [Role]) -> NewAccount<'a> {
    NewAccount {
        login,
        email: Some(email),
        password_hash: Some("$argon2id$fake"),
        roles,
        invitation: None,
    }
}

fn draft(title: &str, authors: &[&str]) -> WorkDraft {
    WorkDraft {
        title: title.into(),
        authors: authors.iter().map(|a| a.to_string()).collect(),
        language: "en".into(),
        chapters: vec![ChapterDraft {
            body_html: "<p>x</p>".into(),
            word_count: 1,
            ..Default::default()
        }],
        ..Default::default()
    }
}

async fn accounts_and_pseuds(db: &TestDb) {
    let s = &db.store;
    assert!(!s.has_admin().await.unwrap());
    let a = s
        .create_account(&new_account("Alice", "Alice@Example.org", &[Role::Admin]))
        .await
        .unwrap();
    assert_eq!(a.roles, [Role::Admin]);
    assert!(s.has_admin().await.unwrap());
    assert!(s.email_taken("alice@example.ORG").await.unwrap());
    let again = s
        .create_account(&new_account("ALICE", "other@example.org", &[]))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let same_email = s
        .create_account(&new_account("bob", "alice@example.org", &[]))
        .await;
    assert!(matches!(same_email, Err(StoreError::Conflict(_))));

    let found = s.account_by_login("alice").await.unwrap().unwrap();
    assert_eq!(found.id, a.id);
    assert_eq!(found.password_hash.as_deref(), Some("$argon2id$fake"));
    s.set_password_hash(a.id, "$argon2id$other").await.unwrap();
    assert_eq!(
        s.account(a.id)
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("$argon2id$other")
    );
    s.set_roles(a.id, &[Role::Moderator, Role::TagWrangler, Role::User])
        .await
        .unwrap();
    assert_eq!(
        s.account(a.id).await.unwrap().unwrap().roles,
        [Role::TagWrangler, Role::Moderator]
    );
    assert!(!s.has_admin().await.unwrap());

    let p = s.add_pseud(a.id, "Wonder").await.unwrap();
    assert_eq!(p.login, "Alice");
    assert!(matches!(
        s.add_pseud(a.id, "wonder").await,
        Err(StoreError::Conflict(_))
    ));
    let names: Vec<String> = s
        .pseuds_of(a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Alice", "Wonder"]);

    // Imported authors have no password and are not listed as accounts.
    s.create_work(&draft("Old", &["imported1"])).await.unwrap();
    let imported = s.account_by_login("imported1").await.unwrap().unwrap();
    assert!(imported.password_hash.is_none());
    let logins: Vec<String> = s
        .list_accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.login)
        .collect();
    assert_eq!(logins, ["Alice"]);
}

async fn sessions_live_expire_and_end(db: &TestDb) {
    let s = &db.store;
    let a = s
        .create_account(&new_account("alice", "a@example.org", &[]))
        .await
        .unwrap();
    let far = 4_000_000_000;
    s.create_session("h1", a.id, far, Some("agent"))
        .await
        .unwrap();
    s.create_session("h2", a.id, far, None).await.unwrap();
    s.create_session("old", a.id, 1, None).await.unwrap();
    let live = s.session("h1").await.unwrap().expect("live session");
    assert_eq!(live.user_id, a.id);
    assert_eq!(live.login, "alice");
    assert!(s.session("old").await.unwrap().is_none(), "expired");
    assert!(s.session("nope").await.unwrap().is_none());
    s.touch_session("h1", far + 10).await.unwrap();
    assert_eq!(s.session("h1").await.unwrap().unwrap().expires_at, far + 10);
    assert_eq!(s.session_count(a.id).await.unwrap(), 2);

    // A password change keeps only the current session (the expired one goes too).
    assert_eq!(s.delete_user_sessions(a.id, Some("h1")).await.unwrap(), 2);
    assert!(s.session("h2").await.unwrap().is_none());
    assert!(s.delete_session("h1").await.unwrap());
    assert!(!s.delete_session("h1").await.unwrap());
    assert_eq!(s.session_count(a.id).await.unwrap(), 0);
}

async fn login_failures_count_by_account_and_address(db: &TestDb) {
    let s = &db.store;
    for login in ["Alice", "alice", "bob"] {
        s.record_login_failure(login, "10.0.0.1", 0).await.unwrap();
    }
    s.record_login_failure("alice", "10.0.0.2", 0)
        .await
        .unwrap();
    let f = s.login_failures("ALICE", 0).await.unwrap();
    assert_eq!(f.count, 3);
    assert!(f.oldest.is_some());
    assert_eq!(s.ip_failures("10.0.0.1", 0).await.unwrap().count, 3);
    assert_eq!(s.login_failures("alice", i64::MAX).await.unwrap().count, 0);
    s.clear_login_failures("alice").await.unwrap();
    assert_eq!(s.login_failures("alice", 0).await.unwrap().count, 0);
    assert_eq!(s.login_failures("bob", 0).await.unwrap().count, 1);
    // Old attempts are pruned as new ones come in.
    s.record_login_failure("carol", "10.0.0.3", i64::MAX)
        .await
        .unwrap();
    assert_eq!(s.login_failures("bob", 0).await.unwrap().count, 0);
}

async fn settings_and_secret(db: &TestDb) {
    let s = &db.store;
    let defaults = s.archive_settings().await.unwrap();
    assert_eq!(defaults, tome_store::ArchiveSettings::default());
    assert!(
        !defaults.guest_comments,
        "guest comments are off by default"
    );
    let first = s.setting_or_insert("server_secret", "one").await.unwrap();
    let second = s.setting_or_insert("server_secret", "two").await.unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("one", "one"));
    let wanted = tome_store::ArchiveSettings {
        archive_name: Some("The Grove".into()),
        invite_only: true,
        guest_comments: true,
    };
    s.save_archive_settings(&wanted).await.unwrap();
    assert_eq!(s.archive_settings().await.unwrap(), wanted);
    s.save_archive_settings(&tome_store::ArchiveSettings::default())
        .await
        .unwrap();
    assert_eq!(
        s.archive_settings().await.unwrap(),
        tome_store::ArchiveSettings::default()
    );
}

async fn invitations_are_used_once(db: &TestDb) {
    let s = &db.store;
    s.create_invitation("code1", None).await.unwrap();
    let with = |login: &'static str, email: &'static str, code: &'static str| NewAccount {
        invitation: Some(code),
        ..new_account(login, email, &[])
    };
    let bad = s.create_account(&with("x1", "x1@e.org", "nope")).await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))));
    assert!(
        s.account_by_login("x1").await.unwrap().is_none(),
        "rolled back"
    );
    s.create_account(&with("x2", "x2@e.org", "code1"))
        .await
        .unwrap();
    let reused = s.create_account(&with("x3", "x3@e.org", "code1")).await;
    assert!(matches!(reused, Err(StoreError::Invalid(_))));
    let list = s.list_invitations().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].used_by.as_deref(), Some("x2"));
}

async fn deleting_an_account_orphans_or_deletes(db: &TestDb) {
    let s = &db.store;
    let a = s
        .create_account(&new_account("alice", "a@example.org", &[]))
        .await
        .unwrap();
    let b = s
        .create_account(&new_account("bob", "b@example.org", &[]))
        .await
        .unwrap();
    let alone = s
        .create_work(&draft("Alice Alone", &["alice"]))
        .await
        .unwrap();
    let shared = s
        .create_work(&draft("Shared", &["bob", "alice"]))
        .await
        .unwrap();
    let bobs = s.create_work(&draft("Bob Alone", &["bob"])).await.unwrap();
    s.create_session("ha", a.id, 4_000_000_000, None)
        .await
        .unwrap();

    s.delete_account(a.id, WorksOnDelete::Orphan).await.unwrap();
    assert!(s.account(a.id).await.unwrap().is_none());
    assert!(s.session("ha").await.unwrap().is_none());
    let names = |v: tome_store::WorkView| {
        v.blurb
            .creators
            .into_iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(s.work(alone).await.unwrap().unwrap()),
        ["orphan_account"]
    );
    assert_eq!(
        names(s.work(shared).await.unwrap().unwrap()),
        ["bob", "orphan_account"]
    );

    // Deleting: solo works go, shared ones stay under the others' names.
    let both = s
        .create_work(&draft("Both", &["bob", "carol"]))
        .await
        .unwrap();
    s.delete_account(b.id, WorksOnDelete::Delete).await.unwrap();
    assert!(s.work(bobs).await.unwrap().is_none());
    assert_eq!(names(s.work(both).await.unwrap().unwrap()), ["carol"]);
    assert_eq!(
        names(s.work(shared).await.unwrap().unwrap()),
        ["orphan_account"]
    );
    let orphan = s.account_by_login("orphan_account").await.unwrap().unwrap();
    assert!(matches!(
        s.delete_account(orphan.id, WorksOnDelete::Delete).await,
        Err(StoreError::Invalid(_))
    ));
}
