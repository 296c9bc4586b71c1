//! Clientele's gateway: configuration, telemetry, the GraphQL schemas, the HTTP surface, the
//! command line, and the wiring of the domain services. The only crate that knows axum and
//! async-graphql.

pub mod app;
pub mod cli;
pub mod config;
pub mod graphql;
pub(crate) mod grid_filter;
mod housekeeping;
mod http;
mod import;
mod import_jobs;
mod keys;
pub mod services;
pub mod telemetry;

/// Every request allocates many short-lived buffers from both runtime threads; mimalloc's
/// thread-local free lists serve them with less contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
