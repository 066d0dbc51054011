//! Every filter, sort and facet of the engine checked against a plain SQL query over the
//! same SQLite database: same work ids, same order, same counts. The corpus is small and
//! generated from a fixed seed, with synonyms, metatags (subtags), crossovers (two fandoms
//! under one metatag count as one), restricted works and a controlled vocabulary so SQL
//! `LIKE` and the tokenizer agree on what a word is.

#[path = "../../tome-web/tests/support/database.rs"]
mod database;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sqlx::Row;
use sqlx::sqlite::SqlitePool;
use tome_model::filter::WorkFilter;
use tome_model::{ChapterDraft, Rating, TagKind, VocabEntry, VocabularyFile, Warning, WorkDraft};
use tome_search::{Search, SearchRequest};
use tome_store::Store;

const NOW: i64 = 1_800_000_000;
const WORDS: &[&str] = &[
    "lantern", "harbour", "ember", "river", "kettle", "garden", "crown", "tide", "meadow",
    "falcon", "copper", "violet",
];

fn entry(kind: TagKind, name: &str, syn: &[&str], meta: &[&str]) -> VocabEntry {
    VocabEntry {
        kind,
        name: name.into(),
        synonyms: syn.iter().map(|s| s.to_string()).collect(),
        fandoms: vec![],
        characters: vec![],
        metatags: meta.iter().map(|s| s.to_string()).collect(),
        media: Vec::new(),
        uses: 0,
    }
}

fn vocabulary() -> VocabularyFile {
    use TagKind::*;
    VocabularyFile {
        about: None,
        tags: vec![
            entry(Fandom, "Alpha", &["Alpha (TV)"], &[]),
            entry(Fandom, "Beta", &[], &[]),
            entry(Fandom, "Gamma Verse", &[], &[]),
            entry(Fandom, "Gamma One", &[], &["Gamma Verse"]),
            entry(Fandom, "Gamma Two", &["G2"], &["Gamma Verse"]),
            entry(Character, "Ann", &["Annie"], &[]),
            entry(Character, "Bo", &[], &[]),
            entry(Character, "Cy", &[], &[]),
            // Relationships imply their characters for filtering.
            VocabEntry {
                characters: vec!["Ann".into(), "Bo".into()],
                ..entry(Relationship, "Ann/Bo", &["Annbo"], &[])
            },
            VocabEntry {
                characters: vec!["Bo".into(), "Cy".into()],
                ..entry(Relationship, "Bo/Cy", &[], &[])
            },
            entry(Freeform, "Angst", &["angsty"], &[]),
            entry(Freeform, "Major Angst", &[], &["Angst"]),
            entry(Freeform, "Fluff", &[], &[]),
            entry(Freeform, "Humor", &[], &[]),
        ],
    }
}

const FANDOM_NAMES: &[&str] = &[
    "Alpha",
    "Alpha (TV)",
    "Beta",
    "Gamma One",
    "Gamma Two",
    "G2",
];
const CHARS: &[&str] = &["Ann", "Annie", "Bo", "Cy", "Dee Unwrangled"];
const FREE: &[&str] = &[
    "Angst",
    "angsty",
    "Major Angst",
    "Fluff",
    "Humor",
    "Crack Unwrangled",
];

fn works(n: usize) -> Vec<WorkDraft> {
    let mut rng = StdRng::seed_from_u64(42);
    (0..n)
        .map(|i| {
            let mut tags: Vec<(TagKind, String)> = Vec::new();
            let nf = if rng.random_bool(0.3) { 2 } else { 1 };
            for f in FANDOM_NAMES.choose_multiple(&mut rng, nf) {
                tags.push((TagKind::Fandom, f.to_string()));
            }
            let k = rng.random_range(0..3);
            for c in CHARS.choose_multiple(&mut rng, k) {
                tags.push((TagKind::Character, c.to_string()));
            }
            let k = rng.random_range(0..3);
            for t in FREE.choose_multiple(&mut rng, k) {
                tags.push((TagKind::Freeform, t.to_string()));
            }
            // Relationships by index, leaving the random stream as it was.
            if i % 7 == 0 {
                tags.push((TagKind::Relationship, "Annbo".into()));
            }
            if i % 11 == 0 {
                tags.push((TagKind::Relationship, "Bo/Cy".into()));
            }
            let text: Vec<&str> = (0..12)
                .map(|_| *WORDS.choose(&mut rng).unwrap_or(&"tide"))
                .collect();
            let chapters = rng.random_range(1..=3);
            WorkDraft {
                title: format!("{} {i}", WORDS.choose(&mut rng).unwrap_or(&"tide")),
                authors: vec![format!("author{}", rng.random_range(0..7))],
                rating: Some(*Rating::ALL.choose(&mut rng).unwrap_or(&Rating::Teen)),
                warnings: vec![
                    *Warning::ALL
                        .choose(&mut rng)
                        .unwrap_or(&Warning::NoWarnings),
                ],
                categories: vec![],
                tags,
                language: if rng.random_bool(0.2) {
                    "fr".into()
                } else {
                    "en".into()
                },
                summary_html: Some(format!(
                    "<p>{}</p>",
                    WORDS.choose(&mut rng).unwrap_or(&"tide")
                )),
                chapters: (0..chapters)
                    .map(|_| ChapterDraft {
                        body_html: format!("<p>{}</p>", text.join(" ")),
                        word_count: rng.random_range(100..20_000),
                        ..Default::default()
                    })
                    .collect(),
                complete: Some(rng.random_bool(0.5)),
                published_at: Some(NOW - rng.random_range(0..400) * 86_400),
                restricted: rng.random_bool(0.1),
                anonymous: rng.random_bool(0.05),
                ..Default::default()
            }
        })
        .collect()
}

struct Fixture {
    _dir: tempfile::TempDir,
    search: Search,
    /// The reference: plain SQL over a SQLite copy of the archive.
    db: SqlitePool,
    /// With `TOME_TEST_BACKEND=postgres` the engine is fed from a PostgreSQL copy (made
    /// the same way, so ids agree) and checked against the SQLite reference.
    _pg: Option<database::TestDatabase>,
}

/// Fills an archive: vocabulary, works, counters and an outbox row per work.
async fn fill(store: &Store, url: &str) {
    store.import_vocabulary(&vocabulary()).await.expect("vocab");
    for w in works(300) {
        store.create_work(&w).await.expect("work");
    }
    let db = sqlx::AnyPool::connect(url).await.expect("db");
    // Counters differ from work to work so that sorts mean something.
    sqlx::query(
        "UPDATE works SET kudos_count = (id * 7919) % 53, hits = (id * 104729) % 997, \
         bookmarks_count = (id * 31) % 11, comments_count = (id * 17) % 13, \
         updated_at = published_at + (id % 5) * 86400",
    )
    .execute(&db)
    .await
    .expect("counters");
    sqlx::query("INSERT INTO outbox (work_id, op, created_at) SELECT id, 'upsert', 0 FROM works")
        .execute(&db)
        .await
        .expect("outbox");
    db.close().await;
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_data_dir(dir.path()).await.expect("store");
    let db_path = dir.path().join("tome.db");
    let sqlite_url = format!("sqlite:{}", db_path.display());
    fill(&store, &sqlite_url).await;
    let db = SqlitePool::connect(&sqlite_url).await.expect("db");
    let (pg, engine_store) = if database::postgres_wanted() {
        let pg = database::TestDatabase::postgres();
        let url = pg.url().expect("url").to_string();
        let s = pg.open(dir.path()).await;
        fill(&s, &url).await;
        (Some(pg), s)
    } else {
        (None, store)
    };
    let search = Search::open(&dir.path().join("index"), engine_store)
        .await
        .expect("index");
    search.catch_up().await.expect("catch up");
    Fixture {
        _dir: dir,
        search,
        db,
        _pg: pg,
    }
}

/// SQL for "the work carries tag NAME, a synonym of it or a subtag (or a synonym of one),
/// or a relationship (or its synonym or subtag) naming NAME or one of those as a character".
fn has_tag(name: &str) -> String {
    format!(
        "w.id IN (WITH RECURSIVE fam(id) AS ( \
            SELECT COALESCE(merger_id, id) FROM tags WHERE name = '{name}' \
            UNION SELECT tp.child_id FROM tag_parents tp JOIN fam ON tp.parent_id = fam.id \
                JOIN tags c ON c.id = tp.child_id JOIN tags p ON p.id = tp.parent_id WHERE c.kind = p.kind \
            UNION SELECT t.id FROM tags t JOIN fam ON t.merger_id = fam.id \
            UNION SELECT rc.relationship_id FROM relationship_characters rc \
                JOIN fam ON rc.character_id = fam.id \
         ) SELECT work_id FROM work_tags WHERE tag_id IN (SELECT id FROM fam))"
    )
}

/// SQL for "the work carries tag NAME itself, or a synonym of it".
fn carries(name: &str) -> String {
    format!(
        "w.id IN (SELECT wt.work_id FROM work_tags wt JOIN tags t ON t.id = wt.tag_id \
            WHERE t.id = (SELECT COALESCE(merger_id, id) FROM tags WHERE name = '{name}') \
               OR t.merger_id = (SELECT COALESCE(merger_id, id) FROM tags WHERE name = '{name}'))"
    )
}

/// Fandoms of a work, synonyms merged and fandoms under a metatag counted once.
const FANDOM_COUNT: &str = "(SELECT COUNT(DISTINCT COALESCE( \
        (SELECT tp.parent_id FROM tag_parents tp JOIN tags p ON p.id = tp.parent_id \
         WHERE tp.child_id = COALESCE(t.merger_id, t.id) AND p.kind = 'fandom'), \
        COALESCE(t.merger_id, t.id))) \
     FROM work_tags wt JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id = w.id AND t.kind = 'fandom')";

/// All text of a work, lower case, for `LIKE`.
const TEXT: &str = "lower(w.title || ' ' || COALESCE(w.summary_html, '') || ' ' || \
     (SELECT group_concat(body_html, ' ') FROM chapters c WHERE c.work_id = w.id))";

impl Fixture {
    async fn sql_ids(&self, cond: &str, order: &str) -> Vec<i64> {
        let sql = format!(
            "SELECT w.id FROM works w WHERE w.draft = 0 AND w.hidden = 0 AND w.restricted = 0 \
             AND ({cond}) ORDER BY {order}"
        );
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.db)
            .await
            .expect("reference query")
    }

    async fn engine(&self, pairs: &[(&str, &str)], facets: bool) -> tome_search::SearchResults {
        let filter = WorkFilter::from_pairs(pairs);
        self.search
            .search(SearchRequest {
                filter,
                member: false,
                per_page: 1000,
                facets,
                now: NOW,
            })
            .await
            .expect("search")
    }

    async fn check(&self, pairs: &[(&str, &str)], cond: &str, order: &str) {
        let want = self.sql_ids(cond, order).await;
        let got = self.engine(pairs, false).await;
        assert_eq!(got.total, want.len() as u64, "count for {pairs:?}");
        assert_eq!(got.ids, want, "ids for {pairs:?}");
        assert!(
            !want.is_empty() || cond == "0",
            "reference is empty for {pairs:?}: a weak test"
        );
    }

    async fn tag_id(&self, name: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM tags WHERE name = $1")
            .bind(name)
            .fetch_one(&self.db)
            .await
            .expect("tag")
    }
}

const UPDATED: &str = "w.updated_at DESC, w.id DESC";

#[tokio::test]
async fn filters_match_sql() {
    let fx = fixture().await;
    fx.check(&[], "1", UPDATED).await;
    // Canonical tag: its synonym's works count.
    fx.check(
        &[("work_search[other_tag_names]", "Alpha")],
        &has_tag("Alpha"),
        UPDATED,
    )
    .await;
    // A relationship implies its characters: "Cy" finds works tagged only "Bo/Cy", and
    // "Ann" works tagged only "Annbo" (a synonym of "Ann/Bo").
    for who in ["Cy", "Ann"] {
        fx.check(
            &[("work_search[other_tag_names]", who)],
            &has_tag(who),
            UPDATED,
        )
        .await;
        let implied = fx
            .sql_ids(
                &format!("{} AND NOT {}", has_tag(who), carries(who)),
                UPDATED,
            )
            .await;
        assert!(
            !implied.is_empty(),
            "no work finds {who} through a relationship only"
        );
    }
    // Subtags: "Angst" finds "Major Angst" and the synonym "angsty".
    fx.check(
        &[("work_search[other_tag_names]", "angst")],
        &has_tag("Angst"),
        UPDATED,
    )
    .await;
    // A metatag fandom finds its subtag fandoms and their synonyms.
    fx.check(
        &[("work_search[other_tag_names]", "Gamma Verse")],
        &has_tag("Gamma Verse"),
        UPDATED,
    )
    .await;
    // By id, with a kind.
    let ann = fx.tag_id("Ann").await.to_string();
    fx.check(
        &[("include_work_search[character_ids][]", &ann)],
        &has_tag("Ann"),
        UPDATED,
    )
    .await;
    // Two included, several excluded (by id and by name).
    let fluff = fx.tag_id("Fluff").await.to_string();
    fx.check(
        &[
            ("work_search[other_tag_names]", "Alpha,Ann"),
            ("exclude_work_search[freeform_ids][]", &fluff),
            ("work_search[excluded_tag_names]", "Angst,Beta"),
        ],
        &format!(
            "{} AND {} AND NOT {} AND NOT {} AND NOT {}",
            has_tag("Alpha"),
            has_tag("Ann"),
            has_tag("Fluff"),
            has_tag("Angst"),
            has_tag("Beta")
        ),
        UPDATED,
    )
    .await;
    // Only exclusions.
    fx.check(
        &[("work_search[excluded_tag_names]", "Gamma Verse")],
        &format!("NOT {}", has_tag("Gamma Verse")),
        UPDATED,
    )
    .await;
    // Any of.
    let bo = fx.tag_id("Bo").await.to_string();
    let cy = fx.tag_id("Cy").await.to_string();
    fx.check(
        &[("work_search[any_tag_ids][]", &format!("{bo},{cy}"))],
        &format!("({} OR {})", has_tag("Bo"), has_tag("Cy")),
        UPDATED,
    )
    .await;
    // Unknown names match nothing.
    let r = fx
        .engine(&[("work_search[other_tag_names]", "No Such Tag")], false)
        .await;
    assert_eq!((r.total, r.unknown_tags.len()), (0, 1));
    // Crossovers, metatag-collapsed.
    fx.check(
        &[("work_search[crossover]", "T")],
        &format!("{FANDOM_COUNT} > 1"),
        UPDATED,
    )
    .await;
    fx.check(
        &[("work_search[crossover]", "F")],
        &format!("{FANDOM_COUNT} <= 1"),
        UPDATED,
    )
    .await;
    fx.check(
        &[("work_search[max_fandoms]", "1")],
        &format!("{FANDOM_COUNT} <= 1"),
        UPDATED,
    )
    .await;
    // Status, length, chapters, language, dates.
    fx.check(&[("work_search[complete]", "T")], "w.complete = 1", UPDATED)
        .await;
    fx.check(&[("work_search[complete]", "F")], "w.complete = 0", UPDATED)
        .await;
    fx.check(
        &[("work_search[single_chapter]", "1")],
        "w.chapter_count = 1",
        UPDATED,
    )
    .await;
    fx.check(
        &[
            ("work_search[words_from]", "10,000"),
            ("work_search[words_to]", "30000"),
        ],
        "w.word_count BETWEEN 10000 AND 30000",
        UPDATED,
    )
    .await;
    fx.check(
        &[("work_search[language_id]", "fr")],
        "w.language = 'fr'",
        UPDATED,
    )
    .await;
    fx.check(
        &[("work_search[revised_at]", "< 8 weeks")],
        &format!("w.updated_at >= {}", NOW - 56 * 86_400),
        UPDATED,
    )
    .await;
    fx.check(
        &[("work_search[created_at]", "> 6 months")],
        &format!("w.published_at <= {}", NOW - 180 * 86_400),
        UPDATED,
    )
    .await;
    // Restricted works: members see them, guests do not.
    let member = fx
        .search
        .search(SearchRequest {
            filter: WorkFilter::default(),
            member: true,
            per_page: 1,
            facets: false,
            now: NOW,
        })
        .await
        .expect("member search");
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM works")
        .fetch_one(&fx.db)
        .await
        .expect("count");
    assert_eq!(member.total, all as u64);
}

#[tokio::test]
async fn text_queries_match_sql() {
    let fx = fixture().await;
    let by_id = |mut v: Vec<i64>| {
        v.sort_unstable();
        v
    };
    for (q, cond) in [
        ("lantern", format!("{TEXT} LIKE '%lantern%'")),
        ("lantern -kettle", format!("{TEXT} LIKE '%lantern%' AND {TEXT} NOT LIKE '%kettle%'")),
        ("\"copper violet\"", format!("{TEXT} LIKE '%copper violet%'")),
        ("title:falcon", "lower(w.title) LIKE 'falcon %'".to_string()),
        ("summary:meadow", "lower(w.summary_html) LIKE '%meadow%'".to_string()),
        ("creator:author3", "w.anonymous = 0 AND w.id IN (SELECT c.work_id FROM creatorships c JOIN pseuds p ON p.id = c.pseud_id WHERE p.name = 'author3')".to_string()),
    ] {
        let want = fx.sql_ids(&cond, "w.id").await;
        let got = fx.engine(&[("work_search[query]", q)], false).await;
        assert!(!want.is_empty(), "weak test: {q}");
        assert_eq!(by_id(got.ids.clone()), want, "{q}");
        if !q.contains(':') {
            assert!(got.snippets.values().any(|s| s.contains("<b>")), "snippets for {q}");
        }
    }
}

#[tokio::test]
async fn sorts_match_sql() {
    let fx = fixture().await;
    for (col, dir, order) in [
        ("revised_at", "desc", "w.updated_at DESC, w.id DESC"),
        ("revised_at", "asc", "w.updated_at ASC, w.id ASC"),
        ("created_at", "desc", "w.published_at DESC, w.id DESC"),
        ("kudos_count", "desc", "w.kudos_count DESC, w.id DESC"),
        ("kudos_count", "asc", "w.kudos_count ASC, w.id ASC"),
        ("hits", "desc", "w.hits DESC, w.id DESC"),
        (
            "bookmarks_count",
            "desc",
            "w.bookmarks_count DESC, w.id DESC",
        ),
        ("comments_count", "desc", "w.comments_count DESC, w.id DESC"),
        ("word_count", "asc", "w.word_count ASC, w.id ASC"),
        ("title_to_sort_on", "asc", "lower(w.title) ASC, w.id ASC"),
        ("title_to_sort_on", "desc", "lower(w.title) DESC, w.id DESC"),
        (
            "authors_to_sort_on",
            "asc",
            "CASE WHEN w.anonymous = 1 THEN 'anonymous' ELSE (SELECT lower(p.name) FROM creatorships c \
             JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = w.id) END ASC, w.id ASC",
        ),
    ] {
        fx.check(
            &[
                ("work_search[sort_column]", col),
                ("work_search[sort_direction]", dir),
                ("work_search[other_tag_names]", "Alpha"),
            ],
            &has_tag("Alpha"),
            order,
        )
        .await;
    }
    // Paging: page 2 of 7 is the SQL's rows 8..14.
    let want = fx.sql_ids("1", "w.kudos_count DESC, w.id DESC").await;
    let filter =
        WorkFilter::from_pairs(&[("work_search[sort_column]", "kudos_count"), ("page", "2")]);
    let got = fx
        .search
        .search(SearchRequest {
            filter,
            member: false,
            per_page: 7,
            facets: false,
            now: NOW,
        })
        .await
        .expect("page");
    assert_eq!(got.ids, want[7..14].to_vec());
    // Deep paging is refused with a clear error.
    let filter = WorkFilter::from_pairs(&[("page", "100000")]);
    let err = fx
        .search
        .search(SearchRequest {
            filter,
            member: false,
            per_page: 20,
            facets: false,
            now: NOW,
        })
        .await;
    assert!(matches!(err, Err(tome_search::SearchError::TooDeep { .. })));
}

#[tokio::test]
async fn facets_match_sql() {
    let fx = fixture().await;
    for (pairs, cond) in [
        (vec![], "1".to_string()),
        (
            vec![("work_search[other_tag_names]", "Gamma Verse")],
            has_tag("Gamma Verse"),
        ),
        (
            vec![
                ("work_search[complete]", "T"),
                ("work_search[excluded_tag_names]", "Ann"),
            ],
            format!("w.complete = 1 AND NOT {}", has_tag("Ann")),
        ),
    ] {
        let got = fx.engine(&pairs, true).await;
        let facets = got.facets.expect("facets");
        for kind in TagKind::ALL {
            let sql = format!(
                "SELECT COALESCE(t.merger_id, t.id) AS fid, COUNT(DISTINCT wt.work_id) AS n \
                 FROM work_tags wt JOIN tags t ON t.id = wt.tag_id JOIN works w ON w.id = wt.work_id \
                 WHERE w.draft = 0 AND w.hidden = 0 AND w.restricted = 0 AND t.kind = '{}' AND ({cond}) \
                 GROUP BY fid ORDER BY n DESC, fid ASC LIMIT 10",
                kind.as_str()
            );
            let want: Vec<(i64, u64)> = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&fx.db)
                .await
                .expect("facet reference")
                .iter()
                .map(|r| (r.get::<i64, _>("fid"), r.get::<i64, _>("n") as u64))
                .collect();
            let have: Vec<(i64, u64)> = facets
                .kinds
                .iter()
                .find(|(k, _)| k == kind)
                .map(|(_, l)| l.iter().map(|c| (c.id, c.count)).collect())
                .unwrap_or_default();
            assert_eq!(have, want, "{kind} facets for {pairs:?}");
        }
    }
}

#[tokio::test]
async fn changes_reach_the_index_through_the_outbox() {
    let fx = fixture().await;
    let store = fx.search.store().clone();
    let before = fx
        .engine(&[("work_search[query]", "zeppelin")], false)
        .await
        .total;
    assert_eq!(before, 0);
    let id = store
        .create_work(&WorkDraft {
            title: "Zeppelin".into(),
            chapters: vec![ChapterDraft {
                body_html: "<p>up</p>".into(),
                word_count: 1,
                ..Default::default()
            }],
            published_at: Some(NOW),
            ..Default::default()
        })
        .await
        .expect("create");
    fx.search.catch_up().await.expect("catch up");
    assert_eq!(
        fx.engine(&[("work_search[query]", "zeppelin")], false)
            .await
            .ids,
        vec![id]
    );
    store.delete_work(id).await.expect("delete");
    fx.search.catch_up().await.expect("catch up");
    assert_eq!(
        fx.engine(&[("work_search[query]", "zeppelin")], false)
            .await
            .total,
        0
    );
    // Nothing left to apply: the position was recorded.
    assert_eq!(fx.search.catch_up().await.expect("idle"), 0);
}

/// Wrangling re-indexes the works it affects, through the outbox: a free tag made a
/// synonym of a canonical tag, and a canonical tag put under a metatag, change what a tag
/// filter finds once the indexer has caught up — without a rebuild.
#[tokio::test]
async fn rewrangling_tags_reindexes_the_affected_works() {
    let fx = fixture().await;
    let store = fx.search.store().clone();
    let id = store
        .create_work(&WorkDraft {
            title: "Wrangled Later".into(),
            tags: vec![
                (TagKind::Freeform, "Tooth-Rotting Sweetness".into()),
                (TagKind::Freeform, "Humor".into()),
            ],
            chapters: vec![ChapterDraft {
                body_html: "<p>sweet</p>".into(),
                word_count: 1,
                ..Default::default()
            }],
            published_at: Some(NOW),
            ..Default::default()
        })
        .await
        .expect("create");
    fx.search.catch_up().await.expect("catch up");
    let finds = |name: &'static str| {
        let fx = &fx;
        async move {
            fx.engine(&[("work_search[other_tag_names]", name)], false)
                .await
                .ids
                .contains(&id)
        }
    };
    assert!(!finds("Fluff").await);
    assert!(!finds("Angst").await);

    let fluff = entry(
        TagKind::Freeform,
        "Fluff",
        &["Tooth-Rotting Sweetness"],
        &[],
    );
    let humor_under_angst = entry(TagKind::Freeform, "Humor", &[], &["Angst"]);
    let report = store
        .import_vocabulary(&VocabularyFile {
            about: None,
            tags: vec![fluff, humor_under_angst],
        })
        .await
        .expect("re-wrangle");
    assert!(report.works_reindexed >= 1, "{report:?}");
    fx.search.catch_up().await.expect("catch up");
    assert!(
        finds("Fluff").await,
        "the synonym's work is found under Fluff"
    );
    assert!(
        finds("Angst").await,
        "Humor's work is found under its new metatag"
    );
}
