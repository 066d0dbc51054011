//! HTML to plain text: for word counts, feed summaries and the TXT download.
//!
//! One walker serves both uses; they differ only in what they add that is not in the
//! text. Word counting must add nothing (a "* * *" or a list bullet would be counted as a
//! word), while a TXT download wants scene breaks and list markers a reader can see.
//!
//! Blocks (paragraphs, headings, quotes, ...) are separated by a blank line, `<br>` is a
//! line break, runs of white space collapse to one space as a browser would show them,
//! and entities are decoded by the HTML parser.

use scraper::{ElementRef, Html, Node};

/// What the walker adds beyond the text itself.
#[derive(Debug, Clone, Copy)]
struct Options {
    /// The line a `<hr>` becomes; `None` leaves just a paragraph break.
    hr: Option<&'static str>,
    /// Prefix list items with "- " or "1. ".
    list_markers: bool,
    /// Show an image's alt text as "[alt]".
    image_alt: bool,
}

const PLAIN: Options = Options {
    hr: None,
    list_markers: false,
    image_alt: false,
};

const TXT: Options = Options {
    hr: Some(SCENE_BREAK),
    list_markers: true,
    image_alt: true,
};

/// How a scene break (`<hr>`) reads in plain-text downloads.
pub const SCENE_BREAK: &str = "* * *";

/// Text without markup and with nothing added: blocks separated by a blank line,
/// `<br>` a newline, `<hr>` only a paragraph break. Entities are decoded.
pub fn html_to_plain(html: &str) -> String {
    render(html, PLAIN)
}

/// Text for reading in a `.txt` file: like [`html_to_plain`], but a `<hr>` becomes a
/// "* * *" line, list items get "- " or "1. ", and images show as "[alt text]".
pub fn html_to_txt_export(html: &str) -> String {
    render(html, TXT)
}

/// AO3's word count of an HTML body: the words of its text, markup excluded,
/// each CJK character counted as a word ([`tome_model::count_words`]).
pub fn html_word_count(html: &str) -> u64 {
    tome_model::count_words(&html_to_plain(html))
}

fn render(html: &str, opts: Options) -> String {
    // Within the nesting limit, so the parse is linear and `walk` recurses boundedly.
    let html = crate::nesting::bound_html(html);
    let doc = Html::parse_fragment(&html);
    let mut out = Out::default();
    let mut lists = Vec::new();
    walk(doc.root_element(), opts, &mut out, &mut lists, false);
    out.finish()
}

/// The separation the next text needs from what came before.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    #[default]
    None,
    Line,
    Paragraph,
}

#[derive(Default)]
struct Out {
    buf: String,
    pending: Break,
    space: bool,
}

impl Out {
    fn request(&mut self, b: Break) {
        self.pending = self.pending.max(b);
    }

    fn at_line_start(&self) -> bool {
        self.buf.is_empty() || self.buf.ends_with('\n')
    }

    /// Writes the break a previous block asked for, just before the next text.
    fn flush_break(&mut self) {
        if !self.buf.is_empty() {
            match self.pending {
                Break::None => {}
                Break::Line => {
                    if !self.at_line_start() {
                        self.buf.push('\n');
                    }
                }
                Break::Paragraph => {
                    while !self.buf.ends_with("\n\n") {
                        self.buf.push('\n');
                    }
                }
            }
        }
        if self.pending != Break::None {
            self.space = false;
        }
        self.pending = Break::None;
    }

    /// Text as a browser shows it: white-space runs collapse to one space.
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                self.space = true;
            } else {
                self.flush_break();
                if self.space && !self.at_line_start() {
                    self.buf.push(' ');
                }
                self.space = false;
                self.buf.push(c);
            }
        }
    }

    /// Preformatted text: newlines and spaces kept.
    fn pre_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.flush_break();
        if self.space && !self.at_line_start() {
            self.buf.push(' ');
        }
        self.space = false;
        self.buf.push_str(s);
    }

    fn line_break(&mut self) {
        if self.pending == Break::None {
            self.buf.push('\n');
            self.space = false;
        }
    }

    /// Trailing spaces off every line, at most one blank line in a row, no blank edges.
    fn finish(self) -> String {
        let mut result = String::with_capacity(self.buf.len());
        let mut blank_run = 0;
        for line in self.buf.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                blank_run += 1;
                if blank_run > 1 || result.is_empty() {
                    continue;
                }
            } else {
                blank_run = 0;
            }
            result.push_str(line);
            result.push('\n');
        }
        let trimmed = result.trim_end().len();
        result.truncate(trimmed);
        result
    }
}

/// Block-level elements: each starts and ends a paragraph.
fn is_paragraph_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "ul"
            | "ol"
            | "dl"
            | "pre"
            | "table"
            | "figure"
            | "center"
            | "address"
            | "details"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "main"
    )
}

/// Elements that start a new line but not a new paragraph.
fn is_line_block(name: &str) -> bool {
    matches!(
        name,
        "li" | "dt" | "dd" | "tr" | "caption" | "figcaption" | "summary"
    )
}

fn walk(el: ElementRef<'_>, opts: Options, out: &mut Out, lists: &mut Vec<Option<u32>>, pre: bool) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                if pre {
                    out.pre_text(t);
                } else {
                    out.text(t);
                }
            }
            Node::Element(e) => {
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                let name = e.name();
                match name {
                    "script" | "style" | "template" | "noscript" | "head" | "title" => {}
                    "br" => out.line_break(),
                    "hr" => {
                        out.request(Break::Paragraph);
                        if let Some(marker) = opts.hr {
                            out.text(marker);
                            out.request(Break::Paragraph);
                        }
                    }
                    "img" => {
                        if opts.image_alt {
                            let alt = e.attr("alt").unwrap_or("").trim();
                            if !alt.is_empty() {
                                out.text(&format!("[{alt}]"));
                            }
                        }
                    }
                    "td" | "th" => {
                        out.space = true;
                        walk(child_el, opts, out, lists, pre);
                        out.space = true;
                    }
                    "ul" | "ol" => {
                        let counter = (name == "ol").then(|| {
                            e.attr("start")
                                .and_then(|s| s.trim().parse().ok())
                                .unwrap_or(1)
                        });
                        lists.push(counter);
                        out.request(Break::Paragraph);
                        walk(child_el, opts, out, lists, pre);
                        lists.pop();
                        out.request(Break::Paragraph);
                    }
                    "li" => {
                        out.request(Break::Line);
                        if opts.list_markers {
                            let marker = match lists.last_mut() {
                                Some(Some(n)) => {
                                    let m = format!("{n}.");
                                    *n += 1;
                                    m
                                }
                                _ => "-".to_string(),
                            };
                            out.text(&marker);
                            out.space = true;
                        }
                        walk(child_el, opts, out, lists, pre);
                        out.request(Break::Line);
                    }
                    _ if is_paragraph_block(name) => {
                        out.request(Break::Paragraph);
                        walk(child_el, opts, out, lists, pre || name == "pre");
                        out.request(Break::Paragraph);
                    }
                    _ if is_line_block(name) => {
                        out.request(Break::Line);
                        walk(child_el, opts, out, lists, pre);
                        out.request(Break::Line);
                    }
                    _ => walk(child_el, opts, out, lists, pre),
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_separated_by_a_blank_line() {
        assert_eq!(
            html_to_plain("<p>One  two\nthree.</p><p>Four <em>five</em>.</p>"),
            "One two three.\n\nFour five."
        );
        assert_eq!(html_to_plain("<h2>Title</h2>text"), "Title\n\ntext");
    }

    #[test]
    fn br_is_a_newline_and_double_br_a_blank_line() {
        assert_eq!(html_to_plain("a<br>b<br><br>c"), "a\nb\n\nc");
    }

    #[test]
    fn hr_adds_nothing_to_plain_but_a_scene_break_to_txt() {
        let html = "<p>before</p><hr><p>after</p>";
        assert_eq!(html_to_plain(html), "before\n\nafter");
        assert_eq!(html_to_txt_export(html), "before\n\n* * *\n\nafter");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            html_to_plain("<p>Tom &amp; Jerry&nbsp;&mdash; &lt;3 &#8230;</p>"),
            "Tom & Jerry\u{a0}— <3 …"
        );
    }

    #[test]
    fn lists_get_markers_only_in_txt() {
        let html = "<ul><li>a</li><li>b</li></ul><ol start=\"3\"><li>c</li><li>d</li></ol>";
        assert_eq!(html_to_plain(html), "a\nb\n\nc\nd");
        assert_eq!(html_to_txt_export(html), "- a\n- b\n\n3. c\n4. d");
    }

    #[test]
    fn word_count_excludes_markup() {
        assert_eq!(
            html_word_count(
                r#"<p class="x"><a href="https://e.com/a b">link text</a> and <strong>more</strong></p><hr><p>end</p>"#
            ),
            5
        );
        assert_eq!(html_word_count("<p>Tom&nbsp;&amp;&nbsp;Jerry</p>"), 3);
        assert_eq!(html_word_count("<p>Tom &amp; Jerry</p>"), 3);
        assert_eq!(html_word_count(""), 0);
        assert_eq!(html_word_count("<p></p><br><hr>"), 0);
        assert_eq!(
            html_word_count("<p>one</p><p>two</p>"),
            2,
            "block boundaries separate words"
        );
        assert_eq!(
            html_word_count("<p>wo<em>rd</em></p>"),
            1,
            "inline tags do not"
        );
    }

    #[test]
    fn word_count_counts_each_cjk_character() {
        assert_eq!(html_word_count("<p>日本語の<b>文章</b></p>"), 6);
        assert_eq!(html_word_count("<p>Hello 世界</p>"), 3);
    }

    #[test]
    fn script_content_is_not_text() {
        assert_eq!(html_to_plain("<p>a</p><script>var x = 1;</script>"), "a");
    }

    #[test]
    fn pre_keeps_its_lines() {
        assert_eq!(html_to_plain("<pre>a\n  b</pre>"), "a\n  b");
    }
}
