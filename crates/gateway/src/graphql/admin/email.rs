//! Transactional email in the admin API: the templates (per store view, over built-in defaults),
//! the outbox, and the staff-initiated password reset email.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_mail::{
    ChangedBy, EmailTemplate, OutboxEntry, OutboxStatus, TemplateChange, TemplateCode,
};
use clientele_staff::acl;

use super::common::limit_cost;
use super::customers::visible_customer;
use super::error::AdminResult;
use super::guard::{Needs, actor, require_all_websites, require_resource, require_website};
use crate::services::Services;

/// An email template in force for a store view.
#[derive(SimpleObject)]
#[graphql(name = "EmailTemplate", rename_fields = "snake_case")]
pub(crate) struct EmailTemplateObject {
    /// Template code (Adobe Commerce's configuration value, e.g. `customer_password_forgot_email_template`).
    code: String,
    /// Store view it is stored for; 0 means all store views.
    store_id: i32,
    /// Subject, plain text with `{{ variables }}`.
    subject: String,
    /// HTML body with `{{ variables }}` (escaped on output).
    body: String,
    /// Whether this is the built-in default (nothing stored).
    is_default: bool,
}

impl From<EmailTemplate> for EmailTemplateObject {
    fn from(t: EmailTemplate) -> Self {
        Self {
            code: t.code.code().to_owned(),
            store_id: t.store_id,
            subject: t.subject,
            body: t.body,
            is_default: t.is_default,
        }
    }
}

/// Where an outbox message stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub(crate) enum EmailStatusEnum {
    /// Waiting to be sent or retried.
    Pending,
    /// Handed to the mail server (or written to the mail directory).
    Sent,
    /// Given up after the last attempt.
    Failed,
}

/// A message of the outbox (its body is not shown: it may hold one-time links).
#[derive(SimpleObject)]
#[graphql(name = "EmailOutboxEntry", rename_fields = "snake_case")]
pub(crate) struct OutboxObject {
    /// Id.
    id: i64,
    /// Template code.
    template: String,
    /// Store view it was written for.
    store_id: i32,
    /// Recipient.
    recipient: String,
    /// Subject.
    subject: String,
    /// Status.
    status: EmailStatusEnum,
    /// Attempts so far.
    attempts: i32,
    /// The last transport error.
    last_error: Option<String>,
    /// Written at.
    created_at: DateTime<Utc>,
    /// Sent at.
    sent_at: Option<DateTime<Utc>>,
}

impl From<OutboxEntry> for OutboxObject {
    fn from(e: OutboxEntry) -> Self {
        Self {
            id: e.id,
            template: e.template,
            store_id: e.store_id,
            recipient: e.recipient,
            subject: e.subject,
            status: match e.status {
                OutboxStatus::Pending => EmailStatusEnum::Pending,
                OutboxStatus::Sent => EmailStatusEnum::Sent,
                OutboxStatus::Failed => EmailStatusEnum::Failed,
            },
            attempts: e.attempts,
            last_error: e.last_error,
            created_at: e.created_at,
            sent_at: e.sent_at,
        }
    }
}

/// A template to store.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct SaveEmailTemplateInput {
    /// Template code.
    code: String,
    /// Store view; 0 (the default) for all store views.
    #[graphql(default)]
    store_id: i32,
    /// Subject.
    subject: String,
    /// HTML body.
    body: String,
}

/// The website of store view `store_id`; `None` for 0 (all store views).
async fn website_of(ctx: &Context<'_>, store_id: i32) -> async_graphql::Result<Option<i32>> {
    if store_id == 0 {
        return Ok(None);
    }
    let services = ctx.data::<Services>()?;
    let view = services
        .stores
        .view(store_id)
        .await
        .map_err(|e| e.missing_as_invalid("store_id", "The store view does not exist."))
        .admin()?;
    Ok(Some(view.website_id))
}

/// Fails unless the actor may change template `code` of `store_id`: a store view of a website
/// the role covers (all store views need all websites), and for emails with one-time links,
/// the permission for those.
async fn check_template_change(
    ctx: &Context<'_>,
    code: TemplateCode,
    store_id: i32,
) -> async_graphql::Result<()> {
    match website_of(ctx, store_id).await? {
        None => require_all_websites(ctx, "Changing the templates of all store views")?,
        Some(website_id) => require_website(ctx, website_id)?,
    }
    if code.carries_secret() {
        require_resource(ctx, acl::SECRET_EMAIL_TEMPLATES)?;
    }
    Ok(())
}

/// A recorded change of an email template.
#[derive(SimpleObject)]
#[graphql(name = "EmailTemplateChange", rename_fields = "snake_case")]
pub(crate) struct TemplateChangeObject {
    /// Template code.
    code: String,
    /// Store view; 0 means all store views.
    store_id: i32,
    /// `saved` or `deleted`.
    action: String,
    /// Who changed it: `staff:<id>` or `integration:<id>`.
    changed_by: String,
    /// When.
    changed_at: DateTime<Utc>,
    /// The subject saved (null for a deletion).
    subject: Option<String>,
    /// The body saved (null for a deletion).
    body: Option<String>,
}

impl From<TemplateChange> for TemplateChangeObject {
    fn from(c: TemplateChange) -> Self {
        Self {
            code: c.code.code().to_owned(),
            store_id: c.store_id,
            action: c.action,
            changed_by: c.changed_by,
            changed_at: c.changed_at,
            subject: c.subject,
            body: c.body,
        }
    }
}

/// Email queries.
#[derive(Default)]
pub(crate) struct EmailQuery;

#[Object]
impl EmailQuery {
    /// Every email template in force for a store view (0: the ones for all store views).
    #[graphql(guard = "Needs(&[acl::EMAIL_TEMPLATES])")]
    async fn email_templates(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] store_id: i32,
    ) -> async_graphql::Result<Vec<EmailTemplateObject>> {
        website_of(ctx, store_id).await?;
        let services = ctx.data::<Services>()?;
        let list = clientele_mail::templates(&services.db, store_id)
            .await
            .admin()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// The newest changes of email templates, newest first (at most 500), with who made each.
    #[graphql(
        guard = "Needs(&[acl::EMAIL_TEMPLATES])",
        complexity = "limit_cost(limit, child_complexity)"
    )]
    async fn email_template_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] limit: i32,
    ) -> async_graphql::Result<Vec<TemplateChangeObject>> {
        // Changes of every store view are listed, so the role must cover every website.
        require_all_websites(ctx, "Reading the email template changes")?;
        let services = ctx.data::<Services>()?;
        let limit = limit.clamp(1, 500) as u64;
        let list = clientele_mail::template_changes(&services.db, limit)
            .await
            .admin()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// The newest outbox messages, newest first (at most 500).
    #[graphql(
        guard = "Needs(&[acl::EMAIL_TEMPLATES])",
        complexity = "limit_cost(limit, child_complexity)"
    )]
    async fn email_outbox(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] limit: i32,
    ) -> async_graphql::Result<Vec<OutboxObject>> {
        // Recipients of every website are listed, so staff limited to some websites may not read it.
        require_all_websites(ctx, "Reading the email outbox")?;
        let services = ctx.data::<Services>()?;
        let limit = limit.clamp(1, 500) as u64;
        let list = clientele_mail::outbox_entries(&services.db, limit)
            .await
            .admin()?;
        Ok(list.into_iter().map(Into::into).collect())
    }
}

/// Email mutations.
#[derive(Default)]
pub(crate) struct EmailMutation;

#[Object]
impl EmailMutation {
    /// Stores a template for a store view (or all); it must compile, and one-time links may
    /// stand only in text or as a whole `href` value. All store views need a role covering all
    /// websites; templates of emails with one-time links need
    /// `Clientele_Email::secret_templates` too. The change is recorded with who made it.
    #[graphql(guard = "Needs(&[acl::EMAIL_TEMPLATES])")]
    async fn save_email_template(
        &self,
        ctx: &Context<'_>,
        input: SaveEmailTemplateInput,
    ) -> async_graphql::Result<EmailTemplateObject> {
        let code = TemplateCode::parse(&input.code).admin()?;
        check_template_change(ctx, code, input.store_id).await?;
        let services = ctx.data::<Services>()?;
        let saved = clientele_mail::save_template(
            &services.db,
            code,
            input.store_id,
            &input.subject,
            &input.body,
            ChangedBy {
                actor: &actor(ctx)?.label(),
                at: services.clock.now(),
            },
        )
        .await
        .admin()?;
        Ok(saved.into())
    }

    /// Removes a stored template; the one for all store views, or the default, applies again.
    /// The same permissions as saving apply, and the change is recorded.
    #[graphql(guard = "Needs(&[acl::EMAIL_TEMPLATES])")]
    async fn delete_email_template(
        &self,
        ctx: &Context<'_>,
        code: String,
        #[graphql(default)] store_id: i32,
    ) -> async_graphql::Result<EmailTemplateObject> {
        let code = TemplateCode::parse(&code).admin()?;
        check_template_change(ctx, code, store_id).await?;
        let services = ctx.data::<Services>()?;
        let changed = ChangedBy {
            actor: &actor(ctx)?.label(),
            at: services.clock.now(),
        };
        let left = clientele_mail::delete_template(&services.db, code, store_id, changed)
            .await
            .admin()?;
        Ok(left.into())
    }

    /// Emails the customer a link to set a new password (the staff never see the password).
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn send_customer_password_reset(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<bool> {
        visible_customer(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        services.shoppers.send_password_reset(id).await.admin()?;
        Ok(true)
    }
}
