//! The two GraphQL schemas, their limits, and their SDL.

/// A GraphQL enum mirroring a domain enum variant for variant.
macro_rules! mirror {
    ($(#[$meta:meta])* $gql:ident => $domain:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub(crate) enum $gql {
            $($(#[$vmeta])* $variant),+
        }

        impl From<$gql> for $domain {
            fn from(v: $gql) -> Self {
                match v {
                    $($gql::$variant => $domain::$variant),+
                }
            }
        }

        impl From<$domain> for $gql {
            fn from(v: $domain) -> Self {
                match v {
                    $($domain::$variant => $gql::$variant),+
                }
            }
        }
    };
}

pub mod admin;
pub(crate) mod codes;
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

    /// Output fields (outside the root operation types) whose names speak of secrets or
    /// credentials.
    fn secret_like_fields(sdl: &str) -> Vec<String> {
        use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
        const WORDS: [&str; 9] = [
            "pass",
            "hash",
            "token",
            "confirmation",
            "secret",
            "jwt",
            "failures",
            "lock",
            "key",
        ];
        let document = async_graphql::parser::parse_schema(sdl).expect("SDL parses");
        let mut found = Vec::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(t) = definition else {
                continue;
            };
            let name = t.node.name.node.to_string();
            let fields = match &t.node.kind {
                TypeKind::Object(o) if !matches!(name.as_str(), "Query" | "Mutation") => &o.fields,
                TypeKind::Interface(i) => &i.fields,
                _ => continue,
            };
            for field in fields {
                let field = field.node.name.node.to_string();
                if WORDS.iter().any(|w| field.to_lowercase().contains(w)) {
                    found.push(format!("{name}.{field}"));
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn no_output_field_carries_a_secret() {
        // Each one read and found harmless: Adobe Commerce's contract fields, lock states and
        // counts that staff need, and the public half of key pairs.
        let storefront_allowed = [
            "Customer.confirmation_status", // Adobe: whether confirmed, never the key
            "StoreConfig.create_account_confirmation", // Adobe: a setting
            "StoreConfig.minimum_password_length", // Adobe: a setting
            "StoreConfig.customer_access_token_lifetime", // Adobe: a setting
            // Tokens the operation itself issues to its caller, once:
            "CustomerToken.token",
            "ExchangeExternalCustomerTokenOutput.token",
            "GenerateCustomerTokenAsAdminOutput.customer_token",
        ];
        let admin_allowed = [
            "Customer.locked_until",     // lock state, for unlocking
            "Integration.token_hint",    // the first characters only, to tell tokens apart
            "MassActionResult.failures", // rows a mass action could not change
            "StaffUser.locked_until",    // lock state, for unlocking
            // Tokens the operation itself issues to its caller, once:
            "CreateIntegrationOutput.token",
            "LoginAsCustomerOutput.customer_token",
            "StaffToken.token",
            "WebhookWithSecretOutput.secret", // a webhook's signing secret, at creation or rotation
        ];
        for (sdl, allowed) in [
            (super::storefront_sdl(), &storefront_allowed[..]),
            (super::admin_sdl(), &admin_allowed[..]),
        ] {
            let mut listed: Vec<String> = allowed.iter().map(|f| (*f).to_owned()).collect();
            listed.sort();
            // A new field is read and listed here, or renamed; a listed one that is gone leaves.
            assert_eq!(secret_like_fields(&sdl), listed);
        }
    }
}
