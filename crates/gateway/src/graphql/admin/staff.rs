//! Staff sign-in and staff user administration.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_staff::{Actor, NewStaffUser, StaffUser, StaffUserPatch, acl};

use super::common::{SearchResultPageInfo, list_cost, page_request};
use super::error::{AdminResult, admin_error, code};
use super::guard::{Needs, StaffOnly, actor};
use super::roles::RoleObject;
use crate::graphql::request::ClientInfo;
use crate::graphql::throttle::{Guarded, give_back, take};
use crate::services::Services;

/// A staff user.
pub(crate) struct StaffUserObject(pub(crate) StaffUser);

#[Object(name = "StaffUser", rename_fields = "snake_case")]
impl StaffUserObject {
    /// Numeric id.
    async fn id(&self) -> i32 {
        self.0.id
    }
    /// Sign-in email.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Whether the user may sign in.
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    /// Locked until this time after repeated failed sign-ins; null when not locked.
    async fn locked_until(&self) -> Option<DateTime<Utc>> {
        self.0.locked_until
    }
    /// Last successful sign-in.
    async fn last_login_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_login_at
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The user's role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<RoleObject> {
        let services = ctx.data::<Services>()?;
        Ok(RoleObject(
            services.staff.role(self.0.role_id).await.admin()?,
        ))
    }
}

/// A page of staff users.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct StaffUsers {
    /// The users of this page.
    items: Vec<StaffUserObject>,
    /// Users in all.
    total_count: i64,
    /// Paging facts.
    page_info: SearchResultPageInfo,
}

/// A staff bearer token.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct StaffToken {
    /// Send as `Authorization: Bearer <token>` to `/admin/graphql`.
    token: String,
    /// When the token stops working.
    expires_at: DateTime<Utc>,
}

/// Result of revoking the current token.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct RevokeStaffTokenOutput {
    /// True when the session has ended.
    result: bool,
}

/// Input of `createStaffUser`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct CreateStaffUserInput {
    /// Sign-in email, unique.
    email: String,
    /// Display name.
    name: String,
    /// Initial password (the customer password policy applies).
    password: String,
    /// Role id; you cannot assign a role that grants more than yours.
    role_id: i32,
    /// Whether the user may sign in (default true).
    is_active: Option<bool>,
}

/// Input of `updateStaffUser`; omitted fields keep their value.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct UpdateStaffUserInput {
    /// New sign-in email.
    email: Option<String>,
    /// New display name.
    name: Option<String>,
    /// New password; ends the user's sessions.
    password: Option<String>,
    /// New role id.
    role_id: Option<i32>,
    /// Activate or deactivate; deactivation ends the user's sessions.
    is_active: Option<bool>,
}

/// Staff queries.
#[derive(Default)]
pub(crate) struct StaffQuery;

#[Object]
impl StaffQuery {
    /// The signed-in staff user.
    #[graphql(guard = "StaffOnly")]
    async fn current_staff_user(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<StaffUserObject> {
        let id = actor(ctx)?
            .staff_user_id()
            .ok_or_else(|| admin_error("Not a staff user.", code::FORBIDDEN))?;
        let services = ctx.data::<Services>()?;
        Ok(StaffUserObject(services.staff.user(id).await.admin()?))
    }

    /// Staff users, by id.
    #[graphql(
        guard = "Needs(&[acl::STAFF_USERS])",
        complexity = "list_cost(page_size, child_complexity)"
    )]
    async fn staff_users(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
    ) -> async_graphql::Result<StaffUsers> {
        let services = ctx.data::<Services>()?;
        let page = services
            .staff
            .users(page_request(page_size, current_page)?)
            .await
            .admin()?;
        Ok(StaffUsers {
            page_info: SearchResultPageInfo::of(&page),
            total_count: page.total_count as i64,
            items: page.items.into_iter().map(StaffUserObject).collect(),
        })
    }

    /// One staff user.
    #[graphql(guard = "Needs(&[acl::STAFF_USERS])")]
    async fn staff_user(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<StaffUserObject> {
        let services = ctx.data::<Services>()?;
        Ok(StaffUserObject(services.staff.user(id).await.admin()?))
    }
}

/// Staff mutations.
#[derive(Default)]
pub(crate) struct StaffMutation;

#[Object]
impl StaffMutation {
    /// Signs a staff user in. Every failure (unknown email, wrong password, locked or inactive
    /// account) gives the same message.
    async fn generate_staff_token(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> async_graphql::Result<StaffToken> {
        let services = ctx.data::<Services>()?;
        let ip = ctx.data_opt::<ClientInfo>().map(|c| c.ip.clone());
        let taken = take(ctx, Guarded::SignIn).await.admin()?;
        let signed = match services.staff.sign_in(&email, &password, ip).await {
            Ok(signed) => signed,
            Err(e) => {
                // Only failed sign-ins count against the client, not refusals of bad input.
                if !matches!(e, clientele_kernel::Error::Unauthenticated(_)) {
                    give_back(ctx, taken).await.admin()?;
                }
                return Err(super::error::to_admin(e));
            }
        };
        give_back(ctx, taken).await.admin()?;
        Ok(StaffToken {
            token: signed.token,
            expires_at: signed.expires_at,
        })
    }

    /// Ends the session of the token used for this request.
    #[graphql(guard = "StaffOnly")]
    async fn revoke_staff_token(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<RevokeStaffTokenOutput> {
        let services = ctx.data::<Services>()?;
        if let Actor::Staff { session_id, .. } = actor(ctx)? {
            services.staff.sign_out(session_id).await.admin()?;
        }
        Ok(RevokeStaffTokenOutput { result: true })
    }

    /// Creates a staff user.
    #[graphql(guard = "Needs(&[acl::STAFF_USERS])")]
    async fn create_staff_user(
        &self,
        ctx: &Context<'_>,
        input: CreateStaffUserInput,
    ) -> async_graphql::Result<StaffUserObject> {
        let services = ctx.data::<Services>()?;
        let user = services
            .staff
            .create_user(
                Some(actor(ctx)?),
                NewStaffUser {
                    email: input.email,
                    name: input.name,
                    password: input.password,
                    role_id: input.role_id,
                    is_active: input.is_active.unwrap_or(true),
                },
            )
            .await
            .admin()?;
        Ok(StaffUserObject(user))
    }

    /// Changes a staff user.
    #[graphql(guard = "Needs(&[acl::STAFF_USERS])")]
    async fn update_staff_user(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateStaffUserInput,
    ) -> async_graphql::Result<StaffUserObject> {
        let services = ctx.data::<Services>()?;
        let patch = StaffUserPatch {
            email: input.email,
            name: input.name,
            password: input.password,
            role_id: input.role_id,
            is_active: input.is_active,
        };
        Ok(StaffUserObject(
            services
                .staff
                .update_user(actor(ctx)?, id, patch)
                .await
                .admin()?,
        ))
    }

    /// Deletes a staff user (never yourself).
    #[graphql(guard = "Needs(&[acl::STAFF_USERS])")]
    async fn delete_staff_user(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<bool> {
        let services = ctx.data::<Services>()?;
        services.staff.delete_user(actor(ctx)?, id).await.admin()?;
        Ok(true)
    }

    /// Ends every session of a staff user ("force sign-out").
    #[graphql(guard = "Needs(&[acl::STAFF_USERS])")]
    async fn revoke_staff_user_sessions(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<bool> {
        let services = ctx.data::<Services>()?;
        services
            .staff
            .revoke_user_sessions(actor(ctx)?, id)
            .await
            .admin()?;
        Ok(true)
    }

    /// Clears a staff user's lockout.
    #[graphql(guard = "Needs(&[acl::LOCKED_USERS])")]
    async fn unlock_staff_user(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<StaffUserObject> {
        let services = ctx.data::<Services>()?;
        Ok(StaffUserObject(
            services.staff.unlock_user(actor(ctx)?, id).await.admin()?,
        ))
    }
}
