//! Email confirmation and password reset on the storefront: `confirmEmail`,
//! `resendConfirmationEmail`, `requestPasswordResetEmail` and `resetPassword`, with Adobe
//! Commerce's arguments and messages.

use async_graphql::{Context, InputObject, Object};
use clientele_kernel::text::normalize_email;

use super::account::CustomerOutput;
use super::customer::{Customer, refuse_if_assisted};
use super::error::{StorefrontResult, category, storefront_error, to_storefront};
use crate::graphql::request::{ClientInfo, RequestStore};
use crate::graphql::throttle::{Guarded, PerAddress, give_back, take, take_for_address};
use crate::services::Services;

/// Contains details about a customer email address to confirm.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub struct ConfirmEmailInput {
    /// The email address to be confirmed.
    email: String,
    /// The key to confirm the email address.
    confirmation_key: String,
}

/// The email of a reset request or reset, with Adobe Commerce's two messages.
fn reset_email(email: &str) -> async_graphql::Result<()> {
    if email.trim().is_empty() {
        return Err(storefront_error(
            "You must specify an email address.",
            category::INPUT,
        ));
    }
    normalize_email("email", email)
        .map(|_| ())
        .map_err(|_| storefront_error("The email address has an invalid format.", category::INPUT))
}

/// Storefront confirmation and reset mutations.
#[derive(Default)]
pub struct RecoveryMutation;

#[Object]
impl RecoveryMutation {
    /// Confirms the email address for a customer.
    async fn confirm_email(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An input object to identify the customer to confirm the email.")]
        input: ConfirmEmailInput,
    ) -> async_graphql::Result<Option<CustomerOutput>> {
        if normalize_email("email", &input.email).is_err() {
            return Err(storefront_error("Email is invalid", category::INPUT));
        }
        // Wrong keys count like failed sign-ins, so the answers cannot be mined for accounts, and
        // against the address, so one account's key cannot be guessed from many networks.
        let for_address = take_for_address(ctx, PerAddress::ConfirmationKeys, &input.email)
            .await
            .storefront()?;
        let taken = take(ctx, Guarded::SignIn).await.storefront()?;
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let account = services
            .shoppers
            .confirm_email(view.website_id, &input.email, &input.confirmation_key)
            .await
            .map_err(to_storefront)?;
        give_back(ctx, taken).await.storefront()?;
        give_back(ctx, for_address).await.storefront()?;
        Ok(Some(CustomerOutput::new(Customer::of(ctx, account).await?)))
    }

    /// Resends the confirmation email to a customer.
    async fn resend_confirmation_email(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The email address to send the confirmation email to.")] email: String,
    ) -> async_graphql::Result<Option<bool>> {
        if normalize_email("email", &email).is_err() {
            return Err(storefront_error(
                "Email address is not valid",
                category::INPUT,
            ));
        }
        take(ctx, Guarded::SignUp).await.storefront()?;
        take_for_address(ctx, PerAddress::ConfirmationEmails, &email)
            .await
            .storefront()?;
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        services
            .shoppers
            .resend_confirmation(view.website_id, &email)
            .await
            .storefront()?;
        Ok(Some(true))
    }

    /// Request an email with a reset password token for the registered customer identified by the specified email.
    async fn request_password_reset_email(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's email address.")] email: String,
    ) -> async_graphql::Result<Option<bool>> {
        refuse_if_assisted(ctx)?;
        reset_email(&email)?;
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let ip = ctx
            .data_opt::<ClientInfo>()
            .map(|c| c.ip.clone())
            .unwrap_or_default();
        services
            .shoppers
            .request_password_reset(view.id, &email, &ip)
            .await
            .storefront()?;
        Ok(Some(true))
    }

    /// Reset a customer's password using the reset password token that the customer received in an email after requesting it using `requestPasswordResetEmail`.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's email address.")] email: String,
        #[graphql(
            name = "resetPasswordToken",
            desc = "A runtime token generated by the `requestPasswordResetEmail` mutation."
        )]
        reset_password_token: String,
        #[graphql(name = "newPassword", desc = "The customer's new password.")]
        new_password: String,
    ) -> async_graphql::Result<Option<bool>> {
        refuse_if_assisted(ctx)?;
        reset_email(&email)?;
        if reset_password_token.trim().is_empty() {
            return Err(storefront_error(
                "resetPasswordToken must be specified",
                category::INPUT,
            ));
        }
        if new_password.is_empty() {
            return Err(storefront_error(
                "newPassword must be specified",
                category::INPUT,
            ));
        }
        // Wrong tokens count like failed sign-ins of the client, and against the address, so
        // one account's token cannot be guessed from many networks either.
        let for_address = take_for_address(ctx, PerAddress::ResetTokens, &email)
            .await
            .storefront()?;
        let taken = take(ctx, Guarded::SignIn).await.storefront()?;
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        let reset = services
            .shoppers
            .reset_password(
                view.website_id,
                &email,
                &reset_password_token,
                &new_password,
            )
            .await;
        let wrong_token = matches!(
            &reset,
            Err(clientele_kernel::Error::Invalid { field, .. }) if field == "resetPasswordToken"
        );
        if !wrong_token {
            give_back(ctx, taken).await.storefront()?;
            give_back(ctx, for_address).await.storefront()?;
        }
        reset.storefront()?;
        Ok(Some(true))
    }
}
