//! Which teams a roster week shows: one team, or the teams working in one district, a page of
//! at most [`TEAMS_PER_PAGE`] at a time, so that a city's hundreds of teams still make a page a
//! phone can open.

use crate::db::roster::ShiftView;
use crate::domain::ids::{ShiftId, TeamId};
use crate::domain::roster_rules::Team;
use crate::web::login::encode_next;
use crate::web::pager::Pager;

/// A city-scale week has some 16 shifts a team: 25 teams keep the page near 200 KB (50 made it
/// 460 KB, past the 300 KB every page must stay under).
pub const TEAMS_PER_PAGE: i64 = 25;

/// The filter as the URL gives it (`?team=&district=&page=`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterFilter {
    pub team: Option<TeamId>,
    /// A district's code: the shifts directed to its hotspots.
    pub district: Option<String>,
    /// The page asked for; `None` picks the one holding the highlighted shift, else the first.
    pub page: Option<i64>,
}

/// The rows a filter keeps.
pub struct Selection<'a> {
    pub teams: Vec<&'a Team>,
    pub shifts: Vec<&'a ShiftView>,
    /// The page shown, from 1, and how many there are (at least 1).
    pub page: i64,
    pub pages: i64,
    /// All teams the filter matches, on every page.
    pub matching: usize,
}

impl RosterFilter {
    /// Reads the parameters; the message says what is wrong.
    pub fn parse(
        team: Option<&str>,
        district: Option<&str>,
        page: Option<&str>,
    ) -> Result<RosterFilter, String> {
        let team = match given(team) {
            None => None,
            Some(text) => Some(
                text.parse::<TeamId>()
                    .map_err(|_| format!("The team must be one of the list, not {text:?}."))?,
            ),
        };
        let page = match given(page) {
            None => None,
            Some(_) => Some(Pager::parse(page, TEAMS_PER_PAGE)?.page),
        };
        Ok(RosterFilter {
            team,
            district: given(district).map(str::to_string),
            page,
        })
    }

    /// The filter as a query to append to a week's address (`&team=…&district=…`), without
    /// the page.
    pub fn query(&self) -> String {
        let mut query = String::new();
        if let Some(team) = self.team {
            query.push_str(&format!("&team={team}"));
        }
        if let Some(code) = &self.district {
            query.push_str(&format!("&district={}", encode_next(code)));
        }
        query
    }

    /// The teams and shifts of the week this filter shows, a page of them.
    pub fn select<'a>(
        &self,
        teams: &'a [Team],
        shifts: &'a [ShiftView],
        highlighted: Option<ShiftId>,
    ) -> Selection<'a> {
        let shifts: Vec<&ShiftView> = shifts
            .iter()
            .filter(|s| self.team.is_none_or(|team| s.team_id == team))
            .filter(|s| {
                self.district
                    .as_ref()
                    .is_none_or(|code| s.districts.contains(code))
            })
            .collect();
        let teams: Vec<&Team> = teams
            .iter()
            .filter(|t| self.team.is_none_or(|team| t.id == team))
            .filter(|t| self.district.is_none() || shifts.iter().any(|s| s.team_id == t.id))
            .collect();
        let matching = teams.len();
        let pages = ((matching as i64 + TEAMS_PER_PAGE - 1) / TEAMS_PER_PAGE).max(1);
        let holding_highlight = highlighted
            .and_then(|id| shifts.iter().find(|s| s.id == id))
            .and_then(|s| teams.iter().position(|t| t.id == s.team_id))
            .map(|i| i as i64 / TEAMS_PER_PAGE + 1);
        let page = self.page.or(holding_highlight).unwrap_or(1).min(pages);
        let first = ((page - 1) * TEAMS_PER_PAGE) as usize;
        let teams: Vec<&Team> = teams
            .into_iter()
            .skip(first)
            .take(TEAMS_PER_PAGE as usize)
            .collect();
        let shifts = shifts
            .into_iter()
            .filter(|s| teams.iter().any(|t| t.id == s.team_id))
            .collect();
        Selection {
            teams,
            shifts,
            page,
            pages,
            matching,
        }
    }
}

/// A parameter with something in it, trimmed.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
#[path = "roster_filter_tests.rs"]
mod tests;
