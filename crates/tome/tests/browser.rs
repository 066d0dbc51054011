//! A reader's walk through the site in headless Chromium (Debian's chromium + chromedriver):
//! home page -> a work -> the next chapter -> download the EPUB.

mod common;

use common::*;
use fantoccini::{ClientBuilder, Locator};
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromedriver() -> (Running, String) {
    let bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("chromedriver is not installed: run scripts/test.sh (it installs Debian's chromium and chromium-driver)");
    let port = free_port();
    let child = Command::new(bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let running = Running(child);
    wait_for_port(port, Duration::from_secs(20));
    (running, format!("http://127.0.0.1:{port}"))
}

async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_opens_a_work_reads_on_and_downloads_the_epub() {
    let data = archive_with_tags();
    let story = write_multi_chapter(data.path());
    run_ok(
        tome(data.path())
            .arg("import")
            .args(seed_files())
            .arg(&story),
    );
    let (_server, base) = serve(data.path());
    let (_driver, driver_url) = chromedriver();

    let profile = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     format!("--user-data-dir={}", profile.path().display())],
            "prefs": {"download.default_directory": downloads.path(), "download.prompt_for_download": false}
        }),
    );
    let client = ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&driver_url)
        .await
        .expect("connect to chromedriver");

    // Home page: recent works as blurbs.
    client.goto(&base).await.unwrap();
    let link = client
        .find(Locator::XPath("//ol[@class='work index group']//h4[contains(@class,'heading')]/a[normalize-space(.)='The Lighthouse Letters']"))
        .await
        .expect("the home page lists the imported work");
    link.click().await.unwrap();
    wait_until("the work page", || async {
        client
            .current_url()
            .await
            .map(|u| u.path().starts_with("/works/"))
            .unwrap_or(false)
    })
    .await;
    let title = client
        .find(Locator::Css("h2.title.heading"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title.trim(), "The Lighthouse Letters");
    let body = client
        .find(Locator::Css("#chapters"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("Maren found the first letter"),
        "chapter 1 is shown: {body}"
    );
    assert!(!body.contains("Tobias answered"), "only chapter 1 is shown");

    // Next chapter.
    client
        .find(Locator::XPath(
            "//a[contains(normalize-space(.),'Next Chapter')]",
        ))
        .await
        .expect("a Next Chapter link")
        .click()
        .await
        .unwrap();
    wait_until("chapter 2", || async {
        match client.find(Locator::Css("#chapters")).await {
            Ok(e) => e
                .text()
                .await
                .map(|t| t.contains("Tobias answered in pencil"))
                .unwrap_or(false),
            Err(_) => false,
        }
    })
    .await;
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .contains("/chapters/")
    );

    // Download the EPUB through the page's link.
    client
        .find(Locator::XPath(
            "//li[@class='download']//a[normalize-space(.)='EPUB']",
        ))
        .await
        .expect("EPUB link")
        .click()
        .await
        .unwrap();
    let dir = downloads.path().to_path_buf();
    wait_until("the EPUB download", || {
        let dir = dir.clone();
        async move {
            std::fs::read_dir(&dir)
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .any(|e| e.path().extension().is_some_and(|x| x == "epub"))
                })
                .unwrap_or(false)
        }
    })
    .await;
    let epub = std::fs::read_dir(downloads.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "epub"))
        .unwrap()
        .path();
    assert_epubcheck_clean(&epub);
    let bytes = std::fs::read(&epub).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip file");
    assert!(
        bytes.windows(20).any(|w| w == b"application/epub+zip"),
        "EPUB mimetype"
    );
    client.close().await.unwrap();
}
