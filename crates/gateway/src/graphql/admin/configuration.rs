//! Configuration: the option catalogue, effective values per scope, and atomic writes.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use clientele_configuration::{ResolvedConfig, Scope, ScopeLevel, ValueOrigin, options};
use clientele_staff::acl;

use super::error::AdminResult;
use super::guard::{Needs, require_all_websites, require_website};
use crate::services::Services;

/// Kind of configuration scope.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum ConfigScopeType {
    /// The default (global) scope.
    Default,
    /// A website, named by code.
    Website,
    /// A store view, named by code.
    StoreView,
}

/// A configuration scope.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ConfigScopeInput {
    /// Scope kind.
    #[graphql(name = "type")]
    kind: ConfigScopeType,
    /// Website or store view code; omit for the default scope.
    code: Option<String>,
}

/// Where an effective value comes from.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum ConfigValueOrigin {
    /// Nobody set it: the documented default ("Use system value").
    System,
    /// Set at the default scope.
    Default,
    /// Set on the website.
    Website,
    /// Set on the store view.
    StoreView,
}

/// The narrowest scope at which an option may be set.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub(crate) enum ConfigScopeLevel {
    /// Default scope only.
    Global,
    /// Default or website.
    Website,
    /// Any scope.
    StoreView,
}

/// A value an option may take.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ConfigurationOptionChoice {
    /// Stored value.
    value: String,
    /// Label.
    label: String,
}

/// One configuration option of the catalogue.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ConfigurationOption {
    /// `section/group/field` path.
    path: String,
    /// Label, as the Customer Configuration reference names it.
    label: String,
    /// Heading it belongs to, e.g. "Password Options".
    group: String,
    /// Narrowest scope at which it may be set.
    scope: ConfigScopeLevel,
    /// Value type: BOOLEAN, INTEGER, OPTIONAL_INTEGER, SELECT, MULTISELECT, TEXT, CUSTOMER_GROUP, URL, COUNTRY, COUNTRY_LIST, RANGE.
    #[graphql(name = "type")]
    kind: String,
    /// Documented default.
    default_value: String,
    /// Accepted values of SELECT and MULTISELECT options.
    choices: Vec<ConfigurationOptionChoice>,
    /// Smallest accepted number.
    min: Option<String>,
    /// Largest accepted number.
    max: Option<String>,
    /// Whether storefronts can read it through `storeConfig`.
    is_public: bool,
}

/// The effective value of one option at a scope.
#[derive(SimpleObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ConfigurationValue {
    /// `section/group/field` path.
    path: String,
    /// Effective value (booleans as `0`/`1`).
    value: String,
    /// Where the value comes from.
    origin: ConfigValueOrigin,
}

/// One value to set.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ConfigurationValueInput {
    /// `section/group/field` path.
    path: String,
    /// New value.
    value: String,
}

/// Input of `setConfiguration`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct SetConfigurationInput {
    /// Where to set the values.
    scope: ConfigScopeInput,
    /// Values to set; all are validated first and written together, or none is.
    values: Vec<ConfigurationValueInput>,
}

/// Input of `resetConfiguration`.
#[derive(InputObject)]
#[graphql(rename_fields = "snake_case")]
pub(crate) struct ResetConfigurationInput {
    /// Where to remove the values.
    scope: ConfigScopeInput,
    /// Paths that should inherit again ("Use system value" / "Use Website").
    paths: Vec<String>,
}

/// The scope of a write, refused unless the caller's role covers it: the default scope needs every
/// website, a website or store view scope needs that website.
async fn writable_scope(
    ctx: &Context<'_>,
    services: &Services,
    input: &ConfigScopeInput,
) -> async_graphql::Result<Scope> {
    let scope = scope_of(services, input).await?;
    match scope {
        Scope::Default => require_all_websites(ctx, "Changing the default configuration scope")?,
        Scope::Website(id) => require_website(ctx, id)?,
        Scope::StoreView(id) => {
            require_website(ctx, services.stores.view(id).await.admin()?.website_id)?
        }
    }
    Ok(scope)
}

async fn scope_of(services: &Services, input: &ConfigScopeInput) -> async_graphql::Result<Scope> {
    let code = || {
        input.code.clone().ok_or_else(|| {
            super::error::to_admin(clientele_kernel::Error::invalid(
                "scope.code",
                "A website or store view scope needs its code.",
            ))
        })
    };
    Ok(match input.kind {
        ConfigScopeType::Default => Scope::Default,
        ConfigScopeType::Website => {
            Scope::Website(services.stores.website_by_code(&code()?).await.admin()?.id)
        }
        ConfigScopeType::StoreView => {
            Scope::StoreView(services.stores.view_by_code(&code()?).await.admin()?.id)
        }
    })
}

fn values(resolved: &ResolvedConfig, paths: Option<&[String]>) -> Vec<ConfigurationValue> {
    resolved
        .entries()
        .filter(|(o, _, _)| paths.is_none_or(|p| p.iter().any(|x| x == o.path)))
        .map(|(o, value, origin)| ConfigurationValue {
            path: o.path.into(),
            value: value.into(),
            origin: match origin {
                ValueOrigin::System => ConfigValueOrigin::System,
                ValueOrigin::Default => ConfigValueOrigin::Default,
                ValueOrigin::Website => ConfigValueOrigin::Website,
                ValueOrigin::StoreView => ConfigValueOrigin::StoreView,
            },
        })
        .collect()
}

/// Configuration queries.
#[derive(Default)]
pub(crate) struct ConfigurationQuery;

#[Object]
impl ConfigurationQuery {
    /// The option catalogue, optionally one group (e.g. "Password Options").
    #[graphql(guard = "Needs(&[acl::CONFIGURATION])")]
    async fn configuration_options(&self, group: Option<String>) -> Vec<ConfigurationOption> {
        options()
            .iter()
            .filter(|o| group.as_deref().is_none_or(|g| g == o.group))
            .map(|o| {
                let bounds = o.kind.bounds();
                ConfigurationOption {
                    path: o.path.into(),
                    label: o.label.into(),
                    group: o.group.into(),
                    scope: match o.scope {
                        ScopeLevel::Global => ConfigScopeLevel::Global,
                        ScopeLevel::Website => ConfigScopeLevel::Website,
                        ScopeLevel::StoreView => ConfigScopeLevel::StoreView,
                    },
                    kind: o.kind.name().into(),
                    default_value: o.default.into(),
                    choices: o
                        .kind
                        .choices()
                        .iter()
                        .map(|(value, label)| ConfigurationOptionChoice {
                            value: (*value).into(),
                            label: (*label).into(),
                        })
                        .collect(),
                    min: bounds.map(|(min, _)| min.to_string()),
                    max: bounds
                        .filter(|(_, max)| *max != i64::MAX)
                        .map(|(_, max)| max.to_string()),
                    is_public: o.public,
                }
            })
            .collect()
    }

    /// Effective values at a scope (all options, or the listed paths).
    #[graphql(guard = "Needs(&[acl::CONFIGURATION])")]
    async fn configuration(
        &self,
        ctx: &Context<'_>,
        scope: ConfigScopeInput,
        paths: Option<Vec<String>>,
    ) -> async_graphql::Result<Vec<ConfigurationValue>> {
        let services = ctx.data::<Services>()?;
        let resolved = services
            .config
            .resolve(scope_of(services, &scope).await?)
            .await
            .admin()?;
        Ok(values(&resolved, paths.as_deref()))
    }
}

/// Configuration mutations.
#[derive(Default)]
pub(crate) struct ConfigurationMutation;

#[Object]
impl ConfigurationMutation {
    /// Sets values at a scope atomically. Returns the effective values of the paths set.
    #[graphql(guard = "Needs(&[acl::CONFIGURATION])")]
    async fn set_configuration(
        &self,
        ctx: &Context<'_>,
        input: SetConfigurationInput,
    ) -> async_graphql::Result<Vec<ConfigurationValue>> {
        let services = ctx.data::<Services>()?;
        let scope = writable_scope(ctx, services, &input.scope).await?;
        let paths: Vec<String> = input.values.iter().map(|v| v.path.clone()).collect();
        let changes = input
            .values
            .into_iter()
            .map(|v| (v.path, v.value))
            .collect();
        let resolved = services.config.set(scope, changes).await.admin()?;
        Ok(values(&resolved, Some(&paths)))
    }

    /// Removes values at a scope so they inherit again. Returns the new effective values.
    #[graphql(guard = "Needs(&[acl::CONFIGURATION])")]
    async fn reset_configuration(
        &self,
        ctx: &Context<'_>,
        input: ResetConfigurationInput,
    ) -> async_graphql::Result<Vec<ConfigurationValue>> {
        let services = ctx.data::<Services>()?;
        let scope = writable_scope(ctx, services, &input.scope).await?;
        let resolved = services
            .config
            .reset(scope, input.paths.clone())
            .await
            .admin()?;
        Ok(values(&resolved, Some(&input.paths)))
    }
}
