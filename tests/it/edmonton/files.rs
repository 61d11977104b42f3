//! The sister pilot's files, as a task force would prepare them: district and hotspot outlines
//! as GeoJSON around downtown Edmonton, its officers as CSV, and a week's roster in the columns
//! of the `shifts` export. The places are drawn for the test, not surveyed.

use serde_json::{Value, json};

/// A district: code, name, and its outline as a box (west, south, east, north).
pub struct District {
    pub code: &'static str,
    pub name: &'static str,
    pub bounds: [f64; 4],
}

pub const DISTRICTS: [District; 2] = [
    District {
        code: "DTE",
        name: "Downtown",
        bounds: [-113.500, 53.538, -113.490, 53.545],
    },
    District {
        code: "BOY",
        name: "Boyle Street",
        bounds: [-113.489, 53.540, -113.480, 53.547],
    },
];

/// A hotspot: name, its district's code, the point its small square is drawn around, priority.
pub struct Hotspot {
    pub name: &'static str,
    pub district: &'static str,
    pub at: (f64, f64),
    pub priority: i64,
}

pub const CHURCHILL: &str = "Churchill Square";
pub const CENTRAL: &str = "Central LRT";
pub const CHINATOWN: &str = "Chinatown Gate";

pub const HOTSPOTS: [Hotspot; 3] = [
    Hotspot {
        name: CHURCHILL,
        district: "DTE",
        at: (-113.4955, 53.5420),
        priority: 1,
    },
    Hotspot {
        name: CENTRAL,
        district: "DTE",
        at: (-113.4925, 53.5395),
        priority: 2,
    },
    Hotspot {
        name: CHINATOWN,
        district: "BOY",
        at: (-113.4850, 53.5435),
        priority: 1,
    },
];

/// Every hotspot is watched 10:00–14:00 local time.
pub const WINDOW: (&str, &str) = ("10:00", "14:00");

fn ring([west, south, east, north]: [f64; 4]) -> Value {
    json!([[
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south]
    ]])
}

fn collection(features: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({"type": "FeatureCollection", "features": features})).unwrap()
}

pub fn districts_geojson() -> Vec<u8> {
    collection(
        DISTRICTS
            .iter()
            .map(|d| {
                json!({
                    "type": "Feature",
                    "properties": {"code": d.code, "name": d.name},
                    "geometry": {"type": "Polygon", "coordinates": ring(d.bounds)}
                })
            })
            .collect(),
    )
}

pub fn hotspots_geojson() -> Vec<u8> {
    let d = 0.0008;
    collection(
        HOTSPOTS
            .iter()
            .map(|h| {
                let (lon, lat) = h.at;
                json!({
                    "type": "Feature",
                    "properties": {
                        "name": h.name, "district": h.district, "priority": h.priority,
                        "active_from": "2023-02-27", "active_to": null,
                        "window_start": WINDOW.0, "window_end": WINDOW.1,
                        "target_minutes_per_day": 60, "max_gap_minutes": 120,
                        "reason": "Daytime disorder calls"
                    },
                    "geometry": {"type": "Polygon", "coordinates": ring([lon - d, lat - d, lon + d, lat + d])}
                })
            })
            .collect(),
    )
}

/// The two teams: a joint foot pair of EPS and the sheriffs, and an EPS bike pair.
pub const PAIR: &str = "Downtown Pair";
pub const BIKES: &str = "Beat Bikes";

/// An officer: agency, badge, name, team.
pub const OFFICERS: [(&str, &str, &str, &str); 4] = [
    ("eps", "E101", "Ada Brook", PAIR),
    ("alberta_sheriffs", "S901", "Ben Cole", PAIR),
    ("eps", "E102", "Cy Dunn", BIKES),
    ("eps", "E103", "Di Eng", BIKES),
];

pub fn officers_csv() -> Vec<u8> {
    let mut text =
        String::from("agency,badge_number,name,rank,team,team_mode,role,starts_on,ends_on\n");
    for (agency, badge, name, team) in OFFICERS {
        let (rank, mode) = match team {
            PAIR => ("Constable", "foot"),
            _ => ("Constable", "bike"),
        };
        text.push_str(&format!(
            "{agency},{badge},{name},{rank},{team},{mode},patrol,2023-02-27,2023-05-31\n"
        ));
    }
    text.into_bytes()
}

/// A shift of the week: team, local day, local start and end (MDT, UTC−6, after the 12 March
/// change), and the hotspots it is directed to.
pub struct Shift {
    pub team: &'static str,
    pub day: &'static str,
    pub starts: &'static str,
    pub ends: &'static str,
    pub hotspots: &'static [&'static str],
}

/// The week of 13–19 March 2023. The figures each shift plans are counted in `super`.
pub const SHIFTS: [Shift; 6] = [
    Shift {
        team: PAIR,
        day: "2023-03-13",
        starts: "10:00",
        ends: "14:00",
        hotspots: &[CHURCHILL, CENTRAL],
    },
    Shift {
        team: BIKES,
        day: "2023-03-14",
        starts: "10:30",
        ends: "13:00",
        hotspots: &[CHINATOWN],
    },
    Shift {
        team: PAIR,
        day: "2023-03-15",
        starts: "09:00",
        ends: "10:20",
        hotspots: &[CHURCHILL],
    },
    Shift {
        team: BIKES,
        day: "2023-03-16",
        starts: "11:00",
        ends: "15:00",
        hotspots: &[CHINATOWN, CENTRAL],
    },
    Shift {
        team: PAIR,
        day: "2023-03-16",
        starts: "13:00",
        ends: "14:00",
        hotspots: &[CHINATOWN],
    },
    // Cancelled after the roster is in, by editing the export and importing it back.
    Shift {
        team: PAIR,
        day: "2023-03-17",
        starts: "10:00",
        ends: "14:00",
        hotspots: &[CHURCHILL],
    },
];

/// The index in [`SHIFTS`] of the shift that is cancelled.
pub const CANCELLED: usize = 5;

/// `day` at `time`, MDT, as RFC 3339.
pub fn instant(day: &str, time: &str) -> String {
    format!("{day}T{time}:00-06:00")
}

/// The week's roster, new shifts only (no `id`), in the columns of the `shifts` export.
/// `officer_id` and `hotspot_id` give the ids the pilot's exports and API show.
pub fn roster_csv(officer_id: impl Fn(&str) -> i64, hotspot_id: impl Fn(&str) -> i64) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "team_name",
            "starts_at",
            "ends_at",
            "mode",
            "status",
            "officer_ids",
            "hotspot_ids",
        ])
        .unwrap();
    for shift in &SHIFTS {
        let (mode, members) = match shift.team {
            PAIR => ("foot", ["E101", "S901"]),
            _ => ("bike", ["E102", "E103"]),
        };
        let ids = |values: Vec<i64>| {
            let mut values = values;
            values.sort();
            values
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(";")
        };
        writer
            .write_record([
                shift.team,
                &instant(shift.day, shift.starts),
                &instant(shift.day, shift.ends),
                mode,
                "planned",
                &ids(members.iter().map(|b| officer_id(b)).collect()),
                &ids(shift.hotspots.iter().map(|h| hotspot_id(h)).collect()),
            ])
            .unwrap();
    }
    writer.into_inner().unwrap()
}

/// A visit as the crew reports it: the shift (an index in [`SHIFTS`]), the hotspot, and local
/// arrival and departure on the shift's day.
pub struct Visit {
    pub shift: usize,
    pub hotspot: &'static str,
    pub arrived: &'static str,
    pub departed: &'static str,
}

pub const VISITS: [Visit; 7] = [
    // Monday, the pair: 12 minutes (a Koper visit), 8 minutes, 30 minutes.
    Visit {
        shift: 0,
        hotspot: CHURCHILL,
        arrived: "10:05",
        departed: "10:17",
    },
    Visit {
        shift: 0,
        hotspot: CENTRAL,
        arrived: "10:40",
        departed: "10:48",
    },
    Visit {
        shift: 0,
        hotspot: CHURCHILL,
        arrived: "11:10",
        departed: "11:40",
    },
    // Tuesday, the bikes: 16 minutes, still a Koper visit.
    Visit {
        shift: 1,
        hotspot: CHINATOWN,
        arrived: "12:40",
        departed: "12:56",
    },
    // Thursday, the bikes: 30 minutes running past the window's end, and a 1-minute pass.
    Visit {
        shift: 3,
        hotspot: CHINATOWN,
        arrived: "13:55",
        departed: "14:25",
    },
    Visit {
        shift: 3,
        hotspot: CENTRAL,
        arrived: "11:30",
        departed: "11:31",
    },
    // Thursday, the pair at Chinatown too, overlapping the bikes: 8 minutes.
    Visit {
        shift: 4,
        hotspot: CHINATOWN,
        arrived: "13:50",
        departed: "13:58",
    },
];
