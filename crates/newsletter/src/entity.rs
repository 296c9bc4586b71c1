//! sea-orm entity of the subscriber table; private to this crate.

pub(crate) mod subscriber {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "newsletter_subscribers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub store_id: i32,
        pub customer_id: Option<i32>,
        pub email: String,
        pub email_key: String,
        pub status: i16,
        pub changed_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub confirm_code_hash: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
