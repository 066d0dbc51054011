//! Readers' AO3 tools work against tome unchanged: FanFicFare's real AO3 adapter
//! (tests/ao3_tools/run.sh, which installs a pinned FanFicFare from PyPI into a venv)
//! downloads a multi-chapter and a one-shot work from a live `tome serve`, and what it
//! reads must equal what the database holds.

mod common;

use common::*;
use serde_json::{Value, json};
use std::path::Path;

fn names(tags: &[tome_store::TagRef]) -> Vec<String> {
    tags.iter().map(|t| t.name.clone()).collect()
}

fn date(ts: i64) -> String {
    // Days since the epoch to a civil date (UTC), without a date crate.
    let days = ts.div_euclid(86_400);
    let z = days + 719_468;
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

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

fn last_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ")
}

async fn expectation(store: &tome_store::Store, id: i64) -> Value {
    let work = store.work(id).await.unwrap().expect("work exists");
    let b = &work.blurb;
    let chapters = store.chapters_full(id).await.unwrap();
    let texts: Vec<Value> = chapters
        .iter()
        .map(|c| {
            let plain = tome_text::html_to_plain(&c.body_html);
            json!({"starts": first_words(&plain, 6), "ends": last_words(&plain, 6)})
        })
        .collect();
    let chapters_stat = format!(
        "{}/{}",
        b.chapter_count,
        b.expected_chapters
            .map(|n| n.to_string())
            .unwrap_or("?".into())
    );
    json!({
        "id": id,
        "title": b.title,
        "author": b.creators.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "rating": b.rating.name(),
        "warnings": b.warnings.iter().map(|w| w.name()).collect::<Vec<_>>(),
        "categories": b.categories.iter().map(|c| c.name()).collect::<Vec<_>>(),
        "fandoms": names(&b.fandoms),
        "relationships": names(&b.relationships),
        "characters": names(&b.characters),
        "freeforms": names(&b.freeforms),
        "published": date(b.published_at),
        "words": b.word_count,
        "chapters": chapters_stat,
        "chapter_texts": texts,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fanficfare_reads_tome_like_ao3() {
    let data = archive_with_tags();
    let story = write_multi_chapter(data.path());
    run_ok(
        tome(data.path())
            .args([
                "import",
                "--accept-suggestions",
                "--fandom",
                "Buffy the Vampire Slayer",
                "--tag",
                "Letters",
            ])
            .arg(&story)
            .arg(seeds_dir().join("004_e2a1b7e2794c9898.txt")),
    );
    let store = open_store(data.path()).await;
    let multi = expectation(&store, 1).await;
    let oneshot = expectation(&store, 2).await;
    store.close().await;
    assert_eq!(
        multi["chapter_texts"].as_array().unwrap().len(),
        2,
        "the fixture is multi-chapter"
    );
    assert_eq!(
        oneshot["chapter_texts"].as_array().unwrap().len(),
        1,
        "the seed is a one-shot"
    );
    let expect_file = data.path().join("expect.json");
    std::fs::write(
        &expect_file,
        serde_json::to_string_pretty(&json!([multi, oneshot])).unwrap(),
    )
    .unwrap();

    let (_server, base) = serve(data.path());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/ao3_tools/run.sh");
    let out = std::process::Command::new("bash")
        .arg(&script)
        .arg(&base)
        .arg(&expect_file)
        .output()
        .expect("run the FanFicFare check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "FanFicFare disagreed with the archive:\n{stdout}\n{stderr}"
    );
    println!("{stdout}{stderr}");
    assert!(
        stdout.contains("PASS"),
        "the check reported a verdict per work: {stdout}"
    );
}
