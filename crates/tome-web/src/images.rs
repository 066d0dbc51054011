//! External images in what creators write: no reader's browser fetches an image from a
//! third-party server unless the archive allows that host, because the request tells
//! that server who reads what (their address, the time, the page through the referrer).
//!
//! Two layers:
//! - the Content-Security-Policy (see [`crate::security`]) allows images only from this
//!   archive, `data:` URLs and the hosts an admin lists (`PageConfig::image_hosts`,
//!   `TOME_IMAGE_HOSTS`), so even an image this module missed is not fetched;
//! - at render time, [`link_external_images`] turns every `<img>` whose source is on
//!   another host into a link showing the image's alt text and the host, so the reader
//!   sees that an image is there and can choose to open it.
//!
//! The input is always HTML as the archive's sanitizer writes it (attribute values in
//! double quotes, `"` and `&` escaped), which is what makes one linear scan enough.

/// HTML with every external `<img>` not on an allowed host turned into a link.
/// `allowed` are lower-case host names (an image on a subdomain of one is allowed too).
pub fn link_external_images(html: &str, allowed: &[String]) -> String {
    if !html.contains("<img") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = find_img(rest) {
        out.push_str(&rest[..at]);
        let tag_and_after = &rest[at..];
        let end = tag_end(tag_and_after);
        let tag = &tag_and_after[..end];
        match external_host(tag, allowed) {
            Some((src, host, alt)) => {
                let label = if alt.trim().is_empty() {
                    "Image".to_string()
                } else {
                    alt.replace('<', "&lt;").replace('>', "&gt;")
                };
                out.push_str("<a class=\"external-image\" href=\"");
                out.push_str(&src);
                out.push_str("\" rel=\"nofollow noopener noreferrer\">");
                out.push_str(&label);
                out.push_str(" (image at ");
                out.push_str(&host.replace('<', "&lt;").replace('>', "&gt;"));
                out.push_str(")</a>");
            }
            None => out.push_str(tag),
        }
        rest = &tag_and_after[end..];
    }
    out.push_str(rest);
    out
}

/// Where the next `<img` tag starts.
fn find_img(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find("<img") {
        let at = from + i;
        match s.as_bytes().get(at + 4) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') | None => return Some(at),
            _ => from = at + 4,
        }
    }
    None
}

/// The length of the tag at the start of `s` (through its `>`, quotes respected).
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The value of attribute `name` in a serialized tag (as written, still escaped).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    let pat = format!("{name}=\"");
    loop {
        let i = rest.find(&pat)?;
        let before = rest[..i].chars().last();
        let after = &rest[i + pat.len()..];
        if before.is_some_and(char::is_whitespace) {
            return after.find('"').map(|end| &after[..end]);
        }
        rest = after;
    }
}

/// `(src, host, alt)` of an `<img>` on a host outside `allowed`; `None` for images on
/// this archive (relative addresses), `data:` images and allowed hosts.
fn external_host(tag: &str, allowed: &[String]) -> Option<(String, String, String)> {
    let src = attr(tag, "src")?.trim();
    let unescaped = src.replace("&amp;", "&");
    let lower = unescaped.to_ascii_lowercase();
    let after_scheme = if let Some(r) = lower.strip_prefix("//") {
        r
    } else if let Some((scheme, r)) = lower.split_once("://") {
        if !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return None;
        }
        r
    } else {
        // Relative to this archive, or `data:`.
        return None;
    };
    let authority = after_scheme
        .split(['/', '?', '#', '\\'])
        .next()
        .unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()
            .map_or(host_port.to_string(), |h| format!("{h}]"))
    } else {
        host_port.split(':').next().unwrap_or(host_port).to_string()
    };
    let host = host.trim_end_matches('.').to_string();
    let ok = allowed
        .iter()
        .any(|a| host == *a || host.ends_with(&format!(".{a}")));
    if ok {
        return None;
    }
    let alt = attr(tag, "alt").unwrap_or("").to_string();
    Some((src.to_string(), host, alt))
}

/// Host names as an admin lists them ("images.example.org, cdn.example.net"), tidied:
/// lower case, no scheme, path or port.
pub fn parse_hosts(list: &str) -> Vec<String> {
    list.split([',', ' ', '\n'])
        .map(|h| {
            let h = h.trim().to_ascii_lowercase();
            let h = h.split("://").last().unwrap_or("").to_string();
            h.split(['/', ':']).next().unwrap_or("").to_string()
        })
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_images_become_links_with_alt_and_host() {
        let allowed = vec!["images.example.org".to_string()];
        let html = "<p>Map: <img src=\"https://tracker.example/p.png?u=1&amp;w=2\" alt=\"A &quot;map&quot;\"> \
                    <img src=\"https://cdn.images.example.org/a.png\" alt=\"ok\"> \
                    <img src=\"/static/x.png\"> <img src=\"data:image/png;base64,AAAA\"> \
                    <img src=\"//other.example/b.png\"><imgx></p>";
        let out = link_external_images(html, &allowed);
        assert!(
            out.contains(
                "<a class=\"external-image\" href=\"https://tracker.example/p.png?u=1&amp;w=2\" \
                 rel=\"nofollow noopener noreferrer\">A &quot;map&quot; (image at tracker.example)</a>"
            ),
            "{out}"
        );
        assert!(out.contains("<img src=\"https://cdn.images.example.org/a.png\" alt=\"ok\">"));
        assert!(out.contains("<img src=\"/static/x.png\">"));
        assert!(out.contains("<img src=\"data:image/png;base64,AAAA\">"));
        assert!(out.contains(">Image (image at other.example)</a>"), "{out}");
        assert!(!out.contains("tracker.example/p.png?u=1&amp;w=2\" alt"));
        assert!(out.ends_with("<imgx></p>"));
    }

    #[test]
    fn a_quoted_angle_bracket_does_not_end_the_tag() {
        let out = link_external_images("<img alt=\"a > b\" src=\"http://x.example/i\">!", &[]);
        assert_eq!(
            out,
            "<a class=\"external-image\" href=\"http://x.example/i\" rel=\"nofollow noopener noreferrer\">a &gt; b (image at x.example)</a>!"
        );
    }

    #[test]
    fn hosts_are_tidied() {
        assert_eq!(
            parse_hosts(" https://Images.Example.org/path, cdn.example.net:443 ,b@d"),
            ["images.example.org", "cdn.example.net"]
        );
    }
}
