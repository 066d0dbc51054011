//! The sanitizer: never panics, and whatever it returns is within the nesting limit,
//! whether it refused the text (`try_sanitize_html`) or made it shallow (`sanitize_html`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tome_text::nesting::{MAX_NESTING, html_depth};

fuzz_target!(|html: &str| {
    let clean = tome_text::sanitize_html(html);
    assert!(html_depth(&clean, MAX_NESTING).is_some(), "sanitize_html output too deep");
    if let Ok(clean) = tome_text::try_sanitize_html(html) {
        assert!(html_depth(&clean, MAX_NESTING).is_some());
    }
});
