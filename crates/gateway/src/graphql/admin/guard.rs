//! Declarative authorization of admin fields.
//! Default deny: a field without a guard must be deliberately public (only staff sign-in is).
//! Usage: `#[graphql(guard = "Needs(&[acl::ALL_STORES])")]`.

use async_graphql::{Context, Guard};
use clientele_staff::Actor;

use super::error::{admin_error, code};

/// The actor of the current request (`None` when no credential was sent).
#[derive(Clone)]
pub(crate) struct RequestActor(pub(crate) Option<Actor>);

/// The calling actor, or UNAUTHENTICATED.
pub(crate) fn actor<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Actor> {
    ctx.data_opt::<RequestActor>()
        .and_then(|a| a.0.as_ref())
        .ok_or_else(|| {
            admin_error(
                "This operation needs a staff or integration bearer token.",
                code::UNAUTHENTICATED,
            )
        })
}

/// Requires a signed-in actor holding any of the listed ACL resources:
/// `#[graphql(guard = "Needs(&[acl::ALL_STORES])")]`.
pub(crate) struct Needs(pub(crate) &'static [&'static str]);

impl Guard for Needs {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let actor = actor(ctx)?;
        if self.0.iter().any(|r| actor.permissions().allows(r)) {
            Ok(())
        } else {
            Err(admin_error(
                format!(
                    "This operation needs the \"{}\" permission.",
                    self.0.join("\" or \"")
                ),
                code::FORBIDDEN,
            ))
        }
    }
}

/// Fails unless the actor holds `resource` (for rules that depend on an argument).
pub(crate) fn require_resource(ctx: &Context<'_>, resource: &str) -> async_graphql::Result<()> {
    if actor(ctx)?.permissions().allows(resource) {
        Ok(())
    } else {
        Err(admin_error(
            format!("This operation needs the \"{resource}\" permission."),
            code::FORBIDDEN,
        ))
    }
}

/// Requires a staff user (not an integration).
pub(crate) struct StaffOnly;

impl Guard for StaffOnly {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        match actor(ctx)? {
            Actor::Staff { .. } => Ok(()),
            Actor::Integration { .. } => Err(admin_error(
                "This operation is for staff users, not integrations.",
                code::FORBIDDEN,
            )),
        }
    }
}

/// The websites the actor's role covers; `None` means every website.
pub(crate) fn website_scope(ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<i32>>> {
    Ok(actor(ctx)?
        .permissions()
        .website_ids
        .as_ref()
        .map(|ids| ids.iter().copied().collect()))
}

/// Fails unless the actor's role covers `website_id`.
pub(crate) fn require_website(ctx: &Context<'_>, website_id: i32) -> async_graphql::Result<()> {
    match website_scope(ctx)? {
        Some(ids) if !ids.contains(&website_id) => Err(admin_error(
            "Your role does not cover this website.",
            code::FORBIDDEN,
        )),
        _ => Ok(()),
    }
}

/// Fails unless the actor's role covers every website; `action` names what was tried
/// (`Changing customer groups`).
pub(crate) fn require_all_websites(ctx: &Context<'_>, action: &str) -> async_graphql::Result<()> {
    if actor(ctx)?.permissions().all_websites() {
        Ok(())
    } else {
        Err(admin_error(
            format!("{action} needs a role that covers all websites."),
            code::FORBIDDEN,
        ))
    }
}
