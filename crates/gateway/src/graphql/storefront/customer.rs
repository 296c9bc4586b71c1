//! The signed-in shopper's account (`Query.customer`) and signing in and out
//! (`generateCustomerToken`, `revokeCustomerToken`), in Adobe Commerce's shapes and messages.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use clientele_configuration::Scope;
use clientele_configuration::keys;
use clientele_customers::{AttributeEntity, Customer as Account, SessionRef, SubscriptionStatus};

use super::address::{CustomerAddress, CustomerAddresses, address_page, all_addresses};
use super::assistance_actions::{AdminAssistanceActions, assistance_actions};
use super::attributes::{AttributeValueInterface, storefront_values, visible_values};

use super::CustomerGroupStorefront;
use super::error::{StorefrontResult, category, storefront_error, to_storefront};
use crate::graphql::request::{ClientInfo, RequestShopper, RequestStore};
use crate::graphql::throttle::{Guarded, give_back, take};
use crate::graphql::uid::encode_uid;
use crate::services::Services;
use clientele_assistance::is_one_time_code;

/// Adobe Commerce's answer when no customer is signed in.
pub(crate) const NOT_AUTHORIZED: &str = "The current customer isn't authorized.";

/// The signed-in customer's id, or Adobe Commerce's authorization error for guests.
pub(crate) fn current_customer(ctx: &Context<'_>) -> async_graphql::Result<i32> {
    ctx.data::<RequestShopper>()?
        .0
        .as_ref()
        .map(|s| s.customer_id)
        .ok_or_else(guest_refused)
}

/// Adobe Commerce's authorization error for a guest asking for what needs a signed-in customer,
/// logged as the security event it is.
pub(crate) fn guest_refused() -> async_graphql::Error {
    tracing::info!(
        outcome = "denied",
        "a guest asked for what needs a signed-in customer"
    );
    storefront_error(NOT_AUTHORIZED, category::AUTHORIZATION)
}

/// The signed-in shopper's session, or Adobe Commerce's authorization error for guests.
pub(crate) fn current_session<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a SessionRef> {
    ctx.data::<RequestShopper>()?
        .0
        .as_ref()
        .map(|s| &s.session)
        .ok_or_else(guest_refused)
}

/// The answer to operations a Login as Customer session may not run: credentials, consent,
/// closing the account.
pub(crate) const NOT_IN_ASSISTED_SESSION: &str =
    "This operation is not allowed while logged in as the customer.";

/// Whether the request runs in a Login as Customer session.
pub(crate) fn is_assisted(ctx: &Context<'_>) -> bool {
    ctx.data_opt::<RequestShopper>()
        .and_then(|s| s.0.as_ref())
        .is_some_and(|s| s.admin_id.is_some())
}

/// Refuses the operation in a Login as Customer session.
pub(crate) fn refuse_if_assisted(ctx: &Context<'_>) -> async_graphql::Result<()> {
    if is_assisted(ctx) {
        Err(storefront_error(
            NOT_IN_ASSISTED_SESSION,
            category::AUTHORIZATION,
        ))
    } else {
        Ok(())
    }
}

/// List of account confirmation statuses.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
#[allow(clippy::enum_variant_names)] // Adobe Commerce's value names
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
    website_id: i32,
    /// The date of birth as the client sent it in this request, which Adobe Commerce echoes.
    dob_as_sent: Option<String>,
}

impl Customer {
    /// The signed-in customer as read when the token was checked, for queries (which change
    /// nothing, so this request's first read is current enough).
    pub(crate) async fn current(ctx: &Context<'_>) -> async_graphql::Result<Self> {
        let account = ctx
            .data::<RequestShopper>()?
            .0
            .as_ref()
            .map(|s| s.account.clone())
            .ok_or_else(guest_refused)?;
        Self::checked(ctx, account).await
    }

    /// Reads the signed-in customer afresh (mutations act on the latest state, lock included),
    /// refusing locked and unconfirmed accounts as Adobe Commerce does.
    pub(crate) async fn load(ctx: &Context<'_>) -> async_graphql::Result<Self> {
        let id = current_customer(ctx)?;
        let services = ctx.data::<Services>()?;
        let account = services.accounts.get(id).await.storefront()?;
        Self::checked(ctx, account).await
    }

    async fn checked(ctx: &Context<'_>, account: Account) -> async_graphql::Result<Self> {
        let customer = Self::of(ctx, account).await?;
        let now = ctx.data::<Services>()?.clock.now();
        if customer.account.locked_until(now).is_some() {
            return Err(storefront_error(
                clientele_customers::ACCOUNT_LOCKED,
                category::AUTHENTICATION,
            ));
        }
        if customer.account.confirmation_pending && customer.confirmation_required {
            return Err(storefront_error(
                clientele_customers::NOT_CONFIRMED,
                category::AUTHENTICATION,
            ));
        }
        Ok(customer)
    }

    /// The storefront view of an account just written (a mutation's answer).
    pub(crate) async fn of(ctx: &Context<'_>, account: Account) -> async_graphql::Result<Self> {
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let config = services
            .config
            .resolve(Scope::StoreView(view.id))
            .await
            .storefront()?;
        Ok(Self {
            account,
            confirmation_required: config.flag(keys::customer::CREATE_ACCOUNT_CONFIRM),
            share_group: config
                .flag(keys::customer::ACCOUNT_INFORMATION_GRAPHQL_SHARE_CUSTOMER_GROUP),
            website_id: view.website_id,
            dob_as_sent: None,
        })
    }

    /// Answers `date_of_birth` with the text the client sent, as Adobe Commerce does.
    pub(crate) fn with_dob_as_sent(mut self, text: Option<String>) -> Self {
        self.dob_as_sent = text.filter(|t| !t.trim().is_empty());
        self
    }

    fn date_of_birth_text(&self) -> Option<String> {
        match (&self.dob_as_sent, self.account.dob) {
            (Some(text), Some(_)) => Some(text.clone()),
            (_, dob) => dob.map(|d| d.to_string()),
        }
    }

    /// The account behind the view.
    pub(crate) fn into_account(self) -> Account {
        self.account
    }
}

#[Object(rename_fields = "snake_case")]
impl Customer {
    /// The unique ID assigned to the customer.
    async fn id(&self) -> ID {
        encode_uid(self.account.id)
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
        self.date_of_birth_text()
    }

    /// The customer's date of birth.
    async fn date_of_birth(&self) -> Option<String> {
        self.date_of_birth_text()
    }

    /// The customer's Value-added tax (VAT) number (for corporate customers).
    async fn taxvat(&self) -> Option<&str> {
        self.account.taxvat.as_deref()
    }

    /// The customer's gender (Male - 1, Female - 2).
    async fn gender(&self) -> Option<i32> {
        self.account.gender.map(|g| i32::from(g.code()))
    }

    /// Actions performed by an admin on behalf of the customer (Login as Customer logging).
    async fn admin_assistance_actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "currentPage",
            default = 1,
            desc = "Specifies which page of results to return. The default value is 1."
        )]
        current_page: Option<i32>,
        #[graphql(
            name = "pageSize",
            default = 20,
            desc = "Specifies the maximum number of results to return at once. The default value is 20."
        )]
        page_size: Option<i32>,
    ) -> async_graphql::Result<AdminAssistanceActions> {
        let services = ctx.data::<Services>()?;
        assistance_actions(
            services,
            self.account.id,
            current_page.unwrap_or(1),
            page_size.unwrap_or(20),
        )
        .await
    }

    /// The customer's confirmation status.
    async fn confirmation_status(&self) -> ConfirmationStatusEnum {
        match (
            self.confirmation_required,
            self.account.confirmation_pending,
        ) {
            (true, false) => ConfirmationStatusEnum::AccountConfirmed,
            // Adobe Commerce's enum has no value for an account awaiting confirmation; its data
            // says "not required" while a confirmation key is pending, and `is_confirmed` tells.
            (false, _) | (true, true) => ConfirmationStatusEnum::AccountConfirmationNotRequired,
        }
    }

    /// Indicates whether the customer is subscribed to the company's newsletter.
    async fn is_subscribed(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<bool>> {
        let services = ctx.data::<Services>()?;
        let subscriptions = services
            .accounts
            .subscriptions(self.account.id)
            .await
            .storefront()?;
        let views = services.stores.views().await.storefront()?;
        let in_website = |store_id: i32| {
            views
                .iter()
                .any(|v| v.id == store_id && v.website_id == self.website_id)
        };
        Ok(Some(subscriptions.iter().any(|s| {
            s.status == SubscriptionStatus::Subscribed && in_website(s.store_id)
        })))
    }

    /// An array containing the customer's shipping and billing addresses.
    async fn addresses(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<CustomerAddress>>> {
        let services = ctx.data::<Services>()?;
        all_addresses(services, self.account.id).await.map(Some)
    }

    /// An array containing the customer's shipping and billing addresses.
    #[graphql(name = "addressesV2")]
    async fn addresses_v2(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "currentPage",
            default = 1,
            desc = "Specifies which page of results to return. The default value is 1."
        )]
        current_page: Option<i32>,
        #[graphql(
            name = "pageSize",
            default = 5,
            desc = "Specifies the maximum number of results to return at once. The default value is 5."
        )]
        page_size: Option<i32>,
    ) -> async_graphql::Result<Option<CustomerAddresses>> {
        let services = ctx.data::<Services>()?;
        // An explicit null asks for the default, as an omitted argument does.
        let (current_page, page_size) = (current_page.unwrap_or(1), page_size.unwrap_or(5));
        address_page(services, self.account.id, current_page, page_size)
            .await
            .map(Some)
    }

    /// Customer's custom attributes.
    async fn custom_attributes(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "attributeCodes")] attribute_codes: Option<Vec<ID>>,
    ) -> async_graphql::Result<Option<Vec<Option<AttributeValueInterface>>>> {
        let services = ctx.data::<Services>()?;
        let values = visible_values(services, AttributeEntity::Customer, &[self.account.id])
            .await?
            .remove(&self.account.id)
            .unwrap_or_default();
        Ok(Some(
            storefront_values(
                AttributeEntity::Customer,
                &values,
                attribute_codes.as_deref(),
            )
            .into_iter()
            .map(Some)
            .collect(),
        ))
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

impl CustomerToken {
    /// Wraps a token.
    pub(crate) fn new(token: String) -> Self {
        Self { token: Some(token) }
    }
}

/// Contains the result of a request to revoke a customer token.
#[derive(SimpleObject)]
pub struct RevokeCustomerTokenOutput {
    /// The result of a request to revoke a customer token.
    result: bool,
}

/// Signing in and out.
#[derive(Default)]
pub struct TokenMutation;

#[Object]
impl TokenMutation {
    /// Generate a token for specified customer.
    async fn generate_customer_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's email address.")] email: String,
        #[graphql(desc = "The customer's password.")] password: String,
    ) -> async_graphql::Result<Option<CustomerToken>> {
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let taken = take(ctx, Guarded::SignIn).await.storefront()?;
        // Adobe Commerce as a Cloud Service also takes a Login as Customer one-time code in
        // place of the password.
        if is_one_time_code(&password)
            && let Some(token) = super::assistance::exchange(ctx, &email, &password).await?
        {
            give_back(ctx, taken).await.storefront()?;
            return Ok(Some(CustomerToken::new(token)));
        }
        let signed_in = match services
            .shoppers
            .sign_in(view.website_id, &email, &password)
            .await
        {
            Ok(signed_in) => signed_in,
            Err(e) => {
                // Only failed sign-ins count against the client, not refusals of bad input.
                if !matches!(e, clientele_kernel::Error::Unauthenticated(_)) {
                    give_back(ctx, taken).await.storefront()?;
                }
                return Err(to_storefront(e));
            }
        };
        give_back(ctx, taken).await.storefront()?;
        // Sign-in itself recorded the activity; a visitor of this browser becomes the customer.
        super::online::customer_arrived(
            ctx,
            signed_in.customer_id,
            super::online::Arrival::SignedIn,
        )
        .await;
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
        let shopper = ctx.data::<RequestShopper>()?.0.as_ref();
        match shopper.filter(|s| s.admin_id.is_some()) {
            // Signing out of a Login as Customer session ends that session only; the customer's
            // own sign-ins stay.
            Some(assisted) => {
                let ip = ctx.data_opt::<ClientInfo>().map(|c| c.ip.clone());
                services
                    .assistance
                    .end_session(&assisted.session.id, id, ip)
                    .await
                    .storefront()?;
            }
            None => services.shoppers.sign_out(id).await.storefront()?,
        }
        Ok(Some(RevokeCustomerTokenOutput { result: true }))
    }
}
