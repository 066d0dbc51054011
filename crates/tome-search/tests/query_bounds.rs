//! Random search texts, deep ones included, never panic or overflow the stack through
//! the public query building (`query::build`, driven by `query::Standalone`), and every
//! text within the bounds builds and runs.

use proptest::prelude::*;
use tome_model::filter::WorkFilter;
use tome_search::bounds::{self, QueryTooComplex};
use tome_search::query::Standalone;

/// The stack of a tokio blocking thread (where searches run), so an accepted query that
/// still recursed too deep would fail here as it would in the server.
const STACK: usize = 2 * 1024 * 1024;

fn filter(q: &str) -> WorkFilter {
    WorkFilter {
        query: q.to_string(),
        ..WorkFilter::default()
    }
}

/// Runs `texts` through the engine on a thread with the server's stack.
fn run_all(texts: Vec<String>) -> Vec<(String, Result<usize, String>)> {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let engine = Standalone::new().expect("engine");
            texts
                .into_iter()
                .map(|t| {
                    let r = engine.run(&filter(&t)).map_err(|e| e.to_string());
                    (t, r)
                })
                .collect()
        })
        .expect("thread")
        .join()
        .expect("no panic, no overflow")
}

/// Pieces of query syntax, to make texts that nest, negate and group.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("(".to_string()),
        Just(")".to_string()),
        Just("-(".to_string()),
        Just("+(".to_string()),
        Just("NOT ".to_string()),
        Just(" AND ".to_string()),
        Just(" OR ".to_string()),
        Just("\"".to_string()),
        Just("title:".to_string()),
        Just("*".to_string()),
        Just("^2".to_string()),
        Just("[a TO b]".to_string()),
        Just(" ".to_string()),
        "[a-z]{1,8}",
        "\\PC{1,4}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..200).prop_map(|v| v.concat())
}

/// A deep text: `prefix` repeated `n` times around a word.
fn deep() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("("), Just("-("), Just("+("), Just("NOT "), Just("+-(")],
        0usize..3000,
        any::<bool>(),
    )
        .prop_map(|(prefix, n, close)| {
            let mut s = prefix.repeat(n);
            s.push_str("ember");
            if close {
                s.push_str(&")".repeat(n));
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_texts_never_panic(texts in prop::collection::vec(text(), 1..16)) {
        for (t, r) in run_all(texts) {
            match bounds::check_query(t.trim()) {
                // Within the bounds: runs, or is refused with words for the reader
                // (never an index failure, which the site would answer with a 500).
                Ok(()) => prop_assert!(
                    r.as_ref().is_ok_and(|n| *n == 0)
                        || r.as_ref().is_err_and(|e| e.starts_with("Part of the search text")),
                    "{t:?}: {r:?}"
                ),
                Err(e) => prop_assert_eq!(r, Err(e.to_string())),
            }
        }
    }

    #[test]
    fn deep_texts_are_refused_or_run(texts in prop::collection::vec(deep(), 1..8)) {
        for (t, r) in run_all(texts) {
            let depth = bounds::depth(&t);
            if t.chars().count() > bounds::MAX_QUERY_CHARS || depth > bounds::MAX_QUERY_DEPTH {
                prop_assert!(r.is_err(), "{} deep accepted", depth);
            } else {
                prop_assert!(r.is_ok(), "{t:?}: {r:?}");
            }
        }
    }
}

#[test]
fn the_reported_crashes_are_refused() {
    let texts = vec![
        "(".repeat(1000),
        "-(".repeat(1000),
        "+(".repeat(2000),
        "NOT ".repeat(240) + "x",
    ];
    for (t, r) in run_all(texts) {
        let err = r.expect_err(&t[..8]);
        assert!(err.starts_with("The search text"), "{err}");
    }
    // The deepest accepted nesting builds and runs.
    let ok = format!(
        "{}ember{}",
        "(".repeat(bounds::MAX_QUERY_DEPTH),
        ")".repeat(bounds::MAX_QUERY_DEPTH)
    );
    assert_eq!(run_all(vec![ok])[0].1, Ok(0));
    assert!(matches!(
        bounds::check_query(&"-(".repeat(6)),
        Err(QueryTooComplex::TooDeep { depth: 12, .. })
    ));
}

/// Found by the property test: a field name the index doesn't have, followed by `*`,
/// is the reader's text to change (words for the reader), never an index failure (a 500).
#[test]
fn an_unknown_field_with_a_star_is_the_readers_to_change() {
    for (t, r) in run_all(vec!["\"\"-(atitle:* AND ".into(), "nosuchfield:*".into()]) {
        let err = r.expect_err(&t);
        assert!(err.starts_with("Part of the search text"), "{t}: {err}");
    }
}
