//! sea-orm entities of the customer tables; private to this crate.

pub(crate) mod customer {
    use sea_orm::entity::prelude::*;

    /// Fields holding secrets (the password hash, the confirmation key, the session marks):
    /// never part of an event or an export.
    pub(crate) const SECRET_FIELDS: &[&str] = &[
        "password_hash",
        "confirmation",
        "tokens_valid_after",
        "tokens_kept_session",
    ];

    /// Keys and bookkeeping derived from the other fields: of no meaning outside the store.
    pub(crate) const DERIVED_FIELDS: &[&str] =
        &["email_key", "email_scope_id", "search_text", "version"];

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "customers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub website_id: i32,
        pub email_scope_id: i32,
        pub email: String,
        pub email_key: String,
        pub group_id: i32,
        pub store_id: Option<i32>,
        pub created_in: String,
        pub prefix: Option<String>,
        pub firstname: String,
        pub middlename: Option<String>,
        pub lastname: String,
        pub suffix: Option<String>,
        pub dob: Option<Date>,
        pub taxvat: Option<String>,
        pub gender: Option<i16>,
        pub is_active: bool,
        pub password_hash: Option<String>,
        pub confirmation: Option<String>,
        pub failures_num: i32,
        pub first_failure: Option<DateTimeUtc>,
        pub lock_expires: Option<DateTimeUtc>,
        pub allow_remote_shopping_assistance: bool,
        pub disable_auto_group_change: bool,
        pub default_billing_id: Option<i32>,
        pub default_shipping_id: Option<i32>,
        pub billing_telephone: Option<String>,
        pub billing_postcode: Option<String>,
        pub billing_country_code: Option<String>,
        pub billing_region: Option<String>,
        pub billing_city: Option<String>,
        pub billing_company: Option<String>,
        pub billing_street: Option<String>,
        pub billing_vat_id: Option<String>,
        pub billing_fax: Option<String>,
        pub search_text: String,
        pub tokens_valid_after: Option<DateTimeUtc>,
        pub tokens_kept_session: Option<String>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod address {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "customer_addresses")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub customer_id: i32,
        pub prefix: Option<String>,
        pub firstname: String,
        pub middlename: Option<String>,
        pub lastname: String,
        pub suffix: Option<String>,
        pub company: Option<String>,
        pub street: String,
        pub city: String,
        pub region: Option<String>,
        pub region_code: Option<String>,
        pub postcode: Option<String>,
        pub country_code: String,
        pub telephone: Option<String>,
        pub fax: Option<String>,
        pub vat_id: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod password_reset {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_password_resets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_id: i32,
        pub token_hash: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod reset_request {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_reset_requests")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub email_key: String,
        pub ip: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod sign_in_attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_sign_in_attempts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub customer_id: i32,
        pub started_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod customer_email {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_emails")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub email_key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub email_scope_id: i32,
        pub customer_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
