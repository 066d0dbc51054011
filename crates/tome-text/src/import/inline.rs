//! Formatting carried through the text pipeline: inline markup (italics, bold, links ...)
//! and block containers (quotes, lists) travel inside the text as private-use characters
//! (U+E000–U+E1FF), so that every format can be read by the same line-and-paragraph rules.
//!
//! - The rules (headers, notes, chapter headings, scene breaks, chrome, end markers) look
//!   at [`plain`] text, so a marker never changes what a rule decides; where a rule keeps
//!   part of a line (a note without its label, a summary field's value) it cuts the marked
//!   line at the same place with [`skip_plain`], so the formatting of what it keeps survives.
//! - The plain text in the JSON report and the word counts use [`plain`]: markers add nothing.
//! - The HTML (chapters, notes, summary) turns markers into tags with [`HtmlBlocks`]; the
//!   result then passes [`crate::sanitize_html`] like everything user-written.
//!
//! Inline marks are always rendered balanced: a close without its open is dropped, and
//! whatever is open at the end of a paragraph is closed there. Private-use characters in
//! the source are removed before reading ([`remove_markers`]), so a marker is always ours.
//!
//! Links carry their address with them: the open marker is followed by the URL's UTF-8
//! bytes, each as one character U+E100 + byte.

use std::borrow::Cow;

use crate::escape_html;

/// Inline formatting kinds, each with an open and a close marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Em,
    Strong,
    Underline,
    Strike,
    Sup,
    Sub,
    Link,
}

const MARKS: [Mark; 7] = [
    Mark::Em,
    Mark::Strong,
    Mark::Underline,
    Mark::Strike,
    Mark::Sup,
    Mark::Sub,
    Mark::Link,
];

const FIRST: u32 = 0xE000;
const LAST: u32 = 0xE1FF;
const HREF_BASE: u32 = 0xE100;

/// At the end of a line: the line break was explicit (`<br>`), so the lines of the block
/// are never re-joined as hard-wrapped prose nor split as one paragraph per line.
pub const BR: char = '\u{E010}';
/// Paragraph prefix: the paragraph is inside a block quote.
pub const QUOTE: char = '\u{E011}';
/// Paragraph prefix: the paragraph is an item of a bulleted list.
pub const BULLET: char = '\u{E012}';
/// Paragraph prefix: the paragraph is an item of a numbered list.
pub const NUMBERED: char = '\u{E013}';
/// At the end of a chapter-heading line: the heading is complete (no title line follows).
pub const HEADING_DONE: char = '\u{E014}';
/// A paragraph break inside one value (a multi-paragraph summary or note on one line).
pub const PARA: char = '\u{E015}';
/// A line break inside one value.
pub const LINE: char = '\u{E016}';
/// At the start of a note line from a structured source (an AO3 chapter's end notes): the
/// notes are the chapter's, even the last chapter's, never the work's.
pub const CHAPTER_NOTE: char = '\u{E017}';

impl Mark {
    fn index(self) -> u32 {
        MARKS.iter().position(|m| *m == self).unwrap_or(0) as u32
    }

    pub fn open(self) -> char {
        char::from_u32(FIRST + 2 * self.index()).unwrap_or('\u{E000}')
    }

    pub fn close(self) -> char {
        char::from_u32(FIRST + 2 * self.index() + 1).unwrap_or('\u{E001}')
    }

    fn tag(self) -> &'static str {
        match self {
            Mark::Em => "em",
            Mark::Strong => "strong",
            Mark::Underline => "u",
            Mark::Strike => "s",
            Mark::Sup => "sup",
            Mark::Sub => "sub",
            Mark::Link => "a",
        }
    }

    /// The mark an HTML element stands for (`<i>`, `<b>`, `<del>` ...).
    pub fn for_element(name: &str) -> Option<Mark> {
        Some(match name {
            "em" | "i" | "cite" | "dfn" | "var" => Mark::Em,
            "strong" | "b" => Mark::Strong,
            "u" | "ins" => Mark::Underline,
            "s" | "strike" | "del" => Mark::Strike,
            "sup" => Mark::Sup,
            "sub" => Mark::Sub,
            "a" => Mark::Link,
            _ => return None,
        })
    }

    /// The mark an inline `style` attribute asks for (old archives' `font-style: italic`).
    pub fn for_style(style: &str) -> Option<Mark> {
        let s: String = style
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if s.contains("font-style:italic") || s.contains("font-style:oblique") {
            Some(Mark::Em)
        } else if s.contains("font-weight:bold") || s.contains("font-weight:700") {
            Some(Mark::Strong)
        } else if s.contains("text-decoration:underline") {
            Some(Mark::Underline)
        } else if s.contains("text-decoration:line-through") {
            Some(Mark::Strike)
        } else {
            None
        }
    }
}

/// What a marker character is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Open(Mark),
    Close(Mark),
    Href(u8),
    Other(char),
}

fn token(c: char) -> Option<Token> {
    let u = c as u32;
    if !(FIRST..=LAST).contains(&u) {
        return None;
    }
    if u >= HREF_BASE {
        return Some(Token::Href((u - HREF_BASE) as u8));
    }
    let i = (u - FIRST) as usize;
    Some(match MARKS.get(i / 2) {
        Some(m) if i.is_multiple_of(2) => Token::Open(*m),
        Some(m) => Token::Close(*m),
        None => Token::Other(c),
    })
}

/// Whether `c` is one of the pipeline's markers.
pub fn is_marker(c: char) -> bool {
    (FIRST..=LAST).contains(&(c as u32))
}

/// The open marker of a link to `href`.
pub fn link_open(href: &str) -> String {
    let mut s = String::with_capacity(1 + href.len() * 3);
    s.push(Mark::Link.open());
    s.extend(
        href.trim()
            .bytes()
            .filter_map(|b| char::from_u32(HREF_BASE + u32::from(b))),
    );
    s
}

/// Removes the marker range from source text (a story's own private-use characters would
/// otherwise read as formatting); returns how many were removed.
pub fn remove_markers(text: &str) -> (Cow<'_, str>, usize) {
    let n = text.chars().filter(|&c| is_marker(c)).count();
    if n == 0 {
        (Cow::Borrowed(text), 0)
    } else {
        (
            Cow::Owned(text.chars().filter(|&c| !is_marker(c)).collect()),
            n,
        )
    }
}

/// The text without formatting: markers removed, [`PARA`] a blank line, [`LINE`] a newline.
pub fn plain(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_marker) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            PARA => out.push_str("\n\n"),
            LINE => out.push('\n'),
            c if is_marker(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Characters a reader sees (markers not counted).
pub fn visible_len(s: &str) -> usize {
    s.chars().filter(|&c| !is_marker(c)).count()
}

/// The rest of a marked string after the first `plain_bytes` bytes of its [`plain`] text;
/// markers at the cut belong to the rest.
pub fn skip_plain(marked: &str, plain_bytes: usize) -> &str {
    let mut seen = 0;
    for (i, c) in marked.char_indices() {
        if seen >= plain_bytes {
            return &marked[i..];
        }
        seen += match c {
            PARA => 2,
            LINE => 1,
            c if is_marker(c) => 0,
            c => c.len_utf8(),
        };
    }
    ""
}

/// Markers that reopen what is still open at the end of `s` (for text that continues in
/// the next paragraph).
pub fn still_open(s: &str) -> String {
    let mut stack: Vec<String> = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match token(c) {
            Some(Token::Open(m)) => {
                let mut open = m.open().to_string();
                while let Some(&n) = chars.peek() {
                    if let Some(Token::Href(_)) = token(n) {
                        open.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                stack.push(open);
            }
            Some(Token::Close(m)) => {
                if let Some(i) = stack.iter().rposition(|o| o.starts_with(m.open())) {
                    stack.remove(i);
                }
            }
            _ => {}
        }
    }
    stack.concat()
}

/// A block container a paragraph sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Quote,
    Bullets,
    Numbers,
}

impl Container {
    fn tags(self) -> (&'static str, &'static str) {
        match self {
            Container::Quote => ("<blockquote>\n", "</blockquote>\n"),
            Container::Bullets => ("<ul>\n", "</ul>\n"),
            Container::Numbers => ("<ol>\n", "</ol>\n"),
        }
    }

    pub fn marker(self) -> char {
        match self {
            Container::Quote => QUOTE,
            Container::Bullets => BULLET,
            Container::Numbers => NUMBERED,
        }
    }
}

/// A paragraph's leading container markers, outermost first, and the rest.
pub fn containers(p: &str) -> (Vec<Container>, &str) {
    let mut out = Vec::new();
    let mut rest = p;
    loop {
        let c = match rest.chars().next() {
            Some(QUOTE) => Container::Quote,
            Some(BULLET) => Container::Bullets,
            Some(NUMBERED) => Container::Numbers,
            _ => return (out, rest),
        };
        out.push(c);
        rest = &rest[3..]; // each marker is three bytes in UTF-8
    }
}

/// One paragraph's inline content as HTML: text escaped, newlines as `<br>`, marks as
/// balanced tags. Not sanitized here; the caller sanitizes the whole body.
pub fn inline_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut stack: Vec<(Mark, String)> = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match token(c) {
            None => match c {
                '\n' => out.push_str("<br>\n"),
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                c => out.push(c),
            },
            Some(Token::Open(m)) => {
                let open = if m == Mark::Link {
                    let mut bytes = Vec::new();
                    while let Some(Token::Href(b)) = chars.peek().and_then(|&n| token(n)) {
                        bytes.push(b);
                        chars.next();
                    }
                    let href = String::from_utf8_lossy(&bytes);
                    if href.is_empty() {
                        "<a>".to_string()
                    } else {
                        format!("<a href=\"{}\">", escape_html(&href))
                    }
                } else {
                    format!("<{}>", m.tag())
                };
                out.push_str(&open);
                stack.push((m, open));
            }
            Some(Token::Close(m)) => {
                let Some(i) = stack.iter().rposition(|(o, _)| *o == m) else {
                    continue;
                };
                for (inner, _) in stack[i..].iter().rev() {
                    out.push_str(&format!("</{}>", inner.tag()));
                }
                let reopen: Vec<(Mark, String)> = stack.split_off(i + 1);
                stack.pop();
                for (_, open) in &reopen {
                    out.push_str(open);
                }
                stack.extend(reopen);
            }
            Some(Token::Other(PARA)) => out.push_str("<br>\n<br>\n"),
            Some(Token::Other(LINE)) => out.push_str("<br>\n"),
            Some(_) => {}
        }
    }
    for (m, _) in stack.iter().rev() {
        out.push_str(&format!("</{}>", m.tag()));
    }
    out
}

/// Builds a body of HTML from marked paragraphs and scene breaks: `<p>` per paragraph,
/// block quotes and lists opened and closed as the paragraphs' containers change, `<hr>`
/// for a break. A paragraph holding [`PARA`] markers becomes several.
#[derive(Default)]
pub struct HtmlBlocks {
    out: String,
    open: Vec<Container>,
}

impl HtmlBlocks {
    pub fn para(&mut self, p: &str) {
        let (want, rest) = containers(p);
        let keep = self
            .open
            .iter()
            .zip(&want)
            .take_while(|(a, b)| a == b)
            .count();
        self.close_to(keep);
        for c in &want[keep..] {
            self.out.push_str(c.tags().0);
            self.open.push(*c);
        }
        let item = matches!(
            self.open.last(),
            Some(Container::Bullets | Container::Numbers)
        );
        let (start, end) = if item {
            ("<li>", "</li>\n")
        } else {
            ("<p>", "</p>\n")
        };
        let mut carried = String::new();
        for part in rest.split(PARA) {
            let part = format!("{carried}{part}");
            carried = still_open(&part);
            if plain(&part).trim().is_empty() {
                continue;
            }
            self.out.push_str(start);
            self.out.push_str(&inline_html(&part));
            self.out.push_str(end);
        }
    }

    pub fn hr(&mut self) {
        self.close_to(0);
        self.out.push_str("<hr>\n");
    }

    fn close_to(&mut self, keep: usize) {
        while self.open.len() > keep {
            if let Some(c) = self.open.pop() {
                self.out.push_str(c.tags().1);
            }
        }
    }

    /// The HTML, every container closed (not yet sanitized).
    pub fn finish(mut self) -> String {
        self.close_to(0);
        self.out
    }
}

/// Marked paragraphs as sanitized HTML.
pub fn paras_html(paras: &[String]) -> String {
    let mut b = HtmlBlocks::default();
    for p in paras {
        b.para(p);
    }
    crate::sanitize_html(&b.finish())
}

/// Plain-text emphasis, as old archives wrote it: `*word*`, `_several words_` become
/// italics and `**word**`, `__word__` bold. A delimiter opens only at the start of a word
/// (after a space, an opening bracket or quote, or the start of the line) and before a
/// non-space; it closes at the same delimiter after a non-space and before the end of a
/// word, on the same line. So "* * *" rows, a lone "*", "5 * 3", `snake_case` and
/// `__init__`-like runs stay as they are; emphasis spanning a line break is not read.
pub fn plain_emphasis(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    if !chars.iter().any(|&c| c == '*' || c == '_') {
        return line.to_string();
    }
    let opens_after = |c: char| c.is_whitespace() || "([{\"'“‘«—–-/".contains(c) || is_marker(c);
    let closes_before =
        |c: char| c.is_whitespace() || ".,;:!?)]}\"'”’»…—–-/".contains(c) || is_marker(c);
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c == '*' || c == '_') && (i == 0 || opens_after(chars[i - 1])) {
            let width = if chars.get(i + 1) == Some(&c) { 2 } else { 1 };
            let body_start = i + width;
            // The body holds no delimiter character, so the only possible close is the
            // next one: looking no further keeps a line of many openers linear.
            let found = chars
                .get(body_start)
                .filter(|n| !n.is_whitespace() && **n != c)
                .and_then(|_| {
                    chars[body_start + 1..]
                        .iter()
                        .position(|&d| d == c)
                        .map(|k| body_start + 1 + k)
                })
                .filter(|&j| {
                    j + width <= chars.len()
                        && chars[j..j + width].iter().all(|&d| d == c)
                        && !chars[j - 1].is_whitespace()
                        && chars.get(j + width).is_none_or(|&n| closes_before(n))
                        && chars[body_start..j].iter().any(|ch| ch.is_alphanumeric())
                });
            if let Some(j) = found {
                let mark = if width == 2 { Mark::Strong } else { Mark::Em };
                out.push(mark.open());
                out.extend(&chars[body_start..j]);
                out.push(mark.close());
                i = j + width;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn em(s: &str) -> String {
        format!("{}{s}{}", Mark::Em.open(), Mark::Em.close())
    }

    #[test]
    fn plain_removes_markers_and_keeps_paragraphs() {
        let s = format!("a {} b{PARA}c{LINE}d", em("x"));
        assert_eq!(plain(&s), "a x b\n\nc\nd");
        assert_eq!(visible_len(&em("abc")), 3);
        assert!(matches!(plain("no marks"), Cow::Borrowed(_)));
    }

    #[test]
    fn skip_plain_keeps_the_formatting_of_the_rest() {
        let s = format!("A/N: {}", em("hi"));
        assert_eq!(skip_plain(&s, 5), em("hi"));
        assert_eq!(skip_plain("abc", 3), "");
    }

    #[test]
    fn inline_html_balances_and_escapes() {
        let s = format!(
            "{}b {}both{} i{} <x>{}",
            Mark::Strong.open(),
            Mark::Em.open(),
            Mark::Strong.close(),
            Mark::Em.close(),
            Mark::Sub.close()
        );
        assert_eq!(
            inline_html(&s),
            "<strong>b <em>both</em></strong><em> i</em> &lt;x&gt;"
        );
        let link = format!(
            "{}here{}",
            link_open("https://e.com/?a=1&b"),
            Mark::Link.close()
        );
        assert_eq!(
            inline_html(&link),
            "<a href=\"https://e.com/?a=1&amp;b\">here</a>"
        );
        assert_eq!(
            inline_html(&format!("{}open", Mark::Underline.open())),
            "<u>open</u>"
        );
    }

    #[test]
    fn containers_become_quotes_and_lists() {
        let mut b = HtmlBlocks::default();
        b.para("before");
        b.para(&format!("{QUOTE}quoted"));
        b.para(&format!("{QUOTE}{BULLET}item"));
        b.hr();
        b.para(&format!("{NUMBERED}one{PARA}two"));
        assert_eq!(
            b.finish(),
            "<p>before</p>\n<blockquote>\n<p>quoted</p>\n<ul>\n<li>item</li>\n</ul>\n</blockquote>\n<hr>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"
        );
    }

    #[test]
    fn emphasis_in_plain_text() {
        assert_eq!(
            plain_emphasis("She was *so* late."),
            format!("She was {} late.", em("so"))
        );
        assert_eq!(
            plain_emphasis("_Why now?_ she thought."),
            format!("{} she thought.", em("Why now?"))
        );
        assert_eq!(
            plain_emphasis("a **big** deal"),
            format!("a {}big{} deal", Mark::Strong.open(), Mark::Strong.close())
        );
        for same in [
            "* * *",
            "***",
            "*",
            "5 * 3 * 2",
            "snake_case and more_words_here",
            "a file_name_here",
            "*not closed",
            "_ spaced _",
            "~*~*~",
            "*** ***",
        ] {
            assert_eq!(plain_emphasis(same), same, "{same}");
        }
    }
}
