//! sea-orm entity of `config_values`; private to this crate.

pub(crate) mod config_value {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "config_values")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub scope: String,
        pub scope_id: i32,
        pub path: String,
        pub value: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
