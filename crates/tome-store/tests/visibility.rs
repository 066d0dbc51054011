//! The store's SQL predicate against the Rust rule it is written from
//! (`tome_model::visibility`): one work in each of the 16 flag combinations, posted by a
//! creator with an accepted co-creator and a pending one, read by every kind of reader
//! on every listing surface. Each listing, and each count, must hold exactly the works
//! `can_see` admits. Once on a SQLite file and once on a fresh PostgreSQL database.

use std::collections::BTreeSet;

use tome_model::visibility::{self, Audience, Reader, Relation, Surface, WorkState};
use tome_model::{Rating, Role, TagKind, Warning};
use tome_store::{ChapterInput, NewAccount, PseudRef, Store, TextField, WorkInput, WorkListFilter};
#[macro_use]
mod support;
use support::TestDb;

on_both!(sql_and_rust_agree, invitations_are_not_creatorships);

async fn account(s: &Store, login: &str, roles: &[Role]) -> PseudRef {
    let a = s
        .create_account(&NewAccount {
            login,
            email: None,
            password_hash: None,
            roles,
            invitation: None,
        })
        .await
        .expect("account");
    s.pseuds_of(a.id).await.expect("pseuds").remove(0)
}

fn input(title: &str, by: &PseudRef, invited: Vec<i64>, st: &WorkState) -> WorkInput {
    WorkInput {
        title: title.into(),
        pseud_ids: vec![by.id],
        rating: Some(Rating::Teen),
        warnings: vec![Warning::NoWarnings],
        tags: vec![
            (TagKind::Fandom, "Predicate Fandom".into()),
            (TagKind::Freeform, format!("{title} tag")),
        ],
        language: "en".into(),
        text_format: "html".into(),
        restricted: st.restricted,
        anonymous: st.anonymous,
        invited_pseud_ids: invited,
        invited_by: Some(by.user_id),
        ..Default::default()
    }
}

fn chapter() -> ChapterInput {
    ChapterInput {
        body: TextField {
            html: Some("<p>x</p>".into()),
            source: None,
        },
        word_count: 1,
        ..Default::default()
    }
}

async fn sql_and_rust_agree(db: &TestDb) {
    let s = &db.store;
    let alice = account(s, "alice", &[]).await;
    let carol = account(s, "carol", &[]).await;
    let dave = account(s, "dave", &[]).await;
    let bob = account(s, "bob", &[]).await;
    let mira = account(s, "mira", &[Role::Moderator]).await;
    let mut works: Vec<(i64, WorkState)> = Vec::new();
    for (i, st) in WorkState::all().into_iter().enumerate() {
        let id = s
            .create_posted_work(
                &input(&format!("W{i}"), &alice, vec![carol.id, dave.id], &st),
                &[chapter()],
                st.draft,
            )
            .await
            .expect("work");
        assert!(
            s.accept_creator_invitation(carol.user_id, id)
                .await
                .expect("accept")
        );
        if st.hidden {
            s.set_work_hidden(id, true).await.expect("hide");
        }
        works.push((id, st));
    }
    // Bob bookmarks every work (every other one privately) and has read every one: the
    // bookmarks page and the history are filtered in SQL by the same rule.
    for (i, (id, _)) in works.iter().enumerate() {
        let input = tome_store::bookmarks::BookmarkInput {
            private: i % 2 == 1,
            ..Default::default()
        };
        s.save_bookmark(bob.user_id, *id, &input)
            .await
            .expect("bookmark");
        s.record_reading(bob.user_id, *id).await.expect("read");
    }
    // (reader, relation to every one of those works)
    let readers = [
        (Reader::GUEST, Relation::Other),
        (Reader::member(bob.user_id, false), Relation::Other),
        (Reader::member(mira.user_id, true), Relation::Other),
        (Reader::member(alice.user_id, false), Relation::Creator),
        (Reader::member(carol.user_id, false), Relation::Creator),
        (Reader::member(dave.user_id, false), Relation::Invited),
    ];
    let mut cells = 0;
    for (reader, rel) in readers {
        let expect = |surface: Surface| -> BTreeSet<i64> {
            works
                .iter()
                .filter(|(_, st)| visibility::can_see(&reader, rel, surface, st))
                .map(|(id, _)| *id)
                .collect()
        };
        let listed = |filter: WorkListFilter| async move {
            s.list_works_for(&filter, &reader, 1, 100)
                .await
                .expect("list")
        };
        let ids = |p: tome_store::WorkPage| -> BTreeSet<i64> {
            assert_eq!(
                p.total as usize,
                p.items.len(),
                "total agrees with the page"
            );
            p.items.iter().map(|b| b.id).collect()
        };
        assert_eq!(
            ids(listed(WorkListFilter::All).await),
            expect(Surface::Listing),
            "{reader:?} all works"
        );
        let tag = s
            .tag_by_name_for("Predicate Fandom", reader.audience())
            .await
            .expect("tag")
            .expect("exists");
        assert_eq!(
            ids(listed(WorkListFilter::Tag(tag.id)).await),
            expect(Surface::Listing),
            "{reader:?} tag works"
        );
        assert_eq!(tag.works_count as usize, expect(Surface::Listing).len());
        for creator in [&alice, &carol] {
            let byline = expect(Surface::Byline);
            assert_eq!(
                ids(listed(WorkListFilter::User(creator.user_id)).await),
                byline,
                "{reader:?} {}'s works",
                creator.login
            );
            assert_eq!(
                ids(listed(WorkListFilter::Pseud(creator.id)).await),
                byline,
                "{reader:?} {}'s pseud",
                creator.login
            );
            assert_eq!(
                s.user_work_count(creator.user_id, &reader)
                    .await
                    .expect("count") as usize,
                byline.len()
            );
            cells += 3 * works.len();
        }
        // Bob's bookmarks, as this reader sees them, a page of 3 at a time.
        let bookmarked: BTreeSet<i64> = works
            .iter()
            .enumerate()
            .filter(|(i, (_, st))| {
                visibility::can_see_bookmark(&reader, rel, st, bob.user_id, i % 2 == 1)
            })
            .map(|(_, (id, _))| *id)
            .collect();
        let mut seen = BTreeSet::new();
        for page in 1..=8 {
            let (items, total) = s
                .user_bookmarks(bob.user_id, &reader, page, 3)
                .await
                .expect("bookmarks");
            assert_eq!(
                total as usize,
                bookmarked.len(),
                "{reader:?} bookmark total"
            );
            assert!(items.len() <= 3);
            seen.extend(items.iter().map(|b| b.work.id));
        }
        assert_eq!(seen, bookmarked, "{reader:?} bookmarks");
        cells += works.len();
        if reader.user_id == Some(bob.user_id) {
            let (items, total) = s
                .readings(bob.user_id, &reader, false, 1, 100)
                .await
                .expect("history");
            let read: BTreeSet<i64> = items.iter().map(|r| r.work.id).collect();
            assert_eq!(read, expect(Surface::Open), "bob's history");
            assert_eq!(total as usize, read.len());
            cells += works.len();
        }
        // The invited user's pages hold none of them, whoever looks.
        assert!(ids(listed(WorkListFilter::User(dave.user_id)).await).is_empty());
        assert_eq!(
            s.user_work_count(dave.user_id, &reader)
                .await
                .expect("count"),
            0
        );
        cells += 3 * works.len() + 2;
    }
    // Per-audience aggregates: tag uses (autocomplete), media counts.
    let rows = s.tag_names().await.expect("names");
    for (i, (_, st)) in works.iter().enumerate() {
        let r = rows
            .iter()
            .find(|r| r.name == format!("W{i} tag"))
            .expect("row");
        for audience in Audience::ALL {
            assert_eq!(
                r.uses_for(audience),
                u64::from(visibility::listed(audience, st)),
                "W{i} {audience:?}"
            );
            cells += 1;
        }
    }
    for audience in Audience::ALL {
        let d = match s
            .tag_detail_with("Predicate Fandom", true, audience)
            .await
            .expect("detail")
        {
            Some(tome_store::TagLookup::Found(d)) => d,
            other => panic!("{other:?}"),
        };
        let n = works
            .iter()
            .filter(|(_, st)| visibility::listed(audience, st))
            .count();
        assert_eq!(d.uses as usize, n, "{audience:?} uses");
        assert_eq!(d.info.works_count as usize, n, "{audience:?} works");
    }
    eprintln!("{cells} cells agree");
}

async fn invitations_are_not_creatorships(db: &TestDb) {
    let s = &db.store;
    let alice = account(s, "alice", &[]).await;
    let dave = account(s, "dave", &[]).await;
    let st = WorkState::default();
    let id = s
        .create_posted_work(
            &input("Shared", &alice, vec![dave.id], &st),
            &[chapter()],
            false,
        )
        .await
        .expect("work");
    let w = s.work(id).await.expect("work").expect("exists");
    assert_eq!(
        w.blurb.creators.iter().map(|p| p.id).collect::<Vec<_>>(),
        [alice.id],
        "not on the byline before accepting"
    );
    let pending = s.creator_invitations(dave.user_id).await.expect("list");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].work_id, id);
    assert_eq!(pending[0].invited_by.as_deref(), Some("alice"));
    assert_eq!(
        s.creator_invitation_count(dave.user_id).await.expect("n"),
        1
    );
    // Someone else cannot answer it.
    assert!(
        !s.accept_creator_invitation(alice.user_id, id)
            .await
            .expect("accept")
    );
    let before = s.outbox_after(0, 1000).await.expect("outbox").len();
    assert!(
        s.accept_creator_invitation(dave.user_id, id)
            .await
            .expect("accept")
    );
    assert_eq!(
        s.outbox_after(0, 1000).await.expect("outbox").len(),
        before + 1,
        "search is told of the new byline"
    );
    // Answered once only.
    assert!(
        !s.accept_creator_invitation(dave.user_id, id)
            .await
            .expect("accept")
    );
    let w = s.work(id).await.expect("work").expect("exists");
    assert_eq!(
        w.blurb.creators.iter().map(|p| p.id).collect::<Vec<_>>(),
        [alice.id, dave.id]
    );
    assert!(
        s.creator_invitations(dave.user_id)
            .await
            .expect("list")
            .is_empty()
    );
    // Editing the work keeps the accepted co-creator only if the form keeps them;
    // inviting someone already on the byline makes no invitation.
    s.invite_creators(id, &[dave.id], Some(alice.user_id))
        .await
        .expect("invite");
    assert!(
        s.creator_invitations(dave.user_id)
            .await
            .expect("list")
            .is_empty()
    );

    // Declined: gone, never on the byline.
    let erin = account(s, "erin", &[]).await;
    s.invite_creators(id, &[erin.id], Some(alice.user_id))
        .await
        .expect("invite");
    assert!(
        s.decline_creator_invitation(erin.user_id, id)
            .await
            .expect("decline")
    );
    assert!(
        !s.decline_creator_invitation(erin.user_id, id)
            .await
            .expect("decline")
    );
    assert!(
        !s.accept_creator_invitation(erin.user_id, id)
            .await
            .expect("accept")
    );
    let w = s.work(id).await.expect("work").expect("exists");
    assert!(!w.blurb.creators.iter().any(|p| p.id == erin.id));
    // An unknown pseud is refused with a message, and nothing is written.
    let e = s
        .invite_creators(id, &[999_999], Some(alice.user_id))
        .await
        .expect_err("unknown pseud");
    assert!(e.to_string().contains("no pseud"), "{e}");
}
