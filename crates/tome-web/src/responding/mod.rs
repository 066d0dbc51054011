//! Responding to works: kudos lists, comments, bookmarks, subscriptions and the inbox,
//! history and "Mark for later", mutes and blocks. The handlers under
//! `pages::responding` are thin layers over [`service`]; [`feedback`] builds the work
//! page's `div#feedback` and comments section; [`mail`] delivers notifications by e-mail.
//!
//! For the posting code: call [`service::notify_new_work`] after a work is posted and
//! [`service::notify_new_chapter`] after a chapter is added.

pub mod feedback;
pub mod mail;
pub mod service;

pub use feedback::{CommentView, Feedback};
pub use service::{notify_new_chapter, notify_new_work};

/// Responding's share of the application state: the mail settings.
#[derive(Debug)]
pub struct RespondingState {
    pub mail: mail::MailConfig,
}

impl Default for RespondingState {
    fn default() -> RespondingState {
        RespondingState {
            mail: mail::MailConfig::from_env(),
        }
    }
}
