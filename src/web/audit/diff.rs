//! A readable difference between an audit entry's before and after: which top-level fields
//! changed, and from what to what.

use std::collections::BTreeSet;

use serde_json::Value;

/// Longest value shown in full; longer ones are cut, and the page offers the whole record.
pub const MAX_VALUE_CHARS: usize = 80;

/// The name used for a before or after that is not a JSON object.
pub const WHOLE_VALUE: &str = "(value)";

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    /// The value before; `None` when the field was added.
    pub old: Option<String>,
    /// The value after; `None` when the field was removed.
    pub new: Option<String>,
}

impl Change {
    /// Whether the field is new.
    pub fn added(&self) -> bool {
        self.old.is_none()
    }

    /// Whether the field is gone.
    pub fn removed(&self) -> bool {
        self.new.is_none()
    }

    /// The change as one line: `field: old → new`, `field added: new`, `field removed: old`.
    pub fn text(&self) -> String {
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => format!("{}: {old} → {new}", self.field),
            (None, Some(new)) => format!("{} added: {new}", self.field),
            (Some(old), None) => format!("{} removed: {old}", self.field),
            (None, None) => self.field.clone(),
        }
    }
}

/// The differences between `before` and `after`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Difference {
    /// Changed, added and removed fields, by field name.
    pub changes: Vec<Change>,
    /// Whether any value was cut short.
    pub truncated: bool,
}

/// Compares the top-level fields of `before` and `after` (either may be absent: a creation has no
/// before, a deletion no after). A value that is not an object counts as one field.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Difference {
    let fields = |value: Option<&Value>| -> Vec<(String, Value)> {
        match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Some(other) => vec![(WHOLE_VALUE.to_string(), other.clone())],
        }
    };
    let (before, after) = (fields(before), fields(after));
    let find = |list: &[(String, Value)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let keys: BTreeSet<&String> = before.iter().chain(after.iter()).map(|(k, _)| k).collect();
    let mut difference = Difference::default();
    for key in keys {
        let (old, new) = (find(&before, key), find(&after, key));
        if old == new {
            continue;
        }
        let mut show = |value: Option<Value>| {
            value.map(|v| {
                let (text, cut) = shown(&v);
                difference.truncated |= cut;
                text
            })
        };
        let (old, new) = (show(old), show(new));
        difference.changes.push(Change {
            field: key.clone(),
            old,
            new,
        });
    }
    difference
}

/// A value as people read it, and whether it was cut: strings without quotes, arrays joined with
/// commas, nothing as "(none)", objects as compact JSON.
pub fn shown(value: &Value) -> (String, bool) {
    let text = match value {
        Value::Null => "(none)".to_string(),
        Value::String(s) if s.is_empty() => "(blank)".to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "(none)".to_string(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    truncate(&text, MAX_VALUE_CHARS)
}

/// `text` cut to at most `max` characters (the last an ellipsis), and whether it was cut.
fn truncate(text: &str, max: usize) -> (String, bool) {
    if text.chars().count() <= max {
        return (text.to_string(), false);
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    (cut, true)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn lines(before: Option<Value>, after: Option<Value>) -> Vec<String> {
        diff(before.as_ref(), after.as_ref())
            .changes
            .iter()
            .map(Change::text)
            .collect()
    }

    #[test]
    fn only_changed_fields_are_listed_as_old_to_new() {
        let before = json!({"id": 4, "arrived_at": "2023-03-12T05:00:00Z", "source": "report"});
        let after = json!({"id": 4, "arrived_at": "2023-03-12T05:10:00Z", "source": "avl"});
        assert_eq!(
            lines(Some(before), Some(after)),
            [
                "arrived_at: 2023-03-12T05:00:00Z → 2023-03-12T05:10:00Z",
                "source: report → avl"
            ]
        );
    }

    #[test]
    fn a_creation_adds_every_field_and_a_deletion_removes_them() {
        let row = json!({"count": 2, "note": ""});
        assert_eq!(
            lines(None, Some(row.clone())),
            ["count added: 2", "note added: (blank)"]
        );
        assert_eq!(
            lines(Some(row), None),
            ["count removed: 2", "note removed: (blank)"]
        );
    }

    #[test]
    fn added_and_removed_keys_are_shown_as_such() {
        let difference = diff(
            Some(&json!({"a": 1, "gone": true})),
            Some(&json!({"a": 1, "new": null})),
        );
        assert_eq!(difference.changes.len(), 2);
        assert!(difference.changes[0].removed() && difference.changes[0].field == "gone");
        assert!(difference.changes[1].added() && difference.changes[1].field == "new");
        assert_eq!(difference.changes[1].text(), "new added: (none)");
    }

    #[test]
    fn arrays_are_joined_and_objects_kept_as_json() {
        assert_eq!(
            lines(
                Some(json!({"hotspot_ids": [1, 2], "officers": ["Ng", "Roy"], "geo": {"t": 1}})),
                Some(json!({"hotspot_ids": [], "officers": ["Ng"], "geo": {"t": 2}})),
            ),
            [
                r#"geo: {"t":1} → {"t":2}"#,
                "hotspot_ids: 1, 2 → (none)",
                "officers: Ng, Roy → Ng"
            ]
        );
    }

    #[test]
    fn long_values_are_cut_and_the_cut_is_reported() {
        let long = "x".repeat(200);
        let difference = diff(Some(&json!({"note": ""})), Some(&json!({"note": long})));
        let new = difference.changes[0].new.clone().unwrap();
        assert_eq!(new.chars().count(), MAX_VALUE_CHARS);
        assert!(new.ends_with('…'));
        assert!(difference.truncated);
        assert!(!diff(Some(&json!({"a": 1})), Some(&json!({"a": 2}))).truncated);
    }

    #[test]
    fn values_that_are_not_objects_count_as_one_field_and_equal_records_differ_in_nothing() {
        assert_eq!(lines(Some(json!(1)), Some(json!(2))), ["(value): 1 → 2"]);
        assert!(lines(Some(json!({"a": 1})), Some(json!({"a": 1}))).is_empty());
        assert!(lines(None, None).is_empty());
    }
}
