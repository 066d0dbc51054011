//! Wrangling in headless Chromium against a real `tome serve`: a work is posted through
//! the form tagged only "Spuffy" (a free-typed tag nobody has wrangled); a tag wrangler
//! opens the edit page of "Spuffy", makes it a synonym of
//! "Buffy Summers/Spike" through the form, and the reader's tag page of "Buffy
//! Summers/Spike" then lists the work that was only tagged "Spuffy".

mod common;

use common::*;
use fantoccini::{Client, Locator};

const PASSWORD: &str = "correct horse 9";
const TITLE: &str = "Crypt Keeping";

async fn text_of(c: &Client, css: &str) -> String {
    let found = c.find(Locator::Css(css)).await;
    let Ok(e) = found else {
        let page = c.source().await.unwrap_or_default();
        panic!(
            "no {css} on {:?}: {page}",
            c.current_url().await.map(|u| u.to_string())
        );
    };
    e.text().await.expect("text")
}

/// A data folder with the seeds' vocabulary minus the "Spuffy" synonym and a tag
/// wrangler.
fn archive() -> DataDir {
    let data = data_dir();
    let json = std::fs::read_to_string(seeds_dir().join("tags.json")).expect("tags.json");
    let mut vocab: serde_json::Value = serde_json::from_str(&json).expect("json");
    for t in vocab["tags"].as_array_mut().expect("tags") {
        if let Some(syn) = t.get_mut("synonyms").and_then(|s| s.as_array_mut()) {
            syn.retain(|s| s != "Spuffy");
        }
    }
    let tags = data.path().join("tags-without-spuffy.json");
    std::fs::write(&tags, vocab.to_string()).expect("write vocabulary");
    run_ok(tome(data.path()).args(["tags", "import"]).arg(&tags));

    add_user(data.path(), "wrangler", PASSWORD, &["tag_wrangler"]);

    data
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrangler_makes_spuffy_a_synonym_and_the_canonical_tag_lists_its_work() {
    let Some(browser) =
        chromium("a_wrangler_makes_spuffy_a_synonym_and_the_canonical_tag_lists_its_work").await
    else {
        return;
    };
    let data = archive();
    let (_server, base) = serve(data.path());
    let c = &browser.client;

    // The wrangler logs in.
    c.goto(&format!("{base}/users/login"))
        .await
        .expect("login page");
    fill(c, "[name='user[login]']", "wrangler").await;
    fill(c, "[name='user[password]']", PASSWORD).await;
    submit(c, "form[action^='/users/login']", "Log In").await;
    assert_eq!(text_of(c, "p.greeting").await.trim(), "Hi, wrangler!");

    // A work tagged only "Spuffy" as its relationship, posted through the form.
    open_new_work_form(c, &base).await;
    fill(c, "[name='work[fandoms]']", "Buffy the Vampire Slayer").await;
    fill(c, "[name='work[relationships]']", "Spuffy").await;
    fill(c, "[name='work[title]']", TITLE).await;
    fill(
        c,
        "[name='chapters[0][body]']",
        "<p>The candles had burned low by the time the door opened.</p>",
    )
    .await;
    submit(c, "form#work-form", "Post").await;
    assert_eq!(text_of(c, "h2.title.heading").await.trim(), TITLE);

    // Before: the canonical tag's page does not list it.
    c.goto(&format!("{base}/tags/Buffy%20Summers*s*Spike"))
        .await
        .expect("tag page");
    assert!(
        !text_of(c, "#main").await.contains(TITLE),
        "not listed before wrangling"
    );

    // The Spuffy tag's edit page: unwrangled, with a "Synonym of" form.
    c.goto(&format!("{base}/tags/Spuffy/edit"))
        .await
        .expect("edit page");
    assert_eq!(text_of(c, "dd.status").await.trim(), "Unwrangled");
    fill(
        c,
        "form#edit_synonym input[name=merger]",
        "Buffy Summers/Spike",
    )
    .await;
    submit(c, "form#edit_synonym", "Make Synonym").await;
    assert_eq!(
        text_of(c, "#edit-notice").await.trim(),
        "The tag was made a synonym."
    );
    assert_eq!(text_of(c, "dd.status").await.trim(), "Synonym");

    // The reader's tag page of the canonical tag now lists the work (the indexer catches
    // up a moment after the change).
    let canonical = format!("{base}/tags/Buffy%20Summers*s*Spike");
    wait_until("the work on the canonical tag's page", || async {
        c.goto(&canonical).await.is_ok()
            && c.find(Locator::Css("#tag-works ol.work.index"))
                .await
                .is_ok()
            && text_of(c, "#tag-works").await.contains(TITLE)
    })
    .await;
    let synonyms = text_of(c, "div.synonym").await;
    assert!(synonyms.contains("Spuffy"), "{synonyms}");

    // And the synonym's own page says where it went.
    c.goto(&format!("{base}/tags/Spuffy"))
        .await
        .expect("Spuffy");
    assert_eq!(
        text_of(c, "p.merger a.tag").await.trim(),
        "Buffy Summers/Spike"
    );
    browser.client.clone().close().await.expect("close");
}
