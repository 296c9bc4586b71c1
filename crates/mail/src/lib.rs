//! Transactional email. A change that causes an email writes it to the outbox in its own
//! transaction (so an email exists exactly when its change committed); a background worker sends
//! due messages with retries and backoff, claiming each under a lease so that several API nodes
//! never send one message at the same time. Messages are rendered from templates that staff can
//! override per store view; transports are SMTP and, for development and tests, a directory with
//! one file per message.

mod entity;
mod outbox;
mod personal;
mod secret_places;
mod storefront;
mod templates;
mod transport;
mod worker;

pub use outbox::{OutboxEntry, OutboxStatus, enqueue, outbox_entries};
pub use personal::OutboxData;
pub use storefront::Storefront;
pub use templates::{
    ChangedBy, EmailTemplate, TemplateChange, TemplateCode, delete_template, render, save_template,
    template_changes, templates,
};
pub use transport::{
    FileTransport, OutgoingEmail, SmtpSettings, SmtpTransport, Transport, TransportError,
};
pub use worker::{MailWorker, WorkerSettings};

#[cfg(test)]
mod tests;
