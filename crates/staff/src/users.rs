//! Staff user administration. Nobody can hand out more than they hold: assigning a role, or
//! changing a user whose role grants more than the caller's, requires covering that role.

use chrono::{DateTime, Utc};
use clientele_configuration::Scope;
use clientele_kernel::db::{begin_write, is_unique_violation};
use clientele_kernel::text::{clean_name, normalize_email};
use clientele_kernel::{Error, Page, PageRequest, Result};
use clientele_sessions::{PasswordContext, PasswordRules, check_password};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryOrder, QuerySelect,
};

use crate::StaffService;
use crate::entity::staff_user;
use crate::model::{Actor, NewStaffUser, StaffUser, StaffUserPatch};
use crate::service::load_role;

const NAME_MAX: usize = 255;

/// The staff user a row describes, as of `now` (a lock that ran out is no lock).
fn staff_user(m: staff_user::Model, now: DateTime<Utc>) -> StaffUser {
    let locked_until = m.lock_expires.filter(|t| *t > now);
    StaffUser {
        id: m.id,
        email: m.email,
        name: m.name,
        is_active: m.is_active,
        role_id: m.role_id,
        locked_until,
        last_login_at: m.last_login_at,
        created_at: m.created_at,
    }
}

fn duplicate_email(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict("A user with the same email address already exists.".into())
    } else {
        err.into()
    }
}

impl StaffService {
    /// One page of staff users, by id.
    pub async fn users(&self, page: PageRequest) -> Result<Page<StaffUser>> {
        let query = staff_user::Entity::find().order_by_asc(staff_user::Column::Id);
        let total_count = query.clone().count(&self.db).await?;
        let now = self.clock.now();
        let items = query
            .offset(page.offset())
            .limit(page.page_size)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| staff_user(m, now))
            .collect();
        Ok(Page {
            items,
            total_count,
            request: page,
        })
    }

    /// One staff user.
    pub async fn user(&self, id: i32) -> Result<StaffUser> {
        Ok(staff_user(find_user(&self.db, id).await?, self.clock.now()))
    }

    /// Creates a staff user. With no actor (the command line), any role may be assigned.
    pub async fn create_user(
        &self,
        actor: Option<&Actor>,
        input: NewStaffUser,
    ) -> Result<StaffUser> {
        let (email, email_key) = normalize_email("email", &input.email)?;
        let name = clean_name("name", &input.name, NAME_MAX)?;
        self.check_staff_password(&input.password, &email).await?;
        let role = load_role(&self.db, input.role_id)
            .await
            .map_err(|e| e.missing_as_invalid("role_id", "The role does not exist."))?;
        if let Some(actor) = actor
            && !actor.permissions().covers(&role.permissions)
        {
            return Err(Error::Forbidden(
                "You cannot assign a role with more permissions than your own.".into(),
            ));
        }
        let hash = self.hasher.hash(&input.password).await?;
        let now = self.clock.now();
        let row = staff_user::ActiveModel {
            email: Set(email),
            email_key: Set(email_key),
            name: Set(name),
            password_hash: Set(hash),
            is_active: Set(input.is_active),
            role_id: Set(role.id),
            failures_num: Set(0),
            first_failure: Set(None),
            lock_expires: Set(None),
            last_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(duplicate_email)?;
        Ok(staff_user(row, self.clock.now()))
    }

    /// Changes a staff user. A new password or deactivation ends the user's sessions.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: i32,
        patch: StaffUserPatch,
    ) -> Result<StaffUser> {
        let current = find_user(&self.db, id).await?;
        self.check_may_manage(actor, &current).await?;
        let is_self = actor.staff_user_id() == Some(id);
        let mut row = current.clone().into_active_model();
        let mut end_sessions = false;
        let email_for_policy = match &patch.email {
            Some(raw) => {
                let (email, key) = normalize_email("email", raw)?;
                row.email = Set(email.clone());
                row.email_key = Set(key);
                email
            }
            None => current.email.clone(),
        };
        if let Some(name) = &patch.name {
            row.name = Set(clean_name("name", name, NAME_MAX)?);
        }
        if let Some(role_id) = patch.role_id
            && role_id != current.role_id
        {
            if is_self {
                return Err(Error::Forbidden("You cannot change your own role.".into()));
            }
            let role = load_role(&self.db, role_id)
                .await
                .map_err(|e| e.missing_as_invalid("role_id", "The role does not exist."))?;
            if !actor.permissions().covers(&role.permissions) {
                return Err(Error::Forbidden(
                    "You cannot assign a role with more permissions than your own.".into(),
                ));
            }
            row.role_id = Set(role_id);
        }
        if let Some(active) = patch.is_active {
            if is_self && !active {
                return Err(Error::invalid(
                    "is_active",
                    "You cannot deactivate your own account.",
                ));
            }
            end_sessions |= !active;
            row.is_active = Set(active);
        }
        if let Some(password) = &patch.password {
            self.check_staff_password(password, &email_for_policy)
                .await?;
            row.password_hash = Set(self.hasher.hash(password).await?);
            end_sessions = true;
        }
        let now = self.clock.now();
        row.updated_at = Set(now);
        let txn = begin_write(&self.db).await?;
        // A new role changes what the user's sessions grant.
        let _changed = self.announce_access_change(&txn).await?;
        let updated = row.update(&txn).await.map_err(duplicate_email)?;
        if end_sessions {
            self.end_all_sessions(&txn, id).await?;
        }
        txn.commit().await?;
        Ok(staff_user(updated, now))
    }

    /// Deletes a staff user (never oneself).
    pub async fn delete_user(&self, actor: &Actor, id: i32) -> Result<()> {
        if actor.staff_user_id() == Some(id) {
            return Err(Error::invalid("id", "You cannot delete your own account."));
        }
        let current = find_user(&self.db, id).await?;
        self.check_may_manage(actor, &current).await?;
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce_access_change(&txn).await?;
        staff_user::Entity::delete_by_id(id).exec(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Clears a lockout (of a user whose role the actor covers).
    pub async fn unlock_user(&self, actor: &Actor, id: i32) -> Result<StaffUser> {
        let current = find_user(&self.db, id).await?;
        self.check_may_manage(actor, &current).await?;
        let mut row = current.into_active_model();
        row.failures_num = Set(0);
        row.first_failure = Set(None);
        row.lock_expires = Set(None);
        Ok(staff_user(row.update(&self.db).await?, self.clock.now()))
    }

    /// Ends every session of a staff user ("force sign-out").
    pub async fn revoke_user_sessions(&self, actor: &Actor, id: i32) -> Result<()> {
        let current = find_user(&self.db, id).await?;
        self.check_may_manage(actor, &current).await?;
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce_access_change(&txn).await?;
        self.end_all_sessions(&txn, id).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn check_may_manage(&self, actor: &Actor, target: &staff_user::Model) -> Result<()> {
        let role = load_role(&self.db, target.role_id).await?;
        if actor.staff_user_id() != Some(target.id)
            && !actor.permissions().covers(&role.permissions)
        {
            return Err(Error::Forbidden(
                "You cannot change a user whose role has more permissions than your own.".into(),
            ));
        }
        Ok(())
    }

    async fn check_staff_password(&self, password: &str, email: &str) -> Result<()> {
        let config = self.config.resolve(Scope::Default).await?;
        check_password(
            "password",
            password,
            &PasswordRules::configured(&config),
            &PasswordContext {
                email,
                names: &["Clientele", "admin"],
            },
        )
    }
}

async fn find_user(db: &impl sea_orm::ConnectionTrait, id: i32) -> Result<staff_user::Model> {
    staff_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Staff user", id))
}
