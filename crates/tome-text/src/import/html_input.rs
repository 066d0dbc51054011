//! HTML in: pages saved from archives and AO3 downloads. The page is turned into the
//! same text shape a `.txt` story has (header lines, blank-line paragraphs, `* * *`
//! for `<hr>`), so one set of rules reads every format. Formatting readers care about
//! (italics, bold, underline, strike-through, super/subscript, links, line breaks, block
//! quotes, lists) travels as [`inline`] markers and becomes tags again in the output.
//! Site chrome (navigation, headers, footers, scripts, styles, forms) is dropped on the
//! way; nothing executable survives because no original markup is kept, only markers,
//! and the HTML built from them is sanitized.
//!
//! An AO3 "Download → HTML" file is read by its structure: `#preface` (the `dl.tags`
//! list, `h1` title, `.byline`, "Summary"/"Notes" blockquotes), `#chapters` (per
//! chapter a `div.meta.group` with the `h2` heading and chapter notes, then
//! `div.userstuff`), `#afterword` (end notes).

use scraper::{ElementRef, Html, Node, Selector};

use super::inline::{self, Container, Mark};

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

/// A page read into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Header lines and paragraphs, formatting as [`inline`] markers.
    pub text: String,
    /// Whether this is an AO3 download (its tag list is the work's own tags).
    pub ao3: bool,
}

/// Turns an HTML page into header lines and paragraphs (formatting markers removed).
pub fn to_text(html: &str) -> String {
    inline::plain(&read(html).text).into_owned()
}

/// Reads an HTML page into header lines and marked paragraphs.
///
/// A page that keeps its metadata in a structure (AO3's download preface, an AO3 work
/// page's `dl.work.meta`, any archive's `dl` of known labels) is read by that structure:
/// the list gives the header, and the story comes from where the page keeps it (AO3's
/// `#chapters`, `div.chapter`/`section.chapter` blocks, `div.userstuff`, `#storytext`,
/// `article`, `main`), never from the menus around it. Other pages are walked whole,
/// chrome dropped.
pub fn read(html: &str) -> Page {
    read_with(html, false)
}

/// Reads a page that is structured whatever it holds: an EPUB laid into one page (see
/// `super::epub`), whose `#tome-epub-header` holds the package's metadata and title pages.
pub fn read_structured(html: &str) -> Page {
    read_with(html, true)
}

fn read_with(html: &str, force_structure: bool) -> Page {
    let doc = Html::parse_document(html);
    let mut out = Writer::default();
    let root = doc.root_element();
    let structured = force_structure
        || select_first(root, "#preface, dl.work.meta, dl.tags").is_some()
        || metadata_dl(root).is_some();
    if structured {
        if force_structure && let Some(header) = select_first(root, "#tome-epub-header") {
            epub_header(header, &mut out);
        }
        ao3_preface(root, &mut out);
        if let Some(chapters) = select_first(root, "#chapters") {
            ao3_chapters(chapters, &mut out);
        } else if let Some(blocks) = select_all(
            root,
            "div.chapter, section.chapter, article.chapter, div.story-chapter, div.chapter-content",
        ) {
            for b in blocks.into_iter().filter(|b| !inside_chrome(*b)) {
                out.flush();
                out.walk(b);
            }
        } else if let Some(body) = select_first(root, "div.userstuff") {
            out.walk(body);
        } else {
            let body = [
                "#storytext",
                "#story",
                ".storytext",
                "article",
                "main",
                "#content",
                "body",
            ]
            .iter()
            .find_map(|css| select_first(root, css).filter(|e| !inside_chrome(*e)))
            .unwrap_or(root);
            out.skip_meta = true;
            out.skip_title = page_title(root).map(text_of);
            out.walk(body);
        }
        ao3_afterword(root, &mut out);
    } else {
        if let Some(h1) = select_first(root, "body h1") {
            out.para(&format!("Title: {}", text_of(h1)));
            out.skip_title = Some(text_of(h1));
        }
        out.walk(root);
    }
    out.flush();
    Page {
        text: out.text(),
        ao3: structured,
    }
}

/// An EPUB's header: the package's metadata lines and its title pages (FanFicFare's
/// `<b>Label:</b> value<br>` lines). Only the lines that are header fields we know are kept,
/// each a paragraph of its own (a title page's headings, story URLs and site names are
/// not the work's); lines after "Summary:" continue the summary.
fn epub_header(header: ElementRef<'_>, out: &mut Writer) {
    let mut w = Writer {
        skip_all_headings: true,
        ..Writer::default()
    };
    for child in header.children().filter_map(ElementRef::wrap) {
        w.walk(child);
    }
    w.flush();
    let mut fields: Vec<(String, bool)> = Vec::new();
    for para in &w.paras {
        for line in para.split('\n') {
            let line = line.trim_end_matches(inline::BR).trim();
            if inline::plain(line).trim().is_empty() {
                continue;
            }
            match super::header::parse_field(line) {
                Some((label, value, kind)) => {
                    // FanFicFare's "Category" is the story's fandom (AO3's own categories
                    // it calls "AO3 Categories").
                    let plain_value = inline::plain(&value).into_owned();
                    let line = if label.eq_ignore_ascii_case("category")
                        && !plain_value
                            .split(',')
                            .any(|c| tome_model::Category::parse(c.trim()).is_some())
                    {
                        format!("Fandom: {value}")
                    } else {
                        line.to_string()
                    };
                    fields.push((line, kind == super::header::FieldKind::Summary))
                }
                None => {
                    if let Some((last, true)) = fields.last_mut() {
                        last.push(inline::PARA);
                        last.push_str(line);
                    }
                }
            }
        }
    }
    for (line, _) in fields {
        out.para(&line);
    }
}

/// The first `dl` whose labels (`dt` children) are at least two header labels we know:
/// an archive page's metadata list.
fn metadata_dl(root: ElementRef<'_>) -> Option<ElementRef<'_>> {
    let sel = Selector::parse("dl").ok()?;
    root.select(&sel).find(|dl| is_metadata_dl(*dl))
}

fn is_metadata_dl(dl: ElementRef<'_>) -> bool {
    dl.children()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "dt")
        .filter(|dt| super::header::field_kind(text_of(*dt).trim_end_matches(':')).is_some())
        .take(2)
        .count()
        == 2
        && !inside_chrome(dl)
}

/// Whether an element or one of its ancestors is site chrome (a header's `h1`, a menu's list).
fn inside_chrome(e: ElementRef<'_>) -> bool {
    std::iter::successors(Some(e), |e| e.parent().and_then(ElementRef::wrap))
        .take(256)
        .any(|e| is_chrome(e.value()))
}

/// The work's title element: AO3's preface heading or title message, else the first `h1`
/// that is not site chrome.
fn page_title(root: ElementRef<'_>) -> Option<ElementRef<'_>> {
    select_first(
        root,
        "#preface h1, #preface h2.title, h2.title.heading, .preface h2.title, #preface .message b",
    )
    .or_else(|| {
        let sel = Selector::parse("h1").ok()?;
        root.select(&sel).find(|h| !inside_chrome(*h))
    })
}

/// AO3's preface: the `dl` of `dt` labels and `dd` values, title, byline, summary, notes.
/// Other archives' metadata lists are read the same way.
fn ao3_preface(root: ElementRef<'_>, out: &mut Writer) {
    if let Some(h) = page_title(root) {
        out.para(&format!("Title: {}", text_of(h)));
    }
    let authors: Vec<String> = select_all(root, "#preface .byline a[rel=author]")
        .or_else(|| {
            select_all(
                root,
                ".byline a[rel=author], #preface .byline a, h3.byline a",
            )
        })
        .unwrap_or_default()
        .into_iter()
        .map(text_of)
        .collect();
    if !authors.is_empty() {
        out.para(&format!("Author: {}", authors.join(", ")));
    }
    let dl = select_first(root, "dl.tags, dl.work.meta").or_else(|| metadata_dl(root));
    if let (Ok(links), Ok(items), Some(dl)) = (Selector::parse("a"), Selector::parse("li"), dl) {
        // Only the list's own labels: AO3's stats `dd` holds a `dl` of its own.
        let labels = dl
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "dt");
        for label in labels {
            let value = label
                .next_siblings()
                .filter_map(ElementRef::wrap)
                .find(|e| matches!(e.value().name(), "dd" | "dt"))
                .filter(|e| e.value().name() == "dd");
            let Some(dd) = value else { continue };
            let label = text_of(label).trim_end_matches(':').trim().to_string();
            let kind = super::header::field_kind(&label);
            let listed = matches!(
                kind,
                Some(super::header::FieldKind::Tagging | super::header::FieldKind::Rating)
            );
            let value = if !listed {
                if matches!(kind, Some(super::header::FieldKind::Summary)) {
                    fragment(dd)
                } else {
                    text_of(dd)
                }
            } else if dd.select(&links).next().is_some() {
                dd.select(&links)
                    .map(text_of)
                    .collect::<Vec<_>>()
                    .join(", ")
            } else if dd.select(&items).next().is_some() {
                dd.select(&items)
                    .map(text_of)
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                text_of(dd)
            };
            out.para(&format!("{label}: {value}"));
        }
    }
    let scope = select_first(root, "#preface").unwrap_or(root);
    let summary = labelled_quote(scope, &["summary"])
        .or_else(|| select_first(scope, ".summary blockquote.userstuff"));
    if let Some(s) = summary {
        out.para(&format!("Summary: {}", fragment(s)));
    }
    let notes = labelled_quote(scope, &["notes"])
        .filter(|n| !inside_chapters(*n))
        .or_else(|| {
            select_first(scope, ".notes blockquote.userstuff").filter(|n| !inside_chapters(*n))
        });
    if let Some(n) = notes {
        out.para(&format!("Notes: {}", fragment(n)));
    }
}

/// Whether an element is inside `#chapters` or the afterword (a chapter's or the work's end notes).
fn inside_chapters(e: ElementRef<'_>) -> bool {
    std::iter::successors(e.parent().and_then(ElementRef::wrap), |e| {
        e.parent().and_then(ElementRef::wrap)
    })
    .take(256)
    .any(|e| {
        matches!(e.value().id(), Some("chapters" | "afterword"))
            || e.value().classes().any(|c| c == "afterword")
    })
}

/// AO3's chapters: in a download, per chapter a `div.meta` (heading, chapter notes) and
/// the text; on a work page, per chapter a `div.chapter` holding a `div.chapter.preface`
/// (heading, notes), the `div.userstuff` text and a closing preface (end notes).
fn ao3_chapters(chapters: ElementRef<'_>, out: &mut Writer) {
    let mut headings = 0;
    for child in chapters.children() {
        chapter_child(child, out, &mut headings, true);
    }
}

/// One child of `#chapters`. An EPUB's documents arrive each in a `div.tome-epub-file`
/// wrapper, whose children are read the same way (one level: a wrapper inside is walked).
fn chapter_child(
    child: ego_tree::NodeRef<'_, Node>,
    out: &mut Writer,
    headings: &mut usize,
    unwrap: bool,
) {
    let Some(el) = ElementRef::wrap(child) else {
        if let Node::Text(t) = child.value() {
            out.push_text(t);
        }
        return;
    };
    let classes: Vec<&str> = el.value().classes().collect();
    if unwrap && classes.contains(&"tome-epub-file") {
        for c in el.children() {
            chapter_child(c, out, headings, false);
        }
        return;
    }
    if classes.contains(&"chapter") && !classes.contains(&"preface") {
        // A work page's chapter: its prefaces are read as meta, its text walked.
        for part in el.children().filter_map(ElementRef::wrap) {
            if part.value().classes().any(|c| c == "preface") {
                chapter_meta(part, out, headings);
            } else {
                out.walk(part);
            }
        }
        return;
    }
    if !classes.contains(&"meta") {
        out.walk(el);
        return;
    }
    chapter_meta(el, out, headings);
}

/// A chapter's heading and notes (a download's `div.meta`, a work page's `div.chapter.preface`).
fn chapter_meta(el: ElementRef<'_>, out: &mut Writer, headings: &mut usize) {
    out.flush();
    out.skip_heading = None;
    if let Some(h) = select_first(el, "h2, h3.title, h3:not(.heading)") {
        *headings += 1;
        let text = text_of(h);
        if el.value().classes().any(|c| c == "tome-epub-chapter") {
            // An EPUB chapter titled from its table of contents: the document's own
            // heading saying the same is not story.
            out.skip_heading = Some(text.to_lowercase());
        }
        let line = match super::chapters::heading(&text) {
            Some(parsed) if parsed.bare => format!("{text}{}", inline::HEADING_DONE),
            Some(_) => text,
            None if text.is_empty() => format!("Chapter {headings}{}", inline::HEADING_DONE),
            None => format!("Chapter {headings}: {text}"),
        };
        out.para(&line);
    }
    let is_end = el
        .select(&Selector::parse(".end").expect("end selector"))
        .next()
        .is_some();
    if let Some(q) = labelled_quote(el, &["chapter end notes"])
        .or_else(|| is_end.then(|| labelled_quote(el, &["notes"])).flatten())
    {
        out.para(&format!(
            "{}End Notes: {}",
            inline::CHAPTER_NOTE,
            fragment(q)
        ));
        return;
    }
    for label in ["chapter summary", "summary", "chapter notes", "notes"] {
        if let Some(q) = labelled_quote(el, &[label]) {
            out.para(&format!("Notes: {}", fragment(q)));
        }
    }
}

/// AO3's afterword (a download's `#afterword`, a work page's `div.afterword`): the work's
/// end notes (the series list and the "comment" message are chrome).
fn ao3_afterword(root: ElementRef<'_>, out: &mut Writer) {
    let Some(after) = select_first(root, "#afterword, div.afterword") else {
        return;
    };
    let notes = labelled_quote(after, &["end notes", "notes"])
        .or_else(|| select_first(after, ".endnotes blockquote, blockquote.userstuff"));
    if let Some(n) = notes {
        out.flush();
        out.para(&format!("End Notes: {}", fragment(n)));
    }
}

/// The `blockquote` right after a `p`/`h3`/`div` whose text is one of `labels` ("Summary", "Notes:").
fn labelled_quote<'a>(scope: ElementRef<'a>, labels: &[&str]) -> Option<ElementRef<'a>> {
    let sel = Selector::parse("p, h3, h4, div, b, strong").ok()?;
    scope
        .select(&sel)
        .filter(|e| {
            let t = text_of(*e).trim_end_matches(':').trim().to_lowercase();
            labels.contains(&t.as_str())
        })
        .find_map(|label| {
            label
                .next_siblings()
                .filter_map(ElementRef::wrap)
                .next()
                .filter(|e| e.value().name() == "blockquote")
        })
}

/// An element's content as one marked line: paragraphs joined by [`inline::PARA`], line
/// breaks as [`inline::LINE`] (header fields and notes are one line each).
fn fragment(e: ElementRef<'_>) -> String {
    let mut w = Writer::default();
    for child in e.children() {
        match child.value() {
            Node::Text(t) => w.push_text(t),
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    w.walk(c);
                }
            }
            _ => {}
        }
    }
    w.flush();
    w.paras
        .iter()
        .map(|p| {
            p.replace(inline::BR, "")
                .replace('\n', &inline::LINE.to_string())
        })
        .collect::<Vec<_>>()
        .join(&inline::PARA.to_string())
}

fn select_first<'a>(root: ElementRef<'a>, css: &str) -> Option<ElementRef<'a>> {
    let sel = Selector::parse(css).ok()?;
    root.select(&sel).next()
}

fn select_all<'a>(root: ElementRef<'a>, css: &str) -> Option<Vec<ElementRef<'a>>> {
    let sel = Selector::parse(css).ok()?;
    let all: Vec<_> = root.select(&sel).collect();
    (!all.is_empty()).then_some(all)
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

/// The inline mark an element stands for: by name, or by its `style` (`<span
/// style="font-style: italic">`). Links only with an absolute http(s)/mailto address:
/// relative links pointed into the old archive.
fn mark_of(e: &scraper::node::Element) -> Option<(Mark, String)> {
    let mark = Mark::for_element(e.name()).or_else(|| e.attr("style").and_then(Mark::for_style))?;
    if mark != Mark::Link {
        return Some((mark, mark.open().to_string()));
    }
    let href = e.attr("href")?.trim();
    let lower = href.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"))
        .then(|| (mark, inline::link_open(href)))
}

#[derive(Default)]
struct Writer {
    paras: Vec<String>,
    line: String,
    containers: Vec<Container>,
    skip_title: Option<String>,
    /// Skip the page's metadata `dl` (read already as the header).
    skip_meta: bool,
    /// Skip the next heading (`h1`–`h6`) with this text, lowercased: a chapter's title
    /// read already.
    skip_heading: Option<String>,
    /// Drop every heading (a title page's "Title by Author").
    skip_all_headings: bool,
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
        if name == "dl" && self.skip_meta && is_metadata_dl(e) {
            return;
        }
        if self.skip_all_headings && matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            return;
        }
        if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
            && let Some(skip) = &self.skip_heading
        {
            let t = text_of(e).to_lowercase();
            if &t == skip || skip.ends_with(&format!(": {t}")) {
                self.skip_heading = None;
                return;
            }
        }
        if name == "h1" && self.skip_title.as_deref().is_some_and(|t| t == text_of(e)) {
            self.skip_title = None;
            return;
        }
        let container = match name {
            "blockquote" => Some(Container::Quote),
            "ul" => Some(Container::Bullets),
            "ol" => Some(Container::Numbers),
            _ => None,
        };
        let block = BLOCK_TAGS.contains(&name);
        if block {
            self.flush();
        }
        if let Some(c) = container {
            self.containers.push(c);
        }
        let mark = mark_of(el);
        match name {
            "br" => {
                self.line.push(inline::BR);
                self.line.push('\n');
            }
            "hr" => {
                self.flush();
                self.paras.push("* * *".to_string());
            }
            _ => {
                if let Some((_, open)) = &mark {
                    self.line.push_str(open);
                }
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
                if let Some((m, _)) = mark {
                    self.line.push(m.close());
                }
            }
        }
        if block {
            self.flush();
        }
        if container.is_some() {
            self.containers.pop();
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
        let tail = self.line.trim_end_matches(inline::is_marker);
        if tail.is_empty() || tail.ends_with([' ', '\n']) {
            folded = folded.trim_start().to_string();
        }
        self.line.push_str(&folded);
    }

    /// Ends the current paragraph(s): `<br>` lines stay lines (ending in [`inline::BR`]),
    /// an empty line (`<br><br>`) starts a new paragraph, formatting still open carries on.
    fn flush(&mut self) {
        let line = std::mem::take(&mut self.line);
        let prefix: String = self.containers.iter().map(|c| c.marker()).collect();
        let mut carry = String::new();
        let mut current: Vec<String> = Vec::new();
        let mut done: Vec<String> = Vec::new();
        let end_para = |current: &mut Vec<String>, done: &mut Vec<String>| {
            if !current.is_empty() {
                let n = current.len();
                let p: Vec<String> = current
                    .drain(..)
                    .enumerate()
                    .map(|(i, l)| {
                        if i + 1 < n {
                            format!("{l}{}", inline::BR)
                        } else {
                            l
                        }
                    })
                    .collect();
                done.push(p.join("\n"));
            }
        };
        for raw in line.split('\n') {
            let l = raw.replace(inline::BR, "");
            let l = l.trim();
            if inline::plain(l).trim().is_empty() {
                if current.is_empty() {
                    carry.push_str(&inline::still_open(l));
                } else {
                    end_para(&mut current, &mut done);
                    carry = done
                        .last()
                        .map(|p| inline::still_open(p))
                        .unwrap_or_default();
                    carry.push_str(&inline::still_open(l));
                }
                continue;
            }
            current.push(format!("{}{l}", std::mem::take(&mut carry)));
        }
        end_para(&mut current, &mut done);
        for p in done {
            self.paras.push(format!("{prefix}{p}"));
        }
    }

    fn para(&mut self, p: &str) {
        self.paras.push(p.to_string());
    }

    fn text(&self) -> String {
        let mut t = String::new();
        for p in &self.paras {
            t.push_str(p);
            t.push_str("\n\n");
        }
        t
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
        assert!(t.contains("Additional Tags: Angst, Fluff\n\nSummary: A summary.\n\nChapter 1: Night\n\nStory.\n\nEnd Notes: Thanks!"), "{t}");
    }
}
