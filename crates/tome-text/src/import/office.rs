//! Writers' own files: Word `.docx` (Word, Google Docs' "Download as Word", LibreOffice) and
//! OpenDocument `.odt` (LibreOffice), read by their structure. Paragraph styles give headings
//! (the highest heading level used starts a chapter; a "Title" paragraph is the work's
//! title), block quotes and lists; run formatting gives italics, bold, underline,
//! strike-through and super/subscript; a short centred paragraph of symbols ("* * *", "#",
//! "~~~") is a scene break. Comments and tracked changes (deletions, moves, format changes)
//! are dropped; insertions are kept as text. The core properties give title and author.
//!
//! The document is written as one page the HTML reader reads by structure (as an EPUB is:
//! see `super::epub`), so its text passes the same nesting check, walk and sanitizer. XML
//! is read with a pull parser; nothing recurses on the document's depth.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::epub::{Book, EpubError, Package, push_text};
use crate::sanitize::escape_html;

/// One paragraph as read.
#[derive(Debug, Clone, PartialEq)]
enum Para {
    Title(String),
    Heading(usize, String),
    Text {
        html: String,
        plain: String,
        quote: bool,
        list: Option<bool>,
        centred: bool,
    },
}

/// Run formatting, as HTML elements to open (in this order) and close.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Marks {
    italic: bool,
    bold: bool,
    underline: bool,
    strike: bool,
    sup: bool,
    sub: bool,
}

impl Marks {
    fn wrap(self, text: &str, out: &mut String) {
        let tags: [(bool, &str); 6] = [
            (self.italic, "em"),
            (self.bold, "strong"),
            (self.underline, "u"),
            (self.strike, "s"),
            (self.sup, "sup"),
            (self.sub, "sub"),
        ];
        for (on, t) in tags {
            if on {
                out.push_str(&format!("<{t}>"));
            }
        }
        out.push_str(text);
        for (on, t) in tags.iter().rev() {
            if *on {
                out.push_str(&format!("</{t}>"));
            }
        }
    }
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// A `w:val`-style switch: present and not "0"/"false"/"none".
fn on(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "none" | "off"))
}

fn bad(name: &str, e: impl std::fmt::Display) -> EpubError {
    EpubError::BadDocument {
        name: name.to_string(),
        message: e.to_string(),
    }
}

/// A paragraph style's role, by its id or name (Word, LibreOffice and Google Docs spell
/// them "Heading1", "Heading 1", "heading 1", "Heading_20_1").
fn style_role(style: &str) -> Option<Role> {
    let s: String = style
        .to_lowercase()
        .replace("_20_", " ")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect();
    if s == "title" {
        return Some(Role::Title);
    }
    if let Some(n) = s.strip_prefix("heading")
        && let Ok(level) = n.parse::<usize>()
        && (1..=6).contains(&level)
    {
        return Some(Role::Heading(level));
    }
    if matches!(
        s.as_str(),
        "quote" | "intensequote" | "blocktext" | "quotations" | "quotation" | "blockquote"
    ) {
        return Some(Role::Quote);
    }
    if s.starts_with("listbullet") || s == "listparagraph" || s.starts_with("list") {
        return Some(Role::List(false));
    }
    if s.starts_with("listnumber") || s == "numbering" {
        return Some(Role::List(true));
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Title,
    Heading(usize),
    Quote,
    List(bool),
}

/// A short centred paragraph of symbols (or a lone "#"): a scene break.
fn is_break(plain: &str) -> bool {
    let t = plain.trim();
    !t.is_empty()
        && t.chars().count() <= 20
        && t.chars()
            .all(|c| !c.is_alphanumeric() || c == 'o' || c == 'O' || c == 'x')
        && !t.chars().all(|c| c == 'o' || c == 'O' || c == 'x')
        || super::scene_breaks::is_break_line(t)
}

/// Reads a `.docx`.
pub(super) fn read_docx(pkg: &mut Package) -> Result<Book, EpubError> {
    let doc = pkg
        .text("word/document.xml")?
        .ok_or_else(|| EpubError::MissingPart("word/document.xml".into()))?;
    let styles = match pkg.text("word/styles.xml")? {
        Some(s) => docx_styles(&s),
        None => HashMap::new(),
    };
    let paras = docx_paragraphs(&doc, &styles)?;
    let (title, author) = match pkg.text("docProps/core.xml")? {
        Some(core) => core_properties(&core),
        None => (None, None),
    };
    Ok(Book {
        html: page(&paras, title, author),
        layout: "Word",
        format: super::Format::Docx,
    })
}

/// Paragraph style ids → their role, by the style's id or display name.
fn docx_styles(xml: &str) -> HashMap<String, Role> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<String> = None;
    while let Ok(ev) = reader.read_event() {
        match &ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => {
                    current = attr(e, "styleId");
                    if let Some(id) = &current
                        && let Some(role) = style_role(id)
                    {
                        out.insert(id.clone(), role);
                    }
                }
                "name" => {
                    if let (Some(id), Some(name)) = (&current, attr(e, "val"))
                        && let Some(role) = style_role(&name)
                    {
                        out.insert(id.clone(), role);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if out.len() > 10_000 {
            break;
        }
    }
    out
}

fn docx_paragraphs(xml: &str, styles: &HashMap<String, Role>) -> Result<Vec<Para>, EpubError> {
    let mut reader = Reader::from_str(xml);
    let mut paras = Vec::new();
    // Inside deleted or moved-away text, format-change records, drawings, field codes.
    let mut skip = 0usize;
    let mut in_para = false;
    let mut in_run = false;
    let mut in_text = false;
    let mut in_rpr = false;
    let mut style = String::new();
    let mut centred = false;
    let mut numbered: Option<bool> = None;
    let mut marks = Marks::default();
    let mut html = String::new();
    let mut plain = String::new();
    let mut run_text = String::new();
    const SKIP: &[&str] = &[
        "del",
        "moveFrom",
        "rPrChange",
        "pPrChange",
        "drawing",
        "pict",
        "AlternateContent",
        "instrText",
        "delText",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
    ];
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| bad("word/document.xml", e))?;
        match &ev {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if skip > 0 || SKIP.contains(&name.as_str()) {
                    skip += 1;
                    continue;
                }
                match name.as_str() {
                    "p" => {
                        in_para = true;
                        style.clear();
                        centred = false;
                        numbered = None;
                        html.clear();
                        plain.clear();
                    }
                    "r" => {
                        in_run = true;
                        marks = Marks::default();
                        run_text.clear();
                    }
                    "rPr" => in_rpr = true,
                    "t" => in_text = true,
                    _ => {}
                }
            }
            Event::Empty(e) if skip == 0 => {
                let name = e.local_name().as_ref().to_string();
                match name.as_str() {
                    "pStyle" if in_para && !in_run => style = attr(e, "val").unwrap_or_default(),
                    "jc" if in_para && !in_run => {
                        centred = attr(e, "val").is_some_and(|v| v == "center")
                    }
                    "numPr" | "ilvl" | "numId" if in_para && !in_run => {
                        numbered.get_or_insert(false);
                    }
                    "i" if in_rpr => marks.italic = on(e),
                    "b" if in_rpr => marks.bold = on(e),
                    "u" if in_rpr => marks.underline = on(e),
                    "strike" | "dstrike" if in_rpr => marks.strike = on(e),
                    "vertAlign" if in_rpr => {
                        let v = attr(e, "val").unwrap_or_default();
                        marks.sup = v == "superscript";
                        marks.sub = v == "subscript";
                    }
                    "rStyle" if in_rpr => match attr(e, "val").unwrap_or_default().as_str() {
                        "Emphasis" | "emphasis" => marks.italic = true,
                        "Strong" | "strong" => marks.bold = true,
                        _ => {}
                    },
                    "br" if in_run && attr(e, "type").is_none_or(|t| t == "textWrapping") => {
                        run_text.push_str("<br/>");
                    }
                    "tab" if in_run && !in_rpr => run_text.push(' '),
                    "p" => {}
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "t" => in_text = false,
                    "rPr" => in_rpr = false,
                    "r" => {
                        in_run = false;
                        if !run_text.is_empty() {
                            marks.wrap(&run_text, &mut html);
                        }
                        run_text.clear();
                    }
                    "p" if in_para => {
                        in_para = false;
                        if let Some(p) = finish(
                            styles.get(&style).copied().or_else(|| style_role(&style)),
                            &html,
                            &plain,
                            centred,
                            numbered,
                        ) {
                            paras.push(p);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            other => {
                if skip == 0 && in_text && in_run {
                    let mut t = String::new();
                    push_text(&mut t, other);
                    plain.push_str(&t);
                    run_text.push_str(&escape_html(&t));
                }
            }
        }
    }
    Ok(paras)
}

fn finish(
    role: Option<Role>,
    html: &str,
    plain: &str,
    centred: bool,
    numbered: Option<bool>,
) -> Option<Para> {
    let text = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() && !html.contains("<br/>") {
        return None;
    }
    Some(match role {
        Some(Role::Title) => Para::Title(text),
        Some(Role::Heading(level)) => Para::Heading(level, text),
        other => Para::Text {
            html: html.to_string(),
            plain: text,
            quote: other == Some(Role::Quote),
            list: match other {
                Some(Role::List(n)) => Some(n),
                _ => numbered,
            },
            centred,
        },
    })
}

/// `docProps/core.xml` (or ODF's `meta.xml`): title and creator.
fn core_properties(xml: &str) -> (Option<String>, Option<String>) {
    let mut reader = Reader::from_str(xml);
    let mut title = None;
    let mut creator = None;
    let mut current: Option<String> = None;
    let mut text = String::new();
    while let Ok(ev) = reader.read_event() {
        match &ev {
            Event::Start(e) => {
                let n = e.local_name().as_ref().to_string();
                if matches!(n.as_str(), "title" | "creator" | "initial-creator") {
                    current = Some(n);
                    text.clear();
                }
            }
            Event::End(_) => {
                if let Some(n) = current.take() {
                    let v = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !v.is_empty() {
                        match n.as_str() {
                            "title" => title = title.or(Some(v)),
                            _ => creator = creator.or(Some(v)),
                        }
                    }
                }
            }
            Event::Eof => break,
            other => {
                if current.is_some() && text.len() < 4096 {
                    push_text(&mut text, other);
                }
            }
        }
    }
    (title, creator)
}

/// The paragraphs as one page: header lines, then `#chapters` with a chapter block at each
/// heading of the highest level used (deeper headings become bold lines).
fn page(paras: &[Para], title: Option<String>, author: Option<String>) -> String {
    let chapter_level = paras
        .iter()
        .filter_map(|p| match p {
            Para::Heading(l, _) => Some(*l),
            _ => None,
        })
        .min();
    let styled_title = paras.iter().find_map(|p| match p {
        Para::Title(t) => Some(t.clone()),
        _ => None,
    });
    // A lone first-level heading before any text, with no Title paragraph, is the title.
    let ones = paras
        .iter()
        .filter(|p| matches!(p, Para::Heading(1, _)))
        .count();
    let heading_title = match paras.first() {
        Some(Para::Heading(1, t))
            if styled_title.is_none()
                && ones == 1
                && paras.len() > 1
                && super::chapters::heading(t).is_none()
                && paras[1..]
                    .iter()
                    .any(|p| matches!(p, Para::Heading(l, _) if *l > 1)) =>
        {
            Some(t.clone())
        }
        _ => None,
    };
    let chapter_level = if heading_title.is_some() {
        paras[1..]
            .iter()
            .filter_map(|p| match p {
                Para::Heading(l, _) => Some(*l),
                _ => None,
            })
            .min()
    } else {
        chapter_level
    };
    let mut html = String::from("<!DOCTYPE html><html><body><div id=\"tome-epub-header\">");
    let work_title = styled_title
        .clone()
        .or(heading_title.clone())
        .or(title.filter(|t| !t.is_empty()));
    if let Some(t) = &work_title {
        html.push_str(&format!("<p>Title: {}</p>", escape_html(t)));
    }
    if let Some(a) = &author {
        html.push_str(&format!("<p>Author: {}</p>", escape_html(a)));
    }
    html.push_str("</div><div id=\"chapters\">");
    let mut open_list: Option<bool> = None;
    let close_list = |html: &mut String, open: &mut Option<bool>| {
        if let Some(n) = open.take() {
            html.push_str(if n { "</ol>" } else { "</ul>" });
        }
    };
    for (i, p) in paras.iter().enumerate() {
        match p {
            Para::Title(_) => {}
            Para::Heading(_, t) if i == 0 && heading_title.as_ref() == Some(t) => {}
            Para::Heading(level, t) => {
                close_list(&mut html, &mut open_list);
                if Some(*level) == chapter_level {
                    html.push_str(&format!(
                        "<div class=\"meta tome-epub-chapter\"><h2>{}</h2></div>",
                        escape_html(t)
                    ));
                } else {
                    html.push_str(&format!("<p><strong>{}</strong></p>", escape_html(t)));
                }
            }
            Para::Text {
                html: h,
                plain,
                quote,
                list,
                centred,
            } => {
                if *centred && is_break(plain) {
                    close_list(&mut html, &mut open_list);
                    html.push_str("<hr/>");
                    continue;
                }
                match list {
                    Some(n) => {
                        if open_list != Some(*n) {
                            close_list(&mut html, &mut open_list);
                            html.push_str(if *n { "<ol>" } else { "<ul>" });
                            open_list = Some(*n);
                        }
                        html.push_str(&format!("<li>{h}</li>"));
                    }
                    None => {
                        close_list(&mut html, &mut open_list);
                        if *quote {
                            html.push_str(&format!("<blockquote><p>{h}</p></blockquote>"));
                        } else {
                            html.push_str(&format!("<p>{h}</p>"));
                        }
                    }
                }
            }
        }
    }
    close_list(&mut html, &mut open_list);
    html.push_str("</div></body></html>");
    html
}

/// Reads an `.odt`.
pub(super) fn read_odt(pkg: &mut Package) -> Result<Book, EpubError> {
    let content = pkg
        .text("content.xml")?
        .ok_or_else(|| EpubError::MissingPart("content.xml".into()))?;
    let mut styles = match pkg.text("styles.xml")? {
        Some(s) => odt_styles(&s),
        None => HashMap::new(),
    };
    styles.extend(odt_styles(&content));
    let paras = odt_paragraphs(&content, &styles)?;
    let (title, author) = match pkg.text("meta.xml")? {
        Some(meta) => core_properties(&meta),
        None => (None, None),
    };
    Ok(Book {
        html: page(&paras, title, author),
        layout: "OpenDocument",
        format: super::Format::Odt,
    })
}

/// An ODF style: its paragraph role (from its own name or its parent's), alignment and
/// text formatting.
#[derive(Debug, Clone, Default)]
struct OdtStyle {
    role: Option<Role>,
    centred: bool,
    marks: Marks,
}

fn odt_styles(xml: &str) -> HashMap<String, OdtStyle> {
    let mut out: HashMap<String, OdtStyle> = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, OdtStyle)> = None;
    while let Ok(ev) = reader.read_event() {
        match &ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => {
                    if let Some((n, s)) = current.take() {
                        out.insert(n, s);
                    }
                    let name = attr(e, "name").unwrap_or_default();
                    let display = attr(e, "display-name").unwrap_or_default();
                    let parent = attr(e, "parent-style-name").unwrap_or_default();
                    let mut s = out.get(&parent).cloned().unwrap_or_default();
                    s.role = style_role(&name)
                        .or_else(|| style_role(&display))
                        .or(s.role)
                        .or_else(|| style_role(&parent));
                    if matches!(ev, Event::Empty(_)) {
                        out.insert(name, s);
                    } else {
                        current = Some((name, s));
                    }
                }
                "paragraph-properties" => {
                    if let Some((_, s)) = &mut current {
                        s.centred = attr(e, "text-align").is_some_and(|a| a == "center");
                    }
                }
                "text-properties" => {
                    if let Some((_, s)) = &mut current {
                        let m = &mut s.marks;
                        if let Some(v) = attr(e, "font-style") {
                            m.italic = v == "italic" || v == "oblique";
                        }
                        if let Some(v) = attr(e, "font-weight") {
                            m.bold = v == "bold" || v.parse::<u32>().is_ok_and(|w| w >= 600);
                        }
                        if let Some(v) = attr(e, "text-underline-style") {
                            m.underline = v != "none";
                        }
                        if let Some(v) = attr(e, "text-line-through-style") {
                            m.strike = v != "none";
                        }
                        if let Some(v) = attr(e, "text-position") {
                            m.sup = v.starts_with("super") || v.starts_with("33%");
                            m.sub = v.starts_with("sub") || v.starts_with("-33%");
                        }
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "style" => {
                if let Some((n, s)) = current.take() {
                    out.insert(n, s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if out.len() > 10_000 {
            break;
        }
    }
    out
}

fn odt_paragraphs(xml: &str, styles: &HashMap<String, OdtStyle>) -> Result<Vec<Para>, EpubError> {
    let mut reader = Reader::from_str(xml);
    let mut paras = Vec::new();
    let mut skip = 0usize;
    let mut in_body = false;
    let mut para: Option<(Option<Role>, bool)> = None;
    let mut spans: Vec<Marks> = Vec::new();
    let mut list_depth = 0usize;
    let mut list_numbered: Vec<bool> = Vec::new();
    let mut quote_style = false;
    let mut html = String::new();
    let mut plain = String::new();
    // Comments, tracked changes, notes, frames: not the story.
    const SKIP: &[&str] = &[
        "annotation",
        "tracked-changes",
        "note",
        "frame",
        "sequence-decls",
        "table-of-content",
    ];
    loop {
        let ev = reader.read_event().map_err(|e| bad("content.xml", e))?;
        match &ev {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if skip > 0 || SKIP.contains(&name.as_str()) {
                    skip += 1;
                    continue;
                }
                match name.as_str() {
                    "text" => in_body = true,
                    "p" | "h" if in_body => {
                        let st = styles.get(&attr(e, "style-name").unwrap_or_default());
                        let mut role = st.and_then(|s| s.role);
                        if name == "h" {
                            let level = attr(e, "outline-level")
                                .and_then(|l| l.parse().ok())
                                .unwrap_or(1usize)
                                .clamp(1, 6);
                            if role != Some(Role::Title) {
                                role = Some(Role::Heading(level));
                            }
                        }
                        quote_style = role == Some(Role::Quote);
                        para = Some((role, st.is_some_and(|s| s.centred)));
                        spans.clear();
                        spans.push(st.map(|s| s.marks).unwrap_or_default());
                        html.clear();
                        plain.clear();
                    }
                    "span" | "a" if para.is_some() => {
                        let base = spans.last().copied().unwrap_or_default();
                        let own = styles
                            .get(&attr(e, "style-name").unwrap_or_default())
                            .map(|s| s.marks)
                            .unwrap_or_default();
                        if spans.len() < 64 {
                            spans.push(Marks {
                                italic: base.italic || own.italic,
                                bold: base.bold || own.bold,
                                underline: base.underline || own.underline,
                                strike: base.strike || own.strike,
                                sup: base.sup || own.sup,
                                sub: base.sub || own.sub,
                            });
                        }
                    }
                    "list" if in_body => {
                        list_depth += 1;
                        let numbered = attr(e, "style-name")
                            .is_some_and(|s| s.to_lowercase().contains("numbering"));
                        list_numbered.push(numbered);
                    }
                    _ => {}
                }
            }
            Event::Empty(e) if skip == 0 && para.is_some() => {
                let marks = spans.last().copied().unwrap_or_default();
                match e.local_name().as_ref() {
                    "line-break" => html.push_str("<br/>"),
                    "tab" => {
                        plain.push(' ');
                        marks.wrap(" ", &mut html);
                    }
                    "s" => {
                        let n = attr(e, "c")
                            .and_then(|c| c.parse().ok())
                            .unwrap_or(1usize)
                            .min(8);
                        plain.push_str(&" ".repeat(n));
                        html.push(' ');
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "span" | "a" if spans.len() > 1 => {
                        spans.pop();
                    }
                    "p" | "h" => {
                        if let Some((role, centred)) = para.take() {
                            let list = (list_depth > 0)
                                .then(|| list_numbered.last().copied().unwrap_or(false));
                            let role = if quote_style { Some(Role::Quote) } else { role };
                            if let Some(p) = finish(role, &html, &plain, centred, list) {
                                paras.push(p);
                            }
                        }
                    }
                    "list" => {
                        list_depth = list_depth.saturating_sub(1);
                        list_numbered.pop();
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            other => {
                if skip == 0 && para.is_some() {
                    let mut t = String::new();
                    push_text(&mut t, other);
                    if !t.is_empty() {
                        plain.push_str(&t);
                        spans
                            .last()
                            .copied()
                            .unwrap_or_default()
                            .wrap(&escape_html(&t), &mut html);
                    }
                }
            }
        }
    }
    Ok(paras)
}
