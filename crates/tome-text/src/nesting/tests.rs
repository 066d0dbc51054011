use super::*;

fn nested(open: &str, close: &str, n: usize) -> String {
    format!("{}x{}", open.repeat(n), close.repeat(n))
}

#[test]
fn depth_is_html5evers_own() {
    assert_eq!(html_depth("plain", 10), Some(0));
    assert_eq!(html_depth("<p>a</p><p>b</p>", 10), Some(1));
    assert_eq!(html_depth("<div><p><em>a</em></p></div>", 10), Some(3));
    // Unclosed paragraphs and list items close each other: not nesting.
    assert_eq!(html_depth(&"<p>a".repeat(500), 10), Some(1));
    assert_eq!(
        html_depth(&format!("<ul>{}</ul>", "<li>a".repeat(500)), 10),
        Some(2)
    );
    // Void elements nest nothing.
    assert_eq!(html_depth(&"<br><hr><img src=x>".repeat(500), 10), Some(1));
    // Text inside raw-text elements and comments is not markup.
    assert_eq!(
        html_depth(
            &format!(
                "<!--{}--><textarea>{}</textarea>",
                "<div>".repeat(50),
                "<b>".repeat(50)
            ),
            10
        ),
        Some(1)
    );
    assert_eq!(html_depth(&nested("<div>", "</div>", 11), 10), None);
    assert_eq!(html_depth(&nested("<div>", "</div>", 10), 10), Some(10));
}

#[test]
fn misnested_formatting_is_counted_as_the_parser_nests_it() {
    // Each `</p>` leaves the `<b>` open in the list of active formatting elements; the
    // next paragraph reopens them all. Identical ones are capped at three by the parser.
    let same = "<p><b>x</p>".repeat(1000);
    assert!(html_depth(&same, MAX_NESTING).is_some());
    let distinct: String = (0..1000)
        .map(|i| format!("<p><b id=\"{i}\">x</p>"))
        .collect();
    assert_eq!(html_depth(&distinct, MAX_NESTING), None);
    // A `</span>` cannot close through a `<div>`: the divs stay open.
    assert_eq!(
        html_depth(&"<span><div></span>".repeat(1000), MAX_NESTING),
        None
    );
}

#[test]
fn check_html_refuses_past_the_limit_with_a_sentence() {
    assert!(check_html(&nested("<div>", "</div>", MAX_NESTING)).is_ok());
    let err = check_html(&nested("<div>", "</div>", MAX_NESTING + 1)).unwrap_err();
    assert_eq!(err, NestingError::HtmlTooDeep { limit: MAX_NESTING });
    assert!(
        err.to_string()
            .starts_with("the text is nested more than 100 levels deep")
    );
}

#[test]
fn bound_html_keeps_shallow_text_as_it_is() {
    let html = "<div><p><em>a</em> b</p></div>";
    assert!(matches!(bound_html(html), Cow::Borrowed(_)));
}

#[test]
fn bound_html_flattens_past_the_limit_keeping_the_text() {
    let html = format!(
        "{}<em>deep</em> text{}",
        "<div>".repeat(5000),
        "</div>".repeat(5000)
    );
    let flat = bound_html(&html);
    assert!(html_depth(&flat, MAX_NESTING).is_some(), "still too deep");
    assert!(
        flat.contains("<em>deep</em> text") || flat.contains("deep text"),
        "{}",
        &flat[flat.len().saturating_sub(300)..]
    );
    assert!(flat.len() < html.len());
}

#[test]
fn bound_html_falls_back_to_paragraphs_of_text() {
    // The flattener's count and the parser's disagree here (a `</span>` cannot close
    // the divs); the result must still be shallow and keep the words.
    let html = "<span><div>word </span>".repeat(3000);
    let flat = bound_html(&html);
    assert!(html_depth(&flat, MAX_NESTING).is_some());
    assert_eq!(flat.matches("word").count(), 3000);
}

#[test]
fn markdown_depth_counts_quotes_lists_and_indentation() {
    assert_eq!(line_depth("> > - 1. text"), 4 + 4 / 2);
    assert_eq!(line_depth("plain > not a quote"), 0);
    assert_eq!(line_depth("-not a list"), 0);
    assert!(check_markdown(&">".repeat(MAX_NESTING)).is_ok());
    assert_eq!(
        check_markdown(&">".repeat(MAX_NESTING + 1)),
        Err(NestingError::MarkdownTooDeep { limit: MAX_NESTING })
    );
    assert!(check_markdown(&format!("{}x", "- ".repeat(10_000))).is_err());
    assert!(check_markdown(&format!("{}x", " ".repeat(400))).is_err());
}

#[test]
fn bound_markdown_escapes_the_markers_past_the_limit() {
    let md = format!("{} deep\n\nnext", ">".repeat(50_000));
    let bounded = bound_markdown(&md);
    assert!(check_markdown(&bounded).is_ok());
    assert!(bounded.ends_with("deep\n\nnext"));
}
