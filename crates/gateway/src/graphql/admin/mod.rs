//! The admin and integration API (`/admin/graphql`). Every field except staff sign-in declares the
//! ACL resource it needs; errors carry a stable `extensions.code`.

pub(crate) mod attributes;
pub(crate) mod audit;
pub(crate) mod common;
pub(crate) mod configuration;
pub(crate) mod customers;
pub(crate) mod email;
pub(crate) mod error;
pub(crate) mod grid_views;
pub(crate) mod groups;
pub(crate) mod guard;
pub(crate) mod import;
pub(crate) mod loaders;
pub(crate) mod login_as_customer;
pub(crate) mod now_online;
pub(crate) mod privacy;
pub(crate) mod roles;
pub(crate) mod staff;
pub(crate) mod stores;
pub(crate) mod timeline;
pub(crate) mod webhooks;

use async_graphql::MergedObject;

/// Root query of the admin API.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct AdminQuery(
    staff::StaffQuery,
    roles::RoleQuery,
    stores::StoreQuery,
    configuration::ConfigurationQuery,
    groups::GroupQuery,
    customers::CustomerQuery,
    attributes::AttributeQuery,
    grid_views::GridViewQuery,
    email::EmailQuery,
    login_as_customer::LoginAsCustomerQuery,
    now_online::NowOnlineQuery,
    import::ImportQuery,
    timeline::EventQuery,
    audit::AuditQuery,
    webhooks::WebhookQuery,
    privacy::PrivacyQuery,
);

/// Root mutation of the admin API.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct AdminMutation(
    staff::StaffMutation,
    roles::RoleMutation,
    stores::StoreMutation,
    configuration::ConfigurationMutation,
    groups::GroupMutation,
    customers::CustomerMutation,
    attributes::AttributeMutation,
    import::ImportMutation,
    grid_views::GridViewMutation,
    email::EmailMutation,
    login_as_customer::LoginAsCustomerMutation,
    now_online::NowOnlineMutation,
    webhooks::WebhookMutation,
    privacy::PrivacyMutation,
);
