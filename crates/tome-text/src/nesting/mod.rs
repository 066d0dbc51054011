//! How deep a text nests, and the one limit every parser and tree walk relies on.
//!
//! Nesting is the one input dimension that is not bounded by size: 50 KB of `>` is a
//! Markdown block quote 50,000 levels deep, and 5,000 `<div>`s a tree whose every walk
//! recurses 5,000 times. html5ever's tree construction is quadratic in the depth (it
//! searches the stack of open elements for many tags), and so is pulldown-cmark's
//! container handling. So every entry point measures the depth first, in one linear
//! pass, and:
//!
//! - text being submitted or imported is refused past [`MAX_NESTING`] with a
//!   [`NestingError`] that says so ([`check_html`], [`check_markdown`]);
//! - text already stored (which may predate the limit) is made shallow instead
//!   ([`bound_html`]), so it still shows and downloads.
//!
//! Our own tree walks (export, plain text, import) are iterative or only ever see text
//! within the limit.

mod flatten;
mod html_depth;

use std::borrow::Cow;

pub use html_depth::Mode;

/// The deepest nesting accepted: elements inside elements (HTML) or block quotes and
/// list items inside each other (Markdown). Real stories stay far below it; a chapter of
/// nested `<div>`s from a page builder rarely passes 30.
pub const MAX_NESTING: usize = 100;

/// Why a text was refused. `Display` is a sentence for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NestingError {
    #[error(
        "the text is nested more than {limit} levels deep (HTML elements inside one another); \
         remove some of the nesting and try again"
    )]
    HtmlTooDeep { limit: usize },
    #[error(
        "the text is nested more than {limit} levels deep (Markdown block quotes `>` or lists \
         inside one another); remove some of the nesting and try again"
    )]
    MarkdownTooDeep { limit: usize },
}

/// Refuses HTML (a fragment: a chapter, a summary, a comment) nested past [`MAX_NESTING`].
/// Linear in the length of the text.
pub fn check_html(html: &str) -> Result<(), NestingError> {
    check_html_as(html, Mode::Fragment)
}

/// [`check_html`] for a fragment or a whole page.
pub fn check_html_as(html: &str, mode: Mode) -> Result<(), NestingError> {
    match html_depth::depth_within(html, mode, MAX_NESTING) {
        Some(d) if d <= MAX_NESTING => Ok(()),
        _ => Err(NestingError::HtmlTooDeep { limit: MAX_NESTING }),
    }
}

/// How deep html5ever nests this HTML fragment, or `None` past `limit`.
pub fn html_depth(html: &str, limit: usize) -> Option<usize> {
    html_depth::depth_within(html, Mode::Fragment, limit).filter(|d| *d <= limit)
}

/// HTML that is safe to parse and walk: `html` itself if it is within [`MAX_NESTING`],
/// otherwise the same text with the formatting past half the limit left out, or, if the
/// parser would still nest that too deep, the text alone in paragraphs. For text that is
/// already stored; text being submitted is refused instead ([`check_html`]).
pub fn bound_html(html: &str) -> Cow<'_, str> {
    if html_depth(html, MAX_NESTING).is_some() {
        return Cow::Borrowed(html);
    }
    let flat = flatten::flatten(html, MAX_NESTING / 2);
    if html_depth(&flat, MAX_NESTING).is_some() {
        return Cow::Owned(flat);
    }
    Cow::Owned(flatten::text_only(html))
}

/// Refuses Markdown whose block structure (block quotes, list items, and the indentation
/// that nests them) goes past [`MAX_NESTING`]. Raw HTML inside it is checked after
/// rendering, by [`check_html`]. Linear in the length of the text.
pub fn check_markdown(md: &str) -> Result<(), NestingError> {
    if md.split('\n').any(|line| line_depth(line) > MAX_NESTING) {
        return Err(NestingError::MarkdownTooDeep { limit: MAX_NESTING });
    }
    Ok(())
}

/// Markdown that is safe to render: `md` itself if it passes [`check_markdown`], else
/// each line's container markers past the limit are escaped so they stay text.
pub fn bound_markdown(md: &str) -> Cow<'_, str> {
    if check_markdown(md).is_ok() {
        return Cow::Borrowed(md);
    }
    let mut out = String::with_capacity(md.len() + md.len() / 8);
    for (i, line) in md.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line_depth(line) <= MAX_NESTING {
            out.push_str(line);
        } else {
            // A backslash before the first character ends the container prefix there:
            // the rest of the line is paragraph text.
            let (prefix, rest) = line.split_at(prefix_end(line, MAX_NESTING / 2));
            out.push_str(prefix);
            if !rest.is_empty() {
                out.push('\\');
            }
            out.push_str(rest);
        }
    }
    Cow::Owned(out)
}

/// An upper bound of how many containers a line opens or continues: every `>` and list
/// marker of its prefix, and every two columns of indentation (a nested list item needs
/// at least two more than its parent).
fn line_depth(line: &str) -> usize {
    let mut depth = 0;
    scan_prefix(line, |markers, columns, _| {
        depth = markers + columns / 2;
        true
    });
    depth
}

/// Where the part of the prefix of `line` within `limit` levels ends (a byte offset).
fn prefix_end(line: &str, limit: usize) -> usize {
    let mut at = 0;
    scan_prefix(line, |markers, columns, offset| {
        if markers + columns / 2 > limit {
            return false;
        }
        at = offset;
        true
    });
    at
}

/// Walks the container prefix of a line (white space, `>`, list markers), calling `f`
/// with the markers and indentation columns so far and the byte offset after them,
/// until the prefix ends or `f` says stop.
fn scan_prefix(line: &str, mut f: impl FnMut(usize, usize, usize) -> bool) {
    let b = line.as_bytes();
    let (mut i, mut markers, mut columns) = (0, 0, 0);
    while i < b.len() {
        match b[i] {
            b' ' => {
                columns += 1;
                i += 1;
            }
            b'\t' => {
                columns += 4;
                i += 1;
            }
            b'>' => {
                markers += 1;
                i += 1;
            }
            b'-' | b'*' | b'+' if b.get(i + 1).is_none_or(|c| matches!(c, b' ' | b'\t')) => {
                markers += 1;
                i += 1;
            }
            b'0'..=b'9' => {
                let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                let after = i + digits;
                let is_marker = digits <= 9
                    && matches!(b.get(after), Some(b'.' | b')'))
                    && b.get(after + 1).is_none_or(|c| matches!(c, b' ' | b'\t'));
                if !is_marker {
                    break;
                }
                markers += 1;
                i = after + 1;
            }
            _ => break,
        }
        if !f(markers, columns, i) {
            return;
        }
    }
}

#[cfg(test)]
mod tests;
