//! HTML in: pages saved from archives and AO3 downloads. The page is turned into the
//! same plain-text shape a `.txt` story has (header lines, blank-line paragraphs, `* * *`
//! for `<hr>`), so one set of rules reads every format. Site chrome (navigation, headers,
//! footers, scripts, styles, forms) is dropped on the way; nothing executable survives
//! because nothing of the original markup is kept.

use scraper::{ElementRef, Html, Node, Selector};

/// Elements that are never story.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "form", "button", "select", "iframe",
    "object", "embed", "aside", "head", "template", "svg", "canvas", "input", "textarea", "menu",
];

/// id/class words that mark site chrome on old archives and AO3.
const CHROME_MARKS: &[&str] = &[
    "navigation",
    "navbar",
    "nav",
    "menu",
    "sidebar",
    "footer",
    "header",
    "breadcrumb",
    "skiplinks",
    "landmark",
    "actions",
    "feedback",
    "kudos",
    "comments",
    "share",
    "pagination",
    "login",
    "banner",
    "ad",
    "ads",
];

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "section",
    "article",
    "tr",
    "pre",
    "dd",
    "dt",
    "center",
    "table",
    "ul",
    "ol",
    "dl",
    "main",
    "body",
    "figure",
    "address",
];

/// Turns an HTML page into header lines and paragraphs.
pub fn to_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out = Writer::default();
    let root = doc.root_element();
    let preface = select_first(root, "#preface, dl.work.meta, dl.tags");
    if preface.is_some() {
        ao3_preface(root, &mut out);
        for sel in ["#chapters", "#workskin #chapters", "div.userstuff"] {
            if let Some(body) = select_first(root, sel) {
                out.walk(body);
                break;
            }
        }
        if let Some(after) = select_first(
            root,
            "#afterword .endnotes blockquote, #afterword blockquote.userstuff",
        ) {
            out.flush();
            out.para(&format!("Notes: {}", text_of(after)));
        }
    } else {
        if let Some(h1) = select_first(root, "body h1") {
            out.para(&format!("Title: {}", text_of(h1)));
            out.skip_title = Some(text_of(h1));
        }
        out.walk(root);
    }
    out.flush();
    out.text
}

/// AO3's meta block: `dl` of `dt` labels and `dd` values, title, byline, summary, notes.
fn ao3_preface(root: ElementRef<'_>, out: &mut Writer) {
    if let Some(h) = select_first(root, "#preface h1, h2.title.heading, .preface h2.title") {
        out.para(&format!("Title: {}", text_of(h)));
    }
    if let Some(a) = select_first(
        root,
        "#preface .byline a, .byline a[rel=author], h3.byline a",
    ) {
        out.para(&format!("Author: {}", text_of(a)));
    }
    if let (Ok(dt), Some(dl)) = (
        Selector::parse("dt"),
        select_first(root, "dl.tags, dl.work.meta"),
    ) {
        for label in dl.select(&dt) {
            let value = label
                .next_siblings()
                .filter_map(ElementRef::wrap)
                .find(|e| e.value().name() == "dd");
            if let Some(dd) = value {
                let items: Vec<String> = match Selector::parse("a, li") {
                    Ok(s) if dd.select(&s).next().is_some() => dd.select(&s).map(text_of).collect(),
                    _ => vec![text_of(dd)],
                };
                let label = text_of(label).trim_end_matches(':').trim().to_string();
                out.para(&format!("{label}: {}", items.join(", ")));
            }
        }
    }
    if let Some(s) = select_first(
        root,
        "#preface blockquote.userstuff, .summary blockquote.userstuff",
    ) {
        out.para(&format!("Summary: {}", text_of(s)));
    }
    if let Some(n) = select_first(
        root,
        "#preface .notes blockquote.userstuff, .preface .notes blockquote.userstuff",
    ) {
        out.para(&format!("Notes: {}", text_of(n)));
    }
}

fn select_first<'a>(root: ElementRef<'a>, css: &str) -> Option<ElementRef<'a>> {
    let sel = Selector::parse(css).ok()?;
    root.select(&sel).next()
}

/// All text of an element, white space folded.
fn text_of(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_chrome(e: &scraper::node::Element) -> bool {
    if SKIP_TAGS.contains(&e.name()) {
        return true;
    }
    if e.attr("role")
        .is_some_and(|r| matches!(r, "navigation" | "banner" | "contentinfo" | "complementary"))
    {
        return true;
    }
    let words = e.id().into_iter().chain(e.classes());
    words
        .flat_map(|w| w.split(['-', '_']))
        .any(|w| CHROME_MARKS.contains(&w.to_ascii_lowercase().as_str()))
}

#[derive(Default)]
struct Writer {
    text: String,
    line: String,
    skip_title: Option<String>,
}

impl Writer {
    fn walk(&mut self, e: ElementRef<'_>) {
        let el = e.value();
        if is_chrome(el) || matches!(el.name(), "preface" | "afterword") {
            return;
        }
        if matches!(el.id(), Some("preface" | "afterword")) {
            return;
        }
        let name = el.name();
        if name == "h1" && self.skip_title.as_deref().is_some_and(|t| t == text_of(e)) {
            self.skip_title = None;
            return;
        }
        let block = BLOCK_TAGS.contains(&name);
        if block {
            self.flush();
        }
        match name {
            "br" => self.line.push('\n'),
            "hr" => {
                self.flush();
                self.para("* * *");
            }
            _ => {
                for child in e.children() {
                    match child.value() {
                        Node::Text(t) => self.push_text(t),
                        Node::Element(_) => {
                            if let Some(c) = ElementRef::wrap(child) {
                                self.walk(c);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        if block {
            self.flush();
        }
    }

    fn push_text(&mut self, t: &str) {
        let mut folded = String::new();
        if t.starts_with(char::is_whitespace) {
            folded.push(' ');
        }
        folded.push_str(&t.split_whitespace().collect::<Vec<_>>().join(" "));
        if t.ends_with(char::is_whitespace) && !t.trim().is_empty() {
            folded.push(' ');
        }
        if self.line.ends_with([' ', '\n']) || self.line.is_empty() {
            folded = folded.trim_start().to_string();
        }
        self.line.push_str(&folded);
    }

    fn flush(&mut self) {
        let lines: Vec<&str> = self
            .line
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            let p = lines.join("\n");
            self.para(&p);
        }
        self.line.clear();
    }

    fn para(&mut self, p: &str) {
        self.text.push_str(p);
        self.text.push_str("\n\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_chrome_and_scripts() {
        let html = r#"<html><head><title>Site</title><script>evil()</script></head><body>
            <div id="navbar"><a href="/">Home</a> | <a>Back to index</a></div>
            <h1>The Title</h1>
            <p>First <em>para</em> here.</p><img src=x onerror="alert(1)">
            <hr><p>Second<br>line two.</p>
            <div class="footer">Powered by eFiction</div><footer>(c) site</footer></body></html>"#;
        let t = to_text(html);
        assert_eq!(
            t,
            "Title: The Title\n\nFirst para here.\n\n* * *\n\nSecond\nline two.\n\n"
        );
    }

    #[test]
    fn reads_ao3_download_meta() {
        let html = r#"<html><body><div id="preface"><div class="meta"><dl class="tags">
            <dt>Rating:</dt><dd><a>Teen And Up Audiences</a></dd>
            <dt>Fandom:</dt><dd><a>Buffy the Vampire Slayer</a></dd>
            <dt>Relationship:</dt><dd><a>Buffy Summers/Spike</a></dd>
            <dt>Additional Tags:</dt><dd><a>Angst</a>, <a>Fluff</a></dd></dl>
            <h1>Steps</h1><div class="byline">by <a rel="author">someone</a></div>
            <p>Summary</p><blockquote class="userstuff"><p>A summary.</p></blockquote></div></div>
            <div id="chapters" class="userstuff"><h2 class="heading">Chapter 1: Night</h2><div class="userstuff"><p>Story.</p></div></div>
            <div id="afterword"><div class="endnotes"><blockquote class="userstuff"><p>Thanks!</p></blockquote></div></div></body></html>"#;
        let t = to_text(html);
        assert!(
            t.starts_with("Title: Steps\n\nAuthor: someone\n\nRating: Teen And Up Audiences\n\n"),
            "{t}"
        );
        assert!(t.contains("Additional Tags: Angst, Fluff\n\nSummary: A summary.\n\nChapter 1: Night\n\nStory.\n\nNotes: Thanks!"), "{t}");
    }
}
