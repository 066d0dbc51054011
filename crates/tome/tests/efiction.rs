//! `tome import-efiction` end to end: the real binary imports an eFiction archive into a
//! real data folder (SQLite, or PostgreSQL with `TOME_TEST_BACKEND=postgres`), a real
//! server is started on it, and every fact of the archive's `expected.json` is checked
//! over HTTP: works, chapters, tags, comments, series, bookmarks, old-URL redirects, and
//! that the pending story is nowhere to be seen.

mod common;

use common::*;
use scraper::{Html, Selector};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn sample_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/efiction-sample");
    assert!(
        dir.join("dump.sql").exists(),
        "the eFiction sample is missing: expected {} (tests read ../shared)",
        dir.display()
    );
    dir
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(sample_dir().join("expected.json")).unwrap())
        .unwrap()
}

/// Runs `tome import-efiction ARGS --json` and returns its report.
fn import(data: &Path, args: &[&str]) -> Value {
    let out = run_ok(tome(data).arg("import-efiction").args(args).arg("--json"));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "report is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

const OLD: &str = "https://old.example.org/efiction/";

/// A GET that does not follow redirects: (status, Location, body).
fn get(url: &str) -> (u16, Option<String>, String) {
    let (status, headers) = http_head(url);
    let location = headers
        .iter()
        .find(|(k, _)| k == "location")
        .map(|(_, v)| v.clone());
    let body = if status == 200 {
        http_get(url).1
    } else {
        String::new()
    };
    (status, location, body)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// What a reader sees of some HTML: text with white space runs collapsed.
fn seen(html: &str) -> String {
    tome_text::html_to_plain(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn inner(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(|e| e.inner_html()).collect()
}

/// Days since 1970 to (y, m, d) (Howard Hinnant's civil_from_days).
fn ymd(unix: i64) -> String {
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn warning_name(class: &str) -> Option<&'static str> {
    match class {
        "Violence" => Some("Graphic Depictions Of Violence"),
        "Character Death" => Some("Major Character Death"),
        "No Warnings Apply" => Some("No Archive Warnings Apply"),
        _ => None,
    }
}

/// The work an old story link leads to.
fn work_of(base: &str, sid: &str) -> String {
    let (status, location, _) = get(&format!("{base}/efiction/viewstory.php?sid={sid}"));
    assert_eq!(status, 301, "viewstory.php?sid={sid}");
    let location = location.expect("a Location");
    assert!(location.starts_with("/works/"), "{location}");
    location
}

/// Every fact of expected.json, checked on the running archive.
fn check_archive(base: &str) {
    let exp = expected();
    let mut pages = Vec::new();
    let mut work_ids = std::collections::HashMap::new();
    for (sid, st) in exp["stories"].as_object().unwrap() {
        if st["validated"] == false {
            continue;
        }
        let work = work_of(base, sid);
        work_ids.insert(sid.clone(), work.clone());
        let (status, _, body) = get(&format!("{base}{work}?view_full_work=true"));
        assert_eq!(status, 200, "story {sid} at {work}");
        let doc = Html::parse_document(&body);
        let title = st["title"].as_str().unwrap();
        assert_eq!(texts(&doc, "h2.title"), [title], "story {sid} title");
        let mut authors = vec![st["author"].as_str().unwrap().to_string()];
        authors.extend(
            st["coauthors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string()),
        );
        assert_eq!(texts(&doc, "h3.byline a"), authors, "story {sid} byline");
        let rating = match st["rating"].as_str().unwrap() {
            "G" => "General Audiences",
            "PG-13" => "Teen And Up Audiences",
            "R" => "Mature",
            "NC-17" => "Explicit",
            other => panic!("rating {other}"),
        };
        assert_eq!(
            texts(&doc, "dd.rating a.tag"),
            [rating],
            "story {sid} rating"
        );
        let fandoms = texts(&doc, "dd.fandom a.tag");
        let freeforms = texts(&doc, "dd.freeform a.tag");
        for path in st["category_paths"].as_array().unwrap() {
            let parts: Vec<&str> = path.as_str().unwrap().split(" > ").collect();
            assert!(
                fandoms.contains(&parts[0].to_string()),
                "story {sid}: fandom {path} in {fandoms:?}"
            );
            if parts.len() > 1 {
                let sub = parts[parts.len() - 1].to_string();
                assert!(
                    freeforms.contains(&sub),
                    "story {sid}: {sub} in {freeforms:?}"
                );
            }
        }
        assert_eq!(
            fandoms.len(),
            st["categories"]
                .as_array()
                .unwrap()
                .len()
                .min(fandoms.len())
        );
        let characters = texts(&doc, "dd.character a.tag");
        for c in st["characters"].as_array().unwrap() {
            let c = c.as_str().unwrap();
            assert!(
                characters
                    .iter()
                    .any(|x| x == c || x.starts_with(&format!("{c} ("))),
                "story {sid}: character {c} in {characters:?}"
            );
        }
        let warnings = texts(&doc, "dd.warning a.tag");
        for (ty, classes) in st["classes"].as_object().unwrap() {
            for c in classes.as_array().unwrap() {
                let c = c.as_str().unwrap();
                match (ty.as_str(), warning_name(c)) {
                    ("Warnings", Some(w)) => assert!(
                        warnings.contains(&w.to_string()),
                        "story {sid}: {w} in {warnings:?}"
                    ),
                    _ => assert!(
                        freeforms.contains(&c.to_string()),
                        "story {sid}: {c} in {freeforms:?}"
                    ),
                }
            }
        }
        if !st["classes"].as_object().unwrap().contains_key("Warnings") {
            assert_eq!(
                warnings,
                ["Creator Chose Not To Use Archive Warnings"],
                "story {sid}"
            );
        }
        let summary =
            seen(&inner(&doc, "#workskin > div.preface > div.summary blockquote").concat());
        assert!(
            summary.starts_with(st["summary_starts"].as_str().unwrap()),
            "story {sid} summary {summary:?}"
        );
        let notes = inner(&doc, "#workskin > div.preface > div.notes blockquote");
        match st["storynotes_start"].as_str() {
            Some(n) => assert!(
                seen(&notes.concat()).starts_with(n),
                "story {sid} notes {notes:?}"
            ),
            None => assert!(notes.is_empty(), "story {sid} has no notes: {notes:?}"),
        }
        let published = texts(&doc, "dd.published");
        assert_eq!(
            published,
            [ymd(st["date"].as_i64().unwrap())],
            "story {sid} date"
        );
        let n = st["chapter_count"].as_u64().unwrap();
        let chapters_stat = texts(&doc, "dd.chapters").concat();
        let want = if st["completed"] == true {
            format!("{n}/{n}")
        } else {
            format!("{n}/?")
        };
        assert_eq!(chapters_stat, want, "story {sid} chapters and completion");
        // Chapter by chapter: title, text, notes.
        let chapters = st["chapters"].as_array().unwrap();
        let bodies: Vec<String> = if n > 1 {
            inner(&doc, "#chapters > div.chapter > div.userstuff")
        } else {
            inner(&doc, "#chapters > div.userstuff")
        };
        assert_eq!(bodies.len() as u64, n, "story {sid} chapters shown");
        let titles = texts(&doc, "#chapters h3.title");
        for (i, ch) in chapters.iter().enumerate() {
            let text = seen(&bodies[i]).replace("Chapter Text ", "");
            let starts = ch["text_starts"].as_str().unwrap();
            let ends = ch["text_ends"].as_str().unwrap();
            assert!(
                text.starts_with(starts),
                "story {sid} ch {i}: {:?}",
                &text[..80.min(text.len())]
            );
            assert!(
                text.ends_with(ends),
                "story {sid} ch {i} ends: {:?}",
                &text[text.len().saturating_sub(80)..]
            );
            if n > 1 {
                assert_eq!(
                    titles[i],
                    format!("Chapter {}: {}", i + 1, ch["title"].as_str().unwrap()),
                    "story {sid} chapter title"
                );
                let chapter = doc
                    .select(&sel("#chapters > div.chapter"))
                    .nth(i)
                    .unwrap()
                    .html();
                let cdoc = Html::parse_fragment(&chapter);
                let cnotes = inner(&cdoc, "div.preface div.notes:not(.end) blockquote");
                match ch["notes_start"].as_str() {
                    Some(s) => assert!(
                        seen(&cnotes.concat()).starts_with(s),
                        "story {sid} ch {i} notes"
                    ),
                    None => assert!(cnotes.is_empty(), "story {sid} ch {i}: {cnotes:?}"),
                }
                let end = inner(&cdoc, "div.end.notes blockquote");
                match ch["endnotes_start"].as_str() {
                    Some(s) => assert!(
                        seen(&end.concat()).starts_with(s),
                        "story {sid} ch {i} end notes"
                    ),
                    None => assert!(end.is_empty(), "story {sid} ch {i}: {end:?}"),
                }
            }
        }
        // Reviews: the comments, with the reviewer's name.
        let comments = inner(&doc, "#comments_placeholder li.comment");
        let rows = st["review_rows"].as_u64().unwrap() as usize;
        let top: Vec<String> = comments
            .iter()
            .filter(|c| !c.contains("Author's Response"))
            .cloned()
            .collect();
        assert!(
            top.len() >= rows,
            "story {sid}: {rows} reviews, {} comments",
            top.len()
        );
        if let Some(r) = st["review_sample"].as_object() {
            let name = r["reviewer"].as_str().unwrap();
            let starts = r["text_starts"].as_str().unwrap();
            assert!(
                comments.iter().any(|c| {
                    let cdoc = Html::parse_fragment(c);
                    texts(&cdoc, "h4.byline").concat().starts_with(name)
                        && seen(&inner(&cdoc, "blockquote").concat()).starts_with(starts)
                }),
                "story {sid}: review by {name} starting {starts:?} in {comments:?}"
            );
        }
        // Series.
        let series = texts(&doc, "dd.series span.position");
        for s in st["series"].as_array().unwrap() {
            let want = format!(
                "Part {} of {}",
                s["order"].as_u64().unwrap(),
                s["series_title"].as_str().unwrap()
            );
            assert!(series.contains(&want), "story {sid}: {want} in {series:?}");
        }
        pages.push(body);
    }
    // Author responses became replies by the author; anonymous reviewers kept their names.
    let all = pages.concat();
    for (_, response) in exp["author_responses"].as_object().unwrap() {
        let r = response.as_str().unwrap();
        let escaped = r.replace('\'', "&#39;");
        assert!(
            all.contains(r) || all.contains(&escaped) || seen(&all).contains(r),
            "author response {r:?}"
        );
    }
    for name in ["Dawn S.", "Anonymous"] {
        assert!(all.contains(name), "anonymous reviewer {name}");
    }
    // The series review is kept on the series' first work.
    assert!(seen(&all).contains("Love this series, and thanks for letting"));
    for bad in exp["must_not"]["appear_anywhere"].as_array().unwrap() {
        let bad = bad.as_str().unwrap();
        for page in &pages {
            let doc = Html::parse_document(page);
            let stuff = inner(&doc, ".userstuff").concat() + &texts(&doc, "h2.title").concat();
            assert!(
                !stuff.contains(bad) && !seen(&stuff).contains(bad),
                "{bad:?} in a work page"
            );
        }
    }

    // Series pages, in eFiction's order.
    for (id, se) in exp["series"].as_object().unwrap() {
        let (status, location, _) = get(&format!("{base}/efiction/series.php?seriesid={id}"));
        assert_eq!(status, 301, "series {id}");
        let location = location.unwrap();
        let (status, _, body) = get(&format!("{base}{location}"));
        assert_eq!(status, 200);
        let doc = Html::parse_document(&body);
        assert!(
            texts(&doc, "h2")
                .iter()
                .any(|t| t == se["title"].as_str().unwrap()),
            "series {id} title in {:?}",
            texts(&doc, "h2")
        );
        let titles = texts(&doc, "li.work h4.heading a:first-child");
        let want: Vec<String> = se["stories_in_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                exp["stories"][s.as_u64().unwrap().to_string()]["title"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(titles, want, "series {id} order");
    }

    // Authors' pages; the admin, with no stories, reviews or favourites, was not made.
    for (uid, au) in exp["authors"].as_object().unwrap() {
        let (status, location, _) = get(&format!("{base}/efiction/viewuser.php?uid={uid}"));
        if au["stories_as_author_or_coauthor_all"] == 0 {
            assert_eq!(status, 404, "author {uid}");
            continue;
        }
        assert_eq!(status, 301, "author {uid}");
        let (status, _, body) = get(&format!("{base}{}", location.unwrap()));
        assert_eq!(status, 200);
        assert!(body.contains(au["penname"].as_str().unwrap()));
        assert!(
            body.contains("imported from Sunnydale Archive (sample)"),
            "author {uid}: the import is noted"
        );
    }

    // Favourite stories are bookmarks.
    for f in exp["favorites"].as_array().unwrap() {
        if f["type"] != "ST" {
            continue;
        }
        let user = f["user"].as_str().unwrap();
        let (status, _, body) = get(&format!("{base}/users/{user}/bookmarks"));
        assert_eq!(status, 200, "{user}'s bookmarks");
        let title = exp["stories"][f["item"].as_u64().unwrap().to_string()]["title"]
            .as_str()
            .unwrap();
        assert!(body.contains(title), "{user} bookmarked {title}");
        let note = f["comments"].as_str().unwrap();
        assert!(body.contains(note), "{user}'s note {note:?}");
    }

    // Other old links.
    let w5 = &work_ids["5"];
    let (status, location, _) = get(&format!("{base}/efiction/viewstory.php?sid=5&chapter=3"));
    assert_eq!(status, 301);
    let location = location.unwrap();
    assert!(
        location.starts_with(&format!("{w5}/chapters/")),
        "{location}"
    );
    let (_, _, body) = get(&format!("{base}{location}"));
    assert!(seen(&body).contains("The park at night was actually prettier"));
    let (status, location, _) = get(&format!("{base}/efiction/reviews.php?sid=1"));
    assert_eq!(
        (status, location),
        (301, Some(format!("{}#comments_placeholder", work_ids["1"])))
    );
    let (status, location, _) = get(&format!(
        "{base}/efiction/browse.php?type=categories&catid=2"
    ));
    assert_eq!(
        (status, location.as_deref()),
        (301, Some("/tags/Season%205/works"))
    );
    let (status, location, _) = get(&format!(
        "{base}/efiction/browse.php?type=categories&catid=1"
    ));
    assert_eq!(status, 301);
    let (status, _, body) = get(&format!("{base}{}", location.unwrap()));
    assert_eq!(status, 200);
    assert!(body.contains("Second Choice") && body.contains("Fever Dreams"));
    assert_eq!(
        get(&format!("{base}/efiction/viewstory.php?sid=999")).0,
        404
    );
    assert_eq!(
        get(&format!("{base}/efiction/viewstory.php?sid=abc")).0,
        404
    );

    // The pending story: no redirect, not listed, not searchable, not on its author's page.
    for sid in exp["must_not"]["import_as_public_work"].as_array().unwrap() {
        let title = exp["stories"][sid.as_u64().unwrap().to_string()]["title"]
            .as_str()
            .unwrap();
        assert_eq!(
            get(&format!("{base}/efiction/viewstory.php?sid={sid}")).0,
            404
        );
        for page in [
            "/works",
            "/users/WillowTree",
            "/users/WillowTree/works",
            "/tags/Season%206/works",
        ] {
            let (status, _, body) = get(&format!("{base}{page}"));
            assert_eq!(status, 200, "{page}");
            assert!(!body.contains(title), "{title} on {page}");
        }
        let (_, _, body) = get(&format!(
            "{base}/works/search?work_search%5Bquery%5D=Moonlight"
        ));
        assert!(!body.contains(title), "{title} in search");
    }
}

#[test]
fn sample_archive_moves_over_with_every_expected_fact() {
    let data = data_dir();
    let dump = sample_dir().join("dump.sql");
    let dump = dump.to_str().unwrap();
    let first = import(data.path(), &[dump, "--old-url", OLD]);
    assert_eq!(first["failed"], serde_json::json!([]), "{first:#}");
    assert_eq!(first["table_prefix"], "fanfiction_");
    for (key, want) in [
        ("authors_created", 4),
        ("stories_created", 8),
        ("stories_as_drafts", 1),
        ("chapters", 15),
        ("reviews", 7),
        ("series", 2),
        ("bookmarks", 3),
        ("subscriptions", 2),
    ] {
        assert_eq!(first[key], want, "{key}: {first:#}");
    }
    // Again: nothing changes.
    let second = import(data.path(), &[dump, "--old-url", OLD]);
    for (key, want) in [
        ("authors_created", 0),
        ("authors_existing", 4),
        ("stories_created", 0),
        ("stories_updated", 0),
        ("stories_unchanged", 8),
        ("reviews", 0),
        ("series", 0),
        ("bookmarks", 0),
        ("subscriptions", 0),
    ] {
        assert_eq!(second[key], want, "second run {key}: {second:#}");
    }
    let (_server, base) = serve(data.path());
    // The search index follows the outbox; give it a moment for the search check.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    check_archive(&base);
}

/// The hand-made archive in `tests/efiction_data`, copied where the test may change it.
fn handmade() -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/efiction_data");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(src.join("dump.sql"), dir.path().join("dump.sql")).unwrap();
    std::fs::create_dir_all(dir.path().join("stories/1")).unwrap();
    for f in ["10.txt", "11.txt"] {
        std::fs::copy(
            src.join("stories/1").join(f),
            dir.path().join("stories/1").join(f),
        )
        .unwrap();
    }
    dir
}

/// Another prefix, chapters in files (one Windows-1252), double-encoded text, a latin1
/// statement, a story without chapters, a deleted author, a crossover in two categories,
/// magic-quoted series title, script and font tags; then a re-run, and an update.
#[test]
fn handmade_archive_with_files_mojibake_and_orphans() {
    let data = data_dir();
    let src = handmade();
    let dump = src.path().join("dump.sql");
    let stories = src.path().join("stories");
    let (dump_s, stories_s) = (dump.to_str().unwrap(), stories.to_str().unwrap());

    // The archive says its chapters are in files: without --stories nothing is imported.
    let out = tome(data.path())
        .args(["import-efiction", dump_s])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--stories"), "{err}");

    let first = import(
        data.path(),
        &[
            dump_s,
            "--stories",
            stories_s,
            "--old-url",
            "http://oldhaven.example.net/fics/",
        ],
    );
    assert_eq!(first["failed"], serde_json::json!([]), "{first:#}");
    assert_eq!(first["table_prefix"], "efic_fanfiction_");
    assert_eq!(first["archive"], "oldhaven");
    assert_eq!(first["stories_created"], 3, "{first:#}");
    assert_eq!(first["stories_as_drafts"], 1, "{first:#}");
    assert_eq!(first["series"], 1);
    assert_eq!(first["bookmarks"], 1);
    assert_eq!(first["subscriptions"], 1);
    assert!(
        first["mojibake_repairs"].as_u64().unwrap() >= 2,
        "{first:#}"
    );
    assert!(
        first["latin1_statements"].as_u64().unwrap() >= 1,
        "{first:#}"
    );
    let notes = first["notes"].to_string();
    assert!(
        notes.contains("9/12.txt"),
        "missing chapter file reported: {notes}"
    );
    assert!(notes.contains("uid 9"), "deleted author reported: {notes}");
    assert!(
        notes.contains("no chapters"),
        "chapterless story reported: {notes}"
    );
    assert!(
        first["repaired"].to_string().contains("Café Noir"),
        "{first:#}"
    );

    let again = import(data.path(), &[dump_s, "--stories", stories_s]);
    assert_eq!(again["stories_unchanged"], 3, "{again:#}");
    assert_eq!(again["stories_created"], 0);

    let (server, base) = serve(data.path());
    let work = {
        let (status, location, _) = get(&format!("{base}/fics/viewstory.php?sid=1"));
        assert_eq!(status, 301);
        location.unwrap()
    };
    let (_, _, body) = get(&format!("{base}{work}?view_full_work=true"));
    let doc = Html::parse_document(&body);
    assert_eq!(texts(&doc, "h2.title"), ["Café Noir"]);
    assert_eq!(texts(&doc, "h3.byline a"), ["Renée", "Tom & Jerry"]);
    assert_eq!(texts(&doc, "dd.rating a.tag"), ["Mature"]);
    assert_eq!(texts(&doc, "dd.warning a.tag"), ["Rape/Non-Con"]);
    assert_eq!(
        texts(&doc, "dd.fandom a.tag"),
        ["Stargate SG-1", "Doctor Who"]
    );
    assert_eq!(texts(&doc, "dd.relationship a.tag"), ["Daniel/Doctor"]);
    let characters = texts(&doc, "dd.character a.tag");
    assert_eq!(
        characters,
        ["Daniel Jackson", "The Doctor", "Doctor Who (Stargate SG-1)"]
    );
    let freeforms = texts(&doc, "dd.freeform a.tag");
    assert!(
        freeforms.contains(&"Classic Who".to_string()),
        "{freeforms:?}"
    );
    assert!(
        freeforms.contains(&"Swearing - lots".to_string()),
        "{freeforms:?}"
    );
    assert_eq!(texts(&doc, "dd.hits"), ["42"]);
    let summary = seen(&inner(&doc, "#workskin > div.preface > div.summary blockquote").concat());
    assert_eq!(
        summary,
        "Daniel meets a man in a box. It's “bigger” inside."
    );
    let notes = inner(&doc, "#workskin > div.preface > div.notes blockquote").concat();
    assert!(seen(&notes).contains("Crossover!"));
    assert!(
        !notes.contains("<script") && !notes.contains("alert(1)") && !notes.contains("<font"),
        "{notes}"
    );
    assert_eq!(
        texts(&doc, "#chapters h3.title"),
        ["Chapter 1: The Man", "Chapter 2: The Box"]
    );
    let bodies = inner(&doc, "#chapters > div.chapter > div.userstuff");
    assert_eq!(
        bodies[0].matches("<p>").count(),
        2,
        "plain text got paragraphs: {}",
        bodies[0]
    );
    assert!(
        seen(&bodies[0]).contains("He said: “Oh.” Then nothing."),
        "{}",
        bodies[0]
    );
    assert!(
        seen(&bodies[1]).contains("“Hello,” said the Doctor."),
        "Windows-1252 file: {}",
        bodies[1]
    );
    assert!(seen(&inner(&doc, "div.end.notes blockquote").concat()).contains("Fin du chapitre"));
    let comments = seen(&inner(&doc, "#comments_placeholder li.comment").concat());
    assert!(
        comments.contains("Lurker") && comments.contains("Très bien, café!"),
        "{comments}"
    );

    // The chapterless story is its author's draft; the orphaned one is orphan_account's.
    assert_eq!(get(&format!("{base}/fics/viewstory.php?sid=2")).0, 404);
    let (_, _, body) = get(&format!("{base}/users/Tom%20&%20Jerry/works"));
    assert!(!body.contains("Empty Promise"));
    let (status, location, _) = get(&format!("{base}/fics/viewstory.php?sid=3"));
    assert_eq!(status, 301);
    let (_, _, body) = get(&format!("{base}{}", location.unwrap()));
    let doc = Html::parse_document(&body);
    assert_eq!(texts(&doc, "h3.byline a"), ["orphan_account"]);
    let comments = seen(&inner(&doc, "#comments_placeholder li.comment").concat());
    assert!(
        comments.contains("ghost") && comments.contains("Who wrote this?"),
        "{comments}"
    );
    assert!(comments.contains("Review rating: 8"), "{comments}");
    // The series, its magic-quotes backslash gone, in eFiction's order.
    let (_, location, _) = get(&format!("{base}/fics/series.php?seriesid=1"));
    let (_, _, body) = get(&format!("{base}{}", location.unwrap()));
    let doc = Html::parse_document(&body);
    assert!(
        texts(&doc, "h2").iter().any(|t| t == "Boxes 'n Gates"),
        "{:?}",
        texts(&doc, "h2")
    );
    assert_eq!(
        texts(&doc, "li.work h4.heading a:first-child"),
        ["Orphaned", "Café Noir"]
    );
    let (_, _, body) = get(&format!("{base}/users/Lurker/bookmarks"));
    assert!(body.contains("Café Noir") && body.contains("Loved the box"));
    drop(server);

    // The archive changed: the story is updated in place, its review not doubled.
    let text = std::fs::read(&dump).unwrap();
    let (from, to) = ("CafÃ© Noir'".as_bytes(), "CafÃ© Noir Redux'".as_bytes());
    let at = text.windows(from.len()).position(|w| w == from).unwrap();
    let changed = [&text[..at], to, &text[at + from.len()..]].concat();
    std::fs::write(&dump, changed).unwrap();
    let third = import(data.path(), &[dump_s, "--stories", stories_s]);
    assert_eq!(third["stories_updated"], 1, "{third:#}");
    assert_eq!(third["stories_unchanged"], 2, "{third:#}");
    let (_server, base) = serve(data.path());
    let (_, location, _) = get(&format!("{base}/fics/viewstory.php?sid=1"));
    assert_eq!(
        location.as_deref(),
        Some(work.as_str()),
        "same work after the update"
    );
    let (_, _, body) = get(&format!("{base}{work}"));
    let doc = Html::parse_document(&body);
    assert_eq!(texts(&doc, "h2.title"), ["Café Noir Redux"]);
    assert_eq!(texts(&doc, "dd.comments"), ["1"]);
}

/// A MariaDB database of this test's own on 127.0.0.1:3306 (root, no password), dropped
/// when dropped.
struct MariaDb(String);

impl MariaDb {
    fn mysql(args: &[&str], input: Option<&Path>) -> std::process::Output {
        let mut cmd = std::process::Command::new("mysql");
        cmd.args(["-h", "127.0.0.1", "-P", "3306", "-u", "root"])
            .args(args);
        if let Some(file) = input {
            cmd.stdin(std::fs::File::open(file).unwrap());
        }
        cmd.output()
            .expect("the mysql client (Debian's mariadb-client) is needed for the live-source test")
    }

    fn new(dump: &Path) -> MariaDb {
        let name = format!(
            "tome_efiction_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let out = Self::mysql(
            &[
                "-e",
                &format!("CREATE DATABASE {name} CHARACTER SET utf8mb4"),
            ],
            None,
        );
        assert!(
            out.status.success(),
            "MariaDB at 127.0.0.1:3306 (root, no password): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let db = MariaDb(name);
        let out = Self::mysql(&["--default-character-set=utf8mb4", &db.0], Some(dump));
        assert!(
            out.status.success(),
            "loading the dump: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        db
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        let _ = Self::mysql(
            &["-e", &format!("DROP DATABASE IF EXISTS {}", self.0)],
            None,
        );
    }
}

/// The sample loaded into a live MariaDB and imported from there: the same archive.
#[test]
fn sample_archive_from_a_live_mariadb() {
    let db = MariaDb::new(&sample_dir().join("dump.sql"));
    let data = data_dir();
    let url = format!("mysql://root@127.0.0.1:3306/{}", db.0);
    let first = import(data.path(), &[&url, "--old-url", OLD]);
    assert_eq!(first["failed"], serde_json::json!([]), "{first:#}");
    assert_eq!(first["stories_created"], 8, "{first:#}");
    assert_eq!(first["chapters"], 15);
    assert_eq!(first["reviews"], 7);
    let second = import(data.path(), &[&url]);
    assert_eq!(second["stories_unchanged"], 8, "{second:#}");
    // The dump and the database give the same works: a dump import over this one changes nothing.
    let dump = sample_dir().join("dump.sql");
    let third = import(data.path(), &[dump.to_str().unwrap()]);
    assert_eq!(third["stories_unchanged"], 8, "dump after live: {third:#}");
    let (_server, base) = serve(data.path());
    std::thread::sleep(std::time::Duration::from_millis(1500));
    check_archive(&base);
    drop(db);
}

/// `--dry-run` and `--plan` write nothing; an edited plan is followed; a broken one is
/// refused before anything is written; authors clashing with accounts are reported.
#[test]
fn plan_dry_run_and_apply_plan() {
    let data = data_dir();
    let mut add = tome(data.path());
    add.args([
        "users",
        "add",
        "Slayerette",
        "--email",
        "slayerette@example.org",
    ]);
    run_ok(&mut add);
    let dump = sample_dir().join("dump.sql");
    let dump = dump.to_str().unwrap();
    let dry = import(data.path(), &[dump, "--dry-run"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["stories_created"], 8, "{dry:#}");
    let plan_file = data.path().join("plan.json");
    run_ok(
        tome(data.path())
            .args(["import-efiction", dump, "--plan"])
            .arg(&plan_file),
    );
    // Nothing was written by either: a real import still creates everything.
    let mut plan: Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_file).unwrap()).unwrap();
    assert_eq!(plan["archive"], "samplekey");
    assert_eq!(plan["table_prefix"], "fanfiction_");
    assert_eq!(
        plan["categories"]["2"]["tags"],
        serde_json::json!(["fandom: Buffy the Vampire Slayer", "freeform: Season 5"])
    );
    assert_eq!(
        plan["categories"]["2"]["name"],
        "Buffy the Vampire Slayer > Season 5"
    );
    assert_eq!(plan["categories"]["2"]["stories"], 2);
    assert_eq!(plan["ratings"]["3"]["rating"], "mature");
    assert_eq!(plan["ratings"]["2"]["stories"], 4);
    assert_eq!(
        plan["classes"]["5"]["tags"],
        serde_json::json!(["warning: Graphic Depictions Of Violence"])
    );
    assert_eq!(
        plan["classes"]["2"]["tags"],
        serde_json::json!(["freeform: Angst"])
    );
    let conflicts = plan["authors"]["2"]["conflicts"].to_string();
    assert!(
        conflicts.contains("penname Slayerette") && conflicts.contains("e-mail"),
        "{conflicts}"
    );
    assert!(
        plan["skipped"].to_string().contains("Admin"),
        "{}",
        plan["skipped"]
    );

    // A broken edit is refused with its place named, and nothing is imported.
    plan["classes"]["2"]["tags"] = serde_json::json!(["warning: Angst"]);
    std::fs::write(&plan_file, plan.to_string()).unwrap();
    let out = tome(data.path())
        .args(["import-efiction", dump, "--apply-plan"])
        .arg(&plan_file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("class 2") && err.contains("archive warnings"),
        "{err}"
    );

    // The archivist's edits: Season 5 folded into the fandom with a free tag of their
    // naming, Angst as "Angst (Genre)", PG-13 as General Audiences.
    plan["classes"]["2"]["tags"] = serde_json::json!(["freeform: Angst (Genre)"]);
    plan["categories"]["2"]["tags"] = serde_json::json!([
        "fandom: Buffy the Vampire Slayer",
        "freeform: BtVS Season 5"
    ]);
    plan["ratings"]["2"]["rating"] = "general".into();
    std::fs::write(&plan_file, plan.to_string()).unwrap();
    let applied = import(
        data.path(),
        &[
            dump,
            "--apply-plan",
            plan_file.to_str().unwrap(),
            "--old-url",
            OLD,
        ],
    );
    assert_eq!(applied["stories_created"], 8, "{applied:#}");
    assert!(
        applied["notes"].to_string().contains("another account"),
        "{applied:#}"
    );
    let (_server, base) = serve(data.path());
    let work = work_of(&base, "1");
    let (_, _, body) = get(&format!("{base}{work}"));
    let doc = Html::parse_document(&body);
    let freeforms = texts(&doc, "dd.freeform a.tag");
    assert!(
        freeforms.contains(&"BtVS Season 5".to_string()),
        "{freeforms:?}"
    );
    assert!(
        freeforms.contains(&"Angst (Genre)".to_string()),
        "{freeforms:?}"
    );
    assert_eq!(texts(&doc, "dd.rating a.tag"), ["General Audiences"]);
    // The existing account kept its name; the imported author got a login of their own
    // and still shows under the penname.
    assert_eq!(texts(&doc, "h3.byline a"), ["Slayerette"]);
    let href = doc
        .select(&sel("h3.byline a"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(href.starts_with("/users/Slayerette_samplekey"), "{href}");
}

fn form_token(body: &str) -> String {
    let at = body
        .find("name=\"authenticity_token\" value=\"")
        .expect("a CSRF token")
        + 33;
    body[at..].split('"').next().unwrap().to_string()
}

fn cookies(resp: &reqwest::Response) -> Vec<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap().to_string())
        .collect()
}

/// The claim link from `tome efiction invite` for an imported author.
fn claim_token(data: &Path, login: &str) -> String {
    let out = run_ok(tome(data).args([
        "efiction",
        "invite",
        "--user",
        login,
        "--base-url",
        "http://archive.example",
    ]));
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(line.starts_with(login), "{line}");
    let at = line.find("/claim/").expect("a claim link") + 7;
    line[at..].trim().to_string()
}

/// A claim link turns an imported author into a working login; another puts an imported
/// author's works on an account someone already has; a used link is gone.
#[tokio::test(flavor = "multi_thread")]
async fn claim_links_make_working_logins_and_merge_accounts() {
    let data = data_dir();
    let dump = sample_dir().join("dump.sql");
    import(data.path(), &[dump.to_str().unwrap()]);
    let token = claim_token(data.path(), "WillowTree");
    let mut add = tome(data.path());
    add.args([
        "users",
        "add",
        "Buffy2",
        "--email",
        "b2@example.org",
        "--password-stdin",
    ])
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = add.spawn().unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"buffy-secret\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let merge_token = claim_token(data.path(), "Slayerette");
    let (_server, base) = serve(data.path());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = |cookie: &str, body: String, url: String| {
        client
            .post(url)
            .header("cookie", cookie.to_string())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };

    // The imported account has no usable password before it is claimed.
    let page = client
        .get(format!("{base}/claim/{token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let cookie = cookies(&page).join("; ");
    let body = page.text().await.unwrap();
    assert!(
        body.contains("WillowTree") && body.contains("Sunnydale Archive"),
        "{body}"
    );
    let csrf = form_token(&body);
    let login = |pw: &str| {
        format!("authenticity_token={csrf}&user%5Blogin%5D=WillowTree&user%5Bpassword%5D={pw}")
    };
    let before = form(
        &cookie,
        login("pass-willowtree"),
        format!("{base}/users/login"),
    )
    .await
    .unwrap();
    assert_ne!(
        before.status(),
        303,
        "the old eFiction password does not log in"
    );
    // Too short a password is refused; a good one claims the account.
    let short = form(
        &cookie,
        format!("authenticity_token={csrf}&action=password&password=abc&password_confirmation=abc"),
        format!("{base}/claim/{token}"),
    )
    .await
    .unwrap();
    assert_eq!(short.status(), 422);
    let done = form(
        &cookie,
        format!("authenticity_token={csrf}&action=password&password=willow-new-1&password_confirmation=willow-new-1"),
        format!("{base}/claim/{token}"),
    )
    .await
    .unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("is yours"));
    let after = form(
        &cookie,
        login("willow-new-1"),
        format!("{base}/users/login"),
    )
    .await
    .unwrap();
    assert_eq!(after.status(), 303, "the claimed account logs in");
    let (_, _, profile) = get(&format!("{base}/users/WillowTree"));
    assert!(
        !profile.contains("imported_from"),
        "claimed: no import note"
    );
    assert_eq!(
        client
            .get(format!("{base}/claim/{token}"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Merging: Buffy2, logged in, takes Slayerette's works.
    let page = client
        .get(format!("{base}/users/login"))
        .send()
        .await
        .unwrap();
    let cookie = cookies(&page).join("; ");
    let csrf = form_token(&page.text().await.unwrap());
    let logged = form(
        &cookie,
        format!("authenticity_token={csrf}&user%5Blogin%5D=Buffy2&user%5Bpassword%5D=buffy-secret"),
        format!("{base}/users/login"),
    )
    .await
    .unwrap();
    assert_eq!(logged.status(), 303);
    let session = cookies(&logged).join("; ");
    let page = client
        .get(format!("{base}/claim/{merge_token}"))
        .header("cookie", session.clone())
        .send()
        .await
        .unwrap();
    let body = page.text().await.unwrap();
    assert!(body.contains("Put them on my account Buffy2"), "{body}");
    let csrf = form_token(&body);
    let merged = form(
        &session,
        format!("authenticity_token={csrf}&action=merge"),
        format!("{base}/claim/{merge_token}"),
    )
    .await
    .unwrap();
    assert_eq!(merged.status(), 200);
    let (_, _, works) = get(&format!("{base}/users/Buffy2/works"));
    assert!(
        works.contains("Second Choice") && works.contains("Shadows in the Alley"),
        "{works}"
    );
    let (_, _, works) = get(&format!("{base}/users/Slayerette/works"));
    assert!(!works.contains("Second Choice"));
}

/// A story that cannot be read is reported with its reason, the others still import, the
/// exit status says so, and a run after the fix imports just that story.
#[test]
fn a_failing_story_is_reported_and_the_rest_import() {
    let data = data_dir();
    let src = handmade();
    let dump = src.path().join("dump.sql");
    let stories = src.path().join("stories");
    // Chapter 11's "file" is a folder: unreadable.
    let bad = stories.join("1/11.txt");
    std::fs::remove_file(&bad).unwrap();
    std::fs::create_dir(&bad).unwrap();
    let out = tome(data.path())
        .args([
            "import-efiction",
            dump.to_str().unwrap(),
            "--stories",
            stories.to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a failed story makes the exit status non-zero"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["stories_created"], 2, "{report:#}");
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{report:#}");
    assert_eq!(failed[0]["sid"], 1);
    assert!(
        failed[0]["error"].as_str().unwrap().contains("11.txt"),
        "{report:#}"
    );
    std::fs::remove_dir(&bad).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/efiction_data/stories/1/11.txt"),
        &bad,
    )
    .unwrap();
    let fixed = import(
        data.path(),
        &[
            dump.to_str().unwrap(),
            "--stories",
            stories.to_str().unwrap(),
        ],
    );
    assert_eq!(fixed["stories_created"], 1, "{fixed:#}");
    assert_eq!(fixed["stories_unchanged"], 2, "{fixed:#}");
}
