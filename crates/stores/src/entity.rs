//! sea-orm entities of the store tables; private to this crate.

pub(crate) mod website {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "websites")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub code: String,
        pub name: String,
        pub sort_order: i32,
        pub default_group_id: Option<i32>,
        pub is_default: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod store_group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "store_groups")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub website_id: i32,
        pub code: String,
        pub name: String,
        pub default_store_id: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod store_view {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "store_views")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub code: String,
        pub website_id: i32,
        pub group_id: i32,
        pub name: String,
        pub sort_order: i32,
        pub is_active: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

impl From<website::Model> for crate::Website {
    fn from(m: website::Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            name: m.name,
            sort_order: m.sort_order,
            default_group_id: m.default_group_id,
            is_default: m.is_default,
        }
    }
}

impl From<store_group::Model> for crate::StoreGroup {
    fn from(m: store_group::Model) -> Self {
        Self {
            id: m.id,
            website_id: m.website_id,
            code: m.code,
            name: m.name,
            default_store_id: m.default_store_id,
        }
    }
}

impl From<store_view::Model> for crate::StoreView {
    fn from(m: store_view::Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            website_id: m.website_id,
            group_id: m.group_id,
            name: m.name,
            sort_order: m.sort_order,
            is_active: m.is_active,
        }
    }
}
