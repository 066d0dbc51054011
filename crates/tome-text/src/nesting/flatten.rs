//! Making too-deep HTML shallow without ever building its tree.
//!
//! Text stored before the nesting limit existed may be nested thousands of levels deep,
//! and it must still show and download. Building its tree would be quadratic (see
//! `html_depth`), so these passes work on html5ever's tokens, which cost linear time:
//!
//! - [`flatten`] keeps the markup but drops every start tag that would open an element
//!   past a depth (and its end tag), so the text inside loses only the outer formatting;
//! - [`text_only`] keeps only the text, one paragraph per block: the last resort when the
//!   parser would still nest what `flatten` wrote deeper than the limit.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::markup::{is_name, push_attrs_and_close};

use html5ever::LocalName;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements that never have content (they nest nothing).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements a reader sees as separate blocks: the paragraph breaks of [`text_only`].
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Rewrites `html` so that no element opens more than `limit` elements deep (as the
/// tokens nest them; the parser may still nest a little differently).
pub fn flatten(html: &str, limit: usize) -> String {
    let sink = Flattener {
        limit,
        out: RefCell::new(String::with_capacity(html.len())),
        open: RefCell::new(Vec::new()),
        dropped: RefCell::new(HashMap::new()),
        raw: Cell::new(false),
    };
    run(sink, html).out.into_inner()
}

/// The text of `html` only: escaped, one `<p>` per block, nothing nested.
pub fn text_only(html: &str) -> String {
    let sink = TextOnly {
        out: RefCell::new(String::with_capacity(html.len())),
        para: RefCell::new(String::new()),
        skipping: RefCell::new(None),
    };
    let sink = run(sink, html);
    sink.end_para();
    sink.out.into_inner()
}

fn run<S: TokenSink>(sink: S, html: &str) -> S {
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // We never return `Script`, so the tokenizer never pauses: one call eats it all.
    let _ = tok.feed(&input);
    tok.end();
    tok.sink
}

/// The tokenizer state the tree builder would switch to after this start tag.
fn raw_kind(name: &str) -> Option<TokenSinkResult<()>> {
    Some(match name {
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => return None,
    })
}

fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

struct Flattener {
    limit: usize,
    out: RefCell<String>,
    /// Elements opened and written, innermost last.
    open: RefCell<Vec<LocalName>>,
    /// Start tags left out, by name: their end tags are left out too.
    dropped: RefCell<HashMap<LocalName, usize>>,
    /// Inside a raw-text element that was written: its text goes out as it is.
    raw: Cell<bool>,
}

impl TokenSink for Flattener {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut out = self.out.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    let name = &*tag.name;
                    let void = VOID.contains(&name);
                    let mut open = self.open.borrow_mut();
                    let keep = is_name(name) && (void || open.len() < self.limit);
                    if keep {
                        out.push('<');
                        out.push_str(name);
                        push_attrs_and_close(&mut out, &tag, |_| true);
                        if !void {
                            open.push(tag.name.clone());
                        }
                    } else if !void {
                        *self
                            .dropped
                            .borrow_mut()
                            .entry(tag.name.clone())
                            .or_default() += 1;
                    }
                    if let Some(kind) = raw_kind(name) {
                        // RCDATA (title, textarea) has its entities decoded: write it escaped.
                        self.raw.set(keep && !matches!(name, "title" | "textarea"));
                        return kind;
                    }
                }
                TagKind::EndTag => {
                    self.raw.set(false);
                    let mut dropped = self.dropped.borrow_mut();
                    if let Some(n) = dropped.get_mut(&tag.name).filter(|n| **n > 0) {
                        *n -= 1;
                        return TokenSinkResult::Continue;
                    }
                    let mut open = self.open.borrow_mut();
                    if let Some(at) = open.iter().rposition(|n| *n == tag.name) {
                        open.truncate(at);
                        out.push_str("</");
                        out.push_str(&tag.name);
                        out.push('>');
                    }
                }
            },
            Token::CharacterTokens(text) => {
                if self.raw.get() {
                    out.push_str(&text);
                } else {
                    push_text(&mut out, &text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

struct TextOnly {
    out: RefCell<String>,
    para: RefCell<String>,
    /// Inside `<script>`, `<style>`...: their text is not the reader's.
    skipping: RefCell<Option<LocalName>>,
}

impl TextOnly {
    fn end_para(&self) {
        let mut para = self.para.borrow_mut();
        if !para.trim().is_empty() {
            let mut out = self.out.borrow_mut();
            out.push_str("<p>");
            out.push_str(para.trim());
            out.push_str("</p>");
        }
        para.clear();
    }
}

impl TokenSink for TextOnly {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name = &*tag.name;
                if tag.kind == TagKind::EndTag && self.skipping.borrow().as_ref() == Some(&tag.name)
                {
                    *self.skipping.borrow_mut() = None;
                }
                if BLOCKS.contains(&name) {
                    self.end_para();
                }
                if tag.kind == TagKind::StartTag
                    && let Some(kind) = raw_kind(name)
                {
                    if !matches!(name, "title" | "textarea") {
                        *self.skipping.borrow_mut() = Some(tag.name.clone());
                    }
                    return kind;
                }
            }
            Token::CharacterTokens(text) if self.skipping.borrow().is_none() => {
                push_text(&mut self.para.borrow_mut(), &text);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}
