//! Attribute metadata: what a custom customer or address attribute is, how its values are
//! entered and checked, and where it appears.

use chrono::{DateTime, NaiveDate, Utc};
use clientele_kernel::{Error, Result};

/// Declares an enum stored as a stable text code, with parsing that names the field on failure.
macro_rules! coded {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// From a stored or entered code.
            pub fn parse(field: &str, code: &str) -> Result<Self> {
                match code {
                    $($code => Ok($name::$variant),)+
                    other => Err(Error::invalid(
                        field,
                        format!(
                            concat!("\"{}\" is not a known ", $what, "; use one of: {}."),
                            other,
                            [$($code),+].join(", ")
                        ),
                    )),
                }
            }
        }
    };
}

coded!(
    /// Which records an attribute describes.
    AttributeEntity, "entity type" {
        /// Customer accounts.
        Customer = "customer",
        /// Addresses of address books.
        Address = "customer_address",
    }
);

coded!(
    /// How a value is entered (Adobe Commerce's `frontend_input`).
    InputType, "input type" {
        /// Single line of text.
        Text = "text",
        /// Several lines of free text.
        TextArea = "textarea",
        /// A fixed number (2-20) of single lines.
        Multiline = "multiline",
        /// A date.
        Date = "date",
        /// Yes or no.
        Boolean = "boolean",
        /// One option of a list.
        Select = "select",
        /// Any options of a list.
        Multiselect = "multiselect",
        /// A file reference (path or URL).
        File = "file",
        /// An image reference (path or URL).
        Image = "image",
    }
);

coded!(
    /// The `Input Validation` rule of text inputs.
    Validation, "input validation" {
        /// Anything.
        None = "none",
        /// 0-9, a-z, A-Z.
        Alphanumeric = "alphanumeric",
        /// 0-9, a-z, A-Z and spaces.
        AlphanumericWithSpaces = "alphanumeric_with_spaces",
        /// 0-9.
        Numeric = "numeric",
        /// a-z, A-Z.
        Alpha = "alpha",
        /// An http(s) URL.
        Url = "url",
        /// An email address.
        Email = "email",
        /// Only the length limits.
        Length = "length",
    }
);

coded!(
    /// The `Input/Output Filter` applied to text on save.
    InputFilter, "input filter" {
        /// Kept as entered.
        None = "none",
        /// HTML tags removed.
        StripTags = "striptags",
        /// HTML special characters escaped.
        EscapeHtml = "escapehtml",
    }
);

coded!(
    /// How the grid filter of an attribute matches text (`Grid Filter Condition Type`).
    FilterCondition, "grid filter condition" {
        /// The value contains the text.
        Partial = "partial",
        /// The value starts with the text.
        Prefix = "prefix",
        /// The value equals the text.
        Full = "full",
    }
);

coded!(
    /// A form an attribute can be used in (`Forms to Use in`), with Adobe Commerce's form codes.
    Form, "form" {
        /// Customer registration.
        CustomerAccountCreate = "customer_account_create",
        /// Customer account edit.
        CustomerAccountEdit = "customer_account_edit",
        /// Admin checkout.
        AdminCheckout = "adminhtml_checkout",
        /// Address entry during registration.
        CustomerRegisterAddress = "customer_register_address",
        /// The customer's address book.
        CustomerAddressEdit = "customer_address_edit",
    }
);

impl Form {
    /// Whether the form collects attributes of `entity`.
    pub fn belongs_to(self, entity: AttributeEntity) -> bool {
        let address_form = matches!(
            self,
            Form::CustomerRegisterAddress | Form::CustomerAddressEdit
        );
        address_form == (entity == AttributeEntity::Address)
    }
}

impl InputType {
    /// Whether values are option ids.
    pub fn has_options(self) -> bool {
        matches!(self, InputType::Select | InputType::Multiselect)
    }

    /// Whether values are free text, so length limits and input validation apply.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            InputType::Text | InputType::TextArea | InputType::Multiline
        )
    }
}

/// A label in one store view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreLabel {
    /// Store view.
    pub store_id: i32,
    /// Label shown there.
    pub label: String,
}

/// An option of a dropdown or multiple-select attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeOption {
    /// Id: the stored value.
    pub id: i32,
    /// Admin label.
    pub label: String,
    /// Labels per store view.
    pub store_labels: Vec<StoreLabel>,
    /// Position in the list.
    pub sort_order: i32,
    /// Selected by default on new records.
    pub is_default: bool,
}

/// A custom customer or address attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Id.
    pub id: i32,
    /// Customer or address.
    pub entity: AttributeEntity,
    /// Attribute code.
    pub code: String,
    /// Default label.
    pub label: String,
    /// Labels per store view.
    pub store_labels: Vec<StoreLabel>,
    /// Input type.
    pub input_type: InputType,
    /// Values Required.
    pub is_required: bool,
    /// Default value of non-option inputs.
    pub default_value: Option<String>,
    /// Input validation of text inputs.
    pub validation: Validation,
    /// Minimum text length.
    pub min_length: Option<i32>,
    /// Maximum text length.
    pub max_length: Option<i32>,
    /// Lines of a multiline input (1 for other inputs).
    pub multiline_count: i32,
    /// Earliest date allowed.
    pub date_min: Option<NaiveDate>,
    /// Latest date allowed.
    pub date_max: Option<NaiveDate>,
    /// Input/output filter.
    pub input_filter: InputFilter,
    /// Show on Storefront.
    pub show_on_storefront: bool,
    /// Sort order in forms.
    pub sort_order: i32,
    /// Forms to Use in.
    pub used_in_forms: Vec<Form>,
    /// Add to Column Options.
    pub is_used_in_grid: bool,
    /// Use in Filter Options.
    pub is_filterable_in_grid: bool,
    /// Grid Filter Condition Type.
    pub grid_filter_condition: FilterCondition,
    /// Use in Search Options.
    pub is_searchable_in_grid: bool,
    /// Use in Customer Segment.
    pub is_used_for_segment: bool,
    /// Options, by sort order.
    pub options: Vec<AttributeOption>,
    /// Optimistic-locking version.
    pub version: i32,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl Attribute {
    /// The label in `store_id`, falling back to the default label.
    pub fn label_in(&self, store_id: i32) -> &str {
        self.store_labels
            .iter()
            .find(|l| l.store_id == store_id)
            .map_or(self.label.as_str(), |l| l.label.as_str())
    }
}

/// An option as entered: with `id` it keeps (and may relabel) that option, without it adds one.
#[derive(Debug, Clone, Default)]
pub struct OptionInput {
    /// Existing option to keep.
    pub id: Option<i32>,
    /// Admin label.
    pub label: String,
    /// Labels per store view.
    pub store_labels: Vec<StoreLabel>,
    /// Position (default: the position in the list).
    pub sort_order: Option<i32>,
    /// Selected by default.
    pub is_default: bool,
}

/// A new attribute, or (on update) the properties to change: `None` keeps a value.
#[derive(Debug, Clone, Default)]
pub struct AttributeDefinition {
    /// Attribute code (create only).
    pub code: Option<String>,
    /// Input type (create only).
    pub input_type: Option<InputType>,
    /// Default label.
    pub label: Option<String>,
    /// Labels per store view (replaces the list).
    pub store_labels: Option<Vec<StoreLabel>>,
    /// Values Required.
    pub is_required: Option<bool>,
    /// Default value; `Some(None)` removes it.
    pub default_value: Option<Option<String>>,
    /// Input validation.
    pub validation: Option<Validation>,
    /// Minimum text length; `Some(None)` removes it.
    pub min_length: Option<Option<i32>>,
    /// Maximum text length; `Some(None)` removes it.
    pub max_length: Option<Option<i32>>,
    /// Lines of a multiline input.
    pub multiline_count: Option<i32>,
    /// Earliest date; `Some(None)` removes it.
    pub date_min: Option<Option<NaiveDate>>,
    /// Latest date; `Some(None)` removes it.
    pub date_max: Option<Option<NaiveDate>>,
    /// Input/output filter.
    pub input_filter: Option<InputFilter>,
    /// Show on Storefront.
    pub show_on_storefront: Option<bool>,
    /// Sort order.
    pub sort_order: Option<i32>,
    /// Forms to Use in (replaces the list).
    pub used_in_forms: Option<Vec<Form>>,
    /// Add to Column Options.
    pub is_used_in_grid: Option<bool>,
    /// Use in Filter Options.
    pub is_filterable_in_grid: Option<bool>,
    /// Grid Filter Condition Type.
    pub grid_filter_condition: Option<FilterCondition>,
    /// Use in Search Options.
    pub is_searchable_in_grid: Option<bool>,
    /// Use in Customer Segment.
    pub is_used_for_segment: Option<bool>,
    /// Options (replaces the list: options left out are removed, and so are values using them).
    pub options: Option<Vec<OptionInput>>,
    /// Refuse the change unless the attribute is still at this version.
    pub expected_version: Option<i32>,
}

/// A value as entered for one attribute: text, a date, `1`/`0`, an option id, or option ids
/// separated by commas. Lines of a multiline value are separated by `\n`. Empty clears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeValueInput {
    /// Attribute code.
    pub code: String,
    /// The value.
    pub value: String,
}

/// A stored value of one attribute on one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeValue {
    /// Attribute code.
    pub code: String,
    /// Stored value (option ids for option inputs, `1`/`0` for Yes/No, `YYYY-MM-DD` for dates).
    pub value: String,
    /// Selected options with their admin labels (option inputs only).
    pub selected_options: Vec<(i32, String)>,
    /// How the attribute is entered (file and image values are keys of stored files).
    pub input: crate::forms::FrontendInput,
}
