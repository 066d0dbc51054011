//! Headers every response carries: the Content-Security-Policy (no inline script or
//! style anywhere, so a sanitizer slip cannot run code; images only from this archive,
//! `data:` and the hosts the archive allows, so no third party learns who reads what),
//! no referrer sent anywhere, and friends.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// The policy with images from this archive, `data:` URLs and `image_hosts` only.
pub fn content_security_policy(image_hosts: &[String]) -> String {
    let mut img = String::from("'self' data:");
    for h in image_hosts {
        img.push(' ');
        img.push_str(h);
        // Subdomains too, as `images::link_external_images` allows them.
        img.push_str(" *.");
        img.push_str(h);
    }
    format!(
        "default-src 'self'; img-src {img}; style-src 'self'; script-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
}

const HEADERS: [(HeaderName, &str); 3] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    // No address of this archive's pages (which work someone reads) leaves with a link.
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Middleware adding the security headers.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            state.content_security_policy().clone(),
        );
    }
    for (name, value) in HEADERS {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_only_from_here_and_allowed_hosts() {
        let p = content_security_policy(&[]);
        assert!(p.contains("img-src 'self' data:;"), "{p}");
        let p = content_security_policy(&["images.example.org".into()]);
        assert!(
            p.contains("img-src 'self' data: images.example.org *.images.example.org;"),
            "{p}"
        );
        assert!(HeaderValue::from_str(&p).is_ok());
    }
}
