//! Customer accounts: create, read, update (with optimistic locking), delete and unlock, the
//! newsletter subscriptions of an account, and what the crate lends its neighbours through their
//! ports.

mod erasure;
pub(crate) mod newsletter;
mod ports;
pub(crate) mod record;

use std::collections::HashMap;

use clientele_configuration::Scope;
use clientele_configuration::keys;
use clientele_kernel::db::begin_write;
use clientele_kernel::text::normalize_email;
use clientele_kernel::{Error, Result};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};

use crate::entity::customer;
use crate::model::{Customer, CustomerPatch, Gender, NewCustomer};
use crate::notices::{notify, welcome};
use crate::shared::Shared;
use crate::shopper::end_sessions;
use clientele_customer_attributes::write_customer_values;
use clientele_customer_rules::{Rules, optional_text, required_text};
use clientele_mail::TemplateCode;
use clientele_newsletter::subscribe_rows;
use newsletter::subscriber;
use record::{customer_group, email_scope, find, map_write_error, save, search_text, stale};
use serde_json::json;

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

/// Customer accounts: the record, its rules and its newsletter subscriptions.
#[derive(Clone)]
pub struct Accounts {
    shared: Shared,
}

impl Accounts {
    pub(crate) fn new(shared: Shared) -> Self {
        Self { shared }
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
        let config = self
            .shared
            .config
            .resolve(Scope::Website(website_id))
            .await?;
        Ok(email_scope(&config, website_id) == 0)
    }

    /// Whether an account of `website_id` (or of any website, with global account sharing)
    /// already uses `email`.
    pub async fn email_taken(&self, website_id: i32, email: &str) -> Result<bool> {
        Ok(self
            .shared
            .account_by_email(website_id, email)
            .await?
            .is_some())
    }

    /// The customer who signs in with `email` on `website_id` (following account sharing);
    /// `None` for an unknown or malformed email.
    pub async fn find_by_email(&self, website_id: i32, email: &str) -> Result<Option<Customer>> {
        match self.shared.account_by_email(website_id, email).await {
            Ok(found) => Ok(found.map(Into::into)),
            Err(Error::Invalid { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Creates a customer account with its sign-in credentials and, when asked, its newsletter
    /// subscription, in one transaction.
    pub(crate) async fn create_with(
        &self,
        input: NewCustomer,
        credentials: Credentials,
    ) -> Result<Customer> {
        let default_view = self.shared.stores.default_view().await?;
        let website_id = input.website_id.unwrap_or(default_view.website_id);
        let website = self
            .shared
            .stores
            .website(website_id)
            .await
            .map_err(|e| e.missing_as_invalid("website_id", "The website does not exist."))?;
        let store = match input.store_id {
            Some(id) => {
                let view = self.shared.stores.view(id).await.map_err(|e| {
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
            Some(view) => {
                self.shared
                    .config
                    .resolve(Scope::StoreView(view.id))
                    .await?
            }
            None => {
                self.shared
                    .config
                    .resolve(Scope::Website(website.id))
                    .await?
            }
        };
        let rules = Rules::from_config(&config, self.shared.clock.today());
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
        let now = self.shared.clock.now();
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
            (Some(view), true) => Some(self.shared.view_context(view.id).await?),
            _ => None,
        };
        let opt_in = match credentials.subscribe {
            true => Some(self.shared.newsletter.opt_in().await?),
            false => None,
        };
        let mut active = model.into_active_model();
        active.id = sea_orm::ActiveValue::NotSet;
        let txn = begin_write(&self.shared.db).await?;
        let row = active.insert(&txn).await.map_err(map_write_error)?;
        crate::emails::claim(&txn, [(&row).into()]).await?;
        clientele_events::record(&txn, now, crate::events::created(&row)).await?;
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
        let group = self.shared.stores.group(group_id).await?;
        match group.default_store_id {
            Some(view_id) => Ok(Some(self.shared.stores.view(view_id).await?)),
            None => Ok(None),
        }
    }

    /// One customer.
    pub async fn get(&self, id: i32) -> Result<Customer> {
        Ok(find(&self.shared.db, id).await?.into())
    }

    /// Changes a customer. With `expected_version`, the change applies only if nobody changed the
    /// record since it was read (otherwise CONFLICT). Deactivation and a new email end the
    /// customer's sessions.
    pub async fn update(&self, id: i32, patch: CustomerPatch) -> Result<Customer> {
        // Configuration and stores are read before the write transaction takes its connection.
        let website_id = match patch.website_id {
            Some(website_id) => {
                self.shared.stores.website(website_id).await.map_err(|e| {
                    e.missing_as_invalid("website_id", "The website does not exist.")
                })?;
                website_id
            }
            None => find(&self.shared.db, id).await?.website_id,
        };
        let (rules, config) = self.shared.website_rules(website_id).await?;
        // Where the "email changed" notice would go out, resolved before the write transaction.
        let notice = match &patch.email {
            Some(_) => {
                let owner = find(&self.shared.db, id).await?;
                // A website without any store view has no storefront to write from: no notice.
                match self.shared.store_context(&owner, None).await {
                    Ok(store) => Some(store),
                    Err(Error::Invalid { .. }) => None,
                    Err(other) => return Err(other),
                }
            }
            None => None,
        };
        let now = self.shared.clock.now();
        let txn = begin_write(&self.shared.db).await?;
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
        let txn = begin_write(&self.shared.db).await?;
        self.remove(&txn, id).await?;
        txn.commit().await?;
        tracing::info!(customer_id = id, "customer deleted");
        Ok(())
    }

    /// Clears a lockout.
    pub async fn unlock(&self, id: i32) -> Result<Customer> {
        let txn = begin_write(&self.shared.db).await?;
        let current = find(&txn, id).await?;
        let mut next = current.clone();
        next.failures_num = 0;
        next.first_failure = None;
        next.lock_expires = None;
        let row = save(&txn, &current, next, self.shared.clock.now()).await?;
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
            .all(&self.shared.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(group, n)| (group, u64::try_from(n).unwrap_or(0)))
            .collect())
    }
}
