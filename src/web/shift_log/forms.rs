//! The visit and activity forms as the log page shows them: where they post, what they hold and
//! what was wrong with it.

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;

use super::start_input;
use crate::db::activity_log::ActivityEntry;
use crate::db::visit_log::VisitEntry;
use crate::domain::activity_draft::{ActivityForm, ActivityKind, MAX_COUNT, MAX_NOTE_CHARS};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{ActivityId, HotspotId, VisitId};
use crate::domain::local_time::input_value;
use crate::domain::shift_log::SHIFT_TOLERANCE;
use crate::domain::visit_draft::{VisitForm, VisitSource};
use crate::service::log::ShiftLog;

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options under a heading (`<optgroup>`).
pub struct ChoiceGroup {
    pub label: &'static str,
    pub choices: Vec<Choice>,
}

/// A visit form: new (`id` `new-visit`) or editing one visit (`visit-{id}`).
pub struct VisitFormView {
    /// Prefix of the ids of the form's elements, and the form's own id.
    pub id: String,
    pub action: String,
    pub submit: &'static str,
    /// An edit form that failed is shown open.
    pub open: bool,
    pub errors: FieldErrors,
    pub hotspots: Vec<ChoiceGroup>,
    pub arrived_at: String,
    pub departed_at: String,
    pub sources: Vec<Choice>,
    /// The earliest and latest local times the form takes: the shift give or take the tolerance.
    pub earliest: String,
    pub latest: String,
}

/// An activity form: new (`new-activity`) or editing one activity (`activity-{id}`).
pub struct ActivityFormView {
    pub id: String,
    pub action: String,
    pub submit: &'static str,
    pub open: bool,
    pub errors: FieldErrors,
    pub kinds: Vec<Choice>,
    pub count: String,
    pub hotspots: Vec<ChoiceGroup>,
    pub occurred_at: String,
    pub note: String,
    pub max_count: i32,
    pub max_note: usize,
    /// The earliest and latest local times the form takes: the shift give or take the tolerance.
    pub earliest: String,
    pub latest: String,
}

impl VisitFormView {
    /// Whether `field` has a problem (for `aria-invalid`).
    pub fn invalid(&self, field: &str) -> bool {
        self.errors.contains(field)
    }
}

impl ActivityFormView {
    /// Whether `field` has a problem (for `aria-invalid`).
    pub fn invalid(&self, field: &str) -> bool {
        self.errors.contains(field)
    }
}

/// The first and last local times an entry of the shift may have, as `min` and `max` of its
/// inputs: the shift give or take [`SHIFT_TOLERANCE`].
fn bounds(loaded: &ShiftLog) -> (String, String) {
    (
        input_value(loaded.shift.starts_at - SHIFT_TOLERANCE, loaded.zone),
        input_value(loaded.shift.ends_at + SHIFT_TOLERANCE, loaded.zone),
    )
}

/// The hotspots to choose from: those the shift is directed to first, then the pilot's others that
/// are watched around the shift's dates. `selected` is the id as typed.
fn hotspot_groups(loaded: &ShiftLog, selected: &str) -> Vec<ChoiceGroup> {
    let zone = loaded.zone;
    let first = loaded.shift.starts_at.with_timezone(&zone).date_naive();
    let first = first.checked_sub_days(Days::new(1)).unwrap_or(first);
    let last = loaded.shift.ends_at.with_timezone(&zone).date_naive();
    let active_then =
        |from: NaiveDate, to: Option<NaiveDate>| from <= last && to.is_none_or(|to| to >= first);
    let choice = |id: HotspotId, name: &str| Choice {
        value: id.to_string(),
        label: name.to_string(),
        selected: selected.trim() == id.to_string(),
    };
    let directed: Vec<Choice> = loaded
        .hotspots
        .iter()
        .filter(|h| loaded.shift.hotspot_ids.contains(&h.id))
        .map(|h| choice(h.id, &h.name))
        .collect();
    let others: Vec<Choice> = loaded
        .hotspots
        .iter()
        .filter(|h| !loaded.shift.hotspot_ids.contains(&h.id))
        .filter(|h| active_then(h.active_from, h.active_to) || selected.trim() == h.id.to_string())
        .map(|h| choice(h.id, &h.name))
        .collect();
    [
        ChoiceGroup {
            label: "Directed to this shift",
            choices: directed,
        },
        ChoiceGroup {
            label: "Other hotspots of the pilot",
            choices: others,
        },
    ]
    .into_iter()
    .filter(|g| !g.choices.is_empty())
    .collect()
}

/// The visit form for visit `id` (or a new visit) holding `form`.
pub fn visit(
    loaded: &ShiftLog,
    id: Option<VisitId>,
    form: &VisitForm,
    errors: FieldErrors,
) -> VisitFormView {
    let source = if form.source.trim().is_empty() {
        VisitSource::Report.as_str()
    } else {
        form.source.trim()
    };
    let (earliest, latest) = bounds(loaded);
    VisitFormView {
        earliest,
        latest,
        id: id.map_or_else(|| "new-visit".to_string(), |id| format!("visit-{id}")),
        action: id.map_or_else(
            || format!("/shifts/{}/visits", loaded.shift.id),
            |id| format!("/visits/{id}"),
        ),
        submit: if id.is_some() {
            "Save the visit"
        } else {
            "Log the visit"
        },
        open: id.is_some() && !errors.is_empty(),
        errors,
        hotspots: hotspot_groups(loaded, &form.hotspot_id),
        arrived_at: form.arrived_at.clone(),
        departed_at: form.departed_at.clone(),
        sources: VisitSource::ALL
            .into_iter()
            .map(|s| Choice {
                value: s.as_str().to_string(),
                label: s.label().to_string(),
                selected: s.as_str() == source,
            })
            .collect(),
    }
}

/// An empty visit form, its arrival set to the shift's start and its hotspot to the shift's only
/// one.
pub fn new_visit(loaded: &ShiftLog) -> VisitFormView {
    let hotspot_id = match loaded.shift.hotspot_ids.as_slice() {
        [only] => only.to_string(),
        _ => String::new(),
    };
    let form = VisitForm {
        hotspot_id,
        arrived_at: start_input(loaded),
        departed_at: String::new(),
        source: String::new(),
    };
    visit(loaded, None, &form, FieldErrors::default())
}

/// The form filled with a stored visit.
pub fn visit_form_of(visit: &VisitEntry, zone: Tz) -> VisitForm {
    VisitForm {
        hotspot_id: visit.hotspot_id.to_string(),
        arrived_at: input_value(visit.arrived_at, zone),
        departed_at: input_value(visit.departed_at, zone),
        source: visit.source.to_string(),
    }
}

/// The activity form for activity `id` (or a new activity) holding `form`.
pub fn activity(
    loaded: &ShiftLog,
    id: Option<ActivityId>,
    form: &ActivityForm,
    errors: FieldErrors,
) -> ActivityFormView {
    let (earliest, latest) = bounds(loaded);
    ActivityFormView {
        earliest,
        latest,
        id: id.map_or_else(|| "new-activity".to_string(), |id| format!("activity-{id}")),
        action: id.map_or_else(
            || format!("/shifts/{}/activities", loaded.shift.id),
            |id| format!("/activities/{id}"),
        ),
        submit: if id.is_some() {
            "Save the activity"
        } else {
            "Log the activity"
        },
        open: id.is_some() && !errors.is_empty(),
        errors,
        kinds: ActivityKind::ALL
            .into_iter()
            .map(|k| Choice {
                value: k.as_str().to_string(),
                label: k.label().to_string(),
                selected: k.as_str() == form.kind.trim(),
            })
            .collect(),
        count: form.count.clone(),
        hotspots: hotspot_groups(loaded, &form.hotspot_id),
        occurred_at: form.occurred_at.clone(),
        note: form.note.clone(),
        max_count: MAX_COUNT,
        max_note: MAX_NOTE_CHARS,
    }
}

/// An empty activity form: one of nothing yet, at the shift's start.
pub fn new_activity(loaded: &ShiftLog) -> ActivityFormView {
    let form = ActivityForm {
        count: "1".into(),
        occurred_at: start_input(loaded),
        ..ActivityForm::default()
    };
    activity(loaded, None, &form, FieldErrors::default())
}

/// The form filled with a stored activity.
pub fn activity_form_of(activity: &ActivityEntry, zone: Tz) -> ActivityForm {
    ActivityForm {
        kind: activity.kind.to_string(),
        count: activity.count.to_string(),
        hotspot_id: activity
            .hotspot_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
        occurred_at: input_value(activity.occurred_at, zone),
        note: activity.note.clone(),
    }
}
