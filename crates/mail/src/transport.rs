//! Where messages go: an SMTP server, or a directory with one `.eml` file per message.

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

/// A message ready for a transport.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    /// Outbox id (names the file of the file transport).
    pub id: i64,
    /// Sender.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// HTML body.
    pub html: String,
}

/// A transport failure; the worker retries later.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(pub String);

impl OutgoingEmail {
    fn message(&self) -> Result<Message, TransportError> {
        let from: Mailbox = self
            .from
            .parse()
            .map_err(|e| TransportError(format!("bad sender: {e}")))?;
        let to: Mailbox = self
            .to
            .parse()
            .map_err(|e| TransportError(format!("bad recipient: {e}")))?;
        Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject.clone())
            .header(ContentType::TEXT_HTML)
            .body(self.html.clone())
            .map_err(|e| TransportError(format!("bad message: {e}")))
    }
}

/// Sends messages.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends one message.
    async fn send(&self, email: &OutgoingEmail) -> Result<(), TransportError>;
}

/// Writes each message to `<dir>/<outbox id>.eml` (development and tests).
pub struct FileTransport {
    dir: PathBuf,
}

impl FileTransport {
    /// A transport writing to `dir` (created when missing).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }
}

#[async_trait]
impl Transport for FileTransport {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), TransportError> {
        let bytes = email.message()?.formatted();
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| TransportError(format!("mail directory: {e}")))?;
        // Written under a temporary name and renamed, so readers never see half a message.
        let path = self.dir.join(format!("{}.eml", email.id));
        let partial = self.dir.join(format!("{}.eml.partial", email.id));
        tokio::fs::write(&partial, bytes)
            .await
            .map_err(|e| TransportError(format!("write: {e}")))?;
        tokio::fs::rename(&partial, &path)
            .await
            .map_err(|e| TransportError(format!("rename: {e}")))
    }
}

/// How to reach the SMTP server.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// `none`, `starttls` or `tls` (implicit TLS).
    pub security: String,
    /// User name, if the server wants authentication.
    pub username: Option<String>,
    /// Password (kept out of `Debug` output).
    pub password: Option<SecretString>,
    /// Connect and command timeout.
    pub timeout: Duration,
}

/// Sends through an SMTP server.
pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpTransport {
    /// A transport for `settings`.
    pub fn new(settings: &SmtpSettings) -> Result<Self, TransportError> {
        let builder = match settings.security.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host),
            "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host),
            "none" => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &settings.host,
            )),
            other => {
                return Err(TransportError(format!(
                    "SMTP security \"{other}\" is not none, starttls or tls"
                )));
            }
        }
        .map_err(|e| TransportError(format!("SMTP: {e}")))?;
        let mut builder = builder.port(settings.port).timeout(Some(settings.timeout));
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            let password = password.expose_secret().to_owned();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Self {
            inner: builder.build(),
        })
    }
}

#[async_trait]
impl Transport for SmtpTransport {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), TransportError> {
        self.inner
            .send(email.message()?)
            .await
            .map(|_| ())
            .map_err(|e| TransportError(format!("SMTP: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smtp_password_stays_out_of_debug_output() {
        let settings = SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            security: "starttls".into(),
            username: Some("shop".into()),
            password: Some("smtp-secret-value".to_owned().into()),
            timeout: Duration::from_secs(15),
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("smtp-secret-value"), "{shown}");
        assert!(shown.contains("smtp.example.com"));
    }
}
