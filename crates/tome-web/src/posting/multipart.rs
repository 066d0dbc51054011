//! A small `multipart/form-data` reader for the upload forms: text fields and one file.
//! Bodies are bounded by axum's body limit before they get here.

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// Set for file inputs.
    pub file_name: Option<String>,
    pub data: Vec<u8>,
}

/// Why a body could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MultipartError {
    #[error("The upload is not a multipart form.")]
    NotMultipart,
    #[error("The upload could not be read.")]
    Malformed,
}

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty() && b.len() <= 200)
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// A quoted (or bare) parameter of a `Content-Disposition` header.
fn param(header: &str, name: &str) -> Option<String> {
    for piece in header.split(';').skip(1) {
        let (k, v) = piece.trim().split_once('=')?;
        if k.trim().eq_ignore_ascii_case(name) {
            return Some(v.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// Splits a body into its parts.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, MultipartError> {
    let b = boundary(content_type).ok_or(MultipartError::NotMultipart)?;
    let delim = format!("--{b}");
    let next_delim = format!("\r\n--{b}");
    let mut at = find(body, delim.as_bytes(), 0).ok_or(MultipartError::Malformed)? + delim.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[at..].starts_with(b"\r\n") {
            return Err(MultipartError::Malformed);
        }
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at).ok_or(MultipartError::Malformed)?;
        let head = String::from_utf8_lossy(&body[at..head_end]).to_string();
        let data_start = head_end + 4;
        let data_end =
            find(body, next_delim.as_bytes(), data_start).ok_or(MultipartError::Malformed)?;
        let disposition = head
            .lines()
            .find(|l| {
                l.split(':')
                    .next()
                    .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-disposition"))
            })
            .ok_or(MultipartError::Malformed)?;
        let name = param(disposition, "name").ok_or(MultipartError::Malformed)?;
        parts.push(Part {
            name,
            file_name: param(disposition, "filename"),
            data: body[data_start..data_end].to_vec(),
        });
        at = data_end + next_delim.len();
    }
}

/// A text field of the parts.
pub fn text(parts: &[Part], name: &str) -> Option<String> {
    parts
        .iter()
        .find(|p| p.name == name && p.file_name.is_none())
        .map(|p| String::from_utf8_lossy(&p.data).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_a_file() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"authenticity_token\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"story.txt\"\r\nContent-Type: text/plain\r\n\r\nOnce upon\r\na time\r\n--XyZ--\r\n";
        let parts = parse("multipart/form-data; boundary=XyZ", body).expect("parse");
        assert_eq!(text(&parts, "authenticity_token").as_deref(), Some("abc"));
        assert_eq!(parts[1].file_name.as_deref(), Some("story.txt"));
        assert_eq!(parts[1].data, b"Once upon\r\na time");
        assert_eq!(
            parse("text/plain", body).err(),
            Some(MultipartError::NotMultipart)
        );
        assert_eq!(
            parse("multipart/form-data; boundary=XyZ", b"--XyZ\r\nbroken").err(),
            Some(MultipartError::Malformed)
        );
    }
}
