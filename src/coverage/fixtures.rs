//! Builders shared by the coverage tests, so each test states only what it is about.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{Hotspot, Pilot, Shift, Visit, resolve_local};
use crate::domain::agency::AgencyCode;
use crate::domain::hotspot::Watch;
use crate::domain::ids::{DistrictId, HotspotId, ShiftId, TeamId};

/// Calgary's zone.
pub const EDMONTON: Tz = chrono_tz::America::Edmonton;

/// A calendar date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A wall-clock time.
pub fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// An instant from RFC 3339.
pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// An Edmonton wall-clock time, resolved by the engine's own rule.
pub fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    resolve_local(EDMONTON, date(y, mo, d), time(h, mi))
}

/// A pilot in Edmonton's zone with 60-minute blocks.
pub fn pilot(starts_on: NaiveDate, ends_on: NaiveDate) -> Pilot {
    Pilot {
        time_zone: EDMONTON,
        starts_on,
        ends_on,
        block_minutes: 60,
    }
}

/// Hotspot 1 in district 10, priority 1, always active, with the given window and a 60-minute
/// target.
pub fn hotspot(window_start: NaiveTime, window_end: NaiveTime) -> Hotspot {
    Hotspot {
        id: HotspotId(1),
        district_id: DistrictId(10),
        watch: Watch {
            priority: 1,
            active_from: date(2000, 1, 1),
            active_to: None,
            window_start,
            window_end,
            target_minutes_per_day: 60,
            max_gap_minutes: 120,
        },
    }
}

/// A non-cancelled shift of team 100 directed to `hotspot_ids`, with members of the agencies
/// whose codes are `members`.
pub fn shift(
    id: ShiftId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    hotspot_ids: &[HotspotId],
    members: &[&str],
) -> Shift {
    Shift {
        id,
        team_id: TeamId(100),
        starts_at,
        ends_at,
        cancelled: false,
        hotspot_ids: hotspot_ids.to_vec(),
        members: members
            .iter()
            .map(|code| AgencyCode::parse(code).expect("an agency code"))
            .collect(),
    }
}

/// A visit by shift 1 to hotspot 1.
pub fn visit(arrived_at: DateTime<Utc>, departed_at: DateTime<Utc>, members: u32) -> Visit {
    Visit {
        shift_id: ShiftId(1),
        hotspot_id: HotspotId(1),
        arrived_at,
        departed_at,
        members,
    }
}
