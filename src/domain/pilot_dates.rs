//! What of a pilot would fall outside new dates: the shifts by the local day they start, and the
//! logged visits and activities by their own local day, with the sentences that refuse the change.

use chrono::NaiveDate;

use super::field_errors::FieldErrors;
use super::pilot_form::PilotSettings;

/// Rows that would fall on local days outside a pilot's new dates: how many, and the first and
/// last such day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Stranded {
    pub count: i64,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

impl PilotSettings {
    /// The local days a logged visit or activity of the pilot may fall on: its dates and the day
    /// on either side, since a shift of the last evening runs into the next morning and an entry
    /// may be logged up to half an hour before its shift starts (`shift_log::SHIFT_TOLERANCE`).
    pub fn log_entry_days(&self) -> (NaiveDate, NaiveDate) {
        let day = chrono::Days::new(1);
        (
            self.starts_on
                .checked_sub_days(day)
                .unwrap_or(self.starts_on),
            self.ends_on.checked_add_days(day).unwrap_or(self.ends_on),
        )
    }

    /// Why these settings may not be saved when `shifts` would start outside the dates, or
    /// `entries` (logged visits and activities) fall outside [`Self::log_entry_days`]: each
    /// sentence beside the date it concerns (the first day when they begin before it, else the
    /// last day). Empty when nothing would.
    pub fn stranding(&self, shifts: Stranded, entries: Stranded) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let kinds = [
            (
                shifts,
                "shift starts",
                "shifts start",
                "outside these dates",
            ),
            (
                entries,
                "logged visit or activity falls",
                "logged visits and activities fall",
                "more than a day outside these dates",
            ),
        ];
        for (stranded, one, many, outside) in kinds {
            let (Some(first), Some(last)) = (stranded.first, stranded.last) else {
                continue;
            };
            let field = if first < self.starts_on {
                "starts_on"
            } else {
                "ends_on"
            };
            let zone = self.time_zone;
            let when = match (stranded.count, first == last) {
                (1, _) => format!("1 {one} {outside} (in {zone}), on {first}"),
                (n, true) => format!("{n} {many} {outside} (in {zone}), all on {first}"),
                (n, false) => format!(
                    "{n} {many} {outside} (in {zone}), the first on {first} and the last on \
                     {last}"
                ),
            };
            errors.add(
                field,
                format!("{when}. Choose dates that keep them inside the pilot."),
            );
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pilot_form::PilotForm;

    #[test]
    fn shifts_and_entries_outside_new_dates_are_named_beside_the_date_they_pass() {
        let settings = PilotSettings::parse(&PilotForm {
            name: "Downtown Edmonton 2024".into(),
            city: "Edmonton".into(),
            time_zone: "America/Edmonton".into(),
            starts_on: "2024-03-01".into(),
            ends_on: "2024-05-31".into(),
            ..PilotForm::default()
        })
        .unwrap();
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let shifts = Stranded {
            count: 3,
            first: day("2024-02-28"),
            last: day("2024-06-02"),
        };
        let entries = Stranded {
            count: 1,
            first: day("2024-06-02"),
            last: day("2024-06-02"),
        };
        let errors = settings.stranding(shifts, entries);
        assert_eq!(
            errors.get("starts_on"),
            Some(
                "3 shifts start outside these dates (in America/Edmonton), the first on \
                 2024-02-28 and the last on 2024-06-02. Choose dates that keep them inside the \
                 pilot."
            )
        );
        assert_eq!(
            errors.get("ends_on"),
            Some(
                "1 logged visit or activity falls more than a day outside these dates (in \
                 America/Edmonton), on 2024-06-02. Choose dates that keep them inside the pilot."
            )
        );
        assert_eq!(
            settings.log_entry_days(),
            (day("2024-02-29").unwrap(), day("2024-06-01").unwrap())
        );
        assert!(
            settings
                .stranding(Stranded::default(), Stranded::default())
                .is_empty()
        );
    }
}
