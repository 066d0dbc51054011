//! Word counting as AO3 does it: text without markup, runs of non-space characters,
//! and each CJK character (Han, Hiragana, Katakana, Hangul, Thai) counted as a word of its own.

/// Counts the words of plain text (strip markup first; see `tome_text::plain`).
pub fn count_words(text: &str) -> u64 {
    let mut count = 0u64;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_word = false;
        } else if is_cjk(c) {
            count += 1;
            in_word = false;
        } else if !in_word {
            count += 1;
            in_word = true;
        }
    }
    count
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x1100..=0x11FF    // Hangul Jamo
        | 0x0E00..=0x0E7F    // Thai
        | 0x20000..=0x2FA1F  // CJK Extensions B-F, compatibility supplement
    )
}

#[cfg(test)]
mod tests {
    use super::count_words;

    #[test]
    fn counts_runs_of_non_space() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  Hello,   world!  "), 2);
        assert_eq!(count_words("don't stop—ever… ok"), 3);
        assert_eq!(count_words("line\none\ttwo"), 3);
    }

    #[test]
    fn each_cjk_character_is_a_word() {
        assert_eq!(count_words("日本語"), 3);
        assert_eq!(count_words("Hello 世界 again"), 4);
        assert_eq!(count_words("abc日本def"), 4);
        assert_eq!(count_words("안녕하세요"), 5);
    }
}
