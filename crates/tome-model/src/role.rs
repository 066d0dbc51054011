//! What an account may do beyond reading and writing its own things.
//!
//! Stored comma-separated in `users.roles` (`"admin,moderator"`). Every account is a
//! [`Role::User`]; that role is implied and never needs storing.

use std::fmt;

/// An account's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    TagWrangler,
    Moderator,
    User,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::TagWrangler, Role::Moderator, Role::User];

    /// The stored (and CLI) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::TagWrangler => "tag_wrangler",
            Role::Moderator => "moderator",
            Role::User => "user",
        }
    }

    /// From a stored or typed name (`wrangler` is accepted for `tag_wrangler`).
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "admin" => Some(Role::Admin),
            "tag_wrangler" | "wrangler" => Some(Role::TagWrangler),
            "moderator" => Some(Role::Moderator),
            "user" => Some(Role::User),
            _ => None,
        }
    }

    /// Parses a stored comma-separated list, skipping unknown names and `user`.
    pub fn parse_list(s: &str) -> Vec<Role> {
        let mut roles: Vec<Role> = s
            .split(',')
            .filter_map(Role::parse)
            .filter(|r| *r != Role::User)
            .collect();
        roles.sort();
        roles.dedup();
        roles
    }

    /// The stored form of a list (sorted, deduplicated, without `user`).
    pub fn join(roles: &[Role]) -> String {
        let mut roles: Vec<Role> = roles.iter().copied().filter(|r| *r != Role::User).collect();
        roles.sort();
        roles.dedup();
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let roles = Role::parse_list("moderator, admin,bogus,user,admin");
        assert_eq!(roles, [Role::Admin, Role::Moderator]);
        assert_eq!(Role::join(&roles), "admin,moderator");
        assert_eq!(Role::parse("wrangler"), Some(Role::TagWrangler));
        assert!(Role::parse_list("").is_empty());
    }
}
