//! Bounds on what a reader may ask of the engine, checked in one linear pass over the
//! query text before anything parses it.
//!
//! tantivy's query parser recurses once per `(` and once per `NOT ` keyword, and the
//! query it builds nests one boolean query per group (a `+` or `-` in front of a group
//! adds a unary level), so a guest's `((((…` 1,000 deep overflowed a worker thread's
//! stack and aborted the whole process. Every query therefore passes [`check_query`]
//! (and every filter [`check_filter`]) first; past a bound the reader is told which one
//! and nothing is parsed.
//!
//! The depth counted here is an upper bound of the parser's recursion: every `(` counts
//! one level plus one per `+`, `-` or `NOT` directly in front of it, and a run of `NOT`s
//! or prefixes counts as deep as it is long. Parentheses inside a quoted phrase are
//! counted too (the check does not try to follow the parser's quoting rules, so it can
//! only over-count, never let a deep query through).

use tome_model::filter::WorkFilter;

/// Longest search text, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Deepest nesting of groups (parentheses, and `+`/`-`/`NOT` in front of them).
pub const MAX_QUERY_DEPTH: usize = 10;
/// Most words and operators in one search text.
pub const MAX_QUERY_TERMS: usize = 100;
/// Most tags named or chosen in one filter (included, excluded and "any of" together).
pub const MAX_FILTER_TAGS: usize = 100;

/// A search past one of the bounds: the message tells the reader which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryTooComplex {
    #[error(
        "The search text is too long ({chars} characters); at most {max} characters can be searched. Please shorten it."
    )]
    TooLong { chars: usize, max: usize },
    #[error(
        "The search text nests parentheses (or +, - and NOT before them) {depth} levels deep; at most {max} levels are allowed. Please simplify it."
    )]
    TooDeep { depth: usize, max: usize },
    #[error(
        "The search text has {terms} words and operators; at most {max} are allowed. Please shorten it."
    )]
    TooManyTerms { terms: usize, max: usize },
    #[error(
        "The search names {tags} tags; at most {max} tags can be filtered on at once. Please remove some."
    )]
    TooManyTags { tags: usize, max: usize },
}

/// Checks a search text against the bounds, in one pass, before any parsing.
pub fn check_query(q: &str) -> Result<(), QueryTooComplex> {
    // Length first, so the passes below never run over more than the bound.
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryTooComplex::TooLong {
            chars,
            max: MAX_QUERY_CHARS,
        });
    }
    let depth = depth(q);
    if depth > MAX_QUERY_DEPTH {
        return Err(QueryTooComplex::TooDeep {
            depth,
            max: MAX_QUERY_DEPTH,
        });
    }
    let terms = terms(q);
    if terms > MAX_QUERY_TERMS {
        return Err(QueryTooComplex::TooManyTerms {
            terms,
            max: MAX_QUERY_TERMS,
        });
    }
    Ok(())
}

/// Checks the whole filter: its text and how many tags it names.
pub fn check_filter(f: &WorkFilter) -> Result<(), QueryTooComplex> {
    check_query(f.query.trim())?;
    let tags = f.include.len()
        + f.exclude.len()
        + f.include_names.len()
        + f.exclude_names.len()
        + f.any_of.iter().map(Vec::len).sum::<usize>();
    if tags > MAX_FILTER_TAGS {
        return Err(QueryTooComplex::TooManyTags {
            tags,
            max: MAX_FILTER_TAGS,
        });
    }
    Ok(())
}

/// The deepest nesting in `q` (see the module docs for what counts).
pub fn depth(q: &str) -> usize {
    // Weights of the open groups: 1 for the group, plus the prefixes in front of it.
    let mut open: Vec<usize> = Vec::new();
    let mut in_groups = 0usize;
    // Prefixes (`+`, `-`, `NOT`) read since the last word, not yet attached to a group.
    let mut pending = 0usize;
    let mut max = 0usize;
    let mut rest = q;
    while let Some(c) = rest.chars().next() {
        let mut step = c.len_utf8();
        match c {
            '(' => {
                let weight = 1 + pending;
                pending = 0;
                open.push(weight);
                in_groups += weight;
            }
            ')' => {
                pending = 0;
                if let Some(w) = open.pop() {
                    in_groups -= w;
                }
            }
            '+' | '-' => pending += 1,
            c if c.is_whitespace() => {}
            _ => {
                if rest.starts_with("NOT") && rest[3..].starts_with(char::is_whitespace) {
                    pending += 1;
                    step = 3;
                } else {
                    // A word: the prefixes before it applied to it, not to a group.
                    pending = 0;
                    step = rest
                        .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')'))
                        .unwrap_or(rest.len())
                        .max(step);
                }
            }
        }
        max = max.max(in_groups + pending);
        rest = &rest[step..];
    }
    max
}

/// Words and operators in `q`: every run of text between white space and parentheses.
fn terms(q: &str) -> usize {
    q.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')'))
        .filter(|t| !t.is_empty())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_groups_and_their_prefixes() {
        assert_eq!(depth(""), 0);
        assert_eq!(depth("dragons slow burn"), 0);
        assert_eq!(depth("(a b)"), 1);
        assert_eq!(depth("(a (b c)) (d)"), 2);
        assert_eq!(depth("-(a)"), 2);
        assert_eq!(depth("+(-(a))"), 4);
        assert_eq!(depth("NOT NOT NOT a"), 3);
        assert_eq!(depth("NOTE a"), 0);
        assert_eq!(depth("-a -b -c"), 1);
        // Unbalanced closers never go below zero.
        assert_eq!(depth("))) (a"), 1);
        assert_eq!(depth(&"(".repeat(1000)), 1000);
        assert_eq!(depth(&"-(".repeat(1000)), 2000);
        assert_eq!(depth(&"+(".repeat(2000)), 4000);
    }

    #[test]
    fn bounds_refuse_with_a_message() {
        assert!(check_query("dragons \"slow burn\" -angst title:ember").is_ok());
        assert!(check_query(&format!("{}a{}", "(".repeat(10), ")".repeat(10))).is_ok());
        let deep = check_query(&"(".repeat(1000)).unwrap_err();
        assert!(matches!(deep, QueryTooComplex::TooDeep { .. }));
        assert!(deep.to_string().contains("at most 10 levels"), "{deep}");
        assert!(matches!(
            check_query(&"x".repeat(1001)),
            Err(QueryTooComplex::TooLong { chars: 1001, .. })
        ));
        assert!(matches!(
            check_query(&"a ".repeat(101)),
            Err(QueryTooComplex::TooManyTerms { terms: 101, .. })
        ));
        let f = WorkFilter {
            include_names: (0..101).map(|i| format!("t{i}")).collect(),
            ..WorkFilter::default()
        };
        assert!(matches!(
            check_filter(&f),
            Err(QueryTooComplex::TooManyTags { tags: 101, .. })
        ));
    }
}
