//! What an actor may do: a set of ACL resources (or all of them) and a website scope.

use std::collections::BTreeSet;

use clientele_kernel::{Error, Result};

use crate::acl;

/// Granted resources and website scope.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permissions {
    /// Every resource, present and future.
    pub all_resources: bool,
    /// Explicitly granted resources.
    pub resources: BTreeSet<String>,
    /// `None` = every website; `Some(ids)` = only these (a "Custom" role scope).
    pub website_ids: Option<BTreeSet<i32>>,
}

impl Permissions {
    /// Everything, everywhere (the built-in Administrators role).
    pub fn everything() -> Self {
        Self {
            all_resources: true,
            resources: BTreeSet::new(),
            website_ids: None,
        }
    }

    /// Whether `resource` is granted.
    pub fn allows(&self, resource: &str) -> bool {
        self.all_resources || self.resources.contains(resource)
    }

    /// Whether the scope covers every website.
    pub fn all_websites(&self) -> bool {
        self.website_ids.is_none()
    }

    /// Fails unless `resource` is granted.
    pub fn require(&self, resource: &str) -> Result<()> {
        if self.allows(resource) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "This action needs the \"{resource}\" permission."
            )))
        }
    }

    /// Whether everything `other` grants is granted here too (no escalation).
    pub fn covers(&self, other: &Permissions) -> bool {
        let resources = self.all_resources
            || (!other.all_resources && other.resources.iter().all(|r| self.resources.contains(r)));
        let websites = match (&self.website_ids, &other.website_ids) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(mine), Some(theirs)) => theirs.is_subset(mine),
        };
        resources && websites
    }
}

/// Validates resource ids a client sent.
pub(crate) fn known_resources(field: &str, ids: &[String]) -> Result<BTreeSet<String>> {
    ids.iter()
        .map(|id| {
            if acl::is_known(id) {
                Ok(id.clone())
            } else {
                Err(Error::invalid(
                    field,
                    format!("\"{id}\" is not an ACL resource."),
                ))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(resources: &[&str], websites: Option<&[i32]>) -> Permissions {
        Permissions {
            all_resources: false,
            resources: resources.iter().map(|s| s.to_string()).collect(),
            website_ids: websites.map(|w| w.iter().copied().collect()),
        }
    }

    #[test]
    fn a_grant_is_covered_only_by_a_superset() {
        let mine = grant(&[acl::ALL_CUSTOMERS, acl::CUSTOMER_GROUPS], None);
        assert!(mine.covers(&grant(&[acl::ALL_CUSTOMERS], Some(&[1]))));
        assert!(!mine.covers(&grant(&[acl::ROLES], None)));
        assert!(!mine.covers(&Permissions::everything()));
        assert!(Permissions::everything().covers(&mine));
        let scoped = grant(&[acl::ALL_CUSTOMERS], Some(&[1]));
        assert!(!scoped.covers(&grant(&[acl::ALL_CUSTOMERS], None)));
        assert!(!scoped.covers(&grant(&[acl::ALL_CUSTOMERS], Some(&[1, 2]))));
    }

    #[test]
    fn default_deny() {
        let nothing = Permissions::default();
        assert!(!nothing.allows(acl::ALL_CUSTOMERS));
        assert!(nothing.require(acl::ALL_CUSTOMERS).is_err());
    }
}
