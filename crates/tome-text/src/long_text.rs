//! Long runs of text cut into pieces before the sanitizer sees them.
//!
//! ammonia writes its result with html5ever's serializer, whose escaping is quadratic
//! in one case: for every `&` (or no-break space) in a text node it searches for the next
//! `<`, `>` (or `"` in an attribute) from there to the node's end. A 10 MB chapter of
//! `&amp;` (a text node of two million `&` and no `<`) took 94 s to import. So before
//! sanitizing, a text with a long stretch free of `<`, `>` and `"` is re-tokenized and
//! a `<wbr>` is put every [`PIECE`] bytes of text: it splits the text node, and the
//! policy drops it (it is not on the allowlist), so the output is the same text.
//!
//! Content the policy would keep as text without its element (`<title>`, `<xmp>`,
//! `<plaintext>`, ...) is written as ordinary escaped text, cut the same way; content the
//! policy removes whole (`<script>`, `<style>`, `<textarea>`, ...) is left out here.
//! Attribute values longer than [`PIECE`] are left out: nothing the policy keeps (a
//! title, a link) is that long, and the serializer would search them the same way.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use crate::markup::{is_name, push_attrs_and_close};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The longest piece of text left whole.
pub const PIECE: usize = 2048;

/// `html` itself when it has no long stretch without `<`, `>` and `"`; otherwise the
/// same HTML with its long texts cut (see the module documentation).
pub fn cut(html: &str) -> Cow<'_, str> {
    let longest = html
        .as_bytes()
        .split(|b| matches!(b, b'<' | b'>' | b'"'))
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    if longest <= PIECE {
        return Cow::Borrowed(html);
    }
    let tok = Tokenizer::new(
        Cutter {
            out: RefCell::new(String::with_capacity(html.len() + html.len() / 64)),
            run: Cell::new(0),
            content: Cell::new(Content::Markup),
        },
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink never asks to pause, so one call eats the whole input.
    let _ = tok.feed(&input);
    tok.end();
    Cow::Owned(tok.sink.out.into_inner())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Markup,
    /// Inside an element the policy drops with its content.
    Dropped,
    /// Inside an element whose text the policy keeps without the element.
    Text,
}

struct Cutter {
    out: RefCell<String>,
    /// Bytes of text written since the last tag or cut.
    run: Cell<usize>,
    content: Cell<Content>,
}

impl Cutter {
    fn text(&self, text: &str) {
        let mut out = self.out.borrow_mut();
        for c in text.chars() {
            if self.run.get() >= PIECE {
                out.push_str("<wbr>");
                self.run.set(0);
            }
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\u{a0}' => out.push_str("&nbsp;"),
                c => out.push(c),
            }
            self.run.set(self.run.get() + c.len_utf8());
        }
    }
}

impl TokenSink for Cutter {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name = &*tag.name;
                if tag.kind == TagKind::EndTag {
                    if self.content.get() != Content::Markup {
                        self.content.set(Content::Markup);
                        return TokenSinkResult::Continue;
                    }
                } else {
                    let switch = match name {
                        "script" | "style" | "iframe" | "noscript" | "textarea" => {
                            Some((Content::Dropped, TokenSinkResult::RawData(RawKind::Rawtext)))
                        }
                        "title" => Some((Content::Text, TokenSinkResult::RawData(RawKind::Rcdata))),
                        "xmp" | "noembed" | "noframes" => {
                            Some((Content::Text, TokenSinkResult::RawData(RawKind::Rawtext)))
                        }
                        "plaintext" => Some((Content::Text, TokenSinkResult::Plaintext)),
                        _ => None,
                    };
                    if let Some((content, state)) = switch {
                        self.content.set(content);
                        return state;
                    }
                }
                if !is_name(name) {
                    return TokenSinkResult::Continue;
                }
                let mut out = self.out.borrow_mut();
                out.push('<');
                if tag.kind == TagKind::EndTag {
                    out.push('/');
                }
                out.push_str(name);
                push_attrs_and_close(&mut out, &tag, |a| a.value.len() <= PIECE);
                self.run.set(0);
            }
            Token::CharacterTokens(text) if self.content.get() != Content::Dropped => {
                self.text(&text);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_left_alone() {
        let html = "<p>Tom &amp; Jerry</p>";
        assert!(matches!(cut(html), Cow::Borrowed(_)));
    }

    #[test]
    fn long_texts_are_cut_and_the_sanitized_text_is_the_same() {
        let html = format!(
            "<p title=\"{}\">{}</p>",
            "t".repeat(3000),
            "&amp;".repeat(5000)
        );
        let cut = cut(&html);
        assert_eq!(cut.matches("<wbr>").count(), 5000 / PIECE);
        assert!(!cut.contains("ttt"), "long attribute values are left out");
        let clean = crate::sanitize_html(&html);
        assert_eq!(clean, format!("<p>{}</p>", "&amp;".repeat(5000)));
    }

    #[test]
    fn dropped_and_text_only_elements_match_the_policy() {
        let long = "x".repeat(PIECE + 1);
        let html = format!(
            "<script>{long}</script><xmp>a&b{long}</xmp><textarea>{long}</textarea><p>{long}</p>"
        );
        let clean = crate::sanitize_html(&html);
        assert!(!clean.contains("script") && !clean.contains("xmp") && !clean.contains("wbr"));
        assert_eq!(clean.matches(&long).count(), 2, "{clean}");
        assert!(clean.contains("a&amp;b"));
    }
}
