//! Login as Customer on the storefront: `generateCustomerTokenAsAdmin` (Adobe Commerce's
//! LoginAsCustomerGraphQl, called with a staff bearer token) and `exchangeOtpForCustomerToken`
//! (Adobe Commerce as a Cloud Service: a one-time code from the admin API for a customer token).

use async_graphql::{Context, InputObject, Object, SimpleObject};
use clientele_assistance::{Assistant, Refusal, StoreChoice, Target};
use clientele_customers::SIGN_IN_FAILED;

use super::customer::{CustomerToken, NOT_AUTHORIZED};
use super::error::{StorefrontResult, category, storefront_error};
use crate::graphql::request::{ClientInfo, RequestStaff, RequestStore};
use crate::graphql::throttle::{Guarded, give_back, take};
use crate::services::Services;

/// Adobe Commerce's answer when the feature is off or the staff user's role lacks "Allow Login
/// as Customer Button" (its wording, final dots included).
pub(crate) const DISABLED: &str = "Login as Customer is disabled..";
/// Adobe Commerce's answer for an email no account of the store's website uses.
pub(crate) const UNKNOWN_EMAIL: &str = "Customer email provided does not exist";
/// Adobe Commerce's answer when the customer has not consented.
pub(crate) const NO_CONSENT: &str = "The user has not enabled the \"Allow remote shopping assistance\" functionality. Contact the customer to discuss this user configuration.";

/// Identifies which customer requires remote shopping assistance.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub struct GenerateCustomerTokenAsAdminInput {
    /// The email address of the customer requesting remote shopping assistance.
    customer_email: String,
}

/// Contains the generated customer token.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct GenerateCustomerTokenAsAdminOutput {
    /// The generated customer token.
    customer_token: String,
}

/// Login as Customer mutations.
#[derive(Default)]
pub struct AssistanceMutation;

#[Object]
impl AssistanceMutation {
    /// Request a customer token so that an administrator can perform remote shopping assistance.
    async fn generate_customer_token_as_admin(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An input object that defines the customer email address.")]
        input: GenerateCustomerTokenAsAdminInput,
    ) -> async_graphql::Result<Option<GenerateCustomerTokenAsAdminOutput>> {
        let email = input.customer_email.trim();
        if email.is_empty() {
            return Err(storefront_error(
                "Specify the \"customer email\" value.",
                category::INPUT,
            ));
        }
        let ip = ctx.data_opt::<ClientInfo>().map(|c| c.ip.clone());
        let assistant = ctx
            .data_opt::<RequestStaff>()
            .and_then(|s| s.0.as_ref())
            .and_then(|actor| Assistant::from_actor(actor, ip))
            .ok_or_else(|| storefront_error(NOT_AUTHORIZED, category::AUTHORIZATION))?;
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let target = Target::Email {
            website_id: view.website_id,
            email: email.to_owned(),
        };
        let outcome = services
            .assistance
            .sign_in_as(&assistant, target, StoreChoice::Current(view.id), None)
            .await
            .storefront()?;
        match outcome {
            Ok(signed) => Ok(Some(GenerateCustomerTokenAsAdminOutput {
                customer_token: signed.token,
            })),
            Err(refusal) => Err(refused(refusal)),
        }
    }

    /// Exchange a one-time code that staff generated for a customer token of a Login as Customer
    /// session. The code works once, for the customer it was generated for.
    async fn exchange_otp_for_customer_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's email address.")] email: String,
        #[graphql(desc = "The one-time code staff generated for the customer.")] otp: String,
    ) -> async_graphql::Result<Option<CustomerToken>> {
        if email.trim().is_empty() {
            return Err(storefront_error(
                "Specify the \"email\" value.",
                category::INPUT,
            ));
        }
        if otp.trim().is_empty() {
            return Err(storefront_error(
                "Specify the \"otp\" value.",
                category::INPUT,
            ));
        }
        let taken = take(ctx, Guarded::SignIn).await.storefront()?;
        match exchange(ctx, &email, otp.trim()).await? {
            Some(token) => {
                give_back(ctx, taken).await.storefront()?;
                Ok(Some(CustomerToken::new(token)))
            }
            None => Err(storefront_error(SIGN_IN_FAILED, category::AUTHENTICATION)),
        }
    }
}

/// Exchanges a one-time code of the customer who signs in with `email` in the request's store;
/// `None` when it is not one.
pub(crate) async fn exchange(
    ctx: &Context<'_>,
    email: &str,
    code: &str,
) -> async_graphql::Result<Option<String>> {
    let services = ctx.data::<Services>()?;
    let view = &ctx.data::<RequestStore>()?.0;
    let ip = ctx.data_opt::<ClientInfo>().map(|c| c.ip.clone());
    Ok(services
        .assistance
        .exchange_code(view.website_id, email, code, ip)
        .await
        .storefront()?
        .map(|signed| signed.token))
}

fn refused(refusal: Refusal) -> async_graphql::Error {
    match refusal {
        Refusal::Disabled | Refusal::NotPermitted => {
            storefront_error(DISABLED, category::AUTHORIZATION)
        }
        // A staff user learns nothing about accounts of websites their role does not cover.
        Refusal::UnknownCustomer | Refusal::WebsiteNotCovered => {
            storefront_error(UNKNOWN_EMAIL, category::INPUT)
        }
        Refusal::NoConsent => storefront_error(NO_CONSENT, category::AUTHORIZATION),
        Refusal::InactiveCustomer => {
            storefront_error("The customer account is inactive.", category::AUTHORIZATION)
        }
        Refusal::StoreViewRequired
        | Refusal::StoreViewInvalid
        | Refusal::ReasonRequired
        | Refusal::ReasonTooLong => storefront_error(
            "Unable to generate tokens. Please wait and try again later.",
            category::INPUT,
        ),
    }
}
