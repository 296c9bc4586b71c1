//! The events of changes to customer groups.

use clientele_events::{EventType, NewEvent, changes_between};
use serde::Serialize;

/// What an event tells of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct GroupFields {
    pub(crate) name: String,
    pub(crate) tax_class_id: i32,
    /// Sorted, without repeats.
    pub(crate) excluded_website_ids: Vec<i32>,
}

/// The event of group `group_id` going from `before` to `after` (created when there was nothing
/// before, deleted when nothing is left); `None` when nothing changed.
pub(crate) fn group_changed(
    group_id: i32,
    before: Option<&GroupFields>,
    after: Option<&GroupFields>,
) -> Option<NewEvent> {
    let nothing = serde_json::Map::new();
    let (kind, changes) = match (before, after) {
        (None, Some(after)) => (
            EventType::GroupCreated,
            changes_between(&nothing, after, |_| true),
        ),
        (Some(before), Some(after)) => (
            EventType::GroupUpdated,
            changes_between(before, after, |_| true),
        ),
        (Some(before), None) => (
            EventType::GroupDeleted,
            changes_between(before, &nothing, |_| true),
        ),
        (None, None) => return None,
    };
    if kind == EventType::GroupUpdated && changes.is_empty() {
        return None;
    }
    Some(
        NewEvent::general(kind)
            .with("group_id", group_id)
            .with_changes(changes),
    )
}
