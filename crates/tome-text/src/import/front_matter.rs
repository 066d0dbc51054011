//! Front matter: the YAML (`---`) or TOML (`+++`) block at the top of a Markdown file, as
//! Obsidian, static-site generators and writing apps write it. It is read by its structure
//! (a real YAML or TOML parser), never guessed at, and never stays in the story text.
//!
//! Bounded: the block is at most [`MAX_FRONT_MATTER_BYTES`]; YAML is read event by event
//! into a small value tree at most [`MAX_DEPTH`] deep and [`MAX_NODES`] nodes large, and an
//! alias may only repeat a scalar, with all repeated text counted against the same size
//! limit (so an alias bomb costs at most that much). TOML is checked for bracket depth
//! before it is parsed.

use tome_model::Rating;
use yaml_rust2::parser::{Event, Parser};

use super::story::Story;

/// The largest front matter block read.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;
/// How deep lists and maps may nest.
pub const MAX_DEPTH: usize = 16;
/// How many values (scalars, lists, maps) a block may hold.
pub const MAX_NODES: usize = 10_000;

/// Why a front matter block could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("the front matter is over {} KB", MAX_FRONT_MATTER_BYTES / 1024)]
    TooLarge,
    #[error("the front matter nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("the front matter holds more than {MAX_NODES} values")]
    TooMany,
    #[error(
        "the front matter's alias *{0} repeats a list or map; only plain values may be repeated"
    )]
    Alias(String),
    #[error("the YAML front matter could not be read (line {line}): {message}")]
    Yaml { line: usize, message: String },
    #[error("the TOML front matter could not be read: {0}")]
    Toml(String),
    #[error("the front matter starting on line 1 is never closed")]
    Unclosed,
}

/// A front matter value, reduced to what metadata needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Bool(bool),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    Null,
}

impl Value {
    /// The value as one line of text (numbers and dates as written; lists joined).
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
            Value::Bool(b) => Some(b.to_string()),
            Value::List(items) => {
                let parts: Vec<String> = items.iter().filter_map(Value::text).collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            }
            Value::Map(_) | Value::Null => None,
        }
    }

    /// The value as a list of names: a list's items, or a comma-separated line.
    pub fn names(&self) -> Vec<String> {
        match self {
            Value::List(items) => items.iter().filter_map(Value::text).collect(),
            Value::Text(t) => t
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect(),
            _ => Vec::new(),
        }
    }

    fn get(&self, keys: &[&str]) -> Option<&Value> {
        let Value::Map(entries) = self else {
            return None;
        };
        entries
            .iter()
            .find(|(k, _)| keys.contains(&normal_key(k).as_str()))
            .map(|(_, v)| v)
    }
}

/// What a front matter block states about the work, each as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stated {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub rating: Option<String>,
    pub fandoms: Vec<String>,
    pub relationships: Vec<String>,
    pub characters: Vec<String>,
    pub freeform: Vec<String>,
    pub warnings: Vec<String>,
    pub categories: Vec<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub language: Option<String>,
    /// The series' name and the work's place in it.
    pub series: Option<(String, Option<u32>)>,
    pub complete: Option<bool>,
    /// Every top-level field as label and text, for the report.
    pub fields: Vec<(String, String)>,
}

/// A front matter block found at the top of `text`: what it states and the text after it.
/// `Ok(None)` when the text opens with no block, or with one that states nothing about a
/// work (a `---` rule that happens to open a story).
pub fn split(text: &str) -> Result<Option<(Stated, &str)>, FrontMatterError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let (fence, toml) = if text.starts_with("---") {
        ("---", false)
    } else if text.starts_with("+++") {
        ("+++", true)
    } else {
        return Ok(None);
    };
    let Some(first_end) = text.find('\n') else {
        return Ok(None);
    };
    if text[..first_end].trim_end() != fence {
        return Ok(None);
    }
    let mut offset = first_end + 1;
    let mut close = None;
    for line in text[offset..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == fence || (!toml && t == "...") {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
        if offset - first_end > MAX_FRONT_MATTER_BYTES {
            break;
        }
    }
    let Some((block_end, body_start)) = close else {
        // A long block or none at all: only an error when the opening reads as front matter.
        return if looks_like_fields(&text[first_end + 1..]) {
            if text.len() - first_end > MAX_FRONT_MATTER_BYTES {
                Err(FrontMatterError::TooLarge)
            } else {
                Err(FrontMatterError::Unclosed)
            }
        } else {
            Ok(None)
        };
    };
    let block = &text[first_end + 1..block_end];
    if !looks_like_fields(block) {
        return Ok(None);
    }
    let value = if toml {
        read_toml(block)?
    } else {
        read_yaml(block)?
    };
    let stated = stated(&value);
    let known_key = stated
        .fields
        .iter()
        .any(|(k, _)| OTHER_KEYS.contains(&normal_key(k).as_str()));
    let says_nothing = Stated {
        fields: Vec::new(),
        ..stated.clone()
    } == Stated::default();
    if says_nothing && !known_key {
        // "Spike: I hate you." under a `---` rule is dialogue, not a field.
        return Ok(None);
    }
    Ok(Some((stated, &text[body_start..])))
}

/// Keys that say a block is front matter although they say nothing about the work itself.
const OTHER_KEYS: &[&str] = &[
    "layout",
    "date",
    "draft",
    "slug",
    "permalink",
    "aliases",
    "cssclass",
    "cssclasses",
    "created",
    "modified",
    "updated",
    "published",
    "publishdate",
    "lastmod",
    "words",
    "wordcount",
    "chapters",
    "id",
    "type",
    "weight",
    "url",
    "description",
    "status",
];

/// Whether a block opens with `key: value` / `key = value`: a `---` rule above a story is not front matter.
fn looks_like_fields(block: &str) -> bool {
    block
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            let key_end = l.find([':', '=']).unwrap_or(0);
            key_end > 0
                && l[..key_end]
                    .trim()
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '"' | '\''))
        })
}

/// A key with case, `-`, `_` and spaces folded: "Additional-Tags" → "additionaltags".
fn normal_key(k: &str) -> String {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

fn stated(v: &Value) -> Stated {
    let text = |keys: &[&str]| v.get(keys).and_then(Value::text);
    let names = |keys: &[&str]| v.get(keys).map(Value::names).unwrap_or_default();
    let complete = v
        .get(&["complete", "completed", "finished"])
        .and_then(as_bool)
        .or_else(|| v.get(&["wip", "inprogress"]).and_then(as_bool).map(|b| !b))
        .or_else(|| text(&["status"]).and_then(|s| status(&s)));
    let series = v.get(&["series"]).and_then(|s| match s {
        Value::Map(_) => {
            let name = s.get(&["name", "title"]).and_then(Value::text)?;
            let part = s
                .get(&["part", "position", "number", "index", "order"])
                .and_then(Value::text)
                .and_then(|p| p.parse().ok());
            Some((name, part))
        }
        Value::List(items) => items.first().and_then(Value::text).map(|n| (n, None)),
        other => other.text().map(|n| (n, None)),
    });
    let series = series.map(|(name, part)| {
        (
            name,
            part.or_else(|| {
                text(&["seriespart", "seriesposition", "part"]).and_then(|p| p.parse().ok())
            }),
        )
    });
    let fields = match v {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.text()?)))
            .collect(),
        _ => Vec::new(),
    };
    Stated {
        title: text(&["title", "storytitle", "worktitle", "name"]),
        authors: names(&[
            "author", "authors", "creator", "creators", "by", "pseud", "pseuds", "writer",
        ]),
        rating: text(&["rating", "rated"]),
        fandoms: names(&["fandom", "fandoms"]),
        relationships: names(&[
            "relationship",
            "relationships",
            "pairing",
            "pairings",
            "ship",
            "ships",
        ]),
        characters: names(&["character", "characters"]),
        freeform: names(&[
            "tags",
            "tag",
            "additionaltags",
            "freeform",
            "freeforms",
            "keywords",
        ]),
        warnings: names(&["warning", "warnings", "archivewarning", "archivewarnings"]),
        categories: names(&["category", "categories"]),
        summary: text_block(v.get(&["summary", "description", "blurb", "abstract"])),
        notes: text_block(v.get(&["notes", "note", "authorsnotes", "authornotes", "notesbegin"])),
        end_notes: text_block(v.get(&["endnotes", "notesend"])),
        language: text(&["language", "lang"]),
        series,
        complete,
        fields,
    }
}

/// A multi-line value keeps its lines (a summary's paragraphs).
fn text_block(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().filter_map(Value::text).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        other => other.text(),
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Text(t) => match t.trim().to_lowercase().as_str() {
            "yes" | "true" | "y" | "on" => Some(true),
            "no" | "false" | "n" | "off" => Some(false),
            other => status(other),
        },
        _ => None,
    }
}

fn status(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().trim_end_matches(['.', '!']) {
        "complete" | "completed" | "finished" | "done" => Some(true),
        "wip" | "in progress" | "incomplete" | "ongoing" | "work in progress" | "unfinished"
        | "in-progress" => Some(false),
        _ => None,
    }
}

/// YAML events into a [`Value`], bounded as the module says.
fn read_yaml(block: &str) -> Result<Value, FrontMatterError> {
    enum Frame {
        List(Vec<Value>),
        Map(Vec<(String, Value)>, Option<String>),
    }
    let mut parser = Parser::new_from_str(block);
    let mut stack: Vec<(Frame, usize)> = Vec::new();
    let mut anchors: Vec<(usize, String)> = Vec::new();
    let mut nodes = 0usize;
    let mut expanded = 0usize;
    let mut root: Option<Value> = None;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| FrontMatterError::Yaml {
            line: e.marker().line(),
            message: e.info().to_string(),
        })?;
        let value = match event {
            Event::StreamEnd => break,
            Event::DocumentEnd if stack.is_empty() => break,
            Event::StreamStart | Event::DocumentStart | Event::DocumentEnd | Event::Nothing => {
                continue;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let is_list = matches!(event, Event::SequenceStart(..));
                nodes += 1;
                if stack.len() >= MAX_DEPTH {
                    return Err(FrontMatterError::TooDeep);
                }
                if nodes > MAX_NODES {
                    return Err(FrontMatterError::TooMany);
                }
                let frame = if is_list {
                    Frame::List(Vec::new())
                } else {
                    Frame::Map(Vec::new(), None)
                };
                stack.push((frame, anchor));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some((Frame::List(items), anchor)) => {
                    if anchor > 0 {
                        anchors.push((anchor, String::new()));
                    }
                    Value::List(items)
                }
                Some((Frame::Map(entries, _), anchor)) => {
                    if anchor > 0 {
                        anchors.push((anchor, String::new()));
                    }
                    Value::Map(entries)
                }
                None => continue,
            },
            Event::Scalar(text, style, anchor, _) => {
                nodes += 1;
                if nodes > MAX_NODES {
                    return Err(FrontMatterError::TooMany);
                }
                if anchor > 0 {
                    anchors.push((anchor, text.clone()));
                }
                scalar(text, style)
            }
            Event::Alias(id) => {
                nodes += 1;
                // Only scalars are stored with their text; a collection's anchor is stored empty.
                match anchors.iter().rev().find(|(a, _)| *a == id) {
                    Some((_, text)) if !text.is_empty() => {
                        expanded += text.len();
                        if expanded > MAX_FRONT_MATTER_BYTES {
                            return Err(FrontMatterError::TooLarge);
                        }
                        if nodes > MAX_NODES {
                            return Err(FrontMatterError::TooMany);
                        }
                        Value::Text(text.clone())
                    }
                    _ => {
                        let line = mark.line();
                        return Err(FrontMatterError::Alias(format!("on line {line}")));
                    }
                }
            }
        };
        match stack.last_mut() {
            Some((Frame::List(items), _)) => items.push(value),
            Some((Frame::Map(entries, key), _)) => match key.take() {
                Some(k) => entries.push((k, value)),
                None => *key = Some(value.text().unwrap_or_default()),
            },
            None => {
                root = Some(value);
            }
        }
    }
    Ok(root.unwrap_or(Value::Null))
}

fn scalar(text: String, style: yaml_rust2::scanner::TScalarStyle) -> Value {
    use yaml_rust2::scanner::TScalarStyle;
    if style != TScalarStyle::Plain {
        return Value::Text(text);
    }
    match text.as_str() {
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        "~" | "null" | "Null" | "NULL" | "" => Value::Null,
        _ => Value::Text(text),
    }
}

/// TOML into a [`Value`], after checking that its brackets nest no deeper than [`MAX_DEPTH`].
fn read_toml(block: &str) -> Result<Value, FrontMatterError> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in block.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q || c == '\n' {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(FrontMatterError::TooDeep);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    let table: toml::Table = block
        .parse()
        .map_err(|e: toml::de::Error| FrontMatterError::Toml(e.message().to_string()))?;
    let mut nodes = 0;
    Ok(toml_value(toml::Value::Table(table), &mut nodes))
}

/// Depth was checked before parsing (brackets, and dotted keys only add one level each), so
/// this recursion is bounded; the node count stops runaway width.
fn toml_value(v: toml::Value, nodes: &mut usize) -> Value {
    *nodes += 1;
    if *nodes > MAX_NODES {
        return Value::Null;
    }
    match v {
        toml::Value::String(s) => Value::Text(s),
        toml::Value::Integer(i) => Value::Text(i.to_string()),
        toml::Value::Float(f) => Value::Text(f.to_string()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::Text(d.to_string()),
        toml::Value::Array(items) => {
            Value::List(items.into_iter().map(|i| toml_value(i, nodes)).collect())
        }
        toml::Value::Table(t) => Value::Map(
            t.into_iter()
                .map(|(k, v)| (k, toml_value(v, nodes)))
                .collect(),
        ),
    }
}

impl Stated {
    /// Lays what the block states over what the text heuristics read: the block is the
    /// work's structure, so each field it states wins, and its tags are the work's own.
    pub fn apply(self, story: &mut Story) {
        story.header.splice(0..0, self.fields.iter().cloned());
        if self.title.is_some() {
            story.title = self.title;
        }
        if !self.authors.is_empty() {
            story.author = Some(self.authors.join(", "));
        }
        if let Some(r) = self.rating {
            match Rating::from_archive_text(&r) {
                Some(r) => story.rating = Some(r),
                None => story.warnings.push(format!("rating '{r}' not understood")),
            }
        }
        if self.summary.is_some() {
            story.summary = self.summary;
        }
        if let Some(n) = self.notes {
            let paras = n.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
            let paras: Vec<String> = paras.map(String::from).collect();
            story.notes_begin.splice(0..0, paras);
        }
        if let Some(n) = self.end_notes {
            let paras = n.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
            story.notes_end.extend(paras.map(String::from));
        }
        if self.language.is_some() {
            story.language = self.language;
        }
        if self.series.is_some() {
            story.series = self.series;
        }
        if self.complete.is_some() {
            story.marker = None;
            story.status = self.complete;
        }
        let tags = [
            ("Fandom", self.fandoms),
            ("Relationship", self.relationships),
            ("Character", self.characters),
            ("Additional Tags", self.freeform),
            ("Archive Warning", self.warnings),
            ("Category", self.categories),
        ];
        let mut typed = Vec::new();
        for (label, items) in tags {
            if !items.is_empty() {
                story.tagging.push((label.to_string(), items.join(", ")));
                typed.push((label.to_string(), items));
            }
        }
        // The body's own header lines (if any) come after: the block is read first.
        story.typed_tags.splice(0..0, typed);
        story.typed_tags_are_tags = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_fields() {
        let text = "---\ntitle: \"Steps: A Story\"\nauthor: [Ann, Bob]\nrating: Teen And Up Audiences\nfandom: Buffy the Vampire Slayer\ncharacters:\n  - Buffy Summers\n  - Spike\nrelationships: Buffy Summers/Spike\ntags: [Angst, Fluff]\nwarnings: No Archive Warnings Apply\ncategory: F/M\nsummary: |\n  First line.\n\n  Second para.\nseries:\n  name: Steps\n  part: 2\ncomplete: false\nlanguage: English\n---\n# Chapter 1\n\nText.\n";
        let (s, body) = split(text).unwrap().unwrap();
        assert_eq!(s.title.as_deref(), Some("Steps: A Story"));
        assert_eq!(s.authors, ["Ann", "Bob"]);
        assert_eq!(s.characters, ["Buffy Summers", "Spike"]);
        assert_eq!(s.relationships, ["Buffy Summers/Spike"]);
        assert_eq!(s.freeform, ["Angst", "Fluff"]);
        assert_eq!(s.categories, ["F/M"]);
        assert_eq!(s.summary.as_deref(), Some("First line.\n\nSecond para."));
        assert_eq!(s.series, Some(("Steps".to_string(), Some(2))));
        assert_eq!(s.complete, Some(false));
        assert_eq!(s.language.as_deref(), Some("English"));
        assert_eq!(body, "# Chapter 1\n\nText.\n");
    }

    #[test]
    fn toml_fields() {
        let text = "+++\ntitle = \"Night\"\nauthors = [\"Ann\"]\nfandoms = [\"Star Trek\"]\nwip = true\n[series]\nname = \"Nights\"\n+++\nText.\n";
        let (s, body) = split(text).unwrap().unwrap();
        assert_eq!(s.title.as_deref(), Some("Night"));
        assert_eq!(s.authors, ["Ann"]);
        assert_eq!(s.fandoms, ["Star Trek"]);
        assert_eq!(s.complete, Some(false));
        assert_eq!(s.series, Some(("Nights".to_string(), None)));
        assert_eq!(body, "Text.\n");
    }

    #[test]
    fn not_front_matter() {
        assert_eq!(split("---\n\nShe ran.\n\n---\n\nMore.\n"), Ok(None));
        assert_eq!(split("Title: x\n\nText"), Ok(None));
        // Dialogue under a rule is no field.
        assert_eq!(split("---\nSpike: I hate you.\n---\nText\n"), Ok(None));
        // Front matter that says nothing about the work is still not story text.
        let (s, body) = split("---\nlayout: post\n---\nText\n").unwrap().unwrap();
        assert_eq!((s.title, body), (None, "Text\n"));
    }

    #[test]
    fn bounded() {
        let deep = format!(
            "---\ntitle: {}x{}\n---\nText\n",
            "[".repeat(40),
            "]".repeat(40)
        );
        assert_eq!(split(&deep), Err(FrontMatterError::TooDeep));
        let deep_toml = format!(
            "+++\ntitle = {}1{}\n+++\nText\n",
            "[".repeat(40),
            "]".repeat(40)
        );
        assert_eq!(split(&deep_toml), Err(FrontMatterError::TooDeep));
        // The billion laughs: each level repeats the last nine times.
        let mut bomb = String::from("---\na: &a \"lol\"\n");
        let mut prev = "a".to_string();
        for i in 0..9 {
            let name = format!("l{i}");
            let refs = vec![format!("*{prev}"); 9].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
            prev = name;
        }
        bomb.push_str("title: x\n---\nText\n");
        assert!(matches!(split(&bomb), Err(FrontMatterError::Alias(_))));
        // Scalar aliases are fine, within the size limit.
        let ok = "---\nauthor: &me Ann\ntitle: By *me\ncreator: *me\n---\nText\n";
        let (s, _) = split(ok).unwrap().unwrap();
        assert_eq!(s.authors, ["Ann"]);
        let big = format!(
            "---\ntitle: &t {}\n{}---\nT\n",
            "x".repeat(1000),
            "k: *t\n".repeat(100)
        );
        assert_eq!(split(&big), Err(FrontMatterError::TooLarge));
        let unclosed = "---\ntitle: x\n\nText goes on.\n";
        assert_eq!(split(unclosed), Err(FrontMatterError::Unclosed));
        assert!(matches!(
            split("---\ntitle: [x\n---\nT\n"),
            Err(FrontMatterError::Yaml { .. })
        ));
    }
}
