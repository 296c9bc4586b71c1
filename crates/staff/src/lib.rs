//! Staff access to the admin API: staff users who sign in with a password and get a short-lived,
//! server-side revocable bearer token; roles made of ACL resources (default deny, no
//! self-escalation); and integrations, named API tokens for scripts scoped to resources.

mod access;
pub mod acl;
mod auth;
mod entity;
mod integrations;
mod model;
mod permissions;
mod roles;
mod service;
mod users;

pub use auth::{ADMIN_AUDIENCE, AuthFailure, StaffClaims};
pub use model::{
    Actor, Integration, NewIntegration, NewRole, NewStaffUser, Role, RolePatch, SignedIn,
    StaffUser, StaffUserPatch,
};
pub use permissions::Permissions;
pub use service::StaffService;

#[cfg(test)]
mod tests;
