//! AO3's fixed tag sets: ratings, archive warnings and categories.
//!
//! Each has a stable machine name (`as_str`, used in URLs, JSON and the database),
//! the English name AO3 shows (`name`), and the CSS class AO3's "required tags"
//! symbols use, so site skins written for AO3 keep working.

use serde::{Deserialize, Serialize};

macro_rules! fixed_set {
    ($(#[$m:meta])* $ty:ident { $($var:ident => $key:literal, $name:literal, $class:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $ty { $($var),+ }

        impl $ty {
            /// Every value, in AO3's display order.
            pub const ALL: &'static [$ty] = &[$($ty::$var),+];
            /// Stable machine name (database, URLs, JSON).
            pub fn as_str(self) -> &'static str { match self { $($ty::$var => $key),+ } }
            /// The name AO3 shows readers.
            pub fn name(self) -> &'static str { match self { $($ty::$var => $name),+ } }
            /// The CSS class of AO3's required-tags symbol.
            pub fn css_class(self) -> &'static str { match self { $($ty::$var => $class),+ } }
            /// Parses the machine name or the display name (case-insensitive).
            pub fn parse(s: &str) -> Option<$ty> {
                let s = s.trim();
                $ty::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(s) || v.name().eq_ignore_ascii_case(s))
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.name()) }
        }
    };
}

fixed_set!(
    /// AO3's content ratings.
    Rating {
        General => "general", "General Audiences", "rating-general-audience";
        Teen => "teen", "Teen And Up Audiences", "rating-teen";
        Mature => "mature", "Mature", "rating-mature";
        Explicit => "explicit", "Explicit", "rating-explicit";
        NotRated => "not_rated", "Not Rated", "rating-notrated";
    }
);

fixed_set!(
    /// AO3's archive warnings.
    Warning {
        ChoseNotToUse => "choose_not_to_use", "Creator Chose Not To Use Archive Warnings", "warning-choosenotto";
        GraphicViolence => "graphic_violence", "Graphic Depictions Of Violence", "warning-yes";
        MajorCharacterDeath => "major_character_death", "Major Character Death", "warning-yes";
        NoWarnings => "no_warnings", "No Archive Warnings Apply", "warning-no";
        NonCon => "rape_non_con", "Rape/Non-Con", "warning-yes";
        Underage => "underage", "Underage Sex", "warning-yes";
    }
);

fixed_set!(
    /// AO3's relationship categories.
    Category {
        FF => "ff", "F/F", "category-femslash";
        FM => "fm", "F/M", "category-het";
        Gen => "gen", "Gen", "category-gen";
        MM => "mm", "M/M", "category-slash";
        Multi => "multi", "Multi", "category-multi";
        Other => "other", "Other", "category-other";
    }
);

impl Rating {
    /// Maps the many ways old archives wrote a rating onto AO3's levels.
    ///
    /// Film and TV ratings (G, PG, PG-13, R, NC-17, MA), FictionRatings (K, K+, T, M),
    /// and words ("Teen", "Adult", "Everyone") are understood. `None` when the text
    /// names no rating we recognise, so the caller can warn instead of guessing.
    pub fn from_archive_text(text: &str) -> Option<Rating> {
        let t = text.trim().trim_end_matches(['.', '!']).trim();
        if let Some(r) = Rating::parse(t) {
            return Some(r);
        }
        let lower = t.to_ascii_lowercase();
        // Drop decorations such as "PG-13 (for language)" or "R - violence".
        let key: String = lower
            .split(['(', '[', ',', ';'])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let key = key.trim_end_matches([' ', '-', ':']);
        let first_word = key.split_whitespace().next().unwrap_or("");
        let candidates = [key, first_word];
        for k in candidates {
            let r = match k {
                "g" | "k" | "everyone" | "all ages" | "gen" | "general" | "u" | "e" => {
                    Rating::General
                }
                "pg" | "k+" | "pg13" | "pg-13" | "pg 13" | "t" | "teen" | "teens"
                | "teen and up" | "13+" | "older children" | "12" | "12a" | "15" => Rating::Teen,
                "r" | "m" | "mature" | "adult" | "adults" | "16+" | "17+" | "ma" | "18" => {
                    Rating::Mature
                }
                "nc-17" | "nc17" | "nc 17" | "x" | "xxx" | "explicit" | "adults only" | "18+"
                | "ma (nc-17)" | "r18" | "r-18" => Rating::Explicit,
                "not rated" | "unrated" | "none" | "nr" | "n/a" => Rating::NotRated,
                _ => continue,
            };
            return Some(r);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_ratings_map_to_ao3_levels() {
        for (text, want) in [
            ("Teen", Rating::Teen),
            ("PG", Rating::Teen),
            ("PG-13", Rating::Teen),
            ("pg-13 (language)", Rating::Teen),
            ("R", Rating::Mature),
            ("Adult", Rating::Mature),
            ("NC-17", Rating::Explicit),
            ("NC-17.", Rating::Explicit),
            ("G", Rating::General),
            ("General Audiences", Rating::General),
            ("Teen And Up Audiences", Rating::Teen),
            ("Not Rated", Rating::NotRated),
            ("explicit", Rating::Explicit),
            ("K+", Rating::Teen),
            ("M", Rating::Mature),
        ] {
            assert_eq!(Rating::from_archive_text(text), Some(want), "{text}");
        }
        assert_eq!(Rating::from_archive_text("banana"), None);
    }

    #[test]
    fn machine_names_round_trip() {
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.as_str()), Some(*r));
        }
        for w in Warning::ALL {
            assert_eq!(Warning::parse(w.as_str()), Some(*w));
        }
        for c in Category::ALL {
            assert_eq!(Category::parse(c.name()), Some(*c));
        }
    }
}
