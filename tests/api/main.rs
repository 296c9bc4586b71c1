//! Black-box tests: every test drives the real application over HTTP on a random loopback port.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod admin_access;
mod architecture;
mod attribute_metadata;
mod attributes;
mod audit;
mod clock;
mod configuration;
mod customers;
mod email;
mod events;
mod fuzz;
mod groups;
mod ide;
mod import;
mod import_jobs;
mod login_as_customer;
mod nodes;
mod now_online;
mod placement;
mod privacy;
mod production;
mod resilience;
mod security_table;
mod sign_in;
mod storefront;
mod storefront_account;
mod storefront_parity;
mod stores;
mod timing;
mod transport;
mod webhooks;
