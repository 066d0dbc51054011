//! Accounts over real HTTP against a real SQLite archive: sign up, log in and out,
//! passwords, deletion, pseuds, admin settings, rate limits, CSRF and visibility, with
//! every refusal.

mod support;

use reqwest::StatusCode;
use support::{Browser, Page, Site, attr, start, texts};
use tome_model::{ChapterDraft, Role, WorkDraft};
use tome_web::accounts::FORM_EXPIRED;
use tome_web::accounts::service::create_account;

impl Browser<'_> {
    async fn log_in(&mut self, login: &str, password: &str) -> Page {
        self.post(
            "/users/login",
            "/users/login",
            &[("user[login]", login), ("user[password]", password)],
        )
        .await
    }

    async fn sign_up(&mut self, login: &str, email: &str, pw: &str, confirm: &str) -> Page {
        self.post(
            "/users/new",
            "/users",
            &[
                ("user[login]", login),
                ("user[email]", email),
                ("user[password]", pw),
                ("user[password_confirmation]", confirm),
                ("user[age_over_13]", "1"),
                ("user[terms_of_service]", "1"),
            ],
        )
        .await
    }

    /// The logged-in user's name, from the header.
    async fn greeting(&mut self) -> Option<String> {
        let p = self.get("/").await;
        texts(&p.doc(), "p.greeting").into_iter().next()
    }
}

async fn user(site: &Site, login: &str, roles: &[Role]) {
    create_account(
        &site.store,
        login,
        &format!("{login}@example.org"),
        "password1",
        roles,
        None,
    )
    .await
    .expect("account");
}

async fn work(site: &Site, title: &str, author: &str, restricted: bool) -> i64 {
    let draft = WorkDraft {
        title: title.into(),
        authors: vec![author.into()],
        language: "en".into(),
        chapters: vec![ChapterDraft {
            body_html: "<p>Words.</p>".into(),
            word_count: 1,
            ..Default::default()
        }],
        restricted,
        ..Default::default()
    };
    site.store.create_work(&draft).await.expect("work")
}

#[tokio::test]
async fn sign_up_log_in_log_out() {
    let site = start().await;
    let mut b = Browser::new(&site);
    let form = b.get("/users/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains(
            "This archive has no administrator yet: run <code>tome users add NAME --admin</code> on the server."
        ),
        "{}",
        form.body
    );
    let guest_cookie = form
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("tome_csrf="))
        .expect("guest CSRF cookie");
    assert!(guest_cookie.contains("HttpOnly") && guest_cookie.contains("SameSite=Lax"));

    let r = b
        .sign_up("alice", "alice@example.org", "secret123", "secret123")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/users/login"));

    let r = b.log_in("alice", "secret123").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/");
    let session = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("tome_session="))
        .expect("session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    assert!(session.contains("Path=/"), "{session}");
    assert!(!session.contains("Secure"), "{session}");
    let raw_id = b.cookies["tome_session"].clone();
    assert_eq!(raw_id.len(), 64);

    // The database keeps only a hash of the id.
    let home = b.get("/").await;
    let doc = home.doc();
    assert_eq!(texts(&doc, "p.greeting"), ["Hi, alice!"]);
    assert!(attr(&doc, "a[href=\"/users/alice\"]", "href").is_some());
    assert!(attr(&doc, "a[href=\"/users/alice/preferences\"]", "href").is_some());
    assert!(attr(&doc, "a[href=\"/works/new\"]", "href").is_some());
    assert!(attr(&doc, "a[href=\"/admin/settings\"]", "href").is_none());
    assert!(
        attr(
            &doc,
            "form[action=\"/users/logout\"] input[name=authenticity_token]",
            "value"
        )
        .is_some()
    );
    assert!(!home.body.contains("/users/login\">Log In"));
    assert_eq!(
        home.headers["cache-control"], "private, no-store",
        "a personal page must not be cached by proxies"
    );

    // Log out needs the token.
    let r = b.post_raw("/users/logout", &[] as &[(&str, &str)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(b.greeting().await.as_deref(), Some("Hi, alice!"));
    let r = b.post("/", "/users/logout", &[] as &[(&str, &str)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.set_cookies()
            .iter()
            .any(|c| c.starts_with("tome_session=;"))
    );
    assert_eq!(b.greeting().await, None);

    // The old cookie is dead on the server too.
    let mut replay = Browser::new(&site);
    replay.cookies.insert("tome_session".into(), raw_id);
    assert_eq!(replay.greeting().await, None);

    // Wrong password.
    let r = b.log_in("alice", "wrong-one").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        texts(&r.doc(), "div#error p"),
        ["The password or user name you entered doesn't match our records."]
    );
}

#[tokio::test]
async fn csrf_refusals() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    let mut b = Browser::new(&site);
    b.get("/users/login").await;
    // No token.
    let r = b
        .post_raw(
            "/users/login",
            &[("user[login]", "alice"), ("user[password]", "password1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains(FORM_EXPIRED), "{}", r.body);
    // A wrong token.
    let r = b
        .post_raw(
            "/users/login",
            &[
                ("authenticity_token", "deadbeef"),
                ("user[login]", "alice"),
                ("user[password]", "password1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Another guest's (validly signed) token does not match this guest's cookie.
    let mut other = Browser::new(&site);
    let their_token = other.get("/users/login").await.token();
    let r = b
        .post_raw(
            "/users/login",
            &[
                ("authenticity_token", their_token.as_str()),
                ("user[login]", "alice"),
                ("user[password]", "password1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A token without its cookie.
    let mut cookieless = Browser::new(&site);
    let token = b.get("/users/login").await.token();
    let r = cookieless
        .post_raw(
            "/users/login",
            &[
                ("authenticity_token", token.as_str()),
                ("user[login]", "alice"),
                ("user[password]", "password1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Logged in: the guest token no longer works; the session's does.
    let guest_token = b.get("/users/login").await.token();
    assert_eq!(
        b.log_in("alice", "password1").await.status,
        StatusCode::SEE_OTHER
    );
    let r = b
        .post_raw(
            "/users/alice/pseuds",
            &[
                ("authenticity_token", guest_token.as_str()),
                ("pseud[name]", "Al"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b
        .post(
            "/users/alice/pseuds",
            "/users/alice/pseuds",
            &[("pseud[name]", "Al")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn sign_up_errors_keep_what_was_typed() {
    let site = start().await;
    let mut b = Browser::new(&site);
    let r = b.sign_up("a b", "not-an-email", "abc", "abd").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = r.doc();
    assert_eq!(
        attr(&doc, "input#user_login", "value").as_deref(),
        Some("a b")
    );
    assert_eq!(
        attr(&doc, "input#user_email", "value").as_deref(),
        Some("not-an-email")
    );
    assert_eq!(attr(&doc, "input#user_password", "value"), None);
    assert_eq!(
        attr(&doc, "input#user_password_confirmation", "value"),
        None
    );
    assert!(!r.body.contains("abc\"") && !r.body.contains("abd\""));
    let login_err = texts(&doc, "p#login-error");
    assert!(
        login_err
            .iter()
            .any(|m| m.contains("User name must begin and end with a letter or number")),
        "{login_err:?}"
    );
    assert_eq!(
        texts(&doc, "p#email-error"),
        ["Email does not seem to be a valid address."]
    );
    assert_eq!(
        texts(&doc, "p#password-error"),
        ["Password is too short (minimum is 6 characters)."]
    );
    assert_eq!(
        texts(&doc, "p#password_confirmation-error"),
        ["Password confirmation doesn't match Password."]
    );

    // Taken login and email.
    user(&site, "taken", &[]).await;
    let r = b
        .sign_up("Taken", "taken@example.org", "secret123", "secret123")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = r.doc();
    assert_eq!(
        texts(&doc, "p#login-error"),
        ["User name has already been taken."]
    );
    assert_eq!(
        texts(&doc, "p#email-error"),
        ["Email has already been taken."]
    );
}

#[tokio::test]
async fn imported_authors_cannot_be_signed_up_for() {
    let site = start().await;
    work(&site, "Old Story", "lanternwright", false).await;
    let mut b = Browser::new(&site);
    let r = b
        .sign_up("LanternWright", "l@example.org", "secret123", "secret123")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = texts(&r.doc(), "p#login-error").join(" ");
    assert!(msg.contains("imported into this archive"), "{msg}");
    assert!(
        msg.contains("Claiming imported works is not available yet"),
        "{msg}"
    );
    // And the imported author cannot log in.
    let r = b.log_in("lanternwright", "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_rate_limit_per_account_and_address() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    let mut b = Browser::new(&site);
    for _ in 0..5 {
        assert_eq!(
            b.log_in("alice", "nope-nope").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password is refused now, from this address.
    let r = b.log_in("alice", "password1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.body.contains(
            "Too many failed logins for this account from your address; try again in 1 minute."
        ),
        "{}",
        r.body
    );
    // Other accounts are not affected.
    user(&site, "bob", &[]).await;
    assert_eq!(
        b.log_in("bob", "password1").await.status,
        StatusCode::SEE_OTHER
    );
}

/// Logs `n` browsers' attempts in at once (each with its own CSRF token), returns the
/// statuses and bodies.
async fn parallel_logins(
    site: &Site,
    n: usize,
    login: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> Vec<(StatusCode, String)> {
    let mut prepared = Vec::new();
    for _ in 0..n {
        let mut b = Browser::new(site);
        let token = b.get("/users/login").await.token();
        prepared.push((b.cookie_header(), token));
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let mut tasks = Vec::new();
    for (cookies, token) in prepared {
        let client = site.client.clone();
        let url = format!("{}/users/login", site.base);
        let body = serde_urlencoded::to_string([
            ("authenticity_token", token.as_str()),
            ("user[login]", login),
            ("user[password]", password),
        ])
        .expect("form");
        let xff = forwarded_for.map(str::to_string);
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            let mut req = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", cookies)
                .body(body);
            if let Some(x) = xff {
                req = req.header("x-forwarded-for", x);
            }
            start.wait().await;
            let r = req.send().await.expect("request");
            (r.status(), r.text().await.expect("body"))
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn parallel_wrong_passwords_reach_the_password_check_at_most_five_times() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    let answers = parallel_logins(&site, 20, "alice", "wrong-guess", None).await;
    // 401 comes only after the password was checked; 429 before it.
    let checked = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, 20, "{answers:?}");
    assert_eq!(checked, 5, "5 of 20 reached the password check, no more");
    assert!(
        answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::TOO_MANY_REQUESTS)
            .all(|(_, body)| body.contains("Too many failed logins for this account")),
        "refusals say why"
    );
    // Five failures counted on this account from this address: locked here now.
    let mut b = Browser::new(&site);
    assert_eq!(
        b.log_in("alice", "password1").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// A site behind a reverse proxy on 127.0.0.1 (the test client's address).
async fn start_behind_proxy() -> Site {
    let (dir, store) = support::archive().await;
    let state =
        tome_web::AppState::with_config(store.clone(), "Test Archive", support::test_config())
            .with_trusted_proxies(vec!["127.0.0.0/8".parse().expect("cidr")]);
    support::launch(dir, store, state).await
}

#[tokio::test]
async fn an_attacker_elsewhere_does_not_lock_the_owner_out() {
    let site = start_behind_proxy().await;
    user(&site, "alice", &[]).await;
    let mut attacker = Browser::new(&site);
    attacker
        .headers
        .push(("x-forwarded-for", "203.0.113.5".into()));
    for _ in 0..5 {
        assert_eq!(
            attacker.log_in("alice", "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attacker.log_in("alice", "password1").await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the attacker's address waits"
    );
    // 20 more in parallel from there: none reaches the password check.
    let answers = parallel_logins(&site, 20, "alice", "guess", Some("203.0.113.5")).await;
    assert!(
        answers
            .iter()
            .all(|(s, _)| *s == StatusCode::TOO_MANY_REQUESTS),
        "{answers:?}"
    );
    // The owner, from their own address (a forged left part of the header is ignored:
    // the right-most untrusted entry counts).
    let mut owner = Browser::new(&site);
    owner
        .headers
        .push(("x-forwarded-for", "203.0.113.5, 198.51.100.7".into()));
    assert_eq!(
        owner.log_in("alice", "password1").await.status,
        StatusCode::SEE_OTHER,
        "the owner logs in from elsewhere"
    );
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    // No trusted proxies: the header is the client's to write, so it changes nothing.
    let site = start().await;
    user(&site, "alice", &[]).await;
    let mut b = Browser::new(&site);
    for i in 0..5 {
        b.headers = vec![("x-forwarded-for", format!("192.0.2.{i}"))];
        assert_eq!(
            b.log_in("alice", "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    b.headers = vec![("x-forwarded-for", "192.0.2.200".into())];
    assert_eq!(
        b.log_in("alice", "password1").await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a new forwarded address does not reset the count"
    );
}

#[tokio::test]
async fn login_rate_limit_per_address() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    let mut b = Browser::new(&site);
    for i in 0..20 {
        let login = format!("nobody{i}");
        assert_eq!(b.log_in(&login, "x").await.status, StatusCode::UNAUTHORIZED);
    }
    let r = b.log_in("alice", "password1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.body.contains("Too many failed logins from your address"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn change_password_ends_other_sessions_and_only_for_oneself() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    user(&site, "bob", &[]).await;
    let mut a1 = Browser::new(&site);
    let mut a2 = Browser::new(&site);
    a1.log_in("alice", "password1").await;
    a2.log_in("alice", "password1").await;
    assert_eq!(a2.greeting().await.as_deref(), Some("Hi, alice!"));

    // Someone else's password: 403, on the form and on the post.
    assert_eq!(
        a1.get("/users/bob/password/edit").await.status,
        StatusCode::FORBIDDEN
    );
    let token = a1.get("/users/alice/password/edit").await.token();
    let r = a1
        .post_raw(
            "/users/bob/password/edit",
            &[
                ("authenticity_token", token.as_str()),
                ("password_check", "password1"),
                ("password", "hijacked1"),
                ("password_confirmation", "hijacked1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Guests are sent to log in.
    let r = Browser::new(&site).get("/users/alice/password/edit").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location(),
        "/users/login?return_to=%2Fusers%2Falice%2Fpassword%2Fedit"
    );

    // Wrong old password.
    let r = a1
        .post(
            "/users/alice/password/edit",
            "/users/alice/password/edit",
            &[
                ("password_check", "wrong"),
                ("password", "newsecret1"),
                ("password_confirmation", "newsecret1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&r.doc(), "p#password_check-error"),
        ["Your old password was incorrect."]
    );

    let r = a1
        .post(
            "/users/alice/password/edit",
            "/users/alice/password/edit",
            &[
                ("password_check", "password1"),
                ("password", "newsecret1"),
                ("password_confirmation", "newsecret1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Your password has been changed."));
    assert_eq!(a1.greeting().await.as_deref(), Some("Hi, alice!"));
    assert_eq!(a2.greeting().await, None, "other sessions end");

    let mut b = Browser::new(&site);
    assert_eq!(
        b.log_in("alice", "password1").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        b.log_in("alice", "newsecret1").await.status,
        StatusCode::SEE_OTHER
    );
    // Bob's password is untouched.
    assert_eq!(
        Browser::new(&site).log_in("bob", "password1").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn delete_account_orphans_or_deletes_works() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    user(&site, "bob", &[]).await;
    let kept = work(&site, "Alice Keeps", "alice", false).await;
    let mut a = Browser::new(&site);
    a.log_in("alice", "password1").await;

    // Not someone else's account.
    let token = a.get("/users/alice/delete_confirmation").await.token();
    assert_eq!(
        a.get("/users/bob/delete_confirmation").await.status,
        StatusCode::FORBIDDEN
    );
    let r = a
        .post_raw(
            "/users/bob/delete",
            &[("authenticity_token", token.as_str()), ("works", "delete")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Not without the token.
    let r = a
        .post_raw("/users/alice/delete", &[("works", "orphan")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = a
        .post(
            "/users/alice/delete_confirmation",
            "/users/alice/delete",
            &[("works", "orphan")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(a.greeting().await, None);
    let page = Browser::new(&site).get(&format!("/works/{kept}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(texts(&page.doc(), "h3.byline a"), ["orphan_account"]);
    assert_eq!(
        Browser::new(&site).get("/users/alice").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        Browser::new(&site)
            .log_in("alice", "password1")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Bob deletes his works with his account.
    let gone = work(&site, "Bob Leaves", "bob", false).await;
    let mut b = Browser::new(&site);
    b.log_in("bob", "password1").await;
    let r = b
        .post(
            "/users/bob/delete_confirmation",
            "/users/bob/delete",
            &[("works", "delete")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        Browser::new(&site)
            .get(&format!("/works/{gone}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn pseuds_list_and_create() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    let mut a = Browser::new(&site);
    a.log_in("alice", "password1").await;
    let r = a
        .post(
            "/users/alice/pseuds/new",
            "/users/alice/pseuds",
            &[("pseud[name]", "Alice Liddell")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = a.get("/users/alice/pseuds").await;
    assert_eq!(
        texts(&list.doc(), "ul.pseud li a"),
        ["alice", "Alice Liddell"]
    );
    // A name she already has.
    let r = a
        .post(
            "/users/alice/pseuds/new",
            "/users/alice/pseuds",
            &[("pseud[name]", "alice liddell")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        attr(&r.doc(), "input#pseud_name", "value").as_deref(),
        Some("alice liddell")
    );
    // The new pseud has its page; guests see the list without the form.
    let guest = Browser::new(&site).get("/users/alice/pseuds").await;
    assert_eq!(guest.status, StatusCode::OK);
    assert!(attr(&guest.doc(), "form#new_pseud", "action").is_none());
    assert_eq!(
        Browser::new(&site)
            .get("/users/alice/pseuds/Alice%20Liddell")
            .await
            .status,
        StatusCode::OK
    );
    // Not on someone else's account.
    user(&site, "bob", &[]).await;
    let r = a
        .post(
            "/users/alice/pseuds/new",
            "/users/bob/pseuds",
            &[("pseud[name]", "X")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admin_settings_and_invite_only_sign_up() {
    let site = start().await;
    user(&site, "boss", &[Role::Admin]).await;
    user(&site, "reader", &[]).await;

    // Guests are sent to log in; non-admins are refused.
    let r = Browser::new(&site).get("/admin/settings").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut reader = Browser::new(&site);
    reader.log_in("reader", "password1").await;
    assert_eq!(
        reader.get("/admin/settings").await.status,
        StatusCode::FORBIDDEN
    );
    let token = reader.get("/").await.token();
    let r = reader
        .post_raw(
            "/admin/settings",
            &[("authenticity_token", token.as_str()), ("invite_only", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut admin = Browser::new(&site);
    admin.log_in("boss", "password1").await;
    let home = admin.get("/").await;
    assert!(attr(&home.doc(), "a[href=\"/admin/settings\"]", "href").is_some());
    // The no-admin notice is gone.
    let signup = Browser::new(&site).get("/users/new").await;
    assert!(!signup.body.contains("no administrator yet"));

    let r = admin
        .post(
            "/admin/settings",
            "/admin/settings",
            &[("archive_name", "The Grove"), ("invite_only", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(site.store.archive_settings().await.unwrap().invite_only);
    assert!(!site.store.archive_settings().await.unwrap().guest_comments);
    let guest_home = Browser::new(&site).get("/").await;
    assert_eq!(texts(&guest_home.doc(), "p.site-name a"), ["The Grove"]);

    // Without a code.
    let mut newcomer = Browser::new(&site);
    let r = newcomer
        .sign_up("carol", "carol@example.org", "secret123", "secret123")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&r.doc(), "p#invitation-error"),
        ["This archive is invite-only: an invitation code is required to sign up."]
    );
    assert_eq!(
        attr(&r.doc(), "input#user_login", "value").as_deref(),
        Some("carol")
    );
    // A made-up code.
    let r = newcomer
        .post(
            "/users/new",
            "/users",
            &[
                ("invitation_token", "nope"),
                ("user[login]", "carol"),
                ("user[email]", "carol@example.org"),
                ("user[password]", "secret123"),
                ("user[password_confirmation]", "secret123"),
                ("user[age_over_13]", "1"),
                ("user[terms_of_service]", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The admin makes a code; it works once.
    let r = admin
        .post(
            "/admin/settings",
            "/admin/invitations",
            &[] as &[(&str, &str)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = admin.get("/admin/settings").await;
    let code = texts(&page.doc(), "td.code")
        .into_iter()
        .next()
        .expect("a code");
    let with_code = |login: &'static str| {
        [
            ("invitation_token", code.clone()),
            ("user[login]", login.to_string()),
            ("user[email]", format!("{login}@example.org")),
            ("user[password]", "secret123".to_string()),
            ("user[password_confirmation]", "secret123".to_string()),
            ("user[age_over_13]", "1".to_string()),
            ("user[terms_of_service]", "1".to_string()),
        ]
    };
    let fields = with_code("carol");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = newcomer.post("/users/new", "/users", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let fields = with_code("dave");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = Browser::new(&site)
        .post("/users/new", "/users", &fields)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("not valid or has already been used"));
    let page = admin.get("/admin/settings").await;
    assert!(texts(&page.doc(), "table.invitations td").contains(&"carol".to_string()));

    // Guest comments: stored for the comments engineer.
    admin
        .post(
            "/admin/settings",
            "/admin/settings",
            &[("guest_comments", "1")],
        )
        .await;
    let s = site.store.archive_settings().await.unwrap();
    assert!(s.guest_comments && !s.invite_only && s.archive_name.is_none());
}

#[tokio::test]
async fn restricted_works_are_for_members_only() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    let open = work(&site, "Open Story", "inkwell", false).await;
    let closed = work(&site, "Members Story", "inkwell", true).await;
    let mut guest = Browser::new(&site);
    assert_eq!(
        guest.get(&format!("/works/{open}")).await.status,
        StatusCode::OK
    );
    // The work's own page asks the guest to log in (401), and shows nothing of it.
    let asked = guest.get(&format!("/works/{closed}")).await;
    assert_eq!(asked.status, StatusCode::UNAUTHORIZED);
    assert!(!asked.body.contains("Members Story"), "{}", asked.body);
    assert!(
        asked.has(&format!(
            "a[href=\"/users/login?restricted=true&return_to=%2Fworks%2F{closed}\"]"
        )),
        "{}",
        asked.body
    );
    for path in [
        format!("/works/{closed}/navigate"),
        format!("/works/{closed}/download.html"),
        format!("/works/{closed}/download.epub"),
    ] {
        assert_eq!(
            guest.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in ["/", "/works", "/users/inkwell", "/users/inkwell/works"] {
        let body = guest.get(path).await.body;
        assert!(!body.contains("Members Story"), "{path}");
    }

    let mut member = Browser::new(&site);
    member.log_in("alice", "password1").await;
    let page = member.get(&format!("/works/{closed}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Members Story"));
    assert_eq!(page.headers["cache-control"], "private, no-store");
    assert_eq!(
        member
            .get(&format!("/works/{closed}/download.txt"))
            .await
            .status,
        StatusCode::OK
    );
    for path in ["/", "/works", "/users/inkwell/works"] {
        let body = member.get(path).await.body;
        assert!(body.contains("Members Story"), "{path}");
    }
    // A member's render never reaches a guest through the page cache.
    member.get(&format!("/works/{open}")).await;
    let again = guest.get(&format!("/works/{open}")).await;
    assert!(!again.body.contains("Hi, alice!"));
    assert_eq!(
        guest.get(&format!("/works/{closed}")).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Members leave kudos as themselves, with their session's token.
    let r = member
        .post(
            &format!("/works/{open}"),
            &format!("/works/{open}/kudos"),
            &[] as &[(&str, &str)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = member
        .post(
            &format!("/works/{open}"),
            &format!("/works/{open}/kudos"),
            &[] as &[(&str, &str)],
        )
        .await;
    assert!(
        r.set_cookies()
            .iter()
            .any(|c| c.starts_with("tome_flash=kudos_already"))
    );
}

#[tokio::test]
async fn secure_cookies_behind_tls() {
    let site = start().await;
    user(&site, "alice", &[]).await;
    let mut b = Browser::new(&site);
    b.headers.push(("x-forwarded-proto", "https".into()));
    let form = b.get("/users/login").await;
    assert!(
        form.set_cookies()
            .iter()
            .any(|c| c.starts_with("tome_csrf=") && c.contains("; Secure"))
    );
    let r = b.log_in("alice", "password1").await;
    let session = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("tome_session="))
        .expect("session cookie");
    assert!(session.contains("; Secure"), "{session}");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));
}
