//! E-mail delivery of notifications over SMTP (lettre), when configured with
//! `TOME_SMTP_URL` (`smtp://host:port`; `smtps://` and STARTTLS are not built in) and,
//! optionally, `TOME_SMTP_FROM` (default `tome@localhost`).

use std::sync::RwLock;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// What can go wrong sending mail.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address: {0}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("SMTP: {0}")]
    Smtp(String),
}

/// SMTP settings; `None` URL: no e-mail.
#[derive(Debug, Default)]
pub struct MailConfig {
    inner: RwLock<Option<(String, String)>>,
}

impl MailConfig {
    /// From `TOME_SMTP_URL` and `TOME_SMTP_FROM`.
    pub fn from_env() -> MailConfig {
        let url = std::env::var("TOME_SMTP_URL")
            .ok()
            .filter(|u| !u.trim().is_empty());
        let from = std::env::var("TOME_SMTP_FROM").ok();
        let c = MailConfig::default();
        c.set(url, from);
        c
    }

    /// Sets (or clears) the SMTP server and sender.
    pub fn set(&self, url: Option<String>, from: Option<String>) {
        let from = from
            .filter(|f| !f.trim().is_empty())
            .unwrap_or_else(|| "tome@localhost".to_string());
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = url.map(|u| (u, from));
    }

    /// Whether mail is configured.
    pub fn enabled(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    fn get(&self) -> Option<(String, String)> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Sends one plain-text message. Does nothing when mail is not configured.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        let Some((url, from)) = self.get() else {
            return Ok(());
        };
        let from: Mailbox = from
            .parse()
            .map_err(|e| MailError::Address(format!("{from}: {e}")))?;
        let to_box: Mailbox = to
            .parse()
            .map_err(|e| MailError::Address(format!("{to}: {e}")))?;
        let msg = Message::builder()
            .from(from)
            .to(to_box)
            .subject(subject)
            .body(body.to_string())
            .map_err(|e| MailError::Build(e.to_string()))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| MailError::Smtp(e.to_string()))?
            .build();
        transport
            .send(msg)
            .await
            .map_err(|e| MailError::Smtp(e.to_string()))?;
        Ok(())
    }
}
