//! AO3's escaping of tag names in URL paths: `/` is `*s*`, `&` `*a*`, `.` `*d*`,
//! `?` `*q*`, `#` `*h*`; the rest is percent-encoded as usual.

const ESCAPES: [(char, &str); 5] = [
    ('/', "*s*"),
    ('&', "*a*"),
    ('.', "*d*"),
    ('?', "*q*"),
    ('#', "*h*"),
];

/// The path segment for a tag name, as AO3 writes it (`Buffy Summers/Spike` ->
/// `Buffy%20Summers*s*Spike`).
pub fn tag_to_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if let Some((_, esc)) = ESCAPES.iter().find(|(e, _)| *e == c) {
            out.push_str(esc);
        } else if c.is_ascii_alphanumeric() || "-_~!$'()*+,;=:@".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The tag name from a (percent-decoded) path segment.
pub fn tag_from_path(segment: &str) -> String {
    let mut s = segment.to_string();
    for (c, esc) in ESCAPES {
        s = s.replace(esc, &c.to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ao3_escapes_round_trip() {
        let name = "Buffy Summers/Spike & Co. #1?";
        let path = tag_to_path(name);
        assert_eq!(path, "Buffy%20Summers*s*Spike%20*a*%20Co*d*%20*h*1*q*");
        // The web layer percent-decodes before calling tag_from_path.
        let decoded = path.replace("%20", " ");
        assert_eq!(tag_from_path(&decoded), name);
    }
}
