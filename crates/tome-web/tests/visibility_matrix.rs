//! The visibility matrix, generated from tome-model's one definition of who sees what
//! (`tome_model::visibility`) and checked over real HTTP on a live server WITH a search
//! index:
//!
//! - viewers: guest, another member, the creator, a co-creator before accepting, a
//!   co-creator after accepting, a moderator;
//! - states: every combination of draft / hidden / restricted / anonymous (16 works),
//!   plus a private bookmark, a muted creator's work and a blocking creator's work;
//! - surfaces: the work page, its chapter, navigate, the entire work, the three
//!   downloads, the creators' names on them, home, `/works`, the tag's works, search,
//!   a series holding every work,
//!   the creators' user and pseud pages and their counts, the bookmarks page, the tag's
//!   and the fandom's counts, the media counts, autocomplete.
//!
//! Every expected outcome is computed from `can_see` / `listed` / `shows_creators` /
//! `can_see_bookmark` / `muted_out`, never retyped here. Search is proven to run: every
//! search answer must be a 200 from the engine, and a control work is found by it.

mod support;

use std::collections::HashMap;

use reqwest::StatusCode;
use support::{Browser, Page, Site, start_indexed};
use tome_model::visibility::{self, Audience, Reader, Relation, Surface, WorkState};
use tome_model::{Rating, Role, TagKind, VocabEntry, VocabularyFile};
use tome_store::bookmarks::BookmarkInput;
use tome_store::mutes::MuteKind;
use tome_store::{ChapterInput, Store, TextField, WorkInput};

const FANDOM: &str = "Matrix Lantern Fandom";
const MEDIUM: &str = "TV Shows";

const CREATOR: &str = "inkwellalice";
const COCREATOR: &str = "carolco";
const INVITED: &str = "davepending";
const READER: &str = "bobreader";
const MODERATOR: &str = "modmira";
const MUTED: &str = "mutedmaker";
const BLOCKER: &str = "blockmaker";

/// A viewer of the matrix, by login (`None`: a guest).
const VIEWERS: [Option<&str>; 6] = [
    None,
    Some(READER),
    Some(CREATOR),
    Some(INVITED),
    Some(COCREATOR),
    Some(MODERATOR),
];

/// A work in the archive and who stands where to it.
#[derive(Debug, Clone)]
struct Work {
    id: i64,
    chapter: i64,
    marker: String,
    title: String,
    state: WorkState,
    creators: Vec<&'static str>,
    invited: Vec<&'static str>,
}

impl Work {
    fn relation(&self, viewer: Option<&str>) -> Relation {
        match viewer {
            Some(v) if self.creators.contains(&v) => Relation::Creator,
            Some(v) if self.invited.contains(&v) => Relation::Invited,
            _ => Relation::Other,
        }
    }

    fn tag(&self) -> String {
        format!("{} Tag", self.marker)
    }
}

struct World {
    works: Vec<Work>,
    control: Work,
    private_bookmarked: Work,
    muted: Work,
    blocked: Work,
    /// A series holding every work above, in that order.
    series: i64,
    ids: HashMap<&'static str, i64>,
}

async fn pseud(store: &Store, login: &str) -> i64 {
    let u = store
        .account_by_login(login)
        .await
        .expect("account")
        .expect("exists");
    store.pseuds_of(u.id).await.expect("pseuds")[0].id
}

fn html(s: &str) -> TextField {
    TextField {
        html: Some(s.to_string()),
        source: None,
    }
}

async fn post(
    store: &Store,
    by: &'static str,
    invited: &[&'static str],
    marker: &str,
    state: WorkState,
) -> Work {
    let mut invited_ids = Vec::new();
    for login in invited {
        invited_ids.push(pseud(store, login).await);
    }
    let by_id = store
        .account_by_login(by)
        .await
        .expect("account")
        .expect("exists")
        .id;
    let title = format!("{marker} Title");
    let input = WorkInput {
        title: title.clone(),
        pseud_ids: vec![pseud(store, by).await],
        rating: Some(Rating::General),
        tags: vec![
            (TagKind::Fandom, FANDOM.into()),
            (TagKind::Freeform, format!("{marker} Tag")),
        ],
        language: "en".into(),
        text_format: "html".into(),
        restricted: state.restricted,
        anonymous: state.anonymous,
        invited_pseud_ids: invited_ids,
        invited_by: Some(by_id),
        ..Default::default()
    };
    let chapter = ChapterInput {
        title: Some(format!("{marker} chapter")),
        body: html(&format!("<p>{marker} chapter words</p>")),
        word_count: 3,
        ..Default::default()
    };
    let id = store
        .create_posted_work(&input, &[chapter], state.draft)
        .await
        .expect("work");
    if state.hidden {
        store.set_work_hidden(id, true).await.expect("hide");
    }
    let chapter = store
        .work_for_edit(id)
        .await
        .expect("work")
        .expect("exists")
        .chapters[0]
        .id;
    Work {
        id,
        chapter,
        marker: marker.to_string(),
        title,
        state,
        creators: vec![by],
        invited: invited.to_vec(),
    }
}

async fn build(store: &Store) -> World {
    let mut ids = HashMap::new();
    for (login, roles) in [
        (CREATOR, &[][..]),
        (COCREATOR, &[]),
        (INVITED, &[]),
        (READER, &[]),
        (MODERATOR, &[Role::Moderator][..]),
        (MUTED, &[]),
        (BLOCKER, &[]),
    ] {
        ids.insert(login, support::account(store, login, roles).await);
    }
    store
        .import_vocabulary(&VocabularyFile {
            about: None,
            tags: vec![VocabEntry {
                kind: TagKind::Fandom,
                name: FANDOM.into(),
                synonyms: vec![],
                fandoms: vec![],
                characters: vec![],
                metatags: vec![],
                media: vec![MEDIUM.into()],
                uses: 0,
            }],
        })
        .await
        .expect("vocabulary");
    let mut works = Vec::new();
    for (i, state) in WorkState::all().into_iter().enumerate() {
        let mut w = post(
            store,
            CREATOR,
            &[COCREATOR, INVITED],
            &format!("Vis{i:02}mark"),
            state,
        )
        .await;
        assert!(
            store
                .accept_creator_invitation(ids[COCREATOR], w.id)
                .await
                .expect("accept")
        );
        w.creators.push(COCREATOR);
        w.invited.retain(|l| *l != COCREATOR);
        works.push(w);
    }
    let plain = WorkState::default();
    let control = post(store, CREATOR, &[], "Ctrlmark", plain).await;
    let private_bookmarked = post(store, CREATOR, &[], "Privmark", plain).await;
    let muted = post(store, MUTED, &[], "Mutemark", plain).await;
    let blocked = post(store, BLOCKER, &[], "Blockmark", plain).await;
    // The reader bookmarks every work (publicly) and one privately.
    for w in &works {
        let public = BookmarkInput {
            pseud_id: None,
            notes_html: None,
            tags: vec![],
            private: false,
        };
        store
            .save_bookmark(ids[READER], w.id, &public)
            .await
            .expect("bookmark");
    }
    let private = BookmarkInput {
        pseud_id: None,
        notes_html: None,
        tags: vec![],
        private: true,
    };
    store
        .save_bookmark(ids[READER], private_bookmarked.id, &private)
        .await
        .expect("private bookmark");
    store
        .add_user_mute(ids[READER], MUTED, MuteKind::Mute)
        .await
        .expect("mute");
    store
        .add_user_mute(ids[BLOCKER], READER, MuteKind::Block)
        .await
        .expect("block");
    let series = store.create_series("Matrix Series").await.expect("series");
    for w in works
        .iter()
        .chain([&control, &private_bookmarked, &muted, &blocked])
    {
        store
            .add_to_series(series, w.id, None)
            .await
            .expect("join the series");
    }
    World {
        works,
        control,
        private_bookmarked,
        muted,
        blocked,
        series,
        ids,
    }
}

fn reader_of(world: &World, viewer: Option<&str>) -> Reader {
    match viewer {
        None => Reader::GUEST,
        Some(l) => Reader::member(world.ids[l], l == MODERATOR),
    }
}

/// Cells checked and the leaks found (a leak: something shown that must not be; a miss:
/// something that must show and does not).
#[derive(Default)]
struct Tally {
    cells: usize,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.cells += 1;
        if !ok {
            self.failures.push(what());
        }
    }
}

fn name(viewer: Option<&str>) -> &str {
    viewer.unwrap_or("guest")
}

/// The number in the first element `s` selects whose text has one (commas dropped).
fn number_in(text: &str) -> Option<u64> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    digits.parse().ok()
}

/// A listing page's total ("N Works" heading).
fn listing_total(p: &Page) -> Option<u64> {
    p.texts("h2.heading")
        .iter()
        .find(|t| t.contains("Work"))
        .and_then(|t| number_in(t))
}

/// The count printed next to the fandom on `/media`.
fn media_count(p: &Page) -> Option<u64> {
    let doc = p.doc();
    let li = support::sel("li");
    let a = support::sel("a.tag");
    let count = support::sel("span.count");
    doc.select(&li)
        .find(|l| {
            l.select(&a)
                .next()
                .is_some_and(|x| x.text().collect::<String>() == FANDOM)
        })
        .and_then(|l| l.select(&count).next())
        .and_then(|c| number_in(&c.text().collect::<String>()))
}

/// A tag page's (uses, works) counts.
fn tag_counts(p: &Page) -> (Option<u64>, Option<u64>) {
    let uses = p.texts("span.uses").first().and_then(|t| number_in(t));
    let works = p
        .texts("p.works-link")
        .first()
        .and_then(|t| t.split("in all,").nth(1).and_then(number_in));
    (uses, works)
}

fn tag_path(name: &str) -> String {
    format!("/tags/{}", tome_model::tag_to_path(name))
}

fn search_path(q: &str) -> String {
    format!("/works/search?work_search%5Bquery%5D={q}")
}

#[tokio::test]
async fn every_viewer_every_state_every_surface() {
    let mut world = None;
    let site: Site = start_indexed(async |store: &Store| {
        world = Some(build(store).await);
    })
    .await;
    let world = world.expect("built");
    let all: Vec<&Work> = world
        .works
        .iter()
        .chain([
            &world.control,
            &world.private_bookmarked,
            &world.muted,
            &world.blocked,
        ])
        .collect();
    let mut t = Tally::default();
    // Wait until the indexer has caught up: the control work is searchable.
    let mut guest = Browser::new(&site);
    let mut found = false;
    for _ in 0..100 {
        let p = guest.get(&search_path("Ctrlmark")).await;
        assert_eq!(p.status, StatusCode::OK, "search must answer: {}", p.body);
        if p.body.contains(&world.control.title) {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(found, "the engine finds the control work");

    for viewer in VIEWERS {
        let mut b = match viewer {
            None => Browser::new(&site),
            Some(l) => Browser::logged_in(&site, l).await,
        };
        let reader = reader_of(&world, viewer);
        let audience = reader.audience();
        let who = name(viewer);
        let muted_creator = |w: &Work| viewer == Some(READER) && w.creators.contains(&MUTED);

        // The work's own pages.
        for w in &all {
            let rel = w.relation(viewer);
            let open = visibility::can_see(&reader, rel, Surface::Open, &w.state);
            // A guest whom any member would be let in is asked to log in on the work's
            // reading pages (401, nothing of the work shown); elsewhere it is a 404.
            let member_opens = visibility::can_see(
                &Reader::member(0, false),
                Relation::Other,
                Surface::Open,
                &w.state,
            );
            let id = w.id;
            for path in [
                format!("/works/{id}"),
                format!("/works/{id}/chapters/{}", w.chapter),
                format!("/works/{id}/navigate"),
                format!("/works/{id}?view_full_work=true"),
                format!("/works/{id}/download.html"),
                format!("/works/{id}/download.txt"),
            ] {
                let p = b.get(&path).await;
                let reading = !path.contains("navigate") && !path.contains("/download.");
                let closed = if viewer.is_none() && member_opens && reading {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::NOT_FOUND
                };
                t.check(
                    (p.status == StatusCode::OK && p.body.contains(&w.title)) == open
                        && (open || (p.status == closed && !p.body.contains(&w.title))),
                    || format!("{who} {path} ({:?}): {} open={open}", w.state, p.status),
                );
                if open && !path.contains("navigate") {
                    // The creators' names: never on an anonymous work, but to its
                    // creators on its pages (a downloaded file never).
                    let named = if path.contains("/download.") {
                        visibility::file_names_creators(&w.state)
                    } else {
                        visibility::shows_creators(&reader, rel, &w.state)
                    };
                    let shown = w.creators.iter().any(|c| p.body.contains(c));
                    t.check(shown == named, || {
                        format!("{who} {path} ({:?}): creators shown={shown}", w.state)
                    });
                }
            }
            let p = b.get(&format!("/works/{id}/download.epub")).await;
            t.check(
                (p.status == StatusCode::OK) == open && (open || p.status == StatusCode::NOT_FOUND),
                || format!("{who} epub {id}: {}", p.status),
            );
        }

        // Listings: all works, home, the fandom's works, search.
        for path in [
            "/works".to_string(),
            "/".into(),
            format!("{}/works", tag_path(FANDOM)),
        ] {
            let p = b.get(&path).await;
            assert_eq!(p.status, StatusCode::OK, "{who} {path}");
            for w in &all {
                let rel = w.relation(viewer);
                let shown = visibility::can_see(&reader, rel, Surface::Listing, &w.state)
                    && !visibility::muted_out(Surface::Listing, muted_creator(w), &w.state);
                t.check(p.body.contains(&w.title) == shown, || {
                    format!("{who} {path} {} ({:?}) expected {shown}", w.title, w.state)
                });
            }
            if path == "/works" {
                // The total counts what the audience may see (mutes are the reader's
                // own filter and do not change it).
                let n = all
                    .iter()
                    .filter(|w| visibility::listed(audience, &w.state))
                    .count() as u64;
                t.check(listing_total(&p) == Some(n), || {
                    format!("{who} /works total {:?} expected {n}", listing_total(&p))
                });
            }
        }
        for w in &all {
            let p = b.get(&search_path(&w.marker)).await;
            assert_eq!(p.status, StatusCode::OK, "{who} search: {}", p.body);
            let shown =
                visibility::can_see(&reader, w.relation(viewer), Surface::Listing, &w.state)
                    && !visibility::muted_out(Surface::Listing, muted_creator(w), &w.state);
            t.check(p.body.contains(&w.title) == shown, || {
                format!("{who} search {} ({:?}) expected {shown}", w.marker, w.state)
            });
        }

        // The series page: a work's own surface (its creators see their drafts in
        // place), less what the reader muted.
        let path = format!("/series/{}", world.series);
        let p = b.get(&path).await;
        assert_eq!(p.status, StatusCode::OK, "{who} {path}");
        for w in &all {
            let shown = visibility::can_see(&reader, w.relation(viewer), Surface::Open, &w.state)
                && !visibility::muted_out(Surface::Listing, muted_creator(w), &w.state);
            t.check(p.body.contains(&w.title) == shown, || {
                format!("{who} {path} {} ({:?}) expected {shown}", w.title, w.state)
            });
        }

        // The creators' pages and their counts.
        for owner in [CREATOR, COCREATOR, INVITED] {
            let theirs: Vec<&&Work> = all.iter().filter(|w| w.creators.contains(&owner)).collect();
            let expected: Vec<bool> = all
                .iter()
                .map(|w| {
                    w.creators.contains(&owner)
                        && visibility::can_see(
                            &reader,
                            w.relation(viewer),
                            Surface::Byline,
                            &w.state,
                        )
                })
                .collect();
            let n = theirs
                .iter()
                .filter(|w| {
                    visibility::can_see(&reader, w.relation(viewer), Surface::Byline, &w.state)
                })
                .count() as u64;
            let user = format!("/users/{owner}");
            let pseud = format!("/users/{owner}/pseuds/{owner}");
            for path in [
                user.clone(),
                format!("{user}/works"),
                pseud.clone(),
                format!("{pseud}/works"),
            ] {
                let p = b.get(&path).await;
                assert_eq!(p.status, StatusCode::OK, "{who} {path}");
                for (w, shown) in all.iter().zip(&expected) {
                    t.check(p.body.contains(&w.title) == *shown, || {
                        format!("{who} {path} {} ({:?}) expected {shown}", w.title, w.state)
                    });
                }
                let count = if path == user {
                    p.texts("dl.meta dd a").first().and_then(|c| number_in(c))
                } else {
                    listing_total(&p)
                };
                t.check(count == Some(n), || {
                    format!("{who} {path} count {count:?} expected {n}")
                });
            }
        }

        // The reader's bookmarks.
        let p = b.get(&format!("/users/{READER}/bookmarks")).await;
        assert_eq!(p.status, StatusCode::OK, "{who} bookmarks");
        for w in world.works.iter().chain([&world.private_bookmarked]) {
            let private = w.id == world.private_bookmarked.id;
            let shown = visibility::can_see_bookmark(
                &reader,
                w.relation(viewer),
                &w.state,
                world.ids[READER],
                private,
            );
            t.check(p.body.contains(&w.title) == shown, || {
                format!(
                    "{who} bookmarks {} ({:?}) expected {shown}",
                    w.title, w.state
                )
            });
        }

        // Counts on the fandom's page, the media page, each work's own tag; autocomplete.
        let fandom_n = all
            .iter()
            .filter(|w| visibility::listed(audience, &w.state))
            .count() as u64;
        let p = b.get(&tag_path(FANDOM)).await;
        let (uses, works) = tag_counts(&p);
        t.check(uses == Some(fandom_n) && works == Some(fandom_n), || {
            format!("{who} fandom counts {uses:?} {works:?} expected {fandom_n}")
        });
        let p = b.get("/media").await;
        let m = media_count(&p);
        t.check(m == Some(fandom_n), || {
            format!("{who} media count {m:?} expected {fandom_n}")
        });
        for w in &all {
            let n = u64::from(visibility::listed(audience, &w.state));
            let p = b.get(&tag_path(&w.tag())).await;
            let (uses, works) = tag_counts(&p);
            t.check(uses == Some(n) && works == Some(n), || {
                format!("{who} {} counts {uses:?} {works:?} expected {n}", w.tag())
            });
            let p = b
                .get(&format!(
                    "/autocomplete/tag?kind=freeform&term={}",
                    w.marker
                ))
                .await;
            assert_eq!(p.status, StatusCode::OK, "{who} autocomplete");
            let offered = p.body.contains(&w.tag());
            t.check(offered == (n == 1), || {
                format!("{who} autocomplete {} offered={offered}", w.tag())
            });
        }

        // Blocked: the blocked reader still sees the blocker's work, and cannot comment.
        if let Some(login) = viewer {
            let w = &world.blocked;
            let p = b
                .post(
                    &format!("/works/{}", w.id),
                    &format!("/works/{}/comments", w.id),
                    &[("comment[comment_content]", format!("Hello from {login}"))],
                )
                .await;
            let refused = p.status == StatusCode::FORBIDDEN;
            t.check(refused == (login == READER), || {
                format!("{who} comment on the blocker's work: {}", p.status)
            });
        }
    }
    // The audiences differ somewhere: the matrix would pass vacuously otherwise.
    assert!(
        world
            .works
            .iter()
            .any(|w| visibility::listed(Audience::Member, &w.state)
                != visibility::listed(Audience::Guest, &w.state))
    );
    eprintln!(
        "visibility matrix: {} cells checked, {} failures",
        t.cells,
        t.failures.len()
    );
    assert!(
        t.failures.is_empty(),
        "{} of {} cells failed:\n{}",
        t.failures.len(),
        t.cells,
        t.failures.join("\n")
    );
}
