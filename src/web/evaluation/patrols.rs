//! What the patrols did beside the evaluation: patrol hours by agency, visits, delivered coverage
//! and activities by kind, for each ISO week of the pilot and in total, from the stored roll-ups.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use sqlx::PgConnection;

use crate::coverage::DayFigures;
use crate::db::pilots::Pilot;
use crate::db::{activities, figures, hours};
use crate::domain::activity_draft::ActivityKind;
use crate::web::format;
use crate::web::views::{self, Stat};

/// The activity kinds the evaluation reports (docs/evaluation.md, "What patrols did").
const KINDS: [ActivityKind; 6] = [
    ActivityKind::CallForService,
    ActivityKind::ChargeLaid,
    ActivityKind::CommunityReferral,
    ActivityKind::MentalHealthReferral,
    ActivityKind::AddictionReferral,
    ActivityKind::NaloxoneAdministered,
];

/// One line of the weekly table (the last is the total).
pub struct WeekRow {
    pub label: String,
    pub is_total: bool,
    pub hours: Vec<String>,
    pub visits: String,
    pub delivered: String,
    pub activities: Vec<String>,
}

/// The patrols' figures: the headline over the whole pilot, and the weekly table.
pub struct Patrols {
    pub headline: Vec<Stat>,
    pub agencies: Vec<String>,
    pub kinds: Vec<&'static str>,
    pub weeks: Vec<WeekRow>,
}

/// The patrols' figures of `pilot`, week by week (ISO weeks, clamped into the pilot) and in total.
pub async fn load(conn: &mut PgConnection, pilot: &Pilot) -> Result<Patrols, sqlx::Error> {
    let zone = pilot.time_zone.as_str();
    let (from, to) = (pilot.starts_on, pilot.ends_on);
    let report = figures::report(&mut *conn, pilot.id, from, to).await?;
    let agency_hours = hours::by_agency(&mut *conn, pilot.id, from, to, None).await?;
    let activity = activities::by_kind(&mut *conn, pilot.id, zone, from, to, None, None).await?;
    let days = figures::by_day(&mut *conn, pilot.id, from, to, None, None).await?;
    let mut weeks = Vec::new();
    let mut monday = from - Duration::days(from.weekday().num_days_from_monday() as i64);
    while monday <= to {
        let (first, last) = (monday.max(from), (monday + Duration::days(6)).min(to));
        let hours = hours::by_agency(&mut *conn, pilot.id, first, last, None).await?;
        let acts = activities::by_kind(&mut *conn, pilot.id, zone, first, last, None, None).await?;
        let week_figures = sum_days(&days, first, last);
        weeks.push(row(
            format!(
                "W{:02} from {}",
                monday.iso_week().week(),
                format::day(first)
            ),
            false,
            &hours,
            &week_figures,
            &acts,
        ));
        monday += Duration::days(7);
        debug_assert_eq!(monday.weekday(), Weekday::Mon);
    }
    weeks.push(row(
        "Whole pilot".into(),
        true,
        &agency_hours,
        &report.total,
        &activity,
    ));
    Ok(Patrols {
        headline: views::headline(&report.total, &agency_hours, &activity),
        agencies: agency_hours.iter().map(|h| h.agency.name.clone()).collect(),
        kinds: KINDS.iter().map(|k| k.label()).collect(),
        weeks,
    })
}

fn sum_days(days: &[(NaiveDate, DayFigures)], first: NaiveDate, last: NaiveDate) -> DayFigures {
    let mut total = DayFigures::default();
    for (_, f) in days.iter().filter(|(d, _)| (first..=last).contains(d)) {
        total += *f;
    }
    total
}

fn row(
    label: String,
    is_total: bool,
    hours: &[hours::AgencyHours],
    figures: &DayFigures,
    activities: &[(String, i64)],
) -> WeekRow {
    WeekRow {
        label,
        is_total,
        hours: hours.iter().map(|h| format::hours(h.seconds)).collect(),
        visits: format::count(figures.visits),
        delivered: if figures.blocks > 0 {
            format::pct(figures.delivered_pct())
        } else {
            "no blocks".into()
        },
        activities: KINDS
            .iter()
            .map(|k| {
                let n = activities
                    .iter()
                    .filter(|(kind, _)| kind == k.as_str())
                    .map(|(_, n)| n)
                    .sum();
                format::count(n)
            })
            .collect(),
    }
}
