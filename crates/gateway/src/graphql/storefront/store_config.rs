//! `storeConfig`: the public configuration of the current store view, with Adobe Commerce's field
//! names and types (numbers that Adobe Commerce serves as strings stay strings).

use async_graphql::{Context, ID, Object};
use clientele_configuration::{Key, ResolvedConfig, Scope, keys};
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

    fn text<R>(&self, key: Key<R>) -> Option<String> {
        Some(self.config.text(key).to_owned())
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
        self.text(keys::general::LOCALE_CODE)
    }
    /// Base URL of the storefront.
    async fn base_url(&self) -> Option<String> {
        self.text(keys::web::UNSECURE_BASE_URL)
    }
    /// Secure base URL of the storefront.
    async fn secure_base_url(&self) -> Option<String> {
        self.text(keys::web::SECURE_BASE_URL)
    }
    /// Base URL of media files.
    async fn base_media_url(&self) -> Option<String> {
        self.text(keys::web::UNSECURE_BASE_MEDIA_URL)
    }
    /// Secure base URL of media files.
    async fn secure_base_media_url(&self) -> Option<String> {
        self.text(keys::web::SECURE_BASE_MEDIA_URL)
    }
    /// Base URL of links (pages) of the storefront.
    async fn base_link_url(&self) -> Option<String> {
        self.text(keys::web::UNSECURE_BASE_LINK_URL)
    }
    /// Secure base URL of links (pages) of the storefront.
    async fn secure_base_link_url(&self) -> Option<String> {
        self.text(keys::web::SECURE_BASE_LINK_URL)
    }
    /// Base URL of static view files.
    async fn base_static_url(&self) -> Option<String> {
        self.text(keys::web::UNSECURE_BASE_STATIC_URL)
    }
    /// Secure base URL of static view files.
    async fn secure_base_static_url(&self) -> Option<String> {
        self.text(keys::web::SECURE_BASE_STATIC_URL)
    }
    /// Whether the store view code is added to URLs.
    async fn use_store_in_url(&self) -> Option<bool> {
        Some(self.config.flag(keys::web::URL_USE_STORE))
    }
    /// The base currency code, e.g. `USD`.
    async fn base_currency_code(&self) -> Option<String> {
        self.text(keys::currency::OPTIONS_BASE)
    }
    /// The default display currency code, e.g. `USD`.
    async fn default_display_currency_code(&self) -> Option<String> {
        self.text(keys::currency::OPTIONS_DEFAULT)
    }
    /// The store's time zone, e.g. `America/Los_Angeles`.
    async fn timezone(&self) -> Option<String> {
        self.text(keys::general::LOCALE_TIMEZONE)
    }
    /// The weight unit, `lbs` or `kgs`.
    async fn weight_unit(&self) -> Option<String> {
        self.text(keys::general::LOCALE_WEIGHT_UNIT)
    }
    /// Whether the region field is shown for countries where it is optional.
    async fn display_state_if_optional(&self) -> Option<bool> {
        Some(self.config.flag(keys::general::REGION_DISPLAY_ALL))
    }
    /// Customer token lifetime in hours.
    async fn customer_access_token_lifetime(&self) -> Option<f64> {
        self.config
            .number(keys::oauth::ACCESS_TOKEN_LIFETIME_CUSTOMER)
            .map(|h| h as f64)
    }
    /// The minimum number of characters of a password.
    async fn minimum_password_length(&self) -> Option<String> {
        self.text(keys::customer::PASSWORD_MINIMUM_PASSWORD_LENGTH)
    }
    /// How many character classes (lowercase, uppercase, digits, special) a password needs.
    async fn required_character_classes_number(&self) -> Option<String> {
        self.text(keys::customer::PASSWORD_REQUIRED_CHARACTER_CLASSES_NUMBER)
    }
    /// Whether sign-in and forgot-password forms may autocomplete.
    async fn autocomplete_on_storefront(&self) -> Option<bool> {
        Some(
            self.config
                .flag(keys::customer::PASSWORD_AUTOCOMPLETE_ON_STOREFRONT),
        )
    }
    /// Whether new accounts must confirm their email before signing in.
    async fn create_account_confirmation(&self) -> Option<bool> {
        Some(self.config.flag(keys::customer::CREATE_ACCOUNT_CONFIRM))
    }
    /// Whether the customer group uid is shared with storefronts.
    async fn graphql_share_customer_group(&self) -> bool {
        self.config
            .flag(keys::customer::ACCOUNT_INFORMATION_GRAPHQL_SHARE_CUSTOMER_GROUP)
    }
    /// Whether every customer group is shared with storefronts (Configuration data from
    /// customer/account_information/graphql_share_all_customer_groups).
    async fn graphql_share_all_customer_groups(&self) -> bool {
        self.config
            .flag(keys::customer::ACCOUNT_INFORMATION_GRAPHQL_SHARE_ALL_CUSTOMER_GROUPS)
    }
    /// Whether all catalog price rules are shared with storefronts.
    async fn share_all_catalog_rules(&self) -> bool {
        self.config
            .flag(keys::catalog::RULE_SHARE_ALL_CATALOG_RULES)
    }
    /// Whether the catalog price rules applied to a product are shared with storefronts.
    async fn share_applied_catalog_rules(&self) -> bool {
        self.config
            .flag(keys::catalog::RULE_SHARE_APPLIED_CATALOG_RULES)
    }
    /// Whether all cart price rules are shared with storefronts.
    async fn share_all_sales_rule(&self) -> bool {
        self.config.flag(keys::promo::GRAPHQL_SHARE_ALL_SALES_RULE)
    }
    /// Whether the cart price rules applied to a cart are shared with storefronts.
    async fn share_applied_sales_rule(&self) -> bool {
        self.config
            .flag(keys::promo::GRAPHQL_SHARE_APPLIED_SALES_RULE)
    }
    /// Whether newsletters are enabled.
    async fn newsletter_enabled(&self) -> bool {
        self.config.flag(keys::newsletter::GENERAL_ACTIVE)
    }
    /// Whether Login as Customer (remote shopping assistance) is enabled.
    async fn shopping_assistance_enabled(&self) -> bool {
        self.config.flag(keys::login_as_customer::GENERAL_ENABLED)
    }
    /// Label of the shopper's remote-assistance opt-in checkbox.
    async fn shopping_assistance_checkbox_title(&self) -> Option<String> {
        self.text(keys::login_as_customer::GENERAL_SHOPPING_ASSISTANCE_CHECKBOX_TITLE)
    }
    /// Tooltip of the shopper's remote-assistance opt-in checkbox.
    async fn shopping_assistance_checkbox_tooltip(&self) -> Option<String> {
        self.text(keys::login_as_customer::GENERAL_SHOPPING_ASSISTANCE_CHECKBOX_TOOLTIP)
    }
    /// Account sharing: 1 = per website, 0 = global.
    async fn share_customer_accounts_scope(&self) -> Option<i32> {
        // A choice of "0" and "1", shown as the number it is.
        self.config
            .text(keys::customer::ACCOUNT_SHARE_SCOPE)
            .parse()
            .ok()
    }
    /// Whether the uids of the visitor's active segments are shared with storefronts.
    async fn share_active_segments(&self) -> bool {
        self.config
            .flag(keys::customer::MAGENTO_CUSTOMERSEGMENT_SHARE_ACTIVE_SEGMENTS)
    }
    /// Whether applied cart rules are shared with storefronts.
    async fn share_applied_cart_rule(&self) -> bool {
        self.config
            .flag(keys::customer::MAGENTO_CUSTOMERSEGMENT_SHARE_APPLIED_CART_RULE)
    }
    /// Comma-separated countries whose addresses need a region.
    async fn countries_with_required_region(&self) -> Option<String> {
        self.text(keys::general::REGION_STATE_REQUIRED)
    }
    /// Comma-separated countries whose addresses may omit the postcode.
    async fn optional_zip_countries(&self) -> Option<String> {
        self.text(keys::general::COUNTRY_OPTIONAL_ZIP_COUNTRIES)
    }
    /// Default country code.
    async fn default_country(&self) -> Option<String> {
        self.text(keys::general::COUNTRY_DEFAULT)
    }
    /// Whether customers land on their account dashboard after signing in.
    async fn customer_startup_redirect_dashboard(&self) -> Option<bool> {
        Some(self.config.flag(keys::customer::STARTUP_REDIRECT_DASHBOARD))
    }
    /// Whether the VAT number field is shown on the storefront.
    async fn customer_create_account_vat_frontend_visibility(&self) -> Option<bool> {
        Some(
            self.config
                .flag(keys::customer::CREATE_ACCOUNT_VAT_FRONTEND_VISIBILITY),
        )
    }
    /// Number of lines of a street address.
    async fn customer_address_street_lines(&self) -> Option<i32> {
        self.config
            .number(keys::customer::ADDRESS_STREET_LINES)
            .map(|n| n as i32)
    }
    /// Prefix field: empty (hidden), `opt` or `req`.
    async fn customer_address_prefix_show(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_PREFIX_SHOW)
    }
    /// Prefix choices, semicolon-separated; empty for free text.
    async fn customer_address_prefix_options(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_PREFIX_OPTIONS)
    }
    /// Whether the middle name (initial) field is shown.
    async fn customer_address_middlename_show(&self) -> Option<bool> {
        Some(self.config.flag(keys::customer::ADDRESS_MIDDLENAME_SHOW))
    }
    /// Suffix field: empty (hidden), `opt` or `req`.
    async fn customer_address_suffix_show(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_SUFFIX_SHOW)
    }
    /// Suffix choices, semicolon-separated; empty for free text.
    async fn customer_address_suffix_options(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_SUFFIX_OPTIONS)
    }
    /// Date of birth field: empty (hidden), `opt` or `req`.
    async fn customer_address_dob_show(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_DOB_SHOW)
    }
    /// Tax/VAT number field: empty (hidden), `opt` or `req`.
    async fn customer_address_taxvat_show(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_TAXVAT_SHOW)
    }
    /// Gender field: empty (hidden), `opt` or `req`.
    async fn customer_address_gender_show(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_GENDER_SHOW)
    }
    /// Telephone field: empty (hidden), `opt` or `req`.
    async fn customer_address_telephone_show(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_TELEPHONE_SHOW)
    }
    /// Company field: empty (hidden), `opt` or `req`.
    async fn customer_address_company_show(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_COMPANY_SHOW)
    }
    /// Fax field: empty (hidden), `opt` or `req`.
    async fn customer_address_fax_show(&self) -> Option<String> {
        self.text(keys::customer::ADDRESS_FAX_SHOW)
    }
}
