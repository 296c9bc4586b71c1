//! The privacy tables.

/// One erasure: `customer_erasures`.
pub(crate) mod erasure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_erasures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub customer_id: i32,
        pub website_id: i32,
        /// `PENDING`, `ERASED` or `RESTORED`.
        pub status: String,
        pub reason: String,
        /// Who asked, as the event record names actors.
        pub requested_by: Json,
        pub requested_at: DateTimeUtc,
        pub erase_after: DateTimeUtc,
        /// Whether the account was active before its suspension, to restore it so.
        pub was_active: bool,
        pub completed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A single-use link to the export of a customer's data: `customer_data_export_links`.
pub(crate) mod export_link {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_data_export_links")]
    pub struct Model {
        /// Hex SHA-256 of the token the link carries.
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub customer_id: i32,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
