//! Any bytes as a guest's search request: the query string is read as the search page
//! reads it (`WorkFilter::from_pairs`), then built and run through the same bounded
//! entry point every search uses (`tome_search::query::build`, via `Standalone`). It
//! must never panic nor overflow the stack; past a bound it answers `QueryTooComplex`.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tome_model::filter::WorkFilter;
use tome_search::query::Standalone;

fn engine() -> &'static Standalone {
    static ENGINE: OnceLock<Standalone> = OnceLock::new();
    ENGINE.get_or_init(|| Standalone::new().expect("in-memory index"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // As the search text itself...
    let mut filter = WorkFilter::default();
    filter.query = text.to_string();
    let _ = engine().run(&filter);
    // ...and as a whole query string of search fields.
    let pairs: Vec<(String, String)> = text
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    let _ = engine().run(&WorkFilter::from_pairs(&pairs));
});
