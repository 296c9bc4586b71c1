//! The webhook tables.

/// A webhook: `webhooks`.
pub(crate) mod webhook {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhooks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub url: String,
        pub description: Option<String>,
        /// JSON array of event type names.
        pub event_types: Json,
        /// JSON array of website ids; empty: every website.
        pub website_ids: Json,
        /// The signing secret, sealed with the key-encryption key.
        pub secret: String,
        /// The secret before the last rotation, sealed, signing beside the new one until
        /// `previous_secret_until`.
        pub previous_secret: Option<String>,
        pub previous_secret_until: Option<DateTimeUtc>,
        /// `ENABLED` or `DISABLED`.
        pub status: String,
        pub disabled_reason: Option<String>,
        pub disabled_at: Option<DateTimeUtc>,
        /// When deliveries started failing without a success since.
        pub failing_since: Option<DateTimeUtc>,
        pub notify_email: Option<String>,
        pub created_by_staff_user_id: Option<i32>,
        pub created_by_integration_id: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One event for one webhook: `webhook_deliveries`.
pub(crate) mod delivery {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_deliveries")]
    pub struct Model {
        /// The order of fan-out: a customer's deliveries to a webhook go out in this order.
        #[sea_orm(primary_key)]
        pub id: i64,
        pub webhook_id: i32,
        pub event_id: Uuid,
        pub event_type: String,
        /// The event's customer; 0 for events about no customer.
        pub customer_id: i32,
        /// The customer's website, so a role limited to some websites sees only theirs.
        pub website_id: Option<i32>,
        pub occurred_at: DateTimeUtc,
        /// The JSON body sent, the same at every attempt.
        pub body: String,
        /// `PENDING`, `SUCCEEDED` or `FAILED`.
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub lease_until: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub last_attempt_at: Option<DateTimeUtc>,
        pub last_response_status: Option<i32>,
        pub last_response_body: Option<String>,
        pub last_duration_ms: Option<i32>,
        pub last_error: Option<String>,
        pub completed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
