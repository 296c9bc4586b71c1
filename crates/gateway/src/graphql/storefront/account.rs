//! Shoppers' own accounts: sign-up (`createCustomer`, `createCustomerV2`), edits (`updateCustomer`,
//! `updateCustomerV2`, `updateCustomerEmail`, `changeCustomerPassword`), closing the account
//! (`deleteCustomer`) and `isEmailAvailable`, with Adobe Commerce's inputs, checks and messages.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use clientele_configuration::Scope;
use clientele_configuration::keys;
use clientele_customers::{
    AttributeEntity, CustomerPatch, Form, Gender, NewCustomer, Registration,
};
use clientele_kernel::Error;
use clientele_kernel::text::normalize_email;

use super::attributes::form_values;
use super::customer::{
    Customer, NOT_IN_ASSISTED_SESSION, current_customer, current_session, is_assisted,
    refuse_if_assisted,
};
use super::error::{StorefrontResult, category, storefront_error, to_storefront};
use crate::graphql::request::RequestStore;
use crate::graphql::throttle::{Guarded, take};
use crate::services::Services;

/// Adobe Commerce's answer to a missing or empty `input`.
const INPUT_REQUIRED: &str = "\"input\" value should be specified";

/// An input object that assigns or updates customer attributes.
#[derive(InputObject, Default)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerInput {
    /// An honorific, such as Dr., Mr., or Mrs.
    prefix: Option<String>,
    /// The customer's first name.
    firstname: Option<String>,
    /// The customer's middle name.
    middlename: Option<String>,
    /// The customer's family name.
    lastname: Option<String>,
    /// A value such as Sr., Jr., or III.
    suffix: Option<String>,
    /// The customer's email address. Required when creating a customer.
    email: Option<String>,
    /// The customer's date of birth.
    #[graphql(deprecation = "Use `date_of_birth` instead.")]
    dob: Option<String>,
    /// The customer's date of birth.
    date_of_birth: Option<String>,
    /// The customer's Tax/VAT number (for corporate customers).
    taxvat: Option<String>,
    /// The customer's gender (Male - 1, Female - 2).
    gender: Option<i32>,
    /// The customer's password.
    password: Option<String>,
    /// Indicates whether the customer is subscribed to the company's newsletter.
    is_subscribed: Option<bool>,
}

/// An input object for creating a customer.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerCreateInput {
    /// An honorific, such as Dr., Mr., or Mrs.
    prefix: Option<String>,
    /// The customer's first name.
    firstname: String,
    /// The customer's middle name.
    middlename: Option<String>,
    /// The customer's family name.
    lastname: String,
    /// A value such as Sr., Jr., or III.
    suffix: Option<String>,
    /// The customer's email address.
    email: String,
    /// The customer's date of birth.
    #[graphql(deprecation = "Use `date_of_birth` instead.")]
    dob: Option<String>,
    /// The customer's date of birth.
    date_of_birth: Option<String>,
    /// The customer's Tax/VAT number (for corporate customers).
    taxvat: Option<String>,
    /// The customer's gender (Male - 1, Female - 2).
    gender: Option<i32>,
    /// The customer's password.
    password: Option<String>,
    /// Indicates whether the customer is subscribed to the company's newsletter.
    is_subscribed: Option<bool>,
    /// The customer's custom attributes.
    custom_attributes: Option<Vec<Option<AttributeValueInputObject>>>,
    /// Indicates whether the customer has enabled remote shopping assistance.
    allow_remote_shopping_assistance: Option<bool>,
}

/// An input object for updating a customer.
#[derive(InputObject, Default)]
#[graphql(rename_fields = "snake_case")]
pub struct CustomerUpdateInput {
    /// The customer's date of birth.
    date_of_birth: Option<String>,
    /// The customer's date of birth.
    #[graphql(deprecation = "Use `date_of_birth` instead.")]
    dob: Option<String>,
    /// The customer's first name.
    firstname: Option<String>,
    /// The customer's gender (Male - 1, Female - 2).
    gender: Option<i32>,
    /// Indicates whether the customer is subscribed to the company's newsletter.
    is_subscribed: Option<bool>,
    /// The customer's family name.
    lastname: Option<String>,
    /// The customer's middle name.
    middlename: Option<String>,
    /// An honorific, such as Dr., Mr., or Mrs.
    prefix: Option<String>,
    /// A value such as Sr., Jr., or III.
    suffix: Option<String>,
    /// The customer's Tax/VAT number (for corporate customers).
    taxvat: Option<String>,
    /// The customer's custom attributes.
    custom_attributes: Option<Vec<Option<AttributeValueInputObject>>>,
    /// Indicates whether the customer has enabled remote shopping assistance.
    allow_remote_shopping_assistance: Option<bool>,
}

/// Specifies the value for attribute.
#[derive(InputObject)]
#[graphql(name = "AttributeValueInput", rename_fields = "snake_case")]
pub struct AttributeValueInputObject {
    /// The code of the attribute.
    attribute_code: String,
    /// The value assigned to the attribute.
    value: Option<String>,
    /// An array containing selected options for a select or multiselect attribute.
    selected_options: Option<Vec<Option<AttributeInputSelectedOption>>>,
}

impl AttributeValueInputObject {
    /// A plain value (the deprecated address input form).
    pub(crate) fn plain(attribute_code: String, value: String) -> Self {
        Self {
            attribute_code,
            value: Some(value),
            selected_options: None,
        }
    }

    /// The code and the value as stored (selected options joined by commas).
    pub(crate) fn into_parts(self) -> (String, String) {
        let value = match (self.value, self.selected_options) {
            (Some(v), _) => v,
            (None, Some(options)) => options
                .into_iter()
                .flatten()
                .map(|o| o.value)
                .collect::<Vec<_>>()
                .join(","),
            (None, None) => String::new(),
        };
        (self.attribute_code, value)
    }
}

/// Specifies selected option for a select or multiselect attribute value.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub struct AttributeInputSelectedOption {
    /// The attribute option value.
    value: String,
}

/// Contains details about a newly-created or updated customer.
#[derive(SimpleObject)]
pub struct CustomerOutput {
    /// Customer details after creating or updating a customer.
    customer: Customer,
}

impl CustomerOutput {
    /// The answer carrying `customer`.
    pub(crate) fn new(customer: Customer) -> Self {
        Self { customer }
    }
}

/// Contains the result of the `isEmailAvailable` query.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub struct IsEmailAvailableOutput {
    /// Indicates whether the specified email address can be used to create a customer.
    is_email_available: Option<bool>,
}

/// The customer fields every sign-up and edit form may carry, read from either input version.
#[derive(Default)]
pub(crate) struct Fields {
    prefix: Option<String>,
    firstname: Option<String>,
    middlename: Option<String>,
    lastname: Option<String>,
    suffix: Option<String>,
    email: Option<String>,
    date_of_birth: Option<String>,
    taxvat: Option<String>,
    gender: Option<i32>,
    password: Option<String>,
    is_subscribed: Option<bool>,
    custom_attributes: Option<Vec<AttributeValueInputObject>>,
    allow_remote_shopping_assistance: Option<bool>,
}

impl Fields {
    fn is_empty(&self) -> bool {
        self.prefix.is_none()
            && self.firstname.is_none()
            && self.middlename.is_none()
            && self.lastname.is_none()
            && self.suffix.is_none()
            && self.email.is_none()
            && self.date_of_birth.is_none()
            && self.taxvat.is_none()
            && self.gender.is_none()
            && self.password.is_none()
            && self.is_subscribed.is_none()
            && self.custom_attributes.is_none()
            && self.allow_remote_shopping_assistance.is_none()
    }

    /// Adobe Commerce's required-field check: on sign-up every required field must be given; on
    /// an edit, only the fields sent must not be empty.
    fn check_required(&self, creating: bool) -> async_graphql::Result<()> {
        let blank = |v: &Option<String>| match v {
            Some(v) => v.trim().is_empty(),
            None => creating,
        };
        let mut missing = Vec::new();
        if blank(&self.firstname) {
            missing.push("First Name");
        }
        if blank(&self.lastname) {
            missing.push("Last Name");
        }
        if blank(&self.email) {
            missing.push("Email");
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(storefront_error(
                format!("Required parameters are missing: {}", missing.join(", ")),
                category::INPUT,
            ))
        }
    }

    fn email_checked(&self) -> async_graphql::Result<Option<String>> {
        match &self.email {
            Some(email) => normalize_email("email", email)
                .map(|(email, _)| Some(email))
                .storefront(),
            None => Ok(None),
        }
    }

    fn gender(&self) -> async_graphql::Result<Option<Option<Gender>>> {
        match self.gender {
            None => Ok(None),
            Some(0) => Ok(Some(None)),
            Some(code) => i16::try_from(code)
                .ok()
                .and_then(Gender::from_code)
                .map(|g| Some(Some(g)))
                .ok_or_else(|| {
                    storefront_error(
                        format!("\"{code}\" is not a valid gender value."),
                        category::INPUT,
                    )
                }),
        }
    }

    fn dob(&self) -> async_graphql::Result<Option<Option<NaiveDate>>> {
        match self.date_of_birth.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Ok(Some(None)),
            Some(text) => parse_date(text)
                .map(|d| Some(Some(d)))
                .ok_or_else(|| storefront_error("Invalid date", category::INPUT)),
        }
    }
}

impl From<CustomerInput> for Fields {
    fn from(i: CustomerInput) -> Self {
        Self {
            prefix: i.prefix,
            firstname: i.firstname,
            middlename: i.middlename,
            lastname: i.lastname,
            suffix: i.suffix,
            email: i.email,
            date_of_birth: i.date_of_birth.or(i.dob),
            taxvat: i.taxvat,
            gender: i.gender,
            password: i.password,
            is_subscribed: i.is_subscribed,
            custom_attributes: None,
            allow_remote_shopping_assistance: None,
        }
    }
}

impl From<CustomerCreateInput> for Fields {
    fn from(i: CustomerCreateInput) -> Self {
        Self {
            prefix: i.prefix,
            firstname: Some(i.firstname),
            middlename: i.middlename,
            lastname: Some(i.lastname),
            suffix: i.suffix,
            email: Some(i.email),
            date_of_birth: i.date_of_birth.or(i.dob),
            taxvat: i.taxvat,
            gender: i.gender,
            password: i.password,
            is_subscribed: i.is_subscribed,
            custom_attributes: i
                .custom_attributes
                .map(|v| v.into_iter().flatten().collect()),
            allow_remote_shopping_assistance: i.allow_remote_shopping_assistance,
        }
    }
}

impl From<CustomerUpdateInput> for Fields {
    fn from(i: CustomerUpdateInput) -> Self {
        Self {
            prefix: i.prefix,
            firstname: i.firstname,
            middlename: i.middlename,
            lastname: i.lastname,
            suffix: i.suffix,
            email: None,
            date_of_birth: i.date_of_birth.or(i.dob),
            taxvat: i.taxvat,
            gender: i.gender,
            password: None,
            is_subscribed: i.is_subscribed,
            custom_attributes: i
                .custom_attributes
                .map(|v| v.into_iter().flatten().collect()),
            allow_remote_shopping_assistance: i.allow_remote_shopping_assistance,
        }
    }
}

/// Dates as storefronts send them: `YYYY-MM-DD` (optionally with a time) or the US `M/D/YYYY`.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let day = text.split([' ', 'T']).next().unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day, "%m/%d/%Y"))
        .ok()
}

/// Storefront account mutations.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Create a customer account.
    #[graphql(deprecation = "Use `createCustomerV2` instead.")]
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An input object that defines the customer to be created.")]
        input: CustomerInput,
    ) -> async_graphql::Result<Option<CustomerOutput>> {
        create(ctx, input.into()).await.map(Some)
    }

    /// Create a customer account.
    async fn create_customer_v2(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An input object that defines the customer to be created.")]
        input: CustomerCreateInput,
    ) -> async_graphql::Result<Option<CustomerOutput>> {
        create(ctx, input.into()).await.map(Some)
    }

    /// Update the customer's personal information.
    #[graphql(deprecation = "Use `updateCustomerV2` instead.")]
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An input object that defines the customer characteristics to update.")]
        input: CustomerInput,
    ) -> async_graphql::Result<Option<CustomerOutput>> {
        update(ctx, input.into()).await.map(Some)
    }

    /// Update the customer's personal information.
    async fn update_customer_v2(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An input object that defines the customer characteristics to update.")]
        input: CustomerUpdateInput,
    ) -> async_graphql::Result<Option<CustomerOutput>> {
        update(ctx, input.into()).await.map(Some)
    }

    /// Change the email address for the logged-in customer.
    async fn update_customer_email(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's email address.")] email: String,
        #[graphql(desc = "The customer's password.")] password: String,
    ) -> async_graphql::Result<Option<CustomerOutput>> {
        let id = current_customer(ctx)?;
        refuse_if_assisted(ctx)?;
        Customer::load(ctx).await?;
        let services = ctx.data::<Services>()?;
        normalize_email("email", &email).storefront()?;
        let account = services
            .shoppers
            .change_email(id, current_session(ctx)?, &email, &password)
            .await
            .storefront()?;
        Ok(Some(CustomerOutput {
            customer: Customer::of(ctx, account).await?,
        }))
    }

    /// Change the password for the logged-in customer.
    async fn change_customer_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "currentPassword", desc = "The customer's original password.")]
        current_password: String,
        #[graphql(name = "newPassword", desc = "The customer's updated password.")]
        new_password: String,
    ) -> async_graphql::Result<Option<Customer>> {
        let id = current_customer(ctx)?;
        refuse_if_assisted(ctx)?;
        if current_password.trim().is_empty() {
            return Err(storefront_error(
                "Specify the \"currentPassword\" value.",
                category::INPUT,
            ));
        }
        if new_password.trim().is_empty() {
            return Err(storefront_error(
                "Specify the \"newPassword\" value.",
                category::INPUT,
            ));
        }
        let services = ctx.data::<Services>()?;
        let account = services
            .shoppers
            .change_password(id, current_session(ctx)?, &current_password, &new_password)
            .await
            .storefront()?;
        Customer::of(ctx, account).await.map(Some)
    }

    /// Delete customer account
    async fn delete_customer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<bool>> {
        let id = current_customer(ctx)?;
        refuse_if_assisted(ctx)?;
        Customer::load(ctx).await?;
        let services = ctx.data::<Services>()?;
        services
            .shoppers
            .ensure_may_close_account(id)
            .await
            .storefront()?;
        services
            .privacy
            .erase(id, DELETED_BY_THE_CUSTOMER)
            .await
            .storefront()?;
        Ok(Some(true))
    }
}

/// The reason recorded for an account its owner deleted.
const DELETED_BY_THE_CUSTOMER: &str = "Deleted by the customer (deleteCustomer).";

async fn create(ctx: &Context<'_>, fields: Fields) -> async_graphql::Result<CustomerOutput> {
    refuse_if_assisted(ctx)?;
    if fields.is_empty() {
        return Err(storefront_error(INPUT_REQUIRED, category::INPUT));
    }
    // Every attempt counts, so probing which emails are taken is throttled too.
    take(ctx, Guarded::SignUp).await.storefront()?;
    let (registration, dob_text) = registration(ctx, fields).await?;
    let services = ctx.data::<Services>()?;
    // Every sign-up refusal is an input error, a taken email included.
    let account = services
        .shoppers
        .register(registration)
        .await
        .map_err(|e| match e {
            Error::Conflict(message) => storefront_error(message, category::INPUT),
            other => to_storefront(other),
        })?;
    // Registering signs the shopper in, unless the email must be confirmed first.
    if !account.confirmation_pending {
        super::online::customer_arrived(ctx, account.id, super::online::Arrival::Registered).await;
    }
    Ok(CustomerOutput {
        customer: Customer::of(ctx, account).await?.with_dob_as_sent(dob_text),
    })
}

/// A sign-up's fields checked and turned into a registration in the request's store view, with
/// the date of birth as sent (which Adobe Commerce echoes).
pub(crate) async fn registration(
    ctx: &Context<'_>,
    fields: Fields,
) -> async_graphql::Result<(Registration, Option<String>)> {
    fields.check_required(true)?;
    let email = fields.email_checked()?.unwrap_or_default();
    let gender = fields.gender()?.flatten();
    let dob = fields.dob()?.flatten();
    let dob_text = fields.date_of_birth.clone();
    let services = ctx.data::<Services>()?;
    let view = &ctx.data::<RequestStore>()?.0;
    let custom_attributes = form_values(
        services,
        AttributeEntity::Customer,
        Form::CustomerAccountCreate,
        fields.custom_attributes,
    )
    .await?;
    let registration = Registration {
        store_id: view.id,
        customer: NewCustomer {
            email,
            prefix: fields.prefix,
            firstname: fields.firstname.unwrap_or_default(),
            middlename: fields.middlename,
            lastname: fields.lastname.unwrap_or_default(),
            suffix: fields.suffix,
            dob,
            taxvat: fields.taxvat,
            gender,
            allow_remote_shopping_assistance: fields.allow_remote_shopping_assistance,
            custom_attributes,
            ..Default::default()
        },
        password: fields.password,
        subscribe: fields.is_subscribed.unwrap_or(false),
    };
    Ok((registration, dob_text))
}

async fn update(ctx: &Context<'_>, fields: Fields) -> async_graphql::Result<CustomerOutput> {
    let id = current_customer(ctx)?;
    if fields.is_empty() {
        return Err(storefront_error(INPUT_REQUIRED, category::INPUT));
    }
    let current = Customer::load(ctx).await?.into_account();
    // Staff acting as the customer may edit the profile, but not the sign-in email nor the
    // shopper's consents: the one they act under and the newsletter subscription.
    if is_assisted(ctx) {
        let consent_changes = fields
            .allow_remote_shopping_assistance
            .is_some_and(|allow| allow != current.allow_remote_shopping_assistance)
            || fields.is_subscribed.is_some();
        let email_changes = fields
            .email
            .as_deref()
            .is_some_and(|e| !e.trim().eq_ignore_ascii_case(&current.email));
        if consent_changes || email_changes {
            return Err(storefront_error(
                NOT_IN_ASSISTED_SESSION,
                category::AUTHORIZATION,
            ));
        }
    }
    let services = ctx.data::<Services>()?;
    let mut email = None;
    if let Some(new_email) = fields.email_checked()?
        && !new_email.eq_ignore_ascii_case(&current.email)
    {
        let password = fields.password.as_deref().unwrap_or_default();
        if password.is_empty() {
            return Err(storefront_error(
                "Provide the current \"password\" to change \"email\".",
                category::INPUT,
            ));
        }
        services
            .shoppers
            .check_current_password(id, password)
            .await
            .storefront()?;
        email = Some(new_email);
    }
    fields.check_required(false)?;
    let gender = fields.gender()?;
    let dob = fields.dob()?;
    let dob_text = fields.date_of_birth.clone();
    let custom_attributes = form_values(
        services,
        AttributeEntity::Customer,
        Form::CustomerAccountEdit,
        fields.custom_attributes,
    )
    .await?;
    let patch = CustomerPatch {
        email,
        prefix: fields.prefix.map(Some),
        firstname: fields.firstname,
        middlename: fields.middlename.map(Some),
        lastname: fields.lastname,
        suffix: fields.suffix.map(Some),
        dob,
        taxvat: fields.taxvat.map(Some),
        gender,
        allow_remote_shopping_assistance: fields.allow_remote_shopping_assistance,
        custom_attributes,
        kept_session: Some(current_session(ctx)?.clone()),
        ..Default::default()
    };
    let account = services.accounts.update(id, patch).await.storefront()?;
    match fields.is_subscribed {
        Some(true) => {
            let view = &ctx.data::<RequestStore>()?.0;
            services
                .accounts
                .subscribe(id, Some(view.id))
                .await
                .storefront()?;
        }
        Some(false) => {
            services.accounts.unsubscribe(id).await.storefront()?;
        }
        None => {}
    }
    Ok(CustomerOutput {
        customer: Customer::of(ctx, account).await?.with_dob_as_sent(dob_text),
    })
}

/// Storefront account queries.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// Check whether the specified email has already been used to create a customer account.
    async fn is_email_available(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The email address to check.")] email: String,
    ) -> async_graphql::Result<Option<IsEmailAvailableOutput>> {
        if email.trim().is_empty() {
            return Err(storefront_error("Email must be specified", category::INPUT));
        }
        if normalize_email("email", &email).is_err() {
            return Err(storefront_error("Email is invalid", category::INPUT));
        }
        let services = ctx.data::<Services>()?;
        let view = &ctx.data::<RequestStore>()?.0;
        // Since Adobe Commerce 2.4.7 the answer is only truthful when guest checkout login is on;
        // otherwise every address is "available", so the query cannot enumerate accounts.
        let truthful = services
            .config
            .resolve(Scope::Website(view.website_id))
            .await
            .storefront()?
            .flag(keys::checkout::OPTIONS_ENABLE_GUEST_CHECKOUT_LOGIN);
        let available = if truthful {
            !services
                .accounts
                .email_taken(view.website_id, &email)
                .await
                .storefront()?
        } else {
            true
        };
        Ok(Some(IsEmailAvailableOutput {
            is_email_available: Some(available),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_iso_and_us_forms() {
        let day = NaiveDate::from_ymd_opt(1972, 3, 11);
        assert_eq!(parse_date("1972-03-11"), day);
        assert_eq!(parse_date("3/11/1972"), day);
        assert_eq!(parse_date("1972-03-11 00:00:00"), day);
        assert_eq!(parse_date("bla-bla-bla"), None);
        assert_eq!(parse_date("1972-02-30"), None);
    }

    #[test]
    fn sign_up_needs_names_and_email_but_edits_only_refuse_blanks() {
        let fields = Fields {
            firstname: Some(" ".into()),
            ..Default::default()
        };
        let err = fields.check_required(true).expect_err("missing");
        assert_eq!(
            err.message,
            "Required parameters are missing: First Name, Last Name, Email"
        );
        let err = fields.check_required(false).expect_err("blank first name");
        assert_eq!(err.message, "Required parameters are missing: First Name");
        assert!(Fields::default().check_required(false).is_ok());
    }

    #[test]
    fn gender_zero_clears_and_unknown_codes_are_refused() {
        let with = |gender| Fields {
            gender: Some(gender),
            ..Default::default()
        };
        assert_eq!(with(0).gender().expect("clear"), Some(None));
        assert_eq!(
            with(2).gender().expect("female"),
            Some(Some(Gender::Female))
        );
        assert_eq!(
            with(7).gender().expect_err("unknown").message,
            "\"7\" is not a valid gender value."
        );
    }
}
