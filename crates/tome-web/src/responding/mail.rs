//! E-mail delivery of notifications over SMTP (lettre), when configured with
//! `TOME_SMTP_URL` (`smtp://host:port` in the clear, `smtp://host:port?tls=required` for
//! STARTTLS, `smtps://host:port` for TLS from the start; `smtp://user:pass@host` logs in)
//! and, optionally, `TOME_SMTP_FROM` (default `tome@localhost`).
//!
//! Sending is always done by a spawned task (see `service::tell`): a slow or dead mail
//! server never delays or fails the request that caused the notification, and each
//! attempt gives up after [`SEND_TIMEOUT`]; failures are logged.

use std::sync::RwLock;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one message may take to send before it is given up (and logged).
pub const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

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
            .timeout(Some(SEND_TIMEOUT))
            .build();
        transport
            .send(msg)
            .await
            .map_err(|e| MailError::Smtp(e.to_string()))?;
        Ok(())
    }
}
