//! Database migrations of Clientele. Every migration runs unchanged on SQLite and PostgreSQL; table
//! and column names are local to each migration, never imported from a domain crate. On a Citus
//! coordinator, every table is placed as [`placement::TABLES`] says: a migration that creates a
//! table places it in the same step.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_stores;
mod m20261123_000002_create_configuration;
mod m20261123_000003_create_customer_groups;
mod m20261123_000004_create_signing_keys;
mod m20261123_000005_create_staff;
mod m20261123_000006_create_customers;
mod m20261123_000007_create_newsletter_subscribers;
mod m20261123_000008_index_customer_search;
mod m20261123_000009_create_customer_grid_views;
mod m20261123_000010_index_customers_by_group_and_name;
mod m20261123_000011_create_customer_attributes;
mod m20261124_000012_create_customer_log;
mod m20261124_000013_create_email_outbox;
mod m20261124_000014_create_request_throttle;
mod m20261124_000015_add_newsletter_confirm_code;
mod m20261125_000016_create_login_as_customer;
mod m20261125_000017_create_visitors;
mod m20261126_000018_slim_customer_indexes;
mod m20261126_000019_vacuum_customers_sooner;
mod m20261204_000020_add_customer_kept_session;
mod m20261204_000021_magento_region_codes;
mod m20261205_000022_widen_region_code;
mod m20261205_000023_email_template_changes;
mod m20261205_000024_idempotency_keys;
mod m20261205_000025_customer_sign_in_attempts;
mod m20261206_000026_import_jobs;
mod m20261206_000027_import_job_password_hashes;
mod m20261207_000028_place_tables_on_citus;
mod m20261207_000029_customer_emails;
mod m20261207_000030_address_values_carry_the_customer;
mod m20261207_000031_distribute_customer_data;
mod m20261207_000032_customer_events;
mod m20261207_000033_admin_actions;
mod m20261207_000034_event_publications;
mod m20261207_000035_webhooks;
mod m20261207_000036_customer_privacy;
pub mod placement;
mod region_code_column;
mod region_moves;
mod seed;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_stores::Migration),
            Box::new(m20261123_000002_create_configuration::Migration),
            Box::new(m20261123_000003_create_customer_groups::Migration),
            Box::new(m20261123_000004_create_signing_keys::Migration),
            Box::new(m20261123_000005_create_staff::Migration),
            Box::new(m20261123_000006_create_customers::Migration),
            Box::new(m20261123_000007_create_newsletter_subscribers::Migration),
            Box::new(m20261123_000008_index_customer_search::Migration),
            Box::new(m20261123_000009_create_customer_grid_views::Migration),
            Box::new(m20261123_000010_index_customers_by_group_and_name::Migration),
            Box::new(m20261123_000011_create_customer_attributes::Migration),
            Box::new(m20261124_000012_create_customer_log::Migration),
            Box::new(m20261124_000013_create_email_outbox::Migration),
            Box::new(m20261124_000014_create_request_throttle::Migration),
            Box::new(m20261124_000015_add_newsletter_confirm_code::Migration),
            Box::new(m20261125_000016_create_login_as_customer::Migration),
            Box::new(m20261125_000017_create_visitors::Migration),
            Box::new(m20261126_000018_slim_customer_indexes::Migration),
            Box::new(m20261126_000019_vacuum_customers_sooner::Migration),
            Box::new(m20261204_000020_add_customer_kept_session::Migration),
            Box::new(m20261204_000021_magento_region_codes::Migration),
            Box::new(m20261205_000022_widen_region_code::Migration),
            Box::new(m20261205_000023_email_template_changes::Migration),
            Box::new(m20261205_000024_idempotency_keys::Migration),
            Box::new(m20261205_000025_customer_sign_in_attempts::Migration),
            Box::new(m20261206_000026_import_jobs::Migration),
            Box::new(m20261206_000027_import_job_password_hashes::Migration),
            Box::new(m20261207_000028_place_tables_on_citus::Migration),
            Box::new(m20261207_000029_customer_emails::Migration),
            Box::new(m20261207_000030_address_values_carry_the_customer::Migration),
            Box::new(m20261207_000031_distribute_customer_data::Migration),
            Box::new(m20261207_000032_customer_events::Migration),
            Box::new(m20261207_000033_admin_actions::Migration),
            Box::new(m20261207_000034_event_publications::Migration),
            Box::new(m20261207_000035_webhooks::Migration),
            Box::new(m20261207_000036_customer_privacy::Migration),
        ]
    }
}
