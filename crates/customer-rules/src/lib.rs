//! Validation of customer and address fields, driven by the Name and Address options of the
//! configuration (which fields are hidden, optional or required, how many street lines, which
//! countries need a region or may omit the postcode) and by ISO 3166 country and region data.

use chrono::NaiveDate;
use clientele_configuration::ResolvedConfig;
use clientele_configuration::keys;
use clientele_customer_attributes::Show;
use clientele_kernel::text::reject_control_chars;
use clientele_kernel::{Error, Result};

/// The configured rules of one website.
#[derive(Debug, Clone)]
pub struct Rules {
    prefix: Show,
    suffix: Show,
    dob: Show,
    taxvat: Show,
    gender: Show,
    telephone: Show,
    company: Show,
    fax: Show,
    street_lines: usize,
    state_required: Vec<String>,
    optional_zip: Vec<String>,
    /// The latest date of birth accepted.
    today: NaiveDate,
}

impl Rules {
    /// The rules `config` sets, for a check made on `today`.
    pub fn from_config(config: &ResolvedConfig, today: NaiveDate) -> Self {
        let show = |key| Show::configured(config, key);
        let list = |key| config.list(key).into_iter().map(str::to_owned).collect();
        Self {
            prefix: show(keys::customer::ADDRESS_PREFIX_SHOW),
            suffix: show(keys::customer::ADDRESS_SUFFIX_SHOW),
            dob: show(keys::customer::ADDRESS_DOB_SHOW),
            taxvat: show(keys::customer::ADDRESS_TAXVAT_SHOW),
            gender: show(keys::customer::ADDRESS_GENDER_SHOW),
            telephone: show(keys::customer::ADDRESS_TELEPHONE_SHOW),
            company: show(keys::customer::ADDRESS_COMPANY_SHOW),
            fax: show(keys::customer::ADDRESS_FAX_SHOW),
            street_lines: config
                .number(keys::customer::ADDRESS_STREET_LINES)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(2),
            state_required: list(keys::general::REGION_STATE_REQUIRED),
            optional_zip: list(keys::general::COUNTRY_OPTIONAL_ZIP_COUNTRIES),
            today,
        }
    }

    /// Whether addresses in `country` (ISO alpha-2, uppercase) must name a region.
    pub fn requires_region(&self, country: &str) -> bool {
        self.state_required.iter().any(|c| c == country)
    }

    /// Checks the configurable name and account fields of a complete customer.
    pub fn check_customer(
        &self,
        prefix: &Option<String>,
        suffix: &Option<String>,
        dob: &Option<NaiveDate>,
        taxvat: &Option<String>,
        gender_present: bool,
    ) -> Result<()> {
        require(self.prefix, "prefix", "Name Prefix", prefix.is_some())?;
        require(self.suffix, "suffix", "Name Suffix", suffix.is_some())?;
        require(self.dob, "dob", "Date of Birth", dob.is_some())?;
        require(self.taxvat, "taxvat", "Tax/VAT Number", taxvat.is_some())?;
        require(self.gender, "gender", "Gender", gender_present)?;
        if let Some(dob) = dob {
            check_dob(*dob, self.today)?;
        }
        Ok(())
    }

    /// Checks a complete address: a region code must be one of the country's regions (it is
    /// stored as the directory spells it, and fills the region name when only the code was
    /// given).
    pub fn check_address(&self, address: &mut AddressValues) -> Result<()> {
        address.firstname = required_text("firstname", "First Name", &address.firstname, 255)?;
        address.lastname = required_text("lastname", "Last Name", &address.lastname, 255)?;
        address.city = required_text("city", "City", &address.city, 255)?;
        let lines: Vec<String> = address.street.iter().map(|l| l.trim().to_owned()).collect();
        if lines.first().is_none_or(|l| l.is_empty()) {
            return Err(Error::required("street", "Street Address"));
        }
        if lines.len() > self.street_lines {
            return Err(Error::invalid(
                "street",
                format!(
                    "\"Street Address\" cannot contain more than {} lines.",
                    self.street_lines
                ),
            ));
        }
        for line in &lines {
            text_rule("street", "Street Address", line, 255)?;
        }
        address.street = lines;
        let country = address.country_code.trim().to_uppercase();
        if rust_iso3166::from_alpha2(&country).is_none() {
            return Err(Error::invalid(
                "country_code",
                format!(
                    "Invalid value of \"{}\" provided for the country_id field.",
                    address.country_code
                ),
            ));
        }
        address.country_code = country.clone();
        if let Some(code) = address
            .region_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let regions = clientele_directory::regions(&country);
            if regions.is_empty() {
                let code = code.to_uppercase();
                if code.chars().count() > clientele_directory::REGION_CODE_MAX_CHARS {
                    return Err(Error::invalid(
                        "region_code",
                        format!("\"{code}\" is not a region of {country}."),
                    ));
                }
                address.region_code = Some(code);
            } else {
                let Some(found) = clientele_directory::region_by_code(&country, code) else {
                    return Err(Error::invalid(
                        "region_code",
                        format!("\"{code}\" is not a region of {country}."),
                    ));
                };
                if address
                    .region
                    .as_deref()
                    .is_none_or(|r| r.trim().is_empty())
                {
                    address.region = Some(found.name.clone());
                }
                address.region_code = Some(found.code.clone());
            }
        } else {
            address.region_code = None;
        }
        address.region = optional_text("region", "State/Province", &address.region, 255)?;
        if self.state_required.contains(&country) && address.region.is_none() {
            return Err(Error::required("region", "State/Province"));
        }
        address.postcode = optional_text("postcode", "Zip/Postal Code", &address.postcode, 255)?;
        if address.postcode.is_none() && !self.optional_zip.contains(&country) {
            return Err(Error::required("postcode", "Zip/Postal Code"));
        }
        address.telephone = optional_text("telephone", "Phone Number", &address.telephone, 255)?;
        require(
            self.telephone,
            "telephone",
            "Phone Number",
            address.telephone.is_some(),
        )?;
        address.company = optional_text("company", "Company", &address.company, 255)?;
        require(
            self.company,
            "company",
            "Company",
            address.company.is_some(),
        )?;
        address.fax = optional_text("fax", "Fax", &address.fax, 255)?;
        require(self.fax, "fax", "Fax", address.fax.is_some())?;
        address.vat_id = optional_text("vat_id", "VAT Number", &address.vat_id, 50)?;
        address.prefix = optional_text("prefix", "Name Prefix", &address.prefix, 40)?;
        address.middlename = optional_text(
            "middlename",
            "Middle Name/Initial",
            &address.middlename,
            255,
        )?;
        address.suffix = optional_text("suffix", "Name Suffix", &address.suffix, 40)?;
        Ok(())
    }
}

/// Address fields as one complete value, before and after validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressValues {
    /// Name prefix.
    pub prefix: Option<String>,
    /// First name.
    pub firstname: String,
    /// Middle name or initial.
    pub middlename: Option<String>,
    /// Last name.
    pub lastname: String,
    /// Name suffix.
    pub suffix: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Street lines.
    pub street: Vec<String>,
    /// City.
    pub city: String,
    /// Region name.
    pub region: Option<String>,
    /// Region code (ISO 3166-2 subdivision, without the country).
    pub region_code: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Country, ISO 3166-1 alpha-2.
    pub country_code: String,
    /// Telephone.
    pub telephone: Option<String>,
    /// Fax.
    pub fax: Option<String>,
    /// VAT number.
    pub vat_id: Option<String>,
}

fn require(show: Show, field: &str, label: &str, present: bool) -> Result<()> {
    if show == Show::Required && !present {
        return Err(Error::required(field, label));
    }
    Ok(())
}

fn text_rule(field: &str, label: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("\"{label}\" must be at most {max} characters."),
        ));
    }
    reject_control_chars(field, value)
}

/// A required text: trimmed, non-empty, bounded, no control characters.
pub fn required_text(field: &str, label: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::required(field, label));
    }
    text_rule(field, label, value, max)?;
    Ok(value.to_owned())
}

/// An optional text: trimmed; empty becomes absent.
pub fn optional_text(
    field: &str,
    label: &str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            text_rule(field, label, v, max)?;
            Ok(Some(v.to_owned()))
        }
    }
}

/// A date of birth is not after `today` and not before 1900.
pub fn check_dob(dob: NaiveDate, today: NaiveDate) -> Result<()> {
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if dob > today || dob < earliest {
        return Err(Error::invalid(
            "dob",
            "\"Date of Birth\" must be a date between 1900-01-01 and today.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            prefix: Show::Hidden,
            suffix: Show::Hidden,
            dob: Show::Required,
            taxvat: Show::Optional,
            gender: Show::Hidden,
            telephone: Show::Required,
            company: Show::Optional,
            fax: Show::Hidden,
            street_lines: 2,
            state_required: vec!["US".into()],
            optional_zip: vec!["IE".into()],
            today: NaiveDate::from_ymd_opt(2026, 6, 15).expect("date"),
        }
    }

    fn address() -> AddressValues {
        AddressValues {
            firstname: "Ann".into(),
            lastname: "Lee".into(),
            street: vec!["1 Main St".into()],
            city: "Austin".into(),
            region_code: Some("tx".into()),
            postcode: Some("78701".into()),
            country_code: "us".into(),
            telephone: Some("555".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_address_gets_its_region_name_from_iso_3166_2() {
        let mut a = address();
        rules().check_address(&mut a).expect("valid");
        assert_eq!(a.country_code, "US");
        assert_eq!(a.region_code.as_deref(), Some("TX"));
        assert_eq!(a.region.as_deref(), Some("Texas"));
    }

    #[test]
    fn address_rules_name_the_field() {
        let field_of = |a: &mut AddressValues| match rules().check_address(a) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected invalid, got {other:?}"),
        };
        assert_eq!(
            field_of(&mut AddressValues {
                country_code: "XX".into(),
                ..address()
            }),
            "country_code"
        );
        assert_eq!(
            field_of(&mut AddressValues {
                region_code: Some("ZZ".into()),
                ..address()
            }),
            "region_code"
        );
        assert_eq!(
            field_of(&mut AddressValues {
                region_code: None,
                region: None,
                ..address()
            }),
            "region"
        );
        assert_eq!(
            field_of(&mut AddressValues {
                street: vec!["a".into(), "b".into(), "c".into()],
                ..address()
            }),
            "street"
        );
        assert_eq!(
            field_of(&mut AddressValues {
                telephone: None,
                ..address()
            }),
            "telephone"
        );
        assert_eq!(
            field_of(&mut AddressValues {
                postcode: None,
                ..address()
            }),
            "postcode"
        );
        let mut ireland = AddressValues {
            country_code: "IE".into(),
            region_code: None,
            postcode: None,
            ..address()
        };
        rules()
            .check_address(&mut ireland)
            .expect("IE needs no postcode or region");
    }

    #[test]
    fn configured_customer_fields_are_required() {
        let r = rules();
        assert!(
            r.check_customer(&None, &None, &None, &None, false).is_err(),
            "dob required"
        );
        let dob = NaiveDate::from_ymd_opt(1980, 5, 1);
        assert!(r.check_customer(&None, &None, &dob, &None, false).is_ok());
        let today = NaiveDate::from_ymd_opt(2026, 6, 15);
        assert!(r.check_customer(&None, &None, &today, &None, false).is_ok());
        let tomorrow = NaiveDate::from_ymd_opt(2026, 6, 16);
        assert!(
            r.check_customer(&None, &None, &tomorrow, &None, false)
                .is_err()
        );
    }
}
