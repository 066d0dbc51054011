//! EPUB in: AO3's and FanFicFare's e-books, read by their structure. `META-INF/container.xml`
//! names the package (OPF); its `dc:*` metadata gives title, creators, language, summary,
//! subjects and calibre's series; its spine gives the reading order. Each spine document is
//! a title page (FanFicFare's `title_page.xhtml`, AO3's `#preface`), an afterword, a table of
//! contents or cover (skipped), or a chapter, titled from the table of contents (NCX or EPUB 3
//! nav) or its own `<title>`.
//!
//! The documents are laid into one page the HTML reader reads by structure (the header from
//! the package, AO3's preface with its tag list, `#chapters` with one chapter per document),
//! so an EPUB's text goes through the same walk and the same sanitizer as every HTML file.
//!
//! Bounded: at most [`MAX_ENTRIES`] entries, [`MAX_ENTRY_BYTES`] per entry and
//! [`MAX_TOTAL_BYTES`] in all, counted as the bytes come out of the decompressor (a zip
//! bomb's declared sizes are not believed). XML is read by a pull parser (`quick-xml`), which
//! keeps no tree. DRM (`rights.xml`, an `encryption.xml` that encrypts more than fonts) and
//! password-protected entries are refused.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::sanitize::escape_html;

/// The most entries an EPUB may hold.
pub const MAX_ENTRIES: usize = 5_000;
/// The largest entry read, uncompressed.
pub const MAX_ENTRY_BYTES: u64 = 20 * 1024 * 1024;
/// The most bytes read out of one EPUB, uncompressed.
pub const MAX_TOTAL_BYTES: u64 = 100 * 1024 * 1024;

/// Why an EPUB (or another zip) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpubError {
    #[error("the zip archive is damaged: {0}")]
    Damaged(String),
    #[error(
        "this e-book is protected by DRM ({0}); only DRM-free EPUBs can be imported (AO3's and FanFicFare's are)"
    )]
    Drm(&'static str),
    #[error(
        "this zip archive is password-protected; unzip it with its password and import the files inside"
    )]
    Password,
    #[error("this is {0}, not an EPUB")]
    NotEpub(&'static str),
    #[error("the EPUB holds {0} files; the limit is {MAX_ENTRIES}")]
    TooManyEntries(usize),
    #[error("the EPUB's file {0} is over {mb} MB uncompressed", mb = MAX_ENTRY_BYTES / 1024 / 1024)]
    EntryTooLarge(String),
    #[error("the EPUB is over {} MB uncompressed", MAX_TOTAL_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("the EPUB has no {0}")]
    Missing(String),
    #[error("the EPUB's {name} could not be read: {message}")]
    BadXml { name: String, message: String },
    #[error("the EPUB's reading order (spine) lists no chapters")]
    NoChapters,
    #[error("the document's {name} could not be read: {message}")]
    BadDocument { name: String, message: String },
    #[error("the document has no {0}")]
    MissingPart(String),
}

/// An EPUB read into one HTML page for [`super::html_input::read_structured`].
#[derive(Debug, Clone)]
pub struct Book {
    pub html: String,
    /// Which layout was recognised ("AO3", "FanFicFare", "EPUB", "Word", "OpenDocument"),
    /// for the report.
    pub layout: &'static str,
    pub format: super::Format,
}

/// What a zip archive holds, judged by its entries.
enum ZipKind {
    Epub,
    Docx,
    Odt,
    Other(&'static str),
}

fn kind_of_zip(pkg: &mut Package) -> Result<ZipKind, EpubError> {
    let names = &pkg.names;
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("META-INF/container.xml") || has("mimetype") && names.iter().any(|n| n.ends_with(".opf"))
    {
        return Ok(ZipKind::Epub);
    }
    if has("word/document.xml") {
        return Ok(ZipKind::Docx);
    }
    if has("content.xml") && has("mimetype") {
        let mime = pkg.text("mimetype")?.unwrap_or_default();
        return Ok(match mime.trim() {
            "application/vnd.oasis.opendocument.text" => ZipKind::Odt,
            m if m.contains("spreadsheet") => ZipKind::Other("a spreadsheet"),
            m if m.contains("presentation") => ZipKind::Other("a presentation"),
            _ => ZipKind::Other("an OpenDocument file that is not a text document"),
        });
    }
    Ok(ZipKind::Other("a zip archive"))
}

/// The zip's entries, read within the bounds.
pub(super) struct Package {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    names: Vec<String>,
    read: u64,
}

impl Package {
    fn open(bytes: &[u8]) -> Result<Package, EpubError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec()))
            .map_err(|e| EpubError::Damaged(e.to_string()))?;
        if zip.len() > MAX_ENTRIES {
            return Err(EpubError::TooManyEntries(zip.len()));
        }
        let names = zip.file_names().map(str::to_string).collect();
        Ok(Package {
            zip,
            names,
            read: 0,
        })
    }

    fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// One entry's bytes; `None` when there is no such entry.
    fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, EpubError> {
        if !self.has(name) {
            return Ok(None);
        }
        let entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
                return Err(EpubError::Password);
            }
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(EpubError::Damaged(e.to_string())),
        };
        if entry.encrypted() {
            return Err(EpubError::Password);
        }
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(EpubError::EntryTooLarge(name.to_string()));
        }
        let mut out = Vec::with_capacity(entry.size().min(1 << 20) as usize);
        entry
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| EpubError::Damaged(format!("{name}: {e}")))?;
        if out.len() as u64 > MAX_ENTRY_BYTES {
            return Err(EpubError::EntryTooLarge(name.to_string()));
        }
        self.read += out.len() as u64;
        if self.read > MAX_TOTAL_BYTES {
            return Err(EpubError::TooLarge);
        }
        Ok(Some(out))
    }

    /// One entry as text (EPUB documents are UTF-8 or UTF-16; legacy bytes are decoded too).
    pub(super) fn text(&mut self, name: &str) -> Result<Option<String>, EpubError> {
        Ok(self.bytes(name)?.map(|b| match crate::decode::decode(&b) {
            Ok(d) => d.text,
            Err(_) => String::from_utf8_lossy(&b).into_owned(),
        }))
    }
}

/// Whether the bytes are a zip archive (an EPUB, a `.docx`, an `.odt` or any other).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Reads a zip package: an EPUB, a `.docx` or an `.odt` (see [`super::office`]) into one page.
pub fn read(bytes: &[u8]) -> Result<Book, EpubError> {
    let mut pkg = Package::open(bytes)?;
    match kind_of_zip(&mut pkg)? {
        ZipKind::Epub => read_epub(&mut pkg),
        ZipKind::Docx => super::office::read_docx(&mut pkg),
        ZipKind::Odt => super::office::read_odt(&mut pkg),
        ZipKind::Other(kind) => Err(EpubError::NotEpub(kind)),
    }
}

fn read_epub(pkg: &mut Package) -> Result<Book, EpubError> {
    if pkg.has("META-INF/rights.xml") {
        return Err(EpubError::Drm("META-INF/rights.xml"));
    }
    if pkg.has("META-INF/sinf.xml") {
        return Err(EpubError::Drm("META-INF/sinf.xml"));
    }
    if let Some(enc) = pkg.text("META-INF/encryption.xml")? {
        encryption_check(&enc)?;
    }
    let container = pkg
        .text("META-INF/container.xml")?
        .ok_or_else(|| EpubError::Missing("META-INF/container.xml".into()))?;
    let opf_path = rootfile(&container)?;
    let opf = pkg
        .text(&opf_path)?
        .ok_or_else(|| EpubError::Missing(format!("package file {opf_path}")))?;
    let opf = read_opf(&opf, &opf_path)?;
    let labels = match &opf.toc {
        Some(toc) => match pkg.text(toc)? {
            Some(t) => toc_labels(&t, toc),
            None => HashMap::new(),
        },
        None => HashMap::new(),
    };
    let mut header = String::new();
    let mut prefaces = String::new();
    let mut chapters = String::new();
    let mut afterwords = String::new();
    let mut layout = "EPUB";
    let mut chapter_count = 0;
    let mut title_pages = 0;
    for (i, item) in opf.spine.iter().enumerate() {
        if opf.toc.as_deref() == Some(item.path.as_str()) || item.nav {
            continue;
        }
        let Some(doc) = pkg.text(&item.path)? else {
            continue;
        };
        let body = body_of(&doc);
        let lower_name = item.path.to_ascii_lowercase();
        let file = lower_name.rsplit('/').next().unwrap_or("");
        if body.contains("id=\"preface\"") {
            layout = "AO3";
            prefaces.push_str(body);
        } else if body.contains("id=\"afterword\"") || file.starts_with("afterword") {
            afterwords.push_str(body);
        } else if file.contains("title_page") || file.contains("titlepage") {
            if file.contains("title_page") {
                layout = "FanFicFare";
            }
            title_pages += 1;
            header.push_str(&format!("<div>{body}</div>"));
        } else if file.contains("log_page")
            || file.starts_with("cover")
            || file.starts_with("toc")
            || file.starts_with("nav")
            || (i == 0 && is_cover(body))
        {
            continue;
        } else {
            chapter_count += 1;
            let label = labels
                .get(&item.path)
                .cloned()
                .or_else(|| first_heading(body))
                .or_else(|| doc_title(&doc).filter(|t| Some(t) != opf.title.as_ref()));
            if !body.contains("class=\"meta") {
                let heading = label.unwrap_or_else(|| format!("Chapter {chapter_count}"));
                chapters.push_str(&format!(
                    "<div class=\"meta tome-epub-chapter\"><h2>{}</h2></div>",
                    escape_html(&heading)
                ));
            }
            chapters.push_str(&format!("<div class=\"tome-epub-file\">{body}</div>"));
        }
    }
    if chapter_count == 0 {
        return Err(EpubError::NoChapters);
    }
    // The package's metadata first: it is the book's own record. Its summary and subjects
    // only when no title page states them (AO3's preface keeps the summary's formatting).
    let mut opf_lines = Vec::new();
    if let Some(t) = &opf.title {
        opf_lines.push(format!("Title: {t}"));
    }
    if !opf.creators.is_empty() {
        opf_lines.push(format!("Author: {}", opf.creators.join(", ")));
    }
    if let Some(l) = &opf.language {
        opf_lines.push(format!("Language: {l}"));
    }
    if let Some((name, part)) = &opf.series {
        match part {
            Some(p) => opf_lines.push(format!("Series: Part {p} of {name}")),
            None => opf_lines.push(format!("Series: {name}")),
        }
    }
    if prefaces.is_empty() && title_pages == 0 {
        if let Some(d) = &opf.description {
            opf_lines.push(format!("Summary: {d}"));
        }
        let subjects: Vec<&str> = opf
            .subjects
            .iter()
            .map(String::as_str)
            .filter(|s| super::story::status_word(s).is_none())
            .collect();
        if !subjects.is_empty() {
            opf_lines.push(format!("Tags: {}", subjects.join(", ")));
        }
    }
    let mut html = String::from("<!DOCTYPE html><html><body><div id=\"tome-epub-header\">");
    for l in opf_lines {
        html.push_str(&format!("<p>{}</p>", escape_html(&l)));
    }
    html.push_str(&header);
    html.push_str("</div>");
    html.push_str(&prefaces);
    html.push_str("<div id=\"chapters\">");
    html.push_str(&chapters);
    html.push_str("</div>");
    html.push_str(&afterwords);
    html.push_str("</body></html>");
    Ok(Book {
        html,
        layout,
        format: super::Format::Epub,
    })
}

/// `encryption.xml` may obfuscate fonts (IDPF's and Adobe's algorithms); anything else it
/// encrypts is DRM.
fn encryption_check(xml: &str) -> Result<(), EpubError> {
    let mut reader = Reader::from_str(xml);
    let mut algorithm_is_font = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "EncryptionMethod" => {
                    let alg = attr(&e, "Algorithm").unwrap_or_default();
                    algorithm_is_font = alg == "http://www.idpf.org/2008/embedding"
                        || alg == "http://ns.adobe.com/pdf/enc#RC";
                }
                "CipherReference" => {
                    let uri = attr(&e, "URI").unwrap_or_default().to_ascii_lowercase();
                    let font = [".ttf", ".otf", ".woff", ".woff2"]
                        .iter()
                        .any(|x| uri.ends_with(x));
                    if !(algorithm_is_font || font) {
                        return Err(EpubError::Drm("META-INF/encryption.xml"));
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            // An unreadable encryption.xml cannot be trusted to encrypt only fonts.
            Err(_) => return Err(EpubError::Drm("META-INF/encryption.xml")),
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

fn bad_xml(name: &str, e: impl std::fmt::Display) -> EpubError {
    EpubError::BadXml {
        name: name.to_string(),
        message: e.to_string(),
    }
}

/// container.xml's first rootfile.
fn rootfile(container: &str) -> Result<String, EpubError> {
    let mut reader = Reader::from_str(container);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "rootfile" => {
                if let Some(p) = attr(&e, "full-path").filter(|p| !p.is_empty()) {
                    return Ok(p);
                }
            }
            Ok(Event::Eof) => return Err(EpubError::Missing("rootfile in container.xml".into())),
            Ok(_) => {}
            Err(e) => return Err(bad_xml("META-INF/container.xml", e)),
        }
    }
}

struct SpineItem {
    path: String,
    nav: bool,
}

#[derive(Default)]
struct Opf {
    title: Option<String>,
    creators: Vec<String>,
    language: Option<String>,
    description: Option<String>,
    subjects: Vec<String>,
    series: Option<(String, Option<String>)>,
    spine: Vec<SpineItem>,
    /// The NCX or nav document's path.
    toc: Option<String>,
}

/// Text of an element, entities resolved, accumulated across text and reference events.
pub(super) fn push_text(out: &mut String, ev: &Event<'_>) {
    match ev {
        Event::Text(t) => out.push_str(&t.xml10_content()),
        Event::CData(t) => out.push_str(t),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                out.push(c);
            } else {
                match r.xml10_content().as_ref() {
                    "amp" => out.push('&'),
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "quot" => out.push('"'),
                    "apos" => out.push('\''),
                    "nbsp" => out.push('\u{a0}'),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_opf(xml: &str, opf_path: &str) -> Result<Opf, EpubError> {
    let base = opf_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut reader = Reader::from_str(xml);
    let mut opf = Opf::default();
    let mut manifest: HashMap<String, (String, String, bool)> = HashMap::new();
    let mut spine_ids: Vec<String> = Vec::new();
    let mut toc_id: Option<String> = None;
    let mut nav_path: Option<String> = None;
    let mut current: Option<(String, Option<String>)> = None;
    let mut text = String::new();
    let mut series_index: Option<String> = None;
    loop {
        let ev = reader.read_event().map_err(|e| bad_xml(opf_path, e))?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let local = e.local_name().as_ref().to_string();
                match local.as_str() {
                    "title" | "creator" | "language" | "description" | "subject"
                        if matches!(ev, Event::Start(_)) =>
                    {
                        current = Some((local.clone(), attr(e, "role")));
                        text.clear();
                    }
                    "meta" => {
                        let name = attr(e, "name").unwrap_or_default();
                        let content = attr(e, "content").unwrap_or_default();
                        match name.as_str() {
                            "calibre:series" if !content.is_empty() => {
                                opf.series = Some((clean(&content), None));
                            }
                            "calibre:series_index" => series_index = Some(content),
                            _ => {}
                        }
                    }
                    "item" => {
                        let id = attr(e, "id").unwrap_or_default();
                        let href = attr(e, "href").unwrap_or_default();
                        let media = attr(e, "media-type").unwrap_or_default();
                        let nav = attr(e, "properties")
                            .is_some_and(|p| p.split_whitespace().any(|w| w == "nav"));
                        let path = resolve(base, &href);
                        if nav {
                            nav_path = Some(path.clone());
                        }
                        if manifest.len() < MAX_ENTRIES {
                            manifest.insert(id, (path, media, nav));
                        }
                    }
                    "spine" => toc_id = attr(e, "toc"),
                    "itemref" => {
                        let linear = attr(e, "linear").unwrap_or_default();
                        if linear != "no"
                            && spine_ids.len() < MAX_ENTRIES
                            && let Some(id) = attr(e, "idref")
                        {
                            spine_ids.push(id);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if let Some((name, role)) = &current
                    && e.local_name().as_ref() == name.as_str()
                {
                    let value = clean(&text);
                    if !value.is_empty() {
                        match name.as_str() {
                            "title" => {
                                opf.title.get_or_insert(value);
                            }
                            "creator" if role.as_deref().is_none_or(|r| r == "aut") => {
                                opf.creators.push(value);
                            }
                            "language" => {
                                opf.language.get_or_insert(value);
                            }
                            "description" => {
                                opf.description.get_or_insert(description(&text));
                            }
                            "subject" => opf.subjects.push(value),
                            _ => {}
                        }
                    }
                    current = None;
                }
            }
            Event::Eof => break,
            other => {
                if current.is_some() && text.len() < 1 << 20 {
                    push_text(&mut text, other);
                }
            }
        }
    }
    if let (Some((_, part)), Some(i)) = (&mut opf.series, series_index) {
        let i = i.trim().trim_end_matches(".0").to_string();
        if !i.is_empty() && i != "0" {
            *part = Some(i);
        }
    }
    opf.toc = toc_id
        .and_then(|id| manifest.get(&id).map(|m| m.0.clone()))
        .or(nav_path);
    for id in spine_ids {
        if let Some((path, media, nav)) = manifest.get(&id)
            && (media.contains("html") || media.is_empty())
        {
            opf.spine.push(SpineItem {
                path: path.clone(),
                nav: *nav,
            });
        }
    }
    Ok(opf)
}

/// A `dc:description`, which AO3 and FanFicFare write as escaped HTML: its text, one line.
fn description(raw: &str) -> String {
    if raw.contains('<') {
        clean(&super::html_input::to_text(&format!(
            "<html><body><div>{raw}</div></body></html>"
        )))
    } else {
        clean(raw)
    }
}

/// A manifest `href` as a zip entry name: relative to the OPF's folder, `../` resolved,
/// percent-escapes decoded, the fragment dropped.
fn resolve(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or("");
    let href = percent_decode(href);
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|p| !p.is_empty()).collect()
    };
    for p in href.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Chapter titles by document path, from an NCX (`navPoint` → `navLabel` text, `content@src`)
/// or an EPUB 3 nav document (`a@href` text); the first title of each document.
fn toc_labels(xml: &str, toc_path: &str) -> HashMap<String, String> {
    let base = toc_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut labels = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut text = String::new();
    let mut in_label = false;
    let mut pending: Option<String> = None;
    let mut href: Option<String> = None;
    while let Ok(ev) = reader.read_event() {
        match &ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "navLabel" => {
                    in_label = true;
                    text.clear();
                }
                "content" => {
                    if let (Some(src), Some(label)) = (attr(e, "src"), pending.take()) {
                        labels.entry(resolve(base, &src)).or_insert(label);
                    }
                }
                "a" => {
                    href = attr(e, "href");
                    in_label = true;
                    text.clear();
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "navLabel" => {
                    in_label = false;
                    pending = Some(clean(&text)).filter(|t| !t.is_empty());
                }
                "a" => {
                    in_label = false;
                    let label = clean(&text);
                    if let Some(h) = href.take()
                        && !label.is_empty()
                    {
                        labels.entry(resolve(base, &h)).or_insert(label);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            other => {
                if in_label && text.len() < 4096 {
                    push_text(&mut text, other);
                }
            }
        }
        if labels.len() >= MAX_ENTRIES {
            break;
        }
    }
    labels
}

/// The inside of a document's `<body>` (the whole document if it has none).
fn body_of(doc: &str) -> &str {
    let lower = doc.to_ascii_lowercase();
    let Some(open) = lower.find("<body") else {
        return doc;
    };
    let Some(gt) = lower[open..].find('>') else {
        return doc;
    };
    let start = open + gt + 1;
    let end = lower
        .rfind("</body")
        .filter(|&e| e >= start)
        .unwrap_or(doc.len());
    doc.get(start..end).unwrap_or(doc)
}

/// A document's `<title>`, entities resolved.
fn doc_title(doc: &str) -> Option<String> {
    let lower = doc.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let mut reader = Reader::from_str(doc.get(start..end)?);
    let mut text = String::new();
    while let Ok(ev) = reader.read_event() {
        if matches!(ev, Event::Eof) {
            break;
        }
        push_text(&mut text, &ev);
    }
    Some(clean(&text)).filter(|t| !t.is_empty())
}

/// The text of a document's first `h1`–`h3`, when it opens the document (nothing but
/// markup before it): a chapter file's own title.
fn first_heading(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let open = ["<h1", "<h2", "<h3"]
        .iter()
        .filter_map(|h| lower.find(h))
        .min()?;
    let before = &body[..open];
    if super::html_input::to_text(before)
        .split_whitespace()
        .next()
        .is_some()
    {
        return None;
    }
    let level = &lower[open + 1..open + 3];
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find(&format!("</{level}"))?;
    let inner = body.get(start..end)?;
    let text = clean(&super::html_input::to_text(&format!("<p>{inner}</p>")));
    (!text.is_empty() && text.chars().count() <= 200).then_some(text)
}

/// A cover page: an image and hardly any text.
fn is_cover(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    (lower.contains("<img") || lower.contains("<svg"))
        && super::html_input::to_text(body).split_whitespace().count() < 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve() {
        assert_eq!(
            resolve("OEBPS", "Text/ch%201.xhtml#x"),
            "OEBPS/Text/ch 1.xhtml"
        );
        assert_eq!(
            resolve("OEBPS/Text", "../Styles/a.css"),
            "OEBPS/Styles/a.css"
        );
        assert_eq!(resolve("", "a.xhtml"), "a.xhtml");
        assert_eq!(resolve("a", "../../../b"), "b");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn bodies_and_titles() {
        let doc = "<?xml version=\"1.0\"?><html><head><title>Fish &amp; Chips</title></head><body class=\"x\"><p>Hi</p></body></html>";
        assert_eq!(body_of(doc), "<p>Hi</p>");
        assert_eq!(doc_title(doc).as_deref(), Some("Fish & Chips"));
        assert_eq!(body_of("<p>no body</p>"), "<p>no body</p>");
    }

    #[test]
    fn fonts_may_be_obfuscated_but_nothing_else() {
        let font = r#"<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/><enc:CipherData><enc:CipherReference URI="OEBPS/fonts/a.ttf"/></enc:CipherData></enc:EncryptedData></encryption>"#;
        assert_eq!(encryption_check(font), Ok(()));
        let drm = font
            .replace(
                "http://www.idpf.org/2008/embedding",
                "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            )
            .replace("fonts/a.ttf", "Text/ch1.xhtml");
        assert_eq!(
            encryption_check(&drm),
            Err(EpubError::Drm("META-INF/encryption.xml"))
        );
    }
}
