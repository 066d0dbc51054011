//! Bytes to text. Old archives saved stories in whatever the author's machine used:
//! UTF-8 (with or without a BOM), UTF-16 from Windows editors, windows-1252 or
//! ISO-8859-1 from the 2000s. We decode each faithfully so curly quotes, ellipses and
//! dashes survive, and we normalise line ends to `\n` so later stages see one shape.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from a file, and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with `\r\n` and lone `\r` turned into `\n`.
    pub text: String,
    /// The encoding's WHATWG name ("UTF-8", "windows-1252", "UTF-16LE" ...).
    pub encoding: &'static str,
    /// Whether the file started with a byte order mark (removed from `text`).
    pub had_bom: bool,
    /// How many malformed sequences became U+FFFD.
    pub replaced: usize,
}

/// Why bytes could not become text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Bytes that are broken UTF-8 and that no legacy encoding explains either.
    #[error("invalid byte sequence at offset {offset} that no text encoding explains")]
    InvalidBytes { offset: usize },
}

/// Decodes a story file's bytes; see the module docs for the order of guesses.
///
/// A file that is mostly valid UTF-8 (it has multi-byte UTF-8 characters) but also has
/// broken sequences is refused rather than re-read as windows-1252, which would turn
/// every curly quote into mojibake ("â€™"): such a file is damaged, not in another encoding.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let replaced = if had_errors {
            count_replacements(&text)
        } else {
            0
        };
        return Ok(finish(&text, enc.name(), true, replaced));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(finish(text, UTF_8.name(), false, 0)),
        Err(first_error) => {
            if utf8_multibyte_sequences(bytes) >= 3 {
                return Err(DecodeError::InvalidBytes {
                    offset: first_error.valid_up_to(),
                });
            }
            let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let enc = detector.guess(None, Utf8Detection::Deny);
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors {
                let offset = first_unmappable(enc, bytes).unwrap_or(first_error.valid_up_to());
                return Err(DecodeError::InvalidBytes { offset });
            }
            // UTF-16 without a BOM is not guessed: chardetng never proposes it.
            debug_assert!(enc != UTF_16LE && enc != UTF_16BE);
            Ok(finish(&text, enc.name(), false, 0))
        }
    }
}

fn finish(text: &str, encoding: &'static str, had_bom: bool, replaced: usize) -> Decoded {
    Decoded {
        text: normalise_newlines(text),
        encoding,
        had_bom,
        replaced,
    }
}

/// `\r\n` and lone `\r` (old Mac files) become `\n`.
pub fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn count_replacements(text: &str) -> usize {
    text.chars().filter(|&c| c == '\u{FFFD}').count()
}

/// Counts well-formed multi-byte UTF-8 sequences (evidence the file was meant as UTF-8).
fn utf8_multibyte_sequences(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let len = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 1,
        };
        if len > 1 && i + len <= bytes.len() && std::str::from_utf8(&bytes[i..i + len]).is_ok() {
            count += 1;
            i += len;
        } else {
            i += 1;
        }
    }
    count
}

/// Offset of the first byte `enc` cannot map, found by decoding growing prefixes' tails.
fn first_unmappable(enc: &'static Encoding, bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find(|&i| {
        let (_, had_errors) = enc.decode_without_bom_handling(&bytes[i..(i + 1).min(bytes.len())]);
        had_errors
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain_and_with_bom() {
        let d = decode("“Hi”… — ok\r\nnext\rlast".as_bytes()).unwrap();
        assert_eq!(d.text, "“Hi”… — ok\nnext\nlast");
        assert_eq!(d.encoding, "UTF-8");
        assert!(!d.had_bom);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Spike’s coat".as_bytes());
        let d = decode(&bom).unwrap();
        assert_eq!(d.text, "Spike’s coat");
        assert!(d.had_bom);
    }

    #[test]
    fn windows_1252_curly_quotes_ellipsis_dash() {
        let mut bytes = b"She said, ".to_vec();
        bytes.extend_from_slice(&[
            0x93, b'w', b'a', b'i', b't', 0x85, 0x94, b' ', 0x97, b' ', b'o', b'k',
        ]);
        bytes.extend_from_slice(b" and it was over, wasn't it? He didn't think so.\r\n");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("“wait…” — ok"), "{}", d.text);
        assert!(d.text.ends_with("so.\n"));
    }

    #[test]
    fn iso_8859_1_accents() {
        // "café crème à la française" in Latin-1; WHATWG reads ISO-8859-1 as windows-1252.
        let bytes = b"Le caf\xe9 cr\xe8me \xe0 la fran\xe7aise, d\xe9j\xe0 vu, tr\xe8s cher.";
        let d = decode(bytes).unwrap();
        assert_eq!(d.text, "Le café crème à la française, déjà vu, très cher.");
        assert!(
            d.encoding == "windows-1252"
                || d.encoding == "ISO-8859-2"
                || d.encoding == "ISO-8859-15",
            "{}",
            d.encoding
        );
    }

    #[test]
    fn utf16_le_and_be_with_bom() {
        let text = "“Buffy” — the end…\r\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(&le).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_bom),
            ("“Buffy” — the end…\n", "UTF-16LE", true)
        );
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn broken_utf8_is_refused() {
        let mut bytes = "“one” “two” “three” ".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice(b"rest");
        assert_eq!(
            decode(&bytes),
            Err(DecodeError::InvalidBytes { offset: 32 })
        );
    }
}
