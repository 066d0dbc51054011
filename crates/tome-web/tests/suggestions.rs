//! Tag suggestions on the new-work form over real HTTP, from the seed vocabulary
//! (`shared/seeds/tags.json`) imported into a real SQLite archive: an uploaded seed story
//! fills the tag fields with the canonical tags `expected.json` says the suggester must
//! find, each listed with its evidence; the "Suggest tags" button does the same for what
//! is typed, keeps everything typed, and saves nothing.

mod support;

use std::path::PathBuf;

use reqwest::StatusCode;
use support::{Browser, Site, set, start, texts, user, values, work_ids};
use tome_model::VocabularyFile;

const WORK_FORM: &str = "form#work-form";

fn seeds() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

/// A site whose archive holds the seed vocabulary, and a logged-in author.
async fn site_with_vocabulary() -> Site {
    let site = start().await;
    let text = std::fs::read_to_string(seeds().join("tags.json")).expect("read tags.json");
    let file: VocabularyFile = serde_json::from_str(&text).expect("tags.json");
    site.store
        .import_vocabulary(&file)
        .await
        .expect("import vocabulary");
    user(&site, "alice").await;
    site
}

/// The comma-separated tags of a form field.
fn tags(f: &support::Fields, name: &str) -> Vec<String> {
    values(f, name)
        .concat()
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The seed whose expected tags include a relationship, with its expectations.
fn seed_with_relationship() -> (String, serde_json::Value) {
    let text = std::fs::read_to_string(seeds().join("expected.json")).expect("expected.json");
    let all: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("expected.json");
    all.into_iter()
        .filter(|(_, e)| {
            e["relationships_must"]
                .as_array()
                .is_some_and(|r| !r.is_empty())
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .expect("a seed with a relationship")
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn an_uploaded_seed_fills_the_form_with_suggested_tags_and_their_evidence() {
    let site = site_with_vocabulary().await;
    let mut b = Browser::logged_in(&site, "alice").await;
    let (file, expected) = seed_with_relationship();
    let data = std::fs::read(seeds().join(&file)).expect("seed");
    let token = b.get("/works/new").await.token();
    let r = b
        .post_file(
            "/works/import",
            &[("authenticity_token", &token)],
            Some((&file, "text/plain", &data)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f = r.form(WORK_FORM);
    for (key, field) in [
        ("characters_must", "work[characters]"),
        ("relationships_must", "work[relationships]"),
        ("freeform_must", "work[freeforms]"),
    ] {
        let have = tags(&f, field);
        for want in strings(&expected[key]) {
            assert!(have.contains(&want), "{field} {have:?} lacks {want}");
        }
    }
    for not in strings(&expected["characters_must_not"]) {
        assert!(!tags(&f, "work[characters]").contains(&not), "{not}");
    }
    assert!(
        !tags(&f, "work[fandoms]").is_empty(),
        "a fandom is suggested from the characters' parents"
    );
    // Each suggestion is listed with why.
    let doc = r.doc();
    assert_eq!(
        texts(&doc, "#suggested-tags h4"),
        ["Suggested tags"],
        "{}",
        r.body
    );
    let lines = texts(&doc, "#suggested-tags li.suggestion");
    for want in strings(&expected["relationships_must"]) {
        let line = lines
            .iter()
            .find(|l| l.contains(&format!(" {want} \u{2014} ")))
            .unwrap_or_else(|| panic!("no line for {want} in {lines:?}"));
        assert!(line.contains(" in the "), "evidence shown: {line}");
    }
    // The summary names "Spuffy": that is the relationship's evidence.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Buffy Summers/Spike") && l.contains("'Spuffy' in the summary")),
        "{lines:?}"
    );
    assert!(work_ids(&site.store).await.is_empty(), "nothing saved");
}

#[tokio::test]
async fn the_suggest_button_suggests_from_what_is_typed_and_saves_nothing() {
    let site = site_with_vocabulary().await;
    let mut b = Browser::logged_in(&site, "alice").await;
    let page = b.get("/works/new").await;
    assert_eq!(page.status, StatusCode::OK);
    // The button is there before anything is suggested.
    assert_eq!(
        support::attr(&page.doc(), "input[name=suggest]", "value").as_deref(),
        Some("Suggest tags")
    );
    let mut f = page.form(WORK_FORM);
    set(&mut f, "work[title]", "Steps in the Dark");
    set(
        &mut f,
        "work[summary]",
        "A Spuffy story set after the end of season seven.",
    );
    set(&mut f, "work[characters]", "Dawn Summers");
    set(
        &mut f,
        "chapters[0][body]",
        "<p>The night was quiet in Sunnydale.</p>",
    );
    f.push(("suggest".into(), "Suggest tags".into()));
    let r = b.post_raw("/works", &f).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let doc = r.doc();
    let lines = texts(&doc, "#suggested-tags li.suggestion");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Buffy Summers/Spike") && l.contains("'Spuffy' in the summary")),
        "{lines:?}"
    );
    let g = r.form(WORK_FORM);
    // Everything typed is kept; the suggestion is added beside what was typed.
    assert_eq!(values(&g, "work[title]"), ["Steps in the Dark"]);
    assert_eq!(
        values(&g, "work[summary]").concat().trim(),
        "A Spuffy story set after the end of season seven."
    );
    assert!(
        values(&g, "chapters[0][body]")
            .concat()
            .contains("The night was quiet in Sunnydale."),
        "{}",
        r.body
    );
    assert_eq!(tags(&g, "work[relationships]"), ["Buffy Summers/Spike"]);
    assert_eq!(tags(&g, "work[characters]")[0], "Dawn Summers");
    assert!(
        tags(&g, "work[fandoms]").contains(&"Buffy the Vampire Slayer".to_string()),
        "{:?}",
        tags(&g, "work[fandoms]")
    );
    // Pressing it again adds nothing twice.
    let mut again = g.clone();
    again.push(("suggest".into(), "Suggest tags".into()));
    let r2 = b.post_raw("/works", &again).await;
    assert_eq!(r2.status, StatusCode::OK, "{}", r2.body);
    let h = r2.form(WORK_FORM);
    assert_eq!(tags(&h, "work[relationships]"), ["Buffy Summers/Spike"]);
    assert!(
        texts(&r2.doc(), "#suggested-tags li.suggestion")
            .iter()
            .any(|l| l.contains("Buffy Summers/Spike") && l.contains("(already there)"))
    );
    assert!(work_ids(&site.store).await.is_empty(), "nothing saved");

    // Nothing to suggest: the form says so, and still saves nothing.
    let mut plain = b.get("/works/new").await.form(WORK_FORM);
    set(&mut plain, "work[title]", "Nothing Here");
    plain.push(("suggest".into(), "Suggest tags".into()));
    let r3 = b.post_raw("/works", &plain).await;
    assert_eq!(r3.status, StatusCode::OK, "{}", r3.body);
    assert_eq!(
        texts(&r3.doc(), "p#form-message"),
        [tome_web::pages::posting::works::NOTHING_TO_SUGGEST]
    );
    assert!(texts(&r3.doc(), "#suggested-tags").is_empty());
    assert!(work_ids(&site.store).await.is_empty(), "nothing saved");

    // Without the CSRF token: refused, nothing suggested.
    let mut forged = f.clone();
    set(&mut forged, "authenticity_token", "forged");
    let r4 = b.post_raw("/works", &forged).await;
    assert_eq!(r4.status, StatusCode::FORBIDDEN);
    assert!(texts(&r4.doc(), "#suggested-tags").is_empty());
}
