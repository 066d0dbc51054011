//! Downloads: a work as EPUB 3, standalone HTML or plain text, shaped like AO3's.
//!
//! The caller (the web layer or the CLI) has already decided the reader may see the work
//! and has applied anonymity ("Anonymous" as the author); this module only lays out what
//! it is given. All HTML fields are sanitized HTML from the database.
//!
//! - [`meta`]: the preface every format shares (tag rows, stats line, chapter headings).
//! - [`xhtml`]: sanitized HTML5 to the well-formed XHTML an EPUB needs.
//! - [`html`], [`txt`], [`epub`]: one module per format.

mod epub;
mod html;
pub mod meta;
mod txt;
pub mod xhtml;

pub use epub::to_epub;
pub use html::to_html;
pub use txt::to_txt;

use tome_model::Rating;

/// Everything a download shows about a work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportWork {
    pub id: i64,
    pub title: String,
    /// Creator names; "Anonymous" already applied by the caller.
    pub authors: Vec<String>,
    /// BCP 47 tag, e.g. "en".
    pub language: String,
    pub rating: Rating,
    /// Archive warning names as AO3 shows them.
    pub warnings: Vec<String>,
    /// Category names ("F/M", "Gen", ...).
    pub categories: Vec<String>,
    pub fandoms: Vec<String>,
    pub relationships: Vec<String>,
    pub characters: Vec<String>,
    /// Additional tags.
    pub freeforms: Vec<String>,
    pub summary_html: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    /// Unix seconds, UTC.
    pub published_at: i64,
    /// Unix seconds, UTC.
    pub updated_at: i64,
    pub complete: bool,
    pub chapter_count: u32,
    /// AO3's "n/m"; `None` is "?".
    pub expected_chapters: Option<u32>,
    pub words: u64,
    /// Canonical URL of the work, e.g. `http://127.0.0.1:8080/works/7`.
    pub url: Option<String>,
    pub archive_name: String,
    pub chapters: Vec<ExportChapter>,
}

/// One chapter of a download.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportChapter {
    /// 1-based.
    pub position: u32,
    pub title: Option<String>,
    pub summary_html: Option<String>,
    pub notes_begin_html: Option<String>,
    pub notes_end_html: Option<String>,
    /// Sanitized HTML.
    pub body_html: String,
}

/// Why a download could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The EPUB library failed (it writes to memory, so this is a bug or out of memory).
    #[error("could not build the EPUB: {0}")]
    Epub(#[from] epub_builder::Error),
}

/// An ASCII file name like AO3's: "Café — naïve" becomes "Cafe_naive.epub".
///
/// Accented Latin letters lose their accents, every other run of characters that is not
/// an ASCII letter or digit becomes one underscore, and the stem is cut at 80 bytes.
/// A title with nothing left (all CJK, say) falls back to "work_<id>".
pub fn download_file_name(work: &ExportWork, ext: &str) -> String {
    let mut stem = String::new();
    let mut gap = false;
    for c in work.title.chars() {
        let folded = fold_to_ascii(c);
        match folded {
            Some(s) => {
                if gap && !stem.is_empty() {
                    stem.push('_');
                }
                gap = false;
                stem.push_str(s);
            }
            None if c.is_ascii_alphanumeric() => {
                if gap && !stem.is_empty() {
                    stem.push('_');
                }
                gap = false;
                stem.push(c);
            }
            None => gap = true,
        }
        if stem.len() >= 80 {
            break;
        }
    }
    stem.truncate(80);
    let stem = stem.trim_end_matches('_');
    let stem = if stem.is_empty() {
        format!("work_{}", work.id)
    } else {
        stem.to_string()
    };
    let ext = ext.trim_start_matches('.');
    let ext: String = ext.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    }
}

/// The ASCII letters an accented Latin letter is usually written as.
fn fold_to_ascii(c: char) -> Option<&'static str> {
    Some(match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'Æ' => "AE",
        'æ' => "ae",
        'Ç' | 'Ć' | 'Č' => "C",
        'ç' | 'ć' | 'č' => "c",
        'Ď' | 'Đ' | 'Ð' => "D",
        'ď' | 'đ' | 'ð' => "d",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'Ğ' => "G",
        'ğ' => "g",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "I",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'Ł' => "L",
        'ł' => "l",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ñ' | 'ń' | 'ň' => "n",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Œ' => "OE",
        'œ' => "oe",
        'Ř' => "R",
        'ř' => "r",
        'Ś' | 'Š' | 'Ş' => "S",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'Ť' | 'Ţ' => "T",
        'ť' | 'ţ' => "t",
        'Þ' => "Th",
        'þ' => "th",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ý' | 'Ÿ' => "Y",
        'ý' | 'ÿ' => "y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
pub(crate) mod test_work {
    use super::*;

    /// A small two-chapter work the format tests share.
    pub fn sample() -> ExportWork {
        ExportWork {
            id: 7,
            title: "Tea & Sympathy".into(),
            authors: vec!["Anonymous".into()],
            language: "en".into(),
            rating: Rating::Teen,
            warnings: vec!["No Archive Warnings Apply".into()],
            categories: vec!["F/M".into(), "Gen".into()],
            fandoms: vec!["Star Trek".into()],
            relationships: vec!["Kirk/Spock".into()],
            characters: vec!["James T. Kirk".into(), "Spock".into()],
            freeforms: vec!["Fluff & Angst".into()],
            summary_html: Some("<p>A <em>cup</em> of tea.</p>".into()),
            notes_begin_html: Some("<p>Thanks to my beta.</p>".into()),
            notes_end_html: Some("<p>The end notes.</p>".into()),
            published_at: 1_577_836_800, // 2020-01-01
            updated_at: 1_580_515_200,   // 2020-02-01
            complete: false,
            chapter_count: 2,
            expected_chapters: None,
            words: 1234,
            url: Some("http://127.0.0.1:8080/works/7".into()),
            archive_name: "Test Archive".into(),
            chapters: vec![
                ExportChapter {
                    position: 1,
                    title: Some("Beginnings".into()),
                    body_html: "<p>First scene.</p><hr><p>Second&nbsp;scene.</p>".into(),
                    ..Default::default()
                },
                ExportChapter {
                    position: 2,
                    title: None,
                    notes_begin_html: Some("<p>Chapter note.</p>".into()),
                    body_html: "<p>More.</p>".into(),
                    ..Default::default()
                },
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_ascii_and_underscored() {
        let mut w = test_work::sample();
        assert_eq!(download_file_name(&w, "epub"), "Tea_Sympathy.epub");
        w.title = "Café — naïve ‘quotes’…".into();
        assert_eq!(download_file_name(&w, ".html"), "Cafe_naive_quotes.html");
        w.title = "日本語".into();
        assert_eq!(download_file_name(&w, "txt"), "work_7.txt");
        w.title = "../../etc/passwd".into();
        assert_eq!(download_file_name(&w, "txt"), "etc_passwd.txt");
        w.title = "x".repeat(200);
        assert_eq!(download_file_name(&w, "txt").len(), 84);
    }
}
