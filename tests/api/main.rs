//! Black-box tests: every test drives the real application over HTTP on a random loopback port.

mod admin_access;
mod configuration;
mod groups;
mod storefront;
mod stores;
mod transport;
