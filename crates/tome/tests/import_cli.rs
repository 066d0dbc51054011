//! `tome import` end to end: the real binary on a real SQLite data folder.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashMap;

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The CLI's `--dry-run --json` output agrees with expected.json on the fields it promises.
#[test]
fn dry_run_json_matches_expected_for_every_seed() {
    let data = archive_with_tags();
    let out = run_ok(
        tome(data.path())
            .args(["import", "--dry-run", "--json"])
            .args(seed_files()),
    );
    let expected: HashMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(seeds_dir().join("expected.json")).unwrap())
            .unwrap();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), expected.len());
    for line in &lines {
        let file = line["file"].as_str().unwrap();
        let name = std::path::Path::new(file)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let want = &expected[name];
        assert_eq!(line["ok"], true, "{name}: {line}");
        for key in ["title", "rating", "summary", "complete", "scene_breaks"] {
            assert_eq!(line[key], want[key], "{name}: {key}");
        }
        let words = line["words"].as_f64().unwrap();
        let want_words = want["words"].as_f64().unwrap();
        assert!(
            (words - want_words).abs() / want_words <= 0.01,
            "{name}: words {words} vs {want_words}"
        );
        let chapters = line["chapters"].as_array().unwrap();
        assert_eq!(
            chapters.len(),
            want["chapters"].as_array().unwrap().len(),
            "{name}: chapters"
        );
        for (got, want) in chapters.iter().zip(want["chapters"].as_array().unwrap()) {
            let text = got["text"].as_str().unwrap();
            assert!(
                text.starts_with(want["starts"].as_str().unwrap()),
                "{name}: chapter starts {:?}",
                &text[..60.min(text.len())]
            );
            assert!(
                text.trim_end().ends_with(want["ends"].as_str().unwrap()),
                "{name}: chapter ends"
            );
        }
        // Suggestions come from the vocabulary as the store keeps it (tag names unique
        // whatever their case), not from tags.json itself: the path users take.
        let suggested = |kind: &str| -> Vec<String> {
            line["suggested"][kind]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: suggested.{kind}"))
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let wanted = |key: &str| -> Vec<String> {
            want[key]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
                .unwrap_or_default()
        };
        for (key, kind) in [
            ("characters_must", "character"),
            ("relationships_must", "relationship"),
            ("freeform_must", "freeform"),
        ] {
            for tag in wanted(key) {
                assert!(
                    suggested(kind).contains(&tag),
                    "{name}: should suggest {tag:?}; got {:?}",
                    suggested(kind)
                );
            }
        }
        for tag in wanted("characters_must_not") {
            assert!(
                !suggested("character").contains(&tag),
                "{name}: must not suggest {tag:?}"
            );
        }
        for (key, field) in [
            ("notes_begin_starts", "notes_begin"),
            ("notes_end_starts", "notes_end"),
        ] {
            match want[key].as_str() {
                Some(start) => assert!(
                    line[field].as_str().is_some_and(|n| n.starts_with(start)),
                    "{name}: {field}"
                ),
                None if key == "notes_end_starts" || want.get("notes_begin_contains").is_none() => {
                    assert!(line[field].is_null(), "{name}: {field} should be empty")
                }
                None => {}
            }
        }
        if let Some(part) = want["notes_begin_contains"].as_str() {
            assert!(
                line["notes_begin"]
                    .as_str()
                    .is_some_and(|n| n.contains(part)),
                "{name}: notes_begin contains {part:?}"
            );
        }
        for absent in wanted("absent") {
            let in_text = ["title", "summary", "notes_begin", "notes_end"]
                .iter()
                .any(|k| line[k].as_str().is_some_and(|v| v.contains(&absent)))
                || chapters.iter().any(|c| {
                    c["text"].as_str().is_some_and(|t| t.contains(&absent))
                        || c["title"].as_str().is_some_and(|t| t.contains(&absent))
                });
            assert!(!in_text, "{name}: {absent:?} must not be in the work");
        }
    }
    // A dry run writes nothing.
    let out = tome(data.path())
        .args(["export", "1", "--out", "-"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a dry run must not write work 1");
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no work 1"));
}

#[test]
fn import_then_export_round_trip() {
    let data = archive_with_tags();
    let story = write_multi_chapter(data.path());
    let out = run_ok(
        tome(data.path())
            .args([
                "import",
                "--accept-suggestions",
                "--fandom",
                "The Lantern Keepers (TV)",
            ])
            .arg(&story)
            .args(seed_files()),
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("The Lighthouse Letters"), "{table}");
    assert!(table.contains("6 imported, 0 failed"), "{table}");
    let out = run_ok(tome(data.path()).args(["export", "1", "--format", "txt", "--out", "-"]));
    let txt = String::from_utf8_lossy(&out.stdout);
    assert!(
        txt.contains("The Lighthouse Letters") && txt.contains("Maren found the first letter"),
        "{txt}"
    );
    assert!(txt.contains("The Reply"), "chapter titles kept: {txt}");
}

#[test]
fn bad_files_fail_alone_with_one_line_each() {
    let data = data_dir();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(
        d.join("binary.txt"),
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 0, 255, 0],
    )
    .unwrap();
    let big = std::fs::File::create(d.join("huge.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    std::fs::write(d.join("blank.txt"), "   \n\n \t \n\n").unwrap();
    std::fs::create_dir(d.join("folder.txt")).unwrap();
    std::fs::write(
        d.join("good.txt"),
        "Title: Fine\n\nA perfectly good story, with one paragraph.\n\nAnd a second one.\n",
    )
    .unwrap();
    let bad = [
        "empty.txt",
        "binary.txt",
        "huge.txt",
        "blank.txt",
        "folder.txt",
        "missing.txt",
    ];
    let mut cmd = tome(data.path());
    cmd.arg("import");
    for f in bad.iter().chain(["good.txt"].iter()) {
        cmd.arg(d.join(f));
    }
    let out = cmd.output().unwrap();
    assert!(
        !out.status.success(),
        "a failed file makes the exit status non-zero"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for f in bad {
        let line = stdout
            .lines()
            .find(|l| l.contains(f) && l.contains("FAILED"))
            .unwrap_or_else(|| panic!("no error line for {f}: {stdout}"));
        assert!(line.len() < 300, "one short line: {line}");
    }
    assert!(stdout.contains("1 imported, 6 failed"), "{stdout}");
    // The good one is there, nothing else is.
    let out = run_ok(tome(data.path()).args(["export", "1", "--format", "txt", "--out", "-"]));
    assert!(String::from_utf8_lossy(&out.stdout).contains("A perfectly good story"));
    let out = tome(data.path())
        .args(["export", "2", "--format", "txt", "--out", "-"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "only one work was written");

    // The JSON form names each failure too.
    let mut cmd = tome(data.path());
    cmd.args(["import", "--dry-run", "--json"])
        .arg(d.join("empty.txt"))
        .arg(d.join("good.txt"));
    let out = cmd.output().unwrap();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines[0]["ok"], false);
    assert!(
        lines[0]["error"].as_str().unwrap().contains("empty"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["ok"], true);
}

/// A `<script>` or `onerror=` in an imported HTML file never reaches a page or a download.
#[test]
fn scripts_in_imported_html_never_reach_a_page() {
    let data = data_dir();
    let page = data.path().join("saved.html");
    std::fs::write(
        &page,
        r#"<html><head><title>Saved</title><script>alert('head')</script></head><body>
<nav><a href="/index.php">Back to index</a></nav>
<h1>Moonlit Harbour</h1>
<p>She waited on the pier.<script>alert('body')</script></p>
<p onclick="alert('click')">The boat came <em>late</em>.<img src="x.png" onerror="alert('img')"></p>
<p><a href="javascript:alert('link')">a link</a> and the end of the story.</p>
<footer>You must login (register) to review.</footer>
</body></html>"#,
    )
    .unwrap();
    run_ok(tome(data.path()).arg("import").arg(&page));
    let (_server, base) = serve(data.path());
    for path in [
        "/works/1",
        "/works/1/download.html",
        "/works/1?view_full_work=true",
    ] {
        let (status, body) = http_get(&format!("{base}{path}"));
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains("She waited on the pier."),
            "{path}: the story is there"
        );
        for bad in ["alert(", "onerror", "onclick", "javascript:", "<script"] {
            assert!(!body.contains(bad), "{path}: {bad} reached the page");
        }
    }
}

/// Writes `n` small distinct stories into `dir`.
fn small_stories(dir: &std::path::Path, n: usize) -> Vec<std::path::PathBuf> {
    (0..n)
        .map(|i| {
            let path = dir.join(format!("story_{i:03}.txt"));
            std::fs::write(
                &path,
                format!(
                    "Title: Story {i}\nAuthor: writer{}\n\nThe {i}th story begins here.\n\nAnd ends here, {i}.\n",
                    i % 7
                ),
            )
            .unwrap();
            path
        })
        .collect()
}

/// The number of works in the archive in `data`.
fn work_count(data: &std::path::Path) -> u64 {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = tome_store::Store::open_data_dir(data).await.unwrap();
            let n = store.work_count().await.unwrap();
            store.close().await;
            n
        })
}

/// An import interrupted after 51 of 300 files, run again over all 300, leaves exactly
/// 300 works: the 51 are recognised by their bytes and skipped.
#[test]
fn rerunning_an_interrupted_import_imports_each_file_once() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = small_stories(dir.path(), 300);
    run_ok(tome(data.path()).arg("import").args(&files[..51]));
    assert_eq!(work_count(data.path()), 51);

    let out = run_ok(tome(data.path()).arg("import").args(&files));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("249 imported, 0 failed, 51 already imported (skipped)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("story_000.txt: already imported as work 1; skipped"),
        "{stdout}"
    );
    assert_eq!(work_count(data.path()), 300);

    // A copy under another name is the same file.
    let copy = dir.path().join("copy.txt");
    std::fs::copy(&files[7], &copy).unwrap();
    let out = run_ok(tome(data.path()).args(["import", "--json"]).arg(&copy));
    let line = &json_lines(&out.stdout)[0];
    assert_eq!(line["already_imported"], true, "{line}");
    assert_eq!(line["work_id"], 8, "{line}");
    let out = run_ok(tome(data.path()).args(["import", "--dry-run"]).arg(&copy));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("already imported as work 8; would be skipped")
    );
    assert_eq!(work_count(data.path()), 300);

    // --again imports it anyway.
    let out = run_ok(tome(data.path()).args(["import", "--again"]).arg(&copy));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 imported, 0 failed"));
    assert_eq!(work_count(data.path()), 301);
}

/// The process killed in the middle of an import (SIGKILL, no clean-up), then run again:
/// still exactly one work per file.
#[test]
fn an_import_killed_mid_run_then_rerun_imports_each_file_once() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = small_stories(dir.path(), 300);
    // Creates the database before the import starts, so polling it cannot race migrations.
    assert_eq!(work_count(data.path()), 0);
    let mut child = tome(data.path())
        .arg("import")
        .args(&files)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let at_kill = loop {
        let n = work_count(data.path());
        if n >= 20 || std::time::Instant::now() > deadline {
            child.kill().unwrap();
            break n;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    child.wait().unwrap();
    let after_kill = work_count(data.path());
    assert!(
        (20..300).contains(&after_kill),
        "killed at {at_kill}, {after_kill} works: the kill must land mid-run"
    );
    let out = run_ok(tome(data.path()).arg("import").args(&files));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{after_kill} already imported (skipped)")),
        "{stdout}"
    );
    assert_eq!(work_count(data.path()), 300);
}
