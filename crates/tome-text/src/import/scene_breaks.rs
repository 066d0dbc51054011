//! Scene-break lines: rows of symbols ("* * *", "-----", "~~~", "###", "===", "___"),
//! "oOo"/"xXx"/"o0o" rows, and lone centred symbols ("§", "❦").

/// Characters a scene-break row is made of.
const SYMBOLS: &str = "*-~#=_+•·°§¤※⁂❦❧♦◊♥♡☆★✿❀✦✧/\\|—–";

/// Whether a line is a scene-break row.
pub fn is_break_line(line: &str) -> bool {
    let t: Vec<char> = line
        .chars()
        .filter(|&c| !c.is_whitespace() && !super::inline::is_marker(c))
        .collect();
    if t.is_empty() {
        return false;
    }
    if t.iter().all(|c| SYMBOLS.contains(*c)) {
        // A lone "-" or "/" is too easily something else; stars, hashes and ornaments are not.
        return t.len() >= 2 || !matches!(t[0], '-' | '/' | '\\' | '|' | '_' | '—' | '–');
    }
    let core: Vec<char> = t
        .iter()
        .copied()
        .filter(|c| !SYMBOLS.contains(*c))
        .collect();
    let ox = core.len() >= 3 && core.iter().all(|c| "oOxX0".contains(*c));
    let mixed = core.iter().any(|c| c.is_uppercase()) && core.iter().any(|c| c.is_lowercase())
        || core.contains(&'0')
        || (core.iter().any(|c| "oO".contains(*c)) && core.iter().any(|c| "xX".contains(*c)));
    ox && mixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_style() {
        for s in [
            "* * * * * * *",
            "***",
            "*",
            "-----",
            "- - -",
            "~~~~",
            "~*~*~",
            "###",
            "# # #",
            "=====",
            "_____",
            "oOo",
            "xXx",
            "o0o",
            "-oOo-",
            "OoOoO",
            "      §      ",
            "❦",
            "xox",
        ] {
            assert!(is_break_line(s), "{s}");
        }
        for s in ["-", "ooo", "Spike.", "...", "…", "o", "No."] {
            assert!(!is_break_line(s), "{s}");
        }
    }
}
