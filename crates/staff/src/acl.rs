//! The ACL resource tree, modelled on Adobe Commerce's so that roles read the same to staff who
//! know it (resource ids are Adobe Commerce's). Every admin operation names the resource it needs;
//! a role holds a set of resources, or all of them.

/// One node of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AclResource {
    /// Stable id, e.g. `Magento_Customer::manage`.
    pub id: &'static str,
    /// Title shown in role editors.
    pub title: &'static str,
    /// Parent node, `None` for top-level sections.
    pub parent: Option<&'static str>,
}

const fn node(id: &'static str, title: &'static str, parent: Option<&'static str>) -> AclResource {
    AclResource { id, title, parent }
}

/// Customers section.
pub const CUSTOMERS: &str = "Magento_Customer::customer";
/// All Customers: customer records, the grid, import and export.
pub const ALL_CUSTOMERS: &str = "Magento_Customer::manage";
/// A customer's timeline: who changed what, and when.
pub const CUSTOMER_TIMELINE: &str = "Clientele_Customer::timeline";
/// Export everything held about a customer and erase customers (GDPR).
pub const PERSONAL_DATA: &str = "Clientele_Customer::personal_data";
/// Now Online grid.
pub const NOW_ONLINE: &str = "Magento_Customer::online";
/// Report customer and visitor activity (for the commerce backend: cart and wish list changes).
pub const ACTIVITY_REPORT: &str = "Clientele_Customer::activity_report";
/// Exchange an email vouched for by an external identity provider for a shopper token (social
/// login through a trusted backend, `exchangeExternalCustomerToken`).
pub const EXTERNAL_CUSTOMER_TOKENS: &str = "Clientele_Customer::external_customer_token";
/// Login as Customer section.
pub const LOGIN_AS_CUSTOMER: &str = "Magento_LoginAsCustomer::login_as_customer";
/// Allow Login as Customer Button: sign in as a consenting customer.
pub const LOGIN_AS_CUSTOMER_LOGIN: &str = "Magento_LoginAsCustomer::login";
/// View Login as Customer Log.
pub const LOGIN_AS_CUSTOMER_LOG: &str = "Magento_LoginAsCustomerLog::login_log";
/// Customer Groups.
pub const CUSTOMER_GROUPS: &str = "Magento_Customer::group";
/// Customer Segments.
pub const SEGMENTS: &str = "Magento_CustomerSegment::customersegment";
/// Companies section.
pub const COMPANIES: &str = "Magento_Company::index";
/// Manage Companies.
pub const COMPANIES_MANAGE: &str = "Magento_Company::manage";
/// Add New Company.
pub const COMPANIES_ADD: &str = "Magento_Company::add";
/// Delete Company.
pub const COMPANIES_DELETE: &str = "Magento_Company::delete";
/// Reimburse Balance.
pub const COMPANIES_REIMBURSE: &str = "Magento_Company::reimburse_balance";
/// Stores section.
pub const STORES: &str = "Magento_Backend::stores";
/// All Stores: websites, store groups, store views.
pub const ALL_STORES: &str = "Magento_Backend::store";
/// Configuration.
pub const CONFIGURATION: &str = "Magento_Config::config";
/// Customer tax classes.
pub const TAX_CLASSES: &str = "Magento_Tax::manage_tax";
/// System section.
pub const SYSTEM: &str = "Magento_Backend::system";
/// Permissions section.
pub const PERMISSIONS: &str = "Magento_User::acl";
/// All Users: staff accounts.
pub const STAFF_USERS: &str = "Magento_User::acl_users";
/// User Roles.
pub const ROLES: &str = "Magento_User::acl_roles";
/// Locked Users: unlock staff accounts.
pub const LOCKED_USERS: &str = "Magento_User::locks";
/// The staff audit log: who did what through the admin API (`adminActions`).
pub const ADMIN_ACTIONS: &str = "Clientele_Security::admin_actions";
/// Integrations: API tokens for scripts.
pub const INTEGRATIONS: &str = "Magento_Integration::integrations";
/// Webhooks: create, change, rotate, delete, list deliveries and redeliver.
pub const WEBHOOKS: &str = "Clientele_Integration::webhooks";
/// Attributes (Stores > Attributes).
pub const ATTRIBUTES: &str = "Magento_Backend::stores_attributes";
/// Custom customer attributes.
pub const CUSTOMER_ATTRIBUTES: &str = "Magento_CustomerCustomAttributes::customer_attributes";
/// Custom customer address attributes.
pub const ADDRESS_ATTRIBUTES: &str = "Magento_CustomerCustomAttributes::address_attributes";
/// Data Transfer (System > Data Transfer).
pub const DATA_TRANSFER: &str = "Magento_Backend::convert";
/// Import.
pub const IMPORT: &str = "Magento_ImportExport::import";
/// Token signing keys.
pub const SIGNING_KEYS: &str = "Clientele_Security::signing_keys";
/// Marketing section.
pub const MARKETING: &str = "Magento_Backend::marketing";
/// Email templates and the outbox.
pub const EMAIL_TEMPLATES: &str = "Magento_Email::template";
/// Changing the templates of emails that carry one-time secrets (reset, set-password and
/// confirmation links): a template could otherwise send them anywhere.
pub const SECRET_EMAIL_TEMPLATES: &str = "Clientele_Email::secret_templates";

static TREE: &[AclResource] = &[
    node(CUSTOMERS, "Customers", None),
    node(ALL_CUSTOMERS, "All Customers", Some(CUSTOMERS)),
    node(
        CUSTOMER_TIMELINE,
        "View Customer Timeline",
        Some(ALL_CUSTOMERS),
    ),
    node(
        PERSONAL_DATA,
        "Export and Erase Personal Data",
        Some(ALL_CUSTOMERS),
    ),
    node(NOW_ONLINE, "Now Online", Some(CUSTOMERS)),
    node(ACTIVITY_REPORT, "Report Activity", Some(NOW_ONLINE)),
    node(
        EXTERNAL_CUSTOMER_TOKENS,
        "Exchange External Customer Tokens",
        Some(ALL_CUSTOMERS),
    ),
    node(LOGIN_AS_CUSTOMER, "Login as Customer", Some(CUSTOMERS)),
    node(
        LOGIN_AS_CUSTOMER_LOGIN,
        "Allow Login as Customer Button",
        Some(LOGIN_AS_CUSTOMER),
    ),
    node(
        LOGIN_AS_CUSTOMER_LOG,
        "View Login as Customer Log",
        Some(LOGIN_AS_CUSTOMER),
    ),
    node(CUSTOMER_GROUPS, "Customer Groups", Some(CUSTOMERS)),
    node(SEGMENTS, "Segments", Some(CUSTOMERS)),
    node(COMPANIES, "Companies", Some(CUSTOMERS)),
    node(COMPANIES_MANAGE, "Manage Companies", Some(COMPANIES)),
    node(COMPANIES_ADD, "Add New Company", Some(COMPANIES)),
    node(COMPANIES_DELETE, "Delete Company", Some(COMPANIES)),
    node(COMPANIES_REIMBURSE, "Reimburse Balance", Some(COMPANIES)),
    node(STORES, "Stores", None),
    node(ALL_STORES, "All Stores", Some(STORES)),
    node(CONFIGURATION, "Configuration", Some(STORES)),
    node(TAX_CLASSES, "Tax Classes", Some(STORES)),
    node(ATTRIBUTES, "Attributes", Some(STORES)),
    node(CUSTOMER_ATTRIBUTES, "Customer", Some(ATTRIBUTES)),
    node(ADDRESS_ATTRIBUTES, "Customer Address", Some(ATTRIBUTES)),
    node(SYSTEM, "System", None),
    node(PERMISSIONS, "Permissions", Some(SYSTEM)),
    node(STAFF_USERS, "All Users", Some(PERMISSIONS)),
    node(ROLES, "User Roles", Some(PERMISSIONS)),
    node(LOCKED_USERS, "Locked Users", Some(PERMISSIONS)),
    node(DATA_TRANSFER, "Data Transfer", Some(SYSTEM)),
    node(IMPORT, "Import", Some(DATA_TRANSFER)),
    node(INTEGRATIONS, "Integrations", Some(SYSTEM)),
    node(WEBHOOKS, "Webhooks", Some(INTEGRATIONS)),
    node(ADMIN_ACTIONS, "Admin Action Log", Some(SYSTEM)),
    node(SIGNING_KEYS, "Token Signing Keys", Some(SYSTEM)),
    node(MARKETING, "Marketing", None),
    node(EMAIL_TEMPLATES, "Email Templates", Some(MARKETING)),
    node(
        SECRET_EMAIL_TEMPLATES,
        "Templates of Emails with One-Time Links",
        Some(EMAIL_TEMPLATES),
    ),
];

/// Every resource, parents before children.
pub fn resources() -> &'static [AclResource] {
    TREE
}

/// Whether `id` names a resource.
pub fn is_known(id: &str) -> bool {
    TREE.iter().any(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parent_exists_and_comes_first() {
        for (i, r) in TREE.iter().enumerate() {
            if let Some(parent) = r.parent {
                let at = TREE
                    .iter()
                    .position(|p| p.id == parent)
                    .expect("parent exists");
                assert!(at < i, "{} listed before its parent", r.id);
            }
        }
    }
}
