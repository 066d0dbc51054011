//! Text clean-up on the way in: mojibake repaired, magic-quotes backslashes removed,
//! entities decoded once, plain text given paragraphs, HTML through tome's sanitizer.

use std::borrow::Cow;

/// What was changed in a piece of text, for the report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Repairs {
    /// Double-encoded UTF-8 ("Ã©" for "é") decoded back.
    pub mojibake: u32,
    /// `\'` and `\"` left by PHP's magic quotes.
    pub slashes: u32,
}

impl Repairs {
    pub fn add(&mut self, other: Repairs) {
        self.mojibake += other.mojibake;
        self.slashes += other.slashes;
    }

    pub fn any(&self) -> bool {
        self.mojibake + self.slashes > 0
    }
}

/// The byte a character stands for in Windows-1252 as MySQL's `latin1` reads it (its
/// five undefined positions are the C1 controls of the same number).
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 || (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    Some(match c {
        '€' => 0x80,
        '\u{81}' => 0x81,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        '\u{8D}' => 0x8D,
        'Ž' => 0x8E,
        '\u{8F}' => 0x8F,
        '\u{90}' => 0x90,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        '\u{9D}' => 0x9D,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Repairs UTF-8 that was read as Windows-1252 and encoded again ("â€™" for "’",
/// "Ã©" for "é"), run by run: a run of non-ASCII characters is replaced only when its
/// Windows-1252 bytes are valid UTF-8 with at least one multi-byte character, so real
/// Latin-1 text ("café", "naïve") is left alone. Twice-mangled text is repaired twice.
/// Returns the text and how many runs were repaired.
pub fn repair_mojibake(s: &str) -> (Cow<'_, str>, u32) {
    if s.is_ascii() {
        return (Cow::Borrowed(s), 0);
    }
    let mut text = Cow::Borrowed(s);
    let mut total = 0;
    for _ in 0..2 {
        let (fixed, n) = repair_once(&text);
        if n == 0 {
            break;
        }
        total += n;
        text = Cow::Owned(fixed);
    }
    (text, total)
}

fn repair_once(s: &str) -> (String, u32) {
    let mut out = String::with_capacity(s.len());
    let mut n = 0;
    let mut run = String::new();
    let mut bytes = Vec::new();
    let flush = |run: &mut String, bytes: &mut Vec<u8>, out: &mut String, n: &mut u32| {
        if run.is_empty() {
            return;
        }
        // A lone lead byte (or none): nothing to repair.
        match std::str::from_utf8(bytes) {
            Ok(t) if t.chars().count() < run.chars().count() => {
                out.push_str(t);
                *n += 1;
            }
            _ => out.push_str(run),
        }
        run.clear();
        bytes.clear();
    };
    for c in s.chars() {
        match cp1252_byte(c) {
            Some(b) if !c.is_ascii() => {
                run.push(c);
                bytes.push(b);
            }
            _ => {
                flush(&mut run, &mut bytes, &mut out, &mut n);
                out.push(c);
            }
        }
    }
    flush(&mut run, &mut bytes, &mut out, &mut n);
    (out, n)
}

/// Removes the backslashes PHP's magic quotes (or eFiction's own double escaping, as of
/// series titles) put before quotes: `\'` → `'`, `\"` → `"`, and `\\` → `\` in text
/// that had such quotes. Returns the text and whether it changed.
pub fn strip_slashes(s: &str) -> (Cow<'_, str>, bool) {
    if !(s.contains("\\'") || s.contains("\\\"")) {
        return (Cow::Borrowed(s), false);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && matches!(next, '\'' | '"' | '\\')
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    (Cow::Owned(out), true)
}

/// Mojibake and magic quotes repaired, counted in `repairs`.
pub fn repair(s: &str, repairs: &mut Repairs) -> String {
    let (fixed, n) = repair_mojibake(s);
    repairs.mojibake += n;
    let (unslashed, changed) = strip_slashes(&fixed);
    if changed {
        repairs.slashes += 1;
    }
    unslashed.into_owned()
}

/// A one-line field (title, penname, tag name) as a reader sees it: repaired, tags
/// stripped, entities decoded once, white space collapsed.
pub fn plain_line(s: &str, repairs: &mut Repairs) -> String {
    let fixed = repair(s, repairs);
    let plain = if fixed.contains(['<', '&']) {
        tome_text::html_to_plain(&fixed)
    } else {
        fixed
    };
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// eFiction shows text that has no `<br>` or `<p>` with its line breaks made `<br />`
/// (nl2br); tome gets paragraphs for blank lines and `<br />` for single breaks.
pub fn paragraphs(s: &str) -> Cow<'_, str> {
    let lower_has = |needle: &str| {
        s.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    if lower_has("<br") || lower_has("<p") {
        return Cow::Borrowed(s);
    }
    let text = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 64);
    for para in text.split("\n\n") {
        let para = para.trim_matches('\n');
        if para.trim().is_empty() {
            continue;
        }
        out.push_str("<p>");
        let mut first = true;
        for line in para.split('\n') {
            if !first {
                out.push_str("<br />\n");
            }
            first = false;
            out.push_str(line);
        }
        out.push_str("</p>\n");
    }
    Cow::Owned(out)
}

/// An HTML field (chapter text, summary, notes, review): repaired, paragraphs made for
/// plain text, then tome's one sanitizer. `None` when nothing readable is left.
pub fn html_field(s: &str, repairs: &mut Repairs) -> Option<String> {
    if s.trim().is_empty() {
        return None;
    }
    let fixed = repair(s, repairs);
    let html = tome_text::sanitize_html(&paragraphs(&fixed));
    if tome_text::html_to_plain(&html).trim().is_empty() && !html.contains("<img") {
        None
    } else {
        Some(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_repaired_and_real_latin1_is_not() {
        assert_eq!(repair_mojibake("it\u{e2}\u{20ac}\u{2122}s").0, "it’s");
        assert_eq!(repair_mojibake("caf\u{c3}\u{a9} au lait").0, "café au lait");
        assert_eq!(repair_mojibake("café, naïve, Æsir").1, 0);
        assert_eq!(repair_mojibake("plain ascii").1, 0);
        // Twice mangled.
        let mangle = |s: &str| -> String {
            s.bytes()
                .map(|b| encoding_rs::WINDOWS_1252.decode(&[b]).0.into_owned())
                .collect()
        };
        let twice = mangle(&mangle("é"));
        assert_eq!(twice, "ÃƒÂ©");
        assert_eq!(repair_mojibake(&twice).0, "é");
        // Proper text beside mojibake in one string.
        assert_eq!(repair_mojibake("“Hi” â€” she said").0, "“Hi” — she said");
    }

    #[test]
    fn slashes_entities_and_tags_leave_one_line() {
        let mut r = Repairs::default();
        assert_eq!(
            plain_line("Spike\\'s  Heartache", &mut r),
            "Spike's Heartache"
        );
        assert_eq!(r.slashes, 1);
        assert_eq!(
            plain_line("Tom &amp; Jerry&#039;s <i>day</i>", &mut r),
            "Tom & Jerry's day"
        );
        assert_eq!(plain_line("Buffy & Spike <3", &mut r), "Buffy & Spike <3");
    }

    #[test]
    fn plain_text_gets_paragraphs_and_html_is_sanitized() {
        let mut r = Repairs::default();
        let html = html_field(
            "One\nline two\n\nPara <i>two</i><script>x()</script>",
            &mut r,
        )
        .unwrap();
        assert_eq!(html, "<p>One<br>\nline two</p>\n<p>Para <i>two</i></p>\n");
        assert!(html_field("  ", &mut r).is_none());
        let kept = html_field("<p>a</p>\n<p>b</p>", &mut r).unwrap();
        assert_eq!(kept, "<p>a</p>\n<p>b</p>");
    }
}
