//! sea-orm entities of the attribute tables; private to this crate.

pub(crate) mod attribute {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_attributes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub entity_type: String,
        pub code: String,
        pub label: String,
        pub store_labels: String,
        pub input_type: String,
        pub is_required: bool,
        pub default_value: Option<String>,
        pub validation: String,
        pub min_length: Option<i32>,
        pub max_length: Option<i32>,
        pub multiline_count: i32,
        pub date_min: Option<Date>,
        pub date_max: Option<Date>,
        pub input_filter: String,
        pub show_on_storefront: bool,
        pub sort_order: i32,
        pub used_in_forms: String,
        pub is_used_in_grid: bool,
        pub is_filterable_in_grid: bool,
        pub grid_filter_condition: String,
        pub is_searchable_in_grid: bool,
        pub is_used_for_segment: bool,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod attribute_option {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_attribute_options")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub attribute_id: i32,
        pub label: String,
        pub store_labels: String,
        pub sort_order: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod attribute_value {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_attribute_values")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub attribute_id: i32,
        pub value: String,
        pub display: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod address_attribute_value {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_address_attribute_values")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub address_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub attribute_id: i32,
        pub customer_id: i32,
        pub value: String,
        pub display: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
