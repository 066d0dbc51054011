//! Script and style injection, in headless Chromium against a real `tome serve`: every
//! field a user writes (work title, summary, notes, every tag field, chapter title, text
//! and notes, series title, pseud name, comment, bookmark notes and tags, and the user
//! name on the sign-up form, which refuses it and shows it back) gets a payload that
//! leaves a trace if any part of it runs (`document.body.dataset.pwned`,
//! `window.__pwned`). Then every page that shows them is opened and inspected: no trace,
//! no script but the archive's own, no `on*` attribute, no `javascript:` URL, no inline
//! style, no `<style>`, `<iframe>`, `<object>` or `<embed>`; and every response carries
//! a Content-Security-Policy that forbids inline script (checked over plain HTTP too).

mod common;

use common::*;
use fantoccini::{Client, Locator};
use serde_json::Value;

/// A payload for long text fields: each part would leave a trace if it ran.
fn long_payload(n: &str) -> String {
    format!(
        "Text {n} <script>document.body.dataset.pwned='{n}';window.__pwned='{n}'</script>\
         <img src=x onerror=\"window.__pwned='{n}'\">\
         <a href=\"javascript:window.__pwned='{n}'\">js link {n}</a>\
         <a href=\" JaVaScRiPt:window.__pwned='{n}'\">spaced {n}</a>\
         <div style=\"position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999;background:url(javascript:window.__pwned='{n}')\">overlay {n}</div>\
         <style>body{{background:expression(window.__pwned='{n}')}} #main{{display:none}}</style>\
         <svg onload=\"window.__pwned='{n}'\"><circle r=1></circle></svg>\
         <iframe src=\"javascript:window.__pwned='{n}'\"></iframe>\
         <object data=\"javascript:window.__pwned='{n}'\"></object>\
         <form action=\"javascript:window.__pwned='{n}'\"><button>go</button></form>\
         <p onclick=\"window.__pwned='{n}'\" onmouseover=\"window.__pwned='{n}'\">hover {n}</p>\
         \"><script>window.__pwned='{n}'</script>'><img src=x onerror=window.__pwned='{n}'>"
    )
}

/// A payload for names and tags (at most 150 characters, no commas); `n` is a two-letter
/// code, shown as "Zq" + code.
fn short_payload(n: &str) -> String {
    let p = format!(
        "Zq{n}<script>window.__pwned='{n}'</script><img src=x onerror=window.__pwned='{n}'><a href=javascript:alert(1)>j</a><style>*{{x:expression(1)}}</style>"
    );
    assert!(p.chars().count() <= 150 && !p.contains(','), "{p}");
    p
}

/// A payload for tags (at most 100 characters, the tag limit).
fn tag_payload(n: &str) -> String {
    let p = format!(
        "Zq{n}<script>window.__pwned='{n}'</script><img src=x onerror=window.__pwned='{n}'><style>*{{}}</style>"
    );
    assert!(p.chars().count() <= 100 && !p.contains(','), "{p}");
    p
}

/// What the page must not hold, as a list of findings (empty: clean).
const INSPECT: &str = r#"
const bad = [];
if (document.body && document.body.dataset.pwned) bad.push('trace: body.dataset.pwned=' + document.body.dataset.pwned);
if (window.__pwned) bad.push('trace: window.__pwned=' + window.__pwned);
for (const s of document.querySelectorAll('script')) {
  const src = s.getAttribute('src') || '';
  if (!src.startsWith('/static/')) bad.push('script: ' + s.outerHTML.slice(0, 120));
}
for (const el of document.querySelectorAll('*')) {
  for (const a of el.attributes) {
    const name = a.name.toLowerCase();
    if (name.startsWith('on')) bad.push('handler: <' + el.tagName + ' ' + a.name + '>');
    if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster'].includes(name)
        && /^[\s\u0000-\u001f]*j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:/i.test(a.value))
      bad.push('javascript url: <' + el.tagName + ' ' + a.name + '=' + a.value.slice(0, 60) + '>');
    if (name === 'style') bad.push('inline style: <' + el.tagName + ' style=' + a.value.slice(0, 60) + '>');
  }
}
for (const el of document.querySelectorAll('style, iframe, object, embed, svg, math, base, meta[http-equiv]'))
  bad.push('element: ' + el.outerHTML.slice(0, 80));
return bad;
"#;

/// Opens `url` in the browser, lets load and error handlers fire, and asserts the page
/// is clean; also checks the CSP header over plain HTTP.
async fn assert_clean(c: &Client, url: &str, expect_text: &str) {
    c.goto(url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let found = c.execute(INSPECT, vec![]).await.expect("inspect");
    let found: Vec<String> = match found {
        Value::Array(v) => v
            .into_iter()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect(),
        other => panic!("inspect returned {other}"),
    };
    assert!(found.is_empty(), "{url}:\n  {}", found.join("\n  "));
    let text = c
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains(expect_text),
        "{url} should show {expect_text:?} (as text): {text}"
    );
    assert_csp(url);
}

/// The Content-Security-Policy of a plain HTTP response forbids inline script.
fn assert_csp(url: &str) {
    let (status, headers) = http_head(url);
    assert!(status != 0, "{url}: no response");
    let csp = headers
        .iter()
        .find(|(k, _)| k == "content-security-policy")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("{url} has no Content-Security-Policy"));
    let script = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .or_else(|| {
            csp.split(';')
                .map(str::trim)
                .find(|d| d.starts_with("default-src"))
        })
        .unwrap_or_else(|| panic!("{url}: CSP without script-src: {csp}"));
    assert!(
        !script.contains("'unsafe-inline'")
            && !script.contains("'unsafe-eval'")
            && !script.contains('*')
            && !script.contains("data:"),
        "{url}: {script}"
    );
    for d in ["object-src 'none'", "base-uri 'none'"] {
        assert!(csp.contains(d), "{url}: {csp} lacks {d}");
    }
    let style = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("style-src"))
        .unwrap_or_else(|| panic!("{url}: CSP without style-src: {csp}"));
    assert!(!style.contains("'unsafe-inline'"), "{url}: {style}");
}

async fn path(c: &Client) -> String {
    c.current_url().await.expect("url").path().to_string()
}

/// Sets a field's value (as a browser would send it) by name.
async fn set(c: &Client, name: &str, value: &str) {
    let field = c
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .unwrap_or_else(|e| panic!("no field {name}: {e}"));
    c.execute(
        "arguments[0].value = arguments[1];",
        vec![
            serde_json::to_value(&field).expect("element"),
            Value::from(value),
        ],
    )
    .await
    .expect("set value");
}

async fn sign_up_and_log_in(c: &Client, base: &str, login: &str) {
    c.goto(&format!("{base}/users/new")).await.expect("sign up");
    set(c, "user[login]", login).await;
    set(c, "user[email]", &format!("{login}@example.org")).await;
    set(c, "user[password]", "correct horse 9").await;
    set(c, "user[password_confirmation]", "correct horse 9").await;
    agree_to_terms(c).await;
    submit(c, "form#new_user", "Create Account").await;
    c.goto(&format!("{base}/users/login"))
        .await
        .expect("log in");
    set(c, "user[login]", login).await;
    set(c, "user[password]", "correct horse 9").await;
    submit(c, "form[action^='/users/login']", "Log In").await;
    c.find(Locator::Css("p.greeting"))
        .await
        .unwrap_or_else(|_| panic!("{login} is logged in"));
}

async fn log_out(c: &Client) {
    submit(c, "form.logout", "Log Out").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_a_user_writes_runs_as_script_or_style() {
    let Some(browser) = chromium("nothing_a_user_writes_runs_as_script_or_style").await else {
        return;
    };
    let data = data_dir();
    let (_server, base) = serve(data.path());
    let c = &browser.client;

    // The trace is real: the same payload, served without our policy, does run.
    let control = format!(
        "data:text/html,<body>{}</body>",
        long_payload("control").replace('#', "%23")
    );
    c.goto(&control).await.expect("control page");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let ran = c
        .execute("return window.__pwned || null;", vec![])
        .await
        .expect("control");
    assert_eq!(
        ran,
        Value::from("control"),
        "the payload leaves a trace when it runs"
    );

    // A user name is refused, and shown back on the form without running.
    c.goto(&format!("{base}/users/new")).await.expect("sign up");
    set(c, "user[login]", &short_payload("lg")).await;
    set(c, "user[email]", "x@example.org").await;
    set(c, "user[password]", "correct horse 9").await;
    set(c, "user[password_confirmation]", "correct horse 9").await;
    submit(c, "form#new_user", "Create Account").await;
    let page = c.current_url().await.expect("url").to_string();
    let value = c
        .find(Locator::Css("[name='user[login]']"))
        .await
        .expect("login field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(value.as_deref(), Some(short_payload("lg").as_str()));
    let found = c.execute(INSPECT, vec![]).await.expect("inspect");
    assert_eq!(found, Value::Array(vec![]), "{page}");

    // The author: a pseud named with a payload, then a work with payloads everywhere.
    sign_up_and_log_in(c, &base, "inkauthor").await;
    c.goto(&format!("{base}/users/inkauthor/pseuds"))
        .await
        .expect("pseuds");
    set(c, "pseud[name]", &short_payload("ps")).await;
    submit(c, "form#new_pseud", "Create").await;
    // Pseud names are letters, digits, spaces, `_` and `-`: refused, and shown back.
    let found = c.execute(INSPECT, vec![]).await.expect("inspect");
    assert_eq!(found, Value::Array(vec![]), "the refused pseud form");
    let value = c
        .find(Locator::Css("[name='pseud[name]']"))
        .await
        .expect("pseud field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(value.as_deref(), Some(short_payload("ps").as_str()));
    assert_csp(&format!("{base}/users/inkauthor/pseuds"));

    open_new_work_form(c, &base).await;
    for b in c
        .find_all(Locator::Css("input[name='work[pseud_ids][]']"))
        .await
        .expect("pseuds")
    {
        if !b.is_selected().await.expect("state") {
            b.click().await.expect("tick pseud");
        }
    }
    set(c, "work[fandoms]", &tag_payload("fa")).await;
    set(c, "work[relationships]", &tag_payload("re")).await;
    set(c, "work[characters]", &tag_payload("ch")).await;
    set(c, "work[freeforms]", &tag_payload("ff")).await;
    set(c, "work[title]", &short_payload("ti")).await;
    set(c, "work[summary]", &long_payload("summary")).await;
    set(c, "work[notes_begin]", &long_payload("notes_begin")).await;
    set(c, "work[notes_end]", &long_payload("notes_end")).await;
    c.find(Locator::Css("input[name='work[series]'][value='new']"))
        .await
        .expect("new series choice")
        .click()
        .await
        .expect("choose");
    set(c, "work[series_title]", &short_payload("se")).await;
    set(c, "chapters[0][title]", &short_payload("c1")).await;
    set(c, "chapters[0][notes_begin]", &long_payload("ch1_notes")).await;
    set(c, "chapters[0][body]", &long_payload("ch1_body")).await;
    set(c, "chapters[0][notes_end]", &long_payload("ch1_end")).await;

    // The preview shows it all before anything is saved.
    submit(c, "form#work-form", "Preview").await;
    let preview = c.current_url().await.expect("url").to_string();
    let found = c.execute(INSPECT, vec![]).await.expect("inspect");
    assert_eq!(found, Value::Array(vec![]), "preview at {preview}");
    submit(c, "form#work-form", "Post").await;
    let work = path(c).await;
    assert!(work.starts_with("/works/"), "posted: {work}");
    let work_url = format!("{base}{work}");

    // A second chapter through "Add Chapter".
    c.goto(&format!("{work_url}/chapters/new"))
        .await
        .expect("chapter form");
    set(c, "chapter[title]", &short_payload("c2")).await;
    set(c, "chapter[notes_begin]", &long_payload("ch2_notes")).await;
    set(c, "chapter[body]", &long_payload("ch2_body")).await;
    set(c, "chapter[notes_end]", &long_payload("ch2_end")).await;
    submit(c, "form#chapter-form", "Post").await;

    // Every link from the work to its tags, chapters, series and creators.
    c.goto(&work_url).await.expect("work");
    let mut links: Vec<String> = Vec::new();
    for a in c
        .find_all(Locator::Css(
            "dl.work.meta a, h3.byline a, #chapter_index a, select#selected_id option, .series a",
        ))
        .await
        .expect("links")
    {
        if let Ok(Some(h)) = a.attr("href").await {
            links.push(h);
        }
    }
    let chapters = c
        .find_all(Locator::Css("select[name='selected_id'] option"))
        .await
        .expect("chapter options");
    for o in chapters {
        if let Ok(Some(v)) = o.attr("value").await {
            links.push(format!("{work}/chapters/{v}"));
        }
    }
    let tag_links = links.iter().filter(|l| l.contains("/tags/")).count();
    assert!(tag_links >= 5, "the work links its payload tags: {links:?}");
    log_out(c).await;

    // A reader comments and bookmarks with payloads.
    sign_up_and_log_in(c, &base, "inkreader").await;
    c.goto(&work_url).await.expect("work");
    set(c, "comment[comment_content]", &long_payload("comment")).await;
    submit(c, "form.new_comment", "Comment").await;
    c.goto(&work_url).await.expect("work");
    set(c, "bookmark[bookmarker_notes]", &long_payload("bookmark")).await;
    set(c, "bookmark[tag_string]", &tag_payload("bt")).await;
    submit(c, "form#bookmark_form", "Create").await;
    let after = path(c).await;
    let text = c
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text");
    assert!(
        after == "/users/inkreader/bookmarks",
        "the bookmark is saved: {after}: {text}"
    );

    let mut pages: Vec<(String, &str)> = vec![
        (work_url.clone(), "Text summary"),
        (format!("{work_url}?view_full_work=true"), "Text ch2_body"),
        (format!("{work_url}/navigate"), "Zqti"),
        (base.clone(), "Zqti"),
        (format!("{base}/works"), "Zqti"),
        (format!("{base}/users/inkreader/bookmarks"), "Text bookmark"),
        (format!("{base}/users/inkreader/readings"), "Zqti"),
        (format!("{base}/users/inkauthor"), "inkauthor"),
        (format!("{base}/users/inkauthor/works"), "Zqti"),
        (format!("{base}/users/inkauthor/pseuds"), "inkauthor"),
    ];
    for l in &links {
        let url = if l.starts_with('/') {
            format!("{base}{l}")
        } else {
            l.clone()
        };
        pages.push((url, ""));
    }
    if http_get(&format!("{base}/works/search")).0 != 404 {
        pages.push((
            format!("{base}/works/search?work_search%5Bquery%5D=Text"),
            "",
        ));
    }
    for (url, text) in &pages {
        assert_clean(c, url, text).await;
    }
    log_out(c).await;

    // The author's own views: their pages, the edit forms, the inbox with the comment.
    c.goto(&format!("{base}/users/login"))
        .await
        .expect("log in");
    set(c, "user[login]", "inkauthor").await;
    set(c, "user[password]", "correct horse 9").await;
    submit(c, "form[action^='/users/login']", "Log In").await;
    for (url, text) in [
        (work_url.clone(), "Text comment"),
        (format!("{work_url}/edit"), ""),
        (format!("{base}/users/inkauthor/inbox"), "inkreader"),
        (format!("{base}/users/inkauthor/works/drafts"), ""),
        (format!("{base}/users/inkauthor/pseuds"), "inkauthor"),
    ] {
        assert_clean(c, &url, text).await;
    }
    browser.client.clone().close().await.expect("close");
}
