//! Writing tags back out from html5ever's tokens: what the long-text cutter and the
//! nesting flattener both re-emit.

use html5ever::Attribute;
use html5ever::tokenizer::Tag;

/// Whether `s` may be written as a tag or attribute name as it is.
pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// Writes the tag's attributes that have a writable name and that `keep` accepts (values
/// escaped for a double-quoted attribute), then its end: `/>` or `>`.
pub(crate) fn push_attrs_and_close(out: &mut String, tag: &Tag, keep: impl Fn(&Attribute) -> bool) {
    for a in &tag.attrs {
        if is_name(&a.name.local) && keep(a) {
            out.push(' ');
            out.push_str(&a.name.local);
            out.push_str("=\"");
            for c in a.value.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '"' => out.push_str("&quot;"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
    }
    if tag.self_closing {
        out.push('/');
    }
    out.push('>');
}
