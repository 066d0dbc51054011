//! Sanitized HTML5 to the XHTML an EPUB needs.
//!
//! The database holds HTML5 as the sanitizer writes it: void elements without a slash,
//! named entities, and old presentational markup (`<center>`, `align=`) that AO3 allows
//! and HTML5 validators reject. EPUB readers parse XML, and `epubcheck` validates
//! against the HTML5 schema, so we parse the fragment with html5ever (which also closes
//! whatever was left open) and write it out again as XML:
//!
//! - void elements self-close (`<br/>`), text and attributes are escaped, entities end up
//!   as characters (UTF-8), characters XML forbids are dropped;
//! - obsolete elements become their modern equivalents (`<center>` a `div.center`,
//!   `<strike>` `<s>`, `<tt>` `<code>`, `<big>` a `span.big`, `<acronym>` `<abbr>`),
//!   and `align="x"` a class `align-x` that the stylesheet styles;
//! - images are dropped and replaced by their alt text: remote images would need the
//!   EPUB "remote-resources" property and a network at reading time, and we ship no
//!   image files;
//! - links keep only absolute http(s)/mailto targets: a relative or `#fragment` link
//!   would point at a file or an id the book does not contain;
//! - attribute values the schema would reject (`width="50%"`, `dir="up"`) are dropped.

use scraper::{ElementRef, Html, Node};

/// Converts a sanitized HTML fragment to a well-formed XHTML fragment.
pub fn html_to_xhtml(html: &str) -> String {
    // Stored text may predate the nesting limit: made shallow, the parse is linear and
    // the walk below recurses at most `MAX_NESTING` deep.
    let html = crate::nesting::bound_html(html);
    let doc = Html::parse_fragment(&html);
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    children(doc.root_element(), &mut out);
    out
}

/// Escapes text for XML content or a double-quoted attribute, dropping characters
/// that XML 1.0 does not allow at all.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(text, &mut out);
    out
}

fn push_escaped(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

const VOID: &[&str] = &["br", "hr", "col", "wbr"];

fn children(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => push_escaped(t, out),
            Node::Element(_) => {
                if let Some(child_el) = ElementRef::wrap(child) {
                    element(child_el, out);
                }
            }
            _ => {}
        }
    }
}

fn element(el: ElementRef<'_>, out: &mut String) {
    let e = el.value();
    let name = e.name();
    let (tag, mut class): (&str, Option<&str>) = match name {
        "center" => ("div", Some("center")),
        "big" => ("span", Some("big")),
        "strike" => ("s", None),
        "tt" => ("code", None),
        "acronym" => ("abbr", None),
        "img" => {
            let alt = e.attr("alt").unwrap_or("").trim();
            if !alt.is_empty() {
                out.push_str("<span class=\"image-alt\">[");
                push_escaped(alt, out);
                out.push_str("]</span>");
            }
            return;
        }
        "script" | "style" | "template" | "iframe" | "object" | "embed" | "noscript" => return,
        // The sanitizer's allowlist; the legacy elements above were mapped first.
        n if crate::sanitize::ALLOWED_TAGS.contains(&n) => (n, None),
        // Anything else the parser produced: keep the content, lose the element.
        _ => {
            children(el, out);
            return;
        }
    };
    let mut attrs: Vec<(&str, String)> = Vec::new();
    let mut align_class = None;
    for (key, value) in e.attrs() {
        let value = value.trim();
        let keep = match key {
            "title" => true,
            "lang" if is_language_tag(value) => {
                attrs.push(("xml:lang", value.to_string()));
                true
            }
            "dir" => matches!(value, "ltr" | "rtl" | "auto"),
            "align" => {
                let v = value.to_ascii_lowercase();
                if matches!(v.as_str(), "left" | "right" | "center" | "justify") {
                    align_class = Some(format!("align-{v}"));
                }
                false
            }
            "href" if tag == "a" => is_external_link(value),
            "rel" if tag == "a" => true,
            "start" if tag == "ol" => value.parse::<i64>().is_ok(),
            "type" if tag == "ol" => matches!(value, "1" | "a" | "A" | "i" | "I"),
            "colspan" | "rowspan" if matches!(tag, "td" | "th") => {
                value.parse::<u32>().is_ok_and(|n| n >= 1)
            }
            "scope" if tag == "th" => matches!(value, "row" | "col" | "rowgroup" | "colgroup"),
            "span" if matches!(tag, "col" | "colgroup") => {
                value.parse::<u32>().is_ok_and(|n| n >= 1)
            }
            _ => false,
        };
        if keep {
            attrs.push((key, value.to_string()));
        }
    }
    // `rel` without `href` is invalid on <a>.
    if tag == "a" && !attrs.iter().any(|(k, _)| *k == "href") {
        attrs.retain(|(k, _)| *k != "rel");
    }
    let class_value = match (class.take(), align_class) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (Some(a), None) => Some(a.to_string()),
        (None, Some(b)) => Some(b),
        (None, None) => None,
    };
    out.push('<');
    out.push_str(tag);
    if let Some(c) = class_value {
        out.push_str(" class=\"");
        push_escaped(&c, out);
        out.push('"');
    }
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        push_escaped(&v, out);
        out.push('"');
    }
    if VOID.contains(&tag) {
        out.push_str("/>");
        return;
    }
    out.push('>');
    children(el, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

fn is_external_link(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"))
        && !href.chars().any(|c| c.is_whitespace())
}

fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty() && super::meta::language_tag(tag) == tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn void_elements_self_close_and_entities_become_characters() {
        assert_eq!(
            html_to_xhtml("<p>a&nbsp;b &amp; c&mdash;<br>d</p><hr>"),
            "<p>a\u{a0}b &amp; c—<br/>d</p><hr/>"
        );
    }

    #[test]
    fn unclosed_elements_are_closed() {
        assert_eq!(
            html_to_xhtml("<p>one<p>two <em>three"),
            "<p>one</p><p>two <em>three</em></p>"
        );
    }

    #[test]
    fn images_become_alt_text() {
        assert_eq!(
            html_to_xhtml(
                r#"<p><img src="https://e.com/x.png" alt="A cat &amp; dog"></p><img src="y.png">"#
            ),
            r#"<p><span class="image-alt">[A cat &amp; dog]</span></p>"#
        );
    }

    #[test]
    fn links_keep_only_external_targets() {
        assert_eq!(
            html_to_xhtml(
                r##"<a href="https://e.com/?a=1&amp;b=2" rel="nofollow">x</a><a href="#fn1" rel="nofollow">y</a><a name="top">z</a>"##
            ),
            r#"<a href="https://e.com/?a=1&amp;b=2" rel="nofollow">x</a><a>y</a><a>z</a>"#
        );
    }

    #[test]
    fn obsolete_markup_is_modernised() {
        assert_eq!(
            html_to_xhtml(
                r#"<center>c</center><p align="right">r</p><strike>s</strike><tt>t</tt><big>b</big><acronym title="x">a</acronym>"#
            ),
            r#"<div class="center">c</div><p class="align-right">r</p><s>s</s><code>t</code><span class="big">b</span><abbr title="x">a</abbr>"#
        );
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(html_to_xhtml("<p>a\u{1}b\u{c}c</p>"), "<p>abc</p>");
    }

    #[test]
    fn lang_gets_xml_lang() {
        assert_eq!(
            html_to_xhtml(r#"<span lang="fr">oui</span><span lang="bad tag">x</span>"#),
            r#"<span xml:lang="fr" lang="fr">oui</span><span>x</span>"#
        );
    }
}
