//! `storeConfig`: the public configuration of the current store view, with Adobe Commerce's field
//! names and types (numbers that Adobe Commerce serves as strings stay strings).

use async_graphql::{Context, ID, Object};
use clientele_configuration::{ResolvedConfig, Scope};
use clientele_stores::{StoreGroup, StoreView, Website};

use super::error::StorefrontResult;
use crate::graphql::request::RequestStore;
use crate::services::Services;

/// Public configuration of one store view.
pub(crate) struct StoreConfig {
    view: StoreView,
    group: StoreGroup,
    website: Website,
    config: ResolvedConfig,
}

impl StoreConfig {
    /// Loads the store hierarchy and configuration of the request's store view.
    pub(crate) async fn load(ctx: &Context<'_>) -> async_graphql::Result<Self> {
        let services = ctx.data::<Services>()?;
        let view = ctx.data::<RequestStore>()?.0.clone();
        let group = services.stores.group(view.group_id).await.storefront()?;
        let website = services
            .stores
            .website(view.website_id)
            .await
            .storefront()?;
        let config = services
            .config
            .resolve(Scope::StoreView(view.id))
            .await
            .storefront()?;
        Ok(Self {
            view,
            group,
            website,
            config,
        })
    }

    fn text(&self, path: &str) -> Option<String> {
        Some(self.config.get(path).to_owned())
    }
}

#[Object(rename_fields = "snake_case")]
impl StoreConfig {
    /// The store view id.
    #[graphql(deprecation = "Use `store_code` instead.")]
    async fn id(&self) -> Option<i32> {
        Some(self.view.id)
    }
    /// The store view code.
    #[graphql(deprecation = "Use `store_code` instead.")]
    async fn code(&self) -> Option<String> {
        Some(self.view.code.clone())
    }
    /// The website id.
    #[graphql(deprecation = "Use `website_code` instead.")]
    async fn website_id(&self) -> Option<i32> {
        Some(self.website.id)
    }
    /// The store view code (send it in the `Store` header).
    async fn store_code(&self) -> Option<ID> {
        Some(ID(self.view.code.clone()))
    }
    /// The store view name.
    async fn store_name(&self) -> Option<String> {
        Some(self.view.name.clone())
    }
    /// The store view's position in lists.
    async fn store_sort_order(&self) -> Option<i32> {
        Some(self.view.sort_order)
    }
    /// Whether this is its store group's default store view.
    async fn is_default_store(&self) -> Option<bool> {
        Some(self.group.default_store_id == Some(self.view.id))
    }
    /// The store group code.
    async fn store_group_code(&self) -> Option<ID> {
        Some(ID(self.group.code.clone()))
    }
    /// The store group name.
    async fn store_group_name(&self) -> Option<String> {
        Some(self.group.name.clone())
    }
    /// Whether this is its website's default store group.
    async fn is_default_store_group(&self) -> Option<bool> {
        Some(self.website.default_group_id == Some(self.group.id))
    }
    /// The website code.
    async fn website_code(&self) -> Option<ID> {
        Some(ID(self.website.code.clone()))
    }
    /// The website name.
    async fn website_name(&self) -> Option<String> {
        Some(self.website.name.clone())
    }
    /// Locale, e.g. `en_US`.
    async fn locale(&self) -> Option<String> {
        self.text("general/locale/code")
    }
    /// Base URL of the storefront.
    async fn base_url(&self) -> Option<String> {
        self.text("web/unsecure/base_url")
    }
    /// Secure base URL of the storefront.
    async fn secure_base_url(&self) -> Option<String> {
        self.text("web/secure/base_url")
    }
    /// Base URL of media files.
    async fn base_media_url(&self) -> Option<String> {
        self.text("web/unsecure/base_media_url")
    }
    /// Secure base URL of media files.
    async fn secure_base_media_url(&self) -> Option<String> {
        self.text("web/secure/base_media_url")
    }
    /// Base URL of links (pages) of the storefront.
    async fn base_link_url(&self) -> Option<String> {
        self.text("web/unsecure/base_link_url")
    }
    /// Secure base URL of links (pages) of the storefront.
    async fn secure_base_link_url(&self) -> Option<String> {
        self.text("web/secure/base_link_url")
    }
    /// Base URL of static view files.
    async fn base_static_url(&self) -> Option<String> {
        self.text("web/unsecure/base_static_url")
    }
    /// Secure base URL of static view files.
    async fn secure_base_static_url(&self) -> Option<String> {
        self.text("web/secure/base_static_url")
    }
    /// Whether the store view code is added to URLs.
    async fn use_store_in_url(&self) -> Option<bool> {
        Some(self.config.flag("web/url/use_store"))
    }
    /// The base currency code, e.g. `USD`.
    async fn base_currency_code(&self) -> Option<String> {
        self.text("currency/options/base")
    }
    /// The default display currency code, e.g. `USD`.
    async fn default_display_currency_code(&self) -> Option<String> {
        self.text("currency/options/default")
    }
    /// The store's time zone, e.g. `America/Los_Angeles`.
    async fn timezone(&self) -> Option<String> {
        self.text("general/locale/timezone")
    }
    /// The weight unit, `lbs` or `kgs`.
    async fn weight_unit(&self) -> Option<String> {
        self.text("general/locale/weight_unit")
    }
    /// Whether the region field is shown for countries where it is optional.
    async fn display_state_if_optional(&self) -> Option<bool> {
        Some(self.config.flag("general/region/display_all"))
    }
    /// Customer token lifetime in hours.
    async fn customer_access_token_lifetime(&self) -> Option<f64> {
        self.config
            .number("oauth/access_token_lifetime/customer")
            .map(|h| h as f64)
    }
    /// The minimum number of characters of a password.
    async fn minimum_password_length(&self) -> Option<String> {
        self.text("customer/password/minimum_password_length")
    }
    /// How many character classes (lowercase, uppercase, digits, special) a password needs.
    async fn required_character_classes_number(&self) -> Option<String> {
        self.text("customer/password/required_character_classes_number")
    }
    /// Whether sign-in and forgot-password forms may autocomplete.
    async fn autocomplete_on_storefront(&self) -> Option<bool> {
        Some(
            self.config
                .flag("customer/password/autocomplete_on_storefront"),
        )
    }
    /// Whether new accounts must confirm their email before signing in.
    async fn create_account_confirmation(&self) -> Option<bool> {
        Some(self.config.flag("customer/create_account/confirm"))
    }
    /// Whether the customer group uid is shared with storefronts.
    async fn graphql_share_customer_group(&self) -> bool {
        self.config
            .flag("customer/account_information/graphql_share_customer_group")
    }
    /// Whether every customer group is shared with storefronts (Configuration data from
    /// customer/account_information/graphql_share_all_customer_groups).
    async fn graphql_share_all_customer_groups(&self) -> bool {
        self.config
            .flag("customer/account_information/graphql_share_all_customer_groups")
    }
    /// Whether all catalog price rules are shared with storefronts.
    async fn share_all_catalog_rules(&self) -> bool {
        self.config.flag("catalog/rule/share_all_catalog_rules")
    }
    /// Whether the catalog price rules applied to a product are shared with storefronts.
    async fn share_applied_catalog_rules(&self) -> bool {
        self.config.flag("catalog/rule/share_applied_catalog_rules")
    }
    /// Whether all cart price rules are shared with storefronts.
    async fn share_all_sales_rule(&self) -> bool {
        self.config.flag("promo/graphql/share_all_sales_rule")
    }
    /// Whether the cart price rules applied to a cart are shared with storefronts.
    async fn share_applied_sales_rule(&self) -> bool {
        self.config.flag("promo/graphql/share_applied_sales_rule")
    }
    /// Whether newsletters are enabled.
    async fn newsletter_enabled(&self) -> bool {
        self.config.flag("newsletter/general/active")
    }
    /// Whether Login as Customer (remote shopping assistance) is enabled.
    async fn shopping_assistance_enabled(&self) -> bool {
        self.config.flag("login_as_customer/general/enabled")
    }
    /// Label of the shopper's remote-assistance opt-in checkbox.
    async fn shopping_assistance_checkbox_title(&self) -> Option<String> {
        self.text("login_as_customer/general/shopping_assistance_checkbox_title")
    }
    /// Tooltip of the shopper's remote-assistance opt-in checkbox.
    async fn shopping_assistance_checkbox_tooltip(&self) -> Option<String> {
        self.text("login_as_customer/general/shopping_assistance_checkbox_tooltip")
    }
    /// Account sharing: 1 = per website, 0 = global.
    async fn share_customer_accounts_scope(&self) -> Option<i32> {
        self.config
            .number("customer/account_share/scope")
            .map(|n| n as i32)
    }
    /// Whether the uids of the visitor's active segments are shared with storefronts.
    async fn share_active_segments(&self) -> bool {
        self.config
            .flag("customer/magento_customersegment/share_active_segments")
    }
    /// Whether applied cart rules are shared with storefronts.
    async fn share_applied_cart_rule(&self) -> bool {
        self.config
            .flag("customer/magento_customersegment/share_applied_cart_rule")
    }
    /// Comma-separated countries whose addresses need a region.
    async fn countries_with_required_region(&self) -> Option<String> {
        self.text("general/region/state_required")
    }
    /// Comma-separated countries whose addresses may omit the postcode.
    async fn optional_zip_countries(&self) -> Option<String> {
        self.text("general/country/optional_zip_countries")
    }
    /// Default country code.
    async fn default_country(&self) -> Option<String> {
        self.text("general/country/default")
    }
    /// Whether customers land on their account dashboard after signing in.
    async fn customer_startup_redirect_dashboard(&self) -> Option<bool> {
        Some(self.config.flag("customer/startup/redirect_dashboard"))
    }
    /// Whether the VAT number field is shown on the storefront.
    async fn customer_create_account_vat_frontend_visibility(&self) -> Option<bool> {
        Some(
            self.config
                .flag("customer/create_account/vat_frontend_visibility"),
        )
    }
    /// Number of lines of a street address.
    async fn customer_address_street_lines(&self) -> Option<i32> {
        self.config
            .number("customer/address/street_lines")
            .map(|n| n as i32)
    }
    /// Prefix field: empty (hidden), `opt` or `req`.
    async fn customer_address_prefix_show(&self) -> Option<String> {
        self.text("customer/address/prefix_show")
    }
    /// Prefix choices, semicolon-separated; empty for free text.
    async fn customer_address_prefix_options(&self) -> Option<String> {
        self.text("customer/address/prefix_options")
    }
    /// Whether the middle name (initial) field is shown.
    async fn customer_address_middlename_show(&self) -> Option<bool> {
        Some(self.config.flag("customer/address/middlename_show"))
    }
    /// Suffix field: empty (hidden), `opt` or `req`.
    async fn customer_address_suffix_show(&self) -> Option<String> {
        self.text("customer/address/suffix_show")
    }
    /// Suffix choices, semicolon-separated; empty for free text.
    async fn customer_address_suffix_options(&self) -> Option<String> {
        self.text("customer/address/suffix_options")
    }
    /// Date of birth field: empty (hidden), `opt` or `req`.
    async fn customer_address_dob_show(&self) -> Option<String> {
        self.text("customer/address/dob_show")
    }
    /// Tax/VAT number field: empty (hidden), `opt` or `req`.
    async fn customer_address_taxvat_show(&self) -> Option<String> {
        self.text("customer/address/taxvat_show")
    }
    /// Gender field: empty (hidden), `opt` or `req`.
    async fn customer_address_gender_show(&self) -> Option<String> {
        self.text("customer/address/gender_show")
    }
    /// Telephone field: empty (hidden), `opt` or `req`.
    async fn customer_address_telephone_show(&self) -> Option<String> {
        self.text("customer/address/telephone_show")
    }
    /// Company field: empty (hidden), `opt` or `req`.
    async fn customer_address_company_show(&self) -> Option<String> {
        self.text("customer/address/company_show")
    }
    /// Fax field: empty (hidden), `opt` or `req`.
    async fn customer_address_fax_show(&self) -> Option<String> {
        self.text("customer/address/fax_show")
    }
}
