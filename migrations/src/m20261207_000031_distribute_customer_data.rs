//! Makes the per-customer tables distributable and places every table on a Citus cluster.
//!
//! On PostgreSQL (plain or Citus, so that the two keep one schema): ids come from sequences
//! instead of identity columns (Citus cannot distribute a table with one); the keys of the
//! tables spread by customer lead with the customer id, and a subscription's with its email key
//! (a distributed table's keys must include the column it is spread by); subscriptions no
//! longer reference the customers (they are spread by email, and the accounts delete their
//! subscriptions themselves). On Citus the tables are then placed as `placement::TABLES` says.
//! SQLite keeps its single-column keys, which are as strict: it has no shards to route to.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::placement;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Tables whose `id` identity column becomes a sequence default.
const SEQUENCED: &[&str] = &[
    "customers",
    "customer_addresses",
    "customer_sign_in_attempts",
    "newsletter_subscribers",
];

/// The key changes, in order.
const KEYS_UP: &[&str] = &[
    "ALTER TABLE customer_address_attribute_values \
     DROP CONSTRAINT fk_customer_address_attribute_values_owner",
    "ALTER TABLE customer_address_attribute_values \
     DROP CONSTRAINT customer_address_attribute_values_pkey, \
     ADD PRIMARY KEY (customer_id, address_id, attribute_id)",
    // The values of addresses are read by address id.
    "CREATE INDEX ix_customer_address_attribute_values_address \
     ON customer_address_attribute_values (address_id)",
    "ALTER TABLE customer_addresses DROP CONSTRAINT customer_addresses_pkey, \
     ADD PRIMARY KEY (customer_id, id)",
    // The key now serves the address book's reads by customer; an address named by its id
    // alone (a storefront edit, an import's `_entity_id`) is found through its own index.
    "DROP INDEX ix_customer_addresses_customer",
    "CREATE INDEX ix_customer_addresses_id ON customer_addresses (id)",
    "ALTER TABLE customer_address_attribute_values \
     ADD CONSTRAINT fk_customer_address_attribute_values_owner \
     FOREIGN KEY (customer_id, address_id) REFERENCES customer_addresses (customer_id, id) \
     ON DELETE CASCADE",
    "ALTER TABLE customer_sign_in_attempts DROP CONSTRAINT customer_sign_in_attempts_pkey, \
     ADD PRIMARY KEY (customer_id, id)",
    "DROP INDEX idx_customer_sign_in_attempts_customer",
    "ALTER TABLE login_as_customer_sessions DROP CONSTRAINT login_as_customer_sessions_pkey, \
     ADD PRIMARY KEY (customer_id, id)",
    "ALTER TABLE login_as_customer_codes DROP CONSTRAINT login_as_customer_codes_pkey, \
     ADD PRIMARY KEY (customer_id, code_hash)",
    "ALTER TABLE newsletter_subscribers DROP CONSTRAINT fk_newsletter_subscribers_customer",
    "ALTER TABLE newsletter_subscribers DROP CONSTRAINT newsletter_subscribers_pkey, \
     ADD PRIMARY KEY (email_key, id)",
];

/// [`KEYS_UP`] undone, in order.
const KEYS_DOWN: &[&str] = &[
    "ALTER TABLE newsletter_subscribers DROP CONSTRAINT newsletter_subscribers_pkey, \
     ADD PRIMARY KEY (id)",
    "DELETE FROM newsletter_subscribers s WHERE s.customer_id IS NOT NULL \
     AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id)",
    "ALTER TABLE newsletter_subscribers ADD CONSTRAINT fk_newsletter_subscribers_customer \
     FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE",
    "ALTER TABLE login_as_customer_codes DROP CONSTRAINT login_as_customer_codes_pkey, \
     ADD PRIMARY KEY (code_hash)",
    "ALTER TABLE login_as_customer_sessions DROP CONSTRAINT login_as_customer_sessions_pkey, \
     ADD PRIMARY KEY (id)",
    "CREATE INDEX idx_customer_sign_in_attempts_customer \
     ON customer_sign_in_attempts (customer_id)",
    "ALTER TABLE customer_sign_in_attempts DROP CONSTRAINT customer_sign_in_attempts_pkey, \
     ADD PRIMARY KEY (id)",
    "ALTER TABLE customer_address_attribute_values \
     DROP CONSTRAINT fk_customer_address_attribute_values_owner",
    "DROP INDEX ix_customer_addresses_id",
    "CREATE INDEX ix_customer_addresses_customer ON customer_addresses (customer_id, id)",
    "ALTER TABLE customer_addresses DROP CONSTRAINT customer_addresses_pkey, \
     ADD PRIMARY KEY (id)",
    "DROP INDEX ix_customer_address_attribute_values_address",
    "ALTER TABLE customer_address_attribute_values \
     DROP CONSTRAINT customer_address_attribute_values_pkey, \
     ADD PRIMARY KEY (address_id, attribute_id)",
    "ALTER TABLE customer_address_attribute_values \
     ADD CONSTRAINT fk_customer_address_attribute_values_owner \
     FOREIGN KEY (address_id) REFERENCES customer_addresses (id) ON DELETE CASCADE",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for table in SEQUENCED {
            // The identity's own sequence goes with it, so the new one can take its name.
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ALTER COLUMN id DROP IDENTITY; \
                 CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id; \
                 ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq'); \
                 SELECT setval('{table}_id_seq', (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), \
                 false)"
            ))
            .await?;
        }
        for statement in KEYS_UP {
            db.execute_unprepared(statement).await?;
        }
        placement::place_all(manager).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        if placement::is_citus(manager).await? {
            return Err(DbErr::Migration(
                "the distribution of the customer data is not undone on Citus: restore the \
                 database from before it instead"
                    .to_owned(),
            ));
        }
        let db = manager.get_connection();
        for statement in KEYS_DOWN {
            db.execute_unprepared(statement).await?;
        }
        for table in SEQUENCED {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT; \
                 DROP SEQUENCE {table}_id_seq; \
                 ALTER TABLE {table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY; \
                 SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            ))
            .await?;
        }
        Ok(())
    }
}
