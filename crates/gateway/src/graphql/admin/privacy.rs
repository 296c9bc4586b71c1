//! Personal data on the admin API: the export of everything held about a customer and their
//! erasure (at once, or after the configured grace period, until which it can be called off),
//! behind `Clientele_Customer::personal_data`. A role limited to some websites reaches only
//! their customers.

use async_graphql::{Context, Enum, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use clientele_privacy::{Erasure, ErasureFilter, ErasureStatus};
use clientele_staff::acl;

use super::customers::visible_customer;
use super::error::AdminResult;
use super::guard::{Needs, website_scope};
use super::timeline::EventActor;
use crate::graphql::admin::common::page_request;
use crate::services::Services;

/// Where an erasure stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "CustomerErasureStatus")]
pub(crate) enum ErasureState {
    /// Waiting out the grace period: the account is suspended and can be restored.
    Pending,
    /// Done: the customer's data is gone.
    Erased,
    /// Called off during the grace period.
    Restored,
}

impl From<ErasureStatus> for ErasureState {
    fn from(status: ErasureStatus) -> Self {
        match status {
            ErasureStatus::Pending => ErasureState::Pending,
            ErasureStatus::Erased => ErasureState::Erased,
            ErasureStatus::Restored => ErasureState::Restored,
        }
    }
}

impl From<ErasureState> for ErasureStatus {
    fn from(state: ErasureState) -> Self {
        match state {
            ErasureState::Pending => ErasureStatus::Pending,
            ErasureState::Erased => ErasureStatus::Erased,
            ErasureState::Restored => ErasureStatus::Restored,
        }
    }
}

/// An erasure of a customer. It names the customer by id alone: once erased, nothing links the
/// id to a person.
#[derive(SimpleObject)]
#[graphql(name = "CustomerErasure", rename_fields = "snake_case")]
pub(crate) struct ErasureObject {
    /// Id.
    id: ID,
    /// The customer.
    customer_id: i32,
    /// The customer's website.
    website_id: i32,
    /// Where it stands.
    status: ErasureState,
    /// Why it was asked for.
    reason: String,
    /// Who asked for it.
    requested_by: EventActor,
    /// When it was asked for.
    requested_at: DateTime<Utc>,
    /// When it takes (or took) effect.
    erase_after: DateTime<Utc>,
    /// When it was done or called off.
    completed_at: Option<DateTime<Utc>>,
}

impl From<Erasure> for ErasureObject {
    fn from(erasure: Erasure) -> Self {
        Self {
            id: ID(erasure.id.to_string()),
            customer_id: erasure.customer_id,
            website_id: erasure.website_id,
            status: erasure.status.into(),
            reason: erasure.reason,
            requested_by: erasure.requested_by.into(),
            requested_at: erasure.requested_at,
            erase_after: erasure.erase_after,
            completed_at: erasure.completed_at,
        }
    }
}

/// Personal data queries.
#[derive(Default)]
pub(crate) struct PrivacyQuery;

#[Object]
impl PrivacyQuery {
    /// Everything held about a customer, as one JSON document: the account, group, addresses,
    /// attribute values, newsletter subscriptions, sign-in record, consents, timeline, Login as
    /// Customer log entries and the emails queued or sent to them. Secrets (the password hash,
    /// tokens, keys) are never part of it. `GET /admin/exports/customers/{uid}/data.json`
    /// downloads the same document.
    #[graphql(guard = "Needs(&[acl::PERSONAL_DATA])")]
    async fn export_customer_data(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's id.")] id: i32,
    ) -> async_graphql::Result<Json<serde_json::Value>> {
        visible_customer(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        Ok(Json(services.privacy.export(id).await.admin()?))
    }

    /// Erasures of customers, newest first.
    #[graphql(guard = "Needs(&[acl::PERSONAL_DATA])")]
    async fn customer_erasures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only erasures in this state.")] status: Option<ErasureState>,
        #[graphql(name = "customerId", desc = "Only erasures of this customer.")]
        customer_id: Option<i32>,
        #[graphql(name = "pageSize", default_with = "Some(20)")] page_size: Option<i64>,
        #[graphql(name = "currentPage", default_with = "Some(1)")] current_page: Option<i64>,
    ) -> async_graphql::Result<Vec<ErasureObject>> {
        let request = page_request(page_size, current_page)?;
        let services = ctx.data::<Services>()?;
        let scope = website_scope(ctx)?;
        let erasures = services
            .privacy
            .erasures(
                &ErasureFilter {
                    status: status.map(Into::into),
                    customer_id,
                },
                scope.as_deref(),
                request.offset(),
                request.page_size,
            )
            .await
            .admin()?;
        Ok(erasures.into_iter().map(Into::into).collect())
    }
}

/// Personal data mutations.
#[derive(Default)]
pub(crate) struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Erases a customer: their account, addresses, attribute values, subscriptions, sessions,
    /// reset links, emails and throttle counts go, and their timeline keeps which fields changed
    /// but not the values. With a grace period configured for the customer's website
    /// (`customer/account_information/erasure_grace_days`), the account is suspended and the
    /// erasure takes effect when it passes, unless `restoreCustomer` calls it off. Asking again
    /// while one waits answers with that one.
    #[graphql(guard = "Needs(&[acl::PERSONAL_DATA])")]
    async fn erase_customer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's id.")] id: i32,
        #[graphql(desc = "Why: the request it answers, for the record (up to 1,000 characters).")]
        reason: String,
    ) -> async_graphql::Result<ErasureObject> {
        visible_customer(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        Ok(services.privacy.erase(id, &reason).await.admin()?.into())
    }

    /// Calls off a customer's pending erasure and lifts the account's suspension.
    #[graphql(guard = "Needs(&[acl::PERSONAL_DATA])")]
    async fn restore_customer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The customer's id.")] id: i32,
    ) -> async_graphql::Result<ErasureObject> {
        visible_customer(ctx, id).await?;
        let services = ctx.data::<Services>()?;
        Ok(services.privacy.restore(id).await.admin()?.into())
    }
}
