//! Search latency over a generated archive, one query at a time: the tantivy engine
//! (`tome_search::Search`, as the web page calls it) and, side by side on the same SQLite
//! database, the plain SQL a small archive would write by hand (tag families by a
//! recursive CTE, `COUNT(*)` plus `ORDER BY … LIMIT 20`, `LIKE` for text, `GROUP BY` for
//! facets) using only the schema's own indexes.
//!
//! ```sh
//! cargo build --release -p tome-bench-search
//! target/release/bench-search /work/bench-data/1m [ENGINE_RUNS] [SQL_SECONDS]
//! ```
//!
//! The data folder must hold a `tome gen-corpus` archive indexed by `tome reindex`.
//! Each shape runs `ENGINE_RUNS` times (default 200) on the engine after 5 warm-up runs,
//! cycling through a few variants (different tags) so no single query is measured; SQL
//! runs each shape until `SQL_SECONDS` (default 10) have passed, at least once.
//! Prints a Markdown table: median and p99 per shape, without and with facets, and the
//! SQL/engine ratio of medians.

use std::time::{Duration, Instant};

use anyhow::Context;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use tome_model::filter::WorkFilter;
use tome_search::{Search, SearchRequest};
use tome_store::Store;

const PER_PAGE: u32 = 20;
const LISTED: &str = "w.draft = 0 AND w.hidden = 0 AND w.restricted = 0";

/// One variant of a shape: the AO3 query string and the equivalent SQL.
struct Variant {
    pairs: Vec<(String, String)>,
    /// The `WHERE` condition on `works w` (besides "listed").
    cond: String,
    order: String,
}

struct Shape {
    name: String,
    variants: Vec<Variant>,
    /// Whether SQL and the engine count the same works (text queries differ a little:
    /// `LIKE` matches inside longer words, the engine also searches tags and creators).
    exact: bool,
}

/// SQL for "the work carries tag NAME, a synonym of it or a subtag (or a synonym of one)":
/// what the store's own tag listings do.
fn has_tag(name: &str) -> String {
    let name = name.replace('\'', "''");
    format!(
        "w.id IN (WITH RECURSIVE fam(id) AS ( \
            SELECT COALESCE(merger_id, id) FROM tags WHERE name_lower = lower('{name}') \
            UNION SELECT tp.child_id FROM tag_parents tp JOIN fam ON tp.parent_id = fam.id \
                JOIN tags c ON c.id = tp.child_id JOIN tags p ON p.id = tp.parent_id WHERE c.kind = p.kind \
         ), ts(id) AS (SELECT id FROM fam UNION SELECT t.id FROM tags t JOIN fam ON t.merger_id = fam.id) \
         SELECT work_id FROM work_tags WHERE tag_id IN (SELECT id FROM ts))"
    )
}

fn not_tag(name: &str) -> String {
    format!("NOT {}", has_tag(name))
}

/// Crossovers: works whose fandoms (synonyms merged, fandoms under a metatag counted
/// once) have more than one root. One pass: each fandom tag mapped to its root once, the
/// fandom rows of `work_tags` grouped by work. (A correlated count per work, the obvious
/// way to write it, had not finished one run over a million works after 4 minutes; so
/// had this one without `MATERIALIZED`, which SQLite flattened into the join, running the
/// parent lookup, a scan of every fandom tag, once per fandom row of `work_tags`.)
const CROSSOVER: &str = "w.id IN (WITH root(tag_id, root) AS MATERIALIZED ( \
        SELECT t.id, COALESCE((SELECT tp.parent_id FROM tag_parents tp \
            JOIN tags p ON p.id = tp.parent_id AND p.kind = 'fandom' \
            WHERE tp.child_id = COALESCE(t.merger_id, t.id)), \
            COALESCE(t.merger_id, t.id)) \
        FROM tags t WHERE t.kind = 'fandom') \
     SELECT wt.work_id FROM root JOIN work_tags wt ON wt.tag_id = root.tag_id \
     GROUP BY wt.work_id HAVING COUNT(DISTINCT root.root) > 1)";

fn text_like(word: &str) -> String {
    let w = word.replace('\'', "''").to_lowercase();
    format!(
        "(lower(w.title) LIKE '%{w}%' OR lower(COALESCE(w.summary_html, '')) LIKE '%{w}%' \
         OR w.id IN (SELECT work_id FROM chapters WHERE lower(body_html) LIKE '%{w}%'))"
    )
}

fn p(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

const BY_UPDATED: &str = "w.updated_at DESC, w.id DESC";

fn shapes(fandoms: &[String], free: &[String], word: &str, rare: &str) -> Vec<Shape> {
    let v = |pairs: Vec<(String, String)>, cond: String| Variant {
        pairs,
        cond,
        order: BY_UPDATED.into(),
    };
    let cycle = |f: &dyn Fn(usize) -> Variant| (0..5).map(f).collect::<Vec<_>>();
    let mut out = vec![
        Shape {
            name: "no filter (all works, by update)".into(),
            variants: vec![v(vec![], "1".into())],
            exact: true,
        },
        Shape {
            name: "one popular tag (top-5 fandom)".into(),
            variants: cycle(&|i| {
                v(
                    vec![p("work_search[other_tag_names]", &fandoms[i])],
                    has_tag(&fandoms[i]),
                )
            }),
            exact: true,
        },
        Shape {
            name: "2 included + 5 excluded".into(),
            variants: cycle(&|i| {
                let ex: Vec<&String> = free.iter().skip(2).take(5).collect();
                let mut cond = format!("{} AND {}", has_tag(&fandoms[i]), has_tag(&free[i % 2]));
                for e in &ex {
                    cond.push_str(" AND ");
                    cond.push_str(&not_tag(e));
                }
                v(
                    vec![
                        p(
                            "work_search[other_tag_names]",
                            &format!("{},{}", fandoms[i], free[i % 2]),
                        ),
                        p(
                            "work_search[excluded_tag_names]",
                            &ex.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","),
                        ),
                    ],
                    cond,
                )
            }),
            exact: true,
        },
        Shape {
            name: "1 included + 20 excluded".into(),
            variants: cycle(&|i| {
                let ex: Vec<&String> = free.iter().skip(i).take(20).collect();
                let mut cond = has_tag(&fandoms[i]);
                for e in &ex {
                    cond.push_str(" AND ");
                    cond.push_str(&not_tag(e));
                }
                v(
                    vec![
                        p("work_search[other_tag_names]", &fandoms[i]),
                        p(
                            "work_search[excluded_tag_names]",
                            &ex.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","),
                        ),
                    ],
                    cond,
                )
            }),
            exact: true,
        },
        Shape {
            name: format!("text + tag (\"{word}\" in a top-5 fandom)"),
            variants: cycle(&|i| {
                v(
                    vec![
                        p("work_search[query]", word),
                        p("work_search[other_tag_names]", &fandoms[i]),
                    ],
                    format!("{} AND {}", text_like(word), has_tag(&fandoms[i])),
                )
            }),
            exact: false,
        },
        Shape {
            name: format!("text only, a rarer word (\"{rare}\")"),
            variants: vec![v(vec![p("work_search[query]", rare)], text_like(rare))],
            exact: false,
        },
        Shape {
            name: "crossovers only".into(),
            variants: vec![v(
                vec![p("work_search[crossover]", "T")],
                CROSSOVER.to_string(),
            )],
            exact: true,
        },
        Shape {
            name: "10k–50k words + complete".into(),
            variants: vec![v(
                vec![
                    p("work_search[words_from]", "10000"),
                    p("work_search[words_to]", "50000"),
                    p("work_search[complete]", "T"),
                ],
                "w.word_count BETWEEN 10000 AND 50000 AND w.complete = 1".into(),
            )],
            exact: true,
        },
    ];
    for (col, order) in [
        ("created_at", "w.published_at DESC, w.id DESC"),
        ("kudos_count", "w.kudos_count DESC, w.id DESC"),
        ("hits", "w.hits DESC, w.id DESC"),
        ("bookmarks_count", "w.bookmarks_count DESC, w.id DESC"),
        ("comments_count", "w.comments_count DESC, w.id DESC"),
        ("word_count", "w.word_count DESC, w.id DESC"),
        ("title_to_sort_on", "lower(w.title) DESC, w.id DESC"),
        (
            "authors_to_sort_on",
            "CASE WHEN w.anonymous = 1 THEN 'anonymous' ELSE (SELECT lower(p.name) FROM creatorships c \
             JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = w.id ORDER BY c.position LIMIT 1) END DESC, w.id DESC",
        ),
    ] {
        out.push(Shape {
            name: format!("all works, sort by {col}"),
            variants: vec![Variant {
                pairs: vec![
                    p("work_search[sort_column]", col),
                    p("work_search[sort_direction]", "desc"),
                ],
                cond: "1".into(),
                order: order.into(),
            }],
            exact: true,
        });
    }
    out
}

#[derive(Default)]
struct Timing {
    samples: Vec<Duration>,
}

impl Timing {
    fn pct(&self, q: f64) -> f64 {
        let mut v: Vec<f64> = self.samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        if v.is_empty() {
            return f64::NAN;
        }
        let i = ((v.len() as f64 - 1.0) * q).round() as usize;
        v[i.min(v.len() - 1)]
    }
}

async fn engine(search: &Search, v: &Variant, facets: bool) -> anyhow::Result<u64> {
    // Uncached: the results cache would answer every run after the first.
    let r = search
        .search_uncached(SearchRequest {
            filter: WorkFilter::from_pairs(&v.pairs),
            member: false,
            per_page: PER_PAGE,
            facets,
            now: now(),
        })
        .await?;
    Ok(r.total)
}

/// The hand-written SQL: count, first page, and per-kind top-10 tags when `facets`.
async fn sql(db: &SqlitePool, v: &Variant, facets: bool) -> anyhow::Result<u64> {
    let cond = format!("{LISTED} AND ({})", v.cond);
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM works w WHERE {cond}"
    )))
    .fetch_one(db)
    .await?;
    let _page: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT w.id FROM works w WHERE {cond} ORDER BY {} LIMIT {PER_PAGE}",
        v.order
    )))
    .fetch_all(db)
    .await?;
    if facets {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT t.kind, COALESCE(t.merger_id, t.id) AS fid, COUNT(DISTINCT wt.work_id) AS n \
             FROM work_tags wt JOIN tags t ON t.id = wt.tag_id JOIN works w ON w.id = wt.work_id \
             WHERE {cond} GROUP BY t.kind, fid"
        )))
        .fetch_all(db)
        .await?;
        let mut per: std::collections::HashMap<String, Vec<(i64, i64)>> = Default::default();
        for r in &rows {
            per.entry(r.try_get("kind")?)
                .or_default()
                .push((r.try_get("n")?, r.try_get("fid")?));
        }
        let mut top = Vec::new();
        for list in per.values_mut() {
            list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            top.extend(list.iter().take(10).map(|(_, id)| *id));
        }
        let ids: Vec<String> = top.iter().map(|i| i.to_string()).collect();
        if !ids.is_empty() {
            let _names: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM tags WHERE id IN ({})",
                ids.join(",")
            )))
            .fetch_all(db)
            .await?;
        }
    }
    Ok(n as u64)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The most used canonical tags of a kind.
async fn top_tags(db: &SqlitePool, kind: &str, n: usize) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT t.name FROM tags t JOIN (SELECT tag_id, COUNT(*) AS c FROM work_tags GROUP BY tag_id) u \
         ON u.tag_id = t.id WHERE t.kind = '{kind}' AND t.canonical = 1 ORDER BY u.c DESC LIMIT {n}"
    )))
    .fetch_all(db)
    .await?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let data = std::path::PathBuf::from(
        args.get(1)
            .context("usage: bench-search DATA_DIR [ENGINE_RUNS] [SQL_SECONDS]")?,
    );
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let sql_budget =
        Duration::from_secs_f64(args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10.0));
    let store = Store::open_data_dir(&data).await?;
    let search = Search::open(&data.join(tome_search::INDEX_DIR), store).await?;
    let docs = search.num_docs();
    anyhow::ensure!(docs > 0, "the index is empty: run `tome reindex` first");
    let db = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(data.join("tome.db"))
                .read_only(true),
        )
        .await?;
    let fandoms = top_tags(&db, "fandom", 5).await?;
    let free = top_tags(&db, "freeform", 30).await?;
    // A common English word of the generator, and a rarer invented one from a known work.
    let word = "lighthouse";
    let body: String = sqlx::query_scalar(
        "SELECT body_html FROM chapters WHERE work_id = (SELECT MIN(id) + 1000 FROM works) ORDER BY position LIMIT 1",
    )
    .fetch_one(&db)
    .await?;
    let rare = body
        .split(|c: char| !c.is_alphanumeric())
        .rev()
        .find(|t| t.len() >= 7 && t.chars().all(|c| c.is_lowercase()))
        .unwrap_or("lantern")
        .to_string();
    eprintln!("{docs} documents; fandoms {fandoms:?}; rare word {rare}");
    // BENCH_SHAPES=a,b: only shapes whose name contains one of these; BENCH_NO_SQL=a,b:
    // no SQL for those (a query that runs for minutes).
    let list = |var: &str| -> Vec<String> {
        std::env::var(var)
            .map(|v| {
                v.split(',')
                    .map(str::to_string)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (only, no_sql) = (list("BENCH_SHAPES"), list("BENCH_NO_SQL"));
    let shapes: Vec<Shape> = shapes(&fandoms, &free, word, &rare)
        .into_iter()
        .filter(|s| only.is_empty() || only.iter().any(|o| s.name.contains(o.as_str())))
        .collect();

    println!(
        "| shape | matches | engine median / p99 (ms) | engine + facets median / p99 (ms) | SQL median (ms) [runs] | SQL + facets median (ms) [runs] | SQL/engine (no facets / facets) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for s in &shapes {
        let mut cols = Vec::new();
        for facets in [false, true] {
            for k in 0..5 {
                engine(&search, &s.variants[k % s.variants.len()], facets).await?;
            }
            let mut t = Timing::default();
            for k in 0..runs {
                let v = &s.variants[k % s.variants.len()];
                let start = Instant::now();
                engine(&search, v, facets).await?;
                t.samples.push(start.elapsed());
            }
            cols.push(t);
        }
        let mut sql_cols = Vec::new();
        let mut sql_total = 0;
        let skip_sql = no_sql.iter().any(|o| s.name.contains(o.as_str()));
        for facets in [false, true] {
            if skip_sql {
                sql_cols.push(Timing::default());
                continue;
            }
            let mut t = Timing::default();
            let begun = Instant::now();
            let mut k = 0;
            while k < 1 || (begun.elapsed() < sql_budget && k < runs) {
                let v = &s.variants[k % s.variants.len()];
                let start = Instant::now();
                let n = sql(&db, v, facets).await?;
                t.samples.push(start.elapsed());
                if k == 0 && !facets {
                    // Compare with the engine on the same (first) variant.
                    sql_total = n;
                }
                k += 1;
            }
            sql_cols.push(t);
        }
        let first = engine(&search, &s.variants[0], false).await?;
        let agree = if skip_sql {
            " (SQL not run)".to_string()
        } else if first == sql_total {
            String::new()
        } else if s.exact {
            format!(" **(SQL counts {sql_total})**")
        } else {
            format!(" (SQL `LIKE` counts {sql_total})")
        };
        println!(
            "| {} | {first}{agree} | {:.2} / {:.2} | {:.2} / {:.2} | {:.1} [{}] | {:.1} [{}] | {:.0}× / {:.0}× |",
            s.name,
            cols[0].pct(0.5),
            cols[0].pct(0.99),
            cols[1].pct(0.5),
            cols[1].pct(0.99),
            sql_cols[0].pct(0.5),
            sql_cols[0].samples.len(),
            sql_cols[1].pct(0.5),
            sql_cols[1].samples.len(),
            sql_cols[0].pct(0.5) / cols[0].pct(0.5),
            sql_cols[1].pct(0.5) / cols[1].pct(0.5),
        );
    }
    Ok(())
}
