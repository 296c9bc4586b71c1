//! A typed key for every registered option, generated from the registry (`UPDATE_KEYS=1 cargo test -p clientele-configuration keys`): read options with these.

/// Options under `admin/`.
pub mod admin {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Maximum Login Failures to Lockout Account (Admin Security).
    pub const SECURITY_LOCKOUT_FAILURES: Key<Number> = Key::new("admin/security/lockout_failures");

    /// Lockout Time (minutes) (Admin Security).
    pub const SECURITY_LOCKOUT_THRESHOLD: Key<Number> = Key::new("admin/security/lockout_threshold");
}

/// Options under `catalog/`.
pub mod catalog {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Share All Catalog Rules with GraphQL (Price Rules Shared with GraphQL).
    pub const RULE_SHARE_ALL_CATALOG_RULES: Key<Flag> = Key::new("catalog/rule/share_all_catalog_rules");

    /// Share Applied Catalog Rules with GraphQL (Price Rules Shared with GraphQL).
    pub const RULE_SHARE_APPLIED_CATALOG_RULES: Key<Flag> = Key::new("catalog/rule/share_applied_catalog_rules");
}

/// Options under `checkout/`.
pub mod checkout {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Enable Guest Checkout Login (Checkout Options).
    pub const OPTIONS_ENABLE_GUEST_CHECKOUT_LOGIN: Key<Flag> = Key::new("checkout/options/enable_guest_checkout_login");
}

/// Options under `currency/`.
pub mod currency {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Base Currency (Currency Setup).
    pub const OPTIONS_BASE: Key<Text> = Key::new("currency/options/base");

    /// Default Display Currency (Currency Setup).
    pub const OPTIONS_DEFAULT: Key<Text> = Key::new("currency/options/default");
}

/// Options under `customer/`.
pub mod customer {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Share Customer Accounts (Account Sharing Options).
    pub const ACCOUNT_SHARE_SCOPE: Key<Text> = Key::new("customer/account_share/scope");

    /// Online Minutes Interval (Online Customers Options).
    pub const ONLINE_CUSTOMERS_ONLINE_MINUTES_INTERVAL: Key<Number> = Key::new("customer/online_customers/online_minutes_interval");

    /// Customer Data Lifetime (Online Customers Options).
    pub const ONLINE_CUSTOMERS_SECTION_DATA_LIFETIME: Key<Number> = Key::new("customer/online_customers/section_data_lifetime");

    /// Enable Automatic Assignment to Customer Group (Create New Account Options).
    pub const CREATE_ACCOUNT_AUTO_GROUP_ASSIGN: Key<Flag> = Key::new("customer/create_account/auto_group_assign");

    /// Tax Calculation Based On (Create New Account Options).
    pub const CREATE_ACCOUNT_TAX_CALCULATION_ADDRESS_TYPE: Key<Text> = Key::new("customer/create_account/tax_calculation_address_type");

    /// Default Group (Create New Account Options).
    pub const CREATE_ACCOUNT_DEFAULT_GROUP: Key<Number> = Key::new("customer/create_account/default_group");

    /// Group for Valid VAT ID - Domestic (Create New Account Options).
    pub const CREATE_ACCOUNT_VIV_DOMESTIC_GROUP: Key<Number> = Key::new("customer/create_account/viv_domestic_group");

    /// Group for Valid VAT ID - Intra-Union (Create New Account Options).
    pub const CREATE_ACCOUNT_VIV_INTRA_UNION_GROUP: Key<Number> = Key::new("customer/create_account/viv_intra_union_group");

    /// Group for Invalid VAT ID (Create New Account Options).
    pub const CREATE_ACCOUNT_VIV_INVALID_GROUP: Key<Number> = Key::new("customer/create_account/viv_invalid_group");

    /// Validation Error Group (Create New Account Options).
    pub const CREATE_ACCOUNT_VIV_ERROR_GROUP: Key<Number> = Key::new("customer/create_account/viv_error_group");

    /// Validate on Each Transaction (Create New Account Options).
    pub const CREATE_ACCOUNT_VIV_ON_EACH_TRANSACTION: Key<Flag> = Key::new("customer/create_account/viv_on_each_transaction");

    /// Default Value for Disable Automatic Group Changes Based on VAT ID (Create New Account Options).
    pub const CREATE_ACCOUNT_VIV_DISABLE_AUTO_GROUP_ASSIGN_DEFAULT: Key<Flag> = Key::new("customer/create_account/viv_disable_auto_group_assign_default");

    /// Show VAT Number on Storefront (Create New Account Options).
    pub const CREATE_ACCOUNT_VAT_FRONTEND_VISIBILITY: Key<Flag> = Key::new("customer/create_account/vat_frontend_visibility");

    /// Email is required field for Admin order creation (Create New Account Options).
    pub const CREATE_ACCOUNT_EMAIL_REQUIRED_CREATE_ORDER: Key<Flag> = Key::new("customer/create_account/email_required_create_order");

    /// Default Email Domain (Create New Account Options).
    pub const CREATE_ACCOUNT_EMAIL_DOMAIN: Key<Text> = Key::new("customer/create_account/email_domain");

    /// Default Welcome Email (Create New Account Options).
    pub const CREATE_ACCOUNT_EMAIL_TEMPLATE: Key<Text> = Key::new("customer/create_account/email_template");

    /// Default Welcome Email Without Password (Create New Account Options).
    pub const CREATE_ACCOUNT_EMAIL_NO_PASSWORD_TEMPLATE: Key<Text> = Key::new("customer/create_account/email_no_password_template");

    /// Email Sender (Create New Account Options).
    pub const CREATE_ACCOUNT_EMAIL_IDENTITY: Key<Text> = Key::new("customer/create_account/email_identity");

    /// Require Emails Confirmation (Create New Account Options).
    pub const CREATE_ACCOUNT_CONFIRM: Key<Flag> = Key::new("customer/create_account/confirm");

    /// Confirmation Link Email (Create New Account Options).
    pub const CREATE_ACCOUNT_EMAIL_CONFIRMATION_TEMPLATE: Key<Text> = Key::new("customer/create_account/email_confirmation_template");

    /// Welcome Email (Create New Account Options).
    pub const CREATE_ACCOUNT_EMAIL_CONFIRMED_TEMPLATE: Key<Text> = Key::new("customer/create_account/email_confirmed_template");

    /// Generate Human-Friendly Customer ID (Create New Account Options).
    pub const CREATE_ACCOUNT_GENERATE_HUMAN_FRIENDLY_ID: Key<Flag> = Key::new("customer/create_account/generate_human_friendly_id");

    /// Password Reset Protection Type (Password Options).
    pub const PASSWORD_PASSWORD_RESET_PROTECTION_TYPE: Key<Text> = Key::new("customer/password/password_reset_protection_type");

    /// Max Number of Password Reset Requests (Password Options).
    pub const PASSWORD_MAX_NUMBER_PASSWORD_RESET_REQUESTS: Key<Number> = Key::new("customer/password/max_number_password_reset_requests");

    /// Min Time Between Password Reset Requests (Password Options).
    pub const PASSWORD_MIN_TIME_BETWEEN_PASSWORD_RESET_REQUESTS: Key<Number> = Key::new("customer/password/min_time_between_password_reset_requests");

    /// Forgot Email Template (Password Options).
    pub const PASSWORD_FORGOT_EMAIL_TEMPLATE: Key<Text> = Key::new("customer/password/forgot_email_template");

    /// Remind Email Template (Password Options).
    pub const PASSWORD_REMIND_EMAIL_TEMPLATE: Key<Text> = Key::new("customer/password/remind_email_template");

    /// Reset Password Template (Password Options).
    pub const PASSWORD_RESET_PASSWORD_TEMPLATE: Key<Text> = Key::new("customer/password/reset_password_template");

    /// Password Template Email Sender (Password Options).
    pub const PASSWORD_FORGOT_EMAIL_IDENTITY: Key<Text> = Key::new("customer/password/forgot_email_identity");

    /// Recovery Link Expiration Period (hours) (Password Options).
    pub const PASSWORD_RESET_LINK_EXPIRATION_PERIOD: Key<Number> = Key::new("customer/password/reset_link_expiration_period");

    /// Enable Autocomplete on login/forgot password forms (Password Options).
    pub const PASSWORD_AUTOCOMPLETE_ON_STOREFRONT: Key<Flag> = Key::new("customer/password/autocomplete_on_storefront");

    /// Number of Required Character Classes (Password Options).
    pub const PASSWORD_REQUIRED_CHARACTER_CLASSES_NUMBER: Key<Number> = Key::new("customer/password/required_character_classes_number");

    /// Minimum Password Strength (0 to 4; 0 turns the check off) (Password Options).
    pub const PASSWORD_MINIMUM_PASSWORD_STRENGTH: Key<Number> = Key::new("customer/password/minimum_password_strength");

    /// Maximum Login Failures to Lockout Account (Password Options).
    pub const PASSWORD_LOCKOUT_FAILURES: Key<Number> = Key::new("customer/password/lockout_failures");

    /// Minimum Password Length (Password Options).
    pub const PASSWORD_MINIMUM_PASSWORD_LENGTH: Key<Number> = Key::new("customer/password/minimum_password_length");

    /// Lockout Time (minutes) (Password Options).
    pub const PASSWORD_LOCKOUT_THRESHOLD: Key<Number> = Key::new("customer/password/lockout_threshold");

    /// Change Email Template (Account Information Options).
    pub const ACCOUNT_INFORMATION_CHANGE_EMAIL_TEMPLATE: Key<Text> = Key::new("customer/account_information/change_email_template");

    /// Change Email and Password Template (Account Information Options).
    pub const ACCOUNT_INFORMATION_CHANGE_EMAIL_AND_PASSWORD_TEMPLATE: Key<Text> = Key::new("customer/account_information/change_email_and_password_template");

    /// Share Customer Group with GraphQL (Account Information Options).
    pub const ACCOUNT_INFORMATION_GRAPHQL_SHARE_CUSTOMER_GROUP: Key<Flag> = Key::new("customer/account_information/graphql_share_customer_group");

    /// Allow Customers to Delete Their Account (Account Information Options).
    pub const ACCOUNT_INFORMATION_ALLOW_CUSTOMER_DELETE: Key<Flag> = Key::new("customer/account_information/allow_customer_delete");

    /// Days Before a Customer Erasure Takes Effect (Account Information Options).
    pub const ACCOUNT_INFORMATION_ERASURE_GRACE_DAYS: Key<Number> = Key::new("customer/account_information/erasure_grace_days");

    /// Number of Lines in a Street Address (Name and Address Options).
    pub const ADDRESS_STREET_LINES: Key<Number> = Key::new("customer/address/street_lines");

    /// Show Prefix (Name and Address Options).
    pub const ADDRESS_PREFIX_SHOW: Key<Text> = Key::new("customer/address/prefix_show");

    /// Prefix Dropdown Options (Name and Address Options).
    pub const ADDRESS_PREFIX_OPTIONS: Key<Text> = Key::new("customer/address/prefix_options");

    /// Show Middle Name (initial) (Name and Address Options).
    pub const ADDRESS_MIDDLENAME_SHOW: Key<Flag> = Key::new("customer/address/middlename_show");

    /// Show Suffix (Name and Address Options).
    pub const ADDRESS_SUFFIX_SHOW: Key<Text> = Key::new("customer/address/suffix_show");

    /// Suffix Dropdown Options (Name and Address Options).
    pub const ADDRESS_SUFFIX_OPTIONS: Key<Text> = Key::new("customer/address/suffix_options");

    /// Show Date of Birth (Name and Address Options).
    pub const ADDRESS_DOB_SHOW: Key<Text> = Key::new("customer/address/dob_show");

    /// Show Tax/VAT Number (Name and Address Options).
    pub const ADDRESS_TAXVAT_SHOW: Key<Text> = Key::new("customer/address/taxvat_show");

    /// Show Gender (Name and Address Options).
    pub const ADDRESS_GENDER_SHOW: Key<Text> = Key::new("customer/address/gender_show");

    /// Show Telephone (Name and Address Options).
    pub const ADDRESS_TELEPHONE_SHOW: Key<Text> = Key::new("customer/address/telephone_show");

    /// Show Company (Name and Address Options).
    pub const ADDRESS_COMPANY_SHOW: Key<Text> = Key::new("customer/address/company_show");

    /// Show Fax (Name and Address Options).
    pub const ADDRESS_FAX_SHOW: Key<Text> = Key::new("customer/address/fax_show");

    /// Enable Store Credit Functionality (Store Credit Options).
    pub const MAGENTO_CUSTOMERBALANCE_IS_ENABLED: Key<Flag> = Key::new("customer/magento_customerbalance/is_enabled");

    /// Show Store Credit History to Customers (Store Credit Options).
    pub const MAGENTO_CUSTOMERBALANCE_SHOW_HISTORY: Key<Flag> = Key::new("customer/magento_customerbalance/show_history");

    /// Refund Store Credit Automatically (Store Credit Options).
    pub const MAGENTO_CUSTOMERBALANCE_REFUND_AUTOMATICALLY: Key<Flag> = Key::new("customer/magento_customerbalance/refund_automatically");

    /// Store Credit Update Email Sender (Store Credit Options).
    pub const MAGENTO_CUSTOMERBALANCE_EMAIL_IDENTITY: Key<Text> = Key::new("customer/magento_customerbalance/email_identity");

    /// Store Credit Update Email Template (Store Credit Options).
    pub const MAGENTO_CUSTOMERBALANCE_EMAIL_TEMPLATE: Key<Text> = Key::new("customer/magento_customerbalance/email_template");

    /// Redirect Customer to Account Dashboard after Logging in (Login Options).
    pub const STARTUP_REDIRECT_DASHBOARD: Key<Flag> = Key::new("customer/startup/redirect_dashboard");

    /// Text (Address Templates).
    pub const ADDRESS_TEMPLATES_TEXT: Key<Text> = Key::new("customer/address_templates/text");

    /// Text One Line (Address Templates).
    pub const ADDRESS_TEMPLATES_ONELINE: Key<Text> = Key::new("customer/address_templates/oneline");

    /// HTML (Address Templates).
    pub const ADDRESS_TEMPLATES_HTML: Key<Text> = Key::new("customer/address_templates/html");

    /// PDF (Address Templates).
    pub const ADDRESS_TEMPLATES_PDF: Key<Text> = Key::new("customer/address_templates/pdf");

    /// Enable Customer Segment Functionality (Customer Segments).
    pub const MAGENTO_CUSTOMERSEGMENT_IS_ENABLED: Key<Flag> = Key::new("customer/magento_customersegment/is_enabled");

    /// Real-time Check if Customer is Matched by Segment (Customer Segments).
    pub const MAGENTO_CUSTOMERSEGMENT_REAL_TIME_CHECK_IF_CUSTOMER_IS_MATCHED_BY_SEGMENT: Key<Flag> = Key::new("customer/magento_customersegment/real_time_check_if_customer_is_matched_by_segment");

    /// Share Active Segments with GraphQL (Customer Segments).
    pub const MAGENTO_CUSTOMERSEGMENT_SHARE_ACTIVE_SEGMENTS: Key<Flag> = Key::new("customer/magento_customersegment/share_active_segments");

    /// Share Applied Cart Rules with GraphQL (Customer Segments).
    pub const MAGENTO_CUSTOMERSEGMENT_SHARE_APPLIED_CART_RULE: Key<Flag> = Key::new("customer/magento_customersegment/share_applied_cart_rule");

    /// Enable CAPTCHA on Storefront (CAPTCHA).
    pub const CAPTCHA_ENABLE: Key<Flag> = Key::new("customer/captcha/enable");

    /// Font (CAPTCHA).
    pub const CAPTCHA_FONT: Key<Text> = Key::new("customer/captcha/font");

    /// Forms (CAPTCHA).
    pub const CAPTCHA_FORMS: Key<List> = Key::new("customer/captcha/forms");

    /// Displaying Mode (CAPTCHA).
    pub const CAPTCHA_MODE: Key<Text> = Key::new("customer/captcha/mode");

    /// Number of Unsuccessful Attempts to Login (CAPTCHA).
    pub const CAPTCHA_FAILED_ATTEMPTS_LOGIN: Key<Number> = Key::new("customer/captcha/failed_attempts_login");

    /// CAPTCHA Timeout (minutes) (CAPTCHA).
    pub const CAPTCHA_TIMEOUT: Key<Number> = Key::new("customer/captcha/timeout");

    /// Number of Symbols (CAPTCHA).
    pub const CAPTCHA_LENGTH: Key<Text> = Key::new("customer/captcha/length");

    /// Symbols Used in CAPTCHA (CAPTCHA).
    pub const CAPTCHA_SYMBOLS: Key<Text> = Key::new("customer/captcha/symbols");

    /// Case Sensitive (CAPTCHA).
    pub const CAPTCHA_CASE_SENSITIVE: Key<Flag> = Key::new("customer/captcha/case_sensitive");

    /// Share All Customer Groups with GraphQL (Account Information Options).
    pub const ACCOUNT_INFORMATION_GRAPHQL_SHARE_ALL_CUSTOMER_GROUPS: Key<Flag> = Key::new("customer/account_information/graphql_share_all_customer_groups");
}

/// Options under `general/`.
pub mod general {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Timezone (General).
    pub const LOCALE_TIMEZONE: Key<Text> = Key::new("general/locale/timezone");

    /// Weight Unit (General).
    pub const LOCALE_WEIGHT_UNIT: Key<Text> = Key::new("general/locale/weight_unit");

    /// Allow to Choose State if It is Optional for Country (General).
    pub const REGION_DISPLAY_ALL: Key<Flag> = Key::new("general/region/display_all");

    /// Locale (General).
    pub const LOCALE_CODE: Key<Text> = Key::new("general/locale/code");

    /// Default Country (General).
    pub const COUNTRY_DEFAULT: Key<Text> = Key::new("general/country/default");

    /// Zip/Postal Code is Optional for (General).
    pub const COUNTRY_OPTIONAL_ZIP_COUNTRIES: Key<List> = Key::new("general/country/optional_zip_countries");

    /// State is Required for (General).
    pub const REGION_STATE_REQUIRED: Key<List> = Key::new("general/region/state_required");
}

/// Options under `login_as_customer/`.
pub mod login_as_customer {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Enable Login as Customer (Login as Customer).
    pub const GENERAL_ENABLED: Key<Flag> = Key::new("login_as_customer/general/enabled");

    /// Disable Page Cache for Admin User (Login as Customer).
    pub const GENERAL_DISABLE_PAGE_CACHE: Key<Flag> = Key::new("login_as_customer/general/disable_page_cache");

    /// Store View to Log in (Login as Customer).
    pub const GENERAL_STORE_VIEW_MANUAL_CHOICE_ENABLED: Key<Text> = Key::new("login_as_customer/general/store_view_manual_choice_enabled");

    /// Title for Login as Customer opt-in checkbox (Login as Customer).
    pub const GENERAL_SHOPPING_ASSISTANCE_CHECKBOX_TITLE: Key<Text> = Key::new("login_as_customer/general/shopping_assistance_checkbox_title");

    /// Login as Customer checkbox tooltip (Login as Customer).
    pub const GENERAL_SHOPPING_ASSISTANCE_CHECKBOX_TOOLTIP: Key<Text> = Key::new("login_as_customer/general/shopping_assistance_checkbox_tooltip");

    /// One-Time Code Lifetime (seconds) (Login as Customer).
    pub const GENERAL_ONE_TIME_CODE_LIFETIME: Key<Number> = Key::new("login_as_customer/general/one_time_code_lifetime");

    /// Login as Customer Session Lifetime (minutes) (Login as Customer).
    pub const GENERAL_SESSION_LIFETIME: Key<Number> = Key::new("login_as_customer/general/session_lifetime");
}

/// Options under `newsletter/`.
pub mod newsletter {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Enabled (Newsletter).
    pub const GENERAL_ACTIVE: Key<Flag> = Key::new("newsletter/general/active");

    /// Allow Guest Subscription (Newsletter).
    pub const SUBSCRIPTION_ALLOW_GUEST_SUBSCRIBE: Key<Flag> = Key::new("newsletter/subscription/allow_guest_subscribe");

    /// Need to Confirm (Newsletter).
    pub const SUBSCRIPTION_CONFIRM: Key<Flag> = Key::new("newsletter/subscription/confirm");

    /// Consent Text Version (Newsletter).
    pub const SUBSCRIPTION_CONSENT_TEXT_VERSION: Key<Text> = Key::new("newsletter/subscription/consent_text_version");

    /// Confirmation Email Sender (Newsletter).
    pub const SUBSCRIPTION_CONFIRM_EMAIL_IDENTITY: Key<Text> = Key::new("newsletter/subscription/confirm_email_identity");

    /// Confirmation Email Template (Newsletter).
    pub const SUBSCRIPTION_CONFIRM_EMAIL_TEMPLATE: Key<Text> = Key::new("newsletter/subscription/confirm_email_template");

    /// Success Email Sender (Newsletter).
    pub const SUBSCRIPTION_SUCCESS_EMAIL_IDENTITY: Key<Text> = Key::new("newsletter/subscription/success_email_identity");

    /// Success Email Template (Newsletter).
    pub const SUBSCRIPTION_SUCCESS_EMAIL_TEMPLATE: Key<Text> = Key::new("newsletter/subscription/success_email_template");

    /// Unsubscription Email Sender (Newsletter).
    pub const SUBSCRIPTION_UN_EMAIL_IDENTITY: Key<Text> = Key::new("newsletter/subscription/un_email_identity");

    /// Unsubscription Email Template (Newsletter).
    pub const SUBSCRIPTION_UN_EMAIL_TEMPLATE: Key<Text> = Key::new("newsletter/subscription/un_email_template");
}

/// Options under `oauth/`.
pub mod oauth {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Customer Token Lifetime (hours) (OAuth Access Tokens).
    pub const ACCESS_TOKEN_LIFETIME_CUSTOMER: Key<Number> = Key::new("oauth/access_token_lifetime/customer");

    /// Admin Token Lifetime (hours) (OAuth Access Tokens).
    pub const ACCESS_TOKEN_LIFETIME_ADMIN: Key<Number> = Key::new("oauth/access_token_lifetime/admin");
}

/// Options under `persistent/`.
pub mod persistent {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Enable Persistence (Persistent Shopping Cart).
    pub const OPTIONS_ENABLED: Key<Flag> = Key::new("persistent/options/enabled");

    /// Persistence Lifetime (seconds) (Persistent Shopping Cart).
    pub const OPTIONS_LIFETIME: Key<Number> = Key::new("persistent/options/lifetime");

    /// Enable "Remember Me" (Persistent Shopping Cart).
    pub const OPTIONS_REMEMBER_ENABLED: Key<Flag> = Key::new("persistent/options/remember_enabled");

    /// "Remember Me" Default Value (Persistent Shopping Cart).
    pub const OPTIONS_REMEMBER_DEFAULT: Key<Flag> = Key::new("persistent/options/remember_default");

    /// Clear Persistence on Sign Out (Persistent Shopping Cart).
    pub const OPTIONS_LOGOUT_CLEAR: Key<Flag> = Key::new("persistent/options/logout_clear");

    /// Persist Shopping Cart (Persistent Shopping Cart).
    pub const OPTIONS_SHOPPING_CART: Key<Flag> = Key::new("persistent/options/shopping_cart");

    /// Persist Wish List (Persistent Shopping Cart).
    pub const OPTIONS_WISHLIST: Key<Flag> = Key::new("persistent/options/wishlist");

    /// Persist Recently Ordered Items (Persistent Shopping Cart).
    pub const OPTIONS_RECENTLY_ORDERED: Key<Flag> = Key::new("persistent/options/recently_ordered");

    /// Persist Currently Compared Products (Persistent Shopping Cart).
    pub const OPTIONS_COMPARE_CURRENT: Key<Flag> = Key::new("persistent/options/compare_current");

    /// Persist Comparison History (Persistent Shopping Cart).
    pub const OPTIONS_COMPARE_HISTORY: Key<Flag> = Key::new("persistent/options/compare_history");

    /// Persist Recently Viewed Products (Persistent Shopping Cart).
    pub const OPTIONS_RECENTLY_VIEWED: Key<Flag> = Key::new("persistent/options/recently_viewed");

    /// Persist Customer Group Membership and Segmentation (Persistent Shopping Cart).
    pub const OPTIONS_CUSTOMER: Key<Flag> = Key::new("persistent/options/customer");
}

/// Options under `promo/`.
pub mod promo {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Share All Cart Price Rules with GraphQL (Price Rules Shared with GraphQL).
    pub const GRAPHQL_SHARE_ALL_SALES_RULE: Key<Flag> = Key::new("promo/graphql/share_all_sales_rule");

    /// Share Applied Cart Price Rules with GraphQL (Price Rules Shared with GraphQL).
    pub const GRAPHQL_SHARE_APPLIED_SALES_RULE: Key<Flag> = Key::new("promo/graphql/share_applied_sales_rule");
}

/// Options under `web/`.
pub mod web {
    #[allow(unused_imports)]
    use crate::key::{Flag, Key, List, Number, Text};

    /// Cookie Lifetime (Web).
    pub const COOKIE_COOKIE_LIFETIME: Key<Number> = Key::new("web/cookie/cookie_lifetime");

    /// Base URL (Web).
    pub const UNSECURE_BASE_URL: Key<Text> = Key::new("web/unsecure/base_url");

    /// Secure Base URL (Web).
    pub const SECURE_BASE_URL: Key<Text> = Key::new("web/secure/base_url");

    /// Base URL for User Media Files (Web).
    pub const UNSECURE_BASE_MEDIA_URL: Key<Text> = Key::new("web/unsecure/base_media_url");

    /// Secure Base URL for User Media Files (Web).
    pub const SECURE_BASE_MEDIA_URL: Key<Text> = Key::new("web/secure/base_media_url");

    /// Base Link URL (Web).
    pub const UNSECURE_BASE_LINK_URL: Key<Text> = Key::new("web/unsecure/base_link_url");

    /// Secure Base Link URL (Web).
    pub const SECURE_BASE_LINK_URL: Key<Text> = Key::new("web/secure/base_link_url");

    /// Base URL for Static View Files (Web).
    pub const UNSECURE_BASE_STATIC_URL: Key<Text> = Key::new("web/unsecure/base_static_url");

    /// Secure Base URL for Static View Files (Web).
    pub const SECURE_BASE_STATIC_URL: Key<Text> = Key::new("web/secure/base_static_url");

    /// Add Store Code to Urls (Web).
    pub const URL_USE_STORE: Key<Flag> = Key::new("web/url/use_store");
}
