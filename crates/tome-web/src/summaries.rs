//! Listings' summaries, cleaned once. Every blurb's summary goes through the one
//! sanitizer when shown, even though it was cleaned when written (text stored before a
//! policy change, or written by another tool, is cleaned again on the way out). Cleaning
//! parses the HTML: on a search page of 20 blurbs that was a fifth of the page's cost
//! (profile in BENCHMARKS.md). `sanitize_html` is a pure function of its input, so its
//! output is kept here keyed by the exact text, bounded by bytes; a summary edited is a
//! new key, and an old one ages out.

use std::sync::{Arc, LazyLock};

/// Bytes of summaries (input and output) kept at most.
const KEPT_BYTES: u64 = 16 * 1024 * 1024;

static CLEANED: LazyLock<moka::sync::Cache<Arc<str>, Arc<str>>> = LazyLock::new(|| {
    moka::sync::Cache::builder()
        .weigher(|k: &Arc<str>, v: &Arc<str>| {
            u32::try_from(k.len() + v.len() + 64).unwrap_or(u32::MAX)
        })
        .max_capacity(KEPT_BYTES)
        .build()
});

/// `tome_text::sanitize_html(summary)`, from memory when this text was cleaned before.
pub fn cleaned(summary: &str) -> String {
    if let Some(hit) = CLEANED.get(summary) {
        return hit.to_string();
    }
    let clean = tome_text::sanitize_html(summary);
    CLEANED.insert(Arc::from(summary), Arc::from(clean.as_str()));
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_summaries_are_what_the_sanitizer_makes() {
        for s in [
            "<p>Plain <em>words</em></p>",
            "<p onclick=\"x()\">Hi<script>alert(1)</script></p>",
            "<font color=red>old</font><center>c</center>",
        ] {
            let first = cleaned(s);
            assert_eq!(first, tome_text::sanitize_html(s));
            assert_eq!(cleaned(s), first, "the kept copy");
        }
        assert!(!cleaned("<p onclick=\"x()\">Hi<script>alert(1)</script></p>").contains("script"));
    }
}
