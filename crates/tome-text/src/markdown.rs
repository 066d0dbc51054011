//! Markdown in: what authors type in a posting form or an imported `.md` file.
//!
//! CommonMark plus the extensions fan fiction uses (tables, ~~strikethrough~~,
//! footnotes). Raw HTML inside the Markdown is allowed through the renderer, because
//! authors mix `<em>` and `<center>` into their Markdown, but the whole result then
//! passes the one sanitizer policy, so nothing reaches a page that the policy would not
//! let through from an HTML post.

use pulldown_cmark::{Options, Parser, html};

use crate::nesting::{NestingError, bound_markdown, check_markdown};
use crate::{sanitize_html, try_sanitize_html};

/// Renders Markdown to sanitized HTML. Never fails: nesting past
/// [`crate::MAX_NESTING`] is made shallow ([`bound_markdown`], then the sanitizer's own
/// bound for raw HTML). Text being submitted goes through [`try_markdown_to_html`].
pub fn markdown_to_html(md: &str) -> String {
    sanitize_html(&render(&bound_markdown(md)))
}

/// Renders Markdown to sanitized HTML, refusing block quotes, lists or raw HTML nested
/// past [`crate::MAX_NESTING`] with an error to show beside the field.
pub fn try_markdown_to_html(md: &str) -> Result<String, NestingError> {
    check_markdown(md)?;
    try_sanitize_html(&render(md))
}

fn render(md: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let parser = Parser::new_ext(md, options);
    let mut raw = String::with_capacity(md.len() + md.len() / 4);
    html::push_html(&mut raw, parser);
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_emphasis_paragraphs_and_rules() {
        let html = markdown_to_html("Hello *world* and **you**.\n\n---\n\nNext.");
        assert!(html.contains("<p>Hello <em>world</em> and <strong>you</strong>.</p>"));
        assert!(html.contains("<hr>"));
        assert!(html.contains("<p>Next.</p>"));
    }

    #[test]
    fn tables_and_strikethrough() {
        let html = markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<td>1</td>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
    }

    #[test]
    fn footnotes_keep_their_text() {
        let html = markdown_to_html("Text[^1].\n\n[^1]: The note.");
        assert!(html.contains("The note."), "{html}");
    }

    #[test]
    fn raw_script_is_removed() {
        let html = markdown_to_html(
            "Hi <script>alert(1)</script> there.\n\n<script>\nalert(2)\n</script>\n\n<img src=x onerror=alert(3)> [x](javascript:alert(4))",
        );
        for bad in ["<script", "alert", "onerror", "javascript:"] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains("Hi"));
    }

    #[test]
    fn allowed_raw_html_survives_and_links_get_nofollow() {
        let html = markdown_to_html("<em>kept</em> and [a link](https://example.com/)");
        assert!(html.contains("<em>kept</em>"));
        assert!(html.contains(r#"rel="nofollow noopener noreferrer""#));
    }
}
