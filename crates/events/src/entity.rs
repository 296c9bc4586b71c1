//! The event table.

/// One event: `customer_events`.
pub(crate) mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_events")]
    pub struct Model {
        /// The customer the event is about; 0 for events about no customer (groups).
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_id: i32,
        /// UUID v7: ordered by time, so the timeline pages by it.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub website_id: Option<i32>,
        pub event_type: String,
        pub occurred_at: DateTimeUtc,
        /// The actor's kind, for filtering without reading the JSON.
        pub actor_type: String,
        pub actor: Json,
        pub changes: Json,
        pub data: Json,
        pub request_id: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An event not yet handed to the webhooks: `event_publications`.
pub(crate) mod publication {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "event_publications")]
    pub struct Model {
        /// The order of recording.
        #[sea_orm(primary_key)]
        pub seq: i64,
        pub customer_id: i32,
        pub event_id: Uuid,
        pub event_type: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
