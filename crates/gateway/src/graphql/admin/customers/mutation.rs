//! The customer mutations of the admin API.

use async_graphql::{Context, Object};
use clientele_customers::{CustomerPatch, NewCustomer};
use clientele_staff::acl;

use crate::graphql::admin::attributes::value_inputs;
use crate::graphql::admin::error::AdminResult;
use crate::graphql::admin::guard::{Needs, actor, require_website, website_scope};
use crate::graphql::request::ClientInfo;
use crate::services::Services;

use super::inputs::{
    CreateCustomerInput, CustomerAddressInput, CustomerMassActionInput,
    MassAssignCustomerGroupInput, UpdateCustomerInput,
};
use super::objects::{
    AddressObject, CustomerObject, MassActionResult, NewsletterSubscription, address_with_values,
    visible_customer,
};
use crate::grid_filter::{parse_date, parse_gender};

/// Customer mutations.
#[derive(Default)]
pub(crate) struct CustomerMutation;

#[Object]
impl CustomerMutation {
    /// Creates a customer account.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerInput,
    ) -> async_graphql::Result<CustomerObject> {
        let services = ctx.data::<Services>()?;
        let website_id = match input.website_id {
            Some(id) => id,
            None => services.stores.default_view().await.admin()?.website_id,
        };
        require_website(ctx, website_id)?;
        let new = NewCustomer {
            website_id: input.website_id,
            store_id: input.store_id,
            group_id: input.group_id,
            email: input.email,
            prefix: input.prefix,
            firstname: input.firstname,
            middlename: input.middlename,
            lastname: input.lastname,
            suffix: input.suffix,
            dob: match input.dob.as_deref().filter(|d| !d.trim().is_empty()) {
                Some(d) => Some(parse_date("dob", d).admin()?),
                None => None,
            },
            taxvat: input.taxvat,
            gender: match input.gender {
                Some(g) => Some(parse_gender(g).admin()?),
                None => None,
            },
            is_active: input.is_active,
            allow_remote_shopping_assistance: input.allow_remote_shopping_assistance,
            disable_auto_group_change: input.disable_auto_group_change,
            custom_attributes: value_inputs(input.custom_attributes)?,
            send_welcome_email: input.send_welcome_email,
        };
        Ok(services.accounts.create(new).await.admin()?.into())
    }

    /// Changes a customer account.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        id: i32,
        input: UpdateCustomerInput,
    ) -> async_graphql::Result<CustomerObject> {
        let before = visible_customer(ctx, id).await?;
        if let Some(website_id) = input.website_id {
            require_website(ctx, website_id)?;
        }
        let services = ctx.data::<Services>()?;
        let consent = input
            .allow_remote_shopping_assistance
            .filter(|allow| *allow != before.allow_remote_shopping_assistance);
        let clearable = |v: Option<String>| v.map(|s| Some(s).filter(|s| !s.trim().is_empty()));
        let patch = CustomerPatch {
            expected_version: input.expected_version,
            website_id: input.website_id,
            group_id: input.group_id,
            email: input.email,
            prefix: clearable(input.prefix),
            firstname: input.firstname,
            middlename: clearable(input.middlename),
            lastname: input.lastname,
            suffix: clearable(input.suffix),
            dob: match input.dob {
                Some(d) if d.trim().is_empty() => Some(None),
                Some(d) => Some(Some(parse_date("dob", &d).admin()?)),
                None => None,
            },
            taxvat: clearable(input.taxvat),
            gender: match input.gender {
                Some(0) => Some(None),
                Some(g) => Some(Some(parse_gender(g).admin()?)),
                None => None,
            },
            is_active: input.is_active,
            allow_remote_shopping_assistance: input.allow_remote_shopping_assistance,
            disable_auto_group_change: input.disable_auto_group_change,
            custom_attributes: value_inputs(input.custom_attributes)?,
            kept_session: None,
        };
        let updated = services.accounts.update(id, patch).await.admin()?;
        // Consent given or withdrawn by staff on the customer's behalf goes to the Login as
        // Customer log, next to the sessions it allows.
        if let Some(granted) = consent {
            let ip = ctx.data_opt::<ClientInfo>().map(|c| c.ip.clone());
            if let Err(error) = services
                .assistance
                .record_consent_change(actor(ctx)?, &updated, granted, ip)
                .await
            {
                tracing::error!(?error, customer_id = id, "could not log a consent change");
            }
        }
        Ok(updated.into())
    }

    /// Deletes a customer account and its address book.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn delete_customer(&self, ctx: &Context<'_>, id: i32) -> async_graphql::Result<bool> {
        visible_customer(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        services.accounts.delete(id).await.admin()?;
        Ok(true)
    }

    /// Clears a customer's sign-in lockout.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn unlock_customer(
        &self,
        ctx: &Context<'_>,
        id: i32,
    ) -> async_graphql::Result<CustomerObject> {
        visible_customer(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        Ok(services.accounts.unlock(id).await.admin()?.into())
    }

    /// Adds an address to a customer's address book.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn create_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
        input: CustomerAddressInput,
    ) -> async_graphql::Result<AddressObject> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        let address = services
            .addresses
            .add_address(customer_id, input.into_domain()?)
            .await
            .admin()?;
        address_with_values(services, address).await
    }

    /// Changes an address of a customer's address book.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn update_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
        id: i32,
        input: CustomerAddressInput,
    ) -> async_graphql::Result<AddressObject> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        let address = services
            .addresses
            .update_address(customer_id, id, input.into_domain()?)
            .await
            .admin()?;
        address_with_values(services, address).await
    }

    /// Deletes an address of a customer's address book.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn delete_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
        id: i32,
    ) -> async_graphql::Result<bool> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        services
            .addresses
            .delete_address(customer_id, id)
            .await
            .admin()?;
        Ok(true)
    }

    /// Subscribes a customer to the newsletter (in `storeId`, or the account's store view).
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn subscribe_customer_to_newsletter(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
        store_id: Option<i32>,
    ) -> async_graphql::Result<Vec<NewsletterSubscription>> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        let subs = services
            .accounts
            .subscribe(customer_id, store_id)
            .await
            .admin()?;
        Ok(subs.into_iter().map(Into::into).collect())
    }

    /// Ends every active newsletter subscription of a customer.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn unsubscribe_customer_from_newsletter(
        &self,
        ctx: &Context<'_>,
        customer_id: i32,
    ) -> async_graphql::Result<Vec<NewsletterSubscription>> {
        visible_customer(ctx, customer_id).await?;
        let services = ctx.data::<Services>()?;
        let subs = services.accounts.unsubscribe(customer_id).await.admin()?;
        Ok(subs.into_iter().map(Into::into).collect())
    }

    /// Mass action: assigns a customer group.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn mass_assign_customer_group(
        &self,
        ctx: &Context<'_>,
        input: MassAssignCustomerGroupInput,
    ) -> async_graphql::Result<MassActionResult> {
        let services = ctx.data::<Services>()?;
        let selection = input.selection.selection(website_scope(ctx)?)?;
        let all = input.all_or_nothing.unwrap_or(false);
        let outcome = services
            .back_office
            .mass_assign_group(&selection, input.group_id, all)
            .await
            .admin()?;
        Ok(outcome.into())
    }

    /// Mass action: deletes customers (cannot be undone).
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn mass_delete_customers(
        &self,
        ctx: &Context<'_>,
        input: CustomerMassActionInput,
    ) -> async_graphql::Result<MassActionResult> {
        let services = ctx.data::<Services>()?;
        let selection = input.selection.selection(website_scope(ctx)?)?;
        let all = input.all_or_nothing.unwrap_or(false);
        Ok(services
            .back_office
            .mass_delete(&selection, all)
            .await
            .admin()?
            .into())
    }

    /// Mass action: subscribes customers to the newsletter.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn mass_subscribe_customers(
        &self,
        ctx: &Context<'_>,
        input: CustomerMassActionInput,
    ) -> async_graphql::Result<MassActionResult> {
        let services = ctx.data::<Services>()?;
        let selection = input.selection.selection(website_scope(ctx)?)?;
        let all = input.all_or_nothing.unwrap_or(false);
        Ok(services
            .back_office
            .mass_subscribe(&selection, all)
            .await
            .admin()?
            .into())
    }

    /// Mass action: ends every active newsletter subscription of the customers.
    #[graphql(guard = "Needs(&[acl::ALL_CUSTOMERS])")]
    async fn mass_unsubscribe_customers(
        &self,
        ctx: &Context<'_>,
        input: CustomerMassActionInput,
    ) -> async_graphql::Result<MassActionResult> {
        let services = ctx.data::<Services>()?;
        let selection = input.selection.selection(website_scope(ctx)?)?;
        let all = input.all_or_nothing.unwrap_or(false);
        Ok(services
            .back_office
            .mass_unsubscribe(&selection, all)
            .await
            .admin()?
            .into())
    }
}
