//! View models: the store's read models turned into exactly what templates print
//! (links built, numbers with commas, dates formatted), so templates stay logic-free.

use tome_model::{Category, Rating, TagKind, Warning, tag_to_path};
use tome_store::{PseudRef, TagRef, WorkBlurb, WorkPage};

use crate::format::{blurb_date, chapters, commas, iso_date};

/// A link to a tag's works.
#[derive(Debug, Clone)]
pub struct TagLink {
    pub name: String,
    pub href: String,
}

impl TagLink {
    pub fn named(name: &str) -> TagLink {
        TagLink {
            name: name.to_string(),
            href: tag_works_href(name),
        }
    }

    pub fn of(tag: &TagRef) -> TagLink {
        TagLink::named(&tag.name)
    }

    pub fn info(tag: &TagRef) -> TagLink {
        TagLink {
            name: tag.name.clone(),
            href: tag_href(&tag.name),
        }
    }
}

/// `/tags/ESCAPED/works`.
pub fn tag_works_href(name: &str) -> String {
    format!("/tags/{}/works", tag_to_path(name))
}

/// `/tags/ESCAPED`.
pub fn tag_href(name: &str) -> String {
    format!("/tags/{}", tag_to_path(name))
}

/// Percent-encodes one path segment (logins, pseud names).
pub fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A creator's byline link: `/users/LOGIN/pseuds/PSEUD`, showing the pseud's name (the
/// text FanFicFare takes as the author's name).
#[derive(Debug, Clone)]
pub struct CreatorLink {
    pub name: String,
    pub href: String,
}

impl CreatorLink {
    pub fn of(p: &PseudRef) -> CreatorLink {
        CreatorLink {
            name: p.name.clone(),
            href: pseud_href(&p.login, &p.name),
        }
    }
}

pub fn user_href(login: &str) -> String {
    format!("/users/{}", path_segment(login))
}

pub fn pseud_href(login: &str, pseud: &str) -> String {
    format!(
        "/users/{}/pseuds/{}",
        path_segment(login),
        path_segment(pseud)
    )
}

/// The creators of a work as its pages show them to the current request's viewer;
/// empty ("Anonymous") for anonymous works except to their creators
/// ([`crate::visibility::shown_creators`]).
pub fn creators(b: &WorkBlurb) -> Vec<CreatorLink> {
    crate::visibility::shown_creators(&crate::accounts::current().viewer, b)
        .iter()
        .map(CreatorLink::of)
        .collect()
}

/// One of the four "required tags" symbols on a blurb.
#[derive(Debug, Clone)]
pub struct Symbol {
    /// The whole class attribute, e.g. `rating-teen rating`.
    pub class: String,
    pub title: String,
}

fn rating_symbol(r: Rating) -> Symbol {
    Symbol {
        class: format!("{} rating", r.css_class()),
        title: r.name().to_string(),
    }
}

fn warnings_symbol(ws: &[Warning]) -> Symbol {
    let class = if ws.iter().any(|w| w.css_class() == "warning-yes") {
        "warning-yes"
    } else if ws.contains(&Warning::NoWarnings) {
        "warning-no"
    } else {
        "warning-choosenotto"
    };
    let title = if ws.is_empty() {
        Warning::ChoseNotToUse.name().to_string()
    } else {
        join_names(ws.iter().map(|w| w.name()))
    };
    Symbol {
        class: format!("{class} warnings"),
        title,
    }
}

fn category_symbol(cs: &[Category]) -> Symbol {
    let (class, title) = match cs {
        [] => ("category-none".to_string(), "No category".to_string()),
        [c] => (c.css_class().to_string(), c.name().to_string()),
        many => (
            Category::Multi.css_class().to_string(),
            join_names(many.iter().map(|c| c.name())),
        ),
    };
    Symbol {
        class: format!("{class} category"),
        title,
    }
}

fn complete_symbol(complete: bool) -> Symbol {
    if complete {
        Symbol {
            class: "complete-yes iswip".into(),
            title: "Complete Work".into(),
        }
    } else {
        Symbol {
            class: "complete-no iswip".into(),
            title: "Work in Progress".into(),
        }
    }
}

fn join_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// A language's name for a stored language tag (the export module's table, so pages and
/// downloads agree).
pub fn language_name(code: &str) -> String {
    tome_text::export::meta::language_name(code)
}

/// Stats as AO3 prints them.
#[derive(Debug, Clone)]
pub struct Stats {
    pub language: String,
    pub lang: String,
    pub published: String,
    /// ("Updated:" or "Completed:", date) when the work changed after it was published.
    pub status: Option<(&'static str, String)>,
    pub words: String,
    pub chapters: String,
    pub comments: String,
    pub kudos: String,
    pub bookmarks: String,
    pub hits: String,
}

impl Stats {
    pub fn of(b: &WorkBlurb) -> Stats {
        let published = iso_date(b.published_at);
        let updated = iso_date(b.updated_at);
        let status = (updated != published).then(|| {
            let label = if b.complete && b.chapter_count > 1 {
                "Completed:"
            } else {
                "Updated:"
            };
            (label, updated)
        });
        Stats {
            language: language_name(&b.language),
            lang: tome_text::export::meta::language_tag(&b.language),
            published,
            status,
            words: commas(b.word_count),
            chapters: chapters(b.chapter_count, b.expected_chapters),
            comments: commas(b.comments),
            kudos: commas(b.kudos),
            bookmarks: commas(b.bookmarks),
            hits: commas(b.hits),
        }
    }
}

/// A work in a listing (AO3's blurb).
#[derive(Debug, Clone)]
pub struct BlurbView {
    pub id: i64,
    pub title: String,
    pub creators: Vec<CreatorLink>,
    pub fandoms: Vec<TagLink>,
    pub symbols: [Symbol; 4],
    pub date: String,
    pub warnings: Vec<TagLink>,
    pub relationships: Vec<TagLink>,
    pub characters: Vec<TagLink>,
    pub freeforms: Vec<TagLink>,
    pub summary_html: Option<String>,
    /// Search results: the matched text, highlighted (HTML from the search engine).
    pub snippet_html: Option<String>,
    /// A series page: the work's place in the series ("Part 2 of ...").
    pub part: Option<SeriesPart>,
    pub stats: Stats,
}

/// A work's place in a series, as a series page's blurbs show it.
#[derive(Debug, Clone)]
pub struct SeriesPart {
    pub position: u32,
    pub series_id: i64,
    pub series_title: String,
}

impl BlurbView {
    pub fn of(b: &WorkBlurb) -> BlurbView {
        BlurbView {
            id: b.id,
            title: b.title.clone(),
            creators: creators(b),
            fandoms: b.fandoms.iter().map(TagLink::of).collect(),
            symbols: [
                rating_symbol(b.rating),
                warnings_symbol(&b.warnings),
                category_symbol(&b.categories),
                complete_symbol(b.complete),
            ],
            date: blurb_date(b.updated_at),
            warnings: b
                .warnings
                .iter()
                .map(|w| TagLink::named(w.name()))
                .collect(),
            relationships: b.relationships.iter().map(TagLink::of).collect(),
            characters: b.characters.iter().map(TagLink::of).collect(),
            freeforms: b.freeforms.iter().map(TagLink::of).collect(),
            summary_html: b
                .summary_html
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(crate::summaries::cleaned),
            snippet_html: None,
            part: None,
            stats: Stats::of(b),
        }
    }
}

/// The `dl.work.meta.group` of a work page: one row per tag kind that has tags.
#[derive(Debug, Clone)]
pub struct MetaRow {
    pub label: &'static str,
    /// The whole class attribute of the `dd`, e.g. `fandom tags`.
    pub class: String,
    pub tags: Vec<TagLink>,
}

/// Rows of tags for a work page, in AO3's order, skipping empty kinds.
pub fn meta_rows(b: &WorkBlurb) -> Vec<MetaRow> {
    let row = |kind: TagKind, label: &'static str, tags: Vec<TagLink>| MetaRow {
        label,
        class: format!("{} tags", kind.meta_class()),
        tags,
    };
    let rows = vec![
        row(
            TagKind::Rating,
            "Rating:",
            vec![TagLink::named(b.rating.name())],
        ),
        row(
            TagKind::Warning,
            "Archive Warning:",
            b.warnings
                .iter()
                .map(|w| TagLink::named(w.name()))
                .collect(),
        ),
        row(
            TagKind::Category,
            "Category:",
            b.categories
                .iter()
                .map(|c| TagLink::named(c.name()))
                .collect(),
        ),
        row(
            TagKind::Fandom,
            "Fandom:",
            b.fandoms.iter().map(TagLink::of).collect(),
        ),
        row(
            TagKind::Relationship,
            "Relationship:",
            b.relationships.iter().map(TagLink::of).collect(),
        ),
        row(
            TagKind::Character,
            "Characters:",
            b.characters.iter().map(TagLink::of).collect(),
        ),
        row(
            TagKind::Freeform,
            "Additional Tags:",
            b.freeforms.iter().map(TagLink::of).collect(),
        ),
    ];
    rows.into_iter().filter(|r| !r.tags.is_empty()).collect()
}

/// One page link in `ol.pagination.actions`.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub label: String,
    /// `None` for the current page and for gaps.
    pub href: Option<String>,
    pub current: bool,
    pub gap: bool,
}

/// The page links of a paged list (`ol.pagination.actions`): previous, next, and the
/// first, last and nearby pages with gaps between.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Pager {
    /// Links for page `current` of `pages`; `href(n)` is page n's address.
    pub fn new(pages: u32, current: u32, href: impl Fn(u32) -> String) -> Pager {
        let current = current.max(1);
        let mut links = Vec::new();
        if pages > 1 {
            let mut last = 0;
            for n in 1..=pages {
                let near = n == 1 || n == pages || n.abs_diff(current) <= 2;
                if !near {
                    continue;
                }
                if last != 0 && n > last + 1 {
                    links.push(PageLink {
                        label: "…".into(),
                        href: None,
                        current: false,
                        gap: true,
                    });
                }
                links.push(PageLink {
                    label: n.to_string(),
                    href: (n != current).then(|| href(n)),
                    current: n == current,
                    gap: false,
                });
                last = n;
            }
        }
        Pager {
            prev: (pages > 1 && current > 1).then(|| href(current - 1)),
            next: (current < pages).then(|| href(current + 1)),
            pages: links,
        }
    }

    /// Links for `?page=N` on `base` (page 1 is `base` itself).
    pub fn for_path(pages: u32, current: u32, base: &str) -> Pager {
        Pager::new(pages, current, |n| {
            if n <= 1 {
                base.to_string()
            } else if base.contains('?') {
                format!("{base}&page={n}")
            } else {
                format!("{base}?page={n}")
            }
        })
    }

    pub fn paginated(&self) -> bool {
        !self.pages.is_empty()
    }
}

/// A paged list's heading: "5 Works" when everything fits on one page, else
/// "21 - 40 of 1,234 Works".
pub fn range_heading(
    total: u64,
    page: u32,
    per_page: u32,
    shown: usize,
    singular: &str,
    plural: &str,
) -> String {
    let word = if total == 1 { singular } else { plural };
    let page = page.max(1);
    if total <= u64::from(per_page) && page == 1 {
        return format!("{} {word}", commas(total));
    }
    let first = if shown == 0 {
        0
    } else {
        u64::from(page - 1) * u64::from(per_page) + 1
    };
    let last = if shown == 0 {
        0
    } else {
        first + shown as u64 - 1
    };
    format!(
        "{} - {} of {} {word}",
        commas(first),
        commas(last),
        commas(total)
    )
}

/// The number of pages `total` items fill, at least 1.
pub fn page_count(total: u64, per_page: u32) -> u32 {
    if per_page == 0 {
        return 1;
    }
    u32::try_from(total.div_ceil(u64::from(per_page)).max(1)).unwrap_or(u32::MAX)
}

/// A listing page: heading, blurbs and page links.
#[derive(Debug, Clone)]
pub struct Listing {
    /// "1 - 20 of 1,234 Works" or "5 Works".
    pub heading: String,
    pub blurbs: Vec<BlurbView>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Listing {
    /// `base` is the listing's path without query, e.g. `/works`.
    pub fn of(page: &WorkPage, base: &str) -> Listing {
        let heading = range_heading(
            page.total,
            page.page,
            page.per_page,
            page.items.len(),
            "Work",
            "Works",
        );
        let pager = Pager::for_path(page.pages(), page.page, base);
        Listing {
            heading,
            blurbs: page.items.iter().map(BlurbView::of).collect(),
            prev: pager.prev,
            next: pager.next,
            pages: pager.pages,
        }
    }

    pub fn paginated(&self) -> bool {
        !self.pages.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped() {
        assert_eq!(path_segment("a b/c"), "a%20b%2Fc");
        assert_eq!(
            pseud_href("jo", "Jo Writes"),
            "/users/jo/pseuds/Jo%20Writes"
        );
    }

    #[test]
    fn warning_symbols() {
        assert_eq!(
            warnings_symbol(&[Warning::NoWarnings]).class,
            "warning-no warnings"
        );
        assert_eq!(
            warnings_symbol(&[Warning::NoWarnings, Warning::GraphicViolence]).class,
            "warning-yes warnings"
        );
        assert_eq!(warnings_symbol(&[]).class, "warning-choosenotto warnings");
    }
}
