//! What the responding HTTP tests share: a server on a real archive (SQLite, or PostgreSQL
//! with `TOME_TEST_BACKEND=postgres`), a browser
//! with a cookie jar that carries the CSRF `authenticity_token`, accounts and works made
//! through the store, and a tiny SMTP sink that records the messages it is given.

#[path = "../support/mod.rs"]
mod support;

pub use support::Site;

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use scraper::{Html, Selector};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tome_model::{Role, TagKind};
use tome_store::posting::{ChapterInput, TextField, WorkInput};
use tome_web::AppState;
use tome_web::accounts::service::create_account;

pub const PASSWORD: &str = "password1";

/// A server on a fresh SQLite archive, without e-mail.
pub async fn start() -> Site {
    start_with(None).await
}

/// A server whose notifications are e-mailed through `smtp_url` when given.
pub async fn start_with(smtp_url: Option<String>) -> Site {
    let (dir, store) = support::archive().await;
    let state = AppState::with_config(store.clone(), "Test Archive", support::test_config())
        .with_smtp(smtp_url, Some("archive@example.org".into()));
    support::launch(dir, store, state).await
}

/// A browser: a cookie jar over the site's client.
pub struct Browser<'a> {
    pub site: &'a Site,
    pub cookies: BTreeMap<String, String>,
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

    /// The first CSRF token on the page.
    pub fn token(&self) -> String {
        attr(&self.doc(), "input[name=authenticity_token]", "value").expect("a CSRF token")
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
}

impl<'a> Browser<'a> {
    pub fn new(site: &'a Site) -> Browser<'a> {
        Browser {
            site,
            cookies: BTreeMap::new(),
        }
    }

    /// A browser logged in as `login` (password [`PASSWORD`]).
    pub async fn logged_in(site: &'a Site, login: &str) -> Browser<'a> {
        let mut b = Browser::new(site);
        let r = b
            .post(
                "/users/login",
                "/users/login",
                &[("user[login]", login), ("user[password]", PASSWORD)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "log in {login}: {}",
            r.body
        );
        b
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, req: reqwest::RequestBuilder) -> Page {
        let r = req
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("request");
        let page = Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.expect("body"),
        };
        for c in page.headers.get_all("set-cookie").iter() {
            let Ok(c) = c.to_str() else { continue };
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
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let req = self
            .site
            .client
            .post(format!("{}{path}", self.site.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.finish(req).await
    }

    /// Fetches `form_page` for a token, then posts the fields with it.
    pub async fn post(&mut self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.get(form_page).await.token();
        let mut all = vec![("authenticity_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts a comment (or, with `parent`, a reply) on a work from its page.
    pub async fn comment(&mut self, work: i64, parent: Option<i64>, text: &str) -> Page {
        let parent = parent.map(|p| p.to_string());
        let mut fields = vec![("comment[comment_content]", text)];
        if let Some(p) = &parent {
            fields.push(("comment[parent_id]", p.as_str()));
        }
        self.post(
            &format!("/works/{work}"),
            &format!("/works/{work}/comments"),
            &fields,
        )
        .await
    }

    /// Presses Kudos on a work's page.
    pub async fn kudos(&mut self, work: i64) -> Page {
        self.post(
            &format!("/works/{work}"),
            &format!("/works/{work}/kudos"),
            &[],
        )
        .await
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

pub fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

pub fn attr(doc: &Html, s: &str, name: &str) -> Option<String> {
    doc.select(&sel(s))
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

/// The comment id in a redirect like `/works/1#comment_7`.
pub fn comment_id(location: &str) -> i64 {
    location
        .rsplit_once("#comment_")
        .and_then(|(_, id)| id.parse().ok())
        .unwrap_or_else(|| panic!("no comment id in {location:?}"))
}

/// An account with the password [`PASSWORD`] and e-mail `login@example.org`; its id and
/// default pseud's id.
pub async fn user(site: &Site, login: &str) -> (i64, i64) {
    user_with_roles(site, login, &[]).await
}

pub async fn user_with_roles(site: &Site, login: &str, roles: &[Role]) -> (i64, i64) {
    let a = create_account(
        &site.store,
        login,
        &format!("{login}@example.org"),
        PASSWORD,
        roles,
        None,
    )
    .await
    .expect("account");
    let pseud = site.store.pseuds_of(a.id).await.expect("pseuds")[0].id;
    (a.id, pseud)
}

/// A posted work by `login`'s default pseud, with `chapters` chapters and these tags.
pub async fn work(
    site: &Site,
    login: &str,
    title: &str,
    chapters: usize,
    tags: &[(TagKind, &str)],
) -> i64 {
    let a = site
        .store
        .account_by_login(login)
        .await
        .expect("account")
        .expect("exists");
    let pseud = site.store.pseuds_of(a.id).await.expect("pseuds")[0].id;
    let input = WorkInput {
        title: title.into(),
        pseud_ids: vec![pseud],
        tags: tags.iter().map(|(k, n)| (*k, n.to_string())).collect(),
        language: "en".into(),
        text_format: "html".into(),
        ..WorkInput::default()
    };
    let chapters: Vec<ChapterInput> = (1..=chapters)
        .map(|i| ChapterInput {
            body: TextField {
                html: Some(format!("<p>Chapter {i} of {title}.</p>")),
                source: None,
            },
            word_count: 4,
            ..ChapterInput::default()
        })
        .collect();
    site.store
        .create_posted_work(&input, &chapters, false)
        .await
        .expect("work")
}

/// The ids of a work's chapters, in order.
pub async fn chapter_ids(site: &Site, work: i64) -> Vec<i64> {
    site.store
        .work(work)
        .await
        .expect("work")
        .expect("exists")
        .chapters
        .iter()
        .map(|c| c.id)
        .collect()
}

/// A message the SMTP sink accepted.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA, headers unfolded.
    pub data: String,
}

impl Mail {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        head.split("\r\n").find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A tiny SMTP server on 127.0.0.1 that accepts every message and hands it over; its
/// `smtp://` URL and the receiving end. It lives as long as the test's runtime.
pub async fn smtp_sink() -> (String, tokio::sync::mpsc::UnboundedReceiver<Mail>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind smtp");
    let url = format!("smtp://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let _ = smtp_session(sock, tx).await;
            });
        }
    });
    (url, rx)
}

async fn smtp_session(
    sock: tokio::net::TcpStream,
    tx: tokio::sync::mpsc::UnboundedSender<Mail>,
) -> std::io::Result<()> {
    let (read, mut write) = sock.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP ready\r\n").await?;
    let mut mail = Mail {
        from: String::new(),
        to: Vec::new(),
        data: String::new(),
    };
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        let arg = |prefix: &str| {
            cmd[prefix.len()..]
                .trim()
                .trim_start_matches('<')
                .split('>')
                .next()
                .unwrap_or("")
                .to_string()
        };
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            write.write_all(b"250 sink\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            mail.from = arg("MAIL FROM:");
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            mail.to.push(arg("RCPT TO:"));
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            mail.data = data.replace("\r\n ", " ").replace("\r\n\t", " ");
            let done = std::mem::replace(
                &mut mail,
                Mail {
                    from: String::new(),
                    to: Vec::new(),
                    data: String::new(),
                },
            );
            let _ = tx.send(done);
            write.write_all(b"250 OK: queued\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            // RSET, NOOP and anything else.
            write.write_all(b"250 OK\r\n").await?;
        }
    }
}

/// The next message from the sink, waiting at most 10 seconds.
pub async fn next_mail(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Mail>) -> Mail {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a message within 10 s")
        .expect("the sink is running")
}
