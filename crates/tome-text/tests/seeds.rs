//! Golden test: every seed story in ../shared/seeds imports as expected.json says.

use std::path::PathBuf;

use serde_json::Value;
use tome_text::{ImportOptions, Imported, Vocabulary, import_path};

fn seeds_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    assert!(
        dir.join("expected.json").is_file(),
        "seed stories not found at {}: the golden test needs the shared seeds checkout (../shared/seeds next to the repo)",
        dir.display()
    );
    dir
}

fn load() -> (PathBuf, Value, Vocabulary) {
    let dir = seeds_dir();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json"),
    )
    .expect("parse expected.json");
    let vocab = Vocabulary::from_json(
        &std::fs::read_to_string(dir.join("tags.json")).expect("read tags.json"),
    )
    .expect("parse tags.json");
    (dir, expected, vocab)
}

fn s(v: &Value) -> Option<&str> {
    v.as_str()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Everything the user would see as the work: title, summary, notes, chapters, tags.
fn visible(imp: &Imported) -> Vec<String> {
    let mut out = vec![imp.draft.title.clone()];
    out.extend(imp.title.clone());
    out.extend(imp.summary.clone());
    out.extend(imp.notes_begin.clone());
    out.extend(imp.notes_end.clone());
    for c in &imp.chapters {
        out.extend(c.title.clone());
        out.push(c.text.clone());
        out.push(c.html.clone());
    }
    out.extend(imp.draft.tags.iter().map(|(_, t)| t.clone()));
    out.extend(imp.suggested.all().into_iter().map(|(_, s)| s.name.clone()));
    out
}

fn check(file: &str, want: &Value, imp: &Imported) -> Vec<String> {
    let mut errs = Vec::new();
    let mut fail = |m: String| errs.push(format!("{file}: {m}"));
    if s(&want["title"]) != imp.title.as_deref() {
        fail(format!("title {:?}, want {}", imp.title, want["title"]));
    }
    if s(&want["rating"]) != imp.rating.map(|r| r.as_str()) {
        fail(format!("rating {:?}, want {}", imp.rating, want["rating"]));
    }
    if s(&want["summary"]) != imp.summary.as_deref() {
        fail(format!(
            "summary {:?}, want {}",
            imp.summary, want["summary"]
        ));
    }
    let nb = imp.notes_begin.as_deref();
    match (
        s(&want["notes_begin_starts"]),
        s(&want["notes_begin_contains"]),
    ) {
        (Some(start), _) if !nb.is_some_and(|n| n.starts_with(start)) => {
            fail(format!("notes_begin {nb:?} should start {start:?}"))
        }
        (None, None) if nb.is_some() => fail(format!("notes_begin should be none, is {nb:?}")),
        _ => {}
    }
    if let Some(c) = s(&want["notes_begin_contains"])
        && !nb.is_some_and(|n| n.contains(c))
    {
        fail(format!("notes_begin {nb:?} should contain {c:?}"));
    }
    let ne = imp.notes_end.as_deref();
    match s(&want["notes_end_starts"]) {
        Some(start) if !ne.is_some_and(|n| n.starts_with(start)) => {
            fail(format!("notes_end {ne:?} should start {start:?}"))
        }
        None if ne.is_some() => fail(format!("notes_end should be none, is {ne:?}")),
        _ => {}
    }
    let chapters = want["chapters"].as_array().cloned().unwrap_or_default();
    if chapters.len() != imp.chapters.len() {
        fail(format!(
            "{} chapters, want {}",
            imp.chapters.len(),
            chapters.len()
        ));
    }
    for (i, (w, got)) in chapters.iter().zip(&imp.chapters).enumerate() {
        let ok_title = match &w["title"] {
            Value::Array(any) => any.iter().any(|t| s(t) == got.title.as_deref()),
            t => s(t) == got.title.as_deref(),
        };
        if !ok_title {
            fail(format!(
                "chapter {i} title {:?}, want {}",
                got.title, w["title"]
            ));
        }
        if let Some(st) = s(&w["starts"])
            && !got.text.starts_with(st)
        {
            fail(format!(
                "chapter {i} starts {:?}, want {st:?}",
                got.text.chars().take(60).collect::<String>()
            ));
        }
        if let Some(en) = s(&w["ends"])
            && !got.text.ends_with(en)
        {
            let tail: String = got
                .text
                .chars()
                .rev()
                .take(60)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            fail(format!("chapter {i} ends {tail:?}, want {en:?}"));
        }
    }
    if want["scene_breaks"].as_u64() != Some(imp.scene_breaks as u64) {
        fail(format!(
            "scene_breaks {}, want {}",
            imp.scene_breaks, want["scene_breaks"]
        ));
    }
    if want["complete"].as_bool() != imp.complete {
        fail(format!(
            "complete {:?}, want {}",
            imp.complete, want["complete"]
        ));
    }
    if let Some(words) = want["words"].as_u64() {
        let diff = (imp.words as f64 - words as f64).abs() / words as f64;
        if diff > 0.01 {
            fail(format!(
                "words {}, want {words} (off by {:.2}%)",
                imp.words,
                diff * 100.0
            ));
        }
    }
    let seen = visible(imp);
    for a in strings(&want["absent"]) {
        if let Some(hit) = seen.iter().find(|t| t.contains(&a)) {
            fail(format!(
                "{a:?} should be absent, found in {:?}",
                hit.chars().take(80).collect::<String>()
            ));
        }
    }
    let names = |l: &[tome_text::Suggestion]| l.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    let chars = names(&imp.suggested.character);
    for c in strings(&want["characters_must"]) {
        if !chars.contains(&c) {
            fail(format!(
                "should suggest character {c:?}; suggested {chars:?}"
            ));
        }
    }
    for c in strings(&want["characters_must_not"]) {
        if chars.contains(&c) || imp.draft.tags.iter().any(|(_, t)| *t == c) {
            fail(format!(
                "must not suggest character {c:?}; suggested {chars:?}"
            ));
        }
    }
    let rels = names(&imp.suggested.relationship);
    for r in strings(&want["relationships_must"]) {
        if !rels.contains(&r) {
            fail(format!(
                "should suggest relationship {r:?}; suggested {rels:?}"
            ));
        }
    }
    let free = names(&imp.suggested.freeform);
    for f in strings(&want["freeform_must"]) {
        if !free.contains(&f) {
            fail(format!("should suggest freeform {f:?}; suggested {free:?}"));
        }
    }
    errs
}

#[test]
fn every_seed_imports_as_expected() {
    let (dir, expected, vocab) = load();
    let entries = expected.as_object().expect("expected.json is an object");
    assert!(!entries.is_empty());
    let opts = ImportOptions {
        accept_suggestions: true,
        ..Default::default()
    };
    let mut errs = Vec::new();
    for (file, want) in entries {
        match import_path(&dir.join(file), &vocab, &opts) {
            Ok(imp) => errs.extend(check(file, want, &imp)),
            Err(e) => errs.push(format!("{file}: import failed: {e}")),
        }
    }
    assert!(errs.is_empty(), "\n{}", errs.join("\n"));
}

#[test]
fn seed_json_snapshot() {
    let (dir, _, vocab) = load();
    let imp = import_path(
        &dir.join("004_e2a1b7e2794c9898.txt"),
        &vocab,
        &ImportOptions::default(),
    )
    .expect("import");
    let mut json = imp.to_json();
    // Chapter text is someone else's writing and long: keep only its size in the snapshot.
    if let Some(chs) = json["chapters"].as_array_mut() {
        for c in chs {
            c["text"] = Value::from(c["text"].as_str().map_or(0, str::len));
        }
    }
    json["file"] = Value::from("004_e2a1b7e2794c9898.txt");
    let pretty = serde_json::to_string_pretty(&json).expect("json");
    insta::with_settings!({ snapshot_path => "fixtures/import/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("seed_004_to_json", pretty);
    });
}
