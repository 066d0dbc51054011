//! Reading a search request: the raw query string decoded strictly, AO3's search-form
//! fields folded into a [`WorkFilter`], and values nobody could understand reported.
//!
//! [`WorkFilter::from_pairs`] is lenient (a value it cannot read is dropped, as on AO3),
//! which is right for links and bookmarks but wrong for a reader who typed "lots" into
//! "Words from": they would get results silently ignoring what they asked. So this module
//! checks every typed value first and reports the ones it cannot use; the page shows the
//! form again with what was typed and a message (a 400, never a 500).
//!
//! AO3's search form names some fields differently from its filter links; they are mapped
//! here onto what `WorkFilter` reads:
//! - `work_search[title]` and `work_search[creators]` become `title:` and `creator:`
//!   terms of the text query;
//! - `work_search[fandom_names]`, `[character_names]`, `[relationship_names]`,
//!   `[freeform_names]` become `work_search[other_tag_names]`;
//! - `work_search[rating_ids]`, `[archive_warning_ids][]`, `[category_ids][]` become
//!   `include_work_search[...]`;
//! - `work_search[word_count]` (`<1000`, `>5000`, `1000-5000`) becomes `words_from`/`words_to`.

use tome_model::filter::{Direction, RelativeDate, SortColumn, WorkFilter};

/// A value the reader typed that cannot be used: the field's key and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// A search request, read.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The pairs as typed (decoded), for showing the form again.
    pub typed: Vec<(String, String)>,
    pub filter: WorkFilter,
    pub errors: Vec<FieldError>,
    /// Whether any search or filter field was sent (else the empty form is shown).
    pub has_search: bool,
    /// `edit_search=true`: show the form filled in rather than the results.
    pub edit: bool,
}

impl Parsed {
    /// What the reader typed for `key` (the last value), or "".
    pub fn typed(&self, key: &str) -> &str {
        self.typed
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value typed for `key` (checkbox lists).
    pub fn typed_all(&self, key: &str) -> Vec<&str> {
        self.typed
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Decodes a raw query string strictly: `+` is a space, `%XX` a byte, and the bytes must
/// be UTF-8. A broken escape or invalid text is reported, not guessed at.
pub fn decode(raw: Option<&str>) -> Result<Vec<(String, String)>, String> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for part in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((component(k)?, component(v)?));
    }
    Ok(out)
}

fn component(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                let Some(b) = hex else {
                    let near: String = s[i..].chars().take(6).collect();
                    return Err(format!(
                        "The search address has a broken %-escape (near \u{201c}{near}\u{201d}). \
                         Check the link, or search again from the form."
                    ));
                };
                out.push(b);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| {
        "The search address is not valid UTF-8 text. Check the link, or search again from the form."
            .to_string()
    })
}

/// Splits free text into the words the index's tokenizer would see, so a typed title or
/// creator name cannot inject query syntax.
fn words(v: &str) -> impl Iterator<Item = &str> {
    v.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// `<1000`, `>5000`, `1000-5000`, `1000` (AO3's word count field): `(from, to)`.
fn word_range(v: &str) -> Option<(Option<u64>, Option<u64>)> {
    let n = |s: &str| -> Option<u64> {
        let d: String = s
            .chars()
            .filter(|c| !matches!(c, ',' | '_' | ' '))
            .collect();
        d.parse().ok()
    };
    let v = v.trim();
    if let Some(r) = v.strip_prefix('<') {
        return Some((None, Some(n(r)?)));
    }
    if let Some(r) = v.strip_prefix('>') {
        return Some((Some(n(r)?), None));
    }
    if let Some((a, b)) = v.split_once('-') {
        let (a, b) = (n(a)?, n(b)?);
        return Some((Some(a.min(b)), Some(a.max(b))));
    }
    let x = n(v)?;
    Some((Some(x), Some(x)))
}

fn is_number(v: &str) -> bool {
    let d: String = v.chars().filter(|c| !matches!(c, ',' | '_')).collect();
    d.trim().parse::<u64>().is_ok()
}

/// Human names of the fields, for messages.
fn label(field: &str) -> &'static str {
    match field {
        "work_search[words_from]" => "Words from",
        "work_search[words_to]" => "Words to",
        "work_search[word_count]" => "Word count",
        "work_search[revised_at]" => "Date updated",
        "work_search[created_at]" => "Date posted",
        "work_search[sort_column]" => "Sort by",
        _ => "Sort direction",
    }
}

/// Reads decoded pairs: maps AO3's search-form names, checks typed values, builds the filter.
pub fn parse(typed: Vec<(String, String)>) -> Parsed {
    let mut errors = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut query_parts: Vec<String> = Vec::new();
    let mut has_search = false;
    let mut edit = false;
    let mut error = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.to_string(),
            message,
        })
    };
    for (k, v) in &typed {
        let (k, v) = (k.as_str(), v.as_str());
        if k == "edit_search" {
            edit = matches!(v, "true" | "1" | "T");
            continue;
        }
        if k.starts_with("work_search[")
            || k.starts_with("include_work_search[")
            || k.starts_with("exclude_work_search[")
        {
            has_search = true;
        }
        let blank = v.trim().is_empty();
        match k {
            "work_search[query]" => {
                if !blank {
                    query_parts.push(v.trim().to_string());
                }
            }
            "work_search[title]" => {
                query_parts.extend(words(v).map(|w| format!("title:{w}")));
            }
            "work_search[creators]" | "work_search[creator]" => {
                query_parts.extend(words(v).map(|w| format!("creator:{w}")));
            }
            "work_search[fandom_names]"
            | "work_search[character_names]"
            | "work_search[relationship_names]"
            | "work_search[freeform_names]" => {
                if !blank {
                    pairs.push(("work_search[other_tag_names]".into(), v.to_string()));
                }
            }
            "work_search[rating_ids]"
            | "work_search[rating_ids][]"
            | "work_search[archive_warning_ids][]"
            | "work_search[category_ids][]" => {
                if blank {
                    continue;
                }
                let name = k
                    .trim_start_matches("work_search[")
                    .trim_end_matches("[]")
                    .trim_end_matches(']');
                if v.split(',').all(|s| s.trim().parse::<i64>().is_ok()) {
                    pairs.push((format!("include_work_search[{name}][]"), v.to_string()));
                } else {
                    error(
                        k,
                        "Ratings, warnings and categories must be chosen from the list.".into(),
                    );
                }
            }
            "work_search[word_count]" => {
                if blank {
                    continue;
                }
                match word_range(v) {
                    Some((from, to)) => {
                        if let Some(f) = from {
                            pairs.push(("work_search[words_from]".into(), f.to_string()));
                        }
                        if let Some(t) = to {
                            pairs.push(("work_search[words_to]".into(), t.to_string()));
                        }
                    }
                    None => error(
                        k,
                        format!(
                            "{}: \u{201c}{v}\u{201d} is not a word count; write a number, \
                             \u{201c}<1000\u{201d}, \u{201c}>5000\u{201d} or \u{201c}1000-5000\u{201d}.",
                            label(k)
                        ),
                    ),
                }
            }
            "work_search[words_from]" | "work_search[words_to]" => {
                if !blank && !is_number(v) {
                    error(
                        k,
                        format!(
                            "{}: \u{201c}{v}\u{201d} is not a number of words.",
                            label(k)
                        ),
                    );
                } else {
                    pairs.push((k.to_string(), v.to_string()));
                }
            }
            "work_search[revised_at]" | "work_search[created_at]" => {
                if !blank && RelativeDate::parse(v).is_none() {
                    error(
                        k,
                        format!(
                            "{}: \u{201c}{v}\u{201d} is not a date range; write e.g. \
                             \u{201c}< 2 weeks\u{201d}, \u{201c}> 1 year\u{201d} or \u{201c}1-2 months\u{201d}.",
                            label(k)
                        ),
                    );
                } else {
                    pairs.push((k.to_string(), v.to_string()));
                }
            }
            "work_search[sort_column]" => {
                if !blank && SortColumn::parse(v).is_none() {
                    error(
                        k,
                        format!("{}: \u{201c}{v}\u{201d} is not a way to sort.", label(k)),
                    );
                } else {
                    pairs.push((k.to_string(), v.to_string()));
                }
            }
            "work_search[sort_direction]" => {
                if !blank && Direction::parse(v).is_none() {
                    error(
                        k,
                        format!(
                            "{}: \u{201c}{v}\u{201d} is neither ascending nor descending.",
                            label(k)
                        ),
                    );
                } else {
                    pairs.push((k.to_string(), v.to_string()));
                }
            }
            _ if (k.starts_with("include_work_search[")
                || k.starts_with("exclude_work_search["))
                && !blank
                && !v.split(',').all(|s| s.trim().parse::<i64>().is_ok()) =>
            {
                error(k, "Tags in filters must be chosen from the list.".into());
            }
            _ => pairs.push((k.to_string(), v.to_string())),
        }
    }
    if !query_parts.is_empty() {
        pairs.push(("work_search[query]".into(), query_parts.join(" ")));
    }
    let mut filter = WorkFilter::from_pairs(&pairs);
    bound(&mut filter, &mut errors);
    Parsed {
        filter,
        typed,
        errors,
        has_search,
        edit,
    }
}

/// Holds the filter to the engine's bounds (see `tome_search::bounds`): a search text
/// too long or too deeply nested, or too many tags, is reported and left out of the
/// filter (the typed values stay in the form), so nothing past a bound is ever parsed.
fn bound(filter: &mut WorkFilter, errors: &mut Vec<FieldError>) {
    if let Err(e) = tome_search::bounds::check_query(&filter.query) {
        errors.push(FieldError {
            field: "work_search[query]".into(),
            message: e.to_string(),
        });
        filter.query.clear();
    }
    if let Err(e) = tome_search::bounds::check_filter(filter) {
        errors.push(FieldError {
            field: "work_search[other_tag_names]".into(),
            message: e.to_string(),
        });
        filter.include.clear();
        filter.exclude.clear();
        filter.include_names.clear();
        filter.exclude_names.clear();
        filter.any_of.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tome_model::filter::SortColumn;

    fn p(q: &str) -> Parsed {
        parse(decode(Some(q)).expect("decodes"))
    }

    #[test]
    fn strict_decoding() {
        assert_eq!(
            decode(Some("a=b+c&d=%E2%9C%93&e")).expect("ok"),
            vec![
                ("a".into(), "b c".into()),
                ("d".into(), "\u{2713}".into()),
                ("e".into(), String::new())
            ]
        );
        assert!(decode(Some("work_search%5Bquery%5D=%ZZ")).is_err());
        assert!(decode(Some("q=%FF%FE")).is_err());
        assert!(decode(Some("q=%4")).is_err());
    }

    #[test]
    fn search_form_names_map_onto_the_filter() {
        let r = p(
            "work_search%5Bquery%5D=ember&work_search%5Btitle%5D=Long+Way%21&work_search%5Bcreators%5D=ink\
                   &work_search%5Bfandom_names%5D=Alpha&work_search%5Bcharacter_names%5D=Ann%2CBo\
                   &work_search%5Brating_ids%5D=3&work_search%5Bword_count%5D=%3C1%2C000\
                   &work_search%5Bsort_column%5D=kudos_count",
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(r.has_search);
        assert_eq!(r.filter.query, "ember title:Long title:Way creator:ink");
        assert_eq!(r.filter.include_names, vec!["Alpha", "Ann", "Bo"]);
        assert_eq!(r.filter.include.len(), 1);
        assert_eq!(r.filter.words_to, Some(1000));
        assert_eq!(r.filter.sort, Some(SortColumn::Kudos));
    }

    #[test]
    fn typed_garbage_is_reported() {
        let r = p(
            "work_search%5Bwords_from%5D=lots&work_search%5Brevised_at%5D=soon\
                   &work_search%5Bsort_column%5D=DROP&include_work_search%5Bfandom_ids%5D%5B%5D=x",
        );
        let fields: Vec<&str> = r.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "work_search[words_from]",
                "work_search[revised_at]",
                "work_search[sort_column]",
                "include_work_search[fandom_ids][]"
            ]
        );
        assert_eq!(r.typed("work_search[words_from]"), "lots");
        // Empty fields (an unfilled form) are fine.
        let r = p("work_search%5Bwords_from%5D=&work_search%5Bquery%5D=&commit=Search");
        assert!(r.errors.is_empty());
        assert!(r.has_search);
        assert!(!p("").has_search);
    }
}
