//! sea-orm entities of the activity tables; private to this crate.

pub(crate) mod sign_in_log {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_id: i32,
        pub last_login_at: Option<DateTimeUtc>,
        pub last_logout_at: Option<DateTimeUtc>,
        pub last_activity_at: Option<DateTimeUtc>,
        pub last_url: Option<String>,
        pub last_url_key: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod visitor {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "visitors")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub created_at: DateTimeUtc,
        pub last_activity_at: DateTimeUtc,
        pub last_url: Option<String>,
        pub last_url_key: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
