//! The coverage engine: every figure of docs/coverage.md as pure functions, no I/O.
//!
//! Callers load a pilot's hotspots, shifts and visits and ask for per-hotspot-day figures
//! ([`hotspot_days`]), the blocks behind the heatmap ([`blocks`], [`blocks_in_range`],
//! [`hour_of_week`]) and the gap list ([`gaps`]). Officer-hours are summed in SQL
//! (`db::rollups`). Instants are UTC; dates and wall-clock times are in the pilot's time zone,
//! resolved by [`resolve_local`].

mod days;
mod dwell;
mod figures;
mod gap_span;
mod gaps;
mod heatmap;
mod index;
pub mod now;
mod time;

#[cfg(test)]
mod fixtures;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::domain::agency::AgencyCode;
use crate::domain::hotspot::Watch;
use crate::domain::ids::{DistrictId, HotspotId, ShiftId, TeamId};

pub use days::{Block, blocks, blocks_in_range, hotspot_days, hotspot_days_with_blocks};
pub use dwell::{Dwell, KOPER_MAX, KOPER_MIN, PASS_THROUGH_UNDER};
pub use figures::DayFigures;
pub use gap_span::{GapSpan, OpenDay, gap_span};
pub use gaps::{Gap, gaps};
pub use heatmap::{HOURS_PER_WEEK, HourOfWeek, HourSlot, hour_of_week};
pub use time::{local_date, resolve_local};

/// What the engine needs of a pilot.
#[derive(Debug, Clone)]
pub struct Pilot {
    /// The zone local dates and watch windows are read in.
    pub time_zone: Tz,
    /// First local day of the pilot (inclusive).
    pub starts_on: NaiveDate,
    /// Last local day of the pilot (inclusive).
    pub ends_on: NaiveDate,
    /// Length of a hotspot-block in wall-clock minutes.
    pub block_minutes: u32,
}

/// What the engine needs of a hotspot.
#[derive(Debug, Clone)]
pub struct Hotspot {
    /// Database id.
    pub id: HotspotId,
    /// The district the hotspot lies in.
    pub district_id: DistrictId,
    /// When it is watched and what is aimed for.
    pub watch: Watch,
}

/// What the engine needs of a shift.
#[derive(Debug, Clone)]
pub struct Shift {
    /// Database id.
    pub id: ShiftId,
    /// The team that works the shift.
    pub team_id: TeamId,
    /// Start instant.
    pub starts_at: DateTime<Utc>,
    /// End instant.
    pub ends_at: DateTime<Utc>,
    /// A cancelled shift plans nothing and counts no hours.
    pub cancelled: bool,
    /// The hotspots the shift is directed to.
    pub hotspot_ids: Vec<HotspotId>,
    /// Agency of each member.
    pub members: Vec<AgencyCode>,
}

/// What the engine needs of a visit.
#[derive(Debug, Clone)]
pub struct Visit {
    /// The visiting shift.
    pub shift_id: ShiftId,
    /// The hotspot visited.
    pub hotspot_id: HotspotId,
    /// Arrival instant.
    pub arrived_at: DateTime<Utc>,
    /// Departure instant.
    pub departed_at: DateTime<Utc>,
    /// Members of the visiting shift.
    pub members: u32,
}

impl Hotspot {
    /// Whether the hotspot is watched on local date `date`: inside its own dates and the pilot's.
    pub fn is_active_on(&self, pilot: &Pilot, date: NaiveDate) -> bool {
        self.watch.is_active_on(date) && pilot.starts_on <= date && date <= pilot.ends_on
    }

    /// The watch window that opens on local date `date`, as instants `[start, end)`.
    pub fn window_on(&self, tz: Tz, date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let (open, close) = self.local_window_on(date);
        let start = resolve_local(tz, open.date(), open.time());
        let end = resolve_local(tz, close.date(), close.time());
        // Resolution is monotone, so `end < start` cannot happen; the max keeps it obviously so.
        (start, end.max(start))
    }

    /// The wall-clock bounds of the window that opens on `date`; the end is on the next day when
    /// the window crosses midnight, 24 hours later when start and end are equal.
    pub fn local_window_on(&self, date: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let Watch {
            window_start,
            window_end,
            ..
        } = self.watch;
        let end_date = if window_end > window_start {
            date
        } else {
            date.succ_opt().unwrap_or(date)
        };
        (date.and_time(window_start), end_date.and_time(window_end))
    }

    /// The daily patrol target in seconds (never negative).
    pub fn target_seconds(&self) -> i64 {
        i64::from(self.watch.target_minutes_per_day.max(0)) * 60
    }
}

impl Shift {
    /// Real time on duty; a shift that ends before it starts has none.
    pub fn duration(&self) -> TimeDelta {
        (self.ends_at - self.starts_at).max(TimeDelta::zero())
    }

    /// Whether this shift can plan coverage of hotspot `hotspot_id`.
    pub fn plans(&self, hotspot_id: HotspotId) -> bool {
        !self.cancelled && self.hotspot_ids.contains(&hotspot_id)
    }
}

impl Visit {
    /// Departed − arrived; a visit recorded with its departure first has none.
    pub fn dwell(&self) -> TimeDelta {
        (self.departed_at - self.arrived_at).max(TimeDelta::zero())
    }

    /// A stop of 10 to 16 minutes inclusive ([`Dwell::Koper`]).
    pub fn is_koper(&self) -> bool {
        Dwell::of(self.dwell()) == Dwell::Koper
    }

    /// Under two minutes at the hotspot ([`Dwell::PassThrough`]).
    pub fn is_pass_through(&self) -> bool {
        Dwell::of(self.dwell()) == Dwell::PassThrough
    }

    /// Long enough (10 minutes or more) to deliver the block it starts in.
    pub fn delivers(&self) -> bool {
        self.dwell() >= KOPER_MIN
    }
}
