//! Helpers for the end-to-end tests: run the real `tome` binary on a real data folder,
//! start a real server on a free loopback port.
#![allow(dead_code)]

#[path = "../../../tome-web/tests/support/database.rs"]
mod database;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub fn seeds_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    assert!(
        dir.join("expected.json").exists(),
        "the seed stories are missing: expected {} (tests read ../shared)",
        dir.display()
    );
    dir
}

pub fn seed_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .expect("read seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

/// The database URLs of the data folders made by [`data_dir`] on PostgreSQL.
static DATABASES: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());

/// A test archive's data folder; with `TOME_TEST_BACKEND=postgres` also a fresh PostgreSQL
/// database that every [`tome`] command on this folder uses (`TOME_DATABASE_URL`), dropped
/// with the folder.
pub struct DataDir {
    dir: tempfile::TempDir,
    _db: database::TestDatabase,
}

impl DataDir {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        DATABASES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(self.dir.path());
    }
}

/// A fresh data folder on the backend the environment asks for.
pub fn data_dir() -> DataDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database::TestDatabase::from_env();
    if let Some(url) = db.url() {
        DATABASES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.path().to_path_buf(), url.to_string());
    }
    DataDir { dir, _db: db }
}

/// The store of a data folder, as `tome` opens it.
pub async fn open_store(data: &Path) -> tome_store::Store {
    let url = DATABASES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(data)
        .cloned();
    match url {
        Some(url) => tome_store::Store::open(&url).await.expect("open store"),
        None => tome_store::Store::open_data_dir(data)
            .await
            .expect("open store"),
    }
}

/// A `tome` command on the given data folder.
pub fn tome(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tome"));
    cmd.arg("--data").arg(data).env("RUST_LOG", "warn");
    let url = DATABASES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(data)
        .cloned();
    match url {
        Some(url) => cmd.env("TOME_DATABASE_URL", url),
        None => cmd.env_remove("TOME_DATABASE_URL"),
    };
    cmd
}

/// Adds the account `login` (e-mail `login@example.org`) with `password` and `roles`
/// through `tome users add`, failing the test if it is refused.
pub fn add_user(data: &Path, login: &str, password: &str, roles: &[&str]) {
    let email = format!("{login}@example.org");
    let mut args = vec!["users", "add", login, "--email", &email, "--password-stdin"];
    for r in roles {
        args.push("--role");
        args.push(r);
    }
    let mut child = tome(data)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tome users add");
    std::io::Write::write_all(
        &mut child.stdin.take().expect("stdin"),
        format!("{password}\n").as_bytes(),
    )
    .expect("password");
    let out = child.wait_with_output().expect("users add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run tome");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

pub fn wait_for_port(port: u16, timeout: Duration) {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listened on port {port} within {timeout:?}");
}

/// A child process killed when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `tome serve` on a free port; returns the process and its base URL.
pub fn serve(data: &Path) -> (Running, String) {
    let port = free_port();
    let child = tome(data)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--name",
            "Test Archive",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tome serve");
    let running = Running(child);
    wait_for_port(port, Duration::from_secs(30));
    (running, format!("http://127.0.0.1:{port}"))
}

/// A fresh data folder with the seeds' wrangled tag set imported.
pub fn archive_with_tags() -> DataDir {
    let data = data_dir();
    run_ok(
        tome(data.path())
            .args(["tags", "import"])
            .arg(seeds_dir().join("tags.json")),
    );
    data
}

/// Writes [`MULTI_CHAPTER`] into `dir` and returns its path.
pub fn write_multi_chapter(dir: &Path) -> PathBuf {
    let story = dir.join("lighthouse.txt");
    std::fs::write(&story, MULTI_CHAPTER).expect("write story");
    story
}

/// A two-chapter story with titled chapters, in the eFiction header style.
pub const MULTI_CHAPTER: &str = "Title: The Lighthouse Letters\nAuthor: saltwitch\nRating: PG-13\nSummary: Two keepers, one lamp, and a winter of letters.\nWarning: angst\n\nChapter One: The First Letter\n\nMaren found the first letter under the lamp on a Tuesday.\n\nShe read it twice before she understood who had written it.\n\nChapter Two: The Reply\n\nTobias answered in pencil, because the ink had frozen.\n\nHe signed it with a drawing of the lighthouse.\n\nThe End\n";

/// Runs Debian's epubcheck on a file and asserts it reports no errors or warnings.
/// `/usr/bin/epubcheck` is the jar itself; without binfmt_misc it runs through `java -jar`.
pub fn assert_epubcheck_clean(path: &Path) {
    const EPUBCHECK: &str = "/usr/bin/epubcheck";
    assert!(
        Path::new(EPUBCHECK).exists(),
        "epubcheck is not installed: run scripts/test.sh"
    );
    let out = Command::new("java")
        .arg("-jar")
        .arg(EPUBCHECK)
        .arg(path)
        .output()
        .expect("run epubcheck with java");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains("No errors or warnings detected"),
        "epubcheck on {}:\n{text}",
        path.display()
    );
}

/// A plain HTTP/1.0 GET over loopback (no client library, no TLS): (status, body).
pub fn http_get(url: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_string())
}

/// Debian's Chromium and its driver, as `scripts/test.sh` installs them: `Some((chromium,
/// chromedriver))`, or `None` when either is missing.
pub fn chromium_paths() -> Option<(&'static str, &'static str)> {
    let chromium = "/usr/bin/chromium";
    let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    Path::new(chromium).exists().then_some((chromium, driver))
}

/// A headless Chromium driven through chromedriver, with a fresh profile; the driver is
/// stopped when this is dropped (close `client` first).
pub struct Chromium {
    pub client: fantoccini::Client,
    _driver: Running,
    _profile: tempfile::TempDir,
}

/// Starts headless Chromium, or says why it cannot and returns `None` (the caller skips).
pub async fn chromium(test: &str) -> Option<Chromium> {
    let Some((chromium, driver)) = chromium_paths() else {
        eprintln!(
            "SKIPPED {test}: chromium or chromedriver is not installed \
             (scripts/test.sh installs Debian's chromium and chromium-driver)"
        );
        return None;
    };
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Running(child);
    wait_for_port(port, Duration::from_secs(20));
    let profile = tempfile::tempdir().expect("profile dir");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-dev-shm-usage",
                     format!("--user-data-dir={}", profile.path().display())],
        }),
    );
    let client = fantoccini::ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver");
    Some(Chromium {
        client,
        _driver: driver,
        _profile: profile,
    })
}

/// Polls `check` for up to 20 seconds.
pub async fn wait_until<F, Fut>(what: &str, mut check: F)
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

/// A plain HTTP/1.0 GET returning the response head's headers (lower-cased names) and
/// the status.
pub fn http_head(url: &str) -> (u16, Vec<(String, String)>) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let head = text.split_once("\r\n\r\n").map(|(h, _)| h).unwrap_or(&text);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers)
}

/// Clears the field matched by `css` (an input or a textarea) and types `text` into it.
pub async fn fill(c: &fantoccini::Client, css: &str, text: &str) {
    let field = c
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no field {css}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

/// Clicks the submit button labelled `label` inside the form matched by `form`, and
/// waits for the next page.
pub async fn submit(c: &fantoccini::Client, form: &str, label: &str) {
    let before = c
        .execute("return window.__tome_page = Math.random();", vec![])
        .await
        .expect("mark page");
    c.find(fantoccini::Locator::Css(&format!(
        "{form} input[type=submit][value=\"{label}\"]"
    )))
    .await
    .unwrap_or_else(|e| panic!("no {label} button in {form}: {e}"))
    .click()
    .await
    .expect("click");
    wait_until(&format!("the page after {label}"), || async {
        c.execute("return window.__tome_page;", vec![])
            .await
            .is_ok_and(|v| v != before)
    })
    .await;
}

/// Opens the new-work form and fills what every test work needs: General Audiences and
/// "No Archive Warnings Apply".
pub async fn open_new_work_form(c: &fantoccini::Client, base: &str) {
    c.goto(&format!("{base}/works/new"))
        .await
        .expect("new work");
    c.find(fantoccini::Locator::Css("select[name='work[rating]']"))
        .await
        .expect("rating")
        .select_by_label("General Audiences")
        .await
        .expect("pick a rating");
    c.find(fantoccini::Locator::XPath(
        "//label[contains(., 'No Archive Warnings Apply')]/input",
    ))
    .await
    .expect("warning box")
    .click()
    .await
    .expect("tick");
}

/// Ticks the sign-up form's age and Terms of Service boxes (by clicking their labels, as
/// a person would).
pub async fn agree_to_terms(c: &fantoccini::Client) {
    for id in ["user_age_over_13", "user_terms_of_service"] {
        c.find(fantoccini::Locator::Css(&format!("label[for='{id}']")))
            .await
            .unwrap_or_else(|e| panic!("no label for {id}: {e}"))
            .click()
            .await
            .expect("tick");
    }
}
