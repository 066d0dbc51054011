//! Search and browse over real HTTP, against a real SQLite archive and a real tantivy
//! index in a temporary folder, fed by the indexer task as `tome serve` runs it.

mod support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use scraper::Html;
use support::{Browser, Page, Site, attr, sel, start_indexed, texts};
use tome_model::{ChapterDraft, Rating, Role, TagKind, VocabEntry, VocabularyFile, WorkDraft};
use tome_store::Store;
use tome_store::posting::{ChapterInput, TextField};
use tome_web::accounts::service::create_account;

const DAY: i64 = 86_400;
const JAN_2: i64 = 1_704_153_600; // 2024-01-02

impl Site {
    async fn get_with(&self, path: &str, cookie: &str) -> Page {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request");
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.expect("body"),
        }
    }

    async fn get(&self, path: &str) -> Page {
        self.get_with(path, "").await
    }

    async fn ok(&self, path: &str) -> Html {
        let p = self.get(path).await;
        assert_eq!(p.status, StatusCode::OK, "GET {path}: {}", p.body);
        p.doc()
    }

    /// Work ids listed on a page, in order.
    async fn ids(&self, path: &str) -> Vec<i64> {
        listed(&self.ok(path).await)
    }

    /// Logs `login` in (password "password1"); returns the cookie header to send.
    async fn log_in(&self, login: &str) -> String {
        Browser::logged_in(self, login).await.cookie_header()
    }
}

fn listed(doc: &Html) -> Vec<i64> {
    doc.select(&sel("ol.work.index.group > li.work.blurb"))
        .filter_map(|e| e.value().id())
        .filter_map(|id| id.strip_prefix("work_")?.parse().ok())
        .collect()
}

/// The facet link of `kind` on `side` (include/exclude) for the tag labelled `name`.
fn facet_link(doc: &Html, side: &str, kind: &str, name: &str) -> String {
    let li = sel(&format!("#{side}_{kind}_tags li"));
    doc.select(&li)
        .find(|li| {
            li.select(&sel("label span:last-child")).any(|s| {
                s.text()
                    .collect::<String>()
                    .starts_with(&format!("{name} ("))
            })
        })
        .and_then(|li| li.select(&sel("a")).next())
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .unwrap_or_else(|| panic!("no {side} link for {kind} {name}"))
}

fn vocabulary() -> VocabularyFile {
    let entry = |kind, name: &str, syn: &[&str], meta: &[&str]| VocabEntry {
        kind,
        name: name.into(),
        synonyms: syn.iter().map(|s| s.to_string()).collect(),
        fandoms: vec![],
        characters: vec![],
        metatags: meta.iter().map(|s| s.to_string()).collect(),
        media: Vec::new(),
        uses: 0,
    };
    use TagKind::*;
    VocabularyFile {
        about: None,
        tags: vec![
            entry(Fandom, "Alpha", &["Alpha (TV)"], &[]),
            entry(Fandom, "Beta", &[], &[]),
            entry(Freeform, "Angst", &["angsty"], &[]),
            entry(Freeform, "Major Angst", &[], &["Angst"]),
            entry(Freeform, "Fluff", &[], &[]),
            entry(Character, "Ann", &[], &[]),
        ],
    }
}

struct W {
    title: &'static str,
    author: &'static str,
    rating: Rating,
    tags: &'static [(TagKind, &'static str)],
    summary: &'static str,
    body: &'static str,
    complete: bool,
    day: i64,
    restricted: bool,
}

fn draft(w: &W) -> WorkDraft {
    WorkDraft {
        title: w.title.into(),
        authors: vec![w.author.into()],
        rating: Some(w.rating),
        tags: w.tags.iter().map(|(k, n)| (*k, n.to_string())).collect(),
        language: "en".into(),
        summary_html: Some(format!("<p>{}</p>", w.summary)),
        chapters: vec![ChapterDraft {
            body_html: format!("<p>{}</p>", w.body),
            word_count: w.body.split_whitespace().count() as u64,
            ..Default::default()
        }],
        complete: Some(w.complete),
        expected_chapters: w.complete.then_some(1),
        published_at: Some(JAN_2 + w.day * DAY),
        restricted: w.restricted,
        ..Default::default()
    }
}

/// Works 1-4: 1-3 public, 4 restricted. Hits 50/10/30, kudos 1/3/2.
async fn fill(store: &Store) {
    use TagKind::{Character, Fandom, Freeform};
    store
        .import_vocabulary(&vocabulary())
        .await
        .expect("vocabulary");
    let works = [
        W {
            title: "The Lantern Keeper",
            author: "inkwell",
            rating: Rating::Teen,
            tags: &[(Fandom, "Alpha"), (Freeform, "Angst"), (Character, "Ann")],
            summary: "A keeper of lanterns on a cold harbour.",
            body: "The ember glowed in the lantern all night.",
            complete: true,
            day: 0,
            restricted: false,
        },
        W {
            title: "Ember and Tide",
            author: "blueheron",
            rating: Rating::General,
            tags: &[(Fandom, "Alpha (TV)"), (Freeform, "Major Angst")],
            summary: "Two sailors and a long wait.",
            body: "A slow burn by the river, with the tide coming in and out of the old harbour.",
            complete: false,
            day: 1,
            restricted: false,
        },
        W {
            title: "A Garden of Crowns",
            author: "copperfox",
            rating: Rating::Mature,
            tags: &[(Fandom, "Beta"), (Freeform, "Fluff")],
            summary: "Royal gardeners, royal trouble.",
            body: "The slow falcon watched the crown burn while the meadow slept, and the \
                   gardeners counted violets until the copper kettle sang at dawn.",
            complete: true,
            day: 2,
            restricted: false,
        },
        W {
            title: "Members Only Lantern",
            author: "inkwell",
            rating: Rating::General,
            tags: &[(Fandom, "Beta"), (Freeform, "Angst")],
            summary: "For logged-in readers.",
            body: "A secret lantern story.",
            complete: true,
            day: 3,
            restricted: true,
        },
    ];
    for (i, w) in works.iter().enumerate() {
        let id = store.create_work(&draft(w)).await.expect("work");
        assert_eq!(id, i as i64 + 1);
    }
    store
        .add_hits(&[(1, 50), (2, 10), (3, 30)])
        .await
        .expect("hits");
    for (id, n) in [(1, 1), (2, 3), (3, 2)] {
        for k in 0..n {
            store
                .add_kudos(id, None, Some(&format!("guest-{k}")))
                .await
                .expect("kudos");
        }
    }
}

/// A chapter with `text`, added to work `id` (an edit: the work's update time changes).
async fn add_chapter(store: &Store, id: i64, text: &str) {
    let c = ChapterInput {
        body: TextField {
            html: Some(format!("<p>{text}</p>")),
            source: None,
        },
        word_count: text.split_whitespace().count() as u64,
        ..Default::default()
    };
    store.add_chapter(id, &c).await.expect("chapter");
}

async fn start_with(prepare: impl AsyncFnOnce(&Store)) -> Site {
    start_indexed(async |store: &Store| {
        fill(store).await;
        prepare(store).await;
    })
    .await
}

async fn start() -> Site {
    start_with(async |_| {}).await
}

fn q(query: &str) -> String {
    format!(
        "/works/search?work_search%5Bquery%5D={}",
        tome_model::filter::percent_encode(query)
    )
}

#[tokio::test]
async fn text_search_phrases_exclusions_and_fields() {
    let site = start().await;
    let doc = site.ok(&q("ember")).await;
    assert_eq!(
        texts(&doc, "div.filtered-results > h3.heading"),
        ["2 Found"]
    );
    let mut found = listed(&doc);
    found.sort();
    assert_eq!(found, [1, 2]);
    // The body's match, highlighted, inside work 1's blurb.
    let snippet = doc
        .select(&sel("li#work_1 blockquote.userstuff.snippet"))
        .next()
        .expect("a snippet")
        .inner_html();
    assert!(snippet.contains("<b>ember</b>"), "{snippet}");

    assert_eq!(site.ids(&q("\"slow burn\"")).await, [2]);
    let mut both = site.ids(&q("slow burn")).await;
    both.sort();
    assert_eq!(both, [2, 3]);
    assert_eq!(site.ids(&q("ember -tide")).await, [1]);
    assert_eq!(site.ids(&q("title:ember")).await, [2]);
    // AO3's separate form fields fold into the same query.
    assert_eq!(
        site.ids("/works/search?work_search%5Btitle%5D=Ember&work_search%5Bquery%5D=")
            .await,
        [2]
    );
    assert_eq!(
        site.ids("/works/search?work_search%5Bcreators%5D=copperfox")
            .await,
        [3]
    );
    // Without search fields: the form.
    let doc = site.ok("/works/search").await;
    assert_eq!(texts(&doc, "h2.heading"), ["Search Works"]);
    assert_eq!(
        attr(&doc, "form#new_work_search", "action").as_deref(),
        Some("/works/search")
    );
}

#[tokio::test]
async fn tag_listings_include_exclude_synonyms_and_subtags() {
    let site = start().await;
    // Synonym: Alpha (TV) is Alpha; its page redirects, keeping the filters.
    let r = site
        .get("/tags/Alpha%20(TV)/works?work_search%5Bcomplete%5D=T")
        .await;
    assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
    let mut alpha = site.ids("/tags/Alpha/works").await;
    alpha.sort();
    assert_eq!(alpha, [1, 2], "work 2 is tagged with the synonym");
    let doc = site.ok("/tags/Alpha/works").await;
    assert_eq!(texts(&doc, "h2.heading"), ["2 Works"]);
    assert_eq!(
        attr(&doc, "form#work-filters", "action").as_deref(),
        Some("/tags/Alpha/works")
    );
    // Subtag: Major Angst is under Angst (work 4 is restricted: not for guests).
    let mut angst = site.ids("/tags/Angst/works").await;
    angst.sort();
    assert_eq!(angst, [1, 2]);
    // Filters on top of the tag.
    assert_eq!(
        site.ids("/tags/Alpha/works?work_search%5Bcomplete%5D=T")
            .await,
        [1]
    );
    assert_eq!(
        site.ids("/tags/Alpha/works?work_search%5Bwords_from%5D=12")
            .await,
        [2]
    );
    assert_eq!(
        site.ids("/tags/Alpha/works?work_search%5Bother_tag_names%5D=Major+Angst")
            .await,
        [2]
    );
    assert_eq!(
        site.ids("/tags/Alpha/works?work_search%5Bexcluded_tag_names%5D=Major+Angst")
            .await,
        [1]
    );
    // Excluding the metatag excludes its subtag's works too.
    assert!(
        site.ids("/tags/Alpha/works?work_search%5Bexcluded_tag_names%5D=angsty")
            .await
            .is_empty()
    );

    // Facets: one click includes, one click excludes, one click undoes.
    let doc = site.ok("/tags/Alpha/works").await;
    let include = facet_link(&doc, "include", "freeform", "Major Angst");
    assert!(include.starts_with("/tags/Alpha/works?"), "{include}");
    let doc = site.ok(&include).await;
    assert_eq!(listed(&doc), [2]);
    let checked = sel("#include_freeform_tags input[checked]");
    let values: Vec<&str> = doc
        .select(&checked)
        .filter_map(|e| e.value().attr("value"))
        .collect();
    assert_eq!(values.len(), 1);
    let undo = doc
        .select(&sel("#include_freeform_tags li"))
        .find(|li| li.select(&sel("input[checked]")).next().is_some())
        .and_then(|li| li.select(&sel("a")).next())
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("undo link");
    assert_eq!(site.ids(&undo).await.len(), 2);
    let doc = site.ok("/tags/Alpha/works").await;
    let exclude = facet_link(&doc, "exclude", "freeform", "Major Angst");
    assert_eq!(site.ids(&exclude).await, [1]);
    // The same by checkbox and submit (no JavaScript): the checkbox's name and value.
    let name = attr(&doc, "#exclude_freeform_tags input", "name").expect("name");
    assert_eq!(name, "exclude_work_search[freeform_ids][]");
    let boxes: Vec<(String, String)> = doc
        .select(&sel(
            "#exclude_fandom_tags input, #exclude_character_tags input",
        ))
        .filter_map(|e| {
            Some((
                e.value().attr("name")?.to_string(),
                e.value().attr("value")?.to_string(),
            ))
        })
        .collect();
    // Alpha's own page does not offer Alpha; Ann (on work 1) is there.
    assert_eq!(boxes.len(), 1, "{boxes:?}");
    let qs = serde_urlencoded::to_string(&boxes).expect("qs");
    assert_eq!(site.ids(&format!("/tags/Alpha/works?{qs}")).await, [2]);
}

#[tokio::test]
async fn every_sort_orders_results() {
    // Work 1 gets a chapter: updated last, though posted first.
    let site = start_with(async |s: &Store| add_chapter(s, 1, "Later.").await).await;
    let sort = |col: &str, dir: &str| {
        let mut p = format!("/works/search?work_search%5Bsort_column%5D={col}");
        if !dir.is_empty() {
            p.push_str(&format!("&work_search%5Bsort_direction%5D={dir}"));
        }
        p
    };
    for (col, dir, want) in [
        ("title_to_sort_on", "", [2, 3, 1]),
        ("title_to_sort_on", "desc", [1, 3, 2]),
        ("authors_to_sort_on", "", [2, 3, 1]),
        ("created_at", "", [3, 2, 1]),
        ("created_at", "asc", [1, 2, 3]),
        ("revised_at", "", [1, 3, 2]),
        ("word_count", "", [3, 2, 1]),
        ("hits", "", [1, 3, 2]),
        ("kudos_count", "", [2, 3, 1]),
        ("kudos_count", "asc", [1, 3, 2]),
    ] {
        assert_eq!(site.ids(&sort(col, dir)).await, want, "{col} {dir}");
    }
    // The sort menu shows the sort in use.
    let doc = site.ok(&sort("hits", "")).await;
    assert_eq!(
        texts(&doc, "select#work_search_sort_column option[selected]"),
        ["Hits"]
    );
    // Page links keep the filters.
    let next = attr(&doc, "ol.pagination a[rel=next]", "href");
    assert!(next.is_none(), "three works fit on one page");
}

#[tokio::test]
async fn restricted_works_only_for_logged_in_readers() {
    let site = start().await;
    create_account(
        &site.store,
        "reader",
        "reader@example.org",
        "password1",
        &[] as &[Role],
        None,
    )
    .await
    .expect("account");
    assert_eq!(site.ids(&q("lantern")).await, [1]);
    assert_eq!(site.ids("/tags/Beta/works").await, [3]);
    let cookie = site.log_in("reader").await;
    let p = site.get_with(&q("lantern"), &cookie).await;
    assert_eq!(p.status, StatusCode::OK);
    let mut ids = listed(&p.doc());
    ids.sort();
    assert_eq!(ids, [1, 4]);
    let p = site.get_with("/tags/Beta/works", &cookie).await;
    assert_eq!(listed(&p.doc()), [4, 3]);
    // The guest's view is unchanged.
    assert_eq!(site.ids(&q("lantern")).await, [1]);
}

#[tokio::test]
async fn works_posted_and_edited_after_start_are_found() {
    let site = start().await;
    assert!(site.ids(&q("zeppelin")).await.is_empty());
    let w = W {
        title: "Skyward",
        author: "aeronaut",
        rating: Rating::General,
        tags: &[(TagKind::Fandom, "Beta")],
        summary: "Up.",
        body: "The zeppelin rose over the harbour.",
        complete: true,
        day: 5,
        restricted: false,
    };
    let id = site.store.create_work(&draft(&w)).await.expect("work");
    let found = poll(&site, &q("zeppelin"), |ids| ids == [id]).await;
    assert!(
        found,
        "a new work is searchable once the indexer drains the outbox"
    );
    add_chapter(&site.store, 3, "A quasar appeared above the garden.").await;
    let found = poll(&site, &q("quasar"), |ids| ids == [3]).await;
    assert!(found, "an edited work is searchable by its new text");
    let mut beta = site.ids("/tags/Beta/works").await;
    beta.sort();
    assert_eq!(beta, [3, id]);
}

/// Polls `path` until its listed ids satisfy `done` (10 seconds at most).
async fn poll(site: &Site, path: &str, done: impl Fn(&[i64]) -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if done(&site.ids(path).await) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn deep_pages_and_malformed_queries_get_clear_messages() {
    let site = start().await;
    let p = site.get(&format!("{}&page=600", q("ember"))).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let doc = p.doc();
    assert_eq!(
        texts(&doc, "div.filtered-results > h3.heading"),
        ["2 Found"]
    );
    let msg = texts(&doc, "p#too-deep").join("");
    assert!(msg.contains("Only the first 10000 results"), "{msg}");
    assert!(listed(&doc).is_empty());
    // The same cap on a tag listing.
    let p = site.get("/tags/Alpha/works?page=501").await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.body.contains("Only the first 10000 results"));

    // A broken escape: a 400 page that says what is wrong.
    let p = site.get("/works/search?work_search%5Bquery%5D=%ZZ").await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let errors = texts(&p.doc(), "div#error li").join(" ");
    assert!(errors.contains("broken %-escape"), "{errors}");
    // Invalid UTF-8.
    let p = site.get("/works/search?work_search%5Bquery%5D=%FF").await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    // A typed value that is not a number: the form again, with what was typed.
    let p = site
        .get("/works/search?work_search%5Bquery%5D=ember&work_search%5Bwords_from%5D=lots")
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let doc = p.doc();
    assert!(texts(&doc, "div#error li")[0].contains("\u{201c}lots\u{201d} is not a number"));
    assert_eq!(
        attr(&doc, "input#work_search_words_from", "value").as_deref(),
        Some("lots")
    );
    assert_eq!(
        attr(&doc, "input#work_search_query", "value").as_deref(),
        Some("ember")
    );
    let p = site
        .get("/tags/Alpha/works?work_search%5Brevised_at%5D=soon")
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let doc = p.doc();
    assert!(texts(&doc, "div#error li")[0].contains("not a date range"));
    assert_eq!(
        attr(&doc, "input#work_search_revised_at", "value").as_deref(),
        Some("soon")
    );
    // Stray query syntax is read leniently, never an error page.
    let p = site.get(&q("\"unclosed title: (")).await;
    assert_eq!(p.status, StatusCode::OK);
    // An unknown tag name matches nothing and says so.
    let doc = site
        .ok("/works/search?work_search%5Bother_tag_names%5D=Nope")
        .await;
    assert_eq!(
        texts(&doc, "div.filtered-results > h3.heading"),
        ["0 Found"]
    );
    assert!(texts(&doc, "p#unknown-tags")[0].contains("\u{201c}Nope\u{201d}"));
    // The names typed into "Other tags to include/exclude" come back in those fields,
    // which ask tag autocomplete for any kind.
    let doc = site
        .ok("/works/search?work_search%5Bother_tag_names%5D=Nope&work_search%5Bexcluded_tag_names%5D=Major+Angst")
        .await;
    assert_eq!(
        attr(&doc, "input#work_search_other_tag_names", "value").as_deref(),
        Some("Nope")
    );
    assert_eq!(
        attr(&doc, "input#work_search_excluded_tag_names", "value").as_deref(),
        Some("Major Angst")
    );
    assert_eq!(
        attr(
            &doc,
            "input#work_search_other_tag_names",
            "data-autocomplete"
        )
        .as_deref(),
        Some("")
    );
}

#[tokio::test]
async fn search_results_page_snapshot() {
    let site = start().await;
    let p = site.get(&q("harbour")).await;
    assert_eq!(p.status, StatusCode::OK);
    insta::assert_snapshot!("search_results", p.body);
}

/// The hits shown in work 3's blurb on a page.
fn hits_of_3(p: &Page) -> Vec<String> {
    texts(&p.doc(), "li#work_3 dd.hits")
}

#[tokio::test]
async fn listings_are_kept_per_audience_until_the_index_changes() {
    let site = start().await;
    create_account(
        &site.store,
        "reader",
        "reader@example.org",
        "password1",
        &[] as &[Role],
        None,
    )
    .await
    .expect("account");
    let cookie = site.log_in("reader").await;
    let paths = ["/", "/works", "/tags/Beta/works"];
    let tokenless = |p: &Page| {
        let doc = p.doc();
        let token = attr(&doc, "input[name=authenticity_token]", "value").unwrap_or_default();
        p.body.replace(&token, "")
    };
    for path in paths {
        let first = site.get(path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let again = site.get(path).await;
        // The kept copy is the page as rendered, but for the guest's own token.
        assert_eq!(tokenless(&first), tokenless(&again), "{path}");
        assert!(
            !listed(&again.doc()).contains(&4),
            "{path}: restricted work 4"
        );
        // A member is never served the guests' copy: they see the restricted work, and
        // their own header in the members' copy.
        let member = site.get_with(path, &cookie).await;
        assert!(listed(&member.doc()).contains(&4), "{path}: member");
        assert!(
            member.body.contains("Hi, reader!"),
            "{path}: the member's header"
        );
        assert!(!member.body.contains("__tome_slot"), "{path}: slots filled");
    }
    // Hits change no version and write no outbox row: guests and members keep their kept
    // copies (this is what shows the copies are served).
    let before: Vec<Vec<String>> = {
        let mut v = Vec::new();
        for path in paths {
            v.push(hits_of_3(&site.get(path).await));
            assert_eq!(
                hits_of_3(&site.get_with(path, &cookie).await),
                *v.last().unwrap(),
                "{path}"
            );
        }
        v
    };
    site.store.add_hits(&[(3, 1_000)]).await.expect("hits");
    for (path, was) in paths.iter().zip(&before) {
        assert_eq!(&hits_of_3(&site.get(path).await), was, "{path}: kept copy");
        let member = site.get_with(path, &cookie).await;
        assert_eq!(&hits_of_3(&member), was, "{path}: members' kept copy");
    }
    // A change the outbox carries reloads the index, and guests' pages follow.
    let w = W {
        title: "Freshly Posted",
        author: "newcomer",
        rating: Rating::General,
        tags: &[(TagKind::Fandom, "Beta")],
        summary: "New.",
        body: "A brand new story.",
        complete: true,
        day: 400,
        restricted: false,
    };
    let id = site.store.create_work(&draft(&w)).await.expect("work");
    for (path, was) in paths.iter().zip(&before) {
        assert!(
            poll(&site, path, |ids| ids.contains(&id)).await,
            "{path}: the new work reaches the guest's page once indexed"
        );
        // Re-rendered (the new work is listed), from kept blurbs: work 3's counts hits
        // without a version change, so they stay as kept for up to `BLURB_TTL`.
        assert_eq!(&hits_of_3(&site.get(path).await), was, "{path}: kept blurb");
    }
}
