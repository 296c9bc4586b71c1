//! The two GraphQL schemas, their limits, and their SDL.

pub mod admin;
pub(crate) mod document;
pub(crate) mod parsed;
pub(crate) mod request;
pub mod storefront;
pub(crate) mod throttle;
pub(crate) mod uid;

use async_graphql::{EmptySubscription, SDLExportOptions, Schema, SchemaBuilder};

use crate::config::Settings;
use crate::services::Services;

/// The storefront schema (`/graphql`).
pub type StorefrontSchema =
    Schema<storefront::StorefrontQuery, storefront::StorefrontMutation, EmptySubscription>;
/// The admin schema (`/admin/graphql`).
pub type AdminSchema = Schema<admin::AdminQuery, admin::AdminMutation, EmptySubscription>;

/// Query limits of one endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest query.
    pub depth: usize,
    /// Costliest query.
    pub complexity: usize,
    /// Most directives on one field.
    pub directives: usize,
    /// Whether introspection (and field suggestions) is on.
    pub introspection: bool,
}

impl Limits {
    /// The storefront limits of `settings`.
    pub fn storefront(settings: &Settings) -> Self {
        Self {
            depth: settings.storefront_max_depth,
            complexity: settings.storefront_max_complexity,
            directives: settings.max_directives,
            introspection: settings.storefront_introspection_on(),
        }
    }

    /// The admin limits of `settings`.
    pub fn admin(settings: &Settings) -> Self {
        Self {
            depth: settings.admin_max_depth,
            complexity: settings.admin_max_complexity,
            directives: settings.max_directives,
            introspection: settings.admin_introspection_on(),
        }
    }
}

fn limited<Q, M, S>(builder: SchemaBuilder<Q, M, S>, limits: Limits) -> SchemaBuilder<Q, M, S> {
    let builder = builder
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_directives(limits.directives)
        .limit_recursive_depth(32);
    if limits.introspection {
        builder
    } else {
        builder.disable_introspection().disable_suggestions()
    }
}

/// Builds the storefront schema over `services`.
pub fn storefront_schema(services: Services, limits: Limits) -> StorefrontSchema {
    limited(
        Schema::build(Default::default(), Default::default(), EmptySubscription),
        limits,
    )
    .data(services)
    .finish()
}

/// Builds the admin schema over `services`.
pub fn admin_schema(services: Services, limits: Limits) -> AdminSchema {
    limited(
        Schema::build(Default::default(), Default::default(), EmptySubscription),
        limits,
    )
    .data(services)
    .finish()
}

fn sdl_options() -> SDLExportOptions {
    SDLExportOptions::new().sorted_fields().sorted_enum_items()
}

/// The storefront SDL, as committed in `schema.graphql`.
pub fn storefront_sdl() -> String {
    StorefrontSchema::build(Default::default(), Default::default(), EmptySubscription)
        .finish()
        .sdl_with_options(sdl_options())
}

/// The admin SDL, as committed in `admin.graphql`.
pub fn admin_sdl() -> String {
    AdminSchema::build(Default::default(), Default::default(), EmptySubscription)
        .finish()
        .sdl_with_options(sdl_options())
}

#[cfg(test)]
mod sdl_tests {
    use std::path::PathBuf;

    fn check(file: &str, sdl: String) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(file);
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &sdl).expect("write schema");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == sdl,
            "{file} is out of date: run `UPDATE_SCHEMA=1 cargo test -p clientele-gateway sdl` or `cargo run -- schema --write .`"
        );
    }

    #[test]
    fn storefront_sdl_is_up_to_date() {
        check("schema.graphql", super::storefront_sdl());
    }

    #[test]
    fn admin_sdl_is_up_to_date() {
        check("admin.graphql", super::admin_sdl());
    }
}
