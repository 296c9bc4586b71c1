//! The fields of the storefront forms (registration, account edit, address entry), system and
//! custom alike, described the way a storefront renders them: label, input, whether required,
//! options and validation rules, as the Name and Address options and the attribute catalog set
//! them for one store view.

use chrono::NaiveDate;
use clientele_configuration::keys;
use clientele_configuration::{ResolvedConfig, Scope};
use clientele_kernel::Result;

use super::model::{Attribute, AttributeEntity, Form, InputFilter, InputType, Validation};
use crate::service::AttributeService;
use crate::show::Show;

/// How a field is entered (Adobe Commerce's `frontend_input`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontendInput {
    /// Single line of text.
    Text,
    /// Free text.
    TextArea,
    /// Several single lines.
    Multiline,
    /// A date.
    Date,
    /// Yes or no.
    Boolean,
    /// One option of a list.
    Select,
    /// Any options of a list.
    Multiselect,
    /// A file.
    File,
    /// An image.
    Image,
    /// Carried by the form but not shown (the region id next to the region name).
    Hidden,
}

impl FrontendInput {
    /// Adobe Commerce's code of the input (`frontend_input` in its tables).
    pub fn code(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::TextArea => "textarea",
            Self::Multiline => "multiline",
            Self::Date => "date",
            Self::Boolean => "boolean",
            Self::Select => "select",
            Self::Multiselect => "multiselect",
            Self::File => "file",
            Self::Image => "image",
            Self::Hidden => "hidden",
        }
    }
}

impl From<InputType> for FrontendInput {
    fn from(input: InputType) -> Self {
        match input {
            InputType::Text => FrontendInput::Text,
            InputType::TextArea => FrontendInput::TextArea,
            InputType::Multiline => FrontendInput::Multiline,
            InputType::Date => FrontendInput::Date,
            InputType::Boolean => FrontendInput::Boolean,
            InputType::Select => FrontendInput::Select,
            InputType::Multiselect => FrontendInput::Multiselect,
            InputType::File => FrontendInput::File,
            InputType::Image => FrontendInput::Image,
        }
    }
}

/// What the storefront does to entered text before sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldFilter {
    /// Nothing.
    None,
    /// Normalise to a date.
    Date,
    /// Trim surrounding white space.
    Trim,
    /// Remove HTML tags.
    StripTags,
    /// Escape HTML special characters.
    EscapeHtml,
}

/// A validation rule of a field, named as Adobe Commerce names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleName {
    /// Latest date (value: Unix timestamp).
    DateRangeMax,
    /// Earliest date (value: Unix timestamp).
    DateRangeMin,
    /// A named input validation (`alphanumeric`, `email`, `date`, …).
    InputValidation,
    /// Longest text.
    MaxTextLength,
    /// Shortest text.
    MinTextLength,
}

/// One validation rule with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRule {
    /// Which rule.
    pub name: RuleName,
    /// Its parameter.
    pub value: String,
}

/// An option of a select or multiselect field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOption {
    /// The value sent for it.
    pub value: String,
    /// The label shown in the store view.
    pub label: String,
    /// Selected by default.
    pub is_default: bool,
}

/// A field of a storefront form, as the store view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// Customer or address.
    pub entity: AttributeEntity,
    /// Attribute code.
    pub code: String,
    /// Label in the store view.
    pub label: String,
    /// How it is entered.
    pub input: FrontendInput,
    /// Must be filled.
    pub is_required: bool,
    /// Pre-filled value.
    pub default_value: Option<String>,
    /// Options of select and multiselect fields.
    pub options: Vec<FieldOption>,
    /// What is done to entered text.
    pub filter: FieldFilter,
    /// Lines of a multiline field (1 otherwise).
    pub multiline_count: i32,
    /// Position in the form.
    pub sort_order: i32,
    /// Validation rules.
    pub rules: Vec<FieldRule>,
    /// Usable in customer segment conditions (Use in Customer Segment).
    pub used_for_segment: bool,
    /// Whether the form shows it at all (fields hidden by configuration are not offered).
    visible: bool,
}

impl FormField {
    /// The field's validation class, as Adobe Commerce derives it from the rules for storefront
    /// validators: the input validation's class, then, only with one, the text length classes
    /// (`validate-email`, `validate-alphanum minimum-length-2 maximum-length-20 validate-length`).
    /// `None` when no rule has a class, as for a name field or a date.
    pub fn frontend_class(&self) -> Option<String> {
        let value = |name: RuleName| {
            self.rules
                .iter()
                .find(|r| r.name == name)
                .map(|r| r.value.as_str())
        };
        let input_class = match value(RuleName::InputValidation)? {
            "alphanumeric" => "validate-alphanum",
            "alphanum-with-spaces" => "validate-alphanum-with-spaces",
            "numeric" => "validate-digits",
            "alpha" => "validate-alpha",
            "email" => "validate-email",
            "url" => "validate-url",
            "length" => "validate-length",
            _ => return None,
        };
        let mut classes = vec![input_class.to_owned()];
        let min = value(RuleName::MinTextLength).filter(|v| *v != "0");
        let max = value(RuleName::MaxTextLength).filter(|v| *v != "0");
        classes.extend(min.map(|v| format!("minimum-length-{v}")));
        classes.extend(max.map(|v| format!("maximum-length-{v}")));
        if (min.is_some() || max.is_some()) && input_class != "validate-length" {
            classes.push("validate-length".to_owned());
        }
        Some(classes.join(" "))
    }
}

/// The outcome of a lookup of fields by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldLookup {
    /// Fields found and shown on the storefront.
    pub fields: Vec<FormField>,
    /// Codes that name no field of the entity.
    pub missing: Vec<String>,
}

impl AttributeService {
    /// The fields of a storefront `form` in store view `store_id`, by sort order: the system
    /// fields the Name and Address options show, then the custom attributes used in the form and
    /// shown on the storefront. `None` for the admin-only form, which the storefront never sees.
    pub async fn form_fields(&self, form: Form, store_id: i32) -> Result<Option<Vec<FormField>>> {
        if form == Form::AdminCheckout {
            return Ok(None);
        }
        let entity = if form.belongs_to(AttributeEntity::Address) {
            AttributeEntity::Address
        } else {
            AttributeEntity::Customer
        };
        self.shown_fields(entity, store_id, Some(form))
            .await
            .map(Some)
    }

    /// Every field of `entity` the storefront shows in store view `store_id`, by sort order.
    pub async fn storefront_fields(
        &self,
        entity: AttributeEntity,
        store_id: i32,
    ) -> Result<Vec<FormField>> {
        self.shown_fields(entity, store_id, None).await
    }

    async fn shown_fields(
        &self,
        entity: AttributeEntity,
        store_id: i32,
        form: Option<Form>,
    ) -> Result<Vec<FormField>> {
        let config = self.config.resolve(Scope::StoreView(store_id)).await?;
        let catalog = self.attributes(entity).await?;
        let mut fields: Vec<FormField> = system_fields(entity, &config)
            .into_iter()
            .chain(
                catalog
                    .iter()
                    .filter(|a| form.is_none_or(|form| a.used_in_forms.contains(&form)))
                    .map(|a| custom_field(a, store_id)),
            )
            .filter(|f| f.visible)
            .collect();
        fields.sort_by(|a, b| a.sort_order.cmp(&b.sort_order).then(a.code.cmp(&b.code)));
        Ok(fields)
    }

    /// The storefront fields of `entity` named by `codes`, in the order asked. Codes of fields the
    /// storefront does not show are neither returned nor reported missing, so the lookup does not
    /// reveal attributes meant for staff.
    pub async fn field_metadata(
        &self,
        entity: AttributeEntity,
        codes: &[String],
        store_id: i32,
    ) -> Result<FieldLookup> {
        let config = self.config.resolve(Scope::StoreView(store_id)).await?;
        let catalog = self.attributes(entity).await?;
        let system = system_fields(entity, &config);
        let mut lookup = FieldLookup::default();
        for code in codes {
            let field = system
                .iter()
                .find(|f| &f.code == code)
                .cloned()
                .or_else(|| {
                    catalog
                        .iter()
                        .find(|a| &a.code == code)
                        .map(|a| custom_field(a, store_id))
                });
            match field {
                Some(field) if field.visible => lookup.fields.push(field),
                Some(_) => {}
                None => lookup.missing.push(code.clone()),
            }
        }
        Ok(lookup)
    }
}

/// A custom attribute as a form field; shown when `Show on Storefront` is set.
fn custom_field(attribute: &Attribute, store_id: i32) -> FormField {
    let defaults: Vec<&str> = attribute
        .default_value
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .collect();
    let options = attribute
        .options
        .iter()
        .map(|o| {
            let value = o.id.to_string();
            FieldOption {
                is_default: o.is_default || defaults.contains(&value.as_str()),
                label: o
                    .store_labels
                    .iter()
                    .find(|l| l.store_id == store_id)
                    .map_or_else(|| o.label.clone(), |l| l.label.clone()),
                value,
            }
        })
        .collect();
    FormField {
        entity: attribute.entity,
        code: attribute.code.clone(),
        label: attribute.label_in(store_id).to_owned(),
        input: attribute.input_type.into(),
        is_required: attribute.is_required,
        default_value: attribute.default_value.clone(),
        options,
        filter: match (attribute.input_filter, attribute.input_type) {
            (InputFilter::StripTags, _) => FieldFilter::StripTags,
            (InputFilter::EscapeHtml, _) => FieldFilter::EscapeHtml,
            (InputFilter::None, InputType::Date) => FieldFilter::Date,
            (InputFilter::None, _) => FieldFilter::None,
        },
        multiline_count: attribute.multiline_count,
        sort_order: attribute.sort_order,
        rules: custom_rules(attribute),
        used_for_segment: attribute.is_used_for_segment,
        visible: attribute.show_on_storefront,
    }
}

fn custom_rules(attribute: &Attribute) -> Vec<FieldRule> {
    let mut rules = Vec::new();
    if attribute.input_type.is_text() {
        if let Some(name) = input_validation(attribute.validation) {
            rules.push(rule(RuleName::InputValidation, name));
        }
        if let Some(min) = attribute.min_length {
            rules.push(rule(RuleName::MinTextLength, min));
        }
        if let Some(max) = attribute.max_length {
            rules.push(rule(RuleName::MaxTextLength, max));
        }
    }
    if attribute.input_type == InputType::Date {
        rules.push(rule(RuleName::InputValidation, "date"));
        if let Some(min) = attribute.date_min {
            rules.push(rule(RuleName::DateRangeMin, timestamp(min)));
        }
        if let Some(max) = attribute.date_max {
            rules.push(rule(RuleName::DateRangeMax, timestamp(max)));
        }
    }
    rules
}

/// Adobe Commerce's name of an input validation, which storefront validators key on.
fn input_validation(validation: Validation) -> Option<&'static str> {
    match validation {
        Validation::None => None,
        Validation::Alphanumeric => Some("alphanumeric"),
        Validation::AlphanumericWithSpaces => Some("alphanum-with-spaces"),
        Validation::Numeric => Some("numeric"),
        Validation::Alpha => Some("alpha"),
        Validation::Url => Some("url"),
        Validation::Email => Some("email"),
        Validation::Length => Some("length"),
    }
}

/// Date limits travel as Unix timestamps of midnight UTC, as Adobe Commerce stores them.
fn timestamp(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

fn rule(name: RuleName, value: impl ToString) -> FieldRule {
    FieldRule {
        name,
        value: value.to_string(),
    }
}

/// A system text field of up to 255 characters.
struct Text {
    code: &'static str,
    label: &'static str,
    sort_order: i32,
    show: Show,
    trim: bool,
}

impl Text {
    fn field(self, entity: AttributeEntity) -> FormField {
        FormField {
            entity,
            code: self.code.to_owned(),
            label: self.label.to_owned(),
            input: FrontendInput::Text,
            is_required: self.show == Show::Required,
            default_value: None,
            options: Vec::new(),
            filter: if self.trim {
                FieldFilter::Trim
            } else {
                FieldFilter::None
            },
            multiline_count: 1,
            sort_order: self.sort_order,
            rules: vec![
                rule(RuleName::MaxTextLength, 255),
                rule(RuleName::MinTextLength, 1),
            ],
            used_for_segment: used_for_segment_at_install(entity, self.code),
            visible: self.show != Show::Hidden,
        }
    }
}

/// Whether a system attribute is flagged Use in Customer Segment on a fresh Adobe Commerce: the
/// customer's name, email, date of birth and gender, and every address attribute.
fn used_for_segment_at_install(entity: AttributeEntity, code: &str) -> bool {
    match entity {
        AttributeEntity::Customer => {
            matches!(code, "email" | "firstname" | "lastname" | "dob" | "gender")
        }
        AttributeEntity::Address => true,
    }
}

/// The fields every record of `entity` has, with Adobe Commerce's codes, labels and positions,
/// shown and required as the Name and Address options say.
fn system_fields(entity: AttributeEntity, config: &ResolvedConfig) -> Vec<FormField> {
    let show = |key| Show::configured(config, key);
    let middlename = if config.flag(keys::customer::ADDRESS_MIDDLENAME_SHOW) {
        Show::Optional
    } else {
        Show::Hidden
    };
    let text = |code, label, sort_order, show, trim| {
        Text {
            code,
            label,
            sort_order,
            show,
            trim,
        }
        .field(entity)
    };
    match entity {
        AttributeEntity::Customer => {
            let mut email = text("email", "Email", 80, Show::Required, false);
            email.rules = vec![rule(RuleName::InputValidation, "email")];
            let dob_show = show(keys::customer::ADDRESS_DOB_SHOW);
            let dob = FormField {
                input: FrontendInput::Date,
                filter: FieldFilter::Date,
                rules: vec![rule(RuleName::InputValidation, "date")],
                ..text("dob", "Date of Birth", 90, dob_show, false)
            };
            let gender = FormField {
                input: FrontendInput::Select,
                options: [(1, "Male"), (2, "Female"), (3, "Not Specified")]
                    .into_iter()
                    .map(|(value, label)| FieldOption {
                        value: value.to_string(),
                        label: label.to_owned(),
                        is_default: false,
                    })
                    .collect(),
                rules: Vec::new(),
                ..text(
                    "gender",
                    "Gender",
                    110,
                    show(keys::customer::ADDRESS_GENDER_SHOW),
                    false,
                )
            };
            vec![
                text(
                    "prefix",
                    "Name Prefix",
                    30,
                    show(keys::customer::ADDRESS_PREFIX_SHOW),
                    true,
                ),
                text("firstname", "First Name", 40, Show::Required, true),
                text("middlename", "Middle Name/Initial", 50, middlename, true),
                text("lastname", "Last Name", 60, Show::Required, true),
                text(
                    "suffix",
                    "Name Suffix",
                    70,
                    show(keys::customer::ADDRESS_SUFFIX_SHOW),
                    true,
                ),
                email,
                dob,
                text(
                    "taxvat",
                    "Tax/VAT Number",
                    100,
                    show(keys::customer::ADDRESS_TAXVAT_SHOW),
                    false,
                ),
                gender,
            ]
        }
        AttributeEntity::Address => {
            let street_lines = config
                .number(keys::customer::ADDRESS_STREET_LINES)
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or(2);
            let street = FormField {
                input: FrontendInput::Multiline,
                multiline_count: street_lines,
                ..text("street", "Street Address", 70, Show::Required, true)
            };
            let country = FormField {
                input: FrontendInput::Select,
                options: country_options(config.text(keys::general::COUNTRY_DEFAULT)),
                rules: Vec::new(),
                ..text("country_id", "Country", 90, Show::Required, false)
            };
            let region_id = FormField {
                input: FrontendInput::Hidden,
                rules: Vec::new(),
                ..text("region_id", "State/Province", 100, Show::Optional, false)
            };
            vec![
                text(
                    "prefix",
                    "Name Prefix",
                    10,
                    show(keys::customer::ADDRESS_PREFIX_SHOW),
                    true,
                ),
                text("firstname", "First Name", 20, Show::Required, true),
                text("middlename", "Middle Name/Initial", 30, middlename, true),
                text("lastname", "Last Name", 40, Show::Required, true),
                text(
                    "suffix",
                    "Name Suffix",
                    50,
                    show(keys::customer::ADDRESS_SUFFIX_SHOW),
                    true,
                ),
                text(
                    "company",
                    "Company",
                    60,
                    show(keys::customer::ADDRESS_COMPANY_SHOW),
                    false,
                ),
                street,
                text("city", "City", 80, Show::Required, false),
                country,
                text("region", "State/Province", 100, Show::Optional, false),
                region_id,
                text("postcode", "Zip/Postal Code", 110, Show::Optional, false),
                text(
                    "telephone",
                    "Phone Number",
                    120,
                    show(keys::customer::ADDRESS_TELEPHONE_SHOW),
                    false,
                ),
                text(
                    "fax",
                    "Fax",
                    130,
                    show(keys::customer::ADDRESS_FAX_SHOW),
                    false,
                ),
                text("vat_id", "VAT Number", 140, Show::Optional, false),
            ]
        }
    }
}

/// Every ISO 3166 country by English name, the configured default country preselected.
fn country_options(default: &str) -> Vec<FieldOption> {
    let mut options: Vec<FieldOption> = rust_iso3166::ALL
        .iter()
        .map(|c| FieldOption {
            value: c.alpha2.to_owned(),
            label: c.name.to_owned(),
            is_default: c.alpha2 == default,
        })
        .collect();
    options.sort_by(|a, b| a.label.cmp(&b.label));
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StoreLabel;

    fn config(pairs: &[(&str, &str)]) -> ResolvedConfig {
        ResolvedConfig::with_overrides(pairs)
    }

    #[test]
    fn the_frontend_class_follows_the_input_validation() {
        let field = |rules: Vec<FieldRule>| FormField {
            entity: AttributeEntity::Customer,
            code: "code".into(),
            label: "Code".into(),
            input: FrontendInput::Text,
            is_required: false,
            default_value: None,
            options: Vec::new(),
            filter: FieldFilter::None,
            multiline_count: 1,
            sort_order: 0,
            rules,
            used_for_segment: false,
            visible: true,
        };
        let class = |rules| field(rules).frontend_class();
        assert_eq!(
            class(vec![rule(RuleName::InputValidation, "email")]).as_deref(),
            Some("validate-email")
        );
        assert_eq!(
            class(vec![
                rule(RuleName::InputValidation, "alphanumeric"),
                rule(RuleName::MinTextLength, 2),
                rule(RuleName::MaxTextLength, 20),
            ])
            .as_deref(),
            Some("validate-alphanum minimum-length-2 maximum-length-20 validate-length")
        );
        assert_eq!(
            class(vec![
                rule(RuleName::InputValidation, "length"),
                rule(RuleName::MaxTextLength, 255),
            ])
            .as_deref(),
            Some("validate-length maximum-length-255")
        );
        // Lengths alone, and dates, have no class.
        assert_eq!(class(vec![rule(RuleName::MaxTextLength, 255)]), None);
        assert_eq!(class(vec![rule(RuleName::InputValidation, "date")]), None);
    }

    fn codes(fields: &[FormField]) -> Vec<&str> {
        fields
            .iter()
            .filter(|f| f.visible)
            .map(|f| f.code.as_str())
            .collect()
    }

    #[test]
    fn name_and_address_options_decide_which_customer_fields_show() {
        let defaults = system_fields(AttributeEntity::Customer, &config(&[]));
        assert_eq!(codes(&defaults), ["firstname", "lastname", "email"]);

        let all = system_fields(
            AttributeEntity::Customer,
            &config(&[
                ("customer/address/prefix_show", "opt"),
                ("customer/address/middlename_show", "1"),
                ("customer/address/suffix_show", "opt"),
                ("customer/address/dob_show", "req"),
                ("customer/address/taxvat_show", "opt"),
                ("customer/address/gender_show", "req"),
            ]),
        );
        assert_eq!(
            codes(&all),
            [
                "prefix",
                "firstname",
                "middlename",
                "lastname",
                "suffix",
                "email",
                "dob",
                "taxvat",
                "gender"
            ]
        );
        let dob = all.iter().find(|f| f.code == "dob").expect("dob");
        assert!(dob.is_required);
        assert_eq!(dob.input, FrontendInput::Date);
        let prefix = all.iter().find(|f| f.code == "prefix").expect("prefix");
        assert!(!prefix.is_required);
        let gender = all.iter().find(|f| f.code == "gender").expect("gender");
        assert_eq!(gender.options.len(), 3);
        assert_eq!(gender.options[1].label, "Female");
    }

    #[test]
    fn address_fields_follow_street_lines_and_phone_settings() {
        let fields = system_fields(
            AttributeEntity::Address,
            &config(&[
                ("customer/address/street_lines", "3"),
                ("customer/address/telephone_show", ""),
                ("customer/address/company_show", "req"),
                ("general/country/default", "DE"),
            ]),
        );
        assert!(!codes(&fields).contains(&"telephone"));
        let street = fields.iter().find(|f| f.code == "street").expect("street");
        assert_eq!(street.multiline_count, 3);
        assert_eq!(street.input, FrontendInput::Multiline);
        let company = fields
            .iter()
            .find(|f| f.code == "company")
            .expect("company");
        assert!(company.is_required);
        let country = fields
            .iter()
            .find(|f| f.code == "country_id")
            .expect("country");
        let defaults: Vec<&str> = country
            .options
            .iter()
            .filter(|o| o.is_default)
            .map(|o| o.value.as_str())
            .collect();
        assert_eq!(defaults, ["DE"]);
        let region_id = fields.iter().find(|f| f.code == "region_id").expect("id");
        assert_eq!(region_id.input, FrontendInput::Hidden);
    }

    fn attribute() -> Attribute {
        let mut attribute = crate::check::tests::attribute(InputType::Select);
        attribute.label = "Tier".into();
        attribute.store_labels = vec![StoreLabel {
            store_id: 2,
            label: "Stufe".into(),
        }];
        attribute.default_value = Some("9".into());
        attribute.options[0].store_labels = vec![StoreLabel {
            store_id: 2,
            label: "Gold (de)".into(),
        }];
        attribute
    }

    #[test]
    fn custom_attributes_speak_the_store_views_language() {
        let field = custom_field(&attribute(), 2);
        assert_eq!(field.label, "Stufe");
        assert_eq!(field.options[0].label, "Gold (de)");
        assert_eq!(field.options[1].label, "Silver");
        assert!(field.options[1].is_default);
        assert!(!field.options[0].is_default);
        assert_eq!(custom_field(&attribute(), 1).label, "Tier");
    }

    #[test]
    fn custom_text_and_date_rules_carry_their_limits() {
        let mut text = attribute();
        text.input_type = InputType::Text;
        text.validation = Validation::AlphanumericWithSpaces;
        text.min_length = Some(2);
        text.max_length = Some(40);
        text.input_filter = InputFilter::StripTags;
        let field = custom_field(&text, 1);
        assert_eq!(field.filter, FieldFilter::StripTags);
        assert_eq!(
            field.rules,
            [
                rule(RuleName::InputValidation, "alphanum-with-spaces"),
                rule(RuleName::MinTextLength, 2),
                rule(RuleName::MaxTextLength, 40),
            ]
        );

        let mut date = attribute();
        date.input_type = InputType::Date;
        date.date_min = NaiveDate::from_ymd_opt(2020, 1, 1);
        let field = custom_field(&date, 1);
        assert_eq!(field.filter, FieldFilter::Date);
        assert!(
            field
                .rules
                .contains(&rule(RuleName::DateRangeMin, 1_577_836_800))
        );
    }

    #[test]
    fn hidden_custom_attributes_are_not_offered() {
        let mut hidden = attribute();
        hidden.show_on_storefront = false;
        assert!(!custom_field(&hidden, 1).visible);
    }
}
