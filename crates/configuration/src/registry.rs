//! The option registry: every configuration option Clientele knows, with the documented default.
//! Paths follow Adobe Commerce's `section/group/field` so that exported configuration reads the same.

use crate::value::ValueKind::{self, *};

/// The narrowest scope at which an option may be set (it can always be set at wider scopes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScopeLevel {
    /// Only at the default (global) scope.
    Global,
    /// Default or website.
    Website,
    /// Default, website or store view.
    StoreView,
}

/// One configuration option.
#[derive(Debug, Clone, Copy)]
pub struct ConfigOption {
    /// `section/group/field` path.
    pub path: &'static str,
    /// Admin label, as the guide names it.
    pub label: &'static str,
    /// Admin group heading, e.g. "Password Options".
    pub group: &'static str,
    /// Narrowest scope at which the option may be set.
    pub scope: ScopeLevel,
    /// Type and limits.
    pub kind: ValueKind,
    /// Documented default, in canonical form.
    pub default: &'static str,
    /// Whether storefronts may read it (through `storeConfig`).
    pub public: bool,
}

const fn opt(
    path: &'static str,
    label: &'static str,
    group: &'static str,
    scope: ScopeLevel,
    kind: ValueKind,
    default: &'static str,
) -> ConfigOption {
    ConfigOption {
        path,
        label,
        group,
        scope,
        kind,
        default,
        public: false,
    }
}

const fn public(mut option: ConfigOption) -> ConfigOption {
    option.public = true;
    option
}

use ScopeLevel::{Global, StoreView, Website};

const SHOW: &[(&str, &str)] = &[("", "No"), ("opt", "Optional"), ("req", "Required")];
const IDENTITY: &[(&str, &str)] = &[
    ("general", "General Contact"),
    ("sales", "Sales Representative"),
    ("support", "Customer Support"),
    ("custom1", "Custom Email 1"),
    ("custom2", "Custom Email 2"),
];
const RESET_PROTECTION: &[(&str, &str)] = &[
    ("1", "By IP and Email"),
    ("2", "By IP"),
    ("3", "By Email"),
    ("0", "None"),
];
const CAPTCHA_FORMS: &[(&str, &str)] = &[
    ("sales_rule_coupon_request", "Applying Coupon Code"),
    ("payment_processing_request", "Checkout/Placing Order"),
    ("user_create", "Create user"),
    ("user_login", "Login"),
    ("user_forgotpassword", "Forgot password"),
    ("contact_us", "Contact Us"),
    ("customer_edit", "Change password"),
    ("wishlist_sharing", "Share Wishlist Form"),
    ("sendfriend_send", "Send to Friend Form"),
    ("co_payflowpro", "Payflow Pro"),
    ("giftcard_code", "Add Gift Card Code"),
    ("company_create", "Create company"),
];
const TEXT: ValueKind = Text {
    max: 255,
    multiline: false,
};
const TEMPLATE: ValueKind = Text {
    max: 255,
    multiline: false,
};
const ADDRESS_TEMPLATE: ValueKind = Text {
    max: 4000,
    multiline: true,
};
const YES: &str = "1";
const NO: &str = "0";
const UNBOUNDED: i64 = i64::MAX;

const SHARING: &str = "Account Sharing Options";
const ONLINE: &str = "Online Customers Options";
const CREATE: &str = "Create New Account Options";
const PASSWORD: &str = "Password Options";
const ACCOUNT_INFO: &str = "Account Information Options";
const NAME_ADDRESS: &str = "Name and Address Options";
const STORE_CREDIT: &str = "Store Credit Options";
const LOGIN: &str = "Login Options";
const ADDRESS_TEMPLATES: &str = "Address Templates";
const SEGMENTS: &str = "Customer Segments";
const CAPTCHA: &str = "CAPTCHA";
const LOGIN_AS: &str = "Login as Customer";
const NEWSLETTER: &str = "Newsletter";
const PERSISTENT: &str = "Persistent Shopping Cart";
const WEB: &str = "Web";
const GENERAL: &str = "General";
const CURRENCY: &str = "Currency Setup";
const RULES: &str = "Price Rules Shared with GraphQL";
const TOKENS: &str = "OAuth Access Tokens";
const ADMIN_SECURITY: &str = "Admin Security";
const CHECKOUT: &str = "Checkout Options";

static OPTIONS: &[ConfigOption] = &[
    // 2.1 Account Sharing Options
    public(opt(
        "customer/account_share/scope",
        "Share Customer Accounts",
        SHARING,
        Global,
        Choice(&[("0", "Global"), ("1", "Per Website")]),
        "1",
    )),
    // 2.2 Online Customers Options
    opt(
        "customer/online_customers/online_minutes_interval",
        "Online Minutes Interval",
        ONLINE,
        Global,
        OptionalInt { min: 1, max: 1440 },
        "",
    ),
    opt(
        "customer/online_customers/section_data_lifetime",
        "Customer Data Lifetime",
        ONLINE,
        Global,
        Int {
            min: 1,
            max: UNBOUNDED,
        },
        "60",
    ),
    // 2.3 Create New Account Options
    opt(
        "customer/create_account/auto_group_assign",
        "Enable Automatic Assignment to Customer Group",
        CREATE,
        StoreView,
        Bool,
        NO,
    ),
    opt(
        "customer/create_account/tax_calculation_address_type",
        "Tax Calculation Based On",
        CREATE,
        StoreView,
        Choice(&[
            ("billing", "Billing Address"),
            ("shipping", "Shipping Address"),
        ]),
        "billing",
    ),
    opt(
        "customer/create_account/default_group",
        "Default Group",
        CREATE,
        StoreView,
        CustomerGroup { optional: false },
        "1",
    ),
    opt(
        "customer/create_account/viv_domestic_group",
        "Group for Valid VAT ID - Domestic",
        CREATE,
        StoreView,
        CustomerGroup { optional: true },
        "",
    ),
    opt(
        "customer/create_account/viv_intra_union_group",
        "Group for Valid VAT ID - Intra-Union",
        CREATE,
        StoreView,
        CustomerGroup { optional: true },
        "",
    ),
    opt(
        "customer/create_account/viv_invalid_group",
        "Group for Invalid VAT ID",
        CREATE,
        StoreView,
        CustomerGroup { optional: true },
        "",
    ),
    opt(
        "customer/create_account/viv_error_group",
        "Validation Error Group",
        CREATE,
        StoreView,
        CustomerGroup { optional: true },
        "",
    ),
    opt(
        "customer/create_account/viv_on_each_transaction",
        "Validate on Each Transaction",
        CREATE,
        StoreView,
        Bool,
        NO,
    ),
    opt(
        "customer/create_account/viv_disable_auto_group_assign_default",
        "Default Value for Disable Automatic Group Changes Based on VAT ID",
        CREATE,
        Global,
        Bool,
        NO,
    ),
    public(opt(
        "customer/create_account/vat_frontend_visibility",
        "Show VAT Number on Storefront",
        CREATE,
        Website,
        Bool,
        NO,
    )),
    opt(
        "customer/create_account/email_required_create_order",
        "Email is required field for Admin order creation",
        CREATE,
        StoreView,
        Bool,
        YES,
    ),
    opt(
        "customer/create_account/email_domain",
        "Default Email Domain",
        CREATE,
        StoreView,
        TEXT,
        "example.com",
    ),
    opt(
        "customer/create_account/email_template",
        "Default Welcome Email",
        CREATE,
        StoreView,
        TEMPLATE,
        "customer_create_account_email_template",
    ),
    opt(
        "customer/create_account/email_no_password_template",
        "Default Welcome Email Without Password",
        CREATE,
        StoreView,
        TEMPLATE,
        "customer_create_account_email_no_password_template",
    ),
    opt(
        "customer/create_account/email_identity",
        "Email Sender",
        CREATE,
        StoreView,
        Choice(IDENTITY),
        "general",
    ),
    public(opt(
        "customer/create_account/confirm",
        "Require Emails Confirmation",
        CREATE,
        Website,
        Bool,
        NO,
    )),
    opt(
        "customer/create_account/email_confirmation_template",
        "Confirmation Link Email",
        CREATE,
        StoreView,
        TEMPLATE,
        "customer_create_account_email_confirmation_template",
    ),
    opt(
        "customer/create_account/email_confirmed_template",
        "Welcome Email",
        CREATE,
        StoreView,
        TEMPLATE,
        "customer_create_account_email_confirmed_template",
    ),
    opt(
        "customer/create_account/generate_human_friendly_id",
        "Generate Human-Friendly Customer ID",
        CREATE,
        Global,
        Bool,
        NO,
    ),
    // 2.4 Password Options
    opt(
        "customer/password/password_reset_protection_type",
        "Password Reset Protection Type",
        PASSWORD,
        StoreView,
        Choice(RESET_PROTECTION),
        "1",
    ),
    opt(
        "customer/password/max_number_password_reset_requests",
        "Max Number of Password Reset Requests",
        PASSWORD,
        StoreView,
        Int {
            min: 0,
            max: UNBOUNDED,
        },
        "5",
    ),
    opt(
        "customer/password/min_time_between_password_reset_requests",
        "Min Time Between Password Reset Requests",
        PASSWORD,
        StoreView,
        Int {
            min: 0,
            max: UNBOUNDED,
        },
        "10",
    ),
    opt(
        "customer/password/forgot_email_template",
        "Forgot Email Template",
        PASSWORD,
        StoreView,
        TEMPLATE,
        "customer_password_forgot_email_template",
    ),
    opt(
        "customer/password/remind_email_template",
        "Remind Email Template",
        PASSWORD,
        StoreView,
        TEMPLATE,
        "customer_password_remind_email_template",
    ),
    opt(
        "customer/password/reset_password_template",
        "Reset Password Template",
        PASSWORD,
        StoreView,
        TEMPLATE,
        "customer_password_reset_password_template",
    ),
    opt(
        "customer/password/forgot_email_identity",
        "Password Template Email Sender",
        PASSWORD,
        StoreView,
        Choice(IDENTITY),
        "support",
    ),
    opt(
        "customer/password/reset_link_expiration_period",
        "Recovery Link Expiration Period (hours)",
        PASSWORD,
        Global,
        Int {
            min: 1,
            max: UNBOUNDED,
        },
        "2",
    ),
    public(opt(
        "customer/password/autocomplete_on_storefront",
        "Enable Autocomplete on login/forgot password forms",
        PASSWORD,
        Website,
        Bool,
        NO,
    )),
    public(opt(
        "customer/password/required_character_classes_number",
        "Number of Required Character Classes",
        PASSWORD,
        Global,
        Int { min: 0, max: 4 },
        "3",
    )),
    // Clientele's addition: zxcvbn's guessability score (0 to 4) a new password must reach,
    // with the email's local part and the store's names counted as known to the guesser.
    opt(
        "customer/password/minimum_password_strength",
        "Minimum Password Strength (0 to 4; 0 turns the check off)",
        PASSWORD,
        Global,
        Int { min: 0, max: 4 },
        "3",
    ),
    opt(
        "customer/password/lockout_failures",
        "Maximum Login Failures to Lockout Account",
        PASSWORD,
        Global,
        Int {
            min: 0,
            max: UNBOUNDED,
        },
        "10",
    ),
    public(opt(
        "customer/password/minimum_password_length",
        "Minimum Password Length",
        PASSWORD,
        Global,
        Int { min: 1, max: 256 },
        "8",
    )),
    opt(
        "customer/password/lockout_threshold",
        "Lockout Time (minutes)",
        PASSWORD,
        Global,
        Int {
            min: 1,
            max: UNBOUNDED,
        },
        "10",
    ),
    // 2.5 Account Information Options
    opt(
        "customer/account_information/change_email_template",
        "Change Email Template",
        ACCOUNT_INFO,
        StoreView,
        TEMPLATE,
        "customer_account_information_change_email_template",
    ),
    opt(
        "customer/account_information/change_email_and_password_template",
        "Change Email and Password Template",
        ACCOUNT_INFO,
        StoreView,
        TEMPLATE,
        "customer_account_information_change_email_and_password_template",
    ),
    public(opt(
        "customer/account_information/graphql_share_customer_group",
        "Share Customer Group with GraphQL",
        ACCOUNT_INFO,
        StoreView,
        Bool,
        YES,
    )),
    opt(
        "customer/account_information/allow_customer_delete",
        "Allow Customers to Delete Their Account",
        ACCOUNT_INFO,
        Website,
        Bool,
        YES,
    ),
    opt(
        "customer/account_information/erasure_grace_days",
        "Days Before a Customer Erasure Takes Effect",
        ACCOUNT_INFO,
        Website,
        Int { min: 0, max: 90 },
        "0",
    ),
    // 2.6 Name and Address Options
    public(opt(
        "customer/address/street_lines",
        "Number of Lines in a Street Address",
        NAME_ADDRESS,
        Website,
        Int { min: 1, max: 20 },
        "2",
    )),
    public(opt(
        "customer/address/prefix_show",
        "Show Prefix",
        NAME_ADDRESS,
        Website,
        Choice(SHOW),
        "",
    )),
    public(opt(
        "customer/address/prefix_options",
        "Prefix Dropdown Options",
        NAME_ADDRESS,
        Website,
        TEXT,
        "",
    )),
    public(opt(
        "customer/address/middlename_show",
        "Show Middle Name (initial)",
        NAME_ADDRESS,
        Website,
        Bool,
        NO,
    )),
    public(opt(
        "customer/address/suffix_show",
        "Show Suffix",
        NAME_ADDRESS,
        Website,
        Choice(SHOW),
        "",
    )),
    public(opt(
        "customer/address/suffix_options",
        "Suffix Dropdown Options",
        NAME_ADDRESS,
        Website,
        TEXT,
        "",
    )),
    public(opt(
        "customer/address/dob_show",
        "Show Date of Birth",
        NAME_ADDRESS,
        Website,
        Choice(SHOW),
        "",
    )),
    public(opt(
        "customer/address/taxvat_show",
        "Show Tax/VAT Number",
        NAME_ADDRESS,
        Website,
        Choice(SHOW),
        "",
    )),
    public(opt(
        "customer/address/gender_show",
        "Show Gender",
        NAME_ADDRESS,
        Website,
        Choice(SHOW),
        "",
    )),
    public(opt(
        "customer/address/telephone_show",
        "Show Telephone",
        NAME_ADDRESS,
        Website,
        Choice(SHOW),
        "req",
    )),
    public(opt(
        "customer/address/company_show",
        "Show Company",
        NAME_ADDRESS,
        Website,
        Choice(SHOW),
        "opt",
    )),
    public(opt(
        "customer/address/fax_show",
        "Show Fax",
        NAME_ADDRESS,
        Website,
        Choice(SHOW),
        "",
    )),
    // 2.7 Store Credit Options
    opt(
        "customer/magento_customerbalance/is_enabled",
        "Enable Store Credit Functionality",
        STORE_CREDIT,
        Global,
        Bool,
        YES,
    ),
    opt(
        "customer/magento_customerbalance/show_history",
        "Show Store Credit History to Customers",
        STORE_CREDIT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "customer/magento_customerbalance/refund_automatically",
        "Refund Store Credit Automatically",
        STORE_CREDIT,
        Global,
        Bool,
        NO,
    ),
    opt(
        "customer/magento_customerbalance/email_identity",
        "Store Credit Update Email Sender",
        STORE_CREDIT,
        StoreView,
        Choice(IDENTITY),
        "general",
    ),
    opt(
        "customer/magento_customerbalance/email_template",
        "Store Credit Update Email Template",
        STORE_CREDIT,
        StoreView,
        TEMPLATE,
        "customer_magento_customerbalance_email_template",
    ),
    // 2.8 Login Options
    public(opt(
        "customer/startup/redirect_dashboard",
        "Redirect Customer to Account Dashboard after Logging in",
        LOGIN,
        Website,
        Bool,
        YES,
    )),
    // 2.9 Address Templates
    opt(
        "customer/address_templates/text",
        "Text",
        ADDRESS_TEMPLATES,
        StoreView,
        ADDRESS_TEMPLATE,
        "{{depend prefix}}{{var prefix}} {{/depend}}{{var firstname}} {{depend middlename}}{{var middlename}} {{/depend}}{{var lastname}}{{depend suffix}} {{var suffix}}{{/depend}}\n{{depend company}}{{var company}}{{/depend}}\n{{if street1}}{{var street1}}\n{{/if}}\n{{depend street2}}{{var street2}}{{/depend}}\n{{depend street3}}{{var street3}}{{/depend}}\n{{depend street4}}{{var street4}}{{/depend}}\n{{if city}}{{var city}},  {{/if}}{{if region}}{{var region}}, {{/if}}{{if postcode}}{{var postcode}}{{/if}}\n{{var country}}\n{{depend telephone}}T: {{var telephone}}{{/depend}}\n{{depend fax}}F: {{var fax}}{{/depend}}\n{{depend vat_id}}VAT: {{var vat_id}}{{/depend}}",
    ),
    opt(
        "customer/address_templates/oneline",
        "Text One Line",
        ADDRESS_TEMPLATES,
        StoreView,
        ADDRESS_TEMPLATE,
        "{{depend prefix}}{{var prefix}} {{/depend}}{{var firstname}} {{depend middlename}}{{var middlename}} {{/depend}}{{var lastname}}{{depend suffix}} {{var suffix}}{{/depend}}, {{var street}}, {{var city}}, {{var region}} {{var postcode}}, {{var country}}",
    ),
    opt(
        "customer/address_templates/html",
        "HTML",
        ADDRESS_TEMPLATES,
        StoreView,
        ADDRESS_TEMPLATE,
        "{{depend prefix}}{{var prefix}} {{/depend}}{{var firstname}} {{depend middlename}}{{var middlename}} {{/depend}}{{var lastname}}{{depend suffix}} {{var suffix}}{{/depend}}{{depend firstname}}<br />{{/depend}}\n{{depend company}}{{var company}}<br />{{/depend}}\n{{if street1}}{{var street1}}<br />{{/if}}\n{{depend street2}}{{var street2}}<br />{{/depend}}\n{{depend street3}}{{var street3}}<br />{{/depend}}\n{{depend street4}}{{var street4}}<br />{{/depend}}\n{{if city}}{{var city}},  {{/if}}{{if region}}{{var region}}, {{/if}}{{if postcode}}{{var postcode}}{{/if}}<br />\n{{var country}}<br />\n{{depend telephone}}T: <a href=\"tel:{{var telephone}}\">{{var telephone}}</a>{{/depend}}\n{{depend fax}}<br />F: {{var fax}}{{/depend}}\n{{depend vat_id}}<br />VAT: {{var vat_id}}{{/depend}}",
    ),
    opt(
        "customer/address_templates/pdf",
        "PDF",
        ADDRESS_TEMPLATES,
        StoreView,
        ADDRESS_TEMPLATE,
        "{{depend prefix}}{{var prefix}} {{/depend}}{{var firstname}} {{depend middlename}}{{var middlename}} {{/depend}}{{var lastname}}{{depend suffix}} {{var suffix}}{{/depend}}|\n{{depend company}}{{var company}}|{{/depend}}\n{{if street1}}{{var street1}}|{{/if}}\n{{depend street2}}{{var street2}}|{{/depend}}\n{{depend street3}}{{var street3}}|{{/depend}}\n{{depend street4}}{{var street4}}|{{/depend}}\n{{if city}}{{var city}}, {{/if}}{{if region}}{{var region}}, {{/if}}{{if postcode}}{{var postcode}}{{/if}}|\n{{var country}}|\n{{depend telephone}}T: {{var telephone}}|{{/depend}}\n{{depend fax}}F: {{var fax}}|{{/depend}}|\n{{depend vat_id}}VAT: {{var vat_id}}{{/depend}}|",
    ),
    // 2.10 Customer Segments
    opt(
        "customer/magento_customersegment/is_enabled",
        "Enable Customer Segment Functionality",
        SEGMENTS,
        Global,
        Bool,
        YES,
    ),
    opt(
        "customer/magento_customersegment/real_time_check_if_customer_is_matched_by_segment",
        "Real-time Check if Customer is Matched by Segment",
        SEGMENTS,
        Global,
        Bool,
        YES,
    ),
    public(opt(
        "customer/magento_customersegment/share_active_segments",
        "Share Active Segments with GraphQL",
        SEGMENTS,
        Website,
        Bool,
        YES,
    )),
    public(opt(
        "customer/magento_customersegment/share_applied_cart_rule",
        "Share Applied Cart Rules with GraphQL",
        SEGMENTS,
        Website,
        Bool,
        NO,
    )),
    // 2.11 CAPTCHA
    opt(
        "customer/captcha/enable",
        "Enable CAPTCHA on Storefront",
        CAPTCHA,
        Website,
        Bool,
        YES,
    ),
    opt(
        "customer/captcha/font",
        "Font",
        CAPTCHA,
        Website,
        Choice(&[("linlibertine", "LinLibertine")]),
        "linlibertine",
    ),
    opt(
        "customer/captcha/forms",
        "Forms",
        CAPTCHA,
        Website,
        MultiChoice(CAPTCHA_FORMS),
        "user_forgotpassword",
    ),
    opt(
        "customer/captcha/mode",
        "Displaying Mode",
        CAPTCHA,
        Website,
        Choice(&[
            ("always", "Always"),
            ("after_fail", "After number of attempts to login"),
        ]),
        "after_fail",
    ),
    opt(
        "customer/captcha/failed_attempts_login",
        "Number of Unsuccessful Attempts to Login",
        CAPTCHA,
        Website,
        Int {
            min: 0,
            max: UNBOUNDED,
        },
        "3",
    ),
    opt(
        "customer/captcha/timeout",
        "CAPTCHA Timeout (minutes)",
        CAPTCHA,
        Website,
        Int {
            min: 1,
            max: UNBOUNDED,
        },
        "7",
    ),
    opt(
        "customer/captcha/length",
        "Number of Symbols",
        CAPTCHA,
        Website,
        CaptchaLength,
        "4-5",
    ),
    opt(
        "customer/captcha/symbols",
        "Symbols Used in CAPTCHA",
        CAPTCHA,
        Website,
        CaptchaSymbols,
        "ABCDEFGHJKMnpqrstuvwxyz23456789",
    ),
    opt(
        "customer/captcha/case_sensitive",
        "Case Sensitive",
        CAPTCHA,
        Website,
        Bool,
        NO,
    ),
    // 2.12 Login as Customer
    public(opt(
        "login_as_customer/general/enabled",
        "Enable Login as Customer",
        LOGIN_AS,
        Global,
        Bool,
        NO,
    )),
    opt(
        "login_as_customer/general/disable_page_cache",
        "Disable Page Cache for Admin User",
        LOGIN_AS,
        Global,
        Bool,
        YES,
    ),
    opt(
        "login_as_customer/general/store_view_manual_choice_enabled",
        "Store View to Log in",
        LOGIN_AS,
        Global,
        Choice(&[("0", "Auto-Detection (default)"), ("1", "Manual Selection")]),
        "0",
    ),
    public(opt(
        "login_as_customer/general/shopping_assistance_checkbox_title",
        "Title for Login as Customer opt-in checkbox",
        LOGIN_AS,
        Website,
        TEXT,
        "Allow remote shopping assistance",
    )),
    public(opt(
        "login_as_customer/general/shopping_assistance_checkbox_tooltip",
        "Login as Customer checkbox tooltip",
        LOGIN_AS,
        Website,
        Text {
            max: 1000,
            multiline: false,
        },
        "This allows merchants to \"see what you see\" and take actions on your behalf in order to provide better assistance.",
    )),
    opt(
        "login_as_customer/general/one_time_code_lifetime",
        "One-Time Code Lifetime (seconds)",
        LOGIN_AS,
        Global,
        Int { min: 1, max: 3600 },
        "60",
    ),
    opt(
        "login_as_customer/general/session_lifetime",
        "Login as Customer Session Lifetime (minutes)",
        LOGIN_AS,
        Global,
        Int { min: 1, max: 1440 },
        "60",
    ),
    // Newsletter
    public(opt(
        "newsletter/general/active",
        "Enabled",
        NEWSLETTER,
        StoreView,
        Bool,
        YES,
    )),
    opt(
        "newsletter/subscription/allow_guest_subscribe",
        "Allow Guest Subscription",
        NEWSLETTER,
        StoreView,
        Bool,
        YES,
    ),
    opt(
        "newsletter/subscription/confirm",
        "Need to Confirm",
        NEWSLETTER,
        StoreView,
        Bool,
        NO,
    ),
    opt(
        "newsletter/subscription/consent_text_version",
        "Consent Text Version",
        NEWSLETTER,
        StoreView,
        TEXT,
        "1",
    ),
    opt(
        "newsletter/subscription/confirm_email_identity",
        "Confirmation Email Sender",
        NEWSLETTER,
        StoreView,
        Choice(IDENTITY),
        "support",
    ),
    opt(
        "newsletter/subscription/confirm_email_template",
        "Confirmation Email Template",
        NEWSLETTER,
        StoreView,
        TEMPLATE,
        "newsletter_subscription_confirm_email_template",
    ),
    opt(
        "newsletter/subscription/success_email_identity",
        "Success Email Sender",
        NEWSLETTER,
        StoreView,
        Choice(IDENTITY),
        "general",
    ),
    opt(
        "newsletter/subscription/success_email_template",
        "Success Email Template",
        NEWSLETTER,
        StoreView,
        TEMPLATE,
        "newsletter_subscription_success_email_template",
    ),
    opt(
        "newsletter/subscription/un_email_identity",
        "Unsubscription Email Sender",
        NEWSLETTER,
        StoreView,
        Choice(IDENTITY),
        "support",
    ),
    opt(
        "newsletter/subscription/un_email_template",
        "Unsubscription Email Template",
        NEWSLETTER,
        StoreView,
        TEMPLATE,
        "newsletter_subscription_un_email_template",
    ),
    // Persistent Shopping Cart
    opt(
        "persistent/options/enabled",
        "Enable Persistence",
        PERSISTENT,
        Website,
        Bool,
        NO,
    ),
    opt(
        "persistent/options/lifetime",
        "Persistence Lifetime (seconds)",
        PERSISTENT,
        Website,
        Int {
            min: 0,
            max: 3_153_600_000,
        },
        "31536000",
    ),
    opt(
        "persistent/options/remember_enabled",
        "Enable \"Remember Me\"",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/remember_default",
        "\"Remember Me\" Default Value",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/logout_clear",
        "Clear Persistence on Sign Out",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/shopping_cart",
        "Persist Shopping Cart",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/wishlist",
        "Persist Wish List",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/recently_ordered",
        "Persist Recently Ordered Items",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/compare_current",
        "Persist Currently Compared Products",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/compare_history",
        "Persist Comparison History",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/recently_viewed",
        "Persist Recently Viewed Products",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    opt(
        "persistent/options/customer",
        "Persist Customer Group Membership and Segmentation",
        PERSISTENT,
        Website,
        Bool,
        YES,
    ),
    // Web and general store facts that storefronts read through storeConfig
    opt(
        "web/cookie/cookie_lifetime",
        "Cookie Lifetime",
        WEB,
        StoreView,
        Int {
            min: 0,
            max: UNBOUNDED,
        },
        "3600",
    ),
    public(opt(
        "web/unsecure/base_url",
        "Base URL",
        WEB,
        StoreView,
        BaseUrl,
        "http://localhost:8080/",
    )),
    public(opt(
        "web/secure/base_url",
        "Secure Base URL",
        WEB,
        StoreView,
        BaseUrl,
        "http://localhost:8080/",
    )),
    public(opt(
        "web/unsecure/base_media_url",
        "Base URL for User Media Files",
        WEB,
        StoreView,
        BaseUrl,
        "http://localhost:8080/media/",
    )),
    public(opt(
        "web/secure/base_media_url",
        "Secure Base URL for User Media Files",
        WEB,
        StoreView,
        BaseUrl,
        "http://localhost:8080/media/",
    )),
    public(opt(
        "web/unsecure/base_link_url",
        "Base Link URL",
        WEB,
        StoreView,
        BaseUrl,
        "http://localhost:8080/",
    )),
    public(opt(
        "web/secure/base_link_url",
        "Secure Base Link URL",
        WEB,
        StoreView,
        BaseUrl,
        "http://localhost:8080/",
    )),
    public(opt(
        "web/unsecure/base_static_url",
        "Base URL for Static View Files",
        WEB,
        StoreView,
        BaseUrl,
        "http://localhost:8080/static/",
    )),
    public(opt(
        "web/secure/base_static_url",
        "Secure Base URL for Static View Files",
        WEB,
        StoreView,
        BaseUrl,
        "http://localhost:8080/static/",
    )),
    public(opt(
        "web/url/use_store",
        "Add Store Code to Urls",
        WEB,
        Global,
        Bool,
        NO,
    )),
    public(opt(
        "currency/options/base",
        "Base Currency",
        CURRENCY,
        Website,
        Text {
            max: 3,
            multiline: false,
        },
        "USD",
    )),
    public(opt(
        "currency/options/default",
        "Default Display Currency",
        CURRENCY,
        StoreView,
        Text {
            max: 3,
            multiline: false,
        },
        "USD",
    )),
    public(opt(
        "general/locale/timezone",
        "Timezone",
        GENERAL,
        Website,
        Text {
            max: 64,
            multiline: false,
        },
        "America/Los_Angeles",
    )),
    public(opt(
        "general/locale/weight_unit",
        "Weight Unit",
        GENERAL,
        StoreView,
        Choice(&[("lbs", "lbs"), ("kgs", "kgs")]),
        "lbs",
    )),
    public(opt(
        "general/region/display_all",
        "Allow to Choose State if It is Optional for Country",
        GENERAL,
        StoreView,
        Bool,
        YES,
    )),
    public(opt(
        "customer/account_information/graphql_share_all_customer_groups",
        "Share All Customer Groups with GraphQL",
        ACCOUNT_INFO,
        StoreView,
        Bool,
        YES,
    )),
    public(opt(
        "catalog/rule/share_all_catalog_rules",
        "Share All Catalog Rules with GraphQL",
        RULES,
        StoreView,
        Bool,
        YES,
    )),
    public(opt(
        "catalog/rule/share_applied_catalog_rules",
        "Share Applied Catalog Rules with GraphQL",
        RULES,
        StoreView,
        Bool,
        YES,
    )),
    public(opt(
        "promo/graphql/share_all_sales_rule",
        "Share All Cart Price Rules with GraphQL",
        RULES,
        StoreView,
        Bool,
        YES,
    )),
    public(opt(
        "promo/graphql/share_applied_sales_rule",
        "Share Applied Cart Price Rules with GraphQL",
        RULES,
        StoreView,
        Bool,
        YES,
    )),
    public(opt(
        "general/locale/code",
        "Locale",
        GENERAL,
        StoreView,
        Text {
            max: 16,
            multiline: false,
        },
        "en_US",
    )),
    public(opt(
        "general/country/default",
        "Default Country",
        GENERAL,
        StoreView,
        Country,
        "US",
    )),
    public(opt(
        "general/country/optional_zip_countries",
        "Zip/Postal Code is Optional for",
        GENERAL,
        StoreView,
        CountryList,
        "HK,IE,MO,PA,GB",
    )),
    public(opt(
        "general/region/state_required",
        "State is Required for",
        GENERAL,
        Global,
        CountryList,
        "AL,AR,AU,BG,BO,BR,BY,CA,CH,CL,CN,CO,CZ,DK,EC,EE,ES,GR,GY,HR,IN,IS,IT,LT,LV,MX,PE,PL,PT,PY,RO,SE,SR,US,UY,VE",
    )),
    // Token lifetimes
    public(opt(
        "oauth/access_token_lifetime/customer",
        "Customer Token Lifetime (hours)",
        TOKENS,
        Global,
        Int { min: 1, max: 8760 },
        "1",
    )),
    opt(
        "oauth/access_token_lifetime/admin",
        "Admin Token Lifetime (hours)",
        TOKENS,
        Global,
        Int { min: 1, max: 8760 },
        "4",
    ),
    // Staff account lockout (same defaults as customers)
    opt(
        "admin/security/lockout_failures",
        "Maximum Login Failures to Lockout Account",
        ADMIN_SECURITY,
        Global,
        Int {
            min: 0,
            max: UNBOUNDED,
        },
        "10",
    ),
    opt(
        "admin/security/lockout_threshold",
        "Lockout Time (minutes)",
        ADMIN_SECURITY,
        Global,
        Int {
            min: 1,
            max: UNBOUNDED,
        },
        "10",
    ),
    // Checkout option that decides whether isEmailAvailable tells the truth
    opt(
        "checkout/options/enable_guest_checkout_login",
        "Enable Guest Checkout Login",
        CHECKOUT,
        Website,
        Bool,
        NO,
    ),
];

/// Every option, in reference order.
pub fn options() -> &'static [ConfigOption] {
    OPTIONS
}

/// The option at `path`, if Clientele knows it.
pub fn option(path: &str) -> Option<&'static ConfigOption> {
    OPTIONS.iter().find(|o| o.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_valid_for_its_own_type() {
        for o in options() {
            if matches!(o.kind, CustomerGroup { .. }) {
                continue;
            }
            let normalized = o
                .kind
                .normalize(o.label, o.default)
                .unwrap_or_else(|e| panic!("{}: {e}", o.path));
            assert_eq!(normalized, o.default, "{} default is not canonical", o.path);
        }
    }

    #[test]
    fn paths_are_unique() {
        let mut paths: Vec<_> = options().iter().map(|o| o.path).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(before, paths.len());
    }

    #[test]
    fn documented_defaults_hold() {
        let d = |p: &str| option(p).map(|o| o.default);
        assert_eq!(d("customer/account_share/scope"), Some("1"));
        assert_eq!(
            d("customer/online_customers/online_minutes_interval"),
            Some("")
        );
        assert_eq!(
            d("customer/online_customers/section_data_lifetime"),
            Some("60")
        );
        assert_eq!(d("customer/password/minimum_password_length"), Some("8"));
        assert_eq!(
            d("customer/password/required_character_classes_number"),
            Some("3")
        );
        assert_eq!(d("customer/password/lockout_failures"), Some("10"));
        assert_eq!(d("customer/password/lockout_threshold"), Some("10"));
        assert_eq!(
            d("customer/password/reset_link_expiration_period"),
            Some("2")
        );
        assert_eq!(
            d("customer/password/max_number_password_reset_requests"),
            Some("5")
        );
        assert_eq!(
            d("customer/password/min_time_between_password_reset_requests"),
            Some("10")
        );
        assert_eq!(d("customer/address/street_lines"), Some("2"));
        assert_eq!(d("customer/create_account/default_group"), Some("1"));
        assert_eq!(
            d("customer/create_account/email_domain"),
            Some("example.com")
        );
        assert_eq!(
            d("customer/account_information/graphql_share_customer_group"),
            Some("1")
        );
        assert_eq!(
            d("login_as_customer/general/one_time_code_lifetime"),
            Some("60")
        );
        assert_eq!(d("web/cookie/cookie_lifetime"), Some("3600"));
    }
}
