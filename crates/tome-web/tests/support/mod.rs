//! A real server on a real archive and a small browser for it (cookie jar, CSRF
//! tokens, forms read back as a browser would submit them). The same approach as
//! `tests/accounts.rs`, shared by the posting tests. The archive is a SQLite file, or a
//! fresh PostgreSQL database with `TOME_TEST_BACKEND=postgres` (see [`database`]).

#![allow(dead_code)]

pub mod database;

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use scraper::{ElementRef, Html, Selector};
use tome_store::Store;
use tome_web::accounts::service::create_account;
use tome_web::{AppState, PageConfig};

pub struct Site {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    _dir: DataDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// A test archive's data folder and its database (dropped with it).
pub struct DataDir {
    dir: tempfile::TempDir,
    _db: database::TestDatabase,
}

impl DataDir {
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// The archive's database URL, for a test that writes what the app no longer would.
    pub fn url(&self) -> String {
        match self._db.url() {
            Some(url) => url.to_string(),
            None => format!(
                "sqlite:{}",
                self.dir.path().join(tome_store::SQLITE_FILE).display()
            ),
        }
    }
}

/// A fresh archive on the backend the environment asks for, and its store.
pub async fn archive() -> (DataDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database::TestDatabase::from_env();
    let store = db.open(dir.path()).await;
    (DataDir { dir, _db: db }, store)
}

pub async fn start() -> Site {
    let (dir, store) = archive().await;
    // Counts recomputed whenever something changed: tests check them right after.
    let state = AppState::with_config(store.clone(), "Test Archive", test_config())
        .with_counts_refresh(Duration::ZERO);
    launch(dir, store, state).await
}

/// A running server: its address, a client that does not follow redirects, and the
/// sender that stops it when dropped.
pub struct Served {
    pub base: String,
    pub client: reqwest::Client,
    pub stop: tokio::sync::oneshot::Sender<()>,
}

/// The test page settings: hits are not flushed during a test.
pub fn test_config() -> PageConfig {
    PageConfig {
        hit_flush: Duration::from_secs(3600),
        ..PageConfig::default()
    }
}

/// Serves `state` on a free local port until the returned `stop` is dropped.
pub async fn serve(state: AppState) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(tome_web::serve_on(state, listener, async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    Served { base, client, stop }
}

/// Serves `state`, made over `store` in `dir`; the folder lives as long as the site.
pub async fn launch(dir: DataDir, store: Store, state: AppState) -> Site {
    let Served { base, client, stop } = serve(state).await;
    Site {
        base,
        client,
        store,
        _dir: dir,
        _stop: stop,
    }
}

impl Site {
    /// Another node, already serving, over the same archive as a site made before (whose
    /// data folder and database it leaves to that site).
    pub fn beside(served: Served, store: &Store) -> Site {
        Site {
            base: served.base,
            client: served.client,
            store: store.clone(),
            _dir: DataDir {
                dir: tempfile::tempdir().expect("tempdir"),
                _db: database::TestDatabase::none(),
            },
            _stop: served.stop,
        }
    }
}

/// Makes an account (password `password1`) with its default pseud named as the login.
pub async fn user(site: &Site, login: &str) {
    account(&site.store, login, &[]).await;
}

/// Makes an account with `roles` (password `password1`, e-mail `LOGIN@example.org`);
/// answers its id.
pub async fn account(store: &Store, login: &str, roles: &[tome_model::Role]) -> i64 {
    create_account(
        store,
        login,
        &format!("{login}@example.org"),
        "password1",
        roles,
        None,
    )
    .await
    .expect("account")
    .id
}

/// Form fields in the order a browser sends them.
pub type Fields = Vec<(String, String)>;

/// Replaces a field's value (the first of that name), or adds it.
pub fn set(fields: &mut Fields, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_string(),
        None => fields.push((name.to_string(), value.to_string())),
    }
}

/// Replaces every value of a repeated field (checkboxes).
pub fn set_all(fields: &mut Fields, name: &str, values: &[&str]) {
    fields.retain(|(k, _)| k != name);
    for v in values {
        fields.push((name.to_string(), v.to_string()));
    }
}

/// The values of a field.
pub fn values(fields: &Fields, name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A response, read.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn doc(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The `set-cookie` headers, as sent.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect()
    }

    /// The texts of the elements `s` selects.
    pub fn texts(&self, s: &str) -> Vec<String> {
        texts(&self.doc(), s)
    }

    /// The page's text as a reader sees it (entities decoded).
    pub fn text(&self) -> String {
        self.doc().root_element().text().collect()
    }

    /// Whether anything matches `s`.
    pub fn has(&self, s: &str) -> bool {
        self.doc().select(&sel(s)).next().is_some()
    }

    /// The first form's CSRF token.
    pub fn token(&self) -> String {
        attr(&self.doc(), "input[name=authenticity_token]", "value").expect("a CSRF token")
    }

    /// What a browser would submit from the form matching `form` (no submit button):
    /// inputs with their values, ticked boxes, chosen options, textareas.
    pub fn form(&self, form: &str) -> Fields {
        let doc = self.doc();
        let f = doc
            .select(&sel(form))
            .next()
            .unwrap_or_else(|| panic!("no form {form} in {}", self.body));
        form_fields(f)
    }

    /// The work id of a `/works/ID...` redirect.
    pub fn work_id(&self) -> i64 {
        self.location()
            .strip_prefix("/works/")
            .and_then(|r| r.split('/').next())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("not a work redirect: {:?} {}", self.location(), self.body))
    }
}

fn form_fields(form: ElementRef<'_>) -> Fields {
    let mut out = Vec::new();
    for e in form.select(&sel("input, textarea, select")) {
        let v = e.value();
        let Some(name) = v.attr("name") else { continue };
        match v.name() {
            "input" => match v.attr("type").unwrap_or("text") {
                "submit" | "file" | "button" | "reset" => {}
                "checkbox" | "radio" => {
                    if v.attr("checked").is_some() {
                        out.push((name.into(), v.attr("value").unwrap_or("on").into()));
                    }
                }
                _ => out.push((name.into(), v.attr("value").unwrap_or("").into())),
            },
            "textarea" => out.push((name.into(), e.text().collect())),
            _ => {
                let options: Vec<ElementRef> = e.select(&sel("option")).collect();
                let chosen = options
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(options.first());
                if let Some(o) = chosen {
                    out.push((
                        name.into(),
                        o.value()
                            .attr("value")
                            .map(str::to_string)
                            .unwrap_or_else(|| o.text().collect()),
                    ));
                }
            }
        }
    }
    out
}

/// A browser: a cookie jar over the site's client.
pub struct Browser<'a> {
    pub site: &'a Site,
    pub cookies: BTreeMap<String, String>,
    /// Extra headers sent with every request.
    pub headers: Vec<(&'static str, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(site: &'a Site) -> Browser<'a> {
        Browser {
            site,
            cookies: BTreeMap::new(),
            headers: Vec::new(),
        }
    }

    /// A browser logged in as `login` (password `password1`).
    pub async fn logged_in(site: &'a Site, login: &str) -> Browser<'a> {
        let mut b = Browser::new(site);
        let r = b
            .post(
                "/users/login",
                "/users/login",
                &[("user[login]", login), ("user[password]", "password1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "log in: {}", r.body);
        b
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, req: reqwest::RequestBuilder) -> Page {
        let mut req = req.header("cookie", self.cookie_header());
        for (k, v) in &self.headers {
            req = req.header(*k, v.clone());
        }
        let r = req.send().await.expect("request");
        let page = Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.expect("body"),
        };
        for c in page.set_cookies() {
            let pair = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.site.client.get(format!("{}{path}", self.site.base));
        self.finish(req).await
    }

    /// Posts form fields as they are (no token added).
    pub async fn post_raw<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        path: &str,
        fields: &[(K, V)],
    ) -> Page {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        let body = serde_urlencoded::to_string(pairs).expect("form");
        let req = self
            .site
            .client
            .post(format!("{}{path}", self.site.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.finish(req).await
    }

    /// Fetches `form_page` for a token, then posts the fields with it.
    pub async fn post<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        form_page: &str,
        path: &str,
        fields: &[(K, V)],
    ) -> Page {
        let token = self.get(form_page).await.token();
        let mut all: Vec<(&str, &str)> = vec![("authenticity_token", token.as_str())];
        all.extend(fields.iter().map(|(k, v)| (k.as_ref(), v.as_ref())));
        self.post_raw(path, &all).await
    }

    /// Posts a `multipart/form-data` body: text fields and one file.
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Page {
        let boundary = "----tome-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, content_type, data)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = self
            .site
            .client
            .post(format!("{}{path}", self.site.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        self.finish(req).await
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

/// The trimmed texts of the elements matching `s`.
pub fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The inner HTML of the first element matching `s`, trimmed.
pub fn inner(doc: &Html, s: &str) -> Option<String> {
    doc.select(&sel(s))
        .next()
        .map(|e| e.inner_html().trim().to_string())
}

pub fn attr(doc: &Html, s: &str, name: &str) -> Option<String> {
    doc.select(&sel(s))
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

/// Every work in the database (drafts too), by probing ids: "nothing was written".
pub async fn work_ids(store: &Store) -> Vec<i64> {
    let mut ids = Vec::new();
    for id in 1..=40 {
        if store
            .work_for_edit(id)
            .await
            .expect("work_for_edit")
            .is_some()
        {
            ids.push(id);
        }
    }
    ids
}

/// A real server with a real search index (fed by the indexer task, as `tome serve` runs
/// it) over an archive `prepare` has filled first.
pub async fn start_indexed(prepare: impl AsyncFnOnce(&Store)) -> Site {
    let (dir, store) = archive().await;
    prepare(&store).await;
    let search = tome_search::Search::open(&dir.path().join(tome_search::INDEX_DIR), store.clone())
        .await
        .expect("index");
    search.catch_up().await.expect("catch up");
    search.spawn_indexer(Duration::from_millis(20));
    let state = AppState::with_config(store.clone(), "Test Archive", test_config())
        .with_search(search)
        .with_counts_refresh(Duration::ZERO);
    launch(dir, store, state).await
}
