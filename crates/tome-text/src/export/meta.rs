//! What every download format says about a work, worded as AO3 words it, so a reader
//! who knows AO3's downloads finds the same preface in ours.

use super::{ExportChapter, ExportWork};

/// The preface's tag rows in AO3's order, each with its label and values; rows with no
/// values are left out.
pub fn tag_rows(work: &ExportWork) -> Vec<(&'static str, Vec<String>)> {
    let rows = [
        ("Rating", vec![work.rating.name().to_string()]),
        ("Archive Warning", work.warnings.clone()),
        ("Category", work.categories.clone()),
        ("Fandom", work.fandoms.clone()),
        ("Relationship", work.relationships.clone()),
        ("Character", work.characters.clone()),
        ("Additional Tags", work.freeforms.clone()),
    ];
    rows.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

/// "Published: 2020-01-01 Updated: 2020-02-01 Words: 1,234 Chapters: 2/?".
///
/// Like AO3: a multi-chapter work shows "Completed" or "Updated" with its last date when
/// that differs from the first.
pub fn stats_line(work: &ExportWork) -> String {
    let mut parts = vec![format!("Published: {}", date(work.published_at))];
    let published = date(work.published_at);
    let updated = date(work.updated_at);
    if !is_one_shot(work) && updated != published {
        let label = if work.complete {
            "Completed"
        } else {
            "Updated"
        };
        parts.push(format!("{label}: {updated}"));
    }
    parts.push(format!("Words: {}", thousands(work.words)));
    let expected = work
        .expected_chapters
        .map_or_else(|| "?".to_string(), |n| n.to_string());
    parts.push(format!("Chapters: {}/{}", work.chapter_count, expected));
    parts.join(" ")
}

/// A one-shot has one chapter and expects no more; it gets no chapter heading.
/// A "1/?" work in progress is chaptered, as on AO3.
pub fn is_one_shot(work: &ExportWork) -> bool {
    work.chapters.len() <= 1
        && (work.expected_chapters == Some(1)
            || (work.expected_chapters.is_none() && work.complete))
}

/// "Chapter 3" or "Chapter 3: Title"; `None` for a one-shot.
pub fn chapter_heading(work: &ExportWork, chapter: &ExportChapter) -> Option<String> {
    if is_one_shot(work) {
        return None;
    }
    Some(match chapter.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => format!("Chapter {}: {}", chapter.position, t),
        _ => format!("Chapter {}", chapter.position),
    })
}

/// "by A, B and C"-style byline text without the "by".
pub fn authors_text(work: &ExportWork) -> String {
    match work.authors.as_slice() {
        [] => "Anonymous".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

/// The language's English name for common tags, else the tag itself.
pub fn language_name(tag: &str) -> String {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = match primary.as_str() {
        "en" => "English",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "ru" => "Русский",
        "uk" => "Українська",
        "ja" => "日本語",
        "zh" => "中文",
        "ko" => "한국어",
        "sv" => "Svenska",
        "fi" => "Suomi",
        "da" => "Dansk",
        "no" | "nb" | "nn" => "Norsk",
        "cs" => "Čeština",
        "tr" => "Türkçe",
        "ar" => "العربية",
        "he" => "עברית",
        "id" => "Bahasa Indonesia",
        "vi" => "Tiếng Việt",
        "th" => "ไทย",
        _ => return tag.to_string(),
    };
    name.to_string()
}

/// A well-formed BCP 47 tag for `lang`/`xml:lang` and `dc:language`; "und"
/// (undetermined) when the stored value is not one, since EPUB checkers reject bad tags.
pub fn language_tag(tag: &str) -> String {
    let tag = tag.trim();
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        tag.to_string()
    } else {
        "und".to_string()
    }
}

/// "2020-01-31" (UTC).
pub fn date(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "Posted originally on the Test Archive at http://…/works/7." or without the URL.
pub fn posted_on(work: &ExportWork) -> String {
    match &work.url {
        Some(url) => format!("Posted originally on {} at {}.", work.archive_name, url),
        None => format!("Posted originally on {}.", work.archive_name),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_work::sample;
    use super::*;

    #[test]
    fn stats_read_like_ao3() {
        let mut w = sample();
        assert_eq!(
            stats_line(&w),
            "Published: 2020-01-01 Updated: 2020-02-01 Words: 1,234 Chapters: 2/?"
        );
        w.complete = true;
        w.expected_chapters = Some(2);
        assert_eq!(
            stats_line(&w),
            "Published: 2020-01-01 Completed: 2020-02-01 Words: 1,234 Chapters: 2/2"
        );
    }

    #[test]
    fn headings_for_chaptered_works_only() {
        let mut w = sample();
        assert_eq!(
            chapter_heading(&w, &w.chapters[0]).as_deref(),
            Some("Chapter 1: Beginnings")
        );
        assert_eq!(
            chapter_heading(&w, &w.chapters[1]).as_deref(),
            Some("Chapter 2")
        );
        w.chapters.truncate(1);
        w.expected_chapters = Some(1);
        assert_eq!(chapter_heading(&w, &w.chapters[0]), None);
        w.expected_chapters = None;
        assert!(
            chapter_heading(&w, &w.chapters[0]).is_some(),
            "1/? is chaptered"
        );
    }

    #[test]
    fn small_helpers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(language_tag("en-GB"), "en-GB");
        assert_eq!(language_tag("English"), "English");
        assert_eq!(language_tag("en GB"), "und");
        assert_eq!(language_tag(""), "und");
        assert_eq!(language_name("en"), "English");
        assert_eq!(language_name("tlh"), "tlh");
    }
}
