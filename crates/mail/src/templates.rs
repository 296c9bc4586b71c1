//! Email templates: built-in defaults for every transactional email, which staff may override for
//! all store views (store 0) or for one. Bodies are HTML with `{{ … }}` variables, escaped on
//! output; subjects are plain text.
//!
//! One-time secrets (the `link`, `token`, `key` and `code` of reset, set-password and confirmation
//! emails)
//! never reach the template engine: the body is rendered with a marker in their place, and the
//! secret replaces the marker afterwards only where it stands whole, in text or as a whole `href`
//! value (see `secret_places`). A template cannot send a link elsewhere, cut it up, or put it in an
//! image address that mail clients load by themselves. Every change is recorded with who made it.

use chrono::{DateTime, Utc};
use clientele_kernel::db::begin_write;
use clientele_kernel::text::escape_html;
use clientele_kernel::{Error, InternalContext, Result};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;

use crate::entity::{template, template_change};
use crate::secret_places::{has_forbidden_markup, stands_only_where_allowed};

macro_rules! codes {
    ($($variant:ident = $code:literal, $doc:literal, $subject:literal, $body:literal;)+) => {
        /// A transactional email.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum TemplateCode {
            $(#[doc = $doc] $variant,)+
        }

        impl TemplateCode {
            /// Every template.
            pub const ALL: &'static [TemplateCode] = &[$(TemplateCode::$variant,)+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self { $(TemplateCode::$variant => $code,)+ }
            }

            /// The template of a stored code.
            pub fn parse(code: &str) -> Result<Self> {
                match code {
                    $($code => Ok(TemplateCode::$variant),)+
                    other => Err(Error::invalid("code", format!("\"{other}\" is not an email template."))),
                }
            }

            fn default_subject(self) -> &'static str {
                match self { $(TemplateCode::$variant => $subject,)+ }
            }

            fn default_body(self) -> &'static str {
                match self { $(TemplateCode::$variant => $body,)+ }
            }
        }
    };
}

codes! {
    Welcome = "customer_create_account_email_template",
        "Welcome, sent after sign-up when no confirmation is needed.",
        "Welcome to {{ store.name }}",
        "<p>{{ customer.firstname }} {{ customer.lastname }},</p><p>Welcome to {{ store.name }}. To sign in, use your email address {{ customer.email }} and your password.</p>";
    WelcomeNoPassword = "customer_create_account_email_no_password_template",
        "Welcome for accounts created without a password (staff-created).",
        "Welcome to {{ store.name }}",
        "<p>{{ customer.firstname }} {{ customer.lastname }},</p><p>Welcome to {{ store.name }}. Set a password to sign in: <a href=\"{{ link }}\">{{ link }}</a></p>";
    Confirmation = "customer_create_account_email_confirmation_template",
        "The confirmation link, when accounts must confirm their email.",
        "Please confirm your {{ store.name }} account",
        "<p>{{ customer.firstname }} {{ customer.lastname }},</p><p>You must confirm your {{ customer.email }} email before you can sign in: <a href=\"{{ link }}\">{{ link }}</a></p><p>Confirmation key: {{ key }}</p>";
    Confirmed = "customer_create_account_email_confirmed_template",
        "Welcome, sent once the email is confirmed.",
        "Welcome to {{ store.name }}",
        "<p>{{ customer.firstname }} {{ customer.lastname }},</p><p>Thank you for confirming your {{ store.name }} account. You can now sign in with {{ customer.email }}.</p>";
    ResetLink = "customer_password_forgot_email_template",
        "The password reset link.",
        "Reset your {{ store.name }} password",
        "<p>{{ customer.firstname }} {{ customer.lastname }},</p><p>There was recently a request to change the password for your account. To set a new password, follow this link (valid for {{ hours }} hours): <a href=\"{{ link }}\">{{ link }}</a></p><p>Reset token: {{ token }}</p><p>If you did not make this request, you can ignore this email and your password will remain the same.</p>";
    PasswordChanged = "customer_password_reset_password_template",
        "Notice that the password changed.",
        "Your {{ store.name }} password has been changed",
        "<p>{{ customer.firstname }} {{ customer.lastname }},</p><p>We have received a request to change the password of your account {{ customer.email }}. If you did not change it, contact us.</p>";
    EmailChanged = "customer_account_information_change_email_template",
        "Notice that the email changed, sent to the old address.",
        "Your {{ store.name }} email has been changed",
        "<p>{{ customer.firstname }} {{ customer.lastname }},</p><p>The email address of your account was changed to {{ new_email }}. If you did not change it, contact us.</p>";
    NewsletterSuccess = "newsletter_subscription_success_email_template",
        "Newsletter subscription success.",
        "Newsletter subscription success",
        "<p>You have been successfully subscribed to the {{ store.name }} newsletter.</p>";
    NewsletterConfirm = "newsletter_subscription_confirm_email_template",
        "The link that confirms a newsletter subscription (double opt-in).",
        "Newsletter subscription confirmation",
        "<p>Thank you for subscribing to the {{ store.name }} newsletter.</p><p>To begin receiving it, confirm your subscription: <a href=\"{{ link }}\">{{ link }}</a></p>";
    WebhookDisabled = "clientele_webhook_disabled_template",
        "To the owner of a webhook that was disabled: it answered 410 Gone, or failed for five days.",
        "Webhook {{ webhook.id }} was disabled",
        "<p>Webhook {{ webhook.id }} ({{ webhook.description }}) posting to {{ webhook.url }} was disabled: {{ reason }}</p><p>Its deliveries wait. When the endpoint works again, enable the webhook (updateWebhook with enabled: true) and they are sent.</p>";
    CustomerDataExport = "clientele_customer_data_export_template",
        "The single-use link to a download of everything the store holds about the customer, who asked for it (requestCustomerDataExport).",
        "Your data at {{ store.name }}",
        "<p>{{ customer.firstname }} {{ customer.lastname }},</p><p>You asked for a copy of everything {{ store.name }} holds about you. Download it here; the link works once, until {{ expires_at }}: <a href=\"{{ link }}\">{{ link }}</a></p><p>If you did not ask for it, ignore this email: nobody else can use the link.</p>";
}

impl TemplateCode {
    /// Whether the email carries a one-time secret (a reset, set-password or confirmation link, a
    /// confirmation key): changing its template takes a permission of its own.
    pub fn carries_secret(self) -> bool {
        matches!(
            self,
            TemplateCode::ResetLink
                | TemplateCode::WelcomeNoPassword
                | TemplateCode::Confirmation
                | TemplateCode::NewsletterConfirm
                | TemplateCode::CustomerDataExport
        )
    }
}

/// A template as stored for a store view (0: all store views).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailTemplate {
    /// Which email.
    pub code: TemplateCode,
    /// Store view, 0 for all.
    pub store_id: i32,
    /// Subject (plain text with variables).
    pub subject: String,
    /// HTML body with variables.
    pub body: String,
    /// Whether this is the built-in default (nothing stored).
    pub is_default: bool,
}

/// Variables that carry one-time secrets (`code`: a newsletter confirmation's): bodies only, and
/// only where they stand whole.
const SECRET_VARIABLES: &[&str] = &["link", "token", "key", "code"];

/// What stands in the body for a secret while the template runs: private-use characters that
/// HTML escaping leaves alone and no text of a template or a customer is likely to contain.
fn marker(variable: &str) -> String {
    format!("\u{E000}clientele-secret-{variable}\u{E001}")
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_auto_escape_callback(|name| {
        if name == "subject" {
            AutoEscape::None
        } else {
            AutoEscape::Html
        }
    });
    env
}

fn render_pair(subject: &str, body: &str, vars: &impl Serialize) -> Result<(String, String)> {
    let mut env = environment();
    let invalid = |field: &'static str| {
        move |e: minijinja::Error| Error::invalid(field, format!("The template is not valid: {e}"))
    };
    env.add_template_owned("subject", subject.to_owned())
        .map_err(invalid("subject"))?;
    env.add_template_owned("body", body.to_owned())
        .map_err(invalid("body"))?;
    let mut subject_vars = serde_json::to_value(vars).internal("template variables")?;
    let mut body_vars = subject_vars.clone();
    let mut secrets = Vec::new();
    if let (Some(subject_map), Some(body_map)) =
        (subject_vars.as_object_mut(), body_vars.as_object_mut())
    {
        for variable in SECRET_VARIABLES {
            // Subjects are listed in the outbox for staff: they never see one-time secrets.
            subject_map.remove(*variable);
            if let Some(value) = body_map.get_mut(*variable) {
                let secret = std::mem::replace(value, marker(variable).into());
                let secret = secret.as_str().map(str::to_owned).unwrap_or_default();
                secrets.push((*variable, marker(variable), secret));
            }
        }
    }
    let subject = env
        .get_template("subject")
        .and_then(|t| t.render(&subject_vars))
        .map_err(invalid("subject"))?;
    let mut body = env
        .get_template("body")
        .and_then(|t| t.render(&body_vars))
        .map_err(invalid("body"))?;
    if !secrets.is_empty() && has_forbidden_markup(&body) {
        return Err(Error::invalid(
            "body",
            "An email with a one-time link, token or key may not contain comments, styles, scripts, or <base>, <meta>, <link>, frame, object, form, SVG or MathML elements.",
        ));
    }
    for (variable, marker, secret) in &secrets {
        if !stands_only_where_allowed(&body, marker, *variable == "link") {
            return Err(Error::invalid(
                "body",
                "A one-time link, token or key may stand only in text, and the link also as the whole href of a link: {{ link }}, {{ token }}, <a href=\"{{ link }}\">.",
            ));
        }
        body = body.replace(marker.as_str(), &escape_html(secret));
    }
    // A subject is one line: a variable cannot inject headers.
    Ok((subject.replace(['\r', '\n'], " "), body))
}

/// The template in force for a store view: its own, else the one for all store views, else the
/// built-in default.
pub async fn effective(
    db: &impl ConnectionTrait,
    code: TemplateCode,
    store_id: i32,
) -> Result<EmailTemplate> {
    let stored = template::Entity::find()
        .filter(template::Column::Code.eq(code.code()))
        .filter(template::Column::StoreId.is_in([0, store_id]))
        .order_by_desc(template::Column::StoreId)
        .one(db)
        .await?;
    Ok(match stored {
        Some(t) => EmailTemplate {
            code,
            store_id: t.store_id,
            subject: t.subject,
            body: t.body,
            is_default: false,
        },
        None => EmailTemplate {
            code,
            store_id: 0,
            subject: code.default_subject().to_owned(),
            body: code.default_body().to_owned(),
            is_default: true,
        },
    })
}

/// Renders the email `code` for a store view: subject and HTML body.
pub async fn render(
    db: &impl ConnectionTrait,
    code: TemplateCode,
    store_id: i32,
    vars: &impl Serialize,
) -> Result<(String, String)> {
    let t = effective(db, code, store_id).await?;
    match render_pair(&t.subject, &t.body, vars) {
        Err(err) if !t.is_default => {
            // A stored template that passed its checks with sample values can still fail on real
            // ones (a condition that moves a link): the built-in default goes out instead.
            tracing::error!(
                template = code.code(),
                store_id = t.store_id,
                error = %err,
                "stored email template failed; the built-in default is sent"
            );
            render_pair(code.default_subject(), code.default_body(), vars)
        }
        rendered => rendered,
    }
}

/// Every template in force for a store view (0: the ones for all store views).
pub async fn templates(db: &impl ConnectionTrait, store_id: i32) -> Result<Vec<EmailTemplate>> {
    let mut out = Vec::with_capacity(TemplateCode::ALL.len());
    for code in TemplateCode::ALL {
        out.push(effective(db, *code, store_id).await?);
    }
    Ok(out)
}

/// A change of a template, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateChange {
    /// Which email.
    pub code: TemplateCode,
    /// Store view, 0 for all.
    pub store_id: i32,
    /// `saved` or `deleted`.
    pub action: String,
    /// Who made it: `staff:<id>` or `integration:<id>`.
    pub changed_by: String,
    /// When.
    pub changed_at: DateTime<Utc>,
    /// The subject saved (`None` for a deletion).
    pub subject: Option<String>,
    /// The body saved (`None` for a deletion).
    pub body: Option<String>,
}

/// Who changes a template, and when.
#[derive(Debug, Clone, Copy)]
pub struct ChangedBy<'a> {
    /// The staff user or integration, as shown in the change log.
    pub actor: &'a str,
    /// When the change is made.
    pub at: DateTime<Utc>,
}

/// Stores a template for a store view (0: all), recording the change. It must compile and render
/// with sample values, with its secrets only where they may stand.
pub async fn save_template(
    db: &DatabaseConnection,
    code: TemplateCode,
    store_id: i32,
    subject: &str,
    body: &str,
    changed: ChangedBy<'_>,
) -> Result<EmailTemplate> {
    let ChangedBy {
        actor: changed_by,
        at: now,
    } = changed;
    if subject.trim().is_empty() {
        return Err(Error::invalid("subject", "The subject cannot be empty."));
    }
    if body.len() > 100_000 || subject.len() > 500 {
        return Err(Error::invalid("body", "The template is too long."));
    }
    render_pair(subject, body, &sample())?;
    let txn = begin_write(db).await?;
    template::Entity::insert(template::ActiveModel {
        code: Set(code.code().to_owned()),
        store_id: Set(store_id),
        subject: Set(subject.to_owned()),
        body: Set(body.to_owned()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([template::Column::Code, template::Column::StoreId])
            .update_columns([
                template::Column::Subject,
                template::Column::Body,
                template::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    record_change(&txn, code, store_id, changed_by, Some((subject, body)), now).await?;
    txn.commit().await?;
    tracing::info!(
        template = code.code(),
        store_id,
        changed_by,
        "email template saved"
    );
    effective(db, code, store_id).await
}

/// Removes a stored template, so the next one in line (all store views, then the default)
/// applies, recording the change.
pub async fn delete_template(
    db: &DatabaseConnection,
    code: TemplateCode,
    store_id: i32,
    changed: ChangedBy<'_>,
) -> Result<EmailTemplate> {
    let changed_by = changed.actor;
    let txn = begin_write(db).await?;
    let removed = template::Entity::delete_many()
        .filter(template::Column::Code.eq(code.code()))
        .filter(template::Column::StoreId.eq(store_id))
        .exec(&txn)
        .await?
        .rows_affected;
    if removed > 0 {
        record_change(&txn, code, store_id, changed_by, None, changed.at).await?;
        tracing::info!(
            template = code.code(),
            store_id,
            changed_by,
            "email template deleted"
        );
    }
    txn.commit().await?;
    effective(db, code, store_id).await
}

async fn record_change(
    db: &impl ConnectionTrait,
    code: TemplateCode,
    store_id: i32,
    changed_by: &str,
    saved: Option<(&str, &str)>,
    at: DateTime<Utc>,
) -> Result<()> {
    template_change::Entity::insert(template_change::ActiveModel {
        code: Set(code.code().to_owned()),
        store_id: Set(store_id),
        action: Set(if saved.is_some() { "saved" } else { "deleted" }.to_owned()),
        changed_by: Set(changed_by.to_owned()),
        changed_at: Set(at),
        subject: Set(saved.map(|(subject, _)| subject.to_owned())),
        body: Set(saved.map(|(_, body)| body.to_owned())),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The newest template changes, newest first.
pub async fn template_changes(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<TemplateChange>> {
    let rows = template_change::Entity::find()
        .order_by_desc(template_change::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(TemplateChange {
                code: TemplateCode::parse(&row.code)?,
                store_id: row.store_id,
                action: row.action,
                changed_by: row.changed_by,
                changed_at: row.changed_at,
                subject: row.subject,
                body: row.body,
            })
        })
        .collect()
}

fn sample() -> serde_json::Value {
    serde_json::json!({
        "customer": {"firstname": "Ann", "lastname": "Lee", "email": "ann@example.com"},
        "store": {"name": "Main Website Store", "base_url": "https://example.com/"},
        "link": "https://example.com/", "key": "key", "token": "token", "code": "code", "hours": 2,
        "new_email": "new@example.com",
        "webhook": {"id": 1, "url": "https://example.com/hooks", "description": "CRM"},
        "reason": "The endpoint answered 410 Gone.",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_renders_and_escapes_html() {
        let mut vars = sample();
        vars["customer"]["firstname"] = "<b>Ann</b>".into();
        for code in TemplateCode::ALL {
            let (subject, body) =
                render_pair(code.default_subject(), code.default_body(), &vars).expect("renders");
            assert!(!subject.is_empty());
            assert!(body.contains("&lt;b&gt;Ann") || !code.default_body().contains("firstname"));
            assert!(!body.contains("<b>Ann"), "{code:?}");
        }
    }

    #[test]
    fn subjects_stay_on_one_line_and_bad_templates_are_refused() {
        let vars = serde_json::json!({"store": {"name": "A\r\nBcc: x@evil.test"}});
        let (subject, _) = render_pair("Hi {{ store.name }}", "b", &vars).expect("renders");
        assert_eq!(subject, "Hi A  Bcc: x@evil.test");
        let secret = serde_json::json!({"token": "s3cret", "link": "https://x/?token=s3cret&a=1"});
        let (subject, body) =
            render_pair("Reset {{ token }}{{ link }}", "{{ link }}", &secret).expect("renders");
        assert_eq!(subject, "Reset ", "no secrets in subjects");
        assert_eq!(body, "https://x/?token=s3cret&amp;a=1");
        let err = render_pair("Hi", "{% if %}", &vars).expect_err("syntax");
        assert!(err.to_string().contains("not valid"), "{err}");
        assert!(TemplateCode::parse("nope").is_err());
    }

    #[test]
    fn secrets_go_only_where_the_link_placeholder_stands_whole() {
        let vars = serde_json::json!({"link": "https://shop.example/reset?token=s3cret", "token": "s3cret"});
        let allowed = [
            "<a href=\"{{ link }}\">{{ link }}</a>",
            "<p>Token: {{ token }}</p><a href='{{ link }}'>Reset</a>",
        ];
        for body in allowed {
            let (_, html) = render_pair("S", body, &vars).expect(body);
            assert!(html.contains("s3cret"), "{body}: {html}");
        }
        let refused = [
            "<a href=\"https://evil.example/?t={{ token }}\">Reset</a>",
            "<a href=\"https://evil.example/?next={{ link }}\">Reset</a>",
            "<img src=\"{{ link }}\">",
            "<a href={{ link }}>Reset</a>",
            "<a title=\"{{ token }}\" href=\"https://evil.example/\">x</a>",
            "<style>a { background: url({{ link }}) }</style>",
            "<script>var t = \"{{ token }}\";</script>",
            "<!-- {{ token }} -->",
            "<a href=\"{{ token }}\">Reset</a>",
            "<base href=\"https://evil.example/\"><a href=\"{{ link }}\">Reset</a>",
        ];
        for body in refused {
            let err = render_pair("S", body, &vars).expect_err(body);
            let message = err.to_string();
            assert!(
                message.contains("may stand only") || message.contains("may not contain"),
                "{body}: {err}"
            );
        }
        // Cut up or transformed, the marker is no longer whole and no secret is put back.
        for body in [
            "{{ link[:10] }}",
            "{{ token|upper }}",
            "{{ link|replace('s', 'z') }}",
        ] {
            let (_, html) = render_pair("S", body, &vars).expect(body);
            assert!(
                !html.contains("s3cret") && !html.to_lowercase().contains("s3cret"),
                "{body}: {html}"
            );
        }
    }
}
