//! Role administration: no self-escalation, no editing one's own role, built-in roles fixed.

use std::collections::{BTreeSet, HashMap};

use clientele_kernel::db::{begin_write, is_foreign_key_violation, is_unique_violation};
use clientele_kernel::text::clean_name;
use clientele_kernel::{Error, Result};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};

use crate::entity::{role, role_resource, role_website, staff_user};
use crate::model::{Actor, NewRole, Role, RolePatch};
use crate::permissions::known_resources;
use crate::service::load_role;
use crate::{Permissions, StaffService};

const NAME_MAX: usize = 64;

fn duplicate_name(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict("A role with the same name already exists.".into())
    } else {
        err.into()
    }
}

impl StaffService {
    /// Every role, by name.
    pub async fn roles(&self) -> Result<Vec<Role>> {
        let rows = role::Entity::find()
            .order_by_asc(role::Column::NameKey)
            .all(&self.db)
            .await?;
        // Three queries for the whole list, whatever the number of roles.
        let mut resources: HashMap<i32, BTreeSet<String>> = HashMap::new();
        for r in role_resource::Entity::find().all(&self.db).await? {
            resources.entry(r.role_id).or_default().insert(r.resource);
        }
        let mut websites: HashMap<i32, BTreeSet<i32>> = HashMap::new();
        for w in role_website::Entity::find().all(&self.db).await? {
            websites.entry(w.role_id).or_default().insert(w.website_id);
        }
        Ok(rows
            .into_iter()
            .map(|row| Role {
                permissions: Permissions {
                    all_resources: row.all_resources,
                    resources: resources.remove(&row.id).unwrap_or_default(),
                    website_ids: if row.all_websites {
                        None
                    } else {
                        Some(websites.remove(&row.id).unwrap_or_default())
                    },
                },
                id: row.id,
                name: row.name,
                is_built_in: row.is_built_in,
            })
            .collect())
    }

    /// One role.
    pub async fn role(&self, id: i32) -> Result<Role> {
        load_role(&self.db, id).await
    }

    /// Creates a role granting no more than the caller holds.
    pub async fn create_role(&self, actor: &Actor, input: NewRole) -> Result<Role> {
        let name = clean_name("name", &input.name, NAME_MAX)?;
        let permissions = requested(input.all_resources, &input.resources, input.website_ids)?;
        check_grant(actor, &permissions)?;
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let row = role::ActiveModel {
            name_key: Set(name.to_lowercase()),
            name: Set(name),
            all_resources: Set(permissions.all_resources),
            all_websites: Set(permissions.all_websites()),
            is_built_in: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(duplicate_name)?;
        write_grants(&txn, row.id, &permissions).await?;
        txn.commit().await?;
        self.role(row.id).await
    }

    /// Changes a role. The caller's own role and built-in roles cannot be changed.
    pub async fn update_role(&self, actor: &Actor, id: i32, patch: RolePatch) -> Result<Role> {
        let current = load_role(&self.db, id).await?;
        self.check_role_editable(actor, &current).await?;
        let permissions = Permissions {
            all_resources: patch
                .all_resources
                .unwrap_or(current.permissions.all_resources),
            resources: match &patch.resources {
                Some(ids) => known_resources("resources", ids)?,
                None => current.permissions.resources.clone(),
            },
            website_ids: match patch.website_ids {
                Some(ids) => ids.map(|ids| ids.into_iter().collect()),
                None => current.permissions.website_ids.clone(),
            },
        };
        check_grant(actor, &permissions)?;
        let txn = begin_write(&self.db).await?;
        // The sessions of the role's users grant what it grants now.
        let _changed = self.announce_access_change(&txn).await?;
        let mut row = role::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found("Role", id))?
            .into_active_model();
        if let Some(name) = &patch.name {
            let name = clean_name("name", name, NAME_MAX)?;
            row.name_key = Set(name.to_lowercase());
            row.name = Set(name);
        }
        row.all_resources = Set(permissions.all_resources);
        row.all_websites = Set(permissions.all_websites());
        row.updated_at = Set(self.clock.now());
        row.update(&txn).await.map_err(duplicate_name)?;
        role_resource::Entity::delete_many()
            .filter(role_resource::Column::RoleId.eq(id))
            .exec(&txn)
            .await?;
        role_website::Entity::delete_many()
            .filter(role_website::Column::RoleId.eq(id))
            .exec(&txn)
            .await?;
        write_grants(&txn, id, &permissions).await?;
        txn.commit().await?;
        self.role(id).await
    }

    /// Deletes a role no staff user holds.
    pub async fn delete_role(&self, actor: &Actor, id: i32) -> Result<()> {
        let current = load_role(&self.db, id).await?;
        self.check_role_editable(actor, &current).await?;
        // Only a role no one holds can go, so no session loses anything.
        role::Entity::delete_by_id(id)
            .exec(&self.db)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::Conflict(
                        "The role is assigned to staff users and cannot be deleted.".into(),
                    )
                } else {
                    e.into()
                }
            })?;
        Ok(())
    }

    async fn check_role_editable(&self, actor: &Actor, role: &Role) -> Result<()> {
        if role.is_built_in {
            return Err(Error::Forbidden(format!(
                "The built-in role \"{}\" cannot be changed.",
                role.name
            )));
        }
        if let Some(user_id) = actor.staff_user_id() {
            let me = staff_user::Entity::find_by_id(user_id)
                .one(&self.db)
                .await?;
            if me.is_some_and(|u| u.role_id == role.id) {
                return Err(Error::Forbidden("You cannot change your own role.".into()));
            }
        }
        if !actor.permissions().covers(&role.permissions) {
            return Err(Error::Forbidden(
                "You cannot change a role with more permissions than your own.".into(),
            ));
        }
        Ok(())
    }
}

fn requested(all: bool, resources: &[String], websites: Option<Vec<i32>>) -> Result<Permissions> {
    Ok(Permissions {
        all_resources: all,
        resources: known_resources("resources", resources)?,
        website_ids: websites.map(|ids| ids.into_iter().collect()),
    })
}

fn check_grant(actor: &Actor, wanted: &Permissions) -> Result<()> {
    if actor.permissions().covers(wanted) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "You cannot grant permissions or websites that you do not hold.".into(),
        ))
    }
}

async fn write_grants(
    db: &impl ConnectionTrait,
    role_id: i32,
    permissions: &Permissions,
) -> Result<()> {
    if !permissions.resources.is_empty() {
        role_resource::Entity::insert_many(permissions.resources.iter().map(|r| {
            role_resource::ActiveModel {
                role_id: Set(role_id),
                resource: Set(r.clone()),
            }
        }))
        .exec(db)
        .await?;
    }
    if let Some(websites) = permissions.website_ids.as_ref().filter(|w| !w.is_empty()) {
        role_website::Entity::insert_many(websites.iter().map(|&website_id| {
            role_website::ActiveModel {
                role_id: Set(role_id),
                website_id: Set(website_id),
            }
        }))
        .exec(db)
        .await
        .map_err(|e| {
            if is_foreign_key_violation(&e) {
                Error::invalid("website_ids", "A website of the role scope does not exist.")
            } else {
                e.into()
            }
        })?;
    }
    Ok(())
}
