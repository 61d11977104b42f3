//! Which hotspot-days can hold the first gaps of the gap list, from the unplanned-block counts
//! stored per hotspot-day, so the engine need only be run over those.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};

use crate::domain::ids::HotspotId;

/// A hotspot-day with blocks nobody is rostered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenDay {
    pub hotspot_id: HotspotId,
    pub priority: i16,
    pub date: NaiveDate,
    /// Its unplanned blocks (its gaps), at least 1.
    pub unplanned: i64,
}

/// The hotspots and dates to run `gaps` over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapSpan {
    pub hotspot_ids: BTreeSet<HotspotId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The hotspots and dates whose gaps include the first `limit` of the gap list (ordered by
/// priority, then start, then hotspot); `None` when there is no gap at all.
///
/// Every open day of a priority is needed until the gaps counted reach `limit`. Within the
/// priority where they do, the days up to the one that reaches it, plus the next day: the blocks
/// of a hotspot-day start before the end of the following date, so every block of a day two
/// days later starts after them all. Running `gaps` over more days of the chosen hotspots than
/// these finds only gaps that sort after them.
pub fn gap_span(open: &[OpenDay], limit: usize) -> Option<GapSpan> {
    let mut open: Vec<OpenDay> = open.iter().copied().filter(|d| d.unplanned > 0).collect();
    open.sort_by_key(|d| (d.priority, d.date, d.hotspot_id));
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut chosen: Vec<OpenDay> = Vec::new();
    let mut counted = 0;
    let mut cutoff: Option<(i16, NaiveDate)> = None;
    for day in open {
        if let Some((priority, last)) = cutoff {
            let next = last.checked_add_days(Days::new(1)).unwrap_or(last);
            if day.priority != priority || day.date > next {
                break;
            }
        }
        chosen.push(day);
        counted += day.unplanned;
        if cutoff.is_none() && counted >= limit {
            cutoff = Some((day.priority, day.date));
        }
    }
    Some(GapSpan {
        hotspot_ids: chosen.iter().map(|d| d.hotspot_id).collect(),
        from: chosen.iter().map(|d| d.date).min()?,
        to: chosen.iter().map(|d| d.date).max()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::fixtures::date;

    fn open(hotspot: i64, priority: i16, day: u32, unplanned: i64) -> OpenDay {
        OpenDay {
            hotspot_id: HotspotId(hotspot),
            priority,
            date: date(2023, 5, day),
            unplanned,
        }
    }

    fn span(ids: &[i64], from: u32, to: u32) -> Option<GapSpan> {
        Some(GapSpan {
            hotspot_ids: ids.iter().copied().map(HotspotId).collect(),
            from: date(2023, 5, from),
            to: date(2023, 5, to),
        })
    }

    #[test]
    fn no_open_day_means_no_gap() {
        assert_eq!(gap_span(&[], 15), None);
        assert_eq!(gap_span(&[open(1, 1, 3, 0)], 15), None);
    }

    #[test]
    fn fewer_gaps_than_the_limit_need_every_open_day() {
        let days = [open(1, 1, 3, 2), open(2, 3, 20, 4), open(3, 2, 9, 1)];
        assert_eq!(gap_span(&days, 15), span(&[1, 2, 3], 3, 20));
    }

    #[test]
    fn the_limit_reached_keeps_its_priority_to_the_next_day_and_drops_the_rest() {
        let days = [
            open(1, 1, 2, 3),
            // Priority 2 reaches the limit of 5 on the 4th: the 5th may still hold earlier
            // blocks (past midnight of a window opened on the 4th); the 6th cannot.
            open(2, 2, 4, 2),
            open(3, 2, 5, 1),
            open(4, 2, 6, 9),
            open(5, 3, 1, 9),
        ];
        assert_eq!(gap_span(&days, 5), span(&[1, 2, 3], 2, 5));
    }

    #[test]
    fn the_next_day_can_hold_a_block_that_starts_before_the_last_ones_counted() {
        use crate::coverage::fixtures::{hotspot, pilot, time};
        use crate::coverage::gaps;
        // Hotspot 1 watches 22:00–06:00, hotspot 2 04:00–08:00; nobody is rostered. On 1 May
        // they have 8 + 4 gaps, but hotspot 2's 04:00 block of 2 May starts before hotspot 1's
        // last block of 1 May (05:00 on 2 May).
        let pilot = pilot(date(2023, 5, 1), date(2023, 5, 3));
        let mut night = hotspot(time(22, 0), time(6, 0));
        night.id = HotspotId(1);
        let mut dawn = hotspot(time(4, 0), time(8, 0));
        dawn.id = HotspotId(2);
        let hotspots = [night, dawn];
        let (from, to) = (date(2023, 5, 1), date(2023, 5, 3));
        let mut open: Vec<OpenDay> = Vec::new();
        for gap in gaps(&pilot, &hotspots, &[], from, to, usize::MAX) {
            match open
                .iter_mut()
                .find(|d| d.hotspot_id == gap.hotspot_id && d.date == gap.date)
            {
                Some(day) => day.unplanned += 1,
                None => open.push(OpenDay {
                    hotspot_id: gap.hotspot_id,
                    priority: gap.priority,
                    date: gap.date,
                    unplanned: 1,
                }),
            }
        }
        let span = gap_span(&open, 12).unwrap();
        assert_eq!((span.from, span.to), (date(2023, 5, 1), date(2023, 5, 2)));
        let chosen: Vec<_> = hotspots
            .iter()
            .filter(|h| span.hotspot_ids.contains(&h.id))
            .cloned()
            .collect();
        let expected = gaps(&pilot, &hotspots, &[], from, to, 12);
        assert!(
            expected
                .iter()
                .any(|g| g.hotspot_id == HotspotId(2) && g.date == date(2023, 5, 2))
        );
        assert_eq!(gaps(&pilot, &chosen, &[], span.from, span.to, 12), expected);
    }

    #[test]
    fn a_first_priority_with_enough_gaps_is_all_that_is_read() {
        let days = [open(7, 1, 10, 20), open(8, 1, 12, 4), open(9, 2, 1, 1)];
        assert_eq!(gap_span(&days, 15), span(&[7], 10, 10));
    }
}
