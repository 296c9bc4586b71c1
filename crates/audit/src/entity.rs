//! The audit table.

/// One line of the staff audit log: `admin_actions`.
pub(crate) mod action {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "admin_actions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub occurred_at: DateTimeUtc,
        pub actor_type: String,
        pub staff_user_id: Option<i32>,
        pub integration_id: Option<i32>,
        pub operation: String,
        pub kind: String,
        pub targets: Json,
        pub outcome: String,
        pub error_code: Option<String>,
        pub request_id: Option<String>,
        pub ip: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
