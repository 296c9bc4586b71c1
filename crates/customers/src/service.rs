//! Customer account use cases: create, read, update (with optimistic locking), delete, unlock.

use clientele_configuration::keys;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use clientele_configuration::{ConfigService, ResolvedConfig, Scope};
use clientele_kernel::bulk::{Guard, update_models};
use clientele_kernel::db::{begin_write, is_foreign_key_violation, is_unique_violation};
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Clock, Error, Result};
use clientele_sessions::PasswordHasher;
use clientele_stores::StoreService;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect,
};

use crate::entity::customer;
use crate::model::{Customer, CustomerPatch, Gender, NewCustomer};
use crate::newsletter::subscriber;
use crate::notices::{notify, welcome};
use crate::rules::{Rules, optional_text, required_text};
use crate::sign_in::end_sessions;
use clientele_customer_attributes::write_customer_values;
use clientele_mail::TemplateCode;
use clientele_newsletter::{NewsletterService, subscribe_rows};
use serde_json::json;

/// Message Adobe Commerce gives for a duplicate email.
pub(crate) const DUPLICATE_EMAIL: &str =
    "A customer with the same email address already exists in an associated website.";

/// What a new account starts with besides its fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials {
    /// The stored password hash, if the account has a password.
    pub(crate) password_hash: Option<String>,
    /// The pending email confirmation key.
    pub(crate) confirmation: Option<String>,
    /// Subscribe to the newsletter in the account's store view.
    pub(crate) subscribe: bool,
    /// Send the welcome (or confirmation) email.
    pub(crate) welcome: bool,
}

/// Customer accounts and their address books.
#[derive(Clone)]
pub struct CustomerService {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: ConfigService,
    pub(crate) stores: StoreService,
    pub(crate) hasher: PasswordHasher,
    pub(crate) newsletter: NewsletterService,
    pub(crate) clock: Clock,
}

impl From<customer::Model> for Customer {
    fn from(m: customer::Model) -> Self {
        Self {
            id: m.id,
            website_id: m.website_id,
            store_id: m.store_id,
            created_in: m.created_in,
            group_id: m.group_id,
            email: m.email,
            prefix: m.prefix,
            firstname: m.firstname,
            middlename: m.middlename,
            lastname: m.lastname,
            suffix: m.suffix,
            dob: m.dob,
            taxvat: m.taxvat,
            gender: m.gender.and_then(Gender::from_code),
            is_active: m.is_active,
            confirmation_pending: m.confirmation.is_some(),
            lock_expires: m.lock_expires,
            allow_remote_shopping_assistance: m.allow_remote_shopping_assistance,
            disable_auto_group_change: m.disable_auto_group_change,
            default_billing_id: m.default_billing_id,
            default_shipping_id: m.default_shipping_id,
            billing_telephone: m.billing_telephone,
            billing_postcode: m.billing_postcode,
            billing_country_code: m.billing_country_code,
            billing_region: m.billing_region,
            billing_city: m.billing_city,
            billing_company: m.billing_company,
            billing_street: m.billing_street,
            billing_vat_id: m.billing_vat_id,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

pub(crate) fn map_write_error(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict(DUPLICATE_EMAIL.into())
    } else if is_foreign_key_violation(&err) {
        Error::invalid("group_id", "The customer group does not exist.")
    } else {
        err.into()
    }
}

/// The lowercase text the grid's keyword search matches. It holds the email key as it is, which
/// the grid's email filter relies on to use the keyword index.
pub(crate) fn search_text(m: &customer::Model) -> String {
    [
        Some(m.firstname.as_str()),
        m.middlename.as_deref(),
        Some(m.lastname.as_str()),
        Some(m.email_key.as_str()),
        m.taxvat.as_deref(),
        m.billing_telephone.as_deref(),
        m.billing_postcode.as_deref(),
        m.billing_company.as_deref(),
        m.billing_city.as_deref(),
        m.billing_street.as_deref(),
        m.billing_region.as_deref(),
        m.billing_vat_id.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase()
}

pub(crate) fn email_scope(config: &ResolvedConfig, website_id: i32) -> i32 {
    if config.text(keys::customer::ACCOUNT_SHARE_SCOPE) == "0" {
        0
    } else {
        website_id
    }
}

impl CustomerService {
    /// A service over `db`, hashing passwords on `hasher`, subscribing accounts through
    /// `newsletter`, telling the time by `clock`.
    pub fn new(
        db: DatabaseConnection,
        config: ConfigService,
        stores: StoreService,
        hasher: PasswordHasher,
        newsletter: NewsletterService,
        clock: Clock,
    ) -> Self {
        Self {
            db,
            config,
            stores,
            hasher,
            newsletter,
            clock,
        }
    }

    pub(crate) async fn website_rules(&self, website_id: i32) -> Result<(Rules, ResolvedConfig)> {
        let config = self.config.resolve(Scope::Website(website_id)).await?;
        Ok((Rules::from_config(&config, self.clock.today()), config))
    }

    /// Creates a customer account and, unless told not to, sends its welcome email.
    pub async fn create(&self, input: NewCustomer) -> Result<Customer> {
        let credentials = Credentials {
            welcome: input.send_welcome_email.unwrap_or(true),
            ..Default::default()
        };
        self.create_with(input, credentials).await
    }

    /// Whether an account of `account_website_id` may act on `website_id`: always on its own
    /// website, and on every website when accounts are shared globally.
    pub async fn account_serves_website(
        &self,
        account_website_id: i32,
        website_id: i32,
    ) -> Result<bool> {
        if account_website_id == website_id {
            return Ok(true);
        }
        let config = self.config.resolve(Scope::Website(website_id)).await?;
        Ok(email_scope(&config, website_id) == 0)
    }

    /// Whether an account of `website_id` (or of any website, with global account sharing)
    /// already uses `email`.
    pub async fn email_taken(&self, website_id: i32, email: &str) -> Result<bool> {
        Ok(self.account_by_email(website_id, email).await?.is_some())
    }

    /// The customer who signs in with `email` on `website_id` (following account sharing);
    /// `None` for an unknown or malformed email.
    pub async fn find_by_email(&self, website_id: i32, email: &str) -> Result<Option<Customer>> {
        match self.account_by_email(website_id, email).await {
            Ok(found) => Ok(found.map(Into::into)),
            Err(Error::Invalid { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// The account that signs in with `email` on `website_id` (following account sharing).
    pub(crate) async fn account_by_email(
        &self,
        website_id: i32,
        email: &str,
    ) -> Result<Option<customer::Model>> {
        let config = self.config.resolve(Scope::Website(website_id)).await?;
        let (_, key) = normalize_email("email", email)?;
        Ok(customer::Entity::find()
            .filter(customer::Column::EmailScopeId.eq(email_scope(&config, website_id)))
            .filter(customer::Column::EmailKey.eq(key))
            .one(&self.db)
            .await?)
    }

    /// Creates a customer account with its sign-in credentials and, when asked, its newsletter
    /// subscription, in one transaction.
    pub(crate) async fn create_with(
        &self,
        input: NewCustomer,
        credentials: Credentials,
    ) -> Result<Customer> {
        let default_view = self.stores.default_view().await?;
        let website_id = input.website_id.unwrap_or(default_view.website_id);
        let website = self
            .stores
            .website(website_id)
            .await
            .map_err(|e| e.missing_as_invalid("website_id", "The website does not exist."))?;
        let store = match input.store_id {
            Some(id) => {
                let view = self.stores.view(id).await.map_err(|e| {
                    e.missing_as_invalid("store_id", "The store view does not exist.")
                })?;
                if view.website_id != website.id {
                    return Err(Error::invalid(
                        "store_id",
                        "The store view does not belong to the customer's website.",
                    ));
                }
                Some(view)
            }
            None => self.website_default_view(website.default_group_id).await?,
        };
        let config = match &store {
            Some(view) => self.config.resolve(Scope::StoreView(view.id)).await?,
            None => self.config.resolve(Scope::Website(website.id)).await?,
        };
        let rules = Rules::from_config(&config, self.clock.today());
        let (email, email_key) = normalize_email("email", &input.email)?;
        let prefix = optional_text("prefix", "Name Prefix", &input.prefix, 40)?;
        let suffix = optional_text("suffix", "Name Suffix", &input.suffix, 40)?;
        let taxvat = optional_text("taxvat", "Tax/VAT Number", &input.taxvat, 50)?;
        rules.check_customer(
            &prefix,
            &suffix,
            &input.dob,
            &taxvat,
            input.gender.is_some(),
        )?;
        let group_id = match input.group_id {
            Some(id) => customer_group(id)?,
            None => config
                .number(keys::customer::CREATE_ACCOUNT_DEFAULT_GROUP)
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or(1),
        };
        let now = self.clock.now();
        let mut model = customer::Model {
            id: 0,
            website_id: website.id,
            email_scope_id: email_scope(&config, website.id),
            email,
            email_key,
            group_id,
            store_id: store.as_ref().map(|v| v.id),
            created_in: store.as_ref().map(|v| v.name.clone()).unwrap_or_default(),
            prefix,
            firstname: required_text("firstname", "First Name", &input.firstname, 255)?,
            middlename: optional_text("middlename", "Middle Name/Initial", &input.middlename, 255)?,
            lastname: required_text("lastname", "Last Name", &input.lastname, 255)?,
            suffix,
            dob: input.dob,
            taxvat,
            gender: input.gender.map(Gender::code),
            is_active: input.is_active.unwrap_or(true),
            password_hash: credentials.password_hash,
            confirmation: credentials.confirmation,
            failures_num: 0,
            first_failure: None,
            lock_expires: None,
            allow_remote_shopping_assistance: input
                .allow_remote_shopping_assistance
                .unwrap_or(false),
            disable_auto_group_change: input.disable_auto_group_change.unwrap_or_else(|| {
                config.flag(keys::customer::CREATE_ACCOUNT_VIV_DISABLE_AUTO_GROUP_ASSIGN_DEFAULT)
            }),
            default_billing_id: None,
            default_shipping_id: None,
            billing_telephone: None,
            billing_postcode: None,
            billing_country_code: None,
            billing_region: None,
            billing_city: None,
            billing_company: None,
            billing_street: None,
            billing_vat_id: None,
            billing_fax: None,
            search_text: String::new(),
            tokens_valid_after: None,
            tokens_kept_session: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        model.search_text = search_text(&model);
        let notice = match (&store, credentials.welcome) {
            (Some(view), true) => Some(self.view_context(view.id).await?),
            _ => None,
        };
        let opt_in = match credentials.subscribe {
            true => Some(self.newsletter.opt_in().await?),
            false => None,
        };
        let mut active = model.into_active_model();
        active.id = sea_orm::ActiveValue::NotSet;
        let txn = begin_write(&self.db).await?;
        let row = active.insert(&txn).await.map_err(map_write_error)?;
        write_customer_values(&txn, row.id, &input.custom_attributes, true).await?;
        if let (Some(view), Some(opt_in)) = (&store, &opt_in) {
            subscribe_rows(&txn, &[(subscriber(&row), view.id)], opt_in, now).await?;
        }
        if let Some(store) = &notice {
            welcome(&txn, store, &row, now).await?;
        }
        txn.commit().await?;
        tracing::info!(customer_id = row.id, "customer created");
        Ok(row.into())
    }

    async fn website_default_view(
        &self,
        default_group_id: Option<i32>,
    ) -> Result<Option<clientele_stores::StoreView>> {
        let Some(group_id) = default_group_id else {
            return Ok(None);
        };
        let group = self.stores.group(group_id).await?;
        match group.default_store_id {
            Some(view_id) => Ok(Some(self.stores.view(view_id).await?)),
            None => Ok(None),
        }
    }

    /// One customer.
    pub async fn get(&self, id: i32) -> Result<Customer> {
        Ok(find(&self.db, id).await?.into())
    }

    /// Changes a customer. With `expected_version`, the change applies only if nobody changed the
    /// record since it was read (otherwise CONFLICT). Deactivation and a new email end the
    /// customer's sessions.
    pub async fn update(&self, id: i32, patch: CustomerPatch) -> Result<Customer> {
        // Configuration and stores are read before the write transaction takes its connection.
        let website_id = match patch.website_id {
            Some(website_id) => {
                self.stores.website(website_id).await.map_err(|e| {
                    e.missing_as_invalid("website_id", "The website does not exist.")
                })?;
                website_id
            }
            None => find(&self.db, id).await?.website_id,
        };
        let (rules, config) = self.website_rules(website_id).await?;
        // Where the "email changed" notice would go out, resolved before the write transaction.
        let notice = match &patch.email {
            Some(_) => {
                let owner = find(&self.db, id).await?;
                // A website without any store view has no storefront to write from: no notice.
                match self.store_context(&owner, None).await {
                    Ok(store) => Some(store),
                    Err(Error::Invalid { .. }) => None,
                    Err(other) => return Err(other),
                }
            }
            None => None,
        };
        let now = self.clock.now();
        let txn = begin_write(&self.db).await?;
        let current = customer::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found("Customer", id))?;
        if patch.expected_version.is_some_and(|v| v != current.version) {
            return Err(stale());
        }
        let mut next = current.clone();
        if patch.website_id.is_some() {
            next.website_id = website_id;
        }
        next.email_scope_id = email_scope(&config, next.website_id);
        if let Some(email) = &patch.email {
            let (email, key) = normalize_email("email", email)?;
            if key != current.email_key {
                end_sessions(&mut next, now, patch.kept_session.as_ref());
            }
            next.email = email;
            next.email_key = key;
        }
        if let Some(group_id) = patch.group_id {
            next.group_id = customer_group(group_id)?;
        }
        if let Some(v) = &patch.firstname {
            next.firstname = required_text("firstname", "First Name", v, 255)?;
        }
        if let Some(v) = &patch.lastname {
            next.lastname = required_text("lastname", "Last Name", v, 255)?;
        }
        if let Some(v) = &patch.prefix {
            next.prefix = optional_text("prefix", "Name Prefix", v, 40)?;
        }
        if let Some(v) = &patch.middlename {
            next.middlename = optional_text("middlename", "Middle Name/Initial", v, 255)?;
        }
        if let Some(v) = &patch.suffix {
            next.suffix = optional_text("suffix", "Name Suffix", v, 40)?;
        }
        if let Some(v) = &patch.taxvat {
            next.taxvat = optional_text("taxvat", "Tax/VAT Number", v, 50)?;
        }
        if let Some(v) = patch.dob {
            next.dob = v;
        }
        if let Some(v) = patch.gender {
            next.gender = v.map(Gender::code);
        }
        if let Some(active) = patch.is_active {
            if current.is_active && !active {
                end_sessions(&mut next, now, None);
            }
            next.is_active = active;
        }
        if let Some(v) = patch.allow_remote_shopping_assistance {
            next.allow_remote_shopping_assistance = v;
        }
        if let Some(v) = patch.disable_auto_group_change {
            next.disable_auto_group_change = v;
        }
        rules.check_customer(
            &next.prefix,
            &next.suffix,
            &next.dob,
            &next.taxvat,
            next.gender.is_some(),
        )?;
        next.search_text = search_text(&next);
        let row = save(&txn, &current, next, now).await?;
        write_customer_values(&txn, id, &patch.custom_attributes, false).await?;
        if row.email_key != current.email_key
            && let Some(store) = &notice
        {
            // The notice goes to the old address, whose owner may not have made the change.
            notify(
                &txn,
                TemplateCode::EmailChanged,
                store,
                &row,
                Some(&current.email),
                json!({"new_email": row.email}),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(row.into())
    }

    /// Deletes a customer and their addresses.
    pub async fn delete(&self, id: i32) -> Result<()> {
        let result = customer::Entity::delete_by_id(id).exec(&self.db).await?;
        if result.rows_affected == 0 {
            return Err(Error::not_found("Customer", id));
        }
        tracing::info!(customer_id = id, "customer deleted");
        Ok(())
    }

    /// Clears a lockout.
    pub async fn unlock(&self, id: i32) -> Result<Customer> {
        let txn = begin_write(&self.db).await?;
        let current = find(&txn, id).await?;
        let mut next = current.clone();
        next.failures_num = 0;
        next.first_failure = None;
        next.lock_expires = None;
        let row = save(&txn, &current, next, self.clock.now()).await?;
        txn.commit().await?;
        Ok(row.into())
    }

    /// Number of customers in each of `group_ids`.
    pub async fn count_by_group(&self, group_ids: &[i32]) -> Result<HashMap<i32, u64>> {
        let rows: Vec<(i32, i64)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::GroupId)
            .column_as(
                Expr::from(Func::count(Expr::col(customer::Column::Id))),
                "n",
            )
            .filter(customer::Column::GroupId.is_in(group_ids.to_vec()))
            .group_by(customer::Column::GroupId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(group, n)| (group, u64::try_from(n).unwrap_or(0)))
            .collect())
    }
}

/// Customers belong to a real group: NOT LOGGED IN (0) is for guests only.
pub(crate) fn customer_group(id: i32) -> Result<i32> {
    if id == 0 {
        return Err(Error::invalid(
            "group_id",
            "Customers cannot be assigned to the NOT LOGGED IN group.",
        ));
    }
    Ok(id)
}

fn stale() -> Error {
    Error::Conflict("The customer was changed by someone else. Reload it and try again.".into())
}

pub(crate) async fn find(db: &impl ConnectionTrait, id: i32) -> Result<customer::Model> {
    customer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("Customer", id))
}

/// `next` as the revision after `current` made at `now`: the version counter advances.
pub(crate) fn revision(
    current: &customer::Model,
    mut next: customer::Model,
    now: DateTime<Utc>,
) -> customer::Model {
    next.id = current.id;
    next.version = current.version + 1;
    next.updated_at = now;
    next
}

/// Writes revisions made by [`revision`] in bulk; fails as stale (and the caller's transaction
/// must be rolled back) when any of the customers changed since it was read.
pub(crate) async fn save_all(
    db: &impl ConnectionTrait,
    revisions: &[customer::Model],
) -> Result<()> {
    let guard = Guard::<customer::Entity> {
        column: customer::Column::Version,
        expected: |m| (m.version - 1).into(),
    };
    let written = update_models(db, customer::Column::Id, Some(guard), revisions)
        .await
        .map_err(map_write_error)?;
    if written != revisions.len() as u64 {
        return Err(stale());
    }
    Ok(())
}

/// Writes `next` over `current` if the row is still at `current.version`, bumping the version
/// and stamping the change `now`.
pub(crate) async fn save(
    db: &impl ConnectionTrait,
    current: &customer::Model,
    mut next: customer::Model,
    now: DateTime<Utc>,
) -> Result<customer::Model> {
    next.version = current.version + 1;
    next.updated_at = now;
    let mut active = next.clone().into_active_model().reset_all();
    active.id = sea_orm::ActiveValue::Unchanged(current.id);
    active.created_at = sea_orm::ActiveValue::NotSet;
    let result = customer::Entity::update_many()
        .set(active)
        .filter(customer::Column::Id.eq(current.id))
        .filter(customer::Column::Version.eq(current.version))
        .exec(db)
        .await
        .map_err(map_write_error)?;
    if result.rows_affected == 0 {
        return Err(stale());
    }
    // A pending reset link must not outlive a new password, a new email or a deactivation: its
    // holder could otherwise take the account back.
    if next.password_hash != current.password_hash
        || next.email_key != current.email_key
        || (current.is_active && !next.is_active)
    {
        crate::entity::password_reset::Entity::delete_by_id(current.id)
            .exec(db)
            .await?;
    }
    Ok(next)
}
