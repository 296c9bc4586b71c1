//! Admin CRUD of attribute metadata, with options and labels per store view.

use std::collections::HashMap;

use clientele_kernel::db::{begin_write, is_unique_violation};
use clientele_kernel::text::clean_name;
use clientele_kernel::{Error, Result};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};

use super::check::{check_code, check_value, option_value};
use super::model::{
    Attribute, AttributeDefinition, AttributeEntity, AttributeOption, FilterCondition, Form,
    InputFilter, InputType, OptionInput, StoreLabel, Validation,
};
use super::values::{AddressOf, Changes, write_address_changes, write_customer_changes};
use crate::entity::{address_attribute_value, attribute, attribute_option, attribute_value};
use crate::service::AttributeService;

#[derive(Serialize, Deserialize)]
struct StoredLabel {
    store_id: i32,
    label: String,
}

fn labels_to_json(labels: &[StoreLabel]) -> String {
    let stored: Vec<StoredLabel> = labels
        .iter()
        .map(|l| StoredLabel {
            store_id: l.store_id,
            label: l.label.clone(),
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into())
}

fn labels_from_json(json: &str) -> Vec<StoreLabel> {
    serde_json::from_str::<Vec<StoredLabel>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|l| StoreLabel {
            store_id: l.store_id,
            label: l.label,
        })
        .collect()
}

fn parse_forms(json: &str) -> Vec<Form> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|code| Form::parse("used_in_forms", code).ok())
        .collect()
}

fn default_ids(attribute: &attribute::Model) -> Vec<i32> {
    if !InputType::parse("input_type", &attribute.input_type).is_ok_and(InputType::has_options) {
        return Vec::new();
    }
    attribute
        .default_value
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

/// Builds the public record; stored codes were written by this module, so unknown ones fall back
/// to the neutral variant instead of failing reads.
fn to_attribute(m: attribute::Model, options: Vec<attribute_option::Model>) -> Attribute {
    let defaults = default_ids(&m);
    Attribute {
        id: m.id,
        entity: AttributeEntity::parse("entity_type", &m.entity_type)
            .unwrap_or(AttributeEntity::Customer),
        input_type: InputType::parse("input_type", &m.input_type).unwrap_or(InputType::Text),
        validation: Validation::parse("validation", &m.validation).unwrap_or(Validation::None),
        input_filter: InputFilter::parse("input_filter", &m.input_filter)
            .unwrap_or(InputFilter::None),
        grid_filter_condition: FilterCondition::parse("condition", &m.grid_filter_condition)
            .unwrap_or(FilterCondition::Partial),
        store_labels: labels_from_json(&m.store_labels),
        used_in_forms: parse_forms(&m.used_in_forms),
        options: options
            .into_iter()
            .map(|o| AttributeOption {
                is_default: defaults.contains(&o.id),
                id: o.id,
                label: o.label,
                store_labels: labels_from_json(&o.store_labels),
                sort_order: o.sort_order,
            })
            .collect(),
        code: m.code,
        label: m.label,
        is_required: m.is_required,
        default_value: m.default_value,
        min_length: m.min_length,
        max_length: m.max_length,
        multiline_count: m.multiline_count,
        date_min: m.date_min,
        date_max: m.date_max,
        show_on_storefront: m.show_on_storefront,
        sort_order: m.sort_order,
        is_used_in_grid: m.is_used_in_grid,
        is_filterable_in_grid: m.is_filterable_in_grid,
        is_searchable_in_grid: m.is_searchable_in_grid,
        is_used_for_segment: m.is_used_for_segment,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// Applies the given properties of `def` to `m`.
fn apply(m: &mut attribute::Model, def: &AttributeDefinition) -> Result<()> {
    if let Some(label) = &def.label {
        m.label = clean_name("label", label, 255)?;
    }
    if let Some(labels) = &def.store_labels {
        m.store_labels = labels_to_json(&clean_labels("store_labels", labels)?);
    }
    if let Some(v) = def.is_required {
        m.is_required = v;
    }
    if let Some(v) = &def.default_value {
        m.default_value = v.clone().filter(|d| !d.trim().is_empty());
    }
    if let Some(v) = def.validation {
        m.validation = v.code().into();
    }
    if let Some(v) = def.min_length {
        m.min_length = v;
    }
    if let Some(v) = def.max_length {
        m.max_length = v;
    }
    if let Some(v) = def.multiline_count {
        m.multiline_count = v;
    }
    if let Some(v) = def.date_min {
        m.date_min = v;
    }
    if let Some(v) = def.date_max {
        m.date_max = v;
    }
    if let Some(v) = def.input_filter {
        m.input_filter = v.code().into();
    }
    if let Some(v) = def.show_on_storefront {
        m.show_on_storefront = v;
    }
    if let Some(v) = def.sort_order {
        m.sort_order = v;
    }
    if let Some(forms) = &def.used_in_forms {
        let mut codes: Vec<&str> = forms.iter().map(|f| f.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        m.used_in_forms = serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into());
    }
    if let Some(v) = def.is_used_in_grid {
        m.is_used_in_grid = v;
    }
    if let Some(v) = def.is_filterable_in_grid {
        m.is_filterable_in_grid = v;
    }
    if let Some(v) = def.grid_filter_condition {
        m.grid_filter_condition = v.code().into();
    }
    if let Some(v) = def.is_searchable_in_grid {
        m.is_searchable_in_grid = v;
    }
    if let Some(v) = def.is_used_for_segment {
        m.is_used_for_segment = v;
    }
    Ok(())
}

fn clean_labels(field: &str, labels: &[StoreLabel]) -> Result<Vec<StoreLabel>> {
    let mut seen = Vec::new();
    labels
        .iter()
        .map(|l| {
            if seen.contains(&l.store_id) {
                return Err(Error::invalid(
                    field,
                    format!("Store view {} has two labels.", l.store_id),
                ));
            }
            seen.push(l.store_id);
            Ok(StoreLabel {
                store_id: l.store_id,
                label: clean_name(field, &l.label, 255)?,
            })
        })
        .collect()
}

/// The rules between properties, checked on the attribute as it will be saved.
fn check_definition(a: &Attribute) -> Result<()> {
    let input = a.input_type;
    if input == InputType::Multiline {
        if !(2..=20).contains(&a.multiline_count) {
            return Err(Error::invalid(
                "multiline_count",
                "A multiple-line attribute has 2 to 20 lines.",
            ));
        }
    } else if a.multiline_count != 1 {
        return Err(Error::invalid(
            "multiline_count",
            "Only multiple-line attributes have a line count.",
        ));
    }
    if !input.is_text()
        && (a.min_length.is_some() || a.max_length.is_some() || a.validation != Validation::None)
    {
        return Err(Error::invalid(
            "validation",
            "Input validation and length limits apply to text inputs only.",
        ));
    }
    if !input.is_text() && a.input_filter != InputFilter::None {
        return Err(Error::invalid(
            "input_filter",
            "The input filter applies to text inputs only.",
        ));
    }
    for (field, value) in [("min_length", a.min_length), ("max_length", a.max_length)] {
        if value.is_some_and(|v| !(0..=65_535).contains(&v)) {
            return Err(Error::invalid(field, "A length limit is 0 to 65535."));
        }
    }
    if let (Some(min), Some(max)) = (a.min_length, a.max_length)
        && min > max
    {
        return Err(Error::invalid(
            "min_length",
            "The minimum length is greater than the maximum length.",
        ));
    }
    if input != InputType::Date && (a.date_min.is_some() || a.date_max.is_some()) {
        return Err(Error::invalid(
            "date_min",
            "Date limits apply to date inputs only.",
        ));
    }
    if let (Some(min), Some(max)) = (a.date_min, a.date_max)
        && min > max
    {
        return Err(Error::invalid(
            "date_min",
            "The earliest date is after the latest date.",
        ));
    }
    if !input.has_options() && !a.options.is_empty() {
        return Err(Error::invalid(
            "options",
            "Only dropdown and multiple-select attributes have options.",
        ));
    }
    if matches!(input, InputType::File | InputType::Image)
        && (a.is_filterable_in_grid || a.is_searchable_in_grid || a.default_value.is_some())
    {
        return Err(Error::invalid(
            "is_filterable_in_grid",
            "File and image attributes cannot be filtered, searched or given a default.",
        ));
    }
    if let Some(form) = a.used_in_forms.iter().find(|f| !f.belongs_to(a.entity)) {
        return Err(Error::invalid(
            "used_in_forms",
            format!(
                "The form \"{}\" does not collect {} attributes.",
                form.code(),
                a.entity.code()
            ),
        ));
    }
    if input == InputType::Select && a.options.iter().filter(|o| o.is_default).count() > 1 {
        return Err(Error::invalid(
            "options",
            "A dropdown has at most one default option.",
        ));
    }
    if !input.has_options()
        && let Some(default) = &a.default_value
    {
        let mut probe = a.clone();
        probe.code = "default_value".into();
        check_value(&probe, default).map_err(|e| e.on_field("default_value"))?;
    }
    Ok(())
}

fn duplicate(err: DbErr) -> Error {
    if is_unique_violation(&err) {
        Error::Conflict("An attribute with the same code already exists.".into())
    } else {
        err.into()
    }
}

impl AttributeService {
    /// The custom attributes of `entity`, by sort order then code.
    pub async fn attributes(&self, entity: AttributeEntity) -> Result<Vec<Attribute>> {
        self.catalog(entity).await
    }

    /// One custom attribute by code.
    pub async fn attribute(&self, entity: AttributeEntity, code: &str) -> Result<Attribute> {
        load(&self.db, entity, Some(code))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::not_found("Attribute", code))
    }

    /// Creates a custom attribute.
    pub async fn create_attribute(
        &self,
        entity: AttributeEntity,
        def: AttributeDefinition,
    ) -> Result<Attribute> {
        let code = def
            .code
            .clone()
            .ok_or_else(|| Error::required("code", "Attribute Code"))?;
        check_code(&code)?;
        let input_type = def
            .input_type
            .ok_or_else(|| Error::required("input_type", "Input Type"))?;
        if def.label.is_none() {
            return Err(Error::required("label", "Default Label"));
        }
        self.check_store_ids(&def).await?;
        let now = self.clock.now();
        let mut row = attribute::Model {
            id: 0,
            entity_type: entity.code().into(),
            code,
            label: String::new(),
            store_labels: "[]".into(),
            input_type: input_type.code().into(),
            is_required: false,
            default_value: None,
            validation: Validation::None.code().into(),
            min_length: None,
            max_length: None,
            multiline_count: if input_type == InputType::Multiline {
                2
            } else {
                1
            },
            date_min: None,
            date_max: None,
            input_filter: InputFilter::None.code().into(),
            show_on_storefront: true,
            sort_order: 0,
            used_in_forms: "[]".into(),
            is_used_in_grid: false,
            is_filterable_in_grid: false,
            grid_filter_condition: FilterCondition::Partial.code().into(),
            is_searchable_in_grid: false,
            is_used_for_segment: false,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        apply(&mut row, &def)?;
        if input_type.has_options() {
            // Option defaults come from the options' `is_default` flags.
            row.default_value = None;
        }
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce(&txn).await?;
        let mut active = row.clone().into_active_model();
        active.id = NotSet;
        let inserted = active.insert(&txn).await.map_err(duplicate)?;
        let (options, defaults) =
            sync_options(&txn, &inserted, &[], def.options.as_deref().unwrap_or(&[])).await?;
        let saved = finish(&txn, inserted, options, Some(defaults)).await?;
        txn.commit().await?;
        tracing::info!(attribute = %saved.code, entity = entity.code(), "attribute created");
        Ok(saved)
    }

    /// Changes a custom attribute. Its code and input type are fixed once created.
    pub async fn update_attribute(
        &self,
        entity: AttributeEntity,
        code: &str,
        def: AttributeDefinition,
    ) -> Result<Attribute> {
        if def.code.as_deref().is_some_and(|c| c != code) {
            return Err(Error::invalid(
                "code",
                "The attribute code cannot be changed.",
            ));
        }
        if let Some(input) = def.input_type {
            let current = self.attribute(entity, code).await?;
            if input != current.input_type {
                return Err(Error::invalid(
                    "input_type",
                    "The input type cannot be changed after the attribute is saved.",
                ));
            }
        }
        self.check_store_ids(&def).await?;
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce(&txn).await?;
        let current = attribute::Entity::find()
            .filter(attribute::Column::EntityType.eq(entity.code()))
            .filter(attribute::Column::Code.eq(code))
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found("Attribute", code))?;
        if def.expected_version.is_some_and(|v| v != current.version) {
            return Err(Error::Conflict(
                "The attribute was changed by someone else. Reload it and try again.".into(),
            ));
        }
        let mut next = current.clone();
        apply(&mut next, &def)?;
        let has_options =
            InputType::parse("input_type", &current.input_type).is_ok_and(InputType::has_options);
        if has_options && def.default_value.is_some() {
            return Err(Error::invalid(
                "default_value",
                "Mark the default option with is_default instead.",
            ));
        }
        next.version = current.version + 1;
        next.updated_at = self.clock.now();
        let existing = attribute_option::Entity::find()
            .filter(attribute_option::Column::AttributeId.eq(current.id))
            .all(&txn)
            .await?;
        let updated = next.into_active_model().reset_all().update(&txn).await?;
        let (options, defaults) = match &def.options {
            Some(inputs) => {
                let (options, defaults) = sync_options(&txn, &updated, &existing, inputs).await?;
                (options, Some(defaults))
            }
            None => (existing, None),
        };
        let saved = finish(&txn, updated, options, defaults).await?;
        if def.options.is_some() {
            refresh_option_values(&txn, &saved).await?;
        }
        txn.commit().await?;
        Ok(saved)
    }

    /// Deletes a custom attribute and every value of it.
    pub async fn delete_attribute(&self, entity: AttributeEntity, code: &str) -> Result<()> {
        let txn = begin_write(&self.db).await?;
        let _changed = self.announce(&txn).await?;
        let result = attribute::Entity::delete_many()
            .filter(attribute::Column::EntityType.eq(entity.code()))
            .filter(attribute::Column::Code.eq(code))
            .exec(&txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(Error::not_found("Attribute", code));
        }
        txn.commit().await?;
        tracing::info!(
            attribute = code,
            entity = entity.code(),
            "attribute deleted"
        );
        Ok(())
    }

    async fn check_store_ids(&self, def: &AttributeDefinition) -> Result<()> {
        let option_labels = def
            .options
            .iter()
            .flatten()
            .flat_map(|o| o.store_labels.iter());
        for label in def.store_labels.iter().flatten().chain(option_labels) {
            self.stores.view(label.store_id).await.map_err(|e| {
                e.missing_as_invalid("store_labels", "The store view does not exist.")
            })?;
        }
        Ok(())
    }
}

/// Saves the default option ids (`defaults`, or the current ones when `None`), then checks the
/// attribute as a whole, inside the transaction so a refused definition leaves nothing behind.
async fn finish(
    txn: &impl ConnectionTrait,
    mut row: attribute::Model,
    mut options: Vec<attribute_option::Model>,
    defaults: Option<Vec<i32>>,
) -> Result<Attribute> {
    options.sort_by_key(|o| (o.sort_order, o.id));
    let has_options =
        InputType::parse("input_type", &row.input_type).is_ok_and(InputType::has_options);
    if has_options {
        let ids = defaults.unwrap_or_else(|| default_ids(&row));
        let default =
            (!ids.is_empty()).then(|| ids.iter().map(i32::to_string).collect::<Vec<_>>().join(","));
        if default != row.default_value {
            row.default_value = default;
            let mut active = row.clone().into_active_model();
            active.default_value = sea_orm::ActiveValue::Set(row.default_value.clone());
            active.update(txn).await?;
        }
    }
    let attribute = to_attribute(row, options);
    check_definition(&attribute)?;
    Ok(attribute)
}

/// Makes the stored options match `inputs`: kept by id, added without one, removed otherwise.
/// Returns the options and the ids of those marked as default.
async fn sync_options(
    txn: &impl ConnectionTrait,
    attribute: &attribute::Model,
    existing: &[attribute_option::Model],
    inputs: &[OptionInput],
) -> Result<(Vec<attribute_option::Model>, Vec<i32>)> {
    let mut kept = Vec::with_capacity(inputs.len());
    let mut defaults = Vec::new();
    for (position, input) in inputs.iter().enumerate() {
        let label = clean_name("options.label", &input.label, 255)?;
        let store_labels =
            labels_to_json(&clean_labels("options.store_labels", &input.store_labels)?);
        let sort_order = input.sort_order.unwrap_or(position as i32);
        let row = match input.id {
            Some(id) => {
                let Some(current) = existing.iter().find(|o| o.id == id) else {
                    return Err(Error::invalid(
                        "options.id",
                        format!("The attribute has no option with the id {id}."),
                    ));
                };
                let mut active = current.clone().into_active_model();
                active.label = Set(label);
                active.store_labels = Set(store_labels);
                active.sort_order = Set(sort_order);
                active.update(txn).await?
            }
            None => {
                attribute_option::ActiveModel {
                    id: NotSet,
                    attribute_id: Set(attribute.id),
                    label: Set(label),
                    store_labels: Set(store_labels),
                    sort_order: Set(sort_order),
                }
                .insert(txn)
                .await?
            }
        };
        if input.is_default {
            defaults.push(row.id);
        }
        kept.push(row);
    }
    let removed: Vec<i32> = existing
        .iter()
        .map(|o| o.id)
        .filter(|id| !kept.iter().any(|k| k.id == *id))
        .collect();
    if !removed.is_empty() {
        attribute_option::Entity::delete_many()
            .filter(attribute_option::Column::Id.is_in(removed))
            .exec(txn)
            .await?;
    }
    kept.sort_by_key(|o| (o.sort_order, o.id));
    Ok((kept, defaults))
}

/// Rewrites the values of an option attribute after its options changed: removed options drop
/// out of the values, and the searchable labels follow renamed options.
async fn refresh_option_values(txn: &impl ConnectionTrait, attribute: &Attribute) -> Result<()> {
    if !attribute.input_type.has_options() {
        return Ok(());
    }
    let rewrite = |value: &str| -> Option<super::check::Stored> {
        let ids: Vec<i32> = value
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .filter(|id| attribute.options.iter().any(|o| o.id == *id))
            .collect();
        (!ids.is_empty()).then(|| option_value(attribute, &ids))
    };
    match attribute.entity {
        AttributeEntity::Customer => {
            let stored = attribute_value::Entity::find()
                .filter(attribute_value::Column::AttributeId.eq(attribute.id))
                .all(txn)
                .await?
                .into_iter()
                .map(|r| (r.customer_id, r.value, r.display))
                .collect();
            write_customer_changes(txn, rewritten(attribute.id, &rewrite, stored), true).await
        }
        AttributeEntity::Address => {
            let stored = address_attribute_value::Entity::find()
                .filter(address_attribute_value::Column::AttributeId.eq(attribute.id))
                .all(txn)
                .await?
                .into_iter()
                .map(|r| {
                    let owner = AddressOf {
                        customer_id: r.customer_id,
                        address_id: r.address_id,
                    };
                    (owner, r.value, r.display)
                })
                .collect();
            write_address_changes(txn, rewritten(attribute.id, &rewrite, stored), true).await
        }
    }
}

/// The stored values of attribute `attribute_id`, as (owner, value, display), that `rewrite`
/// changes, with their new values.
fn rewritten<O>(
    attribute_id: i32,
    rewrite: &impl Fn(&str) -> Option<super::check::Stored>,
    stored: Vec<(O, String, String)>,
) -> Vec<(O, Changes)> {
    stored
        .into_iter()
        .filter_map(|(owner, value, display)| {
            let next = rewrite(&value);
            let same = next
                .as_ref()
                .is_some_and(|n| n.value == value && n.display == display);
            (!same).then(|| (owner, vec![(attribute_id, next)]))
        })
        .collect()
}

/// Every custom attribute of `entity`, with options, read on `db` (a caller's transaction when it
/// checks values it is about to write).
pub async fn load_catalog(
    db: &impl ConnectionTrait,
    entity: AttributeEntity,
) -> Result<Vec<Attribute>> {
    load(db, entity, None).await
}

/// Attributes of `entity` (one, with `code`), with their options.
pub(crate) async fn load(
    db: &impl ConnectionTrait,
    entity: AttributeEntity,
    code: Option<&str>,
) -> Result<Vec<Attribute>> {
    let mut select = attribute::Entity::find()
        .filter(attribute::Column::EntityType.eq(entity.code()))
        .order_by_asc(attribute::Column::SortOrder)
        .order_by_asc(attribute::Column::Code);
    if let Some(code) = code {
        select = select.filter(attribute::Column::Code.eq(code));
    }
    let rows = select.all(db).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut options: HashMap<i32, Vec<attribute_option::Model>> = HashMap::new();
    for option in attribute_option::Entity::find()
        .filter(attribute_option::Column::AttributeId.is_in(ids))
        .order_by_asc(attribute_option::Column::SortOrder)
        .order_by_asc(attribute_option::Column::Id)
        .all(db)
        .await?
    {
        options.entry(option.attribute_id).or_default().push(option);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let own = options.remove(&r.id).unwrap_or_default();
            to_attribute(r, own)
        })
        .collect())
}
