//! Responding to works: kudos lists, comments, bookmarks, subscriptions and the inbox,
//! history and "Mark for later", mutes and blocks. The handlers under
//! `pages::responding` are thin layers over [`service`]; [`feedback`] builds the work
//! page's `div#feedback` and comments section; [`mail`] delivers notifications by e-mail.
//!
//! The posting code calls [`service::announce_new_work`] after a work is posted (or a
//! draft published) and [`service::announce_new_chapter`] after a chapter is added.

pub mod feedback;
pub mod guest_keys;
pub mod mail;
pub mod service;

pub use feedback::{CommentView, Feedback};
pub use service::{announce_new_chapter, announce_new_work, notify_new_chapter, notify_new_work};

/// Responding's share of the application state: the mail settings.
#[derive(Debug)]
pub struct RespondingState {
    pub mail: mail::MailConfig,
    /// Keys of guests' kudos (see [`guest_keys`]).
    pub guest_keys: guest_keys::GuestKeys,
}

impl Default for RespondingState {
    fn default() -> RespondingState {
        RespondingState {
            mail: mail::MailConfig::from_env(),
            guest_keys: guest_keys::GuestKeys::default(),
        }
    }
}
