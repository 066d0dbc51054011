//! Markdown in: what authors type in a posting form or an imported `.md` file.
//!
//! CommonMark plus the extensions fan fiction uses (tables, ~~strikethrough~~,
//! footnotes). Raw HTML inside the Markdown is allowed through the renderer, because
//! authors mix `<em>` and `<center>` into their Markdown, but the whole result then
//! passes the one sanitizer policy, so nothing reaches a page that the policy would not
//! let through from an HTML post.

use pulldown_cmark::{Options, Parser, html};

use crate::sanitize_html;

/// Renders Markdown to sanitized HTML.
pub fn markdown_to_html(md: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let parser = Parser::new_ext(md, options);
    let mut raw = String::with_capacity(md.len() + md.len() / 4);
    html::push_html(&mut raw, parser);
    sanitize_html(&raw)
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
