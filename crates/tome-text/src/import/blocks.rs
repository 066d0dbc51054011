//! A text split into blocks: runs of non-blank lines, each remembering how many blank
//! lines came before it. The gaps are kept because old archives mark scene breaks with
//! extra blank lines, and separate a note from the story the same way.

use super::inline;

/// One run of non-blank lines (trimmed), and the blank lines before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub lines: Vec<String>,
    pub gap: usize,
}

impl Block {
    /// The first line (with any formatting markers; rules read it through `inline::plain`).
    pub fn first(&self) -> &str {
        self.lines.first().map(String::as_str).unwrap_or("")
    }

    /// Whether each line is a paragraph of its own: files that separate paragraphs with a
    /// single newline have lines far longer than any hard-wrapped text.
    /// Lines ending in an explicit break ([`inline::BR`], from HTML's `<br>`) are never split.
    pub fn line_per_paragraph(&self) -> bool {
        let n = self.lines.len();
        n > 1
            && !self.explicit_breaks()
            && self.lines[..n - 1]
                .iter()
                .any(|l| inline::visible_len(l) > 100)
    }

    /// Whether the block's line breaks were written as such (HTML `<br>`).
    fn explicit_breaks(&self) -> bool {
        self.lines.iter().any(|l| l.ends_with(inline::BR))
    }

    /// The block's paragraphs (see [`Block::joined`] and [`Block::line_per_paragraph`]).
    pub fn paragraphs(&self) -> Vec<String> {
        if self.line_per_paragraph() {
            self.lines.clone()
        } else {
            vec![self.joined()]
        }
    }

    /// The block as one paragraph. Hard-wrapped prose (every line but the last long) is
    /// joined with spaces; short lines (verse, letters) keep their line breaks.
    pub fn joined(&self) -> String {
        let n = self.lines.len();
        let wrapped = n > 1
            && !self.explicit_breaks()
            && self.lines[..n - 1]
                .iter()
                .all(|l| inline::visible_len(l) >= 50);
        self.lines.join(if wrapped { " " } else { "\n" })
    }
}

/// Splits text (newlines already normalised) into blocks.
pub fn split(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut gap = 0;
    let mut current: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let t =
            line.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}');
        if t.is_empty() {
            if !current.is_empty() {
                blocks.push(Block {
                    lines: std::mem::take(&mut current),
                    gap,
                });
                gap = 0;
            }
            gap += 1;
        } else {
            current.push(t.to_string());
        }
    }
    if !current.is_empty() {
        blocks.push(Block {
            lines: current,
            gap,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_counted() {
        let b = split("a\nb\n\n\nc\n \nd");
        assert_eq!(b.len(), 3);
        assert_eq!((b[0].gap, b[1].gap, b[2].gap), (0, 2, 1));
        assert_eq!(b[0].joined(), "a\nb");
    }
}
