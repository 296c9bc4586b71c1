//! Roles, the ACL resource tree, integrations and token signing keys.

use std::time::Duration;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_staff::{Integration, NewIntegration, NewRole, Role, RolePatch, acl};

use super::error::AdminResult;
use super::guard::{Needs, actor};
use crate::services::Services;

/// A role: a named set of ACL resources with a website scope.
pub(crate) struct RoleObject(pub(crate) Role);

#[Object(name = "Role", rename_fields = "snake_case")]
impl RoleObject {
    /// Numeric id (1 = Administrators).
    async fn id(&self) -> i32 {
        self.0.id
    }
    /// Unique name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Whether the role grants every resource.
    async fn all_resources(&self) -> bool {
        self.0.permissions.all_resources
    }
    /// Granted ACL resource ids (empty when `all_resources`).
    async fn resources(&self) -> Vec<String> {
        self.0.permissions.resources.iter().cloned().collect()
    }
    /// Whether the role covers every website ("All" role scope).
    async fn all_websites(&self) -> bool {
        self.0.permissions.all_websites()
    }
    /// Websites of a "Custom" role scope (empty when `all_websites`).
    async fn website_ids(&self) -> Vec<i32> {
        self.0
            .permissions
            .website_ids
            .iter()
            .flatten()
            .copied()
            .collect()
    }
    /// Built-in roles cannot be changed or deleted.
    async fn is_built_in(&self) -> bool {
        self.0.is_built_in
    }
}

/// One node of the ACL resource tree.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct AclResource {
    /// Stable id, e.g. `Magento_Customer::manage`.
    id: String,
    /// Title.
    title: String,
    /// Parent node id; null for top-level sections.
    parent_id: Option<String>,
}

/// An integration: a named API token for scripts.
pub(crate) struct IntegrationObject(Integration);

#[Object(name = "Integration", rename_fields = "snake_case")]
impl IntegrationObject {
    /// Numeric id.
    async fn id(&self) -> i32 {
        self.0.id
    }
    /// Unique name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Whether it grants every resource.
    async fn all_resources(&self) -> bool {
        self.0.permissions.all_resources
    }
    /// Granted ACL resource ids.
    async fn resources(&self) -> Vec<String> {
        self.0.permissions.resources.iter().cloned().collect()
    }
    /// The first characters of the token, to tell tokens apart.
    async fn token_hint(&self) -> &str {
        &self.0.token_hint
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Last use of the token (updated at most once a minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    /// When it was revoked; null while the token works.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}

/// A new integration and its token.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateIntegrationOutput {
    /// The integration.
    integration: IntegrationObject,
    /// The bearer token. It is shown only now; store it safely.
    token: String,
}

/// Result of a key rotation.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct RotateSigningKeyOutput {
    /// Id (`kid`) of the new signing key.
    kid: String,
}

/// Input of `createRole`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateRoleInput {
    /// Unique name.
    name: String,
    /// Grant every resource (only if you hold every resource).
    all_resources: Option<bool>,
    /// ACL resource ids to grant (see `aclResources`).
    resources: Option<Vec<String>>,
    /// Restrict the role to these websites; omit for all websites.
    website_ids: Option<Vec<i32>>,
}

/// Input of `updateRole`; omitted fields keep their value.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateRoleInput {
    /// New name.
    name: Option<String>,
    /// Grant every resource.
    all_resources: Option<bool>,
    /// Replaces the granted resources.
    resources: Option<Vec<String>>,
    /// Switches to all websites (true) or to `website_ids` (false).
    all_websites: Option<bool>,
    /// The websites of a custom scope.
    website_ids: Option<Vec<i32>>,
}

/// Input of `createIntegration`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateIntegrationInput {
    /// Unique name.
    name: String,
    /// Grant every resource.
    all_resources: Option<bool>,
    /// ACL resource ids to grant.
    resources: Option<Vec<String>>,
}

/// Role, ACL and integration queries.
#[derive(Default)]
pub(crate) struct RoleQuery;

#[Object]
impl RoleQuery {
    /// Every role.
    #[graphql(guard = "Needs(&[acl::ROLES, acl::STAFF_USERS])")]
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoleObject>> {
        let services = ctx.data::<Services>()?;
        Ok(services
            .staff
            .roles()
            .await
            .admin()?
            .into_iter()
            .map(RoleObject)
            .collect())
    }

    /// One role.
    #[graphql(guard = "Needs(&[acl::ROLES, acl::STAFF_USERS])")]
    async fn role(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<RoleObject> {
        let services = ctx.data::<Services>()?;
        Ok(RoleObject(services.staff.role(id).await.admin()?))
    }

    /// The ACL resource tree, parents before children.
    #[graphql(guard = "Needs(&[acl::ROLES, acl::INTEGRATIONS])")]
    async fn acl_resources(&self) -> Vec<AclResource> {
        acl::resources()
            .iter()
            .map(|r| AclResource {
                id: r.id.into(),
                title: r.title.into(),
                parent_id: r.parent.map(Into::into),
            })
            .collect()
    }

    /// Every integration.
    #[graphql(guard = "Needs(&[acl::INTEGRATIONS])")]
    async fn integrations(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<IntegrationObject>> {
        let services = ctx.data::<Services>()?;
        Ok(services
            .staff
            .integrations()
            .await
            .admin()?
            .into_iter()
            .map(IntegrationObject)
            .collect())
    }
}

/// Role, integration and key mutations.
#[derive(Default)]
pub(crate) struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Creates a role granting no more than you hold.
    #[graphql(guard = "Needs(&[acl::ROLES])")]
    async fn create_role(
        &self,
        ctx: &Context<'_>,
        input: CreateRoleInput,
    ) -> async_graphql::Result<RoleObject> {
        let services = ctx.data::<Services>()?;
        let role = services
            .staff
            .create_role(
                actor(ctx)?,
                NewRole {
                    name: input.name,
                    all_resources: input.all_resources.unwrap_or(false),
                    resources: input.resources.unwrap_or_default(),
                    website_ids: input.website_ids,
                },
            )
            .await
            .admin()?;
        Ok(RoleObject(role))
    }

    /// Changes a role (not your own, not a built-in one).
    #[graphql(guard = "Needs(&[acl::ROLES])")]
    async fn update_role(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateRoleInput,
    ) -> async_graphql::Result<RoleObject> {
        let services = ctx.data::<Services>()?;
        let website_ids = match (input.all_websites, input.website_ids) {
            (Some(true), _) => Some(None),
            (_, Some(ids)) => Some(Some(ids)),
            (Some(false), None) => Some(Some(Vec::new())),
            (None, None) => None,
        };
        let patch = RolePatch {
            name: input.name,
            all_resources: input.all_resources,
            resources: input.resources,
            website_ids,
        };
        Ok(RoleObject(
            services
                .staff
                .update_role(actor(ctx)?, id, patch)
                .await
                .admin()?,
        ))
    }

    /// Deletes a role that no staff user holds.
    #[graphql(guard = "Needs(&[acl::ROLES])")]
    async fn delete_role(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<bool> {
        let services = ctx.data::<Services>()?;
        services.staff.delete_role(actor(ctx)?, id).await.admin()?;
        Ok(true)
    }

    /// Creates an integration; its token is returned once.
    #[graphql(guard = "Needs(&[acl::INTEGRATIONS])")]
    async fn create_integration(
        &self,
        ctx: &Context<'_>,
        input: CreateIntegrationInput,
    ) -> async_graphql::Result<CreateIntegrationOutput> {
        let services = ctx.data::<Services>()?;
        let (integration, token) = services
            .staff
            .create_integration(
                actor(ctx)?,
                NewIntegration {
                    name: input.name,
                    all_resources: input.all_resources.unwrap_or(false),
                    resources: input.resources.unwrap_or_default(),
                },
            )
            .await
            .admin()?;
        Ok(CreateIntegrationOutput {
            integration: IntegrationObject(integration),
            token,
        })
    }

    /// Revokes an integration's token for good.
    #[graphql(guard = "Needs(&[acl::INTEGRATIONS])")]
    async fn revoke_integration(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<IntegrationObject> {
        let services = ctx.data::<Services>()?;
        Ok(IntegrationObject(
            services
                .staff
                .revoke_integration(actor(ctx)?, id)
                .await
                .admin()?,
        ))
    }

    /// Starts signing tokens with a new key. Tokens signed with the previous key stay valid for
    /// `overlapHours` (default 24), then the old key retires.
    #[graphql(guard = "Needs(&[acl::SIGNING_KEYS])")]
    async fn rotate_signing_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "overlapHours",
            default = 24,
            validator(minimum = 1, maximum = 8760)
        )]
        overlap_hours: u64,
    ) -> async_graphql::Result<RotateSigningKeyOutput> {
        let services = ctx.data::<Services>()?;
        let kid = services
            .tokens
            .keys()
            .rotate(Duration::from_secs(overlap_hours * 3600))
            .await
            .admin()?;
        Ok(RotateSigningKeyOutput { kid })
    }
}
