//! Taking part, in headless Chromium against a real `tome serve` on a fresh data folder:
//! an author signs up, logs in, posts a two-chapter work with tags through the web forms
//! and sees it on the home page; a reader signs up, leaves kudos, a comment and a
//! bookmark; the author, back, finds the notifications in their inbox.

mod common;

use common::*;
use fantoccini::{Client, Locator};

const TITLE: &str = "The Cartographer's Apprentice";

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text()
        .await
        .expect("text")
}

async fn page_text(c: &Client) -> String {
    text_of(c, "body").await
}

async fn path(c: &Client) -> String {
    c.current_url().await.expect("url").path().to_string()
}

/// Types into the field named `name` (inputs and textareas).
async fn type_into(c: &Client, name: &str, text: &str) {
    fill(c, &format!("[name='{name}']"), text).await;
}

async fn sign_up(c: &Client, base: &str, login: &str) {
    c.goto(&format!("{base}/users/new"))
        .await
        .expect("sign-up page");
    type_into(c, "user[login]", login).await;
    type_into(c, "user[email]", &format!("{login}@example.org")).await;
    type_into(c, "user[password]", "correct horse 9").await;
    type_into(c, "user[password_confirmation]", "correct horse 9").await;
    agree_to_terms(c).await;
    submit(c, "form#new_user", "Create Account").await;
    assert!(
        path(c).await.starts_with("/users/login"),
        "sign-up leads to log in: {}",
        page_text(c).await
    );
    assert!(
        text_of(c, "#login-notice")
            .await
            .contains("Your account was created"),
        "sign-up says it worked"
    );
}

async fn log_in(c: &Client, base: &str, login: &str) {
    c.goto(&format!("{base}/users/login"))
        .await
        .expect("login page");
    type_into(c, "user[login]", login).await;
    type_into(c, "user[password]", "correct horse 9").await;
    submit(c, "form[action^='/users/login']", "Log In").await;
    let greeting = text_of(c, "p.greeting").await;
    assert_eq!(greeting.trim(), format!("Hi, {login}!"));
}

async fn log_out(c: &Client) {
    submit(c, "form.logout", "Log Out").await;
    assert!(
        c.find(Locator::Css("p.greeting")).await.is_err(),
        "logged out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn author_posts_reader_responds_author_is_notified() {
    let Some(browser) = chromium("author_posts_reader_responds_author_is_notified").await else {
        return;
    };
    let data = data_dir();
    let (_server, base) = serve(data.path());
    let c = &browser.client;

    // The author signs up and logs in.
    sign_up(c, &base, "mapmaker").await;
    log_in(c, &base, "mapmaker").await;

    // A new work with tags and its first chapter.
    open_new_work_form(c, &base).await;
    type_into(c, "work[fandoms]", "Maps & Territories").await;
    type_into(c, "work[relationships]", "Apprentice/Cartographer").await;
    type_into(c, "work[characters]", "The Apprentice, The Cartographer").await;
    type_into(c, "work[freeforms]", "Slow Burn, Found Family").await;
    type_into(c, "work[title]", TITLE).await;
    type_into(c, "work[summary]", "Every coastline is a question.").await;
    type_into(c, "chapters[0][title]", "Ink").await;
    type_into(
        c,
        "chapters[0][body]",
        "<p>The apprentice ground the ink before dawn.</p>",
    )
    .await;
    submit(c, "form#work-form", "Post").await;
    let work_path = path(c).await;
    assert!(
        work_path.starts_with("/works/") && !work_path.ends_with("/works"),
        "posting leads to the work: {work_path}: {}",
        page_text(c).await
    );
    assert_eq!(text_of(c, "h2.title.heading").await.trim(), TITLE);
    let meta = text_of(c, "dl.work.meta").await;
    for tag in [
        "General Audiences",
        "Maps & Territories",
        "Apprentice/Cartographer",
        "The Cartographer",
        "Found Family",
    ] {
        assert!(meta.contains(tag), "{tag} in {meta}");
    }

    // The second chapter through "Add Chapter".
    c.find(Locator::XPath("//a[normalize-space(.)='Add Chapter']"))
        .await
        .expect("Add Chapter link")
        .click()
        .await
        .expect("click");
    wait_until("the chapter form", || async {
        c.find(Locator::Css("[name='chapter[body]']")).await.is_ok()
    })
    .await;
    type_into(c, "chapter[title]", "Coastline").await;
    type_into(
        c,
        "chapter[body]",
        "<p>By noon the coastline had moved again.</p>",
    )
    .await;
    submit(c, "form#chapter-form", "Post").await;
    c.goto(&format!("{base}{work_path}/navigate"))
        .await
        .expect("index");
    let index = page_text(c).await;
    assert!(
        index.contains("1. Ink") && index.contains("2. Coastline"),
        "{index}"
    );

    // On the home page.
    c.goto(&base).await.expect("home");
    c.find(Locator::XPath(&format!(
        "//ol[contains(@class,'work')]//h4[contains(@class,'heading')]/a[normalize-space(.)=\"{TITLE}\"]"
    )))
    .await
    .expect("the home page lists the new work");
    log_out(c).await;

    // A reader signs up, leaves kudos, a comment and a bookmark.
    sign_up(c, &base, "wayfarer").await;
    log_in(c, &base, "wayfarer").await;
    c.goto(&format!("{base}{work_path}")).await.expect("work");
    submit(c, "form#new_kudo", "Kudos ♥").await;
    wait_until("the kudos", || async {
        page_text(c).await.contains("wayfarer left kudos")
            || text_of(c, "#kudos").await.contains("1 kudos")
    })
    .await;
    type_into(
        c,
        "comment[comment_content]",
        "The coastline line made me gasp.",
    )
    .await;
    submit(c, "form.new_comment", "Comment").await;
    c.goto(&format!("{base}{work_path}")).await.expect("work");
    assert!(
        page_text(c)
            .await
            .contains("The coastline line made me gasp."),
        "the comment shows"
    );
    type_into(c, "bookmark[bookmarker_notes]", "Read this twice.").await;
    type_into(c, "bookmark[tag_string]", "maps, favourites").await;
    submit(c, "form#bookmark_form", "Create").await;
    c.goto(&format!("{base}/users/wayfarer/bookmarks"))
        .await
        .expect("bookmarks");
    let bookmarks = page_text(c).await;
    assert!(
        bookmarks.contains(TITLE) && bookmarks.contains("Read this twice."),
        "{bookmarks}"
    );
    log_out(c).await;

    // The author, back, finds the notifications.
    log_in(c, &base, "mapmaker").await;
    c.goto(&format!("{base}/users/mapmaker/inbox"))
        .await
        .expect("inbox");
    let inbox = text_of(c, "#main").await;
    assert!(
        inbox.contains("wayfarer") && inbox.contains(TITLE),
        "the comment is in the inbox: {inbox}"
    );
    let unread = c
        .find_all(Locator::Css("li.notification.unread"))
        .await
        .expect("notifications");
    assert!(!unread.is_empty(), "unread notifications: {inbox}");
    browser.client.clone().close().await.expect("close");
}
