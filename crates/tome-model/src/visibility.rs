//! Who may see a work: one table of rules over (viewer, work state), and everything
//! derived from it.
//!
//! A work carries four flags that limit who sees it ([`Flag`]). For each flag and each
//! [`Surface`] the table [`RULES`] says who still sees a work carrying it ([`Who`]).
//! A viewer sees a work on a surface when every flag the work carries admits them.
//! From that one table come:
//!
//! - the Rust check on one object: [`can_see`];
//! - the store's SQL predicate: [`sql_predicate`] writes the `WHERE` fragment for a
//!   reader, a surface and a table alias (never a hand-typed copy);
//! - the search engine's filter: [`search_exclusions`] (which indexed flags an audience
//!   must not match) and [`indexed`] (which works the index holds at all);
//! - the counts: a count is computed under the same predicate as the listing it
//!   counts, so what a guest is told never includes what a guest may not open.
//!
//! Surfaces:
//! - [`Surface::Open`]: the work's own pages (chapters, index, downloads, comments).
//! - [`Surface::Listing`]: listings and aggregates over works (home, `/works`, tag works,
//!   search, tag/fandom/media counts, related tags, autocomplete uses). Only the
//!   audience (guest or member) matters there, so these may be cached per audience.
//! - [`Surface::Byline`]: a user's or pseud's pages and counts: a listing that never
//!   shows a work posted anonymously, except to its own creators.

use serde::Serialize;

/// Who a listing is for: guests (logged out) or members (logged in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Audience {
    Guest,
    Member,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Guest, Audience::Member];

    /// `true`: member.
    pub fn from_member(member: bool) -> Audience {
        if member {
            Audience::Member
        } else {
            Audience::Guest
        }
    }
}

/// A flag on a work that limits who sees it; each is a 0/1 column of `works`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Flag {
    /// Not posted yet.
    Draft,
    /// Hidden by a moderator.
    Hidden,
    /// Visible to logged-in readers only.
    Restricted,
    /// Posted without the creators' names.
    Anonymous,
}

impl Flag {
    pub const ALL: [Flag; 4] = [Flag::Draft, Flag::Hidden, Flag::Restricted, Flag::Anonymous];

    /// The column of `works` that holds the flag (0 or 1).
    pub fn column(self) -> &'static str {
        match self {
            Flag::Draft => "draft",
            Flag::Hidden => "hidden",
            Flag::Restricted => "restricted",
            Flag::Anonymous => "anonymous",
        }
    }

    /// Whether the work carries the flag.
    pub fn of(self, s: &WorkState) -> bool {
        match self {
            Flag::Draft => s.draft,
            Flag::Hidden => s.hidden,
            Flag::Restricted => s.restricted,
            Flag::Anonymous => s.anonymous,
        }
    }
}

/// Where a work is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Surface {
    /// The work's own pages: chapters, chapter index, downloads, comments, bookmarks of it.
    Open,
    /// Listings and aggregates over works.
    Listing,
    /// A user's or pseud's pages and their counts.
    Byline,
}

impl Surface {
    pub const ALL: [Surface; 3] = [Surface::Open, Surface::Listing, Surface::Byline];
}

/// Who still sees a work carrying a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Who {
    Everyone,
    Members,
    /// The work's creators (accepted co-creators included; invited ones not).
    Creators,
    /// The work's creators and the archive's moderators.
    CreatorsAndModerators,
    Nobody,
}

/// One row of the table: a flag and who sees a work carrying it on each surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub flag: Flag,
    pub open: Who,
    pub listing: Who,
    pub byline: Who,
}

impl Rule {
    pub fn on(&self, surface: Surface) -> Who {
        match surface {
            Surface::Open => self.open,
            Surface::Listing => self.listing,
            Surface::Byline => self.byline,
        }
    }
}

/// The rules. Drafts are their creators' only (listed nowhere: they have their own
/// drafts page); hidden works open for creators and moderators and are listed nowhere;
/// restricted works are for members everywhere; anonymous works open for everyone,
/// are listed everywhere, but a user's or pseud's pages show them only to their creators.
pub const RULES: [Rule; 4] = [
    Rule {
        flag: Flag::Draft,
        open: Who::Creators,
        listing: Who::Nobody,
        byline: Who::Nobody,
    },
    Rule {
        flag: Flag::Hidden,
        open: Who::CreatorsAndModerators,
        listing: Who::Nobody,
        byline: Who::Nobody,
    },
    Rule {
        flag: Flag::Restricted,
        open: Who::Members,
        listing: Who::Members,
        byline: Who::Members,
    },
    Rule {
        flag: Flag::Anonymous,
        open: Who::Everyone,
        listing: Who::Everyone,
        byline: Who::Creators,
    },
];

/// Who the rule for `flag` admits on `surface`.
pub fn who(flag: Flag, surface: Surface) -> Who {
    RULES
        .iter()
        .find(|r| r.flag == flag)
        .map_or(Who::Nobody, |r| r.on(surface))
}

/// A work's flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct WorkState {
    pub draft: bool,
    pub hidden: bool,
    pub restricted: bool,
    pub anonymous: bool,
}

impl WorkState {
    /// Every combination of the four flags (16), for tests and matrices.
    pub fn all() -> Vec<WorkState> {
        (0u8..16)
            .map(|b| WorkState {
                draft: b & 1 != 0,
                hidden: b & 2 != 0,
                restricted: b & 4 != 0,
                anonymous: b & 8 != 0,
            })
            .collect()
    }
}

/// Who is looking, independent of any one work: a guest, or a member (by user id) who
/// may moderate. Listings and aggregates only use the audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Reader {
    pub user_id: Option<i64>,
    pub moderator: bool,
}

impl Reader {
    pub const GUEST: Reader = Reader {
        user_id: None,
        moderator: false,
    };

    pub fn member(user_id: i64, moderator: bool) -> Reader {
        Reader {
            user_id: Some(user_id),
            moderator,
        }
    }

    pub fn audience(&self) -> Audience {
        Audience::from_member(self.user_id.is_some())
    }
}

/// The viewer's relation to one work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Relation {
    /// Not on the byline.
    Other,
    /// Named as co-creator, not accepted yet: as [`Relation::Other`] until they accept.
    Invited,
    /// On the byline (posted it, or accepted an invitation).
    Creator,
}

impl Who {
    /// Whether this admits the reader standing in `relation` to the work.
    pub fn admits(self, reader: &Reader, relation: Relation) -> bool {
        let creator = reader.user_id.is_some() && relation == Relation::Creator;
        match self {
            Who::Everyone => true,
            Who::Members => reader.user_id.is_some(),
            Who::Creators => creator,
            Who::CreatorsAndModerators => creator || (reader.user_id.is_some() && reader.moderator),
            Who::Nobody => false,
        }
    }
}

/// The Rust check on one work: whether the reader, in `relation` to the work, sees it
/// on `surface`.
pub fn can_see(reader: &Reader, relation: Relation, surface: Surface, state: &WorkState) -> bool {
    Flag::ALL
        .iter()
        .all(|&f| !f.of(state) || who(f, surface).admits(reader, relation))
}

/// Whether the creators' names are shown to the reader: never on an anonymous work,
/// except to its creators.
pub fn shows_creators(reader: &Reader, relation: Relation, state: &WorkState) -> bool {
    !state.anonymous || Who::Creators.admits(reader, relation)
}

/// Whether a downloaded file (EPUB, HTML, text) names the creators: a file is passed on
/// and cached whoever asked for it, so an anonymous work's never does, not even the
/// creators' own copy.
pub fn file_names_creators(state: &WorkState) -> bool {
    !state.anonymous
}

/// Whether the reader sees a bookmark of the work: a private one only its owner, and
/// none of a work the reader may not open.
pub fn can_see_bookmark(
    reader: &Reader,
    relation: Relation,
    state: &WorkState,
    owner_id: i64,
    private: bool,
) -> bool {
    (!private || reader.user_id == Some(owner_id))
        && can_see(reader, relation, Surface::Open, state)
}

/// Whether a listing (or a byline page) leaves out, for a reader who muted one of its
/// creators, a work it would show: muting hides a muted user's works from listings but
/// never closes a work's own pages, and never acts on an anonymous work (leaving it out
/// would tell the reader who wrote it).
pub fn muted_out(surface: Surface, creator_muted: bool, state: &WorkState) -> bool {
    creator_muted && surface != Surface::Open && !state.anonymous
}

/// The SQL predicate: a `WHERE` fragment (no leading `AND`) selecting the rows of
/// `works` aliased `alias` that `reader` sees on `surface`. Written from [`RULES`]:
/// per flag, either nothing (everyone it could concern is admitted), `alias.col = 0`
/// (nobody this reader could be is admitted), or "`col = 0` or the reader is one of the
/// work's creators" (a subquery on `creatorships`). Only integers from the reader are
/// written into it, never text; it binds nothing, so it fits any placeholder numbering.
///
/// `alias` must be an SQL identifier the caller wrote (a table alias such as `w`).
pub fn sql_predicate(reader: &Reader, surface: Surface, alias: &str) -> String {
    debug_assert!(
        !alias.is_empty() && alias.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "alias must be an identifier"
    );
    let creator = |uid: i64| {
        format!(
            "EXISTS (SELECT 1 FROM creatorships vc JOIN pseuds vp ON vp.id = vc.pseud_id \
             WHERE vc.work_id = {alias}.id AND vp.user_id = {uid})"
        )
    };
    let mut parts: Vec<String> = Vec::new();
    for flag in Flag::ALL {
        let col = format!("{alias}.{} = 0", flag.column());
        let member = reader.user_id.is_some();
        let part = match (who(flag, surface), reader.user_id) {
            (Who::Everyone, _) => None,
            (Who::Members, _) if member => None,
            (Who::CreatorsAndModerators, Some(_)) if reader.moderator => None,
            (Who::Creators | Who::CreatorsAndModerators, Some(uid)) => {
                Some(format!("({col} OR {})", creator(uid)))
            }
            (Who::Members | Who::Creators | Who::CreatorsAndModerators | Who::Nobody, _) => {
                Some(col)
            }
        };
        parts.extend(part);
    }
    if parts.is_empty() {
        "1 = 1".to_string()
    } else {
        parts.join(" AND ")
    }
}

/// The SQL predicate for bookmarks, [`can_see_bookmark`] written as a `WHERE` fragment
/// over `bookmarks` aliased `bookmark` joined to `works` aliased `work`: a private
/// bookmark only for its owner, and none of a work the reader may not open
/// ([`sql_predicate`] on [`Surface::Open`]). Binds nothing, like [`sql_predicate`].
pub fn bookmark_sql_predicate(reader: &Reader, bookmark: &str, work: &str) -> String {
    debug_assert!(
        !bookmark.is_empty()
            && bookmark
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "alias must be an identifier"
    );
    let private = match reader.user_id {
        Some(uid) => format!("({bookmark}.private = 0 OR {bookmark}.user_id = {uid})"),
        None => format!("{bookmark}.private = 0"),
    };
    format!(
        "{private} AND {}",
        sql_predicate(reader, Surface::Open, work)
    )
}

/// The listing predicate for an audience: [`sql_predicate`] on [`Surface::Listing`],
/// which depends on nothing but the audience (see the tests).
pub fn listing_sql(audience: Audience, alias: &str) -> String {
    sql_predicate(&audience_reader(audience), Surface::Listing, alias)
}

/// A reader standing for a whole audience (a member with no works and no roles).
pub fn audience_reader(audience: Audience) -> Reader {
    match audience {
        Audience::Guest => Reader::GUEST,
        // No user has id 0: ids start at 1.
        Audience::Member => Reader::member(0, false),
    }
}

/// The SQL condition (a `WHERE` fragment over works aliased `alias`) for a work `reader`
/// sees on `surface` that a member who neither created it nor moderates does not: what
/// makes a page on that surface differ from the members' shared copy. Derived from
/// [`sql_predicate`], so the rule is not written twice. Binds nothing.
pub fn sql_sees_beyond_members(reader: &Reader, surface: Surface, alias: &str) -> String {
    format!(
        "({}) AND NOT ({})",
        sql_predicate(reader, surface, alias),
        sql_predicate(&audience_reader(Audience::Member), surface, alias)
    )
}

/// Whether a work is listed for the audience.
pub fn listed(audience: Audience, state: &WorkState) -> bool {
    can_see(
        &audience_reader(audience),
        Relation::Other,
        Surface::Listing,
        state,
    )
}

/// Whether the search index holds the work: listed for some audience. (The index
/// serves every audience; [`search_exclusions`] narrows it per query.)
pub fn indexed(state: &WorkState) -> bool {
    Audience::ALL.iter().any(|&a| listed(a, state))
}

/// The flags a search for `audience` must not match: those whose rule on a listing
/// does not admit the audience, among the flags an indexed work can carry. The engine
/// needs an indexed field for each.
pub fn search_exclusions(audience: Audience) -> Vec<Flag> {
    let reader = audience_reader(audience);
    Flag::ALL
        .into_iter()
        .filter(|&f| !who(f, Surface::Listing).admits(&reader, Relation::Other))
        .filter(|&f| WorkState::all().iter().any(|s| f.of(s) && indexed(s)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readers() -> Vec<(Reader, Relation)> {
        let mut v = vec![(Reader::GUEST, Relation::Other)];
        for moderator in [false, true] {
            for rel in [Relation::Other, Relation::Invited, Relation::Creator] {
                v.push((Reader::member(7, moderator), rel));
            }
        }
        v
    }

    #[test]
    fn the_rules_as_stated() {
        let guest = Reader::GUEST;
        let member = Reader::member(2, false);
        let moderator = Reader::member(3, true);
        let o = Relation::Other;
        let c = Relation::Creator;
        let draft = WorkState {
            draft: true,
            ..WorkState::default()
        };
        let hidden = WorkState {
            hidden: true,
            ..WorkState::default()
        };
        let restricted = WorkState {
            restricted: true,
            ..WorkState::default()
        };
        let anonymous = WorkState {
            anonymous: true,
            ..WorkState::default()
        };
        assert!(can_see(&member, c, Surface::Open, &draft));
        assert!(!can_see(&member, Relation::Invited, Surface::Open, &draft));
        assert!(!can_see(&moderator, o, Surface::Open, &draft));
        assert!(!can_see(&member, c, Surface::Listing, &draft));
        assert!(can_see(&moderator, o, Surface::Open, &hidden));
        assert!(!can_see(&moderator, o, Surface::Listing, &hidden));
        assert!(!can_see(&guest, o, Surface::Open, &restricted));
        assert!(!can_see(&guest, o, Surface::Byline, &restricted));
        assert!(can_see(&member, o, Surface::Listing, &restricted));
        assert!(can_see(&guest, o, Surface::Open, &anonymous));
        assert!(can_see(&guest, o, Surface::Listing, &anonymous));
        assert!(!can_see(&member, o, Surface::Byline, &anonymous));
        assert!(!can_see(
            &member,
            Relation::Invited,
            Surface::Byline,
            &anonymous
        ));
        assert!(can_see(&member, c, Surface::Byline, &anonymous));
        // A guest is never a creator, whatever relation a caller passes.
        assert!(!can_see(&guest, c, Surface::Open, &draft));
        assert!(!shows_creators(&member, o, &anonymous));
        assert!(shows_creators(&member, c, &anonymous));
    }

    #[test]
    fn listings_depend_only_on_the_audience() {
        for s in WorkState::all() {
            for (r, rel) in readers() {
                assert_eq!(
                    can_see(&r, rel, Surface::Listing, &s),
                    listed(r.audience(), &s),
                    "{r:?} {rel:?} {s:?}"
                );
                assert_eq!(
                    sql_predicate(&r, Surface::Listing, "w"),
                    listing_sql(r.audience(), "w")
                );
            }
        }
    }

    #[test]
    fn bookmarks_and_mutes() {
        let owner = Reader::member(4, false);
        let other = Reader::member(5, false);
        let plain = WorkState::default();
        let restricted = WorkState {
            restricted: true,
            ..plain
        };
        let o = Relation::Other;
        assert!(can_see_bookmark(&owner, o, &plain, 4, true));
        assert!(!can_see_bookmark(&other, o, &plain, 4, true));
        assert!(can_see_bookmark(&other, o, &plain, 4, false));
        assert!(!can_see_bookmark(&Reader::GUEST, o, &restricted, 4, false));
        let anonymous = WorkState {
            anonymous: true,
            ..plain
        };
        assert!(muted_out(Surface::Listing, true, &plain));
        assert!(!muted_out(Surface::Open, true, &plain));
        assert!(!muted_out(Surface::Listing, true, &anonymous));
        assert!(!muted_out(Surface::Listing, false, &plain));
    }

    #[test]
    fn search_exclusions_agree_with_listing() {
        // A work the index holds matches an audience's search exactly when it is listed
        // for that audience.
        for a in Audience::ALL {
            let ex = search_exclusions(a);
            for s in WorkState::all().iter().filter(|s| indexed(s)) {
                let matched = !ex.iter().any(|f| f.of(s));
                assert_eq!(matched, listed(a, s), "{a:?} {s:?}");
            }
        }
    }

    #[test]
    fn search_excludes_restricted_for_guests_only() {
        assert_eq!(search_exclusions(Audience::Guest), vec![Flag::Restricted]);
        assert!(search_exclusions(Audience::Member).is_empty());
        assert!(!indexed(&WorkState {
            draft: true,
            ..WorkState::default()
        }));
        assert!(indexed(&WorkState {
            restricted: true,
            anonymous: true,
            ..WorkState::default()
        }));
    }

    #[test]
    fn sql_fragments_read_as_expected() {
        assert_eq!(
            listing_sql(Audience::Guest, "w"),
            "w.draft = 0 AND w.hidden = 0 AND w.restricted = 0"
        );
        assert_eq!(
            listing_sql(Audience::Member, "x"),
            "x.draft = 0 AND x.hidden = 0"
        );
        let byline = sql_predicate(&Reader::member(5, false), Surface::Byline, "w");
        assert!(byline.contains("w.anonymous = 0 OR EXISTS"), "{byline}");
        assert!(byline.contains("vp.user_id = 5"), "{byline}");
        let beyond = sql_sees_beyond_members(&Reader::member(5, false), Surface::Byline, "w");
        assert!(
            beyond.starts_with(&format!("({byline}) AND NOT (")),
            "{beyond}"
        );
        // The stand-in member (id 0) is nobody's creator.
        assert!(
            beyond.contains("AND NOT (w.draft = 0 AND w.hidden = 0 AND (w.anonymous = 0 OR EXISTS"),
            "{beyond}"
        );
        assert!(beyond.ends_with("vp.user_id = 0)))"), "{beyond}");
    }

    #[test]
    fn moderating_admits_nothing_more_on_listings_and_bylines() {
        // What lets shared listings leave moderators out (`Store::sees_beyond_members`):
        // on a listing or a byline, a moderator who is not a creator sees what any
        // other member sees, for every combination of flags; on a work's own page not.
        for surface in [Surface::Listing, Surface::Byline] {
            for s in WorkState::all() {
                let moderator = Reader::member(1, true);
                let member = Reader::member(2, false);
                assert_eq!(
                    can_see(&moderator, Relation::Other, surface, &s),
                    can_see(&member, Relation::Other, surface, &s),
                    "{surface:?} {s:?}"
                );
            }
        }
        let hidden = WorkState {
            hidden: true,
            ..WorkState::default()
        };
        let open = |r: Reader| can_see(&r, Relation::Other, Surface::Open, &hidden);
        assert!(open(Reader::member(1, true)));
        assert!(!open(Reader::member(2, false)));
    }
}
