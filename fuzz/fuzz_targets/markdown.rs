//! Markdown rendering: never panics; the HTML is within the nesting limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tome_text::nesting::{MAX_NESTING, html_depth};

fuzz_target!(|md: &str| {
    let html = tome_text::markdown_to_html(md);
    assert!(html_depth(&html, MAX_NESTING).is_some(), "markdown_to_html output too deep");
    if let Ok(html) = tome_text::try_markdown_to_html(md) {
        assert!(html_depth(&html, MAX_NESTING).is_some());
    }
});
