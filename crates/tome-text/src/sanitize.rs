//! The one sanitizer policy for everything user-written (DESIGN.md, Security model).
//!
//! An allowlist like AO3's: paragraphs, emphasis, headings, lists, tables, block quotes,
//! rules, links (forced `rel="nofollow noopener noreferrer"`) and images by http(s) URL.
//! No scripts, styles, event handlers, iframes, forms or `javascript:` URLs: whatever is
//! not on the list is dropped, and the text inside harmless unknown elements is kept.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::long_text;
use crate::nesting::{NestingError, bound_html, check_html};

/// Elements the policy keeps (everything else is dropped, its harmless text kept).
/// The EPUB writer converts exactly these to XHTML, so the two can never disagree.
pub const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "b",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

fn policy() -> &'static ammonia::Builder<'static> {
    static POLICY: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    POLICY.get_or_init(|| {
        let tags: HashSet<&'static str> = ALLOWED_TAGS.iter().copied().collect();
        let mut b = ammonia::Builder::default();
        b.tags(tags)
            .generic_attributes(["title", "lang", "dir", "align"].into_iter().collect())
            .add_tag_attributes("a", ["href", "name"])
            .add_tag_attributes("img", ["src", "alt", "width", "height"])
            .add_tag_attributes("ol", ["start", "type"])
            .add_tag_attributes("td", ["colspan", "rowspan"])
            .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("nofollow noopener noreferrer"))
            .clean_content_tags(
                [
                    "script", "style", "iframe", "object", "embed", "template", "noscript",
                    "textarea", "select",
                ]
                .into_iter()
                .collect(),
            )
            .strip_comments(true);
        b
    })
}

/// Cleans user-written HTML by the archive's policy. Safe to call on already-clean HTML.
///
/// Never fails: HTML nested past [`crate::MAX_NESTING`] (text stored before the limit existed)
/// is made shallow first ([`bound_html`]). Text being submitted goes through
/// [`try_sanitize_html`] instead, which refuses it.
pub fn sanitize_html(html: &str) -> String {
    let bounded = bound_html(html);
    policy().clean(&long_text::cut(&bounded)).to_string()
}

/// Cleans user-written HTML as [`sanitize_html`] does, but refuses HTML nested past
/// [`crate::MAX_NESTING`] with an error to show beside the field.
pub fn try_sanitize_html(html: &str) -> Result<String, NestingError> {
    check_html(html)?;
    Ok(policy().clean(&long_text::cut(html)).to_string())
}

/// Escapes plain text for use inside HTML text content or a double-quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_js_urls_are_removed() {
        let dirty = r#"<p onclick="x()">Hi<script>alert(1)</script><img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">j</a><style>p{}</style><iframe src="https://e.com"></iframe></p>"#;
        let clean = sanitize_html(dirty);
        for bad in [
            "script",
            "onclick",
            "onerror",
            "javascript:",
            "<style",
            "iframe",
            "alert",
        ] {
            assert!(!clean.contains(bad), "{bad} survived in {clean}");
        }
        assert!(clean.contains("<p>Hi"));
    }

    #[test]
    fn links_get_nofollow_and_markup_survives() {
        let clean = sanitize_html(
            r#"<p><em>a</em> <strong>b</strong> <a href="https://e.com/">c</a></p><hr><blockquote>q</blockquote>"#,
        );
        assert!(clean.contains(r#"rel="nofollow noopener noreferrer""#));
        assert!(
            clean.contains("<em>a</em>")
                && clean.contains("<hr>")
                && clean.contains("<blockquote>")
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
