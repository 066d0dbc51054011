//! How the pages look and whether everyone can use them, in headless Chromium against a
//! real `tome serve`: screenshots at 1280 px and 390 px of the home page, a work page,
//! search results with the filter sidebar, the posting form (empty and refused), a
//! comment thread, the wrangling queue, the inbox and the admin settings, compared with
//! the reference images in `tests/screenshots/` (a small tolerance: a broken layout
//! fails, a changed pixel of anti-aliasing does not); and axe-core (its npm package in
//! `tests/axe/`, installed by `scripts/test.sh` with `npm ci`) over the same pages, which
//! must report no serious or critical violation.
//!
//! `TOME_UPDATE_SCREENSHOTS=1` writes the references anew (look at them before
//! committing). What changes from run to run is hidden before each shot: dates, hit
//! counts, invitation codes, the text caret.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use fantoccini::{Client, Locator};

const PASSWORD: &str = "correct horse 9";
const TITLE: &str = "The Tidewater Almanac";

/// Widths and heights of the two screens.
const SCREENS: [(&str, u32, u32); 2] = [("wide", 1280, 900), ("phone", 390, 844)];

/// A pixel counts as changed when a channel differs by more than this...
const CHANNEL_TOLERANCE: u8 = 48;
/// ...and a shot fails when more than this share of its pixels changed.
const PIXEL_SHARE: f64 = 0.004;

fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/screenshots")
}

fn axe_source() -> Option<String> {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(p).ok()
}

async fn text_of(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.expect("text"),
        Err(_) => {
            let page = c.source().await.unwrap_or_default();
            panic!(
                "no {css} on {:?}: {page}",
                c.current_url().await.map(|u| u.to_string())
            );
        }
    }
}

async fn log_in(c: &Client, base: &str, login: &str) {
    c.goto(&format!("{base}/users/login"))
        .await
        .expect("login page");
    fill(c, "[name='user[login]']", login).await;
    fill(c, "[name='user[password]']", PASSWORD).await;
    submit(c, "form[action^='/users/login']", "Log In").await;
    assert_eq!(
        text_of(c, "p.greeting").await.trim(),
        format!("Hi, {login}!")
    );
}

async fn log_out(c: &Client, base: &str) {
    c.goto(&format!("{base}/")).await.expect("home");
    submit(c, "form.logout", "Log Out").await;
}

/// Resizes the window so that the page's viewport is `w` × `h`.
async fn viewport(c: &Client, w: u32, h: u32) {
    c.set_window_size(w, h).await.expect("resize");
    let inner = c
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .expect("inner size");
    let iw = inner[0].as_u64().unwrap_or(w as u64) as u32;
    let ih = inner[1].as_u64().unwrap_or(h as u64) as u32;
    if iw != w || ih != h {
        c.set_window_size(w + (w.saturating_sub(iw)), h + (h.saturating_sub(ih)))
            .await
            .expect("resize again");
    }
}

/// Hides what changes between runs, and the caret.
async fn steady(c: &Client) {
    c.execute(
        r#"
        for (const e of document.querySelectorAll(
            '.datetime, dd.published, dd.status, dd.hits, td.code, code.invitation, .posted'))
          e.style.setProperty('visibility', 'hidden', 'important');
        document.documentElement.style.setProperty('caret-color', 'transparent', 'important');
        for (const e of document.querySelectorAll('input, textarea'))
          e.style.setProperty('caret-color', 'transparent', 'important');
        if (document.activeElement) document.activeElement.blur();
        window.scrollTo(0, 0);
        return true;
        "#,
        vec![],
    )
    .await
    .expect("steady the page");
}

/// Compares `png` with the reference `name.png`; returns a failure message, if any.
fn compare(name: &str, png: &[u8]) -> Option<String> {
    let dir = screenshots_dir();
    let reference = dir.join(format!("{name}.png"));
    if std::env::var_os("TOME_UPDATE_SCREENSHOTS").is_some() {
        std::fs::create_dir_all(&dir).expect("screenshots dir");
        std::fs::write(&reference, png).expect("write reference");
        return None;
    }
    let actual_path = std::env::temp_dir().join(format!("tome-screenshot-{name}.png"));
    let _ = std::fs::write(&actual_path, png);
    let Ok(want) = std::fs::read(&reference) else {
        return Some(format!(
            "{name}: no reference image {} (run with TOME_UPDATE_SCREENSHOTS=1); this run's is {}",
            reference.display(),
            actual_path.display()
        ));
    };
    let want = image::load_from_memory(&want)
        .expect("reference png")
        .to_rgba8();
    let got = image::load_from_memory(png)
        .expect("screenshot png")
        .to_rgba8();
    if want.dimensions() != got.dimensions() {
        return Some(format!(
            "{name}: {:?} instead of {:?} (this run's image: {})",
            got.dimensions(),
            want.dimensions(),
            actual_path.display()
        ));
    }
    let changed = want
        .pixels()
        .zip(got.pixels())
        .filter(|(a, b)| {
            a.0.iter()
                .zip(b.0.iter())
                .any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE)
        })
        .count();
    let total = (want.width() * want.height()) as f64;
    let share = changed as f64 / total;
    (share > PIXEL_SHARE).then(|| {
        format!(
            "{name}: {changed} pixels ({:.2}%) differ from {} (this run's image: {})",
            share * 100.0,
            reference.display(),
            actual_path.display()
        )
    })
}

/// Runs axe-core on the page; returns its serious and critical violations, described.
async fn axe(c: &Client, source: &str) -> Vec<String> {
    c.execute(&format!("{source}\n;return true;"), vec![])
        .await
        .expect("inject axe-core");
    let out = c
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            // One known exception: AO3's blurbs are `li role="article"` in
            // `ol.work.index` (../shared/AO3-MARKUP.md; readers' AO3 tools select them
            // so), which axe reads as a list holding something else.
            const ao3_blurbs = (v, n) =>
              v.id === 'list' && n.html.startsWith('<ol class="work index group"');
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(JSON.stringify(r.violations
                .map(v => Object.assign({}, v, { nodes: v.nodes.filter(n => !ao3_blurbs(v, n)) }))
                .filter(v => v.nodes.length > 0)
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' +
                  v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | ')))))
              .catch(e => done(JSON.stringify(['axe failed: ' + e])));
            "#,
            vec![],
        )
        .await
        .expect("run axe-core");
    let text = out.as_str().unwrap_or("[]");
    serde_json::from_str(text).unwrap_or_else(|_| vec![format!("unreadable axe output {text}")])
}

/// Takes the page's shots at both widths and runs axe on it, gathering failures.
async fn look(c: &Client, name: &str, axe_js: &str, failures: &mut Vec<String>) {
    for (screen, w, h) in SCREENS {
        viewport(c, w, h).await;
        steady(c).await;
        // Let a resize's layout settle.
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let png = c.screenshot().await.expect("screenshot");
        if let Some(f) = compare(&format!("{name}-{screen}"), &png) {
            failures.push(f);
        }
        for v in axe(c, axe_js).await {
            failures.push(format!("{name} at {w}px: {v}"));
        }
    }
    viewport(c, 1280, 900).await;
}

async fn goto(c: &Client, url: &str) {
    c.goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_look_as_they_should_and_pass_axe() {
    let Some(axe_js) = axe_source() else {
        eprintln!(
            "SKIPPED pages_look_as_they_should_and_pass_axe: axe-core is not installed \
             (scripts/test.sh runs npm ci in crates/tome/tests/axe)"
        );
        return;
    };
    let Some(browser) = chromium("pages_look_as_they_should_and_pass_axe").await else {
        return;
    };
    let data = archive_with_tags();
    add_user(data.path(), "keeper", PASSWORD, &["admin", "tag_wrangler"]);
    add_user(data.path(), "reader", PASSWORD, &[]);
    let (_server, base) = serve(data.path());
    let c = &browser.client;
    viewport(c, 1280, 900).await;
    let mut failures = Vec::new();

    // The author posts a two-chapter-free one-shot with tags through the form.
    log_in(c, &base, "keeper").await;
    open_new_work_form(c, &base).await;
    look(c, "posting-empty", &axe_js, &mut failures).await;
    submit(c, "form#work-form", "Post").await;
    assert!(
        c.find(Locator::Css("#error")).await.is_ok(),
        "the refused form says why"
    );
    look(c, "posting-refused", &axe_js, &mut failures).await;
    open_new_work_form(c, &base).await;
    fill(c, "[name='work[fandoms]']", "Buffy the Vampire Slayer").await;
    fill(c, "[name='work[relationships]']", "Buffy Summers/Spike").await;
    fill(
        c,
        "[name='work[freeforms]']",
        "Lighthouses, Almanac Weather",
    )
    .await;
    fill(c, "[name='work[title]']", TITLE).await;
    fill(
        c,
        "[name='work[summary]']",
        "A year of tides, kept in a ledger by someone who hoped it would be read.",
    )
    .await;
    fill(
        c,
        "[name='chapters[0][body]']",
        "<p>The first tide of the year came in grey and quiet.</p>\
         <p>By the second the gulls had learned the keeper's name.</p>",
    )
    .await;
    submit(c, "form#work-form", "Post").await;
    assert_eq!(text_of(c, "h2.title.heading").await.trim(), TITLE);
    let work_url = c.current_url().await.expect("url").to_string();
    log_out(c, &base).await;

    // A reader comments; the author replies: a thread, and the author's inbox.
    log_in(c, &base, "reader").await;
    goto(c, &work_url).await;
    fill(
        c,
        "form.new_comment textarea",
        "The ledger of gulls made me laugh.",
    )
    .await;
    submit(c, "form.new_comment", "Comment").await;
    log_out(c, &base).await;
    log_in(c, &base, "keeper").await;
    goto(c, &work_url).await;
    c.find(Locator::Css("details.reply > summary"))
        .await
        .expect("reply")
        .click()
        .await
        .expect("open reply");
    fill(c, "form.reply textarea", "Thank you! They were loud gulls.").await;
    submit(c, "form.reply", "Reply").await;

    // Guests' pages.
    log_out(c, &base).await;
    goto(c, &format!("{base}/")).await;
    look(c, "home", &axe_js, &mut failures).await;
    goto(c, &work_url).await;
    look(c, "work", &axe_js, &mut failures).await;
    let search = format!("{base}/works/search?work_search%5Bquery%5D=tides");
    wait_until("the work in search results", || async {
        c.goto(&search).await.is_ok()
            && c.find(Locator::Css("ol.work.index li.blurb")).await.is_ok()
    })
    .await;
    look(c, "search", &axe_js, &mut failures).await;

    // The author's pages.
    log_in(c, &base, "keeper").await;
    goto(c, &work_url).await;
    c.execute(
        "document.getElementById('comments_placeholder').scrollIntoView(); return true;",
        vec![],
    )
    .await
    .expect("scroll");
    for (screen, w, h) in SCREENS {
        viewport(c, w, h).await;
        steady(c).await;
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let thread = c
            .find(Locator::Css("#comments_placeholder ol.thread"))
            .await
            .expect("the thread");
        let png = thread.screenshot().await.expect("thread screenshot");
        if let Some(f) = compare(&format!("comments-{screen}"), &png) {
            failures.push(f);
        }
    }
    viewport(c, 1280, 900).await;
    goto(c, &format!("{base}/users/keeper/inbox")).await;
    look(c, "inbox", &axe_js, &mut failures).await;
    goto(c, &format!("{base}/tag_wranglings/no_fandom")).await;
    look(c, "wrangling-queue", &axe_js, &mut failures).await;
    goto(c, &format!("{base}/admin/settings")).await;
    look(c, "admin-settings", &axe_js, &mut failures).await;

    browser.client.clone().close().await.expect("close");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
