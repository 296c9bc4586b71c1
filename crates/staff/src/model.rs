//! Staff records and the inputs of their use cases.

use chrono::{DateTime, Utc};

use crate::Permissions;

/// A staff user (an Adobe Commerce admin user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    /// Numeric id.
    pub id: i32,
    /// Sign-in email, as entered.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Inactive users cannot sign in and their tokens stop working.
    pub is_active: bool,
    /// Role id.
    pub role_id: i32,
    /// Locked until this time after too many failed sign-ins.
    pub locked_until: Option<DateTime<Utc>>,
    /// Last successful sign-in.
    pub last_login_at: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// A role: a named set of ACL resources with a website scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Numeric id (1 = Administrators).
    pub id: i32,
    /// Unique name.
    pub name: String,
    /// Granted resources and scope.
    pub permissions: Permissions,
    /// Built-in roles cannot be changed or deleted.
    pub is_built_in: bool,
}

/// An integration: a named API token for scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// Numeric id.
    pub id: i32,
    /// Unique name.
    pub name: String,
    /// Granted resources (integrations act on every website).
    pub permissions: Permissions,
    /// The first characters of the token, to tell tokens apart.
    pub token_hint: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last time the token was used (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; revoked tokens no longer work.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Who is calling the admin API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in staff user.
    Staff {
        /// Staff user id.
        user_id: i32,
        /// Sign-in session id (the token's `sid`).
        session_id: String,
        /// What the user's role grants now (a change to the role reaches every node at once).
        permissions: Permissions,
    },
    /// A script using an integration token.
    Integration {
        /// Integration id.
        integration_id: i32,
        /// What the integration grants.
        permissions: Permissions,
    },
}

impl Actor {
    /// What this actor may do.
    pub fn permissions(&self) -> &Permissions {
        match self {
            Actor::Staff { permissions, .. } | Actor::Integration { permissions, .. } => {
                permissions
            }
        }
    }

    /// Who is acting, for records of changes: `staff:<id>` or `integration:<id>`.
    pub fn label(&self) -> String {
        match self {
            Actor::Staff { user_id, .. } => format!("staff:{user_id}"),
            Actor::Integration { integration_id, .. } => format!("integration:{integration_id}"),
        }
    }

    /// The staff user id, when a person is calling.
    pub fn staff_user_id(&self) -> Option<i32> {
        match self {
            Actor::Staff { user_id, .. } => Some(*user_id),
            Actor::Integration { .. } => None,
        }
    }
}

/// Result of a successful sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
}

/// Input for a new staff user.
#[derive(Debug, Clone)]
pub struct NewStaffUser {
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Initial password.
    pub password: String,
    /// Role id.
    pub role_id: i32,
    /// Whether the account may sign in.
    pub is_active: bool,
}

/// Changes to a staff user; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct StaffUserPatch {
    /// New email.
    pub email: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New password (ends all sessions).
    pub password: Option<String>,
    /// New role.
    pub role_id: Option<i32>,
    /// Activate or deactivate (deactivation ends all sessions).
    pub is_active: Option<bool>,
}

/// Input for a new role.
#[derive(Debug, Clone)]
pub struct NewRole {
    /// Unique name.
    pub name: String,
    /// Every resource.
    pub all_resources: bool,
    /// Granted resources when not all.
    pub resources: Vec<String>,
    /// `None` = all websites.
    pub website_ids: Option<Vec<i32>>,
}

/// Changes to a role.
#[derive(Debug, Clone, Default)]
pub struct RolePatch {
    /// New name.
    pub name: Option<String>,
    /// New "all resources" flag.
    pub all_resources: Option<bool>,
    /// Replaces the granted resources.
    pub resources: Option<Vec<String>>,
    /// Replaces the website scope: `Some(None)` = all websites.
    pub website_ids: Option<Option<Vec<i32>>>,
}

/// Input for a new integration.
#[derive(Debug, Clone)]
pub struct NewIntegration {
    /// Unique name.
    pub name: String,
    /// Every resource.
    pub all_resources: bool,
    /// Granted resources when not all.
    pub resources: Vec<String>,
}
