//! The fandom index, like AO3's "Fandoms" menu: `GET /media` lists every medium with its
//! fandoms that have the most works (and a link to all of them); `GET
//! /media/{medium}/fandoms` lists all of a medium's fandoms alphabetically, grouped by
//! first letter, each with its number of works.
//!
//! The counts are cached ([`crate::counts`]): a few seconds stale after a change.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use tome_model::{tag_from_path, tag_to_path};
use tome_store::{MediaFandoms, TagRef};

use crate::AppState;
use crate::error::WebError;
use crate::format::commas;
use crate::layout::Layout;
use crate::pages::render;
use crate::views::tag_works_href;

/// Fandoms shown per medium on the index.
pub const TOP_FANDOMS: usize = 5;

/// The media routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/media", get(index))
        .route("/media/{medium}/fandoms", get(fandoms))
}

/// `/media/ESCAPED/fandoms` (AO3's escapes: "Books *a* Literature").
pub fn medium_href(name: &str) -> String {
    format!("/media/{}/fandoms", tag_to_path(name))
}

/// A fandom with its number of works.
pub struct FandomCount {
    pub name: String,
    pub href: String,
    pub count: String,
}

impl FandomCount {
    fn of((t, n): &(TagRef, u64)) -> FandomCount {
        FandomCount {
            name: t.name.clone(),
            href: tag_works_href(&t.name),
            count: commas(*n),
        }
    }
}

/// A medium on the index: its busiest fandoms.
pub struct Medium {
    pub name: String,
    pub href: String,
    pub top: Vec<FandomCount>,
    /// Fandoms in all.
    pub total: String,
}

#[derive(Template)]
#[template(path = "media_index.html")]
pub struct MediaIndexTemplate {
    pub l: Layout,
    pub media: Vec<Medium>,
}

/// One letter's fandoms.
pub struct Letter {
    pub letter: String,
    pub id: String,
    pub fandoms: Vec<FandomCount>,
}

#[derive(Template)]
#[template(path = "media_fandoms.html")]
pub struct MediaFandomsTemplate {
    pub l: Layout,
    pub medium: String,
    pub letters: Vec<Letter>,
    pub total: String,
}

/// `GET /media`.
pub async fn index(State(state): State<AppState>) -> Result<Response, WebError> {
    let media = state
        .counts()
        .media_index(state.store(), crate::visibility::audience())
        .await?;
    render(&MediaIndexTemplate {
        l: Layout::new(&state, "Fandoms"),
        media: media.iter().map(medium).collect(),
    })
}

fn medium(m: &MediaFandoms) -> Medium {
    let mut by_works: Vec<&(TagRef, u64)> = m.fandoms.iter().collect();
    by_works.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| sort_key(&a.0).cmp(&sort_key(&b.0)))
    });
    Medium {
        name: m.name.clone(),
        href: medium_href(&m.name),
        top: by_works
            .into_iter()
            .take(TOP_FANDOMS)
            .map(FandomCount::of)
            .collect(),
        total: commas(m.fandoms.len() as u64),
    }
}

/// `GET /media/{medium}/fandoms`.
pub async fn fandoms(
    State(state): State<AppState>,
    Path(medium): Path<String>,
) -> Result<Response, WebError> {
    let name = tag_from_path(&medium);
    let found = state
        .counts()
        .media_fandoms(state.store(), &name, crate::visibility::audience())
        .await?;
    let m = found.as_ref().ok_or(WebError::NotFound)?;
    render(&MediaFandomsTemplate {
        l: Layout::new(&state, format!("{} - Fandoms", m.name)),
        total: commas(m.fandoms.len() as u64),
        letters: letters(&m.fandoms),
        medium: m.name.clone(),
    })
}

/// Case-insensitive alphabetical order.
fn sort_key(t: &TagRef) -> (String, String) {
    (t.name.to_lowercase(), t.name.clone())
}

/// The letter a fandom is filed under: its first letter, upper-cased; `#` for anything
/// else (digits, punctuation).
fn letter_of(name: &str) -> String {
    match name.chars().next() {
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        _ => "#".into(),
    }
}

/// Fandoms alphabetically, grouped by first letter.
fn letters(fandoms: &[(TagRef, u64)]) -> Vec<Letter> {
    let mut sorted: Vec<&(TagRef, u64)> = fandoms.iter().collect();
    sorted.sort_by_key(|a| sort_key(&a.0));
    let mut out: Vec<Letter> = Vec::new();
    for f in sorted {
        let letter = letter_of(&f.0.name);
        match out.last_mut() {
            Some(l) if l.letter == letter => l.fandoms.push(FandomCount::of(f)),
            _ => out.push(Letter {
                id: format!(
                    "letter-{}",
                    if letter == "#" {
                        "other".to_string()
                    } else {
                        letter.clone()
                    }
                ),
                letter,
                fandoms: vec![FandomCount::of(f)],
            }),
        }
    }
    // `#` sorts before letters by code point but reads better last.
    out.sort_by_key(|l| l.letter == "#");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tome_model::TagKind;

    fn f(name: &str, n: u64) -> (TagRef, u64) {
        (
            TagRef {
                id: 0,
                kind: TagKind::Fandom,
                name: name.into(),
            },
            n,
        )
    }

    #[test]
    fn fandoms_are_grouped_by_first_letter() {
        let l = letters(&[
            f("buffy", 1),
            f("Angel", 2),
            f("1984", 3),
            f("Babylon 5", 4),
            f("Émilie", 5),
        ]);
        let got: Vec<(String, Vec<String>)> = l
            .iter()
            .map(|l| {
                (
                    l.letter.clone(),
                    l.fandoms.iter().map(|f| f.name.clone()).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A".to_string(), vec!["Angel".to_string()]),
                ("B".into(), vec!["Babylon 5".into(), "buffy".into()]),
                ("É".into(), vec!["Émilie".into()]),
                ("#".into(), vec!["1984".into()]),
            ]
        );
    }

    #[test]
    fn the_index_shows_the_busiest_fandoms() {
        let m = MediaFandoms {
            name: "TV Shows".into(),
            fandoms: (0..8).map(|i| f(&format!("F{i}"), i)).collect(),
        };
        let shown = medium(&m);
        assert_eq!(shown.href, "/media/TV%20Shows/fandoms");
        assert_eq!(
            shown
                .top
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>(),
            ["F7", "F6", "F5", "F4", "F3"]
        );
        assert_eq!(shown.total, "8");
    }
}
