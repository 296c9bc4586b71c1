//! The signed-in shopper's account (`Query.customer`) and signing in and out
//! (`generateCustomerToken`, `revokeCustomerToken`), in Adobe Commerce's shapes and messages.

use async_graphql::{Context, Enum, Object, SimpleObject};
use clientele_configuration::Scope;
use clientele_customers::Customer as Account;

use super::CustomerGroupStorefront;
use super::error::{StorefrontResult, category, storefront_error};
use crate::graphql::request::{RequestShopper, RequestStore};
use crate::graphql::uid::encode_uid;
use crate::services::Services;

/// Adobe Commerce's answer when no customer is signed in.
pub(crate) const NOT_AUTHORIZED: &str = "The current customer isn't authorized.";

/// The signed-in customer's id, or Adobe Commerce's authorization error for guests.
pub(crate) fn current_customer(ctx: &Context<'_>) -> async_graphql::Result<i32> {
    ctx.data::<RequestShopper>()?
        .0
        .as_ref()
        .map(|s| s.customer_id)
        .ok_or_else(|| storefront_error(NOT_AUTHORIZED, category::AUTHORIZATION))
}

/// List of account confirmation statuses.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ConfirmationStatusEnum {
    /// Account confirmed
    AccountConfirmed,
    /// Account confirmation not required
    AccountConfirmationNotRequired,
}

/// Defines the customer name, addresses, and other details.
pub struct Customer {
    account: Account,
    confirmation_required: bool,
    share_group: bool,
}

impl Customer {
    /// Loads the signed-in customer, refusing locked and unconfirmed accounts as Adobe Commerce does.
    pub(crate) async fn load(ctx: &Context<'_>) -> async_graphql::Result<Self> {
        let id = current_customer(ctx)?;
        let services = ctx.data::<Services>()?;
        let account = services.customers.get(id).await.storefront()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let config = services
            .config
            .resolve(Scope::StoreView(view.id))
            .await
            .storefront()?;
        let confirmation_required = config.flag("customer/create_account/confirm");
        if account.locked_until.is_some() {
            return Err(storefront_error(
                "The account is locked.",
                category::AUTHENTICATION,
            ));
        }
        if account.confirmation_pending && confirmation_required {
            return Err(storefront_error(
                clientele_customers::NOT_CONFIRMED,
                category::AUTHENTICATION,
            ));
        }
        Ok(Self {
            account,
            confirmation_required,
            share_group: config.flag("customer/account_information/graphql_share_customer_group"),
        })
    }
}

#[Object(rename_fields = "snake_case")]
impl Customer {
    /// The ID assigned to the customer.
    #[graphql(
        deprecation = "`id` is not needed as part of `Customer`, because on the server side, it can be identified based on the customer token used for authentication. There is no need to know customer ID on the client side."
    )]
    async fn id(&self) -> Option<i32> {
        None
    }

    /// Timestamp indicating when the account was created.
    async fn created_at(&self) -> Option<String> {
        Some(
            self.account
                .created_at
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
        )
    }

    /// The customer group ID.
    #[graphql(deprecation = "Customer group should not be exposed in the storefront scenarios.")]
    async fn group_id(&self) -> Option<i32> {
        Some(self.account.group_id)
    }

    /// Customer group assigned to the customer
    async fn group(&self) -> Option<CustomerGroupStorefront> {
        self.share_group.then(|| CustomerGroupStorefront {
            uid: encode_uid(self.account.group_id),
        })
    }

    /// An honorific, such as Dr., Mr., or Mrs.
    async fn prefix(&self) -> Option<&str> {
        self.account.prefix.as_deref()
    }

    /// The customer's first name.
    async fn firstname(&self) -> Option<&str> {
        Some(&self.account.firstname)
    }

    /// The customer's middle name.
    async fn middlename(&self) -> Option<&str> {
        self.account.middlename.as_deref()
    }

    /// The customer's family name.
    async fn lastname(&self) -> Option<&str> {
        Some(&self.account.lastname)
    }

    /// A value such as Sr., Jr., or III.
    async fn suffix(&self) -> Option<&str> {
        self.account.suffix.as_deref()
    }

    /// The customer's email address. Required.
    async fn email(&self) -> Option<&str> {
        Some(&self.account.email)
    }

    /// The ID assigned to the billing address.
    async fn default_billing(&self) -> Option<String> {
        self.account.default_billing_id.map(|id| id.to_string())
    }

    /// The ID assigned to the shipping address.
    async fn default_shipping(&self) -> Option<String> {
        self.account.default_shipping_id.map(|id| id.to_string())
    }

    /// The customer's date of birth.
    #[graphql(deprecation = "Use `date_of_birth` instead.")]
    async fn dob(&self) -> Option<String> {
        self.account.dob.map(|d| d.to_string())
    }

    /// The customer's date of birth.
    async fn date_of_birth(&self) -> Option<String> {
        self.account.dob.map(|d| d.to_string())
    }

    /// The customer's Value-added tax (VAT) number (for corporate customers).
    async fn taxvat(&self) -> Option<&str> {
        self.account.taxvat.as_deref()
    }

    /// The customer's gender (Male - 1, Female - 2).
    async fn gender(&self) -> Option<i32> {
        self.account.gender.map(|g| i32::from(g.code()))
    }

    /// The customer's confirmation status.
    async fn confirmation_status(&self) -> ConfirmationStatusEnum {
        if self.confirmation_required {
            ConfirmationStatusEnum::AccountConfirmed
        } else {
            ConfirmationStatusEnum::AccountConfirmationNotRequired
        }
    }

    /// Whether the customer's email address is confirmed (or confirmation is not required).
    async fn is_confirmed(&self) -> Option<bool> {
        Some(!self.account.confirmation_pending)
    }

    /// Indicates whether the customer has enabled remote shopping assistance.
    async fn allow_remote_shopping_assistance(&self) -> bool {
        self.account.allow_remote_shopping_assistance
    }
}

/// Contains a customer authorization token.
#[derive(SimpleObject)]
pub struct CustomerToken {
    /// The customer authorization token.
    token: Option<String>,
}

/// Contains the result of a request to revoke a customer token.
#[derive(SimpleObject)]
pub struct RevokeCustomerTokenOutput {
    /// The result of a request to revoke a customer token.
    result: bool,
}

/// Root mutation of the storefront.
#[derive(Default)]
pub struct StorefrontMutation;

#[Object(name = "Mutation")]
impl StorefrontMutation {
    /// Generate a token for specified customer.
    async fn generate_customer_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's email address.")] email: String,
        #[graphql(desc = "The customer's password.")] password: String,
    ) -> async_graphql::Result<Option<CustomerToken>> {
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let signed_in = services
            .shoppers
            .sign_in(view.website_id, &email, &password)
            .await
            .storefront()?;
        Ok(Some(CustomerToken {
            token: Some(signed_in.token),
        }))
    }

    /// Revoke the customer token.
    async fn revoke_customer_token(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RevokeCustomerTokenOutput>> {
        let id = current_customer(ctx)?;
        let services = ctx.data::<Services>()?;
        services.shoppers.sign_out(id).await.storefront()?;
        Ok(Some(RevokeCustomerTokenOutput { result: true }))
    }
}
